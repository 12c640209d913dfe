"""Demo adult-at-risk journeys (called by :func:`desktop.services.demo.build_demo`).

Through the real services, as the demo staff, relative to ``ctx.today`` (dates moved back to weekdays):

* ``parry_adult`` — Eirlys Parry (Welsh-speaking; lead co-ordinator Owain Thomas; lead practitioner
  Alun Jones, a community psychiatric nurse): report without her consent → s126 enquiries →
  determination 3 → strategy meeting (IMCA required and instructed; the strategy group set a 2-week
  visiting frequency) → a capacity assessment (lacks capacity to manage her money) and a
  best-interests decision with the people consulted → plan → visits. She has not been offered the
  chance to be seen alone for three weeks (A4 overdue at the stricter 2 weeks) and the plan has not
  been reviewed for seven weeks (A5 overdue).
* ``williams_adult`` — Margaret Williams (English-speaking): the lead co-ordinator role is delegated
  to a health practitioner (Dr Rhiannon Hughes, on the ward) with all four records; statutory
  responsibility stays with the local authority. An adult protection conference is near and the
  police report has not arrived (A7).
* ``hughes_adult`` — Dilys Hughes (English-speaking, new report): s126 enquiries not concluded within
  7 working days (A1 overdue); the strategy meeting on a sister case named no lead practitioner is
  not seeded here (the escalation path is shown by the child protection demo and the tests).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from desktop.services.adults.capacity import CapacityService
from desktop.services.adults.conference import ConferenceService
from desktop.services.adults.coordinator import CoordinatorService
from desktop.services.adults.enquiry import EnquiryService
from desktop.services.adults.partnership import PartnershipService
from desktop.services.adults.plan import PlanService
from desktop.services.adults.report import ReportService
from desktop.services.adults.strategy import StrategyService
from desktop.services.adults.visits import VisitService


def seed(ctx: Any) -> None:
    if "sw_adult" not in ctx.staff:
        return
    if "parry_adult" in ctx.cases:
        _parry(ctx)
    if "williams_adult" in ctx.cases:
        _williams(ctx)
    _hughes(ctx)


def _ago(ctx: Any, n: int) -> str:
    d = ctx.today - timedelta(days=n)
    while d.weekday() >= 5:
        d -= timedelta(days=1)
    return d.isoformat()


def _ahead(ctx: Any, n: int) -> str:
    d = ctx.today + timedelta(days=n)
    while d.weekday() >= 5:
        d += timedelta(days=1)
    return d.isoformat()


def _to_strategy(ctx: Any, sw: Any, case_id: str, *, report_days: int, concluded_days: int, consent: bool,
                 concerns: str, categories: list[str]) -> str:
    reports = ReportService(sw)
    report = reports.record(
        case_id, received_at=f"{_ago(ctx, report_days)}T09:40", source_type="relevant_partner",
        source_detail="Community nursing team", concerns=concerns, categories=categories, consent_given=consent,
        no_consent_reason=None if consent else "She was frightened of her partner's reaction; others in the house"
                                               " may be at risk.")
    screened = reports.screen(report["id"], decision="enquiries", screened_on=report["received_on"])
    EnquiryService(sw).conclude(screened["enquiry"]["id"], concluded_on=_ago(ctx, concluded_days), determination="3",
                                reason="Evidence of abuse; she remains at risk and needs a protection plan.")
    return screened["enquiry"]["id"]


def _parry(ctx: Any) -> None:
    sw = ctx.session("sw_adult")
    case_id = ctx.cases["parry_adult"]
    ag, pr = ctx.agencies, ctx.practitioners
    CoordinatorService(sw).appoint(case_id, ctx.staff["sw_adult"], from_date=_ago(ctx, 50))
    enquiry = _to_strategy(ctx, sw, case_id, report_days=50, concluded_days=45, consent=False,
                           concerns="Gwyn shouts at Eirlys and has taken control of her pension; she has lost weight.",
                           categories=["financial", "emotional"])
    held = _ago(ctx, 43)
    meeting = StrategyService(sw).record(
        case_id, kind="meeting", held_on=held, enquiry_id=enquiry,
        members=[{"agency_id": ag["social_services"], "practitioner_id": ctx.staff["sw_adult"]},
                 {"agency_id": ag["health_board"], "practitioner_id": pr["nurse_alun"]},
                 {"agency_id": ag["gp_surgery"], "practitioner_id": pr["gp_patel"]},
                 {"agency_id": ag["police"], "practitioner_id": pr["pc_morgan"]}],
        decisions="Capacity assessment about her finances; appointee arrangements; daily calls by the nurse; "
                  "Gwyn to be spoken to by the police.",
        lead_practitioner_id=pr["nurse_alun"], visit_every=2, visit_unit="weeks", imca_required=True,
        advocate_offered=True, advocate_type="imca", advocate_response="accepted",
        advocate_provider="Eiriolaeth Gorllewin Cymru / Advocacy West Wales",
        consent_checked="Consent overridden: others at risk and coercion suspected.",
        liaison="Owain Thomas will explain the decisions to Eirlys (in Welsh) and to Gwyn.")
    cap = CapacityService(sw)
    assessment = cap.assess(
        case_id, decision="Managing her pension and bank account", assessed_on=_ago(ctx, 40),
        assessor_id=ctx.staff["sw_adult"], outcome="lacks_capacity",
        evidence="Could not retain what her bank account was for or weigh who might take money from it, after "
                 "two conversations in Welsh with her IMCA present.")
    cap.best_interests(
        case_id, assessment_id=assessment["id"], decision="An appointee from the local authority manages her pension",
        decided_on=_ago(ctx, 38), consulted=["Gwyn Parry (partner)", "Dr Priya Patel (GP)",
                                             "Alun Jones (community psychiatric nurse)", "IMCA"],
        wishes_feelings="Mae Eirlys eisiau aros adref gyda Gwyn ac mae hi eisiau arian i brynu blodau. / Eirlys wants "
                        "to stay at home with Gwyn and wants money to buy flowers.",
        rationale="Least restrictive option that protects her income and keeps her at home.",
        imca_instructed=True, imca_name="Rhys Prosser")
    cap.wishes(case_id, recorded_on=_ago(ctx, 38), wishes_feelings="Eisiau aros adref. / Wants to stay at home.",
               how_expressed="In Welsh, to her IMCA")
    plan = PlanService(sw).start(case_id, started_on=held, strategy_id=meeting["id"],
                                 summary="Cadw arian Eirlys yn ddiogel / Keep Eirlys's money safe",
                                 monitoring="Lead practitioner visits fortnightly; review every 6 weeks")
    outcome = PlanService(sw).add_outcome(plan["id"], description="Eirlys has her own money each week",
                                          measure="Weekly allowance received; appointee statements checked")
    PlanService(sw).add_action(plan["id"], outcome_id=outcome["id"], description="Apply to become appointee",
                               owner_kind="practitioner", owner_id=ctx.staff["sw_adult"], due_on=_ago(ctx, 20))
    PlanService(sw).add_action(plan["id"], outcome_id=outcome["id"], description="Talk to Gwyn about the plan",
                               owner_kind="agency", owner_id=ag["police"])
    PartnershipService(sw).record(
        case_id, recorded_on=_ago(ctx, 36), understands_rationale=False, agrees_to_plan=False,
        regular_contact="Fortnightly visits in Welsh by Alun", told_may_change_mind=True, complaints_explained=True,
        complaints_how="Explained in Welsh with the IMCA; Welsh leaflet left")
    visits = VisitService(sw)
    visits.record(case_id, visited_on=_ago(ctx, 40), location="home", seen=True, offered_alone=False,
                  seen_alone=False, visitor_id=pr["nurse_alun"], not_alone_reason="Gwyn would not leave the room",
                  wishes_feelings="Wedi blino; eisiau i bawb fod yn ffrindiau. / Tired; wants everyone to get on.")
    visits.record(case_id, visited_on=_ago(ctx, 21), location="day_service", seen=True, offered_alone=True,
                  seen_alone=True, visitor_id=pr["nurse_alun"],
                  wishes_feelings="Hapus yn y ganolfan ddydd. / Happy at the day centre.")


def _williams(ctx: Any) -> None:
    sw = ctx.session("sw_adult")
    case_id = ctx.cases["williams_adult"]
    ag, pr = ctx.agencies, ctx.practitioners
    delegate = ctx.write(lambda tx: tx.insert("practitioner", {
        "given_names": "Dr Rhiannon", "family_name": "Hughes", "agency_id": ag["health_board"],
        "job_title": "Consultant geriatrician (delegated lead co-ordinator)", "employed_by_social_services": 0,
        "phone": "01970 623131", "welsh_speaker": 1})["id"], as_staff="sw_adult")
    ctx.practitioners["dr_hughes"] = delegate
    CoordinatorService(sw).appoint(case_id, ctx.staff["sw_adult"], from_date=_ago(ctx, 30))
    _to_strategy(ctx, sw, case_id, report_days=30, concluded_days=24, consent=True,
                 concerns="Bruising on both arms noticed on admission to Bronglais ward; Margaret says her son "
                          "Kevin 'gets cross'.", categories=["physical"])
    CoordinatorService(sw).delegate(
        case_id, delegate_id=delegate, decided_on=_ago(ctx, 23),
        delegate_role="Arrange and chair the strategy meeting and conference while Margaret is an in-patient; "
                      "co-ordinate the ward, GP and police; report to the local authority.",
        la_monitor_id=ctx.staff["tm_adult"],
        la_monitor_role="Team manager, adult safeguarding: monitoring and overview; attends every meeting.",
        rationale="Margaret is on the ward for at least six weeks; the health board holds the relationships and "
                  "the clinical evidence.",
        reporting_arrangements="Written update to the team manager every Friday; the local authority attends the "
                               "strategy meeting and conference; delegation reviewed at discharge.")
    held = _ago(ctx, 20)
    meeting = StrategyService(ctx.session("sw_adult")).record(
        case_id, kind="meeting", held_on=held,
        members=[{"agency_id": ag["health_board"], "practitioner_id": delegate},
                 {"agency_id": ag["social_services"], "practitioner_id": ctx.staff["tm_adult"]},
                 {"agency_id": ag["police"], "practitioner_id": pr["pc_morgan"]},
                 {"agency_id": ag["housing"], "practitioner_id": pr["housing_jo"]}],
        decisions="Kevin not to visit the ward unsupervised; police to investigate; conference after enquiries.",
        lead_practitioner_id=ctx.staff["sw_adult"], advocate_offered=True, advocate_type="independent",
        advocate_response="declined", liaison="Owain Thomas will explain the plan to Margaret and to Kevin.")
    PlanService(sw).start(case_id, started_on=held, strategy_id=meeting["id"],
                          summary="Margaret safe on the ward and on discharge")
    VisitService(sw).record(case_id, visited_on=_ago(ctx, 17), location="hospital", seen=True, offered_alone=True,
                            seen_alone=True, wishes_feelings="Wants to go home; does not want Kevin in trouble.")
    conference = ConferenceService(sw).convene(case_id, scheduled_on=_ahead(ctx, 1),
                                               agency_ids=[ag["health_board"], ag["police"], ag["housing"]])
    ConferenceService(sw).report_received(conference["id"], ag["health_board"], received_on=_ago(ctx, 2))
    ConferenceService(sw).report_received(conference["id"], ag["housing"], received_on=_ago(ctx, 1))


def _hughes(ctx: Any) -> None:
    from desktop.services.cases import CaseService
    from desktop.services.persons import PersonService

    sw = ctx.session("sw_adult")
    people = PersonService(sw)
    dilys = people.create({"given_names": "Dilys", "family_name": "Hughes", "date_of_birth": "1939-06-14",
                           "correspondence_language": "en", "first_language": "en"})
    people.add_address(dilys["id"], {"line1": "Flat 2, Ocean View", "town": "Aberaeron", "postcode": "SA46 0AA",
                                     "from_date": "2015-03-01"})
    case = CaseService(sw).create("adult_at_risk", subject_ids=[dilys["id"]], team_id=ctx.teams["adult"],
                                  opened_on=ctx.working_days_ago(12))
    ctx.cases["hughes_adult"] = case["id"]
    CoordinatorService(sw).appoint(case["id"], ctx.staff["sw_adult"], from_date=ctx.working_days_ago(12))
    report = ReportService(sw).record(
        case["id"], received_at=f"{ctx.working_days_ago(12)}T14:05", source_type="public",
        source_detail="Neighbour", concerns="Carers not turning up; Dilys found on the floor twice.",
        categories=["neglect"], consent_given=True)
    ReportService(sw).screen(report["id"], decision="enquiries", screened_on=report["received_on"])
