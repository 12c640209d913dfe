"""Small building blocks shared by the adult-at-risk forms. GUI thread only.

A :class:`Form` is a ``QFormLayout`` of named rows, each an editor with a :class:`~ui.widgets.FieldError`
under it; :meth:`Form.show_error` puts a service's ``ValidationError`` beside the field it names (or in
the form's general error line) and the message follows the interface language.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.errors import DiogelError, ValidationError
from desktop.i18n import _
from ui.person_dialog import from_iso, to_iso
from ui.widgets import FieldError, message_of


class Form:
    """Rows of (label msgid, accessible-name msgid, editor, error). ``general`` shows other errors."""

    def __init__(self, layout: QFormLayout) -> None:
        self.layout = layout
        self.rows: dict[str, tuple[str, QLabel, QWidget, FieldError]] = {}
        self.general = FieldError()
        self.general.setObjectName("form_error")

    def add(self, name: str, label_msgid: str, editor: QWidget) -> QWidget:
        label, error = QLabel(), FieldError()
        editor.setObjectName(f"field_{name}")
        error.setObjectName(f"error_{name}")
        label.setBuddy(editor)
        holder = QWidget()
        box = QVBoxLayout(holder)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(editor)
        box.addWidget(error)
        self.layout.addRow(label, holder)
        self.rows[name] = (label_msgid, label, editor, error)
        return editor

    def retranslate(self) -> None:
        for label_msgid, label, editor, error in self.rows.values():
            text = _(label_msgid)
            if isinstance(editor, QCheckBox):
                editor.setText(text)
                label.setText("")
            else:
                label.setText(text)
            editor.setAccessibleName(text.rstrip(":"))
            error.retranslate()
        self.general.retranslate()
        for _msgid, _label, editor, _error in self.rows.values():
            if isinstance(editor, DateEdit):
                editor.setPlaceholderText(_("dd/mm/yyyy"))
                editor.setToolTip(_("Day, month and year, like 23/11/2026"))

    def clear_errors(self) -> None:
        self.general.clear()
        for *_rest, error in self.rows.values():
            error.clear()

    def show_error(self, exc: BaseException) -> None:
        """Put ``exc`` beside its field (``ValidationError.field``, or a known alias), else at the top."""
        self.clear_errors()
        field = exc.field if isinstance(exc, ValidationError) else None
        if field in self.rows:
            self.rows[field][3].show_error(exc if isinstance(exc, DiogelError) else None)
            return
        if isinstance(exc, DiogelError):
            self.general.show_error(exc)
        else:
            self.general.setText(message_of(exc))
            self.general.show()

    def error_text(self, name: str) -> str:
        return self.rows[name][3].text()


class DateEdit(QLineEdit):
    """A date typed as dd/mm/yyyy (the service says what is wrong with it)."""


def date_edit(value: str | None = None) -> DateEdit:
    edit = DateEdit(from_iso(value))
    edit.setMaxLength(10)
    return edit


def iso(edit: QLineEdit) -> str | None:
    return to_iso(edit.text())


def text_of(widget: QWidget) -> str:
    if isinstance(widget, QPlainTextEdit):
        return widget.toPlainText().strip()
    if isinstance(widget, QLineEdit):
        return widget.text().strip()
    raise TypeError(type(widget))


def combo(items: list[tuple[str, Any]]) -> QComboBox:
    """A combo of (label msgid, data) items; relabel with :func:`relabel` on language change."""
    box = QComboBox()
    for msgid, data in items:
        box.addItem(_(msgid), data)
        box.setItemData(box.count() - 1, msgid, role=_MSGID_ROLE)
    return box


_MSGID_ROLE = 0x0100 + 7


def relabel(box: QComboBox) -> None:
    for i in range(box.count()):
        msgid = box.itemData(i, role=_MSGID_ROLE)
        if msgid:
            box.setItemText(i, _(msgid))
