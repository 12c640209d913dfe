"""Make the committee report from the app: a period, a language, which cases, then "Save as PDF…"
(managers; performance officers).

Which cases: those held on this laptop (made here), or — for a senior manager or performance officer whose
profile is connected to a server — the whole council's or one team's, made by the server
(:class:`desktop.services.committee_council.CouncilReportService`).

A :class:`~ui.forms.Form` (GUI thread for the form): a period that cannot be right (a date missing or
impossible, the end before the start) is refused beside its field and nothing is made; the figures and
the PDF are made on a worker through :mod:`ui.tasks` (a council's year can take a moment) and written to
the chosen file there, never half-written. A refusal from the service shows as one; anything else is a
fault, logged and said plainly.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QDialogButtonBox, QFileDialog, QLabel, QWidget

from desktop.domain.calendar import add_months
from desktop.domain.validation import parse_date
from desktop.errors import DiogelError, ValidationError
from desktop.i18n import N_, _, current_language
from desktop.services.cases import CaseService
from desktop.services.committee import CommitteeService
from desktop.services.committee_council import CouncilReportService, council_report_available
from desktop.services.permissions import Can
from ui.forms import Field, Form, Saving
from ui.tasks import runner

LANGUAGE_CHOICES = {"cy": N_("Welsh"), "en": N_("English"), "bilingual": N_("Welsh and English")}
COVERAGE_CHOICES = {"laptop": N_("The cases held on this laptop"),
                    "council": N_("The whole council (from the server)")}
PERIOD_MONTHS = 3
"""The period offered to begin with: the three months to today (a committee's quarter)."""


class CommitteeReportDialog(Form):
    """``written`` is emitted with the file's path once the PDF is saved."""

    written = Signal(str)
    OBJECT_NAME = "committee_dialog"
    TITLE = N_("Committee report")
    DRAFTS = False  # nothing typed to keep: the period starts as the last quarter each time
    FIELDS = [
        Field("period_start", "date", N_("From:"), help=N_("First day of the period")),
        Field("period_end", "date", N_("To:"), help=N_("Last day of the period")),
        Field("language", "choice", N_("Language:"), LANGUAGE_CHOICES, help=N_("Language of the report")),
        Field("coverage", "choice", N_("Cases:"), COVERAGE_CHOICES, help=N_("Which cases the report counts")),
        Field("team", "optional", N_("Team:"), help=N_("One team's cases only (the council's report from the server)")),
    ]
    BLANKS = {"team": N_("Every team")}

    def __init__(self, session: Any, parent: QWidget | None = None, *,
                 transport_factory: Callable[[], Any] | None = None) -> None:
        """``transport_factory``: makes the connection to the server for the council's report (default: the
        profile's own)."""
        super().__init__(session, parent=parent, transport_factory=transport_factory)
        self.task: Any = None

    @property
    def coverage(self) -> QComboBox:
        """Which cases: only those this person may have are offered (the council's needs a connected profile)."""
        combo = self.widgets["coverage"]
        assert isinstance(combo, QComboBox)
        return combo

    def read(self) -> bool:
        """Worker thread: whether the council's report is offered (the profile syncs with a server)."""
        return council_report_available(self.session)

    def items(self, name: str) -> list[tuple[Any, str]]:
        """Worker thread: the teams (by name, as the server knows them) for the council's report of one team."""
        return [(t["name"], t["name"]) for t in CaseService(self.session).teams()] if name == "team" else []

    def build(self) -> None:
        assert self.opening is not None
        offered = {"laptop": self.session.can(Can.COMMITTEE_REPORT), "council": bool(self.opening.more)}
        for index in reversed(range(self.coverage.count())):
            if not offered[self.coverage.itemData(index)]:
                self.coverage.removeItem(index)
        self.coverage.setEnabled(self.coverage.count() > 1)
        self.coverage.currentIndexChanged.connect(self._coverage_changed)
        self.status = QLabel()
        self.status.setObjectName("committee_status")
        self.status.setWordWrap(True)
        self.body_layout.addWidget(self.status)

    def prepare(self) -> None:
        today = self.session.today()
        self.set_value("period_start", add_months(today, -PERIOD_MONTHS).isoformat())
        self.set_value("period_end", today.isoformat())
        self.set_value("language", "cy" if current_language() == "cy" else "en")
        self.set_value("coverage", "council" if self.coverage.findData("council") >= 0 else "laptop")
        self._coverage_changed()

    def _coverage_changed(self, *_args: Any) -> None:
        """One team's report is the server's: the team is chosen only for the council's report."""
        self.widgets["team"].setEnabled(self.coverage.currentData() == "council")

    def retranslate_more(self) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(_("Save as PDF…"))

    def period(self) -> tuple[date, date]:
        """The period typed in; raises :class:`ValidationError` beside the field at fault."""
        start = parse_date(self.value("period_start"), "period_start")
        end = parse_date(self.value("period_end"), "period_end")
        if start is None:
            raise ValidationError(N_("Enter the date."), field="period_start")
        if end is None:
            raise ValidationError(N_("Enter the date."), field="period_end")
        if end < start:
            raise ValidationError(N_("The end of the period is before its start."), field="period_end")
        return start, end

    def save(self) -> Saving:
        """Ask where, then make the report there on a worker (the form stays open and says where it went).
        Not saved when the period is refused or no file is chosen."""
        attempt = Saving()
        self.clear_errors()
        try:
            start, end = self.period()
        except DiogelError as err:
            self.show_refusal(err)
            attempt.done = True
            return attempt
        suggested = _("committee-report-{start}-{end}.pdf").format(start=start.isoformat(), end=end.isoformat())
        path, _filter = QFileDialog.getSaveFileName(self, _("Save the committee report"), suggested,
                                                    _("PDF documents (*.pdf)"))
        task = self.save_to(Path(path)) if path else None
        if task is None:
            attempt.done = True
            return attempt

        def answered(ok: bool) -> None:
            attempt.ok, attempt.done = ok, True

        task.finished.connect(lambda _path: answered(True))
        task.failed.connect(lambda _exc: answered(False))
        return attempt

    def save_to(self, path: Path) -> Any:
        """Make the report for the typed period and language and write it to ``path`` (on a worker);
        the task, or ``None`` when the period is refused."""
        self.clear_errors()
        try:
            start, end = self.period()
        except DiogelError as err:
            self.show_refusal(err)
            return None
        session, lang, scope, team = self.session, self.value("language"), self.value("coverage"), self.value("team")
        factory = self.context.get("transport_factory")

        def work() -> str:
            if scope == "council":
                pdf = CouncilReportService(session).render(start, end, lang, team or None,
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
            self.show_fault(exc)
