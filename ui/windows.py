"""Windows that show case data, so the idle lock can close them all. GUI thread only."""

from __future__ import annotations

from weakref import WeakSet

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
