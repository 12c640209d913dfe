"""Edit a person: details, contact and language preference, addresses with history.

A :class:`~ui.forms.Form` (GUI thread): the fields (:mod:`ui.person_fields`) start at what is stored, and
a save sends only what changed to :meth:`PersonService.update` — one small write; the service's
:class:`ValidationError` shows beside its field in the interface language and nothing is saved. Admin
staff may change contact details only, so the other fields are read-only for them. What is typed is kept
as a draft (only while it differs from what is stored) and offered back, with a note and a way to discard
it, on the next opening; saving the person discards it. Addresses are added through
:class:`~ui.address_dialog.AddressDialog`, each with its history.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.types import LanguagePreference
from desktop.i18n import N_, _
from desktop.services.cases import CaseService
from desktop.services.drafts import DraftService
from desktop.services.permissions import Can
from desktop.services.persons import CONTACT_FIELDS, PersonService
from ui.formatting import show_date
from ui.forms import Editor, Field, Form
from ui.person_fields import CONTACT, DETAILS, PERSON_FIELDS, FirstLanguageEditor

__all__ = ["PersonDialog"]

HEADING_STYLE = "font-weight: 600; margin-top: 6px;"


class PersonDialog(Form):
    """Edit one person. Emits :attr:`saved` with the person id after a successful save."""

    OBJECT_NAME = "person_dialog"
    TITLE = N_("Edit {name}")
    FIELDS = [*DETAILS, *CONTACT]

    def __init__(self, session: Any, person_id: str, parent: QWidget | None = None) -> None:
        self.persons = PersonService(session)
        self.person: dict[str, Any] = {}  # read on a worker as the form opens (read())
        self.workers: dict[str, str] = {}  # worker id -> name, for who asked the language
        self.can_edit_all = session.can(Can.EDIT_PERSON)
        self.restored = False
        super().__init__(session, person_id=person_id, parent=parent)

    def read(self) -> tuple[dict[str, Any], dict[str, str]]:
        """Worker thread: the person as stored, and the names of the workers who may have asked."""
        workers = {w["id"]: f"{w['given_names']} {w['family_name']}".strip() for w in CaseService(self.session).workers()}
        return self.persons.get(self.person_id or ""), workers

    def title(self) -> str:
        return _(self.TITLE).format(name=self._name()) if self.person else _("Loading…")

    # -- building -----------------------------------------------------------------------------
    def build(self) -> None:
        self.banner = QLabel()
        self.banner.setObjectName("person_draft_banner")
        self.banner.setWordWrap(True)
        self.discard_button = QPushButton()
        self.discard_button.setObjectName("person_discard_draft")
        self.discard_button.clicked.connect(self.discard_draft)
        banner_row = QWidget()
        row = QHBoxLayout(banner_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.banner, 1)
        row.addWidget(self.discard_button)
        banner_row.hide()
        self.banner_row = banner_row
        self.role_note = QLabel()
        self.role_note.setWordWrap(True)
        self.role_note.setVisible(not self.can_edit_all)
        self.body_layout.insertWidget(0, self.role_note)
        self.body_layout.insertWidget(0, banner_row)
        # Headings between the details and the contact and language rows.
        self.headings: list[tuple[QLabel, str]] = []
        for first, msgid in ((DETAILS[0].name, N_("Details")), (CONTACT[0].name, N_("Contact and language"))):
            heading = QLabel()
            heading.setStyleSheet(HEADING_STYLE)
            position = self.rows.getWidgetPosition(self.labels[first])
            self.rows.insertRow(position[0], heading)  # type: ignore[index] # (row, role) in PySide6
            self.headings.append((heading, msgid))
        self.addresses = QTreeWidget()
        self.addresses.setObjectName("address_history")
        self.addresses.setRootIsDecorated(False)
        self.addresses.setColumnCount(3)
        self.addresses.setMinimumHeight(90)
        self.add_address_button = QPushButton()
        self.add_address_button.setObjectName("add_address")
        self.add_address_button.clicked.connect(self.add_address)
        self.add_address_button.setEnabled(self.session.can(Can.EDIT_CONTACT))
        block = QWidget()
        column = QVBoxLayout(block)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.addresses)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_address_button)
        buttons.addStretch(1)
        column.addLayout(buttons)
        self.add_section(N_("Addresses"), block)

    def custom_editor(self, f: Field) -> Editor:
        return FirstLanguageEditor()

    def prepare(self) -> None:
        """What is stored; what this person's role may not change, read-only."""
        assert self.opening is not None
        self.person, self.workers = self.opening.more
        self.setWindowTitle(self.title())
        for name in PERSON_FIELDS:
            stored = self.person.get(name)
            if name == "correspondence_language":
                stored = stored or LanguagePreference.UNKNOWN
            self.set_value(name, stored)
        self.stored = {name: self.editors[name].raw() for name in PERSON_FIELDS}
        for name in PERSON_FIELDS:
            if self.can_edit_all or name in CONTACT_FIELDS:
                continue
            widget = self.widgets[name]
            if isinstance(widget, QLineEdit):
                widget.setReadOnly(True)
            else:
                widget.setEnabled(False)

    def restore_more(self, data: dict[str, Any]) -> None:
        """A draft came back: say so, with a way to discard it."""
        self.restored = True
        self.banner_row.show()

    # -- texts --------------------------------------------------------------------------------
    def retranslate_more(self) -> None:
        for heading, msgid in self.headings:
            heading.setText(_(msgid))
        self.set_value("asked_by", self._asked_by_text())
        self.role_note.setText(_("Your role can change contact details only."))
        self.banner.setText(_("Your unsaved changes from last time were restored."))
        self.discard_button.setText(_("Discard these changes"))
        self.discard_button.setAccessibleName(_("Discard these changes"))
        self.addresses.setHeaderLabels([_("Address"), _("Lived here from"), _("Until")])
        self.addresses.setAccessibleName(_("Address history"))
        self.add_address_button.setText(_("Add a new address…"))
        self.add_address_button.setAccessibleName(_("Add a new address"))
        self._fill_addresses()

    def _name(self) -> str:
        return f"{self.person.get('given_names') or ''} {self.person.get('family_name') or ''}".strip()

    def _asked_by_text(self) -> str:
        asked_on, asked_by = self.person.get("language_asked_on"), self.person.get("language_asked_by")
        if not asked_on and not asked_by:
            return _("Not recorded")
        who = self.workers.get(asked_by or "") or _("someone not known on this computer")
        if asked_on:
            return _("Asked on {date} by {name}").format(date=show_date(asked_on), name=who)
        return _("Asked by {name}").format(name=who)

    def _fill_addresses(self) -> None:
        self.addresses.clear()
        for a in self.person.get("addresses", []):
            text = ", ".join(str(a[k]) for k in ("line1", "line2", "town", "county", "postcode") if a.get(k))
            to = show_date(a.get("to_date")) if a.get("to_date") else _("now")
            self.addresses.addTopLevelItem(QTreeWidgetItem([text, show_date(a.get("from_date")), to]))
        for col in range(3):
            self.addresses.resizeColumnToContents(col)

    # -- values -------------------------------------------------------------------------------
    def changes(self) -> dict[str, Any]:
        """Fields whose value differs from the stored person (only those this person may edit)."""
        out: dict[str, Any] = {}
        for name in PERSON_FIELDS:
            if not (self.can_edit_all or name in CONTACT_FIELDS):
                continue
            if self.editors[name].raw() != self.stored[name]:
                value = self.editors[name].value()
                out[name] = int(value) if isinstance(value, bool) else value
        return out

    def draft_context(self) -> str:
        return self.person_id or ""

    def draft(self) -> Any:
        """What is typed while it differs from what is stored (else no draft: ``None``)."""
        return self.raw() if self.changes() else None

    def write_draft(self, data: Any) -> None:
        if data is not None:
            super().write_draft(data)
        else:
            DraftService(self.session).discard(self.OBJECT_NAME, self.draft_context())

    def discard_draft(self) -> None:
        """Back to what is stored; the draft is gone (discarded on a worker)."""
        self._autosave.stop()
        self.write_later(self.write_draft, None)
        for name in PERSON_FIELDS:
            self.editors[name].set_raw(self.stored[name])
        self.restored = False
        self.banner_row.hide()

    def values(self) -> dict[str, Any]:
        return {**super().values(), "changes": self.changes()}

    def submit(self, values: dict[str, Any]) -> dict[str, Any]:
        changes = values["changes"]
        if changes:
            self.persons.update(self.person_id or "", changes)
        return {"id": self.person_id}

    # -- addresses ----------------------------------------------------------------------------
    def add_address(self) -> QDialog:
        from ui.address_dialog import AddressDialog

        dialog = AddressDialog(self.session, self.person_id or "", self)
        dialog.saved.connect(self._on_address_added)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.open()
        return dialog

    def _on_address_added(self, _address_id: str) -> None:
        self.person["addresses"] = self.persons.get(self.person_id or "")["addresses"]
        self._fill_addresses()
