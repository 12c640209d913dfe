"""Settings (idle lock) and change-password dialogs.

Thread contract: GUI thread; the password change (argon2id twice) runs on a worker.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop.errors import DiogelError, ValidationError
from desktop.i18n import N_, _
from ui.tasks import runner
from ui.widgets import FieldError, Retranslating, message_of


class SettingsDialog(Retranslating, QDialog):
    """The idle-lock time (1–120 minutes), saved in the profile. Emits :attr:`changed`."""

    changed = Signal(int)

    def __init__(self, profile: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("settings_dialog")
        self.profile = profile
        self.minutes = QSpinBox()
        self.minutes.setRange(1, 120)
        self.minutes.setValue(profile.idle_lock_minutes)
        self.minutes_label = QLabel()
        self.minutes_label.setBuddy(self.minutes)
        self.error = FieldError()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(self.minutes_label, self.minutes)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Settings"))
        self.minutes_label.setText(_("Lock after this many minutes without use:"))
        self.minutes.setAccessibleName(_("Minutes before Diogel locks"))
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setAccessibleName(_("Save"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setAccessibleName(_("Cancel"))

    def save(self) -> None:
        try:
            self.profile.set_preferences(idle_lock_minutes=self.minutes.value())
        except DiogelError as err:
            self.error.show_error(err)
            return
        self.changed.emit(self.minutes.value())
        self.accept()


class ChangePasswordDialog(Retranslating, QDialog):
    """Change the password; with the open ``store`` the database is re-keyed as well (see
    :meth:`desktop.store.profile.Profile.change_password`)."""

    _FIELDS = [
        ("old", N_("Current password:"), N_("Current password")),
        ("new", N_("New password:"), N_("New password")),
        ("again", N_("New password again:"), N_("New password again")),
    ]

    def __init__(self, profile: Any, parent: QWidget | None = None, store: Any = None) -> None:
        super().__init__(parent)
        self.setObjectName("change_password_dialog")
        self.profile = profile
        self.store = store
        self._busy = False
        self.edits: dict[str, QLineEdit] = {}
        self.labels: dict[str, QLabel] = {}
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for key, _l, _a in self._FIELDS:
            edit = QLineEdit()
            edit.setEchoMode(QLineEdit.EchoMode.Password)
            lab = QLabel()
            lab.setBuddy(edit)
            form.addRow(lab, edit)
            self.edits[key], self.labels[key] = edit, lab
        self.error = FieldError()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(420)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Change password"))
        for key, label_msgid, acc_msgid in self._FIELDS:
            self.labels[key].setText(_(label_msgid))
            self.edits[key].setAccessibleName(_(acc_msgid))
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setAccessibleName(_("Save"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setAccessibleName(_("Cancel"))

    def save(self) -> None:
        if self._busy:
            return
        self.error.clear()
        if self.edits["new"].text() != self.edits["again"].text():
            self.error.show_error(ValidationError(N_("The two passwords are not the same."), field="again"))
            return
        self._busy = True
        self.buttons.setEnabled(False)
        runner().run(
            self.profile.change_password,
            self.edits["old"].text(),
            self.edits["new"].text(),
            store=self.store,
            on_done=self._done,
            on_error=self._failed,
        )

    def _done(self, _result: Any) -> None:
        self._busy = False
        self.buttons.setEnabled(True)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self._busy = False
        self.buttons.setEnabled(True)
        if isinstance(exc, DiogelError):
            self.error.show_error(exc)
        else:
            self.error.setText(message_of(exc))
            self.error.show()
