"""The built-in People tab of a case: its members, and editing a person.

Thread contract: GUI thread only draws. The members come with the opened case; after an edit or a change to
a person they are read again on a worker (:class:`ui.loading.Loader`) and the case header redrawn with them.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.types import label
from desktop.errors import DiogelError
from desktop.i18n import N_, _
from desktop.services.persons import PersonService
from ui.case_tabs import register_case_tab
from ui.formatting import show_date
from ui.loading import Loader
from ui.widgets import Retranslating

PERSON_ID_ROLE = Qt.ItemDataRole.UserRole + 1
HEADERS = [N_("Name"), N_("Part in the case"), N_("Date of birth"), N_("Correspondence language")]


class PeopleTab(Retranslating, QWidget):
    """Members of the case; Enter, double-click or "Edit person…" opens the person dialog."""

    def __init__(self, session: Any, case_id: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.session = session
        self.case_id = case_id
        self.setObjectName("people_tab")
        self._window = parent
        self.members: list[dict[str, Any]] = list(parent.case_view.members)
        self.tree = QTreeWidget()
        self.tree.setObjectName("people_tree")
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setColumnCount(len(HEADERS))
        self.tree.itemActivated.connect(lambda item, _col: self.edit_person(item.data(0, PERSON_ID_ROLE)))
        self.edit_button = QPushButton()
        self.edit_button.clicked.connect(self._edit_current)
        buttons = QHBoxLayout()
        buttons.addWidget(self.edit_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tree, 1)
        layout.addLayout(buttons)
        self._dialogs: dict[str, QWidget] = {}
        self.loader: Loader[list[dict[str, Any]]] = Loader(self, self._refreshed)
        self.retranslate()

    @property
    def loading(self) -> bool:
        """Whether the members are being read again."""
        return self.loader.pending

    def retranslate(self) -> None:
        self.tree.setHeaderLabels([_(h) for h in HEADERS])
        self.tree.setAccessibleName(_("People in this case"))
        self.edit_button.setText(_("Edit person…"))
        self.edit_button.setAccessibleName(_("Edit person"))
        self.edit_button.setToolTip(_("Change the selected person's details"))
        self._fill()

    def _fill(self) -> None:
        current = self.tree.currentItem().data(0, PERSON_ID_ROLE) if self.tree.currentItem() else None
        self.tree.clear()
        for m in self.members:
            item = QTreeWidgetItem(
                [
                    f"{m.get('given_names') or ''} {m.get('family_name') or ''}".strip(),
                    label(m.get("role")),
                    show_date(m.get("date_of_birth")),
                    label(m.get("correspondence_language") or "unknown"),
                ]
            )
            item.setData(0, PERSON_ID_ROLE, m["id"])
            self.tree.addTopLevelItem(item)
            if m["id"] == current:
                self.tree.setCurrentItem(item)
        if self.tree.currentItem() is None and self.tree.topLevelItemCount():
            self.tree.setCurrentItem(self.tree.topLevelItem(0))
        for col in range(len(HEADERS)):
            self.tree.resizeColumnToContents(col)

    def refresh(self) -> None:
        """Read each member again on a worker (after an edit or a commit), then redraw them and the header."""
        self.loader.load(self._read, list(self.members))

    def _read(self, members: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Worker thread: each member as it is now (one gone from scope is left out)."""
        service = PersonService(self.session)
        fresh = []
        for m in members:
            try:
                person = service.get(m["id"])
            except DiogelError:
                continue
            fresh.append({**m, **{k: v for k, v in person.items() if k != "addresses"}})
        return fresh

    def _refreshed(self, fresh: list[dict[str, Any]]) -> None:
        self.members = fresh
        view = getattr(self._window, "case_view", None)
        if view is not None:
            by_id = {m["id"]: m for m in fresh}
            view.members[:] = [by_id.get(m["id"], m) for m in view.members]
            view.subjects[:] = [by_id.get(m["id"], m) for m in view.subjects]
        self._fill()
        redraw = getattr(self._window, "redraw_header", None)
        if redraw is not None:
            redraw()  # the names in the header come from the members

    def _edit_current(self) -> None:
        item = self.tree.currentItem()
        if item is not None:
            self.edit_person(item.data(0, PERSON_ID_ROLE))

    def edit_person(self, person_id: str) -> QWidget:
        """Open (or raise) the person dialog; returns it."""
        from ui.person_dialog import PersonDialog

        dialog = self._dialogs.get(person_id)
        try:
            if dialog is not None and dialog.isVisible():
                dialog.raise_()
                return dialog
        except RuntimeError:
            pass
        dialog = PersonDialog(self.session, person_id, self)
        dialog.saved.connect(lambda _pid: self.refresh())
        self._dialogs[person_id] = dialog
        dialog.open()
        return dialog


register_case_tab("people", N_("People"), PeopleTab, order=10)


def _household_tab(session: Any, case_id: str, parent: QWidget) -> QWidget:
    from ui.household_tab import HouseholdTab

    return HouseholdTab(session, case_id, parent)


register_case_tab("household", N_("Household"), _household_tab, order=85)
