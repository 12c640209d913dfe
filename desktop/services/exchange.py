"""Export and import a whole profile as JSON (Qt-free).

Format (``format: "diogel-export"``, ``version: 1``)::

    {
      "format": "diogel-export", "version": 1,
      "exported_at": "2026-11-23T13:00:00+00:00",
      "migrations": ["m0001_core", ...],          # the schema the rows belong to
      "tables": {"person": [{...row...}, ...], "audit": [...], "outbox": [...], ...}
    }

Every table of the profile is exported (but tables that triggers derive from others, which the
import rebuilds), row by row, every column as stored (BLOBs as
``{"$base64": "..."}``), ordered by primary key, so a round trip loses nothing: the audit chain,
the outbox of unsent changes, drafts, the letters' PDFs. Import goes into a NEW profile only
(merging two profiles' histories is what sync is for): it writes every row verbatim in one
transaction, then appends one audit entry recording the import, so the chain still verifies.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from datetime import UTC
from typing import Any

from desktop.errors import DiogelError
from desktop.i18n import N_
from desktop.services.permissions import Can
from desktop.store import Store
from desktop.store.migrations import known_names

FORMAT = "diogel-export"
VERSION = 1
SKIP_TABLES = {"_sqlite_migrations", "sqlite_sequence"}
DERIVED_TABLES = {"cp_latest_visit"}  # maintained by triggers from the rows they summarise
LOCAL_META = {"device_id"}  # each profile keeps its own device identity


def _tables(store: Store) -> list[str]:
    return [
        r["name"]
        for r in store.rows("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        if r["name"] not in SKIP_TABLES | DERIVED_TABLES and not r["name"].startswith("sqlite_")
    ]


def _order(store: Store, table: str) -> str:
    pk = [r["name"] for r in store.rows(f"PRAGMA table_info([{table}])") if r["pk"]]
    return ", ".join(f"[{c}]" for c in pk) if pk else "rowid"


def _encode(value: Any) -> Any:
    if isinstance(value, bytes | memoryview):
        return {"$base64": base64.b64encode(bytes(value)).decode("ascii")}
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, dict) and set(value) == {"$base64"}:
        return base64.b64decode(value["$base64"])
    return value


def iter_rows(store: Store, table: str) -> Iterator[dict[str, Any]]:
    cursor = store.read().execute(f"SELECT * FROM [{table}] ORDER BY {_order(store, table)}")
    columns = [d[0] for d in cursor.description]
    for values in cursor:
        yield {c: _encode(v) for c, v in zip(columns, values, strict=True)}


class ExchangeService:
    """Export for the signed-in person. The export holds every visit note, plan and audit entry on the
    laptop, so it is casework: ``Can.VIEW_CASEWORK`` (admin staff and the register custodian are
    refused); the export itself is audited."""

    def __init__(self, session: Any) -> None:
        self.session = session

    def export(self) -> dict[str, Any]:
        """The whole profile as a JSON-ready dict (see :func:`export_profile`)."""
        self.session.require(Can.VIEW_CASEWORK)
        self.session.write(lambda tx: tx.record("export"))
        return export_profile(self.session.store)


def export_profile(store: Store) -> dict[str, Any]:
    """The whole profile as a JSON-ready dict (no role check: callers go through :class:`ExchangeService`)."""
    applied = [r["name"] for r in store.rows("SELECT name FROM _sqlite_migrations ORDER BY rowid")]
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": store.clock().astimezone(UTC).isoformat(timespec="seconds"),
        "migrations": applied,
        "tables": {table: list(iter_rows(store, table)) for table in _tables(store)},
    }


def check_export(data: dict[str, Any]) -> None:
    """Raise :class:`DiogelError` unless ``data`` is an export this build can read."""
    if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("version") != VERSION:
        raise DiogelError(N_("This file is not a Diogel export this version can read."))
    unknown = sorted(set(data.get("migrations", [])) - set(known_names()))
    if unknown:
        raise DiogelError(N_("This export comes from a newer version of Diogel ({names})."), names=", ".join(unknown))


def import_profile(store: Store, data: dict[str, Any], *, actor: str) -> dict[str, int]:
    """Load an export into a freshly created profile's store; returns rows per table.

    Raises :class:`DiogelError` (nothing written) for another format, a newer schema, or a
    target that already holds case data.
    """
    check_export(data)
    tables: dict[str, list[dict[str, Any]]] = data.get("tables", {})
    existing = set(_tables(store))
    missing = sorted(set(tables) - existing)
    if missing:
        raise DiogelError(N_("This export has tables this version does not know: {names}."), names=", ".join(missing))

    def write(tx: Any) -> dict[str, int]:
        for table in existing:
            rows = tx.query(f"SELECT count(*) AS n FROM [{table}]" + (" WHERE key <> 'device_id'" if table == "meta" else ""))
            if rows[0]["n"]:
                raise DiogelError(N_("Import only into a new, empty profile; this one already holds data."))
        tx.db.execute("PRAGMA defer_foreign_keys = ON")  # rows arrive table by table
        counts = {}
        for table, rows in tables.items():
            for row in rows:
                if table == "meta" and row.get("key") in LOCAL_META:
                    continue
                cols = list(row)
                tx.db.execute(
                    f"INSERT INTO [{table}] ({', '.join(f'[{c}]' for c in cols)}) VALUES ({', '.join('?' * len(cols))})",
                    [_decode(row[c]) for c in cols],
                )
            counts[table] = len(rows)
        tx.record("import", after={"exported_at": data.get("exported_at"), "rows": sum(counts.values())})
        return counts

    return store.write(write, actor=actor)
