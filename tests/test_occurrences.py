"""Replaying a rule over a subject's history: each due date and what answered it, and how a period
counts them (desktop.domain.occurrences)."""

from __future__ import annotations

from datetime import date

from desktop.domain.calendar import default_calendar
from desktop.domain.occurrences import Occurrence, Tally, walk
from desktop.domain.rules import RuleSet

RULES = RuleSet.load()
CAL = default_calendar()
D = date.fromisoformat


def test_rolling_each_answer_starts_the_next_interval_and_the_last_stays_open() -> None:
    v1 = RULES.get("V1")  # every 10 working days
    got = list(walk(v1, D("2026-09-01"), [D("2026-09-10"), D("2026-10-01")], D("2026-11-30"), CAL))
    assert got == [Occurrence(D("2026-09-15"), D("2026-09-10")), Occurrence(D("2026-09-24"), D("2026-10-01")),
                   Occurrence(D("2026-10-15"), None)]


def test_a_chain_moves_to_its_next_step_after_each_answer() -> None:
    c12 = RULES.get("C12")  # 3 months, then every 6 months
    got = list(walk(c12, D("2026-01-10"), [D("2026-04-01"), D("2026-10-20")], D("2027-12-31"), CAL))
    assert got == [Occurrence(D("2026-04-10"), D("2026-04-01")), Occurrence(D("2026-10-01"), D("2026-10-20")),
                   Occurrence(D("2027-04-20"), None), ]


def test_once_is_answered_by_the_first_event_on_or_after_the_base() -> None:
    c10 = RULES.get("C10")  # within 10 working days
    assert list(walk(c10, D("2026-09-01"), [D("2026-08-30"), D("2026-09-20")], D("2026-12-31"), CAL)) == [
        Occurrence(D("2026-09-15"), D("2026-09-20"))]


def test_a_subject_who_left_is_not_counted_after_and_what_was_open_is_left_undone() -> None:
    v2 = RULES.get("V2")  # every 4 weeks
    stop = D("2026-10-15")
    occurrences = list(walk(v2, D("2026-06-01"), [], D("2026-11-30"), CAL, stop=stop))
    assert occurrences == [Occurrence(D("2026-06-29"), None)]
    tally = Tally()
    for o in occurrences:
        tally.add(o, D("2026-09-01"), D("2026-11-30"), stop=stop)
    assert (tally.carried, tally.ended, tally.outstanding) == (1, 1, 0)
    later = Tally()
    for o in occurrences:  # a later period knows nothing of a child who left before it
        later.add(o, D("2026-12-01"), D("2027-02-28"), stop=stop)
    assert later == Tally()


def test_the_period_sorts_each_occurrence_once() -> None:
    start, end = D("2026-09-01"), D("2026-09-30")
    tally = Tally()
    for o in (Occurrence(D("2026-09-10"), D("2026-09-09")),  # on time
              Occurrence(D("2026-09-10"), D("2026-09-12")),  # late
              Occurrence(D("2026-09-10"), None),  # outstanding
              Occurrence(D("2026-08-20"), D("2026-09-05")),  # carried over, then late
              Occurrence(D("2026-08-20"), D("2026-08-19")),  # another period's
              Occurrence(D("2026-10-02"), None)):  # not yet due
        tally.add(o, start, end)
    assert tally == Tally(fell_due=3, carried=1, on_time=1, late=2, outstanding=1, ended=0)
    assert tally.percent_on_time == 100 / 3


# -- the fast replay the committee uses counts exactly as walk + Tally ------------------------------------

from datetime import timedelta  # noqa: E402

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from desktop.domain.occurrences import Replay  # noqa: E402

MEASURED = ("V1", "V2", "C6", "C10", "C11", "C12", "A1", "A5", "L7")
DAY0 = D("2025-01-01")
days = st.integers(min_value=0, max_value=800).map(lambda n: DAY0 + timedelta(days=n))


def _months(first: date, last: date) -> list[tuple[date, date]]:
    out, a = [], first.replace(day=1)
    while a <= last:
        nxt = (a.replace(day=28) + timedelta(days=4)).replace(day=1)
        out.append((a, min(nxt - timedelta(days=1), last)))
        a = nxt
    return out


@settings(max_examples=500, deadline=None)
@given(rule_id=st.sampled_from(MEASURED), base=days, events=st.lists(days, max_size=40),
       stop=st.none() | days, end=days, length=st.integers(min_value=0, max_value=200),
       trend=st.integers(min_value=0, max_value=14), covered=st.lists(st.tuples(days, days), max_size=2))
def test_replay_counts_as_walk_and_tally(rule_id: str, base: date, events: list[date], stop: date | None,
                                         end: date, length: int, trend: int,
                                         covered: list[tuple[date, date]]) -> None:
    """The committee's fast count (Replay) against the reference: every occurrence walk() yields, counted
    by Tally.add for the period and for each month, or counted apart when a recorded exception covered it."""
    rule = RULES.get(rule_id)
    start = end - timedelta(days=length)
    months = _months(end - timedelta(days=31 * trend), end) if trend else []
    first = min([start, *(m[0] for m in months)])
    replay = Replay(rule, CAL, end, (start, end), months)
    replay.add(base, sorted(events), stop, covered)
    want, monthly = Tally(), [Tally() for _ in months]
    apart, monthly_apart = 0, [0 for _ in months]
    for occ in walk(rule, base, sorted(events), end, CAL, stop=stop, since=first):
        if any(a <= occ.due <= b for a, b in covered):
            apart += start <= occ.due <= end
            monthly_apart = [n + (a <= occ.due <= b) for n, (a, b) in zip(monthly_apart, months, strict=True)]
            continue
        want.add(occ, start, end, stop=stop)
        for t, (a, b) in zip(monthly, months, strict=True):
            t.add(occ, a, b, stop=stop)
    assert (replay.tally, replay.excepted) == (want, apart)
    assert (replay.monthly, replay.monthly_excepted) == (monthly, monthly_apart)
