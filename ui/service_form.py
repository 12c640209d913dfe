"""A small form dialog for one casework step of one child (GUI thread only): the Child in Need and
looked-after forms, child protection transfers.

:class:`ServiceForm` lays out :attr:`FIELDS` — ``(name, kind, label msgid, codes)`` — each with a
:class:`FieldError` under it, calls :meth:`submit` (one synchronous service call, one short transaction)
and shows a refusal beside the field named by ``ValidationError.field`` (through :attr:`ALIASES` when
the service's field name differs from the widget's); anything else goes under the form. Nothing is
saved on a refusal. Every text is set in :meth:`retranslate`.

Drafts: what is typed is kept in the encrypted store (:class:`~desktop.services.drafts.DraftService`,
form :attr:`OBJECT_NAME`, context the case, the child and the record the form adds to) a few seconds
after the last edit, on a refusal and when the form is closed without saving; the form opens with it
again (after a crash too) and a successful save discards it.

Kinds: ``date`` (dd/mm/yyyy line), ``text`` (one line), ``long`` (several lines), ``choice`` (codes
shown with :func:`desktop.services.children._common.label`, or with the msgids given as a dict),
``optional`` (a choice with an empty first item), ``items`` (a choice filled at run time with
``(code, shown text)`` pairs by :meth:`items`), ``check`` (a tick box).
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
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.errors import DiogelError, ValidationError
from desktop.i18n import _
from desktop.services.children._common import label
from desktop.services.drafts import DraftService
from ui.person_dialog import to_iso
from ui.widgets import FieldError, KeepsDrafts, Retranslating

Field = tuple[str, str, str, Any]


class ServiceForm(Retranslating, KeepsDrafts, QDialog):
    """Emits :attr:`saved` with the id of the row written."""

    saved = Signal(str)
    OBJECT_NAME = "service_form"
    TITLE = ""
    FIELDS: list[Field] = []
    ALIASES: dict[str, str] = {}

    def __init__(self, session: Any, case_id: str, person_id: str, parent: QWidget | None = None,
                 **context: Any) -> None:
        super().__init__(parent)
        self.setObjectName(self.OBJECT_NAME)
        self.session, self.case_id, self.person_id = session, case_id, person_id
        self.context = context
        self.widgets: dict[str, QWidget] = {}
        self.labels: dict[str, QLabel] = {}
        self.errors: dict[str, FieldError] = {}
        form = QFormLayout()
        for name, kind, _msgid, codes in self.FIELDS:
            widget: QWidget
            if kind in ("choice", "optional", "items"):
                widget = QComboBox()
                if kind == "optional":
                    widget.addItem("", None)
                if kind == "items":
                    for code, shown in self.items(name):
                        widget.addItem(shown, code)
                else:
                    for code in codes:
                        widget.addItem("", code)
            elif kind == "check":
                widget = QCheckBox()
            elif kind == "long":
                widget = QPlainTextEdit()
                widget.setTabChangesFocus(True)
                widget.setMaximumHeight(90)
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
        self.general_error = FieldError()
        self.general_error.setObjectName("form_error")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.general_error)
        layout.addWidget(self.buttons)
        self.prepare()
        self.retranslate()
        self.draft_context = ":".join([case_id, person_id, *(str(v) for _k, v in sorted(context.items())
                                                             if isinstance(v, str))])
        draft = DraftService(session).load(self.OBJECT_NAME, self.draft_context)
        if draft:
            for name, value in draft.items():
                if name in self.widgets:
                    self.set_value(name, value)
        self.autosave(list(self.widgets.values()))

    # -- for subclasses -------------------------------------------------------------------------
    def items(self, name: str) -> list[tuple[Any, str]]:
        """``(code, shown text)`` pairs of an ``items`` field."""
        return []

    def prepare(self) -> None:
        """Set defaults after the widgets exist."""

    def submit(self, values: dict[str, Any]) -> dict[str, Any]:  # pragma: no cover - overridden
        raise NotImplementedError

    # -- texts ---------------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.setWindowTitle(_(self.TITLE))
        for name, kind, msgid, codes in self.FIELDS:
            widget = self.widgets[name]
            if kind == "check":
                widget.setText(_(msgid))  # type: ignore[attr-defined]
                self.labels[name].setText("")
            else:
                self.labels[name].setText(_(msgid))
            widget.setAccessibleName(_(msgid).rstrip(":"))
            if kind in ("choice", "optional"):
                for i in range(widget.count()):  # type: ignore[attr-defined]
                    code = widget.itemData(i)  # type: ignore[attr-defined]
                    if code is None:
                        shown = ""
                    elif isinstance(codes, dict):
                        shown = _(codes[code])
                    else:
                        shown = label(code)
                    widget.setItemText(i, shown)  # type: ignore[attr-defined]
            if kind == "date":
                widget.setPlaceholderText(_("dd/mm/yyyy"))  # type: ignore[attr-defined]
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(_("Save"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        for error in [*self.errors.values(), self.general_error]:
            error.retranslate()

    # -- values --------------------------------------------------------------------------------
    def set_value(self, name: str, value: Any) -> None:
        """Fill one field as a person would (tests use this too): a date as dd/mm/yyyy."""
        widget = self.widgets[name]
        if isinstance(widget, QComboBox):
            if widget.findData(value) >= 0:
                widget.setCurrentIndex(widget.findData(value))
        elif isinstance(widget, QCheckBox):
            widget.setChecked(bool(value))
        elif isinstance(widget, QPlainTextEdit):
            widget.setPlainText(value or "")
        else:
            widget.setText(value or "")  # type: ignore[attr-defined]

    def raw(self) -> dict[str, Any]:
        """The fields as typed (a half-typed date stays as it is), for the draft."""
        out: dict[str, Any] = {}
        for name, widget in self.widgets.items():
            if isinstance(widget, QComboBox):
                out[name] = widget.currentData()
            elif isinstance(widget, QCheckBox):
                out[name] = widget.isChecked()
            elif isinstance(widget, QPlainTextEdit):
                out[name] = widget.toPlainText()
            else:
                out[name] = widget.text()  # type: ignore[attr-defined]
        return out

    def save_draft(self) -> None:
        DraftService(self.session).save(self.OBJECT_NAME, self.raw(), self.draft_context)

    def values(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, kind, _msgid, _codes in self.FIELDS:
            widget = self.widgets[name]
            if isinstance(widget, QComboBox):
                out[name] = widget.currentData()
            elif isinstance(widget, QCheckBox):
                out[name] = widget.isChecked()
            elif isinstance(widget, QPlainTextEdit):
                out[name] = widget.toPlainText().strip() or None
            elif kind == "date":
                out[name] = to_iso(widget.text())  # type: ignore[attr-defined]
            else:
                out[name] = widget.text().strip() or None  # type: ignore[attr-defined]
        return out

    def save(self) -> bool:
        """Save; on a refusal show it beside its field and keep the dialog open."""
        self._autosave.stop()
        for error in [*self.errors.values(), self.general_error]:
            error.clear()
        try:
            row = self.submit(self.values())
        except ValidationError as err:
            field = self.ALIASES.get(err.field or "", err.field or "")
            (self.errors.get(field) or self.general_error).show_error(err)
            self.save_draft()
            return False
        except DiogelError as err:
            self.general_error.show_error(err)
            self.save_draft()
            return False
        DraftService(self.session).discard(self.OBJECT_NAME, self.draft_context)
        self.saved.emit(str(row.get("id", "")))
        self.accept()
        return True
