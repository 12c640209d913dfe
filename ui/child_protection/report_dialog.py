"""Recording a report about children (s.130) and its next-actions decision (C1: within 1 working day).

With no ``report_id`` the form records a new report (:meth:`ReportService.record`) and, when a next
action is chosen, the decision (:meth:`ReportService.decide`). With a ``report_id`` (the "My work"
action ``decide_report``) only the decision is recorded. If the decision is refused after the report
was saved, the form turns into the decision form for that report, so nothing typed is lost.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QCheckBox, QLineEdit, QPlainTextEdit, QWidget

from desktop.i18n import N_, _
from desktop.services.child_protection import ReportService
from desktop.services.drafts import DraftService
from ui.adults.forms import combo, date_edit, iso
from ui.child_protection.form_dialog import StepDialog, categories_list, children_list

SOURCES = [
    (N_("A relevant partner"), "relevant_partner"),
    (N_("Another professional"), "professional"),
    (N_("A member of the public"), "public"),
    (N_("A family member"), "family"),
    (N_("Anonymous"), "anonymous"),
    (N_("The child"), "self"),
]
DECISIONS = [
    (N_("Not decided yet"), None),
    (N_("No further action"), "nfa"),
    (N_("Early help"), "early_help"),
    (N_("Part 3 assessment of care and support needs"), "part3_assessment"),
    (N_("Strategy discussion"), "strategy_discussion"),
]
REPORT_FIELDS = ("child_ids", "received_at", "received_time", "source_type", "source_detail", "concerns",
                 "suspected_categories", "offence_suspected", "police_informed", "immediate_danger")


def undecided_report(session: Any, case_id: str) -> str | None:
    """The oldest report of the case still waiting for its next-actions decision."""
    rows = [r for r in ReportService(session).for_case(case_id) if not r["decision"]]
    return rows[-1]["id"] if rows else None


class ReportDialog(StepDialog):
    DRAFT_FORM = "cp_report"
    TITLE = N_("Record a report")

    def __init__(self, session: Any, case_id: str, parent: QWidget | None = None,
                 report_id: str | None = None) -> None:
        self.service = ReportService(session)
        self.report_id = report_id
        if report_id:
            self.DRAFT_FORM = ""  # the new-report draft is not this form's
        super().__init__(session, case_id, parent)
        self.setObjectName("cp_report_dialog")
        if report_id:
            self._decision_only()

    def build(self) -> None:
        f, today = self.form, self.session.today().isoformat()
        self.child_ids = f.add("child_ids", N_("Children the report is about:"), children_list(self.session, self.case_id))
        self.received_at = f.add("received_at", N_("Date received:"), date_edit(today))
        self.received_time = f.add("received_time", N_("Time received (hh:mm):"), QLineEdit())
        self.source_type = f.add("source_type", N_("Who made the report:"), combo(SOURCES))
        self.source_detail = f.add("source_detail", N_("Their name and role:"), QLineEdit())
        self.concerns = f.add("concerns", N_("Concerns reported:"), QPlainTextEdit())
        self.suspected = f.add("suspected_categories", N_("Suspected abuse or neglect:"), categories_list())
        self.offence = f.add("offence_suspected", N_("A crime may have been committed"), QCheckBox())
        self.police = f.add("police_informed", N_("The police have been told"), QCheckBox())
        self.danger = f.add("immediate_danger", N_("A child is in immediate danger"), QCheckBox())
        self.decision = f.add("decision", N_("Next actions decided:"), combo(DECISIONS))
        self.decided_on = f.add("decided_on", N_("Date decided:"), date_edit(today))
        self.note = f.add("note", N_("Reasons for the decision:"), QPlainTextEdit())

    def retranslate_more(self) -> None:
        if self.report_id:
            self.setWindowTitle(_("Record the next actions for a report"))

    def _decision_only(self) -> None:
        for name in REPORT_FIELDS:
            self.form.rows[name][2].setEnabled(False)
        self.retranslate()

    def submit(self) -> dict[str, Any]:
        new = not self.report_id
        if new:
            moment = f"{iso(self.received_at) or ''}T{self.received_time.text().strip() or '00:00'}"
            row = self.service.record(
                self.case_id, concerns=self.concerns.toPlainText(), received_at=moment,
                source_type=self.source_type.currentData(), child_ids=self.child_ids.values() or None,
                source_detail=self.source_detail.text(), suspected_categories=self.suspected.values(),
                offence_suspected=self.offence.isChecked(), police_informed=self.police.isChecked(),
                immediate_danger=self.danger.isChecked())
            self.report_id = row["id"]
            DraftService(self.session).discard(self.DRAFT_FORM, self.case_id)
            self.DRAFT_FORM = ""  # the report is saved: what remains is its decision
            self._decision_only()
        else:
            row = {"id": self.report_id}
        decision = self.decision.currentData()
        if new and decision is None:
            return row  # a new report, next actions still to decide
        return self.service.decide(self.report_id, decision, decided_on=iso(self.decided_on),
                                   note=self.note.toPlainText())
