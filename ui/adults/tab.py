"""The "Adult safeguarding" case tab: where the case is (report, enquiries, who leads, plan, closure),
strategy meetings and visits, and the case's actions on an :class:`~ui.action_bar.ActionBar`: "Record
visit…" first (what a worker does most), the rest grouped by what the worker is doing — Record, Plan,
Meetings, Manage. A step that does not apply now (no report waiting to be screened, no plan to review,
no conference waiting, the case closed) is shown disabled in its place. The forms are in
:mod:`ui.adults.step_dialogs`, the strategy meeting and visit forms in their own modules.

Thread contract: GUI thread; the tab reads through the adults services (where the case is:
:class:`~desktop.services.adults.ProgressService`, one audited read) and names people through
:class:`~desktop.services.directory.DirectoryService`.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from functools import partial
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from desktop.domain.types import CaseType
from desktop.i18n import N_, _
from desktop.services.adults import AdultProgress, ProgressService, StrategyService, VisitService
from desktop.services.directory import DirectoryService
from desktop.services.permissions import Can
from ui.action_bar import Action, ActionBar, Group
from ui.adults import apso_dialogs as apso
from ui.adults import step_dialogs as steps
from ui.adults.strategy_dialog import StrategyMeetingDialog
from ui.adults.visit_dialog import VisitCorrectionDialog, VisitDialog
from ui.conference_report_form import ConferenceReportForm
from ui.formatting import show_date
from ui.forms import Form
from ui.loading import Loads
from ui.widgets import Retranslating, fit_columns

STRATEGY_HEADERS = [N_("Held on"), N_("Kind"), N_("Lead practitioner"), N_("Decisions")]
VISIT_HEADERS = [N_("Date"), N_("Seen"), N_("Offered the chance to be seen alone"), N_("Seen alone")]

FORMS: dict[str, type[Form]] = {
    "record_visit": VisitDialog,
    "correct_visit": VisitCorrectionDialog,
    "record_report": steps.ReportDialog,
    "record_screening": steps.ScreeningDialog,
    "conclude_enquiry": steps.EnquiryDialog,
    "record_capacity": steps.CapacityDialog,
    "correct_capacity": steps.CapacityCorrectionDialog,
    "record_best_interests": steps.BestInterestsDialog,
    "record_wishes": steps.WishesDialog,
    "record_partnership": steps.PartnershipDialog,
    "offer_advocate": steps.AdvocacyDialog,
    "advocate_answer": steps.AdvocacyAnswerDialog,
    "apso_apply": apso.ApsoApplicationDialog,
    "apso_decision": apso.ApsoDecisionDialog,
    "apso_entry": apso.ApsoEntryDialog,
    "apso_end": apso.ApsoEndDialog,
    "start_plan": steps.PlanStartDialog,
    "plan_outcome": steps.PlanOutcomeDialog,
    "plan_action": steps.PlanActionDialog,
    "review_plan": steps.PlanReviewDialog,
    "plan_letter": steps.PlanLetterDialog,
    "record_strategy": StrategyMeetingDialog,
    "convene_conference": steps.ConveneConferenceDialog,
    "conference_report": steps.ConferenceReportDialog,
    "hold_conference": steps.HoldConferenceDialog,
    "conference_pdf": ConferenceReportForm,
    "appoint_coordinator": steps.AppointDialog,
    "delegate_coordinator": steps.DelegateDialog,
    "end_delegation": steps.EndDelegationDialog,
    "change_lead_practitioner": steps.LeadPractitionerDialog,
    "close_case": steps.ClosureDialog,
}
"""Action name → its form."""

ACTIONS: list[tuple[str, str, Group]] = [
    ("record_visit", N_("Record visit…"), Group.RECORD),
    ("correct_visit", N_("Correct the chosen visit…"), Group.RECORD),
    ("record_report", N_("Record the report…"), Group.RECORD),
    ("record_screening", N_("Screening decision…"), Group.RECORD),
    ("conclude_enquiry", N_("Conclude the enquiries…"), Group.RECORD),
    ("record_wishes", N_("Wishes and feelings…"), Group.RECORD),
    ("record_capacity", N_("Capacity assessment…"), Group.RECORD),
    ("correct_capacity", N_("Correct a capacity assessment…"), Group.RECORD),
    ("record_best_interests", N_("Best-interests decision…"), Group.RECORD),
    ("record_partnership", N_("Partnership with the adult…"), Group.RECORD),
    ("offer_advocate", N_("Offer an advocate…"), Group.RECORD),
    ("advocate_answer", N_("Answer to the advocate offer…"), Group.RECORD),
    ("apso_apply", N_("Apply for an adult protection and support order…"), Group.RECORD),
    ("apso_decision", N_("Court's decision on the order…"), Group.RECORD),
    ("apso_entry", N_("Entry under the order…"), Group.RECORD),
    ("apso_end", N_("End of the order…"), Group.RECORD),
    ("start_plan", N_("Start the plan…"), Group.PLAN),
    ("plan_outcome", N_("Plan outcome…"), Group.PLAN),
    ("plan_action", N_("Plan action…"), Group.PLAN),
    ("review_plan", N_("Review the plan…"), Group.PLAN),
    ("plan_letter", N_("Send the plan to the adult…"), Group.PLAN),
    ("record_strategy", N_("Record strategy meeting…"), Group.MEET),
    ("convene_conference", N_("Convene conference…"), Group.MEET),
    ("conference_report", N_("Conference report received…"), Group.MEET),
    ("hold_conference", N_("Record the conference…"), Group.MEET),
    ("conference_pdf", N_("Make the conference report…"), Group.NOTIFY),
    ("appoint_coordinator", N_("Appoint lead co-ordinator…"), Group.MANAGE),
    ("delegate_coordinator", N_("Delegate lead co-ordinator…"), Group.MANAGE),
    ("end_delegation", N_("End the delegation…"), Group.MANAGE),
    ("change_lead_practitioner", N_("Change lead practitioner…"), Group.MANAGE),
    ("close_case", N_("Close the case…"), Group.MANAGE),
]
"""(action name, label msgid, group) in the order each group lists them; the first is the primary."""

ACTION_FORMS = {"conclude_adult_enquiry": "conclude_enquiry", "review_adult_plan": "review_plan",
                "record_conference_reports": "conference_report", "record_adult_strategy": "record_strategy",
                "record_adult_visit": "record_visit", "end_adult_apso": "apso_end"}
"""A "My work" action key → the action whose form satisfies it."""


def _yes(value: Any) -> str:
    return _("Yes") if value else _("No")


def _applies(p: AdultProgress) -> dict[str, bool]:
    """Which steps apply to the case as it is now (those not named always apply while it is open)."""
    return {
        "record_screening": p.unscreened,
        "conclude_enquiry": p.enquiries_open,
        "advocate_answer": p.advocacy_awaiting > 0,
        "apso_decision": p.apso_awaiting > 0,
        "apso_entry": p.apso_in_force > 0,
        "apso_end": p.apso_in_force > 0,
        "correct_capacity": p.capacity_assessments > 0,
        "start_plan": p.plan_started_on is None,
        "plan_outcome": p.plan_started_on is not None,
        "plan_action": p.plan_started_on is not None,
        "review_plan": p.plan_started_on is not None,
        "plan_letter": p.plan_started_on is not None,
        "convene_conference": not p.conference_waiting,
        "conference_report": p.conference_waiting,
        "hold_conference": p.conference_waiting,
        "conference_pdf": p.conferences_held > 0,
        "delegate_coordinator": p.lead_coordinator is not None and p.delegated_lead_coordinator is None,
        "end_delegation": p.delegated_lead_coordinator is not None,
        "change_lead_practitioner": p.lead_practitioner is not None,
    }


@dataclass(frozen=True, slots=True)
class AdultRead:
    """Where the case is, its strategy meetings (with their leads' names) and visits (read on a worker)."""

    progress: AdultProgress | None
    meetings: list[dict[str, Any]]
    names: dict[str, str]
    visit_rows: list[dict[str, Any]]


class AdultTab(Loads[AdultRead], Retranslating, QWidget):
    """Where an adult-at-risk case is, its strategy meetings and visits, and its actions (a short note on
    any other case)."""

    def __init__(self, session: Any, case_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("adult_tab")
        self.session, self.case_id = session, case_id
        view = getattr(parent, "case_view", None)
        self.applies = bool(view is None or view.case["case_type"] == CaseType.ADULT_AT_RISK)
        self.progress: AdultProgress | None = None
        self.note = QLabel()
        self.note.setWordWrap(True)
        if self.applies:
            self.note.hide()
        self.status = QLabel()
        self.status.setObjectName("adult_status")
        self.status.setWordWrap(True)
        self.journey = QLabel()
        self.journey.setObjectName("adult_journey")
        self.journey.setWordWrap(True)
        self.journey.setTextInteractionFlags(self.journey.textInteractionFlags()
                                             | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.strategies = QTreeWidget()
        self.strategies.setObjectName("adult_strategies")
        self.strategies.setRootIsDecorated(False)
        self.visits = QTreeWidget()
        self.visits.setObjectName("adult_visits")
        self.visits.setRootIsDecorated(False)
        self.bar = ActionBar(session, [self._action(i, *a) for i, a in enumerate(ACTIONS)] if self.applies else [])
        self.visits.itemSelectionChanged.connect(self.bar.refresh)  # "Correct the chosen visit…" follows the choice
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(self.bar)
        layout.addWidget(self.status)
        layout.addWidget(self.journey)
        layout.addWidget(self.strategies, 1)
        layout.addWidget(self.visits, 2)
        self._dialog: weakref.ref[Form] | None = None
        self._message = ""
        self.meetings: list[dict[str, Any]] = []
        self.visit_rows: list[dict[str, Any]] = []
        self.names: dict[str, str] = {}
        self.retranslate()
        self.start_loading(self)

    def _action(self, index: int, name: str, label: str, group: Group) -> Action:
        def applies() -> bool:
            p = self.progress
            if name == "correct_visit" and self.chosen_visit() is None:
                return False
            return p is not None and p.closed_on is None and _applies(p).get(name, True)

        return Action(name, label, group, partial(self.open_form, name), primary=index == 0, applies=applies)

    def retranslate(self) -> None:
        self.note.setText("" if self.applies else _("This case is not about an adult at risk."))
        self.strategies.setHeaderLabels([_(h) for h in STRATEGY_HEADERS])
        fit_columns(self.strategies)
        self.strategies.setAccessibleName(_("Strategy meetings"))
        self.visits.setHeaderLabels([_(h) for h in VISIT_HEADERS])
        fit_columns(self.visits)
        self.visits.setAccessibleName(_("Visits"))
        self.journey.setAccessibleName(_("Where the case is"))
        self.status.setText(_(self._message) if self._message else "")
        self.status.setVisible(bool(self._message))
        self._show()

    def read(self) -> AdultRead:
        """Worker thread: where the case is, its meetings and visits (which decide the actions that apply)."""
        if not (self.applies and self.session.can(Can.VIEW_CASEWORK)):
            return AdultRead(None, [], {}, [])
        meetings = StrategyService(self.session).for_case(self.case_id)
        return AdultRead(
            progress=ProgressService(self.session).progress(self.case_id),
            meetings=meetings,
            names=DirectoryService(self.session).practitioner_names(
                [s["lead_practitioner_id"] for s in meetings if s["lead_practitioner_id"]]),
            visit_rows=VisitService(self.session).for_case(self.case_id),
        )

    def draw(self, data: AdultRead) -> None:
        self.progress, self.meetings, self.names, self.visit_rows = (data.progress, data.meetings, data.names,
                                                                     data.visit_rows)
        self._show()
        self.bar.refresh()

    def _show(self) -> None:
        """Show what was read, in the interface language (a language switch reads nothing again)."""
        self.strategies.clear()
        self.visits.clear()
        self.journey.setText("\n".join(self._journey_lines(self.progress)) if self.progress else "")
        for s in self.meetings:
            kind = _("Strategy meeting") if s["kind"] == "meeting" else _("Strategy discussion")
            lead = self.names.get(s["lead_practitioner_id"], _("None identified"))
            self.strategies.addTopLevelItem(QTreeWidgetItem([show_date(s["held_on"]), kind, lead, s["decisions"]]))
        for v in self.visit_rows:
            item = QTreeWidgetItem([show_date(v["visited_on"]), _yes(v["seen"]), _yes(v["offered_alone"]),
                                    _yes(v["seen_alone"])])
            item.setData(0, Qt.ItemDataRole.UserRole, v["id"])
            self.visits.addTopLevelItem(item)

    @staticmethod
    def _journey_lines(p: AdultProgress) -> list[str]:
        """Where the case is: report and screening, enquiries, who leads, the plan, closure (one line each)."""
        lines: list[str] = []
        if not p.reports:
            lines.append(_("No report recorded yet."))
        for r in p.reports:
            day = show_date(r.received_at[:10])
            if r.screening_decision:
                decision = steps.SCREENING.get(r.screening_decision)
                lines.append(_("Report received on {date}: screened ({decision}).").format(
                    date=day, decision=_(decision) if decision else r.screening_decision))
            else:
                lines.append(_("Report received on {date}: not yet screened.").format(date=day))
        for e in p.enquiries:
            if e.concluded_on:
                determination = steps.DETERMINATIONS.get(e.determination or "")
                lines.append(_("Enquiries concluded on {date}: determination {determination}.").format(
                    date=show_date(e.concluded_on),
                    determination=_(determination) if determination else e.determination or ""))
            else:
                lines.append(_("Enquiries open since {date}.").format(date=show_date(e.started_on)))
        if p.delegated_lead_coordinator:
            lines.append(_("Delegated lead co-ordinator: {name} (the local authority keeps statutory"
                           " responsibility).").format(name=p.delegated_lead_coordinator))
        if p.lead_coordinator:
            lines.append(_("Lead co-ordinator: {name}.").format(name=p.lead_coordinator))
        else:
            lines.append(_("No lead co-ordinator appointed yet."))
        if p.lead_practitioner:
            lines.append(_("Lead practitioner: {name}.").format(name=p.lead_practitioner))
        if p.plan_started_on:
            lines.append(_("Care and support protection plan since {date}.").format(date=show_date(p.plan_started_on)))
        if p.apso_awaiting:
            lines.append(_("An application for an adult protection and support order is waiting for the court."))
        if p.apso_until:
            # L10N: {date} is the order's last day in force; the order lets the officer in, it removes nobody.
            lines.append(_("Adult protection and support order in force until {date} (no power of removal).").format(
                date=show_date(p.apso_until)))
        if p.closed_on:
            lines.append(_("Case closed on {date}.").format(date=show_date(p.closed_on)))
        return lines

    @property
    def dialog(self) -> Form | None:
        """The form opened last (held weakly: the tab owns it as a Qt child, no reference cycle)."""
        return self._dialog() if self._dialog is not None else None

    def open_action(self, action: str, person_id: str | None = None) -> Form | None:
        """The form for a "My work" action key (the adult is the case's subject); ``None`` if none."""
        name = ACTION_FORMS.get(action)
        return self.open_form(name) if name and self.applies else None

    def chosen_visit(self) -> str | None:
        """The id of the visit chosen in the list (``None``: none is)."""
        item = self.visits.currentItem()
        return item.data(0, Qt.ItemDataRole.UserRole) if item is not None and item.isSelected() else None

    def open_form(self, name: str) -> Form:
        """Open the form of action ``name`` (a key of :data:`FORMS`; a correction is of the chosen visit)."""
        context = {"visit_id": self.chosen_visit()} if name == "correct_visit" else {}
        dialog = FORMS[name](self.session, self.case_id, parent=self, **context)
        dialog.saved.connect(self._saved)
        self._dialog = weakref.ref(dialog)
        dialog.open()
        return dialog

    def _saved(self, _row_id: str) -> None:
        """Say what followed from the save (the case closed, the senior manager told) and show where the
        case is now."""
        dialog = self.dialog
        self._message = ""
        if isinstance(dialog, steps.ClosureDialog):
            self._message = N_("The case is closed and the agencies and the adult will be written to.")
        elif isinstance(dialog, StrategyMeetingDialog):
            if dialog.written.get("escalation"):
                self._message = N_("No lead practitioner was identified: the senior manager has been told.")
        elif not isinstance(dialog, VisitDialog):
            self._message = N_("Saved.")
        self.refresh()
        self.retranslate()
