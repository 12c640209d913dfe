"""Recording a strategy discussion or meeting (WSP c3pt1-p8): who took part by agency (police and
social services at least), the decisions, whether section 47 enquiries start, and a departure from the
timescale with its reason and the senior manager who agreed it. One call to
:meth:`StrategyService.record` (the s47 enquiries are started in the same transaction).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QCheckBox, QPlainTextEdit, QWidget

from desktop.i18n import N_
from desktop.services.child_protection import ReportService, StrategyService
from ui.adults.forms import combo, date_edit, iso
from ui.child_protection.form_dialog import (
    StepDialog,
    agency_list,
    children_list,
    people_combo,
    practitioners,
)

KINDS = [(N_("Strategy discussion"), "discussion"), (N_("Strategy meeting"), "meeting")]


class StrategyDialog(StepDialog):
    DRAFT_FORM = "cp_strategy"
    TITLE = N_("Record a strategy discussion")

    def __init__(self, session: Any, case_id: str, parent: QWidget | None = None) -> None:
        super().__init__(session, case_id, parent)
        self.setObjectName("cp_strategy_dialog")

    def build(self) -> None:
        f = self.form
        self.child_ids = f.add("child_ids", N_("Children:"), children_list(self.session, self.case_id))
        self.kind = f.add("kind", N_("Kind:"), combo(KINDS))
        self.held_on = f.add("held_on", N_("Date held:"), date_edit(self.session.today().isoformat()))
        self.participants = f.add("participants", N_("Agencies taking part:"), agency_list(self.session))
        self.decisions = f.add("decisions", N_("Decisions:"), QPlainTextEdit())
        self.interim = f.add("interim_safeguards", N_("Immediate safeguards agreed:"), QPlainTextEdit())
        self.initiate_s47 = f.add("initiate_s47", N_("Start section 47 enquiries"), QCheckBox())
        self.departure_reason = f.add("departure_reason", N_("Reason for departing from the timescale:"),
                                      QPlainTextEdit())
        self.departure_agreed_by = f.add(
            "departure_agreed_by", N_("Departure agreed by (senior manager):"),
            people_combo(practitioners(self.session, "app_role = 'senior_manager'"), N_("Nobody")))
        for editor in (self.decisions, self.interim, self.departure_reason):
            editor.setMaximumHeight(70)

    def submit(self) -> dict[str, Any]:
        reports = ReportService(self.session).for_case(self.case_id)
        return StrategyService(self.session).record(
            self.case_id, kind=self.kind.currentData(), held_on=iso(self.held_on),
            participants=[{"agency_id": a} for a in self.participants.values()],
            decisions=self.decisions.toPlainText(), initiate_s47=self.initiate_s47.isChecked(),
            child_ids=self.child_ids.values() or None, report_id=reports[0]["id"] if reports else None,
            interim_safeguards=self.interim.toPlainText(), departure_reason=self.departure_reason.toPlainText(),
            departure_agreed_by=self.departure_agreed_by.currentData())
