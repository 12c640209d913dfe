"""A bounded schemathesis run over the whole declared API, against a real server over real PostgreSQL
(the long run is ``make fuzz``; figures in the README)."""

from __future__ import annotations

import dataclasses
from types import SimpleNamespace

import pytest

from tests.server.fuzz import login, run_fuzz
from tests.server.harness import Harness
from tests.sync.live import LiveServer


@pytest.mark.slow
def test_fuzzing_the_declared_api_finds_no_5xx_no_schema_break_and_no_change_by_refusals(h: Harness) -> None:
    h.team("A")
    h.user("ada", "senior_manager", None, is_admin=True)
    h.user("wendy", "social_worker", "A")
    settings = dataclasses.replace(h.settings, login_failures_per_address=10**6, login_failures_per_user=10**6)
    server = LiveServer(SimpleNamespace(settings=settings, pool=h.pool)).start()
    try:
        tokens = {"admin": login(server.url, "ada"), "worker": login(server.url, "wendy"), "nobody": ""}
        report = run_fuzz(server.url, h.db_url, tokens, examples=12, stateful_steps=60)
    finally:
        server.stop()
    print(report.summary())
    assert report.requests >= 500 and report.stateful_requests > 0
    assert not report.server_errors, report.server_errors[:5]
    assert not report.schema_violations, report.schema_violations[:5]
    assert not report.refused_changed_data, report.refused_changed_data[:5]
    assert {200, 401, 422} <= set(report.statuses)


def test_the_published_schema_is_current_and_complete() -> None:
    """docs/openapi.json is what the app publishes (regenerate with ``python -m server.openapi``), and it
    declares every body, parameter, response and the bearer scheme."""
    import json

    from server.openapi import DOCS, schema

    current = schema()
    assert json.loads(DOCS.read_text(encoding="utf-8")) == json.loads(json.dumps(current)), (
        "docs/openapi.json is stale: run python -m server.openapi"
    )
    assert current["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"
    for path, methods in current["paths"].items():
        for method, op in methods.items():
            assert "200" in op["responses"] or "201" in op["responses"], (method, path)
            ok = op["responses"].get("200") or op["responses"]["201"]
            body = ok["content"].get("application/json") or ok["content"]["application/pdf"]  # a report is a PDF
            assert body["schema"], (method, path)
            if path not in ("/v1/health", "/v1/login"):
                assert op["security"] == [{"HTTPBearer": []}], (method, path)
                assert {"401", "422"} <= set(op["responses"]), (method, path)
            if method in ("post", "put") and path not in ("/v1/logout",):
                assert op["requestBody"]["content"]["application/json"]["schema"], (method, path)
