"""The idle lock: notice no input, then hide all case data until the password is entered.

:class:`IdleWatcher` is an application-wide event filter plus a single-shot timer; any key,
mouse or wheel input restarts it. :class:`LockScreen` replaces the main window's central widget
while locked; its password check counts failures like sign-in (the same lockout delay).

Thread contract: GUI thread; the password check (argon2id) runs on a worker.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QApplication, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from desktop.errors import DiogelError, LockedOut, WrongPassword
from desktop.i18n import _
from ui.tasks import runner
from ui.widgets import Countdown, FieldError, Retranslating, countdown_text, scaled_pt

_INPUT_EVENTS = {
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
    QEvent.Type.TouchBegin,
}


class IdleWatcher(QObject):
    """Emits :attr:`idle` after ``timeout_ms`` without keyboard or mouse input."""

    idle = Signal()

    def __init__(self, timeout_ms: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.idle)
        self.set_timeout(timeout_ms)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def set_timeout(self, timeout_ms: int) -> None:
        self._timer.setInterval(max(1, int(timeout_ms)))
        self._timer.start()

    def timeout(self) -> int:
        return self._timer.interval()

    def poke(self) -> None:
        """Count as input now (restart the countdown)."""
        self._timer.start()

    def pause(self) -> None:
        """Stop counting until the next input or :meth:`poke` (while already locked)."""
        self._timer.stop()

    def stop(self) -> None:
        self._timer.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() in _INPUT_EVENTS:
            self._timer.start()
        return False


class LockScreen(Retranslating, QWidget):
    """Shown instead of the window's content while locked. Emits :attr:`unlocked`."""

    unlocked = Signal()

    def __init__(self, profile: Any, user_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lock_screen")
        self.profile = profile
        self.user_name = user_name
        self._busy = False
        self.heading = QLabel()
        self.heading.setStyleSheet(f"font-size: {scaled_pt(16)}; font-weight: 600;")
        self.heading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.explain = QLabel()
        self.explain.setWordWrap(True)
        self.explain.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setObjectName("lock_password")
        self.password.returnPressed.connect(self.try_unlock)
        self.unlock_button = QPushButton()
        self.unlock_button.setDefault(True)
        self.unlock_button.clicked.connect(self.try_unlock)
        self.error = FieldError()
        self.countdown_label = QLabel()
        self.countdown_label.setWordWrap(True)
        self.countdown_label.hide()
        self.countdown = Countdown(self)
        self.countdown.tick.connect(self._on_tick)
        self.countdown.done.connect(self._on_done)

        row = QHBoxLayout()
        row.addWidget(self.password, 1)
        row.addWidget(self.unlock_button)
        box = QVBoxLayout()
        box.addWidget(self.heading)
        box.addWidget(self.explain)
        box.addLayout(row)
        box.addWidget(self.error)
        box.addWidget(self.countdown_label)
        inner = QWidget()
        inner.setLayout(box)
        inner.setFixedWidth(max(520, inner.sizeHint().width()))
        middle = QHBoxLayout()
        middle.addStretch(1)
        middle.addWidget(inner)
        middle.addStretch(1)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        outer.addLayout(middle)
        outer.addStretch(2)
        self.retranslate()

    def retranslate(self) -> None:
        self.heading.setText(_("Diogel is locked"))
        self.explain.setText(
            _("{name}, enter your password to carry on. Case records are hidden while Diogel is locked.").format(
                name=self.user_name
            )
        )
        self.password.setAccessibleName(_("Password"))
        self.password.setPlaceholderText(_("Password"))
        self.unlock_button.setText(_("Unlock"))
        self.unlock_button.setAccessibleName(_("Unlock"))
        if self.countdown.left:
            self._on_tick(self.countdown.left)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        self.password.setFocus()

    def try_unlock(self) -> None:
        if self._busy or self.countdown.left:
            return
        self._busy = True
        self.unlock_button.setEnabled(False)
        self.error.clear()
        runner().run(self.profile.unlock, self.password.text(), on_done=self._ok, on_error=self._failed)

    def _ok(self, _key: bytes) -> None:
        self._busy = False
        self.password.clear()
        self.unlock_button.setEnabled(True)
        self.unlocked.emit()

    def _failed(self, exc: BaseException) -> None:
        self._busy = False
        self.unlock_button.setEnabled(True)
        self.password.selectAll()
        self.password.setFocus()
        if isinstance(exc, DiogelError):
            self.error.show_error(exc)
        seconds = exc.seconds if isinstance(exc, LockedOut) else None
        if isinstance(exc, WrongPassword):
            seconds = exc.params.get("seconds")
        if seconds:
            self.countdown.start(int(seconds))

    def _on_tick(self, seconds: int) -> None:
        self.unlock_button.setEnabled(False)
        self.countdown_label.setText(countdown_text(seconds))
        self.countdown_label.show()

    def _on_done(self) -> None:
        self.countdown_label.hide()
        self.unlock_button.setEnabled(not self._busy)
