"""The key survives one bad byte; profile.json is read as untrusted; a password change re-keys; the
lockout wait is capped; core dumps are off.

Every tampering of ``profile.json`` either repairs itself from ``keycopy.json`` (the password proves
the copy right) or, when both are gone, gives a message naming the file — never a traceback, never
"tell the helpdesk: ValueError".
"""

from __future__ import annotations

import base64
import json
import os
import resource
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from desktop.cli import main
from desktop.errors import DiogelError, LockedOut, WrongPassword
from desktop.services.persons import PersonService
from desktop.services.session import Session
from desktop.store.crypto import KdfParams, derive_kek, wrap_key
from desktop.store.database import connect
from desktop.store.integrity import DatabaseDamaged
from desktop.store.profile import MAX_DELAY_SECONDS, Profile
from tests.conftest import PASSWORD, fast_kdf

ROOT = Path(__file__).resolve().parent.parent


def _b64flip(text: str) -> str:
    raw = bytearray(base64.b64decode(text))
    raw[0] ^= 1
    return base64.b64encode(bytes(raw)).decode()


def _edit(change: Callable[[dict[str, Any]], None]) -> Callable[[Path], None]:
    def apply(path: Path) -> None:
        data = json.loads(path.read_text("utf-8"))
        change(data)
        path.write_text(json.dumps(data), "utf-8")
    return apply


def _raw(content: bytes) -> Callable[[Path], object]:
    return lambda path: path.write_bytes(content)


def _flip_byte_in(text_of: Callable[[dict[str, Any]], str], at: int) -> Callable[[Path], None]:
    """Flip one bit of the ``at``-th character of a value as it sits in the file (what a bad sector or
    a stray write does), leaving the rest of the file as it was."""
    def apply(path: Path) -> None:
        data = bytearray(path.read_bytes())
        i = data.index(text_of(json.loads(data)).encode()) + at
        data[i] ^= 0x01
        path.write_bytes(bytes(data))
    return apply


TAMPERINGS: dict[str, Callable[[Path], object]] = {
    "deleted": lambda p: p.unlink(),
    "empty": _raw(b""),
    "truncated": lambda p: p.write_bytes(p.read_bytes()[: len(p.read_bytes()) // 2]),
    "binary garbage": _raw(bytes(range(256))),
    "a JSON list": _raw(b"[1, 2, 3]"),
    "format as text": _edit(lambda d: d.update(format="1")),
    "profile id changed": _edit(lambda d: d.update(profile_id="00000000-0000-4000-8000-000000000000")),
    "profile id gone": _edit(lambda d: d.pop("profile_id")),
    "kdf gone": _edit(lambda d: d.pop("kdf")),
    "kdf not argon2id": _edit(lambda d: d["kdf"].update(alg="scrypt")),
    "time cost as text": _edit(lambda d: d["kdf"].update(time_cost="3")),
    "time cost huge": _edit(lambda d: d["kdf"].update(time_cost=10**9)),
    "memory cost huge": _edit(lambda d: d["kdf"].update(memory_cost=2**40)),
    "salt not base64": _edit(lambda d: d["kdf"].update(salt="not base64!!")),
    "salt too short": _edit(lambda d: d["kdf"].update(salt=base64.b64encode(b"short").decode())),
    "nonce too short": _edit(lambda d: d["wrapped_key"].update(nonce=base64.b64encode(b"1234").decode())),
    "ciphertext one bit": _edit(lambda d: d["wrapped_key"].update(ciphertext=_b64flip(d["wrapped_key"]["ciphertext"]))),
    "ciphertext gone": _edit(lambda d: d["wrapped_key"].pop("ciphertext")),
    "wrapped key a string": _edit(lambda d: d.update(wrapped_key="abc")),
    "a bit of the salt": _flip_byte_in(lambda d: d["kdf"]["salt"], 5),
    "a bit of the nonce": _flip_byte_in(lambda d: d["wrapped_key"]["nonce"], 2),
    "a bit of the wrapped key": _flip_byte_in(lambda d: d["wrapped_key"]["ciphertext"], 30),
    "a bit of the profile id": _flip_byte_in(lambda d: d["profile_id"], 3),
}


@pytest.fixture
def profile_dir(tmp_path: Path) -> Path:
    s = Session.create_profile(tmp_path / "p", given_names="Rhian", family_name="Evans", role="social_worker",
                               team_name="Tîm", password=PASSWORD, kdf=fast_kdf())
    PersonService(s).create({"family_name": "Kept"})
    s.close()
    return tmp_path / "p"


@pytest.mark.parametrize("name", sorted(TAMPERINGS))
def test_a_tampered_profile_json_repairs_itself_from_its_copy(profile_dir: Path, name: str) -> None:
    original = json.loads((profile_dir / "profile.json").read_text("utf-8"))
    TAMPERINGS[name](profile_dir / "profile.json")
    session = Session.sign_in(profile_dir, PASSWORD, backup=False)
    try:
        assert session.store.rows("SELECT family_name FROM person")[0]["family_name"] == "Kept"
    finally:
        session.close()
    repaired = json.loads((profile_dir / "profile.json").read_text("utf-8"))
    assert {k: repaired[k] for k in ("profile_id", "kdf", "wrapped_key")} == \
        {k: original[k] for k in ("profile_id", "kdf", "wrapped_key")}
    if name != "deleted":
        assert list(profile_dir.glob("profile.json.damaged-*")), "the damaged file is kept beside its repair"


@pytest.mark.parametrize("name", sorted(TAMPERINGS))
def test_with_both_copies_damaged_every_tampering_gives_a_clear_message(profile_dir: Path, name: str,
                                                                         capsys, monkeypatch) -> None:
    """No second copy to repair from: a message, never a traceback — from the core, the command
    line (exit 2) and the sign-in window."""
    (profile_dir / "keycopy.json").unlink()
    TAMPERINGS[name](profile_dir / "profile.json")
    if name == "deleted":
        with pytest.raises(DiogelError, match="There is no Diogel profile"):
            Session.sign_in(profile_dir, PASSWORD, backup=False)
        return
    with pytest.raises(DiogelError) as err:
        Session.sign_in(profile_dir, PASSWORD, backup=False)
    message = err.value.message()
    assert "profile.json" in message or "password is not right" in message, message
    monkeypatch.setenv("DIOGEL_PASSWORD", PASSWORD)
    assert main(["due", "--profile", str(profile_dir), "--json"]) == 2
    stderr = capsys.readouterr().err
    assert "Traceback" not in stderr and stderr.startswith("diogel: ")


def test_the_sign_in_window_shows_a_damaged_profile_plainly(qtbot, profile_dir: Path) -> None:
    from ui.sign_in import SignInDialog

    (profile_dir / "keycopy.json").unlink()
    TAMPERINGS["kdf not argon2id"](profile_dir / "profile.json")
    dialog = SignInDialog(profile_dir)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.password.setText(PASSWORD)
    dialog.sign_in_button.click()
    qtbot.waitUntil(lambda: dialog.error.isVisible() and dialog.password.isEnabled(), timeout=10_000)
    text = dialog.error.text()
    assert "profile.json" in text and "kdf" in text and "helpdesk: " not in text


def test_a_backup_key_file_brings_back_a_profile_with_both_files_lost(profile_dir: Path) -> None:
    """docs/recovery.md: with profile.json and keycopy.json both lost, a backup's key file becomes
    keycopy.json and sign-in rebuilds profile.json from it."""
    Session.sign_in(profile_dir, PASSWORD).close()  # today's backup and its key file
    key_files = sorted((profile_dir / "backups").glob("daily-*.key.json"))
    assert key_files
    (profile_dir / "profile.json").unlink()
    (profile_dir / "keycopy.json").unlink()
    shutil.copyfile(key_files[-1], profile_dir / "keycopy.json")
    session = Session.sign_in(profile_dir, PASSWORD, backup=False)
    try:
        assert session.store.rows("SELECT family_name FROM person")[0]["family_name"] == "Kept"
    finally:
        session.close()
    assert Profile.open(profile_dir).repaired_from is None, "profile.json was written again"


def test_a_password_change_rekeys_so_the_old_key_reads_nothing_new(profile_dir: Path) -> None:
    Session.sign_in(profile_dir, PASSWORD).close()  # a backup from before the change
    stolen = {n: (profile_dir / n).read_bytes() for n in ("profile.json", "keycopy.json")}
    old_key = Profile.open(profile_dir).unlock(PASSWORD)
    session = Session.sign_in(profile_dir, PASSWORD, backup=False)
    session.profile.change_password(PASSWORD, "a brand new password", store=session.store)
    PersonService(session).create({"family_name": "Written after the change"})
    session.close()
    # The old key material and the old password unwrap the old key, which opens nothing any more.
    with pytest.raises(DiogelError):
        connect(profile_dir / "diogel.db", old_key).execute("SELECT count(*) FROM person")
    for name, data in stolen.items():
        (profile_dir / name).write_bytes(data)
    with pytest.raises(DatabaseDamaged):
        Session.sign_in(profile_dir, PASSWORD, backup=False)
    # The new password reads everything; the backup from before the change still restores with it.
    (profile_dir / "profile.json").unlink()
    (profile_dir / "keycopy.json").unlink()
    backup_key = sorted((profile_dir / "backups").glob("daily-*.key.json"))[-1]
    shutil.copyfile(backup_key, profile_dir / "keycopy.json")
    profile = Profile.open(profile_dir)
    backup = profile.verified_backup(profile.unlock("a brand new password"), "a brand new password")
    assert backup is not None, "the backup's key file was re-wrapped under the new password"


def test_a_password_change_stopped_half_way_is_finished_at_the_next_sign_in(profile_dir: Path) -> None:
    """The state a crash leaves between writing profile.json (the new key, and the old one wrapped
    under the new password) and re-keying the file: the next sign-in re-keys and carries on."""
    profile = Profile.open(profile_dir)
    old_key = profile.unlock(PASSWORD)
    params = KdfParams.fresh(time_cost=1, memory_cost=8192, parallelism=1)
    kek = derive_kek("the new password!", params)
    aad = profile.data["profile_id"].encode()
    new_key = os.urandom(32)
    profile.data.update(kdf=params.to_json(), wrapped_key=wrap_key(new_key, kek, aad),
                        rekey_from=wrap_key(old_key, kek, aad))
    profile._save()  # noqa: SLF001 - writing the half-way state a crash would leave
    session = Session.sign_in(profile_dir, "the new password!", backup=False)
    try:
        assert session.store.rows("SELECT family_name FROM person")[0]["family_name"] == "Kept"
    finally:
        session.close()
    assert "rekey_from" not in json.loads((profile_dir / "profile.json").read_text("utf-8"))
    db = connect(profile_dir / "diogel.db", new_key)
    assert db.execute("SELECT count(*) FROM person").fetchone()[0] == 1
    db.conn.close()


def test_the_lockout_wait_is_capped_when_the_clock_goes_back(profile_dir: Path) -> None:
    profile = Profile.open(profile_dir)
    now = [1_000_000.0]
    profile.clock = lambda: now[0]
    for _ in range(6):
        with pytest.raises((WrongPassword, LockedOut)):
            profile.unlock("not it at all")
        now[0] += 400
    now[0] -= 86_400  # the clock set back a day
    with pytest.raises(LockedOut) as locked:
        profile.unlock(PASSWORD)
    assert 0 < locked.value.seconds <= MAX_DELAY_SECONDS
    (profile_dir / "lockout.json").write_text('{"failures": "many", "next_allowed_at": "tomorrow"}', "utf-8")
    assert Profile.open(profile_dir).unlock(PASSWORD), "a nonsense lockout file counts as no failures"


def test_a_bad_language_in_profile_json_does_not_stop_the_window(qtbot, profile_dir: Path) -> None:
    from ui.application import AppController
    from ui.sign_in import SignInDialog

    for bad in ("xx", 7, None, ["cy"]):
        _edit(lambda d, bad=bad: d.update(language=bad, idle_lock_minutes="ten"))(profile_dir / "profile.json")
        profile = Profile.open(profile_dir)
        assert (profile.language, profile.idle_lock_minutes) == ("en", 10)
        controller = AppController(profile_dir)
        dialog = controller.start()
        qtbot.addWidget(dialog)
        assert isinstance(dialog, SignInDialog) and dialog.sign_in_button.text() == "Sign in"
        dialog.close()


def test_core_dumps_are_off_from_the_start(tmp_path: Path) -> None:
    """Started with core dumps allowed, Diogel turns them off before anything else (its self-check says
    so); a crash cannot write the decrypted cases or the key to disk."""
    soft, hard = resource.getrlimit(resource.RLIMIT_CORE)
    if hard == 0 and os.geteuid() != 0:
        pytest.skip("core dumps cannot be turned on here, so turning them off cannot be shown")

    def allow_core_dumps() -> None:
        limit = resource.RLIM_INFINITY if os.geteuid() == 0 else hard
        resource.setrlimit(resource.RLIMIT_CORE, (limit, limit))

    probe = subprocess.run([sys.executable, "-c", "import resource; print(resource.getrlimit(resource.RLIMIT_CORE))"],
                           preexec_fn=allow_core_dumps, capture_output=True, text=True, timeout=60)
    assert probe.stdout.strip() != "(0, 0)", "the child starts with core dumps allowed"
    result = subprocess.run([sys.executable, "-m", "desktop", "selfcheck"], preexec_fn=allow_core_dumps, cwd=ROOT,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "core dumps" not in result.stdout
