"""The committee's timescale measures: each subject's history under a rule, replayed over a period
(Qt-free; read-only).

For each measured rule a reader returns, per subject (a child or adult in a case), a :class:`History`:
when the rule's clock started (``base``), the dates of the events that satisfy it, and when the subject
left the rule (``stop``: de-registered, looked-after episode or plan ended, case closed). The same rule
table and working-day calendar as My work replay it (:func:`desktop.domain.occurrences.walk`), so what is
outstanding at the end of a period is what My work shows on that day — a test holds the two equal.

The readers take plain rows (:class:`desktop.services.committee_source.Tables`), so the same code counts
a laptop's cases and, on the server, the whole authority's.

Measures: V1 seen alone, V2 seen at home, C6 initial conference, C10 first core group, C11 core groups,
C12 review conferences (child protection); A1 section 126 enquiries, A5 plan reviews (adults at risk); L7
looked-after reviews. The Child in Need plan review (CIN1) is not here: its review dates are overwritten as
the plan goes on, so its history cannot be replayed.

Trends: :func:`measure_figures` also counts each measure month by month (``months``), in the same pass
over the histories and with the same :class:`~desktop.domain.occurrences.Tally`, so a month's figures
are what the report for that month alone would say.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from desktop.domain import due_text
from desktop.domain.engine import Engine
from desktop.domain.occurrences import Replay
from desktop.services.committee_source import Tables
from reports.model import MeasureFigures, MonthFigures


@dataclass(frozen=True, slots=True)
class History:
    """One subject's history under one rule, in day numbers (``date.toordinal()``): when the rule's clock
    started, the days of the events that satisfy it, and the day the subject left the rule (or ``None``)."""

    case_id: str
    person_id: str
    base: int
    events: list[int]
    stop: int | None = None


class _Days:
    """ISO dates to day numbers, each distinct text parsed once (a council has millions of visits on a few
    thousand days)."""

    def __init__(self) -> None:
        self.seen: dict[str, int] = {}

    def __call__(self, text: Any) -> int | None:
        if not text:
            return None
        got = self.seen.get(text)
        return got if got is not None else self.parse(text)

    def parse(self, text: str) -> int:
        got = self.seen[text] = date.fromisoformat(str(text)[:10]).toordinal()
        return got


def _days(t: Tables) -> _Days:
    return t.derived("days", lambda _t: _Days())


def _stop(*days: int | None) -> int | None:
    found = [d for d in days if d is not None]
    return min(found) if found else None


def _ids(t: Tables, text: Any) -> tuple[str, ...]:
    """The person ids of a ``child_ids`` JSON list (an unreadable value names nobody). The same list is
    often on every meeting of a case: each distinct text is read once per report."""
    if not isinstance(text, str):
        return _read_ids(text)
    known: dict[str, tuple[str, ...]] = t.derived("child_ids", lambda _t: {})
    got = known.get(text)
    if got is None:
        got = known[text] = _read_ids(text)
    return got


def _read_ids(text: Any) -> tuple[str, ...]:
    try:
        value = json.loads(text) if text else []
    except (TypeError, ValueError):
        return ()
    return tuple(v for v in value if isinstance(v, str)) if isinstance(value, list) else ()


@dataclass(frozen=True, slots=True)
class _Case:
    case_type: str
    closed: int | None


def cases(t: Tables) -> dict[str, _Case]:
    """Live cases by id (once per report)."""
    def read(t: Tables) -> dict[str, _Case]:
        day = _days(t)
        return {cid: _Case(kind, day(closed)) for cid, kind, _team, _opened, closed in t("case_file")}

    return t.derived("cases", read)


@dataclass(frozen=True, slots=True)
class _Registration:
    case_id: str
    person_id: str
    registered: int
    stop: int | None


def _registrations(t: Tables) -> list[_Registration]:
    """Register entries of live child protection cases, each with when the child left the rule."""
    def read(t: Tables) -> list[_Registration]:
        live, day = cases(t), _days(t)
        out = []
        for _id, case_id, person_id, registered, deregistered, _cats in t("register_entry"):
            case = live.get(case_id)
            on = day(registered)
            if case is None or case.case_type != "child_protection" or on is None:
                continue
            out.append(_Registration(case_id, person_id, on, _stop(day(deregistered), case.closed)))
        return out

    return t.derived("registrations", read)


def _visits(t: Tables) -> tuple[dict[str, list[int]], dict[str, list[int]]]:
    """Per child: the days they were seen alone, and seen at home, on current visits where access was not
    denied (once per report: the largest join of the figures)."""
    def read(t: Tables) -> tuple[dict[str, list[int]], dict[str, list[int]]]:
        # Two million rows on the server: each child's row comes with its visit's day (a lookup the
        # source does), and the loop below is all the Python there is per row.
        amended, day = t.amended("cp_visit"), _days(t)
        alone: dict[str, list[int]] = {}
        home: dict[str, list[int]] = {}
        seen = day.seen
        for visit_id, person_id, seen_alone, seen_at_home, on, denied in t("cp_visit_child"):
            if denied or not on or not (seen_alone or seen_at_home) or (amended and visit_id in amended):
                continue
            d = seen.get(on)
            if d is None:
                d = day.parse(on)
            if seen_alone:
                got = alone.get(person_id)
                if got is None:
                    alone[person_id] = [d]
                else:
                    got.append(d)
            if seen_at_home:
                got = home.get(person_id)
                if got is None:
                    home[person_id] = [d]
                else:
                    got.append(d)
        return alone, home

    return t.derived("visits", read)


def _per_registration(t: Tables, events_for: Callable[[_Registration], list[int]],
                      base_for: Callable[[_Registration, list[int]], int | None] | None = None) -> list[History]:
    """One history per registration. Events before the registration answer nothing (the replay takes only
    events on or after the base), so they are filtered here only when the base depends on them."""
    out = []
    for e in _registrations(t):
        events = events_for(e)
        if base_for is None:
            base: int | None = e.registered
        else:
            events = [d for d in events if d >= e.registered]
            base = base_for(e, events)
        if base is None:
            continue
        out.append(History(e.case_id, e.person_id, base, events, e.stop))
    return out


def _core_groups(t: Tables) -> dict[str, list[int]]:
    def read(t: Tables) -> dict[str, list[int]]:
        amended, day = t.amended("cp_core_group"), _days(t)
        out: dict[str, list[int]] = defaultdict(list)
        for gid, case_id, held, _amends in t("cp_core_group"):
            on = day(held)
            if gid not in amended and on is not None:
                out[case_id].append(on)
        return out

    return t.derived("core_groups", read)


def _conferences(t: Tables, kind: str) -> dict[tuple[str, str], list[int]]:
    """Held conferences of ``kind`` ("initial", "review") by (case, child): the days they were held."""
    def read(t: Tables) -> dict[str, dict[tuple[str, str], list[int]]]:
        day = _days(t)
        out: dict[str, dict[tuple[str, str], list[int]]] = {}
        for case_id, child_ids, k, status, held in t("cp_conference"):
            on = day(held)
            if status == "held" and on is not None:
                by_child = out.setdefault(k, defaultdict(list))
                for person_id in _ids(t, child_ids):
                    by_child[(case_id, person_id)].append(on)
        return out

    return t.derived("conferences", read).get(kind, {})


def v1(t: Tables) -> list[History]:
    seen = _visits(t)[0]
    return _per_registration(t, lambda e: seen.get(e.person_id, []))


def v2(t: Tables) -> list[History]:
    seen = _visits(t)[1]
    return _per_registration(t, lambda e: seen.get(e.person_id, []))


def c10(t: Tables) -> list[History]:
    groups = _core_groups(t)
    return _per_registration(t, lambda e: groups.get(e.case_id, []))


def c11(t: Tables) -> list[History]:
    """From the first core group after registration, every core group after it."""
    groups = _core_groups(t)
    return _per_registration(t, lambda e: groups.get(e.case_id, []),
                             base_for=lambda e, events: min(events) if events else None)


def c12(t: Tables) -> list[History]:
    reviews = _conferences(t, "review")
    return _per_registration(t, lambda e: reviews.get((e.case_id, e.person_id), []))


def c6(t: Tables) -> list[History]:
    """A child whose section 47 enquiry found significant harm (determination 3): the initial conference
    is due within C6 of the last strategy discussion before that finding."""
    amended, day = t.amended("cp_strategy"), _days(t)
    strategies: dict[tuple[str, str], list[int]] = defaultdict(list)
    for sid, case_id, child_ids, held, _amends in t("cp_strategy"):
        on = day(held)
        if sid not in amended and on is not None:
            for person_id in _ids(t, child_ids):
                strategies[(case_id, person_id)].append(on)
    initial = _conferences(t, "initial")
    live = cases(t)
    found: dict[tuple[str, str], int] = {}  # the latest finding of significant harm per child
    for case_id, person_id, determination, determined in t("cp_enquiry"):
        on = day(determined)
        if determination == 3 and on is not None and case_id in live:
            key = (case_id, person_id)
            found[key] = max(found.get(key, on), on)
    out = []
    for key, determined_on in found.items():
        before = [d for d in strategies.get(key, []) if d <= determined_on]
        if before:
            out.append(History(key[0], key[1], max(before), sorted(initial.get(key, [])), live[key[0]].closed))
    return out


def a1(t: Tables) -> list[History]:
    """Each report not screened out; a later report starts a new clock (the engine follows the latest)."""
    day = _days(t)
    concluded: dict[str, list[int]] = defaultdict(list)
    for case_id, on in t("adult_enquiry"):
        d = day(on)
        if d is not None:
            concluded[case_id].append(d)
    live = cases(t)
    subjects: dict[str, list[str]] = defaultdict(list)
    for case_id, person_id, role, _to in t("case_member"):
        if role == "subject":
            subjects[case_id].append(person_id)
    reports: dict[tuple[str, str], list[int]] = defaultdict(list)
    for case_id, received, decision in t("adult_report"):
        d = day(received)
        if case_id in live and d is not None and decision in (None, "enquiries"):
            for person_id in subjects.get(case_id, []):
                reports[(case_id, person_id)].append(d)
    out = []
    for (case_id, person_id), received_on in reports.items():
        received_on.sort()
        for i, base in enumerate(received_on):
            superseded = received_on[i + 1] if i + 1 < len(received_on) else None
            out.append(History(case_id, person_id, base, concluded.get(case_id, []),
                               _stop(superseded, live[case_id].closed)))
    return out


def _reviews(t: Tables, table: str) -> dict[str, list[int]]:
    """Current (not amended) reviews by the plan or episode they review."""
    amended, day = t.amended(table), _days(t)
    out: dict[str, list[int]] = defaultdict(list)
    for rid, parent, held, _amends in t(table):
        on = day(held)
        if rid not in amended and on is not None:
            out[parent].append(on)
    return out


def _spans(t: Tables, table: str, reviews: dict[str, list[int]]) -> list[History]:
    """One history per plan (or episode) of a live case: from its start, its reviews, until it ended or
    the case closed."""
    live, day = cases(t), _days(t)
    out = []
    for sid, case_id, person_id, started, ended in t(table):
        case = live.get(case_id)
        on = day(started)
        if case is None or on is None:
            continue
        out.append(History(case_id, person_id, on, reviews.get(sid, []), _stop(day(ended), case.closed)))
    return out


def a5(t: Tables) -> list[History]:
    return _spans(t, "adult_plan", _reviews(t, "adult_plan_review"))


def l7(t: Tables) -> list[History]:
    return _spans(t, "lac_episode", _reviews(t, "lac_review"))


MEASURES: tuple[tuple[str, Callable[[Tables], list[History]]], ...] = (
    ("V1", v1), ("V2", v2), ("C6", c6), ("C10", c10), ("C11", c11), ("C12", c12),
    ("A1", a1), ("A5", a5),
    ("L7", l7),
)
"""Rule id → the reader of its histories, in the order the report lists them."""


def _exception_windows(t: Tables, start: date, end: date) -> dict[tuple[str, str, str], list[tuple[int, int]]]:
    """(case, person, rule) → the spans (day numbers) a manager's recorded exception covered
    (desktop.services.exceptions)."""
    day = _days(t)
    s, e = start.toordinal(), end.toordinal()
    out: dict[tuple[str, str, str], list[tuple[int, int]]] = defaultdict(list)
    for case_id, person_id, rule_id, first, until, ended in t("rule_exception"):
        a, b = day(first), day(until)
        if a is None or b is None or a > e or b < s:
            continue
        out[(case_id, person_id, rule_id)].append((a, min(b, day(ended) or b)))
    return out


def measure_figures(t: Tables, start: date, end: date, engine: Engine, *,
                    months: Sequence[tuple[date, date]] = ()) -> list[MeasureFigures]:
    """Every measure over ``start``…``end``, counted as :class:`desktop.domain.occurrences.Tally` says, and
    over each of ``months`` (consecutive calendar months, the last ending no later than ``end``) for the
    trend. An occurrence falling due while a recorded exception covered that child or adult and rule is
    counted apart (``excepted``), not as on time, late or outstanding. A rule not in force at the period end
    (``rules.json`` effective dates) has no figures."""
    first = min([start, *(m[0] for m in months)])
    windows = _exception_windows(t, first, end)
    out = []
    for rule_id, reader in MEASURES:
        try:
            rule = engine.rules.get(rule_id, end)
        except KeyError:
            continue  # the rule was not yet (or no longer) in force at the period end: nothing to count
        replay = Replay(rule, engine.calendar, end, (start, end), months)
        for h in reader(t):
            replay.add_days(h.base, h.events, h.stop, windows.get((h.case_id, h.person_id, rule_id), ()))
        x = replay.tally
        trend = [MonthFigures(m[0], m[1], fell_due=p.fell_due, carried=p.carried, on_time=p.on_time, late=p.late,
                              outstanding=p.outstanding, ended=p.ended, excepted=n)
                 for m, p, n in zip(months, replay.monthly, replay.monthly_excepted, strict=True)]
        title = {lang: due_text.measure(rule, lang) for lang in ("cy", "en")}
        out.append(MeasureFigures(rule_id, rule.population, title, fell_due=x.fell_due, carried=x.carried,
                                  on_time=x.on_time, late=x.late, outstanding=x.outstanding, ended=x.ended,
                                  excepted=replay.excepted, trend=trend))
    return out
