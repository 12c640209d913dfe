"""Fixtures for the sync-server suite: a real PostgreSQL, a fresh migrated database per test, the app.

How PostgreSQL is started: ``server.devdb.TempCluster`` runs ``initdb`` and ``pg_ctl start`` from
``/usr/lib/postgresql/15/bin`` (or ``$DIOGEL_PG_BINDIR``) on a fresh directory under the system temp dir
and a free port on 127.0.0.1, once per test session. PostgreSQL refuses to run as root, so when the suite
runs as root (CI) the cluster directory is chowned to, and the binaries run as, the existing unprivileged
``postgres`` user via ``runuser`` — .ci/run only needs the postgresql-15 server package installed (which
creates that user). We do not use pytest-postgresql's ``postgresql_proc`` because it runs ``pg_ctl``
as the current user inside pytest's 0700 basetemp, which cannot work as root.

Each test gets its own database, created from a template database that went through the real
migrations once (``CREATE DATABASE ... TEMPLATE`` costs a few ms) and dropped afterwards.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from argon2 import PasswordHasher

from server import auth
from server.devdb import TempCluster
from server.migrator import migrate
from tests.server.harness import Clock, Harness

TEMPLATE = "diogel_template"
HERE = Path(__file__).parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test here needs the real PostgreSQL: mark them so CI can select or deselect the lot."""
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.postgres)


@pytest.fixture(scope="session", autouse=True)
def _cheap_password_hashing() -> Iterator[None]:
    # Real parameters cost ~50 ms per hash; the suite makes hundreds of users. Verification reads the
    # parameters from each hash, so the code under test is unchanged.
    old = auth.password_hasher
    auth.password_hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    yield
    auth.password_hasher = old


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[TempCluster]:
    cluster = TempCluster().start()
    try:
        with psycopg.connect(cluster.dsn(), autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {TEMPLATE}")
        migrate(cluster.dsn(TEMPLATE))
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture
def db_url(pg_cluster: TempCluster) -> Iterator[str]:
    name = f"t_{uuid.uuid4().hex[:16]}"
    with psycopg.connect(pg_cluster.dsn(), autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name} TEMPLATE {TEMPLATE}")
    yield pg_cluster.dsn(name)
    with psycopg.connect(pg_cluster.dsn(), autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def h(db_url: str, clock: Clock) -> Iterator[Harness]:
    """The app on a fresh database, driven through httpx's ASGI-backed TestClient."""
    harness = Harness(db_url, clock)
    try:
        yield harness
    finally:
        harness.close()
