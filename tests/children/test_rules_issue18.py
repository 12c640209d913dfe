"""Issue 18 scenarios for children looked after and in need, through the real store, the providers'
queries and the shipped rules: each failed on the code before the issue (the comment says how)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from desktop.domain.engine import DueItem, default_engine
from desktop.domain.school_age import school_age
from desktop.services.children import ChildInNeedService, LookedAfterService, PlacementService
from desktop.services.children.facts import facts_for
from desktop.services.my_work import MyWorkService
from desktop.services.persons import PersonService
from tests.children.conftest import placement


def due(w: Any, on: str, person: str = "elis") -> dict[str, DueItem]:
    w.clock.day = date.fromisoformat(on)
    facts = facts_for(w.sw.store, w.ids["case"], w.ids[person], w.clock.day)
    assert facts is not None
    return {i.rule_id: i for i in default_engine().due_items([facts], w.clock.day)}


def look_after(w: Any, person: str, **extra: Any) -> None:
    w.clock.day = date(2026, 10, 5)
    # A senior manager records it, so the case moves to the CiC team (a move between teams is theirs).
    LookedAfterService(w.as_("sm")).become_looked_after(w.ids["case"], w.ids[person], started_on="2026-10-05",
                                                 legal_status="interim_care_order")
    PlacementService(w.sw).add(w.ids["case"], w.ids[person], **placement(**extra))


@pytest.fixture
def baby(world: Any) -> Any:
    """Cadi, five months old, a second subject of the case."""
    from desktop.services.cases import CaseService

    w = world
    cadi = PersonService(w.sw).create({"given_names": "Cadi", "family_name": "Pritchard",
                                       "date_of_birth": "2026-05-01"})
    CaseService(w.sw).add_member(w.ids["case"], cadi["id"], "subject")
    w.ids["cadi"] = cadi["id"]
    return w


def test_l10_is_only_for_children_of_compulsory_school_age(baby: Any) -> None:
    # Before: a 5-month-old showed "Personal education plan overdue".
    look_after(baby, "elis")
    look_after(baby, "cadi")
    assert "L10" in due(baby, "2026-11-03", "elis")
    assert "L10" not in due(baby, "2026-11-03", "cadi")
    sa = school_age()
    assert sa.starts(date(2021, 9, 1)) == date(2026, 12, 31)  # the prescribed day after the 5th birthday
    assert sa.ends(date(2010, 9, 1)) == date(2027, 6, 25)  # last Friday of June, school year of the 16th
    assert sa.ends(date(2010, 8, 31)) == date(2026, 6, 26)  # turns 16 in the summer: leaves in June
    assert not sa.of_school_age(None, date(2026, 11, 3))


def test_a_change_of_school_restarts_the_pep_clock(world: Any) -> None:
    # Before: once a PEP was recorded, a new school changed nothing.
    look_after(world, "elis")
    lac = LookedAfterService(world.sw)
    world.clock.day = date(2026, 10, 20)
    lac.record_pep(world.ids["case"], world.ids["elis"], on_date="2026-10-20", school="Ysgol y Dderwen")
    assert "L10" not in due(world, "2027-01-11")
    lac.record_school_change(world.ids["case"], world.ids["elis"], school="Ysgol Bro Dinefwr",
                             started_on="2027-01-11")
    item = due(world, "2027-01-12")["L10"]
    assert item.due == date(2027, 2, 8) and item.anchor == date(2027, 1, 11)  # 20 working days
    world.clock.day = date(2027, 2, 1)
    lac.record_pep(world.ids["case"], world.ids["elis"], on_date="2027-02-01", school="Ysgol Bro Dinefwr")
    assert "L10" not in due(world, "2027-02-01")


def test_l11b_is_met_by_a_dental_check_not_by_registering(world: Any) -> None:
    # Before: registering with a dentist satisfied L11b.
    look_after(world, "elis")
    lac = LookedAfterService(world.sw)
    world.clock.day = date(2026, 10, 20)
    lac.record_health(world.ids["case"], world.ids["elis"], kind="dentist_registered", on_date="2026-10-20")
    item = due(world, "2026-10-20")["L11b"]
    assert item.due == date(2027, 1, 5)  # 3 months after becoming looked after
    lac.record_health(world.ids["case"], world.ids["elis"], kind="dental_check", on_date="2026-10-20")
    assert "L11b" not in due(world, "2026-10-20")


def test_the_first_health_assessment_is_due_by_the_first_review(world: Any) -> None:
    # Before: fixed at 4 weeks whatever the first review's date.
    look_after(world, "elis")
    assert due(world, "2026-10-06")["L9"].due == date(2026, 11, 2)  # the date L7 sets for the first review
    world.clock.day = date(2026, 10, 26)
    LookedAfterService(world.as_("tm_cic")).assign_iro(world.ids["case"], world.ids["iro"], from_date="2026-10-05")
    LookedAfterService(world.sw).record_review(world.ids["case"], world.ids["elis"], held_on="2026-10-26",
                                               chair_id=world.ids["iro"], child_seen_privately=True)
    late = due(world, "2026-10-27")["L9"]
    assert (late.due, late.status) == (date(2026, 10, 26), "overdue")
    LookedAfterService(world.sw).record_health(world.ids["case"], world.ids["elis"],
                                               kind="health_assessment_initial", on_date="2026-10-27")
    items = due(world, "2026-10-27")
    assert "L9" not in items and items["L9b"].due == date(2027, 10, 27)  # then every 12 months


@pytest.mark.parametrize("how", ["placement", "legal_status"])
def test_short_breaks_get_the_modified_rules(world: Any, how: str) -> None:
    # Before: a child on short breaks got L2, L3, L9 and L10 items the regulations remove or change.
    if how == "placement":
        look_after(world, "elis", short_break=True)
    else:
        world.clock.day = date(2026, 10, 5)
        LookedAfterService(world.sw).become_looked_after(world.ids["case"], world.ids["elis"], started_on="2026-10-05",
                                                         legal_status="section_76_short_breaks")
        PlacementService(world.sw).add(world.ids["case"], world.ids["elis"], **placement())
    items = due(world, "2026-10-06")
    assert not {"L2", "L3a", "L9", "L9a", "L9b", "L10", "L7"} & set(items)
    assert items["L3s"].due == date(2027, 1, 5) and items["L7s"].due == date(2027, 1, 5)
    assert "L1" in items  # reg 4's care and support plan timing still applies


def test_cin_plan_without_a_review_date_gets_the_default_interval(world: Any) -> None:
    # Before: a plan with no review date was never due for review.
    cin = ChildInNeedService(world.sw)
    world.clock.day = date(2026, 10, 5)
    cin.start_plan(world.ids["case"], world.ids["elis"], started_on="2026-10-05")
    world.clock.day = date(2027, 4, 6)
    items = {i.rule_id: i for i in MyWorkService(world.sw).all_items(date(2027, 4, 6))
             if i.population == "child_in_need"}
    assert items["CIN2"].due == date(2027, 4, 5) and items["CIN2"].status == "overdue"
    assert "CIN1" not in items and items["CIN2"].action == "record_cin_review"


def test_the_assessment_is_due_42_working_days_after_the_referral(world: Any) -> None:
    # Before: nothing was due while an assessment was open.
    cin = ChildInNeedService(world.sw)
    world.clock.day = date(2026, 12, 3)
    assessment = cin.start_assessment(world.ids["case"], world.ids["elis"], started_on="2026-12-03",
                                      referral_on="2026-12-01")

    def items(on: str) -> dict[str, Any]:
        world.clock.day = date.fromisoformat(on)
        return {i.rule_id: i for i in MyWorkService(world.sw).all_items(world.clock.day)}

    assert items("2027-02-02")["CIN3"].status == "due_today"  # 42 working days over Christmas
    assert items("2027-02-03")["CIN3"].action == "complete_assessment"
    for kind, name in (("child", "Elis Pritchard"), ("family", "Nia Pritchard")):
        cin.record_contact(assessment["id"], kind=kind, name=name, spoken_on="2027-01-20")
    cin.complete_assessment(assessment["id"], completed_on="2027-02-03", conclusion="no_further_action",
                            need_category="N4", findings="Support from the family is in place.")
    assert "CIN3" not in items("2027-02-03")


def test_care_proceedings_within_26_weeks_of_issue(world: Any) -> None:
    # Before: nothing was due for open care proceedings.
    cin = ChildInNeedService(world.sw)
    world.clock.day = date(2026, 10, 5)
    proc = cin.start_proceedings(world.ids["case"], world.ids["elis"], kind="care_proceedings",
                                 stage="application_issued", started_on="2026-10-05", court="Llys Teulu Abertawe")
    world.clock.day = date(2027, 4, 5)
    items = {i.rule_id: i for i in MyWorkService(world.sw).all_items(date(2027, 4, 5))}
    assert (items["P1"].due, items["P1"].status) == (date(2027, 4, 4), "overdue")
    assert items["P1"].reason == "Care proceedings past 26 weeks by 1 day (due by 4 Apr 2027)"
    cin.proceedings_stage(proc["id"], stage="concluded", on_date="2027-04-05", outcome="care_order")
    assert "P1" not in {i.rule_id for i in MyWorkService(world.sw).all_items(date(2027, 4, 5))}
