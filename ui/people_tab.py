"""The built-in People tab of a case: its members, and editing a person.

Thread contract: GUI thread only draws. The members come with the opened case; after an edit or a change to
a person they are read again on a worker (:class:`ui.loading.Loader`) and the case header redrawn with them.
"""

from __future__ import annotations

from collections.abc import Callable
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
from desktop.services.permissions import Can
from desktop.services.persons import PersonService
from ui.case_tabs import register_case_tab
from ui.formatting import show_date
from ui.loading import Loader, window_queue
from ui.safety import case_flags, mark_flags
from ui.widgets import Retranslating

PERSON_ID_ROLE = Qt.ItemDataRole.UserRole + 1
HEADERS = [N_("Name"), N_("Part in the case"), N_("Date of birth"), N_("Correspondence language"), N_("Safety")]
SAFETY_COLUMN = 4


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
        self.edit_button = QPushButton(self)
        self.edit_button.clicked.connect(self._edit_current)
        # Safety flags (issue 20): shown to everyone on the Safety column; only a manager sets or clears.
        # Parented at once: a parentless button made visible is briefly a window and takes the focus.
        self.set_flag_button, self.clear_flag_button = QPushButton(self), QPushButton(self)
        self.set_flag_button.setObjectName("set_flag_button")
        self.clear_flag_button.setObjectName("clear_flag_button")
        self.set_flag_button.clicked.connect(lambda: self._flag_dialog(clear=False))
        self.clear_flag_button.clicked.connect(lambda: self._flag_dialog(clear=True))
        manager = session.can(Can.SAFETY)
        self.set_flag_button.setVisible(manager)
        self.clear_flag_button.setVisible(manager)
        self.flags: dict[str, list[Any]] = {}
        buttons = QHBoxLayout()
        buttons.addWidget(self.edit_button)
        buttons.addWidget(self.set_flag_button)
        buttons.addWidget(self.clear_flag_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tree, 1)
        layout.addLayout(buttons)
        self._dialogs: dict[str, QWidget] = {}
        self.loader: Loader[tuple[list[dict[str, Any]], dict[str, list[Any]]]] = Loader(
            self, self._refreshed, queue=window_queue(self))
        self.retranslate()
        # The members came with the opened case; only their safety flags are read (on a worker).
        self.loader.load(self._read, list(self.members), False)

    @property
    def loading(self) -> bool:
        """Whether the members are being read again."""
        return self.loader.pending

    def when_loaded(self, fn: Callable[[], None]) -> None:
        """Call ``fn`` (GUI thread) once what is being read has been drawn (now if nothing is)."""
        self.loader.when_answered(fn)

    def retranslate(self) -> None:
        self.tree.setHeaderLabels([_(h) for h in HEADERS])
        self.tree.setAccessibleName(_("People in this case"))
        self.edit_button.setText(_("Edit person…"))
        self.edit_button.setAccessibleName(_("Edit person"))
        self.edit_button.setToolTip(_("Change the selected person's details"))
        self.set_flag_button.setText(_("Set a safety flag…"))
        self.clear_flag_button.setText(_("Clear a safety flag…"))
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
                    "",
                ]
            )
            mark_flags(item, SAFETY_COLUMN, self.flags.get(m["id"], []))
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

    def _read(self, members: list[dict[str, Any]], again: bool = True) -> tuple[list[dict[str, Any]],
                                                                              dict[str, list[Any]]]:
        """Worker thread: each member as it is now when ``again`` (one gone from scope is left out; each
        read audited), and the case's safety flags by person."""
        flags = case_flags(self.session, self.case_id)
        if not again:
            return members, flags
        service = PersonService(self.session)
        fresh = []
        for m in members:
            try:
                person = service.get(m["id"])
            except DiogelError:
                continue
            fresh.append({**m, **{k: v for k, v in person.items() if k != "addresses"}})
        return fresh, flags

    def _refreshed(self, answer: tuple[list[dict[str, Any]], dict[str, list[Any]]]) -> None:
        fresh, self.flags = answer
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

    def _flag_dialog(self, *, clear: bool) -> QWidget | None:
        """The manager's form to set (or clear) a flag on the selected person; the list redraws on save."""
        from ui.safety import open_clear_flag, open_set_flag

        item = self.tree.currentItem()
        if item is None:
            return None
        person = next(m for m in self.members if m["id"] == item.data(0, PERSON_ID_ROLE))
        dialog = (open_clear_flag(self.session, person, self) if clear
                  else open_set_flag(self.session, person, self.members, self))
        dialog.saved.connect(lambda _id: self._flags_changed())
        return dialog

    def _flags_changed(self) -> None:
        self.refresh()
        reload_header = getattr(self._window, "reload_header", None)
        if reload_header is not None:
            reload_header()  # the header's Safety line

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
