"""Reference data (rows in no unit: teams, practitioners, covers) encoded once per process for every pull.

Every laptop pulls the same reference rows, so a pull takes them from this cache instead of having
PostgreSQL build their JSON again for each laptop. Contract:

- :meth:`ReferenceCache.rows` answers exactly what ``SELECT seq, change FROM rows WHERE scope_id IS NULL
  AND seq > n AND <role> ORDER BY seq LIMIT limit`` answers **in the caller's transaction snapshot**;
  the JSON text of each row is the same text PostgreSQL makes for the pull (it made it).
- One cache serves one database (the app keeps its own: server/app.py). Validity: an entry is keyed
  by the reference rows' generation read in the caller's snapshot (``reference_generation``, server
  migration 0028): the database adds one to it in the same transaction as any insert, update or
  delete of a reference row and any TRUNCATE of rows, so equal keys mean the same rows, the same
  versions. A change to reference data is therefore never served stale, whichever instance (or
  hand in the database) made it.
- Bounded: at most ``entries`` snapshots of at most ``max_bytes`` characters of JSON each are kept (the
  oldest dropped first); reference data larger than that is read from PostgreSQL each time, as before.
"""

from __future__ import annotations

import threading
from bisect import bisect_right
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field

from server.db import DbConn, one

# The JSON of one change as the pull sends it, rendered by PostgreSQL (the pull never re-encodes rows).
CHANGE_JSON = (
    "json_build_object('entity', entity, 'id', id, 'case_id', case_id, 'version', version,"
    " 'deleted', deleted, 'data', data)::text"
)


@dataclass(frozen=True)
class ReferenceSet:
    """The reference rows of one snapshot, in sequence order: ``(seq, change)`` pairs and their entities."""

    pairs: list[tuple[int, str]]
    entities: list[str]
    seqs: list[int] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "seqs", [seq for seq, _change in self.pairs])

    def after(self, n: int, entities: Sequence[str] | None, limit: int) -> list[tuple[int, str]]:
        """``(seq, change)`` of the first ``limit`` rows after ``n`` whose entity is in ``entities``
        (None: all)."""
        start = bisect_right(self.seqs, n)
        if entities is None:
            return self.pairs[start : start + limit]  # a slice: what every caseworker's pull takes
        allowed = frozenset(entities)
        kinds = self.entities
        return [self.pairs[i] for i in range(start, len(self.pairs)) if kinds[i] in allowed][:limit]


class ReferenceCache:
    """One per app (so per process and database); shared by the request threads (a lock guards the
    entries)."""

    def __init__(self, entries: int = 2, max_bytes: int = 32 * 1024 * 1024) -> None:
        self.entries, self.max_bytes = entries, max_bytes
        self._sets: OrderedDict[int, ReferenceSet] = OrderedDict()
        self._too_big: int | None = None
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def rows(self, conn: DbConn, n: int, entities: Sequence[str] | None, limit: int) -> list[tuple[int, str]]:
        """The reference rows after ``n`` readable with ``entities``, at most ``limit`` (see the module)."""
        key = int(one(conn.execute("SELECT n FROM reference_generation"), "the reference rows' generation")["n"])
        with self._lock:
            got = self._sets.get(key)
            if got is not None:
                self._sets.move_to_end(key)
                self.hits += 1
            else:
                self.misses += 1
            too_big = self._too_big == key
        if got is not None:
            return got.after(n, entities, limit)
        if too_big:
            return query(conn, n, entities, limit)
        whole = conn.execute(f"SELECT seq, entity, {CHANGE_JSON} AS change FROM rows WHERE scope_id IS NULL ORDER BY seq")
        pairs, kinds, size = [], [], 0
        for r in whole:
            pairs.append((r["seq"], r["change"]))
            kinds.append(r["entity"])
            size += len(r["change"])
        if size > self.max_bytes:
            with self._lock:
                self._too_big = key
            return query(conn, n, entities, limit)
        ref = ReferenceSet(pairs, kinds)
        with self._lock:
            self._sets[key] = ref
            while len(self._sets) > self.entries:
                self._sets.popitem(last=False)
        return ref.after(n, entities, limit)


def query(conn: DbConn, n: int, entities: Sequence[str] | None, limit: int) -> list[tuple[int, str]]:
    """What :meth:`ReferenceCache.rows` answers, read from PostgreSQL (no cache)."""
    rows = conn.execute(
        f"SELECT seq, {CHANGE_JSON} AS change FROM rows WHERE scope_id IS NULL AND seq > %s"
        " AND (%s::text[] IS NULL OR entity = ANY(%s::text[])) ORDER BY seq LIMIT %s",
        (n, entities, entities, limit),
    )
    return [(r["seq"], r["change"]) for r in rows]

