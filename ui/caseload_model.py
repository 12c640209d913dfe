"""The caseload's table model and proxy (GUI thread).

The model never holds the whole caseload: it holds the rows Qt has been told about, in order, and
asks its source (:mod:`ui.caseload_source`) for more. A new search, filter or sort asks for the first
page of the new query (and the counts); scrolling to the end of what is held asks for the next page
(Qt's ``canFetchMore``/``fetchMore``); a refresh after a commit reads again as many rows as are held.
The session's source reads by SQL on a worker through the one worker-to-GUI bridge
(:mod:`ui.tasks`); an answer overtaken by a newer query is dropped. A source held in memory
(:meth:`CaseloadModel.set_rows`) answers at once. Display strings are made only for rows painted,
and cached per row and language; the due columns show what :meth:`CaseloadModel.set_due_for` gave for
the rows held (worked out for those rows only: :meth:`CaseloadModel.due_wanted`), or
:meth:`CaseloadModel.set_due` for every case.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection
from typing import Any

import shiboken6
from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush

from desktop.domain.types import label
from desktop.domain.urgency import STYLES, Urgency, urgency_label
from desktop.i18n import N_, _
from desktop.services.cases import CaseloadQuery, CaseRow
from desktop.services.my_work import CaseDue
from ui.caseload_source import DUE_COLUMNS, Answer, CaseFilter, CaseloadSource, ListSource
from ui.contrast import urgency_colours
from ui.formatting import show_date
from ui.tasks import runner
from ui.urgency import urgency_icon

log = logging.getLogger(__name__)
Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()

COLUMNS: list[tuple[str, str]] = [
    ("reference", N_("Reference")),
    ("subjects", N_("Name")),
    ("date_of_birth", N_("Date of birth")),
    ("case_type", N_("Case type")),
    ("team", N_("Team")),
    ("worker", N_("Worker")),
    ("registered", N_("Register")),
    ("next_due", N_("Next due")),
    ("overdue", N_("Overdue")),
]
CASE_ID_ROLE = Qt.ItemDataRole.UserRole + 1
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_ACCESSIBLE = int(Qt.ItemDataRole.AccessibleTextRole)
_CASE_ID = int(CASE_ID_ROLE)
_DECORATION = int(Qt.ItemDataRole.DecorationRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_BACKGROUND = int(Qt.ItemDataRole.BackgroundRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)


_SUPERSEDED = object()
COUNT_DELAY_MS = 250
"""How long the query must stay the same before its cases are counted (the rows are read at once)."""
PAGE = 200
"""Rows asked for at a time: the first screen, and each step as the list is scrolled."""


class CaseloadModel(QAbstractTableModel):
    """The caseload rows that pass the current search and filters, in the current order, read from
    its source a page at a time. ``answered`` is emitted when a query's first page (or a refresh) is
    in; :attr:`busy` says whether an answer is still awaited."""

    answered = Signal()
    counted = Signal()
    rows_added = Signal()
    """A next page's rows are in (their due columns are not yet known: :meth:`due_wanted`)."""

    def __init__(self, parent: Any = None, source: CaseloadSource | None = None) -> None:
        super().__init__(parent)
        self._source: CaseloadSource = source or ListSource([])
        self._rows: list[CaseRow] = []  # the rows Qt has been told about, in order
        self._after: object = None  # where the next page starts
        self._more = False
        self._matching: int | None = 0  # None: being counted
        self._total: int | None = 0
        self._counting = 0  # the generation whose counts are being read
        self._filter: CaseFilter = CaseFilter()
        self._order: tuple[int, Qt.SortOrder] | None = None
        self._display: dict[str, tuple[str, ...]] = {}
        self._flagged: frozenset[str] = frozenset()  # cases with an open sync conflict
        self._due: dict[str, CaseDue] = {}
        self._due_whole = False  # _due is every case's (set_due): a case not in it has nothing due
        self._due_known: set[str] = set()  # cases whose due columns were given (set_due_for), if since changed
        self._due_fresh: set[str] = set()  # … and given since the last change (due_stale)
        self._due_epoch = 0
        self._generation = 0  # bumped by each new query or refresh: older answers are dropped
        self._answered = 0  # the generation whose first page is in
        self._fetching = False  # a next page is being read
        self._then: list[Callable[[], None]] = []
        self.due_failed = False
        self.refreshing = False
        """While the rows are replaced: whether by a refresh of the same query (not a new one)."""
        self._count_timer = QTimer(self)
        self._count_timer.setSingleShot(True)
        self._count_timer.setInterval(COUNT_DELAY_MS)
        self._count_timer.timeout.connect(self._count)

    # -- the source and its answers -----------------------------------------------------------
    def set_source(self, source: CaseloadSource) -> None:
        """Read from ``source`` from now on (its first page for the current query)."""
        self._source = source
        self._requery()

    def set_rows(self, rows: list[CaseRow], flagged: Collection[str] = ()) -> None:
        """Show ``rows`` (held in memory, filtered and sorted here); ``flagged``: ids of cases with an
        open sync conflict (marked in the Register column)."""
        self.set_source(ListSource(rows, flagged, due=lambda: self._due))

    def query(self) -> CaseloadQuery:
        """What the list asks its source for: the search, the filters and the sort."""
        f = self._filter
        sort, descending = None, False
        if self._order is not None:
            sort, descending = COLUMNS[self._order[0]][0], self._order[1] == Qt.SortOrder.DescendingOrder
        return CaseloadQuery(f.terms, f.case_type, f.team_id, f.worker_id, sort, descending)

    @property
    def settled(self) -> bool:
        """Whether the latest query's first page is in."""
        return self._answered == self._generation

    @property
    def busy(self) -> bool:
        """Whether an answer is awaited (the latest query's first page, its counts, or a next page)."""
        return self._answered < self._generation or self._fetching or self._counting == self._generation

    def when_settled(self, fn: Callable[[], None]) -> None:
        """Call ``fn`` (GUI thread) once the latest query's first page is in; now if it is."""
        if not self.settled:
            self._then.append(fn)
        else:
            fn()

    def refresh(self) -> None:
        """Read again as many rows as are held, for the same query (after a commit): what changed
        shows without reading the rest of the caseload."""
        self._requery(max(PAGE, len(self._rows)), refresh=True)

    def _requery(self, limit: int = PAGE, refresh: bool = False) -> None:
        self._generation += 1
        self._fetching = False
        generation, query, source = self._generation, self.query(), self._source
        self._ask(lambda: source.first(query, limit), lambda answer: self._on_first(generation, answer, refresh),
                  lambda exc: self._on_failed(generation, exc), generation)

    def _ask(self, read: Callable[[], Any], done: Callable[[Any], None],
             fail: Callable[[BaseException], None], generation: int) -> None:
        """``read()`` on a worker (at once for a source held in memory); ``done``/``fail`` in the GUI thread.
        A read still waiting for a worker when a newer query comes is not made (typing a name, each
        keystroke's read would otherwise run in turn)."""
        if self._source.immediate:
            try:
                answer = read()
            except Exception as exc:  # noqa: BLE001 - reported, never lost
                fail(exc)
            else:
                done(answer)
            return

        def alive(fn: Callable[[Any], None]) -> Callable[[Any], None]:
            return lambda value: fn(value) if shiboken6.isValid(self) else None

        def wanted() -> Any:
            if generation != self._generation:  # an int read on the worker: at worst one read too many
                return _SUPERSEDED
            return read()

        def answered(value: Any) -> None:
            if value is not _SUPERSEDED:
                done(value)

        runner().run(wanted, on_done=alive(answered), on_error=alive(fail))

    def _on_first(self, generation: int, answer: Answer, refresh: bool) -> None:
        if generation != self._generation:
            return  # overtaken by a newer query
        self.refreshing = refresh
        self.beginResetModel()
        self._rows = list(answer.rows)
        self._after, self._more = answer.after, answer.more
        self._matching, self._total = answer.matching, answer.total
        if answer.flagged is not None:
            self._flagged = answer.flagged
        self._display.clear()
        self.endResetModel()
        if self._matching is None or self._total is None:  # counted once the typing pauses
            self._counting = generation
            self._count_timer.start()
        self._settle(generation)

    def _count(self) -> None:
        """Count the latest query's cases (a count reads every match: once, not at every keystroke)."""
        generation, query, source = self._generation, self.query(), self._source
        if self._counting != generation:
            return
        self._ask(lambda: source.count(query), lambda counts: self._on_counted(generation, counts),
                  lambda exc: self._on_failed(generation, exc), generation)

    def _on_counted(self, generation: int, counts: tuple[int, int]) -> None:
        if generation != self._generation:
            return
        self._counting = 0
        self._matching, self._total = counts
        self.counted.emit()

    def _on_failed(self, generation: int, exc: BaseException) -> None:
        log.error("the caseload could not be read", exc_info=exc)
        if generation == self._generation:
            self._fetching = False
            self._more = False  # not asked again and again as the view scrolls: the next query reads afresh
            self._counting = 0
            self._settle(generation)

    def _settle(self, generation: int) -> None:
        self._answered = generation
        self.answered.emit()
        then, self._then = self._then, []
        for fn in then:
            fn()

    def rowCount(self, parent: Index = _ROOT) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._rows)

    def canFetchMore(self, parent: Index = _ROOT) -> bool:  # noqa: N802
        return not parent.isValid() and self._more and self._answered == self._generation

    def fetchMore(self, parent: Index = _ROOT) -> None:  # noqa: N802
        """Ask for the next page (once at a time); its rows are added when it is in."""
        if not self.canFetchMore(parent) or self._fetching:
            return
        self._fetching = True
        generation, query, source, after = self._generation, self.query(), self._source, self._after
        self._ask(lambda: source.more(query, after, PAGE), lambda answer: self._on_more(generation, answer),
                  lambda exc: self._on_failed(generation, exc), generation)

    def _on_more(self, generation: int, answer: Answer) -> None:
        if generation != self._generation:
            return
        self._fetching = False
        self._after, self._more = answer.after, answer.more
        if answer.rows:
            self.beginInsertRows(_ROOT, len(self._rows), len(self._rows) + len(answer.rows) - 1)
            self._rows += answer.rows
            self.endInsertRows()
            self.rows_added.emit()

    def fetch_all(self) -> None:
        """Read every matching row (a source held in memory: tests, and a caller that walks the list)."""
        while self.canFetchMore() and not self._fetching:
            self.fetchMore()

    # -- data ---------------------------------------------------------------------------------
    @property
    def due_loaded(self) -> bool:
        """Whether the due columns of every row held are known (every case's given, or each row's)."""
        return self._due_whole or all(r.case_id in self._due_known for r in self._rows)

    def set_due(self, due: dict[str, CaseDue]) -> None:
        """The Next due and Overdue columns of every case (a case not in ``due`` has nothing due)."""
        self._due = dict(due)
        self._due_whole = True
        self.due_failed = False
        self._due_changed()

    def set_due_for(self, case_ids: Collection[str], due: dict[str, CaseDue], epoch: int) -> None:
        """The Next due and Overdue columns of the cases ``case_ids`` (worked out on a worker for the rows held;
        one not in ``due`` has nothing due), asked for at :attr:`due_epoch` ``epoch``: if a change came since
        (:meth:`due_stale`), they are shown but asked for again (:meth:`due_wanted`)."""
        self._due_whole = False
        self.due_failed = False
        asked = set(case_ids)
        for case_id in asked:
            self._due.pop(case_id, None)
        self._due.update((k, v) for k, v in due.items() if k in asked)
        self._due_known |= asked
        if epoch == self._due_epoch:
            self._due_fresh |= asked
        self._due_changed()

    @property
    def due_epoch(self) -> int:
        return self._due_epoch

    def due_stale(self) -> None:
        """What is due may have changed (a commit): every case's due columns are asked for again (shown as they
        are until then)."""
        self._due_epoch += 1
        self._due_fresh.clear()

    def due_wanted(self) -> list[str]:
        """The cases of the rows held whose due columns are not known, or not since the last change, in order."""
        fresh = self._due_fresh
        return list(dict.fromkeys(r.case_id for r in self._rows if r.case_id not in fresh))

    def _due_changed(self) -> None:
        self._display.clear()
        if self._rows:
            first, last = [key for key, _msgid in COLUMNS].index("next_due"), len(COLUMNS) - 1
            self.dataChanged.emit(self.index(0, first), self.index(len(self._rows) - 1, last))

    def set_due_failed(self) -> None:
        """What is due could not be worked out: the columns say so (never left blank)."""
        self.set_due({})
        self.due_failed = True
        self._display.clear()

    def clear(self) -> None:
        self.set_rows([])

    def total(self) -> int | None:
        """Every case in the caseload (search and filters aside); ``None`` while it is counted."""
        return self._total

    def matching(self) -> int | None:
        """The cases that pass the current search and filters (read as the list is scrolled); ``None``
        while they are counted."""
        return self._matching

    def shown_rows(self) -> list[CaseRow]:
        """The rows read so far for the current search and filters, in order."""
        return list(self._rows)

    def row_at(self, row: int) -> CaseRow:
        return self._rows[row]

    def columnCount(self, parent: Index = _ROOT) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # Called for every role of every visible cell on each paint: answer from a per-row cache
        # of display strings, and leave all other roles at once.
        if role != _DISPLAY and role != _ACCESSIBLE:
            if role == _CASE_ID:
                return self._rows[index.row()].case_id
            if COLUMNS[index.column()][0] in DUE_COLUMNS:
                return self._due_role(index, role)
            if role == _TOOLTIP:  # the whole text of a cell cut short
                return self.data(index, _DISPLAY)
            return None
        return self.cells(index.row())[index.column()]

    def cells(self, row: int) -> tuple[str, ...]:
        """The texts of the ``row``-th row shown, in column order (made once per row and language)."""
        case = self._rows[row]
        cells = self._display.get(case.case_id)
        if cells is None:
            cells = self._display[case.case_id] = (self._cells(case, case.case_id in self._flagged)
                                                   + self._due_cells(case))
        return cells

    def _due_cells(self, row: CaseRow) -> tuple[str, str]:
        found = self._due.get(row.case_id)
        if self.due_failed:
            return _(STYLES[Urgency.PROBLEM].label), ""
        if found is None:
            return ("", "") if not (self._due_whole or row.case_id in self._due_known) else (_("Nothing due"), "0")
        item = found.next
        words = urgency_label(item.urgency, item.days_overdue, item.overdue_unit) \
            if item.urgency is not Urgency.UPCOMING else show_date(item.due)
        return words, str(found.overdue)

    def _due_role(self, index: Index, role: int) -> Any:
        """Shape, colours and the reason in a tooltip for the Next due and Overdue cells."""
        found = self._due.get(self._rows[index.row()].case_id)
        column = COLUMNS[index.column()][0]
        if self.due_failed and column == "next_due":
            return {_DECORATION: urgency_icon(Urgency.PROBLEM),
                    _FOREGROUND: QBrush(urgency_colours(Urgency.PROBLEM)[0]),
                    _TOOLTIP: _("What is due could not be worked out. Tell the helpdesk: the details are in the log.")
                    }.get(role)
        if found is None:
            return None
        urgency = found.next.urgency if column == "next_due" else (Urgency.OVERDUE if found.overdue else None)
        if urgency is None or urgency is Urgency.UPCOMING:
            return None
        if role == _DECORATION and column == "next_due":
            return urgency_icon(urgency)
        if role == _FOREGROUND:
            return QBrush(urgency_colours(urgency)[0])
        if role == _BACKGROUND:
            return QBrush(urgency_colours(urgency)[1])
        if role == _TOOLTIP and column == "next_due":
            item = found.next
            return _("{name}: {reason}").format(name=item.person_name, reason=item.reason) if item.person_name \
                else item.reason
        return None

    @staticmethod
    def _cells(row: CaseRow, conflict: bool = False) -> tuple[str, ...]:
        """The row's texts in the interface language, in column order."""
        register = _("On the register") if row.registered else ""
        if conflict:
            # L10N: in the caseload's Register column: the case has a sync conflict to resolve
            register = f"{register} · {_('Conflict')}" if register else _("Conflict")
        return (
            row.reference,
            row.subjects,
            show_date(row.date_of_birth),
            label(row.case_type),
            row.team,
            row.worker,
            register,
        )

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.AccessibleTextRole,
        ):
            return _(COLUMNS[section][1])
        return None

    def retranslate(self) -> None:
        """Headers and translated cells (case type, register, dates) after a language switch."""
        self._display.clear()
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(COLUMNS) - 1)
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, len(COLUMNS) - 1))

    # -- sorting and filtering ----------------------------------------------------------------
    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Order by ``column``: the first page in that order is asked for (the source sorts)."""
        if not 0 <= column < len(COLUMNS):
            return
        self._order = (column, order)
        self._requery()

    def set_filter(self, case_filter: CaseFilter) -> None:
        """Show only the rows that pass ``case_filter``: the first page of them is asked for."""
        self._filter = case_filter
        self._requery()


class CaseloadProxy(QSortFilterProxyModel):
    """Filters by search text, case type, team and worker — by asking the model, whose source reads
    only the matching rows (so Qt never calls back into Python per row); sorting is the model's too."""

    def __init__(self, model: CaseloadModel, parent: Any = None) -> None:
        super().__init__(parent)
        self._model = model
        self.setSourceModel(model)
        self.text = ""
        self.case_type: str | None = None
        self.team_id: str | None = None
        self.worker_id: str | None = None

    def set_filters(self, *, text: str | None = None, case_type: Any = ..., team_id: Any = ..., worker_id: Any = ...) -> None:
        if text is not None:
            self.text = text
        if case_type is not ...:
            self.case_type = case_type
        if team_id is not ...:
            self.team_id = team_id
        if worker_id is not ...:
            self.worker_id = worker_id
        self._model.set_filter(
            CaseFilter(tuple(self.text.casefold().split()), self.case_type, self.team_id, self.worker_id)
        )

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._model.sort(column, order)
