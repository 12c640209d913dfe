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
      (``Can.ALLOCATE``).

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
import operator
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
from desktop.domain.types import Role
from desktop.domain.urgency import Urgency, urgency_of
from desktop.domain.validation import parse_date
from desktop.errors import NotFound, ValidationError
from desktop.i18n import N_
from desktop.services import due_kept
from desktop.services.exceptions import in_force as exceptions_in_force
from desktop.services.permissions import Can
from desktop.services.reads import read_casework
from desktop.services.scope import case_condition, require_case
from desktop.services.tasks import Task, TaskService


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
    _engine: DueItem | tuple[Any, ...] | None = field(repr=False, compare=False)
    """The engine's item, or it packed with the day asked and the calendar's count of working days (an item read
    back from what is kept: unpacked when asked for, see :attr:`engine_item`); ``None`` only for a
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
        if isinstance(engine, tuple):
            packed, on_o, working_days_between = engine
            elapsed = packed[_ELAPSED]
            if elapsed is not None:  # as the engine counts it (the day asked is in the calendar: _unpack_cases)
                anchor = packed[_ANCHOR]
                elapsed = working_days_between(anchor, on_o) if packed[_UNIT] == "working_days" else on_o - anchor
            self._engine = engine = _unpack_due(self.case_id, packed, self.status, self.days_overdue, elapsed)
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

    @property
    def title(self) -> str:
        return due_text.title(self.rule_id)

    @property
    def reason(self) -> str:
        if self.engine_item is None:
            return due_text.problem(self.rule_id)
        return due_text.reason(self.engine_item)

    def to_dict(self) -> dict[str, Any]:
        out = {name: getattr(self, name) for name in self.__slots__ if name != "_engine"}
        out["due"] = self.due.isoformat()
        out["title"], out["reason"] = self.title, self.reason
        return out


_DUE_FIELDS = tuple(f.name for f in fields(DueItem))
_DUE_DATES = tuple(i for i, f in enumerate(fields(DueItem)) if str(f.type).startswith("date"))
_EXTRAS = ("person_name", "action", "worker_id", "problem")
"""What a :class:`WorkItem` adds to its engine item besides its case's reference and what is worked out when
read (:class:`_Day`; the rest it copies from the engine item: see ``_item``)."""
WHEN_READ_TABLES = frozenset({"practitioner_absence", "team"})
"""Tables whose rows what is due reads only for the parts worked out when an answer is read (who is away:
:class:`_Day`; teams' names: the view's team list). Not cover: cover of a worker brings their cases into the
covering worker's scope."""
_WHEN_READ = ("due", "absent", "covered_by", "worker_name", "covered_by_name")
"""A ``cannot_compute`` item's fields that depend on the day asked (it is due that day) or on who is away."""
_PROBLEM_FIELDS = tuple(f.name for f in fields(WorkItem) if f.name != "_engine" and f.name not in _WHEN_READ)
_due_values = operator.attrgetter(*_DUE_FIELDS[1:])
_DUE_DATES_PACKED = tuple(i - 1 for i in _DUE_DATES)
_extra_values = operator.attrgetter(*_EXTRAS)
# Where the engine's day-dependent fields sit in a packed engine item (its fields but the case id).
_STATUS, _DAYS_OVERDUE, _ELAPSED, _ANCHOR, _UNIT = (_DUE_FIELDS.index(name) - 1 for name in (
    "status", "days_overdue", "elapsed", "anchor", "unit"))


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


def _pack_case(case_reference: str, items: Iterable[WorkItem]) -> bytes:
    """One case's items as kept (:mod:`desktop.services.due_kept`), without what depends on the day asked:
    its reference, then per item the engine item's fields but the case id (its status and days overdue
    left out, and its days elapsed but whether it has them) and :data:`_EXTRAS` (a ``cannot_compute``
    item: ``None`` and its own fields but :data:`_WHEN_READ`), dates as ordinals, in :mod:`marshal`'s
    format — read back several times faster than JSON (a view reads every case's), and only ever from the
    encrypted store, whose pages are authenticated, written by :func:`_pack_case` itself (the recipe names
    the Python it was made by)."""
    out: list[Any] = []
    for item in items:
        engine = item.engine_item
        if engine is None:
            out.append((None, tuple(_pack_value(getattr(item, f)) for f in _PROBLEM_FIELDS)))
            continue
        values = list(_due_values(engine))
        for i in _DUE_DATES_PACKED:
            if values[i] is not None:
                values[i] = values[i].toordinal()
        values[_STATUS] = values[_DAYS_OVERDUE] = None
        if values[_ELAPSED] is not None:
            values[_ELAPSED] = 0
        out.append((tuple(values), _extra_values(item)))
    return marshal.dumps((case_reference, tuple(out)))


def _unpack_due(case_id: str, packed: tuple[Any, ...], status: str, days_overdue: int, elapsed: int | None
                ) -> DueItem:
    """The engine item :func:`_pack_case` packed, with what :func:`_unpack_cases` worked out for the day asked."""
    values = [case_id, *packed]
    for i in _DUE_DATES:
        if values[i] is not None:
            values[i] = date.fromordinal(values[i])
    values[_STATUS + 1], values[_DAYS_OVERDUE + 1], values[_ELAPSED + 1] = status, days_overdue, elapsed
    return DueItem(*values)


def _unpack_cases(packed: Mapping[str, bytes], day: _Day) -> tuple[list[WorkItem], set[str]]:
    """The items :func:`_pack_case` packed, of every case given (case id → what was packed), for the day asked:
    each item's status, days overdue (and, when worded, days elapsed) worked out as the engine does
    (``Engine.due_items``: working days for a working-day timescale, else calendar days) and who is away and
    covers as on that day.
    Each engine item is unpacked only when asked for (most never are: a view words only what it shows).
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
    whose = day.whose
    for case_id, data in packed.items():
        reference, items = marshal.loads(data)
        case_items: list[WorkItem] = []
        people: dict[str | None, tuple[bool, str | None, str, str]] = {}  # the case's workers: one or two
        try:
            for engine, extra in items:
                if engine is None:
                    values = dict(zip(_PROBLEM_FIELDS, extra, strict=True))
                    absent, covered_by, worker_name, covered_by_name = whose(case_id, values["worker_id"])
                    case_items.append(WorkItem(**values, due=day.on, _engine=None, absent=absent,
                                               covered_by=covered_by, worker_name=worker_name,
                                               covered_by_name=covered_by_name))
                    continue
                # DueItem's fields from person_id: person_id, rule_id, due, status, severity, days_overdue,
                # overdue_unit, population, kind, offset, unit, anchor, last, elapsed, …, excepted_by, lifted
                # (a test checks every field comes back).
                name, action, worker_id, problem = extra
                due_o = engine[2]
                if due_o < on_o:
                    status = OVERDUE
                    overdue = wdb(due_o, on_o) if engine[6] == "working_days" else on_o - due_o
                else:
                    overdue = 0
                    status = DUE_TODAY if due_o == on_o else DUE_THIS_WEEK if due_o <= sunday_o else UPCOMING
                found = people.get(worker_id)
                if found is None:
                    found = people[worker_id] = whose(case_id, worker_id)
                absent, covered_by, worker_name, covered_by_name = found
                case_items.append(WorkItem(case_id, reference, engine[0], name, engine[1], day_of(due_o), status,
                                           engine[4], overdue, action, engine[7], worker_id, (engine, on_o, wdb),
                                           absent, covered_by, worker_name, covered_by_name, problem, engine[-2],
                                           engine[-1]))
        except ValueError:
            failed.add(case_id)
            continue
        out += case_items
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
        self.items.append(item)
        if item.status == OVERDUE:
            self.overdue += 1
        elif item.status == DUE_TODAY:
            self.due_today += 1
        elif item.status == DUE_THIS_WEEK:
            self.due_this_week += 1


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


class _Memo:
    """What :meth:`MyWorkService.all_items` worked out for one store, kept across commits and brought
    up to date case by case (any thread).

    At start-up the sidebar badge, My work and the caseload's due columns each ask for the same
    items; after a change only what it touched is worked out again. The store tells the memo what
    each commit changed (:class:`desktop.store.store.Change`): a commit confined to some cases (a
    visit, a conference, an exception, an allocation) marks those cases, and the next answer works out
    just them (``recompute``) and merges them into what is held, in order; a commit that reaches
    beyond cases (a person, a worker, cover for a worker, a pull from the server) forgets everything — but
    one that reaches only who is away and teams (:data:`WHEN_READ_TABLES`) keeps the items and works out
    again only who is away (``rederive``), as an answer read back from what is kept does.
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
            elif change is None or change.beyond_cases:
                self._everything_at = self._seq
                self._changed_cases.clear()
                self._results.clear()
            else:
                for case_id in change.case_ids:
                    self._changed_cases[case_id] = self._seq

    def _current(self, key: Hashable) -> tuple[_Held | None, frozenset[str], bool]:
        """Under the lock: what is held for ``key`` (if still of use), the cases changed since, and whether who is
        away (or a team) changed since."""
        held = self._results.pop(key, None)
        if held is None or held.at < self._everything_at:
            return None, frozenset(), False
        self._results[key] = held  # now the most recently asked
        return (held, frozenset(c for c, at in self._changed_cases.items() if at > held.at),
                held.at < self._rederive_at)

    def holds(self, key: Hashable) -> bool:
        """Whether the answer for ``key`` is held and current (nothing changed since)."""
        with self._lock:
            held, changed, parts = self._current(key)
            return held is not None and not changed and not parts

    def get(self, key: Hashable, compute: Callable[[], list[WorkItem]], keep: Any,
            recompute: Callable[[frozenset[str]], list[WorkItem]] | None = None,
            rederive: Callable[[list[WorkItem]], list[WorkItem]] | None = None) -> list[WorkItem]:
        """The answer for ``key`` (a new list each time). Worked out by ``compute`` if nothing is held;
        if cases changed since it was, by ``recompute(case_ids)`` (those cases' items, in any order)
        merged into what is held — or by ``compute`` when there is no ``recompute`` or too many changed.
        If who is away changed since (or a team), what is held is given to ``rederive`` (the same items, that
        part worked out again, in the same order) — or worked out by ``compute`` when there is none.
        ``keep`` is held with it (so an id in the key cannot be reused while it is kept)."""
        with self._lock:
            held, changed, parts = self._current(key)
            if held is not None and not changed and not parts:
                return list(held.items)
            flight = self._computing.setdefault(key, threading.Lock())
        with flight:
            with self._lock:
                held, changed, parts = self._current(key)
                if held is not None and not changed and not parts:
                    return list(held.items)
                start = self._seq
            if held is not None and parts and rederive is None:
                held = None
            if held is not None and (not changed or (recompute is not None and len(changed) <= INCREMENTAL_LIMIT)):
                items = rederive(held.items) if parts and rederive is not None else list(held.items)
                if changed and recompute is not None:
                    fresh = recompute(changed)
                    items = [i for i in items if i.case_id not in changed]
                    for item in fresh:
                        bisect.insort(items, item, key=order)
                    with self._lock:
                        self.recomputed = [*self.recomputed[-7:], changed]
            else:
                items = compute()
            with self._lock:
                if self._everything_at <= start:
                    self._results[key] = _Held(keep, items, start)
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
                key, lambda: self._kept(on, recipe), keep=self.engine,
                recompute=lambda changed: self._compute_and_keep(on, recipe, changed),
                rederive=lambda items: self._rederive(items, on))
        return _memo(self.session.store).get(
            key, lambda: self._compute(on, horizon_days, case_id), keep=self.engine,
            recompute=lambda changed: self._compute(on, horizon_days, case_id, changed),
            rederive=lambda items: self._rederive(items, on))

    def _rederive(self, items: list[WorkItem], on: date) -> list[WorkItem]:
        """``items`` with who is away (and who covers, and the workers' names) worked out again for ``on``."""
        day = self._day(on)
        out = []
        for item in items:
            absent, covered_by, worker_name, covered_by_name = day.whose(item.case_id, item.worker_id)
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

    def _kept(self, on: date, recipe: str) -> list[WorkItem]:
        """Every item in scope on ``on``: what is kept for the cases with a current answer
        (:mod:`desktop.services.due_kept`), the others worked out again (and kept), in :func:`order`."""
        return self._kept_of(on, recipe, due_kept.mark(self.session.store), self._scope(), whole=True)

    def _scope(self) -> list[str]:
        """The ids of the cases in the person's scope."""
        condition, params = case_condition(self.session.user, self.session.today())
        return [r["id"] for r in self.session.store.rows(f"SELECT c.id FROM case_file c WHERE {condition}", params)]

    def _kept_of(self, on: date, recipe: str, stamp: due_kept.Mark, scope: list[str], *,
                 whole: bool = False, scan: bool = False) -> list[WorkItem]:
        """The items of the cases ``scope`` names (in the person's scope — ``whole``: all of it; ``stamp``
        taken before it was read), in :func:`order`: as :meth:`_kept`. ``scan``: the kept answers are read
        through :meth:`~desktop.store.store.Store.scanning` (a count passing once over every case's)."""
        store, user = self.session.store, self.session.user
        with store.scanning() if scan else contextlib.nullcontext():
            kept = due_kept.current(store, user.id, on, recipe, scope)
        items, unreadable = _unpack_cases(kept, self._day(on))
        stale = frozenset(scope) - (kept.keys() - unreadable)
        if stale:
            items += self._compute_and_keep(on, recipe, None if whole and len(stale) == len(scope) else stale, stamp,
                                            stale)
        items.sort(key=order)
        return items

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
        out.sort(key=order)
        return out

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
        for item in items:
            # A worker sits in their own team; work nobody is allocated to, in the case's team.
            if item.worker_id:
                team_id, team_name = teams_of.get(item.worker_id, (None, ""))
                worker(item.worker_id, item.worker_name, team_id, team_name).add(item)
            else:
                team_id, team_name = case_teams.get(item.case_id, (None, ""))
                worker(f"nobody:{team_id}", "", team_id, team_name).add(item)
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
