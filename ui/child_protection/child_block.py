"""One child's part of a form about several children — the facts of a visit, a conference's decision
(GUI thread).

A :class:`ChildBlock` is a box titled with the child's name holding declared
:class:`~ui.forms.Field` s built by the form framework's own editors: its tick boxes side by side on top,
then a row per other field with its refusal below it. The form puts the blocks inside its scroll area
(:meth:`ui.forms.Form.add_section`), so any number of children fits the screen with Save in view.
Labels may name the child (``{name}``); every control's accessible name says which child it is about.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QFormLayout, QGridLayout, QGroupBox, QLabel, QVBoxLayout, QWidget

from desktop.errors import DiogelError
from desktop.i18n import _
from ui.forms import ChecksEditor, Editor, Field, label_blank
from ui.forms.fields import CheckEditor, ChoiceEditor, make_editor
from ui.widgets import FieldError


def _items_of(items: Callable[[str], list[tuple[Any, str]]], name: str) -> Callable[[], list[tuple[Any, str]]]:
    return lambda: items(name)


class ChildBlock(QGroupBox):
    def __init__(self, person_id: str, name: str, fields: list[Field],
                 items: Callable[[str], list[tuple[Any, str]]], *, checks_per_row: int = 4,
                 blanks: dict[str, str] | None = None, labels_above: bool = False) -> None:
        super().__init__(name)
        self.person_id, self.name = person_id, name
        self.setObjectName(f"child_{person_id}")
        self.fields = {f.name: f for f in fields}
        self.blanks = blanks or {}
        self.editors: dict[str, Editor] = {}
        self.labels: dict[str, QLabel] = {}
        self.errors: dict[str, FieldError] = {}
        ticks = QGridLayout()
        rows = QFormLayout()
        rows.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        if labels_above:  # long labels ("Their wishes and feelings, in their own words:") over their box
            rows.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        n_ticks = 0
        for f in fields:
            editor = make_editor(f, _items_of(items, f.name))
            editor.widget.setObjectName(f"{f.name}_{person_id}")
            error = FieldError()
            error.setObjectName(f"error_{f.name}_{person_id}")
            self.editors[f.name], self.errors[f.name] = editor, error
            if f.kind == "check":
                cell = QWidget()
                box = QVBoxLayout(cell)
                box.setContentsMargins(0, 0, 0, 0)
                box.addWidget(editor.widget)
                box.addWidget(error)
                ticks.addWidget(cell, n_ticks // checks_per_row, n_ticks % checks_per_row)
                n_ticks += 1
                continue
            label = QLabel()
            label.setWordWrap(not labels_above)
            label.setBuddy(editor.widget)
            self.labels[f.name] = label
            holder = QWidget()
            box = QVBoxLayout(holder)
            box.setContentsMargins(0, 0, 0, 0)
            box.setSpacing(2)
            box.addWidget(editor.widget)
            box.addWidget(error)
            rows.addRow(label, holder)
        outer = QVBoxLayout(self)
        outer.addLayout(ticks)
        outer.addLayout(rows)

    # -- texts --------------------------------------------------------------------------------
    def retranslate(self) -> None:
        for name, f in self.fields.items():
            editor = self.editors[name]
            editor.retranslate()
            what = _(f.label).format(name=self.name)
            if isinstance(editor, CheckEditor):
                editor.widget.setText(what)
                editor.widget.setAccessibleName(what if "{name}" in f.label else self._about(what))
            else:
                self.labels[name].setText(what)
                editor.widget.setAccessibleName(self._about(what.rstrip(":")))
            if isinstance(editor, ChecksEditor):
                for check, _code, _translated in editor.checks:
                    check.setAccessibleName(self._about(check.text()))
            if f.help:
                editor.widget.setToolTip(_(f.help))
            if isinstance(editor, ChoiceEditor) and name in self.blanks:
                label_blank(editor.widget, self.blanks[name])
            self.errors[name].retranslate()

    def _about(self, what: str) -> str:
        # L10N: a field of one child's part of a form, e.g. "Seen alone: Elis Jones".
        return _("{what}: {name}").format(what=what, name=self.name)

    # -- values -------------------------------------------------------------------------------
    def value(self, name: str) -> Any:
        return self.editors[name].value()

    def values(self) -> dict[str, Any]:
        return {name: editor.value() for name, editor in self.editors.items()}

    def raw(self) -> dict[str, Any]:
        return {"person_id": self.person_id, **{name: e.raw() for name, e in self.editors.items()}}

    def restore(self, data: dict[str, Any]) -> None:
        for name, editor in self.editors.items():
            if name in data:
                editor.set_raw(data[name])

    def set_value(self, name: str, value: Any) -> None:
        """Fill one field as a person would (dates as dd/mm/yyyy); tests use it too."""
        self.editors[name].set_raw(value)

    def widget(self, name: str) -> QWidget:
        return self.editors[name].widget

    def watch(self, changed: Callable[..., None]) -> None:
        for editor in self.editors.values():
            editor.watch(changed)

    # -- refusals -----------------------------------------------------------------------------
    def show_error(self, name: str, err: DiogelError) -> None:
        self.errors[name].show_error(err)

    def error_text(self, name: str) -> str:
        return self.errors[name].text()

    def clear_errors(self) -> None:
        for error in self.errors.values():
            error.clear()
