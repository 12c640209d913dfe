"""Add a new current address to a person (the old one is ended the day the new one starts).

Thread contract: GUI thread; one small write.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from desktop.errors import DiogelError, ValidationError
from desktop.i18n import N_, _
from desktop.services.persons import PersonService
from ui.person_dialog import to_iso
from ui.widgets import FieldError, Retranslating
from ui.windows import register_sensitive

FIELDS = [
    ("line1", N_("First line:"), N_("First line of the address")),
    ("line2", N_("Second line:"), N_("Second line of the address")),
    ("town", N_("Town:"), N_("Town")),
    ("county", N_("County:"), N_("County")),
    ("postcode", N_("Postcode:"), N_("Postcode")),
    ("from_date", N_("Lives here from:"), N_("Lives here from")),
]


class AddressDialog(Retranslating, QDialog):
    added = Signal()

    def __init__(self, session: Any, person_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("address_dialog")
        self.session = session
        self.person_id = person_id
        register_sensitive(self)
        self.edits: dict[str, QLineEdit] = {}
        self.labels: dict[str, QLabel] = {}
        self.errors: dict[str, FieldError] = {}
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for name, _label, _acc in FIELDS:
            edit, lab, err = QLineEdit(), QLabel(), FieldError()
            edit.setObjectName(f"address_{name}")
            lab.setBuddy(edit)
            box = QVBoxLayout()
            box.setContentsMargins(0, 0, 0, 0)
            box.addWidget(edit)
            box.addWidget(err)
            form.addRow(lab, box)
            self.edits[name], self.labels[name], self.errors[name] = edit, lab, err
        self.general_error = FieldError()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.general_error)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(460)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(_("New address"))
        for name, label_msgid, acc_msgid in FIELDS:
            self.labels[name].setText(_(label_msgid))
            self.edits[name].setAccessibleName(_(acc_msgid))
        self.edits["from_date"].setPlaceholderText(_("dd/mm/yyyy"))
        self.edits["from_date"].setToolTip(_("Leave empty for today"))
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setAccessibleName(_("Save"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setAccessibleName(_("Cancel"))

    def save(self) -> bool:
        for err in [*self.errors.values(), self.general_error]:
            err.clear()
        values = {k: (e.text().strip() or None) for k, e in self.edits.items()}
        values["from_date"] = to_iso(self.edits["from_date"].text())
        try:
            PersonService(self.session).add_address(self.person_id, values)
        except ValidationError as err:
            target = self.errors.get(err.field or "", self.general_error)
            target.show_error(err)
            if err.field in self.edits:
                self.edits[err.field].setFocus()
            return False
        except DiogelError as err:
            self.general_error.show_error(err)
            return False
        self.added.emit()
        self.accept()
        return True
