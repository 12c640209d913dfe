"""Shared with children's work: ``diogel due --json`` lists adult items from the same engine, with
plain-language reasons; a half-typed adult visit comes back as a draft after signing in again."""

from __future__ import annotations

import json

import pytest

from desktop.cli import main
from desktop.services.drafts import DraftService
from desktop.services.session import Session
from tests.adults.conftest import PASSWORD
from tests.adults.helpers import up_to_strategy


def test_due_json_includes_adult_items(world, capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    up_to_strategy(world)  # strategy meeting Mon 2 Nov 2026, nurse as lead practitioner
    DraftService(world.sw).save("adult_visit", {"visited_on": "2026-11-06", "observations": "Half-typed"},
                                context=world.ids["case"])
    world.sw.close()
    monkeypatch.setenv("DIOGEL_PASSWORD", PASSWORD)
    capsys.readouterr()
    assert main(["due", "--profile", str(world.folder), "--json", "--on", "2026-11-10"], clock=world.clock) == 0
    doc = json.loads(capsys.readouterr().out)
    adult = [i for i in doc["items"] if i["population"] == "adult_at_risk"]
    a3 = next(i for i in adult if i["rule_id"] == "A3")
    assert a3["due"] == "2026-11-09" and a3["status"] == "overdue" and a3["days_overdue"] == 1
    assert a3["reason"] == "Adult not seen after the strategy meeting: 1 working day overdue (due by 9 Nov 2026)"
    assert a3["action"] == "record_adult_visit" and a3["person_name"] == "Margaret Williams"
    assert a3["worker_id"] == world.ids["sw"]  # the lead co-ordinator
    monkeypatch.setenv("DIOGEL_LANG", "cy")
    assert main(["due", "--profile", str(world.folder), "--json", "--on", "2026-11-10"], clock=world.clock) == 0
    doc_cy = json.loads(capsys.readouterr().out)
    assert any(i["rule_id"] == "A3" for i in doc_cy["items"])
    again = Session.sign_in(world.folder, PASSWORD, backup=False, clock=world.clock)
    try:
        assert DraftService(again).load("adult_visit", world.ids["case"])["observations"] == "Half-typed"
    finally:
        again.close()
