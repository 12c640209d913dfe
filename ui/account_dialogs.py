"""Settings (idle lock) and change-password forms (:class:`~ui.forms.Form`; GUI thread).

Neither keeps a draft: the settings show what is saved, and a password is never kept anywhere. A
refusal shows beside its field (a wrong current password beside "Current password"); anything else is
a fault. The password change (argon2id twice, and re-keying the database) runs on a worker.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from desktop.errors import DiogelError, LockedOut, ValidationError, WrongPassword
from desktop.i18n import N_, _
from ui.contrast import hub as contrast_hub
from ui.forms import Field, Form


class SettingsDialog(Form):
    """The idle-lock time (1–120 minutes) and high contrast always on, saved in the profile (high
    contrast applies at once, see :mod:`ui.contrast`). Emits :attr:`changed` with the minutes."""

    changed = Signal(int)
    OBJECT_NAME = "settings_dialog"
    TITLE = N_("Settings")
    DRAFTS = False
    FIELDS = [
        Field("idle_lock_minutes", "number", N_("Lock after this many minutes without use:")),
        Field("high_contrast", "check",
              N_("Always use high contrast (black on white, strong edges), whatever the system says")),
    ]

    def __init__(self, profile: Any, parent: QWidget | None = None) -> None:
        self.profile = profile  # before the fields are filled: prepare() reads it
        super().__init__(None, parent=parent)

    def prepare(self) -> None:
        self.set_value("idle_lock_minutes", self.profile.idle_lock_minutes)
        self.set_value("high_contrast", self.profile.high_contrast)

    def retranslate_more(self) -> None:
        self.widgets["idle_lock_minutes"].setAccessibleName(_("Minutes before Diogel locks"))

    def submit(self, values: dict[str, Any]) -> dict[str, Any]:
        self.profile.set_preferences(idle_lock_minutes=values["idle_lock_minutes"],
                                     high_contrast=bool(values["high_contrast"]))
        return values

    def after_save(self, row: Any) -> None:
        contrast_hub().set_forced(bool(row["high_contrast"]))
        self.changed.emit(row["idle_lock_minutes"])


class ChangePasswordDialog(Form):
    """Change the password; with the open ``store`` the database is re-keyed as well (see
    :meth:`desktop.store.profile.Profile.change_password`)."""

    OBJECT_NAME = "change_password_dialog"
    TITLE = N_("Change password")
    DRAFTS = False
    FIELDS = [
        Field("old", "password", N_("Current password:")),
        Field("new", "password", N_("New password:")),
        Field("again", "password", N_("New password again:")),
    ]
    ALIASES = {"password": "new"}

    def __init__(self, profile: Any, parent: QWidget | None = None, store: Any = None) -> None:
        self.profile, self.store = profile, store
        super().__init__(None, parent=parent)

    def show_refusal(self, err: DiogelError) -> None:
        if isinstance(err, WrongPassword | LockedOut):  # about the current password: shown beside it
            self.errors["old"].show_error(err)
            self.widgets["old"].setFocus()
            return
        super().show_refusal(err)

    def values(self) -> dict[str, Any]:
        """The passwords, once the two new ones agree (else refused beside the second, nothing sent)."""
        values = super().values()
        if values["new"] != values["again"]:
            raise ValidationError(N_("The two passwords are not the same."), field="again")
        return values

    def submit(self, values: dict[str, Any]) -> None:
        self.profile.change_password(values["old"], values["new"], store=self.store)
