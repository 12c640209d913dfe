"""``diogel letters`` end to end on a copy of the demo profile."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.cli import main
from desktop.services.session import Session
from tests.letters.conftest import DEMO_PASSWORD


def test_letters_cli_exports_the_queue_and_marks_it_printed(demo_folder, tmp_path: Path, capsys,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    folder = demo_folder("team_manager")
    # One letter held for want of an address, to see it reported.
    s = Session.sign_in(folder, DEMO_PASSWORD, backup=False)
    try:
        from desktop.services.correspondence import queue_letter
        from desktop.services.persons import PersonService

        case = s.store.rows("SELECT id FROM case_file WHERE case_type = 'child_protection' LIMIT 1")[0]["id"]
        p = PersonService(s).create({"given_names": "Nia", "family_name": "Ddigyfeiriad"}, case_id=case,
                                    case_role="parent")
        s.write(lambda tx: queue_letter(tx, case_id=case, template_id="N19", recipient_kind="person",
                                        recipient_id=p["id"], data={"audience": "family"}))
        # Stored statuses are brought up to date by the queue's re-check; the new letter stays held.
        total = s.store.rows("SELECT count(*) AS n FROM letter WHERE status IN ('queued', 'held')")[0]["n"] - 1
    finally:
        s.close()
    monkeypatch.setenv("DIOGEL_PASSWORD", DEMO_PASSWORD)
    out = tmp_path / "out"
    assert main(["letters", "--profile", str(folder), "--out", str(out), "--dry-run"]) == 0
    assert "Nia Ddigyfeiriad" in capsys.readouterr().out
    assert main(["letters", "--profile", str(folder), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    files = sorted(out.glob("*.pdf"))
    assert len(files) == total
    assert f"{total} letters exported" in printed
    assert "1 letter held" in printed and "Nia Ddigyfeiriad" in printed and "address" in printed
    assert all(f.read_bytes().startswith(b"%PDF") for f in files)
    assert any("n9_outline_plan" in f.name and f.name.startswith("2026-") for f in files)

    s = Session.sign_in(folder, DEMO_PASSWORD, backup=False)
    try:
        rows = s.store.rows("SELECT status, printed_by FROM letter")
        assert sum(r["status"] == "printed" for r in rows) == total
        assert {r["printed_by"] for r in rows if r["status"] == "printed"} == {s.user.id}
    finally:
        s.close()
    # Nothing left to export; still not an error.
    assert main(["letters", "--profile", str(folder), "--out", str(tmp_path / "again")]) == 0
    assert "0 letters exported" in capsys.readouterr().out


def test_letters_cli_refuses_a_social_worker(demo_folder, tmp_path: Path, capsys,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DIOGEL_PASSWORD", DEMO_PASSWORD)
    assert main(["letters", "--profile", str(demo_folder("social_worker")), "--out", str(tmp_path / "o")]) == 2
    assert "cannot print" in capsys.readouterr().err
