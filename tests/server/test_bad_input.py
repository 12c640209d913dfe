"""Bad input gets a 4xx with a JSON message and stores nothing; fuzzing finds no 5xx."""

from __future__ import annotations

import json
import uuid
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.server.harness import Device, Harness

TABLES = ("rows", "ops", "conflicts", "quarantine", "audit", "cases")


@pytest.fixture
def w(h: Harness) -> Device:
    h.team("A")
    h.user("wendy", "social_worker", "A")
    h.allocate(uuid.UUID(int=1), "A", "wendy")
    return h.login("wendy")


def _counts(h: Harness) -> dict[str, int]:
    """Row counts of every table a request could write to (one query through the app's pool)."""
    query = " UNION ALL ".join(f"SELECT '{t}' AS t, count(*) AS n FROM {t}" for t in TABLES)
    with h.pool.connection() as conn:
        return {r["t"]: r["n"] for r in conn.execute(query)}


def _op(w: Device, **over) -> dict:
    op = {
        "op_id": str(uuid.uuid4()),
        "entity": "note",
        "entity_id": str(uuid.uuid4()),
        "case_id": str(uuid.UUID(int=1)),
        "kind": "insert",
        "fields": {"text": "hello"},
        "base": {},
        "base_version": 0,
        "append_only": True,
        "actor": w.user_id,
        "device_id": "d1",
        "local_time": "2026-11-23T10:00:00",
    }
    op.update(over)
    return op


def _assert_clean_4xx(r, status: int | tuple[int, ...]) -> None:
    statuses = status if isinstance(status, tuple) else (status,)
    assert r.status_code in statuses, r.text
    body = r.json()
    assert isinstance(body["error"], str) and isinstance(body["message"], str) and body["message"]


BAD_BODIES = [
    b"",
    b"not json",
    b"{",
    b"[]",
    b"null",
    b'{"ops": {}}',
    b'{"ops": [1]}',
    b'{"ops": [{"op_id": NaN}]}',
    b"\xff\xfe{}",
    b"[" * 100_000 + b"]" * 100_000,
]


@pytest.mark.parametrize("body", BAD_BODIES, ids=range(len(BAD_BODIES)))
def test_malformed_push_bodies(h: Harness, w: Device, body: bytes) -> None:
    before = _counts(h)
    r = h.http.post("/v1/push", content=body, headers={**w.auth, "content-type": "application/json"})
    _assert_clean_4xx(r, (400, 422))
    assert _counts(h) == before


BAD_OPS = [
    {"op_id": "not-a-uuid"},
    {"entity": "Robert'); DROP TABLE rows;--"},
    {"entity": ""},
    {"kind": "upsert"},
    {"fields": {"bad name": 1}},
    {"fields": {"text": "nul\x00byte"}},
    {"fields": []},
    {"base_version": -1},
    {"base_version": True},
    {"base_version": 2**64},
    {"append_only": "yes"},
    {"fields": {"n": 10**30}},
    {"actor": ""},
    {"device_id": "x" * 1000},
    {"case_id": 7},
    {"kind": "update", "fields": {}},
]


@pytest.mark.parametrize("over", BAD_OPS, ids=range(len(BAD_OPS)))
def test_one_bad_op_refuses_the_whole_batch(h: Harness, w: Device, over: dict) -> None:
    before = _counts(h)
    r = w.push_raw([_op(w), _op(w, **over)])
    _assert_clean_4xx(r, 422)
    assert "ops[1]" in r.json()["path"]
    assert _counts(h) == before


@pytest.mark.parametrize("raw", [b'"\\ud800"', b'"a\\u0000b"', b"Infinity", b"-Infinity"])
def test_values_postgres_would_refuse(h: Harness, w: Device, raw: bytes) -> None:
    body = json.dumps({"ops": [_op(w, fields={"text": "PLACEHOLDER"})]}).encode()
    body = body.replace(b'"PLACEHOLDER"', raw)
    before = _counts(h)
    r = h.http.post("/v1/push", content=body, headers={**w.auth, "content-type": "application/json"})
    _assert_clean_4xx(r, (400, 422))
    assert _counts(h) == before


def test_oversized_bodies(h: Harness, w: Device) -> None:
    limit = h.settings.max_body_bytes
    before = _counts(h)
    big = json.dumps({"ops": [_op(w, fields={"text": "x" * (limit + 10)})]}).encode()
    r = h.http.post("/v1/push", content=big, headers={**w.auth, "content-type": "application/json"})
    _assert_clean_4xx(r, 413)

    def chunks():
        for _ in range(limit // 65536 + 2):
            yield b" " * 65536

    r = h.http.post("/v1/push", content=chunks(), headers={**w.auth, "content-type": "application/json"})
    _assert_clean_4xx(r, 413)
    too_many = [_op(w) for _ in range(h.settings.max_ops_per_push + 1)]
    _assert_clean_4xx(w.push_raw(too_many), 413)
    assert _counts(h) == before


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Basic d2VuZHk6eA=="}, {"Authorization": "Bearer"}, {"Authorization": "Bearer nope"},
     {"Authorization": "Bearer " + "x" * 5000}],
)  # fmt: skip
def test_unauthorised_requests(h: Harness, w: Device, headers: dict) -> None:
    before = _counts(h)
    r = h.http.post("/v1/push", json={"ops": [_op(w)]}, headers=headers)
    _assert_clean_4xx(r, 401)
    for path in ("/v1/pull", "/v1/verify", "/v1/conflicts", "/v1/me", "/v1/quarantine"):
        _assert_clean_4xx(h.http.get(path, headers=headers), 401)
    _assert_clean_4xx(h.http.post(f"/v1/conflicts/{uuid.uuid4()}/resolve", json={}, headers=headers), 401)
    assert _counts(h) == before


def test_unknown_route_and_method(h: Harness, w: Device) -> None:
    _assert_clean_4xx(h.http.get("/v1/nope"), 404)
    _assert_clean_4xx(h.http.get("/v1/push", headers=w.auth), 405)


def test_health(h: Harness) -> None:
    from server.migrator import available

    newest = max(m.number for m in available())
    assert h.http.get("/v1/health").json() == {"status": "ok", "schema_version": newest}


# -- property-based fuzzing ------------------------------------------------------------------------

json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=20),
)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
safe_json = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-(2**40), 2**40), st.floats(allow_nan=False, allow_infinity=False),
              st.text(st.characters(blacklist_characters="\x00", blacklist_categories=["Cs"]), max_size=12)),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5).filter(lambda k: "\x00" not in k), inner, max_size=3),
    max_leaves=6,
)  # fmt: skip
field_names = st.one_of(st.from_regex(r"[a-z_][a-z0-9_]{0,10}", fullmatch=True), st.text(max_size=8))
uuids = st.uuids().map(str)
FIXED_CASE = str(uuid.UUID(int=1))


ID_POOL = [str(uuid.UUID(int=i)) for i in range(1, 6)]  # small pools: collisions make updates/conflicts
FIELD_POOL = ["status", "risk", "name", "person_id", "updated_at", "amends"]


def op_strategy(actor: str) -> st.SearchStrategy[dict]:
    """Mostly valid ops over a few shared ids (so inserts, merges, conflicts, duplicates, rejections and
    scope checks all run), and ops with one key replaced by arbitrary JSON."""
    valid = st.fixed_dictionaries(
        {
            "op_id": st.one_of(uuids, uuids, uuids, st.sampled_from(ID_POOL)),
            "entity": st.sampled_from(
                ["note", "case", "person", "visit", "case_member", "address", "agency"]
            ),
            "entity_id": st.one_of(st.sampled_from(ID_POOL), uuids),
            "case_id": st.one_of(st.none(), st.just(FIXED_CASE), uuids),
            "kind": st.sampled_from(["insert", "update", "delete"]),
            "fields": st.dictionaries(st.sampled_from(FIELD_POOL), safe_json, min_size=1, max_size=3),
            "base": st.dictionaries(st.sampled_from(FIELD_POOL), safe_json, max_size=3),
            "base_version": st.integers(min_value=0, max_value=50),
            "append_only": st.booleans(),
            "actor": st.one_of(st.just(actor), st.just(actor), st.text(max_size=5)),
            "device_id": st.sampled_from(["d1", "d2"]),
        },
        optional={"local_time": st.one_of(st.none(), st.text(max_size=30))},
    )
    keys = ["op_id", "entity", "entity_id", "case_id", "kind", "fields", "base", "base_version",
            "append_only", "actor", "device_id", "local_time"]  # fmt: skip
    mutated = st.tuples(valid, st.sampled_from(keys), json_values).map(lambda t: {**t[0], t[1]: t[2]})
    return st.one_of(valid, valid, valid, valid, valid, mutated)


FUZZ = settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@FUZZ
@given(data=st.data())
def test_fuzz_push_never_5xx(h: Harness, w: Device, data: st.DataObject) -> None:
    body = data.draw(
        st.one_of(
            json_values,
            st.fixed_dictionaries({"ops": st.lists(op_strategy(w.user_id), max_size=4)}),
            st.fixed_dictionaries({"ops": st.lists(op_strategy(w.user_id), max_size=4)}),
            st.fixed_dictionaries({"ops": json_values}),
        )
    )
    before = _counts(h)
    r = w.post("/v1/push", body)
    assert r.status_code < 500, r.text
    if r.status_code >= 400:
        assert r.json()["message"]
        assert _counts(h) == before
    else:
        assert len(r.json()["results"]) == len(body["ops"])


@FUZZ
@given(raw=st.binary(max_size=300))
def test_fuzz_raw_bytes_never_5xx(h: Harness, w: Device, raw: bytes) -> None:
    before = _counts(h)
    r = h.http.post("/v1/push", content=raw, headers=w.auth)
    assert 400 <= r.status_code < 500
    assert _counts(h) == before


@FUZZ
@given(cursor=st.one_of(st.text(max_size=80), st.text(max_size=60).map(lambda s: "c1." + s)),
       limit=st.one_of(st.text(max_size=6), st.integers(-10, 10_000).map(str)))  # fmt: skip
def test_fuzz_pull_params_never_5xx(h: Harness, w: Device, cursor: str, limit: str) -> None:
    r = w.get("/v1/pull", cursor=cursor, limit=limit)
    assert r.status_code < 500, r.text
    r = w.get("/v1/conflicts", status=cursor, limit=limit)
    assert r.status_code < 500, r.text


@FUZZ
@given(cid=st.one_of(uuids, st.text(min_size=1, max_size=40)), body=json_values)
def test_fuzz_resolve_never_5xx(h: Harness, w: Device, cid: str, body) -> None:
    before = _counts(h)
    r = w.post(f"/v1/conflicts/{quote(cid, safe='')}/resolve", body)
    assert 400 <= r.status_code < 500, r.text
    assert _counts(h) == before


@FUZZ
@given(body=json_values)
def test_fuzz_login_never_5xx(h: Harness, body) -> None:
    r = h.http.post("/v1/login", json=body)
    assert 400 <= r.status_code < 500
