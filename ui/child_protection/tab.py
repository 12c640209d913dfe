"""The "Child protection" case tab: each child's register status, open transfers and the visits, with
the forms of the journey on one :class:`~ui.action_bar.ActionBar` — "Record visit…" (the most frequent)
as its own button, the rest grouped by what the worker is doing: Record (report, strategy discussion,
section 47 enquiry), Plan (the plan, the co-ordinator), Meetings (convene, initial and review
conferences, core group), Tell people (the conference record sent, the information pack to a receiving
authority), Manage (transfers). An action that
does not apply to the case yet is disabled: a review conference, a core group, the plan and a change of
co-ordinator once a child is on the register; an initial conference while a child is not; a section 47
enquiry once one has started; the conference record once a conference is held; transfer progress while
a transfer is open; the information pack while a transfer out is.

The lists are read on a worker through the services (:meth:`RegisterService.for_case`,
:meth:`VisitService.for_case`…, :class:`ui.loading.Loads`), again when the case changes; a language switch
redraws what was read.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLabel, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from desktop.i18n import N_, _
from desktop.services.child_protection import ConferenceService, EnquiryService, RegisterService, VisitService
from desktop.services.child_protection.codes import CATEGORY_LABELS
from desktop.services.child_protection.register import ChildOnRegister
from desktop.services.child_protection.transfers import TransferService
from desktop.services.permissions import Can
from ui.action_bar import Action, ActionBar, Group
from ui.child_protection.circulation_dialog import CirculationDialog
from ui.child_protection.conference_dialog import InitialConferenceDialog, ReviewConferenceDialog
from ui.child_protection.convene_dialog import ConveneDialog
from ui.child_protection.coordinator_dialog import CoordinatorDialog
from ui.child_protection.core_group_dialog import CoreGroupDialog
from ui.child_protection.core_members_dialog import CoreMemberJoinsDialog, CoreMemberLeavesDialog
from ui.child_protection.enquiry_dialog import EnquiryDialog
from ui.child_protection.plan_dialog import PlanDialog
from ui.child_protection.report_dialog import UNDECIDED, ReportDialog
from ui.child_protection.strategy_dialog import StrategyDialog
from ui.child_protection.transfer_dialogs import (
    ACTION_STEPS,
    InformationPackDialog,
    StartTransferDialog,
    TransferStepDialog,
    describe,
)
from ui.child_protection.visit_dialog import LOCATIONS, VisitCorrectionDialog, VisitDialog
from ui.conference_report_form import ConferenceReportForm
from ui.formatting import show_date
from ui.loading import Loads
from ui.tasks import store_watcher
from ui.widgets import Retranslating, fit_columns

CHILD_HEADERS = [N_("Child"), N_("Register"), N_("Categories"), N_("Co-ordinator")]
VISIT_HEADERS = [N_("Date"), N_("Where"), N_("Children seen"), N_("Seen alone"), N_("Seen at home"),
                 N_("Bedroom seen")]
STATUS = {"active": N_("On the register"), "temporary": N_("Temporary entry"),
          "deregistered": N_("De-registered")}


@dataclass(frozen=True, slots=True)
class CaseProtection:
    """What the tab shows of a case (read on a worker)."""

    register: list[ChildOnRegister]
    transfers: list[Any]
    enquiries: int
    conferences_held: int
    visits: list[dict[str, Any]]


class ChildProtectionTab(Loads[CaseProtection | None], Retranslating, QWidget):
    def __init__(self, session: Any, case_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("cp_tab")
        self.session, self.case_id = session, case_id
        self.register: list[ChildOnRegister] = []
        self.enquiries = self.conferences_held = self.open_transfers = self.open_transfers_out = 0
        self.children_list = QTreeWidget()
        self.children_list.setObjectName("cp_children")
        self.visits = QTreeWidget()
        self.visits.setObjectName("cp_visits")
        for tree in (self.children_list, self.visits):
            tree.setRootIsDecorated(False)
        self.visits_label = QLabel()
        self.transfers_label = QLabel()
        self.transfers_label.setObjectName("cp_transfers")
        self.transfers_label.setWordWrap(True)
        self.transfers_label.hide()
        self.bar = ActionBar(session, self.journey_actions(), self)
        self.visits.itemSelectionChanged.connect(self.bar.refresh)  # "Correct the chosen visit…" follows the choice
        layout = QVBoxLayout(self)
        layout.addWidget(self.bar)
        layout.addWidget(self.children_list, 1)
        layout.addWidget(self.transfers_label)
        layout.addWidget(self.visits_label)
        layout.addWidget(self.visits, 2)
        self.dialog: QDialog | None = None
        store_watcher(session).changed.connect(self._store_changed)
        self.retranslate()
        self.start_loading(self)

    def journey_actions(self) -> list[Action]:
        """The forms of the journey, grouped; ``applies`` from what :meth:`refresh` last read."""
        registered = self._any_registered
        return [
            Action("record_visit", N_("Record visit…"), Group.RECORD, self.record_visit, primary=True),
            Action("record_report", N_("Report…"), Group.RECORD, self.record_report),
            Action("record_strategy", N_("Strategy discussion…"), Group.RECORD, self.record_strategy),
            Action("correct_visit", N_("Correct the chosen visit…"), Group.RECORD, self.correct_visit,
                   applies=lambda: self.chosen_visit() is not None),
            Action("record_enquiry", N_("Section 47…"), Group.RECORD, self.record_enquiry,
                   applies=lambda: self.enquiries > 0),
            Action("edit_plan", N_("Plan…"), Group.PLAN, self.edit_plan, applies=registered),
            Action("change_coordinator", N_("Change co-ordinator…"), Group.PLAN, self.change_coordinator,
                   applies=registered),
            Action("convene_conference", N_("Convene conference…"), Group.MEET, self.convene_conference),
            Action("hold_initial_conference", N_("Initial conference…"), Group.MEET, self.hold_initial_conference,
                   applies=lambda: not self.register or any(not c.on_register for c in self.register)),
            Action("hold_review_conference", N_("Review conference…"), Group.MEET, self.hold_review_conference,
                   applies=registered),
            Action("hold_core_group", N_("Core group…"), Group.MEET, self.hold_core_group, applies=registered),
            Action("core_member_joins", N_("Someone joins the core group…"), Group.MEET, self.core_member_joins,
                   applies=registered),
            Action("core_member_leaves", N_("A member leaves the core group…"), Group.MEET, self.core_member_leaves,
                   applies=registered),
            Action("record_circulation", N_("Conference record sent…"), Group.NOTIFY, self.record_circulation,
                   applies=lambda: self.conferences_held > 0),
            Action("conference_report", N_("Make the conference report…"), Group.NOTIFY, self.conference_report,
                   needs=Can.VIEW_CASEWORK, applies=lambda: self.conferences_held > 0),
            Action("record_transfer", N_("Transfer…"), Group.MANAGE, self.record_transfer),
            Action("transfer_step", N_("Transfer progress…"), Group.MANAGE, self.transfer_step,
                   applies=lambda: self.open_transfers > 0),
            Action("information_pack", N_("Prepare the information pack…"), Group.NOTIFY, self.information_pack,
                   needs=Can.RECORD_CASEWORK, applies=lambda: self.open_transfers_out > 0),
        ]

    def _any_registered(self) -> bool:
        return any(c.on_register for c in self.register)

    def retranslate(self) -> None:
        self.children_list.setHeaderLabels([_(h) for h in CHILD_HEADERS])
        fit_columns(self.children_list)
        self.children_list.setAccessibleName(_("Children and the register"))
        self.visits.setHeaderLabels([_(h) for h in VISIT_HEADERS])
        fit_columns(self.visits)
        self.visits.setAccessibleName(_("Visits"))
        self.visits_label.setText(_("Visits"))
        self.redraw()

    def _store_changed(self, tables: set[str], case_ids: set[str]) -> None:
        if self.case_id in case_ids:
            self.refresh()

    def read(self) -> CaseProtection | None:
        """Worker thread: the register, open transfers, enquiries, conferences and visits of the case."""
        if not self.session.can(Can.VIEW_CASEWORK):
            return None
        session, case_id = self.session, self.case_id
        return CaseProtection(
            register=RegisterService(session).for_case(case_id),
            transfers=TransferService(session).open_for_case(case_id),
            enquiries=len(EnquiryService(session).for_case(case_id)),
            conferences_held=sum(1 for c in ConferenceService(session).for_case(case_id) if c["status"] == "held"),
            visits=VisitService(session).for_case(case_id),
        )

    def draw(self, data: CaseProtection | None) -> None:
        for tree in (self.children_list, self.visits):
            tree.clear()
        if data is None:
            return
        self.register = data.register
        names = {c.person_id: c.name for c in self.register}
        for c in self.register:
            cats = ", ".join(_(CATEGORY_LABELS[x]) for x in c.categories if x in CATEGORY_LABELS)
            status = _(STATUS[c.status]) if c.status else _("Not on the register")
            coordinator = c.coordinator_name or (_("None named") if c.status == "active" else "")
            self.children_list.addTopLevelItem(QTreeWidgetItem([c.name, status, cats, coordinator]))
        self.open_transfers = len(data.transfers)
        self.open_transfers_out = sum(1 for t in data.transfers if t["direction"] == "out")
        self.transfers_label.setText("\n".join(describe(t) for t in data.transfers))
        self.transfers_label.setVisible(bool(data.transfers))
        self.enquiries = data.enquiries
        self.conferences_held = data.conferences_held
        for v in data.visits:
            kids = v["children"]

            def who(flag: str, kids: list[dict[str, Any]] = kids) -> str:
                return ", ".join(names.get(k["person_id"], "") for k in kids if k[flag])

            where = LOCATIONS.get(v["location"])
            item = QTreeWidgetItem([show_date(v["visited_on"]), _(where) if where else "", who("seen"),
                                    who("seen_alone"), who("seen_at_home"), who("bedroom_seen")])
            item.setData(0, Qt.ItemDataRole.UserRole, v["id"])
            self.visits.addTopLevelItem(item)
        self.bar.refresh()

    # -- the forms ----------------------------------------------------------------------------
    def _open(self, dialog: Any) -> Any:
        dialog.saved.connect(lambda _id: self.refresh())
        self.dialog = dialog
        dialog.show()
        return dialog

    def record_visit(self) -> VisitDialog:
        return self._open(VisitDialog(self.session, self.case_id, self))

    def chosen_visit(self) -> str | None:
        """The id of the visit chosen in the list (``None``: none is)."""
        item = self.visits.currentItem()
        return item.data(0, Qt.ItemDataRole.UserRole) if item is not None and item.isSelected() else None

    def correct_visit(self) -> VisitCorrectionDialog | None:
        visit_id = self.chosen_visit()
        if visit_id is None:
            return None
        return self._open(VisitCorrectionDialog(self.session, self.case_id, self, visit_id=visit_id))

    def record_report(self, report_id: str | bool | None = None) -> ReportDialog:
        """A new report, or (``report_id``, or ``True`` for the oldest undecided one) its next actions."""
        if report_id is True:
            report_id = UNDECIDED  # which one is looked up as the form opens, on a worker
        return self._open(ReportDialog(self.session, self.case_id, self, report_id=report_id or None))

    def record_strategy(self) -> StrategyDialog:
        return self._open(StrategyDialog(self.session, self.case_id, self))

    def record_enquiry(self) -> EnquiryDialog:
        return self._open(EnquiryDialog(self.session, self.case_id, self))

    def convene_conference(self) -> ConveneDialog:
        return self._open(ConveneDialog(self.session, self.case_id, self))

    def hold_initial_conference(self) -> InitialConferenceDialog:
        return self._open(InitialConferenceDialog(self.session, self.case_id, self))

    def hold_review_conference(self) -> ReviewConferenceDialog:
        return self._open(ReviewConferenceDialog(self.session, self.case_id, self))

    def conference_report(self) -> ConferenceReportForm:
        return self._open(ConferenceReportForm(self.session, self.case_id, self))

    def record_circulation(self) -> CirculationDialog:
        return self._open(CirculationDialog(self.session, self.case_id, self))

    def edit_plan(self) -> PlanDialog:
        return self._open(PlanDialog(self.session, self.case_id, self))

    def hold_core_group(self) -> CoreGroupDialog:
        return self._open(CoreGroupDialog(self.session, self.case_id, self))

    def core_member_joins(self) -> CoreMemberJoinsDialog:
        return self._open(CoreMemberJoinsDialog(self.session, self.case_id, self))

    def core_member_leaves(self) -> CoreMemberLeavesDialog:
        return self._open(CoreMemberLeavesDialog(self.session, self.case_id, self))

    def change_coordinator(self) -> CoordinatorDialog:
        return self._open(CoordinatorDialog(self.session, self.case_id, self))

    def record_transfer(self) -> StartTransferDialog:
        return self._open(StartTransferDialog(self.session, self.case_id, "", self))

    def transfer_step(self, step: str | None = None) -> TransferStepDialog:
        return self._open(TransferStepDialog(self.session, self.case_id, "", self, step=step or ""))

    def information_pack(self) -> InformationPackDialog:
        return self._open(InformationPackDialog(self.session, self.case_id, "", self))

    def open_action(self, action: str, person_id: str | None = None) -> QDialog | None:
        """The form for a "My work" action key, if there is one (the forms ask which child)."""
        if action in ACTION_STEPS:
            return self.transfer_step(ACTION_STEPS[action])
        openers = {"record_visit": self.record_visit, "decide_report": lambda: self.record_report(True),
                   "send_transfer_information": self.information_pack,
                   "hold_initial_conference": self.hold_initial_conference,
                   "hold_core_group": self.hold_core_group,
                   "hold_review_conference": self.hold_review_conference,
                   "circulate_outline_plan": self.record_circulation,
                   "circulate_conference_record": self.record_circulation,
                   "record_record_comments": self.record_circulation}
        opener = openers.get(action)
        return opener() if opener else None
