"""Shared schema conventions for synced tables (Qt-free).

Every synced row carries a device-made UUID, the case it belongs to (the unit of scope for
sync and permissions), bookkeeping for sync (``version``: the server version last seen, 0 if
never synced) and soft deletion. Timestamps are UTC ISO strings; dates of events are local
ISO dates (``YYYY-MM-DD``).
"""

from __future__ import annotations

STANDARD_COLUMNS = """
    id TEXT PRIMARY KEY,
    case_id TEXT,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 0,
    deleted INTEGER NOT NULL DEFAULT 0
"""

BOOKKEEPING = frozenset(
    {"id", "case_id", "created_at", "created_by", "updated_at", "updated_by", "version", "deleted"}
)
"""Columns the store maintains itself; services never set them directly."""


def synced_table(name: str, columns: str) -> str:
    """``CREATE TABLE`` for a synced table: the standard columns, then ``columns``."""
    return f"CREATE TABLE {name} ({STANDARD_COLUMNS.strip()},\n{columns.strip()})"



def split_sql(sql: str) -> list[str]:
    """Split a script on ';' at line ends, keeping trigger bodies whole."""
    out, current = [], []
    for line in sql.splitlines():
        current.append(line)
        stripped = line.strip()
        if stripped.endswith(";") and (not stripped.startswith("BEGIN") or stripped.endswith("END;")):
            text = "\n".join(current).strip()
            if text and text != ";":
                out.append(text)
            current = []
    rest = "\n".join(current).strip()
    if rest:
        out.append(rest)
    return out


_APPEND_ONLY: set[str] = set()


def register_append_only(*tables: str) -> None:
    """Declare tables whose rows are facts (visits, notes, minutes, letters sent): insert only;
    a correction is a new row that amends the old. Called by the migration module that creates them."""
    _APPEND_ONLY.update(tables)


def is_append_only(table: str) -> bool:
    return table in _APPEND_ONLY
