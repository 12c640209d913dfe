"""The caseload read a page at a time by SQL (issue 22, item 4): ``caseload_index`` (m0022) kept by
triggers, and ``CaseService.caseload_page``/``caseload_count`` giving exactly what the whole list
filtered and sorted in Python gives."""

from __future__ import annotations

import random
from types import SimpleNamespace
from typing import Any

import pytest
from PySide6.QtCore import Qt

from bench.synthetic import populate, pulled_changes
from desktop.services.cases import SORTABLE_IN_SQL, CaseloadQuery, CaseRow, CaseService
from desktop.services.persons import PersonService
from desktop.services.session import Session
from desktop.store.caseload_index import COLUMNS, uk_date
from desktop.sync.client import SyncClient
from tests.conftest import sqlite_steps
from ui.caseload_model import COLUMNS as LIST_COLUMNS
from ui.caseload_model import CaseFilter
from ui.caseload_source import order_rows

_SQL_COLUMNS = [i for i, (key, _msgid) in enumerate(LIST_COLUMNS) if key in SORTABLE_IN_SQL]


def _walk(cases: CaseService, query: CaseloadQuery, limit: int) -> list[CaseRow]:
    """Every row of ``query``, a page of ``limit`` at a time, by keyset."""
    rows: list[CaseRow] = []
    page = cases.caseload_page(query, None, limit)
    while True:
        assert len(page.rows) <= limit
        rows += page.rows
        if not page.more:
            return rows
        page = cases.caseload_page(query, page.cursor, limit)


def _index_matches_the_list(session: Session) -> None:
    """Every field the index derives equals what the whole-list read makes in Python."""
    cases = CaseService(session)
    whole = cases.caseload()
    lazy = {r.case_id: r for r in _walk(cases, CaseloadQuery(), 97)}
    assert len(lazy) == len(whole)
    for row in whole:
        assert lazy[row.case_id] == row, row.case_id
        assert lazy[row.case_id].search_text == row.search_text


@pytest.fixture
def manager(caseload_manager: Session) -> Session:
    return caseload_manager


def test_random_searches_filters_and_sorts_give_the_whole_lists_rows_in_its_order(qapp, manager: Session) -> None:
    cases = CaseService(manager)
    whole = cases.caseload()
    rng = random.Random(2204)
    texts = [r.search_text for r in whole]
    types = sorted({r.case_type for r in whole})
    workers = sorted({r.worker_id for r in whole if r.worker_id})
    teams = sorted({r.team_id for r in whole if r.team_id})
    for _round in range(60):
        terms: tuple[str, ...] = ()
        if rng.random() < 0.7:  # a word or a piece of one, from a real row (or one that matches nothing)
            source = rng.choice(texts).split()
            word = rng.choice(source)
            start = rng.randrange(len(word))
            terms = (word[start:start + rng.randint(1, 5)],)
            if rng.random() < 0.3:
                terms += (rng.choice(["zz", "a", "2", "/", rng.choice(source)]),)
        query_filter = CaseFilter(terms,
                                  rng.choice([None, *types]) if rng.random() < 0.3 else None,
                                  rng.choice([None, *teams]) if rng.random() < 0.2 else None,
                                  rng.choice([None, *workers]) if rng.random() < 0.3 else None)
        column = rng.choice(_SQL_COLUMNS)
        order = rng.choice([Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder])
        query = CaseloadQuery(terms, query_filter.case_type, query_filter.team_id, query_filter.worker_id,
                              LIST_COLUMNS[column][0], order == Qt.SortOrder.DescendingOrder)
        expected = [r.case_id for r in order_rows(whole, query, {})]  # the whole list, in Python
        got = [r.case_id for r in _walk(cases, query, rng.choice([1, 7, 50, 1000]))]
        assert got == expected, (query, len(got), len(expected))
        assert cases.caseload_count(query) == len(expected)


def test_the_first_screen_reads_at_most_a_page(manager: Session) -> None:
    cases = CaseService(manager)
    query = CaseloadQuery(sort="subjects")
    first = cases.caseload_page(query, None, 50)
    assert len(first.rows) == 50 and first.more
    assert cases.caseload_count(query) == 400
    # the page after it starts where the first ended, and nothing is read twice
    second = cases.caseload_page(query, first.cursor, 50)
    assert not {r.case_id for r in first.rows} & {r.case_id for r in second.rows}
    assert [r.case_id for r in first.rows + second.rows] == [r.case_id for r in _walk(cases, query, 100)][:100]


def test_the_first_screen_costs_the_same_with_ten_times_the_cases(manager: Session) -> None:
    """The first page in the list's own first order (by name), in case-file order and in reference
    order is a walk along an index: its cost does not grow with the caseload, where a count does."""
    cases = CaseService(manager)
    firsts = [CaseloadQuery(sort="subjects"), CaseloadQuery(), CaseloadQuery(sort="reference", descending=False)]
    before = [sqlite_steps(manager, lambda q=q: cases.caseload_page(q, None, 40)) for q in firsts]
    count_before = sqlite_steps(manager, lambda: cases.caseload_count(CaseloadQuery()))
    populate(manager, 3600, seed=23)
    after = [sqlite_steps(manager, lambda q=q: cases.caseload_page(q, None, 40)) for q in firsts]
    count_after = sqlite_steps(manager, lambda: cases.caseload_count(CaseloadQuery()))
    assert count_after > 5 * count_before  # the counter sees a read over every case
    for b, a in zip(before, after, strict=True):
        assert a <= 2 * b + 2, (before, after)


def test_triggers_keep_the_index_in_step_with_edits(manager: Session) -> None:
    cases = CaseService(manager)
    persons = PersonService(manager)
    row = cases.caseload()[0]
    member = manager.store.rows(
        "SELECT person_id FROM case_member WHERE case_id = ? AND role = 'subject' AND deleted = 0", [row.case_id])
    persons.update(member[0]["person_id"], {"given_names": "Ŵyn", "family_name": "ŴYNNE", "la_number": "  LA 9 9 "})
    newcomer = persons.create({"given_names": "Ŷr", "family_name": "Ŷnys", "date_of_birth": "2010-02-03"})
    cases.add_member(row.case_id, newcomer["id"], "subject")
    _index_matches_the_list(manager)
    found = _walk(cases, CaseloadQuery(terms=("ŵynne", "03/02/2010")), 10)
    assert [r.case_id for r in found] == [row.case_id]


def test_out_of_scope_cases_never_appear(make_session) -> None:
    """A social worker's pages hold only the cases allocated to them, whatever the search or sort: the
    service checks scope (the same rule as the whole-list read), never the widget."""
    worker = make_session(role="social_worker")
    populate(worker, 120, seed=5)  # allocated to other workers: none in scope
    cases = CaseService(worker)
    assert cases.caseload_page(CaseloadQuery(), None, 1000).rows == []
    assert cases.caseload_count(CaseloadQuery()) == 0
    allocated = [r["id"] for r in worker.store.rows("SELECT id FROM case_file ORDER BY reference LIMIT 5")]
    worker.store.write(lambda tx: tx.db.conn.executemany(
        "UPDATE case_file SET allocated_worker_id = ? WHERE id = ?", [(worker.user.id, a) for a in allocated]),
        actor=worker.user.id)
    for sort in sorted(SORTABLE_IN_SQL):
        for terms in [(), ("a",), ("2",)]:
            query = CaseloadQuery(terms, sort=sort)
            got = {r.case_id for r in _walk(cases, query, 2)}
            assert got <= set(allocated)
            assert got == {r.case_id for r in cases.caseload() if all(t in r.search_text for t in terms)}
    assert len(_walk(cases, CaseloadQuery(), 3)) == 5


def _pulled_page(source: Session, rng: random.Random) -> dict[str, Any]:
    """Every team, worker, person, case and membership of ``source`` as one pulled page, in a random order (a row may
    come before what it refers to: parked, then applied at the end of the same page)."""
    return {"changes": pulled_changes(source, rng), "removals": [], "cursor": "c1", "seq": 1, "has_more": False}


def test_a_pulled_page_writes_each_cases_index_row_once(make_session) -> None:
    """A first sync's page (hundreds of cases, their members and people, in any order) is one transaction:
    the caseload's search table ends exactly as ``caseload_source`` says, each case's row worked out once
    just before the commit rather than again for every row of the case; a pulled rename rewrites the
    person's cases; an error in the page leaves nothing."""
    source = make_session(role="senior_manager", folder="server-side")
    populate(source, 150, seed=31, children_per_case=(1, 2, 3))
    laptop = make_session(role="senior_manager", folder="laptop")
    page = _pulled_page(source, random.Random(31))
    client = SyncClient(laptop.store, SimpleNamespace(token="t"), actor=laptop.user.id)  # type: ignore[arg-type]
    worked_out: list[str] = []  # a case's row worked out: caseload_source calls diogel_uk_date once for it
    laptop.store.write(lambda tx: tx.db.conn.create_function(
        "diogel_uk_date", 1, lambda iso: worked_out.append(iso) or uk_date(iso)), actor=laptop.user.id)
    try:
        counts = laptop.store.write(lambda tx: client._apply_page(tx, page, "cursor", False, None),  # noqa: SLF001
                                    actor=laptop.user.id)
    finally:
        laptop.store.write(lambda tx: tx.db.conn.create_function("diogel_uk_date", 1, uk_date, deterministic=True),
                           actor=laptop.user.id)
    assert counts["received"] == len(page["changes"]) and counts["parked"] > 0  # members before their case
    assert laptop.store.rows("SELECT count(*) AS n FROM sync_parked")[0]["n"] == 0  # applied at the page's end
    assert len(worked_out) == 150  # once per case (the triggers, row by row, work a case out 1 + members times)
    _index_matches_the_list(laptop)
    index = laptop.store.rows("SELECT * FROM caseload_index ORDER BY case_id")
    assert index == laptop.store.rows(f"SELECT {COLUMNS} FROM caseload_source ORDER BY case_id")  # noqa: S608

    person = source.store.rows("SELECT id FROM person WHERE id IN (SELECT person_id FROM case_member) LIMIT 1")[0]
    broken = {"changes": [{"entity": "person", "id": person["id"], "case_id": None, "version": 2, "deleted": False,
                           "data": {"given_names": "Ŵil", "family_name": "Ŵynne"}}],
              "removals": [{"type": "remove_case"}], "cursor": "c2", "has_more": False}  # a removal without its case
    with pytest.raises(KeyError):
        laptop.store.write(lambda tx: client._apply_page(tx, broken, "cursor", False, None), actor=laptop.user.id)  # noqa: SLF001
    assert laptop.store.rows("SELECT * FROM caseload_index ORDER BY case_id") == index  # nothing half-written
    # and the trigram index of the search text (m0025) is in step with it: FTS5's own check raises if not
    laptop.store.write(lambda tx: tx.db.execute(
        "INSERT INTO caseload_search(caseload_search, rank) VALUES ('integrity-check', 1)"), actor=laptop.user.id)
    renamed = {**broken, "removals": []}  # the person's new name, pulled: the cases they are in are written again
    laptop.store.write(lambda tx: client._apply_page(tx, renamed, "cursor", False, None), actor=laptop.user.id)  # noqa: SLF001
    cases_of_person = {r["case_id"] for r in laptop.store.rows(
        "SELECT case_id FROM case_member WHERE person_id = ? AND deleted = 0 AND role = 'subject'", [person["id"]])}
    assert {r.case_id for r in _walk(CaseService(laptop), CaseloadQuery(terms=("ŵil ŵynne",)), 10)} == cases_of_person
    PersonService(laptop).update(person["id"], {"given_names": "Ŷr"})  # an edit on the laptop, the same way
    assert {r.case_id for r in _walk(CaseService(laptop), CaseloadQuery(terms=("ŷr ŵynne",)), 10)} == cases_of_person
    _index_matches_the_list(laptop)
