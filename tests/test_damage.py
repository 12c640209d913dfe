"""Damage is caught before it spreads: one damaged page at forty places across the file, a missing and
an empty database, and backups that are checked before they are kept.

Everything runs on real encrypted files: the demo profile (fast key derivation), copied, with one
byte of one page flipped as a failing disk or a lid closed mid-write would.
"""

from __future__ import annotations

import hashlib
import json
import os
import shlex
import shutil
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from desktop.cli import main
from desktop.services.demo import build_demo
from desktop.services.persons import PersonService
from desktop.services.session import Session
from desktop.store.integrity import PAGE_SIZE, DatabaseDamaged, check_database
from desktop.store.profile import KEEP_BACKUPS, Profile
from tests.conftest import PASSWORD, FixedClock, fast_kdf

POSITIONS = 40
"""Damaged pages tried (page 1, the last page and 38 spread between): the README gives the figures."""

COMMANDS = (
    ("check",),
    ("export",),
    ("due", "--json"),
    ("letters", "--out", "{tmp}/letters", "--dry-run"),
    ("report", "committee", "--from", "2026-01-01", "--to", "2026-03-31", "--lang", "en", "--out", "{tmp}/c.pdf"),
    ("sync", "--status"),
)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def flip(path: Path, page: int, offset: int = 1000) -> None:
    """Flip one byte of page ``page`` (1-based) in place."""
    with path.open("r+b") as fh:
        fh.seek((page - 1) * PAGE_SIZE + offset)
        byte = fh.read(1)
        fh.seek((page - 1) * PAGE_SIZE + offset)
        fh.write(bytes([byte[0] ^ 0x5A]))


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("damage") / "demo"
    ctx = build_demo(folder, PASSWORD, kdf=fast_kdf())
    ctx.store.close()
    return folder


def _copy(demo: Path, to: Path) -> Path:
    shutil.copytree(demo, to)
    return to


def _pages(folder: Path) -> list[int]:
    count = (folder / "diogel.db").stat().st_size // PAGE_SIZE
    step = (count - 2) / (POSITIONS - 2)
    inner = sorted({2 + round(i * step) for i in range(POSITIONS - 2)})
    return sorted({1, count, *inner})


def test_one_damaged_page_anywhere_stops_sign_in_and_every_command(demo: Path, tmp_path: Path, capsys,
                                                                   monkeypatch) -> None:
    """Forty places, one flipped byte each: sign-in refuses every time with a message naming the file
    (and the good backup on offer), nothing is written to the file, and every command exits 1 or 2
    with a message — never 70, never a traceback."""
    monkeypatch.setenv("DIOGEL_PASSWORD", PASSWORD)
    good = _copy(demo, tmp_path / "good")
    Session.sign_in(good, PASSWORD).close()  # today's backup, checked and kept
    pages = _pages(good)
    assert len(pages) == POSITIONS
    refused = unchanged = 0
    exits: dict[str, set[int]] = {c[0]: set() for c in COMMANDS}
    for page in pages:
        folder = _copy(good, tmp_path / f"page-{page}")
        flip(folder / "diogel.db", page)
        before = _digest(folder / "diogel.db")
        with pytest.raises(DatabaseDamaged) as err:
            Session.sign_in(folder, PASSWORD)
        message = err.value.message()
        assert "diogel.db is damaged" in message and "daily-" in message, message
        refused += 1
        for command in COMMANDS:
            argv = [part.format(tmp=tmp_path) for part in command]
            code = main([*argv[:2], "--profile", str(folder), *argv[2:]] if command[0] == "report"
                        else [argv[0], "--profile", str(folder), *argv[1:]])
            out = capsys.readouterr()
            assert code in (1, 2), (page, command, code, out.err)
            assert "Traceback" not in out.err and "damaged" in out.err, (page, command, out.err)
            exits[command[0]].add(code)
        unchanged += _digest(folder / "diogel.db") == before
        assert sorted(p.name for p in (folder / "backups").glob("*.db")) == \
            sorted(p.name for p in (good / "backups").glob("*.db")), "no backup is taken of a damaged file"
        shutil.rmtree(folder)
    assert (refused, unchanged) == (POSITIONS, POSITIONS)
    assert exits["check"] == {1} and all(codes == {2} for name, codes in exits.items() if name != "check")


def test_restore_puts_the_newest_good_backup_in_place_and_keeps_the_damaged_file(demo: Path, tmp_path: Path,
                                                                                  capsys, monkeypatch) -> None:
    monkeypatch.setenv("DIOGEL_PASSWORD", PASSWORD)
    folder = _copy(demo, tmp_path / "p")
    assert main(["restore", "--profile", str(folder)]) == 2, "a sound database is not replaced"
    assert "checks out" in capsys.readouterr().err
    Session.sign_in(folder, PASSWORD).close()
    flip(folder / "diogel.db", 7)
    damaged = _digest(folder / "diogel.db")
    assert main(["restore", "--profile", str(folder)]) == 0
    kept = list(folder.glob("diogel.db.damaged-*"))
    assert len(kept) == 1 and _digest(kept[0]) == damaged
    assert main(["check", "--profile", str(folder)]) == 0


def test_a_missing_or_empty_database_is_never_made_or_written(demo: Path, tmp_path: Path, capsys,
                                                               monkeypatch) -> None:
    monkeypatch.setenv("DIOGEL_PASSWORD", PASSWORD)
    empty = _copy(demo, tmp_path / "empty")
    (empty / "diogel.db").write_bytes(b"")
    with pytest.raises(DatabaseDamaged, match="empty"):
        Session.sign_in(empty, PASSWORD)
    for command in (["due", "--json"], ["check"], ["export"]):
        assert main([command[0], "--profile", str(empty), *command[1:]]) in (1, 2)
        err = capsys.readouterr().err
        assert "empty" in err and "Traceback" not in err and "no signed-in person" not in err
    assert (empty / "diogel.db").stat().st_size == 0, "the empty file is left as it is"

    missing = _copy(demo, tmp_path / "missing")
    (missing / "diogel.db").unlink()
    with pytest.raises(DatabaseDamaged, match="missing"):
        Session.sign_in(missing, PASSWORD)
    assert main(["check", "--profile", str(missing)]) == 1
    assert "missing" in capsys.readouterr().err
    assert main(["due", "--profile", str(missing), "--json"]) == 2
    assert not (missing / "diogel.db").exists(), "nothing is created in its place"


def test_a_backup_is_checked_before_it_is_kept(demo: Path, tmp_path: Path) -> None:
    """A page damaged on disk after sign-in (the file went bad under us) is copied as it is; the copy
    fails its check and is not kept, and no partial file is left."""
    folder = _copy(demo, tmp_path / "p")
    session = Session.sign_in(folder, PASSWORD, backup=False)
    try:
        flip(folder / "diogel.db", 12)  # a page the sign-in record (in the WAL) does not touch
        assert session.profile.daily_backup(session.store) is None
        assert list((folder / "backups").glob("daily-*")) == []
    finally:
        session.store.close()


def test_sign_ins_on_a_damaged_file_never_replace_the_good_backups(demo: Path, tmp_path: Path) -> None:
    """What went wrong before: each sign-in copied the damaged file over the backups until none was
    good. Now three good days of backups, then damage, then nine more days of trying: the three stay,
    each with its key file, and the newest is the one on offer."""
    folder = _copy(demo, tmp_path / "p")
    clock = FixedClock(datetime(2026, 11, 2, 9, 0, tzinfo=UTC))
    for _ in range(3):
        Session.sign_in(folder, PASSWORD, clock=clock).close()
        clock.moment += timedelta(days=1)
    good = sorted(p.name for p in (folder / "backups").glob("daily-*.db"))
    assert good == ["daily-20261102.db", "daily-20261103.db", "daily-20261104.db"]
    flip(folder / "diogel.db", 30)
    for _ in range(9):
        with pytest.raises(DatabaseDamaged) as err:
            Session.sign_in(folder, PASSWORD, clock=clock)
        clock.moment += timedelta(days=1)
    assert sorted(p.name for p in (folder / "backups").glob("daily-*.db")) == good
    assert err.value.backup is not None and err.value.backup.name == "daily-20261104.db"
    assert all((folder / "backups" / n.replace(".db", ".key.json")).exists() for n in good)


def test_pruning_keeps_a_week_and_never_the_newest_good_backup(demo: Path, tmp_path: Path) -> None:
    folder = _copy(demo, tmp_path / "p")
    clock = FixedClock(datetime(2026, 11, 2, 9, 0, tzinfo=UTC))
    for _ in range(KEEP_BACKUPS + 2):
        Session.sign_in(folder, PASSWORD, clock=clock).close()
        clock.moment += timedelta(days=1)
    dailies = sorted((folder / "backups").glob("daily-*.db"))
    assert len(dailies) == KEEP_BACKUPS and dailies[0].name == "daily-20261104.db"
    profile = Profile.open(folder)
    key = profile.unlock(PASSWORD)
    assert all(not check_database(d, key) for d in dailies)
    # Backups from before they were checked (no key file) do not count as good: the newest that does
    # survives however many unchecked ones are newer.
    for d in dailies[1:]:
        d.with_name(d.name.replace(".db", ".key.json")).unlink()
    for day in range(10, 20):
        shutil.copyfile(dailies[1], folder / "backups" / f"daily-202612{day}.db")
    profile._prune_dailies()  # noqa: SLF001
    assert dailies[0].exists(), "the newest backup known to be good is kept"


FULL_DISK_SCRIPT = """
import json, os, shutil, sys
from pathlib import Path
from desktop.errors import StoreError
from desktop.services.persons import PersonService
from desktop.services.session import Session
mount, source, password = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
folder = mount / "profile"
shutil.copytree(source, folder)
try:  # fill the disk to the last byte
    with open(mount / "filler", "wb") as fh:
        while True:
            fh.write(b"x" * 4096)
            fh.flush()
except OSError:
    pass
s = Session.sign_in(folder, password)
out = {"read_only": s.read_only.message() if s.read_only else None,
       "people": len(s.store.rows("SELECT id FROM person"))}
try:
    PersonService(s).create({"family_name": "After"})
    out["write"] = "saved"
except StoreError as exc:
    out["write"] = exc.message()
s.close()
print(json.dumps(out))
"""


def _run_on_a_full_disk(profile: Path, tmp_path: Path) -> subprocess.CompletedProcess:
    """Run :data:`FULL_DISK_SCRIPT` on a real, small tmpfs (its own mount namespace: as root, or as a
    user through a user namespace), so the disk really answers ENOSPC."""
    mount = tmp_path / "small-disk"
    mount.mkdir()
    inner = (f"mount -t tmpfs -o size=6m tmpfs {shlex.quote(str(mount))} && "
             f"{shlex.quote(sys.executable)} -c {shlex.quote(FULL_DISK_SCRIPT)} {shlex.quote(str(mount))} "
             f"{shlex.quote(str(profile))} {shlex.quote(PASSWORD)}")
    unshare = shutil.which("unshare")
    if unshare is None:
        pytest.skip("no unshare(1): cannot make a small disk to fill")
    flags = ["--mount"] if os.geteuid() == 0 else ["--user", "--map-root-user", "--mount"]
    result = subprocess.run([unshare, *flags, "sh", "-c", inner], capture_output=True, text=True, timeout=120,
                            cwd=Path(__file__).resolve().parent.parent)
    if result.returncode != 0 and "mount" in result.stderr and "ermission" in result.stderr:
        pytest.skip(f"cannot mount a small disk here: {result.stderr.strip()}")
    return result


def test_disk_full_at_sign_in_opens_read_only_with_a_clear_message(tmp_path: Path) -> None:
    """On a disk with no byte free, sign-in opens the cases read-only and says why, instead of 'tell the
    helpdesk: OperationalError'; a write is refused with the same reason; nothing is damaged."""
    s = Session.create_profile(tmp_path / "source", given_names="Rhian", family_name="Evans",
                               role="social_worker", team_name="Tîm", password=PASSWORD, kdf=fast_kdf())
    PersonService(s).create({"family_name": "Before"})
    s.close()
    result = _run_on_a_full_disk(tmp_path / "source", tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    out = json.loads(result.stdout.strip().splitlines()[-1])
    assert out["read_only"] and "disk is full" in out["read_only"] and "read-only" in out["read_only"]
    assert out["people"] == 1
    assert "read-only" in out["write"]
