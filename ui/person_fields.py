"""The person form's fields: what each is, how it reads and shows dates, its error label.

Dates are typed the UK way (23/11/2026) and sent to the service as ISO without checking, so the
service's own :class:`ValidationError` says what is wrong, in the reader's language.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QLineEdit

from desktop.domain.types import LanguagePreference, label
from desktop.i18n import N_, _
from ui.formatting import from_iso, to_iso
from ui.widgets import FieldError

# (field, kind, label msgid, accessible-name msgid)
DETAILS: list[tuple[str, str, str, str]] = [
    ("title", "text", N_("Title:"), N_("Title")),
    ("given_names", "text", N_("Given names:"), N_("Given names")),
    ("family_name", "text", N_("Family name:"), N_("Family name")),
    ("preferred_name", "text", N_("Preferred name:"), N_("Preferred name")),
    ("date_of_birth", "date", N_("Date of birth:"), N_("Date of birth")),
    ("sex", "text", N_("Sex:"), N_("Sex")),
    ("la_number", "text", N_("Local authority number:"), N_("Local authority number")),
    ("nhs_number", "text", N_("NHS number:"), N_("NHS number")),
    ("first_language", "text", N_("First language:"), N_("First language")),
    ("school", "text", N_("School:"), N_("School")),
    ("gp", "text", N_("GP:"), N_("GP")),
]
CONTACT: list[tuple[str, str, str, str]] = [
    ("phone", "text", N_("Phone:"), N_("Phone")),
    ("email", "text", N_("Email:"), N_("Email")),
    ("correspondence_language", "combo", N_("Correspondence language:"), N_("Correspondence language")),
    ("language_asked_on", "date", N_("Date the preference was asked:"), N_("Date the preference was asked")),
    ("interpreter_needed", "check", N_("Needs an interpreter"), N_("Needs an interpreter")),
    ("interpreter_language", "text", N_("Interpreter language:"), N_("Interpreter language")),
    ("communication_needs", "text", N_("Communication needs:"), N_("Communication needs")),
]


class PersonField:
    """One editor and its error label."""

    def __init__(self, name: str, kind: str, label_msgid: str, name_msgid: str) -> None:
        self.name, self.kind, self.label_msgid, self.name_msgid = name, kind, label_msgid, name_msgid
        self.label = QLabel()
        self.error = FieldError()
        self.widget: QComboBox | QCheckBox | QLineEdit
        if kind == "combo":
            self.widget = QComboBox()
            for pref in LanguagePreference:
                self.widget.addItem("", str(pref))
        elif kind == "check":
            self.widget = QCheckBox()
        else:
            self.widget = QLineEdit()
            if kind == "date":
                self.widget.setMaxLength(10)
        self.widget.setObjectName(f"field_{name}")
        self.label.setBuddy(self.widget)

    def retranslate(self) -> None:
        w = self.widget
        if isinstance(w, QCheckBox):
            w.setText(_(self.label_msgid))
            self.label.setText("")
        else:
            self.label.setText(_(self.label_msgid))
        w.setAccessibleName(_(self.name_msgid))
        if self.kind == "date" and isinstance(w, QLineEdit):
            w.setPlaceholderText(_("dd/mm/yyyy"))
            w.setToolTip(_("Day, month and year, like 23/11/2026"))
        if isinstance(w, QComboBox):
            for i in range(w.count()):
                w.setItemText(i, label(w.itemData(i)))

    def raw(self) -> Any:
        """The editor's content as typed (what a draft keeps)."""
        w = self.widget
        if isinstance(w, QComboBox):
            return w.currentData()
        if isinstance(w, QCheckBox):
            return w.isChecked()
        return w.text()

    def set_raw(self, value: Any) -> None:
        w = self.widget
        if isinstance(w, QComboBox):
            w.setCurrentIndex(max(w.findData(value or LanguagePreference.UNKNOWN), 0))
        elif isinstance(w, QCheckBox):
            w.setChecked(bool(value))
        else:
            w.setText("" if value is None else str(value))

    def value(self) -> Any:
        """The value to send to the service."""
        raw = self.raw()
        if self.kind == "date":
            return to_iso(raw)
        if self.kind == "check":
            return int(bool(raw))
        if self.kind == "text":
            return raw.strip() or None
        return raw

    def stored_as_raw(self, stored: Any) -> Any:
        if self.kind == "date":
            return from_iso(stored)
        if self.kind == "check":
            return bool(stored)
        if self.kind == "combo":
            return stored or LanguagePreference.UNKNOWN
        return "" if stored is None else str(stored)

    def set_editable(self, editable: bool) -> None:
        if isinstance(self.widget, QLineEdit):
            self.widget.setReadOnly(not editable)
        else:
            self.widget.setEnabled(editable)
