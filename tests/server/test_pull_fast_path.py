"""The pull's fast path (server/app.py): a plainly valid query is answered without FastAPI's parsing, the
token checked in the page's own transaction; any other query goes the declared route. Either way the
answer is the same, and a missing, bad or ended token is 401 whatever the query holds."""

from __future__ import annotations

import uuid

import psycopg
import pytest

from server.app import plain_pull_query
from tests.server.harness import Device, Harness


@pytest.mark.parametrize(("query", "expected"), [
    (b"", (None, None)),
    (b"limit=5000", (None, 5000)),
    (b"limit=1", (None, 1)),
    (b"cursor=c2.eyJuIjoxfQ.AbC-_9&limit=20", ("c2.eyJuIjoxfQ.AbC-_9", 20)),
    (b"limit=20&cursor=x", ("x", 20)),
])  # fmt: skip
def test_a_plain_query_is_read_as_is(query: bytes, expected: tuple[str | None, int | None]) -> None:
    assert plain_pull_query(query, 5000) == expected


@pytest.mark.parametrize("query", [
    b"limit=0", b"limit=5001", b"limit=05", b"limit=+5", b"limit=", b"limit=1e3", b"limit=-1", b"limit",
    b"cursor=", b"cursor=a%2Eb", b"cursor=a+b", b"cursor=" + b"A" * 513, b"cursor=a\x00b",
    b"limit=5&limit=6", b"cursor=a&cursor=b", b"limit=5&x=1", b"x", b"&", b"limit=5&", "limit=٣".encode(),
])  # fmt: skip
def test_anything_else_is_left_to_the_declared_route(query: bytes) -> None:
    assert plain_pull_query(query, 5000) is None


@pytest.fixture
def wendy(h: Harness) -> Device:
    h.team("A")
    h.user("wendy", "social_worker", "A")
    h.allocate(uuid.uuid4(), "A", "wendy")
    case = uuid.uuid4()
    h.allocate(case, "A", "wendy")
    d = h.login("wendy")
    for i in range(7):
        d.note(str(case), {"i": i})
    assert {r["status"] for r in d.push()} == {"applied"}
    return d


def test_both_paths_give_the_same_pages(h: Harness, wendy: Device) -> None:
    """Page by page, the fast path's answer is byte for byte the declared route's (an extra parameter,
    which the route ignores, sends the same request that way)."""
    cursor: str | None = None
    pages = 0
    while True:
        query = {"limit": "3", **({"cursor": cursor} if cursor else {})}
        fast = h.http.get("/v1/pull", params=query, headers=wendy.auth)
        routed = h.http.get("/v1/pull", params={**query, "also": "1"}, headers=wendy.auth)
        assert fast.status_code == routed.status_code == 200, (fast.text, routed.text)
        assert fast.content == routed.content
        assert fast.headers["content-type"] == routed.headers["content-type"] == "application/json"
        page = fast.json()
        pages += 1
        cursor = page["cursor"]
        if not page["has_more"]:
            break
    assert pages >= 3


def test_errors_are_the_routes(h: Harness, wendy: Device) -> None:
    """401 before anything else, 400 for a cursor this server did not issue, 422 for a bad limit."""
    for headers in ({}, {"Authorization": "Bearer nope"}, {"Authorization": "Basic abc"}):
        for query in ({}, {"limit": "10"}, {"limit": "0"}, {"cursor": "c2.x.y"}):
            r = h.http.get("/v1/pull", params=query, headers=headers)
            assert r.status_code == 401 and r.json()["error"] == "unauthenticated", (headers, query, r.text)
            assert r.headers["www-authenticate"] == "Bearer"
    r = wendy.get("/v1/pull", cursor="c2.eyJuIjoxfQ.AAAAAAAAAAAAAAAAAAAAAA", limit="10")
    assert r.status_code == 400 and r.json()["error"] == "invalid_cursor", r.text
    r = wendy.get("/v1/pull", limit="0")
    assert r.status_code == 422 and r.json()["path"] == "limit", r.text


def test_an_ended_token_stops_the_fast_path_at_once(h: Harness, wendy: Device) -> None:
    assert wendy.get("/v1/pull", limit="10").status_code == 200
    with psycopg.connect(h.db_url) as other:  # another instance's logout
        other.execute("DELETE FROM tokens WHERE user_id = %s", (uuid.UUID(wendy.user_id),))
    r = wendy.get("/v1/pull", limit="10")
    assert r.status_code == 401 and r.json()["error"] == "unauthenticated"
