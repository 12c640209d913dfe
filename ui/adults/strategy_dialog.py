"""Recording the adult strategy meeting (A2; N4). GUI thread; one service call per save.

A half-typed form is kept as a draft (form ``adult_strategy``, context the case id; autosaved a few
seconds after each edit and on cancel) and comes back when the form is opened again; saving discards it.

Everything typed goes to :class:`desktop.services.adults.StrategyService`, which decides what is
allowed: the signed-in person must be the lead co-ordinator (they chair), the lead practitioner needs
contact details, no lead practitioner needs a reason (and the senior manager is told at once), the
visiting frequency can only be stricter than every 4 weeks, an IMCA when one is required. The
refusal's message appears beside the field it names.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop.i18n import N_, _
from desktop.services.adults import StrategyService
from desktop.services.drafts import DraftService
from ui.adults.forms import Form, combo, date_edit, iso, relabel, text_of
from ui.widgets import KeepsDrafts
from ui.windows import register_sensitive

KINDS = [(N_("Strategy meeting"), "meeting"), (N_("Strategy discussion"), "discussion")]
UNITS = [(N_("weeks"), "weeks"), (N_("working days"), "working_days"), (N_("days"), "days")]
ADVOCATES = [(N_("Independent advocate"), "independent"), (N_("IMCA (Independent Mental Capacity Advocate)"), "imca"),
             (N_("Informal advocate (family or friend)"), "informal")]
RESPONSES = [(N_("Awaiting the adult's answer"), "awaiting"), (N_("Accepted"), "accepted"),
             (N_("Declined"), "declined")]
AGENCY_ID_ROLE = Qt.ItemDataRole.UserRole + 1
DRAFT_FORM = "adult_strategy"


class StrategyMeetingDialog(KeepsDrafts, QDialog):
    """Record one strategy meeting. Emits :attr:`saved` with the service's result (a dict)."""

    saved = Signal(dict)

    def __init__(self, session: Any, case_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("adult_strategy_dialog")
        register_sensitive(self)
        self.session, self.case_id = session, case_id
        store = session.store
        layout = QFormLayout()
        self.form = Form(layout)
        f = self.form
        self.kind = f.add("kind", N_("Kind:"), combo(KINDS))
        self.held_on = f.add("held_on", N_("Held on:"), date_edit(session.today().isoformat()))
        self.members = QListWidget()
        for a in store.rows("SELECT id, name FROM agency WHERE deleted = 0 ORDER BY name"):
            item = QListWidgetItem(a["name"])
            item.setData(AGENCY_ID_ROLE, a["id"])
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.members.addItem(item)
        f.add("members", N_("Agencies in the strategy group:"), self.members)
        people = store.rows("SELECT id, given_names, family_name, job_title FROM practitioner WHERE deleted = 0"
                            " AND active = 1 ORDER BY family_name, given_names")
        self.lead = f.add("lead_practitioner_id", N_("Lead practitioner:"),
                          combo([(N_("None identified"), None)]))
        for p in people:
            self.lead.addItem(" ".join(x for x in (p["given_names"], p["family_name"]) if x)
                              + (f" ({p['job_title']})" if p.get("job_title") else ""), p["id"])
        self.contact = f.add("lead_practitioner_contact", N_("Lead practitioner's contact details:"), QLineEdit())
        self.no_lead_reason = f.add("no_lead_reason", N_("Why no lead practitioner could be identified:"),
                                    QPlainTextEdit())
        self.visit_every = f.add("visit_every", N_("See the adult alone at least every (0 = every 4 weeks):"),
                                 QSpinBox())
        self.visit_every.setRange(0, 60)
        self.visit_unit = f.add("visit_unit", N_("Unit:"), combo(UNITS))
        self.advocate_offered = f.add("advocate_offered", N_("An advocate was offered"), QCheckBox())
        self.imca_required = f.add("imca_required", N_("An IMCA is required"), QCheckBox())
        self.advocate_type = f.add("advocate_type", N_("Advocate offered:"), combo(ADVOCATES))
        self.advocate_response = f.add("advocate_response", N_("The adult's answer:"), combo(RESPONSES))
        self.advocacy_note = f.add("advocacy_note", N_("Why no advocate was offered:"), QPlainTextEdit())
        self.consent = f.add("consent_checked", N_("The adult's consent:"), QLineEdit())
        self.liaison = f.add("liaison", N_("Who explains the decisions to the adult and family:"), QLineEdit())
        self.decisions = f.add("decisions", N_("Decisions:"), QPlainTextEdit())
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        outer = QVBoxLayout(self)
        outer.addWidget(self.form.general)
        outer.addLayout(layout)
        outer.addWidget(self.buttons)
        draft = DraftService(session).load(DRAFT_FORM, case_id)
        if draft:
            self.restore(draft)
        self._saved = False
        self.autosave([self.kind, self.held_on, self.lead, self.contact, self.no_lead_reason, self.visit_every,
                             self.visit_unit, self.advocate_offered, self.imca_required, self.advocate_type,
                             self.advocate_response, self.advocacy_note, self.consent, self.liaison, self.decisions])
        self.members.itemChanged.connect(self.edited)
        self.retranslate()

    # -- drafts -------------------------------------------------------------------------------
    _COMBOS = ("kind", "lead", "visit_unit", "advocate_type", "advocate_response")
    _TEXTS = ("contact", "no_lead_reason", "advocacy_note", "consent", "liaison", "decisions")
    _CHECKS = ("advocate_offered", "imca_required")

    def raw(self) -> dict[str, Any]:
        """What is typed, as plain data (what a draft keeps)."""
        out: dict[str, Any] = {"held_on": self.held_on.text(), "visit_every": self.visit_every.value(),
                               "members": [self.members.item(i).data(AGENCY_ID_ROLE)
                                           for i in range(self.members.count())
                                           if self.members.item(i).checkState() == Qt.CheckState.Checked]}
        out.update({k: getattr(self, k).currentData() for k in self._COMBOS})
        out.update({k: text_of(getattr(self, k)) for k in self._TEXTS})
        out.update({k: getattr(self, k).isChecked() for k in self._CHECKS})
        return out

    def restore(self, data: dict[str, Any]) -> None:
        self.held_on.setText(data.get("held_on") or self.held_on.text())
        self.visit_every.setValue(int(data.get("visit_every") or 0))
        for i in range(self.members.count()):
            self.check_agency(self.members.item(i).data(AGENCY_ID_ROLE),
                              self.members.item(i).data(AGENCY_ID_ROLE) in (data.get("members") or []))
        for k in self._COMBOS:
            box = getattr(self, k)
            box.setCurrentIndex(max(box.findData(data.get(k)), 0))
        for k in self._TEXTS:
            widget = getattr(self, k)
            value = data.get(k) or ""
            if isinstance(widget, QPlainTextEdit):
                widget.setPlainText(value)
            else:
                widget.setText(value)
        for k in self._CHECKS:
            getattr(self, k).setChecked(bool(data.get(k)))

    def save_draft(self) -> None:
        """Keep what is typed (one small write)."""
        self._autosave.stop()
        if not self._saved:
            DraftService(self.session).save(DRAFT_FORM, self.raw(), self.case_id)

    def changeEvent(self, event: Any) -> None:  # noqa: N802 - Qt's name
        from PySide6.QtCore import QEvent

        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.setWindowTitle(_("Record the strategy meeting"))
        self.form.retranslate()
        for box in (self.kind, self.lead, self.visit_unit, self.advocate_type, self.advocate_response):
            relabel(box)
        self.members.setAccessibleName(_("Agencies in the strategy group"))
        self.contact.setPlaceholderText(_("Phone and email (left empty: from their record)"))
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(_("Save"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))

    def check_agency(self, agency_id: str, checked: bool = True) -> None:
        for i in range(self.members.count()):
            item = self.members.item(i)
            if item.data(AGENCY_ID_ROLE) == agency_id:
                item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    def save(self) -> bool:
        """Send the meeting to the service; ``False`` (and the reason shown) if it was refused."""
        members = [{"agency_id": self.members.item(i).data(AGENCY_ID_ROLE)} for i in range(self.members.count())
                   if self.members.item(i).checkState() == Qt.CheckState.Checked]
        every = self.visit_every.value()
        offered = self.advocate_offered.isChecked()
        try:
            result = StrategyService(self.session).record(
                self.case_id, kind=self.kind.currentData(), held_on=iso(self.held_on), members=members,
                decisions=text_of(self.decisions), lead_practitioner_id=self.lead.currentData(),
                lead_practitioner_contact=text_of(self.contact), no_lead_reason=text_of(self.no_lead_reason),
                visit_every=every or None, visit_unit=self.visit_unit.currentData() if every else None,
                advocate_offered=offered, advocate_type=self.advocate_type.currentData() if offered else None,
                advocate_response=self.advocate_response.currentData(), imca_required=self.imca_required.isChecked(),
                advocacy_note=text_of(self.advocacy_note), consent_checked=text_of(self.consent),
                liaison=text_of(self.liaison))
        except Exception as exc:  # noqa: BLE001 - every refusal is shown, nothing is saved
            self.form.show_error(exc)
            return False
        self._saved = True
        self._autosave.stop()
        DraftService(self.session).discard(DRAFT_FORM, self.case_id)
        self.form.clear_errors()
        self.saved.emit(result)
        self.accept()
        return True
