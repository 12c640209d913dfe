"""A push's lookups by key stay lookups by key as the server fills (issue 22): the op ids seen or refused
before and the rows to lock are found through their primary keys, one key after another.

Before, the form ``x IN (SELECT ... FROM jsonb_...)``, prepared, kept a plan scanning the whole op log (and
row store) with a hash join, and a push cost more the more the server held. Now the statements are
planned afresh each push (never prepared, so no plan made on small tables stays) and each plan probes the
index once the table is more than a page or two."""

from __future__ import annotations

import uuid

import orjson
import psycopg
import pytest
from psycopg import sql

from server.apply import REFUSED_SQL, SEEN_SQL
from server.rowstore import LOAD_LOCKED_SQL, LOAD_SQL
from tests.server.harness import Harness

_FILL_ROWS = ("INSERT INTO rows (entity, id, case_id, scope_id, data, field_meta, version, seq, append_only,"
              " created_at, updated_at) SELECT 'cp_visit', gen_random_uuid(), NULL, NULL, '{}', '{}', g, g, true,"
              " now(), now() FROM generate_series(%s::bigint, %s::bigint) AS g")  # fmt: skip
_FILL_OPS = ("INSERT INTO ops (op_id, user_id, device_id, entity, entity_id, kind, status, seq, payload, result,"
             " received_at) SELECT gen_random_uuid(), gen_random_uuid(), 'd', entity, id, 'insert', 'applied',"
             " seq, '{}', '{}', now() FROM rows WHERE seq BETWEEN %s::bigint AND %s::bigint")  # fmt: skip


def _fill(conn: psycopg.Connection, first: int, last: int) -> None:
    conn.execute(_FILL_ROWS, (first, last))
    conn.execute(_FILL_OPS, (first, last))
    conn.execute("INSERT INTO quarantine (op_id, user_id, device_id, entity, entity_id, reason, message, payload,"
                 " first_received_at, last_received_at) SELECT op_id, user_id, device_id, entity, entity_id, 'x',"
                 " 'x', '{}', now(), now() FROM ops WHERE seq BETWEEN %s::bigint AND %s::bigint", (first, last))  # fmt: skip


@pytest.mark.parametrize(("statement", "table", "index"), [
    (SEEN_SQL, "ops", "ops_pkey"), (REFUSED_SQL, "quarantine", "quarantine_pkey"),
    (LOAD_SQL, "rows", "rows_pkey"), (LOAD_LOCKED_SQL, "rows", "rows_pkey")])  # fmt: skip
def test_each_key_is_looked_up_by_its_primary_key_as_the_tables_grow(db_url: str, statement: str, table: str,
                                                                      index: str) -> None:  # fmt: skip
    with psycopg.connect(db_url) as conn:
        _fill(conn, 1, 40)  # a new server: a few rows, analysed
        conn.execute("ANALYZE")
        _fill(conn, 41, 20_000)  # ... then a day's pushes before the statistics are gathered again
        ids = [str(uuid.uuid4()) for _ in range(250)]
        arg = [{"e": "cp_visit", "i": i} for i in ids] if table == "rows" else ids
        literal = sql.Literal(orjson.dumps(arg).decode())
        query = sql.SQL("EXPLAIN " + statement.replace("%s", "{}")).format(literal)  # type: ignore[arg-type]
        plan = "\n".join(r[0] for r in conn.execute(query).fetchall())
    assert f"Index Scan using {index} on {table}" in plan, plan
    assert f"Seq Scan on {table}" not in plan and "Hash" not in plan, plan


def test_the_lookups_are_never_prepared(h: Harness) -> None:
    """A prepared statement would keep a plan made while the tables were small (psycopg prepares a query
    from its sixth execution on a connection); pushes through one pooled connection must leave none."""
    h.team("A")
    h.user("wendy", "social_worker", "A")
    case = uuid.uuid4()
    h.allocate(case, "A", "wendy")
    w = h.login("wendy", "w-laptop")
    for _ in range(8):
        w.visit(str(case))
        assert [r["status"] for r in w.push()] == ["applied"]
    with h.pool.connection() as conn:
        kept = [r["statement"] for r in conn.execute("SELECT statement FROM pg_prepared_statements").fetchall()]
        assert kept, "the pool's connection prepares the push's other statements"  # the check can see them
        assert not [s for s in kept if "CROSS JOIN LATERAL" in s], kept
