"""The Caseload area: every case in scope, searchable, filterable and sortable.

The model and proxy are in :mod:`ui.caseload_model`: the list is read a page at a time by SQL
(:class:`ui.caseload_source.ServiceSource`), never whole — at sign-in only its first screen and the
counts are read. A search, a filter or a sort asks for the first page of its rows; scrolling asks for
the next. After a commit the rows held are read again (the selection and the scroll position kept),
and the due columns of the rows held are worked out again on a worker (only theirs: a page of 200, not the
whole caseload).

Thread contract: the caseload is read on a worker (:mod:`ui.tasks`); the model is touched only
in the GUI thread.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, QTimer
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
from desktop.services.cases import CaseService
from desktop.services.my_work import MyWorkService
from desktop.services.permissions import Can
from ui.areas import register_area
from ui.caseload_model import CASE_ID_ROLE, COLUMNS, DUE_COLUMNS, CaseFilter, CaseloadModel, CaseloadProxy
from ui.caseload_source import ServiceSource
from ui.loading import Loader
from ui.tasks import store_watcher
from ui.widgets import Retranslating, scaled_pt

log = logging.getLogger(__name__)
MAX_COLUMN_WIDTH = 180
SAMPLE_ROWS = 40
"""Rows whose texts size the columns (with the header): measuring every row of 5,000 held the window up."""
DUE_DELAY_MS = 150
"""How long a search must stay the same before the due columns of its rows are worked out (each keystroke's rows
are read at once; working out what is due for each would hold the workers up while the person types)."""
CELL_PADDING = 16
FilterLists = tuple[list[dict[str, Any]], list[dict[str, Any]]]
"""The teams and workers for the filters."""
_ROW_TABLES = frozenset({"case_file", "case_member", "person", "team", "practitioner", "register_entry",
                         "sync_conflict"})
"""Tables whose commits change what the list's rows say (other commits change only what is due)."""

__all__ = ["CASE_ID_ROLE", "COLUMNS", "CaseFilter", "CaseloadModel", "CaseloadPage", "CaseloadProxy", "CaseloadTable"]


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
        # Fit columns to the header and the first rows only: measuring 10,000 rows' text on every
        # load and language switch took most of a second.
        self.horizontalHeader().setResizeContentsPrecision(50)


class CaseloadPage(Retranslating, QWidget):
    """Search box, three filters and the table. Opening a case opens its window."""

    def __init__(self, session: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setObjectName("caseload_page")
        self.model = CaseloadModel(self)
        self.proxy = CaseloadProxy(self.model, self)

        self.heading = QLabel()
        self.heading.setStyleSheet(f"font-size: {scaled_pt(14)}; font-weight: 600;")
        self.count_label = QLabel()
        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        self.search.setObjectName("caseload_search")
        self.search.textChanged.connect(lambda text: self.proxy.set_filters(text=text) or self._update_count())
        self.search.returnPressed.connect(self.to_first_match)
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
        for i, (key, _msgid) in enumerate(COLUMNS):  # what is due is casework: not for admin staff
            self.table.setColumnHidden(i, key in DUE_COLUMNS and not session.can(Can.VIEW_CASEWORK))

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
        self._rows_changed = False  # a commit since the last refresh changed what the rows say
        self._due_again = False  # a commit came while the due columns were being worked out
        self._kept: tuple[str | None, int] = (None, 0)  # the current case and the scroll, across a refresh
        self.model.modelAboutToBeReset.connect(self._keep_place)
        self.model.modelReset.connect(self._restore_place)
        self.model.answered.connect(self._on_answered)
        self.model.rows_added.connect(self._load_due)
        self.model.counted.connect(self._update_count)
        self.lists_loader: Loader[FilterLists] = Loader(self, self._on_lists,
                                                        fail=lambda exc: log.error("the teams and workers could not"
                                                                                   " be read", exc_info=exc))
        self.due_loader: Loader[tuple[list[str], int, dict[str, Any]]] = Loader(self, self._on_due,
                                                                                 fail=self._due_failed)
        self._due_timer = QTimer(self)  # a new query's due columns once the typing pauses (not at each keystroke)
        self._due_timer.setSingleShot(True)
        self._due_timer.setInterval(DUE_DELAY_MS)
        self._due_timer.timeout.connect(self._load_due)
        self._reload_timer = QTimer(self)
        self._reload_timer.setSingleShot(True)
        self._reload_timer.setInterval(300)
        self._reload_timer.timeout.connect(self._after_commits)
        store_watcher(session).changed.connect(self._on_store_changed)
        self.retranslate()
        self.model.set_source(ServiceSource(session))  # the first screen, read on a worker
        self._load_lists()

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
            # Welsh headers are longer: widen a column to its header; the rows are not measured again
            # (that held a language switch up for tens of milliseconds at 5,000 cases).
            header = self.table.horizontalHeader()
            for column in range(self.model.columnCount()):
                header.resizeSection(column, min(max(header.sectionSize(column), header.sectionSizeHint(column)),
                                                 max(MAX_COLUMN_WIDTH, header.sectionSizeHint(column))))
        self._update_count()

    def _update_count(self) -> None:
        shown, total = self.model.matching(), self.model.total()
        if not self._loaded or shown is None or total is None:
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
        """Read the rows held again (and the filter lists) on a worker; the model updates when they are back."""
        self.model.refresh()
        self._load_lists()

    def _load_lists(self) -> None:
        session = self.session

        def read() -> FilterLists:
            service = CaseService(session)
            return service.teams(), service.workers()

        self.lists_loader.load(read)

    def _on_lists(self, lists: FilterLists) -> None:
        teams, workers = lists
        self._fill_combo(self.team_filter, [(t["id"], t["name"]) for t in teams])
        self._fill_combo(
            self.worker_filter, [(w["id"], f"{w['given_names']} {w['family_name']}".strip()) for w in workers]
        )

    def _load_due(self) -> None:
        """The Next due and Overdue columns of the rows held whose columns are not known (or not since the last
        commit), worked out on a worker once they are on screen — those rows only, never the whole caseload
        (so the engine's work never holds up the list itself)."""
        session = self.session
        if not session.can(Can.VIEW_CASEWORK):
            return
        if self.due_loader.pending:  # one at a time: what is wanted meanwhile is asked for after it
            self._due_again = True
            return
        self._due_again = False
        wanted, epoch = self.model.due_wanted(), self.model.due_epoch
        if wanted:
            self.due_loader.load(lambda: (wanted, epoch, MyWorkService(session).by_cases(wanted)))

    def _on_due(self, answer: tuple[list[str], int, dict[str, Any]]) -> None:
        cases, epoch, due = answer
        self.model.set_due_for(cases, due, epoch)
        self.fit_columns([k for k, _msgid in COLUMNS].index(key) for key in DUE_COLUMNS)
        if self._due_again:
            self._load_due()

    def _due_failed(self, exc: BaseException) -> None:
        log.error("the caseload's due columns could not be worked out", exc_info=exc)
        self.model.set_due_failed()
        if self._due_again:
            self._load_due()

    def _on_answered(self) -> None:
        """A query's first page (or a refresh) is in: the count, and on the first, the columns and what is due."""
        first = not self._loaded
        self._loaded = True
        if first:
            header = self.table.horizontalHeader()
            if self.model.rowCount() and header.sectionSize(1) < 200:
                self.fit_columns(range(self.model.columnCount()))
            self._load_due()
        else:  # the rows of a new query, or a refresh, not yet known: once the typing pauses
            self._due_timer.start()
        self._update_count()

    def _keep_place(self) -> None:
        current = self.table.currentIndex()
        self._kept = (current.data(CASE_ID_ROLE) if current.isValid() else None,
                      self.table.verticalScrollBar().value() if self.model.refreshing else 0)

    def _restore_place(self) -> None:
        """After the rows are read again: the same case current and selected (if it is still listed)
        and the list where it was scrolled to."""
        case_id, scrolled = self._kept
        if case_id is not None:
            for row in range(self.model.rowCount()):
                if self.model.row_at(row).case_id == case_id:
                    column = max(self.table.currentIndex().column(), 0)
                    self.table.setCurrentIndex(self.proxy.index(row, column))
                    break
        if scrolled:  # once the view has laid the rows out again (its range is updated later)
            QTimer.singleShot(0, self, lambda: self.table.verticalScrollBar().setValue(scrolled))

    def fit_columns(self, columns: Iterable[int]) -> None:
        """Each column as wide as its header and the texts of the first :data:`SAMPLE_ROWS` rows shown, no
        wider than :data:`MAX_COLUMN_WIDTH` (a long name or team is cut short, whole in its tooltip, rather
        than pushing the list sideways). Measured here in Python from a sample, never by Qt over every row."""
        header = self.table.horizontalHeader()
        metrics = self.table.fontMetrics()
        icon = self.table.iconSize().width() if self.table.iconSize().isValid() else 16
        sample = [self.model.cells(r) for r in range(min(SAMPLE_ROWS, self.model.rowCount()))]
        for column in columns:
            widest = max((metrics.horizontalAdvance(cells[column]) for cells in sample), default=0) + CELL_PADDING
            if COLUMNS[column][0] in DUE_COLUMNS:
                widest += icon + 4  # the urgency shape beside the words
            header.resizeSection(column, min(max(header.sectionSizeHint(column), widest),
                                             max(MAX_COLUMN_WIDTH, header.sectionSizeHint(column))))

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
        """Rows read again when a commit changes what they say; what is due after any commit that may
        change it (a visit, a conference: cases' records). A burst of commits is one refresh."""
        if tables & _ROW_TABLES:
            self._rows_changed = True
        if tables & _ROW_TABLES or case_ids:
            self._reload_timer.start()

    def _after_commits(self) -> None:
        if self._rows_changed:
            self._rows_changed = False
            self.reload()
        elif self._loaded and self.model.query().sort in DUE_COLUMNS:
            self.model.refresh()  # in the new order of what is due
        if self._loaded:
            self.model.due_stale()
            self._load_due()

    def to_first_match(self) -> None:
        """Return in the search box: the focus goes to the first case shown (Return again opens it),
        once the search's first page is in."""
        if not self.model.settled:
            self.model.when_settled(self.to_first_match)
            return
        if self.proxy.rowCount():
            self.table.setFocus(Qt.FocusReason.OtherFocusReason)
            self.table.setCurrentIndex(self.proxy.index(0, 1))

    def _open_index(self, index: QModelIndex) -> None:
        case_id = index.data(CASE_ID_ROLE)
        if case_id:
            from ui.case_view import open_case_window

            open_case_window(self.session, case_id, self.window())

    def case_ids_shown(self) -> list[str]:
        """The cases read so far for the current search and filters, in order."""
        return [r.case_id for r in self.model.shown_rows()]


def _caseload_count(session: Any) -> int | None:
    return CaseService(session).count()


register_area("caseload", N_("Caseload"), CaseloadPage, badge=_caseload_count, order=10)
