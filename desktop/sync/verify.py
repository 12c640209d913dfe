"""Per-scope counts and checksums of the local copy, compared with the server's (Qt-free).

The checksum of a scope is the XOR over its rows of the first 8 bytes of md5("entity:id:version") —
the same sum the server computes (``GET /v1/verify``). Rows count when the server has given them a
version (``version > 0``); parked rows count with their parked version (they are held, not yet
shown). Rows made here and not yet sent have version 0 and do not count.

Thread contract: :func:`local_summary` reads through ``store.rows`` on the calling thread.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from desktop.sync.local import scope_of, synced_tables

REFERENCE = ""  # the scope key of reference data (no case, no person)


def row_hash(entity: str, row_id: str, version: int) -> int:
    return int(hashlib.md5(f"{entity}:{row_id}:{version}".encode()).hexdigest()[:16], 16)


@dataclass
class ScopeSum:
    rows: int = 0
    checksum: int = 0

    def add(self, entity: str, row_id: str, version: int) -> None:
        self.rows += 1
        self.checksum ^= row_hash(entity, row_id, version)

    def as_pair(self) -> tuple[int, str]:
        return self.rows, format(self.checksum, "016x")


@dataclass
class Comparison:
    mismatched: set[str] = field(default_factory=set)  # scope ids ("" = reference data)
    stray: set[tuple[str, str]] = field(default_factory=set)  # (unit_type, id) held here, not in scope

    @property
    def ok(self) -> bool:
        return not self.mismatched


def local_summary(store: Any) -> tuple[dict[str, ScopeSum], dict[str, str]]:
    """(sums by scope id, unit type of each scope id: 'case' or 'person')."""
    sums: dict[str, ScopeSum] = {}
    kinds: dict[str, str] = {}
    parked = {(r["entity"], r["id"]): r for r in store.rows("SELECT entity, id, case_id, scope_id, version"
                                                             " FROM sync_parked")}  # fmt: skip
    for table, cols in synced_tables(store).items():
        person_col = "person_id" if "person_id" in cols else "NULL"
        for r in store.rows(f"SELECT id, case_id, {person_col} AS person_id, version FROM [{table}]"
                            " WHERE version > 0"):  # fmt: skip
            if (table, r["id"]) in parked:
                continue
            unit = scope_of(table, r["id"], r["case_id"], {"person_id": r["person_id"]})
            if r["case_id"]:
                scope, kind = r["case_id"], "case"
            elif unit:
                scope, kind = unit, "person"  # a person, a household or the register log
            else:
                scope, kind = REFERENCE, ""
            sums.setdefault(scope, ScopeSum()).add(table, r["id"], r["version"])
            kinds.setdefault(scope, kind)
    for (entity, row_id), p in parked.items():
        scope = p["scope_id"] or REFERENCE
        sums.setdefault(scope, ScopeSum()).add(entity, row_id, p["version"])
        kinds.setdefault(scope, "case" if p["case_id"] else ("person" if p["scope_id"] else ""))
    return sums, kinds


def compare(server: dict[str, Any], store: Any) -> Comparison:
    """Which scopes differ between the server's ``/v1/verify`` answer and the local copy."""
    sums, kinds = local_summary(store)
    out = Comparison()
    expected: dict[str, tuple[int, str]] = {REFERENCE: (server["reference"]["rows"], server["reference"]["checksum"])}
    for group in ("cases", "persons"):
        for unit, entry in server[group].items():
            expected[unit] = (entry["rows"], entry["checksum"])
    for unit, want in expected.items():
        have = sums.get(unit, ScopeSum()).as_pair()
        if have != want:
            out.mismatched.add(unit)
    for unit in set(sums) - set(expected):
        out.stray.add((kinds.get(unit) or "case", unit))
    return out
