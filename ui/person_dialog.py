"""Edit a person: details, contact and language preference, addresses with history.

Validation is the service's: a :class:`ValidationError` is shown beside its field (``err.field``)
in the interface language and nothing is saved. Admin staff may change contact details only,
so the other fields are read-only for them. Typing is autosaved as a draft (every
:attr:`PersonDialog.AUTOSAVE_MS` and on close) and offered back on the next opening; saving the
person discards it.

Thread contract: GUI thread. Saves are single small transactions on the store's writer thread.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.errors import DiogelError, ValidationError
from desktop.i18n import _
from desktop.services.cases import CaseService
from desktop.services.drafts import DraftService
from desktop.services.permissions import Can
from desktop.services.persons import CONTACT_FIELDS, PersonService
from ui.formatting import show_date
from ui.person_fields import CONTACT, DETAILS, PersonField, from_iso, to_iso
from ui.widgets import FieldError, Retranslating, message_of
from ui.windows import register_sensitive

DRAFT_FORM = "person"
__all__ = ["PersonDialog", "from_iso", "to_iso"]


class PersonDialog(Retranslating, QDialog):
    """Edit one person. Emits :attr:`saved` with the person id after a successful save."""

    saved = Signal(str)
    AUTOSAVE_MS = 2000

    def __init__(self, session: Any, person_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("person_dialog")
        self.session = session
        self.person_id = person_id
        self.persons = PersonService(session)
        self.drafts = DraftService(session)
        self.person: dict[str, Any] = self.persons.get(person_id)
        self.can_edit_all = session.can(Can.EDIT_PERSON)
        self._dirty = False
        self._loading = False
        self._restored = False
        register_sensitive(self)

        self.banner = QLabel()
        self.banner.setWordWrap(True)
        self.banner.hide()
        self.discard_button = QPushButton()
        self.discard_button.hide()
        self.discard_button.clicked.connect(self.discard_draft)
        self.general_error = FieldError()
        self.role_note = QLabel()
        self.role_note.setWordWrap(True)
        self.role_note.setVisible(not self.can_edit_all)

        self.fields: dict[str, PersonField] = {}
        self.tabs = QTabWidget()
        self._pages: dict[str, int] = {}
        self.tabs.addTab(self._form_page(DETAILS, "details"), "")
        contact_page = self._form_page(CONTACT, "contact")
        self.asked_by_label = QLabel()
        self.asked_by = QLabel()
        self.asked_by.setWordWrap(True)
        contact_page.layout().insertRow(4, self.asked_by_label, self.asked_by)
        self.tabs.addTab(contact_page, "")
        self.tabs.addTab(self._addresses_page(), "")

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)

        banner_row = QHBoxLayout()
        banner_row.addWidget(self.banner, 1)
        banner_row.addWidget(self.discard_button)
        layout = QVBoxLayout(self)
        layout.addLayout(banner_row)
        layout.addWidget(self.role_note)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.general_error)
        layout.addWidget(self.buttons)

        for f in self.fields.values():
            f.set_editable(self.can_edit_all or f.name in CONTACT_FIELDS)
            signal = {"combo": "currentIndexChanged", "check": "toggled"}.get(f.kind, "textEdited")
            getattr(f.widget, signal).connect(self._on_edited)

        self._autosave = QTimer(self)
        self._autosave.setSingleShot(True)
        self._autosave.setInterval(self.AUTOSAVE_MS)
        self._autosave.timeout.connect(self.save_draft)

        self._load(self.person)
        draft = self.drafts.load(DRAFT_FORM, person_id)
        if draft:
            self._apply_draft(draft)
        self.resize(620, 560)
        self.retranslate()

    # -- building -----------------------------------------------------------------------------
    def _form_page(self, spec: list[tuple[str, str, str, str]], key: str) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for name, kind, label_msgid, name_msgid in spec:
            f = PersonField(name, kind, label_msgid, name_msgid)
            box = QVBoxLayout()
            box.setContentsMargins(0, 0, 0, 0)
            box.setSpacing(2)
            box.addWidget(f.widget)
            box.addWidget(f.error)
            form.addRow(f.label, box)
            self.fields[name] = f
            self._pages[name] = self.tabs.count()
        return page

    def _addresses_page(self) -> QWidget:
        page = QWidget()
        self.addresses = QTreeWidget()
        self.addresses.setObjectName("address_history")
        self.addresses.setRootIsDecorated(False)
        self.addresses.setColumnCount(3)
        self.add_address_button = QPushButton()
        self.add_address_button.clicked.connect(self.add_address)
        self.add_address_button.setEnabled(self.session.can(Can.EDIT_CONTACT))
        row = QHBoxLayout()
        row.addWidget(self.add_address_button)
        row.addStretch(1)
        layout = QVBoxLayout(page)
        layout.addWidget(self.addresses, 1)
        layout.addLayout(row)
        return page

    # -- texts --------------------------------------------------------------------------------
    def retranslate(self) -> None:
        name = f"{self.person.get('given_names') or ''} {self.person.get('family_name') or ''}".strip()
        self.setWindowTitle(_("Edit {name}").format(name=name))
        for f in self.fields.values():
            f.retranslate()
        self.tabs.setTabText(0, _("Details"))
        self.tabs.setTabText(1, _("Contact and language"))
        self.tabs.setTabText(2, _("Addresses"))
        self.tabs.setAccessibleName(_("Sections of the person's record"))
        self.asked_by_label.setText(_("Asked by:"))
        self.asked_by.setText(self._asked_by_text())
        self.asked_by.setAccessibleName(_("Asked by"))
        self.role_note.setText(_("Your role can change contact details only."))
        self.banner.setText(_("Your unsaved changes from last time were restored.") if self._restored else "")
        self.discard_button.setText(_("Discard these changes"))
        self.discard_button.setAccessibleName(_("Discard these changes"))
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setAccessibleName(_("Save"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setAccessibleName(_("Cancel"))
        self.addresses.setHeaderLabels([_("Address"), _("Lived here from"), _("Until")])
        self.addresses.setAccessibleName(_("Address history"))
        self.add_address_button.setText(_("Add a new address…"))
        self.add_address_button.setAccessibleName(_("Add a new address"))
        self._fill_addresses()

    def _asked_by_text(self) -> str:
        asked_on, asked_by = self.person.get("language_asked_on"), self.person.get("language_asked_by")
        if not asked_on and not asked_by:
            return _("Not recorded")
        who = _("someone not known on this computer")
        for w in CaseService(self.session).workers():
            if w["id"] == asked_by:
                who = f"{w['given_names']} {w['family_name']}".strip()
        if asked_on:
            return _("Asked on {date} by {name}").format(date=show_date(asked_on, "long"), name=who)
        return _("Asked by {name}").format(name=who)

    def _fill_addresses(self) -> None:
        self.addresses.clear()
        for a in self.person.get("addresses", []):
            text = ", ".join(str(a[k]) for k in ("line1", "line2", "town", "county", "postcode") if a.get(k))
            to = show_date(a.get("to_date"), "short") if a.get("to_date") else _("now")
            self.addresses.addTopLevelItem(QTreeWidgetItem([text, show_date(a.get("from_date"), "short"), to]))
        for col in range(3):
            self.addresses.resizeColumnToContents(col)

    # -- values -------------------------------------------------------------------------------
    def _load(self, person: dict[str, Any]) -> None:
        self._loading = True
        for f in self.fields.values():
            f.set_raw(f.stored_as_raw(person.get(f.name)))
        self._loading = False

    def _apply_draft(self, draft: dict[str, Any]) -> None:
        self._loading = True
        for name, raw in draft.items():
            if name in self.fields:
                self.fields[name].set_raw(raw)
        self._loading = False
        self._restored = True
        self._dirty = True
        self.banner.show()
        self.discard_button.show()

    def draft_data(self) -> dict[str, Any]:
        return {name: f.raw() for name, f in self.fields.items()}

    def changes(self) -> dict[str, Any]:
        """Fields whose value differs from the stored person (only those this person may edit)."""
        out: dict[str, Any] = {}
        for name, f in self.fields.items():
            if not (self.can_edit_all or name in CONTACT_FIELDS):
                continue
            if f.raw() != f.stored_as_raw(self.person.get(name)):
                out[name] = f.value()
        return out

    def _on_edited(self, *_args: Any) -> None:
        if self._loading:
            return
        self._dirty = True
        if not self._autosave.isActive():
            self._autosave.start()

    # -- drafts -------------------------------------------------------------------------------
    def save_draft(self) -> None:
        """Keep what is typed (a small write); nothing to keep if nothing changed."""
        self._autosave.stop()
        if not self._dirty:
            return
        if self.changes():
            self.drafts.save(DRAFT_FORM, self.draft_data(), self.person_id)
        else:
            self.drafts.discard(DRAFT_FORM, self.person_id)

    def discard_draft(self) -> None:
        self.drafts.discard(DRAFT_FORM, self.person_id)
        self._load(self.person)
        self._dirty = False
        self._restored = False
        self.banner.hide()
        self.discard_button.hide()
        self.retranslate()

    # -- saving -------------------------------------------------------------------------------
    def clear_errors(self) -> None:
        for f in self.fields.values():
            f.error.clear()
        self.general_error.clear()

    def save(self) -> bool:
        """Save the changes; on an error show it beside its field and keep the dialog open."""
        self.clear_errors()
        changes = self.changes()
        try:
            if changes:
                self.persons.update(self.person_id, changes)
        except ValidationError as err:
            self.show_error(err)
            return False
        except DiogelError as err:
            self.general_error.show_error(err)
            return False
        self._autosave.stop()
        self.drafts.discard(DRAFT_FORM, self.person_id)
        self._dirty = False
        self.saved.emit(self.person_id)
        self.accept()
        return True

    def show_error(self, err: ValidationError) -> None:
        f = self.fields.get(err.field or "")
        if f is None:
            self.general_error.show_error(err)
            return
        f.error.show_error(err)
        self.tabs.setCurrentIndex(self._pages[f.name])
        f.widget.setFocus()

    # -- addresses ----------------------------------------------------------------------------
    def add_address(self) -> QDialog:
        from ui.address_dialog import AddressDialog

        dialog = AddressDialog(self.session, self.person_id, self)
        dialog.added.connect(self._on_address_added)
        dialog.open()
        return dialog

    def _on_address_added(self) -> None:
        self.person["addresses"] = self.persons.get(self.person_id)["addresses"]
        self._fill_addresses()

    # -- closing ------------------------------------------------------------------------------
    def done(self, result: int) -> None:
        if result != QDialog.DialogCode.Accepted:
            try:
                self.save_draft()
            except DiogelError as err:  # the store is closing: nothing more we can do
                self.general_error.setText(message_of(err))
        super().done(result)
