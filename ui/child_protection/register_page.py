"""The register custodian's page (sidebar area ``register``): the child protection register with each
entry's categories, co-ordinator and status, and the enquiries log with a form to answer an enquiry
(N22: registration and the co-ordinator's name are given only to an identity-checked enquirer from a
partner agency; every enquiry is logged). GUI thread; one short service call per action.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.urgency import Urgency
from desktop.i18n import N_, _, format_datetime, ngettext
from desktop.services.child_protection import RegisterService
from desktop.services.child_protection.codes import CATEGORY_LABELS
from desktop.services.directory import DirectoryService
from ui.formatting import show_date
from ui.tasks import store_watcher
from ui.urgency import style_cell
from ui.widgets import FieldError, Retranslating, fit_columns, scaled_pt

ENTRY_HEADERS = [N_("Child"), N_("Date of birth"), N_("Status"), N_("Registered"), N_("Categories"),
                 N_("Co-ordinator"), N_("De-registered")]
ENQUIRY_HEADERS = [N_("Asked at"), N_("Enquirer"), N_("About"), N_("Identity checked"), N_("Information given")]
STATUS = {"active": N_("On the register"), "temporary": N_("Temporary entry"), "deregistered": N_("De-registered")}
GIVEN = {"nothing": N_("Nothing given"), "not_registered": N_("Not on the register"),
         "registered_and_coordinator": N_("On the register; co-ordinator named")}


class RegisterPage(Retranslating, QWidget):
    def __init__(self, session: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("register_page")
        self.session = session
        self.service = RegisterService(session)
        self.entries = QTreeWidget()
        self.entries.setObjectName("register_entries")
        self.enquiries = QTreeWidget()
        self.enquiries.setObjectName("register_enquiries")
        for tree in (self.entries, self.enquiries):
            tree.setRootIsDecorated(False)
        self.heading = QLabel()
        self.heading.setStyleSheet(f"font-size: {scaled_pt(14)}; font-weight: 600;")
        self.enquirer = QLineEdit()
        self.enquirer.setObjectName("field_enquirer_name")
        self.agency = QComboBox()
        self.agency.setObjectName("field_agency_id")
        for a in DirectoryService(session).agencies():
            self.agency.addItem(a.name, a.id)
        self.identity = QCheckBox()
        self.identity.setObjectName("field_identity_checked")
        self.child = QComboBox()
        self.child.setObjectName("field_person_id")
        self.ask = QPushButton()
        self.ask.setObjectName("record_enquiry")
        self.ask.clicked.connect(self.record_enquiry)
        self.answer = QLabel()
        self.answer.setObjectName("enquiry_answer")
        self.answer.setWordWrap(True)
        self.error = FieldError()
        self.labels = [QLabel() for _ in range(3)]
        form = QFormLayout()
        form.addRow(self.labels[0], self.enquirer)
        form.addRow(self.labels[1], self.agency)
        form.addRow(self.labels[2], self.child)
        form.addRow("", self.identity)
        row = QHBoxLayout()
        row.addWidget(self.ask)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.entries, 3)
        layout.addLayout(form)
        layout.addLayout(row)
        layout.addWidget(self.error)
        layout.addWidget(self.answer)
        layout.addWidget(self.enquiries, 2)
        self._answer: tuple[str, dict[str, Any]] | None = None
        store_watcher(session).changed.connect(self._store_changed)
        self.retranslate()

    def retranslate(self) -> None:
        self.heading.setText(_("Child protection register"))
        self.entries.setHeaderLabels([_(h) for h in ENTRY_HEADERS])
        fit_columns(self.entries)
        self.entries.setAccessibleName(_("Child protection register"))
        self.enquiries.setHeaderLabels([_(h) for h in ENQUIRY_HEADERS])
        fit_columns(self.enquiries)
        self.enquiries.setAccessibleName(_("Register enquiries"))
        for label, msgid in zip(self.labels, (N_("Enquirer:"), N_("Agency:"), N_("Child:")), strict=True):
            label.setText(_(msgid))
        for label, editor in zip(self.labels, (self.enquirer, self.agency, self.child), strict=True):
            label.setBuddy(editor)  # Alt + the label's letter reaches the box
            editor.setAccessibleName(label.text().rstrip(":"))
        self.identity.setText(_("The enquirer's identity has been checked"))
        self.ask.setText(_("Record the enquiry and answer"))
        self.error.retranslate()
        self._show_answer()
        self.refresh()

    def _store_changed(self, tables: set[str], _cases: set[str]) -> None:
        if tables & {"register_entry", "register_enquiry", "register_history"}:
            self.refresh()

    def refresh(self) -> None:
        self.entries.clear()
        current = self.child.currentData()
        self.child.clear()
        today = self.session.today()
        for e in self.service.entries():
            name = f"{e['given_names'] or ''} {e['family_name']}".strip()
            cats = ", ".join(_(CATEGORY_LABELS[c]) for c in json.loads(e["categories"] or "[]"))
            row = QTreeWidgetItem([
                name, show_date(e["date_of_birth"]), _(STATUS[e["status"]]), show_date(e["registered_on"]), cats,
                e["coordinator_name"] or "", show_date(e["deregistered_on"])])
            if e["status"] != "deregistered" and not e["coordinator_name"]:
                # The breach the senior manager must hear of at once (N3): never a blank cell.
                days = (today - date.fromisoformat(e["registered_on"])).days
                style_cell(row, 5, Urgency.OVERDUE, ngettext(
                    "None named: escalated {n} day ago", "None named: escalated {n} days ago", days).format(n=days))
            self.entries.addTopLevelItem(row)
            if e["status"] != "deregistered":
                self.child.addItem(f"{name} ({show_date(e['date_of_birth'])})", e["person_id"])
        if current is not None:
            self.child.setCurrentIndex(max(self.child.findData(current), 0))
        self.enquiries.clear()
        for q in self.service.enquiries():
            self.enquiries.addTopLevelItem(QTreeWidgetItem([
                format_datetime(datetime.fromisoformat(q["asked_at"])), q["enquirer_name"], q["subject_text"],
                _("Yes") if q["identity_checked"] else _("No"), _(GIVEN.get(q["information_given"], ""))]))

    def record_enquiry(self) -> dict[str, Any] | None:
        self.error.clear()
        try:
            result = self.service.record_enquiry(
                enquirer_name=self.enquirer.text(), agency_id=self.agency.currentData(),
                identity_checked=self.identity.isChecked(), subject_text=self.child.currentText(),
                person_id=self.child.currentData())
        except Exception as exc:  # noqa: BLE001 - the refusal is shown, nothing is saved
            from desktop.errors import DiogelError

            if isinstance(exc, DiogelError):
                self.error.show_error(exc)
                return None
            raise
        if not result["given"]:
            self._answer = (N_("Nothing can be given: check the enquirer's identity and that their agency is a"
                               " partner agency. The enquiry has been logged."), {})
        elif result["registered"]:
            self._answer = (N_("The child is on the register. Co-ordinator: {name}."),
                            {"name": result["coordinator_name"] or _("none named")})
        else:
            self._answer = (N_("The child is not on the register."), {})
        self._show_answer()
        return result

    def _show_answer(self) -> None:
        self.answer.setText(_(self._answer[0]).format(**self._answer[1]) if self._answer else "")
