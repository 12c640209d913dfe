"""Conflicts on the laptop: both values kept, the case flagged, a person decides (Qt-free).

The server is the record of conflicts; each sync mirrors its open ones into ``sync_conflict`` (and
marks those no longer open as resolved). While a conflict is open the local row shows the server's
value — the copy matches the server — and the other value waits in the conflict, never lost.
Resolving calls the server (the decision is audited there) and audits it here too.

Thread contract: :func:`open_conflicts`, :func:`flagged_cases` read on the calling thread;
:func:`mirror` and :func:`record_resolution` run inside a ``Tx`` on the writer thread;
:func:`resolve` does network I/O — call it from a worker thread, never the GUI thread.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from desktop.errors import ValidationError
from desktop.i18n import N_
from desktop.store.tx import Tx
from desktop.sync.local import unsent_fields

CHOICES = ("server", "client", "value")


@dataclass(frozen=True, slots=True)
class Conflict:
    """One conflict as the conflict screen shows it (values decoded from JSON)."""

    id: str
    entity: str
    entity_id: str
    case_id: str | None
    field: str
    server_value: Any
    server_by: str | None
    server_device: str | None
    server_at: str | None
    client_value: Any
    client_by: str | None
    client_device: str | None
    client_local_time: str | None
    received_at: str | None
    status: str

    @property
    def is_delete(self) -> bool:
        """An edit-against-delete conflict (the whole row, not one field)."""
        return self.field == "_row"


def _load(v: str | None) -> Any:
    return None if v is None else json.loads(v)


def _conflict(r: dict[str, Any]) -> Conflict:
    return Conflict(
        r["id"], r["entity"], r["entity_id"], r["case_id"], r["field"], _load(r["server_value"]), r["server_by"],
        r["server_device"], r["server_at"], _load(r["client_value"]), r["client_by"], r["client_device"],
        r["client_local_time"], r["received_at"], r["status"],
    )  # fmt: skip


def open_conflicts(store: Any, case_id: str | None = None) -> list[Conflict]:
    sql = "SELECT * FROM sync_conflict WHERE status = 'open'"
    params: list[Any] = []
    if case_id:
        sql += " AND case_id = ?"
        params.append(case_id)
    return [_conflict(r) for r in store.rows(sql + " ORDER BY received_at, id", params)]


def get_conflict(store: Any, conflict_id: str) -> Conflict | None:
    rows = store.rows("SELECT * FROM sync_conflict WHERE id = ?", [conflict_id])
    return _conflict(rows[0]) if rows else None


def flagged_cases(store: Any) -> set[str]:
    """Cases with at least one open conflict."""
    rows = store.rows("SELECT DISTINCT case_id FROM sync_conflict WHERE status = 'open' AND case_id IS NOT NULL")
    return {r["case_id"] for r in rows}


def _show_server_value(tx: Tx, c: dict[str, Any]) -> None:
    """Make the local row show the server's side of a new conflict, unless the person has changed that
    field again since (then their newer change waits in the outbox and will be judged on its own)."""
    table, row_id, field = c["entity"], str(c["entity_id"]), c["field"]
    row = tx.get(table, row_id) if tx.query("SELECT 1 FROM sqlite_master WHERE name = ?", [table]) else None
    if row is None:
        return
    pending = unsent_fields(tx, table, row_id) or set()
    server = c.get("server_value")
    if field == "_row":
        if "deleted" in pending or not isinstance(server, dict):
            return
        sets: dict[str, Any] = {"deleted": 1 if server.get("deleted") else 0}
        for k, v in (server.get("changed") or {}).items():
            if k in row and k not in pending:
                sets[k] = json.dumps(v) if isinstance(v, dict | list) else v
    elif field in row and field not in pending:
        sets = {field: json.dumps(server) if isinstance(server, dict | list) else server}
    else:
        return
    # A value the laptop cannot hold (nothing, in a column that needs one: a conflict the server recorded
    # before it read an absent field as the column's default) leaves the row as it is; both values still
    # wait in the conflict. Writing it would fail the whole sync, and every sync after it.
    required = {c["name"] for c in tx.query(f"PRAGMA table_info([{table}])") if c["notnull"]}
    sets = {k: v for k, v in sets.items() if v is not None or k not in required}
    if not sets:
        return
    assign = ", ".join(f"[{k}] = ?" for k in sets)
    tx.db.execute(f"UPDATE [{table}] SET {assign} WHERE id = ?", [*sets.values(), row_id])


def mirror(tx: Tx, server_conflicts: list[dict[str, Any]]) -> int:
    """Store the server's open conflicts (new ones audited and shown with the server's value); mark
    local open ones the server no longer lists as resolved. Returns how many are new."""
    new = 0
    seen = set()
    for c in server_conflicts:
        seen.add(c["id"])
        if tx.query("SELECT 1 FROM sync_conflict WHERE id = ?", [c["id"]]):
            continue
        tx.db.execute(
            "INSERT INTO sync_conflict (id, entity, entity_id, case_id, field, server_value, server_by,"
            " server_device, server_at, server_version, client_value, client_by, client_device,"
            " client_local_time, received_at, status) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?, 'open')",
            [c["id"], c["entity"], c["entity_id"], c.get("case_id"), c["field"], json.dumps(c.get("server_value")),
             c.get("server_by"), c.get("server_device"), c.get("server_at"), c.get("server_version"),
             json.dumps(c.get("client_value")), c.get("client_by"), c.get("client_device"),
             c.get("client_local_time"), c.get("received_at")],
        )  # fmt: skip
        _show_server_value(tx, c)
        tx.record("sync.conflict", entity=c["entity"], entity_id=c["entity_id"], case_id=c.get("case_id"),
                  after={"conflict_id": c["id"], "field": c["field"]})  # fmt: skip
        new += 1
    for r in tx.query("SELECT id FROM sync_conflict WHERE status = 'open'"):
        if r["id"] not in seen:
            tx.db.execute("UPDATE sync_conflict SET status = 'resolved' WHERE id = ?", [r["id"]])
    return new


def record_resolution(tx: Tx, conflict_id: str, answer: dict[str, Any]) -> None:
    """Mark a conflict resolved with the server's answer, and audit the decision here."""
    c = tx.query("SELECT * FROM sync_conflict WHERE id = ?", [conflict_id])
    tx.db.execute(
        "UPDATE sync_conflict SET status = 'resolved', resolution = ?, resolved_by = ?, resolved_at = ? WHERE id = ?",
        [json.dumps(answer), tx.actor, tx.now, conflict_id],
    )
    row = c[0] if c else {}
    tx.record(
        "sync.conflict_resolved",
        entity=row.get("entity"),
        entity_id=row.get("entity_id"),
        case_id=row.get("case_id"),
        before={"server_value": _load(row.get("server_value")), "client_value": _load(row.get("client_value"))},
        after={"conflict_id": conflict_id, "choice": answer.get("choice"), "value": answer.get("value"),
               "note": answer.get("note")},
    )  # fmt: skip


def check_choice(conflict: Conflict, choice: str) -> None:
    if choice not in CHOICES:
        raise ValidationError(N_("Choose which value to keep."), field="choice")
    if conflict.is_delete and choice == "value":
        raise ValidationError(
            N_("A record deleted on one side and changed on the other is resolved by keeping one side."),
            field="choice",
        )
