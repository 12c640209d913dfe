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
    * ``view(on=None)`` — :class:`MyWork`: the person's own ``overdue``, ``due_today`` and
      ``due_this_week`` (``by_case`` too); ``responsible`` — every active item the person answers for, each
      once (their own for a worker; the team's for a team manager; everything in scope for a senior
      manager), which the headline ``counts`` are made from; for managers (``Can.VIEW_TEAM_WORK``)
      ``teams``: per team, one :class:`WorkerSummary` per worker (cases, overdue, due today, due this
      week, away and who covers, their items), with a row for work nobody is allocated to;
      ``uncovered`` (items of absent workers nobody covers — the team manager assigns cover, V3);
      ``tasks`` (:class:`desktop.services.tasks.Task`: escalations and notifications).
    * ``by_case(on=None)`` and ``by_cases(case_ids, on=None)`` — per case its most urgent item and count of
      overdue items, for every case in scope or only for those named (the caseload's rows held).
    * ``counts(on=None)`` — the headline counts (``overdue``, ``due_today``, ``due_this_week``, ``tasks``
      for the person, ``uncovered``), for the sidebar badge.
    * ``assign_cover(covering_id, *, covered_id=None, case_id=None, from_date, to_date, reason=None)`` and
      ``record_absence(practitioner_id, *, from_date, to_date=None, reason=None)`` — managers
      (``Can.ALLOCATE``), within their reach (:mod:`desktop.domain.manager_reach`, the server's rule too);
      ``cover_workers(covered_id=None)`` — whom the manager may choose to cover.

Each :class:`WorkItem` carries ``case_id``, ``person_id``, ``rule_id``, ``due``, ``status``, ``reason``
(plain words in the interface language, :func:`desktop.domain.due_text.reason`), ``title``, ``action``
and whose it is (``worker_name``, ``covered_by_name``: every item says who must act).

Nothing is dropped. A due date the engine cannot work out (a date outside the working-day calendar)
becomes an item with status ``cannot_compute`` (:data:`~desktop.domain.engine.CANNOT_COMPUTE`), due
today, whose ``problem`` names what went wrong and whose reason says so in the interface language; it
is listed with the overdue work (``MyWork.problems``, and in ``items()``), and ``diogel due`` prints it.

Recorded exceptions (:mod:`desktop.services.exceptions`) are attached to every subject before the
engine runs. An item an exception applies to carries ``excepted_by`` (the exception's id) and
``lifted``: with a substitute (V1: seen in place of seen alone) it is an ordinary duty, timed by the
substitute; a lifted one is not a duty while the exception lasts — ``items()`` leaves it out and
``MyWork.excepted`` lists it (with the substituted ones), so reports can count excepted items apart.
"""

from __future__ import annotations

import bisect
import contextlib
import importlib
import importlib.util
import json
import marshal
import threading
import weakref
from collections.abc import Callable, Collection, Hashable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import date, timedelta
from typing import Any

from desktop.domain import due_text
from desktop.domain.calendar import SUNDAY
from desktop.domain.engine import (
    CANNOT_COMPUTE,
    DUE_THIS_WEEK,
    DUE_TODAY,
    OVERDUE,
    UPCOMING,
    DueItem,
    Engine,
    EngineError,
    SubjectFacts,
    default_engine,
)
from desktop.domain.manager_reach import NotYourTeam, beyond_reach
from desktop.domain.types import Role
from desktop.domain.urgency import Urgency, urgency_of
from desktop.domain.validation import parse_date
from desktop.errors import ValidationError
from desktop.i18n import N_
from desktop.services import due_kept
from desktop.services.exceptions import in_force as exceptions_in_force
from desktop.services.permissions import Can
from desktop.services.reads import read_casework
from desktop.services.scope import case_condition, require_case
from desktop.services.tasks import Task, TaskService
from desktop.store import heap


@dataclass(frozen=True, slots=True)
class Subject:
    """A provider's answer for one subject: the engine's facts and who is responsible."""

    facts: SubjectFacts
    worker_id: str | None
    person_name: str = ""
    case_reference: str = ""
    holds_until: date | None = None
    """The last day (from the day asked) on which this subject's facts stay as they are — a tag that turns
    with the day, a scheduled date an adjuster compares with the day — ``None`` when they never turn. Only
    a provider registered ``day_free`` is trusted to say so (:mod:`desktop.services.due_kept`)."""


SubjectsFn = Callable[[Any, str, dict[str, Any], date], list[Subject]]


@dataclass(frozen=True, slots=True)
class Provider:
    name: str
    subjects: SubjectsFn
    actions: dict[str, str]
    day_free: bool = False
    """The subjects it gives do not depend on the day asked except as each one's ``holds_until`` says."""


_PROVIDERS: dict[str, Provider] = {}
DEFAULT_PROVIDERS = (
    "desktop.services.child_protection",
    "desktop.services.adults",
    "desktop.services.children",
    "desktop.services.complaints",
    "desktop.services.allegations",
    "desktop.services.supervision",
)
_loaded = False


def register_provider(name: str, subjects: SubjectsFn, *, actions: dict[str, str] | None = None,
                      day_free: bool = False) -> None:
    """Add (or replace) the provider ``name``. ``day_free``: the subjects it selects are the same on any day,
    and their facts change with the day only as each :attr:`Subject.holds_until` says (otherwise an answer
    that used it holds for the day asked only)."""
    _PROVIDERS[name] = Provider(name, subjects, dict(actions or {}), day_free)


def unregister_provider(name: str) -> None:
    """Remove the provider ``name`` (if there is one)."""
    _PROVIDERS.pop(name, None)


FactsBySubject = dict[tuple[str, str], list[SubjectFacts]]
Adjuster = Callable[[list[DueItem], date, FactsBySubject], Iterable[DueItem]]
_ADJUSTERS: list[Adjuster] = []
_DAY_FREE_ADJUSTERS: list[Adjuster] = []


def register_adjuster(adjust: Adjuster, *, day_free: bool = False) -> None:
    """Add a rule that runs over every provider's engine items before the horizon is applied, e.g. C21
    (a child both looked after and registered: the review conference timed with the looked-after
    review). Idempotent. ``day_free``: it depends on the day only through its items' status and days
    overdue (worked out again when read, as the engine does) and through facts whose ``holds_until`` says
    when they turn."""
    if adjust not in _ADJUSTERS:
        _ADJUSTERS.append(adjust)
    if day_free and adjust not in _DAY_FREE_ADJUSTERS:
        _DAY_FREE_ADJUSTERS.append(adjust)


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
    _engine: DueItem | bytes | None = field(repr=False, compare=False)
    """The engine's item, or what of it the item does not hold itself, packed (an item read back from what is
    kept: unpacked when asked for, with ``_day``, see :attr:`engine_item`); ``None`` only for a
    ``cannot_compute`` item."""
    absent: bool = False
    """The responsible worker is away today (absence or cover recorded)."""
    covered_by: str | None = None
    worker_name: str = ""
    """Who is responsible, in words ("" when nobody is allocated)."""
    covered_by_name: str = ""

    @property
    def engine_item(self) -> DueItem | None:
        """The engine's item (``None`` only for a ``cannot_compute`` item, see ``problem``)."""
        engine = self._engine
        if isinstance(engine, bytes):
            self._engine = engine = _unpack_due(self, engine)
        return engine

    @property
    def urgency(self) -> Urgency:
        return urgency_of(self.status)

    @property
    def overdue_unit(self) -> str:
        """The unit ``days_overdue`` counts in (``working_days`` or ``days``)."""
        return self.engine_item.overdue_unit if self.engine_item is not None else "days"
    problem: str | None = None
    """Why the due date could not be worked out (technical detail, for scripts and support)."""
    excepted_by: str | None = None
    """The recorded exception that applies to this item (see the module docstring)."""
    lifted: bool = False
    """The exception lifts the rule: not a duty while it is in force."""
    _day: tuple[int, Callable[[int, int], int]] | None = field(default=None, repr=False, compare=False)
    """For an item read back from what is kept: the day asked (an ordinal) and the calendar's count of working
    days between two ordinals — shared by every item of an answer (no object of its own per item)."""

    @property
    def title(self) -> str:
        return due_text.title(self.rule_id)

    @property
    def reason(self) -> str:
        if self.engine_item is None:
            return due_text.problem(self.rule_id)
        return due_text.reason(self.engine_item)

    def to_dict(self) -> dict[str, Any]:
        out = {name: getattr(self, name) for name in self.__slots__ if name not in ("_engine", "_day")}
        out["due"] = self.due.isoformat()
        out["title"], out["reason"] = self.title, self.reason
        return out


_DUE_FIELDS = tuple(f.name for f in fields(DueItem))
_EXTRAS = ("person_name", "action", "worker_id", "problem")
"""What a :class:`WorkItem` adds to its engine item besides its case's reference and what is worked out when
read (:class:`_Day`; the rest it copies from the engine item: see ``_item``)."""
WHEN_READ_TABLES = frozenset({"practitioner_absence", "team"})
"""Tables whose rows what is due reads only for the parts worked out when an answer is read (who is away:
:class:`_Day`; teams' names: the view's team list). Not cover: cover of a worker brings their cases into the
covering worker's scope."""
CATCH_UP_TABLES = WHEN_READ_TABLES | {"person", "practitioner", "cover"}
"""Tables a commit beyond cases may write and an answer held in memory still be brought up to date from the audit
trail, as a kept answer is (:func:`desktop.services.due_kept.changes_since`): a person's details (the cases they are
a member of), a worker's (the cases naming them, a team manager's teams' cases), cover (who covers, and the scope
it changes)."""
_WHEN_READ = ("due", "absent", "covered_by", "worker_name", "covered_by_name")
"""A ``cannot_compute`` item's fields that depend on the day asked (it is due that day) or on who is away."""
_PROBLEM_FIELDS = tuple(f.name for f in fields(WorkItem)
                        if f.name not in ("_engine", "_day") and f.name not in _WHEN_READ)
_SHARED = ("case_id", "person_id", "rule_id", "due", "status", "severity", "days_overdue", "population",
           "excepted_by", "lifted")
"""An engine item's fields its :class:`WorkItem` holds too (``status`` and ``days_overdue`` worked out for the day
asked when read back from what is kept)."""
_REST = ("kind", "offset", "unit", "anchor", "last", "elapsed", "scheduled", "case_override", "overdue_unit")
"""The rest of an engine item: what only its wording reads, kept packed in the item until it is asked for."""
if set(_SHARED) | set(_REST) != set(_DUE_FIELDS) or len(_SHARED) + len(_REST) != len(_DUE_FIELDS):
    raise RuntimeError("DueItem's fields changed: say where each is kept (my_work._SHARED, _REST)")
_STRIDE = 13
"""Values per engine item in a packed case (see :func:`_pack_case`)."""


@dataclass(frozen=True, slots=True)
class _Day:
    """What an item needs of the day asked besides its own facts: the day, cover and absence in force that
    day, and the workers' names — given to items worked out and to items read back from what is kept alike."""

    on: date
    cover: Mapping[str, str]
    """Covered worker id (or ``"case:<id>"``) → the covering worker's id."""
    absent: Collection[str | None]
    names: Mapping[str, str]
    calendar: Any

    def whose(self, case_id: str, worker_id: str | None) -> tuple[bool, str | None, str, str]:
        """``absent``, ``covered_by``, ``worker_name`` and ``covered_by_name`` of an item of ``case_id`` whose
        worker is ``worker_id``."""
        covered_by = self.cover.get(f"case:{case_id}") or (self.cover.get(worker_id) if worker_id else None)
        return (bool(worker_id in self.absent or covered_by), covered_by,
                self.names.get(worker_id, "") if worker_id else "",
                self.names.get(covered_by, "") if covered_by else "")


def _pack_value(value: Any) -> Any:
    return value.toordinal() if isinstance(value, date) else value


def _ordinal(value: date | None) -> int | None:
    return None if value is None else value.toordinal()


def _day_of(value: int | None) -> date | None:
    return None if value is None else date.fromordinal(value)


def _pack_case(case_reference: str, items: Iterable[WorkItem]) -> bytes:
    """One case's items as kept (:mod:`desktop.services.due_kept`), without what depends on the day asked, in
    :mod:`marshal`'s format as one flat tuple: its reference, the number of engine items, then per engine item
    :data:`_STRIDE` values — its person, rule, due date, severity, unit of days overdue, population, exception,
    whether lifted, :data:`_EXTRAS`, and :data:`_REST` packed on its own (bytes: one object, decoded only when
    the item is worded; its days elapsed but whether it has them) — then each ``cannot_compute`` item's fields
    but :data:`_WHEN_READ`. Dates as ordinals. One tuple per case and no object per field of what is only
    worded: a view reads every case's, and what it makes Python's collector walks. Read back several times
    faster than JSON, and only ever from the encrypted store, whose pages are authenticated, written by
    :func:`_pack_case` itself (the recipe names the Python it was made by)."""
    engines: list[Any] = []
    problems: list[Any] = []
    for item in items:
        engine = item.engine_item
        if engine is None:
            problems += (_pack_value(getattr(item, f)) for f in _PROBLEM_FIELDS)
            continue
        rest = marshal.dumps((engine.kind, engine.offset, engine.unit, _ordinal(engine.anchor), _ordinal(engine.last),
                              None if engine.elapsed is None else 0, _ordinal(engine.scheduled), engine.case_override,
                              engine.overdue_unit))
        engines += (engine.person_id, engine.rule_id, engine.due.toordinal(), engine.severity, engine.overdue_unit,
                    engine.population, engine.excepted_by, engine.lifted, item.person_name, item.action,
                    item.worker_id, item.problem, rest)
    # Each distinct string once: marshal writes a repeat of the same object as a reference, and reads it back as
    # one object (a case's items repeat its people's ids and names and its worker's id).
    same: dict[str, str] = {}
    values = [same.setdefault(v, v) if type(v) is str else v for v in (*engines, *problems)]
    return marshal.dumps((case_reference, len(engines) // _STRIDE, *values))


def _unpack_due(item: WorkItem, rest: bytes) -> DueItem:
    """The engine item of ``item``, read back from what is kept: :data:`_REST` unpacked, its days elapsed worked out
    for the day asked as the engine counts them (working days for a working-day timescale, else calendar days;
    the day asked is in the calendar: :func:`_unpack_cases`)."""
    kind, offset, unit, anchor, last, elapsed, scheduled, case_override, overdue_unit = marshal.loads(rest)
    if elapsed is not None:
        assert item._day is not None  # noqa: SLF001 - set with the packed rest, by _unpack_cases
        on_o, working_days_between = item._day  # noqa: SLF001
        elapsed = working_days_between(anchor, on_o) if unit == "working_days" else on_o - anchor
    return DueItem(case_id=item.case_id, person_id=item.person_id, rule_id=item.rule_id, due=item.due,
                   status=item.status, severity=item.severity, days_overdue=item.days_overdue,
                   overdue_unit=overdue_unit, population=item.population, kind=kind, offset=offset, unit=unit,
                   anchor=date.fromordinal(anchor), last=_day_of(last), elapsed=elapsed,
                   scheduled=_day_of(scheduled), case_override=case_override, excepted_by=item.excepted_by,
                   lifted=item.lifted)


def _unpack_cases(packed: Mapping[str, bytes], day: _Day) -> tuple[list[WorkItem], set[str]]:
    """The items :func:`_pack_case` packed, of every case given (case id → what was packed), for the day asked:
    each item's status, days overdue (and, when worded, days elapsed) worked out as the engine does
    (``Engine.due_items``: working days for a working-day timescale, else calendar days) and who is away and
    covers as on that day.
    Each engine item is unpacked only when asked for (most never are: a view words only what it shows), and
    nothing but its :class:`WorkItem` is made per item that outlives the case's reading (Python's collector
    walks what is made: ~14,000 items for a senior manager's 5,000 cases).
    Also the cases whose items cannot be read for that day (a day outside the working-day calendar): they
    must be worked out again."""
    out: list[WorkItem] = []
    failed: set[str] = set()
    day_of = date.fromordinal
    on_o = day.on.toordinal()
    sunday_o = on_o + SUNDAY - day.on.weekday()
    wdb = day.calendar.working_days_between_ord
    try:
        wdb(on_o, on_o)  # the day asked is in the calendar (a working-day count to it is made when worded)
    except ValueError:
        return [], set(packed)
    shared = (on_o, wdb)
    whose = day.whose
    # Who is away and covers depends on the case only through cover of that case: per worker otherwise.
    covered_cases = {key[5:] for key in day.cover if key.startswith("case:")}
    per_worker: dict[str | None, tuple[bool, str | None, str, str]] = {}
    loads = marshal.loads
    problem_stride = len(_PROBLEM_FIELDS)
    for case_id, data in packed.items():
        flat = loads(data)
        reference, end = flat[0], 2 + _STRIDE * flat[1]
        case_cover = case_id in covered_cases
        start = len(out)
        try:
            for at in range(2, end, _STRIDE):
                (person_id, rule_id, due_o, severity, unit, population, excepted_by, lifted, name, action, worker_id,
                 problem, rest) = flat[at:at + _STRIDE]
                if due_o < on_o:
                    status = OVERDUE
                    overdue = wdb(due_o, on_o) if unit == "working_days" else on_o - due_o
                else:
                    overdue = 0
                    status = DUE_TODAY if due_o == on_o else DUE_THIS_WEEK if due_o <= sunday_o else UPCOMING
                found = whose(case_id, worker_id) if case_cover else per_worker.get(worker_id)
                if found is None:
                    found = per_worker[worker_id] = whose(case_id, worker_id)
                absent, covered_by, worker_name, covered_by_name = found
                out.append(WorkItem(case_id, reference, person_id, name, rule_id, day_of(due_o), status, severity,
                                    overdue, action, population, worker_id, rest, absent, covered_by, worker_name,
                                    covered_by_name, problem, excepted_by, lifted, shared))
            for at in range(end, len(flat), problem_stride):
                values = dict(zip(_PROBLEM_FIELDS, flat[at:at + problem_stride], strict=True))
                absent, covered_by, worker_name, covered_by_name = whose(case_id, values["worker_id"])
                out.append(WorkItem(**values, due=day.on, _engine=None, absent=absent, covered_by=covered_by,
                                    worker_name=worker_name, covered_by_name=covered_by_name))
        except ValueError:
            del out[start:]
            failed.add(case_id)
    return out, failed


@dataclass(slots=True)
class CaseDue:
    """A case's most urgent item and its count of overdue items (:meth:`MyWorkService.by_case`)."""

    next: WorkItem
    overdue: int = 0


def _fold(items: Iterable[WorkItem]) -> dict[str, CaseDue]:
    """Per case, its most urgent item and its count of overdue items."""
    out: dict[str, CaseDue] = {}
    for item in items:
        found = out.get(item.case_id)
        if found is None:
            found = out[item.case_id] = CaseDue(item)
        elif (item.urgency.rank, item.due) < (found.next.urgency.rank, found.next.due):
            found.next = item
        if item.status == OVERDUE:
            found.overdue += 1
    return out


@dataclass(slots=True)
class WorkerSummary:
    """One worker's row in a manager's view of the team (``name`` empty and ``worker_id``
    ``"nobody:<team id>"``: the team's work nobody is allocated to)."""

    worker_id: str | None
    name: str
    team_id: str | None
    cases: int = 0
    overdue: int = 0
    due_today: int = 0
    due_this_week: int = 0
    away: bool = False
    covered_by_name: str = ""
    items: list[WorkItem] = field(default_factory=list)

    def add(self, item: WorkItem) -> None:
        self.extend((item,))

    def extend(self, items: Iterable[WorkItem]) -> None:
        """Add ``items`` (in order) and count them."""
        overdue = due_today = due_this_week = 0
        for item in items:
            self.items.append(item)
            status = item.status
            if status == OVERDUE:
                overdue += 1
            elif status == DUE_TODAY:
                due_today += 1
            elif status == DUE_THIS_WEEK:
                due_this_week += 1
        self.overdue += overdue
        self.due_today += due_today
        self.due_this_week += due_this_week


@dataclass(slots=True)
class TeamSummary:
    team_id: str | None
    name: str
    workers: list[WorkerSummary] = field(default_factory=list)

    def total(self, attribute: str) -> int:
        return sum(int(getattr(w, attribute)) for w in self.workers)


@dataclass(slots=True)
class MyWork:
    overdue: list[WorkItem] = field(default_factory=list)
    due_today: list[WorkItem] = field(default_factory=list)
    due_this_week: list[WorkItem] = field(default_factory=list)
    by_case: dict[str, list[WorkItem]] = field(default_factory=dict)
    responsible: list[WorkItem] = field(default_factory=list)
    """Every active item the person answers for, once each (the headline counts these)."""
    teams: list[TeamSummary] = field(default_factory=list)
    uncovered: list[WorkItem] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)
    problems: list[WorkItem] = field(default_factory=list)
    """Items whose due date could not be worked out (status ``cannot_compute``)."""
    excepted: list[WorkItem] = field(default_factory=list)
    """Items a recorded exception applies to (lifted or substituted), of what the person answers for."""
    counts: dict[str, int] = field(default_factory=dict)
    letters_waiting: int | None = None
    """Letters ready to print, for those who print them (``None`` for everyone else)."""

    @property
    def scope(self) -> str:
        """``own``, ``team`` or ``all``: whose work the headline counts."""
        if len(self.teams) > 1:
            return "all"
        return "team" if self.teams else "own"


_ACTIVE = (CANNOT_COMPUTE, OVERDUE, DUE_TODAY, DUE_THIS_WEEK)


def order(item: WorkItem) -> tuple[date, bool, str, str, str, str, str, str]:
    """The order items are listed in: soonest first, then "must" before "should", then by case and
    person (a total order, so items merged in after a change sit where a whole recompute puts them)."""
    return (item.due, item.severity != "must", item.case_reference, item.person_name, item.rule_id,
            item.person_id, item.case_id, item.population)


def in_order(items: Iterable[WorkItem]) -> list[WorkItem]:
    """``items`` sorted by :func:`order` — exactly ``sorted(items, key=order)`` — without a key tuple per item (a
    view sorts ~16,000 items, and every tuple kept while the sort runs is an object Python's collector walks):
    by one integer per item for the due date, the severity and the rank of the case's reference, then each run
    of items equal on those (a case's items due the same day, cases sharing a reference) by the whole order."""
    items = list(items)
    rank = {reference: n for n, reference in enumerate(sorted({i.case_reference for i in items}))}
    width = len(rank) + 1
    keys = [(i.due.toordinal() * 2 + (i.severity != "must")) * width + rank[i.case_reference] for i in items]
    index = sorted(range(len(items)), key=keys.__getitem__)
    out = [items[n] for n in index]
    start, count = 0, len(out)
    while start < count:
        key, end = keys[index[start]], start + 1
        while end < count and keys[index[end]] == key:
            end += 1
        if end - start > 1:
            out[start:end] = sorted(out[start:end], key=order)
        start = end
    return out


COUNT_CHUNK = 2000
"""Cases counted at a time by :meth:`MyWorkService.counts` when the whole answer is not held."""

INCREMENTAL_LIMIT = 400
"""More changed cases than this since an answer was kept: it is worked out whole again (as cheap)."""


@dataclass(slots=True)
class _Held:
    keep: Any
    items: list[WorkItem]
    """In :func:`order`."""
    at: int
    """The memo's commit count when the reads behind ``items`` began."""
    basis: Any = None
    """What ``begin`` gave before those reads (:meth:`_Memo.get`), for ``catch_up``."""


@dataclass(frozen=True, slots=True)
class _Basis:
    """What a whole answer was worked out from: the last audit entry before its reads, and the cases in scope."""

    mark: due_kept.Mark
    scope: frozenset[str]


class _Memo:
    """What :meth:`MyWorkService.all_items` worked out for one store, kept across commits and brought
    up to date case by case (any thread).

    At start-up the sidebar badge, My work and the caseload's due columns each ask for the same
    items; after a change only what it touched is worked out again. The store tells the memo what
    each commit changed (:class:`desktop.store.store.Change`): a commit confined to some cases (a
    visit, a conference, an exception, an allocation) marks those cases, and the next answer works out
    just them (``recompute``) and merges them into what is held, in order; a commit that reaches
    beyond cases (a pull from the server, an import) forgets everything — but
    one that reaches only who is away and teams (:data:`WHEN_READ_TABLES`) keeps the items and works out
    again only who is away (``rederive``), as an answer read back from what is kept does, and one that reaches
    only people, workers and cover (:data:`CATCH_UP_TABLES`) keeps them too for an answer that can ``catch_up``:
    it says, from the audit trail since its ``basis``, which cases to work out again (or everything).
    So an answer is never older than the data. An answer worked out while a commit
    reaching beyond cases landed is not kept; one worked out while a case's commit landed is kept with
    that case marked. Asking threads that arrive while the same answer is being worked out wait for
    it instead of working it out again."""

    KEEP = 8
    """Answers kept at most (the most recently asked): a whole caseload's items are large, and each case
    window asks for its own case's."""

    def __init__(self, store: Any) -> None:
        self._lock = threading.Lock()
        self._seq = 0  # commits seen
        self._everything_at = 0  # the count at the last commit that reached beyond cases
        self._rederive_at = 0  # the count at the last commit that changed only who is away, or a team
        self._catch_up_at = 0  # the count at the last commit that changed only people, workers, cover (and those)
        self._changed_cases: dict[str, int] = {}  # case id -> the count at its latest commit (since then)
        self._results: dict[Hashable, _Held] = {}  # oldest first
        self._computing: dict[Hashable, threading.Lock] = {}
        self.recomputed: list[frozenset[str]] = []
        """The case sets worked out again case by case, latest last (the last few; for tests and the bench)."""
        if hasattr(store, "add_change_listener"):
            store.add_change_listener(self._changed)
        else:  # a store that cannot say which cases a commit touched: every commit changes everything
            store.add_commit_listener(lambda _t, _c: self._changed(None))

    def _changed(self, change: Any) -> None:  # the store's writer thread
        with self._lock:
            self._seq += 1
            if change is not None and change.beyond_cases and change.tables and change.tables <= WHEN_READ_TABLES:
                self._rederive_at = self._seq
                for case_id in change.case_ids:
                    self._changed_cases[case_id] = self._seq
            elif change is not None and change.beyond_cases and change.tables and change.tables <= CATCH_UP_TABLES:
                self._catch_up_at = self._seq
                for case_id in change.case_ids:
                    self._changed_cases[case_id] = self._seq
            elif change is None or change.beyond_cases:
                self._everything_at = self._seq
                self._changed_cases.clear()
                self._results.clear()
            else:
                for case_id in change.case_ids:
                    self._changed_cases[case_id] = self._seq

    def _current(self, key: Hashable) -> tuple[_Held | None, frozenset[str], bool, bool]:
        """Under the lock: what is held for ``key`` (if still of use), the cases changed since, whether who is
        away (or a team) changed since, and whether people, workers or cover did (to catch up with)."""
        held = self._results.pop(key, None)
        if held is None or held.at < self._everything_at:
            return None, frozenset(), False, False
        self._results[key] = held  # now the most recently asked
        return (held, frozenset(c for c, at in self._changed_cases.items() if at > held.at),
                held.at < self._rederive_at, held.at < self._catch_up_at)

    def holds(self, key: Hashable) -> bool:
        """Whether the answer for ``key`` is held and current (nothing changed since)."""
        with self._lock:
            held, changed, parts, behind = self._current(key)
            return held is not None and not changed and not parts and not behind

    def get(self, key: Hashable, compute: Callable[[Any], list[WorkItem]], keep: Any,
            recompute: Callable[[frozenset[str], Any], list[WorkItem]] | None = None,
            rederive: Callable[[list[WorkItem]], list[WorkItem]] | None = None,
            begin: Callable[[], Any] | None = None,
            catch_up: Callable[[Any, Any, list[WorkItem]], frozenset[str] | None] | None = None) -> list[WorkItem]:
        """The answer for ``key`` (a new list each time). Worked out by ``compute(basis)`` if nothing is held;
        if cases changed since it was, by ``recompute(case_ids, basis)`` (those cases' items, in any order)
        merged into what is held — or by ``compute`` when there is no ``recompute`` or too many changed.
        If who is away changed since (or a team), what is held is given to ``rederive`` (the same items, that
        part worked out again, in the same order) — or worked out by ``compute`` when there is none. If people,
        workers or cover changed since (:data:`CATCH_UP_TABLES`), ``catch_up(basis then, basis now, items held)`` says which
        cases to work out again besides (``None``: everything), and who is away is worked out again too.
        ``basis`` is what ``begin()`` gives just before the reads (``None`` without it), held with the answer.
        ``keep`` is held with it (so an id in the key cannot be reused while it is kept)."""
        with self._lock:
            held, changed, parts, behind = self._current(key)
            if held is not None and not changed and not parts and not behind:
                return list(held.items)
            flight = self._computing.setdefault(key, threading.Lock())
        with flight:
            with self._lock:
                held, changed, parts, behind = self._current(key)
                if held is not None and not changed and not parts and not behind:
                    return list(held.items)
                start = self._seq
            basis = begin() if begin is not None else None
            if held is not None and behind:
                more = (catch_up(held.basis, basis, held.items) if catch_up is not None and held.basis is not None
                        else None)
                if more is None:
                    held = None
                else:
                    changed, parts = changed | more, True
            if held is not None and parts and rederive is None:
                held = None
            if held is not None and (not changed or (recompute is not None and len(changed) <= INCREMENTAL_LIMIT)):
                items = rederive(held.items) if parts and rederive is not None else list(held.items)
                if changed and recompute is not None:
                    fresh = recompute(changed, basis)
                    items = [i for i in items if i.case_id not in changed]
                    for item in fresh:
                        bisect.insort(items, item, key=order)
                    with self._lock:
                        self.recomputed = [*self.recomputed[-7:], changed]
            else:
                items = compute(basis)
            with self._lock:
                if self._everything_at <= start:
                    self._results[key] = _Held(keep, items, start, basis)
                    while len(self._results) > self.KEEP:
                        del self._results[next(iter(self._results))]
                self._computing.pop(key, None)
            return list(items)


_MEMOS: weakref.WeakKeyDictionary[Any, _Memo] = weakref.WeakKeyDictionary()
_MEMOS_LOCK = threading.Lock()


def _memo(store: Any) -> _Memo:
    with _MEMOS_LOCK:
        memo = _MEMOS.get(store)
        if memo is None:
            memo = _MEMOS[store] = _Memo(store)
        return memo


class MyWorkService:
    def __init__(self, session: Any, engine: Engine | None = None) -> None:
        self.session = session
        self.engine = engine or default_engine()
        self._name_cache: dict[str, str] | None = None

    # -- items --------------------------------------------------------------------------------
    def all_items(self, on: date | None = None, *, horizon_days: int | None = None,
                  case_id: str | None = None) -> list[WorkItem]:
        """Every item (any status, upcoming included) in the person's scope (or of one case in it).

        What is due is casework (``Can.VIEW_CASEWORK``); ``case_id`` outside scope is ``NotFound``."""
        self.session.require(Can.VIEW_CASEWORK)
        if case_id is not None:
            read_casework(self.session, case_id, "due")
        on = on or self.session.today()
        if horizon_days is not None and case_id is None:
            # The whole answer's items up to the horizon (the horizon is applied last, and a problem is due
            # on ``on``): one answer kept and brought up to date, not one per horizon.
            limit = on + timedelta(days=horizon_days)
            return [i for i in self.all_items(on) if i.due <= limit]
        key = self._key(on, horizon_days, case_id)
        if case_id is None and horizon_days is None and self.engine is default_engine():
            recipe = self._recipe()
            return _memo(self.session.store).get(
                key, lambda basis: self._kept_of(on, recipe, basis.mark, sorted(basis.scope), whole=True),
                keep=self.engine,
                recompute=lambda changed, basis: self._compute_and_keep(on, recipe, changed, basis.mark),
                rederive=lambda items: self._rederive(items, on), begin=self._basis, catch_up=self._catch_up)
        return _memo(self.session.store).get(
            key, lambda _basis: self._compute(on, horizon_days, case_id), keep=self.engine,
            recompute=lambda changed, _basis: self._compute(on, horizon_days, case_id, changed),
            rederive=lambda items: self._rederive(items, on))

    def _basis(self) -> _Basis:
        """What a whole answer is worked out from, taken before its reads (:meth:`_Memo.get`)."""
        return _Basis(due_kept.mark(self.session.store), frozenset(self._scope()))

    def _catch_up(self, then: _Basis, now: _Basis, items: list[WorkItem]) -> frozenset[str] | None:
        """The cases whose items the audit entries after ``then`` may have changed, as for a kept answer
        (:func:`desktop.services.due_kept.changes_since`: a person's, the cases they are a member of; a worker's,
        the cases whose items name them — here the items held — and a team manager's teams' cases; cover and
        absence none), and those that came into or left the scope; ``None`` when it may be every case (or the
        trail no longer holds ``then``'s entry)."""
        store = self.session.store
        if then.mark.seq and not store.rows("SELECT 1 FROM audit WHERE seq = ? AND hash = ?",
                                            [then.mark.seq, then.mark.hash]):
            return None

        def named(workers: Collection[str]) -> dict[str, list[str]]:
            out: dict[str, list[str]] = {}
            for item in items:
                worker = item.worker_id
                if worker is not None and worker in workers:
                    out.setdefault(worker, []).append(item.case_id)
            return out

        everything_at, touched = due_kept.changes_since(store, then.mark.seq, self.session.user.id, named=named)
        if everything_at:
            return None
        return frozenset(touched) | (then.scope ^ now.scope)

    def _rederive(self, items: list[WorkItem], on: date) -> list[WorkItem]:
        """``items`` with who is away (and who covers, and the workers' names) worked out again for ``on``."""
        day = self._day(on)
        out = []
        covered_cases = {key[5:] for key in day.cover if key.startswith("case:")}
        per_worker: dict[str | None, tuple[bool, str | None, str, str]] = {}
        for item in items:
            # Not the case's own cover: the same for every item of the worker.
            found = day.whose(item.case_id, item.worker_id) if item.case_id in covered_cases else per_worker.get(
                item.worker_id)
            if found is None:
                found = per_worker[item.worker_id] = day.whose(item.case_id, item.worker_id)
            absent, covered_by, worker_name, covered_by_name = found
            if (absent, covered_by, worker_name, covered_by_name) != (item.absent, item.covered_by, item.worker_name,
                                                                      item.covered_by_name):
                item = replace(item, absent=absent, covered_by=covered_by, worker_name=worker_name,
                               covered_by_name=covered_by_name)
            out.append(item)
        return out

    def _key(self, on: date, horizon_days: int | None, case_id: str | None) -> Hashable:
        """What an answer is held under in the memo."""
        user = self.session.user
        providers()  # the registry is part of the key: load the default providers first
        return (user.id, user.role, user.team_id, self.session.today(), on, horizon_days, case_id, id(self.engine),
                tuple((name, id(p.subjects)) for name, p in _PROVIDERS.items()), tuple(id(a) for a in _ADJUSTERS))

    def _recipe(self) -> str:
        """What a kept answer must have been worked out with to be used: the rules, calendar and code, and the
        person's role and team as the answer saw them (a provider may ask them — supervision's items are a
        manager's — and enrolment can set them without an audit entry of their own)."""
        user = self.session.user
        functions = [*(p.subjects for p in _PROVIDERS.values()), *_ADJUSTERS]
        return f"{due_kept.recipe(functions)} {user.role} {user.team_id}"

    def _scope(self) -> list[str]:
        """The ids of the cases in the person's scope."""
        condition, params = case_condition(self.session.user, self.session.today())
        # The ids alone, no dict per case (each whole answer reads them).
        return [r[0] for r in due_kept.tuples(self.session.store, f"SELECT c.id FROM case_file c WHERE {condition}",
                                              params)]

    def _kept_of(self, on: date, recipe: str, stamp: due_kept.Mark, scope: list[str], *,
                 whole: bool = False, scan: bool = False) -> list[WorkItem]:
        """The items of the cases ``scope`` names (in the person's scope — ``whole``: all of it; ``stamp``
        taken before it was read), in :func:`order`: what is kept for the cases with a current answer
        (:mod:`desktop.services.due_kept`), the others worked out again (and kept). ``scan``: the kept answers
        are read through :meth:`~desktop.store.store.Store.scanning` (a count passing once over every case's)."""
        store, user = self.session.store, self.session.user
        with store.scanning() if scan else contextlib.nullcontext():
            kept = due_kept.current(store, user.id, on, recipe, scope)
        items, unreadable = _unpack_cases(kept, self._day(on))
        stale = frozenset(scope) - (kept.keys() - unreadable)
        if stale:
            items += self._compute_and_keep(on, recipe, None if whole and len(stale) == len(scope) else stale, stamp,
                                            stale)
        return in_order(items)

    def _compute_and_keep(self, on: date, recipe: str, only: Collection[str] | None,
                          stamp: due_kept.Mark | None = None, cases: Collection[str] | None = None) -> list[WorkItem]:
        """:meth:`_compute` for the cases ``only`` names (all in scope: ``None``), each case's answer then
        kept, stamped ``stamp`` (taken now when not given), with the last day it holds — an empty answer too
        for each case of ``cases`` (in scope; by default those of ``only`` that are) that has no item. A case
        out of scope has no items *for this person*: nothing is kept for it (were it kept empty, cover that
        brings it into scope later would not be seen to change it)."""
        store, user = self.session.store, self.session.user
        stamp = stamp or due_kept.mark(store)
        if cases is None:
            condition, params = case_condition(user, self.session.today())
            cases = [r["id"] for r in store.rows(
                f"SELECT c.id FROM case_file c WHERE c.id IN (SELECT value FROM json_each(:ids)) AND ({condition})",
                {**params, "ids": json.dumps(sorted(only or ()))})]
        holds: dict[str, date] = {}
        items = self._compute(on, None, None, only, holds=holds)
        by_case: dict[str, list[WorkItem]] = {case_id: [] for case_id in cases}
        for item in items:
            by_case.setdefault(item.case_id, []).append(item)
        floor = self._holds_until(on)
        exceptions = due_kept.exceptions_turn(store, on, only)

        def until(case_id: str, case_items: list[WorkItem]) -> date:
            if any(i.status == CANNOT_COMPUTE for i in case_items):
                return on  # why it could not be worked out (and its rule's wording) may be another day's
            return min(floor, holds.get(case_id, floor), exceptions.get(case_id, floor))

        due_kept.keep(store, self.session.user.id, on, recipe, stamp, {
            case_id: due_kept.Answer(_pack_case(case_items[0].case_reference if case_items else "", case_items),
                                     tuple(sorted({i.worker_id for i in case_items if i.worker_id})),
                                     until(case_id, case_items))
            for case_id, case_items in by_case.items()})
        return items

    def _holds_until(self, on: date) -> date:
        """The last day from ``on`` on which any case's answer can hold: the rules in force change the day
        after; a provider or adjuster that cannot say when its facts turn holds for ``on`` only."""
        if (not all(p.day_free for p in providers())
                or any(a not in _DAY_FREE_ADJUSTERS for a in _ADJUSTERS)):
            return on
        return due_kept.rules_turn(self.engine.rules, on)

    def _day(self, on: date) -> _Day:
        """What items need of the day ``on`` (:class:`_Day`)."""
        return _Day(on, self._cover(on), self._absent(on), self._names(), self.engine.calendar)

    def _compute(self, on: date, horizon_days: int | None, case_id: str | None,
                 only: Collection[str] | None = None, *, holds: dict[str, date] | None = None) -> list[WorkItem]:
        """The items of every case in scope (or of ``case_id``), limited to the cases ``only`` names
        when given (the memo's work after a change to those cases), in :func:`order`. ``holds``, when
        given, gets per case the earliest ``holds_until`` its subjects gave."""
        condition, params = case_condition(self.session.user, self.session.today())
        if case_id is not None:
            condition, params = f"c.id = :only_case AND ({condition})", {**params, "only_case": case_id}
        if only is not None:
            condition = f"c.id IN (SELECT value FROM json_each(:only_cases)) AND ({condition})"
            params = {**params, "only_cases": json.dumps(sorted(only))}
        day = self._day(on)
        # A child may be a subject of several providers (looked after AND registered): an item belongs
        # to the provider whose rule produced it, which decides its worker and its action.
        owner: dict[tuple[str, str, str], tuple[Subject, Provider]] = {}
        facts: FactsBySubject = {}
        due: list[DueItem] = []
        problems: list[WorkItem] = []
        excepted = exceptions_in_force(self.session.store, on, only)
        for provider in providers():
            subjects = provider.subjects(self.session.store, condition, params, on)
            if excepted:
                subjects = [replace(s, facts=replace(s.facts, exceptions=excepted[key]))
                            if (key := (s.facts.case_id, s.facts.person_id)) in excepted else s
                            for s in subjects]
            if holds is not None:
                for s in subjects:
                    if s.holds_until is not None:
                        holds[s.facts.case_id] = min(holds.get(s.facts.case_id, s.holds_until), s.holds_until)
            by_subject = {(s.facts.case_id, s.facts.person_id): s for s in subjects}
            for key, s in by_subject.items():
                facts.setdefault(key, []).append(s.facts)
            # No horizon yet: an adjuster may move an item earlier (C21 aligns C12 with L7).
            errors: list[EngineError] = []
            items = self.engine.due_items([s.facts for s in subjects], on, errors=errors)
            for item in items:
                owner[(item.population, item.case_id, item.person_id)] = (
                    by_subject[(item.case_id, item.person_id)], provider)
            due += items
            # A due date that cannot be worked out is shown with its problem, never dropped.
            for err in errors:
                s = by_subject[(err.case_id, err.person_id)]
                problems.append(self._problem(err, s, provider, day))
        for adjust in _ADJUSTERS:
            due = list(adjust(due, on, facts))
        limit = None if horizon_days is None else on + timedelta(days=horizon_days)
        out: list[WorkItem] = []
        for item in due:
            if limit is not None and item.due > limit:
                continue
            s, provider = owner[(item.population, item.case_id, item.person_id)]
            out.append(self._item(item, s, provider, day))
        out += problems
        return in_order(out)

    def items(self, on: date | None = None, *, mine_only: bool = True) -> list[WorkItem]:
        """Overdue, due today and due this week (most urgent first)."""
        me = self.session.user.id
        return [
            i for i in self.all_items(on, horizon_days=7)
            if i.status in _ACTIVE and not i.lifted and (not mine_only or i.worker_id == me or i.covered_by == me)
        ]

    def by_case(self, on: date | None = None) -> dict[str, CaseDue]:
        """Per case in scope: its most urgent item (any horizon) and how many items are overdue — the
        caseload's "Next due" and "Overdue" columns for a sort by them. Any thread."""
        return _fold(self.all_items(on))

    def by_cases(self, case_ids: Collection[str], on: date | None = None) -> dict[str, CaseDue]:
        """:meth:`by_case` for the cases ``case_ids`` names only (the caseload's rows held): those in scope and
        with something due; an id outside scope is left out, as if it did not exist. From the whole answer when
        it is held and current; otherwise only these cases are read from what is kept, and those with no
        current kept answer worked out (and kept). Any thread."""
        self.session.require(Can.VIEW_CASEWORK)
        on = on or self.session.today()
        wanted = set(case_ids)
        if not wanted:
            return {}
        memo = _memo(self.session.store)
        if self.engine is not default_engine() or memo.holds(self._key(on, None, None)):
            return {k: v for k, v in self.by_case(on).items() if k in wanted}
        condition, params = case_condition(self.session.user, self.session.today())
        stamp = due_kept.mark(self.session.store)  # before the reads behind the answer
        scope = [r["id"] for r in self.session.store.rows(
            f"SELECT c.id FROM case_file c WHERE c.id IN (SELECT value FROM json_each(:ids)) AND ({condition})",
            {**params, "ids": json.dumps(sorted(wanted))})]
        return _fold(self._kept_of(on, self._recipe(), stamp, scope))

    def excepted(self, on: date | None = None, *, mine_only: bool = True) -> list[WorkItem]:
        """Items a recorded exception applies to (lifted ones included), any status, in scope."""
        me = self.session.user.id
        return [i for i in self.all_items(on) if i.excepted_by
                and (not mine_only or i.worker_id == me or i.covered_by == me)]

    def next_due(self, case_id: str, on: date | None = None) -> WorkItem | None:
        """The most urgent item of one case (for the case header), or ``None``."""
        items = self.all_items(on, case_id=case_id)
        return items[0] if items else None

    def view(self, on: date | None = None) -> MyWork:
        """Everything My work shows (see the module docstring). Any thread: no widgets."""
        on = on or self.session.today()
        work = MyWork(tasks=TaskService(self.session).open_tasks())
        if self.session.can(Can.VIEW_CASEWORK):
            me = self.session.user.id
            limit = on + timedelta(days=7)
            everything = self.all_items(on)
            active = [i for i in everything if i.status in _ACTIVE and not i.lifted and i.due <= limit]
            mine = [i for i in active if i.worker_id == me or i.covered_by == me]
            work.overdue = [i for i in mine if i.status == OVERDUE]
            work.due_today = [i for i in mine if i.status == DUE_TODAY]
            work.due_this_week = [i for i in mine if i.status == DUE_THIS_WEEK]
            work.problems = [i for i in mine if i.status == CANNOT_COMPUTE]
            for i in mine:
                work.by_case.setdefault(i.case_id, []).append(i)
            work.responsible = mine
            excepted = [i for i in everything if i.excepted_by]
            work.excepted = [i for i in excepted if i.worker_id == me or i.covered_by == me]
            if self.session.can(Can.VIEW_TEAM_WORK):
                work.responsible = active
                work.problems = [i for i in active if i.status == CANNOT_COMPUTE]
                work.excepted = excepted
                work.uncovered = [i for i in active if i.absent and not i.covered_by]
                work.teams = self._teams(active, on)
        if self.session.can(Can.MANAGE_LETTERS) and not self.session.can(Can.VIEW_CASEWORK):
            from desktop.services.letters import LetterService

            work.letters_waiting = LetterService(self.session).queued_count()
        counted = work.responsible
        work.counts = {
            "overdue": sum(i.status == OVERDUE for i in counted),
            "due_today": sum(i.status == DUE_TODAY for i in counted),
            "due_this_week": sum(i.status == DUE_THIS_WEEK for i in counted),
            "problems": sum(i.status == CANNOT_COMPUTE for i in counted),
            "tasks": sum(t.for_me for t in work.tasks),
            "uncovered": len(work.uncovered),
            "excepted": len(work.excepted),
        }
        return work

    def counts(self, on: date | None = None) -> dict[str, int]:
        """The headline counts of :meth:`view` (the sidebar badge). Any thread. When the whole answer is not
        held already, they are counted :data:`COUNT_CHUNK` cases at a time from what is kept (the cases
        changed since worked out again and kept), the cases in scope read a chunk at a time too (in id
        order), so a senior manager's 50,000 cases — their items or their ids — are never all held at once
        for a badge."""
        on = on or self.session.today()
        if (not self.session.can(Can.VIEW_CASEWORK) or self.engine is not default_engine()
                or _memo(self.session.store).holds(self._key(on, None, None))):
            return self.view(on).counts
        recipe = self._recipe()
        me, manager = self.session.user.id, self.session.can(Can.VIEW_TEAM_WORK)
        limit = on + timedelta(days=7)
        stamp = due_kept.mark(self.session.store)  # before any read behind the answers worked out below
        tally = dict.fromkeys(("overdue", "due_today", "due_this_week", "problems", "uncovered", "excepted"), 0)
        statuses = {OVERDUE: "overdue", DUE_TODAY: "due_today", DUE_THIS_WEEK: "due_this_week",
                    CANNOT_COMPUTE: "problems"}
        for chunk in self._scope_chunks(COUNT_CHUNK):
            # The same definitions as view(): what the person answers for, the excepted, the uncovered.
            for i in self._kept_of(on, recipe, stamp, chunk, scan=True):
                theirs = manager or i.worker_id == me or i.covered_by == me
                if i.excepted_by and theirs:
                    tally["excepted"] += 1
                if not theirs or i.status not in _ACTIVE or i.lifted or i.due > limit:
                    continue
                tally[statuses[i.status]] += 1
                if manager and i.absent and not i.covered_by:
                    tally["uncovered"] += 1
        with self.session.store.scanning():  # the tasks' sources read every case closed, once
            tally["tasks"] = sum(t.for_me for t in TaskService(self.session).open_tasks())
        heap.give_back()  # what the chunks' reads freed goes back to the system, not kept in this worker's arena
        return {k: tally[k] for k in ("overdue", "due_today", "due_this_week", "problems", "tasks", "uncovered",
                                      "excepted")}

    def _scope_chunks(self, size: int) -> Iterator[list[str]]:
        """The ids of the cases in the person's scope (:meth:`_scope`'s), ``size`` at a time in id order: each
        chunk read by itself (from the case table's primary key), after the last id of the one before."""
        condition, params = case_condition(self.session.user, self.session.today())
        after = ""  # below every id
        while True:
            with self.session.store.scanning():  # each id read once
                ids = [r["id"] for r in self.session.store.rows(
                    f"SELECT c.id FROM case_file c WHERE c.id > :after_id AND ({condition}) ORDER BY c.id"
                    " LIMIT :chunk_size", {**params, "after_id": after, "chunk_size": size})]
            if ids:
                yield ids
            if len(ids) < size:
                return
            after = ids[-1]

    def _teams(self, items: list[WorkItem], on: date) -> list[TeamSummary]:
        """Per team, one row per worker: the team's casework staff, and anyone else items name."""
        store, user = self.session.store, self.session.user
        condition, params = case_condition(user, self.session.today())
        team_filter = "" if user.role == Role.SENIOR_MANAGER else " AND p.team_id = :scope_team"
        staff = store.rows(
            "SELECT p.id, TRIM(COALESCE(p.given_names, '') || ' ' || COALESCE(p.family_name, '')) AS name,"
            " p.team_id, t.name AS team_name FROM practitioner p LEFT JOIN team t ON t.id = p.team_id"
            " WHERE p.deleted = 0 AND p.active = 1 AND p.app_role IN ('social_worker', 'team_manager')"
            f"{team_filter} ORDER BY p.family_name, p.given_names", params)
        cases = {r["worker"] or f"nobody:{r['team_id']}": r["n"] for r in store.rows(
            "SELECT c.allocated_worker_id AS worker, c.team_id, count(*) AS n FROM case_file c"
            f" WHERE c.deleted = 0 AND c.closed_on IS NULL AND {condition}"
            " GROUP BY c.allocated_worker_id, CASE WHEN c.allocated_worker_id IS NULL THEN c.team_id END", params)}
        absent, cover = self._absent(on), self._cover(on)
        workers: dict[str | None, WorkerSummary] = {}
        teams: dict[str | None, TeamSummary] = {}

        def worker(wid: str | None, name: str, team_id: str | None, team_name: str) -> WorkerSummary:
            row = workers.get(wid)
            if row is None:
                covering = cover.get(wid) if wid else None
                row = workers[wid] = WorkerSummary(
                    wid, name, team_id, cases=cases.get(wid, 0), away=bool(wid in absent or covering),
                    covered_by_name=self._names().get(covering, "") if covering else "")
                team = teams.get(team_id)
                if team is None:
                    team = teams[team_id] = TeamSummary(team_id, team_name)
                team.workers.append(row)
            return row

        for r in staff:
            worker(r["id"], r["name"], r["team_id"], r["team_name"] or "")
        teams_of = self._practitioner_teams()
        # The team of each case whose work nobody is allocated to (only those: reading every case's row costs
        # more than the rest of the view on a first read after signing in).
        unallocated = json.dumps(sorted({i.case_id for i in items if not i.worker_id}))
        case_teams = {r["id"]: (r["team_id"], r["team_name"] or "") for r in store.rows(
            "SELECT c.id, c.team_id, t.name AS team_name FROM case_file c LEFT JOIN team t ON t.id = c.team_id"
            f" WHERE c.id IN (SELECT value FROM json_each(:unallocated)) AND c.deleted = 0 AND {condition}",
            {**params, "unallocated": unallocated})}
        # Each worker's items together, in the order the workers first come (one row made per worker, not a call per
        # item): a worker sits in their own team; work nobody is allocated to, in the case's team.
        groups: dict[str, list[WorkItem]] = {}
        for item in items:
            key = item.worker_id or f"nobody:{case_teams.get(item.case_id, (None, ''))[0]}"
            group = groups.get(key)
            if group is None:
                group = groups[key] = []
            group.append(item)
        for key, group in groups.items():
            first = group[0]
            if first.worker_id:
                team_id, team_name = teams_of.get(key, (None, ""))
                worker(key, first.worker_name, team_id, team_name).extend(group)
            else:
                team_id, team_name = case_teams.get(first.case_id, (None, ""))
                worker(key, "", team_id, team_name).extend(group)
        out = sorted(teams.values(), key=lambda t: (t.team_id is None, t.name))
        for team in out:
            team.workers.sort(key=lambda w: (not w.name, -w.overdue, w.name))
        return out

    def _names(self) -> dict[str, str]:
        if self._name_cache is None:
            self._name_cache = {r["id"]: r["name"] for r in self.session.store.rows(
                "SELECT id, TRIM(COALESCE(given_names, '') || ' ' || COALESCE(family_name, '')) AS name"
                " FROM practitioner")}
        return self._name_cache

    def _practitioner_teams(self) -> dict[str, tuple[str | None, str]]:
        return {r["id"]: (r["team_id"], r["team_name"] or "") for r in self.session.store.rows(
            "SELECT p.id, p.team_id, t.name AS team_name FROM practitioner p LEFT JOIN team t ON t.id = p.team_id")}

    def _item(self, item: DueItem, s: Subject, provider: Provider, day: _Day) -> WorkItem:
        absent, covered_by, worker_name, covered_by_name = day.whose(item.case_id, s.worker_id)
        return WorkItem(
            case_id=item.case_id, case_reference=s.case_reference, person_id=item.person_id,
            person_name=s.person_name, rule_id=item.rule_id, due=item.due,
            status=item.status, severity=item.severity, days_overdue=item.days_overdue, _engine=item,
            action=provider.actions.get(item.rule_id, "open_case"),
            population=item.population, worker_id=s.worker_id,
            absent=absent, covered_by=covered_by, worker_name=worker_name, covered_by_name=covered_by_name,
            excepted_by=item.excepted_by, lifted=item.lifted,
        )

    def _problem(self, err: EngineError, s: Subject, provider: Provider, day: _Day) -> WorkItem:
        absent, covered_by, worker_name, covered_by_name = day.whose(err.case_id, s.worker_id)
        try:
            rule = self.engine.rules.get(err.rule_id, day.on)
            severity, population = rule.severity, rule.population
        except KeyError:
            severity, population = "must", provider.name
        return WorkItem(
            case_id=err.case_id, case_reference=s.case_reference, person_id=err.person_id,
            person_name=s.person_name, rule_id=err.rule_id, due=day.on, status=CANNOT_COMPUTE,
            severity=severity, days_overdue=0, _engine=None,
            action=provider.actions.get(err.rule_id, "open_case"), population=population,
            worker_id=s.worker_id, absent=absent, covered_by=covered_by, problem=err.message,
            worker_name=worker_name, covered_by_name=covered_by_name,
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

    # -- cover (V3: in the co-ordinator's absence the team manager makes sure visits happen) ------
    # Whose cover and absence a manager may arrange is one rule (desktop.domain.manager_reach), the server's
    # too: refused here before anything is written, so nothing waits in "needs attention" for it.
    def record_absence(self, practitioner_id: str, *, from_date: str, to_date: str | None = None,
                       reason: str | None = None) -> dict[str, Any]:
        self.session.require(Can.ALLOCATE)
        absent = self._staff(practitioner_id, "practitioner_id", N_("Choose the worker who is away."))
        self._require_reach(("practitioner_id", absent["team_id"]))
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
        """``covering_id`` covers ``covered_id``'s caseload, or the one case ``case_id``, from..to (local
        dates). Refused, with nothing written: a worker or case beyond a team manager's team
        (:data:`~desktop.domain.manager_reach.NOT_YOUR_TEAM_TEXT`, as the server refuses it), a covering
        worker whose account is disabled, dates out of order, a worker covering themselves."""
        self.session.require(Can.ALLOCATE)
        if not covered_id and not case_id:
            raise ValidationError(N_("Choose whose work, or which case, is being covered."), field="covered_id")
        case = require_case(self.session, case_id) if case_id else None
        covered = self._staff(covered_id, "covered_id", N_("Choose whose work, or which case, is being covered.")) \
            if covered_id else None
        start, end = parse_date(from_date, "from_date"), parse_date(to_date, "to_date")
        if start is None or end is None:
            raise ValidationError(N_("Enter the date."), field="to_date" if start else "from_date")
        if end < start:
            raise ValidationError(N_("The end date is before the start date."), field="to_date")
        if covering_id == covered_id:
            raise ValidationError(N_("A worker cannot cover their own work."), field="covering_id")
        covering = self._staff(covering_id, "covering_id", N_("Choose who covers."))
        if not covering["active"]:
            raise ValidationError(N_("{name} no longer uses Diogel (their account is disabled): choose someone "
                                     "else to cover."), field="covering_id", name=covering["name"])
        self._require_reach(*([("covered_id", covered["team_id"])] if covered else []),
                            *([("case_id", case["team_id"])] if case else []), ("covering_id", covering["team_id"]))
        values = {"covering_id": covering_id, "covered_id": covered_id, "from_date": start.isoformat(),
                  "to_date": end.isoformat(), "reason": reason}
        return self.session.write(lambda tx: tx.insert("cover", values, case_id=case_id))

    def cover_workers(self, covered_id: str | None = None) -> list[dict[str, Any]]:
        """Who the signed-in manager may choose to cover (``id``, ``name``): active social workers and team
        managers within their reach (a team manager's own team; anyone for a senior manager), not
        ``covered_id`` themselves, by name."""
        self.session.require(Can.ALLOCATE)
        rows = self.session.store.rows(
            "SELECT id, TRIM(COALESCE(given_names, '') || ' ' || COALESCE(family_name, '')) AS name, team_id"
            " FROM practitioner WHERE deleted = 0 AND active = 1 AND app_role IN ('social_worker', 'team_manager')"
            " ORDER BY family_name, given_names")
        user = self.session.user
        return [{"id": r["id"], "name": r["name"]} for r in rows
                if r["id"] != covered_id and not beyond_reach(user.role, user.team_id, [r["team_id"]])]

    def _staff(self, practitioner_id: str | None, field_name: str, missing: str) -> dict[str, Any]:
        """A member of staff on this laptop (``team_id``, ``active``, ``name``); ``missing`` (a msgid) beside
        ``field_name`` for nobody or someone unknown."""
        rows = self.session.store.rows(
            "SELECT team_id, active, TRIM(COALESCE(given_names, '') || ' ' || COALESCE(family_name, '')) AS name"
            " FROM practitioner WHERE id = ? AND deleted = 0", [practitioner_id or ""])
        if not rows:
            raise ValidationError(missing, field=field_name)
        return rows[0]

    def _require_reach(self, *named: tuple[str, str | None]) -> None:
        """Refuse (beside the field that goes beyond it) a change naming workers or cases beyond the manager's
        reach: ``named`` is ``(field, team)`` for each worker or case the change names."""
        user = self.session.user
        for field_name, team in named:
            if beyond_reach(user.role, user.team_id, [team]):
                raise NotYourTeam(field_name)
