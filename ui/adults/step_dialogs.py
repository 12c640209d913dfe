"""Forms for the adult-at-risk steps that had services but no screen. GUI thread; one service call per save.

Each dialog is a :class:`StepDialog`: a :class:`~ui.adults.forms.Form` of named rows whose names are the
service's argument names, so a ``ValidationError`` appears beside the field it names (anything else, such
as "only the lead co-ordinator can close", in the form's general error line) and nothing is saved. A
half-typed form is kept as a draft (form: the dialog's object name, context: the case id; autosaved a few
seconds after each edit and on cancel) and comes back when the form is opened again; saving discards it. On
success the dialog emits :attr:`StepDialog.saved` with the service's result and closes.

The services decide what is allowed (see ``desktop.services.adults``); these forms only collect and show.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.errors import ValidationError
from desktop.i18n import N_, _
from desktop.services.adults import (
    AdvocacyService,
    CapacityService,
    ClosureService,
    ConferenceService,
    CoordinatorService,
    EnquiryService,
    LeadPractitionerService,
    PartnershipService,
    PlanService,
    ReportService,
)
from desktop.services.drafts import DraftService
from ui.adults.forms import Form, combo, date_edit, iso, relabel, text_of
from ui.widgets import KeepsDrafts
from ui.windows import register_sensitive

_MSGID_ROLE = Qt.ItemDataRole.UserRole + 2
_DATA_ROLE = Qt.ItemDataRole.UserRole + 1

SOURCES = [(N_("A relevant partner"), "relevant_partner"), (N_("Another professional"), "professional"),
           (N_("A member of the public"), "public"), (N_("Family"), "family"), (N_("Anonymous"), "anonymous"),
           (N_("The adult themselves"), "self")]
CATEGORY_ITEMS = [(N_("Physical abuse"), "physical"), (N_("Sexual abuse"), "sexual"),
                  (N_("Emotional or psychological abuse"), "emotional"), (N_("Financial abuse"), "financial"),
                  (N_("Neglect"), "neglect")]
SCREENING = [(N_("Choose…"), None),
             (N_("1a No further action: no abuse"), "nfa_a"),
             (N_("1b No further action: not abuse or neglect"), "nfa_b"),
             (N_("1c No further action: one-off, low risk of it happening again"), "nfa_c"),
             (N_("2 Enquiries required (section 126)"), "enquiries"),
             (N_("3 Care and support needs: Part 3 assessment"), "part3")]
DETERMINATION_ITEMS = [(N_("Choose…"), None),
                       (N_("1 Immediate protection needed"), "1"),
                       (N_("2 Not at risk, but may have other care and support needs"), "2"),
                       (N_("3 At risk, and action is needed"), "3"),
                       (N_("No further action"), "nfa")]
OUTCOME_ITEMS = [(N_("Choose…"), None), (N_("Has capacity for this decision"), "has_capacity"),
                 (N_("Lacks capacity for this decision"), "lacks_capacity")]
ADVOCATE_ITEMS = [(N_("Choose…"), None), (N_("Independent advocate"), "independent"),
                  (N_("IMCA (Independent Mental Capacity Advocate)"), "imca"),
                  (N_("Informal advocate (family or friend)"), "informal")]
ANSWER_ITEMS = [(N_("Not answered yet"), None), (N_("Accepted"), "accepted"), (N_("Declined"), "declined")]
REVIEW_ITEMS = [(N_("Choose…"), None), (N_("Continue the plan"), "continue"), (N_("Revise the plan"), "revise"),
                (N_("End the plan"), "close")]
PARTICIPATION_ITEMS = [(N_("Choose…"), None), (N_("Attended"), "attended"),
                       (N_("Represented by an advocate"), "advocate"), (N_("Gave written views"), "written"),
                       (N_("Views given through a practitioner"), "views_via_practitioner"),
                       (N_("Refused to take part"), "refused")]
DECIDED_WITH_ITEMS = [(N_("Choose…"), None), (N_("The strategy group"), "strategy_group"),
                      (N_("The adult protection conference"), "conference"),
                      (N_("The lead co-ordinator"), "lead_coordinator")]


class CheckList(QListWidget):
    """Checkable items of (label msgid, data); :meth:`checked` gives the data of the ticked ones."""

    def __init__(self, items: list[tuple[str, Any]]) -> None:
        super().__init__()
        for msgid, data in items:
            item = QListWidgetItem(_(msgid))
            item.setData(_MSGID_ROLE, msgid)
            item.setData(_DATA_ROLE, data)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.addItem(item)

    def checked(self) -> list[Any]:
        return [self.item(i).data(_DATA_ROLE) for i in range(self.count())
                if self.item(i).checkState() == Qt.CheckState.Checked]

    def check(self, data: Any, on: bool = True) -> None:
        for i in range(self.count()):
            if self.item(i).data(_DATA_ROLE) == data:
                self.item(i).setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)

    def relabel(self) -> None:
        for i in range(self.count()):
            msgid = self.item(i).data(_MSGID_ROLE)
            if msgid:  # agency names are not translated
                self.item(i).setText(_(msgid))


def practitioners(session: Any, none_msgid: str | None = N_("Choose…")) -> QComboBox:
    """A combo of active practitioners (name, job title and agency), with an empty first choice."""
    box = combo([(none_msgid, None)] if none_msgid else [])
    for p in session.store.rows(
            "SELECT p.id, p.given_names, p.family_name, p.job_title, a.name AS agency FROM practitioner p"
            " LEFT JOIN agency a ON a.id = p.agency_id WHERE p.deleted = 0 AND p.active = 1"
            " ORDER BY p.family_name, p.given_names"):
        name = " ".join(x for x in (p["given_names"], p["family_name"]) if x)
        extra = ", ".join(x for x in (p.get("job_title"), p.get("agency")) if x)
        box.addItem(f"{name} ({extra})" if extra else name, p["id"])
    return box


def select(box: QComboBox, data: Any) -> None:
    box.setCurrentIndex(max(box.findData(data), 0))


class StepDialog(KeepsDrafts, QDialog):
    """Base of the step forms: subclasses fill :attr:`form` in :meth:`build` and call the service in :meth:`submit`."""

    saved = Signal(dict)
    TITLE = ""
    NAME = ""

    def __init__(self, session: Any, case_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(self.NAME)
        register_sensitive(self)
        self.session, self.case_id = session, case_id
        layout = QFormLayout()
        layout.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)  # long labels (and Welsh) above the field
        self.form = Form(layout)
        self.build()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        outer = QVBoxLayout(self)
        outer.addWidget(self.form.general)
        outer.addLayout(layout)
        outer.addWidget(self.buttons)
        self._saved = False
        draft = DraftService(session).load(self.draft_form, case_id)
        if draft:
            self.restore(draft)
        editors = [row[2] for row in self.form.rows.values()]
        self.autosave(editors)
        for editor in editors:
            if isinstance(editor, CheckList):
                editor.itemChanged.connect(self.edited)
        self.retranslate()

    @property
    def draft_form(self) -> str:
        """The draft's form name (the dialog's object name); its context is the case id."""
        return self.NAME

    # -- drafts -------------------------------------------------------------------------------
    def raw(self) -> dict[str, Any]:
        """What is typed, as plain data (what a draft keeps), by row name."""
        out: dict[str, Any] = {}
        for name, (_msgid, _label, editor, _error) in self.form.rows.items():
            if isinstance(editor, QPlainTextEdit):
                out[name] = editor.toPlainText()
            elif isinstance(editor, QLineEdit):
                out[name] = editor.text()
            elif isinstance(editor, QCheckBox):
                out[name] = editor.isChecked()
            elif isinstance(editor, QComboBox):
                out[name] = editor.currentData()
            elif isinstance(editor, CheckList):
                out[name] = editor.checked()
        return out

    def restore(self, data: dict[str, Any]) -> None:
        for name, (_msgid, _label, editor, _error) in self.form.rows.items():
            if name not in data:
                continue
            value = data[name]
            if isinstance(editor, QPlainTextEdit):
                editor.setPlainText(value or "")
            elif isinstance(editor, QLineEdit):
                editor.setText(value or "")
            elif isinstance(editor, QCheckBox):
                editor.setChecked(bool(value))
            elif isinstance(editor, QComboBox):
                if value is not None and editor.findData(value) >= 0:
                    editor.setCurrentIndex(editor.findData(value))
            elif isinstance(editor, CheckList):
                for i in range(editor.count()):
                    editor.check(editor.item(i).data(_DATA_ROLE), editor.item(i).data(_DATA_ROLE) in (value or []))

    def save_draft(self) -> None:
        """Keep what is typed (one small write)."""
        self._autosave.stop()
        if not self._saved:
            DraftService(self.session).save(self.draft_form, self.raw(), self.case_id)

    def build(self) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def submit(self) -> dict[str, Any]:  # pragma: no cover - abstract
        raise NotImplementedError

    def changeEvent(self, event: Any) -> None:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.setWindowTitle(_(self.TITLE))
        self.form.retranslate()
        for _msgid, _label, editor, _error in self.form.rows.values():
            if isinstance(editor, QComboBox):
                relabel(editor)
            elif isinstance(editor, CheckList):
                editor.relabel()
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(_("Save"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))

    def save(self) -> bool:
        """Send the form to the service; ``False`` (and the reason shown) if it was refused."""
        try:
            result = self.submit()
        except Exception as exc:  # noqa: BLE001 - every refusal is shown, nothing is saved
            self.form.show_error(exc)
            return False
        self._saved = True
        self._autosave.stop()
        DraftService(self.session).discard(self.draft_form, self.case_id)
        self.form.clear_errors()
        self.saved.emit(dict(result or {}))
        self.accept()
        return True


class ReportDialog(StepDialog):
    """The report under the duty to report: who made it, the concerns, and the adult's consent or why not."""

    TITLE = N_("Record the report")
    NAME = "adult_report_dialog"

    def build(self) -> None:
        f = self.form
        self.received_on = f.add("received_at", N_("Received on:"), date_edit(self.session.today().isoformat()))
        self.received_time = f.add("received_time", N_("Time received (hh:mm, optional):"), QLineEdit())
        self.received_time.setMaxLength(5)
        self.source_type = f.add("source_type", N_("Who made the report:"), combo([(N_("Choose…"), None), *SOURCES]))
        self.source_detail = f.add("source_detail", N_("Their name or agency:"), QLineEdit())
        self.concerns = f.add("concerns", N_("Concerns reported:"), QPlainTextEdit())
        self.categories = f.add("categories", N_("Suspected categories:"), CheckList(CATEGORY_ITEMS))
        self.consent_given = f.add("consent_given", N_("The adult consented to the report"), QCheckBox())
        self.no_consent_reason = f.add("no_consent_reason", N_("Why the report was made without their consent:"),
                                       QPlainTextEdit())
        self.immediate_danger = f.add("immediate_danger", N_("The adult is in immediate danger"), QCheckBox())
        self.police_informed = f.add("police_informed", N_("The police have been told"), QCheckBox())

    def submit(self) -> dict[str, Any]:
        day = iso(self.received_on) or ""
        at = f"{day}T{self.received_time.text().strip()}" if day and self.received_time.text().strip() else day
        consent = self.consent_given.isChecked()
        return ReportService(self.session).record(
            self.case_id, received_at=at, source_type=self.source_type.currentData(), concerns=text_of(self.concerns),
            consent_given=consent, no_consent_reason=None if consent else text_of(self.no_consent_reason),
            categories=self.categories.checked(), source_detail=text_of(self.source_detail),
            immediate_danger=self.immediate_danger.isChecked(), police_informed=self.police_informed.isChecked())


class ScreeningDialog(StepDialog):
    """The screening decision on the case's earliest report not yet screened."""

    TITLE = N_("Record the screening decision")
    NAME = "adult_screening_dialog"

    def build(self) -> None:
        f = self.form
        self.report = f.add("report_id", N_("Report:"), combo([(N_("Choose…"), None)]))
        for r in ReportService(self.session).for_case(self.case_id):
            if not r.get("screening_decision"):
                self.report.addItem(str(r["received_at"]).replace("T", " "), r["id"])
        if self.report.count() > 1:
            self.report.setCurrentIndex(1)
        self.decision = f.add("decision", N_("Screening decision:"), combo(SCREENING))
        self.screened_on = f.add("screened_on", N_("Decided on:"), date_edit(self.session.today().isoformat()))
        self.note = f.add("note", N_("Reasons:"), QPlainTextEdit())

    def submit(self) -> dict[str, Any]:
        report_id = self.report.currentData()
        if not report_id:
            raise ValidationError(N_("Choose the report to screen; record the report first."), field="report_id")
        return ReportService(self.session).screen(report_id, decision=self.decision.currentData(),
                                                  screened_on=iso(self.screened_on), note=text_of(self.note))


class EnquiryDialog(StepDialog):
    """The end of the section 126 enquiries and the determination."""

    TITLE = N_("Conclude the enquiries")
    NAME = "adult_enquiry_dialog"

    def build(self) -> None:
        f = self.form
        self.enquiry = f.add("enquiry_id", N_("Enquiries started on:"), combo([(N_("Choose…"), None)]))
        for e in EnquiryService(self.session).for_case(self.case_id):
            if not e.get("concluded_on"):
                from ui.formatting import show_date

                self.enquiry.addItem(show_date(e["started_on"]), e["id"])
        if self.enquiry.count() > 1:
            self.enquiry.setCurrentIndex(1)
        self.concluded_on = f.add("concluded_on", N_("Concluded on:"), date_edit(self.session.today().isoformat()))
        self.determination = f.add("determination", N_("Determination:"), combo(DETERMINATION_ITEMS))
        self.reason = f.add("reason", N_("Reasons for the determination:"), QPlainTextEdit())

    def submit(self) -> dict[str, Any]:
        enquiry_id = self.enquiry.currentData()
        if not enquiry_id:
            raise ValidationError(N_("There are no open enquiries: screen a report as needing enquiries first."),
                                  field="enquiry_id")
        return EnquiryService(self.session).conclude(
            enquiry_id, concluded_on=iso(self.concluded_on) or "", determination=self.determination.currentData(),
            reason=text_of(self.reason))


class AppointDialog(StepDialog):
    """Appoint the lead co-ordinator (employed within social services)."""

    TITLE = N_("Appoint the lead co-ordinator")
    NAME = "adult_appoint_dialog"

    def build(self) -> None:
        f = self.form
        self.practitioner = f.add("practitioner_id", N_("Lead co-ordinator:"), practitioners(self.session))
        self.from_date = f.add("from_date", N_("From:"), date_edit(self.session.today().isoformat()))

    def submit(self) -> dict[str, Any]:
        who = self.practitioner.currentData()
        if not who:
            raise ValidationError(N_("Choose the lead co-ordinator."), field="practitioner_id")
        return CoordinatorService(self.session).appoint(self.case_id, who, from_date=iso(self.from_date))


class DelegateDialog(StepDialog):
    """Delegate the lead co-ordinator role to another statutory partner: all four records are required."""

    TITLE = N_("Delegate the lead co-ordinator role")
    NAME = "adult_delegate_dialog"

    def build(self) -> None:
        f = self.form
        self.delegate = f.add("delegate_id", N_("Delegated lead co-ordinator:"), practitioners(self.session))
        self.delegate_role = f.add("delegate_role", N_("Their role and responsibilities:"), QPlainTextEdit())
        self.la_monitor = f.add("la_monitor_id", N_("Local authority person responsible for monitoring and overview:"),
                                practitioners(self.session))
        self.la_monitor_role = f.add("la_monitor_role", N_("Their role and responsibilities (monitoring):"),
                                     QPlainTextEdit())
        self.rationale = f.add("rationale", N_("Rationale for delegating:"), QPlainTextEdit())
        self.reporting = f.add("reporting_arrangements",
                               N_("Arrangements for reporting, monitoring and review by the local authority:"),
                               QPlainTextEdit())
        self.decided_on = f.add("decided_on", N_("Decided on:"), date_edit(self.session.today().isoformat()))

    def submit(self) -> dict[str, Any]:
        if not self.delegate.currentData():
            raise ValidationError(N_("Choose the practitioner the role is delegated to."), field="delegate_id")
        return CoordinatorService(self.session).delegate(
            self.case_id, delegate_id=self.delegate.currentData(), delegate_role=text_of(self.delegate_role),
            la_monitor_id=self.la_monitor.currentData(), la_monitor_role=text_of(self.la_monitor_role),
            rationale=text_of(self.rationale), reporting_arrangements=text_of(self.reporting),
            decided_on=iso(self.decided_on))


class EndDelegationDialog(StepDialog):
    """End the delegation in force: the role returns to the local authority's lead co-ordinator."""

    TITLE = N_("End the delegation")
    NAME = "adult_end_delegation_dialog"

    def build(self) -> None:
        f = self.form
        self.ended_on = f.add("ended_on", N_("Ended on:"), date_edit(self.session.today().isoformat()))
        self.reason = f.add("reason", N_("Why the delegation ends:"), QPlainTextEdit())

    def submit(self) -> dict[str, Any]:
        return CoordinatorService(self.session).end_delegation(self.case_id, ended_on=iso(self.ended_on) or "",
                                                               reason=text_of(self.reason))


class CapacityDialog(StepDialog):
    """A decision-specific capacity assessment."""

    TITLE = N_("Record a capacity assessment")
    NAME = "adult_capacity_dialog"

    def build(self) -> None:
        f = self.form
        self.decision = f.add("decision", N_("The specific decision:"), QLineEdit())
        self.assessed_on = f.add("assessed_on", N_("Assessed on:"), date_edit(self.session.today().isoformat()))
        self.assessor = f.add("assessor_id", N_("Assessed by:"), practitioners(self.session))
        select(self.assessor, self.session.user.id)
        self.outcome = f.add("outcome", N_("Outcome:"), combo(OUTCOME_ITEMS))
        self.evidence = f.add("evidence", N_("Evidence:"), QPlainTextEdit())
        self.review_on = f.add("review_on", N_("Review by (optional):"), date_edit())

    def submit(self) -> dict[str, Any]:
        return CapacityService(self.session).assess(
            self.case_id, decision=text_of(self.decision), assessed_on=iso(self.assessed_on) or "",
            assessor_id=self.assessor.currentData() or "", outcome=self.outcome.currentData(),
            evidence=text_of(self.evidence), review_on=iso(self.review_on))


class BestInterestsDialog(StepDialog):
    """A best-interests decision; the service refuses it without an assessment finding a lack of capacity."""

    TITLE = N_("Record a best-interests decision")
    NAME = "adult_best_interests_dialog"

    def build(self) -> None:
        from ui.formatting import show_date

        f = self.form
        self.assessment = f.add("assessment_id", N_("Capacity assessment:"),
                                combo([(N_("No capacity assessment"), None)]))
        for a in CapacityService(self.session).for_case(self.case_id)["assessments"]:
            self.assessment.addItem(f"{show_date(a['assessed_on'])}: {a['decision']}", a["id"])
        if self.assessment.count() > 1:
            self.assessment.setCurrentIndex(1)
        self.decision = f.add("decision", N_("Decision made in the adult's best interests:"), QPlainTextEdit())
        self.decided_on = f.add("decided_on", N_("Decided on:"), date_edit(self.session.today().isoformat()))
        self.consulted = f.add("consulted", N_("People consulted (one a line):"), QPlainTextEdit())
        self.wishes = f.add("wishes_feelings", N_("The adult's wishes and feelings:"), QPlainTextEdit())
        self.rationale = f.add("rationale", N_("Rationale:"), QPlainTextEdit())
        self.imca_instructed = f.add("imca_instructed", N_("An IMCA was instructed"), QCheckBox())
        self.imca_name = f.add("imca_name", N_("Name of the IMCA:"), QLineEdit())

    def submit(self) -> dict[str, Any]:
        return CapacityService(self.session).best_interests(
            self.case_id, assessment_id=self.assessment.currentData(), decision=text_of(self.decision),
            decided_on=iso(self.decided_on) or "",
            consulted=[x.strip() for x in text_of(self.consulted).splitlines() if x.strip()],
            wishes_feelings=text_of(self.wishes), rationale=text_of(self.rationale),
            imca_instructed=self.imca_instructed.isChecked(), imca_name=text_of(self.imca_name))


class ClosureDialog(StepDialog):
    """Close the case (the lead co-ordinator only); the agencies and the adult are written to (N17)."""

    TITLE = N_("Close the case")
    NAME = "adult_closure_dialog"

    def build(self) -> None:
        f = self.form
        self.closed_on = f.add("closed_on", N_("Closed on:"), date_edit(self.session.today().isoformat()))
        self.decided_with = f.add("decided_with", N_("Decision made with:"), combo(DECIDED_WITH_ITEMS))
        self.reasons = f.add("reasons", N_("Reasons for ending the adult safeguarding process:"), QPlainTextEdit())
        self.evaluation = f.add("outcomes_evaluation", N_("How far the outcomes were achieved (optional):"),
                                QPlainTextEdit())

    def submit(self) -> dict[str, Any]:
        return ClosureService(self.session).close(
            self.case_id, closed_on=iso(self.closed_on) or "", reasons=text_of(self.reasons),
            decided_with=self.decided_with.currentData(), outcomes_evaluation=text_of(self.evaluation) or None)


class LeadPractitionerDialog(StepDialog):
    """Change of lead practitioner: told verbally first, then confirmed in writing (N2)."""

    TITLE = N_("Change the lead practitioner")
    NAME = "adult_lead_practitioner_dialog"

    def build(self) -> None:
        f = self.form
        self.new = f.add("new_id", N_("New lead practitioner:"), practitioners(self.session))
        self.new_contact = f.add("new_contact", N_("Their contact details (left empty: from their record):"),
                                 QLineEdit())
        self.effective_on = f.add("effective_on", N_("From:"), date_edit(self.session.today().isoformat()))
        self.verbal_to = f.add("verbal_to", N_("Told verbally (one a line: agencies, the adult, family):"),
                               QPlainTextEdit())
        self.verbal_on = f.add("verbal_on", N_("Told on:"), date_edit(self.session.today().isoformat()))
        self.reason = f.add("reason", N_("Reason for the change:"), QPlainTextEdit())

    def submit(self) -> dict[str, Any]:
        if not self.new.currentData():
            raise ValidationError(N_("Choose the new lead practitioner."), field="new_id")
        return LeadPractitionerService(self.session).change(
            self.case_id, new_id=self.new.currentData(), effective_on=iso(self.effective_on) or "",
            verbal_to=[x.strip() for x in text_of(self.verbal_to).splitlines() if x.strip()],
            verbal_on=iso(self.verbal_on) or "", reason=text_of(self.reason), new_contact=text_of(self.new_contact))


def lines(widget: QPlainTextEdit) -> list[str]:
    return [x.strip() for x in widget.toPlainText().splitlines() if x.strip()]


def agencies(session: Any) -> CheckList:
    box = CheckList([])
    for a in session.store.rows("SELECT id, name FROM agency WHERE deleted = 0 ORDER BY name"):
        item = QListWidgetItem(a["name"])
        item.setData(_DATA_ROLE, a["id"])
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Unchecked)
        box.addItem(item)
    return box


class AdvocacyDialog(StepDialog):
    """An offer of advocacy at any stage, with the adult's answer if they have given it."""

    TITLE = N_("Offer an advocate")
    NAME = "adult_advocacy_dialog"

    def build(self) -> None:
        f = self.form
        self.advocate_type = f.add("advocate_type", N_("Advocate offered:"), combo(ADVOCATE_ITEMS))
        self.offered_on = f.add("offered_on", N_("Offered on:"), date_edit(self.session.today().isoformat()))
        self.provider = f.add("provider", N_("Advocacy provider (optional):"), QLineEdit())
        self.response = f.add("response", N_("The adult's answer:"), combo(ANSWER_ITEMS))
        self.response_on = f.add("response_on", N_("Answered on:"), date_edit(self.session.today().isoformat()))
        self.advocate_name = f.add("advocate_name", N_("Name of the advocate (optional):"), QLineEdit())

    def submit(self) -> dict[str, Any]:
        service = AdvocacyService(self.session)
        if self.response.currentData():  # check the answer before anything is written
            from desktop.services.adults._common import required_date

            required_date(iso(self.response_on), "response_on", self.session.today())
            if (iso(self.response_on) or "") < (iso(self.offered_on) or ""):
                raise ValidationError(N_("The answer cannot be before the offer."), field="response_on")
        offer = service.offer(self.case_id, advocate_type=self.advocate_type.currentData(),
                              offered_on=iso(self.offered_on) or "", provider=text_of(self.provider) or None)
        if self.response.currentData():
            return service.answer(offer["id"], response=self.response.currentData(),
                                  response_on=iso(self.response_on) or "",
                                  advocate_name=text_of(self.advocate_name) or None,
                                  provider=text_of(self.provider) or None)
        return offer


class AdvocacyAnswerDialog(StepDialog):
    """The adult's answer to an earlier offer of advocacy (at the strategy meeting or later)."""

    TITLE = N_("Record the adult's answer to the offer of an advocate")
    NAME = "adult_advocacy_answer_dialog"

    def build(self) -> None:
        from ui.formatting import show_date

        f = self.form
        self.offer = f.add("advocacy_id", N_("Offer:"), combo([(N_("Choose…"), None)]))
        labels = dict((data, msgid) for msgid, data in ADVOCATE_ITEMS if data)
        for o in AdvocacyService(self.session).for_case(self.case_id):
            if o["response"] == "awaiting":
                self.offer.addItem(_("{advocate}, offered on {date}").format(
                    advocate=_(labels.get(o["advocate_type"], o["advocate_type"])), date=show_date(o["offered_on"])),
                    o["id"])
        if self.offer.count() > 1:
            self.offer.setCurrentIndex(1)
        self.response = f.add("response", N_("The adult's answer:"), combo(ANSWER_ITEMS))
        self.response_on = f.add("response_on", N_("Answered on:"), date_edit(self.session.today().isoformat()))
        self.advocate_name = f.add("advocate_name", N_("Name of the advocate (optional):"), QLineEdit())
        self.provider = f.add("provider", N_("Advocacy provider (optional):"), QLineEdit())

    def submit(self) -> dict[str, Any]:
        if not self.offer.currentData():
            raise ValidationError(N_("No offer of an advocate is waiting for an answer."), field="advocacy_id")
        return AdvocacyService(self.session).answer(
            self.offer.currentData(), response=self.response.currentData() or "",
            response_on=iso(self.response_on) or "", advocate_name=text_of(self.advocate_name) or None,
            provider=text_of(self.provider) or None)


class WishesDialog(StepDialog):
    """The adult's wishes and feelings, in their own words where possible."""

    TITLE = N_("Record the adult's wishes and feelings")
    NAME = "adult_wishes_dialog"

    def build(self) -> None:
        f = self.form
        self.recorded_on = f.add("recorded_on", N_("Recorded on:"), date_edit(self.session.today().isoformat()))
        self.wishes = f.add("wishes_feelings", N_("The adult's wishes and feelings:"), QPlainTextEdit())
        self.how_expressed = f.add("how_expressed", N_("How they were expressed (optional):"), QLineEdit())

    def submit(self) -> dict[str, Any]:
        return CapacityService(self.session).wishes(
            self.case_id, recorded_on=iso(self.recorded_on) or "", wishes_feelings=text_of(self.wishes),
            how_expressed=text_of(self.how_expressed) or None)


class PartnershipDialog(StepDialog):
    """Working in partnership with the adult: understanding, agreement (or not), right to complain."""

    TITLE = N_("Record working in partnership with the adult")
    NAME = "adult_partnership_dialog"

    def build(self) -> None:
        f = self.form
        self.recorded_on = f.add("recorded_on", N_("Recorded on:"), date_edit(self.session.today().isoformat()))
        self.understands = f.add("understands_rationale", N_("The adult understands why we are involved"),
                                 QCheckBox())
        self.agrees = f.add("agrees_to_plan", N_("The adult agrees to the plan"), QCheckBox())
        self.regular_contact = f.add("regular_contact", N_("How regular contact with the adult continues:"),
                                     QPlainTextEdit())
        self.told_may_change_mind = f.add("told_may_change_mind",
                                          N_("The adult was told they can change their mind at any time"), QCheckBox())
        self.complaints_explained = f.add("complaints_explained", N_("The right to complain was explained"),
                                          QCheckBox())
        self.complaints_how = f.add("complaints_how", N_("How the right to complain was explained:"), QLineEdit())
        self.note = f.add("note", N_("Note (optional):"), QPlainTextEdit())

    def submit(self) -> dict[str, Any]:
        return PartnershipService(self.session).record(
            self.case_id, recorded_on=iso(self.recorded_on) or "", understands_rationale=self.understands.isChecked(),
            agrees_to_plan=self.agrees.isChecked(), regular_contact=text_of(self.regular_contact),
            told_may_change_mind=self.told_may_change_mind.isChecked(),
            complaints_explained=self.complaints_explained.isChecked(), complaints_how=text_of(self.complaints_how),
            note=text_of(self.note))


class PlanReviewDialog(StepDialog):
    """A review of the active care and support protection plan (A5)."""

    TITLE = N_("Review the care and support protection plan")
    NAME = "adult_plan_review_dialog"

    def build(self) -> None:
        f = self.form
        self.plan = PlanService(self.session).current(self.case_id)
        self.reviewed_on = f.add("reviewed_on", N_("Reviewed on:"), date_edit(self.session.today().isoformat()))
        self.outcome = f.add("outcome", N_("Outcome of the review:"), combo(REVIEW_ITEMS))
        self.progress = f.add("progress", N_("Progress against the plan:"), QPlainTextEdit())

    def submit(self) -> dict[str, Any]:
        if not self.plan:
            raise ValidationError(N_("This adult has no active care and support protection plan to review."),
                                  field="reviewed_on")
        return PlanService(self.session).review(self.plan["id"], reviewed_on=iso(self.reviewed_on) or "",
                                                outcome=self.outcome.currentData(), progress=text_of(self.progress))


RAG_ITEMS = [(N_("Not rated"), None), (N_("Red"), "red"), (N_("Amber"), "amber"), (N_("Green"), "green")]


def _no_plan() -> ValidationError:
    return ValidationError(N_("This adult has no active care and support protection plan: start it first."),
                           field="plan_id")


class PlanStartDialog(StepDialog):
    """Start the care and support protection plan (one active plan per case)."""

    TITLE = N_("Start the care and support protection plan")
    NAME = "adult_plan_start_dialog"

    def build(self) -> None:
        f = self.form
        self.started_on = f.add("started_on", N_("Started on:"), date_edit(self.session.today().isoformat()))
        self.summary = f.add("summary", N_("Summary of the plan:"), QPlainTextEdit())
        self.contingency = f.add("contingency", N_("Contingency plan:"), QPlainTextEdit())
        self.monitoring = f.add("monitoring", N_("Monitoring arrangements:"), QPlainTextEdit())

    def submit(self) -> dict[str, Any]:
        return PlanService(self.session).start(
            self.case_id, started_on=iso(self.started_on) or "", summary=text_of(self.summary),
            contingency=text_of(self.contingency), monitoring=text_of(self.monitoring))


class PlanOutcomeDialog(StepDialog):
    """An outcome of the active plan and how progress towards it is measured."""

    TITLE = N_("Add an outcome to the plan")
    NAME = "adult_plan_outcome_dialog"

    def build(self) -> None:
        f = self.form
        self.plan = PlanService(self.session).current(self.case_id)
        self.description = f.add("description", N_("Outcome:"), QPlainTextEdit())
        self.measure = f.add("measure", N_("How progress will be measured:"), QPlainTextEdit())
        self.rag = f.add("rag", N_("Rating:"), combo(RAG_ITEMS))

    def submit(self) -> dict[str, Any]:
        if not self.plan:
            raise _no_plan()
        return PlanService(self.session).add_outcome(self.plan["id"], description=text_of(self.description),
                                                     measure=text_of(self.measure), rag=self.rag.currentData())


class PlanActionDialog(StepDialog):
    """An action of the active plan: every action has an owner (a practitioner, an agency or a named person)."""

    TITLE = N_("Add an action to the plan")
    NAME = "adult_plan_action_dialog"

    def build(self) -> None:
        f = self.form
        self.plan = PlanService(self.session).current(self.case_id)
        self.description = f.add("description", N_("Action:"), QPlainTextEdit())
        self.owner = f.add("owner", N_("Who will do it:"), combo([(N_("Someone else (name below)"), None)]))
        for p in self.session.store.rows("SELECT id, given_names, family_name FROM practitioner WHERE deleted = 0"
                                         " AND active = 1 ORDER BY family_name, given_names"):
            self.owner.addItem(" ".join(x for x in (p["given_names"], p["family_name"]) if x), f"practitioner:{p['id']}")
        for a in self.session.store.rows("SELECT id, name FROM agency WHERE deleted = 0 ORDER BY name"):
            self.owner.addItem(a["name"], f"agency:{a['id']}")
        self.owner_name = f.add("owner_name", N_("Their name (the adult, family, or someone else):"), QLineEdit())
        self.due_on = f.add("due_on", N_("Due by (optional):"), date_edit())
        self.outcome = f.add("outcome_id", N_("Towards the outcome:"), combo([(N_("None"), None)]))
        for o in (self.plan or {}).get("outcomes", []):
            self.outcome.addItem(o["description"], o["id"])

    def submit(self) -> dict[str, Any]:
        if not self.plan:
            raise _no_plan()
        chosen = self.owner.currentData()
        name = text_of(self.owner_name)
        if chosen:
            kind, owner_id = chosen.split(":", 1)
        else:
            kind, owner_id = ("person" if name else None), None
        return PlanService(self.session).add_action(
            self.plan["id"], description=text_of(self.description), owner_kind=kind, owner_id=owner_id,
            owner_name=name or None, due_on=iso(self.due_on), outcome_id=self.outcome.currentData())


def _open_conference(session: Any, case_id: str) -> dict[str, Any] | None:
    for conf in ConferenceService(session).for_case(case_id):
        if conf.get("status") not in ("held", "cancelled"):
            return conf
    return None


class ConveneConferenceDialog(StepDialog):
    """Convene the adult protection conference (the lead co-ordinator); each agency owes a report (A7)."""

    TITLE = N_("Convene the adult protection conference")
    NAME = "adult_convene_dialog"

    def build(self) -> None:
        f = self.form
        self.scheduled_on = f.add("scheduled_on", N_("To be held on:"), date_edit())
        self.agency_ids = f.add("agency_ids", N_("Agencies invited (each sends a report):"), agencies(self.session))

    def submit(self) -> dict[str, Any]:
        return ConferenceService(self.session).convene(self.case_id, scheduled_on=iso(self.scheduled_on) or "",
                                                       agency_ids=self.agency_ids.checked())


class ConferenceReportDialog(StepDialog):
    """An agency's written report for the conference reached the chair (A7)."""

    TITLE = N_("Record an agency's conference report")
    NAME = "adult_conference_report_dialog"

    def build(self) -> None:
        f = self.form
        self.conference = _open_conference(self.session, self.case_id)
        self.agency = f.add("agency_id", N_("Agency:"), combo([(N_("Choose…"), None)]))
        for r in (self.conference or {}).get("reports", []):
            if not r.get("received_on"):
                self.agency.addItem(r["agency_name"], r["agency_id"])
        self.received_on = f.add("received_on", N_("Received on:"), date_edit(self.session.today().isoformat()))

    def submit(self) -> dict[str, Any]:
        if not self.conference:
            raise ValidationError(N_("No conference is waiting to be held: convene it first."), field="agency_id")
        if not self.agency.currentData():
            raise ValidationError(N_("Choose the agency whose report arrived."), field="agency_id")
        return ConferenceService(self.session).report_received(self.conference["id"], self.agency.currentData(),
                                                               received_on=iso(self.received_on) or "")


class HoldConferenceDialog(StepDialog):
    """The conference held: the adult's participation and the outcome (a refusal queues the N16 outcome report)."""

    TITLE = N_("Record the conference")
    NAME = "adult_hold_conference_dialog"

    def build(self) -> None:
        f = self.form
        self.conference = _open_conference(self.session, self.case_id)
        self.held_on = f.add("held_on", N_("Held on:"), date_edit(self.session.today().isoformat()))
        self.participation = f.add("participation", N_("How the adult took part:"), combo(PARTICIPATION_ITEMS))
        self.refusal_reason = f.add("refusal_reason", N_("What the adult said about not taking part:"),
                                    QPlainTextEdit())
        self.outcome_summary = f.add("outcome_summary", N_("Outcome:"), QPlainTextEdit())
        self.decisions = f.add("decisions", N_("Decisions (one a line):"), QPlainTextEdit())
        self.support_offered = f.add("support_offered", N_("Support available to the adult (one a line):"),
                                     QPlainTextEdit())

    def submit(self) -> dict[str, Any]:
        if not self.conference:
            raise ValidationError(N_("No conference is waiting to be held: convene it first."), field="held_on")
        return ConferenceService(self.session).hold(
            self.conference["id"], held_on=iso(self.held_on) or "", outcome_summary=text_of(self.outcome_summary),
            decisions=lines(self.decisions), support_offered=lines(self.support_offered),
            participation=self.participation.currentData(), refusal_reason=text_of(self.refusal_reason))


STEPS: list[tuple[str, str, type[StepDialog]]] = [
    ("record_report", N_("Record the report…"), ReportDialog),
    ("record_screening", N_("Screening decision…"), ScreeningDialog),
    ("conclude_enquiry", N_("Conclude the enquiries…"), EnquiryDialog),
    ("appoint_coordinator", N_("Appoint lead co-ordinator…"), AppointDialog),
    ("delegate_coordinator", N_("Delegate lead co-ordinator…"), DelegateDialog),
    ("end_delegation", N_("End the delegation…"), EndDelegationDialog),
    ("record_capacity", N_("Capacity assessment…"), CapacityDialog),
    ("record_best_interests", N_("Best-interests decision…"), BestInterestsDialog),
    ("change_lead_practitioner", N_("Change lead practitioner…"), LeadPractitionerDialog),
    ("offer_advocate", N_("Offer an advocate…"), AdvocacyDialog),
    ("advocate_answer", N_("Answer to the advocate offer…"), AdvocacyAnswerDialog),
    ("record_wishes", N_("Wishes and feelings…"), WishesDialog),
    ("record_partnership", N_("Partnership with the adult…"), PartnershipDialog),
    ("start_plan", N_("Start the plan…"), PlanStartDialog),
    ("plan_outcome", N_("Plan outcome…"), PlanOutcomeDialog),
    ("plan_action", N_("Plan action…"), PlanActionDialog),
    ("review_plan", N_("Review the plan…"), PlanReviewDialog),
    ("convene_conference", N_("Convene conference…"), ConveneConferenceDialog),
    ("conference_report", N_("Conference report received…"), ConferenceReportDialog),
    ("hold_conference", N_("Record the conference…"), HoldConferenceDialog),
    ("close_case", N_("Close the case…"), ClosureDialog),
]
"""(button object name, button label msgid, dialog class) in the order of the journey."""
