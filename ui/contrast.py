"""High contrast: Diogel follows the system's contrast preference, live, or the profile's setting that
forces it on (for a system that does not say). GUI thread.

The system says through ``QGuiApplication.styleHints().accessibility().contrastPreference()`` (Qt 6.10+)
and its ``contrastPreferenceChanged`` signal. In high contrast every colour Diogel chose itself — the
urgency pairs, the journey bar, form faults, field errors, My work's chips, the case header — gives way
to the palette's own roles (text on base) with strong borders and bold; urgency still speaks by its
words and shapes, never by a tint. When the system asks, its palette already is a high-contrast one and
is left alone; when only the setting asks, :data:`HIGH_PALETTE` (black on white, a navy highlight) is
put on the application, and the system's palette comes back when it is turned off.

On every change each widget with a ``restyle()`` method is restyled, and every
:class:`~ui.widgets.Retranslating` widget runs ``retranslate()`` (which redraws its rows with the colours
of the moment), as a language switch does.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

from desktop.domain.urgency import STYLES, Urgency

# Text and background of Diogel's own messages outside high contrast (each pair ≥ 4.5:1).
ERROR_COLOUR = "#a4000f"
SUBDUED_COLOUR = "#455a64"
FAULT_COLOURS = ("#4a148c", "#f3e5f5")
CHIP_EMPTY_COLOURS = ("#37474f", "#f0f0f0")


def _high_palette() -> QPalette:
    """Black on white, a navy highlight with white text, black edges; disabled text still 7:1."""
    palette = QPalette()
    black, white, navy, grey = QColor("#000000"), QColor("#ffffff"), QColor("#000080"), QColor("#555555")
    for role, colour in (
        (QPalette.ColorRole.Window, white), (QPalette.ColorRole.WindowText, black),
        (QPalette.ColorRole.Base, white), (QPalette.ColorRole.AlternateBase, white),
        (QPalette.ColorRole.Text, black), (QPalette.ColorRole.Button, white),
        (QPalette.ColorRole.ButtonText, black), (QPalette.ColorRole.BrightText, white),
        (QPalette.ColorRole.Highlight, navy), (QPalette.ColorRole.HighlightedText, white),
        (QPalette.ColorRole.ToolTipBase, white), (QPalette.ColorRole.ToolTipText, black),
        (QPalette.ColorRole.PlaceholderText, grey), (QPalette.ColorRole.Link, navy),
        (QPalette.ColorRole.Light, white), (QPalette.ColorRole.Midlight, black), (QPalette.ColorRole.Mid, black),
        (QPalette.ColorRole.Dark, black), (QPalette.ColorRole.Shadow, black),
    ):
        palette.setColor(role, colour)
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, grey)
    return palette


class ContrastHub(QObject):
    """Whether Diogel is in high contrast now; :attr:`changed` says when that changes."""

    changed = Signal(bool)

    def __init__(self) -> None:
        super().__init__()
        self._forced = False
        self._high = False
        self._system_palette: QPalette | None = None
        # Both kept: PySide6 6.11 loses the accessibility hints of a temporary style-hints wrapper.
        self._style_hints = QGuiApplication.styleHints()
        self._hints = self._style_hints.accessibility()
        self._hints.contrastPreferenceChanged.connect(self._update)
        self._update()

    @property
    def high(self) -> bool:
        return self._high

    @property
    def forced(self) -> bool:
        return self._forced

    def system_asks(self) -> bool:
        return self._hints.contrastPreference() == Qt.ContrastPreference.HighContrast

    def set_forced(self, on: bool) -> None:
        """The profile's setting: high contrast whatever the system says."""
        self._forced = bool(on)
        self._update()

    def _update(self, *_args: object) -> None:
        system = self.system_asks()
        high = self._forced or system
        app = QApplication.instance()
        if isinstance(app, QApplication):
            if self._forced and not system and self._system_palette is None:
                self._system_palette = app.palette()
                app.setPalette(_high_palette())
            elif not (self._forced and not system) and self._system_palette is not None:
                app.setPalette(self._system_palette)
                self._system_palette = None
        if high != self._high:
            self._high = high
            restyle_everything()
            self.changed.emit(high)


_hub: ContrastHub | None = None


def hub() -> ContrastHub:
    global _hub  # noqa: PLW0603 - one hub per application, like the language hub
    if _hub is None:
        _hub = ContrastHub()
    return _hub


def high_contrast() -> bool:
    """Whether colours must give way to the palette's roles now."""
    return hub().high


def restyle_everything() -> None:
    """Every widget draws itself again with the colours of the moment."""
    from ui.widgets import Retranslating

    widgets = QApplication.allWidgets()
    for widget in widgets:
        restyle = getattr(widget, "restyle", None)
        if callable(restyle):
            restyle()
    for widget in widgets:
        if isinstance(widget, Retranslating):
            widget.retranslate()


def _role(role: QPalette.ColorRole) -> QColor:
    return QApplication.palette().color(role)


def urgency_colours(urgency: Urgency) -> tuple[QColor, QColor]:
    """Text and background for ``urgency``: its own pair, or (in high contrast) text on base."""
    if high_contrast():
        return _role(QPalette.ColorRole.Text), _role(QPalette.ColorRole.Base)
    style = STYLES[urgency]
    return QColor(style.foreground), QColor(style.background)


def urgency_css(urgency: Urgency) -> str:
    """Style sheet text for a label that shows ``urgency``: in high contrast a 2 px border in the
    text colour instead of a tint."""
    fg, bg = urgency_colours(urgency)
    border = f" border: 2px solid {fg.name()};" if high_contrast() else ""
    return f"color: {fg.name()}; background: {bg.name()};{border}"


def text_css(colour: str) -> str:
    """``color: colour`` — or, in high contrast, the palette's text colour in bold."""
    if high_contrast():
        return f"color: {_role(QPalette.ColorRole.WindowText).name()}; font-weight: 600;"
    return f"color: {colour};"


def boxed_css(colours: tuple[str, str]) -> str:
    """A message in a box of its own colours — or, in high contrast, text on base inside a border."""
    if high_contrast():
        fg, bg = _role(QPalette.ColorRole.WindowText).name(), _role(QPalette.ColorRole.Base).name()
        return f"color: {fg}; background: {bg}; border: 2px solid {fg};"
    return f"color: {colours[0]}; background: {colours[1]};"
