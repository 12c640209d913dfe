"""The "Make the conference report…" form: choose a conference the case has held and the language, and
the report is rendered as a PDF, saved where the person chooses (asked first) and opened; made and written on a worker.

Child protection (initial and review conferences) and adult protection conferences alike: the list
comes from :meth:`desktop.services.conference_reports.ConferenceReportService.held` (an audited
casework read) and the PDF from its ``render`` — the same report the command line makes, without the
internal id the app never shows.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog

from desktop.errors import DiogelError, ValidationError
from desktop.i18n import N_, _
from desktop.services.conference_reports import ConferenceReportService, HeldConference
from ui.formatting import show_date
from ui.forms import Field, Form

KINDS = {
    "initial": N_("Initial child protection conference, {date}"),
    "review": N_("Child protection review conference, {date}"),
    "adult": N_("Adult protection conference, {date}"),
}
LANGUAGES = {"both": N_("Welsh and English"), "cy": N_("Welsh"), "en": N_("English")}
PARTS = {"both": ("cy", "en"), "cy": ("cy",), "en": ("en",)}
"""The language chosen → the report's parts (Welsh first when both)."""


def conference_label(conference: HeldConference) -> str:
    """"Initial child protection conference, 21 Aug 2026" in the interface language."""
    return _(KINDS.get(conference.kind, KINDS["initial"])).format(date=show_date(conference.held_on))


class ConferenceReportForm(Form):
    OBJECT_NAME = "conference_report_form"
    TITLE = N_("Conference report")
    DRAFTS = False
    FIELDS: ClassVar[list[Field]] = [
        Field("conference_id", "items", N_("Conference:")),
        Field("language", "choice", N_("Language:"), codes=LANGUAGES),
    ]

    saved_to: Path | None = None
    _held: list[HeldConference] | None = None

    @property
    def conferences(self) -> list[HeldConference]:
        """The case's conferences held (read once, when the list is first filled)."""
        if self._held is None:
            assert self.case_id is not None
            self._held = ConferenceReportService(self.session).held(self.case_id)
        return self._held

    def items(self, name: str) -> list[tuple[Any, str]]:
        # Shown in the language of the moment the form opens (a run-time list is not retranslated).
        return [(c.id, conference_label(c)) for c in self.conferences]

    def choose_path(self, suggested: str) -> str:
        """Where to save the PDF ("" when the person cancels); tests put their own path here."""
        path, _filter = QFileDialog.getSaveFileName(self, _("Save the conference report"), suggested,
                                                    _("PDF files (*.pdf)"))
        return path

    def values(self) -> dict[str, Any]:
        """The choices and where to save (asked here, in the GUI thread, before the PDF is made)."""
        values = super().values()
        conference = next((c for c in self.conferences if c.id == values.get("conference_id")), None)
        values["conference"] = conference
        values["path"] = (self.choose_path(f"conference-{conference.kind}-{conference.held_on}.pdf")
                          if conference is not None else "")
        return values

    def submit(self, values: dict[str, Any]) -> Any:
        conference = values["conference"]
        if conference is None:
            raise ValidationError(N_("Choose the conference."), field="conference_id")
        if not values["path"]:
            raise DiogelError(N_("The report was not saved: no file was chosen."))
        language = values.get("language") or "both"
        pdf = ConferenceReportService(self.session).render(conference.id, PARTS[language])
        target = Path(values["path"])
        partial = target.with_name(target.name + ".part")
        try:  # whole or not at all: a half-written PDF never carries the report's name
            partial.write_bytes(pdf)
            partial.replace(target)
        except OSError as exc:
            partial.unlink(missing_ok=True)
            raise DiogelError(N_("The report could not be saved there: {reason}"), reason=exc.strerror or "") from exc
        return {"id": conference.id, "path": target}

    def after_save(self, row: Any) -> None:
        self.saved_to = row["path"]
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(row["path"])))
