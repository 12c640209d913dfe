"""Field versions kept compactly and the op log storing each change once (migration 0023, issue 22's push).

What a server held before 0023 is converted: every field's version, writer, device and time still read
back as they were, and the view ``op_log`` gives every op as sent and its answer exactly as the op log
stored them before. After it, an op pushed is logged once, a replayed push is answered from the log with
the first answer, and a conflict against a converted row still names who wrote the server's value, when."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from psycopg.rows import dict_row
from psycopg.types.json import Jsonb

from server.devdb import TempCluster
from server.migrator import available, migrate
from server.rowstore import unpack_meta
from tests.server.harness import Clock, Harness
from tests.server.test_visit_facts import migrate_to

W_USER, M_USER = str(uuid.uuid4()), str(uuid.uuid4())
T1, T2 = "2026-11-20T09:00:00+00:00", "2026-11-21T15:30:00.250000+00:00"


def _stamp(v: int | None, by: str | None, dev: str, at: str) -> dict[str, Any]:
    return {"v": v, "by": by, "dev": dev, "at": at}


@pytest.fixture
def old_db(pg_cluster: TempCluster) -> Iterator[str]:
    """A database as a server before 0023 left it (migrations up to 0022 only)."""
    name = f"t_{uuid.uuid4().hex[:16]}"
    with psycopg.connect(pg_cluster.dsn(), autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    dsn = pg_cluster.dsn(name)
    migrate_to(dsn, 22)
    yield dsn
    with psycopg.connect(pg_cluster.dsn(), autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def _old_row(conn: psycopg.Connection[Any], entity: str, case: str, row_id: str, data: dict[str, Any],
             meta: dict[str, Any], version: int, append_only: bool = False) -> None:  # fmt: skip
    conn.execute(
        "INSERT INTO rows (entity, id, case_id, scope_id, data, field_meta, version, seq, append_only,"
        " created_at, updated_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, now(), now())",
        (entity, row_id, case, case, Jsonb(data), Jsonb(meta), version, version, append_only))


def _old_op(conn: psycopg.Connection[Any], payload: dict[str, Any], result: dict[str, Any], user: str) -> None:
    """An op-log row as the code before 0023 wrote it: the whole op as sent and the whole answer."""
    conn.execute(
        "INSERT INTO ops (op_id, user_id, device_id, entity, entity_id, case_id, kind, status, seq, payload,"
        " result, received_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, now())",
        (payload["op_id"], user, payload["device_id"], payload["entity"], payload["entity_id"],
         payload["case_id"], payload["kind"], result["status"], result.get("version"), Jsonb(payload),
         Jsonb(result)))  # fmt: skip


def _op(kind: str, entity: str, entity_id: str, case: str | None, fields: dict[str, Any], actor: str,
        device: str, **more: Any) -> dict[str, Any]:  # fmt: skip
    return {"op_id": str(uuid.uuid4()), "entity": entity, "entity_id": entity_id, "case_id": case, "kind": kind,
            "fields": fields, "base": more.pop("base", {}), "base_version": more.pop("base_version", 0),
            "append_only": more.pop("append_only", False), "actor": actor, "device_id": device,
            "local_time": "2026-11-21T15:29:00", **more}  # fmt: skip


def test_the_migration_keeps_every_fields_writer_and_every_op_as_it_was(old_db: str) -> None:
    case, plan, visit = str(uuid.uuid4()), str(uuid.uuid4()), str(uuid.uuid4())
    plan_meta = {"stage": _stamp(3, W_USER, "w-laptop", T1), "contingency": _stamp(7, M_USER, "m-laptop", T2),
                 "outline": _stamp(3, W_USER, "w-laptop", T1), "support": _stamp(5, None, "server:admin", T2),
                 "_row": _stamp(3, W_USER, "w-laptop", T1)}  # fmt: skip
    visit_meta = {"visited_on": _stamp(8, W_USER, "w-laptop", T2), "_row": _stamp(8, W_USER, "w-laptop", T2)}
    ops = [
        (_op("insert", "cp_visit", visit, case, {"visited_on": "2026-11-20"}, W_USER, "w-laptop",
             append_only=True, extra_key={"kept": [1, 2]}),
         {"status": "applied", "applied_fields": ["visited_on"], "version": 8}, W_USER),
        (_op("update", "cp_plan", plan, case, {"contingency": "low"}, M_USER, "m-laptop",
             base={"contingency": "medium"}, base_version=3),
         {"status": "conflict", "applied_fields": [], "version": 7,
          "conflicts": [{"conflict_id": str(uuid.uuid4()), "field": "contingency"}]}, M_USER),
        (_op("insert", "person", str(uuid.uuid4()), None, {"family_name": "Jones"}, W_USER, "w-laptop"),
         {"status": "applied", "applied_fields": ["family_name"], "version": 9, "adjusted": {"n": 2}}, W_USER),
    ]  # fmt: skip
    with psycopg.connect(old_db) as conn:
        _old_row(conn, "cp_plan", case, plan, {"stage": "detailed", "contingency": "high"}, plan_meta, 7)
        _old_row(conn, "cp_visit", case, visit, {"visited_on": "2026-11-20"}, visit_meta, 8, append_only=True)
        _old_row(conn, "cp_visit", case, str(uuid.uuid4()), {"visited_on": "2026-11-19"}, {}, 2, append_only=True)
        for payload, result, user in ops:
            _old_op(conn, payload, {"op_id": payload["op_id"], **result}, user)
    assert migrate(old_db) == [m.number for m in available() if m.number > 22]

    with psycopg.connect(old_db, row_factory=dict_row) as conn:
        stored = {r["id"]: r["field_meta"] for r in conn.execute("SELECT id::text, field_meta FROM rows")}
        assert unpack_meta(stored[plan]) == plan_meta  # every field: version, writer, device, time
        assert unpack_meta(stored[visit]) == visit_meta
        assert len(stored[plan]["w"]) == 3 and len(stored[visit]["w"]) == 1  # each writer once
        assert [k for k in stored.values() if not k] == [{}]  # a row stored with no versions stays so
        for payload, result, _user in ops:
            logged = conn.execute("SELECT payload, result FROM op_log WHERE op_id = %s", (payload["op_id"],)).fetchone()
            assert logged == {"payload": payload, "result": {"op_id": payload["op_id"], **result}}
            kept = conn.execute("SELECT payload, result FROM ops WHERE op_id = %s", (payload["op_id"],)).fetchone()
            assert kept is not None
            assert not {"op_id", "entity", "entity_id", "case_id", "kind", "actor", "device_id"} & set(kept["payload"])
            assert not {"op_id", "status", "version"} & set(kept["result"])


def test_a_conflict_against_a_converted_row_names_who_wrote_the_server_value(old_db: str) -> None:
    case, plan = uuid.uuid4(), str(uuid.uuid4())
    meta = {"stage": _stamp(3, W_USER, "w-laptop", T1), "contingency": _stamp(3, W_USER, "w-laptop", T1),
            "_row": _stamp(3, W_USER, "w-laptop", T1)}  # fmt: skip
    with psycopg.connect(old_db) as conn:
        _old_row(conn, "cp_plan", str(case), plan, {"stage": "detailed", "version_no": 1, "contingency": "high"},
                 meta, 3)  # fmt: skip
        conn.execute("SELECT setval('change_seq', 3)")
    migrate(old_db)
    h = Harness(old_db, Clock())
    try:
        h.team("A")
        h.user("mari", "team_manager", "A")
        h.allocate(case, "A")
        m = h.login("mari", "m-laptop")
        op = _op("update", "cp_plan", plan, str(case), {"contingency": "low"}, m.user_id, "m-laptop",
                 base={"contingency": "medium"}, base_version=3)  # fmt: skip
        (res,) = m.push_raw([op]).json()["results"]
        assert res["status"] == "conflict"
        (c,) = m.get("/v1/conflicts").json()["conflicts"]
        assert (c["server_value"], c["server_by"], c["server_device"]) == ("high", W_USER, "w-laptop")
        assert c["server_at"] == T1 and (c["client_value"], c["client_by"]) == ("low", m.user_id)
    finally:
        h.close()


def test_each_change_is_logged_once_and_a_replayed_push_gets_the_first_answers(h: Harness) -> None:
    h.team("A")
    h.user("wendy", "social_worker", "A")
    case = uuid.uuid4()
    h.allocate(case, "A", "wendy")
    w = h.login("wendy", "w-laptop")
    visit = w.visit(str(case))
    w.outbox[-1]["fields"]["id"] = visit  # an id-like key the row does not keep as data
    w.record(str(case), entity_id=str(case), outline="first")
    sent = [dict(o) for o in w.outbox]
    first = w.push()
    assert [r["status"] for r in first] == ["applied", "applied"]
    update = w.update("cp_plan", str(case), {"outline": "second", "support": "daily"})
    (changed,) = w.push()
    assert changed["status"] == "applied" and changed["applied_fields"] == ["outline", "support"]

    # Stored once: the visit's values only in its row; each op's columns not again in its JSON.
    kept = {r["op_id"]: r for r in h.sql("SELECT op_id::text, payload, result FROM ops")}
    assert len(kept) == 3
    assert kept[sent[0]["op_id"]]["payload"]["fields"] == {"id": visit}
    assert kept[sent[0]["op_id"]]["payload"]["fields_in_row"] is True
    assert kept[sent[1]["op_id"]]["payload"]["fields"] == sent[1]["fields"]  # a row that may change keeps them
    # ... and whole again through the view: the op as sent, the answer as given.
    logged = {r["op_id"]: r for r in h.sql("SELECT op_id::text, payload, result FROM op_log")}
    for op, res in [*zip(sent, first, strict=True), (update, changed)]:
        assert logged[op["op_id"]]["payload"] == op
        assert logged[op["op_id"]]["result"] == res

    # The whole push again (a retry after a lost answer): every op a duplicate with its first answer.
    again = w.push_raw([*sent, update]).json()["results"]
    assert [r["status"] for r in again] == ["duplicate"] * 3
    assert [r["original"] for r in again] == [*first, changed]
    assert h.count("ops") == 3
    fields = h.sql("SELECT field_meta FROM rows WHERE id = %s", (case,))[0]["field_meta"]
    meta = unpack_meta(fields)
    assert meta["outline"]["v"] == changed["version"] and meta["stage"]["v"] == first[1]["version"]
    assert {m["by"] for m in meta.values()} == {w.user_id} and {m["dev"] for m in meta.values()} == {"w-laptop"}
