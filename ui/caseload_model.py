"""The caseload's table model and filter proxy (GUI thread).

The model keeps every row in Python and does the work there in one pass: a keystroke computes
which rows match (over ``CaseRow.search_text``), one list comprehension per criterion, and the
model then *shows* only the matching rows, in order. Qt is told about them lazily, a page at a
time (``canFetchMore``/``fetchMore``, as the list is scrolled), so with 50,000 cases neither the
view nor the proxy ever walks rows nobody has scrolled to, and no Python is called per row by Qt.
Sorting orders the rows by a key list made once per column (``sorted`` over built-in lookups), not
by comparisons that call back into Python. Display strings are made only for rows painted, and
cached per row and language.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from operator import attrgetter
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QBrush

from desktop.domain.types import label
from desktop.domain.urgency import STYLES, Urgency, urgency_label
from desktop.i18n import N_, _
from desktop.services.cases import CaseRow
from desktop.services.my_work import CaseDue
from ui.contrast import urgency_colours
from ui.formatting import show_date
from ui.urgency import urgency_icon

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
DUE_COLUMNS = ("next_due", "overdue")
CASE_ID_ROLE = Qt.ItemDataRole.UserRole + 1
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_ACCESSIBLE = int(Qt.ItemDataRole.AccessibleTextRole)
_CASE_ID = int(CASE_ID_ROLE)
_DECORATION = int(Qt.ItemDataRole.DecorationRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_BACKGROUND = int(Qt.ItemDataRole.BackgroundRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)


PAGE = 1000
"""Rows the view is told about at a time (more as it is scrolled)."""


def _sort_keys(column: str, rows: list[CaseRow], due: dict[str, CaseDue]) -> list[Any]:
    """One sort key per row for ``column``, in the order of ``rows``."""
    if column == "next_due":  # most urgent first, nothing due last
        far = (len(Urgency), date.max)
        return [(due[r.case_id].next.urgency.rank, due[r.case_id].next.due) if r.case_id in due else far
                for r in rows]  # fmt: skip
    if column == "overdue":
        return [due[r.case_id].overdue if r.case_id in due else 0 for r in rows]
    if column == "case_type":
        names = {t: label(t).casefold() for t in {r.case_type for r in rows}}
        return [names[r.case_type] for r in rows]
    if column == "registered":
        return [r.registered for r in rows]
    if column == "date_of_birth":
        return [r.date_of_birth or "" for r in rows]
    get = attrgetter(column)
    return [str(get(r) or "").casefold() for r in rows]


class CaseloadModel(QAbstractTableModel):
    """Every :class:`CaseRow` of the caseload; shows those that pass the current filter, in the
    current order, told to Qt a page at a time."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[CaseRow] = []  # every row, in the current sort order
        self._view: list[CaseRow] = []  # the rows that pass the filter, in order (what is shown)
        self._shown = 0  # how many of ``_view`` Qt has been told about
        self._accepted: list[bool] | None = None
        self._filter: CaseFilter = CaseFilter()
        self._display: dict[str, tuple[str, ...]] = {}
        self._flagged: frozenset[str] = frozenset()  # cases with an open sync conflict
        self._due: dict[str, CaseDue] = {}
        self._order: tuple[int, Qt.SortOrder] | None = None
        self.due_loaded = False
        self.due_failed = False

    # -- data ---------------------------------------------------------------------------------
    def set_rows(self, rows: list[CaseRow], flagged: Collection[str] = ()) -> None:
        """``flagged``: ids of cases with an open sync conflict (marked in the Register column)."""
        self.beginResetModel()
        self._rows = list(rows)
        self._flagged = frozenset(flagged)
        self._display.clear()
        if self._order is not None:
            self._sort_rows(*self._order)
        self._recompute()
        self.endResetModel()

    def set_due(self, due: dict[str, CaseDue]) -> None:
        """The Next due and Overdue columns (computed on a worker after the rows are shown)."""
        self._due = dict(due)
        self.due_loaded = True
        self._display.clear()
        if self._shown:
            first, last = [key for key, _msgid in COLUMNS].index("next_due"), len(COLUMNS) - 1
            self.dataChanged.emit(self.index(0, first), self.index(self._shown - 1, last))

    def set_due_failed(self) -> None:
        """What is due could not be worked out: the columns say so (never left blank)."""
        self.set_due({})
        self.due_failed = True
        self._display.clear()

    def clear(self) -> None:
        self.set_rows([])

    def total(self) -> int:
        """Every case in the caseload."""
        return len(self._rows)

    def matching(self) -> int:
        """The cases that pass the current search and filters (shown as the list is scrolled)."""
        return len(self._view)

    def shown_rows(self) -> list[CaseRow]:
        """The rows that pass the current search and filters, in order (fetched or not)."""
        return list(self._view)

    def row_at(self, row: int) -> CaseRow:
        return self._view[row]

    def rowCount(self, parent: Index = _ROOT) -> int:  # noqa: N802
        return 0 if parent.isValid() else self._shown

    def canFetchMore(self, parent: Index = _ROOT) -> bool:  # noqa: N802
        return not parent.isValid() and self._shown < len(self._view)

    def fetchMore(self, parent: Index = _ROOT) -> None:  # noqa: N802
        if parent.isValid() or self._shown >= len(self._view):
            return
        more = min(PAGE, len(self._view) - self._shown)
        self.beginInsertRows(_ROOT, self._shown, self._shown + more - 1)
        self._shown += more
        self.endInsertRows()

    def fetch_all(self) -> None:
        """Tell Qt about every matching row (tests, and a caller that walks the whole list)."""
        while self.canFetchMore():
            self.fetchMore()

    def columnCount(self, parent: Index = _ROOT) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # Called for every role of every visible cell on each paint: answer from a per-row cache
        # of display strings, and leave all other roles at once.
        if role != _DISPLAY and role != _ACCESSIBLE:
            if role == _CASE_ID:
                return self._view[index.row()].case_id
            if COLUMNS[index.column()][0] in DUE_COLUMNS:
                return self._due_role(index, role)
            if role == _TOOLTIP:  # the whole text of a cell cut short
                return self.data(index, _DISPLAY)
            return None
        return self.cells(index.row())[index.column()]

    def cells(self, row: int) -> tuple[str, ...]:
        """The texts of the ``row``-th row shown, in column order (made once per row and language)."""
        case = self._view[row]
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
            return ("", "") if not self.due_loaded else (_("Nothing due"), "0")
        item = found.next
        words = urgency_label(item.urgency, item.days_overdue, item.overdue_unit) \
            if item.urgency is not Urgency.UPCOMING else show_date(item.due)
        return words, str(found.overdue)

    def _due_role(self, index: Index, role: int) -> Any:
        """Shape, colours and the reason in a tooltip for the Next due and Overdue cells."""
        found = self._due.get(self._view[index.row()].case_id)
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
        if self._shown:
            self.dataChanged.emit(self.index(0, 0), self.index(self._shown - 1, len(COLUMNS) - 1))

    # -- sorting and filtering ----------------------------------------------------------------
    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS):
            return
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        held = [(self._view[p.row()].case_id if p.row() < self._shown else None, p.column()) for p in persistent]
        self._sort_rows(column, order)
        self._order = (column, order)
        self._recompute()
        where = {r.case_id: i for i, r in enumerate(self._view[: self._shown])}
        self.changePersistentIndexList(persistent, [
            self.index(where[case_id], col) if case_id in where else QModelIndex() for case_id, col in held])
        self.layoutChanged.emit()

    def _sort_rows(self, column: int, order: Qt.SortOrder) -> None:
        keys = _sort_keys(COLUMNS[column][0], self._rows, self._due)
        positions = sorted(range(len(keys)), key=keys.__getitem__, reverse=order == Qt.SortOrder.DescendingOrder)
        self._rows = [self._rows[i] for i in positions]

    def set_filter(self, case_filter: CaseFilter) -> None:
        """Show only the rows that pass ``case_filter`` (the view is told afresh: one reset)."""
        self.beginResetModel()
        self._filter = case_filter
        self._recompute()
        self.endResetModel()

    def accepted(self, row: int) -> bool:
        """Whether the row at ``row`` of the whole (sorted) caseload passes the filter."""
        return self._accepted is None or self._accepted[row]

    def _recompute(self) -> None:
        """Which rows pass: one list comprehension per criterion over all rows (fast in Python);
        the view starts again at its first page."""
        f, rows = self._filter, self._rows
        acc: list[bool] | None = None
        if f.terms:
            texts = [r.search_text for r in rows]
            for term in f.terms:
                acc = [term in t for t in texts] if acc is None else [a and term in t for a, t in zip(acc, texts, strict=True)]
        for attr, value in (("case_type", f.case_type), ("team_id", f.team_id), ("worker_id", f.worker_id)):
            if value:
                hits = [getattr(r, attr) == value for r in rows]
                acc = hits if acc is None else [a and h for a, h in zip(acc, hits, strict=True)]
        self._accepted = acc
        self._view = rows if acc is None else [r for r, ok in zip(rows, acc, strict=True) if ok]
        self._shown = min(PAGE, len(self._view))


@dataclass(frozen=True, slots=True)
class CaseFilter:
    """Search terms (casefolded) and the three filters; empty means "everything"."""

    terms: tuple[str, ...] = ()
    case_type: str | None = None
    team_id: str | None = None
    worker_id: str | None = None


class CaseloadProxy(QSortFilterProxyModel):
    """Filters by search text, case type, team and worker — by asking the model, which shows only
    the matching rows (so Qt never calls back into Python per row); sorting is the model's too."""

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
