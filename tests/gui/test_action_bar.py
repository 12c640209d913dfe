"""A case tab's actions grouped by what the worker is doing: the frequent first, nothing the role cannot do,
what does not apply now disabled in its place, every label in the interface language."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton, QToolButton

from desktop.i18n import N_, set_language
from desktop.services.permissions import Can
from ui.action_bar import Action, ActionBar, Group


def actions(ran: list[str], conference_due: list[bool]) -> list[Action]:
    return [
        Action("record_visit", N_("Record visit…"), Group.RECORD, lambda: ran.append("visit"), primary=True,
               applies=lambda: not conference_due[0]),
        Action("record_report", N_("Record a complaint…"), Group.RECORD, lambda: ran.append("complaint")),
        Action("plan", N_("Plan"), Group.PLAN, lambda: ran.append("plan")),
        Action("convene", N_("Convene conference…"), Group.MEET, lambda: ran.append("convene"),
               applies=lambda: conference_due[0]),
        Action("letters", N_("Letters"), Group.NOTIFY, lambda: ran.append("letters"), needs=Can.MANAGE_LETTERS),
    ]


def test_the_frequent_action_comes_first_and_the_rest_are_grouped(qtbot: Any, gui_session: Any) -> None:
    ran: list[str] = []
    due = [False]
    bar = ActionBar(gui_session, actions(ran, due))
    qtbot.addWidget(bar)
    row = [bar.layout().itemAt(i).widget() for i in range(bar.layout().count() - 1)]
    assert isinstance(row[0], QPushButton) and row[0].text() == "Record visit…"
    assert [w.objectName() for w in row[1:]] == ["group_record", "group_plan", "group_meet"]
    assert all(isinstance(w, QToolButton) for w in row[1:])
    record_menu = bar.menus[Group.RECORD].menu()
    assert [a.text() for a in record_menu.actions()] == ["Record visit…", "Record a complaint…"]
    assert "letters" not in bar.actions_by_name, "a social worker does not print letters: not shown at all"
    assert not bar.action("convene").isEnabled(), "no conference due: shown, not available"
    qtbot.mouseClick(row[0], Qt.MouseButton.LeftButton)
    due[0] = True
    bar.refresh()
    assert bar.action("convene").isEnabled()
    bar.action("convene").trigger()
    assert ran == ["visit", "convene"]
    assert not row[0].isVisibleTo(bar), "a primary action that does not apply now leaves the button row"
    assert not bar.action("record_visit").isEnabled()


def test_a_role_without_casework_sees_only_what_it_may_do(qtbot: Any, admin_session: Any) -> None:
    bar = ActionBar(admin_session, actions([], [True]))
    qtbot.addWidget(bar)
    assert list(bar.actions_by_name) == ["letters"]
    assert list(bar.menus) == [Group.NOTIFY]


def test_the_groups_speak_welsh(qtbot: Any, gui_session: Any) -> None:
    bar = ActionBar(gui_session, actions([], [True]))
    qtbot.addWidget(bar)
    assert bar.menus[Group.PLAN].text() == "Plan"
    set_language("cy")
    assert bar.menus[Group.PLAN].text() == "Cynllunio"
    assert bar.menus[Group.MEET].accessibleName() == "Cyfarfodydd"
    assert bar.buttons["record_visit"].text() != "Record visit…"
