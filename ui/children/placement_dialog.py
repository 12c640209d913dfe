"""Recording that a child became looked after, and a placement (or a move to a new one). GUI thread only.

:class:`LookedAfterDialog` calls :meth:`LookedAfterService.become_looked_after` (date, legal status,
and whether the case moves to the Children in Care team).

The dialog calls :class:`desktop.services.children.PlacementService` synchronously (one short
transaction): ``add`` for a first placement, ``move`` when "This is a move" is ticked (the current
placement ends that day with the reason chosen). A refusal (an overlap, a future date, a missing
carer) is shown beside its field, in the interface language, and nothing is saved.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.errors import DiogelError, ValidationError
from desktop.i18n import N_, _
from desktop.services.children import LookedAfterService, PlacementService
from desktop.services.children._common import LEGAL_STATUSES, MOVE_REASONS, PLACEMENT_TYPES, label
from ui.person_dialog import to_iso
from ui.widgets import FieldError, Retranslating

# name, kind, label msgid
FIELDS: list[tuple[str, str, str]] = [
    ("placement_type", "type", N_("Type of placement:")),
    ("start_on", "date", N_("Start date:")),
    ("carer_name", "text", N_("Carer:")),
    ("provider_name", "text", N_("Provider:")),
    ("line1", "text", N_("Address:")),
    ("town", "text", N_("Town:")),
    ("postcode", "text", N_("Postcode:")),
    ("country", "text", N_("Country code:")),
    ("host_authority", "text", N_("Local authority where the child lives:")),
    ("out_of_county", "check", N_("Out of county")),
    ("intended_until_18", "check", N_("Intended to last until the child is 18")),
    ("permanent_home", "check", N_("This is the child's permanent home")),
    ("is_move", "check", N_("This is a move from the current placement")),
    ("reason", "reason", N_("Reason for the move:")),
]


class PlacementDialog(Retranslating, QDialog):
    """Emits :attr:`saved` with the new placement's id."""

    saved = Signal(str)

    def __init__(self, session: Any, case_id: str, person_id: str, parent: QWidget | None = None,
                 *, is_move: bool = False) -> None:
        super().__init__(parent)
        self.setObjectName("placement_dialog")
        self.session, self.case_id, self.person_id = session, case_id, person_id
        self.widgets: dict[str, QWidget] = {}
        self.labels: dict[str, QLabel] = {}
        self.errors: dict[str, FieldError] = {}
        form = QFormLayout()
        for name, kind, _msgid in FIELDS:
            if kind == "type":
                widget: QWidget = QComboBox()
                for code in PLACEMENT_TYPES:
                    widget.addItem("", code)
            elif kind == "reason":
                widget = QComboBox()
                for code in MOVE_REASONS:
                    widget.addItem("", code)
            elif kind == "check":
                widget = QCheckBox()
            else:
                widget = QLineEdit()
            widget.setObjectName(f"field_{name}")
            self.widgets[name] = widget
            self.labels[name] = QLabel()
            self.labels[name].setBuddy(widget)
            self.errors[name] = FieldError()
            box = QVBoxLayout()
            box.setContentsMargins(0, 0, 0, 0)
            box.addWidget(widget)
            box.addWidget(self.errors[name])
            holder = QWidget()
            holder.setLayout(box)
            form.addRow(self.labels[name], holder)
        self.widgets["country"].setText("GB")  # type: ignore[attr-defined]
        self.widgets["is_move"].setChecked(is_move)  # type: ignore[attr-defined]
        self.general_error = FieldError()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.general_error)
        layout.addWidget(self.buttons)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Record a placement"))
        for name, kind, msgid in FIELDS:
            widget = self.widgets[name]
            if kind == "check":
                widget.setText(_(msgid))  # type: ignore[attr-defined]
                self.labels[name].setText("")
            else:
                self.labels[name].setText(_(msgid))
            widget.setAccessibleName(_(msgid).rstrip(":"))
            if isinstance(widget, QComboBox):
                for i in range(widget.count()):
                    widget.setItemText(i, label(widget.itemData(i)))
            if kind == "date":
                widget.setPlaceholderText(_("dd/mm/yyyy"))  # type: ignore[attr-defined]
        self.widgets["country"].setToolTip(_("Two letters, like GB, IE or FR"))
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(_("Save"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        for error in [*self.errors.values(), self.general_error]:
            error.retranslate()

    def values(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, kind, _msgid in FIELDS:
            widget = self.widgets[name]
            if isinstance(widget, QComboBox):
                out[name] = widget.currentData()
            elif isinstance(widget, QCheckBox):
                out[name] = widget.isChecked()
            elif kind == "date":
                out[name] = to_iso(widget.text())  # type: ignore[attr-defined]
            else:
                out[name] = widget.text().strip() or None  # type: ignore[attr-defined]
        return out

    def save(self) -> bool:
        """Save; on a refusal show it beside its field and keep the dialog open."""
        for error in [*self.errors.values(), self.general_error]:
            error.clear()
        values = self.values()
        is_move, reason = values.pop("is_move"), values.pop("reason")
        service = PlacementService(self.session)
        try:
            if is_move:
                start = values.pop("start_on")
                row = service.move(self.case_id, self.person_id, on=start, reason=reason, **values)
            else:
                row = service.add(self.case_id, self.person_id, **values)
        except ValidationError as err:
            field = {"on": "start_on", "end_on": "start_on"}.get(err.field or "", err.field or "")
            (self.errors.get(field) or self.general_error).show_error(err)
            return False
        except DiogelError as err:
            self.general_error.show_error(err)
            return False
        self.saved.emit(row["id"])
        self.accept()
        return True


class LookedAfterDialog(Retranslating, QDialog):
    """The child became looked after. Emits :attr:`saved` with the new episode's id."""

    saved = Signal(str)

    def __init__(self, session: Any, case_id: str, person_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("looked_after_dialog")
        self.session, self.case_id, self.person_id = session, case_id, person_id
        self.started_on = QLineEdit()
        self.started_on.setObjectName("field_started_on")
        self.legal_status = QComboBox()
        self.legal_status.setObjectName("field_legal_status")
        for code in LEGAL_STATUSES:
            self.legal_status.addItem("", code)
        self.transfer = QCheckBox()
        self.transfer.setChecked(True)
        self.labels = {"started_on": QLabel(), "legal_status": QLabel()}
        self.labels["started_on"].setBuddy(self.started_on)
        self.labels["legal_status"].setBuddy(self.legal_status)
        self.errors = {"started_on": FieldError(), "legal_status": FieldError()}
        self.general_error = FieldError()
        form = QFormLayout()
        form.addRow(self.labels["started_on"], self.started_on)
        form.addRow("", self.errors["started_on"])
        form.addRow(self.labels["legal_status"], self.legal_status)
        form.addRow("", self.errors["legal_status"])
        form.addRow("", self.transfer)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.general_error)
        layout.addWidget(self.buttons)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Became looked after"))
        self.labels["started_on"].setText(_("Date looked after from:"))
        self.labels["legal_status"].setText(_("Legal status:"))
        self.started_on.setPlaceholderText(_("dd/mm/yyyy"))
        self.started_on.setAccessibleName(_("Date looked after from"))
        self.legal_status.setAccessibleName(_("Legal status"))
        for i in range(self.legal_status.count()):
            self.legal_status.setItemText(i, label(self.legal_status.itemData(i)))
        self.transfer.setText(_("Move the case to the Children in Care team"))
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(_("Save"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        for error in [*self.errors.values(), self.general_error]:
            error.retranslate()

    def save(self) -> bool:
        for error in [*self.errors.values(), self.general_error]:
            error.clear()
        try:
            episode = LookedAfterService(self.session).become_looked_after(
                self.case_id, self.person_id, started_on=to_iso(self.started_on.text()),
                legal_status=self.legal_status.currentData(), transfer=self.transfer.isChecked())
        except ValidationError as err:
            (self.errors.get(err.field or "") or self.general_error).show_error(err)
            return False
        except DiogelError as err:
            self.general_error.show_error(err)
            return False
        self.saved.emit(episode["id"])
        self.accept()
        return True
