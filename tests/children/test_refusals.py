"""Refusals: nothing is written, and the reason is clear."""

from __future__ import annotations

from datetime import date

import pytest

from desktop.errors import PermissionDenied, ValidationError
from desktop.services.children import (
    ChildInNeedService,
    LookedAfterService,
    PermanenceService,
    PlacementService,
    VoiceService,
)
from tests.children.conftest import placement


def _count(w, table: str) -> int:
    return w.sw.store.rows(f"SELECT count(*) AS n FROM {table}")[0]["n"]


@pytest.fixture
def looked_after(world):
    w, ids = world, world.ids
    w.clock.day = date(2026, 10, 20)
    LookedAfterService(w.sw).become_looked_after(ids["case"], ids["elis"], started_on="2026-10-05",
                                                 legal_status="section_76")
    return w


def test_overlapping_placement_is_refused_with_the_other_placements_carer_and_dates(looked_after):
    w, ids = looked_after, looked_after.ids
    places = PlacementService(w.sw)
    first = places.add(ids["case"], ids["elis"], **placement(end_on="2026-10-12", end_reason="planned_move"))
    places.add(ids["case"], ids["elis"], **placement(start_on="2026-10-12", carer_name="Mrs Bowen"))
    before = _count(w, "lac_placement")
    with pytest.raises(ValidationError) as err:
        places.add(ids["case"], ids["elis"], **placement(start_on="2026-10-15", carer_name="Ty Newydd"))
    assert err.value.field == "start_on"
    assert "Mrs Bowen" in str(err.value) and "12 Oct 2026" in str(err.value)
    with pytest.raises(ValidationError) as err:  # a closed placement inside the first one
        places.add(ids["case"], ids["elis"], **placement(start_on="2026-10-06", end_on="2026-10-08",
                                                         end_reason="other"))
    assert "Mr and Mrs Lloyd" in str(err.value) and "5 Oct 2026" in str(err.value)
    assert _count(w, "lac_placement") == before
    # Back to back is not an overlap: the first ended on the 12th, the second started that day.
    assert first["end_on"] == "2026-10-12"


def test_placement_plan_signed_without_a_signatory_is_refused(looked_after):
    w, ids = looked_after, looked_after.ids
    places = PlacementService(w.sw)
    p = places.add(ids["case"], ids["elis"], **placement())
    with pytest.raises(ValidationError) as err:
        places.record_plan(p["id"], prepared_on="2026-10-06", signed_on="2026-10-07")
    assert err.value.field == "signed_by" and "appropriate person" in str(err.value)
    with pytest.raises(ValidationError) as err:
        places.record_plan(p["id"], prepared_on="2026-10-06", signed_on="2026-10-07", signed_by="  ")
    assert err.value.field == "signed_by"
    with pytest.raises(ValidationError) as err:
        places.record_plan(p["id"], prepared_on="2026-10-06", signed_by="Helen Davies")
    assert err.value.field == "signed_on"
    with pytest.raises(ValidationError):
        places.record_plan(p["id"], prepared_on="2026-10-08", signed_on="2026-10-07", signed_by="Helen Davies")
    row = w.sw.store.rows("SELECT plan_signed_on, plan_signed_by FROM lac_placement WHERE id = ?", [p["id"]])[0]
    assert row == {"plan_signed_on": None, "plan_signed_by": None}
    ok = places.record_plan(p["id"], prepared_on="2026-10-06", signed_on="2026-10-07", signed_by="Helen Davies")
    assert ok["plan_signed_by"] == "Helen Davies"


def test_action_without_an_owner_is_refused(world):
    w, ids = world, world.ids
    cin = ChildInNeedService(w.sw)
    plan = cin.start_plan(ids["case"], ids["elis"], started_on="2026-09-20", next_review_on="2026-12-01")
    for kwargs in ({"owner_kind": None}, {"owner_kind": "person"}, {"owner_kind": "person", "owner_name": "  "},
                   {"owner_kind": "agency", "owner_id": "no-such-agency"}):
        with pytest.raises(ValidationError) as err:
            cin.add_action(plan["id"], description="Transport to Ysgol Bro Dinefwr", **kwargs)
        assert err.value.field == "owner" and "owner" in str(err.value)
    assert _count(w, "cin_plan_action") == 0
    action = cin.add_action(plan["id"], description="Transport to school", owner_kind="person", owner_id=ids["nia"])
    assert action["owner_name"] == "Nia Pritchard"
    with pytest.raises(ValidationError):
        cin.update_action(action["id"], owner_name="")


@pytest.mark.parametrize("call", ["assessment", "plan", "placement", "visit", "review", "voice", "proceedings",
                                  "looked_after", "permanence"])
def test_future_dates_are_refused(looked_after, call):
    w, ids = looked_after, looked_after.ids
    future = "2026-10-21"  # the clock says 20 October
    cin, lac = ChildInNeedService(w.sw), LookedAfterService(w.sw)
    calls = {
        "assessment": lambda: cin.start_assessment(ids["case"], ids["elis"], started_on=future),
        "plan": lambda: cin.start_plan(ids["case"], ids["elis"], started_on=future),
        "placement": lambda: PlacementService(w.sw).add(ids["case"], ids["elis"], **placement(start_on=future)),
        "visit": lambda: lac.record_visit(ids["case"], ids["elis"], visited_on=future, seen=True),
        "review": lambda: lac.record_review(ids["case"], ids["elis"], held_on=future, chair_id=ids["iro"],
                                            child_seen_privately=True),
        "voice": lambda: VoiceService(w.sw).record(ids["case"], ids["elis"], kind="wishes_feelings",
                                                   recorded_on=future, content="Rydw i eisiau aros yn yr ysgol."),
        "proceedings": lambda: cin.start_proceedings(ids["case"], ids["elis"], kind="care_proceedings",
                                                     stage="application_issued", started_on=future),
        "looked_after": lambda: LookedAfterService(w.sw).end_episode(
            w.sw.store.rows("SELECT id FROM lac_episode")[0]["id"], ended_on=future, reason="Returned home"),
        "permanence": lambda: PermanenceService(w.sw).set_plan(ids["case"], ids["elis"], route="adoption",
                                                               decided_on=future),
    }
    audit_before = _count(w, "audit")
    with pytest.raises(ValidationError) as err:
        calls[call]()
    assert "future" in str(err.value)
    assert _count(w, "audit") == audit_before


def test_review_must_be_chaired_by_the_childs_iro(looked_after):
    w, ids = looked_after, looked_after.ids
    lac = LookedAfterService(w.sw)
    with pytest.raises(ValidationError) as err:
        lac.record_review(ids["case"], ids["elis"], held_on="2026-10-19", chair_id=ids["iro"],
                          child_seen_privately=True)
    assert "independent reviewing officer" in str(err.value)
    with pytest.raises(PermissionDenied):
        lac.assign_iro(ids["case"], ids["iro"], from_date="2026-10-06")  # a social worker cannot
    LookedAfterService(w.as_("sm")).assign_iro(ids["case"], ids["iro"], from_date="2026-10-06")
    with pytest.raises(ValidationError) as err:
        lac.record_review(ids["case"], ids["elis"], held_on="2026-10-19", chair_id=ids["sw"],
                          child_seen_privately=True)
    assert err.value.field == "chair_id"
    review = lac.record_review(ids["case"], ids["elis"], held_on="2026-10-19", chair_id=ids["iro"],
                               child_seen_privately=True, next_review_on="2027-01-19")
    assert review["chair_id"] == ids["iro"]


def test_assessment_needs_the_child_and_family_spoken_to_and_n8_n9_not_for_unborn(world):
    w, ids = world, world.ids
    cin = ChildInNeedService(w.sw)
    a = cin.start_assessment(ids["case"], ids["elis"], started_on="2026-09-02")
    with pytest.raises(ValidationError) as err:
        cin.complete_assessment(a["id"], findings="Mam has MS; Elis is a young carer.", conclusion="cin_plan",
                                need_category="N3")
    assert "child" in str(err.value)
    cin.record_contact(a["id"], kind="child", spoken_on="2026-09-03", method="at school, alone")
    with pytest.raises(ValidationError) as err:
        cin.complete_assessment(a["id"], findings="Mam has MS; Elis is a young carer.", conclusion="cin_plan",
                                need_category="N3")
    assert "family" in str(err.value)
    cin.record_contact(a["id"], kind="family", person_id=ids["nia"], spoken_on="2026-09-04")
    with pytest.raises(ValidationError) as err:
        cin.complete_assessment(a["id"], findings="x", conclusion="cin_plan", need_category=None)
    assert err.value.field == "need_category"
    with pytest.raises(ValidationError):
        cin.complete_assessment(a["id"], findings="x", conclusion="cin_plan", need_category="N10")
    with pytest.raises(ValidationError):
        cin.record_contact(a["id"], kind="professional", spoken_on="2026-09-01", name="Dr Patel")  # before start
    from desktop.services.persons import PersonService

    unborn = PersonService(w.sw).create({"family_name": "Pritchard", "unborn": 1, "expected_date": "2027-01-15"},
                                        case_id=ids["case"])
    b = cin.start_assessment(ids["case"], unborn["id"], started_on="2026-09-10")
    cin.record_contact(b["id"], kind="child", spoken_on="2026-09-10", name="Unborn baby (scan seen)")
    cin.record_contact(b["id"], kind="family", person_id=ids["nia"], spoken_on="2026-09-10")
    with pytest.raises(ValidationError) as err:
        cin.complete_assessment(b["id"], findings="x", conclusion="cin_plan", need_category="N8")
    assert "N8" in str(err.value)


def test_review_needs_family_and_professionals(world):
    w, ids = world, world.ids
    cin = ChildInNeedService(w.sw)
    plan = cin.start_plan(ids["case"], ids["elis"], started_on="2026-09-20", next_review_on="2026-09-30")
    with pytest.raises(ValidationError) as err:
        cin.record_review(plan["id"], held_on="2026-09-30", child_participation="attended", decision="continue",
                          next_review_on="2026-12-01",
                          attendees=[{"kind": "professional", "practitioner_id": ids["teacher"]}])
    assert "family" in str(err.value)
    with pytest.raises(ValidationError) as err:
        cin.record_review(plan["id"], held_on="2026-09-30", child_participation="attended", decision="continue",
                          attendees=[{"kind": "professional", "practitioner_id": ids["teacher"]},
                                     {"kind": "family", "person_id": ids["nia"]}])
    assert err.value.field == "next_review_on"
    assert _count(w, "cin_review") == 0


def test_become_looked_after_twice_and_placement_before_care_are_refused(looked_after):
    w, ids = looked_after, looked_after.ids
    with pytest.raises(ValidationError):
        LookedAfterService(w.sw).become_looked_after(ids["case"], ids["elis"], started_on="2026-10-06",
                                                     legal_status="section_76")
    with pytest.raises(ValidationError) as err:
        PlacementService(w.sw).add(ids["case"], ids["elis"], **placement(start_on="2026-10-01"))
    assert err.value.field == "start_on"
    with pytest.raises(ValidationError) as err:
        PlacementService(w.sw).add(ids["case"], ids["elis"], **placement(country="Wales"))
    assert err.value.field == "country"
    with pytest.raises(ValidationError):
        PlacementService(w.sw).add(ids["case"], ids["elis"], **placement(carer_name=None))
