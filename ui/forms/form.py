"""The one form framework: every form in Diogel is a :class:`Form` (GUI thread).

A form declares its :attr:`Form.FIELDS` (:class:`~ui.forms.fields.Field`) and sends their values to one
service call in :meth:`Form.submit`; everything else is the same everywhere:

* **It fits.** The fields scroll inside the window; Save and Cancel sit below the scroll area, always in
  view, and the window is sized to its content but never larger than the screen (a 1366×768 council
  laptop at 125 % included).
* **Refusals beside the field.** A ``ValidationError`` shows under the field it names (:attr:`ALIASES`
  maps a service's field name to another row); any other refusal (``DiogelError``) at the top. Nothing
  is saved.
* **Faults are faults.** Anything else is a bug: it is logged with its traceback and shown as a fault
  ("tell the helpdesk"), never dressed up as a refusal. The draft is kept.
* **Drafts.** What is typed is kept in the encrypted store (form :attr:`OBJECT_NAME`, context
  :meth:`draft_context`) a few seconds after an edit, on a refusal and when the form is closed without
  saving, and comes back when it is opened again; a successful save discards it.
* **Keys.** Return saves (in a several-line box it starts a new line); Escape cancels (the draft is
  kept); the focus moves through the fields in order, starting at the first.

Subclasses add what does not fit a row (a child's block in a visit, the attendance of a conference) with
:meth:`add_section` in :meth:`build`, and make ``custom`` fields in :meth:`custom_editor`.
"""

from __future__ import annotations

import logging
import weakref
from typing import Any, ClassVar

from PySide6.QtCore import Signal
from PySide6.QtGui import QGuiApplication, QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.types import label
from desktop.errors import DiogelError, ValidationError
from desktop.i18n import _
from desktop.services.drafts import DraftService
from ui.forms.fields import CheckEditor, Editor, Field, make_editor
from ui.widgets import FieldError, KeepsDrafts, Retranslating
from ui.windows import register_sensitive

log = logging.getLogger(__name__)

FAULT_SHAPE = "padding: 6px; border-radius: 3px;"
SCREEN_SHARE = 0.9
"""At most this share of the screen's free area: the window's edges and title stay reachable."""


class Form(Retranslating, KeepsDrafts, QDialog):
    """Emits :attr:`saved` with the id of the row written, then closes."""

    saved = Signal(str)
    OBJECT_NAME: ClassVar[str] = "form"
    TITLE: ClassVar[str] = ""
    FIELDS: ClassVar[list[Field]] = []
    ALIASES: ClassVar[dict[str, str]] = {}
    DRAFTS: ClassVar[bool] = True
    WIDTH: ClassVar[int] = 640

    def __init__(self, session: Any, case_id: str | None = None, person_id: str | None = None,
                 parent: QWidget | None = None, **context: Any) -> None:
        super().__init__(parent)
        self.setObjectName(self.OBJECT_NAME)
        register_sensitive(self)
        self.session, self.case_id, self.person_id = session, case_id, person_id
        self.context = context
        self.fields: dict[str, Field] = {}
        self.editors: dict[str, Editor] = {}
        self.widgets: dict[str, QWidget] = {}
        self.labels: dict[str, QLabel] = {}
        self.errors: dict[str, FieldError] = {}
        self.sections: list[tuple[QLabel, str, QWidget]] = []

        self.general_error = FieldError()
        self.general_error.setObjectName("form_error")
        self.fault = QLabel()
        self.fault.setObjectName("form_fault")
        self.fault.setWordWrap(True)
        self.restyle()
        self.fault.hide()
        self.rows = QFormLayout()
        self.rows.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.body = QWidget()
        self.body_layout = QVBoxLayout(self.body)
        self.body_layout.addWidget(self.general_error)
        self.body_layout.addWidget(self.fault)
        self.body_layout.addLayout(self.rows)
        for f in self.FIELDS:
            self.add_field(f)
        self.build()
        self.body_layout.addStretch(1)
        self.scroller = QScrollArea()
        self.scroller.setObjectName("form_scroll")
        self.scroller.setWidgetResizable(True)
        self.scroller.setFrameShape(QFrame.Shape.NoFrame)
        self.scroller.setWidget(self.body)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        outer = QVBoxLayout(self)
        outer.addWidget(self.scroller, 1)
        outer.addWidget(self.buttons)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setDefault(True)  # once inside the dialog
        self.prepare()
        self.retranslate()
        if self.DRAFTS:
            draft = DraftService(session).load(self.OBJECT_NAME, self.draft_context())
            if draft:
                self.restore(draft)
        self.autosave(self.more_editors())
        self._fit_to_screen()
        self._fitted_on_show = False
        first = next(iter(self.widgets.values()), None)
        if first is not None:
            first.setFocus()

    # -- for subclasses ---------------------------------------------------------------------------
    def build(self) -> None:
        """Add sections after the declared fields (see :meth:`add_section`)."""

    def prepare(self) -> None:
        """Set defaults once the fields exist (before a draft is restored)."""

    def items(self, name: str) -> list[tuple[Any, str]]:
        """``(code, shown text)`` of an ``items`` (or ``checks``) field filled at run time (names)."""
        return []

    def code_label(self, code: Any) -> str:
        """How a code of a field's ``codes`` sequence is shown (a mapping gives its own msgids)."""
        return label(code)

    def custom_editor(self, f: Field) -> Editor:
        raise NotImplementedError(f"{type(self).__name__} declares the custom field {f.name}")

    def submit(self, values: dict[str, Any]) -> Any:  # pragma: no cover - overridden
        """Send ``values`` (name → the service's value) to the service; return what it wrote."""
        raise NotImplementedError

    def retranslate_more(self) -> None:
        """Texts outside the declared fields and sections."""

    def raw_more(self) -> dict[str, Any]:
        """What the sections hold, for the draft."""
        return {}

    def restore_more(self, data: dict[str, Any]) -> None:
        """Put back what :meth:`raw_more` gave."""

    def more_editors(self) -> list[QWidget]:
        """The sections' editors, watched for the autosave."""
        return []

    def draft_context(self) -> str:
        """Which draft this form keeps: its case, person and the record it adds to."""
        parts = [self.case_id or "", self.person_id or ""]
        parts += [str(v) for _k, v in sorted(self.context.items()) if isinstance(v, str)]
        return ":".join(parts)

    # -- building ---------------------------------------------------------------------------------
    def add_field(self, f: Field) -> Editor:
        # The editors call back through a weak reference: a form Qt deletes (the idle lock) is not kept
        # alive by its own fields until the garbage collector runs.
        form = weakref.ref(self)

        def items() -> list[tuple[Any, str]]:
            this = form()
            return this.items(f.name) if this is not None else []

        def code_label(code: Any) -> str:
            this = form()
            return this.code_label(code) if this is not None else label(code)

        editor = self.custom_editor(f) if f.kind == "custom" else make_editor(f, items, code_label)
        editor.widget.setObjectName(f"field_{f.name}")
        label, error = QLabel(), FieldError()
        error.setObjectName(f"error_{f.name}")
        label.setBuddy(editor.widget)
        holder = QWidget()
        box = QVBoxLayout(holder)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(2)
        box.addWidget(editor.widget)
        box.addWidget(error)
        self.rows.addRow(label, holder)
        self.fields[f.name], self.editors[f.name], self.widgets[f.name] = f, editor, editor.widget
        self.labels[f.name], self.errors[f.name] = label, error
        return editor

    def add_section(self, title_msgid: str, widget: QWidget) -> QWidget:
        """A titled block below the fields (for what does not fit a row)."""
        title = QLabel()
        title.setStyleSheet("font-weight: 600; margin-top: 6px;")
        self.body_layout.addWidget(title)
        self.body_layout.addWidget(widget)
        self.sections.append((title, title_msgid, widget))
        return widget

    def autosave(self, editors: list[QWidget]) -> None:
        super().autosave(editors)
        for editor in self.editors.values():
            editor.watch(self.edited)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        # A combo box measures its texts only when first shown, so the size chosen before can be too
        # narrow (a sideways scroll bar, in Welsh especially): fit once more now that they know.
        if not self._fitted_on_show:
            self._fitted_on_show = True
            self._fit_to_screen()
        super().showEvent(event)

    def _fit_to_screen(self) -> None:
        """As large as the content wants, never larger than the screen (the fields scroll)."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        area = screen.availableGeometry() if screen is not None else None
        self.body.adjustSize()
        want_w = max(self.WIDTH, self.body.sizeHint().width() + 40)
        want_h = self.body.sizeHint().height() + self.buttons.sizeHint().height() + 60
        if area is not None:
            want_w = min(want_w, int(area.width() * SCREEN_SHARE))
            want_h = min(want_h, int(area.height() * SCREEN_SHARE))
        self.resize(want_w, want_h)

    # -- texts ------------------------------------------------------------------------------------
    def restyle(self) -> None:
        """The fault's box: its own colours, or text on base in a border (high contrast)."""
        from ui.contrast import FAULT_COLOURS, boxed_css

        self.fault.setStyleSheet(f"{boxed_css(FAULT_COLOURS)} {FAULT_SHAPE}")

    def retranslate(self) -> None:
        self.setWindowTitle(_(self.TITLE))
        for name, f in self.fields.items():
            editor = self.editors[name]
            editor.retranslate()
            text = _(f.label)
            self.labels[name].setText("" if isinstance(editor, CheckEditor) else text)
            editor.widget.setAccessibleName(text.rstrip(":"))
            if f.help:
                editor.widget.setToolTip(_(f.help))
            self.errors[name].retranslate()
        for title, msgid, _widget in self.sections:
            title.setText(_(msgid))
        self.general_error.retranslate()
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(_("Save"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        self.retranslate_more()

    # -- values -----------------------------------------------------------------------------------
    def values(self) -> dict[str, Any]:
        return {name: editor.value() for name, editor in self.editors.items()}

    def value(self, name: str) -> Any:
        return self.editors[name].value()

    def set_value(self, name: str, value: Any) -> None:
        """Fill one field as a person would (dates as dd/mm/yyyy); tests use it too."""
        self.editors[name].set_raw(value)

    def raw(self) -> dict[str, Any]:
        return {**{name: editor.raw() for name, editor in self.editors.items()}, **self.raw_more()}

    def restore(self, data: dict[str, Any]) -> None:
        for name, value in data.items():
            if name in self.editors:
                self.editors[name].set_raw(value)
        self.restore_more(data)

    def save_draft(self) -> None:
        if self.DRAFTS:
            DraftService(self.session).save(self.OBJECT_NAME, self.raw(), self.draft_context())

    # -- saving -----------------------------------------------------------------------------------
    def clear_errors(self) -> None:
        for error in [*self.errors.values(), self.general_error]:
            error.clear()
        self.fault.hide()

    def error_text(self, name: str) -> str:
        return self.errors[name].text()

    def show_refusal(self, err: DiogelError) -> None:
        field = self.ALIASES.get(err.field or "", err.field or "") if isinstance(err, ValidationError) else ""
        target = self.errors.get(field)
        (target or self.general_error).show_error(err)
        widget = self.widgets.get(field)
        if widget is not None:
            self.scroller.ensureWidgetVisible(widget)
            widget.setFocus()

    def show_fault(self, exc: BaseException) -> None:
        log.error("%s could not be saved", type(self).__name__, exc_info=exc)
        self.fault.setText(_("Something went wrong and nothing was saved. What you typed is kept. Please tell"
                             " the helpdesk: {detail}").format(detail=type(exc).__name__))
        self.fault.setAccessibleName(self.fault.text())
        self.fault.show()

    def save(self) -> bool:
        """Save through :meth:`submit`. ``False`` (refusal or fault shown, draft kept) if it did not."""
        self._autosave.stop()
        self.clear_errors()
        try:
            row = self.submit(self.values())
        except DiogelError as err:
            self.show_refusal(err)
            self.save_draft()
            return False
        except Exception as exc:  # noqa: BLE001 - a bug: logged and shown as one, the draft kept
            self.show_fault(exc)
            self.save_draft()
            return False
        if self.DRAFTS:
            DraftService(self.session).discard(self.OBJECT_NAME, self.draft_context())
        self.saved.emit(str(row.get("id", "")) if isinstance(row, dict) else "")
        self.accept()
        return True
