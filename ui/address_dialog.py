"""Add a new current address to a person (the old one is ended the day the new one starts).

A :class:`~ui.forms.Form` (GUI thread): one small write through :meth:`PersonService.add_address`; a
refusal (a postcode that is not one, a start before the current address's) shows beside its field.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QWidget

from desktop.i18n import N_
from desktop.services.persons import PersonService
from ui.forms import Field, Form


class AddressDialog(Form):
    """:attr:`saved` carries the new address's id."""

    OBJECT_NAME = "address_dialog"
    TITLE = N_("New address")
    FIELDS = [
        Field("line1", "text", N_("First line:")),
        Field("line2", "text", N_("Second line:")),
        Field("town", "text", N_("Town:")),
        Field("county", "text", N_("County:")),
        Field("postcode", "text", N_("Postcode:")),
        Field("from_date", "date", N_("Lives here from:"), help=N_("Leave empty for today")),
    ]

    def __init__(self, session: Any, person_id: str, parent: QWidget | None = None) -> None:
        super().__init__(session, person_id=person_id, parent=parent)

    def submit(self, values: dict[str, Any]) -> dict[str, Any]:
        return PersonService(self.session).add_address(self.person_id or "", values)
