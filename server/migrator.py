"""Numbered plain-SQL migrations (server/migrations/NNNN_name.sql).

Contract: ``migrate(conninfo)`` applies, in order and each in its own transaction, every file whose
number is not yet in ``schema_migrations``; it holds a session advisory lock so several server
instances starting together migrate once. A database whose schema is newer than this build is refused
(``SchemaTooNew``): an old server must not write into a schema it does not understand.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import psycopg

from server.db import DbConn

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")
_LOCK_KEY = 0x44494F47454C0001  # "DIOGEL" + 1: the migration lock


class SchemaTooNew(RuntimeError):
    """The database has migrations this build does not know."""


@dataclass(frozen=True)
class Migration:
    number: int
    name: str
    path: Path


def available() -> list[Migration]:
    """The migrations shipped with this build, sorted by number (numbers must be unique)."""
    found: list[Migration] = []
    for path in MIGRATIONS_DIR.iterdir():
        m = _NAME.match(path.name)
        if m:
            found.append(Migration(int(m.group(1)), m.group(2), path))
    found.sort(key=lambda mig: mig.number)
    numbers = [mig.number for mig in found]
    if len(set(numbers)) != len(numbers):
        raise RuntimeError("duplicate migration numbers")
    return found


def migrate(conninfo: str) -> list[int]:
    """Apply pending migrations; returns the numbers applied now."""
    applied_now: list[int] = []
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute("SELECT pg_advisory_lock(%s)", (_LOCK_KEY,))
        try:
            conn.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations ("
                " number integer PRIMARY KEY, name text NOT NULL,"
                " applied_at timestamptz NOT NULL DEFAULT now())"
            )
            done = {r[0] for r in conn.execute("SELECT number FROM schema_migrations")}
            shipped = available()
            known = {m.number for m in shipped}
            unknown = sorted(done - known)
            if unknown:
                raise SchemaTooNew(
                    f"database schema has migrations {unknown} that this server build does not know; "
                    "upgrade the server"
                )
            for mig in shipped:
                if mig.number in done:
                    continue
                with conn.transaction():
                    conn.execute(mig.path.read_text(encoding="utf-8"))
                    conn.execute(
                        "INSERT INTO schema_migrations (number, name) VALUES (%s, %s)",
                        (mig.number, mig.name),
                    )
                applied_now.append(mig.number)
        finally:
            conn.execute("SELECT pg_advisory_unlock(%s)", (_LOCK_KEY,))
    return applied_now


def current_version(conn: DbConn) -> int:
    """The highest applied migration number (0 for an empty database)."""
    row = conn.execute("SELECT coalesce(max(number), 0) AS n FROM schema_migrations").fetchone()
    if row is None:
        return 0
    return int(row["n"])
