"""The timescale engine: "what is due" for one subject or for ten thousand (Qt-free, no database).

Input is plain data, one :class:`SubjectFacts` per *subject* (a child or adult within a case). The
caller (the store) supplies, per event key, only the **latest** date that matters — a SQL ``MAX()`` per
subject — never the history: a million visits become one date per key. Every timescale comes from the
:class:`~desktop.domain.rules.RuleSet`; this module holds no timescale numbers.

Status tags (``SubjectFacts.statuses``)
    Populations: ``child_protection`` (child in the WSP child process: report, enquiry, register),
    ``adult_at_risk``, ``looked_after``, ``child_in_need``, ``complaint``. Further tags:
    ``registered`` (on the CP register now), ``icpc_required`` (s47 determination 3: convene an ICPC),
    ``transfer_in`` (child protection transfer-in agreed), ``strategy_required`` (adult: enquiry concluded
    that a strategy discussion is needed), ``adult_plan`` (adult has a care and support protection plan),
    ``placement_until_18`` (placement intended to last until 18), ``reg20`` (placed with parent before
    assessment, SI 2015/1818 reg 20), ``reg26`` (connected person temporary approval, or interim care order
    and living with parent, reg 31(4)), ``under_5`` (looked-after child under five on the day asked).

Event keys (``SubjectFacts.events``; each the latest date, ``None``/absent when none)
    Children: ``report_received``, ``report_decision`` (next actions recorded), ``strategy_meeting_last``,
    ``icpc_held``, ``registered`` (date of the registering conference), ``review_conference`` (last CP
    review conference), ``next_review_date`` (scheduled), ``outline_plan_sent``, ``conference_record_sent``,
    ``conference_record_comments``, ``core_group``, ``moved_out_notified``, ``transfer_information_sent``,
    ``transfer_in_agreed``, ``transfer_in_conference``; visits: ``visit_seen``, ``visit_seen_alone``,
    ``visit_seen_at_home``, ``visit_bedroom_seen``.
    Adults: ``report_received``, ``enquiry_concluded``, ``strategy_meeting_last``, ``plan_start``,
    ``plan_review``, ``visit_seen``, ``visit_seen_alone`` (offered the opportunity to be seen alone),
    ``apc_scheduled`` (next adult protection conference), ``apc_held`` (last one held),
    ``apc_reports_received`` (when the last invited agency's report reached the chair).
    Looked after: ``looked_after_start``, ``placement_start`` (current placement), ``care_support_plan``,
    ``placement_plan`` (current placement's plan), ``lac_visit`` (statutory visit), ``lac_review``,
    ``lac_review_first``, ``reg20_assessment``, ``reg20_decision``, ``health_assessment``,
    ``gp_registered`` (for the current placement), ``dentist_registered``.
    Complaints: ``complaint_received``, ``complaint_acknowledged``, ``complaint_discussed``,
    ``complaint_resolution_sent``, ``stage2_requested``, ``stage2_response_sent``.
    ``SubjectFacts.counts`` holds counts where a chain needs them: ``lac_review`` (reviews since
    ``looked_after_start``; L7 has three steps). Without a count, a chain takes "one or more" as one.

Rule kinds
    ``once``: due = base + offset; satisfied by an event on/after the base (or see ``satisfied_since``).
    ``rolling``: due = anchor + offset, anchor = the last satisfying event on/after the base, else the
    base; repeats for ever, so it always yields an item (upcoming when recently done).
    ``chain``: like rolling, but the interval is ``steps[k]`` after the k-th satisfying event (the last
    step repeats): C12 3 months then 6 months; L7 4 weeks, 3 months, 6 months.
    ``before``: due = offset *before* a scheduled event (A7); lapses once ``closed_by`` is on/after it.
    ``between``: one satisfying event after the window start (latest base) and by the window end (the
    scheduled ``end_event`` or ``end_rule``'s due date, whichever is earlier) — V4.

Status (relative to ``on``): ``overdue`` (due < on), ``due_today``, ``due_this_week`` (after today and
on or before the coming Sunday; on a Sunday that is only today), ``upcoming`` (later). Calendar-unit
due dates are not moved off weekends or holidays (a visit may happen on a Saturday); working-day due
dates always fall on working days. ``days_overdue`` counts working days after the due date up to and
including ``on`` for working-day rules, calendar days otherwise (``overdue_unit`` says which).
Satisfied rules yield nothing. Rules are those in force on ``on`` (effective_from/effective_to).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from desktop.domain.calendar import SUNDAY, WorkingCalendar, default_calendar
from desktop.domain.rules import Phase, Rule, RuleSet

OVERDUE = "overdue"
DUE_TODAY = "due_today"
DUE_THIS_WEEK = "due_this_week"
UPCOMING = "upcoming"
STATUSES = (OVERDUE, DUE_TODAY, DUE_THIS_WEEK, UPCOMING)
CANNOT_COMPUTE = "cannot_compute"
"""Not an engine status: "My work" gives it to an item whose due date could not be worked out (an
:class:`EngineError`), so the item is shown with its problem instead of being dropped."""


@dataclass(frozen=True, slots=True)
class RuleException:
    """A manager's recorded exception to one rule for one subject, in force on the day asked.

    ``substitute``: an event key that satisfies the rule in place of its own (V1 for a baby: "seen"
    takes the place of "seen alone"); ``None`` lifts the rule while the exception is in force."""

    id: str
    substitute: str | None = None


@dataclass(frozen=True, slots=True)
class SubjectFacts:
    """What the engine needs to know about one subject (child or adult) in one case."""

    case_id: str
    person_id: str
    statuses: frozenset[str]
    events: Mapping[str, date | None]
    counts: Mapping[str, int] = field(default_factory=dict)
    overrides: Mapping[str, tuple[int, str]] = field(default_factory=dict)
    """Per-case timescales, rule id → (offset, unit), e.g. the A4 frequency the strategy group set.
    Only rules with ``case_override`` take one, and only when it gives an earlier due date."""
    exceptions: Mapping[str, RuleException] = field(default_factory=dict)
    """Exceptions in force for this subject, rule id → :class:`RuleException`. Only rules with
    ``exception_allowed`` honour one."""


@dataclass(frozen=True, slots=True)
class DueItem:
    """One thing due (or overdue) for one subject under one rule."""

    case_id: str
    person_id: str
    rule_id: str
    due: date
    status: str
    severity: str
    days_overdue: int
    """0 unless overdue; in ``overdue_unit``."""
    overdue_unit: str
    """``"working_days"`` for working-day rules, else ``"days"``."""
    population: str
    kind: str
    offset: int
    unit: str
    """The timescale applied (after RSB and per-case overrides; for chains, the current step)."""
    anchor: date
    """Where the clock ran from: the base or last satisfying event; for ``before`` the scheduled date;
    for ``between`` the window start."""
    last: date | None
    """The latest satisfying event that counted (``None`` if none)."""
    elapsed: int | None
    """For ``rolling``/``chain``: time since ``anchor`` up to ``on`` in ``overdue_unit``."""
    scheduled: date | None = None
    """``before``: the scheduled event; ``between``: the window end."""
    case_override: bool = False
    """True when a per-case timescale (stricter) decided the due date."""
    excepted_by: str | None = None
    """The id of the recorded exception that applies to this item, else ``None``."""
    lifted: bool = False
    """True when that exception lifts the rule (no substitute): the item is not a duty while the
    exception is in force; "My work" lists it apart, as excepted."""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready (dates as ISO strings)."""
        out: dict[str, Any] = {}
        for name in self.__slots__:
            value = getattr(self, name)
            out[name] = value.isoformat() if isinstance(value, date) else value
        return out


@dataclass(frozen=True, slots=True)
class EngineError:
    """A subject/rule the engine could not evaluate (e.g. a date outside the calendar)."""

    case_id: str
    person_id: str
    rule_id: str
    message: str


class Engine:
    """Evaluates a :class:`RuleSet` against subjects on a working-day :class:`WorkingCalendar`.

    Immutable configuration; safe to share between threads (its only state is a cache of which rules
    apply to which tag set, rebuilt idempotently). A new configuration (variant, RSB overrides, updated
    calendar) is a new ``Engine``.
    """

    def __init__(self, rules: RuleSet | None = None, calendar: WorkingCalendar | None = None) -> None:
        self.rules = rules if rules is not None else RuleSet.load()
        self.calendar = calendar if calendar is not None else default_calendar()
        self._by_tags: dict[tuple[date, frozenset[str]], tuple[Rule, ...]] = {}
        self._cache_day: date | None = None
        self._end_rules = frozenset(r.end_rule for r in self.rules.rules if r.end_rule)
        self._substitutes: dict[tuple[str, str | None, date | None, str], Rule] = {}

    def _rules_for(self, on: date, tags: frozenset[str]) -> tuple[Rule, ...]:
        if on != self._cache_day:
            # Rules in force depend on the day; keep only the current day's cache.
            self._by_tags = {}
            self._cache_day = on
        key = (on, tags)
        hit = self._by_tags.get(key)
        if hit is None:
            chosen = [
                r
                for r in self.rules.active(on)
                if r.population in tags and r.requires <= tags and not (r.excludes & tags)
            ]
            # Rules another rule's window depends on (V4 needs C12) are evaluated first.
            chosen.sort(key=lambda r: r.id not in self._end_rules)
            hit = self._by_tags[key] = tuple(chosen)
        return hit

    def due_items(
        self,
        subjects: Iterable[SubjectFacts],
        on: date,
        *,
        horizon_days: int | None = None,
        errors: list[EngineError] | None = None,
    ) -> list[DueItem]:
        """Everything not yet satisfied for ``subjects`` as of ``on``.

        ``horizon_days``: leave out items due more than this many calendar days after ``on``.
        ``errors``: if given, subjects/rules that cannot be evaluated are recorded there and skipped;
        otherwise the first one raises ``ValueError`` naming the case, person and rule.
        """
        cal = self.calendar
        add = cal.add_ord
        wdb = cal.working_days_between_ord
        on_o = on.toordinal()
        sunday_o = on_o + SUNDAY - on.weekday()
        limit = None if horizon_days is None else on_o + horizon_days
        fromord = date.fromordinal
        out: list[DueItem] = []
        append = out.append
        rules_for = self._rules_for
        end_rules = self._end_rules

        for subj in subjects:
            tags = subj.statuses if isinstance(subj.statuses, frozenset) else frozenset(subj.statuses)
            ev = subj.events
            overrides = subj.overrides
            computed: dict[str, int] = {}
            exceptions = subj.exceptions
            for rule in rules_for(on, tags):
                excepted_by = None
                lifted = False
                if exceptions and rule.exception_allowed and rule.id in exceptions:
                    exc = exceptions[rule.id]
                    excepted_by = exc.id
                    if exc.substitute:
                        rule = self._substituted(rule, exc.substitute)
                    else:
                        lifted = True
                try:
                    res = self._evaluate(rule, ev, subj.counts, computed, add)
                    if res is None:
                        continue
                    due_o, anchor_o, last_o, step, sched_o = res
                    offset, unit = rule.steps[step]
                    used_override = False
                    if rule.case_override and overrides and rule.id in overrides:
                        c_off, c_unit = overrides[rule.id]
                        alt = add(anchor_o, -c_off if rule.kind == "before" else c_off, c_unit)
                        if (alt > due_o) if rule.kind == "before" else (alt < due_o):
                            due_o, offset, unit, used_override = alt, c_off, c_unit, True
                    if rule.id in end_rules:
                        computed[rule.id] = due_o
                    if limit is not None and due_o > limit:
                        continue
                    wd = unit == "working_days"
                    if due_o < on_o:
                        status = OVERDUE
                        overdue = wdb(due_o, on_o) if wd else on_o - due_o
                    else:
                        overdue = 0
                        if due_o == on_o:
                            status = DUE_TODAY
                        elif due_o <= sunday_o:
                            status = DUE_THIS_WEEK
                        else:
                            status = UPCOMING
                    elapsed = None
                    if rule.kind == "rolling" or rule.kind == "chain":
                        elapsed = wdb(anchor_o, on_o) if wd else on_o - anchor_o
                    append(
                        DueItem(
                            subj.case_id,
                            subj.person_id,
                            rule.id,
                            fromord(due_o),
                            status,
                            rule.severity,
                            overdue,
                            "working_days" if wd else "days",
                            rule.population,
                            rule.kind,
                            offset,
                            unit,
                            fromord(anchor_o),
                            None if last_o is None else fromord(last_o),
                            elapsed,
                            None if sched_o is None else fromord(sched_o),
                            used_override,
                            excepted_by,
                            lifted,
                        )
                    )
                except ValueError as exc:
                    if errors is None:
                        raise ValueError(
                            f"case {subj.case_id}, person {subj.person_id}, rule {rule.id}: {exc}"
                        ) from exc
                    errors.append(EngineError(subj.case_id, subj.person_id, rule.id, str(exc)))
        return out

    def _substituted(self, rule: Rule, substitute: str) -> Rule:
        key = (rule.id, rule.variant, rule.effective_from, substitute)
        hit = self._substitutes.get(key)
        if hit is None:
            hit = self._substitutes[key] = replace(rule, satisfied_by=substitute)
        return hit

    def due_for(self, subject: SubjectFacts, on: date, **kwargs: Any) -> list[DueItem]:
        """:meth:`due_items` for one subject."""
        return self.due_items((subject,), on, **kwargs)

    @staticmethod
    def _evaluate(
        rule: Rule,
        ev: Mapping[str, date | None],
        counts: Mapping[str, int],
        computed: Mapping[str, int],
        add: Any,
    ) -> tuple[int, int, int | None, int, int | None] | None:
        """(due, anchor, last, step index, scheduled) as ordinals, or ``None`` if not applicable or
        satisfied."""
        # Base: the latest date among the base keys.
        base_o = None
        for key in rule.base:
            d = ev.get(key)
            if d is not None:
                o = d.toordinal()
                if base_o is None or o > base_o:
                    base_o = o
        if base_o is None:
            return None

        # The latest satisfying event, if it counts (on/after the base, any time, or after an event).
        s = ev.get(rule.satisfied_by)
        last_o = None
        if s is not None:
            last_o = s.toordinal()
            since = rule.satisfied_since
            if since == "base":
                if last_o < base_o:
                    last_o = None
            elif since != "any":
                lower = ev.get(since)
                if lower is not None and last_o < lower.toordinal():
                    last_o = None

        kind = rule.kind
        step = 0
        sched_o = None
        if kind == "once":
            if last_o is not None:
                return None
            anchor_o = base_o
        elif kind == "rolling":
            anchor_o = base_o if last_o is None or last_o < base_o else last_o
        elif kind == "chain":
            n = counts.get(rule.satisfied_by) if counts else None
            if n is None:
                n = 0 if last_o is None else 1
            if n <= 0 or last_o is None:
                anchor_o = base_o
            else:
                anchor_o = last_o
                step = min(n, len(rule.steps) - 1)
        elif kind == "before":
            if rule.closed_by is not None:
                closed = ev.get(rule.closed_by)
                if closed is not None and closed.toordinal() >= base_o:
                    return None
            if last_o is not None:
                return None
            offset, unit = rule.steps[0]
            return add(base_o, -offset, unit), base_o, None, 0, base_o
        else:  # between
            if last_o is not None:
                return None
            end_o = None
            if rule.end_event is not None:
                e = ev.get(rule.end_event)
                # A scheduled date older than the window start belongs to an earlier window.
                if e is not None and e.toordinal() >= base_o:
                    end_o = e.toordinal()
            if rule.end_rule is not None:
                r_o = computed.get(rule.end_rule)
                if r_o is not None and (end_o is None or r_o < end_o):
                    end_o = r_o
            if end_o is None:
                return None
            return end_o, base_o, None, 0, end_o

        # Phases (rolling/chain): the rule governs an interval that starts inside [from, until).
        if rule.phase_from is not None and not _phase_ok(rule.phase_from, base_o, anchor_o, ev, add, True):
            return None
        if rule.phase_until is not None and not _phase_ok(rule.phase_until, base_o, anchor_o, ev, add, False):
            return None
        offset, unit = rule.steps[step]
        return add(anchor_o, offset, unit), anchor_o, last_o, step, sched_o


def _phase_ok(
    phase: Phase, base_o: int, anchor_o: int, ev: Mapping[str, date | None], add: Any, lower: bool
) -> bool:
    if phase.event is not None:
        d = ev.get(phase.event)
        if d is None:
            return not lower  # no such event yet: a lower bound is unmet, an upper bound is open
        bound = d.toordinal()
    else:
        bound = add(base_o, phase.offset, phase.unit)
    return anchor_o >= bound if lower else anchor_o < bound


_default_engine: Engine | None = None


def default_engine() -> Engine:
    """An engine over the shipped rules (Section 4 variant, no overrides) and calendar, built once."""
    global _default_engine
    if _default_engine is None:
        _default_engine = Engine()
    return _default_engine


def due_items(
    subjects: Iterable[SubjectFacts],
    on: date,
    *,
    engine: Engine | None = None,
    horizon_days: int | None = None,
    errors: list[EngineError] | None = None,
) -> list[DueItem]:
    """Convenience: :meth:`Engine.due_items` on ``engine`` (default: :func:`default_engine`)."""
    return (engine or default_engine()).due_items(subjects, on, horizon_days=horizon_days, errors=errors)


def sort_items(items: Iterable[DueItem]) -> list[DueItem]:
    """Most urgent first: by due date, then must before should, then case, person and rule."""
    return sorted(items, key=lambda i: (i.due, i.severity != "must", i.case_id, i.person_id, i.rule_id))
