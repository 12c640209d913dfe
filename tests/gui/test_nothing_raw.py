"""Nothing raw reaches a person: every area of every role's main window, every case of the demo with every
tab, and every form its actions open, walked in Cymraeg and in English — no record id, no ISO date, no
code name ("in_progress", "section_76") and no bare language code in any text a person can see or hear,
no English left behind in Cymraeg, and no control without an accessible name (in either language: the
Cymraeg walk also finds an English name left behind).

The demo is the real one (``build_demo``) on a fixed day, signed in as each role."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, time
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
)

from desktop.i18n import set_language
from desktop.services.demo import build_demo
from desktop.services.session import Session
from desktop.store.crypto import KdfParams
from tests.conftest import DEMO_MOMENT, PASSWORD
from tests.gui.conftest import english_msgids
from tests.gui.walk import leftover_english, texts_of

UUID = re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b")
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
CODE = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")
LANGUAGE_CODE = re.compile(r"(?::\s*|\()(?:cy|en)\b")
ROLES = ("social_worker", "team_manager", "senior_manager", "register_custodian", "admin_staff")


FILE_NAME = re.compile(r"[\w./-]+\.(?:pdf|csv|json|png|zip)\b")


def raw_in(text: str) -> list[str]:
    text = FILE_NAME.sub("", text)  # a file's name may carry an ISO date (they sort), and says where it goes
    found = [m.group(0) for rx in (UUID, ISO_DATE, CODE, LANGUAGE_CODE) for m in rx.finditer(text)]
    return [f for f in found if "@" not in text]  # an email address may hold an underscore


def item_texts(widget: QWidget) -> Iterator[tuple[str, str]]:
    """What the lists, tables and boxes show: every cell of every row and its tooltip, what a box holds."""
    where = f"{type(widget).__name__}:{widget.objectName()}"
    if isinstance(widget, QLineEdit) and not isinstance(widget.parent(), QComboBox | QAbstractSpinBox):
        yield f"{where}.text", widget.text()
    elif isinstance(widget, QPlainTextEdit):
        yield f"{where}.text", widget.toPlainText()
    elif isinstance(widget, QTreeWidget):
        stack: list[QTreeWidgetItem] = [widget.topLevelItem(i) for i in range(widget.topLevelItemCount())]
        while stack:
            item = stack.pop()
            for c in range(widget.columnCount()):
                yield f"{where}.cell", item.text(c)
                yield f"{where}.cellTip", item.toolTip(c)
            stack += [item.child(i) for i in range(item.childCount())]
    elif isinstance(widget, QAbstractItemView) and widget.model() is not None:
        model = widget.model()
        try:
            rows, columns = model.rowCount(QModelIndex()), model.columnCount(QModelIndex())
        except TypeError:  # a list model (one column, Qt keeps columnCount to itself)
            rows, columns = model.rowCount(QModelIndex()), 1
        for r in range(min(rows, 200)):
            for c in range(columns):
                index = model.index(r, c)
                for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                    value = model.data(index, role)
                    if isinstance(value, str):
                        yield f"{where}.cell", value


def unnamed(label: str, window: QWidget) -> list[str]:
    """Controls a screen reader would announce without a name (the rules of test_language's check):
    inputs, combos, spin boxes, lists, tables, tab widgets and buttons that show no text."""
    out = []
    for w in [window, *window.findChildren(QWidget)]:
        if not w.isVisibleTo(window) and w is not window:
            continue
        if w.parent() is not None and type(w.parent()).__name__ in ("QTabBar", "QToolBar", "QScrollBar"):
            continue  # Qt's own scroll arrows and tab-bar buttons
        if isinstance(w, QHeaderView):
            continue  # its table carries the name
        if isinstance(w, QLineEdit) and isinstance(w.parent(), QComboBox | QAbstractSpinBox):
            continue  # the box's own editor: the box carries the name
        control = isinstance(w, QLineEdit | QPlainTextEdit | QComboBox | QAbstractSpinBox | QAbstractItemView
                             | QTabWidget) or (isinstance(w, QAbstractButton) and not w.text())
        if control and not w.accessibleName().strip():
            out.append(f"{label} {type(w).__name__}:{w.objectName()} has no accessible name")
    return out


def raw_texts(label: str, window: QWidget) -> list[str]:
    out = []
    pairs = list(texts_of(window, visible_only=False))
    for w in [window, *window.findChildren(QWidget)]:
        pairs += list(item_texts(w))
    for where, text in pairs:
        for raw in raw_in(text or ""):
            out.append(f"{label} {where}: {raw!r} in {text[:90]!r}")
    return out


@pytest.fixture(scope="module")
def demos(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, tuple[Session, dict[str, str]]]]:
    folder: Path = tmp_path_factory.mktemp("demos")
    kdf = KdfParams.fresh(time_cost=1, memory_cost=8192, parallelism=1)
    moment = datetime.combine(DEMO_MOMENT.date(), time(12, 0), tzinfo=UTC)
    out: dict[str, tuple[Session, dict[str, str]]] = {}
    for role in ROLES:
        ctx = build_demo(folder / role, PASSWORD, role=role, kdf=kdf, clock=lambda: moment)
        cases = dict(ctx.cases)
        ctx.store.close()
        out[role] = (Session.sign_in(folder / role, PASSWORD, backup=False, clock=lambda: moment), cases)
    yield out
    for session, _cases in out.values():
        session.store.close()


def _settle(qtbot: Any) -> None:
    from ui.tasks import runner

    qtbot.waitUntil(lambda: runner().running() == 0, timeout=20_000)
    QApplication.processEvents()


def _walk(qtbot: Any, windows: list[tuple[str, QWidget]]) -> list[str]:
    """Raw values in either language, and English left behind in Cymraeg."""
    problems: list[str] = []
    exact, patterns = english_msgids()
    for lang in ("en", "cy"):
        set_language(lang)
        _settle(qtbot)
        for label, w in windows:
            problems += [f"[{lang}] {p}" for p in raw_texts(label, w)]
            problems += [f"[{lang}] {p}" for p in unnamed(label, w)]
            if lang == "cy":
                # (a choice of records lists their own words, which are data: not checked here)
                problems += [f"[cy] {label} English left: {p}" for p in leftover_english([w], exact, patterns)
                             if ".item" not in p.split(":", 2)[1]]
    set_language("en")
    return problems


@pytest.mark.parametrize("role", ROLES)
def test_every_area_of_the_main_window(qtbot: Any, demos: Any, role: str) -> None:
    from ui.areas import areas_for
    from ui.main_window import MainWindow

    session, _cases = demos[role]
    window = MainWindow(session, idle_ms=3_600_000)
    qtbot.addWidget(window)
    window.show()
    problems = []
    for area in areas_for(session):
        window.show_area(area.key)
        _settle(qtbot)
        problems += _walk(qtbot, [(f"{role}/{area.key}", window)])
    window.close()
    assert not problems, "\n".join(sorted(set(problems)))


def test_every_case_tab_and_every_form_its_actions_open(qtbot: Any, demos: Any) -> None:
    from ui.case_view import CaseWindow
    from ui.screenshots import form_openers

    session, cases = demos["senior_manager"]
    problems: list[str] = []
    for key, case_id in cases.items():
        window = CaseWindow(session, case_id)  # deleted when closed, below
        qtbot.waitUntil(lambda w=window: not w.loading, timeout=10_000)  # opened, its tabs have read
        window.show()
        for key_tab in [t.key for t in window._startable]:  # noqa: SLF001 - every tab the case could have
            window.start_work(key_tab)
        _settle(qtbot)
        forms: list[tuple[str, QWidget]] = []
        for i in range(window.tabs.count()):
            window.tabs.setCurrentIndex(i)
            _settle(qtbot)
            page = window.tabs.widget(i)
            problems += [f"[en] {p}" for p in unnamed(f"{key}/{window.tabs.tabText(i)}", page)]  # each tab shown
            # Every enabled action of its bars, and the buttons outside a bar that open a form ("Edit…");
            # the same walk renders every form for docs/screens (make screenshots).
            for name, open_form in form_openers(page):
                before = set(QApplication.topLevelWidgets())
                open_form()
                _settle(qtbot)
                forms += [(f"{key}/{name}", w) for w in QApplication.topLevelWidgets()
                          if w not in before and w.isVisible()]
        problems += _walk(qtbot, [(key, window), *forms])
        for label, form in forms:  # no field forces a form wider than a laptop (1366 × 0.9): no sideways scroll
            scroll = form.findChild(QScrollArea, "form_scroll")
            needs = scroll.widget().minimumSizeHint().width() if scroll is not None else 0
            if needs > 1229:
                problems.append(f"{label}: its fields need {needs} px across")
        for _label, form in forms:
            form.close()
        window.close()
    assert not problems, "\n".join(sorted(set(problems)))


def test_the_screenshots_show_the_tab_they_name(qtbot: Any, demos: Any, monkeypatch: Any) -> None:
    """``make screenshots`` draws a case at the tab it names, once the case (opened on a worker) has its
    tabs — it drew "What is due" under every case tab's name when it chose the tab before they existed."""
    import ui.screenshots as shots

    session, cases = demos["senior_manager"]
    monkeypatch.setitem(shots._CASES, "senior_manager", cases)  # noqa: SLF001 - the tool's own demo map
    key = next(iter(cases))
    window = shots.case_window(session, key, tab="chronology")
    try:
        assert window.tab("chronology") is not None
        assert window.tabs.currentWidget() is window.tab("chronology")
        # a tab is made when first shown: the picture waits until it has drawn what it read
        assert not window.loading and window.tab("chronology").data is not None
    finally:
        window.close()
    form = shots.supervision_form(session, key)  # a form over a tab made only for the picture
    try:
        assert form.isVisible() and form.objectName() == "supervision_form"
        oversight = form.parent().window().tab("oversight", make=False)
        assert oversight is not None and oversight.data is not None
    finally:
        form.close()
        form.parent().window().close()
