"""What a push's statements cost PostgreSQL, kept lower without changing what they keep (migration 0024,
issue 22's push): the children's visit facts are worked out once per statement (a transition table) rather
than once per row, and the op log is found by the row's id.

The facts must be exactly what the JSON gives whatever one statement holds: a child's row written before
its visit in the same statement, a visit and its children edited together, rows of every other kind among
them. And who changed a row, which fields and when, is still read from the op log by an index."""

from __future__ import annotations

import uuid
from typing import Any

from psycopg.types.json import Jsonb

from tests.server.harness import Harness
from tests.server.test_visit_facts import _same

_INSERT = ("INSERT INTO rows (entity, id, case_id, scope_id, data, field_meta, version, seq, append_only,"
           " created_at, updated_at) SELECT e, i, c, c, d, '{}', s, s, true, now(), now()"
           " FROM jsonb_to_recordset(%s) AS u(e text, i uuid, c uuid, d jsonb, s bigint)")  # fmt: skip


def test_one_statement_with_children_before_their_visits_reads_as_the_json(h: Harness) -> None:
    case = str(uuid.uuid4())
    visits = [str(uuid.uuid4()) for _ in range(3)]
    rows: list[dict[str, Any]] = []
    for n, visit in enumerate(visits):  # each visit's children come first in the statement
        for child in ("p1", "p2"):
            rows.append({"e": "cp_visit_child", "i": str(uuid.uuid4()), "c": case,
                         "d": {"visit_id": visit, "person_id": child, "seen_alone": n % 2, "seen_at_home": True}})
        rows.append({"e": "note", "i": str(uuid.uuid4()), "c": case, "d": {"text": "between"}})
        rows.append({"e": "cp_visit", "i": visit, "c": case,
                     "d": {"visited_on": f"2026-10-0{n + 1}", "access_denied": n == 2}})
    for seq, r in enumerate(rows, start=1):
        r["s"] = seq
    h.sql(_INSERT, (Jsonb(rows),))
    got = _same(h.db_url)
    assert sorted((r[3], r[6], r[7]) for r in got) == [
        ("p1", "2026-10-01", 0), ("p1", "2026-10-02", 0), ("p1", "2026-10-03", 1),
        ("p2", "2026-10-01", 0), ("p2", "2026-10-02", 0), ("p2", "2026-10-03", 1)]

    # One UPDATE over every kind at once: a visit's day moved, another deleted, a child deleted, notes edited.
    h.sql("UPDATE rows SET data = CASE WHEN id = %s THEN data || '{\"visited_on\": \"2026-09-30\"}'"
          " WHEN entity = 'note' THEN data || '{\"text\": \"edited\"}' ELSE data END,"
          " deleted = (id = %s) OR (entity = 'cp_visit_child' AND data->>'person_id' = 'p2'"
          "                         AND data->>'visit_id' = %s)",
          (visits[0], visits[1], visits[2]))  # fmt: skip
    got = _same(h.db_url)
    assert sorted((r[3], r[6] or "-", r[7]) for r in got) == [
        ("p1", "-", None), ("p1", "2026-09-30", 0), ("p1", "2026-10-03", 1),
        ("p2", "-", None), ("p2", "2026-09-30", 0)]
    # Back again: the visit undeleted, the child's row too.
    h.sql("UPDATE rows SET deleted = false WHERE case_id = %s", (case,))
    assert len(_same(h.db_url)) == 6


def test_a_rows_history_is_read_from_the_op_log_by_its_id(h: Harness) -> None:
    h.team("A")
    h.user("wendy", "social_worker", "A")
    w = h.login("wendy")
    case = str(uuid.uuid4())
    visit = w.visit(case)
    assert {r["status"] for r in w.push()} == {"applied"}
    h.sql("INSERT INTO ops (op_id, user_id, device_id, entity, entity_id, kind, status, seq, payload, result,"
          " received_at) SELECT gen_random_uuid(), gen_random_uuid(), 'd', 'note', gen_random_uuid(), 'insert',"
          " 'applied', g, '{}', '{}', now() FROM generate_series(1, 5000) AS g")  # fmt: skip
    h.sql("ANALYZE ops")
    query = "SELECT user_id, received_at, kind FROM op_log WHERE entity_id = %s AND entity = 'cp_visit'"
    plan = "\n".join(r["QUERY PLAN"] for r in h.sql("EXPLAIN " + query, (visit,)))
    assert "ops_entity_id" in plan, plan
    assert [r["kind"] for r in h.sql(query, (visit,))] == ["insert"]


def test_every_index_a_push_writes_is_one_something_reads(h: Harness) -> None:
    """Each index costs every push an entry per row; the op log keeps the two the server reads (the dedupe
    by op_id, a row's history by its id): ops_owner, read by nothing, is dropped (migration 0027). The row
    store's are each read by the pull or the administration path (docs/sync-protocol.md §3.1b)."""
    def indexes(table: str) -> set[str]:
        return {r["indexname"] for r in h.sql("SELECT indexname FROM pg_indexes WHERE tablename = %s", (table,))}

    assert indexes("ops") == {"ops_pkey", "ops_entity_id"}
    assert indexes("rows") == {"rows_pkey", "rows_seq", "rows_scope_seq", "rows_reference_seq", "rows_amendments",
                               "rows_member_case", "rows_member_person", "rows_person_creator"}
