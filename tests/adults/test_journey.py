"""One adult's whole journey, report to closure, through the real services and an encrypted store:
the due items at each step (A1, A2, A3, A4 with a stricter strategy-group frequency, A5, A7), the
letters queued (N2, N16, N17), audit entries, and closure by the lead co-ordinator only."""

from __future__ import annotations

import json
from datetime import date

import pytest

from desktop.errors import PermissionDenied
from desktop.services.adults import (
    ClosureService,
    ConferenceService,
    EnquiryService,
    LeadPractitionerService,
    PartnershipService,
    PlanService,
    VisitService,
)
from desktop.services.cases import CaseService
from desktop.services.my_work import MyWorkService
from tests.adults.helpers import appoint, due, engine_items, report_and_screen, strategy


def audit_actions(w, entity: str) -> list[str]:
    return [r["action"] for r in w.sw.store.rows(
        "SELECT action FROM audit WHERE entity = ? AND case_id = ? ORDER BY seq", [entity, w.ids["case"]])]


def letters(w, notification: str, audience: str) -> list[dict]:
    rows = w.sw.store.rows("SELECT * FROM letter WHERE case_id = ? AND template_id = ? ORDER BY created_at",
                           [w.ids["case"], notification])
    return [r for r in rows if json.loads(r["data"])["audience"] == audience]


def test_whole_journey_report_to_closure(world) -> None:
    w, ids = world, world.ids

    # -- report (Mon 2 Nov): A1, 7 working days from receipt ----------------------------------
    screened = report_and_screen(w)
    assert screened["screening_decision"] == "enquiries" and screened["enquiry"]["started_on"] == "2026-11-02"
    assert audit_actions(w, "adult_report") == ["insert", "update"]
    items = due(w)
    assert set(items) == {"A1"}
    assert items["A1"].due == date(2026, 11, 11) and items["A1"].status == "upcoming"
    assert items["A1"].reason == "Section 126 enquiries to be completed by 11 Nov 2026"
    assert items["A1"].population == "adult_at_risk" and items["A1"].action == "conclude_adult_enquiry"
    appointed = appoint(w)
    assert appointed["scw_registered"] is True

    # -- Thu 12 Nov: A1 overdue; enquiries concluded (determination 3) -> A2 from the end ------
    w.on("2026-11-12")
    items = due(w)
    assert items["A1"].status == "overdue" and items["A1"].days_overdue == 1
    assert items["A1"].reason == "Section 126 enquiries overdue by 1 working day (due by 11 Nov 2026)"
    mine = MyWorkService(w.sw).view()
    assert [i.rule_id for i in mine.overdue] == ["A1"]  # the lead co-ordinator's own work
    EnquiryService(w.sw).conclude(screened["enquiry"]["id"], concluded_on="2026-11-12", determination="3",
                                  reason="Financial abuse by her son; she remains at risk.")
    items = due(w)
    assert set(items) == {"A2"}
    assert items["A2"].due == date(2026, 11, 23) and items["A2"].severity == "must"

    # -- Fri 20 Nov: strategy meeting, chaired by the lead co-ordinator -------------------------
    w.on("2026-11-20")
    meeting = strategy(w, "2026-11-20", visit_every=2, visit_unit="weeks", imca_required=True,
                       advocate_type="imca", advocate_response="accepted", advocate_provider="Advocacy West Wales")
    assert meeting["chair_id"] == ids["sw"] and meeting["escalation"] is None and meeting["letters"] == []
    assert meeting["lead_practitioner_contact"] == "01970 000000"  # the nurse's phone, recorded
    assert meeting["advocacy"]["advocate_type"] == "imca" and meeting["advocacy"]["response"] == "accepted"
    assert len(meeting["members"]) == 3
    key = CaseService(w.sw).open(ids["case"]).key_people
    assert {(k["role"], k["practitioner_id"]) for k in key} >= {("lead_practitioner", ids["nurse"]),
                                                                ("lead_coordinator", ids["sw"])}
    items = due(w)
    assert "A2" not in items
    assert items["A3"].due == date(2026, 11, 27)  # 5 working days after the meeting
    plan = PlanService(w.sw).start(ids["case"], started_on="2026-11-20", strategy_id=meeting["id"],
                                   summary="Keep Margaret's money safe; daily care.")
    outcome = PlanService(w.sw).add_outcome(plan["id"], description="Margaret controls her own money",
                                            measure="Bank statements reviewed with her monthly")
    PlanService(w.sw).add_action(plan["id"], outcome_id=outcome["id"], description="Set up a new bank card",
                                 owner_kind="person", owner_id=ids["margaret"], due_on="2026-12-04")
    items = due(w)
    # A4 at the strategy group's 2 weeks (stricter than 4), A5 at 6 weeks.
    assert items["A4"].due == date(2026, 12, 4)
    raw = engine_items(w)["A4"]
    assert raw.case_override is True and (raw.offset, raw.unit) == (2, "weeks")
    assert items["A5"].due == date(2027, 1, 1)

    # -- Mon 30 Nov: A3 overdue, then the visit ------------------------------------------------
    w.on("2026-11-30")
    items = due(w)
    assert items["A3"].status == "overdue" and items["A3"].days_overdue == 1
    visit = VisitService(w.sw).record(ids["case"], visited_on="2026-11-30", location="home", seen=True,
                                      offered_alone=True, seen_alone=True, visitor_id=ids["sw"],
                                      wishes_feelings="Wants to stay at home; wants Kevin to visit but not "
                                                      "handle money.")
    assert visit["seen_alone"] == 1
    assert audit_actions(w, "adult_visit") == ["insert"]
    items = due(w)
    assert "A3" not in items
    assert items["A4"].due == date(2026, 12, 14) and items["A4"].status == "upcoming"
    PartnershipService(w.sw).record(ids["case"], recorded_on="2026-11-30", understands_rationale=True,
                                    agrees_to_plan=False, regular_contact="Weekly visits by the lead practitioner",
                                    told_may_change_mind=True, complaints_explained=True,
                                    complaints_how="Leaflet in English; phone number explained")

    # -- Tue 1 Dec: change of lead practitioner (N2) --------------------------------------------
    w.on("2026-12-01")
    change = LeadPractitionerService(w.sw).change(
        ids["case"], new_id=ids["nurse2"], effective_on="2026-12-01", verbal_on="2026-12-01",
        verbal_to=["Bwrdd Iechyd Hywel Dda", "Heddlu Dyfed-Powys", "Margaret Williams", "Kevin Williams"],
        reason="Alun moves to another team")
    agency_letters = letters(w, "N2", "agency")
    assert {r["recipient_id"] for r in agency_letters} == {ids["ss"], ids["health"], ids["police"]}
    assert [r["recipient_id"] for r in letters(w, "N2", "adult")] == [ids["margaret"]]
    assert [r["recipient_id"] for r in letters(w, "N2", "family")] == [ids["kevin"]]
    assert len(change["letters"]) == 5
    data = json.loads(agency_letters[0]["data"])
    assert data["previous_practitioner"] == "Alun Jones" and data["new_practitioner"] == "Mair Owen"
    assert data["adult_name"] == "Margaret Williams" and data["lead_coordinator"] == "Owain Thomas"
    assert {r["language"] for r in agency_letters} == {"cy", "bilingual"}
    assert letters(w, "N2", "adult")[0]["language"] == "en"

    # -- adult protection conference on Thu 10 Dec: A7 (reports 2 working days before) -----------
    conf = ConferenceService(w.sw).convene(ids["case"], scheduled_on="2026-12-10",
                                           agency_ids=[ids["health"], ids["police"]])
    items = due(w)
    assert items["A7"].due == date(2026, 12, 8) and engine_items(w)["A7"].scheduled == date(2026, 12, 10)
    assert items["A7"].reason == "Agency reports for the conference on 10 Dec 2026 due to the chair by 8 Dec 2026"
    w.on("2026-12-09")
    items = due(w)
    assert items["A7"].status == "overdue" and items["A7"].days_overdue == 1
    ConferenceService(w.sw).report_received(conf["id"], ids["health"], received_on="2026-12-07")
    assert "A7" in due(w)  # the police report is still missing
    ConferenceService(w.sw).report_received(conf["id"], ids["police"], received_on="2026-12-09")
    assert "A7" not in due(w)
    w.on("2026-12-10")
    held = ConferenceService(w.sw).hold(
        conf["id"], held_on="2026-12-10", participation="refused",
        refusal_reason="Margaret did not want to meet in a group.",
        outcome_summary="The plan continues; Kevin no longer manages her money.",
        decisions=["Plan continues", "Bank card replaced"], support_offered=["Independent advocate", "Daily carers"])
    n16 = letters(w, "N16", "adult")
    assert [r["recipient_id"] for r in n16] == [ids["margaret"]] and held["letters"][0]["id"] == n16[0]["id"]
    n16_data = json.loads(n16[0]["data"])
    assert n16_data["strategy_meeting_date"] == "2026-11-20" and n16_data["decisions"] == ["Plan continues",
                                                                                             "Bank card replaced"]
    assert n16_data["lead_coordinator"] == "Owain Thomas" and n16[0]["status"] == "queued"

    # -- Mon 4 Jan 2027: A5 and A4 overdue; the review -----------------------------------------
    w.on("2027-01-04")
    items = due(w)
    assert items["A5"].status == "overdue"
    assert items["A5"].reason == "Care and support protection plan not reviewed for 45 days (due by 1 Jan 2027)"
    assert items["A4"].status == "overdue" and items["A4"].due == date(2026, 12, 14)
    PlanService(w.sw).review(plan["id"], reviewed_on="2027-01-04", outcome="continue",
                             progress="Money safe; carers daily.")
    assert due(w)["A5"].due == date(2027, 2, 15)

    # -- closure: anyone but the lead co-ordinator refused; then closed, every agency told (N17) --
    for who in ("sw2", "tm", "sm"):
        with pytest.raises(PermissionDenied):
            ClosureService(w.as_(who)).close(ids["case"], closed_on="2027-01-04", reasons="Outcomes achieved",
                                             decided_with="strategy_group")
    assert w.count("adult_closure") == 0
    closure = ClosureService(w.sw).close(ids["case"], closed_on="2027-01-04", decided_with="strategy_group",
                                         reasons="Outcomes achieved: Margaret controls her money; carers in place.")
    n17 = letters(w, "N17", "agency")
    assert {r["recipient_id"] for r in n17} == {ids["ss"], ids["health"], ids["police"]}
    assert set(json.loads(closure["agencies_notified"])) == {ids["ss"], ids["health"], ids["police"]}
    assert [r["recipient_id"] for r in letters(w, "N17", "adult")] == [ids["margaret"]]
    case = w.sw.store.rows("SELECT closed_on, close_reason FROM case_file WHERE id = ?", [ids["case"]])[0]
    assert case["closed_on"] == "2027-01-04"
    assert due(w) == {}
    assert "insert" in audit_actions(w, "adult_closure") and "update" in audit_actions(w, "case_file")
    # No escalation on this journey: a lead practitioner was named.
    assert w.count("escalation") == 0
    # Every write went to the outbox with its audit entry.
    assert w.sw.store.rows("SELECT count(*) AS n FROM outbox WHERE entity = 'adult_visit'")[0]["n"] == 1
