"""The Caseload area: every case in scope, searchable, filterable and sortable.

The model keeps the rows and does the work in Python in one pass: a keystroke computes which
rows match (over ``CaseRow.search_text``) and the proxy only looks the answer up, and sorting
reorders the model's list with ``sorted`` (the proxy does not sort, which would call back into
Python per comparison). 10,000 rows filter in a few milliseconds.

Thread contract: the caseload is read on a worker (:mod:`ui.tasks`); the model is touched only
in the GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    QTimer,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.types import CaseType, label
from desktop.i18n import N_, _, ngettext
from desktop.services.cases import CaseRow, CaseService
from ui.areas import register_area
from ui.formatting import show_date
from ui.tasks import runner, store_watcher
from ui.widgets import Retranslating

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
]
CASE_ID_ROLE = Qt.ItemDataRole.UserRole + 1
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_ACCESSIBLE = int(Qt.ItemDataRole.AccessibleTextRole)
_CASE_ID = int(CASE_ID_ROLE)


def _sort_key(column: str) -> Callable[[CaseRow], Any]:
    if column == "case_type":
        return lambda r: label(r.case_type).casefold()
    if column == "registered":
        return lambda r: r.registered
    if column == "date_of_birth":
        return lambda r: r.date_of_birth or ""
    return lambda r: str(getattr(r, column) or "").casefold()


class CaseloadModel(QAbstractTableModel):
    """Rows of :class:`CaseRow`; also holds which rows pass the current filter."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[CaseRow] = []
        self._accepted: list[bool] | None = None
        self._filter: CaseFilter = CaseFilter()
        self._display: dict[str, tuple[str, ...]] = {}

    # -- data ---------------------------------------------------------------------------------
    def set_rows(self, rows: list[CaseRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._display.clear()
        self._recompute()
        self.endResetModel()

    def clear(self) -> None:
        self.set_rows([])

    def row_at(self, row: int) -> CaseRow:
        return self._rows[row]

    def rowCount(self, parent: Index = _ROOT) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = _ROOT) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # Called for every role of every visible cell on each paint: answer from a per-row cache
        # of display strings, and leave all other roles at once.
        if role != _DISPLAY and role != _ACCESSIBLE:
            if role == _CASE_ID:
                return self._rows[index.row()].case_id
            return None
        row = self._rows[index.row()]
        cells = self._display.get(row.case_id)
        if cells is None:
            cells = self._display[row.case_id] = self._cells(row)
        return cells[index.column()]

    @staticmethod
    def _cells(row: CaseRow) -> tuple[str, ...]:
        """The row's texts in the interface language, in column order."""
        return (
            row.reference,
            row.subjects,
            show_date(row.date_of_birth),
            label(row.case_type),
            row.team,
            row.worker,
            _("On the register") if row.registered else "",
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
        if not 0 <= column < len(COLUMNS):
            return
        self.layoutAboutToBeChanged.emit()
        old = {id(r): i for i, r in enumerate(self._rows)}
        self._rows.sort(key=_sort_key(COLUMNS[column][0]), reverse=order == Qt.SortOrder.DescendingOrder)
        new_pos = [0] * len(self._rows)
        for i, r in enumerate(self._rows):
            new_pos[old[id(r)]] = i
        self._recompute()
        persistent = self.persistentIndexList()
        self.changePersistentIndexList(
            persistent, [self.index(new_pos[p.row()], p.column()) for p in persistent]
        )
        self.layoutChanged.emit()

    def set_filter(self, case_filter: CaseFilter) -> None:
        self._filter = case_filter
        self._recompute()

    def accepted(self, row: int) -> bool:
        return self._accepted is None or self._accepted[row]

    def _recompute(self) -> None:
        """Which rows pass: one list comprehension per criterion over all rows (fast in Python)."""
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


@dataclass(frozen=True, slots=True)
class CaseFilter:
    """Search terms (casefolded) and the three filters; empty means "everything"."""

    terms: tuple[str, ...] = ()
    case_type: str | None = None
    team_id: str | None = None
    worker_id: str | None = None


class CaseloadProxy(QSortFilterProxyModel):
    """Filters by search text, case type, team and worker; sorting is delegated to the model."""

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
        # One remapping, not a signal per removed range: with 10,000 rows the view would
        # otherwise handle hundreds of row-removal signals per keystroke.
        self.invalidate()

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:  # noqa: N802
        accepted = self._model._accepted  # one list lookup per row: this runs 10,000 times a keystroke
        return accepted is None or accepted[source_row]

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._model.sort(column, order)


class CaseloadTable(QTableView):
    """The case list: uniform rows (smooth with 10,000), sortable headers, Enter opens."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("caseload_table")
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.setTabKeyNavigation(False)
        self.verticalHeader().hide()
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.horizontalHeader().setStretchLastSection(True)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)


class CaseloadPage(Retranslating, QWidget):
    """Search box, three filters and the table. Opening a case opens its window."""

    def __init__(self, session: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setObjectName("caseload_page")
        self.model = CaseloadModel(self)
        self.proxy = CaseloadProxy(self.model, self)

        self.heading = QLabel()
        self.heading.setStyleSheet("font-size: 14pt; font-weight: 600;")
        self.count_label = QLabel()
        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        self.search.setObjectName("caseload_search")
        self.search.textChanged.connect(lambda text: self.proxy.set_filters(text=text) or self._update_count())
        self.type_filter = QComboBox()
        self.team_filter = QComboBox()
        self.worker_filter = QComboBox()
        for combo in (self.type_filter, self.team_filter, self.worker_filter):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            combo.addItem("", None)
        for ct in CaseType:
            self.type_filter.addItem("", str(ct))
        self.type_filter.currentIndexChanged.connect(
            lambda _i: self.proxy.set_filters(case_type=self.type_filter.currentData()) or self._update_count()
        )
        self.team_filter.currentIndexChanged.connect(
            lambda _i: self.proxy.set_filters(team_id=self.team_filter.currentData()) or self._update_count()
        )
        self.worker_filter.currentIndexChanged.connect(
            lambda _i: self.proxy.set_filters(worker_id=self.worker_filter.currentData()) or self._update_count()
        )

        self.table = CaseloadTable()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(1, Qt.SortOrder.AscendingOrder)
        self.table.activated.connect(self._open_index)

        top = QHBoxLayout()
        top.addWidget(self.heading)
        top.addStretch(1)
        top.addWidget(self.count_label)
        filters = QHBoxLayout()
        filters.addWidget(self.search, 1)
        filters.addWidget(self.type_filter)
        filters.addWidget(self.team_filter)
        filters.addWidget(self.worker_filter)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        self.setTabOrder(self.search, self.type_filter)
        self.setTabOrder(self.type_filter, self.team_filter)
        self.setTabOrder(self.team_filter, self.worker_filter)
        self.setTabOrder(self.worker_filter, self.table)

        self._loaded = False
        self._reload_timer = QTimer(self)
        self._reload_timer.setSingleShot(True)
        self._reload_timer.setInterval(300)
        self._reload_timer.timeout.connect(self.reload)
        store_watcher(session).changed.connect(self._on_store_changed)
        self.retranslate()
        self.reload()

    @property
    def loaded(self) -> bool:
        return self._loaded

    def retranslate(self) -> None:
        self.heading.setText(_("Caseload"))
        self.search.setPlaceholderText(_("Search by name, identifier or date of birth"))
        self.search.setAccessibleName(_("Search the caseload"))
        self.search.setToolTip(_("Search by name, identifier or date of birth"))
        self.type_filter.setItemText(0, _("All case types"))
        for i in range(1, self.type_filter.count()):
            self.type_filter.setItemText(i, label(self.type_filter.itemData(i)))
        self.type_filter.setAccessibleName(_("Filter by case type"))
        self.type_filter.setToolTip(_("Filter by case type"))
        self.team_filter.setItemText(0, _("All teams"))
        self.team_filter.setAccessibleName(_("Filter by team"))
        self.team_filter.setToolTip(_("Filter by team"))
        self.worker_filter.setItemText(0, _("All workers"))
        self.worker_filter.setAccessibleName(_("Filter by worker"))
        self.worker_filter.setToolTip(_("Filter by worker"))
        self.table.setAccessibleName(_("Cases"))
        self.table.setToolTip(_("Double-click or press Enter to open a case"))
        self.model.retranslate()
        if self._loaded and self.model.rowCount():
            self.table.resizeColumnsToContents()  # Welsh headers and labels are longer
        self._update_count()

    def _update_count(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        if not self._loaded:
            self.count_label.setText(_("Loading…"))
        elif shown == total:
            self.count_label.setText(ngettext("{n} case", "{n} cases", total).format(n=total))
        else:
            self.count_label.setText(
                ngettext("{shown} of {n} case", "{shown} of {n} cases", total).format(shown=shown, n=total)
            )
        self.count_label.setAccessibleName(self.count_label.text())

    # -- loading ------------------------------------------------------------------------------
    def reload(self) -> None:
        """Read the caseload (and the filter lists) on a worker; the model updates when it is back."""
        session = self.session

        def read() -> tuple[list[CaseRow], list[dict[str, Any]], list[dict[str, Any]]]:
            service = CaseService(session)
            return service.caseload(), service.teams(), service.workers()

        runner().run(read, on_done=self._on_loaded, on_error=lambda exc: None)

    def _on_loaded(self, result: tuple[list[CaseRow], list[dict[str, Any]], list[dict[str, Any]]]) -> None:
        try:
            self.objectName()
        except RuntimeError:  # the page was destroyed (locked) while the caseload was read
            return
        rows, teams, workers = result
        self._fill_combo(self.team_filter, [(t["id"], t["name"]) for t in teams])
        self._fill_combo(
            self.worker_filter, [(w["id"], f"{w['given_names']} {w['family_name']}".strip()) for w in workers]
        )
        header = self.table.horizontalHeader()
        self.model.set_rows(rows)
        self.proxy.set_filters()
        self.model.sort(header.sortIndicatorSection(), header.sortIndicatorOrder())
        self._loaded = True
        if rows and header.sectionSize(1) < 200:
            self.table.resizeColumnsToContents()
        self._update_count()

    @staticmethod
    def _fill_combo(combo: QComboBox, items: list[tuple[str, str]]) -> None:
        current = combo.currentData()
        combo.blockSignals(True)
        while combo.count() > 1:
            combo.removeItem(1)
        for value, text in items:
            combo.addItem(text, value)
        index = combo.findData(current)
        combo.setCurrentIndex(max(index, 0))
        combo.blockSignals(False)

    def _on_store_changed(self, tables: set[str], case_ids: set[str]) -> None:
        if tables & {"case_file", "case_member", "person", "team", "practitioner", "register_entry"}:
            self._reload_timer.start()

    def _open_index(self, index: QModelIndex) -> None:
        case_id = index.data(CASE_ID_ROLE)
        if case_id:
            from ui.case_view import open_case_window

            open_case_window(self.session, case_id, self.window())

    def case_ids_shown(self) -> list[str]:
        return [self.proxy.index(r, 0).data(CASE_ID_ROLE) for r in range(self.proxy.rowCount())]


def _caseload_count(session: Any) -> int | None:
    return len(CaseService(session).caseload())


register_area("caseload", N_("Caseload"), CaseloadPage, badge=_caseload_count, order=10)
