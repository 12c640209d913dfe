"""Start the desktop application: first run or sign-in, then the main window.

``run(profile)`` is what :func:`desktop.app.run_gui` calls. :class:`AppController` holds the
flow so tests can drive it without ``exec()``.

Thread contract: GUI thread.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Any

from platformdirs import user_data_dir
from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from desktop.errors import DiogelError
from desktop.i18n import _, set_language
from desktop.store.profile import Profile
from ui import interpreter
from ui.contrast import hub as contrast_hub
from ui.first_run import FirstRunDialog
from ui.language import hub
from ui.main_window import MainWindow
from ui.sign_in import SignInDialog
from ui.sync.controller import controller_for, forget_controller, is_linked
from ui.tasks import forget_store, runner

log = logging.getLogger(__name__)


def default_profile_dir() -> Path:
    """``<user data dir>/Diogel/profiles/default``."""
    return Path(user_data_dir("Diogel", appauthor=False)) / "profiles" / "default"


class AppController(QObject):
    """First run or sign-in, then the main window; signs out when the window closes, and back to
    the sign-in dialog after "Sign out". Auto-sync runs only for a profile linked to a server."""

    def __init__(self, folder: Path, *, kdf: Any = None, idle_ms: int | None = None) -> None:
        super().__init__()
        self.folder = Path(folder)
        self.kdf = kdf
        self.idle_ms = idle_ms
        self.dialog: QDialog | None = None
        self.window: MainWindow | None = None
        self.session: Any = None
        self._watching_last_window = False
        hub()
        if Profile.exists(self.folder):
            try:
                profile = Profile.open(self.folder)
                set_language(profile.language)
                contrast_hub().set_forced(profile.high_contrast)
            except DiogelError:
                pass  # the sign-in dialog will say what is wrong

    def start(self) -> QDialog:
        if Profile.exists(self.folder):
            self.dialog = SignInDialog(self.folder)
        else:
            self.dialog = FirstRunDialog(self.folder, kdf=self.kdf)
        self.dialog.signed_in.connect(self._on_session)
        if isinstance(self.dialog, SignInDialog):
            self.dialog.opened.connect(self._on_opened)
            self.dialog.failed.connect(self._on_failed)
        self.dialog.rejected.connect(self._on_cancelled)
        self.dialog.show()
        return self.dialog

    def _on_session(self, session: Any) -> None:
        """Show the main window at once; the database's integrity check runs meanwhile on its own
        thread and nothing is written until it has passed (then :meth:`_on_opened`; a failure closes
        the window again, :meth:`_on_failed`)."""
        self.session = session
        try:
            self.window = MainWindow(session, idle_ms=self.idle_ms)
        except Exception:  # a damaged page read while building: the check will say so
            log.exception("building the main window")
            self.window = None
            return
        self.window.sign_out_requested.connect(self.sign_out)
        self.window.show()
        app = QApplication.instance()
        if isinstance(app, QApplication) and not self._watching_last_window:
            self._watching_last_window = True
            app.lastWindowClosed.connect(self.shutdown)
        if not isinstance(self.dialog, SignInDialog):
            self._on_opened(session)

    def _on_opened(self, session: Any) -> None:
        if session is not self.session:
            return
        if self.window is None:  # it could not be built although the file checked out
            self.session = None
            forget_store(session)
            session.close()
            self.start()
            return
        if session.read_only is not None:
            notice = QMessageBox(QMessageBox.Icon.Warning, _("Read-only"), session.read_only.message(),
                                 QMessageBox.StandardButton.Ok, self.window)
            notice.setObjectName("read_only_notice")
            notice.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            notice.open()
        elif is_linked(session):  # a profile never connected to a server does not try the network
            controller_for(session).start_auto()

    def _on_failed(self, session: Any) -> None:
        """The integrity check failed: the window closes (the sign-in dialog, shown again, says what
        is wrong and offers the newest backup that checks out)."""
        if session is not self.session:
            return
        window, self.window, self.session = self.window, None, None
        if window is not None:
            window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            window.close()

    def sign_out(self) -> QDialog:
        """After the main window allowed it: close the window and the store, then ask for a password."""
        window, self.window = self.window, None
        dialog = self.start()  # shown first, so closing the main window does not end the application
        if window is not None:
            window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            window.close()
        self.shutdown()
        return dialog

    def _on_cancelled(self) -> None:
        if self.session is None:
            QApplication.quit()

    def shutdown(self) -> None:
        """Sign out (audited) and close the store; idempotent."""
        if self.session is not None:
            session, self.session = self.session, None
            forget_controller(session)  # stops auto-sync before the store closes
            forget_store(session)
            # A form closed with the window keeps its draft (or finishes its save) on a worker: let it
            # write before the store closes.
            runner().wait_work()
            try:
                session.close()
            except DiogelError:
                pass


def run(profile: Path | None = None) -> int:
    """Open Diogel on ``profile`` (default: the per-user profile folder); returns the exit code."""
    app = QApplication.instance() or QApplication(sys.argv)
    interpreter.collect_on_this_thread()  # no worker ever frees a cycle holding a Qt object
    app.setApplicationName("Diogel")
    app.setOrganizationName("Diogel")
    controller = AppController(Path(profile) if profile else default_profile_dir())
    controller.start()
    code = app.exec()
    controller.shutdown()
    runner().shutdown()
    return code
