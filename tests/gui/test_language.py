"""Switching Cymraeg/English at runtime: every open window, no English left, nothing clipped."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QAbstractButton, QApplication, QDialogButtonBox, QLabel, QLineEdit, QWidget

from desktop.i18n import current_language, set_language
from desktop.store.profile import Profile
from tests.gui.conftest import World, english_msgids
from tests.gui.forms import filled
from tests.gui.walk import leftover_english, texts_of, widgets_of
from ui.account_dialogs import ChangePasswordDialog, SettingsDialog
from ui.address_dialog import AddressDialog
from ui.case_view import open_case_window
from ui.first_run import FirstRunDialog
from ui.main_window import MainWindow
from ui.sign_in import SignInDialog


def _open_everything(qtbot, session, world: World) -> tuple[MainWindow, list[QWidget]]:
    window = MainWindow(session, idle_ms=3_600_000)
    qtbot.addWidget(window)
    window.show()
    page = window.page("caseload")
    qtbot.waitUntil(lambda: page.loaded, timeout=10_000)
    qtbot.waitUntil(lambda: "(" in window.sidebar.item(0).text(), timeout=10_000)
    case = open_case_window(session, world.cp_case, window)
    qtbot.addWidget(case)
    qtbot.waitUntil(lambda: not case.loading, timeout=10_000)  # opened, its tabs have read
    person = case.tab("people").edit_person(world.elis)
    filled(person, qtbot)
    qtbot.addWidget(person)
    return window, [window, case, person]


def test_switching_to_welsh_leaves_no_english_and_back(qtbot, gui_session, world: World) -> None:
    """Every text, tooltip, accessible name, title, header and standard button of every open
    window is Welsh after the switch (data excepted), and English again after switching back."""
    window, windows = _open_everything(qtbot, gui_session, world)
    exact, patterns = english_msgids()
    english_before = sorted({t for w in windows for _where, t in texts_of(w) if t})
    assert "Caseload" in english_before

    window.language_actions["cy"].trigger()
    assert current_language() == "cy"
    assert Profile.open(world.folder).language == "cy"
    assert QLocale().language() == QLocale.Language.Welsh
    left = leftover_english(windows, exact, patterns)
    assert left == [], "\n".join(left)
    buttons = windows[2].findChild(QDialogButtonBox).buttons()
    assert sorted(b.text().replace("&", "") for b in buttons) == ["Cadw", "Diddymu"]
    assert window.page("caseload").model.headerData(1, __import__("PySide6.QtCore").QtCore.Qt.Orientation.Horizontal) == "Enw"
    assert window.sidebar.item(0).text().startswith("Llwyth achosion")

    window.language_actions["en"].trigger()
    english_after = sorted({t for w in windows for _where, t in texts_of(w) if t})
    assert english_after == english_before


def test_line_edit_context_menu_is_welsh(qtbot) -> None:
    set_language("cy")
    edit = QLineEdit()
    qtbot.addWidget(edit)
    texts = [a.text().split("\t")[0].replace("&", "") for a in edit.createStandardContextMenu().actions() if a.text()]
    assert "Copïo" in texts and "Gludo" in texts and "Copy" not in texts
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox()
    qtbot.addWidget(box)
    box.setStandardButtons(
        QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel
    )
    assert sorted(b.text().replace("&", "") for b in box.buttons()) == ["Cadw", "Diddymu", "Hepgor"]


def _dialogs(qtbot, session, world: World, tmp_path: Path) -> list[QWidget]:
    out: list[QWidget] = [
        SignInDialog(world.folder),
        FirstRunDialog(tmp_path / "other"),
        SettingsDialog(session.profile),
        ChangePasswordDialog(session.profile),
        AddressDialog(session, world.elis),
    ]
    for d in out:
        qtbot.addWidget(d)
        d.show()
        filled(d, qtbot)
    return out


def test_dialogs_have_no_english_in_welsh(qtbot, gui_session, world: World, tmp_path: Path) -> None:
    dialogs = _dialogs(qtbot, gui_session, world, tmp_path)
    set_language("cy")
    exact, patterns = english_msgids()
    left = leftover_english(dialogs, exact, patterns)
    assert left == [], "\n".join(left)


def _clipped(window: QWidget) -> list[str]:
    """Labels and buttons narrower than they ask to be (word-wrapped labels wrap instead)."""
    out = []
    for w in widgets_of(window):
        if not w.isVisibleTo(window) or not isinstance(w, QLabel | QAbstractButton):
            continue
        if isinstance(w, QLabel) and w.wordWrap():
            if w.text() and w.heightForWidth(w.width()) > w.height():
                out.append(f"QLabel {w.text()!r}: wraps to {w.heightForWidth(w.width())} high, has {w.height()}")
            continue
        if not (w.text() if hasattr(w, "text") else ""):
            continue
        if w.sizeHint().width() > w.width():
            out.append(f"{type(w).__name__} {w.text()!r}: wants {w.sizeHint().width()}, has {w.width()}")
    return out


def test_welsh_labels_are_never_clipped(qtbot, gui_session, world: World, tmp_path: Path) -> None:
    """After switching to Welsh, every label and button is at least as wide as its size hint."""
    window, windows = _open_everything(qtbot, gui_session, world)
    dialogs = _dialogs(qtbot, gui_session, world, tmp_path)
    set_language("cy")
    problems = []
    for w in windows + dialogs:
        w.adjustSize() if w.isWindow() and w is not window else None
        QApplication.processEvents()
        for tab_host in [w]:
            problems += _clipped(tab_host)
    # every part of the person dialog, scrolled into view
    person = windows[2]
    for name in ("title", "phone", "communication_needs"):
        person.scroller.ensureWidgetVisible(person.widgets[name])
        QApplication.processEvents()
        problems += _clipped(person)
    window.lock()
    QApplication.processEvents()
    problems += _clipped(window)
    assert problems == [], "\n".join(problems)


def test_every_control_has_an_accessible_name(qtbot, gui_session, world: World, tmp_path: Path) -> None:
    from PySide6.QtWidgets import QAbstractItemView, QAbstractSpinBox, QComboBox, QTabWidget

    window, windows = _open_everything(qtbot, gui_session, world)
    dialogs = _dialogs(qtbot, gui_session, world, tmp_path)
    missing = []
    for top in windows + dialogs:
        for w in widgets_of(top):
            if not w.isVisibleTo(top):
                continue
            if w.parent() is not None and type(w.parent()).__name__ in ("QTabBar", "QToolBar", "QScrollBar"):
                continue
            if type(w).__name__ == "QHeaderView":
                continue  # its table carries the name
            if isinstance(w, QLineEdit | QComboBox | QAbstractSpinBox | QAbstractItemView | QTabWidget) or (
                isinstance(w, QAbstractButton) and not w.text()
            ):
                if isinstance(w, QLineEdit) and isinstance(w.parent(), QComboBox | QAbstractSpinBox):
                    continue
                if not w.accessibleName():
                    missing.append(f"{type(w).__name__}:{w.objectName()} in {top.objectName()}")
    assert missing == [], "\n".join(missing)


@pytest.mark.skipif(not os.environ.get("DIOGEL_SCREENSHOTS"), reason="set DIOGEL_SCREENSHOTS=folder to grab PNGs")
def test_screenshots(qtbot, gui_session, world: World, tmp_path: Path) -> None:
    """Grab the windows in English and Welsh for a person to look at."""
    out = Path(os.environ["DIOGEL_SCREENSHOTS"])
    out.mkdir(parents=True, exist_ok=True)
    window, windows = _open_everything(qtbot, gui_session, world)
    dialogs = _dialogs(qtbot, gui_session, world, tmp_path)
    for lang in ("en", "cy"):
        set_language(lang)
        QApplication.processEvents()
        for w in windows + dialogs:
            if w is windows[2]:
                for i in range(w.tabs.count()):
                    w.tabs.setCurrentIndex(i)
                    QApplication.processEvents()
                    w.grab().save(str(out / f"{lang}-{w.objectName()}-{i}.png"))
            else:
                w.grab().save(str(out / f"{lang}-{w.objectName()}.png"))
    window.lock()
    for lang in ("en", "cy"):
        set_language(lang)
        QApplication.processEvents()
        window.grab().save(str(out / f"{lang}-locked.png"))
