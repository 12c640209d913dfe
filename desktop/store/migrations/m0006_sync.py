"""Sync bookkeeping on the laptop (local only, never synced).

- ``sync_state``: key/value — server URL, server user, token, the pull cursor (saved in the same
  transaction as the page it belongs to), last successful sync, last error.
- ``sync_parked``: pulled rows that cannot be stored yet (a related record has not arrived, or this
  build has no table for them). Kept whole, retried after every page, counted by verification.
- ``sync_conflict``: open and resolved conflicts mirrored from the server: both values, who and when.
- ``sync_purge``: cases and persons that left this person's scope and wait for their unsent changes.
"""

from __future__ import annotations

from sqlite_utils import Database

from desktop.store.migrations import MIGRATIONS
from desktop.store.schema import split_sql

SQL = """
CREATE TABLE sync_state (key TEXT PRIMARY KEY, value TEXT);

CREATE TABLE sync_parked (
    entity TEXT NOT NULL,
    id TEXT NOT NULL,
    case_id TEXT,
    scope_id TEXT,
    version INTEGER NOT NULL,
    deleted INTEGER NOT NULL DEFAULT 0,
    data TEXT NOT NULL,
    reason TEXT NOT NULL,
    parked_at TEXT NOT NULL,
    PRIMARY KEY (entity, id)
);

CREATE TABLE sync_conflict (
    id TEXT PRIMARY KEY,
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    case_id TEXT,
    field TEXT NOT NULL,
    server_value TEXT,
    server_by TEXT,
    server_device TEXT,
    server_at TEXT,
    server_version INTEGER,
    client_value TEXT,
    client_by TEXT,
    client_device TEXT,
    client_local_time TEXT,
    received_at TEXT,
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved')),
    resolution TEXT,
    resolved_by TEXT,
    resolved_at TEXT
);
CREATE INDEX sync_conflict_case ON sync_conflict(case_id, status);

CREATE TABLE sync_purge (
    unit_type TEXT NOT NULL CHECK (unit_type IN ('case', 'person')),
    unit_id TEXT NOT NULL,
    requested_at TEXT NOT NULL,
    PRIMARY KEY (unit_type, unit_id)
);
"""


@MIGRATIONS(name="m0006_sync")
def m0006_sync(db: Database) -> None:
    for statement in split_sql(SQL):
        db.execute(statement)
