"""The case's journey as a row of steps: done ones ticked, the current one boxed and bold, the rest grey
(words and shape as well as colour). The steps go onto more lines when they do not fit on one (text at
200 %, Welsh step names), and a step wider than the bar wraps at its spaces: the bar never makes the case
scroll sideways, and each step's whole text is in its tooltip. GUI thread; draws a :class:`desktop.services.journey.Journey`."""

from __future__ import annotations

from PySide6.QtGui import QPalette, QResizeEvent
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from desktop.i18n import _
from desktop.services.journey import CURRENT, DONE, Journey
from ui.flow_layout import FlowLayout
from ui.widgets import scaled_pt

_STYLE = {
    DONE: "color: #1b5e20; padding: 3px 4px;",
    CURRENT: "color: #0b3d66; background: #e3f0fb; border: 2px solid #0b3d66; border-radius: 4px;"
             " padding: 2px 6px; font-weight: 700;",
    "todo": "color: #546e7a; padding: 3px 4px;",
}
ARROW_COLOUR = "#78909c"


def step_style(state: str) -> str:
    """A step's look; in high contrast the palette's text for every step, the current one boxed and
    bold (the ticks and the ▶ say the rest)."""
    from ui.contrast import high_contrast

    if not high_contrast():
        return _STYLE[state]
    colour = QApplication.palette().color(QPalette.ColorRole.WindowText).name()
    if state == CURRENT:
        return f"color: {colour}; border: 3px solid {colour}; border-radius: 4px; padding: 2px 6px; font-weight: 700;"
    return f"color: {colour}; padding: 3px 4px;"


class JourneyBar(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("journey_bar")
        self.row = FlowLayout(self, spacing=2)
        self.steps: list[QLabel] = []
        self._one_line: list[int] = []

    def show_journey(self, journey: Journey | None) -> None:
        """Draw ``journey`` (or nothing) in the interface language. The labels are made once per journey
        and relabelled after that (a language switch finds no stale text left behind)."""
        self.setVisible(journey is not None)
        if journey is None:
            return
        if len(self.steps) != len(journey.steps):
            self._build(len(journey.steps))
        for label, step in zip(self.steps, journey.steps, strict=True):
            title = _(step.title)
            text = {DONE: _("✓ {step}"), CURRENT: _("▶ {step}")}.get(step.state, "{step}").format(step=title)
            label.setText(text)
            label.setObjectName(f"journey_{step.key}")
            label.setStyleSheet(step_style(step.state))
            label.setProperty("state", step.state)
            label.setAccessibleName({DONE: _("{step}: done"), CURRENT: _("{step}: where the case is now")}
                                    .get(step.state, _("{step}: not yet")).format(step=title))
            label.setToolTip(label.accessibleName())
        self._one_line = []
        for label in self.steps:  # each step's width on one line, measured unwrapped
            label.setWordWrap(False)
            self._one_line.append(label.sizeHint().width())
        self._fit()

    def restyle(self) -> None:
        for label in self.steps:
            label.setStyleSheet(step_style(str(label.property("state"))))
        for arrow in self.findChildren(QLabel, "journey_arrow"):
            arrow.setStyleSheet(self._arrow_style())

    @staticmethod
    def _arrow_style() -> str:
        from ui.contrast import high_contrast

        colour = ARROW_COLOUR if not high_contrast() else QApplication.palette().color(QPalette.ColorRole.WindowText).name()
        return f"color: {colour}; font-size: {scaled_pt(13)};"

    def _build(self, count: int) -> None:
        while self.row.count():
            item = self.row.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.setParent(None)
                widget.deleteLater()
        self.steps = []
        for i in range(count):
            if i:
                arrow = QLabel("›")
                arrow.setObjectName("journey_arrow")
                arrow.setStyleSheet(self._arrow_style())
                self.row.addWidget(arrow)
            label = QLabel()
            self.row.addWidget(label)
            self.steps.append(label)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        """A step on one line when it fits in the bar; wrapped at its spaces when it alone is wider."""
        for label, one_line in zip(self.steps, self._one_line, strict=False):
            wrap = one_line > self.width()
            if label.wordWrap() != wrap:
                label.setWordWrap(wrap)
