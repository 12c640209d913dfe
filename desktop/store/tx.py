"""One write transaction: the row, its outbox entry and its audit entry together (Qt-free).

A :class:`Tx` exists only inside :meth:`desktop.store.Store.write` on the writer thread. Every
change to a synced table goes through :meth:`Tx.insert`, :meth:`Tx.update` or
:meth:`Tx.delete`, which write the row, one outbox entry for sync and one audit entry (who,
when, what, before and after) in the same SQLite transaction: all three commit or none does.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from sqlite_utils import Database

from desktop.store import audit
from desktop.store.schema import BOOKKEEPING, is_append_only


class Tx:
    """Write helpers bound to one transaction, one actor and one moment.

    Thread contract: used only on the writer thread, only during the function passed to
    ``Store.write``. Raises ``ValueError`` for programming errors (unknown row, an update to an
    append-only table); services validate user input before calling.
    """

    def __init__(self, db: Database, *, actor: str, device_id: str, now: str) -> None:
        self.db = db
        self.actor = actor
        self.device_id = device_id
        self.now = now
        self.touched: set[str] = set()
        self.cases: set[str] = set()
        self.beyond_cases = False
        """Something was recorded that belongs to no case (a person, a worker, cover for a worker, a
        pull from the server): what it changes cannot be told case by case."""

    # -- reads inside the transaction ---------------------------------------------------------
    def get(self, table: str, row_id: str) -> dict[str, Any] | None:
        cursor = self.db.execute(f"SELECT * FROM [{table}] WHERE id = ?", [row_id])
        values = cursor.fetchone()
        if values is None:
            return None
        return dict(zip([d[0] for d in cursor.description], values, strict=True))

    def get_existing(self, table: str, row_id: str) -> dict[str, Any]:
        """The row, which the caller has just written or read in this transaction. Raises
        ``LookupError`` (a bug, rolling the transaction back) if it is not there."""
        row = self.get(table, row_id)
        if row is None:
            raise LookupError(f"{table} {row_id} vanished inside its own transaction")
        return row

    def query(self, sql: str, params: Any = ()) -> list[dict[str, Any]]:
        cursor = self.db.execute(sql, params)
        columns = [d[0] for d in cursor.description]
        return [dict(zip(columns, values, strict=True)) for values in cursor.fetchall()]

    # -- writes -------------------------------------------------------------------------------
    def insert(self, table: str, values: dict[str, Any], *, case_id: str | None = None) -> dict[str, Any]:
        """Insert a new row (``values`` may carry an ``id`` made earlier, e.g. by a draft); returns
        the whole row as stored, defaults included."""
        fields = {k: v for k, v in values.items() if k not in BOOKKEEPING}
        row = {
            "id": values.get("id") or str(uuid.uuid4()),
            "case_id": case_id,
            "created_at": self.now,
            "created_by": self.actor,
            "updated_at": self.now,
            "updated_by": self.actor,
            "version": 0,
            "deleted": 0,
            **fields,
        }
        columns = ", ".join(f"[{c}]" for c in row)
        marks = ", ".join("?" for _ in row)
        self.db.execute(f"INSERT INTO [{table}] ({columns}) VALUES ({marks})", list(row.values()))
        self._outbox(table, row["id"], case_id, "insert", fields, {}, 0)
        self.record("insert", entity=table, entity_id=row["id"], case_id=case_id, after=fields)
        return self.get(table, row["id"]) or row

    def update(self, table: str, row_id: str, changes: dict[str, Any]) -> dict[str, Any]:
        """Change fields of a mutable row; only fields whose value differs are written.

        The outbox entry carries, for each changed field, the value the person saw before
        (``base``) and the server version of the row, so sync can detect a conflict field by
        field. Returns the row after the change.
        """
        if is_append_only(table):
            raise ValueError(f"{table} is append-only: record an amendment instead")
        before = self.get(table, row_id)
        if before is None or before["deleted"]:
            raise ValueError(f"no {table} {row_id}")
        changed = {k: v for k, v in changes.items() if k not in BOOKKEEPING and before.get(k) != v}
        if not changed:
            return before
        sets = ", ".join(f"[{c}] = ?" for c in changed)
        self.db.execute(
            f"UPDATE [{table}] SET {sets}, updated_at = ?, updated_by = ? WHERE id = ?",
            [*changed.values(), self.now, self.actor, row_id],
        )
        base = {k: before.get(k) for k in changed}
        self._outbox(table, row_id, before["case_id"], "update", changed, base, before["version"])
        self.record("update", entity=table, entity_id=row_id, case_id=before["case_id"], before=base, after=changed)
        return {**before, **changed, "updated_at": self.now, "updated_by": self.actor}

    def delete(self, table: str, row_id: str, *, reason: str | None = None) -> None:
        """Soft-delete a mutable row (kept, flagged ``deleted``; sync treats edit-vs-delete as a conflict)."""
        if is_append_only(table):
            raise ValueError(f"{table} is append-only: record an amendment instead")
        before = self.get(table, row_id)
        if before is None or before["deleted"]:
            raise ValueError(f"no {table} {row_id}")
        self.db.execute(
            f"UPDATE [{table}] SET deleted = 1, updated_at = ?, updated_by = ? WHERE id = ?",
            [self.now, self.actor, row_id],
        )
        self._outbox(table, row_id, before["case_id"], "delete", {"deleted": 1}, {"deleted": 0}, before["version"])
        self.record(
            "delete", entity=table, entity_id=row_id, case_id=before["case_id"], before=before, after={"reason": reason}
        )

    def record(
        self,
        action: str,
        *,
        entity: str | None = None,
        entity_id: str | None = None,
        case_id: str | None = None,
        before: Any = None,
        after: Any = None,
    ) -> None:
        """An audit entry on its own: a case opened, a sign-in, a letter printed."""
        audit.append(
            self.db,
            {
                "at": self.now,
                "actor": self.actor,
                "action": action,
                "entity": entity,
                "entity_id": entity_id,
                "case_id": case_id,
                "before": before,
                "after": after,
            },
        )
        if entity:
            self.touched.add(entity)
        if case_id:
            self.cases.add(case_id)
        else:
            self.beyond_cases = True

    def _outbox(
        self,
        table: str,
        row_id: str,
        case_id: str | None,
        kind: str,
        fields: dict[str, Any],
        base: dict[str, Any],
        base_version: int,
    ) -> None:
        self.db.execute(
            "INSERT INTO outbox (op_id, entity, entity_id, case_id, kind, fields, base, base_version,"
            " append_only, actor, device_id, local_time) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                str(uuid.uuid4()),
                table,
                row_id,
                case_id,
                kind,
                json.dumps(fields, ensure_ascii=False, default=str),
                json.dumps(base, ensure_ascii=False, default=str),
                base_version,
                1 if is_append_only(table) else 0,
                self.actor,
                self.device_id,
                self.now,
            ],
        )
