"""The person form's fields (:class:`~ui.forms.Field` s) and the first-language list (GUI thread).

Dates are typed the UK way (23/11/2026) and sent to the service as ISO without checking, so the
service's own :class:`ValidationError` says what is wrong, in the reader's language. A first language
is chosen from Welsh and English (stored as their codes, shown as their names in the interface
language) or typed when it is another.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QComboBox

from desktop.domain.types import LanguagePreference
from desktop.i18n import N_, _
from ui.formatting import from_iso, to_iso
from ui.forms import Field

__all__ = ["CONTACT", "DETAILS", "FIRST_LANGUAGES", "PERSON_FIELDS", "FirstLanguageEditor", "from_iso", "to_iso"]

DETAILS: list[Field] = [
    Field("title", "text", N_("Title:")),
    Field("given_names", "text", N_("Given names:")),
    Field("family_name", "text", N_("Family name:")),
    Field("preferred_name", "text", N_("Preferred name:")),
    Field("date_of_birth", "date", N_("Date of birth:")),
    Field("sex", "text", N_("Sex:")),
    Field("la_number", "text", N_("Local authority number:")),
    Field("nhs_number", "text", N_("NHS number:")),
    Field("first_language", "custom", N_("First language:")),
    Field("school", "text", N_("School:")),
    Field("gp", "text", N_("GP:")),
]
CONTACT: list[Field] = [
    Field("phone", "text", N_("Phone:")),
    Field("email", "text", N_("Email:")),
    Field("correspondence_language", "choice", N_("Correspondence language:"), [str(p) for p in LanguagePreference]),
    Field("language_asked_on", "date", N_("Date the preference was asked:")),
    Field("asked_by", "shown", N_("Asked by:")),
    Field("interpreter_needed", "check", N_("Needs an interpreter")),
    Field("interpreter_language", "text", N_("Interpreter language:")),
    Field("communication_needs", "text", N_("Communication needs:")),
]
PERSON_FIELDS = [f.name for f in (*DETAILS, *CONTACT) if f.kind != "shown"]
"""The person's own fields (what is stored and sent to the service)."""

FIRST_LANGUAGES = {"cy": N_("Welsh"), "en": N_("English")}
"""First languages offered by name (stored as their codes); any other is typed."""


class FirstLanguageEditor:
    """Welsh or English from the list, or another language typed in; the value is the code of a listed
    language, the text typed for another, ``None`` when empty."""

    def __init__(self) -> None:
        self.widget = QComboBox()
        self.widget.setEditable(True)
        self.widget.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.widget.addItem("", None)
        for code in FIRST_LANGUAGES:
            self.widget.addItem("", code)

    def value(self) -> Any:
        text = self.widget.currentText().strip()
        chosen = self.widget.currentIndex()
        if chosen > 0 and text == self.widget.itemText(chosen).strip():
            return self.widget.itemData(chosen)
        for i in range(1, self.widget.count()):
            if text and text == self.widget.itemText(i):
                return self.widget.itemData(i)
        return text or None

    raw = value

    def set_raw(self, value: Any) -> None:
        index = self.widget.findData(value) if value else 0
        if index >= 0:
            self.widget.setCurrentIndex(index)
        else:
            self.widget.setEditText(str(value))

    def retranslate(self) -> None:
        chosen = self.value()
        for i in range(1, self.widget.count()):
            self.widget.setItemText(i, _(FIRST_LANGUAGES[self.widget.itemData(i)]))
        self.set_raw(chosen)

    def watch(self, changed: Callable[..., None]) -> None:
        self.widget.currentTextChanged.connect(changed)
