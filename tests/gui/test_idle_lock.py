"""The idle lock hides all case data until the password is entered again."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QLineEdit, QVBoxLayout

from tests.conftest import PASSWORD
from tests.gui.conftest import World
from tests.gui.forms import filled, saved
from tests.gui.walk import texts_of
from ui.case_view import open_case_window
from ui.main_window import MainWindow

NAMES = ("Elis", "Carys", "Owain", "Gwen", "Jones", "Prys", "Thomas")


def _visible_case_text() -> list[str]:
    found = []
    for window in QApplication.topLevelWidgets():
        if not window.isVisible():
            continue
        for _where, text in texts_of(window):
            if any(n in text for n in NAMES):
                found.append(text)
        # table cells too
        from PySide6.QtWidgets import QAbstractItemView

        for view in window.findChildren(QAbstractItemView):
            if view.isVisible() and view.model() is not None and type(view).__name__ in ("CaseloadTable", "QTreeWidget"):
                m = view.model()
                for r in range(m.rowCount(QModelIndex())):
                    for c in range(m.columnCount(QModelIndex())):
                        if any(n in str(m.index(r, c).data() or "") for n in NAMES):
                            found.append(str(m.index(r, c).data()))
    return found


def test_idle_lock_hides_case_data_and_unlock_restores_it(qtbot, gui_session, world: World) -> None:
    window = MainWindow(gui_session, idle_ms=3_600_000)
    qtbot.addWidget(window)
    window.show()
    page = window.page("caseload")
    qtbot.waitUntil(lambda: page.loaded, timeout=10_000)
    case = open_case_window(gui_session, world.cp_case, window)
    qtbot.waitUntil(lambda: not case.loading, timeout=10_000)  # opened, its tabs have read
    person = case.tab("people").edit_person(world.elis)
    filled(person, qtbot)
    qtbot.keyClicks(person.widgets["school"], "Ysgol Gymraeg")
    stray = QDialog(case)  # a dialog some other module opened without registering it
    QVBoxLayout(stray).addWidget(QLabel("Elis Jones: notes"))
    stray.show()
    assert _visible_case_text()

    window.idle.set_timeout(30)  # the injectable timeout: lock after 30 ms without input
    qtbot.waitUntil(lambda: window.locked, timeout=5_000)
    window.idle.set_timeout(3_600_000)  # so it does not lock again straight after unlocking
    assert _visible_case_text() == []
    assert not (shiboken6.isValid(case) and case.isVisible())
    assert not (shiboken6.isValid(person) and person.isVisible())
    assert window.page("caseload") is None  # the page and its model are gone
    assert window.lock_screen is not None and window.centralWidget() is window.lock_screen
    # The open dialog kept its typing as a draft.
    from desktop.services.drafts import DraftService

    qtbot.waitUntil(lambda: DraftService(gui_session).load("person_dialog", world.elis) is not None)  # on a worker
    assert DraftService(gui_session).load("person_dialog", world.elis)["school"] == "Ysgol Gymraeg"

    screen = window.lock_screen
    for attempt in range(3):  # the same lockout as signing in: a delay after the third
        screen.password.setText("wrong password")
        screen.unlock_button.click()
        qtbot.waitUntil(lambda: screen.error.isVisible() and not screen._busy, timeout=10_000)
        if attempt == 0:
            assert screen.error.text() == "That password is not right. Check Caps Lock and try again."
    assert window.locked
    assert not screen.unlock_button.isEnabled() and screen.countdown_label.isVisible()
    qtbot.waitUntil(lambda: screen.unlock_button.isEnabled(), timeout=5_000)
    screen.password.setText(PASSWORD)
    with qtbot.waitSignal(window.locked_changed, timeout=10_000):
        screen.unlock_button.click()
    assert not window.locked
    page = window.page("caseload")
    qtbot.waitUntil(lambda: page.loaded and page.proxy.rowCount() == 3, timeout=10_000)
    assert page.isVisible(), (window.centralWidget(), window.content, page.parent())
    assert _visible_case_text()


def test_lock_now_shortcut(qtbot, gui_session) -> None:
    window = MainWindow(gui_session, idle_ms=3_600_000)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    page = window.page("caseload")
    qtbot.waitUntil(lambda: page.loaded and page.proxy.rowCount() == 3, timeout=10_000)
    assert _visible_case_text(), "the caseload shows the names before the lock"
    assert window.lock_action.shortcut().toString() == "Ctrl+L"
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5_000)
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.locked
    assert _visible_case_text() == []


def test_settings_change_the_idle_time(qtbot, gui_session) -> None:
    window = MainWindow(gui_session)
    qtbot.addWidget(window)
    assert window.idle.timeout() == gui_session.profile.idle_lock_minutes * 60_000
    dialog = window.open_settings()
    filled(dialog, qtbot)
    assert dialog.value("idle_lock_minutes") == gui_session.profile.idle_lock_minutes
    dialog.set_value("idle_lock_minutes", 0)
    assert not saved(dialog, qtbot)
    assert dialog.error_text("idle_lock_minutes") == "The idle lock must be between 1 and 120 minutes."
    assert window.idle.timeout() == gui_session.profile.idle_lock_minutes * 60_000, "nothing changed"
    dialog.set_value("idle_lock_minutes", 3)
    assert saved(dialog, qtbot)
    assert gui_session.profile.idle_lock_minutes == 3
    assert window.idle.timeout() == 180_000


def test_change_password(qtbot, gui_session) -> None:
    window = MainWindow(gui_session, idle_ms=3_600_000)
    qtbot.addWidget(window)
    dialog = window.change_password()
    filled(dialog, qtbot)
    assert dialog.widgets["old"].echoMode() == QLineEdit.EchoMode.Password
    dialog.set_value("old", PASSWORD)
    dialog.set_value("new", "a new long password")
    dialog.set_value("again", "a different one")
    assert not saved(dialog, qtbot)
    assert dialog.error_text("again") == "The two passwords are not the same."
    dialog.set_value("old", "not the password")
    dialog.set_value("again", "a new long password")
    assert not saved(dialog, qtbot)  # checked on a worker: the wrong password comes back beside its field
    assert dialog.error_text("old") != ""
    assert dialog.isVisible() and dialog.fault.isHidden() and dialog.general_error.text() == ""
    assert gui_session.profile.verify(PASSWORD)
    dialog.set_value("old", PASSWORD)
    before = gui_session.store.rows("SELECT count(*) AS n FROM person")[0]["n"]
    with qtbot.waitSignal(dialog.accepted, timeout=10_000):
        assert saved(dialog, qtbot)
    assert gui_session.profile.verify("a new long password")
    # The database was re-keyed under the window's feet: its readers reopen with the new key.
    assert gui_session.store.rows("SELECT count(*) AS n FROM person")[0]["n"] == before
