"""The Household tab of a case: who lives in each household and who visits regularly, with dates.

Someone joining, leaving or becoming a regular visitor is a household change: for a child on the
register the services tell the register custodian and the core group in the same transaction (N5,
N6). Each member's safety flags (issue 20) are shown beside them, as on the People tab.

Thread contract: GUI thread, except :meth:`HouseholdTab.read` (a :class:`ui.loading.Loads` tab: the
households, their members and the members' flags are read on a worker and drawn on the GUI thread; a
language switch redraws them); each action is one small write through :class:`PersonService`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.types import Membership, label
from desktop.errors import DiogelError
from desktop.i18n import N_, _
from desktop.services.directory import DirectoryService
from desktop.services.persons import PersonService
from desktop.services.safety_flags import SafetyFlag, SafetyFlagService
from ui.formatting import show_date
from ui.forms import Field, Form
from ui.loading import Loads
from ui.safety import case_flags, mark_flags
from ui.tasks import store_watcher
from ui.widgets import FieldError, Retranslating

MEMBER_ROLE = Qt.ItemDataRole.UserRole + 1
HOUSEHOLD_ROLE = Qt.ItemDataRole.UserRole + 2
HEADERS = [N_("Household and people"), N_("Lives there or visits"), N_("From"), N_("Until"), N_("Safety")]
SAFETY_COLUMN = 4
NEW_PERSON = "__new__"
HOUSEHOLD_TABLES = frozenset({"household", "household_member", "person", "person_flag", "case_member"})
"""A commit to one of these (for this case) reads the tab again."""


@dataclass(frozen=True, slots=True)
class HouseholdsRead:
    """What the tab shows, read on a worker: the households with their members, and the members' active
    safety flags by person id (people with none left out); or the refusal to read them."""

    households: list[dict[str, Any]]
    flags: dict[str, list[SafetyFlag]] = field(default_factory=dict)
    refused: DiogelError | None = None


def read_households(session: Any, case_id: str) -> HouseholdsRead:
    """Worker thread: the case's households, and the flags of every member (those of the case in one read;
    a member who is not on the case, and in the reader's scope, one read each)."""
    try:
        households = PersonService(session).households(case_id)
    except DiogelError as err:
        return HouseholdsRead([], refused=err)
    flags = case_flags(session, case_id)
    service = SafetyFlagService(session)
    for person_id in {m["person_id"] for h in households for m in h["members"]} - flags.keys():
        try:
            found = service.flags(person_id)
        except DiogelError:
            continue  # outside the reader's scope: their flags are not the reader's to see
        if found:
            flags[person_id] = found
    return HouseholdsRead(households, flags)


class HouseholdTab(Loads[HouseholdsRead], Retranslating, QWidget):
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
        self.flags: dict[str, list[SafetyFlag]] = {}
        store_watcher(session).changed.connect(self._store_changed)
        self.retranslate()
        self.start_loading(self)

    def retranslate(self) -> None:
        self.tree.setHeaderLabels([_(h) for h in HEADERS])
        self.tree.setAccessibleName(_("Households of the people in this case"))
        self.add_button.setText(_("Add someone to the household…"))
        self.add_button.setAccessibleName(_("Add someone to the household"))
        self.add_button.setToolTip(_("Someone has moved in or visits regularly"))
        self.left_button.setText(_("Has left the household…"))
        self.left_button.setAccessibleName(_("Record that the selected person has left the household"))
        self.redraw()

    def _store_changed(self, tables: set[str], cases: set[str]) -> None:
        if tables & HOUSEHOLD_TABLES and (not cases or self.case_id in cases):
            self.refresh()

    def reload(self) -> None:
        """Read the households again (on a worker) and draw them."""
        self.refresh()

    def read(self) -> HouseholdsRead:
        return read_households(self.session, self.case_id)

    def draw(self, data: HouseholdsRead) -> None:
        self.households, self.flags = data.households, data.flags
        if data.refused is not None:
            self.error.show_error(data.refused)
        else:
            self.error.clear()
        self._fill()

    def _fill(self) -> None:
        current = self.tree.currentItem()
        chosen = (current.data(0, HOUSEHOLD_ROLE), (current.data(0, MEMBER_ROLE) or {}).get("member_id")) \
            if current is not None else None
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
                        show_date(m["from_date"]),
                        show_date(m["to_date"]) if m["to_date"] else _("now"),
                        "",
                    ]
                )
                mark_flags(child, SAFETY_COLUMN, self.flags.get(m["person_id"], []))
                child.setData(0, MEMBER_ROLE, m)
                child.setData(0, HOUSEHOLD_ROLE, household["id"])
                top.addChild(child)
                if chosen == (household["id"], m["member_id"]):
                    self.tree.setCurrentItem(child)
            self.tree.addTopLevelItem(top)
            top.setExpanded(True)
            if chosen == (household["id"], None):
                self.tree.setCurrentItem(top)
        for col in range(len(HEADERS)):
            self.tree.resizeColumnToContents(col)
        first = self.tree.topLevelItem(0)
        if self.tree.currentItem() is None and first is not None:
            self.tree.setCurrentItem(first)
        self._update_buttons()

    def _selected(self) -> tuple[str | None, dict[str, Any] | None]:
        item = self.tree.currentItem()
        if item is None:
            return None, None
        return item.data(0, HOUSEHOLD_ROLE), item.data(0, MEMBER_ROLE)

    def _update_buttons(self) -> None:
        household_id, member = self._selected()
        self.add_button.setEnabled(household_id is not None)
        self.left_button.setEnabled(member is not None and not member.get("to_date"))

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


class JoinDialog(Form):
    """Someone moves in or becomes a regular visitor: a person of the case, or someone new (created with
    the join, in one save)."""

    OBJECT_NAME = "household_join_dialog"
    TITLE = N_("Add someone to the household")
    FIELDS = [
        Field("person", "items", N_("Person:")),
        Field("given_names", "text", N_("Given names:")),
        Field("family_name", "text", N_("Family name:")),
        Field("membership", "choice", N_("Lives there or visits:"), [m.value for m in Membership]),
        Field("from_date", "date", N_("From:"), help=N_("Leave empty for today")),
    ]
    ALIASES = {"person_id": "person"}

    def __init__(self, session: Any, case_id: str, household_id: str, parent: QWidget | None = None) -> None:
        super().__init__(session, case_id, parent=parent, household_id=household_id)

    def items(self, name: str) -> list[tuple[Any, str]]:
        return [*((p.id, p.name) for p in DirectoryService(self.session).case_people(self.case_id or "")),
                (NEW_PERSON, "")]

    def prepare(self) -> None:
        person = self.widgets["person"]
        assert isinstance(person, QComboBox)
        person.currentIndexChanged.connect(lambda _i: self._toggle_new())
        self._toggle_new()

    def restore_more(self, data: dict[str, Any]) -> None:
        self._toggle_new()

    def _toggle_new(self) -> None:
        new = self.value("person") == NEW_PERSON
        for name in ("given_names", "family_name"):
            self.rows.setRowVisible(self.labels[name], new)

    def retranslate_more(self) -> None:
        person = self.widgets["person"]
        assert isinstance(person, QComboBox)
        person.setItemText(person.findData(NEW_PERSON), _("Someone new…"))

    def submit(self, values: dict[str, Any]) -> dict[str, Any]:
        service = PersonService(self.session)
        household = self.context["household_id"]
        if values["person"] == NEW_PERSON:
            return service.join_household(
                household, None, values["membership"], values["from_date"], case_id=self.case_id,
                new_person={"given_names": values["given_names"], "family_name": values["family_name"] or ""})
        return service.join_household(household, values["person"], values["membership"], values["from_date"])


class LeftDialog(Form):
    """Someone has left the household (or no longer visits): the date it ended."""

    OBJECT_NAME = "household_left_dialog"
    TITLE = N_("{name} has left the household")
    FIELDS = [Field("to_date", "date", N_("Left on:"), help=N_("Leave empty for today"))]

    def __init__(self, session: Any, member: dict[str, Any], parent: QWidget | None = None) -> None:
        self.member = member  # before the texts are set: the title names them
        super().__init__(session, parent=parent, member_id=member["member_id"])

    def title(self) -> str:
        name = f"{self.member.get('given_names') or ''} {self.member.get('family_name') or ''}".strip()
        return _(self.TITLE).format(name=name)

    def submit(self, values: dict[str, Any]) -> None:
        PersonService(self.session).leave_household(self.member["member_id"], values["to_date"])
