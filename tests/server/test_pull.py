"""Pull: paging, the never-skip cursor guarantee under concurrent pushes, scope changes, verification."""

from __future__ import annotations

import base64
import json
import random
import threading
import time
import uuid

import pytest

from server import rowstore
from server.apply import PushHooks
from server.pull import row_hash
from tests.server.harness import Device, Harness


@pytest.fixture
def team(h: Harness) -> tuple[list[str], Device, Device]:
    """Two cases for wendy; a second worker; the team manager reads."""
    h.team("A")
    h.user("wendy", "social_worker", "A")
    h.user("gwyn", "social_worker", "A")
    h.user("mari", "team_manager", "A")
    cases = [uuid.uuid4(), uuid.uuid4()]
    for c in cases:
        h.allocate(c, "A", "wendy")
    return [str(c) for c in cases], h.login("wendy"), h.login("mari")


def test_paging_returns_every_row_once_in_order(h: Harness, team) -> None:
    (case, _), w, m = team
    ids = {w.note(case, {"i": i}) for i in range(57)}
    w.push()
    seen: list[str] = []
    versions: list[int] = []
    cursor = None
    while True:
        params = {"limit": 10, **({"cursor": cursor} if cursor else {})}
        page = m.get("/v1/pull", **params).json()
        seen += [c["id"] for c in page["changes"] if c["entity"] == "cp_core_group"]
        versions += [c["version"] for c in page["changes"]]
        cursor = page["cursor"]
        if not page["has_more"]:
            break
    assert set(seen) == ids and len(seen) == len(ids)
    assert versions == sorted(versions)
    # A no-op sync: nothing new after the end.
    page = m.get("/v1/pull", cursor=cursor).json()
    assert page["changes"] == [] and page["has_more"] is False
    # The same cursor asked twice gives the same answer (a lost response is simply asked for again).
    assert m.get("/v1/pull", cursor=cursor).json() == page


def _hold_push(
    h: Harness, d: Device, case: str, release: threading.Event, held: threading.Event
) -> threading.Thread:
    """Start a push from another thread that stops just before commit until ``release`` is set."""
    op_note = d.note(case, {"slow": True})
    ops = list(d.outbox)
    d.outbox.clear()

    armed = [True]  # only the first push to reach commit (the slow one) is held

    def before_commit(conn) -> None:
        if armed[0]:
            armed[0] = False
            held.set()
            release.wait(10)

    h.app.state.push_hooks = PushHooks(before_commit=before_commit)
    t = threading.Thread(target=lambda: d.push_raw(ops), name="slow-push")
    t.start()
    assert held.wait(10)
    t.op_note = op_note  # type: ignore[attr-defined]
    return t


def _wait_for(condition, timeout: float = 10.0) -> None:
    """Poll ``condition`` until it holds (a condition, never a fixed sleep); fail after ``timeout``."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "the condition never held"
        time.sleep(0.01)


def _slow_push_scenario(h: Harness, team, *, locked: bool = True) -> tuple[set[str], set[str]]:
    """A slow push holds its transaction open; a fast push and pulls run meanwhile. Returns
    (ids pushed, ids the reader saw by following its cursor)."""
    (case, _), w, m = team
    w.note(case, {"first": True})
    w.push()
    m.pull()
    g = h.login("wendy", "laptop-2")
    release, held = threading.Event(), threading.Event()
    slow = _hold_push(h, w, case, release, held)
    fast_id = g.note(case, {"fast": True})
    fast = threading.Thread(target=g.push, name="fast-push")
    fast.start()
    if locked:  # the change-log lock is held by the slow push: the fast one waits for it in PostgreSQL
        _wait_for(lambda: h.sql("SELECT count(*) AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                                " AND wait_event = 'advisory'")[0]["n"] == 1)
        assert fast.is_alive()
    else:  # nothing serialises them: the fast push commits while the slow one is still open
        fast.join(10)
        assert not fast.is_alive()
    m.pull()
    release.set()
    slow.join(10)
    fast.join(10)
    m.pull()
    seen = {k[1] for k in m.rows if k[0] == "cp_core_group"}
    pushed = {k[1] for k in w.rows if k[0] == "cp_core_group"} | {fast_id}
    return pushed, seen


def test_concurrent_slow_push_is_never_skipped(h: Harness, team) -> None:
    pushed, seen = _slow_push_scenario(h, team)
    assert pushed == seen


def test_without_the_change_log_lock_a_change_is_skipped(h: Harness, team, monkeypatch) -> None:
    """The test above has teeth: remove the lock and the reader's cursor jumps over the slow change."""
    monkeypatch.setattr(rowstore, "lock_change_log", lambda conn: None)
    pushed, seen = _slow_push_scenario(h, team, locked=False)
    assert pushed - seen, "expected the unserialised store to skip the slow change"


def test_many_concurrent_pushes_while_paging_skip_nothing(h: Harness, team) -> None:
    (case, case2), w, m = team
    devices = [h.login("wendy", f"laptop-{i}") for i in range(4)]
    rng = random.Random(7)

    def jitter(conn) -> None:
        time.sleep(rng.uniform(0, 0.02))  # widen the window between drawing seqs and committing

    h.app.state.push_hooks = PushHooks(before_commit=jitter)
    pushed: set[str] = set()
    lock = threading.Lock()

    def pusher(d: Device) -> None:
        for _ in range(8):
            ids = [d.note(rng.choice([case, case2]), {"n": 1}) for _ in range(5)]
            d.push()
            with lock:
                pushed.update(ids)

    threads = [threading.Thread(target=pusher, args=(d,)) for d in devices]
    for t in threads:
        t.start()
    while any(t.is_alive() for t in threads):
        m.pull(limit=7)
    for t in threads:
        t.join()
    m.pull(limit=7)
    assert {k[1] for k in m.rows if k[0] == "cp_core_group"} == pushed
    assert len(pushed) == 4 * 8 * 5


def _checksum(d: Device) -> tuple[int, str]:
    x = 0
    for (entity, rid), row in d.rows.items():
        x ^= row_hash(entity, rid, row["version"])
    return len(d.rows), format(x, "016x")


def test_verify_matches_client_copy(h: Harness, team) -> None:
    (case, case2), w, m = team
    w.insert("cp_plan", case, {"stage": "detailed", "version_no": 1, "contingency": "low"}, entity_id=case)
    pid = w.insert("person", None, {"family_name": "Dylan"})
    w.member(case, pid)
    w.insert("address", None, {"person_id": pid, "line1": "1 Stryd Fawr"})
    w.note(case2, {"t": 1})
    w.push()
    w.update("cp_plan", case, {"contingency": "high"})
    w.push()
    w.pull()
    v = w.get("/v1/verify").json()
    n, x = _checksum(w)
    assert v["total"] == {"rows": n, "deleted": 0, "checksum": x}
    assert v["cases"][case]["rows"] == 2 and v["cases"][case2]["rows"] == 1
    # Reference rows: the team and its three users, published by the administration path.
    assert v["persons"][pid]["rows"] == 2 and v["reference"]["rows"] == 4
    # A stale local version is detected.
    w.rows[("cp_plan", case)]["version"] -= 1
    assert _checksum(w)[1] != v["total"]["checksum"]


def test_reallocation_removes_case_and_backfills_new_holder(h: Harness, team) -> None:
    (case, case2), w, m = team
    pid = w.insert("person", None, {"family_name": "Dylan"})
    w.member(case, pid)
    notes = {w.note(case, {"i": i}) for i in range(5)}
    w.note(case2, {"i": 99})
    w.push()
    g = h.login("gwyn")
    g.pull()
    assert not any(v["case_id"] for v in g.rows.values())
    w.pull()
    # Re-allocate the first case from wendy to gwyn.
    h.allocate(uuid.UUID(case), "A", "gwyn")
    w.note(case2, {"i": 100})
    w.push()
    w.pull()
    assert {"type": "remove_case", "case_id": case} in w.removed
    assert {"type": "remove_person", "person_id": pid} in w.removed
    assert not any(v["case_id"] == case for v in w.rows.values())
    assert g.pull(limit=2) >= 7  # back-filled in pages: person, member, 5 notes
    assert notes <= {k[1] for k in g.rows}
    assert ("person", pid) in g.rows
    # Both copies verify.
    for d in (w, g):
        v = d.get("/v1/verify").json()
        assert (v["total"]["rows"], v["total"]["checksum"]) == _checksum(d)


def test_linking_an_existing_person_backfills_them(h: Harness, team) -> None:
    (case, _), w, m = team
    case2 = str(uuid.uuid4())  # gwyn's case, never wendy's
    h.allocate(uuid.UUID(case2), "A", "gwyn")
    g = h.login("gwyn")
    pid = g.insert("person", None, {"family_name": "Nia"})
    g.member(case2, pid)
    g.insert("address", None, {"person_id": pid, "line1": "2 Heol"})
    g.push()
    w.pull()
    assert ("person", pid) not in w.rows
    # Wendy cannot link a person she cannot see (that would open a path to Nia's data) ...
    w.member(case, pid)
    assert w.push()[0]["reason"] == "out_of_scope"
    w.outbox.clear()
    # ... the team manager, who holds both cases, can: Nia then enters wendy's scope, back-filled.
    m.pull()
    m.member(case, pid)  # Nia is also in wendy's case
    assert m.push()[0]["status"] == "applied"
    w.pull()
    assert ("person", pid) in w.rows and any(k[0] == "address" for k in w.rows)


def test_invalid_cursors_are_400(h: Harness, team) -> None:
    _, w, _ = team
    good = w.get("/v1/pull").json()["cursor"]
    prefix, body, mac = good.split(".")
    payload = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))

    def forged(**over: object) -> str:
        raw = json.dumps({**payload, **over}, separators=(",", ":")).encode()
        return f"c2.{base64.urlsafe_b64encode(raw).decode().rstrip('=')}.{mac}"

    bad: list[str] = ["", "x", "c1.", "c1.!!!", "c1.eyJuIjotMX0", "c1." + "A" * 600, good + "\n", good + "x",
                      f"{prefix}.{body}.{mac[:-2]}", f"{prefix}.{body}\x00.{mac}", f"{prefix}.{body}.{mac}.x",
                      forged(n=0), forged(r="a" * 31 + "\x00"), forged(r="\ud800" * 32), forged(a="A" * 32)]
    before = h.sql("SELECT count(*) AS n FROM scope_snapshots")[0]["n"]
    for cursor in bad:
        r = w.get("/v1/pull", cursor=cursor)
        if len(cursor) > 512:  # longer than the declared parameter allows
            assert r.status_code == 422 and r.json()["path"] == "cursor", r.text
            continue
        assert r.status_code == 400, (cursor, r.text)
        assert r.json()["error"] == "invalid_cursor"
    assert h.sql("SELECT count(*) AS n FROM scope_snapshots")[0]["n"] == before  # nothing changed
    # A cursor is the user's own: someone else's is refused too.
    mari = h.login("mari")
    assert mari.get("/v1/pull", cursor=good).json()["error"] == "invalid_cursor"
    assert w.get("/v1/pull", cursor=good).status_code == 200


@pytest.mark.parametrize("limit", ["0", "-1", "abc", "5001", "1e3", "¹", "٣", "9" * 5000])
def test_invalid_limits_are_422(h: Harness, team, limit: str) -> None:
    _, w, _ = team
    assert w.get("/v1/pull", limit=limit).status_code == 422
