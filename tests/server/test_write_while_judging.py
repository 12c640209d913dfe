"""Writing while judging (issue 22's push): once part of a push is judged, the rows and op-log entries that
are final are sent to PostgreSQL and the rest is judged meanwhile. The guarantees are the push's own: each
row written once with its final values (a row the later ops touch again waits for them), every op answered
with its row's final version and logged once with it, conflicts, quarantine and new cases as before, a
replay a no-op, and a puller's cursor never skipping a change while pushes run at once.

Pushes here are small, so the split is made to happen from two ops on (``WRITE_WHILE_JUDGING_MIN_OPS``);
each test runs with the split and without it, and must hold the same."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from server import apply
from tests.server.harness import Harness
from tests.server.test_pull import _slow_push_scenario, team  # noqa: F401 (a fixture)
from tests.server.test_pull import test_many_concurrent_pushes_while_paging_skip_nothing as many_pushes


@pytest.fixture(params=["at the end", "while judging"])
def split(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> bool:
    on = request.param == "while judging"
    monkeypatch.setattr(apply, "WRITE_WHILE_JUDGING_MIN_OPS", 2 if on else 10**9)
    monkeypatch.setattr(apply, "WRITE_WHILE_JUDGING_FROM", 0.5)
    return on


def test_a_push_written_in_parts_is_the_push_written_at_once(h: Harness, split: bool) -> None:
    h.team("A")
    h.user("wendy", "social_worker", "A")
    h.user("gwyn", "social_worker", "A")
    case = uuid.uuid4()
    h.allocate(case, "A", "wendy")
    w, g = h.login("wendy"), h.login("wendy", "laptop-2")
    c = str(case)
    plan = w.record(c, outline="o1")  # 0
    n1 = w.note(c, "one")  # 1
    w.update("cp_plan", plan, {"support": "s1"})  # 2: the plan again, still in the first part
    other = w.record(c, outline="q1")  # 3
    w._op("delete", "cp_core_group", n1, c, {}, {})  # 4: refused (append-only), kept in quarantine
    w.note(c, "three")  # 5
    # ---- the first part ends here (6 of 12 ops)
    w.update("cp_plan", other, {"support": "q2"})  # 6: a row of the first part touched again
    w.note(c, "four")  # 7
    w.update("cp_plan", plan, {"contingency": "c1"})  # 8: and the plan a third time
    new_case = str(uuid.uuid4())
    w.record(new_case, outline="new")  # 9: a case first seen in the last part
    w.note(c, "five")  # 10
    w.note(new_case, "in the new case")  # 11
    sent = list(w.outbox)
    results = w.push()
    assert [r["status"] for r in results] == ["applied"] * 4 + ["rejected"] + ["applied"] * 7

    rows = {r["id"]: r for r in h.sql("SELECT id::text, version, seq, data, field_meta FROM rows"
                                      " WHERE case_id IN (%s, %s)", (c, new_case))}  # fmt: skip
    assert len({r["seq"] for r in rows.values()}) == len(rows) == 8  # each row once, one number each
    by_row: dict[str, set[int]] = {}
    for op, res in zip(sent, results, strict=True):
        if res["status"] == "applied":
            assert res["version"] == rows[op["entity_id"]]["version"]  # the row's final version
            by_row.setdefault(op["entity_id"], set()).add(res["version"])
    assert all(len(v) == 1 for v in by_row.values())
    assert {k: rows[plan]["data"][k] for k in ("outline", "support", "contingency")} == {
        "outline": "o1", "support": "s1", "contingency": "c1"}
    assert {v for v, _ in rows[plan]["field_meta"]["f"].values()} == {rows[plan]["version"]}
    logged = {r["op_id"]: r for r in h.sql("SELECT op_id::text, seq, result FROM op_log")}
    applied = [op["op_id"] for op, res in zip(sent, results, strict=True) if res["status"] == "applied"]
    assert sorted(logged) == sorted(applied)  # every applied op once, the refused one not at all
    assert all(logged[op["op_id"]]["seq"] == rows[op["entity_id"]]["version"]
               for op in sent if op["op_id"] in logged)  # fmt: skip
    assert [r["attempts"] for r in h.sql("SELECT attempts FROM quarantine")] == [1]
    assert [r["worker"] for r in h.sql("SELECT u.username AS worker FROM cases c JOIN users u ON u.id = c.worker_id"
                                       " WHERE c.case_id = %s", (new_case,))] == ["wendy"]  # fmt: skip

    # A second laptop edits the plan from before all that: a conflict, in the first part of its push.
    g.rows[("cp_plan", plan)] = {"version": 1, "data": {"support": "s0"}, "deleted": False, "case_id": c}
    g.update("cp_plan", plan, {"support": "g1"})
    for n in range(3):
        g.note(c, f"g{n}")
    second = g.push()
    assert [r["status"] for r in second] == ["conflict", "applied", "applied", "applied"]
    conflicts = h.sql("SELECT field, server_value, client_value FROM conflicts")
    assert [(r["field"], r["server_value"], r["client_value"]) for r in conflicts] == [("support", "s1", "g1")]

    # The same push again changes nothing: every op a duplicate, answered with its first answer.
    before = h.sql("SELECT count(*) AS n, max(seq) AS s FROM rows")
    again = w.push_raw(sent).json()["results"]
    assert [r["status"] for r in again] == ["duplicate"] * 4 + ["rejected"] + ["duplicate"] * 7
    assert [r["original"] for r in again if r["status"] == "duplicate"] == [
        r for r in results if r["status"] == "applied"]
    assert h.sql("SELECT count(*) AS n, max(seq) AS s FROM rows") == before
    assert [r["attempts"] for r in h.sql("SELECT attempts FROM quarantine")] == [2]


def test_concurrent_pushes_written_in_parts_skip_nothing(h: Harness, team: Any, split: bool) -> None:  # noqa: F811
    many_pushes(h, team)


def test_a_slow_push_written_in_parts_is_never_skipped(h: Harness, team: Any, split: bool) -> None:  # noqa: F811
    pushed, seen = _slow_push_scenario(h, team)
    assert pushed == seen
