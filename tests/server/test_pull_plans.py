"""A laptop's own rows are read by the (scope_id, seq) index whatever plan PostgreSQL keeps and whatever
statistics it has (issue 22, the country: PostgreSQL's CPU per laptop).

As ``seq > n AND scope_id = ANY(units) ORDER BY seq LIMIT k``, the plan psycopg's prepared statement
kept in a database never analysed (one just loaded or restored) walked the whole seq index from n on and
filtered every row: 5,000 buffers a pull in the country bench, where the rows of the laptop's units are
about 40. Now each unit is one range of the (scope_id, seq) index (``server/pull.py`` ``_MINE_SQL``)."""

from __future__ import annotations

import hashlib
import re
import uuid

import psycopg
import pytest

from server.pull import _MINE_SQL

_FILL = ("INSERT INTO rows (entity, id, case_id, scope_id, data, field_meta, version, seq, append_only,"
         " created_at, updated_at) SELECT 'cp_visit', gen_random_uuid(), s, s, '{}', '{}', 1, nextval('change_seq'),"
         " true, now(), now() FROM (SELECT (md5((g %% %s::int)::text))::uuid AS s FROM generate_series(1, %s::int) AS g) AS x")  # fmt: skip


def _prepared(statement: str) -> str:
    """``statement`` as a PREPARE with the parameter types the pull sends (units, n, entities twice,
    the limit twice)."""
    numbered = iter(range(1, 100))
    body = re.sub("%s", lambda _m: f"${next(numbered)}", statement)
    return f"PREPARE mine (uuid[], bigint, text[], text[], bigint, bigint) AS {body}"


@pytest.mark.parametrize("analysed", [False, True])
def test_a_pull_reads_its_units_rows_by_the_scope_index_under_any_plan(db_url: str, analysed: bool) -> None:
    with psycopg.connect(db_url, autocommit=True) as conn:
        conn.execute(_FILL, (2_000, 40_000))  # 2,000 units of 20 rows each, in sequence order interleaved
        if analysed:
            conn.execute("ANALYZE rows")
        units = [uuid.UUID(hex=hashlib.md5(str(g).encode()).hexdigest()) for g in range(12)]
        conn.execute(_prepared(_MINE_SQL))
        cur = psycopg.ClientCursor(conn)  # EXPLAIN EXECUTE takes its arguments as literals
        for mode in ("force_generic_plan", "force_custom_plan"):
            conn.execute(f"SET plan_cache_mode = {mode}")
            for n in (0, 39_000):
                plan = "\n".join(r[0] for r in cur.execute(
                    "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF, TIMING OFF) EXECUTE mine(%s, %s, NULL, NULL, 5000, 5000)",
                    (units, n)).fetchall())  # fmt: skip
                assert "rows_scope_seq" in plan, plan
                assert "using rows_seq " not in plan, plan
                got = [r[0] for r in cur.execute("EXECUTE mine(%s, %s, NULL, NULL, 5000, 5000)", (units, n))]
                plain = [r[0] for r in conn.execute(
                    "SELECT seq FROM rows WHERE seq > %s AND scope_id = ANY(%s) ORDER BY seq", (n, units))]
                assert got == plain and len(plain) == (240 if n == 0 else len(plain)) and plain, plan
                found = re.search(r"Buffers: shared hit=(\d+)", plan)
                assert found, plan
                # each unit's index range and the heap pages of its rows (one page a row here), not the table
                assert int(found.group(1)) <= len(plain) + 12 * 4, plan
