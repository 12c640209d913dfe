"""The "Complaints, allegations and exceptions" case tab (GUI thread only): the records issue 18 added
for the timescale rules — a manager's recorded exceptions to a rule for one child or adult, complaints
under SI 2014/1794, and allegations or concerns about a practitioner (WSP Section 5: the Designated
Officer told within a working day, A10) — each a line on the case, with the forms that record them.

Forms are :class:`~ui.forms.Form` subclasses (one service call each; a refusal shown
beside its field, nothing saved): :class:`ExceptionDialog` (managers: ``Can.AGREE_EXCEPTION``),
:class:`ComplaintDialog` and :class:`ComplaintStepDialog` (the next step of a complaint; "My work"'s
``update_complaint`` action opens it), :class:`AllegationDialog` and :class:`AllegationStepDialog` (the
Designated Officer told, or the allegation closed; "My work"'s ``inform_designated_officer`` opens it).
Listed in :data:`ui.plugins.CASE_TAB_MODULES`.
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

from desktop.i18n import N_, NC_, _
from desktop.services.allegations import AllegationService
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


ALLEGATION_STEPS = {"lado_informed_on": N_("The Designated Officer was told"),
                    "closed_on": NC_("allegation", "Closed")}


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


class AllegationDialog(Form):
    """An allegation or concern about a practitioner (WSP Section 5), on the case of the child or adult it
    concerns: the Designated Officer is then due to be told by the next working day (A10, in "My work")."""

    OBJECT_NAME = "allegation_dialog"
    TITLE = N_("Record an allegation about a practitioner")
    FIELDS = [
        Field("practitioner_name", "text", N_("Practitioner the allegation is about:")),
        Field("agency", "optional", N_("Their agency:")),
        Field("person", "optional", N_("Child or adult concerned:")),
        Field("arisen_on", "date", N_("When it arose:")),
        Field("summary", "long", N_("What the allegation or concern is:")),
    ]
    ALIASES = {"agency_id": "agency", "person_id": "person"}
    BLANKS = {"agency": N_("Not recorded"), "person": N_("Not recorded")}

    def items(self, name: str) -> list[tuple[str, str]]:
        if name == "agency":
            return [(a.id, a.name) for a in DirectoryService(self.session).agencies()]
        return _subjects(self.session, self.case_id)

    def prepare(self) -> None:
        self.set_value("arisen_on", self.session.today().isoformat())

    def submit(self, values: dict[str, Any]) -> dict[str, Any]:
        return AllegationService(self.session).record(
            self.case_id, practitioner_name=values["practitioner_name"] or "", arisen_on=values["arisen_on"] or "",
            summary=values["summary"] or "", person_id=values["person"], agency_id=values["agency"])


class AllegationStepDialog(Form):
    """The Designated Officer told of an open allegation (A10), or the allegation closed."""

    OBJECT_NAME = "allegation_step_dialog"
    TITLE = N_("Allegation progress")
    FIELDS = [
        Field("allegation_id", "items", N_("Allegation:")),
        Field("step", "choice", N_("What happened:"), ALLEGATION_STEPS),
        Field("on_date", "date", N_("Date:")),
    ]
    ALIASES = dict.fromkeys(ALLEGATION_STEPS, "on_date")

    def items(self, name: str) -> list[tuple[str, str]]:
        return [(r["id"], _("{who}, {date}: {summary}").format(who=r["practitioner_name"],
                                                               date=show_date(r["arisen_on"]), summary=r["summary"]))
                for r in AllegationService(self.session).for_case(self.case_id) if not r["closed_on"]]

    def prepare(self) -> None:
        self.set_value("on_date", self.session.today().isoformat())

    def submit(self, values: dict[str, Any]) -> dict[str, Any]:
        service, allegation = AllegationService(self.session), values["allegation_id"] or ""
        if values["step"] == "closed_on":
            return service.close(allegation, on=values["on_date"] or "")
        return service.lado_informed(allegation, on=values["on_date"] or "")


RuleRecords = tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]
"""The case's exceptions, complaints and allegations about practitioners, read on a worker."""


class RuleRecordsTab(Loads[RuleRecords], Retranslating, QWidget):
    """Exceptions in force or past, and complaints, one line each; the buttons open the forms."""

    ACTIONS = {"update_complaint": "complaint_step", "agree_exception": "record_exception",
               "inform_designated_officer": "allegation_step"}

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
        self.allegations_label, self.allegations = QLabel(), QTreeWidget()
        self.allegations.setObjectName("allegations")
        self.allegations.setRootIsDecorated(False)
        self.allegations.setHeaderHidden(True)
        self.allegation_button, self.allegation_step_button = QPushButton(), QPushButton()
        self.allegation_button.setObjectName("record_allegation")
        self.allegation_step_button.setObjectName("allegation_step")
        self.allegation_button.clicked.connect(self.record_allegation)
        self.allegation_step_button.clicked.connect(lambda: self.allegation_step())
        buttons = QHBoxLayout()
        for b in (self.exception_button, self.complaint_button, self.step_button, self.allegation_button,
                  self.allegation_step_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.exceptions_label)
        layout.addWidget(self.exceptions, 1)
        layout.addWidget(self.complaints_label)
        layout.addWidget(self.complaints, 1)
        layout.addWidget(self.allegations_label)
        layout.addWidget(self.allegations, 1)
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
        self.allegations_label.setText(_("Allegations about practitioners"))
        self.allegations.setAccessibleName(_("Allegations about practitioners"))
        self.allegation_button.setText(_("Record an allegation…"))
        self.allegation_step_button.setText(_("Allegation progress…"))
        self.redraw()

    def read(self) -> RuleRecords:
        """Worker thread: the case's exceptions to timescales, its complaints and its allegations."""
        return (ExceptionService(self.session).for_case(self.case_id),
                ComplaintService(self.session).for_case(self.case_id),
                AllegationService(self.session).for_case(self.case_id))

    def draw(self, data: RuleRecords) -> None:
        from desktop.domain.rules import RULE_TITLES

        exceptions, complaints, allegations = data
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
        self.allegations.clear()
        for a in allegations:
            who = a["practitioner_name"]
            if a["agency_name"]:
                who = _("{name} ({agency})").format(name=who, agency=a["agency_name"])
            if a["closed_on"]:
                state = _("closed on {date}").format(date=show_date(a["closed_on"]))
            elif a["lado_informed_on"]:
                state = _("Designated Officer told on {date}").format(date=show_date(a["lado_informed_on"]))
            else:
                state = _("Designated Officer not told yet")
            # L10N: one line per allegation about a practitioner, e.g. "Gareth Morgan (Ysgol y Dderwen), arose 2 Dec
            # 2026: Shouted at Mali in class – Designated Officer told on 3 Dec 2026".
            line = _("{who}, arose {date}: {summary} – {state}").format(
                who=who, date=show_date(a["arisen_on"]), summary=a["summary"], state=state)
            self.allegations.addTopLevelItem(QTreeWidgetItem([line]))

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

    def record_allegation(self) -> Form:
        return self._show(AllegationDialog(self.session, self.case_id, "", self))

    def allegation_step(self) -> Form:
        return self._show(AllegationStepDialog(self.session, self.case_id, "", self))

    def open_action(self, action: str, person_id: str | None = None) -> QWidget | None:
        if action == "update_complaint":
            return self.complaint_step()
        if action == "inform_designated_officer":
            return self.allegation_step()
        return None


register_case_tab("rule_records", N_("Complaints, allegations and exceptions"), RuleRecordsTab,
                  lambda session: session.can(Can.VIEW_CASEWORK), order=80)
