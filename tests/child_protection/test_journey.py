"""A whole journey, report to de-registration: letters queued, escalations, register history, audit,
and what "My work" and ``diogel due --json`` show at each step."""

from __future__ import annotations

import json
from datetime import date

import pytest

from desktop.cli import main as cli_main
from desktop.errors import PermissionDenied, ValidationError
from desktop.services.child_protection import (
    ConferenceService,
    CoordinatorService,
    CoreGroupService,
    EnquiryService,
    PlanService,
    RegisterService,
    ReportService,
    VisitService,
)
from desktop.services.my_work import MyWorkService
from desktop.services.persons import PersonService
from desktop.services.tasks import TaskService
from tests.child_protection.conftest import PASSWORD
from tests.child_protection.helpers import attendance, initial_conference, strategy


def due(w, on: str, *, user: str = "sw", mine_only: bool = False):
    """{(child key, rule): status} of the active items (overdue / today / this week)."""
    names = {w.ids[k]: k for k in ("elis", "mali")}
    items = MyWorkService(w.as_(user)).items(date.fromisoformat(on), mine_only=mine_only)
    return {(names[i.person_id], i.rule_id): i.status for i in items}


def letters(w, template: str) -> list[dict]:
    return w.sw.store.rows("SELECT * FROM letter WHERE template_id = ? ORDER BY created_at", [template])


def test_journey_from_report_to_deregistration(world, monkeypatch, capsys):
    w, ids = world, world.ids
    sw = w.sw

    # -- report: next actions within 1 working day (C1) -------------------------------------------
    w.clock.day = date(2026, 10, 5)
    report = ReportService(sw).record(ids["case"], concerns="Children left alone at night; little food.",
                                      received_at="2026-10-05T09:30", source_type="professional",
                                      suspected_categories=["neglect"])
    assert due(w, "2026-10-05")[("elis", "C1")] == "due_this_week"
    w.clock.day = date(2026, 10, 7)
    assert due(w, "2026-10-07")[("mali", "C1")] == "overdue"
    ReportService(sw).decide(report["id"], "strategy_discussion")
    assert not any(rule == "C1" for _, rule in due(w, "2026-10-07"))

    # -- strategy meeting (police + social services) and s47: determination 3 → C6 ---------------
    strategy(w, "2026-10-07")
    enquiries = EnquiryService(sw).for_case(ids["case"])
    assert len(enquiries) == 2
    for e in enquiries:
        EnquiryService(sw).record_seen(e["id"], seen_on="2026-10-07", seen_alone=True)
        EnquiryService(sw).determine(e["id"], 3, reason="Neglect substantiated; continuing risk.")
    w.clock.day = date(2026, 10, 26)
    items = {(i.person_id, i.rule_id): i for i in MyWorkService(sw).all_items(date(2026, 10, 26))}
    c6 = items[(ids["elis"], "C6")]
    assert c6.due == date(2026, 10, 28)  # 15 working days after 7 October
    assert c6.action == "hold_initial_conference" and c6.case_id == ids["case"]

    # -- initial conference: both registered, co-ordinator named ---------------------------------
    held = initial_conference(w, "2026-10-26")
    assert [e["status"] for e in held["entries"]] == ["active", "active"]
    assert held["escalations"] == []
    # One letter to each recipient per event, naming both children (not one identical letter per child).
    both = {"cy": "Elis Jones a Mali Jones", "en": "Elis Jones and Mali Jones"}
    n8 = letters(w, "N8")
    assert len(n8) == 2  # 2 invitees
    assert all(json.loads(r["data"])["child_name"] == both for r in n8)
    n19 = letters(w, "N19")
    assert {(r["recipient_id"], r["language"]) for r in n19} == {(ids["mam"], "cy"), (ids["dad"], "en")}
    assert len(n19) == 2 and all(json.loads(r["data"])["child_name"] == both for r in n19)
    n9 = letters(w, "N9")
    n9_recipients = [r["recipient_id"] for r in n9]
    assert {ids["mam"], ids["police"], ids["nurse"], ids["school"]} <= set(n9_recipients)
    assert len(n9_recipients) == len(set(n9_recipients))
    assert all(json.loads(r["data"])["child_name"] == both for r in n9)
    assert not any(rule == "C6" for _, rule in due(w, "2026-10-27"))
    custodian = RegisterService(w.as_("custodian"))
    entries = {e["person_id"]: e for e in custodian.entries("active")}
    assert json.loads(entries[ids["mali"]]["categories"]) == ["neglect", "emotional"]
    assert entries[ids["elis"]]["coordinator_id"] == ids["sw"]

    # -- visits: V1 per child, siblings separately -----------------------------------------------
    w.clock.day = date(2026, 11, 10)
    before = due(w, "2026-11-10", mine_only=True)
    assert before[("elis", "V1")] == "overdue" and before[("mali", "V1")] == "overdue"
    assert before[("elis", "C10")] == "overdue"
    visits = VisitService(sw)
    visits.save_draft(ids["case"], {"observations": "half typed"})
    visits.record(ids["case"], visited_on="2026-11-10", location="home", observations="Warm, food in the fridge.",
                  children=[{"person_id": ids["elis"], "seen": True, "seen_alone": True, "seen_at_home": True,
                             "bedroom_seen": True, "wishes_feelings": "I like it when Mam reads to me."},
                            {"person_id": ids["mali"], "seen": True, "seen_alone": False, "seen_at_home": True}])
    after = due(w, "2026-11-10", mine_only=True)
    assert ("elis", "V1") not in after  # seen alone today: next due in 10 working days
    assert after[("mali", "V1")] == "overdue"  # the sibling was not seen alone
    assert visits.load_draft(ids["case"]) is None  # saving the visit discarded the draft

    # -- first core group: the outline becomes the detailed plan ---------------------------------
    plan = {"outcomes": [{"description": "Elis and Mali are never left alone at night",
                          "measure": "Unannounced visits find an adult at home"}],
            "actions": [{"description": "Arrange a night-time babysitter rota", "owner_kind": "person",
                         "owner_id": ids["mam"], "due_on": "2026-11-24", "outcome_index": 0},
                        {"description": "Health visitor checks weight", "owner_kind": "practitioner",
                         "owner_id": ids["nurse"], "due_on": "2026-12-01", "outcome_index": 0}],
            "assessments": [{"description": "Parenting capacity assessment", "specialist": True,
                             "provider": "Family Assessment Service"}],
            "support": "Family support worker twice a week.", "contingency": "Strategy discussion the same day."}
    CoreGroupService(sw).hold(ids["case"], held_on="2026-11-10", plan=plan,
                              attendance=[{"name": "Bethan Hughes"}, {"name": "Catrin Jones"},
                                          {"name": "Ysgol", "attended": False, "written_contribution": "Attending."}])
    assert ("elis", "C10") not in due(w, "2026-11-10")
    versions = PlanService(sw).versions(ids["case"])
    assert [v["stage"] for v in versions][:1] == ["detailed"] and versions[-1]["stage"] == "outline"
    assert versions[0]["snapshot"]["actions"][0]["owner_name"] == "Catrin Jones"
    audit = sw.store.rows("SELECT actor FROM audit WHERE entity = 'cp_plan_action' AND action = 'insert'")
    assert {a["actor"] for a in audit} == {ids["sw"]}

    # -- household change of a registered child: N5 custodian, N6 core group -----------------------
    PersonService(sw).add_address(ids["elis"], {"line1": "8 Heol Newydd", "town": "Llanelli", "postcode": "SA15 3CC"})
    n5, n6 = letters(w, "N5"), letters(w, "N6")
    assert [r["recipient_id"] for r in n5] == [ids["custodian"]]
    assert {r["recipient_id"] for r in n6} == {ids["nurse"], ids["school"], ids["mam"]}
    assert json.loads(n5[0]["data"])["change_description"]["cy"]
    # ... and a task in the custodian's My work, naming the child, until they say what they did.
    [task] = [t for t in MyWorkService(w.as_("custodian")).view().tasks if t.kind == "household_change"]
    assert task.for_me and task.text == "The address of Elis Jones, who is on the register, has changed."
    TaskService(w.as_("custodian")).acknowledge(task.id, "Register entry checked; address noted.")
    assert not [t for t in MyWorkService(w.as_("custodian")).view().tasks if t.kind == "household_change"]

    # -- change of co-ordinator: verbal then N1 to core group agencies and the family ---------------
    w.clock.day = date(2026, 11, 12)
    changed = CoordinatorService(sw).change(ids["case"], new_coordinator_id=ids["sw2"], verbal_on="2026-11-12",
                                            verbal_to=[{"name": "Catrin Jones"}, {"name": "Bethan Hughes"}],
                                            reason="Siân moves team")
    n1 = letters(w, "N1")
    assert {r["recipient_id"] for r in n1} == {ids["school"], ids["health"], ids["mam"], ids["dad"]}
    assert len(n1) == 8 and len(changed["changes"]) == 2
    history = custodian.history(entries[ids["elis"]]["id"])
    assert [h["change"] for h in history] == ["registered", "coordinator"]
    assert history[-1]["on_date"] == "2026-11-12" and history[-1]["coordinator_id"] == ids["sw2"]
    mine = due(w, "2026-11-12", user="sw2", mine_only=True)
    assert ("mali", "V1") in mine
    enquiry = custodian.record_enquiry(enquirer_name="DC Lewis", agency_id=ids["police"], identity_checked=True,
                                       subject_text="Mali Jones, 12/09/2019", person_id=ids["mali"])
    assert enquiry["given"] and enquiry["coordinator_name"] == "Gareth Evans"

    # -- review conference: Elis de-registered, Mali continues with new categories --------------
    w.clock.day = date(2027, 1, 20)
    conferences = ConferenceService(w.as_("sw2"))
    review = conferences.convene(ids["case"], kind="review", scheduled_on="2027-01-20", chair_id=ids["tm"],
                                 invitees=[{"kind": "person", "id": ids["dad"]}])
    [n11] = letters(w, "N11")  # one invitation to the father, naming both children
    assert json.loads(n11["data"])["child_name"]["en"] == "Elis Jones and Mali Jones"
    conferences.hold_review(
        review["id"], held_on="2027-01-20", report="Core group reports: Elis safe; Mali still anxious.",
        attendance=attendance("ss", "health", "school", ids=ids),
        decisions=[{"person_id": ids["elis"], "deregister": True,
                    "reasons": "Circumstances changed substantially; consensus of the conference."},
                   {"person_id": ids["mali"], "deregister": False, "categories": ["emotional"],
                    "next_review_on": "2027-07-20"}])
    assert {e["person_id"] for e in custodian.entries("deregistered")} == {ids["elis"]}
    elis_history = custodian.history(entries[ids["elis"]]["id"])
    assert elis_history[-1]["change"] == "deregistered" and elis_history[-1]["status"] == "deregistered"
    mali_history = custodian.history(entries[ids["mali"]]["id"])
    assert json.loads(mali_history[-1]["categories"]) == ["emotional"]
    assert {r["recipient_id"] for r in letters(w, "N12")} == {ids["school"], ids["health"], ids["mam"], ids["dad"]}
    now = due(w, "2027-01-20")
    assert not any(child == "elis" and rule.startswith("V") for child, rule in now)
    assert ("mali", "V1") in now
    registered_entries = sw.store.rows("SELECT count(*) AS n FROM audit WHERE entity = 'register_entry'")
    assert registered_entries[0]["n"] >= 5

    # -- diogel due --json shows the same items for scripts -------------------------------------
    expected = {(i.person_id, i.rule_id, i.due.isoformat(), i.status)
                for i in MyWorkService(sw).all_items(date(2027, 1, 20))}
    monkeypatch.setenv("DIOGEL_PASSWORD", PASSWORD)
    capsys.readouterr()
    assert cli_main(["due", "--profile", str(w.folder), "--json", "--on", "2027-01-20"], clock=w.clock) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["on"] == "2027-01-20" and doc["count"] == len(doc["items"])
    got = {(i["person_id"], i["rule_id"], i["due"], i["status"]) for i in doc["items"]}
    assert got == expected
    assert {"case_id", "person_name", "reason", "action"} <= set(doc["items"][0])


def test_no_coordinator_escalates_to_the_senior_manager(world):
    w, ids = world, world.ids
    strategy(w, "2026-10-12")
    for e in EnquiryService(w.sw).for_case(ids["case"]):
        EnquiryService(w.sw).determine(e["id"], 3, reason="Substantiated")
    held = initial_conference(w, "2026-10-26", coordinator=None)
    assert len(held["escalations"]) == 2
    [n3] = letters(w, "N3")  # one letter to the senior manager, naming both children
    assert n3["recipient_id"] == ids["sm"]
    assert json.loads(n3["data"])["child_name"] == {"cy": "Elis Jones a Mali Jones", "en": "Elis Jones and Mali Jones"}
    senior = MyWorkService(w.as_("sm"))
    view = senior.view(date(2026, 10, 26))
    assert view.counts["tasks"] == 2
    assert {(t.kind, t.person_name, t.for_me) for t in view.tasks} == {
        ("no_coordinator", "Elis Jones", True), ("no_coordinator", "Mali Jones", True)}
    assert view.tasks[0].text == ("No care and support protection plan co-ordinator was named for Elis Jones at the"
                                  " conference.") or "Mali Jones" in view.tasks[0].text
    # Only the senior manager may acknowledge it; it must say what was done.
    tasks = TaskService(w.as_("sm"))
    with pytest.raises(PermissionDenied):
        TaskService(w.as_("tm")).acknowledge(view.tasks[0].id, "Nothing")
    with pytest.raises(ValidationError):
        tasks.acknowledge(view.tasks[0].id, "  ")
    tasks.acknowledge(view.tasks[0].id, "Gareth Evans allocated as co-ordinator")
    assert senior.counts(date(2026, 10, 26))["tasks"] == 1
    done = w.sw.store.rows("SELECT acknowledged_by, outcome FROM escalation WHERE acknowledged_at IS NOT NULL")
    assert done == [{"acknowledged_by": ids["sm"], "outcome": "Gareth Evans allocated as co-ordinator"}]
    assert w.sw.store.rows("SELECT count(*) AS n FROM outbox WHERE entity = 'escalation' AND kind = 'update'")[0]["n"] == 1
    # The team manager sees the open one (for the senior manager) without being asked to act on it; the
    # social worker does not see it but does see the visits (allocated worker).
    [open_task] = MyWorkService(w.as_("tm")).view(date(2026, 10, 26)).tasks
    assert not open_task.for_me and open_task.to_name == "Senior manager (safeguarding)"
    assert MyWorkService(w.sw).view(date(2026, 10, 26)).tasks == []
    assert ("elis", "V1") in due(w, "2026-11-10", mine_only=True)


def test_absent_coordinator_visits_show_for_the_team_manager_until_covered(world):
    w, ids = world, world.ids
    strategy(w, "2026-10-12")
    for e in EnquiryService(w.sw).for_case(ids["case"]):
        EnquiryService(w.sw).determine(e["id"], 3, reason="Substantiated")
    initial_conference(w, "2026-10-26")
    w.clock.day = date(2026, 11, 10)
    manager = MyWorkService(w.as_("tm"))
    manager.record_absence(ids["sw"], from_date="2026-11-09", to_date="2026-11-20", reason="Sickness")
    view = manager.view(date(2026, 11, 10))
    assert {(i.person_id, i.rule_id) for i in view.uncovered} >= {(ids["elis"], "V1"), (ids["mali"], "V1")}
    manager.assign_cover(ids["sw2"], covered_id=ids["sw"], from_date="2026-11-09", to_date="2026-11-20")
    assert manager.view(date(2026, 11, 10)).uncovered == []
    covering = due(w, "2026-11-10", user="sw2", mine_only=True)
    assert covering[("elis", "V1")] == "overdue"


def test_visit_amendment_replaces_the_original_in_the_facts(world):
    w, ids = world, world.ids
    strategy(w, "2026-10-12")
    for e in EnquiryService(w.sw).for_case(ids["case"]):
        EnquiryService(w.sw).determine(e["id"], 3, reason="Substantiated")
    initial_conference(w, "2026-10-26")
    w.clock.day = date(2026, 11, 10)
    visits = VisitService(w.sw)
    first = visits.record(ids["case"], visited_on="2026-11-10", location="home",
                          children=[{"person_id": ids["mali"], "seen": True, "seen_alone": True}])
    assert ("mali", "V1") not in due(w, "2026-11-10")
    visits.amend(first["id"], reason="Mali's aunt was present throughout", visited_on="2026-11-10", location="home",
                 children=[{"person_id": ids["mali"], "seen": True, "seen_alone": False}])
    assert due(w, "2026-11-10")[("mali", "V1")] == "overdue"
    assert len(visits.for_case(ids["case"])) == 1
    assert w.sw.store.rows("SELECT count(*) AS n FROM cp_visit")[0]["n"] == 2  # the original is kept


def test_latest_visit_table_matches_the_visits_after_amendments(world):
    """The trigger-kept per-child latest dates equal a full aggregate over the unamended visits."""
    w, ids = world, world.ids
    w.clock.day = date(2026, 11, 20)
    visits = VisitService(w.sw)
    kids = [ids["elis"], ids["mali"]]
    made = []
    for n, day in enumerate(["2026-11-02", "2026-11-05", "2026-11-09", "2026-11-12", "2026-11-16"]):
        made.append(visits.record(ids["case"], visited_on=day, location="home" if n % 2 else "school",
                                  children=[{"person_id": k, "seen": True, "seen_alone": (n + i) % 2 == 0,
                                             "seen_at_home": bool(n % 2), "bedroom_seen": n == 1}
                                            for i, k in enumerate(kids)]))
    visits.amend(made[-1]["id"], reason="Wrong date", visited_on="2026-11-03", location="school",
                 children=[{"person_id": ids["elis"], "seen": True}])
    visits.amend(made[1]["id"], reason="Bedroom not seen after all", visited_on="2026-11-05", location="home",
                 children=[{"person_id": k, "seen": True, "seen_at_home": True} for k in kids])
    store = w.sw.store
    kept = store.rows("SELECT case_id, person_id, seen, seen_alone, seen_at_home, bedroom_seen FROM cp_latest_visit"
                      " ORDER BY person_id")
    full = store.rows(
        "SELECT vc.case_id, vc.person_id, MAX(CASE WHEN vc.seen = 1 THEN v.visited_on END) AS seen,"
        " MAX(CASE WHEN vc.seen_alone = 1 THEN v.visited_on END) AS seen_alone,"
        " MAX(CASE WHEN vc.seen_at_home = 1 THEN v.visited_on END) AS seen_at_home,"
        " MAX(CASE WHEN vc.bedroom_seen = 1 THEN v.visited_on END) AS bedroom_seen"
        " FROM cp_visit_child vc JOIN cp_visit v ON v.id = vc.visit_id"
        " WHERE NOT EXISTS (SELECT 1 FROM cp_visit a WHERE a.amends_id = v.id)"
        " GROUP BY vc.case_id, vc.person_id ORDER BY vc.person_id")
    assert kept == full
    assert {r["bedroom_seen"] for r in kept} == {None}  # the only bedroom visit was corrected


def test_review_material_and_the_custodians_register(world):
    w, ids = world, world.ids
    strategy(w, "2026-10-12")
    for e in EnquiryService(w.sw).for_case(ids["case"]):
        EnquiryService(w.sw).determine(e["id"], 3, reason="Substantiated")
    initial_conference(w, "2026-10-26")
    w.clock.day = date(2026, 11, 10)
    core = CoreGroupService(w.sw)
    core.hold(ids["case"], held_on="2026-11-06", denied_access="Father refused entry on 4 November",
              attendance=[{"name": "Bethan Hughes"},
                          {"name": "Ysgol", "attended": False, "written_contribution": "Attendance 96%."}],
              plan={"outcomes": [{"description": "Safe at night", "measure": "An adult always at home"}],
                    "actions": [{"description": "Rota", "owner_kind": "agency", "owner_name": "Ysgol"}]})
    plan = PlanService(w.sw).current(ids["case"])
    core.hold(ids["case"], held_on="2026-11-10", attendance=[{"name": "Bethan Hughes"}],
              progress=[{"outcome_id": plan["outcomes"][0]["id"], "rag": "amber", "evidence": "Two nights alone"}],
              actions=[{"action_id": plan["actions"][0]["id"], "status": "in_progress"}])
    material = ConferenceService(w.sw).review_material(ids["case"])
    assert [g["held_on"] for g in material["core_groups"]] == ["2026-11-06", "2026-11-10"]
    assert material["core_groups"][0]["attendance"][1]["written_contribution"] == "Attendance 96%."
    assert material["core_groups"][1]["items"][1]["rag"] == "amber"
    assert material["plan"]["outcomes"][0]["rag"] == "amber"

    register = RegisterService(w.as_("custodian"))
    refused = register.record_enquiry(enquirer_name="Someone", agency_id=None, identity_checked=False,
                                      subject_text="Elis Jones", person_id=ids["elis"])
    assert not refused["given"] and refused["coordinator_name"] is None
    assert [e["information_given"] for e in register.enquiries()] == ["nothing"]
    entry = {e["person_id"]: e for e in register.entries("active")}[ids["mali"]]
    left = register.deregister(entry["id"], "left_uk", note="Family emigrated to Canada; confirmed by school")
    assert left["status"] == "deregistered" and left["deregistration_reason"] == "left_uk"


def test_conference_circulation_facts_satisfy_c7_c8_c9(world):
    w, ids = world, world.ids
    strategy(w, "2026-10-12")
    for e in EnquiryService(w.sw).for_case(ids["case"]):
        EnquiryService(w.sw).determine(e["id"], 3, reason="Substantiated")
    held = initial_conference(w, "2026-10-26")
    w.clock.day = date(2026, 11, 30)
    rules = {rule for _, rule in due(w, "2026-11-30")}
    assert {"C7", "C8"} <= rules
    service = ConferenceService(w.sw)
    service.record_circulated(held["id"], outline_plan_sent_on="2026-10-29", record_sent_on="2026-11-16")
    rules = {rule for _, rule in due(w, "2026-11-30")}
    assert not {"C7", "C8"} & rules and "C9" in rules
    service.record_circulated(held["id"], comments_received_on="2026-11-25")
    assert "C9" not in {rule for _, rule in due(w, "2026-11-30")}


def test_adjusters_see_every_providers_items_before_the_horizon(world):
    from dataclasses import replace

    from desktop.services import my_work

    w, ids = world, world.ids
    strategy(w, "2026-10-12")
    for e in EnquiryService(w.sw).for_case(ids["case"]):
        EnquiryService(w.sw).determine(e["id"], 3, reason="Substantiated")
    initial_conference(w, "2026-10-26")
    on = date(2026, 10, 27)
    assert not any(i.rule_id == "C12" for i in MyWorkService(w.sw).items(on, mine_only=False))

    def pull_c12_forward(items, day, facts):
        assert {(i.case_id, i.person_id) for i in items} <= set(facts)
        return [replace(i, due=day, status="due_today") if i.rule_id == "C12" else i for i in items]

    my_work.register_adjuster(pull_c12_forward)
    try:
        moved = [i for i in MyWorkService(w.sw).items(on, mine_only=False) if i.rule_id == "C12"]
        assert {i.person_id for i in moved} == {ids["elis"], ids["mali"]}
    finally:
        my_work._ADJUSTERS.remove(pull_c12_forward)


def test_access_denied_on_a_visit_tells_the_core_group_and_the_coordinator_n13(registered):
    import io

    from pypdf import PdfReader

    from desktop.services.letters import LetterService

    w, ids = registered, registered.ids
    w.clock.day = date(2026, 11, 10)
    # Each practitioner is written to in their own recorded language (m0026); the nurse has not said
    # theirs, so theirs is bilingual whatever their agency's.
    w.sw.write(lambda tx: (tx.update("practitioner", ids["sw"], {"correspondence_language": "cy"}),
                           tx.update("agency", ids["health"], {"correspondence_language": "en"})))
    visits = VisitService(w.sw)
    visits.record(ids["case"], visited_on="2026-11-10", location="home", access_denied=True,
                  visitor_id=ids["sw2"],  # a colleague, not the co-ordinator
                  observations="Mr Pritchard would not open the door; the children were heard inside.",
                  observations_cy="Ni fyddai Mr Pritchard yn agor y drws; clywyd y plant y tu mewn.",
                  children=[{"person_id": ids["elis"], "seen": False}])
    n13 = letters(w, "N13")
    assert {(r["recipient_kind"], r["recipient_id"]) for r in n13} == {
        ("practitioner", ids["sw"]), ("practitioner", ids["nurse"]), ("agency", ids["school"])}
    assert all(json.loads(r["data"])["child_name"].startswith("Elis") for r in n13)
    assert {r["recipient_id"]: r["language"] for r in n13 if r["recipient_kind"] == "practitioner"} == {
        ids["sw"]: "cy", ids["nurse"]: "bilingual"}
    # The co-ordinator (not the visitor) gets a task in My work, naming the child and the visit.
    [task] = MyWorkService(w.sw).view(date(2026, 11, 10)).tasks
    assert task.kind == "access_denied" and task.for_me and task.case_id == ids["case"]
    assert task.text == "Access to Elis Jones was refused on the visit of 10 Nov 2026."
    assert MyWorkService(w.as_("sw2")).view(date(2026, 11, 10)).tasks == []
    visits.record(ids["case"], visited_on="2026-11-10", location="school",
                  children=[{"person_id": ids["mali"], "seen": True, "seen_alone": True}])
    assert len(letters(w, "N13")) == 3  # access not denied: nothing more

    school = next(r for r in n13 if r["recipient_kind"] == "agency")
    pdf, result = LetterService(w.as_("tm")).render_batch([school["id"]])
    assert pdf is not None and not result.held, result.held
    text = " ".join(" ".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf)).pages).split())
    assert school["language"] == "bilingual"  # no language recorded for the school: Welsh first, then English
    assert text.index("Gwrthodwyd mynediad at Elis Jones") < text.index("Access to Elis Jones was denied")
    assert "Gareth Evans" in text and "would not open the door" in text and "Ni fyddai Mr Pritchard" in text
