"""The "Child protection" case tab: each child's register status and what is due, the visits, and the
buttons that open the step forms (report, strategy, section 47, conferences, core group, co-ordinator,
visit). GUI thread; each list is one short read through the services.
"""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QGridLayout,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.i18n import N_, _
from desktop.services.child_protection import VisitService
from desktop.services.child_protection._common import CATEGORY_LABELS
from desktop.services.child_protection.transfers import TransferService
from desktop.services.permissions import Can
from ui.child_protection.circulation_dialog import CirculationDialog
from ui.child_protection.conference_dialog import InitialConferenceDialog, ReviewConferenceDialog
from ui.child_protection.convene_dialog import ConveneDialog
from ui.child_protection.coordinator_dialog import CoordinatorDialog
from ui.child_protection.core_group_dialog import CoreGroupDialog
from ui.child_protection.enquiry_dialog import EnquiryDialog
from ui.child_protection.plan_dialog import PlanDialog
from ui.child_protection.report_dialog import ReportDialog, undecided_report
from ui.child_protection.strategy_dialog import StrategyDialog
from ui.child_protection.transfer_dialogs import (
    ACTION_STEPS,
    StartTransferDialog,
    TransferStepDialog,
    describe,
)
from ui.child_protection.visit_dialog import LOCATIONS, VisitDialog
from ui.formatting import show_date
from ui.tasks import store_watcher
from ui.widgets import Retranslating, fit_columns

CHILD_HEADERS = [N_("Child"), N_("Register"), N_("Categories"), N_("Co-ordinator")]
VISIT_HEADERS = [N_("Date"), N_("Where"), N_("Children seen"), N_("Seen alone"), N_("Seen at home"),
                 N_("Bedroom seen")]
_WHERE = {code: msgid for msgid, code in LOCATIONS}
STATUS = {"active": N_("On the register"), "temporary": N_("Temporary entry"),
          "deregistered": N_("De-registered")}


class ChildProtectionTab(Retranslating, QWidget):
    def __init__(self, session: Any, case_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("cp_tab")
        self.session, self.case_id = session, case_id
        self.children_list = QTreeWidget()
        self.children_list.setObjectName("cp_children")
        self.visits = QTreeWidget()
        self.visits.setObjectName("cp_visits")
        for tree in (self.children_list, self.visits):
            tree.setRootIsDecorated(False)
        self.visit_button = QPushButton()
        self.visit_button.setObjectName("record_visit")
        self.visit_button.setEnabled(session.can(Can.RECORD_CASEWORK))
        self.visit_button.clicked.connect(self.record_visit)
        self.visits_label = QLabel()
        self.transfers_label = QLabel()
        self.transfers_label.setObjectName("cp_transfers")
        self.transfers_label.setWordWrap(True)
        # The step forms, in the order of the journey: (object name, label msgid, opener).
        self.step_buttons: dict[str, QPushButton] = {}
        # Two rows of buttons, in the order of the journey (the tab stays narrow enough for a laptop).
        steps = QGridLayout()
        per_row = 6
        for i, (name, _msgid, opener) in enumerate(self.steps()):
            button = QPushButton()
            button.setObjectName(name)
            button.setEnabled(session.can(Can.RECORD_CASEWORK))
            button.clicked.connect(lambda _checked=False, opener=opener: opener())
            steps.addWidget(button, i // per_row, i % per_row)
            self.step_buttons[name] = button
        n = len(self.steps())
        steps.addWidget(self.visit_button, n // per_row, n % per_row)
        steps.setColumnStretch(per_row, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.children_list, 1)
        layout.addWidget(self.transfers_label)
        layout.addWidget(self.visits_label)
        layout.addWidget(self.visits, 2)
        layout.addLayout(steps)
        self.dialog: QDialog | None = None
        store_watcher(session).changed.connect(self._store_changed)
        self.retranslate()

    def retranslate(self) -> None:
        self.children_list.setHeaderLabels([_(h) for h in CHILD_HEADERS])
        fit_columns(self.children_list)
        self.children_list.setAccessibleName(_("Children and the register"))
        self.visits.setHeaderLabels([_(h) for h in VISIT_HEADERS])
        fit_columns(self.visits)
        self.visits.setAccessibleName(_("Visits"))
        self.visits_label.setText(_("Visits"))
        self.visit_button.setText(_("Record visit…"))
        for name, msgid, _opener in self.steps():
            self.step_buttons[name].setText(_(msgid))
            self.step_buttons[name].setAccessibleName(_(msgid))
        self.refresh()

    def _store_changed(self, tables: set[str], case_ids: set[str]) -> None:
        if self.case_id in case_ids:
            self.refresh()

    def refresh(self) -> None:
        for tree in (self.children_list, self.visits):
            tree.clear()
        if not self.session.can(Can.VIEW_CASEWORK):
            return
        store = self.session.store
        names: dict[str, str] = {}
        for r in store.rows(
            "SELECT p.id, p.given_names, p.family_name, e.status, e.categories,"
            " pr.given_names || ' ' || pr.family_name AS coordinator"
            " FROM case_member m JOIN person p ON p.id = m.person_id"
            " LEFT JOIN register_entry e ON e.person_id = p.id AND e.case_id = m.case_id AND e.deleted = 0"
            " LEFT JOIN practitioner pr ON pr.id = e.coordinator_id"
            " WHERE m.case_id = ? AND m.deleted = 0 AND m.role = 'subject' ORDER BY e.registered_on DESC",
            [self.case_id],
        ):
            if r["id"] in names:
                continue  # the latest entry only
            names[r["id"]] = f"{r['given_names'] or ''} {r['family_name']}".strip()
            cats = ", ".join(_(CATEGORY_LABELS[c]) for c in json.loads(r["categories"] or "[]"))
            status = _(STATUS[r["status"]]) if r["status"] else _("Not on the register")
            coordinator = r["coordinator"] or (_("None named") if r["status"] == "active" else "")
            self.children_list.addTopLevelItem(QTreeWidgetItem([names[r["id"]], status, cats, coordinator]))
        transfers = TransferService(self.session).open_for_case(self.case_id)
        self.transfers_label.setText("\n".join(describe(t) for t in transfers))
        self.transfers_label.setVisible(bool(transfers))
        for v in VisitService(self.session).for_case(self.case_id):
            kids = v["children"]

            def who(flag: str, kids: list[dict[str, Any]] = kids) -> str:
                return ", ".join(names.get(k["person_id"], "") for k in kids if k[flag])

            self.visits.addTopLevelItem(QTreeWidgetItem([
                show_date(v["visited_on"]), _(_WHERE.get(v["location"], v["location"])), who("seen"), who("seen_alone"), who("seen_at_home"),
                who("bedroom_seen")]))

    def steps(self) -> list[tuple[str, str, Any]]:
        return [
            ("record_report", N_("Report…"), self.record_report),
            ("record_strategy", N_("Strategy discussion…"), self.record_strategy),
            ("record_enquiry", N_("Section 47…"), self.record_enquiry),
            ("convene_conference", N_("Convene conference…"), self.convene_conference),
            ("hold_initial_conference", N_("Initial conference…"), self.hold_initial_conference),
            ("hold_core_group", N_("Core group…"), self.hold_core_group),
            ("hold_review_conference", N_("Review conference…"), self.hold_review_conference),
            ("record_circulation", N_("Conference record…"), self.record_circulation),
            ("edit_plan", N_("Plan…"), self.edit_plan),
            ("change_coordinator", N_("Change co-ordinator…"), self.change_coordinator),
            ("record_transfer", N_("Transfer…"), self.record_transfer),
            ("transfer_step", N_("Transfer progress…"), self.transfer_step),
        ]

    def _open(self, dialog: QDialog) -> Any:
        dialog.saved.connect(lambda _id: self.refresh())
        self.dialog = dialog
        dialog.show()
        return dialog

    def record_report(self, report_id: str | None = None) -> ReportDialog:
        """A new report, or (``report_id``, or ``True`` for the oldest undecided one) its next actions."""
        if report_id is True:
            report_id = undecided_report(self.session, self.case_id)
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

    def record_circulation(self) -> CirculationDialog:
        return self._open(CirculationDialog(self.session, self.case_id, self))

    def edit_plan(self) -> PlanDialog:
        return self._open(PlanDialog(self.session, self.case_id, self))

    def hold_core_group(self) -> CoreGroupDialog:
        return self._open(CoreGroupDialog(self.session, self.case_id, self))

    def change_coordinator(self) -> CoordinatorDialog:
        return self._open(CoordinatorDialog(self.session, self.case_id, self))

    def record_transfer(self) -> StartTransferDialog:
        return self._open(StartTransferDialog(self.session, self.case_id, "", self))

    def transfer_step(self, step: str | None = None) -> TransferStepDialog:
        return self._open(TransferStepDialog(self.session, self.case_id, "", self, step=step or ""))

    def open_action(self, action: str, person_id: str | None = None) -> QDialog | None:
        """The form for a "My work" action key, if there is one (the forms ask which child)."""
        if action in ACTION_STEPS:
            return self.transfer_step(ACTION_STEPS[action])
        openers = {"record_visit": self.record_visit, "decide_report": lambda: self.record_report(True),
                   "hold_initial_conference": self.hold_initial_conference,
                   "hold_core_group": self.hold_core_group,
                   "hold_review_conference": self.hold_review_conference,
                   "circulate_outline_plan": self.record_circulation,
                   "circulate_conference_record": self.record_circulation,
                   "record_record_comments": self.record_circulation}
        opener = openers.get(action)
        return opener() if opener else None

    def record_visit(self) -> VisitDialog:
        dialog = VisitDialog(self.session, self.case_id, self)
        dialog.saved.connect(lambda _id: self.refresh())
        self.dialog = dialog
        dialog.show()
        return dialog
