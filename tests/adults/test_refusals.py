"""Every refusal says why and writes nothing: delegation without any one of its four records, closure
by anyone but the lead co-ordinator, best interests with no capacity assessment behind it, a visit in
the future, an action without an owner — and the N4 escalation when no lead practitioner is named."""

from __future__ import annotations

import json

import pytest

from desktop.errors import PermissionDenied, ValidationError
from desktop.services.adults import (
    AdvocacyService,
    CapacityService,
    ClosureService,
    CoordinatorService,
    PartnershipService,
    PlanService,
    ReportService,
    StrategyService,
    VisitService,
)
from desktop.services.my_work import MyWorkService
from tests.adults.helpers import appoint, due, members, strategy, up_to_strategy

FULL_DELEGATION = {
    "delegate_role": "Arranges and chairs meetings; monitors the plan; reports to the LA monthly.",
    "la_monitor_role": "Team manager: monitoring and overview; attends reviews.",
    "rationale": "Margaret is an in-patient; health holds the relationships and the expertise.",
    "reporting_arrangements": "Monthly written report to the team manager; LA attends every review.",
}


def _delegate(w, **changes):
    args = {"delegate_id": w.ids["health_lead"], "la_monitor_id": w.ids["tm"], **FULL_DELEGATION, **changes}
    return CoordinatorService(w.sw).delegate(w.ids["case"], **args)


@pytest.mark.parametrize(
    ("field", "blank", "words"),
    [
        ("delegate_role", "", "role and responsibilities of the delegated lead co-ordinator"),
        ("la_monitor_id", None, "responsible for monitoring and overview"),
        ("la_monitor_role", " ", "role and responsibilities of the local authority person"),
        ("rationale", "", "rationale for the decision to delegate"),
        ("reporting_arrangements", None, "arrangements for reporting, monitoring and review"),
    ],
)
def test_delegation_refused_without_each_of_its_records(world, field, blank, words) -> None:
    appoint(world)
    with pytest.raises(ValidationError) as err:
        _delegate(world, **{field: blank})
    assert err.value.field == field and words in str(err.value) and "cannot be saved" in str(err.value)
    assert world.count("adult_delegation") == 0
    assert not world.sw.store.rows("SELECT 1 FROM role_assignment WHERE role = 'delegated_lead_coordinator'")


def test_delegation_to_health_keeps_statutory_responsibility_with_the_local_authority(world) -> None:
    appoint(world)
    row = _delegate(world)
    assert row["statutory_responsibility"] == "local_authority"
    assert row["delegate_agency_id"] == world.ids["health"]
    now = CoordinatorService(world.sw).current(world.ids["case"])
    assert now["lead_coordinator"] == world.ids["sw"]  # the LA's lead co-ordinator stays assigned
    assert now["acting"] == world.ids["health_lead"] and now["statutory_responsibility"] == "local_authority"
    # The delegate from health may chair and close; statutory responsibility never moves.
    with pytest.raises(ValidationError, match="already delegated"):
        _delegate(world)
    ended = CoordinatorService(world.sw).end_delegation(world.ids["case"], ended_on="2026-11-02",
                                                        reason="Margaret discharged home")
    assert ended["amends_id"] == row["id"] and ended["statutory_responsibility"] == "local_authority"
    assert CoordinatorService(world.sw).current(world.ids["case"])["acting"] == world.ids["sw"]


def test_delegation_to_social_services_or_monitor_outside_la_refused(world) -> None:
    with pytest.raises(ValidationError, match="another statutory partner"):
        _delegate(world, delegate_id=world.ids["sw2"])
    with pytest.raises(ValidationError, match="must work for the local authority"):
        _delegate(world, la_monitor_id=world.ids["nurse"])


def test_lead_coordinator_must_be_employed_by_social_services(world) -> None:
    with pytest.raises(ValidationError, match="employed within social services"):
        CoordinatorService(world.sw).appoint(world.ids["case"], world.ids["nurse"])
    # SCW registration "where possible": allowed, but said so.
    out = CoordinatorService(world.sw).appoint(world.ids["case"], world.ids["unregistered"])
    assert out["scw_registered"] is False and out["assignment"]["reason"] == "not_scw_registered"


@pytest.mark.parametrize("who", ["sw2", "tm", "sm"])
def test_closure_by_anyone_but_the_lead_coordinator_refused(world, who) -> None:
    up_to_strategy(world)
    with pytest.raises(PermissionDenied) as err:
        ClosureService(world.as_(who)).close(world.ids["case"], closed_on="2026-11-02", reasons="Done",
                                             decided_with="strategy_group")
    assert "Only the lead co-ordinator" in str(err.value)
    assert world.count("adult_closure") == 0
    assert not world.sw.store.rows("SELECT 1 FROM letter WHERE template_id = 'N17'")
    assert world.sw.store.rows("SELECT closed_on FROM case_file WHERE id = ?", [world.ids["case"]])[0]["closed_on"] is None


def test_closure_needs_reasons_and_delegated_lead_coordinator_may_close(world) -> None:
    up_to_strategy(world)
    with pytest.raises(ValidationError, match="reasons"):
        ClosureService(world.sw).close(world.ids["case"], closed_on="2026-11-02", reasons=" ",
                                       decided_with="strategy_group")
    _delegate(world)
    out = ClosureService(world.as_("health_lead")).close(world.ids["case"], closed_on="2026-11-02",
                                                         reasons="Outcomes achieved", decided_with="conference")
    assert out["closed_by"] == world.ids["health_lead"] and len(out["letters"]) == 4  # 3 agencies + adult


def test_best_interests_refused_without_an_assessment_finding_lack_of_capacity(world) -> None:
    ids = world.ids
    service = CapacityService(world.sw)
    args = {"decision": "Move to a care home", "decided_on": "2026-11-02", "consulted": ["Kevin (son)", "GP"],
            "wishes_feelings": "Wants to stay at home", "rationale": "Falls at night; no carer."}
    with pytest.raises(ValidationError) as err:
        service.best_interests(ids["case"], assessment_id=None, **args)
    assert err.value.field == "assessment_id" and "lacks capacity" in str(err.value)
    has = service.assess(ids["case"], decision="Where to live", assessed_on="2026-11-02", assessor_id=ids["sw"],
                         outcome="has_capacity", evidence="Understood, retained and weighed the options.")
    with pytest.raises(ValidationError, match="it is theirs to make"):
        service.best_interests(ids["case"], assessment_id=has["id"], **args)
    lacks = service.assess(ids["case"], decision="Managing her money", assessed_on="2026-11-02",
                           assessor_id=ids["sw"], outcome="lacks_capacity",
                           evidence="Could not retain information about her bank account.")
    corrected = service.assess(ids["case"], decision="Managing her money", assessed_on="2026-11-02",
                               assessor_id=ids["sw"], outcome="lacks_capacity", amends_id=lacks["id"],
                               amendment_reason="The evidence left out that she could not weigh it either.",
                               evidence="Could not retain or weigh information about her bank account.")
    with pytest.raises(ValidationError, match="record the assessment first"):  # the corrected one is gone
        service.best_interests(ids["case"], assessment_id=lacks["id"], **args)
    with pytest.raises(ValidationError, match="people consulted"):
        service.best_interests(ids["case"], assessment_id=corrected["id"], **{**args, "consulted": []})
    with pytest.raises(ValidationError, match="wishes and feelings"):
        service.best_interests(ids["case"], assessment_id=corrected["id"], **{**args, "wishes_feelings": ""})
    assert world.count("adult_best_interests") == 0
    ok = service.best_interests(ids["case"], assessment_id=corrected["id"], imca_instructed=True,
                                imca_name="Rhys (Advocacy West Wales)", **args)
    assert json.loads(ok["consulted"]) == ["Kevin (son)", "GP"] and ok["imca_instructed"] == 1
    service.wishes(ids["case"], recorded_on="2026-11-02", wishes_feelings="Wants Kevin to visit on Sundays.")
    everything = service.for_case(ids["case"])
    assert {a["id"] for a in everything["assessments"]} == {has["id"], corrected["id"]}
    assert len(everything["wishes"]) == 1


def test_visit_in_the_future_refused_and_visits_are_append_only(world) -> None:
    up_to_strategy(world)
    service = VisitService(world.sw)
    with pytest.raises(ValidationError) as err:
        service.record(world.ids["case"], visited_on="2026-11-03", location="home", seen=True, offered_alone=True,
                       seen_alone=True)
    assert err.value.field == "visited_on" and "future" in str(err.value)
    with pytest.raises(ValidationError, match="not given the opportunity to be seen alone"):
        service.record(world.ids["case"], visited_on="2026-11-02", location="home", seen=True, offered_alone=False,
                       seen_alone=False)
    assert world.count("adult_visit") == 0
    first = service.record(world.ids["case"], visited_on="2026-11-02", location="home", seen=True,
                           offered_alone=False, seen_alone=False, not_alone_reason="Kevin would not leave")
    with pytest.raises(ValueError, match="append-only"):
        world.sw.write(lambda tx: tx.update("adult_visit", first["id"], {"seen_alone": 1}))
    with pytest.raises(ValidationError, match="why the visit record is being corrected"):
        service.record(world.ids["case"], visited_on="2026-11-02", location="home", seen=True, offered_alone=True,
                       seen_alone=True, amends_id=first["id"])
    fixed = service.record(world.ids["case"], visited_on="2026-11-02", location="home", seen=True,
                           offered_alone=True, seen_alone=True, amends_id=first["id"],
                           amendment_reason="Margaret was in fact seen alone in the kitchen")
    assert [v["id"] for v in service.for_case(world.ids["case"])] == [fixed["id"]]
    assert [v["id"] for v in service.history(first["id"])] == [first["id"], fixed["id"]]
    with pytest.raises(ValidationError, match="already been corrected"):
        service.record(world.ids["case"], visited_on="2026-11-02", location="home", seen=True, offered_alone=True,
                       seen_alone=True, amends_id=first["id"], amendment_reason="again")


def test_action_without_owner_refused(world) -> None:
    up_to_strategy(world)
    plan = PlanService(world.sw).start(world.ids["case"], started_on="2026-11-02")
    for owner in ({"owner_kind": None}, {"owner_kind": "person"}, {"owner_kind": "agency", "owner_id": "nope"}):
        with pytest.raises(ValidationError) as err:
            PlanService(world.sw).add_action(plan["id"], description="Replace the bank card", **owner)
        assert err.value.field == "owner" and "needs an owner" in str(err.value)
    assert world.count("adult_plan_action") == 0
    action = PlanService(world.sw).add_action(plan["id"], description="Replace the bank card",
                                              owner_kind="agency", owner_id=world.ids["housing"])
    assert action["owner_name"] == "Tai Ceredigion"
    with pytest.raises(ValidationError, match="needs an owner"):
        PlanService(world.sw).update_action(action["id"], owner_kind=None)
    with pytest.raises(ValidationError, match="already has an active"):
        PlanService(world.sw).start(world.ids["case"], started_on="2026-11-02")


def test_no_lead_practitioner_escalates_at_once_to_the_senior_manager(world) -> None:
    from desktop.services.adults import EnquiryService
    from tests.adults.helpers import report_and_screen

    out = report_and_screen(world)
    appoint(world)
    EnquiryService(world.sw).conclude(out["enquiry"]["id"], concluded_on="2026-11-02", determination="1",
                                      reason="Immediate protection needed.")
    with pytest.raises(ValidationError, match="record why one could not be identified"):
        strategy(world, "2026-11-02", lead_practitioner_id=None)
    assert world.count("escalation") == 0 and world.count("adult_strategy") == 0
    meeting = strategy(world, "2026-11-02", lead_practitioner_id=None,
                       no_lead_reason="No practitioner with capacity in the community team this week.")
    esc = meeting["escalation"]
    assert esc["kind"] == "no_lead_practitioner" and esc["to_role"] == "senior_manager"
    assert esc["raised_on"] == "2026-11-02"
    [letter] = meeting["letters"]
    assert letter["template_id"] == "N4"
    assert letter["recipient_id"] == world.ids["sm"] and letter["recipient_kind"] == "practitioner"
    data = json.loads(letter["data"])
    assert data["adult_name"] == "Margaret Williams" and data["meeting_date"] == "2026-11-02"
    assert data["lead_coordinator"] == "Owain Thomas" and data["adult_dob"] == "1944-10-01"
    assert data["audience"] == "senior_manager" and data["template_file"] == "n4_escalation_no_lead_practitioner"
    [task] = MyWorkService(world.as_("sm")).view().tasks
    assert task.id == esc["id"] and task.for_me and task.person_name == "Margaret Williams"
    audit = world.sw.store.rows("SELECT action FROM audit WHERE entity = 'escalation'")
    assert [a["action"] for a in audit] == ["insert"]
    # A later meeting naming one raises nothing more.
    later = strategy(world, "2026-11-02", initial=False)
    assert later["escalation"] is None and world.count("escalation") == 1


def test_strategy_refusals(world) -> None:
    from tests.adults.helpers import report_and_screen

    report_and_screen(world)
    with pytest.raises(ValidationError, match="Appoint the lead co-ordinator first"):
        strategy(world, "2026-11-02")
    appoint(world)
    with pytest.raises(ValidationError, match="chaired by the lead co-ordinator"):
        strategy(world, "2026-11-02", session=world.as_("sw2"))
    with pytest.raises(ValidationError, match="never less frequent"):
        strategy(world, "2026-11-02", visit_every=6, visit_unit="weeks")
    with pytest.raises(ValidationError, match="never less frequent"):
        strategy(world, "2026-11-02", visit_every=25, visit_unit="working_days")
    with pytest.raises(ValidationError, match="IMCA is required"):
        strategy(world, "2026-11-02", imca_required=True)
    with pytest.raises(ValidationError, match="offer an advocate"):
        strategy(world, "2026-11-02", advocate_offered=False)
    with pytest.raises(ValidationError, match="contact details"):
        strategy(world, "2026-11-02", lead_practitioner_id=world.ids["no_contact"])
    with pytest.raises(ValidationError, match="future"):
        strategy(world, "2026-11-03")
    assert world.count("adult_strategy") == 0
    # A nurse as lead practitioner: no social-worker check.
    ok = StrategyService(world.sw).record(world.ids["case"], kind="discussion", held_on="2026-11-02",
                                          members=members(world), decisions="Plan agreed",
                                          lead_practitioner_id=world.ids["nurse2"], advocate_offered=False,
                                          advocacy_note="Margaret has a friend who advocates for her.",
                                          visit_every=10, visit_unit="working_days")
    assert ok["lead_practitioner_id"] == world.ids["nurse2"] and ok["visit_every"] == 10


def test_report_partnership_and_advocacy_refusals(world) -> None:
    ids = world.ids
    with pytest.raises(ValidationError) as err:
        ReportService(world.sw).record(ids["case"], received_at="2026-11-02T09:00", source_type="family",
                                       concerns="Bruises", consent_given=False)
    assert err.value.field == "no_consent_reason"
    with pytest.raises(ValidationError, match="future"):
        ReportService(world.sw).record(ids["case"], received_at="2026-11-03T09:00", source_type="family",
                                       concerns="Bruises", consent_given=True)
    report = ReportService(world.sw).record(ids["case"], received_at="2026-11-02T09:00", source_type="family",
                                            concerns="Bruises", consent_given=True)
    assert report["consent_given"] == 1 and report["no_consent_reason"] is None
    with pytest.raises(ValidationError, match="reason for no further action"):
        ReportService(world.sw).screen(report["id"], decision="nfa_b")
    ReportService(world.sw).screen(report["id"], decision="nfa_b", note="Accidental fall, seen by GP.")
    assert "A1" not in due(world)  # screened out: no enquiry clock
    with pytest.raises(ValidationError, match="already been screened"):
        ReportService(world.sw).screen(report["id"], decision="enquiries")
    part = PartnershipService(world.sw)
    with pytest.raises(ValidationError, match="regular contact"):
        part.record(ids["case"], recorded_on="2026-11-02", understands_rationale=True, agrees_to_plan=False)
    with pytest.raises(ValidationError, match="change their mind"):
        part.record(ids["case"], recorded_on="2026-11-02", understands_rationale=True, agrees_to_plan=False,
                    regular_contact="Weekly phone call")
    with pytest.raises(ValidationError, match="how the adult was told they can complain"):
        part.record(ids["case"], recorded_on="2026-11-02", understands_rationale=True, agrees_to_plan=True,
                    complaints_explained=True)
    world.on("2026-10-30")
    part.record(ids["case"], recorded_on="2026-10-30", understands_rationale=True, agrees_to_plan=False,
                regular_contact="Weekly phone call", told_may_change_mind=True)
    world.on("2026-11-02")
    part.record(ids["case"], recorded_on="2026-11-02", understands_rationale=True, agrees_to_plan=True,
                complaints_explained=True, complaints_how="Explained in Welsh; leaflet left")
    assert [(h["recorded_on"], h["agrees_to_plan"]) for h in part.history(ids["case"])] == [
        ("2026-10-30", 0), ("2026-11-02", 1)]
    offer = AdvocacyService(world.sw).offer(ids["case"], advocate_type="independent", offered_on="2026-11-02")
    with pytest.raises(ValidationError, match="accepted or declined"):
        AdvocacyService(world.sw).answer(offer["id"], response="maybe", response_on="2026-11-02")
    AdvocacyService(world.sw).answer(offer["id"], response="declined", response_on="2026-11-02")
    with pytest.raises(ValidationError, match="already recorded"):
        AdvocacyService(world.sw).answer(offer["id"], response="accepted", response_on="2026-11-02")


def test_admin_staff_and_other_case_types_refused(world) -> None:
    from desktop.services.cases import CaseService
    from desktop.services.persons import PersonService

    child = PersonService(world.sw).create({"given_names": "Elis", "family_name": "Jones",
                                            "date_of_birth": "2016-05-01"})
    cp = CaseService(world.sw).create("child_protection", subject_ids=[child["id"]])
    with pytest.raises(ValidationError, match="not an adult-at-risk case"):
        ReportService(world.sw).record(cp["id"], received_at="2026-11-02T09:00", source_type="family",
                                       concerns="x", consent_given=True)
    from desktop.services.session import Session, User

    admin_id = world.sw.write(lambda tx: tx.insert("practitioner", {
        "given_names": "Bethan", "family_name": "Morris", "app_role": "admin_staff",
        "team_id": world.ids["team"]})["id"])
    admin = Session(world.sw.profile, world.sw.store,
                    User(admin_id, "Bethan", "Morris", "admin_staff", world.ids["team"], None))
    with pytest.raises(PermissionDenied):
        VisitService(admin).record(world.ids["case"], visited_on="2026-11-02", location="home", seen=True,
                                   offered_alone=True, seen_alone=True)
    with pytest.raises(PermissionDenied):
        VisitService(admin).for_case(world.ids["case"])
