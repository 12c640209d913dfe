"""The hash-chained audit trail (Qt-free).

Each entry's hash is SHA-256 over the previous entry's hash and the entry's own canonical JSON,
so removing, reordering or editing any entry breaks every hash after it. Triggers make the
table append-only; :func:`verify_chain` proves the chain from the first entry to the last.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

GENESIS = "0" * 64


def canonical(value: Any) -> str | None:
    """Deterministic JSON (sorted keys, no spaces) or ``None`` for ``None``."""
    if value is None:
        return None
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def entry_hash(prev_hash: str, entry: dict[str, Any]) -> str:
    body = canonical(
        [
            entry["seq"],
            entry["at"],
            entry["actor"],
            entry["action"],
            entry.get("entity"),
            entry.get("entity_id"),
            entry.get("case_id"),
            entry.get("before"),
            entry.get("after"),
        ]
    )
    return hashlib.sha256(f"{prev_hash}|{body}".encode()).hexdigest()


def append(db: Database, entry: dict[str, Any]) -> dict[str, Any]:
    """Append one entry (inside the caller's transaction) and return it with its hash.

    ``entry`` holds at, actor, action and optionally entity, entity_id, case_id, and
    ``before``/``after`` as dicts (stored as canonical JSON).
    """
    last = db.execute("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
    seq, prev_hash = (last[0] + 1, last[1]) if last else (1, GENESIS)
    row = {
        "seq": seq,
        "at": entry["at"],
        "actor": entry["actor"],
        "action": entry["action"],
        "entity": entry.get("entity"),
        "entity_id": entry.get("entity_id"),
        "case_id": entry.get("case_id"),
        "before": canonical(entry.get("before")),
        "after": canonical(entry.get("after")),
        "prev_hash": prev_hash,
    }
    row["hash"] = entry_hash(prev_hash, row)
    db.execute(
        "INSERT INTO audit (seq, at, actor, action, entity, entity_id, case_id, before, after, prev_hash, hash)"
        " VALUES (:seq, :at, :actor, :action, :entity, :entity_id, :case_id, :before, :after, :prev_hash, :hash)",
        row,
    )
    return row


@dataclass(frozen=True, slots=True)
class ChainReport:
    entries: int
    broken_at: int | None  # seq of the first entry that does not verify

    @property
    def ok(self) -> bool:
        return self.broken_at is None


def verify_chain(db: Database) -> ChainReport:
    """Walk the whole trail in order; report the first entry whose link or hash is wrong."""
    prev_hash, expected_seq, count = GENESIS, 1, 0
    cursor = db.execute(
        "SELECT seq, at, actor, action, entity, entity_id, case_id, before, after, prev_hash, hash"
        " FROM audit ORDER BY seq"
    )
    columns = [d[0] for d in cursor.description]
    for values in cursor:
        row = dict(zip(columns, values, strict=True))
        count += 1
        if row["seq"] != expected_seq or row["prev_hash"] != prev_hash or entry_hash(prev_hash, row) != row["hash"]:
            return ChainReport(entries=count, broken_at=row["seq"])
        prev_hash, expected_seq = row["hash"], expected_seq + 1
    return ChainReport(entries=count, broken_at=None)
