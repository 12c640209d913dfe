"""A server process leaves what it built at start-up out of later garbage collections (``gc.freeze``,
issue 22: the collector walking them was a fifth of a push's CPU); an app a test hands its own pool
does not touch the process's collector."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from server.app import create_app
from server.config import Settings
from tests.server.harness import Harness


@pytest.fixture
def unfrozen() -> Iterator[None]:
    gc.unfreeze()
    try:
        yield
    finally:
        gc.unfreeze()  # the test process goes on collecting everything


def test_a_server_of_its_own_freezes_what_start_up_built(db_url: str, unfrozen: None) -> None:
    assert gc.get_freeze_count() == 0
    with TestClient(create_app(Settings(database_url=db_url))) as client:
        assert client.get("/v1/health").status_code == 200
        assert gc.get_freeze_count() > 0


def test_an_app_given_its_pool_leaves_the_collector_alone(unfrozen: None, h: Harness) -> None:
    assert h.http.get("/v1/health").status_code == 200
    assert gc.get_freeze_count() == 0
