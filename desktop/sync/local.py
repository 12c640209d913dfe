"""The laptop side of sync inside one transaction: state, unsent fields, applying pulled rows, purging.

Thread contract: every function taking a ``tx`` runs on the store's writer thread inside the
transaction it was given (``Store.write``); nothing here opens its own transaction. Pulled data is
written with plain SQL — never through ``Tx.insert/update`` — so it creates no outbox entry.
"""

from __future__ import annotations

import json
from typing import Any

from desktop.store.database import IntegrityError
from desktop.store.rowspec import unit_of
from desktop.store.schema import BOOKKEEPING
from desktop.store.tx import Tx

# -- sync_state -------------------------------------------------------------------------------------


def get_state(tx_or_store: Any, key: str) -> str | None:
    """One sync_state value (``tx`` inside a write, or a ``Store`` for a read)."""
    rows = _rows(tx_or_store, "SELECT value FROM sync_state WHERE key = ?", [key])
    return rows[0]["value"] if rows else None


def set_state(tx: Tx, **values: str | None) -> None:
    for key, value in values.items():
        if value is None:
            tx.db.execute("DELETE FROM sync_state WHERE key = ?", [key])
        else:
            tx.db.execute(
                "INSERT INTO sync_state (key, value) VALUES (?, ?)"
                " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [key, value],
            )


def _rows(source: Any, sql: str, params: Any = ()) -> list[dict[str, Any]]:
    if isinstance(source, Tx):
        return source.query(sql, params)
    return source.rows(sql, params)


# -- the synced tables ------------------------------------------------------------------------------

_COLUMNS: dict[str, tuple[str, ...]] = {}


def synced_tables(source: Any) -> dict[str, tuple[str, ...]]:
    """Every table with the standard synced columns, mapped to its column names (cached per process:
    the schema only changes by migration, which happens before any sync)."""
    if not _COLUMNS:
        names = [r["name"] for r in _rows(source, "SELECT name FROM sqlite_master WHERE type = 'table'")]
        for name in names:
            cols = tuple(r["name"] for r in _rows(source, f"PRAGMA table_info([{name}])"))
            if BOOKKEEPING <= set(cols):
                _COLUMNS[name] = cols
    return _COLUMNS


def scope_of(entity: str, row_id: str, case_id: str | None, data: dict[str, Any]) -> str | None:
    """The server's unit of scope for a row (the one definition both sides use,
    :func:`desktop.store.rowspec.unit_of`): its case, else the person or household it is or belongs to,
    else the register log; None for reference data."""
    return unit_of(entity, row_id, case_id, data)


# -- unsent changes ---------------------------------------------------------------------------------


def unsent_fields(tx: Tx, entity: str, row_id: str) -> set[str] | None:
    """Fields of this row with an unsent change in the outbox (pending or needing attention); ``None``
    when nothing is unsent. A pending delete protects ``deleted``; a pending insert protects every
    field it carries."""
    ops = tx.query("SELECT kind, fields FROM outbox WHERE entity = ? AND entity_id = ?", [entity, row_id])
    if not ops:
        return None
    out: set[str] = set()
    for op in ops:
        out.update(json.loads(op["fields"]))
        if op["kind"] in ("delete", "insert"):
            out.add("deleted")
    return out


def unsent_fields_read(store: Any, entity: str, row_id: str) -> set[str]:
    """:func:`unsent_fields` for a reader outside a transaction (status, tests); empty when none."""
    out: set[str] = set()
    for op in store.rows("SELECT kind, fields FROM outbox WHERE entity = ? AND entity_id = ?", [entity, row_id]):
        out.update(json.loads(op["fields"]))
        if op["kind"] in ("delete", "insert"):
            out.add("deleted")
    return out


def _encode(value: Any) -> Any:
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return int(value)
    return value


# -- applying pulled rows ---------------------------------------------------------------------------


def apply_change(tx: Tx, change: dict[str, Any], now: str, *, force: bool = False) -> str:
    """Store one pulled row; returns ``applied``, ``older`` (we already hold a newer version),
    ``parked`` or ``kept`` (every changed field has an unsent local change). ``force`` (a repair) takes
    the server's version even when the local one is higher.

    Fields with unsent local changes are never overwritten; the row's version still advances, so the
    local copy verifies and later edits are made against the version the person now sees.
    """
    entity, row_id, version = change["entity"], change["id"], int(change["version"])
    data: dict[str, Any] = change.get("data") or {}
    tables = synced_tables(tx)
    cols = tables.get(entity)
    if cols is None:
        _park(tx, change, now, "no such table in this version of Diogel")
        return "parked"
    existing = tx.get(entity, row_id)
    parked = tx.query("SELECT version FROM sync_parked WHERE entity = ? AND id = ?", [entity, row_id])
    held = max([existing["version"] if existing else 0] + [p["version"] for p in parked])
    if held > version and not force:
        return "older"
    protected = unsent_fields(tx, entity, row_id) or set()
    values = {k: _encode(v) for k, v in data.items() if k in cols and k not in BOOKKEEPING and k not in protected}
    deleted = 1 if change.get("deleted") else 0
    try:
        if existing is None:
            row = {
                "id": row_id,
                "case_id": change.get("case_id"),
                # A row first seen here: its first stamps are the best record of who made it (exact for
                # append-only records, which are never changed).
                "created_at": data.get("created_at") or data.get("updated_at") or now,
                "created_by": data.get("created_by") or data.get("updated_by") or "server",
                "updated_at": data.get("updated_at") or now,
                "updated_by": data.get("updated_by") or "server",
                "version": version,
                "deleted": deleted,
                **values,
            }
            names = ", ".join(f"[{c}]" for c in row)
            marks = ", ".join("?" for _ in row)
            tx.db.execute(f"INSERT INTO [{entity}] ({names}) VALUES ({marks})", list(row.values()))
        else:
            sets = {k: v for k, v in values.items() if existing.get(k) != v}
            for stamp in ("updated_at", "updated_by"):
                if data.get(stamp) and stamp not in protected:
                    sets[stamp] = data[stamp]
            if "deleted" not in protected:
                sets["deleted"] = deleted
            sets["version"] = version
            assign = ", ".join(f"[{c}] = ?" for c in sets)
            tx.db.execute(f"UPDATE [{entity}] SET {assign} WHERE id = ?", [*sets.values(), row_id])
    except IntegrityError as exc:
        _park(tx, change, now, str(exc))
        return "parked"
    if parked:
        tx.db.execute("DELETE FROM sync_parked WHERE entity = ? AND id = ?", [entity, row_id])
    if protected and not values and existing is not None:
        return "kept"
    return "applied"


def _park(tx: Tx, change: dict[str, Any], now: str, reason: str) -> None:
    data = change.get("data") or {}
    tx.db.execute(
        "INSERT INTO sync_parked (entity, id, case_id, scope_id, version, deleted, data, reason, parked_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(entity, id) DO UPDATE SET case_id = excluded.case_id,"
        " scope_id = excluded.scope_id, version = excluded.version, deleted = excluded.deleted,"
        " data = excluded.data, reason = excluded.reason",
        [change["entity"], change["id"], change.get("case_id"),
         scope_of(change["entity"], change["id"], change.get("case_id"), data), int(change["version"]),
         1 if change.get("deleted") else 0, json.dumps(data, ensure_ascii=False), reason[:500], now],
    )  # fmt: skip


def retry_parked(tx: Tx, now: str) -> int:
    """Try every parked row again until no more can be stored; returns how many were stored."""
    stored = 0
    while True:
        progress = 0
        for p in tx.query("SELECT * FROM sync_parked ORDER BY version"):
            if p["entity"] not in synced_tables(tx):
                continue
            change = {"entity": p["entity"], "id": p["id"], "case_id": p["case_id"], "version": p["version"],
                      "deleted": bool(p["deleted"]), "data": json.loads(p["data"])}  # fmt: skip
            tx.db.execute("DELETE FROM sync_parked WHERE entity = ? AND id = ?", [p["entity"], p["id"]])
            if apply_change(tx, change, now) != "parked":
                progress += 1
        stored += progress
        if not progress:
            return stored


# -- scope loss -------------------------------------------------------------------------------------


def unit_rows(tx: Tx, unit_type: str, unit_id: str) -> list[tuple[str, str]]:
    """(table, id) of every local row in a case or, for any other unit (a person, a household, the
    register log), the case-less rows whose unit it is."""
    out: list[tuple[str, str]] = []
    for table, cols in synced_tables(tx).items():
        if unit_type == "case":
            out += [(table, r["id"]) for r in tx.query(f"SELECT id FROM [{table}] WHERE case_id = ?", [unit_id])]
            continue
        person = "person_id" if "person_id" in cols else "NULL"
        for r in tx.query(f"SELECT id, {person} AS person_id FROM [{table}] WHERE case_id IS NULL"):
            if scope_of(table, r["id"], None, {"person_id": r["person_id"]}) == unit_id:
                out.append((table, r["id"]))
    return out


def has_pending(tx: Tx, unit_type: str, unit_id: str) -> bool:
    """Does this case (or person) still have changes in the outbox that the server has not received?
    Entries needing attention were received (and are kept in the server's quarantine)."""
    if unit_type == "case":
        return bool(tx.query("SELECT 1 FROM outbox WHERE state = 'pending' AND case_id = ? LIMIT 1", [unit_id]))
    keys = unit_rows(tx, unit_type, unit_id)
    for table, row_id in keys:
        if tx.query(
            "SELECT 1 FROM outbox WHERE state = 'pending' AND entity = ? AND entity_id = ? LIMIT 1", [table, row_id]
        ):
            return True
    return False


def delete_rows(tx: Tx, keys: list[tuple[str, str]]) -> int:
    """Hard-delete local copies (not a soft delete: nothing is sent). Rows still referenced by rows
    that stay are kept (foreign keys); a few passes handle parents and children in any order."""
    left = list(keys)
    removed = 0
    while left:
        kept = []
        for table, row_id in left:
            try:
                tx.db.execute(f"DELETE FROM [{table}] WHERE id = ?", [row_id])
                removed += 1
            except IntegrityError:
                kept.append((table, row_id))
        if len(kept) == len(left):
            break
        left = kept
    return removed


def request_purge(tx: Tx, unit_type: str, unit_id: str, now: str) -> None:
    tx.db.execute(
        "INSERT OR IGNORE INTO sync_purge (unit_type, unit_id, requested_at) VALUES (?, ?, ?)",
        [unit_type, unit_id, now],
    )


def run_purges(tx: Tx) -> list[tuple[str, str]]:
    """Purge every waiting case/person whose unsent changes are all in; returns what was purged.
    Each purge is audited; the rows' outbox entries needing attention stay (never dropped)."""
    done = []
    for p in tx.query("SELECT unit_type, unit_id FROM sync_purge ORDER BY requested_at"):
        kind, unit = p["unit_type"], p["unit_id"]
        if has_pending(tx, kind, unit):
            continue
        keys = unit_rows(tx, kind, unit)
        removed = delete_rows(tx, keys)
        column = "case_id" if kind == "case" else "scope_id"
        tx.db.execute(f"DELETE FROM sync_parked WHERE {column} = ?", [unit])
        if kind == "case":
            tx.db.execute("DELETE FROM sync_conflict WHERE case_id = ? AND status = 'resolved'", [unit])
        tx.db.execute("DELETE FROM sync_purge WHERE unit_type = ? AND unit_id = ?", [kind, unit])
        tx.record("sync.purge", entity=None, case_id=unit if kind == "case" else None,
                  after={"unit": kind, "id": unit, "rows": removed})  # fmt: skip
        done.append((kind, unit))
    return done
