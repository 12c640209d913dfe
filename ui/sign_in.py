"""The sign-in dialog: offline, with the lockout countdown and the damaged-database path.

Thread contract: the password check and opening the store (argon2id, migrations) run on a
worker through :mod:`ui.tasks`; the dialog only shows results. :attr:`signed_in` is emitted, and the
dialog closes, as soon as the store is open (the main window shows at once) while the database's
integrity check goes on in the background — nothing is written until it has passed
(:attr:`opened`). If it fails (:attr:`failed`), the dialog comes back saying what is wrong and
offering the newest backup that checks out. While the password is typed, a worker imports the main
window's screens (:func:`ui.plugins.warm_up`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.errors import DiogelError, LockedOut, WrongPassword
from desktop.i18n import _, format_datetime, set_language
from desktop.services.session import Session
from desktop.store.integrity import DatabaseDamaged
from desktop.store.profile import Profile
from ui import interpreter
from ui.plugins import begin_warm_up, warmed
from ui.tasks import runner
from ui.widgets import (
    Countdown,
    FieldError,
    LanguageCombo,
    Retranslating,
    countdown_text,
    message_of,
    scaled_pt,
)

log = logging.getLogger(__name__)


class SignInDialog(Retranslating, QDialog):
    """Ask for the password and open the profile at ``folder``; emits :attr:`signed_in`."""

    signed_in = Signal(object)  # the Session, its store open, its integrity check still running
    opened = Signal(object)  # the Session: the check has passed, the sign-in is recorded
    failed = Signal(object)  # the Session: the check failed; it has been closed without writing, and the
    # dialog is shown again with the message and the backup on offer

    def __init__(self, folder: Path, parent: QWidget | None = None, **store_kwargs: Any) -> None:
        super().__init__(parent)
        self.folder = Path(folder)
        self._store_kwargs = store_kwargs
        self._busy = False
        self._damaged: DatabaseDamaged | None = None
        self._restored_as = ""
        self.setObjectName("sign_in_dialog")

        self.heading = QLabel()
        self.heading.setStyleSheet(f"font-size: {scaled_pt(15)}; font-weight: 600;")
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.language = LanguageCombo(self._on_language)
        self.language_label = QLabel()
        self.language_label.setBuddy(self.language)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_label = QLabel()
        self.password_label.setBuddy(self.password)
        self.error = FieldError()
        self.countdown_label = QLabel()
        self.countdown_label.setWordWrap(True)
        self.countdown_label.hide()
        self.restore_button = QPushButton()
        self.restore_button.hide()
        self.restore_button.clicked.connect(self._restore_backup)

        self.buttons = QDialogButtonBox()
        self.sign_in_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.AcceptRole)
        self.quit_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._submit)
        self.buttons.rejected.connect(self.reject)

        self.countdown = Countdown(self)
        self.countdown.tick.connect(self._on_tick)
        self.countdown.done.connect(self._on_countdown_done)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(self.language_label, self.language)
        form.addRow(self.password_label, self.password)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.countdown_label)
        layout.addWidget(self.restore_button)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(420)
        # Only once the button is inside the dialog does the dialog know its default: Return in the
        # password box then signs in.
        self.sign_in_button.setDefault(True)
        self.restore_button.setAutoDefault(False)
        self.password.setFocus()
        self._warming = False
        self.retranslate()

    def showEvent(self, event: Any) -> None:  # noqa: N802
        super().showEvent(event)
        self.password.setFocus()
        if not self._warming:
            # While the password is typed, Qt's enum types are made here a few at a time, then a worker
            # imports the casework screens (most of a second), so the main window does not do either on the
            # GUI thread — and no two threads ever make an enum type at once (that crashes the process).
            self._warming = True
            begin_warm_up()

    # -- texts --------------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.setWindowTitle(_("Sign in to Diogel"))
        self.heading.setText(_("Sign in to Diogel"))
        if self._restored_as:
            self.intro.setText(
                _("The backup was restored. The damaged file was kept as {name}. Sign in again.").format(
                    name=self._restored_as
                )
            )
        else:
            self.intro.setText(_("Enter your password. Signing in works without a connection."))
        self.language_label.setText(_("Language:"))
        self.password_label.setText(_("Password:"))
        self.password.setAccessibleName(_("Password"))
        self.sign_in_button.setText(_("Sign in"))
        self.sign_in_button.setAccessibleName(_("Sign in"))
        self.quit_button.setText(_("Quit"))
        self.quit_button.setAccessibleName(_("Quit"))
        self.restore_button.setAccessibleName(_("Restore the newest backup that checks out"))
        backup = self._latest_backup()
        if backup is not None:
            when = format_datetime(_mtime(backup))
            self.restore_button.setText(_("Restore the newest backup that checks out ({when})").format(when=when))
        if self.countdown.left:
            self._on_tick(self.countdown.left)

    # -- actions ------------------------------------------------------------------------------
    def _on_language(self, lang: str) -> None:
        set_language(lang)
        try:
            Profile.open(self.folder).set_preferences(language=lang)
        except (DiogelError, OSError):
            pass  # the sign-in itself will say what is wrong with the profile (or the disk)

    def _submit(self) -> None:
        if self._busy or self.countdown.left:
            return
        self._busy = True
        self._set_enabled(False)
        self.error.clear()
        password = self.password.text()
        interpreter.settle()  # before any session exists: what is alive now lives as long as the process
        runner().run(
            Session.sign_in, self.folder, password, on_done=self._on_signed_in, on_error=self._on_error,
            wait=False, **self._store_kwargs,
        )

    def _on_signed_in(self, session: Session) -> None:
        self.accept()
        self.signed_in.emit(session)
        # _ready may wait for the screens' import (up to WARM_UP_WAIT_S): by then this window may be gone
        # (closed with the application, or a test's teardown), so the answers go to guarded bound methods.
        runner().run(_ready, session, self._warming, on_done=partial(self._if_alive, self._on_opened, session),
                     on_error=partial(self._if_alive, self._on_open_failed, session))

    def _if_alive(self, then: Callable[..., None], *args: Any) -> None:
        """GUI thread: ``then(*args)`` unless this window's Qt object was deleted meanwhile."""
        if shiboken6.isValid(self):
            then(*args)

    def _on_opened(self, session: Session, _result: object = None) -> None:
        self._busy = False
        self.password.clear()
        self.opened.emit(session)

    def _on_open_failed(self, session: Session, exc: BaseException) -> None:
        from ui.tasks import forget_store

        self.setResult(0)
        self.show()  # first, so closing the main window does not end the application
        forget_store(session)
        session.close()  # nothing is written to a damaged file, not even the sign-out
        self.failed.emit(session)
        self._on_error(exc)

    def _on_error(self, exc: BaseException) -> None:
        self._busy = False
        self._set_enabled(True)
        self.password.selectAll()
        self.password.setFocus()
        if isinstance(exc, DiogelError):
            self.error.show_error(exc)
        else:
            self.error.setText(message_of(exc))
            self.error.show()
        seconds = exc.seconds if isinstance(exc, LockedOut) else None
        if isinstance(exc, WrongPassword):
            seconds = exc.params.get("seconds")
        if seconds:
            self.countdown.start(int(seconds))
        if isinstance(exc, DatabaseDamaged) and Profile.exists(self.folder):
            self._damaged = exc
            self.restore_button.setVisible(exc.backup is not None)
            self.retranslate()

    def _on_tick(self, seconds: int) -> None:
        self.sign_in_button.setEnabled(False)
        self.countdown_label.setText(countdown_text(seconds))
        self.countdown_label.show()

    def _on_countdown_done(self) -> None:
        self.countdown_label.hide()
        self.sign_in_button.setEnabled(not self._busy)

    def _set_enabled(self, enabled: bool) -> None:
        self.sign_in_button.setEnabled(enabled and not self.countdown.left)
        self.password.setEnabled(enabled)

    def _latest_backup(self) -> Path | None:
        """The newest backup that passed the integrity check when the damage was found."""
        return self._damaged.backup if self._damaged is not None else None

    def _restore_backup(self) -> None:
        """Put the newest backup in place; the damaged file is kept beside it, never overwritten."""
        backup = self._latest_backup()
        if backup is None:
            return
        kept = Profile.open(self.folder).restore_backup(backup)
        self._damaged = None
        self.restore_button.hide()
        self._restored_as = kept.name
        self.error.clear()
        self.retranslate()
        if self.password.text():
            self._submit()


def _mtime(path: Path) -> Any:
    from datetime import datetime

    return datetime.fromtimestamp(path.stat().st_mtime)


WARM_UP_WAIT_S = 20.0
"""How long signing in waits for the screens to be imported before showing the window all the same."""


def _ready(session: Session, warming: bool) -> None:
    """Worker thread: the store is open and, if the screens were being imported while the password was
    typed, they are (so the main window does not wait for that import on the GUI thread)."""
    session.opened.result()
    if warming:
        warmed.wait(WARM_UP_WAIT_S)
