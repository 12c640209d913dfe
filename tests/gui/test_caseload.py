"""The caseload: search, filters, sorting, 10,000 rows, opening a case."""

from __future__ import annotations

from PySide6.QtCore import Qt

from desktop.services.cases import CaseRow
from tests.gui.conftest import World
from tests.gui.forms import filled, saved
from ui.case_view import CaseWindow, age_text
from ui.caseload import CaseloadModel, CaseloadPage, CaseloadProxy, CaseloadTable
from ui.caseload_model import PAGE
from ui.main_window import MainWindow


def _window(qtbot, session) -> tuple[MainWindow, CaseloadPage]:
    window = MainWindow(session, idle_ms=3_600_000)
    qtbot.addWidget(window)
    window.show()
    page = window.page("caseload")
    qtbot.waitUntil(lambda: page.loaded, timeout=10_000)
    return window, page


def _settled(qtbot, page: CaseloadPage) -> None:
    """Wait for the page read on a worker for the latest search, filter or sort."""
    qtbot.waitUntil(lambda: not page.model.busy, timeout=10_000)


def test_search_filters_by_name_identifier_and_date_of_birth(qtbot, gui_session, world: World) -> None:
    """Typing in the search box narrows the list; so do the case type and team filters."""
    window, page = _window(qtbot, gui_session)
    assert page.proxy.rowCount() == 3
    for typed, expected in [
        ("elis", [world.cp_case]),
        ("JONES", [world.cp_case]),
        ("LA2045", [world.cp_case]),
        ("04/05/2019", [world.cp_case]),
        ("1941-02", [world.adult_case]),
        ("owain prys", [world.cin_case]),
        ("nobody", []),
    ]:
        qtbot.keyClicks(page.search, typed)
        _settled(qtbot, page)
        assert page.case_ids_shown() == expected, typed
        page.search.clear()
    _settled(qtbot, page)
    assert page.proxy.rowCount() == 3
    page.type_filter.setCurrentIndex(page.type_filter.findData("adult_at_risk"))
    _settled(qtbot, page)
    assert page.case_ids_shown() == [world.adult_case]
    page.type_filter.setCurrentIndex(0)
    qtbot.waitUntil(lambda: page.team_filter.count() > 1, timeout=10_000)
    page.team_filter.setCurrentIndex(1)
    _settled(qtbot, page)
    assert page.proxy.rowCount() == 3
    assert "3 cases" in page.count_label.text()
    assert window.sidebar.item(0).text() in ("Caseload", "Caseload (3)")
    qtbot.waitUntil(lambda: window.sidebar.item(0).text() == "Caseload (3)", timeout=10_000)


def test_sorting_by_a_header_reorders_the_rows(qtbot, gui_session) -> None:
    window, page = _window(qtbot, gui_session)
    page.table.sortByColumn(2, Qt.SortOrder.AscendingOrder)  # date of birth
    _settled(qtbot, page)
    names = [page.proxy.index(r, 1).data() for r in range(page.proxy.rowCount())]
    assert names == ["Gwen Thomas", "Elis Jones", "Owain Prys"]
    page.table.sortByColumn(2, Qt.SortOrder.DescendingOrder)
    _settled(qtbot, page)
    names = [page.proxy.index(r, 1).data() for r in range(page.proxy.rowCount())]
    assert names == ["Owain Prys", "Elis Jones", "Gwen Thomas"]


def test_ten_thousand_rows_filter_in_one_pass(qtbot) -> None:
    """10,000 rows: the filter is computed once per keystroke, and sorting happens in the model."""
    rows = [
        CaseRow(f"id{i}", f"2026-{i:05d}", "child_protection" if i % 2 else "child_in_need", f"Plentyn {i} Jones",
                f"20{i % 20:02d}-01-01", f"LA{i:06d}", "t", "Tîm", "w", "Rhian Evans", bool(i % 3),
                search_text=f"2026-{i:05d} plentyn {i} jones la{i:06d}")
        for i in range(10_000)
    ]
    model = CaseloadModel()
    proxy = CaseloadProxy(model)
    model.set_rows(rows)
    calls = []
    original = model.set_filter
    model.set_filter = lambda f: calls.append(f) or original(f)  # type: ignore[method-assign]
    proxy.set_filters(text="jones la0099")
    assert proxy.rowCount() == 100  # 9900-9999
    assert len(calls) == 1 and calls[0].terms == ("jones", "la0099")
    proxy.set_filters(case_type="child_in_need")
    assert proxy.rowCount() == 50
    proxy.sort(0, Qt.SortOrder.DescendingOrder)
    assert proxy.index(0, 0).data() == "2026-09998"
    proxy.set_filters(text="", case_type=None)
    assert model.matching() == 10_000
    assert proxy.rowCount() == PAGE  # Qt is told about the rows a page at a time
    model.fetch_all()
    assert proxy.rowCount() == 10_000


def test_fifty_thousand_cases_reach_qt_a_page_at_a_time(qtbot) -> None:
    """With 50,000 cases the view is told about the first page only; scrolling to the end fetches the
    next; a search runs over every case, fetched or not, and the count says how many match."""
    rows = [CaseRow(f"id{i}", f"2026-{i:05d}", "child_protection", f"Plentyn {i:05d} Jones", None, "", "t", "Tîm",
                    "w", "Rhian Evans", False, search_text=f"2026-{i:05d} plentyn {i:05d} jones")
            for i in range(50_000)]  # fmt: skip
    asked: set[int] = set()

    class Counting(CaseloadModel):
        def data(self, index, role=Qt.ItemDataRole.DisplayRole):  # type: ignore[no-untyped-def]
            asked.add(index.row())
            return super().data(index, role)

    model = Counting()
    proxy = CaseloadProxy(model)
    table = CaseloadTable()
    qtbot.addWidget(table)
    table.setModel(proxy)
    table.resize(800, 400)
    table.show()
    model.set_rows(rows)
    qtbot.waitExposed(table)
    qtbot.wait(50)
    table.grab()  # paints the visible rows
    assert proxy.rowCount() == PAGE and model.matching() == 50_000
    assert asked and max(asked) < 100  # only the rows on screen were asked for
    table.scrollToBottom()
    qtbot.waitUntil(lambda: proxy.rowCount() > PAGE, timeout=5_000)
    proxy.set_filters(text="49999")  # the last case, never scrolled to
    assert model.matching() == 1 and proxy.rowCount() == 1
    assert proxy.index(0, 1).data() == "Plentyn 49999 Jones"


def test_enter_opens_the_case_window_with_its_header(qtbot, gui_session, world: World) -> None:
    """Enter on a row opens the case: names, age, type, register, worker, next due, People tab."""
    window, page = _window(qtbot, gui_session)
    qtbot.keyClicks(page.search, "Elis")
    _settled(qtbot, page)
    page.table.setFocus()
    page.table.setCurrentIndex(page.proxy.index(0, 0))
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: any(isinstance(w, CaseWindow) and w.isVisible() for w in qtbot_windows()), timeout=5_000)
    case = next(w for w in qtbot_windows() if isinstance(w, CaseWindow))
    qtbot.addWidget(case)
    assert case.title.text() == "Loading…"  # shown at once; the case is opened on a worker
    qtbot.waitUntil(lambda: not case.loading, timeout=10_000)
    texts = [v.text() for _k, v in case._rows]
    assert case.title.text() == "Elis Jones"
    assert any("Elis Jones, 7 years old, born 4 May 2019" == t for t in texts), texts
    assert "Child protection" in texts and "Rhian Evans" in texts
    assert case.next_due_value.text() == "Nothing due" and not case.next_action_button.isVisible()
    assert [s.property("state") for s in case.journey_bar.steps] == ["todo"] * 0 + ["current"] + ["todo"] * 6
    people = case.tab("people")
    names = {people.tree.topLevelItem(i).text(0) for i in range(people.tree.topLevelItemCount())}
    assert names == {"Elis Jones", "Carys Jones"}


def test_next_due_provider_and_case_tab_registry(qtbot, gui_session, world: World) -> None:
    """Casework modules add tabs and the next-due line through the registries."""
    from PySide6.QtWidgets import QLabel

    from ui.case_tabs import register_case_tab, set_next_due_provider, unregister_case_tab
    from ui.plugins import load_plugins

    load_plugins()  # first, so the modules' own registrations do not replace this test's
    register_case_tab("visits", "Visits", lambda s, cid, parent: QLabel(cid), order=20)
    register_case_tab("adults_only", "Adults", lambda s, cid, parent: QLabel(cid), case_types=("adult_at_risk",))
    set_next_due_provider(lambda s, cid: "Core group meeting by 1 Dec 2026")
    try:
        case = CaseWindow(gui_session, world.cp_case)
        qtbot.addWidget(case)
        qtbot.waitUntil(lambda: not case.loading, timeout=10_000)  # opened, its tabs have read
        titles = [case.tabs.tabText(i) for i in range(case.tabs.count())]
        assert titles[:3] == ["What is due", "People", "Visits"] and "Adults" not in titles
        assert case.next_due_value.text() == "Core group meeting by 1 Dec 2026"
    finally:
        unregister_case_tab("visits")
        unregister_case_tab("adults_only")
        set_next_due_provider(None)


def test_next_due_comes_from_the_engine(qtbot, gui_session, world: World) -> None:
    """The default provider shows the most urgent item the engine computes for the case, in plain
    words: a report received on Wednesday 18 November with no decision is overdue by two working
    days on Monday 23 November (C1: decided within one working day)."""
    from desktop.services.child_protection import ReportService
    from ui.case_tabs import set_next_due_provider
    from ui.next_due import engine_next_due

    set_next_due_provider(engine_next_due)
    assert gui_session.today().isoformat() == "2026-11-23"
    assert engine_next_due(gui_session, world.cp_case) is None  # nothing due yet in this world
    ReportService(gui_session).record(world.cp_case, concerns="Left alone at night.",
                                      received_at="2026-11-18T09:00", source_type="professional",
                                      child_ids=[world.elis])
    case = CaseWindow(gui_session, world.cp_case)
    qtbot.addWidget(case)
    qtbot.waitUntil(lambda: not case.loading, timeout=10_000)  # opened, its tabs have read
    # Urgency in words (how late, in the rule's unit), then what is due; the primary button opens its form.
    assert case.next_due_value.text() == ("Overdue: 2 working days — Elis Jones: Next actions on the report overdue"
                                          " by 2 working days (due by 19 Nov 2026)")
    assert "#fde2e2" in case.next_due_value.styleSheet()
    assert case.next_action_button.text() == "Decide the next actions on the report…"
    assert case.journey_bar.steps[0].property("state") == "done"  # the report is in
    assert case.journey_bar.steps[1].property("state") == "current"  # the strategy discussion is next


def test_next_due_that_cannot_be_worked_out_is_shown_and_logged(qtbot, gui_session, world: World, monkeypatch,
                                                                caplog) -> None:
    """A broken rule or provider never hides what is due: the header says so and the log has why."""
    from desktop.services.my_work import MyWorkService
    from ui.case_tabs import set_next_due_provider
    from ui.next_due import engine_next_due

    def broken(self, case_id):
        raise RuntimeError("a rule with no base date")

    set_next_due_provider(engine_next_due)
    monkeypatch.setattr(MyWorkService, "next_due", broken)
    case = CaseWindow(gui_session, world.cp_case)
    qtbot.addWidget(case)
    qtbot.waitUntil(lambda: not case.loading, timeout=10_000)  # opened, its tabs have read
    shown = case.next_due_value.text()
    assert "What is due could not be worked out." in shown and shown.startswith("Cannot be worked out"), shown
    assert "a rule with no base date" in caplog.text


def test_age_text_uses_plural_forms() -> None:
    from datetime import date

    assert age_text("2025-06-30", date(2026, 11, 23)) == "16 months old"
    assert age_text("2025-10-23", date(2026, 11, 23)) == "13 months old"
    assert age_text("2026-10-23", date(2026, 11, 23)) == "1 month old"
    assert age_text("2019-05-04", date(2026, 11, 23)) == "7 years old"


def qtbot_windows():
    from PySide6.QtWidgets import QApplication

    return QApplication.topLevelWidgets()


def test_a_saved_edit_reaches_every_open_view_through_the_commit_listener(qtbot, gui_session, world: World) -> None:
    """The store's commit listener (writer thread) is marshalled to the GUI: the caseload, the case
    header and the People tab all show the new name without being told."""
    from ui.case_view import open_case_window

    window, page = _window(qtbot, gui_session)
    case = open_case_window(gui_session, world.cp_case, window)
    qtbot.addWidget(case)
    qtbot.waitUntil(lambda: not case.loading, timeout=10_000)  # opened, its tabs have read
    dialog = case.tab("people").edit_person(world.elis)
    filled(dialog, qtbot)
    dialog.set_value("given_names", "Elisabeth")
    assert saved(dialog, qtbot)
    qtbot.waitUntil(lambda: "Elisabeth Jones" in [page.proxy.index(r, 1).data() for r in range(3)], timeout=5_000)
    qtbot.waitUntil(lambda: case.title.text() == "Elisabeth Jones", timeout=5_000)
    people = case.tab("people")
    names = {people.tree.topLevelItem(i).text(0) for i in range(people.tree.topLevelItemCount())}
    assert "Elisabeth Jones" in names


def test_keyboard_reaches_search_filters_and_table_in_order(qtbot, gui_session) -> None:
    window, page = _window(qtbot, gui_session)
    chain, w = [], page.search
    for _ in range(5):
        chain.append(w)
        w = w.nextInFocusChain()
        while w.focusPolicy() == Qt.FocusPolicy.NoFocus or not w.isVisible():
            w = w.nextInFocusChain()
    assert chain == [page.search, page.type_filter, page.team_filter, page.worker_filter, page.table]
    assert window.area_actions[0].shortcut().toString() == "Ctrl+1"


def test_case_header_names_the_key_people(qtbot, gui_session, world: World) -> None:
    """The co-ordinator from the role assignments, labelled in the interface language."""
    from desktop.i18n import set_language

    me = gui_session.user.id
    gui_session.write(lambda tx: tx.insert(
        "role_assignment", {"role": "cspp_coordinator", "practitioner_id": me, "person_id": world.elis,
                            "from_date": "2026-11-01"}, case_id=world.cp_case))
    case = CaseWindow(gui_session, world.cp_case)
    qtbot.addWidget(case)
    qtbot.waitUntil(lambda: not case.loading, timeout=10_000)  # opened, its tabs have read
    rows = {k.text(): v.text() for k, v in case._rows}
    assert rows["Care and support protection plan co-ordinator:"] == "Rhian Evans"
    set_language("cy")
    rows = {k.text(): v.text() for k, v in case._rows}
    assert rows["Cydlynydd y cynllun amddiffyn, gofal a chymorth:"] == "Rhian Evans"
