"""Keyboard alone in the print queue (issue 17, item 7): reach the queue, choose a letter, export it —
the folder typed into the file dialog — and the letter is marked printed. Every key goes to the
focused widget (``tests/gui/keys.py``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog

from desktop.services.letters import LetterService
from tests.gui.keys import press, tab_to, type_text

pytestmark = pytest.mark.gui


def test_export_a_letter_by_keyboard_alone(qtbot: Any, demo_session: Any, tmp_path: Path) -> None:
    from ui.areas import areas_for
    from ui.main_window import MainWindow

    session = demo_session("admin_staff")
    window = MainWindow(session, idle_ms=3_600_000)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5_000)

    # Ctrl+<n> goes to the area (Go to menu); Tab enters the queue, Down chooses its first letter.
    n = [a.key for a in areas_for(session)].index("letters") + 1
    press(getattr(Qt.Key, f"Key_{n}"), Qt.KeyboardModifier.ControlModifier)
    page = window.page("letters")
    assert page.isVisible()
    qtbot.waitUntil(lambda: page.model.rowCount() > 0, timeout=15_000)
    assert tab_to(lambda w: w is page.table) <= 2
    press(Qt.Key.Key_Down)
    chosen = page.selected_ids()
    assert len(chosen) == 1 and LetterService(session).get(chosen[0]).status == "queued"

    # Tab leaves the table for its buttons (it does not walk the cells); Space on "Export…" asks for a
    # folder: typed into the dialog's box, Return.
    assert tab_to(lambda w: w is page.export_button) <= 4
    out = tmp_path / "letters"
    out.mkdir()
    asked: list[str] = []

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        asked.append(type(dialog).__name__)
        type_text(str(out))
        press(Qt.Key.Key_Return)

    QTimer.singleShot(300, answer)
    press(Qt.Key.Key_Space)
    assert asked == [QFileDialog.__name__]
    qtbot.waitUntil(lambda: page.last_result is not None, timeout=30_000)
    assert page.last_result.printed == chosen
    assert [p.suffix for p in out.iterdir()] == [".pdf"]
    assert LetterService(session).get(chosen[0]).status == "printed"
