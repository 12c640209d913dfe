"""The caseload search's trigram index (issue 22, item 4; m0025 ``caseload_search``): the same matches as
the search over the whole list for anything a user can type, kept in the same transaction as the rows,
built for an existing profile, derived (never exported), and never a way out of scope."""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.synthetic import populate
from desktop.services import cases as cases_module
from desktop.services.cases import SORTABLE_IN_SQL, CaseloadQuery, CaseRow, CaseService
from desktop.services.export_format import DERIVED_TABLES
from desktop.services.persons import PersonService
from desktop.services.session import Session
from desktop.store.migrations.m0025_caseload_search import DERIVED
from tests.conftest import PASSWORD, sqlite_steps
from ui.caseload_source import order_rows

# Pieces of names: Welsh letters with diacritics and digraphs, letters whose casefold is longer or
# differs from lower() (ß, İ, ﬁ, final sigma), a combining accent, characters FTS5's query syntax
# gives a meaning to, and a character outside the Basic Multilingual Plane.
PIECES = ["ŵ", "Ŵ", "ŷ", "Ŷ", "â", "ê", "î", "ô", "û", "ï", "Ï", "ë", "á", "à", "ch", "Ch", "dd", "DD", "ff", "ng",
          "ll", "Ll", "LL", "ph", "rh", "Rh", "th", "a", "e", "i", "o", "u", "w", "y", "s", "n", "r", "ß", "İ", "ﬁ",
          "σ", "ς", "Σ", "e\u0301", "'", "-", '"', "*", "^", "(", ")", ":", "+", "AND", "OR", "NEAR", "NOT", "\U0001f600",
          "0", "1", "/"]


def _name(rng: random.Random) -> str:
    return "".join(rng.choice(PIECES) for _ in range(rng.randint(1, 7)))


def _walk(cases: CaseService, query: CaseloadQuery, limit: int) -> list[CaseRow]:
    rows: list[CaseRow] = []
    page = cases.caseload_page(query, None, limit)
    while True:
        rows += page.rows
        if not page.more:
            return rows
        page = cases.caseload_page(query, page.cursor, limit)


def _in_step(session: Session) -> None:
    """FTS5's own check of the index against its content (``caseload_index``): raises if they differ."""
    session.store.write(lambda tx: tx.db.execute(
        "INSERT INTO caseload_search(caseload_search, rank) VALUES ('integrity-check', 1)"), actor=session.user.id)


@pytest.fixture
def named(make_session) -> Session:
    """A senior manager's 150 cases whose people carry random names (and LA numbers) of :data:`PIECES`,
    written by an ordinary update, so the index holds what the hook wrote."""
    session = make_session(role="senior_manager")
    populate(session, 150, seed=25, children_per_case=(1, 2, 3))
    rng = random.Random(2025)
    people = [r["id"] for r in session.store.rows("SELECT id FROM person ORDER BY id")]
    session.store.write(lambda tx: tx.db.conn.executemany(
        "UPDATE person SET given_names = ?, family_name = ?, la_number = ? WHERE id = ?",
        [(_name(rng), _name(rng), _name(rng) if rng.random() < 0.3 else None, p) for p in people]),
        actor=session.user.id)
    return session


@st.composite
def _typed(draw: st.DrawFn, texts: list[str]) -> str:
    """What someone types: a piece of a case's own text (any case), or pieces that may match nothing."""
    if draw(st.booleans()):
        text = draw(st.sampled_from(texts))
        start = draw(st.integers(0, max(len(text) - 1, 0)))
        piece = text[start:start + draw(st.integers(1, 9))]
        return piece.upper() if draw(st.booleans()) else piece
    return "".join(draw(st.lists(st.sampled_from(PIECES + [" "]), min_size=1, max_size=6)))


@pytest.mark.parametrize("walk_from", [cases_module.WALK_FROM, 3])
def test_the_indexed_search_finds_what_the_search_over_the_whole_list_finds(named: Session, walk_from: int,
                                                                            monkeypatch) -> None:
    """For any typed text (split and casefolded as the search box does), any order and page size: the rows,
    their order and the count equal the current search over the whole list (``order_rows``), read through
    the index (every term of three characters or more) and, with ``walk_from`` 3, by walking the order
    whenever more than three cases are candidates."""
    monkeypatch.setattr(cases_module, "WALK_FROM", walk_from)
    cases = CaseService(named)
    whole = cases.caseload()
    texts = [r.search_text for r in whole] + [f"{r.subjects} {r.identifiers}" for r in whole]
    sorts = sorted(SORTABLE_IN_SQL, key=str) + [None]

    @settings(max_examples=120, deadline=None, derandomize=True,
              suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(data=st.data())
    def check(data: st.DataObject) -> None:
        typed = " ".join(data.draw(st.lists(_typed(texts), min_size=1, max_size=3)))
        terms = tuple(typed.casefold().split())  # as the caseload's search box makes its terms
        query = CaseloadQuery(terms, sort=data.draw(st.sampled_from(sorts)), descending=data.draw(st.booleans()))
        expected = [r.case_id for r in order_rows(whole, query, {})]
        got = [r.case_id for r in _walk(cases, query, data.draw(st.sampled_from([1, 7, 200])))]
        assert got == expected, (typed, query.sort)
        assert cases.caseload_count(query) == len(expected)

    check()


def test_case_file_order_has_no_direction(named: Session) -> None:
    """With no sort column, ``descending`` turns nothing, in SQL as in the list (a property example the
    random draws above reach only some runs: case references are random)."""
    cases = CaseService(named)
    whole = cases.caseload()
    for terms in ((), ("a",)):
        query = CaseloadQuery(terms, descending=True)
        expected = [r.case_id for r in order_rows(whole, query, {})]
        assert len(expected) > 7
        assert [r.case_id for r in _walk(cases, query, 7)] == expected


def test_the_search_reads_the_index(named: Session) -> None:
    """Emptied, the index finds nothing for a term of three characters or more, while a shorter term still
    finds its cases by the search text alone: a long term's matches come from the index (so the test above
    compares the index, not a scan)."""
    cases = CaseService(named)
    whole = cases.caseload()
    word = next(w for r in whole for w in r.search_text.split() if len(w) >= 4)
    assert _walk(cases, CaseloadQuery((word,)), 50)
    short = (word[:2],)
    expected = [r.case_id for r in order_rows(whole, CaseloadQuery(short), {})]
    named.store.write(lambda tx: tx.db.execute("INSERT INTO caseload_search(caseload_search) VALUES ('delete-all')"),
                      actor=named.user.id)
    assert _walk(cases, CaseloadQuery((word,)), 50) == []
    assert [r.case_id for r in _walk(cases, CaseloadQuery(short), 50)] == expected


def test_a_rare_words_first_page_and_count_read_only_its_candidates(make_session) -> None:
    """A word one case holds is found from the index: its first page and its count, in any order, cost a
    small part of a read of every case's search text (what both were before m0025, and what a term too
    short for the index still costs)."""
    session = make_session(role="senior_manager")
    populate(session, 3000, seed=41)
    cases = CaseService(session)
    rare = session.store.rows("SELECT la_number FROM person WHERE la_number IS NOT NULL ORDER BY id LIMIT 1")
    queries = [CaseloadQuery((rare[0]["la_number"].casefold(),), sort=s) for s in (None, "subjects", "worker")]
    every = sqlite_steps(session, lambda: cases.caseload_count(CaseloadQuery(("zz",))))  # too short: every case's text
    for query in queries:
        assert len(_walk(cases, query, 200)) == 1
        cost = sqlite_steps(session, lambda q=query: (cases.caseload_page(q, None, 200), cases.caseload_count(q)))
        assert 5 * cost < every, (query.sort, cost, every)


def test_the_hook_keeps_the_index_in_step_in_the_same_transaction(named: Session) -> None:
    """Renames, a new case, a new member, a case deleted and a write rolled back: after each, FTS5's
    integrity check passes and the search finds the new text and not the old."""
    cases = CaseService(named)
    persons = PersonService(named)
    _in_step(named)
    row = cases.caseload()[0]
    person = named.store.rows("SELECT person_id FROM case_member WHERE case_id = ? AND role = 'subject'"
                              " AND deleted = 0", [row.case_id])[0]["person_id"]
    old = named.store.rows("SELECT family_name FROM person WHERE id = ?", [person])[0]["family_name"].casefold()
    persons.update(person, {"family_name": "Ŵynnecwm"})
    _in_step(named)
    assert row.case_id in {r.case_id for r in _walk(cases, CaseloadQuery(("ŵynnecwm",)), 50)}
    newcomer = persons.create({"given_names": "Llŷrdd", "family_name": "Ffôstrydd", "date_of_birth": "2011-04-05"})
    cases.add_member(row.case_id, newcomer["id"], "subject")
    created = cases.create("child_in_need", subject_ids=[newcomer["id"]])
    _in_step(named)
    assert {r.case_id for r in _walk(cases, CaseloadQuery(("llŷrdd", "05/04/2011")), 50)} == {row.case_id,
                                                                                               created["id"]}
    if len(old) >= 3:
        assert all(old in r.search_text for r in _walk(cases, CaseloadQuery((old,)), 50))

    def fails(tx) -> None:
        tx.db.execute("UPDATE person SET family_name = 'Diflannodd' WHERE id = ?", [person])
        raise RuntimeError("stopped half way")

    with pytest.raises(RuntimeError):
        named.store.write(fails, actor=named.user.id)
    _in_step(named)
    assert _walk(cases, CaseloadQuery(("diflannodd",)), 50) == []

    def delete(tx) -> None:
        tx.db.execute("DELETE FROM case_member WHERE case_id = ?", [created["id"]])
        tx.db.execute("DELETE FROM case_file WHERE id = ?", [created["id"]])

    named.store.write(delete, actor=named.user.id)
    _in_step(named)
    assert [r.case_id for r in _walk(cases, CaseloadQuery(("llŷrdd",)), 50)] == [row.case_id]


def test_the_integrity_check_sees_an_index_out_of_step(named: Session) -> None:
    """The check the tests above rely on fails when the text changes behind the index's back."""
    named.store.write(lambda tx: tx.db.execute("UPDATE caseload_index SET search_text = 'arall' WHERE seq = "
                                               "(SELECT min(seq) FROM caseload_index)"), actor=named.user.id)
    with pytest.raises(Exception, match="malformed"):
        _in_step(named)


def test_the_migration_builds_the_index_for_an_existing_profile(make_session, tmp_path, clock) -> None:
    """A profile from before m0025 (its cases already there) gets the index when it is next opened."""
    session = make_session(role="senior_manager", folder="older")
    populate(session, 80, seed=9)
    cases = CaseService(session)
    word = next(w for r in cases.caseload() for w in r.search_text.split() if len(w) >= 5)
    expected = [r.case_id for r in order_rows(cases.caseload(), CaseloadQuery((word,)), {})]
    session.store.write(lambda tx: (tx.db.execute("DROP TABLE caseload_search"),
                                    tx.db.execute("DELETE FROM _sqlite_migrations WHERE name = 'm0025_caseload_search'")),
                        actor=session.user.id)
    session.store.close()
    again = Session.sign_in(tmp_path / "older", PASSWORD, clock=clock)
    try:
        assert again.store.rows("SELECT count(*) AS n FROM _sqlite_migrations WHERE name = 'm0025_caseload_search'"
                                )[0]["n"] == 1
        _in_step(again)
        assert [r.case_id for r in _walk(CaseService(again), CaseloadQuery((word,)), 20)] == expected
    finally:
        again.store.close()


def test_the_index_is_derived_never_exported_or_synced(named: Session) -> None:
    """Every table FTS5 made for the index is among the export's derived tables, and none has the synced
    columns (so sync never sees it)."""
    from desktop.store.rowspec import spec

    made = {r["name"] for r in named.store.rows("SELECT name FROM sqlite_master WHERE type = 'table'"
                                                " AND name LIKE 'caseload_search%'")}
    assert made == set(DERIVED)
    assert made <= DERIVED_TABLES
    assert not made & set(spec().entities)


def test_a_long_search_never_finds_a_case_out_of_scope(make_session) -> None:
    """A social worker's search through the index holds only their own cases, whatever the term and order."""
    worker = make_session(role="social_worker")
    populate(worker, 120, seed=5)  # allocated to other workers
    cases = CaseService(worker)
    words = sorted({w for r in worker.store.rows("SELECT search_text FROM caseload_index")
                    for w in r["search_text"].split() if len(w) >= 3})
    assert all(_walk(cases, CaseloadQuery((w,)), 50) == [] for w in words[:40])
    allocated = [r["id"] for r in worker.store.rows("SELECT id FROM case_file ORDER BY reference LIMIT 4")]
    worker.store.write(lambda tx: tx.db.conn.executemany(
        "UPDATE case_file SET allocated_worker_id = ? WHERE id = ?", [(worker.user.id, a) for a in allocated]),
        actor=worker.user.id)
    mine = {r.case_id: r.search_text for r in cases.caseload()}
    assert set(mine) == set(allocated)
    for sort in [None, *sorted(SORTABLE_IN_SQL)]:
        for word in words:
            query = CaseloadQuery((word,), sort=sort)
            got = {r.case_id for r in _walk(cases, query, 3)}
            assert got == {c for c, text in mine.items() if word in text}, (word, sort)
            assert cases.caseload_count(query) == len(got)


def test_a_common_words_first_page_in_case_file_order_reads_its_page_not_the_list(make_session) -> None:
    """A word many cases hold (a common family name: one case in twenty) in the list's own order: the first page
    comes from the index's candidates in their rowid order (the case-file order) and stops at its last row — a
    small part of a read of every case's text, which a walk of the case files testing each row until the page
    is full came to (issue 22: 69 ms a keystroke at 50,000 cases)."""
    session = make_session(role="senior_manager")
    populate(session, 3000, seed=41)
    cases = CaseService(session)
    names = session.store.rows("SELECT family_name, count(*) AS n FROM person GROUP BY family_name ORDER BY n DESC")
    word = names[0]["family_name"].casefold()
    query = CaseloadQuery((word,))
    every = sqlite_steps(session, lambda: cases.caseload_count(CaseloadQuery(("zz",))))  # too short: every case's text
    matching = cases.caseload_count(query)
    assert 100 < matching < 3000 / 4, (word, matching)  # common, yet not most of the list
    first = cases.caseload_page(query, None, 50)
    assert [r.case_id for r in first.rows] == [r.case_id for r in _walk(cases, query, 7)][:50]
    cost = sqlite_steps(session, lambda: cases.caseload_page(query, None, 50))
    assert 5 * cost < every, (word, matching, cost, every)
