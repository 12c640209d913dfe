"""The "Adult safeguarding" case tab: where the case is (report, enquiries, who leads, plan, closure),
strategy meetings and visits, and a button for each step of the journey (the forms are in
:mod:`ui.adults.step_dialogs`, the strategy meeting and visit forms in their own modules).

Thread contract: GUI thread; each list is one short read through the adults services.
"""

from __future__ import annotations

import weakref
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.types import CaseType
from desktop.i18n import N_, _
from desktop.services.adults import StrategyService, VisitService
from desktop.services.permissions import Can
from ui.adults.step_dialogs import DETERMINATION_ITEMS, SCREENING, STEPS, StepDialog
from ui.adults.strategy_dialog import StrategyMeetingDialog
from ui.adults.visit_dialog import VisitDialog
from ui.formatting import show_date
from ui.widgets import Retranslating, fit_columns

STRATEGY_HEADERS = [N_("Held on"), N_("Kind"), N_("Lead practitioner"), N_("Decisions")]
VISIT_HEADERS = [N_("Date"), N_("Seen"), N_("Offered the chance to be seen alone"), N_("Seen alone")]


SCREENING_LABELS = {data: msgid for msgid, data in SCREENING if data}
DETERMINATION_LABELS = {data: msgid for msgid, data in DETERMINATION_ITEMS if data}


def _yes(value: Any) -> str:
    return _("Yes") if value else _("No")


class AdultTab(Retranslating, QWidget):
    """Strategy meetings and visits of an adult-at-risk case (a short note on any other case)."""

    def __init__(self, session: Any, case_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("adult_tab")
        self.session, self.case_id = session, case_id
        view = getattr(parent, "case_view", None)
        self.applies = bool(view is None or view.case["case_type"] == CaseType.ADULT_AT_RISK)
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
        self.strategy_button = QPushButton()
        self.strategy_button.setObjectName("record_strategy")
        self.strategy_button.clicked.connect(self.record_strategy)
        self.visit_button = QPushButton()
        self.visit_button.setObjectName("record_visit")
        self.visit_button.clicked.connect(self.record_visit)
        self.step_buttons: dict[str, QPushButton] = {}
        steps = QGridLayout()
        for i, (name, _label, _dialog_class) in enumerate(STEPS):
            button = QPushButton()
            button.setObjectName(name)
            button.clicked.connect(lambda _checked=False, n=name: self.open_step(n))
            self.step_buttons[name] = button
            steps.addWidget(button, i // 5, i % 5)
        can_record = session.can(Can.RECORD_CASEWORK)
        for b in (self.strategy_button, self.visit_button, *self.step_buttons.values()):
            b.setEnabled(can_record and self.applies)
        buttons = QHBoxLayout()
        buttons.addWidget(self.strategy_button)
        buttons.addWidget(self.visit_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(self.status)
        layout.addWidget(self.journey)
        layout.addWidget(self.strategies, 1)
        layout.addWidget(self.visits, 2)
        layout.addLayout(steps)
        layout.addLayout(buttons)
        self._dialog: weakref.ref[QWidget] | None = None
        self._message = ""
        self.retranslate()

    def retranslate(self) -> None:
        self.note.setText("" if self.applies else _("This case is not about an adult at risk."))
        self.strategies.setHeaderLabels([_(h) for h in STRATEGY_HEADERS])
        fit_columns(self.strategies)
        self.strategies.setAccessibleName(_("Strategy meetings"))
        self.visits.setHeaderLabels([_(h) for h in VISIT_HEADERS])
        fit_columns(self.visits)
        self.visits.setAccessibleName(_("Visits"))
        self.journey.setAccessibleName(_("Where the case is"))
        self.strategy_button.setText(_("Record strategy meeting…"))
        self.visit_button.setText(_("Record visit…"))
        for name, label, _dialog_class in STEPS:
            self.step_buttons[name].setText(_(label))
        self.status.setText(_(self._message) if self._message else "")
        self.refresh()

    def refresh(self) -> None:
        self.strategies.clear()
        self.visits.clear()
        self.journey.setText("")
        if not self.applies or not self.session.can(Can.VIEW_CASEWORK):
            return
        names = {r["id"]: f"{r['given_names']} {r['family_name']}" for r in self.session.store.rows(
            "SELECT id, given_names, family_name FROM practitioner")}
        self.journey.setText("\n".join(self._journey_lines(names)))
        for s in StrategyService(self.session).for_case(self.case_id):
            kind = _("Strategy meeting") if s["kind"] == "meeting" else _("Strategy discussion")
            lead = names.get(s["lead_practitioner_id"], _("None identified"))
            self.strategies.addTopLevelItem(QTreeWidgetItem([show_date(s["held_on"]), kind, lead, s["decisions"]]))
        for v in VisitService(self.session).for_case(self.case_id):
            self.visits.addTopLevelItem(QTreeWidgetItem([show_date(v["visited_on"]), _yes(v["seen"]),
                                                         _yes(v["offered_alone"]), _yes(v["seen_alone"])]))

    def _journey_lines(self, names: dict[str, str]) -> list[str]:
        """Where the case is: report and screening, enquiries, who leads, the plan, closure (one line each)."""
        from desktop.services.adults import CoordinatorService, EnquiryService, PlanService, ReportService
        from desktop.services.adults._common import LEAD_PRACTITIONER, current_holder

        s = self.session
        lines: list[str] = []
        reports = ReportService(s).for_case(self.case_id)
        if not reports:
            lines.append(_("No report recorded yet."))
        for r in reports:
            day = show_date(str(r["received_at"])[:10])
            if r.get("screening_decision"):
                lines.append(_("Report received on {date}: screened ({decision}).").format(
                    date=day, decision=_(SCREENING_LABELS.get(r["screening_decision"], r["screening_decision"]))))
            else:
                lines.append(_("Report received on {date}: not yet screened.").format(date=day))
        for e in EnquiryService(s).for_case(self.case_id):
            if e.get("concluded_on"):
                lines.append(_("Enquiries concluded on {date}: determination {determination}.").format(
                    date=show_date(e["concluded_on"]), determination=_(DETERMINATION_LABELS.get(
                        e["determination"], e["determination"]))))
            else:
                lines.append(_("Enquiries open since {date}.").format(date=show_date(e["started_on"])))
        lead = CoordinatorService(s).current(self.case_id)
        if lead["delegated_lead_coordinator"]:
            lines.append(_("Delegated lead co-ordinator: {name} (the local authority keeps statutory"
                           " responsibility).").format(name=names.get(lead["delegated_lead_coordinator"], "?")))
        if lead["lead_coordinator"]:
            lines.append(_("Lead co-ordinator: {name}.").format(name=names.get(lead["lead_coordinator"], "?")))
        else:
            lines.append(_("No lead co-ordinator appointed yet."))
        practitioner = current_holder(s.store, self.case_id, LEAD_PRACTITIONER)
        if practitioner:
            lines.append(_("Lead practitioner: {name}.").format(name=names.get(practitioner, "?")))
        plan = PlanService(s).current(self.case_id)
        if plan:
            lines.append(_("Care and support protection plan since {date}.").format(date=show_date(plan["started_on"])))
        closed = s.store.rows("SELECT closed_on FROM case_file WHERE id = ?", [self.case_id])
        if closed and closed[0]["closed_on"]:
            lines.append(_("Case closed on {date}.").format(date=show_date(closed[0]["closed_on"])))
        return lines

    @property
    def dialog(self) -> QWidget | None:
        """The form opened last (held weakly: the tab owns it as a Qt child, no reference cycle)."""
        return self._dialog() if self._dialog is not None else None

    def open_action(self, action: str, person_id: str | None = None) -> QWidget | None:
        """The form for a "My work" action key (the adult is the case's subject); ``None`` if none."""
        steps = {"conclude_adult_enquiry": "conclude_enquiry", "review_adult_plan": "review_plan",
                 "record_conference_reports": "conference_report"}
        if action in steps:
            return self.open_step(steps[action])
        if action == "record_adult_strategy":
            return self.record_strategy()
        if action == "record_adult_visit":
            return self.record_visit()
        return None

    def record_strategy(self) -> StrategyMeetingDialog:
        dialog = StrategyMeetingDialog(self.session, self.case_id, self)
        dialog.saved.connect(self._strategy_saved)
        self._dialog = weakref.ref(dialog)
        dialog.open()
        return dialog

    def record_visit(self) -> VisitDialog:
        dialog = VisitDialog(self.session, self.case_id, self)
        dialog.saved.connect(self._visit_saved)
        self._dialog = weakref.ref(dialog)
        dialog.open()
        return dialog

    def open_step(self, name: str) -> StepDialog:
        """Open the form of one step of the journey (``name`` as in :data:`ui.adults.step_dialogs.STEPS`)."""
        dialog_class = next(d for n, _label, d in STEPS if n == name)
        dialog = dialog_class(self.session, self.case_id, self)
        dialog.saved.connect(self._step_saved)
        self._dialog = weakref.ref(dialog)
        dialog.open()
        return dialog

    def _step_saved(self, result: dict) -> None:
        """Say it was saved (or that the case is closed) and show where the case is now."""
        self._message = (N_("The case is closed and the agencies and the adult will be written to.")
                         if result.get("closed_on") else N_("Saved."))
        self.retranslate()

    def _visit_saved(self, _visit_id: str) -> None:
        self.refresh()

    def _strategy_saved(self, result: dict) -> None:
        self._message = (N_("No lead practitioner was identified: the senior manager has been told.")
                         if result.get("escalation") else "")
        self.retranslate()
