"""The "Correspondence" case tab: every letter of the case (template, recipient, language, date,
who printed it) with a preview of the stored PDF.

Thread contract: GUI thread, except :meth:`CorrespondenceTab.read` (a :class:`ui.loading.Loads` tab: the
letters are read on a worker and drawn on the GUI thread; a language switch redraws them) and the preview,
rendered on a worker.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.i18n import _
from desktop.services.letters import LetterService, QueuedLetter
from ui.letters.model import HISTORY_COLUMNS, LetterModel
from ui.letters.preview import PdfPreview, pdf_page_images
from ui.loading import Loads
from ui.table_fit import fit_table
from ui.tasks import Cancelled, Task, TaskControl, runner, store_watcher
from ui.widgets import Retranslating, message_of


class CorrespondenceTab(Loads[list[QueuedLetter]], Retranslating, QWidget):
    def __init__(self, session: Any, case_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("correspondence_tab")
        self.session = session
        self.case_id = case_id
        self.service = LetterService(session)
        self.model = LetterModel(HISTORY_COLUMNS, self)
        self.heading = QLabel()
        self.empty = QLabel()
        self.empty.setObjectName("correspondence_empty")
        self.table = QTableView()
        self.table.setObjectName("correspondence_list")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()  # row numbers say nothing (and leave the columns more room)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table (to its buttons); the arrows move in it
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        fit_table(self.table)  # every column in view; a long name is elided, whole in its tooltip
        self.table.selectionModel().selectionChanged.connect(self._selected)
        self.preview = PdfPreview()
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.table)
        split.addWidget(self.preview)
        split.setSizes([600, 400])
        box = QVBoxLayout(self)
        box.addWidget(self.heading)
        box.addWidget(self.empty)
        box.addWidget(split, 1)
        self._task: Task | None = None
        store_watcher(session).changed.connect(self._changed)
        self.retranslate()
        self.start_loading(self, fail=self._failed)

    def _changed(self, tables: set[str], cases: set[str]) -> None:
        if "letter" in tables and (not cases or self.case_id in cases):
            self.refresh()

    def read(self) -> list[QueuedLetter]:
        """Worker thread: the case's letters."""
        return self.service.history(self.case_id)

    def draw(self, letters: list[QueuedLetter]) -> None:
        self.model.set_letters(letters)
        self._say_empty()

    def _selected(self, *_args: Any) -> None:
        rows = self.table.selectionModel().selectedRows()
        letter = self.model.letter_at(rows[0].row()) if rows else None
        if letter is not None:
            self.show_preview(letter.id, printed=letter.status == "printed")

    def show_preview(self, letter_id: str, printed: bool = True) -> Task:
        """The stored PDF of a printed letter; a letter not yet printed is rendered now when the
        person may manage letters (else a line saying it has not been printed)."""
        if self._task is not None:
            self._task.cancel()
        service, may_render = self.service, self.service.session.can
        from desktop.services.permissions import Can

        def work(control: TaskControl) -> list[Any]:
            pdf = service.pdf(letter_id) if printed else None
            if pdf is None and may_render(Can.MANAGE_LETTERS):
                pdf = service.preview(letter_id)
            if pdf is None:
                return []
            control.check()
            return pdf_page_images(pdf, cancelled=lambda: control.cancelled)

        def shown(images: list[Any]) -> None:
            if images:
                self.preview.set_images(images)
            else:
                self.preview.show_message(_("This letter has not been printed yet."))

        def failed(exc: BaseException) -> None:
            if not isinstance(exc, Cancelled):
                self.preview.show_message(message_of(exc))

        self._task = runner().run(work, control=True, on_done=shown, on_error=failed)
        return self._task

    def _failed(self, exc: BaseException) -> None:
        """The letters could not be read (the case gone from scope): said where the list would be."""
        self.empty.setText(message_of(exc))
        self.empty.setVisible(True)

    def _say_empty(self) -> None:
        self.empty.setText("" if self.model.letters or self.data is None
                           else _("No letters have been queued for this case."))
        self.empty.setVisible(bool(self.empty.text()))

    def retranslate(self) -> None:
        self.heading.setText(_("Letters for this case"))
        self._say_empty()
        self.table.setAccessibleName(_("Correspondence history"))
        self.model.retranslate()
