"""The looked-after facts at the rule boundaries (L1, L2, L3, L11), through the real store, the
provider's aggregate query and the shipped rules."""

from __future__ import annotations

from datetime import date

import pytest

from desktop.domain.engine import default_engine
from desktop.errors import ValidationError
from desktop.services.children import LookedAfterService, PlacementService
from desktop.services.children.facts import facts_for
from desktop.services.my_work import MyWorkService
from tests.children.conftest import placement


def due(w, on: str) -> dict:
    """{rule id: DueItem} for Elis on ``on`` (the clock is moved there too)."""
    w.clock.day = date.fromisoformat(on)
    facts = facts_for(w.sw.store, w.ids["case"], w.ids["elis"], w.clock.day)
    assert facts is not None
    return {i.rule_id: i for i in default_engine().due_items([facts], w.clock.day)}


@pytest.fixture
def placed(world):
    """Looked after and placed on Monday 5 October 2026."""
    w, ids = world, world.ids
    w.clock.day = date(2026, 10, 5)
    LookedAfterService(w.sw).become_looked_after(ids["case"], ids["elis"], started_on="2026-10-05",
                                                 legal_status="interim_care_order")
    ids["placement"] = PlacementService(w.sw).add(ids["case"], ids["elis"], **placement())["id"]
    return w


def test_l1_care_and_support_plan_within_10_working_days(placed):
    w, ids = placed, placed.ids
    assert due(w, "2026-10-16")["L1"].status == "upcoming"  # Friday; due on Monday
    at = due(w, "2026-10-19")["L1"]
    assert (at.due, at.status, at.unit) == (date(2026, 10, 19), "due_today", "working_days")
    late = due(w, "2026-10-20")["L1"]
    assert (late.status, late.days_overdue, late.overdue_unit) == ("overdue", 1, "working_days")
    LookedAfterService(w.sw).record_care_plan(ids["case"], ids["elis"], prepared_on="2026-10-20")
    assert "L1" not in due(w, "2026-10-20")


def test_l1_a_plan_prepared_before_the_placement_counts(placed):
    w, ids = placed, placed.ids
    LookedAfterService(w.sw).record_care_plan(ids["case"], ids["elis"], prepared_on="2026-10-02")
    assert "L1" not in due(w, "2026-10-05")


def test_l2_placement_plan_within_5_working_days_counts_only_when_signed(placed):
    w, ids = placed, placed.ids
    places = PlacementService(w.sw)
    assert due(w, "2026-10-12")["L2"].due == date(2026, 10, 12)
    assert due(w, "2026-10-12")["L2"].status == "due_today"
    places.record_plan(ids["placement"], prepared_on="2026-10-08")  # prepared, not yet signed
    late = due(w, "2026-10-13")["L2"]
    assert (late.status, late.days_overdue) == ("overdue", 1)
    places.record_plan(ids["placement"], prepared_on="2026-10-08", signed_on="2026-10-13",
                       signed_by="Carys Lloyd (team manager)")
    assert "L2" not in due(w, "2026-10-13")
    # A move: the new placement needs its own plan; the old placement's plan does not count.
    w.clock.day = date(2026, 11, 2)
    new = places.move(ids["case"], ids["elis"], on="2026-11-02", reason="carer_request",
                      **{k: v for k, v in placement(carer_name="Mrs Bowen").items() if k != "start_on"})
    assert due(w, "2026-11-02")["L2"].due == date(2026, 11, 9)
    places.record_plan(new["id"], prepared_on="2026-11-02", signed_on="2026-11-02", signed_by="Carys Lloyd")
    assert "L2" not in due(w, "2026-11-02")


def test_l3_first_visit_within_a_week_then_every_six_weeks(placed):
    w, ids = placed, placed.ids
    lac = LookedAfterService(w.sw)
    first = due(w, "2026-10-12")["L3a"]
    assert (first.due, first.status, first.offset, first.unit) == (date(2026, 10, 12), "due_today", 1, "weeks")
    assert due(w, "2026-10-13")["L3a"].days_overdue == 1
    lac.record_visit(ids["case"], ids["elis"], visited_on="2026-10-13", seen=False, notes="Out with carer")
    assert due(w, "2026-10-13")["L3a"].status == "overdue"  # not seen: the visit does not count
    lac.record_visit(ids["case"], ids["elis"], visited_on="2026-10-13", seen=True, seen_alone=True)
    nxt = due(w, "2026-10-13")["L3a"]
    assert (nxt.due, nxt.offset, nxt.unit, nxt.status) == (date(2026, 11, 24), 6, "weeks", "upcoming")
    assert due(w, "2026-11-24")["L3a"].status == "due_today"
    assert due(w, "2026-11-25")["L3a"].status == "overdue"


@pytest.mark.parametrize(("until_18", "rule", "due_on"), [(True, "L3b", date(2027, 1, 12)),
                                                           (False, "L3c", date(2026, 11, 23))])
def test_l3_after_the_first_year_three_months_if_the_placement_lasts_to_18(world, until_18, rule, due_on):
    w, ids = world, world.ids
    w.clock.day = date(2026, 11, 20)
    lac = LookedAfterService(w.sw)
    lac.become_looked_after(ids["case"], ids["elis"], started_on="2025-10-06", legal_status="full_care_order")
    PlacementService(w.sw).add(ids["case"], ids["elis"],
                               **placement(start_on="2025-10-06", intended_until_18=until_18))
    lac.record_visit(ids["case"], ids["elis"], visited_on="2025-10-10", seen=True)
    lac.record_visit(ids["case"], ids["elis"], visited_on="2026-09-01", seen=True)
    # Last visit inside the first year: the six-weekly rule still governs the next one.
    items = due(w, "2026-10-05")
    assert items["L3a"].due == date(2026, 10, 13) and "L3b" not in items and "L3c" not in items
    w.clock.day = date(2026, 11, 20)
    lac.record_visit(ids["case"], ids["elis"], visited_on="2026-10-12", seen=True)
    items = due(w, "2026-11-20")
    assert "L3a" not in items
    assert items[rule].due == due_on
    other = "L3c" if rule == "L3b" else "L3b"
    assert other not in items


def test_l11_gp_within_10_working_days_of_each_placement_and_dentist_within_3_months(placed):
    w, ids = placed, placed.ids
    lac, places = LookedAfterService(w.sw), PlacementService(w.sw)
    items = due(w, "2026-10-19")
    assert (items["L11a"].due, items["L11a"].status) == (date(2026, 10, 19), "due_today")
    assert items["L11b"].due == date(2027, 1, 5)
    assert due(w, "2026-10-20")["L11a"].days_overdue == 1
    lac.record_health(ids["case"], ids["elis"], kind="gp_registered", on_date="2026-10-15", provider="Meddygfa'r Tywi")
    assert "L11a" not in due(w, "2026-10-20")
    w.clock.day = date(2026, 11, 2)
    places.move(ids["case"], ids["elis"], on="2026-11-02", reason="planned_move", placement_type="foster",
                carer_name="Mr Rees", line1="2 Stryd y Castell", town="Aberhonddu", postcode="LD3 7AA",
                out_of_county=True, host_authority="Powys")
    items = due(w, "2026-11-16")
    assert (items["L11a"].due, items["L11a"].status) == (date(2026, 11, 16), "due_today")
    lac.record_health(ids["case"], ids["elis"], kind="gp_registered", on_date="2026-11-16")
    lac.record_health(ids["case"], ids["elis"], kind="dental_check", on_date="2026-11-16")
    items = due(w, "2026-11-16")
    assert "L11a" not in items and "L11b" not in items


def test_my_work_shows_looked_after_items_with_their_actions(placed):
    w = placed
    w.clock.day = date(2026, 10, 20)
    items = {i.rule_id: i for i in MyWorkService(w.sw).items(date(2026, 10, 20))}
    assert items["L1"].status == "overdue" and items["L1"].action == "record_care_plan"
    assert items["L2"].action == "record_placement_plan" and items["L3a"].action == "record_lac_visit"
    assert items["L1"].person_name == "Elis Pritchard" and items["L1"].population == "looked_after"
    assert items["L1"].reason


def test_c21_review_conference_items_move_to_an_earlier_looked_after_review():
    from desktop.domain.engine import DueItem
    from desktop.services.children.facts import align_due_items

    def item(rule: str, due_on: date, person: str = "p1") -> DueItem:
        return DueItem("c1", person, rule, due_on, "upcoming", "should", 0, "days", "x", "chain", 3, "months",
                       date(2026, 9, 1), None, 0)

    on = date(2026, 11, 23)  # a Monday
    items = [item("C12", date(2026, 12, 28)), item("L7", date(2026, 11, 27)),
             item("C12", date(2026, 12, 1), "p2"), item("L7", date(2027, 1, 5), "p2")]
    out = {(i.person_id, i.rule_id): i for i in align_due_items(items, on)}
    assert (out[("p1", "C12")].due, out[("p1", "C12")].status) == (date(2026, 11, 27), "due_this_week")
    assert out[("p2", "C12")].due == date(2026, 12, 1)  # C12's maximum is never exceeded
    assert out[("p1", "L7")] == items[1]


def test_c21_uses_the_review_the_iro_scheduled_when_it_is_within_l7():
    from desktop.domain.engine import DueItem, SubjectFacts
    from desktop.services.children.facts import align_due_items

    def item(rule: str, due_on: date) -> DueItem:
        return DueItem("c1", "p1", rule, due_on, "upcoming", "should", 0, "days", "x", "chain", 3, "months",
                       date(2026, 9, 1), None, 0)

    def lac(scheduled: date | None) -> dict:
        return {("c1", "p1"): [SubjectFacts("c1", "p1", frozenset({"looked_after", "registered"}),
                                            {"lac_review_scheduled": scheduled})]}

    on = date(2026, 11, 23)
    items = [item("C12", date(2026, 12, 28)), item("L7", date(2027, 2, 13))]  # L7 alone: C12 stands
    due = {i.rule_id: i.due for i in align_due_items(items, on)}
    assert due["C12"] == date(2026, 12, 28)
    due = {i.rule_id: i.due for i in align_due_items(items, on, lac(date(2026, 12, 10)))}
    assert due["C12"] == date(2026, 12, 10) and due["L7"] == date(2027, 2, 13)
    later_than_l7 = align_due_items([item("C12", date(2026, 12, 28)), item("L7", date(2026, 12, 20))], on,
                                    lac(date(2027, 3, 1)))
    assert {i.rule_id: i.due for i in later_than_l7}["C12"] == date(2026, 12, 20)
    missed = align_due_items(items, on, lac(date(2026, 11, 20)))  # scheduled, passed, not held
    assert {i.rule_id: i.due for i in missed}["C12"] == date(2026, 12, 28)


def test_a_corrected_visit_replaces_the_original_in_the_facts(placed):
    w, ids = placed, placed.ids
    lac = LookedAfterService(w.sw)
    w.clock.day = date(2026, 10, 13)
    visit = lac.record_visit(ids["case"], ids["elis"], visited_on="2026-10-09", seen=True)
    assert "L3a" not in {r for r, i in due(w, "2026-10-13").items() if i.status == "overdue"}
    lac.amend_visit(visit["id"], reason="Elis was at his nain's; he was not seen.", seen=False)
    assert due(w, "2026-10-13")["L3a"].status == "overdue"
    with pytest.raises(ValidationError):
        lac.amend_visit(visit["id"], reason="again", seen=True)  # correct the latest version instead
    assert w.sw.store.rows("SELECT count(*) AS n FROM lac_visit")[0]["n"] == 2


def test_l10_personal_education_plan_by_the_default_of_20_working_days(placed):
    w, ids = placed, placed.ids
    assert due(w, "2026-10-30")["L10"].due == date(2026, 11, 2)  # looked after Monday 5 October
    assert due(w, "2026-11-02")["L10"].status == "due_today"
    late = due(w, "2026-11-03")["L10"]
    assert (late.status, late.days_overdue, late.severity) == ("overdue", 1, "should")
    items = {i.rule_id: i for i in MyWorkService(w.sw).items(date(2026, 11, 3))}
    assert items["L10"].action == "record_pep"
    assert items["L10"].reason == "Personal education plan overdue by 1 working day (due by 2 Nov 2026)"
    LookedAfterService(w.sw).record_pep(ids["case"], ids["elis"], on_date="2026-11-03", school="Ysgol y Dderwen")
    assert "L10" not in due(w, "2026-11-03")


def test_cin1_the_child_in_need_plan_is_reviewed_by_the_date_it_sets(world):
    from desktop.services.children import ChildInNeedService

    w, ids = world, world.ids
    w.clock.day = date(2026, 10, 5)
    cin = ChildInNeedService(w.sw)
    plan = cin.start_plan(ids["case"], ids["elis"], started_on="2026-10-05", next_review_on="2026-11-16")

    def cin_items(on: str) -> dict:
        w.clock.day = date.fromisoformat(on)
        return {i.rule_id: i for i in MyWorkService(w.sw).all_items(w.clock.day) if i.population == "child_in_need"}

    assert cin_items("2026-11-13")["CIN1"].due == date(2026, 11, 16)
    assert cin_items("2026-11-16")["CIN1"].status == "due_today"
    late = cin_items("2026-11-18")["CIN1"]
    assert (late.status, late.days_overdue, late.action) == ("overdue", 2, "record_cin_review")
    assert late.reason == "Child in Need plan review overdue by 2 days (due by 16 Nov 2026)"
    cin.record_review(plan["id"], held_on="2026-11-18", child_participation="views_given", decision="continue",
                      next_review_on="2027-02-15", attendees=[{"kind": "family", "name": "Nia Pritchard"},
                                                             {"kind": "professional", "name": "Ysgol y Dderwen"}])
    after = cin_items("2026-11-18")["CIN1"]
    assert (after.due, after.status) == (date(2027, 2, 15), "upcoming")
    w.clock.day = date(2027, 2, 15)
    cin.record_review(plan["id"], held_on="2027-02-15", child_participation="views_given", decision="close",
                      attendees=[{"kind": "family", "name": "Nia Pritchard"},
                                 {"kind": "professional", "name": "Ysgol y Dderwen"}])
    assert cin_items("2027-02-16") == {}  # the plan has ended
