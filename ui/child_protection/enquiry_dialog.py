"""A section 47 enquiry: the child seen (and seen alone), the determination (1 not substantiated,
2 substantiated but not at continuing risk, 3 at continuing risk) with its reasons, and a manager's
ratification of determination 1 (the Ratify button is enabled only for ``Can.RATIFY``).

Save records the child seen when a date is given (:meth:`EnquiryService.record_seen`, which keeps the
latest date, so saving again is harmless) and the determination when one is chosen
(:meth:`EnquiryService.determine`).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QCheckBox, QComboBox, QPlainTextEdit, QPushButton, QWidget

from desktop.i18n import N_, _
from desktop.services.child_protection import EnquiryService
from desktop.services.permissions import Can
from ui.adults.forms import combo, date_edit, iso
from ui.child_protection.form_dialog import StepDialog, children_of
from ui.formatting import show_date

DETERMINATIONS = [
    (N_("Not determined yet"), None),
    (N_("1 – not substantiated"), 1),
    (N_("2 – substantiated, not at continuing risk"), 2),
    (N_("3 – at continuing risk of significant harm"), 3),
]


class EnquiryDialog(StepDialog):
    DRAFT_FORM = "cp_enquiry"
    TITLE = N_("Section 47 enquiry")

    def __init__(self, session: Any, case_id: str, parent: QWidget | None = None) -> None:
        super().__init__(session, case_id, parent)
        self.setObjectName("cp_enquiry_dialog")

    def build(self) -> None:
        self.service = EnquiryService(self.session)
        names = dict(children_of(self.session, self.case_id))
        f = self.form
        self.enquiry = f.add("enquiry_id", N_("Enquiry:"), QComboBox())
        self._enquiries = {e["id"]: e for e in self.service.for_case(self.case_id)}
        for e in self._enquiries.values():
            self.enquiry.addItem(names.get(e["person_id"], ""), e["id"])
        self._names = names
        self.seen_on = f.add("seen_on", N_("Date the child was seen:"), date_edit(None))
        self.seen_alone = f.add("seen_alone", N_("The child was seen alone"), QCheckBox())
        self.determination = f.add("determination", N_("Determination:"), combo(DETERMINATIONS))
        self.reason = f.add("reason", N_("Reasons for the determination:"), QPlainTextEdit())
        self.determined_on = f.add("determined_on", N_("Date determined:"),
                                   date_edit(self.session.today().isoformat()))
        self.ratify_button = QPushButton()
        self.ratify_button.setObjectName("ratify")
        self.ratify_button.setEnabled(self.session.can(Can.RATIFY))
        self.ratify_button.clicked.connect(self.ratify)
        self.below.append(self.ratify_button)

    def retranslate_more(self) -> None:
        for i in range(self.enquiry.count()):
            e = self._enquiries[self.enquiry.itemData(i)]
            # L10N: a section 47 enquiry in a list: the child's name and the day it started.
            self.enquiry.setItemText(i, _("{name}, started {date}").format(
                name=self._names.get(e["person_id"], ""), date=show_date(e["started_on"])))
        self.ratify_button.setText(_("Ratify determination 1"))
        self.ratify_button.setAccessibleName(_("Ratify determination 1"))

    def submit(self) -> dict[str, Any]:
        enquiry_id = self.enquiry.currentData()
        row: dict[str, Any] | None = None
        if self.seen_on.text().strip():
            row = self.service.record_seen(enquiry_id, seen_on=iso(self.seen_on),
                                           seen_alone=self.seen_alone.isChecked())
        if row is None or self.determination.currentData() is not None:
            row = self.service.determine(enquiry_id, self.determination.currentData(),
                                         reason=self.reason.toPlainText(), determined_on=iso(self.determined_on))
        return row

    def ratify(self) -> bool:
        """A manager ratifies determination 1 of the chosen enquiry."""
        try:
            row = self.service.ratify(self.enquiry.currentData())
        except Exception as exc:  # noqa: BLE001 - the refusal is shown, nothing is saved
            self.show_error(exc)
            return False
        self.form.clear_errors()
        self.saved.emit(row["id"])
        self.accept()
        return True
