"""A baby's journey: a Child in Need assessment → a request for an initial child protection
conference → strategy, s47 and registration (the child protection services, same case) → becoming
looked after (the case moves from the CiN team to the CiC team with its history) → placements, one
out of county → a permanent placement while care proceedings are still open → the committee's
permanence figures. Due items and the C21 alignment are checked on the way."""

from __future__ import annotations

import json
from datetime import date

import pytest

from desktop.errors import NotFound
from desktop.services.cases import CaseService
from desktop.services.child_protection import ConferenceService, EnquiryService, StrategyService
from desktop.services.children import (
    ChildInNeedService,
    LookedAfterService,
    PermanenceService,
    PlacementService,
    VoiceService,
    baby_permanence,
    permanence_summary,
)
from desktop.services.children.facts import review_conference_alignment
from desktop.services.my_work import MyWorkService
from desktop.services.persons import PersonService


def active(w, user: str, on: str) -> dict[str, str]:
    """{rule id: status} of the active My work items for the baby, as ``user`` sees them (team view)."""
    items = MyWorkService(w.as_(user)).items(date.fromisoformat(on), mine_only=False)
    return {i.rule_id: i.status for i in items if i.person_id == w.ids["lowri"]}


def test_from_child_in_need_to_a_permanent_home(world):
    w, ids = world, world.ids
    sw, store = w.sw, world.sw.store
    people = PersonService(sw)
    leah = people.create({"given_names": "Leah", "family_name": "Morgan", "date_of_birth": "2007-05-01",
                          "correspondence_language": "en"})
    people.add_address(leah["id"], {"line1": "Fflat 3, Tŷ Glas", "town": "Caerfyrddin", "postcode": "SA31 3QR",
                                    "from_date": "2025-01-01"})
    lowri = people.create({"given_names": "Lowri", "family_name": "Morgan", "date_of_birth": "2026-07-10"})
    case = CaseService(sw).create("child_in_need", subject_ids=[lowri["id"]], opened_on="2026-09-01")["id"]
    CaseService(sw).add_member(case, leah["id"], "parent")
    people.relate(lowri["id"], leah["id"], "mother", parental_responsibility=True, lives_in_household=True)
    sw.write(lambda tx: tx.insert("role_assignment", {"role": "allocated_worker", "practitioner_id": ids["sw"],
                                                      "from_date": "2026-09-01"}, case_id=case))
    ids.update(lowri=lowri["id"], leah=leah["id"], lcase=case)

    # -- Child in Need assessment: the baby seen, her mother and the health visitor spoken to ----------
    w.clock.day = date(2026, 9, 10)
    cin = ChildInNeedService(sw)
    a = cin.start_assessment(case, lowri["id"], started_on="2026-09-02")
    cin.record_contact(a["id"], kind="child", spoken_on="2026-09-03", method="seen at home, observed with mother")
    cin.record_contact(a["id"], kind="family", person_id=leah["id"], spoken_on="2026-09-03")
    cin.record_contact(a["id"], kind="professional", practitioner_id=ids["nurse"], agency_id=ids["health"],
                       spoken_on="2026-09-07", summary="Weight dropping; missed appointments.")
    done = cin.complete_assessment(a["id"], findings="Neglect of a young baby; mother isolated.",
                                   conclusion="icpc_request", need_category="N1", completed_on="2026-09-10")
    assert done["need_category"] == "N1"
    assert [c["kind"] for c in cin.assessment(a["id"])["contacts"]] == ["child", "family", "professional"]

    # -- escalation: request an ICPC; the CP journey starts on the same case --------------------------
    request = cin.request_icpc(case, reason="Significant harm: neglect of a 2-month-old.", assessment_id=a["id"])
    assert store.rows("SELECT case_type, team_id FROM case_file WHERE id = ?", [case])[0] == {
        "case_type": "child_protection", "team_id": ids["cin_team"]}
    StrategyService(sw).record(case, kind="meeting", held_on="2026-09-10", initiate_s47=True,
                               decisions="Section 47 enquiries.", participants=[
                                   {"agency_id": ids["ss"], "practitioner_id": ids["sw"]},
                                   {"agency_id": ids["police"], "practitioner_id": ids["officer"]},
                                   {"agency_id": ids["health"], "practitioner_id": ids["nurse"]}])
    for e in EnquiryService(sw).for_case(case):
        EnquiryService(sw).determine(e["id"], 3, reason="Neglect substantiated.")
    w.clock.day = date(2026, 9, 28)
    conferences = ConferenceService(sw)
    conf = conferences.convene(case, kind="initial", scheduled_on="2026-09-28", chair_id=ids["tm_cin"],
                               invitees=[{"kind": "person", "id": leah["id"]}])
    conferences.hold_initial(conf["id"], held_on="2026-09-28",
                             attendance=[{"agency_id": ids[k], "name": k} for k in ("ss", "police", "health")],
                             decisions=[{"person_id": lowri["id"], "registered": True, "categories": ["neglect"],
                                         "coordinator_id": ids["sw"], "outline_plan": "Daily support",
                                         "first_core_group_on": "2026-10-09", "next_review_on": "2026-12-28",
                                         "core_group": [{"practitioner_id": ids["nurse"]}]}])
    requests = cin.icpc_requests(case)
    assert requests[0]["id"] == request["id"] and requests[0]["conference"]["id"] == conf["id"]

    # -- becoming looked after: ICO; the case moves to the CiC team with its history ------------------
    with pytest.raises(NotFound):
        CaseService(w.as_("tm_cic")).open(case)  # not the CiC team's case yet
    w.clock.day = date(2026, 10, 20)
    cin.start_proceedings(case, lowri["id"], kind="care_proceedings", stage="application_issued",
                          started_on="2026-10-19", court="Llys Teulu Abertawe / Swansea Family Court")
    # The senior manager records it: moving the case between teams is allocation, theirs (as the server says).
    episode = LookedAfterService(w.as_("sm")).become_looked_after(case, lowri["id"], started_on="2026-10-20",
                                                         legal_status="interim_care_order")
    assert episode["team_moved"] is True
    row = store.rows("SELECT case_type, team_id FROM case_file WHERE id = ?", [case])[0]
    assert row == {"case_type": "child_protection", "team_id": ids["cic_team"]}  # registered: type kept
    audit = [json.loads(r["after"]) for r in store.rows(
        "SELECT after FROM audit WHERE entity = 'case_file' AND entity_id = ? AND action = 'update' ORDER BY seq",
        [case])]
    assert {"case_type": "child_protection"} in audit and {"team_id": ids["cic_team"]} in audit
    cic_manager = LookedAfterService(w.as_("tm_cic"))
    history = cic_manager.team_history(case)
    assert [(h["from_case_type"], h["to_case_type"], h["reason"]) for h in history] == [
        ("child_in_need", "child_protection", "icpc_requested"),
        ("child_protection", "child_protection", "became_looked_after")]
    assert history[-1]["from_team_id"] == ids["cin_team"] and history[-1]["to_team_id"] == ids["cic_team"]
    assert cin.assessments(case)[0]["id"] == a["id"]  # the CiN history travels with the case
    cic_manager.change_worker(case, ids["sw_cic"], reason="Transfer to the Children in Care team")
    cic_manager.assign_iro(case, ids["iro"], from_date="2026-10-20")
    workers = VoiceService(w.as_("tm_cic")).worker_changes(case)
    assert [(h["worker_id"], h["previous_id"]) for h in workers["history"]] == [
        (ids["sw"], None), (ids["sw_cic"], ids["sw"])]
    assert workers["changes"] == 1 and workers["history"][0]["to_date"] == "2026-10-20"

    # -- placements: emergency foster in county, then out of county with foster-to-adopt carers -------
    siân = w.as_("sw_cic")
    places = PlacementService(siân)
    first = places.add(case, lowri["id"], placement_type="foster", start_on="2026-10-20",
                       carer_name="Mr and Mrs Lloyd", line1="Y Bwthyn", town="Llandeilo", postcode="SA19 6BB")
    w.clock.day = date(2026, 10, 27)
    places.record_plan(first["id"], prepared_on="2026-10-20", signed_on="2026-10-21", signed_by="Leah Morgan")
    lac = LookedAfterService(siân)
    lac.record_visit(case, lowri["id"], visited_on="2026-10-23", seen=True, location="placement")
    due = active(w, "tm_cic", "2026-10-27")
    assert "L2" not in due and "L3a" not in due
    w.clock.day = date(2026, 11, 4)
    due = active(w, "tm_cic", "2026-11-04")
    assert due["L1"] == "overdue" and due["L11a"] == "overdue"  # due 3 November
    lac.record_care_plan(case, lowri["id"], prepared_on="2026-11-04")
    lac.record_health(case, lowri["id"], kind="gp_registered", on_date="2026-11-04")
    assert "L1" not in active(w, "tm_cic", "2026-11-04")
    w.clock.day = date(2026, 11, 13)
    lac.record_review(case, lowri["id"], held_on="2026-11-13", chair_id=ids["iro"], child_seen_privately=False,
                      child_participation="not_appropriate", next_review_on="2026-12-18",
                      decisions="Plan for adoption; twin-track.")
    # C21: the CP review conference (C12: by 28 December) is timed with the LAC review on 18 December.
    aligned = review_conference_alignment(store, case, lowri["id"], date(2026, 11, 13))
    assert aligned == {"c12_due": date(2026, 12, 28), "lac_review_due": date(2026, 12, 18),
                       "aligned_due": date(2026, 12, 18), "aligned": True}
    # ... and "My work" shows the conference on that date, as the co-ordinator's item (not the LAC one).
    c12 = [i for i in MyWorkService(w.as_("tm_cic")).all_items(date(2026, 11, 13))
           if i.person_id == lowri["id"] and i.rule_id == "C12"]
    assert [(i.due, i.action, i.population) for i in c12] == [
        (date(2026, 12, 18), "hold_review_conference", "child_protection")]

    w.clock.day = date(2026, 11, 16)
    perm = PermanenceService(siân).set_plan(case, lowri["id"], route="adoption", decided_on="2026-11-13",
                                            target_on="2027-06-30")
    moved = places.move(case, lowri["id"], on="2026-11-16", reason="permanence", placement_type="foster",
                        carer_name="Mr and Mrs Powell (foster to adopt)", line1="12 Clifton Road", town="Bristol",
                        postcode="BS8 1AA", host_authority="Bristol City Council", out_of_county=True,
                        permanent_home=True, intended_until_18=True)
    hist = places.history(case, lowri["id"])
    assert [(p["carer_name"], p["end_reason"], p["out_of_county"]) for p in hist] == [
        ("Mr and Mrs Powell (foster to adopt)", None, 1), ("Mr and Mrs Lloyd", "permanence", 0)]
    assert hist[1]["end_on"] == moved["start_on"] == "2026-11-16"
    items = {i.rule_id: i.due for i in MyWorkService(w.as_("tm_cic")).all_items(date(2026, 11, 16))
             if i.person_id == lowri["id"]}
    assert items["L2"] == items["L3a"] == date(2026, 11, 23)  # new placement: its own plan and first visit
    assert items["L11a"] == date(2026, 11, 30)  # and a GP registration for the new placement
    VoiceService(siân).record(case, lowri["id"], kind="life_story", recorded_on="2026-11-16",
                              content="Photographs of Lowri with her mother collected for her life story book.")

    # -- the committee: babies placed in their permanent home within 3 months; proceedings open -------
    figures = baby_permanence(store, date(2026, 10, 1), date(2026, 12, 31))
    assert (figures["babies"], figures["placed_within_3_months"], figures["percent_placed"]) == (1, 1, 100.0)
    assert figures["proceedings_open"] == 1 and figures["placed_with_proceedings_open"] == 1
    child = figures["children"][0]
    assert (child["looked_after_on"], child["three_months_on"], child["permanent_placement_on"]) == (
        "2026-10-20", "2027-01-20", "2026-11-16")
    w.clock.day = date(2027, 3, 1)
    proc = cin.proceedings(case)[0]
    ChildInNeedService(siân).proceedings_stage(proc["id"], stage="concluded", on_date="2027-02-26",
                                               outcome="placement_order")
    PermanenceService(siân).achieved(perm["id"], achieved_on="2027-02-26")
    later = PermanenceService(w.as_("tm_cic")).baby_figures(date(2026, 10, 1), date(2027, 2, 28))
    assert later["proceedings_open"] == 0 and later["placed_within_3_months"] == 1
    assert permanence_summary(store, date(2027, 1, 1))["adoption"] == {"planned": 1, "past_target": 0, "achieved": 0}
    assert permanence_summary(store, date(2027, 3, 1))["adoption"] == {"planned": 0, "past_target": 0, "achieved": 1}

    # -- de-registered at a review conference: the case is now a looked-after case --------------------
    conferences = ConferenceService(siân)
    review = conferences.convene(case, kind="review", scheduled_on="2027-03-01", chair_id=ids["tm_cin"],
                                 invitees=[{"kind": "person", "id": leah["id"]}])
    conferences.hold_review(review["id"], held_on="2027-03-01", report="Lowri is settled with her adopters.",
                            attendance=[{"agency_id": ids[k], "name": k} for k in ("ss", "police", "health")],
                            decisions=[{"person_id": lowri["id"], "deregister": True,
                                        "reasons": "Lowri is safe in her permanent home."}])
    assert store.rows("SELECT case_type FROM case_file WHERE id = ?", [case])[0]["case_type"] == "looked_after"
    assert [(h["from_case_type"], h["to_case_type"], h["reason"], h["on_date"])
            for h in LookedAfterService(w.as_("tm_cic")).team_history(case)][-1] == (
        "child_protection", "looked_after", "deregistered", "2027-03-01")
    assert not [i for i in MyWorkService(w.as_("tm_cic")).all_items(date(2027, 3, 1))
                if i.population == "child_protection"]
    assert "L7" in {i.rule_id for i in MyWorkService(w.as_("tm_cic")).all_items(date(2027, 3, 1))}


def test_the_case_says_which_kinds_of_work_it_holds(world):
    """The case page shows a tab for each kind of work the case holds (its type, and a child's Child in Need
    or looked-after records on the same case) and offers the rest under "Start other work"."""
    sw, ids = world.sw, world.ids
    world.on("2026-10-20")
    assert CaseService(sw).open(ids["case"]).work == {"child_in_need"}
    LookedAfterService(sw).become_looked_after(ids["case"], ids["elis"], started_on="2026-10-05",
                                               legal_status="section_76", transfer=False)
    view = CaseService(sw).open(ids["case"])
    assert view.case["case_type"] == "looked_after"
    assert view.work == {"looked_after"}, "no Child in Need records yet: only its own type"
    ChildInNeedService(sw).start_assessment(ids["case"], ids["elis"], started_on="2026-10-06")
    assert CaseService(sw).open(ids["case"]).work == {"looked_after", "child_in_need"}
