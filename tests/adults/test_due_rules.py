"""Adult timescales at their edges: no strategy clock after determination 2, a corrected strategy
meeting moves A3, A4 at the procedures' 4 weeks without a strategy-group frequency, A7 lapses once the
conference is held."""

from __future__ import annotations

from datetime import date

from desktop.services.adults import ConferenceService, EnquiryService, PlanService, StrategyService
from tests.adults.helpers import appoint, due, engine_items, report_and_screen, strategy, up_to_strategy


def test_determination_2_needs_no_strategy_meeting(world) -> None:
    out = report_and_screen(world)
    EnquiryService(world.sw).conclude(out["enquiry"]["id"], concluded_on="2026-11-02", determination="2",
                                      reason="Not at risk; carer's assessment offered.")
    assert due(world) == {}


def test_corrected_strategy_meeting_moves_a3(world) -> None:
    world.on("2026-11-06")
    out = report_and_screen(world)
    appoint(world)
    EnquiryService(world.sw).conclude(out["enquiry"]["id"], concluded_on="2026-11-03", determination="3",
                                      reason="At risk.")
    first = strategy(world, "2026-11-04")
    assert due(world)["A3"].due == date(2026, 11, 11)
    fixed = strategy(world, "2026-11-05", amends_id=first["id"], initial=True)
    assert [s["id"] for s in StrategyService(world.sw).for_case(world.ids["case"])] == [fixed["id"]]
    assert due(world)["A3"].due == date(2026, 11, 12)


def test_a4_at_four_weeks_without_a_strategy_group_frequency(world) -> None:
    up_to_strategy(world)
    PlanService(world.sw).start(world.ids["case"], started_on="2026-11-02")
    raw = engine_items(world)["A4"]
    assert raw.due == date(2026, 11, 30) and raw.case_override is False and (raw.offset, raw.unit) == (4, "weeks")


def test_a7_lapses_once_the_conference_is_held(world) -> None:
    up_to_strategy(world)
    conf = ConferenceService(world.sw).convene(world.ids["case"], scheduled_on="2026-11-04",
                                               agency_ids=[world.ids["health"]])
    assert due(world)["A7"].due == date(2026, 11, 2)
    world.on("2026-11-04")
    ConferenceService(world.sw).hold(conf["id"], held_on="2026-11-04", participation="attended",
                                     outcome_summary="Plan continues", decisions=["Plan continues"])
    assert "A7" not in due(world)
    assert world.count("letter") == 0  # no N16: she took part


def test_a3_runs_from_the_initial_strategy_meeting_not_the_latest(world) -> None:
    # Issue 18: a second strategy meeting used to reopen A3 (it ran from the latest meeting).
    up_to_strategy(world)  # the initial meeting on Monday 2 November
    assert due(world)["A3"].due == date(2026, 11, 9)
    world.on("2026-11-12")
    strategy(world, "2026-11-12", initial=False)
    assert due(world)["A3"].due == date(2026, 11, 9)  # not 19 November
    assert due(world)["A3"].status == "overdue"


def test_a4_is_due_without_a_plan(world) -> None:
    # Issue 18: A4 waited for a plan, so with no plan the duty never showed.
    up_to_strategy(world)
    world.on("2026-12-01")
    item = due(world)["A4"]
    assert (item.due, item.status) == (date(2026, 11, 30), "overdue")
    assert not world.sw.store.rows("SELECT 1 FROM adult_plan")
