"""The children's visits in typed columns (migration 0022, issue 21's speed): the council's figures read
``visit_child_facts`` in place of the JSON row store, so it must give exactly the rows the JSON read gives
— after pushes through the real apply, after every other way a row can change (an edit, a deletion, a
row removed, the store emptied), for one team as for the council, and after the migration fills it from
the rows a server already holds."""

from __future__ import annotations

import uuid
from typing import Any
from uuid import UUID

import psycopg
from psycopg.rows import dict_row
from psycopg.types.json import Jsonb

from desktop.services.committee_source import READS
from server.devdb import TempCluster
from server.figures import ServerRows
from server.migrator import available, migrate
from tests.server.harness import Harness

COLUMNS = READS["cp_visit_child"]
EVERY = ("id", "case_id", *COLUMNS)  # every column the typed table answers for


def _reads(db_url: str, team_id: UUID | None = None) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """The children's visit rows read from the typed table and from the JSON, in one snapshot."""
    with psycopg.connect(db_url, row_factory=dict_row) as conn:
        typed = ServerRows(conn, team_id).rows("cp_visit_child", EVERY)
        plain = ServerRows(conn, team_id, typed=False).rows("cp_visit_child", EVERY)
        assert ServerRows(conn, team_id)._typed_query("cp_visit_child", EVERY, ()) is not None
    return sorted(typed, key=repr), sorted(plain, key=repr)


def _same(db_url: str, team_id: UUID | None = None) -> list[tuple[Any, ...]]:
    typed, plain = _reads(db_url, team_id)
    assert typed == plain
    return typed


def _child_visit(w: Any, case: str, visit: str, child: str, *, alone: Any = 1, home: Any = 1) -> str:
    return str(w.insert("cp_visit_child", case, {"visit_id": visit, "person_id": child, "seen": 1,
                                                 "seen_alone": alone, "seen_at_home": home, "bedroom_seen": 0},
                        append_only=True))


def test_pushed_visits_read_the_same_from_typed_columns_as_from_the_json(h: Harness) -> None:
    h.team("A")
    h.team("B")
    h.user("wendy", "social_worker", "A")
    h.user("bryn", "social_worker", "B")
    w, b = h.login("wendy"), h.login("bryn")
    case, other = str(uuid.uuid4()), str(uuid.uuid4())
    child, sister, boy = w.person("Plentyn"), w.person("Chwaer"), b.person("Bachgen")
    w.member(case, child)
    w.member(case, sister)
    b.member(other, boy)
    seen = w.visit(case)
    denied = w.insert("cp_visit", case, {"visited_on": "2026-11-21", "visitor_id": w.user_id, "location": "home",
                                         "observations": "no answer", "access_denied": 1}, append_only=True)
    first = _child_visit(w, case, seen, child, alone=True, home=False)  # JSON true/false read as 1/0
    _child_visit(w, case, seen, sister, alone=0, home=1)
    _child_visit(w, case, denied, child)
    theirs = b.visit(other)
    _child_visit(b, other, theirs, boy)
    assert {r["status"] for r in w.push() + b.push()} == {"applied"}

    got = _same(h.db_url)
    assert len(got) == 4
    mine = {r[0]: r for r in got}[first]
    assert mine[2:] == (seen, child, 1, 0, "2026-11-20", None)
    assert {r[6:] for r in got} == {("2026-11-20", None), ("2026-11-21", 1)}
    team_a = h.sql("SELECT id FROM teams WHERE name = 'A'")[0]["id"]
    assert len(_same(h.db_url, team_a)) == 3  # one team's cases only

    # Every other way a row changes: the facts follow in the same transaction.
    h.sql("UPDATE rows SET data = data || '{\"visited_on\": \"2026-11-19\", \"access_denied\": false}'"
          " WHERE id = %s", (denied,))
    assert {r[6:] for r in _same(h.db_url)} == {("2026-11-20", None), ("2026-11-19", 0)}
    h.sql("UPDATE rows SET deleted = true WHERE id = %s", (seen,))  # a visit gone: its children look up nothing
    assert sum(1 for r in _same(h.db_url) if r[6] is None) == 2
    h.sql("UPDATE rows SET deleted = false WHERE id = %s", (seen,))
    assert sum(1 for r in _same(h.db_url) if r[6] is None) == 0
    h.sql("UPDATE rows SET deleted = true WHERE id = %s", (first,))  # a child's row gone
    assert first not in {r[0] for r in _same(h.db_url)}
    h.sql("UPDATE rows SET data = data || '{\"seen_alone\": 0}' WHERE entity = 'cp_visit_child'")
    assert {r[4] for r in _same(h.db_url)} == {0}
    h.sql("DELETE FROM rows WHERE id = %s", (theirs,))
    assert [r[6] for r in _same(h.db_url) if r[3] == boy] == [None]
    h.sql("DELETE FROM rows WHERE entity = 'cp_visit_child' AND data->>'person_id' = %s", (boy,))
    assert len(_same(h.db_url)) == 2
    h.sql("TRUNCATE rows")
    assert _same(h.db_url) == []


def _row(entity: str, case_id: str, data: dict[str, Any], seq: int, deleted: bool = False) -> tuple[Any, ...]:
    row_id = str(uuid.uuid4())
    return (entity, row_id, case_id, case_id, Jsonb(data), Jsonb({}), seq, seq, deleted, True)


def test_the_migration_fills_the_typed_columns_from_the_rows_already_held(pg_cluster: TempCluster) -> None:
    name = f"t_{uuid.uuid4().hex[:16]}"
    with psycopg.connect(pg_cluster.dsn(), autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    dsn = pg_cluster.dsn(name)
    try:
        migrate_to(dsn, 21)  # a server as it was before 0022, holding visits
        case = str(uuid.uuid4())
        visit = _row("cp_visit", case, {"visited_on": "2026-10-01", "access_denied": 0}, 1)
        gone = _row("cp_visit", case, {"visited_on": "2026-10-02"}, 2, deleted=True)
        rows = [visit, gone,
                _row("cp_visit_child", case, {"visit_id": visit[1], "person_id": "p1", "seen_alone": True}, 3),
                _row("cp_visit_child", case, {"visit_id": gone[1], "person_id": "p2", "seen_at_home": 1}, 4),
                _row("cp_visit_child", case, {"visit_id": visit[1], "person_id": "p3"}, 5, deleted=True)]
        with psycopg.connect(dsn) as conn:
            conn.cursor().executemany(
                "INSERT INTO rows (entity, id, case_id, scope_id, data, field_meta, version, seq, deleted,"
                " append_only, created_at, updated_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, now(), now())",
                rows)
        assert migrate(dsn) == [m.number for m in available() if m.number > 21]
        got = _same(dsn)
        assert [(r[3], r[4], r[5], r[6]) for r in sorted(got, key=lambda r: r[3])] == [
            ("p1", 1, None, "2026-10-01"), ("p2", None, 1, None)]
    finally:
        with psycopg.connect(pg_cluster.dsn(), autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def migrate_to(dsn: str, last: int) -> None:
    """Apply the shipped migrations up to ``last`` only, as :func:`server.migrator.migrate` would have."""
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("CREATE TABLE schema_migrations (number integer PRIMARY KEY, name text NOT NULL,"
                     " applied_at timestamptz NOT NULL DEFAULT now())")
        for mig in available():
            if mig.number <= last:
                with conn.transaction():
                    conn.execute(mig.path.read_text(encoding="utf-8"))
                    conn.execute("INSERT INTO schema_migrations (number, name) VALUES (%s, %s)",
                                 (mig.number, mig.name))
