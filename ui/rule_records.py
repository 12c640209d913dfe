"""The "Complaints and exceptions" case tab (GUI thread only): the records issue 18 added for the
timescale rules — a manager's recorded exceptions to a rule for one child or adult, and complaints
under SI 2014/1794 — each a line on the case, with the forms that record them.

Forms are :class:`~ui.forms.Form` subclasses (one service call each; a refusal shown
beside its field, nothing saved): :class:`ExceptionDialog` (managers: ``Can.AGREE_EXCEPTION``),
:class:`ComplaintDialog` and :class:`ComplaintStepDialog` (the next step of a complaint; "My work"'s
``update_complaint`` action opens it). Listed in :data:`ui.plugins.CASE_TAB_MODULES`.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.i18n import N_, _
from desktop.services.complaints import CHANNELS, OUTCOMES, STAGES, ComplaintService
from desktop.services.directory import DirectoryService
from desktop.services.exceptions import REASON_KINDS, ExceptionService
from desktop.services.permissions import Can
from ui.case_tabs import register_case_tab
from ui.formatting import show_date
from ui.forms import Field, Form
from ui.loading import Loads
from ui.widgets import Retranslating

STEPS = {"acknowledged_on": N_("Acknowledged"), "discussed_on": N_("Discussed with the complainant"),
         "resolution_sent_on": N_("Resolution sent in writing"),
         "stage2_requested_on": N_("Formal investigation requested"),
         "stage2_response_sent_on": N_("Investigation response sent"), "closed_on": N_("Closed")}


def _subjects(session: Any, case_id: str) -> list[tuple[str, str]]:
    return [(c.id, c.name) for c in DirectoryService(session).case_children(case_id)]


class ExceptionDialog(Form):
    """A manager records an exception to one rule for one child or adult."""

    OBJECT_NAME = "rule_exception_dialog"
    TITLE = N_("Record an exception to a timescale")
    FIELDS = [
        Field("person", "items", N_("Child or adult:")),
        Field("rule_id", "items", N_("Timescale:")),
        Field("reason_kind", "choice", N_("Why:"), REASON_KINDS),
        Field("reason", "long", N_("What was agreed and why:")),
        Field("until", "date", N_("Until:")),
        Field("use_substitute", "check", N_("Seen takes the place of seen alone")),
    ]
    ALIASES = {"person_id": "person", "until_date": "until"}

    def items(self, name: str) -> list[tuple[str, str]]:
        if name == "person":
            return _subjects(self.session, self.case_id)
        return [(r.id, f"{r.id} – {_(r.title)}") for r in ExceptionService(self.session).allowed_rules()]

    def prepare(self) -> None:
        self.set_value("use_substitute", True)
        if self.person_id:
            self.set_value("person", self.person_id)

    def submit(self, values: dict[str, Any]) -> dict[str, Any]:
        return ExceptionService(self.session).record(
            self.case_id, values["person"] or "", values["rule_id"] or "", reason_kind=values["reason_kind"],
            reason=values["reason"] or "", until=values["until"] or "", use_substitute=values["use_substitute"])


class ComplaintDialog(Form):
    OBJECT_NAME = "complaint_dialog"
    TITLE = N_("Record a complaint")
    FIELDS = [
        Field("complainant_name", "text", N_("Who complained:")),
        Field("complainant_relationship", "text", N_("Their relationship to the child or adult:")),
        Field("person", "items", N_("Who the complaint concerns:")),
        Field("received_on", "date", N_("Received on:")),
        Field("channel", "choice", N_("How:"), CHANNELS),
        Field("about", "long", N_("What the complaint is about:")),
    ]
    ALIASES = {"person_id": "person"}

    def items(self, name: str) -> list[tuple[str, str]]:
        return _subjects(self.session, self.case_id)

    def submit(self, values: dict[str, Any]) -> dict[str, Any]:
        return ComplaintService(self.session).record(
            self.case_id, complainant_name=values["complainant_name"] or "",
            complainant_relationship=values["complainant_relationship"], person_id=values["person"],
            received_on=values["received_on"] or "", channel=values["channel"], about=values["about"] or "")


class ComplaintStepDialog(Form):
    """The next step of an open complaint (and its outcome when it closes)."""

    OBJECT_NAME = "complaint_step_dialog"
    TITLE = N_("Complaint progress")
    FIELDS = [
        Field("complaint_id", "items", N_("Complaint:")),
        Field("step", "choice", N_("What happened:"), STEPS),
        Field("on_date", "date", N_("Date:")),
        Field("outcome", "optional", N_("Outcome (when it closes):"), OUTCOMES),
    ]
    ALIASES = dict.fromkeys(STEPS, "on_date")

    def items(self, name: str) -> list[tuple[str, str]]:
        return [(r["id"], _("{who}, {date}: {about}").format(who=r["complainant_name"],
                                                             date=show_date(r["received_on"]), about=r["about"]))
                for r in ComplaintService(self.session).for_case(self.case_id) if not r["closed_on"]]

    def submit(self, values: dict[str, Any]) -> dict[str, Any]:
        changes: dict[str, Any] = {values["step"]: values["on_date"] or ""}
        if values["outcome"]:
            changes["outcome"] = values["outcome"]
        return ComplaintService(self.session).update(values["complaint_id"] or "", **changes)


RuleRecords = tuple[list[dict[str, Any]], list[dict[str, Any]]]
"""The case's exceptions and complaints, read on a worker."""


class RuleRecordsTab(Loads[RuleRecords], Retranslating, QWidget):
    """Exceptions in force or past, and complaints, one line each; the buttons open the forms."""

    ACTIONS = {"update_complaint": "complaint_step", "agree_exception": "record_exception"}

    def __init__(self, session: Any, case_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("rule_records_tab")
        self.session, self.case_id = session, case_id
        self.exceptions_label, self.complaints_label = QLabel(), QLabel()
        self.exceptions, self.complaints = QTreeWidget(), QTreeWidget()
        self.exceptions.setObjectName("rule_exceptions")
        self.complaints.setObjectName("complaints")
        for tree in (self.exceptions, self.complaints):
            tree.setRootIsDecorated(False)
            tree.setHeaderHidden(True)
        self.exception_button = QPushButton()
        self.exception_button.setObjectName("record_exception")
        self.exception_button.setVisible(session.can(Can.AGREE_EXCEPTION))
        self.exception_button.clicked.connect(self.record_exception)
        self.complaint_button, self.step_button = QPushButton(), QPushButton()
        self.complaint_button.setObjectName("record_complaint")
        self.step_button.setObjectName("complaint_step")
        self.complaint_button.clicked.connect(self.record_complaint)
        self.step_button.clicked.connect(lambda: self.complaint_step())
        buttons = QHBoxLayout()
        for b in (self.exception_button, self.complaint_button, self.step_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.exceptions_label)
        layout.addWidget(self.exceptions, 1)
        layout.addWidget(self.complaints_label)
        layout.addWidget(self.complaints, 1)
        layout.addLayout(buttons)
        self.forms: list[Form] = []
        self.retranslate()
        self.start_loading(self)

    def retranslate(self) -> None:
        self.exceptions_label.setText(_("Exceptions to timescales"))
        self.complaints_label.setText(_("Complaints"))
        self.exceptions.setAccessibleName(_("Exceptions to timescales"))
        self.complaints.setAccessibleName(_("Complaints"))
        self.exception_button.setText(_("Record an exception…"))
        self.complaint_button.setText(_("Record a complaint…"))
        self.step_button.setText(_("Complaint progress…"))
        self.redraw()

    def read(self) -> RuleRecords:
        """Worker thread: the case's exceptions to timescales and its complaints."""
        return (ExceptionService(self.session).for_case(self.case_id),
                ComplaintService(self.session).for_case(self.case_id))

    def draw(self, data: RuleRecords) -> None:
        from desktop.domain.rules import RULE_TITLES

        exceptions, complaints = data
        self.exceptions.clear()
        for x in exceptions:
            title = _(RULE_TITLES[x["rule_id"]]) if x["rule_id"] in RULE_TITLES else x["rule_id"]
            # L10N: one line per recorded exception on the case, e.g. "Mali Jones – Child seen alone:
            # agreed by Nia Morgan on 17 Nov 2026, until 1 Jun 2027 (Age or stage of development).
            # Five months old." {state} is "In force" or "Ended".
            line = _("{state}: {name} – {rule}: agreed by {manager} on {agreed}, until {until} ({why}). "
                     "{reason}").format(
                state=_("In force") if x["in_force"] else _("Ended"), name=x["person_name"], rule=title,
                manager=x["agreed_by_name"] or "", agreed=show_date(x["agreed_on"]),
                until=show_date(x["ended_on"] or x["until_date"]), why=_(REASON_KINDS[x["reason_kind"]]),
                reason=x["reason"])
            self.exceptions.addTopLevelItem(QTreeWidgetItem([line]))
        self.complaints.clear()
        for c in complaints:
            # L10N: one line per complaint, e.g. "Nia Pritchard, 24 Dec 2026 (Orally): Visits were cancelled –
            # Local resolution (stage 1)".
            line = _("{who}, {date} ({how}): {about} – {stage}").format(
                who=c["complainant_name"], date=show_date(c["received_on"]), how=_(CHANNELS[c["channel"]]),
                about=c["about"], stage=_(STAGES[c["stage"]]))
            if c["outcome"]:
                line = _("{line}; outcome: {outcome}").format(line=line, outcome=_(OUTCOMES[c["outcome"]]))
            self.complaints.addTopLevelItem(QTreeWidgetItem([line]))

    def _show(self, form: Form) -> Form:
        form.saved.connect(lambda _id: self.refresh())
        self.forms.append(form)
        form.show()
        return form

    def record_exception(self, person_id: str = "") -> Form:
        return self._show(ExceptionDialog(self.session, self.case_id, person_id or "", self))

    def record_complaint(self) -> Form:
        return self._show(ComplaintDialog(self.session, self.case_id, "", self))

    def complaint_step(self) -> Form:
        return self._show(ComplaintStepDialog(self.session, self.case_id, "", self))

    def open_action(self, action: str, person_id: str | None = None) -> QWidget | None:
        if action == "update_complaint":
            return self.complaint_step()
        return None


register_case_tab("rule_records", N_("Complaints and exceptions"), RuleRecordsTab,
                  lambda session: session.can(Can.VIEW_CASEWORK), order=80)
