"""A case window makes each tab only when it is first shown ("What is due" at once), reads one read of the
window at a time, and still opens My work's form on the tab that decides it; the tab bar's scroll arrows are
not Tab stops."""

from __future__ import annotations

import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QToolButton

from desktop.store.store import Store
from tests.conftest import settle
from tests.gui.forms import filled

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def readers(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """``module:function`` of each ``ui`` frame behind every store read from now on, on any thread (a tab's
    read() is on the stack)."""
    asked: list[str] = []
    real = Store.reading

    @contextmanager
    def recorded(self: Store) -> Iterator[Any]:
        stack = traceback.extract_stack()
        asked.extend(f"{Path(f.filename).relative_to(ROOT).as_posix()}:{f.name}" for f in stack
                     if ROOT / "ui" in Path(f.filename).parents)
        with real(self) as db:
            yield db

    monkeypatch.setattr(Store, "reading", recorded)
    return asked


def _window(qtbot: Any, session: Any, case_id: str) -> Any:
    from ui.case_view import CaseWindow

    window = CaseWindow(session, case_id)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.opened and not window.loading, timeout=10_000)
    return window


def test_only_the_first_tab_is_made_at_open_and_each_other_when_first_shown(qtbot, world, gui_session,
                                                                               readers) -> None:
    window = _window(qtbot, gui_session, world.cp_case)
    keys = [t.key for t in window._tab_defs]  # noqa: SLF001 - the case's tabs, in order
    assert keys[0] == "due" and {"notes", "oversight", "household", "people"} <= set(keys)
    assert window.tabs.currentIndex() == 0 and window.tab("due", make=False) is not None
    assert [k for k in keys if window.tab(k, make=False) is not None] == ["due"], "hidden tabs are not made"
    assert window.tabs.tabText(keys.index("notes")) == "Notes", "every tab is listed, titled"
    hidden_reads = {"ui/notes.py:read", "ui/supervision.py:read", "ui/household_tab.py:read", "ui/people_tab.py:_read"}
    assert "ui/due_tab.py:read" in readers, "the first tab has read"
    assert not hidden_reads & set(readers), "a tab not shown reads nothing"

    window.tabs.setCurrentIndex(keys.index("notes"))  # the person clicks "Notes"
    notes = window.tab("notes", make=False)
    assert notes is not None and window.tabs.currentWidget() is notes
    assert window.tabs.tabText(keys.index("notes")) == "Notes"
    qtbot.waitUntil(lambda: not window.loading, timeout=10_000)
    assert notes.data is not None and "ui/notes.py:read" in readers
    assert window.tab("oversight", make=False) is None, "still not made"

    window.tabs.setCurrentIndex(0)
    window.tabs.setCurrentIndex(keys.index("notes"))
    assert window.tab("notes", make=False) is notes, "made once"


def test_a_windows_reads_wait_their_turn(qtbot, world, gui_session) -> None:
    from ui.tasks import runner

    window = _window(qtbot, gui_session, world.cp_case)
    for i in range(window.tabs.count()):
        window.tabs.setCurrentIndex(i)
    qtbot.waitUntil(lambda: not window.loading, timeout=10_000)
    settle(qtbot)
    made = [window.tabs.widget(i) for i in range(window.tabs.count())]
    reading = [p for p in made if hasattr(p, "refresh") and hasattr(p, "loading")]
    assert len(reading) >= 5
    window.refresh()  # after a change: the header and every tab read again
    assert runner().running() == 1, "one read of the window runs"
    assert window.read_queue.waiting == len(reading), "the others wait their turn"
    qtbot.waitUntil(lambda: not window.loading, timeout=20_000)
    assert window.read_queue.waiting == 0 and window.read_queue.running is None


def test_my_works_form_opens_on_a_tab_not_made_yet(qtbot, world, gui_session) -> None:
    window = _window(qtbot, gui_session, world.cp_case)
    assert window.tab("notes", make=False) is None
    assert window.open_action("new_note") is None, "the tabs before it and Notes are made and read first"
    qtbot.waitUntil(lambda: window.tab("notes", make=False) is not None and bool(window.tab("notes").forms),
                    timeout=10_000)
    notes = window.tab("notes")
    assert notes.forms[-1].isVisible()
    assert window.tabs.currentWidget() is notes
    form = notes.forms[-1]
    filled(form, qtbot)
    assert form.objectName() == "note_form"
    form.close()
    # once made and read, the form opens at once
    again = window.open_action("new_note")
    filled(again, qtbot)
    assert again is not None and again.objectName() == "note_form"
    again.close()


def test_the_tab_bars_scroll_arrows_take_no_tab_stop(qtbot, world, gui_session) -> None:
    window = _window(qtbot, gui_session, world.cp_case)
    window.resize(360, 600)  # too narrow for the titles: the arrows show
    arrows = window.tabs.tabBar().findChildren(QToolButton)
    assert len(arrows) == 2 and any(a.isVisible() for a in arrows)
    assert all(a.focusPolicy() == Qt.FocusPolicy.NoFocus for a in arrows)
    window.tabs.tabBar().setFocus()
    seen = set()
    for _i in range(40):  # Tab round the whole window: never onto an arrow
        qtbot.keyClick(window.focusWidget() or window, Qt.Key.Key_Tab)
        seen.add(window.focusWidget())
    assert seen and not seen & set(arrows)



def test_a_renamed_person_is_named_in_the_header_with_the_people_tab_never_shown(qtbot, world, gui_session) -> None:
    from desktop.services.persons import PersonService

    window = _window(qtbot, gui_session, world.cp_case)
    assert window.tab("people", make=False) is None
    assert window.title.text() == "Elis Jones"
    PersonService(gui_session).update(world.elis, {"given_names": "Elis Wyn"})
    qtbot.waitUntil(lambda: window.title.text() == "Elis Wyn Jones", timeout=10_000)
