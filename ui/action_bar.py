"""A case tab's actions, grouped by what the worker is doing (GUI thread).

A tab declares its :class:`Action` s as data; the bar shows the most frequent ones (``primary``) as
buttons, first, and every action in one drop-down per :class:`Group` — Record, Plan, Meetings, Tell
people, Manage — in the order the tab gives them. An action the person's role cannot do is not shown at
all (never a wall of greyed buttons); an action that does not apply to the case now (``applies`` says no)
is disabled in its menu, so the worker learns where it lives, and its button (if primary) is hidden, so
that the button row holds only what can be done next. :meth:`ActionBar.refresh` asks again after the
case changes.

Every action is a ``QAction`` named after the action (``bar.action("record_visit")``): the keyboard
reaches it through the group's button (Space or Alt+Down opens the menu), and tests trigger it the
same way a person would.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QHBoxLayout, QMenu, QPushButton, QToolButton, QWidget

from desktop.i18n import N_, NC_, _
from desktop.services.permissions import Can
from ui.widgets import Retranslating


class Group(StrEnum):
    RECORD = "record"
    PLAN = "plan"
    MEET = "meet"
    NOTIFY = "notify"
    MANAGE = "manage"


# "Record" and "Plan" name what the worker does (Welsh "Cofnodi", "Cynllunio"), not the nouns "a record"
# ("cofnod") and "a plan" ("cynllun"): their own msgctxt keeps a later noun from taking the verb's Welsh.
GROUP_LABELS: dict[Group, str] = {
    Group.RECORD: NC_("action group", "Record"),
    Group.PLAN: NC_("action group", "Plan"),
    Group.MEET: N_("Meetings"),
    Group.NOTIFY: N_("Tell people"),
    Group.MANAGE: N_("Manage"),
}


@dataclass(frozen=True)
class Action:
    name: str
    """Object name of the ``QAction`` (and of the button, when primary)."""
    label: str
    """English msgid; ends with "…" when it opens a form."""
    group: Group
    run: Callable[[], Any]
    needs: Can | None = Can.RECORD_CASEWORK
    """The capability the role must have, or the action is not shown."""
    primary: bool = False
    applies: Callable[[], bool] | None = None
    """Whether it applies to the case now (asked on :meth:`ActionBar.refresh`); always, when ``None``."""


class ActionBar(Retranslating, QWidget):
    def __init__(self, session: Any, actions: list[Action], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("action_bar")
        self.shown = [a for a in actions if a.needs is None or session.can(a.needs)]
        self.actions_by_name: dict[str, QAction] = {}
        self.buttons: dict[str, QPushButton] = {}
        self.menus: dict[Group, QToolButton] = {}
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        for a in self.shown:
            qaction = QAction(self)
            qaction.setObjectName(a.name)
            qaction.triggered.connect(lambda _checked=False, run=a.run: run())
            self.actions_by_name[a.name] = qaction
            if a.primary:
                button = QPushButton()
                button.setObjectName(a.name)
                button.clicked.connect(qaction.trigger)
                self.buttons[a.name] = button
                row.addWidget(button)
        for group in Group:
            members = [a for a in self.shown if a.group == group]
            if not members:
                continue
            tool = QToolButton()
            tool.setObjectName(f"group_{group.value}")
            tool.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
            menu = QMenu(tool)
            for a in members:
                menu.addAction(self.actions_by_name[a.name])
            tool.setMenu(menu)
            self.menus[group] = tool
            row.addWidget(tool)
        row.addStretch(1)
        self.retranslate()
        self.refresh()

    def action(self, name: str) -> QAction:
        return self.actions_by_name[name]

    def refresh(self) -> None:
        """Enable what applies to the case now."""
        for a in self.shown:
            ok = a.applies() if a.applies is not None else True
            self.actions_by_name[a.name].setEnabled(ok)
            if a.name in self.buttons:
                self.buttons[a.name].setVisible(ok)

    def retranslate(self) -> None:
        for a in self.shown:
            self.actions_by_name[a.name].setText(_(a.label))
            if a.name in self.buttons:
                self.buttons[a.name].setText(_(a.label))
                self.buttons[a.name].setAccessibleName(_(a.label).rstrip("…"))
        for group, tool in self.menus.items():
            tool.setText(_(GROUP_LABELS[group]))  # Qt draws the menu's arrow
            tool.setAccessibleName(_(GROUP_LABELS[group]))
