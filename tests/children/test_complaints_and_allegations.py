"""Complaints (K1–K3, SI 2014/1794) and allegations against practitioners (A10, WSP s5) recorded on a
case, so their rules fire in "My work". Before issue 18 there was nowhere to record either, so K1–K3
could never fire and A10 did not exist."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from desktop.errors import ValidationError
from desktop.services.allegations import AllegationService
from desktop.services.complaints import ComplaintService
from desktop.services.my_work import MyWorkService


def rules(w: Any, on: str, population: str) -> dict[str, Any]:
    w.clock.day = date.fromisoformat(on)
    return {i.rule_id: i for i in MyWorkService(w.sw).all_items(w.clock.day) if i.population == population}


def test_a_complaint_runs_through_k1_k2_and_k3(world: Any) -> None:
    w, ids = world, world.ids
    w.clock.day = date(2026, 12, 24)
    service = ComplaintService(w.sw)
    complaint = service.record(ids["case"], complainant_name="Nia Pritchard", complainant_relationship="mother",
                               person_id=ids["elis"], received_on="2026-12-24", channel="oral",
                               about="Visits were cancelled without notice.")
    k1 = rules(w, "2026-12-29", "complaint")["K1"]
    assert (k1.due, k1.status, k1.person_name) == (date(2026, 12, 30), "due_this_week", "Elis Pritchard")
    assert k1.action == "update_complaint"
    assert rules(w, "2026-12-31", "complaint")["K1"].status == "overdue"
    service.update(complaint["id"], acknowledged_on="2026-12-30")
    k2a = rules(w, "2026-12-31", "complaint")
    assert "K1" not in k2a and k2a["K2a"].due == date(2027, 1, 14)  # 10 working days over New Year
    w.clock.day = date(2027, 1, 12)
    service.update(complaint["id"], discussed_on="2027-01-12")
    assert rules(w, "2027-01-12", "complaint")["K2b"].due == date(2027, 1, 19)
    w.clock.day = date(2027, 1, 18)
    service.update(complaint["id"], resolution_sent_on="2027-01-18")
    assert rules(w, "2027-01-18", "complaint") == {}
    w.clock.day = date(2027, 1, 25)
    service.update(complaint["id"], stage2_requested_on="2027-01-25")
    k3 = rules(w, "2027-01-25", "complaint")["K3"]
    assert k3.due == date(2027, 3, 1)
    assert service.for_case(ids["case"])[0]["stage"] == "formal_investigation"
    w.clock.day = date(2027, 2, 26)
    closed = service.update(complaint["id"], stage2_response_sent_on="2027-02-26", outcome="partly_upheld",
                            closed_on="2027-02-26")
    assert closed["stage"] == "closed" and rules(w, "2027-02-26", "complaint") == {}
    audit = w.sw.store.rows("SELECT action, count(*) AS n FROM audit WHERE entity = 'complaint' GROUP BY action")
    assert {r["action"]: r["n"] for r in audit} == {"insert": 1, "update": 5, "read": 1}  # reads are audited too


def test_complaint_refusals_name_the_field(world: Any) -> None:
    w, ids = world, world.ids
    w.clock.day = date(2026, 12, 1)
    service = ComplaintService(w.sw)
    for kwargs, field in (({"complainant_name": ""}, "complainant_name"), ({"channel": "pigeon"}, "channel"),
                          ({"about": " "}, "about"), ({"received_on": "2026-12-02"}, "received_on")):
        args = {"complainant_name": "Nia Pritchard", "received_on": "2026-12-01", "channel": "written",
                "about": "Letters in English only.", **kwargs}
        with pytest.raises(ValidationError) as err:
            service.record(ids["case"], **args)
        assert err.value.field == field
    complaint = service.record(ids["case"], complainant_name="Nia Pritchard", received_on="2026-11-30",
                               channel="written", about="Letters in English only.")
    with pytest.raises(ValidationError) as err:
        service.update(complaint["id"], discussed_on="2026-12-01")  # before it was acknowledged
    assert err.value.field == "discussed_on"
    with pytest.raises(ValidationError) as err:
        service.update(complaint["id"], outcome="upheld")  # an outcome without a closing date
    assert err.value.field == "closed_on"
    assert w.count("complaint") == 1


def test_the_designated_officer_is_told_of_an_allegation_by_the_next_working_day(world: Any) -> None:
    w, ids = world, world.ids
    w.clock.day = date(2026, 12, 24)
    service = AllegationService(w.sw)
    allegation = service.record(ids["case"], practitioner_name="A. Driver", arisen_on="2026-12-24",
                                summary="A taxi driver taking Elis to school shouted at him.",
                                person_id=ids["elis"])
    a10 = rules(w, "2026-12-29", "allegation")["A10"]
    assert (a10.due, a10.status, a10.person_name) == (date(2026, 12, 29), "due_today", "A. Driver")
    w.clock.day = date(2026, 12, 30)
    assert rules(w, "2026-12-30", "allegation")["A10"].days_overdue == 1
    service.lado_informed(allegation["id"], on="2026-12-30")
    assert rules(w, "2026-12-30", "allegation") == {}
    with pytest.raises(ValidationError):
        service.lado_informed(allegation["id"], on="2026-12-20")
