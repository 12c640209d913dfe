"""The push's body parsed straight from its bytes (server/app.py ``push_parsed``) once the token is checked:
a JSON body ``PushBody`` takes is applied and answered exactly as the declared route answers it; anything
else (another content type, a body the model refuses) goes the declared route, errors and all."""

from __future__ import annotations

import json
import re
import uuid
from typing import Any

import pytest

from tests.server.harness import Device, Harness

ROUTED = "application/vnd.diogel+json"  # JSON to FastAPI, never taken by the direct parse


@pytest.fixture
def pair(h: Harness) -> tuple[str, Device, Device]:
    h.team("A")
    h.user("wendy", "social_worker", "A")
    case = uuid.uuid4()
    h.allocate(case, "A", "wendy")
    return str(case), h.login("wendy", "laptop-1"), h.login("wendy", "laptop-2")


def _post(h: Harness, d: Device, body: bytes, kind: str | None) -> Any:
    headers = {**d.auth, **({"Content-Type": kind} if kind else {})}
    return h.http.post("/v1/push", content=body, headers=headers)


def _work(d: Device, case: str) -> list[dict[str, Any]]:
    """A morning's work with every kind of answer: applied inserts, an update against a stale version
    (a conflict) and a repeated op id within the batch (a duplicate)."""
    d.visit(case)
    plan = d.record(case, outline="one")
    d.note(case, {"n": 1})
    ops = list(d.outbox)
    stale = dict(d.update("cp_plan", plan, {"outline": "two"}), base={"outline": "not what it was"})
    return [*ops, stale, ops[0]]


def _shape(answer: dict[str, Any], ops: list[dict[str, Any]]) -> str:
    """The answer with each op id written as its place in the batch, and what differs from laptop to
    laptop by right (change numbers, conflict ids) written as its kind."""
    text = json.dumps(answer, sort_keys=True)
    for i, op in enumerate(ops):
        text = text.replace(op["op_id"], f"op{i}")
    text = re.sub(r'"version": \d+', '"version": N', text)
    return re.sub(r'"conflict_id": "[0-9a-f-]{36}"', '"conflict_id": C', text)


def test_the_direct_parse_answers_as_the_route(h: Harness, pair: tuple[str, Device, Device]) -> None:
    case, one, two = pair
    answers = []
    for d, kind in ((one, ROUTED), (two, "application/json")):
        ops = _work(d, case)
        r = _post(h, d, json.dumps({"ops": ops}).encode(), kind)
        assert r.status_code == 200, r.text
        assert r.headers["content-type"] == "application/json"
        answers.append(_shape(r.json(), ops))
        statuses = [x["status"] for x in r.json()["results"]]
        assert statuses == ["applied", "applied", "applied", "conflict", "duplicate"], statuses
    assert answers[0] == answers[1]
    assert h.count("ops") == 8  # 4 distinct changes from each laptop, each once


@pytest.mark.parametrize("body", [
    b"", b"{", b"[]", b'{"ops": 1}', b'{"ops": [{}]}', b'{"ops": [{"op_id": "x"}]}', "{\"ops\": \"\ufeff\"}".encode(),
    b'{"ops": [], "ops": [1]}', b'{"ops": [{"fields": {"a": "\\ud800"}}]}', b"\xff\xfe",
])  # fmt: skip
def test_refused_bodies_get_the_routes_answer(h: Harness, pair: tuple[str, Device, Device], body: bytes) -> None:
    _case, d, _ = pair
    direct, routed = _post(h, d, body, "application/json"), _post(h, d, body, ROUTED)
    assert direct.status_code == routed.status_code and direct.status_code in (400, 422), direct.text
    assert direct.json() == routed.json()
    assert h.count("ops") == 0


def test_a_bad_token_is_401_whatever_the_body(h: Harness, pair: tuple[str, Device, Device]) -> None:
    case, d, _ = pair
    ops = _work(d, case)
    for body in (json.dumps({"ops": ops}).encode(), b"{", b'{"ops": [{}]}'):
        for headers in ({"Authorization": "Bearer nope"}, {}):
            r = h.http.post("/v1/push", content=body, headers={**headers, "Content-Type": "application/json"})
            assert r.status_code == 401 and r.json()["error"] == "unauthenticated", r.text
    assert h.count("ops") == 0


def test_other_content_types_go_the_route(h: Harness, pair: tuple[str, Device, Device]) -> None:
    """Text is not JSON to the route (422), and so not to the direct parse either."""
    case, d, _ = pair
    d.visit(case)
    body = json.dumps({"ops": d.outbox}).encode()
    for kind in ("text/plain", "application/json; charset=utf-8"):
        direct = _post(h, d, body, kind)
        assert direct.status_code in (200, 422), direct.text
    assert _post(h, d, body, "text/plain").status_code == 422
