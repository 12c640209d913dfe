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
* **The GUI thread only draws.** Saving has two phases: the GUI thread reads the widgets (:meth:`values`,
  :meth:`draft`), then :meth:`submit` — pure service work that touches no widget — runs on a worker
  through :mod:`ui.tasks`, with the draft kept or discarded after it. While it runs the fields and buttons
  are disabled, Save says "Saving…" and a second press does nothing; the answer closes the form
  (:attr:`saved`) or shows the refusal or fault. A form closed while it saves (Escape) still saves, once;
  nothing is drawn into it after. Draft writes run on workers too, each after the form's previous write,
  in the order they were asked for.
* **It opens at once and reads on a worker.** What a form shows that is read — the lists of its
  ``items``/``checks`` fields (:meth:`items`), its draft, and whatever :meth:`read` adds (the record being
  edited, the case's children) — is read on a worker through :mod:`ui.loading` when the form is made: the
  window appears at once saying "Loading…", Save disabled, and its fields are made (:meth:`build`,
  :meth:`prepare`, the draft put back) only when the answer is back in the GUI thread (:attr:`loading`,
  :attr:`opened`). A form closed meanwhile draws nothing; a read that fails shows why (a refusal in the
  person's words, anything else as a fault) and Save stays disabled: nothing is written. Code that runs
  once the form is made (:meth:`build`, :meth:`prepare`, :meth:`custom_editor`) reads from
  :meth:`listed` and :attr:`opening`, never from a service.
* **Keys.** Return saves (in a several-line box it starts a new line); Escape cancels (the draft is
  kept); the focus moves through the fields in order, starting at the first.

Subclasses add what does not fit a row (a child's block in a visit, the attendance of a conference) with
:meth:`add_section` in :meth:`build`, and make ``custom`` fields in :meth:`custom_editor`.
"""

from __future__ import annotations

import logging
import weakref
from dataclasses import dataclass
from typing import Any, ClassVar

import shiboken6
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QLabel,
    QLineEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.types import label
from desktop.errors import DiogelError, ValidationError
from desktop.i18n import _
from desktop.services.drafts import DraftService
from ui.forms.fields import CheckEditor, Editor, Field, label_blank, make_editor
from ui.loading import Loader
from ui.tasks import Task, runner
from ui.widgets import FieldError, KeepsDrafts, Retranslating
from ui.windows import register_sensitive

log = logging.getLogger(__name__)

FAULT_SHAPE = "padding: 6px; border-radius: 3px;"
SCREEN_SHARE = 0.9
"""At most this share of the screen's free area: the window's edges and title stay reachable."""


class Saving:
    """One press of Save, answered later: :attr:`done` once the answer has been handled in the GUI thread
    (shown, or dropped because the window is gone), :attr:`ok` whether the record was saved. It is not a
    bool on purpose (``if form.save():`` would read a question not yet answered); tests wait with
    ``tests.gui.forms.saved(form, qtbot)``."""

    def __init__(self) -> None:
        self.done = False
        self.ok = False

    def __bool__(self) -> bool:
        raise TypeError("a save is answered later: wait until Saving.done (tests: saved(form, qtbot))")


def needs_items(f: Field) -> bool:
    """Whether the field's list comes from :meth:`Form.items` (as :func:`~ui.forms.fields.make_editor` asks)."""
    if f.items is not None:
        return False
    return f.kind == "items" or (f.kind in ("choice", "optional", "checks") and f.codes is None)


@dataclass(frozen=True)
class Opening:
    """What a form read on a worker before its fields could be made: each ``items`` field's list, the
    draft kept (``None``: none) and what :meth:`Form.read` added."""

    lists: dict[str, list[tuple[Any, str]]]
    draft: Any
    more: Any


@dataclass
class _Answer:
    """What the worker's half of a save came back with: the row written, or a refusal, or a fault."""

    row: Any = None
    refusal: DiogelError | None = None
    fault: BaseException | None = None


class Form(Retranslating, KeepsDrafts, QDialog):
    """Emits :attr:`saved` with the id of the row written, then closes."""

    saved = Signal(str)
    opened = Signal()
    """Emitted once the read is back and the fields are made (not when the read failed)."""
    OBJECT_NAME: ClassVar[str] = "form"
    TITLE: ClassVar[str] = ""
    FIELDS: ClassVar[list[Field]] = []
    ALIASES: ClassVar[dict[str, str]] = {}
    DRAFTS: ClassVar[bool] = True
    WIDTH: ClassVar[int] = 640
    LISTS: ClassVar[tuple[str, ...]] = ()
    BLANKS: ClassVar[dict[str, str]] = {}
    """An ``optional`` field's empty first item, named in the interface language ("Not recorded", "Choose…")."""
    """Lists :meth:`items` gives that no declared field shows (a child's block's, a section's): read as the
    form opens with the fields' own, for :meth:`listed`."""

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
        self._saving: Saving | None = None
        self._closed = False
        self._last_write: Task | None = None
        self._focus_before: QWidget | None = None

        self.general_error = FieldError()
        self.general_error.setObjectName("form_error")
        self.fault = QLabel()
        self.fault.setObjectName("form_fault")
        self.fault.setWordWrap(True)
        self.restyle()
        self.fault.hide()
        self.rows = QFormLayout()
        self.rows.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.loading_label = QLabel()
        self.loading_label.setObjectName("form_loading")
        self.body = QWidget()
        self.body_layout = QVBoxLayout(self.body)
        self.body_layout.addWidget(self.loading_label)
        self.body_layout.addWidget(self.general_error)
        self.body_layout.addWidget(self.fault)
        self.body_layout.addLayout(self.rows)
        self.scroller = QScrollArea()
        self.scroller.setObjectName("form_scroll")
        # Not a Tab stop of its own: from the last field the next Tab is Save (the fields inside still
        # scroll into view as the focus reaches them).
        self.scroller.setFocusPolicy(Qt.FocusPolicy.NoFocus)
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
        self.opening: Opening | None = None
        self.open_failure: BaseException | None = None
        self._lists: dict[str, list[tuple[Any, str]]] = {}
        self._fitted_on_show = False
        self._show_loading(True)
        self.retranslate()
        self._fit_to_screen()
        # The window shows at once; what it lists is read on a worker and the fields are made when it is back.
        self._opener: Loader[Opening] = Loader(self, self._fill_opened, fail=self._open_failed)
        self._opener.load(self._read_opening)

    # -- opening ----------------------------------------------------------------------------------
    @property
    def loading(self) -> bool:
        """Whether the form's read has not been answered yet (its fields are not made)."""
        return self.opening is None and self.open_failure is None

    def _read_opening(self) -> Opening:
        """Worker thread: everything the form shows that is read. Touches no widget. :meth:`read` first: it may
        settle which record the form is about, and so which draft is its own."""
        more = self.read()
        names = [*(f.name for f in self.FIELDS if needs_items(f)), *self.LISTS]
        lists = {name: list(self.items(name)) for name in dict.fromkeys(names)}
        draft = DraftService(self.session).load(self.OBJECT_NAME, self.draft_context()) if self.DRAFTS else None
        return Opening(lists=lists, draft=draft, more=more)

    def _fill_opened(self, opening: Opening) -> None:
        """GUI thread: the read is back — make the fields, set their defaults, put the draft back."""
        if self._closed:
            return  # closed while it read: nothing is drawn into it
        self.opening, self._lists = opening, opening.lists
        # Made out of sight, then shown once: a widget added to a shown window is shown and laid out on its
        # own, and a list filled while shown (thousands of cases) recounts its size at every item.
        self.body.hide()
        try:
            for f in self.FIELDS:
                self.add_field(f)
            self.build()
            self.body_layout.addStretch(1)
            self.prepare()
            self._show_loading(False)
            self.retranslate()
            if opening.draft:
                self.restore(opening.draft)
            self.autosave(self.more_editors())
        except Exception as exc:  # noqa: BLE001 - a bug in making the form: shown as a fault, nothing saved
            self.opening = None
            self.body.setEnabled(False)
            self.body.show()
            self._open_failed(exc)
            return
        self.body.show()
        self._fit_to_screen()
        self.focus_first()
        self.opened.emit()

    def _open_failed(self, exc: BaseException) -> None:
        """GUI thread: the read failed — say why; Save stays disabled (nothing can be written)."""
        if self._closed:
            if not isinstance(exc, DiogelError):
                log.error("%s could not be opened", type(self).__name__, exc_info=exc)
            return
        self.open_failure = exc
        self.loading_label.hide()
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(False)
        if isinstance(exc, DiogelError):
            self.general_error.show_error(exc)
        else:
            log.error("%s could not be opened", type(self).__name__, exc_info=exc)
            self.fault.setText(_("This form could not be opened. Nothing was changed. Please tell the helpdesk:"
                                 " {detail}").format(detail=type(exc).__name__))
            self.fault.setAccessibleName(self.fault.text())
            self.fault.show()
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setFocus()

    def _show_loading(self, busy: bool) -> None:
        """While the form reads: "Loading…" and Save disabled (Cancel still closes it)."""
        self.loading_label.setVisible(busy)
        self.body.setEnabled(not busy)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(not busy)

    def focus_first(self) -> None:
        """The focus on the first field, where typing starts."""
        first = next(iter(self.widgets.values()), None)
        if first is not None:
            first.setFocus()
            if isinstance(first, QLineEdit):
                first.selectAll()  # as when the window first takes the focus: typing replaces what is there

    def when_opened(self, fn: Any) -> None:
        """Call ``fn()`` (GUI thread) once the read is answered (the fields made, or the failure shown);
        now if it is."""
        self._opener.when_answered(fn)

    # -- for subclasses ---------------------------------------------------------------------------
    def build(self) -> None:
        """Add sections after the declared fields (see :meth:`add_section`)."""

    def prepare(self) -> None:
        """Set defaults once the fields exist (before a draft is restored)."""

    def items(self, name: str) -> list[tuple[Any, str]]:
        """Worker thread: ``(code, shown text)`` of an ``items`` (or ``checks``) field filled at run time
        (names). Service reads only: it must not touch a widget. Once open, :meth:`listed` gives the answer."""
        return []

    def read(self) -> Any:
        """Worker thread: whatever else the form shows that is read (the record being edited, the case's
        children), kept as ``self.opening.more`` for :meth:`build` and :meth:`prepare`. Touches no widget."""
        return None

    def listed(self, name: str) -> list[tuple[Any, str]]:
        """GUI thread: the list :meth:`items` gave for ``name`` when the form was opened."""
        return self._lists.get(name, [])

    def code_label(self, code: Any) -> str:
        """How a code of a field's ``codes`` sequence is shown (a mapping gives its own msgids)."""
        return label(code)

    def custom_editor(self, f: Field) -> Editor:
        raise NotImplementedError(f"{type(self).__name__} declares the custom field {f.name}")

    def submit(self, values: dict[str, Any]) -> Any:  # pragma: no cover - overridden
        """Worker thread: send ``values`` (from :meth:`values`) to the service; return what it wrote.
        Pure service work: it must not touch a widget (what it needs of them comes in ``values``)."""
        raise NotImplementedError

    def after_answer(self) -> None:
        """GUI thread, after each answer to a save while the form is open (before the refusal is shown
        or the form closes): redraw what :meth:`submit` changed in the form's plain data."""

    def after_save(self, row: Any) -> None:
        """GUI thread, once saved (also when the window was closed meanwhile), before :attr:`saved`."""

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
            return this.listed(f.name) if this is not None else []

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

    def title(self) -> str:
        """The window's title in the interface language (a form whose title names what it read says
        "Loading…" until it has read it)."""
        return _(self.TITLE)

    def retranslate(self) -> None:
        self.setWindowTitle(self.title())
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
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(_("Saving…") if self.saving else _("Save"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        self.loading_label.setText(_("Loading…"))
        if self.opening is not None:  # what the subclass made exists only once the form is open
            for name, msgid in self.BLANKS.items():
                widget = self.widgets.get(name)
                if isinstance(widget, QComboBox):
                    label_blank(widget, msgid)
            self.retranslate_more()

    # -- values -----------------------------------------------------------------------------------
    def values(self) -> dict[str, Any]:
        """GUI thread: everything :meth:`submit` needs from the widgets (a subclass adds its sections')."""
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

    def draft(self) -> Any:
        """GUI thread: what the draft keeps (``None``: no draft)."""
        return self.raw() if self.DRAFTS else None

    def write_draft(self, data: Any) -> None:
        """Worker thread: keep :meth:`draft`'s ``data`` in the store."""
        if data is not None:
            DraftService(self.session).save(self.OBJECT_NAME, data, self.draft_context())

    def drop_draft(self) -> None:
        """Worker thread: the record is saved, its draft goes."""
        if self.DRAFTS:
            DraftService(self.session).discard(self.OBJECT_NAME, self.draft_context())

    def save_draft(self) -> Task:
        """Keep what is typed, on a worker after the form's earlier writes (the GUI thread never waits)."""
        return self.write_later(self.write_draft, self.draft())

    def write_later(self, fn: Any, *args: Any) -> Task:
        """Run ``fn(*args)`` (a store write of this form) on a worker once the form's previous write has
        run: a draft kept before a save never lands after the save has discarded it."""
        before = self._last_write
        name = type(self).__name__

        def write() -> Any:
            if before is not None:
                before.wait_ended()
            return fn(*args)

        self._last_write = runner().run(
            write, on_error=lambda exc: log.error("%s: a draft could not be kept", name, exc_info=exc))
        return self._last_write

    @property
    def writing(self) -> bool:
        """Whether a save or a draft write of this form has not been answered yet."""
        return self._saving is not None or (self._last_write is not None and not self._last_write.done)

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

    def save(self) -> Saving:
        """Save: read the widgets here, run :meth:`submit` on a worker, handle its answer here. While one
        save runs, another press returns it and does nothing."""
        if self._saving is not None:
            return self._saving
        attempt = Saving()
        if self.opening is None:  # still reading (or it failed): there is nothing to save yet
            attempt.done = True
            return attempt
        self._autosave.stop()
        self.clear_errors()
        try:
            values, draft = self.values(), self.draft()
        except DiogelError as err:  # refused while reading the widgets: nothing was sent
            attempt.done = True
            self.show_refusal(err)
            self.save_draft()
            return attempt
        except Exception as exc:  # noqa: BLE001 - a bug: logged and shown as one, the draft kept
            attempt.done = True
            self.show_fault(exc)
            self.save_draft()
            return attempt
        self._saving = attempt
        self._show_saving(True)
        before = self._last_write
        self._last_write = runner().run(
            self._save_work, values, draft, before,
            on_done=lambda answer: self._answered(attempt, answer),
            on_error=lambda exc: self._answered(attempt, _Answer(fault=exc)))
        return attempt

    def _save_work(self, values: dict[str, Any], draft: Any, before: Task | None) -> _Answer:
        """Worker thread: the service call, then the draft discarded (saved) or kept (refused, a fault)."""
        if before is not None:
            before.wait_ended()
        try:
            row = self.submit(values)
        except DiogelError as err:
            self._keep_draft(draft)
            return _Answer(refusal=err)
        except Exception as exc:  # noqa: BLE001 - a bug: logged and shown as one, the draft kept
            self._keep_draft(draft)
            return _Answer(fault=exc)
        try:
            self.drop_draft()
        except Exception:  # noqa: BLE001 - the record is saved; a draft left over is offered again
            log.exception("%s: saved, but its draft could not be discarded", type(self).__name__)
        return _Answer(row=row)

    def _keep_draft(self, draft: Any) -> None:
        try:
            self.write_draft(draft)
        except Exception:  # noqa: BLE001 - the refusal or fault is still shown; this is logged
            log.exception("%s: a draft could not be kept", type(self).__name__)

    def _answered(self, attempt: Saving, answer: _Answer) -> None:
        """GUI thread: show the answer, unless the window is gone or closed (nothing is drawn into it)."""
        self._saving = None
        try:
            if not shiboken6.isValid(self):
                if answer.fault is not None:
                    log.error("%s could not be saved", type(self).__name__, exc_info=answer.fault)
                attempt.ok = answer.refusal is None and answer.fault is None
                return
            self._show_saving(False)
            if not self._closed:
                self.after_answer()
            if answer.refusal is None and answer.fault is None:
                attempt.ok = True
                self.after_save(answer.row)
                self.saved.emit(str(answer.row.get("id", "")) if isinstance(answer.row, dict) else "")
                if not self._closed:
                    self.accept()
            elif self._closed:  # what was typed is in the draft; a fault still goes to the log
                if answer.fault is not None:
                    log.error("%s could not be saved", type(self).__name__, exc_info=answer.fault)
            elif answer.refusal is not None:
                self.show_refusal(answer.refusal)
            elif answer.fault is not None:
                self.show_fault(answer.fault)
        finally:
            attempt.done = True

    def _show_saving(self, busy: bool) -> None:
        """Save saying "Saving…", the fields and buttons still while the worker saves (nothing can take the
        focus, so a second Return presses nothing; Escape still closes the window), then back."""
        save = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        if busy:
            focus = QApplication.focusWidget()
            self._focus_before = focus if focus is not None and self.isAncestorOf(focus) else None
        self.body.setEnabled(not busy)
        self.buttons.setEnabled(not busy)
        save.setText(_("Saving…") if busy else _("Save"))
        if not busy and self._focus_before is not None and shiboken6.isValid(self._focus_before):
            self._focus_before.setFocus()
            self._focus_before = None

    @property
    def saving(self) -> bool:
        """Whether a save is running (its answer not yet handled)."""
        return self._saving is not None

    def done(self, result: int) -> None:
        self._closed = True  # a save still running finishes; its answer draws nothing here
        if self.opening is None:  # closed while it read (or after it failed): nothing was typed to keep
            QDialog.done(self, result)
            return
        super().done(result)
