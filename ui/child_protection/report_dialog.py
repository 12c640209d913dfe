"""Recording a report about children (s.130) and its next-actions decision (C1: within 1 working day).

With no ``report_id`` the form records a new report (:meth:`ReportService.record`) and, when a next
action is chosen, the decision (:meth:`ReportService.decide`). With a ``report_id`` (the "My work"
action ``decide_report``) it shows that report and records only the decision. If the decision is
refused after the report was saved, the form turns into the decision form for that report, so nothing
typed is lost and saving again does not record the report twice.
"""

from __future__ import annotations

import json
from typing import Any

from desktop.i18n import N_, _
from desktop.services.child_protection import ReportService
from desktop.services.child_protection.codes import CATEGORY_LABELS
from desktop.services.drafts import DraftService
from ui.child_protection.cp_form import CpForm
from ui.forms import Field

SOURCES = {
    "relevant_partner": N_("A relevant partner"),
    "professional": N_("Another professional"),
    "public": N_("A member of the public"),
    "family": N_("A family member"),
    "anonymous": N_("Anonymous"),
    "self": N_("The child"),
}
DECISIONS = {
    "nfa": N_("No further action"),
    "early_help": N_("Early help"),
    "part3_assessment": N_("Part 3 assessment of care and support needs"),
    "strategy_discussion": N_("Strategy discussion"),
}
REPORT_FIELDS = ("child_ids", "received_at", "received_time", "source_type", "source_detail", "concerns",
                 "suspected_categories", "offence_suspected", "police_informed", "immediate_danger")


UNDECIDED = "undecided"
"""``report_id`` for the oldest report still waiting for its decision, whichever it is (looked up as the form
opens, on a worker)."""


def undecided_report(session: Any, case_id: str) -> str | None:
    """The oldest report of the case still waiting for its next-actions decision."""
    rows = [r for r in ReportService(session).for_case(case_id) if not r["decision"]]
    return rows[-1]["id"] if rows else None


class ReportDialog(CpForm):
    """``report_id`` (context): the report whose next actions are decided."""

    OBJECT_NAME = "cp_report_dialog"
    TITLE = N_("Record a report")
    FIELDS = [
        Field("child_ids", "checks", N_("Children the report is about:")),
        Field("received_at", "date", N_("Date received:")),
        Field("received_time", "time", N_("Time received (hh:mm):")),
        Field("source_type", "choice", N_("Who made the report:"), SOURCES),
        Field("source_detail", "text", N_("Their name and role:")),
        Field("concerns", "long", N_("Concerns reported:")),
        Field("suspected_categories", "checks", N_("Suspected abuse or neglect:"), CATEGORY_LABELS),
        Field("offence_suspected", "check", N_("A crime may have been committed")),
        Field("police_informed", "check", N_("The police have been told")),
        Field("immediate_danger", "check", N_("A child is in immediate danger")),
        Field("decision", "optional", N_("Next actions decided:"), DECISIONS),
        Field("decided_on", "date", N_("Date decided:")),
        Field("note", "long", N_("Reasons for the decision:")),
    ]
    TODAY = ("received_at", "decided_on")
    BLANKS = {"decision": N_("Not decided yet")}

    @property
    def report_id(self) -> str | None:
        found = self.context.get("report_id")
        return found if found and found != UNDECIDED else None

    def read(self) -> dict[str, Any] | None:
        """Worker thread: the report whose next actions are decided (``None`` for a new report). For
        :data:`UNDECIDED`, which report that is, settled here, before the form's draft (keyed by it) is read."""
        if self.context.get("report_id") == UNDECIDED:
            self.context["report_id"] = undecided_report(self.session, self.case)
        if not self.report_id:
            return None
        return next((r for r in ReportService(self.session).for_case(self.case) if r["id"] == self.report_id), None)

    def prepare(self) -> None:
        super().prepare()
        self.service = ReportService(self.session)
        if self.report_id and self.opening is not None:
            self._show_report(self.opening.more)

    def _show_report(self, report: dict[str, Any] | None) -> None:
        """The report as recorded, read-only: only its decision is left to record."""
        if report is not None:
            moment = str(report["received_at"] or "")
            self.set_value("received_at", report["received_on"])
            self.set_value("received_time", moment[11:16])
            for name in ("source_type", "source_detail", "concerns", "offence_suspected", "police_informed",
                         "immediate_danger"):
                self.set_value(name, report[name])
            for name in ("child_ids", "suspected_categories"):
                self.set_value(name, _json_list(report[name]))
        for name in REPORT_FIELDS:
            self.widgets[name].setEnabled(False)

    def after_answer(self) -> None:
        if self.report_id and self.widgets["concerns"].isEnabled():  # recorded by this save: read-only now
            self._show_report(None)
            self.retranslate()

    def retranslate_more(self) -> None:
        super().retranslate_more()
        if self.report_id:
            self.setWindowTitle(_("Record the next actions for a report"))

    def submit(self, values: dict[str, Any]) -> dict[str, Any]:
        if not self.report_id:
            moment = f"{values['received_at'] or ''}T{values['received_time'] or '00:00'}"
            row = self.service.record(
                self.case, concerns=values["concerns"] or "", received_at=moment,
                source_type=values["source_type"], child_ids=values["child_ids"] or None,
                source_detail=values["source_detail"], suspected_categories=values["suspected_categories"],
                offence_suspected=values["offence_suspected"], police_informed=values["police_informed"],
                immediate_danger=values["immediate_danger"])
            # The report is saved: what remains is its decision (a draft of its own from now on).
            DraftService(self.session).discard(self.OBJECT_NAME, self.draft_context())
            self.context["report_id"] = row["id"]  # after_answer shows it as recorded
            if values["decision"] is None:
                return row  # next actions still to decide
        return self.service.decide(self.report_id or "", values["decision"], decided_on=values["decided_on"],
                                   note=values["note"])


def _json_list(value: str | None) -> list[str]:
    return list(json.loads(value)) if value else []
