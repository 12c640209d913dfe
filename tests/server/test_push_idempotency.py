"""Each op is applied at most once: re-pushes and interrupted batches are harmless and converge."""

from __future__ import annotations

import uuid

import pytest

from server.apply import PushHooks, apply_batch
from server.auth import user_for_token
from server.db import run_tx
from server.wire import parse_push
from tests.server.harness import Device, Harness


@pytest.fixture
def worker(h: Harness) -> tuple[str, Device]:
    h.team("A")
    h.user("wendy", "social_worker", "A")
    case = uuid.uuid4()
    h.allocate(case, "A", "wendy")
    return str(case), h.login("wendy")


def test_repeated_push_is_harmless(h: Harness, worker) -> None:
    case, d = worker
    d.insert("cp_plan", case, {"stage": "detailed", "version_no": 1, "contingency": "low"}, entity_id=case)
    d.note(case, {"text": "first"})
    d.update("cp_plan", case, {"contingency": "high"})
    ops = list(d.outbox)
    first = d.push_raw(ops).json()["results"]
    assert [r["status"] for r in first] == ["applied"] * 3
    state = h.sql("SELECT entity, version, data FROM rows ORDER BY entity")
    for _ in range(3):
        again = d.push_raw(ops).json()["results"]
        assert [r["status"] for r in again] == ["duplicate"] * 3
        assert [r["original"]["status"] for r in again] == ["applied"] * 3
    assert h.sql("SELECT entity, version, data FROM rows ORDER BY entity") == state
    assert h.count("ops") == 3


def test_same_op_twice_in_one_batch(h: Harness, worker) -> None:
    case, d = worker
    d.note(case, {"text": "x"})
    op = d.outbox[0]
    res = d.push_raw([op, op]).json()["results"]
    assert [r["status"] for r in res] == ["applied", "duplicate"]
    assert h.count_case_rows() == 1


def test_interrupted_batch_rolls_back_and_resend_converges(h: Harness, worker) -> None:
    case, d = worker
    d.insert("cp_plan", case, {"stage": "detailed", "version_no": 1, "contingency": "low"}, entity_id=case)
    for i in range(10):
        d.note(case, {"text": f"note {i}"})
    d.update("cp_plan", case, {"contingency": "high"})
    body = parse_push({"ops": d.outbox}, 1000)

    class Crash(Exception):
        pass

    def crash_at_7(i: int) -> None:
        if i == 7:
            raise Crash  # the connection drops mid-batch

    def run(conn):
        user = user_for_token(conn, d.token, h.clock())
        return apply_batch(conn, h.settings, user, body.ops, PushHooks(after_op=crash_at_7))

    with pytest.raises(Crash):
        run_tx(h.pool, run)
    assert h.count_case_rows() == 0 and h.count("ops") == 0  # nothing half-applied

    # Crash after the sequence numbers were drawn, just before commit: still nothing visible.
    def crash_before_commit(conn):
        raise Crash

    h.app.state.push_hooks = PushHooks(before_commit=crash_before_commit)
    with pytest.raises(Crash):
        d.push_raw(d.outbox)
    h.app.state.push_hooks = None
    assert h.count_case_rows() == 0 and h.count("ops") == 0

    results = d.push()
    assert [r["status"] for r in results] == ["applied"] * 12
    assert d.push_raw([o.raw for o in body.ops]).json()["results"][0]["status"] == "duplicate"
    d.pull()
    assert d.rows[("cp_plan", case)]["data"]["contingency"] == "high"
    assert sum(1 for k in d.rows if k[0] == "cp_core_group") == 10


def test_partially_acknowledged_batch_resent_whole(h: Harness, worker) -> None:
    """The client lost the response of a committed push and resends it with more ops appended."""
    case, d = worker
    d.insert("cp_plan", case, {"stage": "detailed", "version_no": 1, "contingency": "low"}, entity_id=case)
    d.push_raw(list(d.outbox))  # committed, but pretend the reply never arrived
    d.update("cp_plan", case, {"contingency": "high"})
    res = d.push()
    assert [r["status"] for r in res] == ["duplicate", "applied"]
    d.pull()
    assert d.rows[("cp_plan", case)]["data"]["contingency"] == "high"


def test_same_batch_pushed_concurrently_applies_once(h: Harness, worker) -> None:
    """A retry racing the original (e.g. a timed-out request still running) is answered as a duplicate."""
    import threading

    case, d = worker
    new_case = str(uuid.uuid4())  # also races the registration of a case first seen in a push
    d.insert("cp_plan", new_case, {"stage": "detailed", "version_no": 1, "contingency": "low"}, entity_id=new_case)
    for i in range(20):
        d.note(case, {"i": i})
    ops = list(d.outbox)
    out: list[list[str]] = []

    def go() -> None:
        r = d.push_raw(ops)
        assert r.status_code == 200, r.text
        out.append([x["status"] for x in r.json()["results"]])

    threads = [threading.Thread(target=go) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(out) == [["applied"] * 21] + [["duplicate"] * 21] * 3
    assert h.count("ops") == 21 and h.count_case_rows() == 21
