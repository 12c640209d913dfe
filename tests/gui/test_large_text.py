"""Text at 200 % (issue 17, item 7): with the application's font doubled every area of the main window,
a case window and a form still fit a 1366×768 laptop — they scroll rather than grow past the screen —
headings grow with the text, and the case header's facts are never cut short."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QWidget

from tests.gui.conftest import World
from tests.gui.forms import filled

LAPTOP = (1366, 768)


@pytest.fixture
def doubled_font(qapp: QApplication) -> Iterator[float]:
    font = qapp.font()
    bigger = QFont(font)
    bigger.setPointSizeF(font.pointSizeF() * 2)
    qapp.setFont(bigger)
    yield bigger.pointSizeF()
    qapp.setFont(font)


def _fits(window: QWidget) -> bool:
    hint = window.minimumSizeHint()
    return hint.width() <= LAPTOP[0] and hint.height() <= LAPTOP[1]


def test_every_area_and_a_case_fit_a_laptop_with_the_text_doubled(qtbot: Any, gui_session: Any, world: World,
                                                                  doubled_font: float) -> None:
    from ui.areas import areas_for
    from ui.case_view import open_case_window
    from ui.main_window import MainWindow

    window = MainWindow(gui_session, idle_ms=3_600_000)
    qtbot.addWidget(window)
    window.resize(*LAPTOP)
    window.show()
    for area in areas_for(gui_session):
        window.show_area(area.key)
        QApplication.processEvents()
        assert _fits(window), f"{area.key}: needs {window.minimumSizeHint()} with the text doubled"

    case = open_case_window(gui_session, world.cp_case, window)
    qtbot.addWidget(case)
    case.resize(*LAPTOP)
    QApplication.processEvents()
    assert _fits(case), f"the case needs {case.minimumSizeHint()}"
    title_pt = float(case.title.styleSheet().split("font-size: ")[1].split("pt")[0])
    assert title_pt > doubled_font, "the heading grows with the text (it is not left smaller than it)"
    for key, value in case._rows:  # noqa: SLF001 - the header's facts
        assert value.height() >= value.heightForWidth(value.width()), f"{key.text()} {value.text()!r} is cut short"


def test_a_form_keeps_save_in_view_with_the_text_doubled(qtbot: Any, gui_session: Any, world: World,
                                                        doubled_font: float) -> None:
    from ui.child_protection.visit_dialog import VisitDialog

    form = VisitDialog(gui_session, world.cp_case)
    filled(form, qtbot)
    qtbot.addWidget(form)
    form.show()
    QApplication.processEvents()
    screen = form.screen().availableGeometry()
    assert form.width() <= screen.width() and form.height() <= screen.height()
    save = form.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save)
    assert save.isVisible() and form.rect().contains(save.mapTo(form, save.rect().bottomRight()))


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_the_journey_bar_wraps_with_the_text_doubled(qtbot: Any, gui_session: Any, world: World,
                                                     doubled_font: float, lang: str) -> None:
    """At 200 % the case's journey goes onto more lines rather than pushing the case sideways; every step is
    shown whole (and said whole in its tooltip)."""
    from PySide6.QtWidgets import QScrollArea

    from desktop.i18n import set_language
    from ui.case_view import CaseWindow

    set_language(lang)
    try:
        case = CaseWindow(gui_session, world.cp_case)
        qtbot.addWidget(case)
        case.resize(*LAPTOP)
        case.show()
        qtbot.waitUntil(lambda: case.opened and not case.loading, timeout=10_000)
        QApplication.processEvents()
        bar = case.journey_bar
        assert bar.isVisible() and len(bar.steps) >= 4
        scroll = case.findChild(QScrollArea)
        assert scroll.horizontalScrollBar().maximum() == 0, "the case does not scroll sideways"
        assert bar.minimumSizeHint().width() <= bar.width()
        assert bar.height() >= bar.heightForWidth(bar.width())
        for label in bar.steps:
            assert label.isVisible() and label.width() >= min(label.sizeHint().width(), bar.width()), label.text()
            assert label.height() >= label.heightForWidth(label.width()), f"{label.text()!r} is cut short"
            assert label.geometry().right() <= bar.width(), f"{label.text()!r} runs off the bar"
            step = label.text().removeprefix("✓ ").removeprefix("▶ ")
            assert step in label.toolTip(), "the whole step in its tooltip"
    finally:
        set_language("en")



def test_the_journey_bar_stays_on_one_line_when_it_fits_and_wraps_when_not(qtbot: Any) -> None:
    """At ordinary text a wide bar shows the journey on one line, no step wrapped; a narrow one puts the steps
    on more lines, and a step wider than the bar wraps inside it."""
    from desktop.services.journey import CURRENT, DONE, TODO, Journey, Step
    from ui.journey_bar import JourneyBar

    titles = ["Report", "Strategy discussion", "Section 47 enquiries", "Initial conference", "Core groups",
              "Review conferences", "De-registration"]
    journey = Journey("child_protection", tuple(
        Step(f"s{i}", t, DONE if i < 5 else CURRENT if i == 5 else TODO, None) for i, t in enumerate(titles)))
    bar = JourneyBar()
    qtbot.addWidget(bar)
    bar.show_journey(journey)
    bar.resize(1300, bar.heightForWidth(1300))
    bar.show()
    QApplication.processEvents()
    assert len({label.y() for label in bar.steps}) == 1 and not any(label.wordWrap() for label in bar.steps)
    bar.resize(150, bar.heightForWidth(150))
    QApplication.processEvents()
    assert len({label.y() for label in bar.steps}) == len(titles), "one step a line"
    wide = [label for label in bar.steps if label.sizeHint().width() > 150 or label.wordWrap()]
    assert wide and all(label.wordWrap() for label in wide), "a step wider than the bar wraps"
    assert all(label.geometry().right() < 150 for label in bar.steps)
    assert all(label.height() >= label.heightForWidth(label.width()) for label in bar.steps), "none cut short"
