"""The command line contract: spellings, exit codes, password handling, export/import round trip."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from desktop import __version__

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "demo-password-123"


def diogel(*args: str, password: str | None = PASSWORD, stdin: str | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "DIOGEL_PASSWORD"}
    if password is not None:
        env["DIOGEL_PASSWORD"] = password
    return subprocess.run([sys.executable, "-m", "desktop", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, input=stdin, timeout=300)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("cli") / "demo"
    result = diogel("demo", "--profile", str(folder))
    assert result.returncode == 0, result.stderr
    return folder


def test_version() -> None:
    result = diogel("--version", password=None)
    assert result.returncode == 0 and result.stdout.strip() == f"Diogel {__version__}"


def test_demo_profile_has_every_kind_of_case_and_both_languages(demo: Path) -> None:
    result = diogel("export", "--profile", str(demo))
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    types = {row["case_type"] for row in data["tables"]["case_file"]}
    assert types == {"child_protection", "child_in_need", "looked_after", "adult_at_risk"}
    languages = {row["correspondence_language"] for row in data["tables"]["person"]}
    assert {"cy", "en", "unknown"} <= languages
    assert PASSWORD not in result.stdout and PASSWORD not in result.stderr


def test_export_import_round_trip_loses_nothing(demo: Path, tmp_path: Path) -> None:
    first = diogel("export", "--profile", str(demo))
    export_file = tmp_path / "export.json"
    export_file.write_text(first.stdout, "utf-8")
    imported = diogel("import", "--profile", str(tmp_path / "copy"), str(export_file))
    assert imported.returncode == 0, imported.stderr
    second = json.loads(diogel("export", "--profile", str(tmp_path / "copy")).stdout)
    a = json.loads(first.stdout)
    for table, rows in a["tables"].items():
        if table == "meta":
            assert [r for r in rows if r["key"] != "device_id"] == [r for r in second["tables"][table] if r["key"] != "device_id"]
        elif table == "audit":
            assert second["tables"][table][: len(rows)] == rows, "the imported audit chain is kept verbatim"
            assert second["tables"][table][len(rows)]["action"] == "import"
        else:
            assert second["tables"][table] == rows, table
    assert diogel("check", "--profile", str(tmp_path / "copy")).returncode == 0
    # Tables that triggers derive (latest visit dates per child) are rebuilt, not copied.
    from desktop.services.session import Session

    derived = []
    for folder in (demo, tmp_path / "copy"):
        s = Session.sign_in(folder, PASSWORD, backup=False)
        derived.append(s.store.rows("SELECT * FROM cp_latest_visit ORDER BY 1"))
        s.close()
    assert derived[0] and derived[0] == derived[1]


def test_import_refuses_an_existing_profile_and_a_foreign_file(demo: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "something-else"}', "utf-8")
    result = diogel("import", "--profile", str(tmp_path / "new"), str(bad))
    assert result.returncode == 2 and "not a Diogel export" in result.stderr
    assert not (tmp_path / "new").exists(), "nothing half-made is left behind"
    result = diogel("import", "--profile", str(demo), str(bad))
    assert result.returncode == 2


def test_check_passes_on_a_sound_profile_and_fails_on_a_broken_chain(demo: Path, tmp_path: Path) -> None:
    ok = diogel("check", "--profile", str(demo))
    assert ok.returncode == 0, ok.stderr
    assert "Audit chain" in ok.stdout
    # Break the chain in a copy, as someone with the key and a SQL shell might.
    copy = tmp_path / "broken"
    subprocess.run(["cp", "-r", str(demo), str(copy)], check=True)
    from desktop.store.database import connect
    from desktop.store.profile import Profile

    key = Profile.open(copy).unlock(PASSWORD)
    db = connect(copy / "diogel.db", key)
    db.execute("DROP TRIGGER audit_no_update")
    db.execute("UPDATE audit SET actor = 'forger' WHERE seq = 3")
    db.conn.close()
    broken = diogel("check", "--profile", str(copy))
    assert broken.returncode == 1
    assert "Audit chain broken at entry 3" in broken.stderr


def test_errors_go_to_stderr_with_an_actionable_message(demo: Path, tmp_path: Path) -> None:
    no_password = diogel("export", "--profile", str(demo), password=None)
    assert no_password.returncode == 2
    assert "DIOGEL_PASSWORD" in no_password.stderr and no_password.stdout == ""
    wrong = diogel("export", "--profile", str(demo), password="not the password")
    assert wrong.returncode == 2 and "password is not right" in wrong.stderr
    assert "not the password" not in wrong.stderr, "passwords are never echoed"
    missing = diogel("check", "--profile", str(tmp_path / "nowhere"))
    assert missing.returncode == 2 and "no Diogel profile" in missing.stderr


def test_password_file_and_welsh_messages(demo: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret"
    secret.write_text(PASSWORD + "\n", "utf-8")
    assert diogel("check", "--profile", str(demo), "--password-file", str(secret), password=None).returncode == 0
    env_cy = {**os.environ, "DIOGEL_LANG": "cy"}
    env_cy.pop("DIOGEL_PASSWORD", None)
    result = subprocess.run([sys.executable, "-m", "desktop", "check", "--profile", str(tmp_path / "nowhere")],
                            cwd=ROOT, env=env_cy, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and "no Diogel profile" not in result.stderr


def test_selfcheck() -> None:
    result = diogel("selfcheck", password=None)
    assert result.returncode == 0, result.stdout + result.stderr


def test_gui_without_a_display_says_so() -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    result = subprocess.run([sys.executable, "-m", "desktop"], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 2 and "no display" in result.stderr
