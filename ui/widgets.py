"""Small shared widgets and helpers. GUI thread only."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHeaderView,
    QLabel,
    QSizePolicy,
    QTreeWidget,
    QWidget,
)

from desktop.errors import DiogelError
from desktop.i18n import LANGUAGES, _, current_language, ngettext

AUTOSAVE_MS = 3000


class KeepsDrafts:
    """Mixin for a ``QDialog`` with ``save_draft()`` (one small write of what is typed):
    :meth:`autosave` saves it a few seconds after an edit, and closing without saving (Cancel, Esc,
    the idle lock) saves what was typed since, so no word is lost. GUI thread."""

    _autosave: QTimer

    def autosave(self, editors: list[QWidget]) -> None:
        """Watch ``editors`` (line and text edits, tick boxes, lists, spin boxes, and check lists with
        ``checks``); call once the draft has been restored, so restoring is not an edit."""
        from PySide6.QtWidgets import QCheckBox, QLineEdit, QPlainTextEdit, QSpinBox

        self._autosave = QTimer(self)  # type: ignore[arg-type]
        self._autosave.setSingleShot(True)
        self._autosave.setInterval(AUTOSAVE_MS)
        self._autosave.timeout.connect(self.save_draft)  # type: ignore[attr-defined]
        for w in editors:
            if isinstance(w, QPlainTextEdit):
                w.textChanged.connect(self.edited)
            elif isinstance(w, QLineEdit):
                w.textEdited.connect(self.edited)
            elif isinstance(w, QCheckBox):
                w.toggled.connect(self.edited)
            elif isinstance(w, QComboBox):
                w.currentIndexChanged.connect(self.edited)
            elif isinstance(w, QSpinBox):
                w.valueChanged.connect(self.edited)
            for check, *_rest in getattr(w, "checks", ()):
                check.toggled.connect(self.edited)

    def edited(self, *_args: object) -> None:
        """Something changed: the draft is saved when the timer runs out."""
        if not self._autosave.isActive():
            self._autosave.start()

    def done(self, result: int) -> None:
        if result != QDialog.DialogCode.Accepted and self._autosave.isActive():
            self._autosave.stop()
            try:
                self.save_draft()  # type: ignore[attr-defined]
            except Exception:  # noqa: BLE001 - the store is closing (idle lock): nothing more to do
                pass
        super().done(result)  # type: ignore[misc]


BASE_PT = 9.0
"""The interface font size the fixed sizes of headings were chosen against (Qt's usual default)."""


def scaled_pt(pt: float) -> str:
    """A style sheet font size that grows with the application's font: a heading drawn at ``pt`` beside
    a 9 pt interface is drawn at twice that when the person's text is at 200 %."""
    from PySide6.QtWidgets import QApplication

    base = QApplication.font().pointSizeF()
    return f"{pt * (base if base > 0 else BASE_PT) / BASE_PT:.1f}pt"


def scrolling(content: QWidget) -> QWidget:
    """``content`` inside a frameless scroll area: when large text (200 %) makes it bigger than the
    window, it scrolls instead of being cut off or pushing the window off the screen. At ordinary sizes
    no scroll bar shows. The area takes no focus (the focus moves through ``content``, which scrolls
    into view)."""
    from PySide6.QtWidgets import QFrame, QScrollArea

    area = QScrollArea()
    area.setObjectName(f"{content.objectName() or 'content'}_scroll")
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    area.setWidget(content)
    return area


class Retranslating:
    """Mixin for QWidget subclasses: ``retranslate()`` sets every text; it runs again on each
    ``QEvent.LanguageChange``. Call ``self.retranslate()`` at the end of ``__init__``."""

    def retranslate(self) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)  # type: ignore[misc]


def message_of(exc: BaseException) -> str:
    """What to show a person for ``exc``: our errors speak for themselves, anything else is a bug."""
    if isinstance(exc, DiogelError):
        return exc.message()
    return _("Something went wrong and nothing was saved. Please tell the helpdesk: {detail}").format(
        detail=type(exc).__name__
    )


class FieldError(QLabel):
    """A message beside an input; hidden while empty. Shown in the interface language."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.restyle()
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self._error: DiogelError | None = None
        self.hide()

    def restyle(self) -> None:
        from ui.contrast import ERROR_COLOUR, text_css

        self.setStyleSheet(text_css(ERROR_COLOUR))

    def show_error(self, error: DiogelError | None) -> None:
        self._error = error
        self.retranslate()

    def clear(self) -> None:
        self.show_error(None)

    def retranslate(self) -> None:
        text = self._error.message() if self._error else ""
        self.setText(text)
        self.setAccessibleName(text)
        self.setVisible(bool(text))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


class Countdown(QObject):
    """Counts down a lockout delay once a second. ``tick(seconds_left)``; ``done()`` at zero."""

    tick = Signal(int)
    done = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._left = 0
        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)  # a coarse timer may fire early
        self._timer.timeout.connect(self._step)

    @property
    def left(self) -> int:
        return self._left

    def start(self, seconds: int) -> None:
        self._left = max(0, int(seconds))
        if self._left:
            self._timer.start()
            self.tick.emit(self._left)
        else:
            self.done.emit()

    def stop(self) -> None:
        self._timer.stop()
        self._left = 0

    def _step(self) -> None:
        self._left -= 1
        if self._left <= 0:
            self._timer.stop()
            self._left = 0
            self.done.emit()
        else:
            self.tick.emit(self._left)


def countdown_text(seconds: int) -> str:
    return ngettext(
        "You can try again in {seconds} second.", "You can try again in {seconds} seconds.", seconds
    ).format(seconds=seconds)


class LanguageCombo(QComboBox):
    """Cymraeg / English, each in its own language; switching it switches the interface."""

    def __init__(self, on_change: Callable[[str], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("language_picker", True)  # shows each language in itself, never translated
        for code, name in LANGUAGES.items():
            self.addItem(name, code)
        self.setCurrentIndex(self.findData(current_language()))
        self.currentIndexChanged.connect(lambda _i: on_change(self.currentData()))
        self.retranslate()

    def retranslate(self) -> None:
        self.setAccessibleName(_("Interface language"))
        self.setToolTip(_("Interface language"))
        index = self.findData(current_language())
        if index >= 0 and index != self.currentIndex():
            self.blockSignals(True)
            self.setCurrentIndex(index)
            self.blockSignals(False)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


FIT_SAMPLE_ROWS = 50
"""How many rows :func:`fit_columns` measures: the ones in view. Measuring every row of a senior manager's
team list (hundreds, each with its urgency) on every language switch held the GUI thread for a third of a
second."""


def fit_columns(tree: QTreeWidget) -> None:
    """Size a list's columns to their header and the first rows' contents (Welsh headers are longer); the
    last column takes the rest. Call after the header labels are set."""
    header = tree.header()
    header.setResizeContentsPrecision(FIT_SAMPLE_ROWS)
    for col in range(tree.columnCount() - 1):
        header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(True)


def cap_columns(tree: QTreeWidget, caps: dict[int, int]) -> None:
    """After :func:`fit_columns`: the columns in ``caps`` (index → most pixels) no wider than that, so a
    long name cannot push the text off the screen; the person can still widen them."""
    header = tree.header()
    for col, most in caps.items():
        header.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(col, min(max(tree.sizeHintForColumn(col), header.sectionSizeHint(col)), most))
