"""First run: make the profile and the person who signs in to it.

Thread contract: ``Session.create_profile`` (argon2id, new database) runs on a worker.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.types import Role, label
from desktop.errors import DiogelError, ValidationError
from desktop.i18n import N_, _, current_language, set_language
from desktop.services.session import Session
from ui.tasks import runner
from ui.widgets import FieldError, LanguageCombo, Retranslating, message_of, scaled_pt


class FirstRunDialog(Retranslating, QDialog):
    """Collect the first user's details and create the profile at ``folder``; emits
    :attr:`signed_in` with the new session. "Create from server…" makes it by signing in to the
    server instead (:class:`ui.sync.server_dialog.ServerProfileDialog`)."""

    signed_in = Signal(object)

    def __init__(self, folder: Path, parent: QWidget | None = None, *, kdf: Any = None) -> None:
        super().__init__(parent)
        self.folder = Path(folder)
        self._kdf = kdf
        self._busy = False
        self.setObjectName("first_run_dialog")
        self.heading = QLabel()
        self.heading.setStyleSheet(f"font-size: {scaled_pt(15)}; font-weight: 600;")
        self.intro = QLabel()
        self.intro.setWordWrap(True)

        self.language = LanguageCombo(set_language)
        self.given_names = QLineEdit()
        self.family_name = QLineEdit()
        self.role = QComboBox()
        for role in Role:
            self.role.addItem("", str(role))
        self.team = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password2 = QLineEdit()
        self.password2.setEchoMode(QLineEdit.EchoMode.Password)

        self.labels: dict[str, QLabel] = {}
        self.errors: dict[str, FieldError] = {}
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self._fields = {
            "language": self.language,
            "given_names": self.given_names,
            "family_name": self.family_name,
            "role": self.role,
            "team": self.team,
            "password": self.password,
            "password2": self.password2,
        }
        for key, widget in self._fields.items():
            lab = QLabel()
            lab.setBuddy(widget)
            err = FieldError()
            box = QVBoxLayout()
            box.setContentsMargins(0, 0, 0, 0)
            box.addWidget(widget)
            box.addWidget(err)
            form.addRow(lab, box)
            self.labels[key] = lab
            self.errors[key] = err
        self.general_error = FieldError()
        self.buttons = QDialogButtonBox()
        self.create_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.AcceptRole)
        self.server_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.ActionRole)
        self.server_button.setObjectName("create_from_server")
        self.server_button.clicked.connect(self.create_from_server)
        self.server_dialog: QDialog | None = None
        self.quit_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._submit)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        layout.addWidget(self.general_error)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(480)
        self.create_button.setDefault(True)  # once inside the dialog: Return creates the profile
        self.retranslate()

    _LABELS = {
        "language": N_("Interface language:"),
        "given_names": N_("Given names:"),
        "family_name": N_("Family name:"),
        "role": N_("Role:"),
        "team": N_("Team:"),
        "password": N_("Password:"),
        "password2": N_("Password again:"),
    }
    _NAMES = {
        "language": N_("Interface language"),
        "given_names": N_("Given names"),
        "family_name": N_("Family name"),
        "role": N_("Role"),
        "team": N_("Team"),
        "password": N_("Password"),
        "password2": N_("Password again"),
    }

    def retranslate(self) -> None:
        self.setWindowTitle(_("Welcome to Diogel"))
        self.heading.setText(_("Welcome to Diogel"))
        self.intro.setText(
            _(
                "Set up Diogel on this computer. Your password protects the case records stored here;"
                " it cannot be recovered if you forget it."
            )
        )
        for key, lab in self.labels.items():
            lab.setText(_(self._LABELS[key]))
            self._fields[key].setAccessibleName(_(self._NAMES[key]))
        for i in range(self.role.count()):
            self.role.setItemText(i, label(self.role.itemData(i)))
        self.create_button.setText(_("Create profile"))
        self.create_button.setAccessibleName(_("Create profile"))
        self.server_button.setText(_("Create from server…"))
        self.server_button.setAccessibleName(_("Create from server"))
        self.server_button.setToolTip(_("Sign in with your Diogel server account: your role, team and caseload"
                                        " come from the server"))  # fmt: skip
        self.quit_button.setText(_("Quit"))
        self.quit_button.setAccessibleName(_("Quit"))

    def _submit(self) -> None:
        if self._busy:
            return
        for err in [*self.errors.values(), self.general_error]:
            err.clear()
        if self.password.text() != self.password2.text():
            self._show(ValidationError(N_("The two passwords are not the same."), field="password2"))
            return
        self._busy = True
        self.create_button.setEnabled(False)
        runner().run(
            Session.create_profile,
            self.folder,
            given_names=self.given_names.text(),
            family_name=self.family_name.text(),
            role=self.role.currentData(),
            team_name=self.team.text(),
            password=self.password.text(),
            language=current_language(),
            kdf=self._kdf,
            on_done=self._on_done,
            on_error=self._on_error,
        )

    def create_from_server(self) -> QDialog:
        """Open the server sign-in form; the profile it makes signs in here as if made by this form."""
        from ui.sync.server_dialog import ServerProfileDialog  # the network code loads only when asked for

        kwargs = {"kdf": self._kdf} if self._kdf is not None else {}
        dialog = ServerProfileDialog(self.folder, self, **kwargs)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.created.connect(self._on_done)
        self.server_dialog = dialog
        dialog.open()
        return dialog

    def _on_done(self, session: Session) -> None:
        self._busy = False
        self.signed_in.emit(session)
        self.accept()

    def _on_error(self, exc: BaseException) -> None:
        self._busy = False
        self.create_button.setEnabled(True)
        if isinstance(exc, DiogelError):
            self._show(exc)
        else:
            self.general_error.setText(message_of(exc))
            self.general_error.show()

    def _show(self, exc: DiogelError) -> None:
        field = getattr(exc, "field", None)
        target = self.errors.get(field or "")
        if target is None:
            self.general_error.show_error(exc)
            return
        target.show_error(exc)
        self._fields[field or ""].setFocus()
