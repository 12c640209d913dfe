"""\"My work\": what is overdue, due today and due this week for the signed-in worker, their team and
the senior manager's escalations — shared by every population (Qt-free).

Provider registry
    Each population plugs its facts in with :func:`register_provider`::

        register_provider("child_protection", subjects_fn, actions={"V1": "record_visit", ...})

    ``subjects_fn(store, condition, params, on) -> list[Subject]`` returns one :class:`Subject` per
    subject (child or adult) in the cases that satisfy ``condition`` — an SQL condition on
    ``case_file AS c`` with its named ``params`` (the signed-in person's scope, from
    :func:`desktop.services.scope.case_condition`). It must gather the latest dates with aggregate
    SQL (``MAX(...) GROUP BY``), never row by row. ``actions`` maps rule ids to the action key the GUI
    opens for that item ("record_visit", "hold_core_group", …). :func:`register_adjuster` adds a
    function ``(items, on, facts) -> items`` run over every provider's engine items together, before the
    horizon (cross-population rules such as C21); ``facts`` maps ``(case_id, person_id)`` to the
    :class:`SubjectFacts` every provider gave for that subject. Providers listed in
    :data:`DEFAULT_PROVIDERS` are imported on first use (a module that is not there yet is skipped), so
    the adult-at-risk and looked-after modules only need to exist and call ``register_provider`` at
    import.

``MyWorkService(session, engine=None)``
    * ``all_items(on=None, *, horizon_days=None, case_id=None)`` — every item, any status; ``next_due(case_id)``.
    * ``items(on=None, *, mine_only=True)`` — :class:`WorkItem` list, most urgent first, in scope. With
      ``mine_only`` only the items the person is responsible for (their cases or co-ordinated
      children) or is covering today.
    * ``view(on=None)`` — :class:`MyWork`: ``overdue``, ``due_today``, ``due_this_week``, ``by_case``
      (for the worker), ``team`` (all team items, managers with ``Can.VIEW_TEAM_WORK``), ``team_overdue``
      (the team's overdue items other than the manager's own), ``uncovered``
      (items of absent workers nobody covers — the team manager assigns cover, V3), ``escalations``
      (senior managers, ``Can.VIEW_ESCALATIONS``) and ``counts``.
    * ``counts(on=None)`` — ``{"overdue", "due_today", "due_this_week", "escalations"}`` for the sidebar.
    * ``escalations()`` / ``acknowledge(escalation_id, outcome)``.
    * ``assign_cover(covering_id, *, covered_id=None, case_id=None, from_date, to_date, reason=None)`` and
      ``record_absence(practitioner_id, *, from_date, to_date=None, reason=None)`` — managers
      (``Can.ALLOCATE``).

Each :class:`WorkItem` carries ``case_id``, ``person_id``, ``rule_id``, ``due``, ``status``, ``reason``
(plain words in the interface language, :func:`desktop.domain.due_text.reason`), ``title`` and
``action``.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from desktop.domain import due_text
from desktop.domain.engine import (
    DUE_THIS_WEEK,
    DUE_TODAY,
    OVERDUE,
    DueItem,
    Engine,
    SubjectFacts,
    default_engine,
)
from desktop.domain.types import Role
from desktop.domain.validation import parse_date
from desktop.errors import NotFound, ValidationError
from desktop.i18n import N_
from desktop.services.permissions import Can
from desktop.services.reads import read_casework
from desktop.services.scope import case_condition, require_case


@dataclass(frozen=True, slots=True)
class Subject:
    """A provider's answer for one subject: the engine's facts and who is responsible."""

    facts: SubjectFacts
    worker_id: str | None
    person_name: str = ""
    case_reference: str = ""


SubjectsFn = Callable[[Any, str, dict[str, Any], date], list[Subject]]


@dataclass(frozen=True, slots=True)
class Provider:
    name: str
    subjects: SubjectsFn
    actions: dict[str, str]


_PROVIDERS: dict[str, Provider] = {}
DEFAULT_PROVIDERS = (
    "desktop.services.child_protection",
    "desktop.services.adults",
    "desktop.services.children",
)
_loaded = False


def register_provider(name: str, subjects: SubjectsFn, *, actions: dict[str, str] | None = None) -> None:
    """Add (or replace) the provider ``name``."""
    _PROVIDERS[name] = Provider(name, subjects, dict(actions or {}))


FactsBySubject = dict[tuple[str, str], list[SubjectFacts]]
Adjuster = Callable[[list[DueItem], date, FactsBySubject], Iterable[DueItem]]
_ADJUSTERS: list[Adjuster] = []


def register_adjuster(adjust: Adjuster) -> None:
    """Add a rule that runs over every provider's engine items before the horizon is applied, e.g. C21
    (a child both looked after and registered: the review conference timed with the looked-after
    review). Idempotent."""
    if adjust not in _ADJUSTERS:
        _ADJUSTERS.append(adjust)


def providers() -> list[Provider]:
    global _loaded
    if not _loaded:
        for module in DEFAULT_PROVIDERS:
            if importlib.util.find_spec(module) is not None:
                importlib.import_module(module)
        _loaded = True
    return list(_PROVIDERS.values())


@dataclass(slots=True)
class WorkItem:
    """One thing due. ``title`` and ``reason`` are worded when read, in the interface language at
    that moment (so a language switch rewords them, and a view of 40,000 items formats only what
    is shown)."""

    case_id: str
    case_reference: str
    person_id: str
    person_name: str
    rule_id: str
    due: date
    status: str
    severity: str
    days_overdue: int
    action: str
    population: str
    worker_id: str | None
    engine_item: DueItem = field(repr=False)
    absent: bool = False
    """The responsible worker is away today (absence or cover recorded)."""
    covered_by: str | None = None

    @property
    def title(self) -> str:
        return due_text.title(self.rule_id)

    @property
    def reason(self) -> str:
        return due_text.reason(self.engine_item)

    def to_dict(self) -> dict[str, Any]:
        out = {name: getattr(self, name) for name in self.__slots__ if name != "engine_item"}
        out["due"] = self.due.isoformat()
        out["title"], out["reason"] = self.title, self.reason
        return out


@dataclass(slots=True)
class MyWork:
    overdue: list[WorkItem] = field(default_factory=list)
    due_today: list[WorkItem] = field(default_factory=list)
    due_this_week: list[WorkItem] = field(default_factory=list)
    by_case: dict[str, list[WorkItem]] = field(default_factory=dict)
    team: list[WorkItem] = field(default_factory=list)
    team_overdue: list[WorkItem] = field(default_factory=list)
    """The team's overdue items that are not the signed-in manager's own (those are in ``overdue``)."""
    uncovered: list[WorkItem] = field(default_factory=list)
    escalations: list[dict[str, Any]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


_ACTIVE = (OVERDUE, DUE_TODAY, DUE_THIS_WEEK)


class MyWorkService:
    def __init__(self, session: Any, engine: Engine | None = None) -> None:
        self.session = session
        self.engine = engine or default_engine()

    # -- items --------------------------------------------------------------------------------
    def all_items(self, on: date | None = None, *, horizon_days: int | None = None,
                  case_id: str | None = None) -> list[WorkItem]:
        """Every item (any status, upcoming included) in the person's scope (or of one case in it).

        What is due is casework (``Can.VIEW_CASEWORK``); ``case_id`` outside scope is ``NotFound``."""
        self.session.require(Can.VIEW_CASEWORK)
        if case_id is not None:
            read_casework(self.session, case_id, "due")
        on = on or self.session.today()
        condition, params = case_condition(self.session.user, self.session.today())
        if case_id is not None:
            condition, params = f"c.id = :only_case AND ({condition})", {**params, "only_case": case_id}
        cover = self._cover(on)
        absent = self._absent(on)
        # A child may be a subject of several providers (looked after AND registered): an item belongs
        # to the provider whose rule produced it, which decides its worker and its action.
        owner: dict[tuple[str, str, str], tuple[Subject, Provider]] = {}
        facts: FactsBySubject = {}
        due: list[DueItem] = []
        for provider in providers():
            subjects = provider.subjects(self.session.store, condition, params, on)
            by_subject = {(s.facts.case_id, s.facts.person_id): s for s in subjects}
            for key, s in by_subject.items():
                facts.setdefault(key, []).append(s.facts)
            # No horizon yet: an adjuster may move an item earlier (C21 aligns C12 with L7).
            items = self.engine.due_items([s.facts for s in subjects], on, errors=[])
            for item in items:
                owner[(item.population, item.case_id, item.person_id)] = (
                    by_subject[(item.case_id, item.person_id)], provider)
            due += items
        for adjust in _ADJUSTERS:
            due = list(adjust(due, on, facts))
        limit = None if horizon_days is None else on + timedelta(days=horizon_days)
        out: list[WorkItem] = []
        for item in due:
            if limit is not None and item.due > limit:
                continue
            s, provider = owner[(item.population, item.case_id, item.person_id)]
            out.append(self._item(item, s, provider, cover, absent))
        out.sort(key=lambda i: (i.due, i.severity != "must", i.case_reference, i.person_name, i.rule_id))
        return out

    def items(self, on: date | None = None, *, mine_only: bool = True) -> list[WorkItem]:
        """Overdue, due today and due this week (most urgent first)."""
        me = self.session.user.id
        return [
            i for i in self.all_items(on, horizon_days=7)
            if i.status in _ACTIVE and (not mine_only or i.worker_id == me or i.covered_by == me)
        ]

    def next_due(self, case_id: str, on: date | None = None) -> WorkItem | None:
        """The most urgent item of one case (for the case header), or ``None``."""
        items = self.all_items(on, case_id=case_id)
        return items[0] if items else None

    def view(self, on: date | None = None) -> MyWork:
        mine = self.items(on)
        work = MyWork(
            overdue=[i for i in mine if i.status == OVERDUE],
            due_today=[i for i in mine if i.status == DUE_TODAY],
            due_this_week=[i for i in mine if i.status == DUE_THIS_WEEK],
        )
        for i in mine:
            work.by_case.setdefault(i.case_id, []).append(i)
        if self.session.can(Can.VIEW_TEAM_WORK):
            work.team = self.items(on, mine_only=False)
            work.uncovered = [i for i in work.team if i.absent and not i.covered_by]
            own = {(i.case_id, i.person_id, i.rule_id) for i in mine}
            work.team_overdue = [i for i in work.team if i.status == OVERDUE
                                 and (i.case_id, i.person_id, i.rule_id) not in own]
        if self.session.can(Can.VIEW_ESCALATIONS):
            work.escalations = self.escalations()
        work.counts = {"overdue": len(work.overdue), "due_today": len(work.due_today),
                       "due_this_week": len(work.due_this_week), "escalations": len(work.escalations),
                       "uncovered": len(work.uncovered), "team_overdue": len(work.team_overdue)}
        return work

    def counts(self, on: date | None = None) -> dict[str, int]:
        return self.view(on).counts

    def _item(self, item: DueItem, s: Subject, provider: Provider, cover: dict[str, str],
              absent: set[str]) -> WorkItem:
        covered_by = cover.get(f"case:{item.case_id}") or (cover.get(s.worker_id) if s.worker_id else None)
        return WorkItem(
            case_id=item.case_id, case_reference=s.case_reference, person_id=item.person_id,
            person_name=s.person_name, rule_id=item.rule_id, due=item.due,
            status=item.status, severity=item.severity, days_overdue=item.days_overdue, engine_item=item,
            action=provider.actions.get(item.rule_id, "open_case"),
            population=item.population, worker_id=s.worker_id,
            absent=bool(s.worker_id in absent or covered_by), covered_by=covered_by,
        )

    def _cover(self, on: date) -> dict[str, str]:
        """covered worker id (or "case:<id>") → covering worker id, for cover in force on ``on``."""
        rows = self.session.store.rows(
            "SELECT covering_id, covered_id, case_id FROM cover WHERE deleted = 0 AND ? BETWEEN from_date AND to_date"
            " ORDER BY from_date", [on.isoformat()])
        return {(f"case:{r['case_id']}" if r["case_id"] else r["covered_id"]): r["covering_id"] for r in rows}

    def _absent(self, on: date) -> set[str]:
        if not self.session.store.rows("SELECT 1 FROM sqlite_master WHERE name = 'practitioner_absence'"):
            return set()
        rows = self.session.store.rows(
            "SELECT practitioner_id FROM practitioner_absence WHERE deleted = 0 AND from_date <= ?"
            " AND (to_date IS NULL OR to_date >= ?)", [on.isoformat(), on.isoformat()])
        return {r["practitioner_id"] for r in rows}

    # -- escalations --------------------------------------------------------------------------
    def escalations(self, *, include_acknowledged: bool = False) -> list[dict[str, Any]]:
        """Escalations to the signed-in person's role (senior managers), in scope, oldest first."""
        self.session.require(Can.VIEW_ESCALATIONS)
        condition, params = case_condition(self.session.user, self.session.today())
        sql = (
            "SELECT e.*, c.reference FROM escalation e JOIN case_file c ON c.id = e.case_id"
            f" WHERE e.deleted = 0 AND e.to_role = :role AND {condition}"
        )
        if not include_acknowledged:
            sql += " AND e.acknowledged_at IS NULL"
        return self.session.store.rows(sql + " ORDER BY e.raised_on, e.created_at",
                                       {**params, "role": self.session.user.role})

    def acknowledge(self, escalation_id: str, outcome: str) -> dict[str, Any]:
        self.session.require(Can.VIEW_ESCALATIONS)
        rows = self.session.store.rows("SELECT * FROM escalation WHERE id = ? AND deleted = 0", [escalation_id])
        if not rows:
            raise NotFound(N_("That escalation does not exist."))
        require_case(self.session, rows[0]["case_id"])
        if not str(outcome or "").strip():
            raise ValidationError(N_("Record what was done about the escalation."), field="outcome")

        def write(tx: Any) -> dict[str, Any]:
            return tx.update("escalation", escalation_id, {
                "acknowledged_at": tx.now, "acknowledged_by": self.session.user.id, "outcome": outcome.strip()})

        return self.session.write(write)

    # -- cover (V3: in the co-ordinator's absence the team manager makes sure visits happen) ------
    def record_absence(self, practitioner_id: str, *, from_date: str, to_date: str | None = None,
                       reason: str | None = None) -> dict[str, Any]:
        self.session.require(Can.ALLOCATE)
        self._require_colleague(practitioner_id)
        start = parse_date(from_date, "from_date")
        end = parse_date(to_date, "to_date")
        if start is None:
            raise ValidationError(N_("Enter the date."), field="from_date")
        if end and end < start:
            raise ValidationError(N_("The end date is before the start date."), field="to_date")
        values = {"practitioner_id": practitioner_id, "from_date": start.isoformat(),
                  "to_date": end.isoformat() if end else None, "reason": reason}
        return self.session.write(lambda tx: tx.insert("practitioner_absence", values))

    def assign_cover(self, covering_id: str, *, from_date: str, to_date: str, covered_id: str | None = None,
                     case_id: str | None = None, reason: str | None = None) -> dict[str, Any]:
        self.session.require(Can.ALLOCATE)
        if not covered_id and not case_id:
            raise ValidationError(N_("Choose whose work, or which case, is being covered."), field="covered_id")
        if case_id:
            require_case(self.session, case_id)
        if covered_id:
            self._require_colleague(covered_id)
        start, end = parse_date(from_date, "from_date"), parse_date(to_date, "to_date")
        if start is None or end is None:
            raise ValidationError(N_("Enter the date."), field="to_date" if start else "from_date")
        if end < start:
            raise ValidationError(N_("The end date is before the start date."), field="to_date")
        if covering_id == covered_id:
            raise ValidationError(N_("A worker cannot cover their own work."), field="covering_id")
        values = {"covering_id": covering_id, "covered_id": covered_id, "from_date": start.isoformat(),
                  "to_date": end.isoformat(), "reason": reason}
        return self.session.write(lambda tx: tx.insert("cover", values, case_id=case_id))

    def _require_colleague(self, practitioner_id: str) -> None:
        """A team manager arranges absence and cover for their own team's workers only (a senior
        manager for anyone): another team's worker behaves as if they did not exist."""
        if self.session.user.role == Role.SENIOR_MANAGER:
            return
        rows = self.session.store.rows("SELECT team_id FROM practitioner WHERE id = ? AND deleted = 0",
                                       [practitioner_id])
        if not rows or rows[0]["team_id"] != self.session.user.team_id:
            raise NotFound(N_("That worker is not in your team."))
