"""Dialogs that talk to the server: sign in to it (connect a profile, or again after the token expired),
and make a new profile by signing in (first run: brings role, team and caseload).

Certificates are always checked; a server with a private CA needs its CA bundle file.

Thread contract: GUI thread; the network work runs on a worker (:mod:`ui.tasks`), results come back
through the task's signals.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.i18n import _, current_language
from desktop.sync import local
from desktop.sync.client import SyncClient
from desktop.sync.enroll import create_profile_from_server
from desktop.sync.status import MADE_HERE_TEXT, read_status
from desktop.sync.transport import Transport
from ui.tasks import runner
from ui.widgets import Retranslating, message_of


class _ServerForm(Retranslating, QDialog):
    """Server address, CA bundle (optional), username, password; OK runs :meth:`work` on a worker."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.url = QLineEdit()
        self.url.setObjectName("server_url")
        self.ca = QLineEdit()
        self.ca.setObjectName("ca_bundle")
        self.browse = QPushButton()
        self.browse.clicked.connect(self._browse)
        self.user = QLineEdit()
        self.user.setObjectName("server_user")
        self.password = QLineEdit()
        self.password.setObjectName("server_password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = QLabel()
        self.error.setObjectName("server_error")
        self.error.setWordWrap(True)
        self.restyle()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        ca_row = QHBoxLayout()
        ca_row.addWidget(self.ca, 1)
        ca_row.addWidget(self.browse)
        self.form = QFormLayout()
        self.labels = [QLabel() for _i in range(4)]
        self.form.addRow(self.labels[0], self.url)
        self.form.addRow(self.labels[1], ca_row)
        self.form.addRow(self.labels[2], self.user)
        self.form.addRow(self.labels[3], self.password)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        box = QVBoxLayout(self)
        box.addWidget(self.intro)
        box.addLayout(self.form)
        box.addWidget(self.error)
        box.addWidget(self.buttons)
        self._exc: BaseException | None = None

    def _browse(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(self, _("CA bundle"), "", "PEM (*.pem *.crt);;* (*)")
        if path:
            self.ca.setText(path)

    def restyle(self) -> None:
        from ui.contrast import ERROR_COLOUR, text_css

        self.error.setStyleSheet(text_css(ERROR_COLOUR))

    def retranslate(self) -> None:
        for label, text in zip(self.labels, (_("Server address:"), _("CA bundle (if your IT team gave you one):"),
                                             _("Username:"), _("Password:")), strict=True):  # fmt: skip
            label.setText(text)
        self.browse.setText(_("Choose…"))
        self.error.setText(message_of(self._exc) if self._exc else "")
        self.error.setVisible(self._exc is not None)

    def submit(self) -> None:
        self._exc = None
        self.retranslate()
        self.buttons.setEnabled(False)
        args = (self.url.text().strip(), self.ca.text().strip() or None, self.user.text().strip(), self.password.text())
        runner().run(self.work, *args, on_done=self._done, on_error=self._failed)

    def work(self, url: str, ca: str | None, user: str, password: str) -> Any:  # worker thread
        raise NotImplementedError

    def _done(self, result: Any) -> None:
        self.buttons.setEnabled(True)
        self.password.clear()
        self.result_value = result
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.buttons.setEnabled(True)
        self._exc = exc
        self.retranslate()


class ServerSignInDialog(_ServerForm):
    """Connect this profile to a server, or sign in again; the token is kept in the encrypted profile. A profile
    made offline is told first that the server refuses the team and staff records it made
    (:data:`~desktop.sync.status.MADE_HERE_TEXT`)."""

    made_here = 0

    def __init__(self, session: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("server_sign_in")
        self.session = session
        self.url.setText(local.get_state(session.store, "server_url") or "")
        self.ca.setText(local.get_state(session.store, "ca_bundle") or "")
        self.user.setText(local.get_state(session.store, "username") or "")
        self.made_here = read_status(session.store).made_here  # a profile made offline: said before signing in
        self.retranslate()

    def retranslate(self) -> None:
        super().retranslate()
        self.setWindowTitle(_("Sign in to the server"))
        intro = _("Sign in to the Diogel server to send your changes and receive your caseload.")
        self.intro.setText(f"{intro}\n\n{_(MADE_HERE_TEXT)}" if self.made_here else intro)

    def work(self, url: str, ca: str | None, user: str, password: str) -> Any:
        transport = Transport(url, ca_bundle=ca)
        try:
            body = SyncClient.for_session(self.session, transport).sign_in(user, password)
            ca_path = str(Path(ca).resolve()) if ca else None
            self.session.write(lambda tx: local.set_state(tx, ca_bundle=ca_path))
            return body
        finally:
            transport.close()


class ServerProfileDialog(_ServerForm):
    """First run: make a profile in ``folder`` by signing in to the server. Emits ``created(session)``."""

    created = Signal(object)

    def __init__(self, folder: Path, parent: QWidget | None = None, **store_kwargs: Any) -> None:
        super().__init__(parent)
        self.setObjectName("server_profile")
        self.folder = Path(folder)
        self.store_kwargs = store_kwargs
        self.retranslate()

    def retranslate(self) -> None:
        super().retranslate()
        self.setWindowTitle(_("Set up Diogel from the server"))
        self.intro.setText(_("Sign in with your Diogel server account. Your role, team and caseload come from"
                              " the server, and the same password will protect Diogel on this computer."))  # fmt: skip

    def work(self, url: str, ca: str | None, user: str, password: str) -> Any:
        transport = Transport(url, ca_bundle=ca)
        try:
            session, _report = create_profile_from_server(
                self.folder, transport, user, password, language=current_language(),
                ca_bundle=str(Path(ca).resolve()) if ca else None, **self.store_kwargs,
            )  # fmt: skip
            return session
        finally:
            transport.close()

    def _done(self, result: Any) -> None:
        super()._done(result)
        self.created.emit(result)
