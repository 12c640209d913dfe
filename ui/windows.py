"""Windows that show case data, so the idle lock can close them all; and how a window takes its size
on the screen it opens on. GUI thread only."""

from __future__ import annotations

from weakref import WeakSet

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

_sensitive: WeakSet[QWidget] = WeakSet()


def register_sensitive(window: QWidget) -> None:
    """Track ``window`` (a case window, a person dialog): it is closed when the app locks."""
    _sensitive.add(window)


def close_sensitive() -> None:
    """Close every tracked window (dialogs save their drafts on close)."""
    for window in list(_sensitive):
        try:
            window.close()
        except RuntimeError:  # already deleted on the C++ side
            pass
        _sensitive.discard(window)


def open_sensitive() -> list[QWidget]:
    out = []
    for w in list(_sensitive):
        try:
            if w.isVisible():
                out.append(w)
        except RuntimeError:
            pass
    return out


def fit_to_screen(window: QWidget, roomy: tuple[int, int]) -> None:
    """``roomy`` on a screen with room to spare; the whole of a laptop-sized screen (1366×768, or less at
    125 % scaling) otherwise, so that no column or tab is cut off."""
    screen = window.screen() or QGuiApplication.primaryScreen()
    area = screen.availableGeometry() if screen is not None else QRect(0, 0, *roomy)
    if area.width() < roomy[0] + 100 or area.height() < roomy[1] + 100:
        window.setGeometry(area)
        window.setWindowState(window.windowState() | Qt.WindowState.WindowMaximized)
    else:
        window.resize(*roomy)
