"""Keyboard alone (issue 17, item 7): the journeys a person makes every day, with no mouse — every key
goes to the widget that has the focus (``tests/gui/keys.py``). Signing in by keyboard is proved in
``test_sign_in.py::test_return_in_the_password_box_signs_in_after_a_wrong_try_too``; the conflict
screen's journey needs the real server and lives in ``tests/sync/test_gui.py``."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton

from desktop.services.child_protection import VisitService
from tests.conftest import settle
from tests.gui.conftest import World
from tests.gui.forms import filled
from tests.gui.keys import focused, press, tab_to, type_text

CTRL = Qt.KeyboardModifier.ControlModifier


def _active(qtbot: Any, kind: type) -> Any:
    qtbot.waitUntil(lambda: isinstance(QApplication.activeWindow(), kind), timeout=10_000)
    return QApplication.activeWindow()


def test_find_a_case_and_record_a_visit_by_keyboard_alone(qtbot: Any, gui_session: Any, world: World) -> None:
    """Ctrl+F, a name, Return (the first match), Return (the case opens); the tab bar's arrows to Child
    protection, Tab to "Record visit…", Space; Tab and typing through the form, Return saves."""
    from ui.case_view import CaseWindow
    from ui.child_protection.visit_dialog import VisitDialog
    from ui.main_window import MainWindow

    window = MainWindow(gui_session, idle_ms=3_600_000)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5_000)
    caseload = window.page("caseload")
    qtbot.waitUntil(lambda: caseload.loaded, timeout=10_000)

    # Find the case: Ctrl+F from wherever the focus is puts it in the caseload's search box.
    press(Qt.Key.Key_F, CTRL)
    assert focused() is caseload.search
    type_text("Elis")
    press(Qt.Key.Key_Return)  # to the first case shown, once the search's first page is read
    qtbot.waitUntil(lambda: focused() is caseload.table, timeout=10_000)
    assert caseload.table.currentIndex().isValid()
    press(Qt.Key.Key_Return)  # opens it
    case = _active(qtbot, CaseWindow)
    qtbot.addWidget(case)
    assert case.case_id == world.cp_case
    settle(qtbot)  # the window shows at once; the case and its tabs are read on workers, then drawn
    assert case.opened and case.tab("child_protection") is not None

    # The case opens with the focus on its tabs: the arrows choose one, Tab reaches its first action.
    assert focused() is case.tabs.tabBar()
    for _ in range(case.tabs.count()):
        if case.tabs.currentWidget() is case.tab("child_protection"):
            break
        press(Qt.Key.Key_Right)
    assert case.tabs.currentWidget() is case.tab("child_protection")
    presses = tab_to(lambda w: isinstance(w, QPushButton) and w.objectName() == "record_visit")
    assert presses <= 3, "Record visit… is the tab's first stop"
    press(Qt.Key.Key_Space)
    form = _active(qtbot, VisitDialog)  # (it deletes itself when it closes)
    filled(form, qtbot)  # "Loading…" until the case's children are read, then the fields

    # The form: the focus starts at the date (today already in it); Tab and type; Return saves.
    assert focused() is form.widgets["visited_on"]
    press(Qt.Key.Key_Tab)
    assert focused() is form.widgets["visited_at"]
    type_text("10:30")
    press(Qt.Key.Key_Tab)
    assert focused() is form.widgets["location"]
    press(Qt.Key.Key_Down)  # from "choose" to the first place
    place = form.widgets["location"].currentText()
    assert place
    press(Qt.Key.Key_Tab)
    type_text("Carys Jones")
    press(Qt.Key.Key_Tab)
    type_text("Elis showed me his drawings.")
    press(Qt.Key.Key_Tab)  # the observations in Welsh (optional): left empty
    press(Qt.Key.Key_Tab)  # "access was denied": left alone
    press(Qt.Key.Key_Tab)  # Elis: Seen
    press(Qt.Key.Key_Space)
    press(Qt.Key.Key_Tab)  # Seen alone
    press(Qt.Key.Key_Space)
    with qtbot.waitSignal(form.saved, timeout=10_000):
        press(Qt.Key.Key_Return)  # from a tick box: the form's default button, Save

    visits = VisitService(gui_session).for_case(world.cp_case)
    assert len(visits) == 1
    visit = visits[0]
    assert (visit["visited_on"], visit["visited_at"]) == (gui_session.today().isoformat(), "10:30")
    assert visit["others_present"] == "Carys Jones" and visit["observations"] == "Elis showed me his drawings."
    assert [(k["person_id"], k["seen"], k["seen_alone"]) for k in visit["children"]] == [(world.elis, 1, 1)]
