"""A section 47 enquiry: the child seen (and seen alone), the determination (1 not substantiated,
2 substantiated but not at continuing risk, 3 at continuing risk) with its reasons, and a manager's
ratification of determination 1 (the Ratify button is there only for ``Can.RATIFY``).

Save records the child seen when a date is given (:meth:`EnquiryService.record_seen`, which keeps the
latest date, so saving again is harmless) and the determination when one is chosen
(:meth:`EnquiryService.determine`).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QDialogButtonBox, QPushButton

from desktop.errors import DiogelError
from desktop.i18n import N_, _
from desktop.services.child_protection import EnquiryService
from desktop.services.permissions import Can
from ui.child_protection.cp_form import CpForm, children
from ui.formatting import show_date
from ui.forms import Field

DETERMINATIONS = {
    "1": N_("1 – not substantiated"),
    "2": N_("2 – substantiated, not at continuing risk"),
    "3": N_("3 – at continuing risk of significant harm"),
}


class EnquiryDialog(CpForm):
    OBJECT_NAME = "cp_enquiry_dialog"
    TITLE = N_("Section 47 enquiry")
    FIELDS = [
        Field("enquiry_id", "items", N_("Enquiry:")),
        Field("seen_on", "date", N_("Date the child was seen:")),
        Field("seen_alone", "check", N_("The child was seen alone")),
        Field("determination", "optional", N_("Determination:"), DETERMINATIONS),
        Field("reason", "long", N_("Reasons for the determination:")),
        Field("determined_on", "date", N_("Date determined:")),
    ]
    TODAY = ("determined_on",)
    BLANKS = {"determination": N_("Not determined yet")}

    def items(self, name: str) -> list[tuple[Any, str]]:
        if name == "enquiry_id":
            self.enquiries = {e["id"]: e for e in EnquiryService(self.session).for_case(self.case)}
            self.names = dict(children(self.session, self.case))
            return [(eid, "") for eid in self.enquiries]
        return super().items(name)

    def prepare(self) -> None:
        super().prepare()
        self.service = EnquiryService(self.session)
        self.ratify_button = QPushButton()
        self.ratify_button.setObjectName("ratify")
        self.ratify_button.clicked.connect(self.ratify)
        self.buttons.addButton(self.ratify_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.ratify_button.setVisible(self.session.can(Can.RATIFY))

    def retranslate_more(self) -> None:
        super().retranslate_more()
        combo = self.combo("enquiry_id")
        for i in range(combo.count()):
            e = self.enquiries[combo.itemData(i)]
            # L10N: a section 47 enquiry in a list: the child's name and the day it started.
            combo.setItemText(i, _("{name}, started {date}").format(
                name=self.names.get(e["person_id"], ""), date=show_date(e["started_on"])))
        self.ratify_button.setText(_("Ratify determination 1"))
        self.ratify_button.setAccessibleName(_("Ratify determination 1"))

    def submit(self, values: dict[str, Any]) -> dict[str, Any]:
        enquiry_id = values["enquiry_id"] or ""
        row: dict[str, Any] | None = None
        if values["seen_on"]:
            row = self.service.record_seen(enquiry_id, seen_on=values["seen_on"], seen_alone=values["seen_alone"])
        if row is None or values["determination"] is not None:
            row = self.service.determine(enquiry_id, int(values["determination"] or 0),
                                         reason=values["reason"], determined_on=values["determined_on"])
        return row

    def ratify(self) -> bool:
        """A manager ratifies determination 1 of the chosen enquiry: refused or faulted as a save is."""
        self.clear_errors()
        try:
            row = self.service.ratify(self.value("enquiry_id") or "")
        except DiogelError as err:
            self.show_refusal(err)
            return False
        except Exception as exc:  # noqa: BLE001 - a bug: logged and shown as one
            self.show_fault(exc)
            return False
        self.saved.emit(str(row["id"]))
        self.accept()
        return True
