"""The generic row store: load rows for update and write them back with commit-ordered sequence numbers.

The cursor guarantee lives here. ``commit_rows`` takes a transaction-level advisory lock, draws one
``change_seq`` value per changed row and writes the rows; the lock is released only when the transaction
commits or rolls back. So a transaction that draws sequence numbers becomes visible before the next one
can draw any: sequence order is commit order, and a reader that has seen seq N has seen every change
<= N. Everything before the lock (validation, conflict detection, row locks) runs concurrently.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID

import orjson
from psycopg.types.json import Jsonb

from server.db import DbConn, Retry

CHANGE_LOCK = 0x44494F47454C0002  # "DIOGEL" + 2: serialises the drawing of change sequence numbers

RowKey = tuple[str, UUID]


@dataclass
class RowState:
    """A row in memory during a transaction. ``meta`` is, per field (and ``_row`` for the row itself), who
    last wrote it: ``{"v": version, "by": user, "dev": device, "at": iso time}``; entries with
    ``"v": None`` are pending: their version is filled in by ``commit_rows`` with the row's new sequence
    number. In the database the same is stored compactly (:func:`pack_meta`)."""

    entity: str
    id: UUID
    case_id: UUID | None
    person_id: UUID | None
    scope_id: UUID | None
    data: dict[str, Any]
    meta: dict[str, dict[str, Any]]
    version: int = 0
    deleted: bool = False
    append_only: bool = False
    created_by: UUID | None = None
    exists: bool = False
    dirty: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def key(self) -> RowKey:
        return (self.entity, self.id)

    def as_change(self) -> dict[str, Any]:
        """The row as the pull sends it."""
        return {
            "entity": self.entity,
            "id": str(self.id),
            "case_id": str(self.case_id) if self.case_id else None,
            "version": self.version,
            "deleted": self.deleted,
            "data": self.data,
        }


def pack_meta(meta: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The stored form of a row's field versions (migration 0023): ``{"f": {field: [version, w]},
    "w": [[by, dev, at], ...]}``, each distinct writer (user, device, time) once, ``w`` its index.

    A row is mostly written by one push: its fields share one writer, stored once instead of once a
    field (the per-field objects were most of a visit row's bytes; issue 22)."""
    writers: list[list[Any]] = []
    index: dict[tuple[Any, Any, Any], int] = {}
    fields: dict[str, list[Any]] = {}
    last: dict[str, Any] | None = None
    i = 0
    for name, m in meta.items():
        if m is not last:  # the fields of a new row share one stamp: looked up once
            who = (m.get("by"), m.get("dev"), m.get("at"))
            found = index.get(who)
            if found is None:
                found = index[who] = len(writers)
                writers.append(list(who))
            i, last = found, m
        fields[name] = [m["v"], i]
    return {"f": fields, "w": writers}


def unpack_meta(stored: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The inverse of :func:`pack_meta` (``{}``, a row stored with no versions, reads as none)."""
    writers = stored.get("w") or []
    out: dict[str, dict[str, Any]] = {}
    for name, (v, i) in (stored.get("f") or {}).items():
        by, dev, at = writers[i]
        out[name] = {"v": v, "by": by, "dev": dev, "at": at}
    return out


_COLUMNS = (
    "entity, id, case_id, person_id, scope_id, data, field_meta, version, deleted, append_only, created_by"
)


# Rows by key: each key looked up by the primary key, one after another, in the order sent (a LATERAL
# subquery with OFFSET 0 is never flattened into a join), and never prepared (planned afresh each time), so
# a plan made while the table was small cannot stay while it grows; the form `(entity, id) IN (SELECT ...)`,
# prepared, came to scan the whole row store (issue 22; tests/server/test_lookup_plans.py).
LOAD_SQL = ("SELECT r.* FROM jsonb_to_recordset(%s) AS k(e text, i uuid) CROSS JOIN LATERAL"
            f" (SELECT {_COLUMNS} FROM rows WHERE entity = k.e AND id = k.i OFFSET 0) AS r")
LOAD_LOCKED_SQL = LOAD_SQL.replace("OFFSET 0)", "OFFSET 0 FOR UPDATE)")


def load_rows(conn: DbConn, keys: list[RowKey], lock: bool = True) -> dict[RowKey, RowState]:
    """The existing rows among ``keys``, locked FOR UPDATE in key order (a stable order avoids deadlocks
    between two batches touching the same rows)."""
    return stage_load_rows(conn, keys, lock)()


def stage_load_rows(
    conn: DbConn, keys: list[RowKey], lock: bool = True
) -> Callable[[], dict[RowKey, RowState]]:
    """:func:`load_rows` in two halves: this sends the query (a caller in pipeline mode can send more
    with it); the function returned reads the rows."""
    if not keys:
        return dict
    # (entity, id): every push locks in this one order, so two never deadlock. Sorted by the id's integer,
    # the order UUID's own comparison gives, without a Python call per comparison.
    keys = sorted(keys, key=lambda k: (k[0], k[1].int))
    # The keys travel as one JSON document (orjson), not as two arrays psycopg escapes element by element.
    sql = LOAD_LOCKED_SQL if lock else LOAD_SQL
    cur = conn.execute(sql, (Jsonb([{"e": k[0], "i": k[1]} for k in keys], orjson.dumps),), prepare=False)

    def read() -> dict[RowKey, RowState]:
        out: dict[RowKey, RowState] = {}
        for r in cur.fetchall():
            st = RowState(
                entity=r["entity"],
                id=r["id"],
                case_id=r["case_id"],
                person_id=r["person_id"],
                scope_id=r["scope_id"],
                data=r["data"],
                meta=unpack_meta(r["field_meta"]),
                version=r["version"],
                deleted=r["deleted"],
                append_only=r["append_only"],
                created_by=r["created_by"],
                exists=True,
            )
            out[st.key] = st
        return out

    return read


_RECORD = "e text, i uuid, c uuid, p uuid, s uuid, d jsonb, m jsonb, v bigint, del boolean, ao boolean"


def _record(r: RowState) -> dict[str, Any]:
    # Ids stay UUIDs: orjson (given to Jsonb below, whatever the connection) writes them as their text.
    return {"e": r.entity, "i": r.id, "c": r.case_id, "p": r.person_id, "s": r.scope_id,
            "d": r.data, "m": pack_meta(r.meta), "v": r.version, "del": r.deleted, "ao": r.append_only}  # fmt: skip


def lock_change_log(conn: DbConn) -> None:
    """Serialise sequence drawing until this transaction ends (the cursor guarantee; see module doc)."""
    conn.execute("SELECT pg_advisory_xact_lock(%s)", (CHANGE_LOCK,))


def commit_rows(conn: DbConn, rows: list[RowState], now: datetime, user_id: UUID | None) -> None:
    """Write changed rows with fresh, commit-ordered sequence numbers (sets ``row.version``).

    Raises ``Retry`` when a row this transaction believed new was inserted meanwhile by a concurrent
    transaction: the caller's whole transaction must run again so that op is judged against that row.
    """
    with conn.pipeline():
        check = stage_rows(conn, rows, now, user_id)
    check()


def stage_rows(
    conn: DbConn, rows: list[RowState], now: datetime, user_id: UUID | None
) -> Callable[[], None]:
    """:func:`commit_rows` in two halves, so a caller in pipeline mode can send its own statements
    with the row writes in one round trip: this takes the change-log lock and draws the sequence
    numbers (one round trip, waited for), then queues the writes; the returned check must be called
    once the pipeline has synced (it raises ``Retry`` as :func:`commit_rows` does)."""
    if not rows:
        return lambda: None
    lock_change_log(conn)
    # The numbers as one array in one row: a row (a dict) per number cost more than drawing them.
    got = conn.execute("SELECT array_agg(nextval('change_seq') ORDER BY g) AS s FROM generate_series(1, %s) AS g",
                       (len(rows),)).fetchone()  # fmt: skip
    assert got is not None
    seqs: list[int] = got["s"]
    for row, seq in zip(rows, seqs, strict=True):
        row.version = seq
        for m in row.meta.values():
            if m.get("v") is None:
                m["v"] = seq
    new = [r for r in rows if not r.exists]
    old = [r for r in rows if r.exists]
    inserted = None
    # The rows travel as ONE JSON document expanded by jsonb_to_recordset: far cheaper than binding
    # per-column arrays (psycopg escapes every element of a text[] in Python).
    if new:
        inserted = conn.execute(
            "INSERT INTO rows (entity, id, case_id, person_id, scope_id, data, field_meta, version, seq,"
            " deleted, append_only, created_by, created_at, updated_by, updated_at)"
            " SELECT e, i, c, p, s, d, m, v, v, del, ao, %s, %s, %s, %s"
            f" FROM jsonb_to_recordset(%s) AS u({_RECORD})"
            " ON CONFLICT (entity, id) DO NOTHING",
            (user_id, now, user_id, now, Jsonb([_record(r) for r in new], orjson.dumps)),
        )
    if old:
        conn.execute(
            "UPDATE rows SET case_id = u.c, person_id = u.p, scope_id = u.s, data = u.d, field_meta = u.m,"
            " version = u.v, seq = u.v, deleted = u.del, updated_by = %s, updated_at = %s"
            f" FROM jsonb_to_recordset(%s) AS u({_RECORD})"
            " WHERE rows.entity = u.e AND rows.id = u.i",
            (user_id, now, Jsonb([_record(r) for r in old], orjson.dumps)),
        )

    def check() -> None:
        if inserted is not None and inserted.rowcount != len(new):
            raise Retry("a row was inserted concurrently")
        for r in new:
            r.exists = True
        for r in rows:
            r.dirty = False

    return check
