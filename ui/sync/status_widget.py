"""The sync status line: unsent changes, refusals, conflicts, last successful sync; Sync now; Cancel.

Small enough for the main window's status bar (``statusBar().addPermanentWidget(SyncStatusWidget(...))``)
and used at the top of the Sync area. It never claims more than the store says: the counts come from the
outbox and the conflict table (:func:`desktop.sync.status.read_status`).

Thread contract: GUI thread only; the work happens in :class:`ui.sync.controller.SyncController`.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from desktop.i18n import N_, _, ngettext
from desktop.sync.errors import AuthRequired
from desktop.sync.status import SyncStatus, status_lines
from ui.sync.controller import SyncController
from ui.widgets import Retranslating, message_of

STAGES = {"push": N_("Sending changes"), "pull": N_("Receiving changes"), "verify": N_("Checking the copy"),
          "repair": N_("Fetching again")}  # fmt: skip


def short_text(status: SyncStatus) -> str:
    """One line for the status bar: what needs doing first, else when it last synced."""
    if status.offline_demo:
        return _("Demo — not connected to a server")
    if status.conflicts:
        return ngettext("{count} conflict to resolve", "{count} conflicts to resolve",
                        status.conflicts).format(count=status.conflicts)  # fmt: skip
    if status.attention:
        return ngettext("{count} change needs attention", "{count} changes need attention",
                        status.attention).format(count=status.attention)  # fmt: skip
    if status.unsent:
        return ngettext("{count} change not yet sent", "{count} changes not yet sent",
                        status.unsent).format(count=status.unsent)  # fmt: skip
    if status.last_success is None:
        return _("Never synced")
    return _("Up to date")


class SyncStatusWidget(Retranslating, QWidget):
    def __init__(self, controller: SyncController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sync_status")
        self.controller = controller
        self._error: BaseException | None = None
        self._stage = ""
        self.label = QLabel()
        self.label.setObjectName("sync_status_label")
        self.bar = QProgressBar()
        self.bar.setMaximumWidth(140)
        self.bar.hide()
        self.sync_button = QPushButton()
        self.sync_button.setObjectName("sync_now")
        self.sync_button.clicked.connect(self._sync)
        self.cancel_button = QPushButton()
        self.cancel_button.setObjectName("sync_cancel")
        self.cancel_button.clicked.connect(controller.cancel)
        self.cancel_button.hide()
        self.sign_in_button = QPushButton()
        self.sign_in_button.setObjectName("sync_sign_in")
        self.sign_in_button.clicked.connect(self._sign_in)
        self.sign_in_button.hide()
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        for w in (self.label, self.bar, self.sync_button, self.cancel_button, self.sign_in_button):
            row.addWidget(w)
        controller.status_changed.connect(self._on_status)
        controller.running_changed.connect(self._on_running)
        controller.progress.connect(self._on_progress)
        controller.failed.connect(self._on_failed)
        controller.finished.connect(self._on_finished)
        self.retranslate()

    def _on_status(self, _status: Any) -> None:
        self.retranslate()

    def _sync(self) -> None:
        self._error = None
        self.controller.sync_now()

    def _on_running(self, running: bool) -> None:
        self.bar.setVisible(running)
        self.cancel_button.setVisible(running)
        self.sync_button.setEnabled(not running)
        if running:
            self.bar.setRange(0, 0)
            self._stage = ""
        self.retranslate()

    def _on_progress(self, stage: str, done: int, total: int) -> None:
        self._stage = stage
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(done)
        self.retranslate()

    def _on_failed(self, exc: BaseException) -> None:
        self._error = exc
        self.sign_in_button.setVisible(isinstance(exc, AuthRequired))
        self.retranslate()

    def _sign_in(self) -> None:
        """Ask for the server password (the token expired, or the profile was never connected)."""
        from ui.sync.server_dialog import ServerSignInDialog

        dialog = ServerSignInDialog(self.controller.session, self)
        dialog.accepted.connect(self._signed_in)
        dialog.open()
        self.dialog = dialog

    def _signed_in(self) -> None:
        self.sign_in_button.hide()
        self._sync()

    def _on_finished(self, _report: Any) -> None:
        self._error = None
        self.sign_in_button.hide()
        self.retranslate()

    def retranslate(self) -> None:
        status = self.controller.status
        if self.controller.running:
            text = _(STAGES.get(self._stage, "Syncing…")) if self._stage else _("Syncing…")
        elif self._error is not None:
            text = _("Sync failed: {reason}").format(reason=message_of(self._error))
        else:
            text = short_text(status)
        self.label.setText(text)
        tip = "\n".join(status_lines(status))
        self.label.setToolTip(tip)
        self.setAccessibleName(_("Sync status"))
        self.setAccessibleDescription(tip)
        self.sync_button.setVisible(not status.offline_demo)  # nowhere to sync to
        self.sync_button.setText(_("Sync now"))
        self.sync_button.setToolTip(_("Send your changes and receive your colleagues'"))
        self.cancel_button.setText(_("Cancel"))
        self.sign_in_button.setText(_("Sign in to the server…"))
        self.cancel_button.setToolTip(_("Stop syncing; what was sent or received so far is kept"))
        # Resize now, not a layout round later: in a status bar a longer text (Welsh) was briefly clipped.
        layout = self.layout()
        if layout is not None:
            layout.activate()
