"""The Letters area: the print queue, a preview of the rendered pages, printing through the system
print dialog and exporting PDFs — one letter or a batch — on a worker with progress and cancel.

Thread contract: GUI thread; every store read, render and write runs on a worker through
:func:`ui.tasks.runner`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.errors import DiogelError
from desktop.i18n import _, ngettext
from desktop.services.letters import GUARD_REASONS, BatchResult, LetterService
from desktop.services.permissions import Can
from ui.letters.model import QUEUE_COLUMNS, LetterModel
from ui.letters.preview import PRINT_DPI, PdfPreview, paint_pages, pdf_page_images
from ui.letters.welsh_form import AddWelshDialog
from ui.table_fit import fit_table
from ui.tasks import Cancelled, Task, TaskControl, runner, store_watcher
from ui.widgets import Retranslating, message_of


class LettersPage(Retranslating, QWidget):
    """The queue (case, recipient, letter, language, status or why held) beside a preview."""

    def __init__(self, session: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("letters_page")
        self.session = session
        self.service = LetterService(session)
        self.model = LetterModel(QUEUE_COLUMNS, self)
        self.heading = QLabel()
        self.heading.setObjectName("letters_heading")
        self.summary = QLabel()
        self.summary.setObjectName("letters_summary")
        self.summary.setWordWrap(True)
        self.table = QTableView()
        self.table.setObjectName("letters_queue")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()  # row numbers say nothing (and leave the columns more room)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table (to its buttons); the arrows move in it
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        fit_table(self.table)  # every column in view; a long name is elided, whole in its tooltip
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.preview = PdfPreview()
        self.refresh_button = QPushButton()
        self.refresh_button.setObjectName("letters_refresh")
        self.print_button = QPushButton()
        self.print_button.setObjectName("letters_print")
        self.export_button = QPushButton()
        self.export_button.setObjectName("letters_export")
        self.export_all_button = QPushButton()
        self.export_all_button.setObjectName("letters_export_all")
        self.release_button = QPushButton()
        self.release_button.setObjectName("letters_release")
        self.cancel_button = QPushButton()
        self.cancel_button.setObjectName("letters_cancel")
        self.welsh_button = QPushButton()  # the Welsh a held letter needs, written by a caseworker
        self.welsh_button.setObjectName("letters_add_welsh")
        self.welsh_button.setVisible(session.can(Can.RECORD_CASEWORK))
        self.welsh_button.clicked.connect(lambda: self.add_welsh(self.needs_welsh_id() or ""))
        self.welsh_dialog: AddWelshDialog | None = None
        self.release_button.clicked.connect(self.release_selected)
        self.cancel_button.clicked.connect(self._cancel_clicked)
        self.safety_button = QPushButton()  # a manager lets a letter held for someone's safety go (issue 20)
        self.safety_button.setObjectName("letters_release_guarded")
        self.safety_button.setVisible(session.can(Can.SAFETY))
        self.safety_button.clicked.connect(self.release_guarded)
        self.refresh_button.clicked.connect(self.reload)
        self.print_button.clicked.connect(self._print_clicked)
        self.export_button.clicked.connect(lambda: self._export_clicked(self.selected_ids()))
        self.export_all_button.clicked.connect(lambda: self._export_clicked(self.ready_ids()))
        buttons = QHBoxLayout()
        for b in (self.refresh_button, self.print_button, self.export_button, self.export_all_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        decisions = QHBoxLayout()  # a second row: what to do with a letter that should not go as it is
        for b in (self.welsh_button, self.release_button, self.safety_button, self.cancel_button):
            decisions.addWidget(b)
        decisions.addStretch(1)
        left = QWidget()
        left_box = QVBoxLayout(left)
        left_box.setContentsMargins(0, 0, 0, 0)
        left_box.addWidget(self.table)
        left_box.addLayout(buttons)
        left_box.addLayout(decisions)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(self.preview)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([600, 400])
        box = QVBoxLayout(self)
        box.addWidget(self.heading)
        box.addWidget(self.summary)
        box.addWidget(split, 1)
        self.progress: QProgressDialog | None = None
        self.task: Task | None = None
        self.last_result: BatchResult | None = None
        self.last_error: BaseException | None = None
        self._preview_task: Task | None = None
        self._previewed: str | None = None
        self._watcher = store_watcher(session)
        self._watcher.changed.connect(self._store_changed)
        self.retranslate()
        self.reload()

    # -- loading ------------------------------------------------------------------------------
    def _store_changed(self, tables: set[str], _cases: set[str]) -> None:
        if "letter" in tables and self.task is None:
            self.reload(recheck=False)

    def reload(self, recheck: bool = True) -> None:
        """Re-read the queue on a worker (with ``recheck``, held letters whose reason has gone
        are released first)."""
        runner().run(self.service.queue, recheck=recheck, on_done=self._loaded, on_error=self._failed)

    def _loaded(self, letters: list[Any]) -> None:
        selected = set(self.selected_ids())
        self.model.set_letters(letters)
        for row, letter in enumerate(letters):
            if letter.id in selected:
                self.table.selectRow(row)
        self.retranslate()

    def _failed(self, exc: BaseException) -> None:
        self.last_error = exc
        if not isinstance(exc, Cancelled):
            self.summary.setText(message_of(exc))

    def selected_ids(self) -> list[str]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [self.model.letters[r].id for r in rows if r < len(self.model.letters)]

    def ready_ids(self) -> list[str]:
        return [q.id for q in self.model.letters if q.status == "queued"]

    # -- preview ------------------------------------------------------------------------------
    def _selection_changed(self, *_args: Any) -> None:
        ids = self.selected_ids()
        self._update_buttons()
        if len(ids) == 1 and ids[0] != self._previewed:
            self.show_preview(ids[0])

    def show_preview(self, letter_id: str) -> Task:
        """Render ``letter_id`` and show its pages (or why it is held)."""
        if self._preview_task is not None:
            self._preview_task.cancel()
        self._previewed = letter_id

        def work(control: TaskControl) -> list[Any]:
            pdf = self.service.preview(letter_id)
            control.check()
            return pdf_page_images(pdf, cancelled=lambda: control.cancelled)

        self._preview_task = runner().run(work, control=True, on_done=self.preview.set_images,
                                          on_error=self._preview_failed)
        return self._preview_task

    def _preview_failed(self, exc: BaseException) -> None:
        if not isinstance(exc, Cancelled):
            self._previewed = None
            self.preview.show_message(message_of(exc))

    # -- a person's decision on held letters -------------------------------------------------
    def releasable_ids(self) -> list[str]:
        wanted = set(self.selected_ids())
        return [q.id for q in self.model.letters if q.id in wanted and q.releasable]

    def release_selected(self) -> Task | None:
        """Release the selected letters held for a reason a person may set aside (an event past)."""
        ids = self.releasable_ids()
        if not ids:
            return None
        service = self.service
        return runner().run(lambda: [service.release(lid) for lid in ids], on_done=self._decided,
                            on_error=self._decision_failed)

    def needs_welsh_id(self) -> str | None:
        """The one selected letter, if it is held for Welsh text."""
        ids = self.selected_ids()
        letter = next((q for q in self.model.letters if ids == [q.id]), None)
        held = letter is not None and letter.status == "held" and (letter.held_reason or "").startswith("needs_welsh:")
        return letter.id if held and letter is not None else None

    def add_welsh(self, letter_id: str) -> AddWelshDialog | None:
        """Open the form for the Welsh ``letter_id`` needs; once saved the queue is checked again."""
        if not letter_id:
            return None
        try:
            dialog = AddWelshDialog(self.session, letter_id, parent=self)
        except DiogelError as exc:
            QMessageBox.warning(self, _("Letters"), message_of(exc))
            return None
        dialog.saved.connect(lambda _id: self.reload())
        self.welsh_dialog = dialog
        dialog.open()
        return dialog

    def _cancel_clicked(self) -> None:
        ids = self.selected_ids()
        if not ids:
            return
        question = ngettext("Cancel {count} letter? It will not be printed; the case keeps a record of it.",
                            "Cancel {count} letters? They will not be printed; the case keeps a record of them.",
                            len(ids)).format(count=len(ids))
        answer = QMessageBox.question(self, _("Cancel letters"), question)
        if answer == QMessageBox.StandardButton.Yes:
            self.cancel_letters(ids)

    def cancel_letters(self, ids: list[str]) -> Task:
        """Take ``ids`` off the queue for good (they stay in each case's correspondence)."""
        service = self.service
        return runner().run(lambda: [service.cancel(lid) for lid in ids], on_done=self._decided,
                            on_error=self._decision_failed)

    def _decided(self, _letters: list[Any]) -> None:
        self.reload(recheck=False)

    def _decision_failed(self, exc: BaseException) -> None:
        if not isinstance(exc, Cancelled):
            QMessageBox.warning(self, _("Letters"), message_of(exc))
        self.reload(recheck=False)

    # -- export -------------------------------------------------------------------------------
    def _export_clicked(self, ids: list[str]) -> None:
        if not ids:
            return
        folder = QFileDialog.getExistingDirectory(self, _("Choose the folder for the PDF files"))
        if folder:
            self.export_to(Path(folder), ids)

    def export_to(self, folder: Path, ids: list[str]) -> Task:
        """Export ``ids`` to ``folder`` (one PDF each) and mark them printed, on a worker with a
        progress dialog whose Cancel stops before the next letter."""
        service = self.service

        def work(control: TaskControl) -> BatchResult:
            return service.print_letters(
                ids, out_dir=folder, cancelled=lambda: control.cancelled,
                progress=lambda done, total: control.progress(done, total, ""))

        return self._start(work, len(ids), _("Exporting letters…"))

    # -- printing -----------------------------------------------------------------------------
    def _print_clicked(self) -> None:
        ids = self.selected_ids() or self.ready_ids()
        if not ids:
            return
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        dialog.setAccessibleName(_("Print letters"))
        if dialog.exec() != QPrintDialog.DialogCode.Accepted:
            return
        self.print_to(printer, ids)

    def print_to(self, printer: Any, ids: list[str]) -> Task:
        """Render ``ids`` on a worker (progress, cancel), paint the pages on ``printer`` here, then
        mark the letters printed on a worker. Held letters are skipped and reported."""
        service = self.service

        def render(control: TaskControl) -> tuple[list[tuple[str, bytes]], list[Any], BatchResult]:
            done: list[tuple[str, bytes]] = []
            images: list[Any] = []
            result = BatchResult()
            # The letters render on every core (in order); held or failing ones are reported, the rest print.
            for n, (lid, pdf, why) in enumerate(service.render_many(ids, cancelled=lambda: control.cancelled), 1):
                control.check()
                if pdf is None:
                    result.errors[lid] = why or ""
                else:
                    images += pdf_page_images(pdf, PRINT_DPI, cancelled=lambda: control.cancelled)
                    done.append((lid, pdf))
                control.progress(n, len(ids), "")
            control.check()
            return done, images, result

        def painted(payload: tuple[list[tuple[str, bytes]], list[Any], BatchResult]) -> None:
            done, images, result = payload
            try:
                if images:
                    paint_pages(printer, images)
            except Exception as exc:  # nothing is marked printed if the printer failed
                self._batch_failed(exc)
                return

            def mark() -> BatchResult:
                for lid, pdf in done:
                    service.mark_printed(lid, pdf)
                    result.printed.append(lid)
                return result

            self.task = runner().run(mark, on_done=self._finished, on_error=self._batch_failed)

        return self._start(render, len(ids), _("Preparing letters for the printer…"), on_done=painted)

    # -- batch plumbing -----------------------------------------------------------------------
    def _start(self, work: Any, total: int, label: str, on_done: Any = None) -> Task:
        self.progress = QProgressDialog(label, _("Cancel"), 0, total, self)
        self.progress.setObjectName("letters_progress")
        self.progress.setAccessibleName(label)
        self.progress.setWindowModality(Qt.WindowModality.WindowModal)
        self.progress.setMinimumDuration(0)
        self.progress.setValue(0)
        self.task = runner().run(work, control=True, on_done=on_done or self._finished, on_error=self._batch_failed,
                                 on_progress=self._on_progress)
        self.progress.canceled.connect(self.task.cancel)
        self._update_buttons()
        return self.task

    def _on_progress(self, done: int, total: int, _text: str) -> None:
        dialog = self.progress
        if dialog is not None:  # setValue may process events (a modal dialog), so label first
            dialog.setLabelText(ngettext("{done} of {total} letter", "{done} of {total} letters", total)
                                .format(done=done, total=total))
            dialog.setMaximum(total)
            dialog.setValue(done)

    def _close_progress(self) -> None:
        if self.progress is not None:
            self.progress.canceled.disconnect()
            self.progress.reset()
            self.progress.hide()
            self.progress.deleteLater()
            self.progress = None

    def _finished(self, result: BatchResult) -> None:
        self._close_progress()
        self.task = None
        self.last_result = result
        parts = [ngettext("{count} letter printed.", "{count} letters printed.", len(result.printed))
                 .format(count=len(result.printed))]
        if result.cancelled:
            parts.append(_("Stopped before the end: the rest are still waiting."))
        if result.held:
            parts.append(ngettext("{count} letter held.", "{count} letters held.", len(result.held))
                         .format(count=len(result.held)))
        if result.errors:
            parts.append(ngettext("{count} letter could not be produced.", "{count} letters could not be produced.",
                                  len(result.errors)).format(count=len(result.errors)))
        self.summary.setText(" ".join(parts))
        self.reload(recheck=False)

    def _batch_failed(self, exc: BaseException) -> None:
        self._close_progress()
        self.task = None
        self.last_error = exc
        if isinstance(exc, Cancelled):
            self.summary.setText(_("Stopped: nothing more was printed."))
            self.reload(recheck=False)
            return
        QMessageBox.warning(self, _("Letters"), message_of(exc))
        self.reload(recheck=False)

    def _update_buttons(self) -> None:
        busy = self.task is not None
        has_selection = bool(self.selected_ids())
        self.print_button.setEnabled(not busy and (has_selection or bool(self.ready_ids())))
        self.export_button.setEnabled(not busy and has_selection)
        self.export_all_button.setEnabled(not busy and bool(self.ready_ids()))
        self.release_button.setEnabled(not busy and bool(self.releasable_ids()))
        self.welsh_button.setEnabled(not busy and self.needs_welsh_id() is not None)
        self.cancel_button.setEnabled(not busy and has_selection)
        self.safety_button.setEnabled(not busy and self._guarded() is not None)

    def _guarded(self) -> Any:
        """The one selected letter when the correspondence guard holds it, else ``None``."""
        ids = self.selected_ids()
        letter = next((q for q in self.model.letters if ids == [q.id]), None)
        return letter if letter is not None and (letter.held_reason or "") in GUARD_REASONS else None

    def release_guarded(self) -> QWidget | None:
        """Open the manager's release form for the selected letter held for someone's safety; the queue
        reloads once it is saved."""
        from ui.safety import ReleaseLetterDialog

        letter = self._guarded()
        if letter is None:
            return None
        dialog = ReleaseLetterDialog(self.session, case_id=letter.case_id, parent=self, letter=letter)
        dialog.saved.connect(lambda _id: self.reload(recheck=False))
        dialog.open()
        return dialog

    # -- language -----------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.heading.setText(_("Letters to print"))
        queued = sum(1 for q in self.model.letters if q.status == "queued")
        held = sum(1 for q in self.model.letters if q.status == "held")
        if self.task is None and self.last_result is None:
            self.summary.setText(
                ngettext("{count} letter ready to print", "{count} letters ready to print", queued).format(count=queued)
                + "; " + ngettext("{count} held", "{count} held", held).format(count=held))
        self.table.setAccessibleName(_("Letters waiting to be printed"))
        self.refresh_button.setText(_("Check again"))
        self.safety_button.setText(_("Release…"))
        self.safety_button.setAccessibleName(_("Release the selected held letter, saying why it may be sent"))
        self.refresh_button.setAccessibleName(_("Check the held letters again and reload the list"))
        self.print_button.setText(_("Print…"))
        self.print_button.setAccessibleName(_("Print the selected letters, or all ready letters"))
        self.export_button.setText(_("Export selected…"))
        self.export_button.setAccessibleName(_("Export the selected letters as PDF files"))
        self.export_all_button.setText(_("Export all ready…"))
        self.export_all_button.setAccessibleName(_("Export every letter ready to print as PDF files"))
        self.release_button.setText(_("Print anyway"))
        self.release_button.setAccessibleName(_("Make the selected held letters ready to print although the"
                                                " event they are about has passed"))
        self.welsh_button.setText(_("Add the Welsh…"))
        self.welsh_button.setAccessibleName(_("Write the Welsh of the texts the selected letter quotes only in"
                                              " English"))
        self.cancel_button.setText(_("Cancel letters…"))
        self.cancel_button.setAccessibleName(_("Cancel the selected letters: they will not be printed"))
        self.model.retranslate()
        self._update_buttons()
