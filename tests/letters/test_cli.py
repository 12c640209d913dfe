"""``diogel letters`` end to end on a copy of the demo profile."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.cli import main
from desktop.services.session import Session
from tests.conftest import demo_clock
from tests.letters.conftest import DEMO_PASSWORD


def test_letters_cli_exports_the_queue_and_marks_it_printed(demo_folder, tmp_path: Path, capsys,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    folder = demo_folder("team_manager")
    # One letter held for want of an address, to see it reported.
    s = Session.sign_in(folder, DEMO_PASSWORD, backup=False, clock=demo_clock())
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
        # The invitations to the demo's conferences, all held by now, are held too (the event has passed).
        past = s.store.rows("SELECT count(*) AS n FROM letter WHERE template_id IN ('N8', 'N11')"
                            " AND json_extract(data, '$.conference_date') < ?", [s.today().isoformat()])[0]["n"]
        assert past > 0
        total -= past
        outline_plan_cases = {r["reference"] for r in s.store.rows(
            "SELECT DISTINCT c.reference FROM letter l JOIN case_file c ON c.id = l.case_id WHERE l.template_id = 'N9'")}
    finally:
        s.close()
    monkeypatch.setenv("DIOGEL_PASSWORD", DEMO_PASSWORD)
    out = tmp_path / "out"
    assert main(["letters", "--profile", str(folder), "--out", str(out), "--dry-run"], clock=demo_clock()) == 0
    assert "Nia Ddigyfeiriad" in capsys.readouterr().out
    assert main(["letters", "--profile", str(folder), "--out", str(out)], clock=demo_clock()) == 0
    printed = capsys.readouterr().out
    files = sorted(out.glob("*.pdf"))
    assert len(files) == total
    assert f"{total} letters exported" in printed
    assert f"{past + 1} letters held" in printed and "Nia Ddigyfeiriad" in printed and "address" in printed
    assert all(f.read_bytes().startswith(b"%PDF") for f in files)
    # Named <case reference>_<template>_…: the outline plan letters of the cases that have them.
    assert outline_plan_cases
    assert {ref for ref in outline_plan_cases
            if any(f.name.startswith(f"{ref}_n9_outline_plan_") for f in files)} == outline_plan_cases

    s = Session.sign_in(folder, DEMO_PASSWORD, backup=False, clock=demo_clock())
    try:
        rows = s.store.rows("SELECT status, printed_by FROM letter")
        assert sum(r["status"] == "printed" for r in rows) == total
        assert {r["printed_by"] for r in rows if r["status"] == "printed"} == {s.user.id}
    finally:
        s.close()
    # Nothing left to export; still not an error.
    assert main(["letters", "--profile", str(folder), "--out", str(tmp_path / "again")], clock=demo_clock()) == 0
    assert "0 letters exported" in capsys.readouterr().out


def test_letters_cli_refuses_a_social_worker(demo_folder, tmp_path: Path, capsys,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DIOGEL_PASSWORD", DEMO_PASSWORD)
    assert main(["letters", "--profile", str(demo_folder("social_worker")), "--out", str(tmp_path / "o")], clock=demo_clock()) == 2
    assert "cannot print" in capsys.readouterr().err
