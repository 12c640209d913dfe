"""The caseload list read a page at a time (issue 22, item 4), through the real Qt model and page
offscreen over real encrypted stores: the same rows in the same order as the whole list, never the
whole list at sign-in, only cases in scope, the next page as the list is scrolled, and a change to a
case shown without reading everything again."""

from __future__ import annotations

import random
from typing import Any

import pytest
from PySide6.QtCore import Qt

import ui.caseload_model as caseload_model
from bench.synthetic import populate
from desktop.services.cases import CaseloadQuery, CaseService
from desktop.services.my_work import MyWorkService
from desktop.services.permissions import Can
from desktop.services.persons import PersonService
from desktop.services.session import Session
from tests.gui.conftest import World
from ui.caseload import CaseloadPage, CaseloadTable
from ui.caseload_model import COLUMNS, PAGE, CaseFilter, CaseloadModel, CaseloadProxy
from ui.caseload_source import ServiceSource, order_rows
from ui.tasks import runner


@pytest.fixture
def manager(caseload_manager: Session) -> Session:
    return caseload_manager


@pytest.fixture
def reads(monkeypatch) -> list[int]:
    """The rows each ``caseload_page`` call returned; reading the whole list fails the test."""
    read: list[int] = []
    page = CaseService.caseload_page

    def counted(self: CaseService, *args: Any, **kwargs: Any) -> Any:
        found = page(self, *args, **kwargs)
        read.append(len(found.rows))
        return found

    def whole(self: CaseService) -> Any:
        raise AssertionError("the whole caseload was read")

    monkeypatch.setattr(CaseService, "caseload_page", counted)
    monkeypatch.setattr(CaseService, "caseload", whole)
    return read


def _page(qtbot, session: Session) -> CaseloadPage:
    page = CaseloadPage(session)
    qtbot.addWidget(page)
    page.resize(1000, 500)
    page.show()
    qtbot.waitUntil(lambda: page.loaded and not page.model.busy, timeout=10_000)
    return page


def _finish(qtbot, page: CaseloadPage) -> None:
    """Let the page's reads (the due columns) end before the store closes."""
    qtbot.waitUntil(lambda: page.model.due_loaded or not page.session.can(Can.VIEW_CASEWORK), timeout=20_000)
    assert runner().wait_idle(20)


def _scrolled_through(qtbot, model: CaseloadModel) -> list[str]:
    """Every row of the model's query, asking for page after page as a view scrolled to the end does."""
    qtbot.waitUntil(lambda: model.fetchMore() or not (model.busy or model.canFetchMore()), timeout=20_000)
    return [model.row_at(r).case_id for r in range(model.rowCount())]


def test_the_lazy_model_shows_the_whole_lists_rows_in_its_order(qtbot, manager: Session, monkeypatch) -> None:
    """Random searches, filters and sorts (the due columns too), in pages of random sizes: the model
    reading by SQL on a worker shows exactly what the whole list filtered and sorted in Python shows."""
    whole = CaseService(manager).caseload()
    due = MyWorkService(manager).by_case()
    rng = random.Random(2207)
    texts = [r.search_text for r in whole]
    types = sorted({r.case_type for r in whole})
    workers = sorted({r.worker_id for r in whole if r.worker_id})
    model = CaseloadModel(source=ServiceSource(manager))
    proxy = CaseloadProxy(model)
    table = CaseloadTable()
    qtbot.addWidget(table)
    table.setModel(proxy)
    for _round in range(25):
        monkeypatch.setattr(caseload_model, "PAGE", rng.choice([13, 50, 200]))
        terms: tuple[str, ...] = ()
        if rng.random() < 0.6:
            word = rng.choice(rng.choice(texts).split())
            start = rng.randrange(len(word))
            terms = (word[start:start + rng.randint(1, 4)],)
        query_filter = CaseFilter(terms, rng.choice([None, *types]) if rng.random() < 0.3 else None, None,
                                  rng.choice([None, *workers]) if rng.random() < 0.2 else None)
        column = rng.randrange(len(COLUMNS))
        order = rng.choice([Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder])
        model.set_filter(query_filter)
        model.sort(column, order)
        query = CaseloadQuery(terms, query_filter.case_type, None, query_filter.worker_id, COLUMNS[column][0],
                              order == Qt.SortOrder.DescendingOrder)
        expected = [r.case_id for r in order_rows(whole, query, due)]
        got = _scrolled_through(qtbot, model)
        assert got == expected, (query, len(got), len(expected))
        assert model.matching() == len(expected) and model.total() == len(whole)
        assert proxy.rowCount() == len(expected)
    assert runner().wait_idle(20)


def test_the_first_screen_reads_at_most_a_page_and_scrolling_reads_the_next(qtbot, manager: Session,
                                                                            reads: list[int]) -> None:
    page = _page(qtbot, manager)
    assert reads == [PAGE], "one page read at sign-in, never the whole list"
    assert page.model.rowCount() == PAGE and page.model.matching() == 400
    assert "400 cases" in page.count_label.text()
    names = [page.model.row_at(r).subjects.casefold() for r in range(PAGE)]
    assert names == sorted(names)  # by name, as the header says
    page.table.scrollToBottom()  # the view asks for more as it reaches the end
    qtbot.waitUntil(lambda: page.model.rowCount() == 2 * PAGE, timeout=10_000)
    assert reads == [PAGE, PAGE]
    # A change after scrolling: the rows held are read again in one read, the list stays where it was.
    page.table.scrollToBottom()  # the view asks once more: a full page may have had more after it
    qtbot.waitUntil(lambda: not (page.model.canFetchMore() or page.model.busy), timeout=10_000)
    assert reads[2:] == [0] and page.model.rowCount() == 2 * PAGE
    scrolled = page.table.verticalScrollBar().value()
    assert scrolled > 0
    case_id = page.model.row_at(2 * PAGE - 5).case_id
    person = manager.store.rows("SELECT person_id FROM case_member WHERE case_id = ? AND role = 'subject'"
                                " AND deleted = 0", [case_id])[0]["person_id"]
    PersonService(manager).update(person, {"family_name": "Zzyzx"})
    qtbot.waitUntil(lambda: len(reads) >= 4 and not page.model.busy, timeout=10_000)
    assert reads[3] == 2 * PAGE and reads[4:] in ([], [0]) and page.model.rowCount() == 2 * PAGE
    assert any("Zzyzx" in page.model.row_at(r).subjects for r in range(2 * PAGE))
    qtbot.waitUntil(lambda: page.table.verticalScrollBar().value() == scrolled, timeout=5_000)
    qtbot.keyClicks(page.search, "zzzz")
    qtbot.waitUntil(lambda: not page.model.busy and page.model.rowCount() == 0, timeout=10_000)
    assert page.count_label.text() == "0 of 400 cases"
    _finish(qtbot, page)


def test_out_of_scope_cases_never_appear(qtbot, make_session) -> None:
    """A social worker's list holds only the cases allocated to them, whatever the search or sort:
    the service checks scope, never the widget."""
    worker = make_session(role="social_worker")
    populate(worker, 120, seed=5)  # allocated to other workers
    allocated = [r["id"] for r in worker.store.rows("SELECT id FROM case_file ORDER BY reference LIMIT 5")]
    worker.store.write(lambda tx: tx.db.conn.executemany(
        "UPDATE case_file SET allocated_worker_id = ? WHERE id = ?", [(worker.user.id, a) for a in allocated]),
        actor=worker.user.id)
    page = _page(qtbot, worker)
    assert sorted(page.case_ids_shown()) == sorted(allocated) and page.model.total() == 5
    for column in range(len(COLUMNS)):
        for text in ["", "a", "2"]:
            page.search.setText(text)
            page.table.sortByColumn(column, Qt.SortOrder.DescendingOrder)
            qtbot.waitUntil(lambda: not page.model.busy, timeout=10_000)
            assert set(page.case_ids_shown()) <= set(allocated), (column, text)
    _finish(qtbot, page)


def test_a_change_to_a_case_shows_without_reading_the_whole_list(qtbot, gui_session: Session, world: World,
                                                                 reads: list[int]) -> None:
    """A report recorded on a case: its Next due shows it is overdue; a name changed: the row says so.
    The rows held are read again (a page), never the whole caseload; the current case stays current."""
    from desktop.services.child_protection import ReportService

    page = _page(qtbot, gui_session)
    qtbot.waitUntil(lambda: page.model.due_loaded, timeout=10_000)
    row = page.case_ids_shown().index(world.cp_case)
    next_due = [k for k, _m in COLUMNS].index("next_due")
    assert page.model.index(row, next_due).data() == "Nothing due"
    page.table.setCurrentIndex(page.proxy.index(row, 1))
    read_before = len(reads)
    ReportService(gui_session).record(world.cp_case, concerns="Left alone at night.",
                                      received_at="2026-11-18T09:00", source_type="professional",
                                      child_ids=[world.elis])
    qtbot.waitUntil(lambda: page.model.index(page.case_ids_shown().index(world.cp_case), next_due).data()
                    .startswith("Overdue"), timeout=10_000)
    PersonService(gui_session).update(world.elis, {"given_names": "Elisabeth"})
    qtbot.waitUntil(lambda: "Elisabeth Jones" in [page.model.row_at(r).subjects for r in range(3)], timeout=10_000)
    assert all(n <= PAGE for n in reads[read_before:]) and len(reads) - read_before <= 2
    assert page.table.currentIndex().data(caseload_model.CASE_ID_ROLE) == world.cp_case  # kept across the refresh
    _finish(qtbot, page)


def test_the_due_columns_are_worked_out_for_the_rows_held_only(qtbot, manager: Session, monkeypatch) -> None:
    """At sign-in the Next due and Overdue columns are worked out for the first page's rows (not for every case in
    scope), for the next page's rows as the list is scrolled, and for the rows held after a change; what they show
    is what every case's due columns say of those rows."""
    asked_for: list[list[str]] = []
    by_cases = MyWorkService.by_cases

    def recording(self: MyWorkService, case_ids: Any, on: Any = None) -> Any:
        asked_for.append(list(case_ids))
        return by_cases(self, case_ids, on)

    def whole(self: MyWorkService, on: Any = None) -> Any:
        raise AssertionError("every case's due columns were worked out")

    monkeypatch.setattr(MyWorkService, "by_cases", recording)
    monkeypatch.setattr(MyWorkService, "by_case", whole)
    page = _page(qtbot, manager)
    qtbot.waitUntil(lambda: page.model.due_loaded and not page.due_loader.pending, timeout=20_000)
    assert [sorted(a) for a in asked_for] == [sorted(page.case_ids_shown())] and len(asked_for[0]) == PAGE
    page.model.fetchMore()
    qtbot.waitUntil(lambda: page.model.rowCount() == 2 * PAGE and page.model.due_loaded
                    and not page.due_loader.pending, timeout=20_000)
    assert len(asked_for) == 2 and sorted(asked_for[1]) == sorted(page.case_ids_shown()[PAGE:])
    held = page.case_ids_shown()
    worker = manager.store.rows("SELECT id FROM practitioner WHERE app_role = 'social_worker' LIMIT 1")[0]["id"]
    CaseService(manager).allocate(held[3], worker)
    qtbot.waitUntil(lambda: len(asked_for) >= 3 and page.model.due_loaded and not page.due_loader.pending
                    and not page.model.busy, timeout=20_000)
    assert set(asked_for[2]) <= set(held) and held[3] in asked_for[2]
    assert runner().wait_idle(20)
    monkeypatch.undo()
    expected = MyWorkService(manager).by_case()
    next_due, overdue = ([k for k, _m in COLUMNS].index(key) for key in ("next_due", "overdue"))
    for row, case_id in enumerate(page.case_ids_shown()):
        found = expected.get(case_id)
        assert page.model.index(row, overdue).data() == (str(found.overdue) if found else "0"), case_id
        assert (page.model.index(row, next_due).data() == "Nothing due") == (found is None), case_id
    assert sum(1 for c in page.case_ids_shown() if c in expected) > PAGE // 2  # most rows have something due
