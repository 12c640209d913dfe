"""The committee's timescale measures: each subject's history under a rule, replayed over a period
(Qt-free; read-only).

For each measured rule a reader returns, per subject (a child or adult in a case), a :class:`History`:
when the rule's clock started (``base``), the dates of the events that satisfy it, and when the subject
left the rule (``stop``: de-registered, looked-after episode or plan ended, case closed). The same rule
table and working-day calendar as My work replay it (:func:`desktop.domain.occurrences.walk`), so what is
outstanding at the end of a period is what My work shows on that day — a test holds the two equal.

Measures: V1 seen alone, V2 seen at home, C6 initial conference, C10 first core group, C11 core groups,
C12 review conferences (child protection); A1 section 126 enquiries, A5 plan reviews (adults at risk); L7
looked-after reviews. The Child in Need plan review (CIN1) is not here: its review dates are overwritten as
the plan goes on, so its history cannot be replayed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from desktop.domain import due_text
from desktop.domain.engine import Engine
from desktop.domain.occurrences import Tally, walk
from reports.model import MeasureFigures


@dataclass(frozen=True, slots=True)
class History:
    case_id: str
    person_id: str
    base: date
    events: list[date]
    stop: date | None = None


Rows = Callable[[str, Any], list[dict[str, Any]]]


def _d(value: Any) -> date | None:
    return date.fromisoformat(str(value)[:10]) if value else None


def _stop(*dates: date | None) -> date | None:
    found = [d for d in dates if d is not None]
    return min(found) if found else None


_CURRENT = "NOT EXISTS (SELECT 1 FROM {t} a WHERE a.amends_id = {a}.id AND a.deleted = 0)"


def _registrations(rows: Rows) -> list[dict[str, Any]]:
    return rows("SELECT e.case_id, e.person_id, e.registered_on, e.deregistered_on, c.closed_on"
                " FROM register_entry e JOIN case_file c ON c.id = e.case_id"
                " WHERE e.deleted = 0 AND c.deleted = 0 AND c.case_type = 'child_protection'", ())


def _visits(rows: Rows, flag: str) -> dict[str, list[date]]:
    out: dict[str, list[date]] = defaultdict(list)
    for r in rows("SELECT vc.person_id, v.visited_on FROM cp_visit v JOIN cp_visit_child vc ON vc.visit_id = v.id"
                  f" AND vc.deleted = 0 AND vc.{flag} = 1 WHERE v.deleted = 0 AND v.access_denied = 0"
                  f" AND {_CURRENT.format(t='cp_visit', a='v')} ORDER BY v.visited_on", ()):
        out[r["person_id"]].append(date.fromisoformat(r["visited_on"]))
    return out


def _per_registration(rows: Rows, events_for: Callable[[dict[str, Any]], list[date]],
                      base_for: Callable[[dict[str, Any], list[date]], date | None] | None = None) -> list[History]:
    out = []
    for e in _registrations(rows):
        registered = date.fromisoformat(e["registered_on"])
        events = [d for d in events_for(e) if d >= registered]
        base = registered if base_for is None else base_for(e, events)
        if base is None:
            continue
        out.append(History(e["case_id"], e["person_id"], base, events,
                           _stop(_d(e["deregistered_on"]), _d(e["closed_on"]))))
    return out


def _core_groups(rows: Rows) -> dict[str, list[date]]:
    out: dict[str, list[date]] = defaultdict(list)
    for r in rows("SELECT case_id, held_on FROM cp_core_group g WHERE deleted = 0"
                  f" AND {_CURRENT.format(t='cp_core_group', a='g')} ORDER BY held_on", ()):
        out[r["case_id"]].append(date.fromisoformat(r["held_on"]))
    return out


def _conferences(rows: Rows, kind: str) -> dict[tuple[str, str], list[date]]:
    out: dict[tuple[str, str], list[date]] = defaultdict(list)
    for r in rows("SELECT f.case_id, j.value AS person_id, f.held_on FROM cp_conference f, json_each(f.child_ids) j"
                  " WHERE f.deleted = 0 AND f.status = 'held' AND f.kind = ? ORDER BY f.held_on", (kind,)):
        out[(r["case_id"], r["person_id"])].append(date.fromisoformat(r["held_on"]))
    return out


def v1(rows: Rows) -> list[History]:
    seen = _visits(rows, "seen_alone")
    return _per_registration(rows, lambda e: seen.get(e["person_id"], []))


def v2(rows: Rows) -> list[History]:
    seen = _visits(rows, "seen_at_home")
    return _per_registration(rows, lambda e: seen.get(e["person_id"], []))


def c10(rows: Rows) -> list[History]:
    groups = _core_groups(rows)
    return _per_registration(rows, lambda e: groups.get(e["case_id"], []))


def c11(rows: Rows) -> list[History]:
    """From the first core group after registration, every core group after it."""
    groups = _core_groups(rows)
    return _per_registration(rows, lambda e: groups.get(e["case_id"], []),
                             base_for=lambda e, events: events[0] if events else None)


def c12(rows: Rows) -> list[History]:
    reviews = _conferences(rows, "review")
    return _per_registration(rows, lambda e: reviews.get((e["case_id"], e["person_id"]), []))


def c6(rows: Rows) -> list[History]:
    """A child whose section 47 enquiry found significant harm (determination 3): the initial conference
    is due within C6 of the last strategy discussion before that finding."""
    strategies: dict[tuple[str, str], list[date]] = defaultdict(list)
    for r in rows("SELECT s.case_id, j.value AS person_id, s.held_on FROM cp_strategy s, json_each(s.child_ids) j"
                  f" WHERE s.deleted = 0 AND {_CURRENT.format(t='cp_strategy', a='s')}", ()):
        strategies[(r["case_id"], r["person_id"])].append(date.fromisoformat(r["held_on"]))
    initial = _conferences(rows, "initial")
    out = []
    for q in rows("SELECT q.case_id, q.person_id, MAX(q.determined_on) AS determined_on, c.closed_on"
                  " FROM cp_enquiry q JOIN case_file c ON c.id = q.case_id WHERE q.deleted = 0 AND c.deleted = 0"
                  " AND q.determination = 3 GROUP BY q.case_id, q.person_id", ()):
        key = (q["case_id"], q["person_id"])
        before = [d for d in strategies.get(key, []) if d.isoformat() <= q["determined_on"]]
        if before:
            out.append(History(key[0], key[1], max(before), sorted(initial.get(key, [])), _d(q["closed_on"])))
    return out


def a1(rows: Rows) -> list[History]:
    """Each report not screened out; a later report starts a new clock (the engine follows the latest)."""
    concluded: dict[str, list[date]] = defaultdict(list)
    for r in rows("SELECT case_id, concluded_on FROM adult_enquiry WHERE deleted = 0 AND concluded_on IS NOT NULL"
                  " ORDER BY concluded_on", ()):
        concluded[r["case_id"]].append(date.fromisoformat(r["concluded_on"]))
    reports: dict[tuple[str, str], list[date]] = defaultdict(list)
    closed: dict[str, date | None] = {}
    for r in rows("SELECT r.case_id, m.person_id, r.received_on, c.closed_on FROM adult_report r"
                  " JOIN case_file c ON c.id = r.case_id JOIN case_member m ON m.case_id = c.id AND m.deleted = 0"
                  " AND m.role = 'subject' WHERE r.deleted = 0 AND c.deleted = 0"
                  " AND (r.screening_decision IS NULL OR r.screening_decision = 'enquiries') ORDER BY r.received_on", ()):
        reports[(r["case_id"], r["person_id"])].append(date.fromisoformat(r["received_on"]))
        closed[r["case_id"]] = _d(r["closed_on"])
    out = []
    for (case_id, person_id), received in reports.items():
        for i, base in enumerate(received):
            superseded = received[i + 1] if i + 1 < len(received) else None
            out.append(History(case_id, person_id, base, concluded.get(case_id, []),
                               _stop(superseded, closed[case_id])))
    return out


def a5(rows: Rows) -> list[History]:
    reviews: dict[str, list[date]] = defaultdict(list)
    for r in rows("SELECT plan_id, reviewed_on FROM adult_plan_review r WHERE deleted = 0"
                  f" AND {_CURRENT.format(t='adult_plan_review', a='r')} ORDER BY reviewed_on", ()):
        reviews[r["plan_id"]].append(date.fromisoformat(r["reviewed_on"]))
    return [History(p["case_id"], p["person_id"], date.fromisoformat(p["started_on"]), reviews.get(p["id"], []),
                    _stop(_d(p["ended_on"]), _d(p["closed_on"])))
            for p in rows("SELECT p.id, p.case_id, p.person_id, p.started_on, p.ended_on, c.closed_on"
                          " FROM adult_plan p JOIN case_file c ON c.id = p.case_id WHERE p.deleted = 0"
                          " AND c.deleted = 0", ())]


def l7(rows: Rows) -> list[History]:
    reviews: dict[str, list[date]] = defaultdict(list)
    for r in rows("SELECT episode_id, held_on FROM lac_review r WHERE deleted = 0"
                  f" AND {_CURRENT.format(t='lac_review', a='r')} ORDER BY held_on", ()):
        reviews[r["episode_id"]].append(date.fromisoformat(r["held_on"]))
    return [History(e["case_id"], e["person_id"], date.fromisoformat(e["started_on"]), reviews.get(e["id"], []),
                    _stop(_d(e["ended_on"]), _d(e["closed_on"])))
            for e in rows("SELECT e.id, e.case_id, e.person_id, e.started_on, e.ended_on, c.closed_on"
                          " FROM lac_episode e JOIN case_file c ON c.id = e.case_id WHERE e.deleted = 0"
                          " AND c.deleted = 0", ())]


MEASURES: tuple[tuple[str, Callable[[Rows], list[History]]], ...] = (
    ("V1", v1), ("V2", v2), ("C6", c6), ("C10", c10), ("C11", c11), ("C12", c12),
    ("A1", a1), ("A5", a5),
    ("L7", l7),
)
"""Rule id → the reader of its histories, in the order the report lists them."""


def _exception_windows(rows: Rows, start: date, end: date) -> dict[tuple[str, str, str], list[tuple[date, date]]]:
    """(case, person, rule) → the periods a manager's recorded exception covered (desktop.services.exceptions)."""
    if not rows("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'rule_exception'", ()):
        return {}
    out: dict[tuple[str, str, str], list[tuple[date, date]]] = defaultdict(list)
    for x in rows("SELECT case_id, person_id, rule_id, from_date, until_date, ended_on FROM rule_exception"
                  " WHERE deleted = 0 AND from_date <= ? AND until_date >= ?", (end.isoformat(), start.isoformat())):
        last = min(date.fromisoformat(x["until_date"]), _d(x["ended_on"]) or date.max)
        out[(x["case_id"], x["person_id"], x["rule_id"])].append((date.fromisoformat(x["from_date"]), last))
    return out


def measure_figures(rows: Rows, start: date, end: date, engine: Engine) -> list[MeasureFigures]:
    """Every measure over ``start``…``end``, counted as :class:`desktop.domain.occurrences.Tally` says. An
    occurrence falling due while a recorded exception covered that child or adult and rule is counted
    apart (``excepted``), not as on time, late or outstanding."""
    windows = _exception_windows(rows, start, end)
    out = []
    for rule_id, reader in MEASURES:
        rule = engine.rules.get(rule_id, end)
        tally, excepted = Tally(), 0
        for h in reader(rows):
            covered = windows.get((h.case_id, h.person_id, rule_id), [])
            for occ in walk(rule, h.base, sorted(h.events), end, engine.calendar, stop=h.stop):
                if any(a <= occ.due <= b for a, b in covered):
                    excepted += start <= occ.due <= end
                    continue
                tally.add(occ, start, end, stop=h.stop)
        title = {lang: due_text.measure(rule, lang) for lang in ("cy", "en")}
        out.append(MeasureFigures(rule_id, rule.population, title, fell_due=tally.fell_due, carried=tally.carried,
                                  on_time=tally.on_time, late=tally.late, outstanding=tally.outstanding,
                                  ended=tally.ended, excepted=excepted))
    return out

