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
from desktop.domain.occurrences import Occurrence, Tally, walk
from desktop.services.committee_source import Tables
from reports.model import MeasureFigures, MonthFigures


@dataclass(frozen=True, slots=True)
class History:
    case_id: str
    person_id: str
    base: date
    events: list[date]
    stop: date | None = None


def _d(value: Any) -> date | None:
    return date.fromisoformat(str(value)[:10]) if value else None


def _stop(*dates: date | None) -> date | None:
    found = [d for d in dates if d is not None]
    return min(found) if found else None


def _ids(text: Any) -> list[str]:
    """The person ids of a ``child_ids`` JSON list (an unreadable value names nobody)."""
    try:
        value = json.loads(text) if text else []
    except (TypeError, ValueError):
        return []
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


@dataclass(frozen=True, slots=True)
class _Case:
    case_type: str
    closed: date | None


def cases(t: Tables) -> dict[str, _Case]:
    """Live cases by id."""
    return {cid: _Case(kind, _d(closed)) for cid, kind, _team, _opened, closed in t("case_file")}


@dataclass(frozen=True, slots=True)
class _Registration:
    case_id: str
    person_id: str
    registered: date
    stop: date | None


def _registrations(t: Tables) -> list[_Registration]:
    """Register entries of live child protection cases, each with when the child left the rule."""
    live = cases(t)
    out = []
    for _id, case_id, person_id, registered, deregistered, _cats in t("register_entry"):
        case = live.get(case_id)
        if case is None or case.case_type != "child_protection" or not registered:
            continue
        out.append(_Registration(case_id, person_id, date.fromisoformat(registered[:10]),
                                 _stop(_d(deregistered), case.closed)))
    return out


def _visits(t: Tables) -> tuple[dict[str, list[date]], dict[str, list[date]]]:
    """Per child: the dates they were seen alone, and seen at home, on current visits where access was
    not denied."""
    amended = t.amended("cp_visit")
    when = {vid: day for vid, day, denied, _amends in t("cp_visit") if not denied and vid not in amended and day}
    alone: dict[str, list[date]] = defaultdict(list)
    home: dict[str, list[date]] = defaultdict(list)
    parsed: dict[str, date] = {}
    for visit_id, person_id, seen_alone, seen_at_home in t("cp_visit_child"):
        if not (seen_alone or seen_at_home):
            continue
        day = when.get(visit_id)
        if day is None:
            continue
        on = parsed.get(day)
        if on is None:
            on = parsed[day] = date.fromisoformat(day[:10])
        if seen_alone:
            alone[person_id].append(on)
        if seen_at_home:
            home[person_id].append(on)
    return alone, home


def _per_registration(t: Tables, events_for: Callable[[_Registration], list[date]],
                      base_for: Callable[[_Registration, list[date]], date | None] | None = None) -> list[History]:
    out = []
    for e in _registrations(t):
        events = [d for d in events_for(e) if d >= e.registered]
        base = e.registered if base_for is None else base_for(e, events)
        if base is None:
            continue
        out.append(History(e.case_id, e.person_id, base, events, e.stop))
    return out


def _core_groups(t: Tables) -> dict[str, list[date]]:
    amended = t.amended("cp_core_group")
    out: dict[str, list[date]] = defaultdict(list)
    for gid, case_id, held, _amends in t("cp_core_group"):
        if gid not in amended and held:
            out[case_id].append(date.fromisoformat(held[:10]))
    return out


def _conferences(t: Tables, kind: str) -> dict[tuple[str, str], list[date]]:
    out: dict[tuple[str, str], list[date]] = defaultdict(list)
    for case_id, child_ids, k, status, held in t("cp_conference"):
        if k == kind and status == "held" and held:
            for person_id in _ids(child_ids):
                out[(case_id, person_id)].append(date.fromisoformat(held[:10]))
    return out


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
    amended = t.amended("cp_strategy")
    strategies: dict[tuple[str, str], list[date]] = defaultdict(list)
    for sid, case_id, child_ids, held, _amends in t("cp_strategy"):
        if sid not in amended and held:
            for person_id in _ids(child_ids):
                strategies[(case_id, person_id)].append(date.fromisoformat(held[:10]))
    initial = _conferences(t, "initial")
    live = cases(t)
    found: dict[tuple[str, str], str] = {}  # the latest finding of significant harm per child
    for case_id, person_id, determination, determined in t("cp_enquiry"):
        if determination == 3 and determined and case_id in live:
            key = (case_id, person_id)
            found[key] = max(found.get(key, determined), determined)
    out = []
    for key, determined in found.items():
        day = date.fromisoformat(determined[:10])
        before = [d for d in strategies.get(key, []) if d <= day]
        if before:
            out.append(History(key[0], key[1], max(before), sorted(initial.get(key, [])), live[key[0]].closed))
    return out


def a1(t: Tables) -> list[History]:
    """Each report not screened out; a later report starts a new clock (the engine follows the latest)."""
    concluded: dict[str, list[date]] = defaultdict(list)
    for case_id, on in t("adult_enquiry"):
        if on:
            concluded[case_id].append(date.fromisoformat(on[:10]))
    live = cases(t)
    subjects: dict[str, list[str]] = defaultdict(list)
    for case_id, person_id, role, _to in t("case_member"):
        if role == "subject":
            subjects[case_id].append(person_id)
    reports: dict[tuple[str, str], list[date]] = defaultdict(list)
    for case_id, received, decision in t("adult_report"):
        if case_id in live and received and decision in (None, "enquiries"):
            for person_id in subjects.get(case_id, []):
                reports[(case_id, person_id)].append(date.fromisoformat(received[:10]))
    out = []
    for (case_id, person_id), received_on in reports.items():
        received_on.sort()
        for i, base in enumerate(received_on):
            superseded = received_on[i + 1] if i + 1 < len(received_on) else None
            out.append(History(case_id, person_id, base, concluded.get(case_id, []),
                               _stop(superseded, live[case_id].closed)))
    return out


def _reviews(t: Tables, table: str) -> dict[str, list[date]]:
    """Current (not amended) reviews by the plan or episode they review."""
    amended = t.amended(table)
    out: dict[str, list[date]] = defaultdict(list)
    for rid, parent, held, _amends in t(table):
        if rid not in amended and held:
            out[parent].append(date.fromisoformat(held[:10]))
    return out


def _spans(t: Tables, table: str, reviews: dict[str, list[date]]) -> list[History]:
    """One history per plan (or episode) of a live case: from its start, its reviews, until it ended or
    the case closed."""
    live = cases(t)
    out = []
    for sid, case_id, person_id, started, ended in t(table):
        case = live.get(case_id)
        if case is None or not started:
            continue
        out.append(History(case_id, person_id, date.fromisoformat(started[:10]), reviews.get(sid, []),
                           _stop(_d(ended), case.closed)))
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


def _exception_windows(t: Tables, start: date, end: date) -> dict[tuple[str, str, str], list[tuple[date, date]]]:
    """(case, person, rule) → the periods a manager's recorded exception covered (desktop.services.exceptions)."""
    out: dict[tuple[str, str, str], list[tuple[date, date]]] = defaultdict(list)
    for case_id, person_id, rule_id, first, until, ended in t("rule_exception"):
        a, b = _d(first), _d(until)
        if a is None or b is None or a > end or b < start:
            continue
        out[(case_id, person_id, rule_id)].append((a, min(b, _d(ended) or date.max)))
    return out


class _Months:
    """Calendar months ``months[0]``…``months[-1]`` (consecutive): which of them an occurrence can count in."""

    def __init__(self, months: Sequence[tuple[date, date]]) -> None:
        self.months = list(months)
        self.first = (months[0][0].year * 12 + months[0][0].month - 1) if months else 0

    def span(self, occ: Occurrence) -> range:
        """The months whose tally this occurrence may enter: from the month it fell due in to the month it
        was done in (or the last month, if never done), within the months counted."""
        if not self.months:
            return range(0)
        due = occ.due.year * 12 + occ.due.month - 1 - self.first
        done = occ.done
        last = len(self.months) - 1 if done is None else done.year * 12 + done.month - 1 - self.first
        return range(max(due, 0), min(last, len(self.months) - 1) + 1)


def measure_figures(t: Tables, start: date, end: date, engine: Engine, *,
                    months: Sequence[tuple[date, date]] = ()) -> list[MeasureFigures]:
    """Every measure over ``start``…``end``, counted as :class:`desktop.domain.occurrences.Tally` says, and
    over each of ``months`` (consecutive calendar months, the last ending no later than ``end``) for the
    trend. An occurrence falling due while a recorded exception covered that child or adult and rule is
    counted apart (``excepted``), not as on time, late or outstanding. A rule not in force at the period end
    (``rules.json`` effective dates) has no figures."""
    first = min([start, *(m[0] for m in months)])
    windows = _exception_windows(t, first, end)
    index = _Months(months)
    out = []
    for rule_id, reader in MEASURES:
        try:
            rule = engine.rules.get(rule_id, end)
        except KeyError:
            continue  # the rule was not yet (or no longer) in force at the period end: nothing to count
        tally, excepted = Tally(), 0
        monthly = [Tally() for _ in months]
        monthly_excepted = [0 for _ in months]
        for h in reader(t):
            covered = windows.get((h.case_id, h.person_id, rule_id))
            for occ in walk(rule, h.base, sorted(h.events), end, engine.calendar, stop=h.stop, since=first):
                if covered and any(a <= occ.due <= b for a, b in covered):
                    excepted += start <= occ.due <= end
                    for i in index.span(Occurrence(occ.due, occ.due)):
                        monthly_excepted[i] += 1
                    continue
                tally.add(occ, start, end, stop=h.stop)
                for i in index.span(occ):
                    monthly[i].add(occ, months[i][0], months[i][1], stop=h.stop)
        title = {lang: due_text.measure(rule, lang) for lang in ("cy", "en")}
        trend = [MonthFigures(m[0], m[1], fell_due=x.fell_due, carried=x.carried, on_time=x.on_time, late=x.late,
                              outstanding=x.outstanding, ended=x.ended, excepted=n)
                 for m, x, n in zip(months, monthly, monthly_excepted, strict=True)]
        out.append(MeasureFigures(rule_id, rule.population, title, fell_due=tally.fell_due, carried=tally.carried,
                                  on_time=tally.on_time, late=tally.late, outstanding=tally.outstanding,
                                  ended=tally.ended, excepted=excepted, trend=trend))
    return out
