"""Timescale engine: every rule at its boundaries, kinds, variants, overrides, buckets, reasons."""

from __future__ import annotations

import ast
import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from desktop.domain import due_text
from desktop.domain.calendar import default_calendar
from desktop.domain.engine import (
    DUE_THIS_WEEK,
    DUE_TODAY,
    OVERDUE,
    UPCOMING,
    DueItem,
    Engine,
    EngineError,
    SubjectFacts,
    sort_items,
)
from desktop.domain.rules import RULES_FILE, RuleSet

D = date.fromisoformat
CAL = default_calendar()
ENGINE = Engine()
ENGINE_S3 = Engine(RuleSet.load(variant="section3"))


def subject(
    tags: str, counts: dict | None = None, overrides: dict | None = None, **events: str
) -> SubjectFacts:
    return SubjectFacts(
        "case-1",
        "person-1",
        frozenset(tags.split()),
        {k: D(v) for k, v in events.items()},
        counts=counts or {},
        overrides=overrides or {},
    )


def item(subj: SubjectFacts, rule_id: str, on: date, engine: Engine = ENGINE) -> DueItem | None:
    found = [i for i in engine.due_for(subj, on) if i.rule_id == rule_id]
    assert len(found) <= 1
    return found[0] if found else None


# (rule, tags, events, counts, expected due) — expected dates worked out by hand from the calendar.
CP = "child_protection"
REG = "child_protection registered"
LAC = "looked_after"
BOUNDARY_CASES = [
    ("C1", CP, {"report_received": "2026-12-24"}, None, "2026-12-29"),  # over Christmas + Boxing sub
    ("C6", CP + " icpc_required", {"strategy_meeting_last": "2026-12-18"}, None, "2027-01-13"),
    ("C7", CP, {"icpc_held": "2027-03-24"}, None, "2027-04-02"),  # over Easter 2027
    ("C7", CP, {"icpc_held": "2026-06-01", "review_conference": "2027-03-24"}, None, "2027-04-02"),
    ("C8", CP, {"review_conference": "2020-05-01"}, None, "2020-06-02"),  # VE day + spring holiday
    ("C9", CP, {"conference_record_sent": "2022-05-27"}, None, "2022-06-14"),  # Jubilee Thu + Fri
    ("C10", REG, {"registered": "2022-09-12"}, None, "2022-09-27"),  # State Funeral
    ("C11", REG, {"registered": "2026-09-01", "core_group": "2026-11-02"}, None, "2026-12-14"),
    ("C12", REG, {"registered": "2026-08-31"}, None, "2026-11-30"),
    ("C12", REG, {"registered": "2026-08-31", "review_conference": "2026-11-20"}, None, "2027-05-20"),
    ("C17", REG, {"registered": "2026-08-31", "moved_out_notified": "2026-12-24"}, None, "2026-12-27"),
    ("C18", CP, {"transfer_in_temporary": "2026-10-05"}, None, "2026-12-28"),  # 12 weeks, calendar
    ("C19", CP, {"transfer_in_agreed": "2023-05-02"}, None, "2023-05-24"),  # Coronation
    ("V1", REG, {"registered": "2026-10-01", "visit_seen_alone": "2026-12-18"}, None, "2027-01-06"),
    ("V1", REG, {"registered": "2026-12-18"}, None, "2027-01-06"),  # never seen alone: from registration
    ("V2", REG, {"registered": "2026-10-01", "visit_seen_at_home": "2026-12-18"}, None, "2027-01-15"),
    ("V4", REG, {"registered": "2026-08-31"}, None, "2026-11-30"),
    ("A1", "adult_at_risk", {"report_received": "2027-03-24"}, None, "2027-04-06"),
    ("A2", "adult_at_risk strategy_required", {"enquiry_concluded": "2021-12-23"}, None, "2022-01-06"),
    ("A3", "adult_at_risk", {"strategy_meeting_first": "2020-05-06"}, None, "2020-05-14"),  # VE day
    ("A4", "adult_at_risk", {"strategy_meeting_first": "2026-11-02", "visit_seen_alone": "2026-11-16"}, None,
     "2026-12-14"),  # no plan needed
    ("A4", "adult_at_risk", {"strategy_meeting_first": "2026-11-02"}, None, "2026-11-30"),
    ("A5", "adult_at_risk adult_plan", {"plan_start": "2026-10-01", "plan_review": "2026-11-05"}, None,
     "2026-12-17"),
    ("A7", "adult_at_risk", {"apc_scheduled": "2026-12-30"}, None, "2026-12-24"),  # 2 WD before, over Xmas
    ("A9", "adult_apso", {"apso_expires": "2026-12-27"}, None, "2026-12-27"),  # the order's last day, a Sunday
    ("L1", LAC, {"looked_after_start": "2026-12-18"}, None, "2027-01-06"),
    ("L2", LAC, {"placement_start": "2027-03-24"}, None, "2027-04-02"),
    ("L3a", LAC, {"placement_start": "2026-11-02"}, None, "2026-11-09"),
    ("L3a", LAC, {"placement_start": "2026-11-02", "lac_visit": "2026-11-06"}, None, "2026-12-18"),
    ("L3b", LAC + " placement_until_18", {"placement_start": "2025-01-10", "lac_visit": "2026-02-01"}, None,
     "2026-05-01"),
    ("L3c", LAC, {"placement_start": "2025-01-10", "lac_visit": "2026-02-01"}, None, "2026-03-15"),
    ("L4a", LAC + " reg20", {"placement_start": "2026-11-02", "lac_visit": "2026-11-10"}, None, "2026-11-17"),
    ("L4b", LAC + " reg20", {"placement_start": "2026-11-02", "lac_review_first": "2026-11-20",
                             "lac_visit": "2026-11-25"}, None, "2027-01-06"),
    ("L5a", LAC + " reg26", {"placement_start": "2026-11-02", "lac_visit": "2026-11-10"}, None, "2026-11-17"),
    ("L5b", LAC + " reg26", {"placement_start": "2026-11-02", "lac_review_first": "2026-11-20",
                             "lac_visit": "2026-11-25"}, None, "2026-12-23"),
    ("L6a", LAC + " reg20", {"placement_start": "2026-12-18"}, None, "2027-01-06"),
    ("L6b", LAC + " reg20", {"placement_start": "2027-03-01", "reg20_assessment": "2027-03-24"}, None,
     "2027-04-09"),
    ("L7", LAC, {"looked_after_start": "2026-11-02"}, None, "2026-11-30"),
    ("L7", LAC, {"looked_after_start": "2026-11-02", "lac_review": "2026-11-25"}, {"lac_review": 1},
     "2027-02-25"),
    ("L7", LAC, {"looked_after_start": "2026-11-02", "lac_review": "2027-02-20"}, {"lac_review": 2},
     "2027-08-20"),
    ("L9a", LAC + " under_5", {"looked_after_start": "2026-11-02", "health_assessment": "2026-11-20"}, None,
     "2027-05-20"),
    ("L9a", LAC + " under_5", {"looked_after_start": "2026-01-05", "health_assessment": "2026-06-30"}, None,
     "2026-12-30"),
    ("L9b", LAC, {"looked_after_start": "2026-11-02", "health_assessment": "2026-11-20"}, None, "2027-11-20"),
    ("L10", LAC + " school_age", {"looked_after_start": "2026-12-14"}, None, "2027-01-14"),  # 20 WD, Christmas
    ("L10", LAC + " school_age", {"looked_after_start": "2026-09-01", "pep": "2026-09-20",
                                  "school_started": "2027-03-24"}, None, "2027-04-23"),  # new school, Easter
    ("L11a", LAC, {"placement_start": "2026-12-18"}, None, "2027-01-06"),
    ("L11b", LAC, {"looked_after_start": "2026-11-30"}, None, "2027-02-28"),  # clamped to month end
    ("K1", "complaint", {"complaint_received": "2026-12-24"}, None, "2026-12-30"),
    ("K2a", "complaint", {"complaint_acknowledged": "2027-03-24"}, None, "2027-04-09"),
    ("K2b", "complaint", {"complaint_discussed": "2026-12-18"}, None, "2026-12-29"),
    ("K3", "complaint", {"stage2_requested": "2026-12-18"}, None, "2027-01-27"),
    ("CIN1", "child_in_need cin_plan cin_review_dated", {"cin_review_scheduled": "2026-12-25"}, None,
     "2026-12-25"),  # the plan's date
    ("CIN2", "child_in_need cin_plan", {"cin_plan_start": "2026-11-30"}, None, "2027-05-30"),
    ("CIN3", "child_in_need assessment_open", {"assessment_referral": "2026-12-01"}, None, "2027-02-02"),
    ("C3", CP, {"strategy_decided": "2026-12-24"}, None, "2026-12-31"),
    ("C20", CP + " unborn icpc_required", {"expected_birth": "2027-03-01"}, None, "2027-01-04"),
    ("L9", LAC, {"looked_after_start": "2026-11-02"}, None, "2026-11-30"),  # by the first review (L7)
    ("L9", LAC, {"looked_after_start": "2026-11-02", "lac_review_first": "2026-11-20", "lac_review": "2026-11-20"},
     {"lac_review": 1}, "2026-11-20"),  # the first review was held without it
    ("L3s", LAC + " short_break", {"placement_start": "2026-11-02"}, None, "2027-02-02"),
    ("L7s", LAC + " short_break", {"looked_after_start": "2026-11-02"}, None, "2027-02-02"),
    ("P1", "proceedings", {"care_proceedings_issued": "2026-11-02"}, None, "2027-05-02"),  # 26 weeks
    ("P1x", "proceedings proceedings_extended", {"care_proceedings_issued": "2026-11-02",
                                                 "care_proceedings_extended_to": "2027-06-27"}, None, "2027-06-27"),
    ("A10", "allegation", {"allegation_arisen": "2026-12-24"}, None, "2026-12-29"),
    # Issue 19: supervision (a month after the last), sign-off and a returned record (5 working days).
    ("S1", "supervision case_child_protection", {"supervision_from": "2026-10-15", "supervised": "2026-11-02"}, None,
     "2026-12-02"),
    ("SO1", "oversight", {"signoff_requested": "2026-11-16"}, None, "2026-11-23"),
    ("SO2", "oversight", {"signoff_returned": "2026-11-16"}, None, "2026-11-23"),
]  # fmt: skip


@pytest.mark.parametrize(("rule_id", "tags", "events", "counts", "due"), BOUNDARY_CASES)
def test_rule_boundary(rule_id: str, tags: str, events: dict, counts: dict | None, due: str) -> None:
    subj = subject(tags, counts, **events)
    due_d = D(due)
    on_due = item(subj, rule_id, due_d)
    assert on_due is not None and on_due.due == due_d
    # The last compliant day is not overdue.
    assert on_due.status == DUE_TODAY and on_due.days_overdue == 0
    # The next working day (or, for calendar units, the next day) is.
    wd = on_due.overdue_unit == "working_days"
    after = CAL.add_working_days(due_d, 1) if wd else due_d + timedelta(days=1)
    late = item(subj, rule_id, after)
    assert late is not None and late.status == OVERDUE and late.days_overdue == 1
    before = item(subj, rule_id, due_d - timedelta(days=1))
    assert before is not None and before.status != OVERDUE


def test_every_rule_has_a_boundary_case() -> None:
    covered = {c[0] for c in BOUNDARY_CASES} | {"V5a", "V5b"}  # variant rules tested below
    assert covered == set(RuleSet.load().ids()) | {"V5a", "V5b"}


def test_days_overdue_counts_working_days_over_holidays() -> None:
    subj = subject(REG, registered="2026-10-01", visit_seen_alone="2026-12-04")  # due 2026-12-18
    it = item(subj, "V1", D("2027-01-04"))
    assert it is not None and it.due == D("2026-12-18")
    assert it.days_overdue == 8  # 21-24, 29-31 Dec 2026 and 4 Jan 2027 (25/28 Dec, 1 Jan are holidays)
    assert it.days_overdue == CAL.working_days_between(D("2026-12-18"), D("2027-01-04"))
    assert it.elapsed == 18 and it.last == D("2026-12-04")


# -- satisfaction -----------------------------------------------------------------------------------


def test_satisfied_once_rules_yield_nothing() -> None:
    subj = subject(CP + " icpc_required", strategy_meeting_last="2026-11-02", icpc_held="2026-11-20")
    assert item(subj, "C6", D("2026-12-01")) is None
    # An event before the base belongs to an earlier round and does not satisfy the rule.
    old = subject(CP + " icpc_required", strategy_meeting_last="2026-11-02", icpc_held="2026-06-01")
    assert item(old, "C6", D("2026-12-01")).status == OVERDUE


def test_satisfied_any_time_for_plans_made_before_placement() -> None:
    subj = subject(LAC, looked_after_start="2026-11-02", care_support_plan="2026-10-30")
    assert item(subj, "L1", D("2026-12-01")) is None


def test_rules_need_their_population_and_statuses() -> None:
    assert item(subject(CP, strategy_meeting_last="2026-11-02"), "C6", D("2026-11-05")) is None
    assert item(subject("adult_at_risk", registered="2026-11-02"), "V1", D("2026-11-05")) is None
    assert item(subject("child_in_need", registered="2026-11-02"), "V1", D("2026-11-05")) is None


def test_effective_dates_are_respected() -> None:
    subj = subject("complaint", complaint_received="2026-11-02")
    rows = [r for r in RuleSet.load().rules if r.id == "K1"]
    assert rows and rows[0].effective_from == D("2014-08-01")
    assert item(subj, "K1", D("2026-11-03")) is not None
    doc = json.loads(RULES_FILE.read_text("utf-8"))
    k1 = next(r for r in doc["rules"] if r["id"] == "K1")
    k1["effective_to"] = "2026-11-01"
    engine = Engine(RuleSet.from_rows([k1]))
    assert engine.due_for(subj, D("2026-11-03")) == []


# -- kinds ------------------------------------------------------------------------------------------


def test_rolling_restarts_from_the_latest_event_and_ignores_older_episodes() -> None:
    # Seen alone long before this registration: the clock runs from registration.
    subj = subject(REG, registered="2026-11-02", visit_seen_alone="2025-01-10")
    it = item(subj, "V1", D("2026-11-03"))
    assert it.anchor == D("2026-11-02") and it.last is None and it.due == D("2026-11-16")


def test_c12_chain() -> None:
    reg = subject(REG, registered="2026-08-31")
    assert item(reg, "C12", D("2026-11-01")).due == D("2026-11-30")
    first = subject(REG, registered="2026-08-31", review_conference="2026-11-26")
    assert item(first, "C12", D("2026-12-01")).due == D("2027-05-26")
    assert item(first, "C12", D("2026-12-01")).offset == 6
    # A review held before this registration does not count: still the 3-month step.
    stale = subject(REG, registered="2026-08-31", review_conference="2026-05-01")
    assert item(stale, "C12", D("2026-11-01")).due == D("2026-11-30")


def test_l3_phases_switch_after_the_first_year() -> None:
    base = {"placement_start": "2025-01-10"}
    in_first_year = subject(LAC, **base, lac_visit="2025-12-20")
    assert item(in_first_year, "L3a", D("2026-01-05")).due == D("2026-01-31")
    assert item(in_first_year, "L3c", D("2026-01-05")) is None
    after = subject(LAC + " placement_until_18", **base, lac_visit="2026-01-20")
    assert item(after, "L3a", D("2026-02-01")) is None
    assert item(after, "L3b", D("2026-02-01")).due == D("2026-04-20")
    assert item(after, "L3c", D("2026-02-01")) is None


def test_l4_weekly_until_first_review() -> None:
    subj = subject(LAC + " reg20", placement_start="2026-11-02", lac_visit="2026-11-10")
    assert item(subj, "L4a", D("2026-11-12")).due == D("2026-11-17")
    assert item(subj, "L4b", D("2026-11-12")) is None
    assert item(subj, "L3a", D("2026-11-12")) is None  # reg 31(2) does not apply to reg 20 placements


def test_v4_between_review_conferences() -> None:
    on = D("2026-11-02")
    registered = subject(REG, registered="2026-08-31")
    it = item(registered, "V4", on)
    assert it.due == D("2026-11-30") and it.scheduled == D("2026-11-30")  # C12's latest date
    scheduled_earlier = subject(REG, registered="2026-08-31", next_review_date="2026-11-25")
    assert item(scheduled_earlier, "V4", on).due == D("2026-11-25")
    seen = subject(REG, registered="2026-08-31", visit_bedroom_seen="2026-10-01")
    assert item(seen, "V4", on) is None
    # After the review a new window opens; the bedroom seen before it does not count.
    new_window = subject(
        REG,
        registered="2026-08-31",
        review_conference="2026-11-26",
        visit_bedroom_seen="2026-10-01",
        next_review_date="2026-11-25",  # stale: belongs to the previous window
    )
    it = item(new_window, "V4", D("2026-12-01"))
    assert it.due == D("2027-05-26") and it.anchor == D("2026-11-26")
    seen_after = subject(
        REG, registered="2026-08-31", review_conference="2026-11-26", visit_bedroom_seen="2026-12-01"
    )
    assert item(seen_after, "V4", D("2026-12-02")) is None


def test_a7_before_the_conference() -> None:
    on = D("2026-12-21")
    pending = subject("adult_at_risk", apc_scheduled="2026-12-30", apc_held="2026-09-01")
    it = item(pending, "A7", on)
    assert it.due == D("2026-12-24") and it.scheduled == D("2026-12-30") and it.status == DUE_THIS_WEEK
    in_time = subject("adult_at_risk", apc_scheduled="2026-12-30", apc_reports_received="2026-12-22")
    assert item(in_time, "A7", on) is None
    # Reports for the previous conference do not count for the next one.
    old_reports = subject(
        "adult_at_risk", apc_scheduled="2026-12-30", apc_held="2026-09-01", apc_reports_received="2026-08-28"
    )
    assert item(old_reports, "A7", on) is not None
    held = subject("adult_at_risk", apc_scheduled="2026-12-30", apc_held="2026-12-30")
    assert item(held, "A7", D("2027-01-04")) is None


def test_a9_due_on_the_orders_last_day_until_its_end_is_recorded() -> None:
    """An adult protection and support order is due on its own last day in force; its end, recorded on any
    day (early when its purposes are met), satisfies it; another population does not take the rule."""
    on = D("2026-11-04")
    it = item(subject("adult_apso", apso_expires="2026-11-08"), "A9", on)
    assert it.due == D("2026-11-08") and it.status == DUE_THIS_WEEK
    assert item(subject("adult_apso", apso_expires="2026-11-09"), "A9", on).status == "upcoming"
    assert item(subject("adult_apso", apso_expires="2026-11-09"), "A9", D("2026-11-09")).status == "due_today"
    late = item(subject("adult_apso", apso_expires="2026-11-09"), "A9", D("2026-11-11"))
    assert (late.status, late.days_overdue, late.overdue_unit) == ("overdue", 2, "days")
    assert due_text.reason(late, "en") == ("Adult protection and support order lapsed 2 days ago (in force until"
                                           " 9 Nov 2026): record its end")
    assert item(subject("adult_apso", apso_expires="2026-11-09", apso_ended="2026-11-05"), "A9", on) is None
    assert item(subject("adult_at_risk", apso_expires="2026-11-09"), "A9", on) is None


# -- configuration ----------------------------------------------------------------------------------


def test_v5_section3_variant() -> None:
    subj = subject(REG, registered="2026-10-01", visit_seen="2026-12-18", visit_seen_alone="2026-12-18")
    on = D("2026-12-21")
    assert {i.rule_id for i in ENGINE_S3.due_for(subj, on)} >= {"V5a", "V5b", "V2"}
    assert item(subj, "V1", on, ENGINE_S3) is None and item(subj, "V5a", on) is None
    assert item(subj, "V5a", on, ENGINE_S3).due == D("2027-01-06")
    v5b = item(subj, "V5b", on, ENGINE_S3)
    assert v5b.due == D("2027-01-29") and v5b.severity == "should"
    assert item(subj, "V5b", D("2027-01-30"), ENGINE_S3).status == OVERDUE
    assert item(subj, "V5b", D("2027-01-29"), ENGINE_S3).status == DUE_TODAY


def test_rsb_override_changes_the_due_date() -> None:
    engine = Engine(RuleSet.load(rsb_overrides={"C11": {"offset": 4, "unit": "weeks"}}))
    subj = subject(REG, registered="2026-09-01", core_group="2026-11-02")
    assert item(subj, "C11", D("2026-11-03")).due == D("2026-12-14")
    it = item(subj, "C11", D("2026-11-03"), engine)
    assert it.due == D("2026-11-30") and it.offset == 4
    assert item(subj, "C11", D("2026-12-01"), engine).status == OVERDUE


def test_a4_strategy_group_frequency_can_only_be_stricter() -> None:
    tags = "adult_at_risk"
    events = {"strategy_meeting_first": "2026-11-02", "visit_seen_alone": "2026-12-16"}
    default = item(subject(tags, **events), "A4", D("2026-12-17"))
    assert default.due == D("2027-01-13") and not default.case_override
    stricter = item(subject(tags, overrides={"A4": (10, "working_days")}, **events), "A4", D("2026-12-17"))
    assert stricter.due == D("2027-01-04") and stricter.case_override
    assert stricter.unit == "working_days" and stricter.overdue_unit == "working_days"
    late = item(subject(tags, overrides={"A4": (10, "working_days")}, **events), "A4", D("2027-01-05"))
    assert late.status == OVERDUE and late.days_overdue == 1
    laxer = item(subject(tags, overrides={"A4": (8, "weeks")}, **events), "A4", D("2026-12-17"))
    assert laxer.due == D("2027-01-13") and not laxer.case_override
    # Other rules ignore per-case timescales.
    v1 = item(
        subject(REG, overrides={"V1": (30, "working_days")}, registered="2026-11-02"), "V1", D("2026-11-03")
    )
    assert v1.due == D("2026-11-16")


# -- buckets, batches, errors -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("on", "due", "status"),
    [
        ("2026-11-25", "2026-11-24", OVERDUE),
        ("2026-11-25", "2026-11-25", DUE_TODAY),
        ("2026-11-25", "2026-11-26", DUE_THIS_WEEK),
        ("2026-11-25", "2026-11-29", DUE_THIS_WEEK),  # the coming Sunday
        ("2026-11-25", "2026-11-30", UPCOMING),
        ("2026-11-29", "2026-11-29", DUE_TODAY),  # on a Sunday, "this week" is only today
        ("2026-11-29", "2026-11-30", UPCOMING),
        ("2026-11-30", "2026-12-06", DUE_THIS_WEEK),
    ],
)
def test_status_buckets(on: str, due: str, status: str) -> None:
    # C17 is "3 days": base = due - 3 days gives any due date we like.
    subj = subject(REG, registered="2026-08-31", moved_out_notified=(D(due) - timedelta(days=3)).isoformat())
    assert item(subj, "C17", D(on)).status == status


def test_many_subjects_equal_one_by_one_and_horizon() -> None:
    from bench.bench_engine import TODAY, generate  # the benchmark's synthetic data, untimed here

    subjects = generate(300, seed=7)
    together = ENGINE.due_items(subjects, TODAY)
    one_by_one = [i for s in subjects for i in ENGINE.due_for(s, TODAY)]
    assert together == one_by_one and len(together) > 300
    near = ENGINE.due_items(subjects, TODAY, horizon_days=7)
    assert near and all(i.due <= TODAY + timedelta(days=7) for i in near)
    assert len(near) < len(together)
    ordered = sort_items(together)
    assert [i.due for i in ordered] == sorted(i.due for i in together)
    # Every item has a reason in both languages (no missing placeholders).
    for it in together:
        assert due_text.reason(it, "en") and due_text.reason(it, "cy")
    assert together[0].to_dict()["due"] == together[0].due.isoformat()


def test_dates_outside_the_calendar_are_errors_that_name_the_case() -> None:
    # The shipped calendar computes any year from 1950 to 2999; a date before that is outside it.
    subj = subject(REG, registered="1949-03-02")
    with pytest.raises(ValueError, match="case case-1, person person-1, rule"):
        ENGINE.due_for(subj, D("2026-11-23"))
    errors: list[EngineError] = []
    good = subject(REG, registered="2026-11-02")
    items = ENGINE.due_items([subj, good], D("2026-11-23"), errors=errors)
    assert errors and errors[0].case_id == "case-1" and "outside" in errors[0].message
    assert any(i.rule_id == "V1" and i.due == D("2026-11-16") for i in items)


# -- no timescale numbers in the engine -------------------------------------------------------------


def test_engine_has_no_timescale_literals() -> None:
    source = Path(__file__).resolve().parent.parent / "desktop" / "domain" / "engine.py"
    tree = ast.parse(source.read_text("utf-8"))
    numbers = [
        (n.lineno, n.value)
        for n in ast.walk(tree)
        if isinstance(n, ast.Constant) and isinstance(n.value, int | float) and not isinstance(n.value, bool)
    ]
    assert [x for x in numbers if x[1] not in (0, 1)] == []


# -- reasons ----------------------------------------------------------------------------------------


def test_reasons_in_english() -> None:
    subj = subject(REG, registered="2026-10-01", visit_seen_alone="2026-11-02")
    late = item(subj, "V1", D("2026-11-18"))
    assert due_text.reason(late, "en") == "Not seen alone for 12 working days (due by 16 Nov 2026)"
    one = item(subj, "V1", D("2026-11-17"))
    assert one.elapsed == 11
    soon = item(subject(REG, registered="2026-11-02", visit_seen_alone="2026-11-16"), "V1", D("2026-11-18"))
    assert due_text.reason(soon, "en") == "Child to be seen alone by 30 Nov 2026"
    icpc = item(subject(CP + " icpc_required", strategy_meeting_last="2026-11-12"), "C6", D("2026-11-23"))
    assert due_text.reason(icpc, "en") == "Initial child protection conference due by 3 Dec 2026"
    icpc_late = item(
        subject(CP + " icpc_required", strategy_meeting_last="2026-11-12"), "C6", D("2026-12-04")
    )
    assert due_text.reason(icpc_late, "en") == (
        "Initial child protection conference overdue by 1 working day (due by 3 Dec 2026)"
    )
    a7 = item(subject("adult_at_risk", apc_scheduled="2026-12-30"), "A7", D("2026-12-21"))
    assert (
        due_text.reason(a7, "en")
        == "Agency reports for the conference on 30 Dec 2026 due to the chair by 24 Dec 2026"
    )


def test_reasons_follow_the_language() -> None:
    from desktop import i18n

    it = item(subject(CP + " icpc_required", strategy_meeting_last="2026-11-12"), "C6", D("2026-11-23"))
    assert "Rhag" in due_text.reason(it, "cy")  # Welsh month name from Babel
    before = i18n.current_language()
    try:
        i18n.set_language("cy")
        assert due_text.reason(it) == due_text.reason(it, "cy")
        i18n.set_language("en")
        assert due_text.reason(it) == due_text.reason(it, "en")
    finally:
        i18n.set_language(before)
    assert due_text.title("V1", "en") == "Child seen alone"


def test_every_rule_has_its_own_sentences_and_overrides_fall_back() -> None:
    for rule_id in set(RuleSet.load().ids()) | set(RuleSet.load(variant="section3").ids()):
        assert due_text.has_own_sentences(rule_id), rule_id
    # An RSB override that changes the unit uses the generic (still whole) sentence.
    engine = Engine(RuleSet.load(rsb_overrides={"C10": {"offset": 2, "unit": "weeks"}}))
    it = item(subject(REG, registered="2026-11-02"), "C10", D("2026-11-20"), engine)
    assert due_text.reason(it, "en") == "First core group meeting: overdue by 4 days (due by 16 Nov 2026)"
