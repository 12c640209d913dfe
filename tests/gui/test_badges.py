"""The sidebar's badges are counted one count at a time: a refresh asked for while one runs (commits during a
senior manager's long count) is made once, after it, so what changed meanwhile is still counted."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from PySide6.QtWidgets import QWidget

from ui import areas
from ui.main_window import MainWindow
from ui.plugins import load_plugins


class Probe:
    """A badge whose first count waits until released; it notes how many counts ran at once."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.release = threading.Event()
        self.started = 0
        self.running = 0
        self.most_at_once = 0

    def badge(self, _session: Any) -> int:
        with self.lock:
            self.started += 1
            number = self.started
            self.running += 1
            self.most_at_once = max(self.most_at_once, self.running)
        try:
            if number == 1:
                assert self.release.wait(10)
            return number
        finally:
            with self.lock:
                self.running -= 1


def test_refreshes_asked_for_during_a_count_are_counted_once_after_it(
        qtbot: Any, gui_session: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    probe = Probe()
    load_plugins()
    title = areas._AREAS["caseload"].title_msgid  # noqa: SLF001 - an existing title (translated)
    monkeypatch.setitem(areas._AREAS, "zz_probe", areas.Area(  # noqa: SLF001 - a badge of our own, listed last
        "zz_probe", title, lambda _session, parent: QWidget(parent), lambda _session: True, probe.badge, order=999))
    window = MainWindow(gui_session, idle_ms=3_600_000)
    qtbot.addWidget(window)
    window.show()  # the first count starts once the window is on screen
    qtbot.waitUntil(lambda: probe.started == 1, timeout=10_000)
    for _commit in range(3):  # as the commits of a burst would, each after the badge timer
        window.refresh_badges()
    qtbot.wait(200)
    assert probe.started == 1  # nothing counted beside the running count
    probe.release.set()
    qtbot.waitUntil(lambda: window._badges.get("zz_probe") == 2, timeout=10_000)  # noqa: SLF001
    row = [a.key for a in window._areas].index("zz_probe")  # noqa: SLF001
    assert window.sidebar.item(row).text().endswith("(2)")  # the count made after the refreshes is shown
    qtbot.wait(200)
    assert probe.started == 2  # three refreshes asked for meanwhile: one count more
    assert probe.most_at_once == 1
    window.refresh_badges()  # nothing running now: counted at once
    qtbot.waitUntil(lambda: window._badges.get("zz_probe") == 3, timeout=10_000)  # noqa: SLF001
    assert probe.most_at_once == 1
