"""Keyboard alone: every key goes to the widget that has the focus, as a person's keyboard sends it.

No clicks, no ``setFocus`` and no ``setCurrentIndex`` in a journey: if the focus cannot get somewhere by
keys, the journey fails."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

NO = Qt.KeyboardModifier.NoModifier


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has the keyboard focus"
    return widget


def press(key: Qt.Key, modifier: Qt.KeyboardModifier = NO) -> None:
    """One key (with its modifier) to the focused widget, then its events run."""
    QTest.keyClick(focused(), key, modifier)
    QApplication.processEvents()


def type_text(text: str) -> None:
    QTest.keyClicks(focused(), text)
    QApplication.processEvents()


def tab_to(reached: Callable[[QWidget], bool], limit: int = 30) -> int:
    """Press Tab until the focused widget is the one ``reached`` wants; the number of presses.
    Fails when it is not reached in ``limit`` presses (it is not in the tab order, or too far)."""
    for presses in range(limit + 1):
        if reached(focused()):
            return presses
        press(Qt.Key.Key_Tab)
    raise AssertionError(f"not reached by Tab in {limit} presses; the focus is on {describe(focused())}")


def describe(widget: QWidget) -> str:
    return f"{type(widget).__name__}:{widget.objectName()} {getattr(widget, 'text', lambda: '')()!r}"
