"""Change of care and support protection plan co-ordinator (N1): the new co-ordinator, who was told
verbally and when (before the written confirmation N1 goes to the core group agencies and the family),
the day the change takes effect and why. One call to :meth:`CoordinatorService.change`.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QPlainTextEdit, QWidget

from desktop.i18n import N_
from desktop.services.child_protection import CoordinatorService
from ui.adults.forms import date_edit, iso
from ui.child_protection.conference_dialog import coordinators
from ui.child_protection.form_dialog import StepDialog, children_list, lines, people_combo


class CoordinatorDialog(StepDialog):
    DRAFT_FORM = "cp_coordinator_change"
    TITLE = N_("Change of co-ordinator")
    ALIASES = {"coordinator_id": "new_coordinator_id"}

    def __init__(self, session: Any, case_id: str, parent: QWidget | None = None) -> None:
        super().__init__(session, case_id, parent)
        self.setObjectName("cp_coordinator_dialog")

    def build(self) -> None:
        f, today = self.form, self.session.today().isoformat()
        self.child_ids = f.add("child_ids", N_("Children:"), children_list(self.session, self.case_id))
        self.new = f.add("new_coordinator_id", N_("New co-ordinator:"),
                         people_combo(coordinators(self.session), N_("Choose…")))
        self.verbal_to = f.add("verbal_to", N_("Told verbally (one person a line):"), QPlainTextEdit())
        self.verbal_on = f.add("verbal_on", N_("Date they were told:"), date_edit(today))
        self.effective_on = f.add("effective_on", N_("Date the change takes effect:"), date_edit(today))
        self.reason = f.add("reason", N_("Reason for the change:"), QPlainTextEdit())
        for editor in (self.verbal_to, self.reason):
            editor.setMaximumHeight(70)

    def submit(self) -> dict[str, Any]:
        out = CoordinatorService(self.session).change(
            self.case_id, new_coordinator_id=self.new.currentData(),
            verbal_to=[{"name": n} for n in lines(self.verbal_to.toPlainText())],
            verbal_on=iso(self.verbal_on), child_ids=self.child_ids.values() or None,
            effective_on=iso(self.effective_on), reason=self.reason.toPlainText())
        return out["changes"][0] if out["changes"] else {}
