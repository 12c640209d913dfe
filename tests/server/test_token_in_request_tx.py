"""The token check is folded into each request's own transaction (one connection checkout, no separate
transaction), and never cached: a token ended on any instance stops the very next request, and a
transaction run again after a lost race checks the token again."""

from __future__ import annotations

import asyncio
import uuid

import psycopg
import pytest
from fastapi.testclient import TestClient

from server import admin
from server.app import create_app
from server.apply import PushHooks
from server.db import DbConn, Retry, make_pool
from tests.server.harness import Device, Harness


@pytest.fixture
def wendy(h: Harness) -> tuple[str, Device]:
    h.team("A")
    h.user("wendy", "social_worker", "A")
    h.user("ada", "senior_manager", None, is_admin=True)
    case = uuid.uuid4()
    h.allocate(case, "A", "wendy")
    return str(case), h.login("wendy")


def _checkouts(h: Harness) -> int:
    return int(h.pool.get_stats().get("requests_num", 0))


def _connections_out(h: Harness) -> int:
    stats = h.pool.get_stats()
    return int(stats["pool_size"] - stats["pool_available"])


def test_the_token_is_read_in_the_transaction_that_does_the_work(h: Harness, wendy: tuple[str, Device]) -> None:
    """The push's own transaction has read the tokens table (PostgreSQL's per-transaction counters),
    and a request checks out one connection, not one for the token and another for the work."""
    case, d = wendy
    seen: list[int] = []

    def count_token_reads(conn: DbConn) -> None:
        row = conn.execute("SELECT coalesce(seq_scan, 0) + coalesce(idx_scan, 0) AS n FROM pg_stat_xact_user_tables"
                           " WHERE relname = 'tokens'").fetchone()  # fmt: skip
        seen.append(int(row["n"]) if row else 0)

    h.app.state.push_hooks = PushHooks(before_commit=count_token_reads)
    d.note(case, {"text": "seen"})
    before = _checkouts(h)
    assert [r["status"] for r in d.push()] == ["applied"]
    assert _checkouts(h) - before == 1
    assert seen and seen[0] >= 1, seen  # the token was read in this very transaction
    d.pull()
    for method, path in (("GET", "/v1/pull"), ("GET", "/v1/me"), ("GET", "/v1/verify"), ("POST", "/v1/logout")):
        before = _checkouts(h)
        r = h.http.request(method, path, headers=d.auth)
        assert r.status_code == 200, (path, r.text)
        assert _checkouts(h) - before == 1, path
    assert _connections_out(h) == 0


def test_a_token_ended_on_another_instance_stops_the_next_request(h: Harness, wendy: tuple[str, Device]) -> None:
    """Logout or a disabled user, written through another connection (another instance): the next read
    and the next write are refused at once, and nothing of the write is stored."""
    case, d = wendy
    assert h.http.get("/v1/me", headers=d.auth).status_code == 200
    with psycopg.connect(h.db_url) as other:  # another instance's logout
        other.execute("DELETE FROM tokens WHERE user_id = %s", (uuid.UUID(d.user_id),))
    d.note(case, {"text": "never stored"})
    assert d.push_raw(d.outbox).status_code == 401
    assert h.http.get("/v1/pull", headers=d.auth).status_code == 401
    assert h.count("ops") == 0 and h.count_case_rows() == 0

    d2 = h.login("wendy")
    assert h.http.get("/v1/pull", headers=d2.auth).status_code == 200
    h.admin(admin.set_active, "wendy", False)  # disabled (through its own connection)
    assert d2.push_raw(d.outbox).status_code == 401
    assert h.http.get("/v1/pull", headers=d2.auth).status_code == 401
    assert h.count("ops") == 0 and h.count_case_rows() == 0
    assert _connections_out(h) == 0


def test_a_transaction_run_again_checks_the_token_again(h: Harness, wendy: tuple[str, Device]) -> None:
    """The push loses a race (``Retry``) just as the token is ended elsewhere: the run again is refused
    (401) and nothing is stored; with the token still good the run again applies the push."""
    case, d = wendy
    calls: list[int] = []

    def lose_once_and_log_out(conn: DbConn) -> None:
        calls.append(1)
        if len(calls) == 1:
            with psycopg.connect(h.db_url) as other:
                other.execute("DELETE FROM tokens WHERE user_id = %s", (uuid.UUID(d.user_id),))
            raise Retry("lost a race")

    h.app.state.push_hooks = PushHooks(before_commit=lose_once_and_log_out)
    d.note(case, {"text": "never stored"})
    r = d.push_raw(d.outbox)
    assert r.status_code == 401 and r.json()["error"] == "unauthenticated", r.text
    assert h.count("ops") == 0 and h.count_case_rows() == 0

    d2 = h.login("wendy")
    calls.clear()
    h.app.state.push_hooks = PushHooks(before_commit=lambda conn: calls.append(1) or (
        None if len(calls) > 1 else (_ for _ in ()).throw(Retry("lost a race"))))  # fmt: skip
    assert [x["status"] for x in d2.push_raw(d.outbox).json()["results"]] == ["applied"]
    assert len(calls) == 2 and h.count("ops") == 1
    assert _connections_out(h) == 0


def test_a_connection_held_for_the_token_goes_back_whatever_the_handler_does(h: Harness,
                                                                            wendy: tuple[str, Device]) -> None:  # fmt: skip
    """Handlers that never reach the database, refuse, or fail their input: no connection is left out."""
    _case, d = wendy
    a = h.login("ada")
    for method, path, kw, status in (
        ("POST", "/v1/push", {"json": {"ops": []}}, 200),
        ("POST", "/v1/push", {"json": {"ops": "nope"}}, 422),
        ("POST", "/v1/push", {"content": b"{not json", "headers": {**d.auth, "Content-Type": "application/json"}}, 400),
        ("GET", "/v1/openapi.json", {}, 403),
        ("GET", "/v1/pull", {"params": {"cursor": "forged"}}, 400),
    ):
        r = h.http.request(method, path, **{"headers": d.auth, **kw})
        assert r.status_code == status, (path, r.text)
        assert _connections_out(h) == 0, path
    assert h.http.get("/v1/openapi.json", headers=a.auth).status_code == 200
    assert _connections_out(h) == 0


def test_a_request_never_holds_two_connections(h: Harness, wendy: tuple[str, Device]) -> None:
    """A request whose work needs a transaction at another isolation than its token's (a refused
    committee report is audited at the default isolation; a GET's token is read at REPEATABLE READ) ends
    the held one first: with a pool of one connection it is answered at once instead of waiting for a
    second connection that never comes (503 after the pool's timeout)."""
    _case, d = wendy
    pool = make_pool(h.db_url, 1, 1)
    pool.timeout = 3
    try:
        with TestClient(create_app(h.settings, pool)) as http:
            params = {"period_start": "2026-01-01", "period_end": "2026-03-31"}
            r = http.get("/v1/reports/committee", params=params, headers=d.auth)
            assert r.status_code == 403, r.text  # a social worker: refused, and the refusal audited
            assert http.get("/v1/pull", headers=d.auth).status_code == 200
            assert http.get("/v1/me", headers=d.auth).status_code == 200
    finally:
        pool.close()
    assert h.sql("SELECT count(*) AS n FROM audit WHERE action = 'report.refused'")[0]["n"] >= 1


def test_requests_holding_connections_never_starve_for_threads(h: Harness, wendy: tuple[str, Device]) -> None:
    """Many more requests at once than connections and threads (a pool of 2, 3 threads, 16 pulls): a
    request holding its token's connection still gets a thread to finish on, because the others wait
    for a connection on the event loop, not on a thread. (Waiting on threads, every thread waited for a
    connection only the requests without a thread could give back: 503 after the pool's timeout.)"""
    import anyio
    import httpx

    _case, d = wendy
    pool = make_pool(h.db_url, 1, 2)
    pool.timeout = 5
    app = create_app(h.settings, pool)
    app.state.cursor_key = h.sql("SELECT key FROM server_keys WHERE name = 'cursor'")[0]["key"]

    async def main() -> list[int]:
        anyio.to_thread.current_default_thread_limiter().total_tokens = 3
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test", timeout=60) as client:
            answers = await asyncio.gather(*(client.get("/v1/pull", headers=d.auth) for _ in range(16)))
        return [r.status_code for r in answers]

    try:
        assert asyncio.run(main()) == [200] * 16
    finally:
        pool.close()
