"""The main window is made first and each area's page on a later turn of the event loop (issue 17):
signing in, the window shows and answers the keyboard before any page exists, and a page passed over
before its turn is never made."""

from __future__ import annotations

from PySide6.QtCore import Qt

from ui.areas import areas_for
from ui.main_window import MainWindow


def test_the_window_answers_before_any_page_is_made_and_a_page_passed_over_is_not_made(qtbot, gui_session) -> None:
    window = MainWindow(gui_session, idle_ms=3_600_000)  # (it loads the modules that register areas)
    keys = [a.key for a in areas_for(gui_session)]
    assert len(keys) >= 2, keys
    first, second = keys[0], keys[1]
    qtbot.addWidget(window)
    window.show()
    # Made and shown, and not one page yet: "Loading…" stands where the first area's page will be.
    assert all(window.made_page(key) is None for key in keys)
    assert window.stack.currentWidget() is window.placeholder
    assert window.placeholder.isVisible() and window.placeholder.text() == "Loading…"

    # The person goes down to the second area in the sidebar before the first area's page was made.
    qtbot.keyClick(window.sidebar, Qt.Key.Key_Down)
    assert window.sidebar.currentRow() == 1
    assert window.made_page(second) is None  # its turn has not come yet either

    qtbot.waitUntil(lambda: window.made_page(second) is not None, timeout=10_000)
    assert window.stack.currentWidget().widget() is window.made_page(second)  # (inside its scroll area)
    qtbot.wait(50)  # a few more turns: nothing else is made behind the person's back
    assert window.made_page(first) is None

    # Going back makes it, on a later turn again.
    window.go_to(first)
    assert window.made_page(first) is None
    qtbot.waitUntil(lambda: window.made_page(first) is not None, timeout=10_000)
    assert window.stack.currentWidget().widget() is window.made_page(first)


def test_a_caller_that_needs_the_page_shown_gets_it_at_once(qtbot, gui_session) -> None:
    window = MainWindow(gui_session, idle_ms=3_600_000)
    keys = [a.key for a in areas_for(gui_session)]
    assert len(keys) >= 2, keys
    qtbot.addWidget(window)
    window.show()
    assert window.page(keys[1]) is None  # not shown: not made
    page = window.page(keys[0])  # shown, its turn not come: made now
    assert page is not None and window.made_page(keys[0]) is page
    assert window.stack.currentWidget().widget() is page
    shown = window.show_area(keys[1])
    assert shown is not None and window.stack.currentWidget().widget() is shown
    qtbot.wait(20)  # the turn asked for finds both made and changes nothing
    assert window.page(keys[0]) is page and window.stack.currentWidget().widget() is shown
