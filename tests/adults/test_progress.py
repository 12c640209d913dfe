"""Where an adult's case is, in one audited read; an offer of an advocate answered on the spot is one
transaction: a bad answer writes nothing, not even the offer."""

from __future__ import annotations

import pytest

from desktop.errors import ValidationError
from desktop.services.adults import (
    AdvocacyService,
    ClosureService,
    ConferenceService,
    CoordinatorService,
    EnquiryService,
    PlanService,
    ProgressService,
)
from tests.adults.helpers import appoint, report_and_screen, strategy


def test_progress_follows_the_journey(world) -> None:
    w = world
    service = ProgressService(w.sw)
    empty = service.progress(w.ids["case"])
    assert empty.reports == () and empty.lead_coordinator is None and not empty.unscreened
    assert empty.closed_on is None and not empty.conference_waiting and empty.advocacy_awaiting == 0

    out = report_and_screen(w)
    appoint(w)
    now = service.progress(w.ids["case"])
    assert [r.screening_decision for r in now.reports] == ["enquiries"] and not now.unscreened
    assert now.enquiries_open and now.lead_coordinator == "Owain Thomas"
    EnquiryService(w.sw).conclude(out["enquiry"]["id"], concluded_on="2026-11-02", determination="3",
                                  reason="At risk.")
    strategy(w, "2026-11-02", advocate_response="awaiting")
    CoordinatorService(w.sw).delegate(
        w.ids["case"], delegate_id=w.ids["health_lead"], delegate_role="Leads on the ward.",
        la_monitor_id=w.ids["tm"], la_monitor_role="Oversight.", rationale="In hospital.",
        reporting_arrangements="Fortnightly.")
    PlanService(w.sw).start(w.ids["case"], started_on="2026-11-02")
    ConferenceService(w.sw).convene(w.ids["case"], scheduled_on="2026-11-20", agency_ids=[w.ids["police"]])
    now = service.progress(w.ids["case"])
    assert not now.enquiries_open and now.enquiries[0].determination == "3"
    assert now.lead_practitioner == "Alun Jones" and now.delegated_lead_coordinator == "Sioned Bowen"
    assert now.plan_started_on == "2026-11-02" and now.conference_waiting and now.advocacy_awaiting == 1

    CoordinatorService(w.sw).end_delegation(w.ids["case"], ended_on="2026-11-02", reason="Home.")
    ClosureService(w.sw).close(w.ids["case"], closed_on="2026-11-02", reasons="Safe.", decided_with="strategy_group")
    closed = service.progress(w.ids["case"])
    assert closed.closed_on == "2026-11-02" and closed.plan_started_on is None
    assert closed.delegated_lead_coordinator is None


def test_progress_is_an_audited_read(world) -> None:
    w = world
    ProgressService(w.sw).progress(w.ids["case"])
    w.sw.write(lambda tx: None)  # the read's audit entry is queued on the writer: wait for it
    entries = w.sw.store.rows("SELECT case_id FROM audit WHERE action = 'read' AND entity = 'adult_progress'")
    assert entries == [{"case_id": w.ids["case"]}]


def test_an_offer_answered_on_the_spot_is_one_transaction(world) -> None:
    w = world
    report_and_screen(w)
    service = AdvocacyService(w.sw)
    before = w.count("adult_advocacy")
    with pytest.raises(ValidationError) as refused:
        service.offer(w.ids["case"], advocate_type="imca", offered_on="2026-11-02", response="accepted",
                      response_on="2026-11-01")
    assert refused.value.field == "response_on"
    with pytest.raises(ValidationError) as refused:
        service.offer(w.ids["case"], advocate_type="imca", offered_on="2026-11-02", response="maybe",
                      response_on="2026-11-02")
    assert refused.value.field == "response"
    assert w.count("adult_advocacy") == before, "a bad answer writes nothing, not even the offer"
    row = service.offer(w.ids["case"], advocate_type="imca", offered_on="2026-11-02", response="declined",
                        response_on="2026-11-02", advocate_name="Eleri Morgan")
    stored = w.sw.store.rows("SELECT response, response_on, advocate_name FROM adult_advocacy WHERE id = ?",
                             [row["id"]])
    assert stored == [{"response": "declined", "response_on": "2026-11-02", "advocate_name": "Eleri Morgan"}]
    plain = service.offer(w.ids["case"], advocate_type="independent", offered_on="2026-11-02")
    assert plain["response"] == "awaiting"
