"""The Household tab of a case: who lives in each household and who visits regularly, with dates.

Someone joining, leaving or becoming a regular visitor is a household change: for a child on the
register the services tell the register custodian and the core group in the same transaction (N5,
N6). Thread contract: GUI thread; each action is one small write through :class:`PersonService`.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.types import CaseRole, Membership, label
from desktop.errors import DiogelError
from desktop.i18n import N_, _
from desktop.services.persons import PersonService
from ui.formatting import show_date
from ui.person_dialog import to_iso
from ui.widgets import FieldError, FormDialog, Retranslating

MEMBER_ROLE = Qt.ItemDataRole.UserRole + 1
HOUSEHOLD_ROLE = Qt.ItemDataRole.UserRole + 2
HEADERS = [N_("Household and people"), N_("Lives there or visits"), N_("From"), N_("Until")]
NEW_PERSON = "__new__"


class HouseholdTab(Retranslating, QWidget):
    """Households of the case's people; add someone, record that someone has left."""

    def __init__(self, session: Any, case_id: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.session = session
        self.case_id = case_id
        self.setObjectName("household_tab")
        self.tree = QTreeWidget()
        self.tree.setObjectName("household_tree")
        self.tree.setColumnCount(len(HEADERS))
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.currentItemChanged.connect(lambda *_: self._update_buttons())
        self.add_button, self.left_button = QPushButton(), QPushButton()
        self.add_button.setObjectName("household_add")
        self.left_button.setObjectName("household_left")
        self.add_button.clicked.connect(self.add_member)
        self.left_button.clicked.connect(self.record_left)
        self.error = FieldError()
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.left_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        self.households: list[dict[str, Any]] = []
        self.retranslate()
        self.reload()

    def retranslate(self) -> None:
        self.tree.setHeaderLabels([_(h) for h in HEADERS])
        self.tree.setAccessibleName(_("Households of the people in this case"))
        self.add_button.setText(_("Add someone to the household…"))
        self.add_button.setAccessibleName(_("Add someone to the household"))
        self.add_button.setToolTip(_("Someone has moved in or visits regularly"))
        self.left_button.setText(_("Has left the household…"))
        self.left_button.setAccessibleName(_("Record that the selected person has left the household"))
        self._fill()

    def reload(self) -> None:
        try:
            self.households = PersonService(self.session).households(self.case_id)
        except DiogelError as err:
            self.households = []
            self.error.show_error(err)
        self._fill()

    def _fill(self) -> None:
        self.tree.clear()
        for household in self.households:
            address = ", ".join(x for x in (household["address_line1"], household["town"], household["postcode"]) if x)
            top = QTreeWidgetItem([household["name"] or address or _("Household"), address, "", ""])
            top.setData(0, HOUSEHOLD_ROLE, household["id"])
            for m in household["members"]:
                child = QTreeWidgetItem(
                    [
                        f"{m['given_names'] or ''} {m['family_name']}".strip(),
                        label(m["membership"]),
                        show_date(m["from_date"], "short"),
                        show_date(m["to_date"], "short") if m["to_date"] else _("now"),
                    ]
                )
                child.setData(0, MEMBER_ROLE, m)
                child.setData(0, HOUSEHOLD_ROLE, household["id"])
                top.addChild(child)
            self.tree.addTopLevelItem(top)
            top.setExpanded(True)
        for col in range(len(HEADERS)):
            self.tree.resizeColumnToContents(col)
        if self.tree.currentItem() is None and self.tree.topLevelItemCount():
            self.tree.setCurrentItem(self.tree.topLevelItem(0))
        self._update_buttons()

    def _selected(self) -> tuple[str | None, dict[str, Any] | None]:
        item = self.tree.currentItem()
        if item is None:
            return None, None
        return item.data(0, HOUSEHOLD_ROLE), item.data(0, MEMBER_ROLE)

    def _update_buttons(self) -> None:
        household_id, member = self._selected()
        self.add_button.setEnabled(household_id is not None)
        self.left_button.setEnabled(bool(member) and not member.get("to_date"))

    def add_member(self) -> QDialog | None:
        household_id, _member = self._selected()
        if household_id is None:
            return None
        dialog = JoinDialog(self.session, self.case_id, household_id, self)
        dialog.saved.connect(self.reload)
        dialog.open()
        return dialog

    def record_left(self) -> QDialog | None:
        _household, member = self._selected()
        if not member or member.get("to_date"):
            return None
        dialog = LeftDialog(self.session, member, self)
        dialog.saved.connect(self.reload)
        dialog.open()
        return dialog


class JoinDialog(FormDialog):
    """Someone moves in or becomes a regular visitor: a person of the case, or someone new."""

    def __init__(self, session: Any, case_id: str, household_id: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("household_join_dialog")
        self.session, self.case_id, self.household_id = session, case_id, household_id
        self.person = QComboBox()
        self.person.setObjectName("join_person")
        members = parent.window().case_view.members if hasattr(parent.window(), "case_view") else []
        for m in members:
            self.person.addItem(f"{m.get('given_names') or ''} {m.get('family_name') or ''}".strip(), m["id"])
        self.person.addItem("", NEW_PERSON)
        self.person.currentIndexChanged.connect(lambda _i: self._toggle_new())
        self.given, self.family = QLineEdit(), QLineEdit()
        self.given.setObjectName("join_given_names")
        self.family.setObjectName("join_family_name")
        self.membership = QComboBox()
        self.membership.setObjectName("join_membership")
        for value in Membership:
            self.membership.addItem("", value.value)
        self.from_date = QLineEdit()
        self.from_date.setObjectName("join_from_date")
        for name, widget in (("person", self.person), ("given_names", self.given), ("family_name", self.family),
                             ("membership", self.membership), ("from_date", self.from_date)):
            self.add_field(name, widget)
        self.retranslate()
        self._toggle_new()

    def _toggle_new(self) -> None:
        new = self.person.currentData() == NEW_PERSON
        for name, widget in (("given_names", self.given), ("family_name", self.family)):
            widget.setVisible(new)
            self.labels[name].setVisible(new)

    def retranslate(self) -> None:
        self.setWindowTitle(_("Add someone to the household"))
        texts = {"person": (_("Person:"), _("Who has joined")),
                 "given_names": (_("Given names:"), _("Given names of the new person")),
                 "family_name": (_("Family name:"), _("Family name of the new person")),
                 "membership": (_("Lives there or visits:"), _("Lives in the household or visits regularly")),
                 "from_date": (_("From:"), _("Date they joined"))}
        widgets = {"person": self.person, "given_names": self.given, "family_name": self.family,
                   "membership": self.membership, "from_date": self.from_date}
        for name, (text, accessible) in texts.items():
            self.labels[name].setText(text)
            widgets[name].setAccessibleName(accessible)
        self.person.setItemText(self.person.count() - 1, _("Someone new…"))
        for i in range(self.membership.count()):
            self.membership.setItemText(i, label(self.membership.itemData(i)))
        self.from_date.setPlaceholderText(_("dd/mm/yyyy"))
        self.from_date.setToolTip(_("Leave empty for today"))

    def save(self) -> bool:
        self.clear_errors()
        service = PersonService(self.session)
        person_id = self.person.currentData()
        try:
            if person_id == NEW_PERSON:
                values = {"given_names": self.given.text().strip() or None, "family_name": self.family.text().strip()}
                person_id = service.create(values, case_id=self.case_id, case_role=CaseRole.OTHER)["id"]
                # Chosen from now on, so a refused join does not create the person twice.
                self.person.insertItem(self.person.count() - 1, f"{values['given_names'] or ''} {values['family_name']}",
                                       person_id)
                self.person.setCurrentIndex(self.person.count() - 2)
            service.join_household(self.household_id, person_id, self.membership.currentData(),
                                   to_iso(self.from_date.text()))
        except DiogelError as err:
            self.show_refusal(err)
            return False
        self.saved.emit()
        self.accept()
        return True


class LeftDialog(FormDialog):
    """Someone has left the household (or no longer visits): the date it ended."""

    def __init__(self, session: Any, member: dict[str, Any], parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("household_left_dialog")
        self.session, self.member = session, member
        self.to_date = QLineEdit()
        self.to_date.setObjectName("left_to_date")
        self.add_field("to_date", self.to_date)
        self.retranslate()

    def retranslate(self) -> None:
        name = f"{self.member.get('given_names') or ''} {self.member.get('family_name') or ''}".strip()
        self.setWindowTitle(_("{name} has left the household").format(name=name))
        self.labels["to_date"].setText(_("Left on:"))
        self.to_date.setAccessibleName(_("Date they left"))
        self.to_date.setPlaceholderText(_("dd/mm/yyyy"))
        self.to_date.setToolTip(_("Leave empty for today"))

    def save(self) -> bool:
        self.clear_errors()
        try:
            PersonService(self.session).leave_household(self.member["member_id"], to_iso(self.to_date.text()))
        except DiogelError as err:
            self.show_refusal(err)
            return False
        self.saved.emit()
        self.accept()
        return True
