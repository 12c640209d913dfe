"""Demo journeys for Children in Need and Children in Care (Qt-free), through the real services.

:func:`seed` is called by :func:`desktop.services.demo.build_demo` with its
:class:`~desktop.services.demo.DemoContext`. It adds:

* ``pritchard_cin`` — Elis Pritchard (11), a Welsh-speaking family: his mother Nia has multiple
  sclerosis and Elis is a young carer. Assessment (Elis at school, Nia, the GP), category of need N3,
  a Child in Need plan with outcomes and actions, a review meeting with Elis, his mother and the
  professionals, the next review now due; his wishes and feelings in Welsh.
* ``tyler_lac`` — Tyler Evans-Hughes (13), looked after for over a year: a foster placement that
  broke down, a residential placement out of county and outside Wales (Shropshire), and now a
  connected person placement with his aunt in Swansea (another authority). Overdue: the placement plan
  for the current placement is unsigned (L2), no statutory visit since he moved (L3), no GP
  registration for the new placement (L11).
* ``lili_lac`` — Lili Morgan, a baby looked after at three weeks old on an interim care order, placed
  with foster-to-adopt carers (her permanent home) within two months while care proceedings are still
  open; her second looked-after review is overdue (L7) and she has no dentist yet (L11).

Every write goes through the services (one transaction each), as the demo staff.
"""

from __future__ import annotations

from typing import Any

from desktop.services.children.cin import ChildInNeedService
from desktop.services.children.looked_after import LookedAfterService
from desktop.services.children.permanence import PermanenceService
from desktop.services.children.placements import PlacementService
from desktop.services.children.voice import VoiceService


def seed(ctx: Any) -> None:
    """Add the Children in Need and Children in Care journeys to the demo profile."""
    _child_in_need(ctx)
    _tyler(ctx)
    _lili(ctx)


def _child_in_need(ctx: Any) -> None:
    case = ctx.cases["pritchard_cin"]
    family = ctx.families["pritchard"]
    elis, nia = family["elis"], family["nia"]
    sw = ctx.session("sw_cin")
    cin = ChildInNeedService(sw)
    a = cin.start_assessment(case, elis, started_on=ctx.days_ago(88))
    cin.record_contact(a["id"], kind="child", spoken_on=ctx.days_ago(86), method="Yn yr ysgol, ar ei ben ei hun",
                       summary="Mae Elis yn helpu Mam bob bore cyn yr ysgol ac yn poeni amdani.")
    cin.record_contact(a["id"], kind="family", person_id=nia, spoken_on=ctx.days_ago(85), method="Ymweliad cartref",
                       summary="Nia would like help so that Elis can be a child; she asked for everything in Welsh.")
    cin.record_contact(a["id"], kind="professional", practitioner_id=ctx.practitioners["gp_patel"],
                       agency_id=ctx.agencies["gp_surgery"], spoken_on=ctx.days_ago(84),
                       summary="Nia's MS has progressed; a care and support assessment for her is under way.")
    cin.complete_assessment(
        a["id"], findings="Elis is a young carer for his mother. He is doing well at school but tired and anxious.",
        conclusion="cin_plan", need_category="N3", completed_on=ctx.days_ago(80))
    plan = cin.start_plan(case, elis, started_on=ctx.days_ago(75), assessment_id=a["id"],
                          review_arrangements="Adolygiad bob 3 mis / Review every 3 months",
                          next_review_on=ctx.days_ago(45))
    o1 = cin.add_outcome(plan["id"], description="Mae gan Elis amser iddo'i hun / Elis has time for himself",
                         measure="Elis goes to the youth club twice a week", rag="amber")
    o2 = cin.add_outcome(plan["id"], description="Nia has the care she needs at home",
                         measure="Morning and evening calls in place", rag="green")
    cin.add_action(plan["id"], description="Referral to the young carers' service", owner_kind="agency",
                   owner_name="Gwasanaeth Gofalwyr Ifanc / Young Carers Service", outcome_id=o1["id"],
                   due_on=ctx.days_ago(60))
    cin.add_action(plan["id"], description="Take Elis to the youth club on Tuesdays", owner_kind="person",
                   owner_id=nia, outcome_id=o1["id"], due_on=ctx.days_ago(50))
    cin.add_action(plan["id"], description="Adult care and support assessment for Nia", owner_kind="practitioner",
                   owner_id=ctx.staff["sw_adult"], outcome_id=o2["id"], due_on=ctx.days_ago(40))
    cin.record_review(plan["id"], held_on=ctx.days_ago(45), child_participation="attended", decision="continue",
                      next_review_on=ctx.days_ago(3), chair_id=ctx.staff["tm_cin"],
                      summary="Cyfarfod yn Gymraeg. Elis enjoys the youth club; calls for Nia started.",
                      attendees=[{"kind": "family", "person_id": nia},
                                 {"kind": "professional", "practitioner_id": ctx.practitioners["gp_patel"],
                                  "attended": False},
                                 {"kind": "professional", "practitioner_id": ctx.staff["sw_cin"]}])
    VoiceService(sw).record(case, elis, kind="wishes_feelings", recorded_on=ctx.days_ago(45), language="cy",
                            method="Siarad yn y cyfarfod adolygu",
                            content="Dw i eisiau i Mam fod yn iawn, ond dw i eisiau chwarae pêl-droed hefyd.")


def _tyler(ctx: Any) -> None:
    case = ctx.cases["tyler_lac"]
    tyler = ctx.families["evans_hughes"]["tyler"]
    sw, tm = ctx.session("sw_cic"), ctx.session("tm_cic")
    lac, places = LookedAfterService(sw), PlacementService(sw)
    cin = ChildInNeedService(sw)
    proc = cin.start_proceedings(case, tyler, kind="care_proceedings", stage="application_issued",
                                 started_on=ctx.days_ago(402), court="Llys Teulu Abertawe / Swansea Family Court")
    episode = lac.become_looked_after(case, tyler, started_on=ctx.days_ago(400), legal_status="interim_care_order")
    cin.proceedings_stage(proc["id"], stage="final_hearing", on_date=ctx.days_ago(290))
    cin.proceedings_stage(proc["id"], stage="concluded", on_date=ctx.days_ago(290), outcome="care_order")
    lac.change_legal_status(episode["id"], legal_status="full_care_order", from_date=ctx.days_ago(290))
    LookedAfterService(tm).assign_iro(case, ctx.staff["iro"], from_date=ctx.days_ago(400))
    lac.record_care_plan(case, tyler, prepared_on=ctx.days_ago(395))
    places.add(case, tyler, placement_type="foster", start_on=ctx.days_ago(400), end_on=ctx.days_ago(230),
               end_reason="breakdown", end_note="Carers could not manage Tyler's behaviour at night.",
               carer_name="Mr and Mrs Jenkins", line1="3 Heol y Parc", town="Rhydaman", postcode="SA18 3EF")
    places.add(case, tyler, placement_type="residential", start_on=ctx.days_ago(230), end_on=ctx.days_ago(40),
               end_reason="planned_move", provider_name="Oakfield Children's Home", line1="Oakfield House",
               town="Oswestry", county="Shropshire", postcode="SY11 1AA", country="GB",
               host_authority="Shropshire Council", out_of_county=True, panel_approved_on=ctx.days_ago(232))
    current = places.add(case, tyler, placement_type="connected_person", start_on=ctx.days_ago(40),
                         carer_name="Anti Lisa / Aunt Lisa Hughes", line1="27 Heol y Mor", town="Abertawe / Swansea",
                         postcode="SA1 3AB", host_authority="Cyngor Abertawe / Swansea Council", out_of_county=True,
                         intended_until_18=True)
    places.record_plan(current["id"], prepared_on=ctx.days_ago(38))  # prepared, never signed: L2 overdue
    for days in (396, 360, 318, 276, 234, 190, 150, 100, 50):
        lac.record_visit(case, tyler, visited_on=ctx.days_ago(days), seen=True, seen_alone=days % 2 == 0,
                         location="placement")
    for held, nxt in ((372, 285), (285, 105), (105, -75)):
        lac.record_review(case, tyler, held_on=ctx.days_ago(held), chair_id=ctx.staff["iro"],
                          child_seen_privately=True, child_participation="attended", next_review_on=ctx.days_ago(nxt),
                          decisions="Tyler wants to live with his aunt; contact with Mum fortnightly.")
    lac.record_health(case, tyler, kind="health_assessment_initial", on_date=ctx.days_ago(380))
    lac.record_health(case, tyler, kind="health_assessment_review", on_date=ctx.days_ago(20))
    lac.record_health(case, tyler, kind="dentist_registered", on_date=ctx.days_ago(380))
    lac.record_pep(case, tyler, on_date=ctx.days_ago(100), school="Ysgol Gyfun Gŵyr", idp_included=True)
    PermanenceService(sw).set_plan(case, tyler, route="kinship", decided_on=ctx.days_ago(105),
                                   target_on=ctx.days_ago(-120), notes="Special guardianship assessment of Lisa.")
    voice = VoiceService(sw)
    voice.record(case, tyler, kind="wishes_feelings", recorded_on=ctx.days_ago(50), language="en",
                 content="I want to stay with Aunt Lisa and keep going to football.")
    voice.record(case, tyler, kind="life_story", recorded_on=ctx.days_ago(30),
                 content="Started a memory box: photos from the Jenkins family and Oakfield.")


def _lili(ctx: Any) -> None:
    case = ctx.cases["lili_lac"]
    lili = ctx.families["morgan"]["lili"]
    sw, tm = ctx.session("sw_cic"), ctx.session("tm_cic")
    lac, places = LookedAfterService(sw), PlacementService(sw)
    cin = ChildInNeedService(sw)
    proc = cin.start_proceedings(case, lili, kind="care_proceedings", stage="application_issued",
                                 started_on=ctx.days_ago(166), court="Llys Teulu Abertawe / Swansea Family Court")
    cin.proceedings_stage(proc["id"], stage="interim_care_order", on_date=ctx.days_ago(165))
    cin.proceedings_stage(proc["id"], stage="issues_resolution_hearing", on_date=ctx.days_ago(20))
    lac.become_looked_after(case, lili, started_on=ctx.days_ago(165), legal_status="interim_care_order")
    LookedAfterService(tm).assign_iro(case, ctx.staff["iro"], from_date=ctx.days_ago(165))
    lac.record_care_plan(case, lili, prepared_on=ctx.days_ago(163))
    first = places.add(case, lili, placement_type="foster", start_on=ctx.days_ago(165),
                       carer_name="Mrs Eirian Davies (emergency foster carer)", line1="Tŷ Gwyn", town="Caerfyrddin",
                       postcode="SA31 2AB")
    places.record_plan(first["id"], prepared_on=ctx.days_ago(165), signed_on=ctx.days_ago(164),
                       signed_by="Leah Morgan", iro_informed_on=ctx.days_ago(164))
    lac.record_visit(case, lili, visited_on=ctx.days_ago(161), seen=True, location="placement")
    home = places.move(case, lili, on=ctx.days_ago(120), reason="permanence", placement_type="foster",
                       carer_name="Rhys a Manon Lewis (foster to adopt)", line1="Hafod", town="Llanymddyfri",
                       postcode="SA20 0AA", permanent_home=True, intended_until_18=True)
    places.record_plan(home["id"], prepared_on=ctx.days_ago(121), signed_on=ctx.days_ago(119),
                       signed_by="Leah Morgan", iro_informed_on=ctx.days_ago(119))
    lac.record_health(case, lili, kind="health_assessment_initial", on_date=ctx.days_ago(150))
    lac.record_health(case, lili, kind="gp_registered", on_date=ctx.days_ago(115))
    for days in (117, 75, 33, 10):
        lac.record_visit(case, lili, visited_on=ctx.days_ago(days), seen=True, location="placement")
    lac.record_review(case, lili, held_on=ctx.days_ago(140), chair_id=ctx.staff["iro"], child_seen_privately=False,
                      child_participation="not_appropriate", next_review_on=ctx.days_ago(50),
                      decisions="Twin-track: adoption if rehabilitation to Leah is not possible.")
    PermanenceService(sw).set_plan(case, lili, route="adoption", decided_on=ctx.days_ago(140),
                                   target_on=ctx.days_ago(-90))
    VoiceService(sw).record(case, lili, kind="life_story", recorded_on=ctx.days_ago(100),
                            content="Photographs of Lili with Leah at contact, and a letter from Leah.")
