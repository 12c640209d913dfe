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
Before anything is written the export is checked in full against the format
(:mod:`desktop.services.export_format`), and the new profile is made beside its folder and renamed
into place only when whole.
"""

from __future__ import annotations

import base64
import shutil
import uuid
from collections.abc import Iterator
from datetime import UTC
from pathlib import Path
from typing import Any

import sqlcipher3

from desktop.errors import DiogelError
from desktop.i18n import LANGUAGES, N_
from desktop.services.export_format import (  # noqa: F401 - re-exported: the format lives there
    DERIVED_TABLES,
    FORMAT,
    LOCAL_META,
    SKIP_TABLES,
    VERSION,
    ExportInvalid,
    load_rows,
    validate_export,
)
from desktop.services.permissions import Can
from desktop.store import Store
from desktop.store.crypto import KdfParams
from desktop.store.profile import Profile


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


def iter_rows(store: Store, table: str) -> Iterator[dict[str, Any]]:
    with store.reading() as db:
        cursor = db.execute(f"SELECT * FROM [{table}] ORDER BY {_order(store, table)}")
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


def check_export(data: Any) -> None:
    """Raise :class:`ExportInvalid` unless ``data`` is an export this build can import (the whole
    check of :func:`~desktop.services.export_format.validate_export`; nothing is written)."""
    validate_export(data)


def import_profile(store: Store, data: Any, *, actor: str) -> dict[str, int]:
    """Load an export into a freshly created profile's store; returns rows per table.

    Raises :class:`ExportInvalid` (nothing written) for anything :func:`validate_export` refuses, and
    :class:`DiogelError` for a target that already holds case data. One transaction: the rows as
    exported, then one audit entry recording the import.
    """
    tables = validate_export(data)

    def write(tx: Any) -> dict[str, int]:
        for table in _tables(store):
            rows = tx.query(f"SELECT count(*) AS n FROM [{table}]" + (" WHERE key <> 'device_id'" if table == "meta" else ""))
            if rows[0]["n"]:
                raise DiogelError(N_("Import only into a new, empty profile; this one already holds data."))
        counts = load_rows(tx.db, tables)
        tx.record("import", after={"exported_at": data.get("exported_at"), "rows": sum(counts.values())})
        return counts

    try:
        return store.write(write, actor=actor)
    except sqlcipher3.DatabaseError as exc:  # the checks above should make this impossible; say so plainly
        raise DiogelError(N_("The export could not be imported ({detail}); nothing was kept."), detail=str(exc)) from exc


def import_into_new_profile(folder: Path, data: Any, password: str, *, kdf: KdfParams | None = None) -> dict[str, int]:
    """A new profile in ``folder`` from an export; returns rows per table.

    The export is checked in full first (:func:`validate_export`); the profile is then made in a
    hidden folder beside ``folder`` and renamed into place only once every row is in and the store is
    closed, so ``folder`` is either the whole profile or absent — never half made, whatever stops the
    import. Raises :class:`ExportInvalid`, ``ValidationError`` (a weak password) or
    :class:`DiogelError` (``folder`` already holds something)."""
    tables = validate_export(data)
    folder = Path(folder)
    if Profile.exists(folder):
        raise DiogelError(N_("A profile already exists in {folder}; import into a new folder."), folder=str(folder))
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise DiogelError(N_("{folder} is not empty; import into a new folder."), folder=str(folder))
    meta = {row.get("key"): row.get("value") for row in tables.get("meta", [])}
    language = meta.get("language") if meta.get("language") in LANGUAGES else "en"
    staging = folder.parent / f".{folder.name}.importing-{uuid.uuid4().hex[:8]}"
    try:
        profile, key = Profile.create(staging, password, language=str(language), kdf=kdf)
        store = profile.open_store(key, create=True)
        try:
            counts = import_profile(store, data, actor=str(meta.get("user_id") or "import"))
        finally:
            store.close()
        if folder.exists():
            folder.rmdir()  # empty (checked above)
        staging.replace(folder)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return counts
