"""The fields of a form: what each kind of field looks like and how its value is read, kept as a draft
and put back (GUI thread).

A :class:`Field` is declared as data — ``Field("visited_on", "date", N_("Date of the visit:"))`` — and
:func:`make_editor` builds its :class:`Editor`. Kinds:

``text``      one line                          ``long``     several lines (Tab moves on)
``date``      dd/mm/yyyy, sent as ISO           ``time``     hh:mm
``number``    a whole number                    ``check``    a tick box (its text is the label)
``choice``    one of ``codes`` (a code → msgid map, or codes shown with their ``desktop.domain`` label)
``optional``  a choice with an empty first item ``items``    a choice filled at run time (names)
``checks``    several ticked among ``codes`` or run-time items
``password``  one line shown as dots, never kept in a draft
``shown``     a text shown, nothing to type (:meth:`ui.forms.Form.set_value` sets it)
``custom``    an editor the form makes itself (:meth:`ui.forms.Form.custom_editor`)

Every editor gives the value the service wants (:meth:`Editor.value`: ISO dates, ``None`` for empty),
what was typed for a draft (:meth:`Editor.raw`, a half-typed date stays as typed) and takes it back
(:meth:`Editor.set_raw`); :meth:`Editor.retranslate` sets its texts in the interface language.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.types import label as code_label
from desktop.i18n import _
from ui.formatting import from_iso, to_iso

Items = Callable[[], Sequence[tuple[Any, str]]]


def label_blank(combo: QComboBox, msgid: str) -> None:
    """Name the empty first item of a combo of names (``None`` data) in the interface language."""
    if combo.count() and combo.itemData(0) is None:
        combo.setItemText(0, _(msgid))


@dataclass(frozen=True)
class Field:
    name: str
    """The service's argument name: a ``ValidationError.field`` of that name shows beside it."""
    kind: str
    label: str
    """English msgid of the label ("Date of the visit:")."""
    codes: Mapping[str, str] | Sequence[str] | None = None
    items: Items | None = field(default=None, compare=False)
    help: str | None = None
    """English msgid of a tooltip, where the label needs one."""


class Editor(Protocol):
    @property
    def widget(self) -> QWidget: ...

    def value(self) -> Any: ...
    def raw(self) -> Any: ...
    def set_raw(self, value: Any) -> None: ...
    def retranslate(self) -> None: ...
    def watch(self, changed: Callable[..., None]) -> None: ...


class LineEditor:
    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.widget = QLineEdit()
        if kind in ("date", "time"):
            self.widget.setMaxLength(10 if kind == "date" else 5)

    def value(self) -> Any:
        text = self.widget.text().strip()
        if self.kind == "date":
            return to_iso(text)
        return text or None

    def raw(self) -> Any:
        return self.widget.text()

    def set_raw(self, value: Any) -> None:
        text = "" if value is None else str(value)
        self.widget.setText(from_iso(text) if self.kind == "date" else text)

    def retranslate(self) -> None:
        if self.kind == "date":
            self.widget.setPlaceholderText(_("dd/mm/yyyy"))
        elif self.kind == "time":
            self.widget.setPlaceholderText(_("hh:mm"))

    def watch(self, changed: Callable[..., None]) -> None:
        self.widget.textEdited.connect(changed)


class PasswordEditor(LineEditor):
    """A password: shown as dots, and never kept — what a draft would hold is always empty."""

    def __init__(self) -> None:
        super().__init__("password")
        self.widget.setEchoMode(QLineEdit.EchoMode.Password)

    def value(self) -> Any:
        return self.widget.text()  # as typed: spaces are part of a password

    def raw(self) -> Any:
        return ""


class LongEditor:
    def __init__(self) -> None:
        self.widget = QPlainTextEdit()
        self.widget.setTabChangesFocus(True)
        self.widget.setMinimumHeight(60)
        self.widget.setMaximumHeight(120)

    def value(self) -> Any:
        return self.widget.toPlainText().strip() or None

    def raw(self) -> Any:
        return self.widget.toPlainText()

    def set_raw(self, value: Any) -> None:
        self.widget.setPlainText(value or "")

    def retranslate(self) -> None:
        pass

    def watch(self, changed: Callable[..., None]) -> None:
        self.widget.textChanged.connect(changed)


class NumberEditor:
    def __init__(self) -> None:
        self.widget = QSpinBox()
        self.widget.setRange(0, 1000)

    def value(self) -> Any:
        return self.widget.value()

    raw = value

    def set_raw(self, value: Any) -> None:
        self.widget.setValue(int(value or 0))

    def retranslate(self) -> None:
        pass

    def watch(self, changed: Callable[..., None]) -> None:
        self.widget.valueChanged.connect(changed)


class CheckEditor:
    def __init__(self, label_msgid: str) -> None:
        self.msgid = label_msgid
        self.widget = QCheckBox()

    def value(self) -> Any:
        return self.widget.isChecked()

    raw = value

    def set_raw(self, value: Any) -> None:
        self.widget.setChecked(bool(value))

    def retranslate(self) -> None:
        self.widget.setText(_(self.msgid))

    def watch(self, changed: Callable[..., None]) -> None:
        self.widget.toggled.connect(changed)


class ShownEditor:
    """A text shown in the form, nothing to type (what a task is about, who asked a question): its
    value and draft are ``None``, and a ``None`` put back leaves the text as it is."""

    def __init__(self) -> None:
        self.widget = QLabel()
        self.widget.setWordWrap(True)
        self.widget.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

    def value(self) -> Any:
        return None

    raw = value

    def set_raw(self, value: Any) -> None:
        if value is not None:
            self.widget.setText(str(value))

    def retranslate(self) -> None:
        pass

    def watch(self, changed: Callable[..., None]) -> None:
        pass


Labeller = Callable[[Any], str]


def _shown(code: Any, codes: Mapping[str, str] | Sequence[str] | None, labeller: Labeller) -> str:
    if code is None:
        return ""
    if isinstance(codes, Mapping):
        return _(codes[code])
    return labeller(code)


class ChoiceEditor:
    """A combo box of codes (translated as they are shown) or of run-time items (names)."""

    def __init__(self, kind: str, codes: Mapping[str, str] | Sequence[str] | None, items: Items | None,
                 labeller: Labeller = code_label) -> None:
        self.kind, self.codes, self.items, self.labeller = kind, codes, items, labeller
        self.widget = QComboBox()
        # A long name (an agency, a practitioner and their team) must not widen the form past the screen:
        # the closed box shows what fits, the open list shows it whole.
        self.widget.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.widget.setMinimumContentsLength(24)
        if kind == "optional":
            self.widget.addItem("", None)
        if items is not None:
            for code, shown in items():
                self.widget.addItem(shown, code)
        else:
            for code in codes or ():
                self.widget.addItem("", code)

    def value(self) -> Any:
        return self.widget.currentData()

    raw = value

    def set_raw(self, value: Any) -> None:
        index = self.widget.findData(value)
        if index >= 0:
            self.widget.setCurrentIndex(index)

    def retranslate(self) -> None:
        if self.items is not None:
            return  # names, not translated
        for i in range(self.widget.count()):
            self.widget.setItemText(i, _shown(self.widget.itemData(i), self.codes, self.labeller))

    def watch(self, changed: Callable[..., None]) -> None:
        self.widget.currentIndexChanged.connect(changed)


class _Changed(QObject):
    changed = Signal()


class ChecksEditor:
    """A column of tick boxes: the codes (translated) or run-time items (names); the value is the list of
    what is ticked."""

    def __init__(self, codes: Mapping[str, str] | Sequence[str] | None, items: Items | None,
                 labeller: Labeller = code_label) -> None:
        self.codes, self.labeller = codes, labeller
        self.widget = QWidget()
        box = QVBoxLayout(self.widget)
        box.setContentsMargins(0, 0, 0, 0)
        self.checks: list[tuple[QCheckBox, Any, bool]] = []
        entries = [(code, shown, False) for code, shown in items()] if items is not None else \
            [(code, "", True) for code in codes or ()]
        for code, shown, translated in entries:
            check = QCheckBox(shown)
            check.setObjectName(f"check_{code}")
            box.addWidget(check)
            self.checks.append((check, code, translated))

    def value(self) -> Any:
        return [code for check, code, _t in self.checks if check.isChecked()]

    raw = value

    def set_raw(self, value: Any) -> None:
        chosen = set(value or [])
        for check, code, _t in self.checks:
            check.setChecked(code in chosen)

    def check(self, code: Any, on: bool = True) -> None:
        for check, c, _t in self.checks:
            if c == code:
                check.setChecked(on)

    def retranslate(self) -> None:
        for check, code, translated in self.checks:
            if translated:
                check.setText(_shown(code, self.codes, self.labeller))
            check.setAccessibleName(check.text())

    def watch(self, changed: Callable[..., None]) -> None:
        for check, _c, _t in self.checks:
            check.toggled.connect(changed)


def make_editor(f: Field, items: Items | None = None, labeller: Labeller = code_label) -> Editor:
    """The editor for a declared field (``custom`` fields are made by the form). ``items``: the run-time
    items when the field declares none; ``labeller``: how codes of a sequence are shown."""
    items = f.items or items
    if f.kind in ("text", "date", "time"):
        return LineEditor(f.kind)
    if f.kind == "password":
        return PasswordEditor()
    if f.kind == "shown":
        return ShownEditor()
    if f.kind == "long":
        return LongEditor()
    if f.kind == "number":
        return NumberEditor()
    if f.kind == "check":
        return CheckEditor(f.label)
    if f.kind in ("choice", "optional", "items"):
        return ChoiceEditor(f.kind, f.codes, items if f.kind == "items" or f.codes is None else None, labeller)
    if f.kind == "checks":
        return ChecksEditor(f.codes, items if f.codes is None else None, labeller)
    raise ValueError(f"field {f.name}: no editor for kind {f.kind!r}")
