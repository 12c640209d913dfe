"""The case's "Chronology" tab (GUI thread only): every significant event the system knows, oldest
first, for the whole case or one child or adult, filtered by kind of event and period, and exported as a
PDF in Welsh, English or both (Welsh first), marked OFFICIAL-SENSITIVE.

The events are read in one short call (:class:`desktop.services.chronology.ChronologyService`; a
chronology of 2,000 events opens in well under 200 ms — ``bench/bench_casework_records.py``); the PDF is
made and written on a worker (:mod:`ui.tasks`), never half-written. Listed in
:data:`ui.plugins.CASE_TAB_MODULES`.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QAction, QFont
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QToolButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from desktop.errors import DiogelError, ValidationError
from desktop.i18n import N_, _, current_language, ngettext
from desktop.services.chronology import TYPES, Chronology, ChronologyService, Event
from desktop.services.permissions import Can
from ui.case_tabs import register_case_tab
from ui.formatting import show_date, to_iso
from ui.forms import Field, Form
from ui.loading import Loads
from ui.tasks import Task, runner, store_watcher
from ui.widgets import FieldError, Retranslating, message_of

log = logging.getLogger(__name__)
HEADERS = [N_("Date"), N_("What happened"), N_("Who it is about"), N_("Recorded by"), N_("What was recorded")]
EXPORT_LANGUAGES = {"cy": N_("Welsh"), "en": N_("English"), "bilingual": N_("Welsh and English (Welsh first)")}


class ChronologyModel(QAbstractTableModel):
    """The events as a table, worded when drawn (only the rows in view; a language switch rewords them)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.events: list[Event] = []
        self.chronology: Chronology | None = None

    def set_events(self, events: list[Event], chronology: Chronology | None = None) -> None:
        """The events to show; ``chronology`` (theirs) gives the people's safety flags."""
        self.beginResetModel()
        self.events = events
        self.chronology = chronology
        self.endResetModel()

    def _who(self, e: Event) -> str:
        return self.chronology.who(e) if self.chronology is not None else e.names

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.events)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(HEADERS)

    def text(self, row: int, column: int) -> str:
        e = self.events[row]
        if column == 0:
            return show_date(e.on) + (f" {e.at}" if e.at else "")
        if column == 1:
            return e.what.text()
        if column == 2:
            return self._who(e)
        if column == 3:
            return e.by
        return " ".join(e.detail.split())[:240]

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text(index.row(), index.column())
        if role == Qt.ItemDataRole.ToolTipRole and index.column() in (1, 2, 4):
            e = self.events[index.row()]
            return {1: e.what.text(), 2: self._who(e), 4: e.detail[:1000]}[index.column()]
        if role == Qt.ItemDataRole.FontRole and index.column() == 2 and self.chronology is not None \
                and self.chronology.safety(self.events[index.row()]):
            font = QFont()
            font.setBold(True)  # bold, not a colour: it stays visible in high contrast
            return font
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _(HEADERS[section])
        return None

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(HEADERS) - 1)
        if self.events:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.events) - 1, len(HEADERS) - 1))


class Row:
    """One row as shown (for tests and screen readers' checks): ``text(column)``."""

    def __init__(self, model: ChronologyModel, row: int) -> None:
        self.model, self.row = model, row

    def text(self, column: int) -> str:
        return self.model.text(self.row, column)


WIDTHS = (130, 360, 210, 130)
"""Starting widths of the columns but the last (which takes the rest); the person can widen them."""


class ExportChronologyForm(Form):
    """Where to save the PDF and in which language (``tab`` in the context makes it on a worker)."""

    OBJECT_NAME = "export_chronology_form"
    TITLE = N_("Export the chronology")
    DRAFTS = False
    FIELDS = [
        Field("language", "choice", N_("Language:"), EXPORT_LANGUAGES),
        Field("path", "text", N_("Save as:")),
    ]

    def prepare(self) -> None:
        self.set_value("language", current_language() if current_language() in ("cy", "en") else "en")
        folder = Path.home() / "Documents"
        name = _("chronology-{reference}-{date}.pdf").format(reference=self.context.get("reference", ""),
                                                            date=self.session.today().isoformat())
        self.set_value("path", str((folder if folder.is_dir() else Path.home()) / name))

    def submit(self, values: dict[str, Any]) -> dict[str, Any]:
        path = Path(str(values["path"] or "").strip()).expanduser()
        if not str(values["path"] or "").strip() or path.suffix.lower() != ".pdf":
            raise ValidationError(N_("Give a file name ending in .pdf."), field="path")
        if not path.parent.is_dir():
            raise ValidationError(N_("That folder does not exist."), field="path")
        return {"id": str(path), "language": values["language"]}

    def after_save(self, row: Any) -> None:
        self.context["tab"].export(Path(row["id"]), row["language"])  # the tab makes it on a worker


class ChronologyTab(Loads[Chronology], Retranslating, QWidget):
    """The chronology with its filters; ``export(path, language)`` writes the PDF."""

    def __init__(self, session: Any, case_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("chronology_tab")
        self.session, self.case_id = session, case_id
        self.person = QComboBox()
        self.person.setObjectName("chronology_person")
        # Filled once the chronology is read (after the tab shows): measure the names then, in either language.
        self.person.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.start, self.end = QLineEdit(), QLineEdit()
        self.start.setObjectName("chronology_start")
        self.end.setObjectName("chronology_end")
        for edit in (self.start, self.end):
            edit.setMaxLength(10)
            edit.setFixedWidth(edit.fontMetrics().horizontalAdvance("00/00/0000") + 24)  # grows with the text
            edit.editingFinished.connect(self.refresh)
        self.kinds = QToolButton()
        self.kinds.setObjectName("chronology_kinds")
        self.kinds.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.kinds)
        self.type_actions: dict[str, QAction] = {}
        for key in TYPES:
            action = QAction(menu)
            action.setObjectName(f"chronology_type_{key}")
            action.setCheckable(True)
            action.setChecked(True)
            action.toggled.connect(lambda _on: self.refresh())
            menu.addAction(action)
            self.type_actions[key] = action
        self.kinds.setMenu(menu)
        self.export_button = QPushButton()
        self.export_button.setObjectName("export_chronology")
        self.export_button.clicked.connect(lambda: self.open_export())
        self.labels = [QLabel() for _i in range(4)]
        bar = QHBoxLayout()
        for label, widget in zip(self.labels, (self.person, self.start, self.end, self.kinds), strict=True):
            label.setBuddy(widget)
            bar.addWidget(label)
            bar.addWidget(widget)
        bar.addStretch(1)
        bar.addWidget(self.export_button)
        self.error = FieldError()
        self.error.setObjectName("chronology_error")
        self.count = QLabel()
        self.count.setObjectName("chronology_count")
        self.status = QLabel()
        self.status.setObjectName("chronology_status")
        self.status.setWordWrap(True)
        self.model = ChronologyModel(self)
        self.list = QTreeView()
        self.list.setObjectName("chronology_list")
        self.list.setModel(self.model)
        self.list.setRootIsDecorated(False)
        self.list.setUniformRowHeights(True)
        self.list.setWordWrap(False)
        self.list.setAlternatingRowColors(True)
        header = self.list.header()
        header.setStretchLastSection(True)
        for column, width in enumerate(WIDTHS):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, width)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.error)
        layout.addWidget(self.count)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.status)
        self.chronology: Chronology | None = None
        self.export_task: Task | None = None
        self.forms: list[Form] = []
        self._subjects_loaded = False
        self.person.currentIndexChanged.connect(lambda _i: self.refresh() if self._subjects_loaded else None)
        store_watcher(session).changed.connect(self._store_changed)
        self.retranslate()
        self.start_loading(self, fail=self._failed)

    # -- texts ----------------------------------------------------------------------------------
    def retranslate(self) -> None:
        for label, msgid in zip(self.labels, (N_("About:"), N_("From:"), N_("To:"), N_("Kinds:")), strict=True):
            label.setText(_(msgid))
        for edit in (self.start, self.end):
            edit.setPlaceholderText(_("dd/mm/yyyy"))
        self.start.setAccessibleName(_("First day of the period"))
        self.end.setAccessibleName(_("Last day of the period"))
        self.person.setAccessibleName(_("Whose chronology"))
        for key, action in self.type_actions.items():
            action.setText(_(TYPES[key]))
        self.export_button.setText(_("Export PDF…"))
        self.list.setAccessibleName(_("Chronology"))
        self.error.retranslate()
        self.model.retranslate()
        self.kinds.setText(self._kinds_text())
        self.redraw()

    def _kinds_text(self) -> str:
        chosen = self.types()
        if chosen is None:
            return _("Every kind")
        return ngettext("{n} kind", "{n} kinds", len(chosen)).format(n=len(chosen))

    # -- filters --------------------------------------------------------------------------------
    def types(self) -> list[str] | None:
        """The kinds ticked (``None``: every kind)."""
        chosen = [k for k, a in self.type_actions.items() if a.isChecked()]
        return None if len(chosen) == len(self.type_actions) else chosen

    def set_types(self, keys: list[str] | None) -> None:
        for key, action in self.type_actions.items():
            action.blockSignals(True)
            action.setChecked(keys is None or key in keys)
            action.blockSignals(False)
        self.refresh()

    def filters(self) -> dict[str, Any]:
        return {"person_id": self.person.currentData(), "types": self.types(),
                "start": to_iso(self.start.text()), "end": to_iso(self.end.text())}

    # -- reading --------------------------------------------------------------------------------
    def _store_changed(self, _tables: set[str], cases: set[str]) -> None:
        if self.case_id in cases:
            self.refresh()

    def refresh(self) -> None:
        """Read the chronology for the filters shown, on a worker (a date that is not one is said at once)."""
        self.error.clear()
        self.kinds.setText(self._kinds_text())
        try:
            filters = self.filters()
        except ValidationError as err:
            self.error.show_error(err)
            return
        self.loader.load(self.read, filters)

    def read(self, filters: dict[str, Any]) -> Chronology:
        """Worker thread: the case's chronology for ``filters``."""
        return ChronologyService(self.session).for_case(self.case_id, **filters)

    def draw(self, chronology: Chronology) -> None:
        self.chronology = chronology
        self._fill_people(chronology)
        self.model.set_events(chronology.events, chronology)
        n = len(chronology.events)
        self.count.setText(ngettext("{n} event", "{n} events", n).format(n=n) if n
                           else _("No events for what is chosen."))

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, ValidationError):  # a period the service refuses (the end before the start)
            self.error.show_error(exc)
        else:
            self.failed(exc)

    def _fill_people(self, chronology: Chronology) -> None:
        chosen = self.person.currentData()
        self._subjects_loaded = False
        self.person.clear()
        self.person.addItem(_("Everyone in the case"), None)
        for pid, name in chronology.subjects.items():
            self.person.addItem(name, pid)
        index = self.person.findData(chosen)
        self.person.setCurrentIndex(max(0, index))
        self._subjects_loaded = True

    def rows(self) -> list[Row]:
        return [Row(self.model, i) for i in range(self.model.rowCount())]

    # -- export ---------------------------------------------------------------------------------
    def open_export(self) -> Form:
        reference = self.chronology.case_reference if self.chronology else ""
        form = ExportChronologyForm(self.session, self.case_id, None, self, tab=self, reference=reference)
        self.forms.append(form)
        form.show()
        return form

    def export(self, path: Path, language: str) -> Task:
        """Make the PDF with the filters shown, in ``language``, and write it to ``path`` (on a worker)."""
        session, case_id, filters = self.session, self.case_id, self.filters()

        def work() -> str:
            pdf = ChronologyService(session).render(case_id, language=language, **filters)
            partial = path.with_suffix(".partial")
            partial.write_bytes(pdf)
            partial.replace(path)  # never a half-written file
            return str(path)

        self.status.setText(_("Making the PDF…"))
        self.export_button.setEnabled(False)
        self.export_task = runner().run(work, on_done=self._exported, on_error=self._export_failed)
        return self.export_task

    def _exported(self, path: str) -> None:
        self.export_button.setEnabled(True)
        self.status.setText(_("Saved to {path}.").format(path=path))

    def _export_failed(self, exc: BaseException) -> None:
        self.export_button.setEnabled(True)
        if not isinstance(exc, DiogelError):
            log.error("the chronology could not be exported", exc_info=exc)
        self.status.setText(_("The PDF was not made: {reason}").format(reason=message_of(exc)))

    def open_action(self, action: str, person_id: str | None = None) -> QWidget | None:
        if action == "chronology":
            return self
        return None


register_case_tab("chronology", N_("Chronology"), ChronologyTab, lambda session: session.can(Can.VIEW_CASEWORK),
                  order=24)
