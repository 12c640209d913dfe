"""The reference rows a pull takes from the app's cache: byte for byte what PostgreSQL gives without it,
and never served after reference data changes (server/reference_cache.py)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from psycopg import IsolationLevel

from server import admin, pull, roles
from server.auth import User, user_for_token
from server.db import run_tx
from server.reference_cache import CHANGE_JSON, ReferenceCache, query
from tests.server.harness import Device, Harness


@pytest.fixture
def country(h: Harness) -> tuple[list[str], Device]:
    """Two teams of practitioners (reference rows), a caseload, and reference rows published after the
    caseload's, so a page interleaves the two kinds."""
    h.team("A")
    h.team("B")
    for i in range(6):
        h.user(f"worker{i}", "social_worker", "AB"[i % 2])
    h.user("mari", "team_manager", "A")
    cases = [uuid.uuid4(), uuid.uuid4()]
    for c in cases:
        h.allocate(c, "A", "worker0")
    w = h.login("worker0")
    for c in cases:
        for i in range(3):
            w.note(str(c), {"i": i})
    w.push()
    h.team("C")  # reference rows after the caseload's rows
    h.user("gwyn", "social_worker", "C")
    h.cover("worker1", "worker0", date(2026, 11, 1), date(2026, 12, 31))
    w.note(str(cases[0]), {"last": True})
    w.push()
    return [str(c) for c in cases], w


def _user(h: Harness, d: Device) -> User:
    got = run_tx(h.pool, lambda conn: user_for_token(conn, d.token, h.clock()))
    assert got is not None
    return got


def _pages(h: Harness, user: User, limit: int, refs: ReferenceCache | None, cursor: str | None = None) -> Iterator[bytes]:
    """Every page from ``cursor`` to the end, each read in its own REPEATABLE READ transaction as the app reads it."""
    while True:
        page = run_tx(h.pool, lambda conn, at=cursor: pull.pull(conn, h.settings, user, at, limit, None, refs),
                      isolation=IsolationLevel.REPEATABLE_READ)  # fmt: skip
        yield page.to_json_bytes()
        cursor = page.cursor
        if not page.has_more:
            return


def _entities(pages: list[bytes]) -> list[Any]:
    return [c["entity"] for p in pages for c in json.loads(p)["changes"]]


@pytest.mark.parametrize("limit", [1, 4, 7, 1000])
def test_cached_pages_are_byte_for_byte_a_fresh_encode(h: Harness, country, limit: int) -> None:
    _cases, w = country
    cache = ReferenceCache()
    h.user("ceri", "admin_staff", "A")  # reads fewer record types: the cache's filtered path
    every = [json.loads(r["c"]) for r in h.sql(f"SELECT {CHANGE_JSON} AS c FROM rows ORDER BY seq")]
    for d in (w, h.login("mari"), h.login("ceri")):
        user = _user(h, d)
        fresh = list(_pages(h, user, limit, None))
        cached = list(_pages(h, user, limit, cache))
        again = list(_pages(h, user, limit, cache))
        assert cached == fresh and again == fresh
        # ... and the pages hold what one query over every row in scope gives (here every row the role
        # reads), in order.
        readable = roles.readable(user.role)
        assert [c for p in fresh for c in json.loads(p)["changes"]] == [
            c for c in every if readable is None or c["entity"] in readable]
        kinds = _entities(fresh)
        assert {"team", "practitioner", "cover"} <= set(kinds)
        if user.role != "admin_staff":
            # Reference rows come both before and after the caseload's: the merge is really exercised.
            first, last = kinds.index("cp_core_group"), len(kinds) - 1 - kinds[::-1].index("cp_core_group")
            assert "practitioner" in kinds[:first] and "practitioner" in kinds[first:last]
    assert cache.hits > 0 and cache.misses == 1


def test_the_app_serves_the_same_bytes_as_a_fresh_encode(h: Harness, country) -> None:
    _cases, w = country
    cursor, fresh = None, list(_pages(h, _user(h, w), 5, None))
    for _ in range(2):  # once to fill the app's cache, once from it
        got, cursor = [], None
        while True:
            r = w.get("/v1/pull", limit=5, **({"cursor": cursor} if cursor else {}))
            assert r.status_code == 200
            got.append(r.content)
            cursor = r.json()["cursor"]
            if not r.json()["has_more"]:
                break
        assert got == fresh
    assert h.app.state.reference_cache.hits > 0


def test_a_change_to_reference_data_is_never_served_stale(h: Harness, country) -> None:
    _cases, w = country
    user = _user(h, w)
    cache = ReferenceCache()

    def same_as_fresh() -> list[bytes]:
        fresh = list(_pages(h, user, 1000, None))
        assert list(_pages(h, user, 1000, cache)) == fresh
        return fresh

    before = same_as_fresh()
    # A practitioner renamed (a new version of a reference row, on another connection: another instance).
    gwyn = h.sql("SELECT id FROM users WHERE username = 'gwyn'")[0]["id"]
    h.sql("UPDATE users SET display_name = 'Gwyn Ap Rhys' WHERE id = %s", (gwyn,))
    h.admin(lambda conn, now: admin.publish_user(conn, gwyn, now, None))
    after = same_as_fresh()
    assert b"Gwyn Ap" in after[0] and b"Gwyn Ap" not in before[0]
    # A reference row gone without any new one (count falls, the highest number stays): not served either.
    oldest = h.sql("SELECT entity, id FROM rows WHERE scope_id IS NULL ORDER BY seq LIMIT 1")[0]
    h.sql("DELETE FROM rows WHERE entity = %s AND id = %s", (oldest["entity"], oldest["id"]))
    gone = same_as_fresh()
    row = f'"id" : "{oldest["id"]}"'.encode()  # (as PostgreSQL's json_build_object writes it)
    assert row in after[0] and row not in gone[0]
    assert cache.misses == 3


def test_the_cache_is_bounded(h: Harness, country) -> None:
    _cases, w = country
    user = _user(h, w)
    fresh = list(_pages(h, user, 3, None))
    tiny = ReferenceCache(max_bytes=200)  # smaller than the reference rows: read from PostgreSQL each time
    assert list(_pages(h, user, 3, tiny)) == fresh and tiny.hits == 0
    two = ReferenceCache(entries=2)
    for name in ("D", "E", "F"):
        h.team(name)
        list(_pages(h, user, 1000, two))
    assert len(two._sets) == 2


def test_only_the_record_types_the_role_reads(h: Harness, country) -> None:
    """Every role reads every reference type today; the filter still holds if a role is ever narrowed."""
    cache = ReferenceCache()
    for entities in (["team"], ["cover", "practitioner"], [], None):
        for n, limit in ((0, 1000), (0, 2), (3, 1000)):
            fresh = run_tx(h.pool, lambda conn, e=entities, n=n, lim=limit: query(conn, n, e, lim))
            got = run_tx(h.pool, lambda conn, e=entities, n=n, lim=limit: cache.rows(conn, n, e, lim))
            assert got == fresh
            if entities == ["team"] and n == 0 and limit == 1000:
                assert len(got) >= 3 and all('"entity" : "team"' in c for _s, c in got)


def test_the_generation_moves_with_reference_rows_only(h: Harness, country) -> None:
    """Migration 0028's triggers: every write to a reference row moves the generation the cache is keyed
    by, in the writing transaction; a push's rows (each in a unit) never do."""
    cases, w = country

    def generation() -> int:
        return int(h.sql("SELECT n FROM reference_generation")[0]["n"])

    start = generation()
    w.note(cases[0], {"more": True})
    assert w.push()[0]["status"] == "applied"
    h.sql("UPDATE rows SET data = data WHERE scope_id IS NOT NULL")
    assert generation() == start
    steps = [
        lambda: h.team("D"),
        lambda: h.sql("UPDATE rows SET data = data WHERE id = (SELECT id FROM rows WHERE scope_id IS NULL LIMIT 1)"),
        lambda: h.sql("DELETE FROM rows WHERE id = (SELECT id FROM rows WHERE scope_id IS NULL LIMIT 1)"),
        lambda: h.sql("TRUNCATE rows CASCADE"),
    ]
    for step in steps:
        before = generation()
        step()
        assert generation() > before
