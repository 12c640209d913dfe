"""Everywhere a due item appears — My work (own and team), a case's What is due tab and header, the
caseload's Next due and Overdue columns, the Register — it carries its urgency in words and by shape,
not by colour alone, in both languages; and the manager's headline adds up."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from desktop.domain.urgency import STYLES, Urgency
from desktop.i18n import set_language
from desktop.services.demo import build_demo
from tests.conftest import demo_clock, fast_kdf, open_my_work

PASSWORD = "demo-password-urgency"


@pytest.fixture
def demo(tmp_path: Path):
    ctx = build_demo(tmp_path / "demo", PASSWORD, role="team_manager", kdf=fast_kdf(), clock=demo_clock())
    yield ctx
    from ui.tasks import forget_store

    forget_store(ctx.session("tm_cp"))
    ctx.store.close()


def _words(lang: str) -> tuple[str, ...]:
    set_language(lang)
    from desktop.i18n import _

    return tuple(_(s.label) for s in STYLES.values())


def _assert_urgent_row(row, words: tuple[str, ...]) -> None:
    assert row.text(0).startswith(words), row.text(0)  # the words ...
    assert not row.icon(0).isNull(), row.text(0)  # ... and the shape, beside the colour


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_every_due_row_says_how_urgent_in_words_and_shape(qtbot, demo, lang) -> None:
    from ui.due_tab import DueTab

    words = _words(lang)
    rhian = open_my_work(qtbot, demo.session("sw_rhian"))
    own = rhian.rows("overdue") + rhian.rows("due_today") + rhian.rows("due_this_week")
    assert own
    for row in own:
        _assert_urgent_row(row, words)
        assert row.text(5), "every item says whose it is"
    manager = open_my_work(qtbot, demo.session("tm_cp"))
    for worker in manager.worker_rows():
        worker.setExpanded(True)
        for i in range(worker.childCount()):
            _assert_urgent_row(worker.child(i), words)
    due = DueTab(demo.session("sw_rhian"), demo.cases["twr_cp"])
    qtbot.addWidget(due)
    qtbot.waitUntil(lambda: not due.loading, timeout=5_000)
    assert due.rows()
    for row in due.rows():
        _assert_urgent_row(row, words)


def test_the_managers_headline_is_the_sum_of_the_teams_items_each_once(qtbot, demo) -> None:
    manager = open_my_work(qtbot, demo.session("tm_cp"))
    work = manager.work
    workers = manager.worker_rows()
    assert manager.chips["overdue"].count == work.counts["overdue"] == sum(int(w.text(2)) for w in workers) > 0
    assert manager.chips["due_today"].count == sum(int(w.text(3)) for w in workers)
    keys = [(i.case_id, i.person_id, i.rule_id) for i in work.responsible]
    assert len(keys) == len(set(keys)), "nothing counted twice"
    # Tom is away with nobody covering: his items are counted once, and the note says how many.
    assert work.counts["uncovered"] == len(work.uncovered) > 0
    assert str(len(work.uncovered)) in manager.note.text()
    senior = open_my_work(qtbot, demo.session("senior"))
    assert senior.heading.text() == "The work of every team"
    teams = [senior.team.topLevelItem(i) for i in range(senior.team.topLevelItemCount())]
    assert senior.work.counts["overdue"] == sum(int(t.text(2)) for t in teams) > work.counts["overdue"]


def test_caseload_columns_sort_by_urgency_and_count_what_is_overdue(qtbot, demo) -> None:
    from ui.caseload_model import COLUMNS
    from ui.main_window import MainWindow

    window = MainWindow(demo.session("senior"), idle_ms=3_600_000)
    qtbot.addWidget(window)
    window.show()
    keys = [a.key for a in window._areas]  # noqa: SLF001
    window.sidebar.setCurrentRow(keys.index("caseload"))
    page = window.page("caseload")
    qtbot.waitUntil(lambda: page.loaded and page.model.due_loaded, timeout=15_000)
    next_col = [k for k, _m in COLUMNS].index("next_due")
    overdue_col = next_col + 1
    model = page.model
    model.sort(next_col, Qt.SortOrder.AscendingOrder)
    qtbot.waitUntil(lambda: not model.busy, timeout=15_000)  # ordered by what is due, on a worker
    qtbot.waitUntil(lambda: model.fetchMore() or not (model.canFetchMore() or model.busy), timeout=15_000)  # every page
    ranks = []
    for r in range(model.rowCount()):
        text = model.index(r, next_col).data()
        icon = model.index(r, next_col).data(Qt.ItemDataRole.DecorationRole)
        if text.startswith("Overdue"):
            assert icon is not None and model.index(r, next_col).data(Qt.ItemDataRole.ToolTipRole)
            assert int(model.index(r, overdue_col).data()) >= 1
            ranks.append(0)
        else:
            ranks.append(1)
    assert ranks == sorted(ranks) and 0 in ranks, "overdue cases first"
    model.sort(overdue_col, Qt.SortOrder.DescendingOrder)
    qtbot.waitUntil(lambda: not model.busy, timeout=15_000)
    counts = [int(model.index(r, overdue_col).data() or 0) for r in range(model.rowCount())]
    assert counts == sorted(counts, reverse=True)


def test_the_register_shows_a_missing_coordinator_loudly(qtbot, demo) -> None:
    from ui.child_protection.register_page import RegisterPage

    page = RegisterPage(demo.session("custodian"))
    qtbot.addWidget(page)
    rows = [page.entries.topLevelItem(i) for i in range(page.entries.topLevelItemCount())]
    missing = [r for r in rows if r.text(5).startswith("None named")]
    assert {r.text(0) for r in missing} == {"Mason Jones", "Ruby Jones"}
    for r in missing:
        assert "escalated" in r.text(5) and not r.icon(5).isNull()
        assert r.background(5).color().name() == STYLES[Urgency.OVERDUE].background
