"""Fixtures for the sync-client suite: a real PostgreSQL and the real server app (from tests/server),
and real encrypted client profiles made by signing in to that server.

Clients talk to the app in process through the TestClient's ASGI transport (wrapped by
:class:`tests.sync.faults.FaultyTransport` where a test drops connections); the TLS and restart tests
run a real uvicorn on 127.0.0.1 instead.
"""

from __future__ import annotations

import itertools
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from desktop.services.session import Session
from desktop.sync.client import SyncClient
from desktop.sync.enroll import create_profile_from_server
from desktop.sync.transport import Transport
from tests.conftest import fast_kdf
from tests.server.conftest import _cheap_password_hashing, db_url, pg_cluster  # noqa: F401 - fixtures
from tests.server.harness import PASSWORD, Clock, Harness
from tests.sync.faults import FaultyTransport

HERE = Path(__file__).parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test here runs against the real PostgreSQL: mark them so CI can select or deselect the lot."""
    for item in items:
        if HERE in item.path.parents and "srv" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.postgres)


@pytest.fixture
def srv(db_url: str) -> Iterator[Harness]:  # noqa: F811 - the imported fixture
    """The server app on a fresh database: team A with wendy and gwyn (social workers) and mari
    (team manager)."""
    h = Harness(db_url, Clock())
    h.team("A")
    h.user("wendy", "social_worker", "A")
    h.user("gwyn", "social_worker", "A")
    h.user("mari", "team_manager", "A")
    try:
        yield h
    finally:
        h.close()


class Laptop:
    """One signed-in client profile with its sync client and a switchable fault injector."""

    def __init__(self, session: Session, faults: FaultyTransport, transport: Transport) -> None:
        self.session = session
        self.faults = faults
        self.transport = transport
        self.client = SyncClient.for_session(session, transport, batch_size=7, page_size=5)

    @property
    def store(self) -> Any:
        return self.session.store

    @property
    def uid(self) -> str:
        return self.session.user.id

    def write(self, fn: Any) -> Any:
        return self.session.write(fn)

    def sync(self) -> Any:
        return self.client.sync()

    def outbox(self) -> list[dict[str, Any]]:
        return self.store.rows("SELECT * FROM outbox ORDER BY seq")

    def row(self, table: str, row_id: str) -> dict[str, Any] | None:
        rows = self.store.rows(f"SELECT * FROM [{table}] WHERE id = ?", [row_id])
        return rows[0] if rows else None


@pytest.fixture
def laptops(srv: Harness, tmp_path: Path) -> Iterator[Any]:
    """``laptops("wendy")`` makes a new profile by signing in to the server as wendy."""
    made: list[Laptop] = []
    counter = itertools.count()

    def make(username: str) -> Laptop:
        faults = FaultyTransport(srv.http._transport)  # noqa: SLF001 - the in-process ASGI transport
        http = httpx.Client(transport=faults, base_url="http://testserver")
        transport = Transport("http://testserver", client=http)
        session, _report = create_profile_from_server(
            tmp_path / f"{username}-{next(counter)}", transport, username, PASSWORD, kdf=fast_kdf()
        )
        laptop = Laptop(session, faults, transport)
        made.append(laptop)
        return laptop

    yield make
    # A status read started by a commit (the GUI tests' sync controller) may still be running on a
    # worker: no read may outlive its store, so stop the watchers and wait for the workers first.
    if "PySide6.QtWidgets" in sys.modules:
        from ui.tasks import forget_store, runner

        for laptop in made:
            forget_store(laptop.session)
        assert runner().wait_idle(20), "background reads still running at teardown"
    for laptop in made:
        if not laptop.store._closed:  # noqa: SLF001 - teardown only
            laptop.store.close()
        laptop.transport.close()
