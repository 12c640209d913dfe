"""Demo child protection journeys (called by :func:`desktop.services.demo.build_demo`).

Through the real services, as the demo staff, relative to ``ctx.today``:

* ``twr_cp`` — the Tŵr / ap Llŷr family (Welsh-speaking; Seren and Osian; co-ordinator Rhian Evans):
  report → strategy meeting → s47 determination 3 → initial conference (both registered) → first core
  group (detailed plan) → a later core group → visits. Seren was seen alone recently; Osian was not
  (V1 overdue for Osian only); the first review conference is near.
* ``jones_cp`` — the Jones family (English-speaking; Mason and Ruby; worker Tom Bevan): registered at a
  conference that named no co-ordinator → an N3 escalation in the senior manager's "My work"; visits
  overdue; Tom is on leave with no cover, so the team manager sees the visits to cover.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from desktop.services.child_protection.conference import ConferenceService
from desktop.services.child_protection.core_group import CoreGroupService
from desktop.services.child_protection.enquiry import EnquiryService
from desktop.services.child_protection.report import ReportService
from desktop.services.child_protection.strategy import StrategyService
from desktop.services.child_protection.transfers import TransferService
from desktop.services.child_protection.visits import VisitService
from desktop.services.my_work import MyWorkService
from desktop.services.persons import PersonService


def seed(ctx: Any) -> None:
    if "twr_cp" in ctx.cases:
        _twr(ctx)
    if "jones_cp" in ctx.cases:
        _jones(ctx)


def _ago(ctx: Any, n: int) -> str:
    """``n`` days ago, moved back to a weekday (meetings are not held at weekends)."""
    d = ctx.today - timedelta(days=n)
    while d.weekday() >= 5:
        d -= timedelta(days=1)
    return d.isoformat()


def _to_s47(ctx: Any, sw: Any, case_id: str, children: list[str], *, report_days: int, strategy_days: int,
            concerns: str, categories: list[str]) -> None:
    report = ReportService(sw).record(
        case_id, concerns=concerns, received_at=f"{_ago(ctx, report_days)}T10:15", source_type="relevant_partner",
        source_detail="School designated safeguarding lead", suspected_categories=categories, child_ids=children)
    ReportService(sw).decide(report["id"], "strategy_discussion", decided_on=report["received_on"])
    ag = ctx.agencies
    StrategyService(sw).record(
        case_id, kind="meeting", held_on=_ago(ctx, strategy_days), initiate_s47=True, child_ids=children,
        decisions="Section 47 enquiries to start; joint visit by social worker and police.",
        participants=[{"agency_id": ag["social_services"], "practitioner_id": sw.user.id},
                      {"agency_id": ag["police"], "practitioner_id": ctx.practitioners["pc_morgan"]},
                      {"agency_id": ag["health_board"], "practitioner_id": ctx.practitioners["hv_sian"]}])
    enquiries = EnquiryService(sw)
    for e in enquiries.for_case(case_id):
        enquiries.record_seen(e["id"], seen_on=_ago(ctx, strategy_days - 2), seen_alone=True)
        enquiries.determine(e["id"], 3, reason="Concerns substantiated; continuing risk of significant harm.",
                            determined_on=_ago(ctx, strategy_days - 5))


def _twr(ctx: Any) -> None:
    sw = ctx.session("sw_rhian")
    case_id = ctx.cases["twr_cp"]
    fam, ag, pr = ctx.families["twr"], ctx.agencies, ctx.practitioners
    children = [fam["seren"], fam["osian"]]
    _to_s47(ctx, sw, case_id, children, report_days=110, strategy_days=106,
            concerns="Seren came to school hungry and unkempt on several days; Osian has missed nursery.",
            categories=["neglect"])
    conferences = ConferenceService(sw)
    held = _ago(ctx, 92)
    conf = conferences.convene(case_id, kind="initial", scheduled_on=held, chair_id=ctx.staff["tm_cp"],
                               venue="Neuadd y Sir, Caerfyrddin", language="cy",
                               invitees=[{"kind": "person", "id": fam["gwenllian"]},
                                         {"kind": "person", "id": fam["dafydd"]},
                                         {"kind": "agency", "id": ag["ysgol_y_dderwen"]},
                                         {"kind": "agency", "id": ag["police"]}])
    core = [{"practitioner_id": pr["hv_sian"]}, {"practitioner_id": pr["teacher_ffion"]},
            {"person_id": fam["gwenllian"], "member_kind": "person"}]
    conferences.hold_initial(
        conf["id"], held_on=held, child_participation="Seren drew a picture of home; Osian's views via his social worker.",
        attendance=[{"agency_id": ag["social_services"]}, {"agency_id": ag["police"]},
                    {"agency_id": ag["health_board"]}, {"agency_id": ag["ysgol_y_dderwen"]},
                    {"person_id": fam["gwenllian"], "name": "Gwenllïan Tŵr"}],
        decisions=[{"person_id": c, "registered": True, "categories": ["neglect"],
                    "coordinator_id": sw.user.id, "core_group": core,
                    "outline_plan": "Meals, school attendance and a safe, warm home; parenting support.",
                    "outline_plan_cy": "Prydau bwyd, presenoldeb yn yr ysgol a chartref diogel, cynnes; cymorth"
                                       " rhianta.",
                    "first_core_group_on": _ago(ctx, 84), "next_review_on": (ctx.today + timedelta(days=2)).isoformat()}
                   for c in children])
    conferences.record_circulated(conf["id"], outline_plan_sent_on=_ago(ctx, 88), record_sent_on=_ago(ctx, 75),
                                  comments_received_on=_ago(ctx, 68))
    groups = CoreGroupService(sw)
    groups.hold(
        case_id, held_on=_ago(ctx, 84), next_on=_ago(ctx, 42),
        attendance=[{"name": "Sian Griffiths", "attended": True}, {"name": "Ffion Harries", "attended": True},
                    {"name": "Gwenllïan Tŵr", "attended": True}],
        plan={"outcomes": [
            {"description": "Mae Seren ac Osian yn cael tri phryd y dydd", "measure": "School and nursery reports",
             "description_cy": "Mae Seren ac Osian yn cael tri phryd y dydd", "person_id": None},
            {"description": "Seren attends school every day", "measure": "Attendance above 95%",
             "description_cy": "Mae Seren yn mynd i'r ysgol bob dydd",
             "person_id": fam["seren"]}],
              "actions": [
                  {"description": "Parenting course (Incredible Years)",
                   "description_cy": "Cwrs rhianta (Blynyddoedd Rhyfeddol)", "owner_kind": "person",
                   "owner_id": fam["gwenllian"], "due_on": _ago(ctx, 20), "outcome_index": 0},
                  {"description": "Breakfast club place", "description_cy": "Lle yn y clwb brecwast",
                   "owner_kind": "agency", "owner_id": ag["ysgol_y_dderwen"],
                   "due_on": _ago(ctx, 70), "outcome_index": 1}],
              "assessments": [{"description": "Paediatric assessment of Osian's growth", "specialist": True,
                               "provider": "Hywel Dda paediatrics", "commissioned_on": _ago(ctx, 84)}],
              "support": "Family support worker twice a week.",
              "support_cy": "Gweithiwr cymorth i deuluoedd ddwywaith yr wythnos.",
              "contingency": "If the children go without food again, a strategy discussion is held the same day."})
    plan = sw.store.rows("SELECT id FROM cp_plan_outcome WHERE case_id = ? AND deleted = 0 ORDER BY position",
                         [case_id])
    actions = sw.store.rows("SELECT id FROM cp_plan_action WHERE case_id = ? AND deleted = 0", [case_id])
    groups.hold(case_id, held_on=_ago(ctx, 42), next_on=_ago(ctx, 0),
                attendance=[{"name": "Sian Griffiths", "attended": True},
                            {"name": "Ffion Harries", "attended": False,
                             "written_contribution": "Seren's attendance is now 97%."}],
                progress=[{"outcome_id": plan[0]["id"], "rag": "amber", "evidence": "Lunch boxes most days."},
                          {"outcome_id": plan[1]["id"], "rag": "green", "evidence": "Attendance 97%."}],
                actions=[{"action_id": a["id"], "status": "in_progress"} for a in actions])
    visits = VisitService(sw)
    visits.record(case_id, visited_on=_ago(ctx, 20), location="home", observations="Cupboards stocked.",
                  children=[{"person_id": c, "seen": True, "seen_alone": True, "seen_at_home": True,
                             "bedroom_seen": True} for c in children])
    visits.record(case_id, visited_on=_ago(ctx, 4), location="school",
                  children=[{"person_id": fam["seren"], "seen": True, "seen_alone": True,
                             "lived_experience": "Mae Mam yn gwneud brecwast nawr.",
                             "wishes_feelings": "Dw i eisiau aros adref gyda Mam ac Osian."}])
    # This week: the family has a new regular visitor (the register custodian and the core group are told:
    # N5, N6 and a task in the custodian's My work), and on a home visit nobody answered the door (N13: the
    # co-ordinator made the visit, so the team manager gets the task).
    people = PersonService(sw)
    household = ctx.store.rows("SELECT household_id FROM household_member WHERE person_id = ? AND deleted = 0",
                               [fam["seren"]])[0]["household_id"]
    gethin = people.create({"given_names": "Gethin", "family_name": "Morris", "correspondence_language": "cy"})
    people.join_household(household, gethin["id"], "regular_visitor", from_date=_ago(ctx, 3))
    visits.record(case_id, visited_on=_ago(ctx, 1), location="home", access_denied=True,
                  observations="No answer at the door; curtains drawn.",
                  observations_cy="Dim ateb wrth y drws; y llenni ar gau.",
                  children=[{"person_id": c, "seen": False} for c in children])


def _jones(ctx: Any) -> None:
    sw = ctx.session("sw_tom")
    case_id = ctx.cases["jones_cp"]
    fam, ag, pr = ctx.families["jones"], ctx.agencies, ctx.practitioners
    children = [fam["mason"], fam["ruby"]]
    _to_s47(ctx, sw, case_id, children, report_days=70, strategy_days=66,
            concerns="Mason seen with bruising to his upper arm; health visitor worried about Ruby's weight.",
            categories=["physical", "neglect"])
    conferences = ConferenceService(sw)
    held = _ago(ctx, 45)
    conf = conferences.convene(case_id, kind="initial", scheduled_on=held, chair_id=ctx.staff["tm_cp"],
                               invitees=[{"kind": "person", "id": fam["kelly"]},
                                         {"kind": "agency", "id": ag["llanelli_primary"]}])
    conferences.hold_initial(
        conf["id"], held_on=held, attendance=[{"agency_id": ag["social_services"]}, {"agency_id": ag["police"]},
                                              {"agency_id": ag["health_board"]}],
        decisions=[{"person_id": c, "registered": True,
                    "categories": ["physical"] if c == fam["mason"] else ["neglect"],
                    "coordinator_id": None,  # nobody available: N3 to the senior manager
                    "core_group": [{"practitioner_id": pr["hv_sian"]}, {"practitioner_id": pr["teacher_dan"]}],
                    "outline_plan": "Safe care of both children; weight checks for Ruby; no physical chastisement.",
                    "outline_plan_cy": "Gofal diogel i'r ddau blentyn; gwirio pwysau Ruby; dim cosb gorfforol.",
                    "first_core_group_on": _ago(ctx, 35), "next_review_on": (ctx.today + timedelta(days=45)).isoformat()}
                   for c in children])
    VisitService(sw).record(case_id, visited_on=_ago(ctx, 30), location="home",
                            children=[{"person_id": c, "seen": True, "seen_alone": c == fam["mason"],
                                       "seen_at_home": True} for c in children])
    # The family told us they are moving to Powys: written information is due there within 3 days (C17).
    for child in children:
        TransferService(sw).move_out(case_id, child, notified_on=_ago(ctx, 4), receiving_la="Cyngor Sir Powys",
                                     new_address="4 Stryd Aberriw, Y Trallwng SY21 7JP")
    MyWorkService(ctx.session("tm_cp")).record_absence(ctx.staff["sw_tom"], from_date=_ago(ctx, 3),
                                                      to_date=(ctx.today + timedelta(days=10)).isoformat(),
                                                      reason="Annual leave")
