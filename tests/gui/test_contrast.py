"""High contrast (issue 17, item 7): forced on from Settings (saved in the profile) or asked for by the
system, every colour Diogel chose gives way to the palette's text on base with borders and bold — live,
in windows already open — and everything comes back when it is turned off."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QTreeWidgetItem

from desktop.domain.urgency import STYLES, Urgency
from desktop.store.profile import Profile
from tests.conftest import settle
from tests.gui.conftest import World
from tests.gui.forms import filled, saved
from ui.contrast import hub


@pytest.fixture
def contrast() -> Iterator[Any]:
    """The application's contrast hub, back to "as the system says" (and its palette) afterwards."""
    h = hub()
    yield h
    h.set_forced(False)


def _text_colour() -> str:
    return QApplication.palette().color(QPalette.ColorRole.Text).name()


def test_settings_force_high_contrast_live_and_back(qtbot: Any, gui_session: Any, world: World, contrast: Any) -> None:
    from ui.case_view import open_case_window
    from ui.main_window import MainWindow
    from ui.urgency import style_tree_item

    palette_before = QApplication.palette().color(QPalette.ColorRole.Base).name()
    window = MainWindow(gui_session, idle_ms=3_600_000)
    qtbot.addWidget(window)
    window.show()
    my_work = window.show_area("my_work")
    qtbot.waitUntil(lambda: my_work.loaded, timeout=10_000)
    chip = my_work.chips["overdue"]
    assert "#f0f0f0" in chip.styleSheet()  # nothing overdue: the quiet grey
    case = open_case_window(gui_session, world.cp_case, window)
    qtbot.addWidget(case)
    settle(qtbot)  # the journey is drawn once the case is read on a worker
    current = next(s for s in case.journey_bar.steps if s.property("state") == "current")
    assert "#e3f0fb" in current.styleSheet()

    settings = window.open_settings()
    filled(settings, qtbot)
    settings.set_value("idle_lock_minutes", 0)
    assert saved(settings, qtbot) is False
    assert "#a4000f" in settings.errors["idle_lock_minutes"].styleSheet()  # a refusal in its red
    settings.set_value("idle_lock_minutes", 10)
    settings.set_value("high_contrast", True)
    assert saved(settings, qtbot) is True

    assert Profile.open(world.folder).high_contrast is True
    assert contrast.high and contrast.forced
    assert (_text_colour(), QApplication.palette().color(QPalette.ColorRole.Base).name()) == ("#000000", "#ffffff")
    # The windows already open follow at once: no tint left, a border in the text colour instead.
    assert "#f0f0f0" not in chip.styleSheet() and "border: 1px solid #000000" in chip.styleSheet()
    assert "#e3f0fb" not in current.styleSheet() and "border: 3px solid #000000" in current.styleSheet()
    row = QTreeWidgetItem(["", "Elis Jones"])
    style_tree_item(row, Urgency.DUE_TODAY, label_column=0)
    assert (row.foreground(1).color().name(), row.background(1).color().name()) == ("#000000", "#ffffff")
    assert row.font(0).bold() and row.text(0) == "Due today"  # the words and the shape carry it

    settings = window.open_settings()
    filled(settings, qtbot)
    assert settings.value("high_contrast") is True  # the form shows what is saved
    settings.set_value("high_contrast", False)
    assert saved(settings, qtbot) is True
    assert not contrast.high and Profile.open(world.folder).high_contrast is False
    assert QApplication.palette().color(QPalette.ColorRole.Base).name() == palette_before
    assert "#f0f0f0" in chip.styleSheet() and "#e3f0fb" in current.styleSheet()
    row = QTreeWidgetItem(["", "Elis Jones"])
    style_tree_item(row, Urgency.DUE_TODAY, label_column=0)
    assert row.background(1).color().name() == STYLES[Urgency.DUE_TODAY].background


def test_the_system_asking_for_high_contrast_is_followed_live(qtbot: Any, gui_session: Any, contrast: Any,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """When the system's preference changes to high contrast (its signal), Diogel follows without a
    restart and keeps the system's own (high-contrast) palette."""
    from PySide6.QtCore import Qt

    from ui.main_window import MainWindow

    window = MainWindow(gui_session, idle_ms=3_600_000)
    qtbot.addWidget(window)
    window.show()
    my_work = window.show_area("my_work")
    qtbot.waitUntil(lambda: my_work.loaded, timeout=10_000)
    chip = my_work.chips["overdue"]
    palette = QApplication.palette()
    # The platform under test cannot change its preference; it is the input, so it is given here.
    monkeypatch.setattr(contrast, "system_asks", lambda: True)
    contrast._hints.contrastPreferenceChanged.emit(Qt.ContrastPreference.HighContrast)  # noqa: SLF001
    assert contrast.high and not contrast.forced
    assert QApplication.palette() == palette  # the system's palette is left alone
    assert "#f0f0f0" not in chip.styleSheet() and f"border: 1px solid {_text_colour()}" in chip.styleSheet()
    monkeypatch.setattr(contrast, "system_asks", lambda: False)
    contrast._hints.contrastPreferenceChanged.emit(Qt.ContrastPreference.NoPreference)  # noqa: SLF001
    assert not contrast.high and "#f0f0f0" in chip.styleSheet()
