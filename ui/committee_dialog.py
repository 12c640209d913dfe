"""Make the committee report from the app: a period, a language, which cases, then "Save as PDF…"
(managers; performance officers).

Which cases: those held on this laptop (made here), or — for a senior manager or performance officer whose
profile is connected to a server — the whole council's, made by the server
(:class:`desktop.services.committee_council.CouncilReportService`).

Thread contract: GUI thread for the form; the figures and the PDF are made on a worker through
:mod:`ui.tasks` (a council's year can take a moment) and written to the chosen file there.
"""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QFileDialog, QLabel, QLineEdit, QWidget

from desktop.domain.calendar import add_months
from desktop.domain.validation import parse_date
from desktop.errors import DiogelError, ValidationError
from desktop.i18n import N_, _, current_language
from desktop.services.committee import CommitteeService
from desktop.services.committee_council import CouncilReportService, council_report_available
from desktop.services.permissions import Can
from ui.formatting import show_date
from ui.person_fields import to_iso
from ui.tasks import runner
from ui.widgets import FormDialog, message_of

log = logging.getLogger(__name__)
LANGUAGE_CHOICES = (("cy", N_("Welsh")), ("en", N_("English")), ("bilingual", N_("Welsh and English")))
COVERAGE_CHOICES = (("laptop", N_("The cases held on this laptop")),
                    ("council", N_("The whole council (from the server)")))


class CommitteeReportDialog(FormDialog):
    """``written`` is emitted with the file's path once the PDF is saved."""

    written = Signal(str)

    def __init__(self, session: Any, parent: QWidget, *, transport_factory: Any = None) -> None:
        """``transport_factory``: makes the connection to the server for the council's report (default: the
        profile's own)."""
        super().__init__(parent)
        self.setObjectName("committee_dialog")
        self.session = session
        self.transport_factory = transport_factory
        today = session.today()
        self.period_start, self.period_end = QLineEdit(), QLineEdit()
        self.period_start.setText(show_date(add_months(today, -3)))
        self.period_end.setText(show_date(today))
        self.language = QComboBox()
        self.coverage = QComboBox()
        self.coverage.setObjectName("committee_coverage")
        self.choices = [code for code, _msgid in COVERAGE_CHOICES
                        if (code == "laptop" and session.can(Can.COMMITTEE_REPORT))
                        or (code == "council" and council_report_available(session))]
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.add_field("period_start", self.period_start)
        self.add_field("period_end", self.period_end)
        self.add_field("language", self.language)
        self.add_field("coverage", self.coverage)
        self.coverage.setEnabled(len(self.choices) > 1)
        self.form.addRow(self.status)
        self.task: Any = None
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Committee report"))
        self.labels["period_start"].setText(_("From:"))
        self.labels["period_end"].setText(_("To:"))
        self.labels["language"].setText(_("Language:"))
        for edit in (self.period_start, self.period_end):
            edit.setPlaceholderText(_("dd/mm/yyyy"))
        self.period_start.setAccessibleName(_("First day of the period"))
        self.period_end.setAccessibleName(_("Last day of the period"))
        self.language.setAccessibleName(_("Language of the report"))
        chosen = self.language.currentData() or ("cy" if current_language() == "cy" else "en")
        self.language.clear()
        for code, msgid in LANGUAGE_CHOICES:
            self.language.addItem(_(msgid), code)
        self.language.setCurrentIndex(self.language.findData(chosen))
        self.labels["coverage"].setText(_("Cases:"))
        self.coverage.setAccessibleName(_("Which cases the report counts"))
        scope = self.coverage.currentData() or ("council" if "council" in self.choices else "laptop")
        self.coverage.clear()
        for code, msgid in COVERAGE_CHOICES:
            if code in self.choices:
                self.coverage.addItem(_(msgid), code)
        self.coverage.setCurrentIndex(max(self.coverage.findData(scope), 0))
        save = self.buttons.button(self.buttons.StandardButton.Save)
        if save is not None:
            save.setText(_("Save as PDF…"))

    def period(self) -> tuple[date, date]:
        """The period typed in; raises :class:`ValidationError` beside the field at fault."""
        start = parse_date(to_iso(self.period_start.text()), "period_start")
        end = parse_date(to_iso(self.period_end.text()), "period_end")
        if start is None:
            raise ValidationError(N_("Enter the date."), field="period_start")
        if end is None:
            raise ValidationError(N_("Enter the date."), field="period_end")
        if end < start:
            raise ValidationError(N_("The end of the period is before its start."), field="period_end")
        return start, end

    def save(self) -> bool:
        """Ask where, then make the report there."""
        self.clear_errors()
        try:
            start, end = self.period()
        except DiogelError as err:
            self.show_refusal(err)
            return False
        suggested = _("committee-report-{start}-{end}.pdf").format(start=start.isoformat(), end=end.isoformat())
        path, _filter = QFileDialog.getSaveFileName(self, _("Save the committee report"), suggested,
                                                    _("PDF documents (*.pdf)"))
        if not path:
            return False
        self.save_to(Path(path))
        return True

    def save_to(self, path: Path) -> Any:
        """Make the report for the typed period and language and write it to ``path`` (on a worker)."""
        self.clear_errors()
        try:
            start, end = self.period()
        except DiogelError as err:
            self.show_refusal(err)
            return None
        session, lang, scope, factory = self.session, self.language.currentData(), self.coverage.currentData(), \
            self.transport_factory

        def work() -> str:
            if scope == "council":
                pdf = CouncilReportService(session).render(start, end, lang,
                                                           transport=factory() if factory else None)
            else:
                pdf = CommitteeService(session).render(start, end, lang)
            tmp = path.with_suffix(".partial")
            tmp.write_bytes(pdf)
            tmp.replace(path)  # never a half-written report
            return str(path)

        self.status.setText(_("Asking the server for the council's report…") if scope == "council"
                            else _("Making the report…"))
        self.buttons.setEnabled(False)
        self.task = runner().run(work, on_done=self._done, on_error=self._failed)
        return self.task

    def _done(self, path: str) -> None:
        self.buttons.setEnabled(True)
        self.status.setText(_("Saved to {path}.").format(path=path))
        self.written.emit(path)

    def _failed(self, exc: BaseException) -> None:
        self.buttons.setEnabled(True)
        self.status.setText("")
        if isinstance(exc, DiogelError):
            self.show_refusal(exc)
        else:  # a fault, not a refusal: logged with its traceback, and said plainly
            log.error("the committee report could not be made", exc_info=exc)
            self.general_error.setText(message_of(exc))
            self.general_error.show()
