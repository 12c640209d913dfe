"""Push: apply one batch of outbox ops in one transaction.

Contract of ``apply_batch`` (one result per op, in order):
- ``duplicate``: the op_id was applied before (this or an earlier push); nothing changes, ``original``
  carries the first result. So a repeated or interrupted push is harmless.
- ``applied``: every field merged (``applied_fields``), row ``version`` returned.
- ``conflict``: at least one field (or the row, for edit-vs-delete) was NOT overwritten; an open conflict
  record keeps both values (``conflicts``); the other fields merged.
- ``rejected``: refused (``reason``, ``message``); the op is kept in ``quarantine`` for a supervisor and is
  not marked applied, so it is judged afresh if sent again (e.g. after access is restored).
Device clocks decide nothing: detection uses the op's ``base`` values and ``base_version`` against the
server's values and per-field versions.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

import psycopg
from psycopg import errors
from psycopg.types.json import Jsonb

from server.auth import User
from server.config import Settings
from server.db import Retry
from server.rowstore import RowKey, RowState, commit_rows, load_rows
from server.scope import Scope, case_known, compute_scope, may_create_case, register_new_case
from server.wire import META_FIELDS, Op

# Display-only stamps the device sets on every edit. Letting them conflict would turn every pair of
# edits to different fields into a conflict; they follow server receipt order instead.
RECEIPT_ORDER_FIELDS = frozenset({"updated_at", "updated_by"})


@dataclass
class PushHooks:
    """Test seams: ``after_op(index)`` runs after each op is judged, ``before_commit(conn)`` after the
    sequence numbers are drawn and before commit (the change-log lock is held)."""

    after_op: Callable[[int], None] | None = None
    before_commit: Callable[[psycopg.Connection], None] | None = None


class _Rejected(Exception):
    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message


def _same(a: Any, b: Any) -> bool:
    """JSON equality (so True != 1 and 1 == 1.0 as in JSON)."""
    if a is b:
        return True
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, int | float) and isinstance(b, int | float):
        return a == b
    if type(a) is not type(b):
        return False
    if isinstance(a, dict | list):
        return json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)
    return a == b


def _uuid_or_none(v: Any) -> UUID | None:
    if isinstance(v, str):
        try:
            return UUID(v)
        except ValueError:
            return None
    return None


class _Batch:
    """State of one push transaction."""

    def __init__(self, conn: psycopg.Connection, settings: Settings, user: User, scope: Scope) -> None:
        self.conn = conn
        self.user = user
        self.scope = scope
        self.now: datetime = settings.now()
        self.now_iso = self.now.isoformat()
        self.rows: dict[RowKey, RowState] = {}
        self.conflicts: list[dict[str, Any]] = []
        self.quarantine: list[tuple[Op, str, str]] = []
        self.touched: list[RowState] = []

    # -- helpers -----------------------------------------------------------------------------------
    def _pending(self, op: Op) -> dict[str, Any]:
        return {"v": None, "by": str(self.user.id), "dev": op.device_id, "at": self.now_iso}

    @staticmethod
    def _changed_since(meta: dict[str, Any] | None, op: Op) -> bool:
        """Did someone else change this since the version the op was made against?"""
        if meta is None:
            return False
        v = meta.get("v")
        newer = v is None or v > op.base_version
        return newer and meta.get("dev") != op.device_id

    def _conflict(
        self,
        op: Op,
        row: RowState,
        field: str,
        server_value: Any,
        client_value: Any,
        meta: dict | None = None,
    ) -> dict:
        """Record an open conflict; ``meta`` (default: the field's) says who/when wrote the server value."""
        meta = meta or row.meta.get(field) or {}
        rec = {
            "id": uuid.uuid4(),
            "entity": row.entity,
            "entity_id": row.id,
            "case_id": row.case_id,
            "scope_id": row.scope_id,
            "field": field,
            "server_value": server_value,
            "server_by": _uuid_or_none(meta.get("by")),
            "server_device": meta.get("dev"),
            "server_at": meta.get("at"),
            "server_version": row.version,
            "client_value": client_value,
            "client_by": self.user.id,
            "client_device": op.device_id,
            "client_local_time": op.local_time,
            "client_op_id": op.op_id,
        }
        self.conflicts.append(rec)
        return {"conflict_id": str(rec["id"]), "field": field}

    def _touch(self, row: RowState) -> None:
        if not row.dirty:
            row.dirty = True
            self.touched.append(row)

    def _clean_fields(self, op: Op, row_case: UUID | None) -> dict[str, Any]:
        fields = {k: v for k, v in op.fields.items() if k not in META_FIELDS}
        if "id" in op.fields and _uuid_or_none(op.fields["id"]) != op.entity_id:
            raise _Rejected("id_mismatch", "fields.id differs from entity_id")
        if "case_id" in op.fields and _uuid_or_none(op.fields["case_id"]) != row_case:
            raise _Rejected("case_mismatch", "a row cannot move to another case")
        return fields

    # -- authorisation -----------------------------------------------------------------------------
    def _unit_for_new(self, op: Op) -> tuple[UUID | None, UUID | None]:
        """(person_id, scope_id) for a row not yet on the server; raises _Rejected when out of scope."""
        if op.case_id is not None:
            person = _uuid_or_none(op.fields.get("person_id"))
            if op.case_id not in self.scope.cases:
                if may_create_case(self.user) and not case_known(self.conn, op.case_id):
                    register_new_case(self.conn, self.user, op.case_id)
                    self.scope.cases.add(op.case_id)
                else:
                    raise _Rejected("out_of_scope", "this case is not in your scope")
            return person, op.case_id
        if op.entity == "person":
            self.scope.persons.add(op.entity_id)
            return op.entity_id, op.entity_id
        if "person_id" in op.fields:
            person = _uuid_or_none(op.fields["person_id"])
            if person is None:
                raise _Rejected("invalid_person_id", "person_id must be a UUID")
            if person not in self.scope.persons:
                raise _Rejected("out_of_scope", "this person is not in your scope")
            return person, person
        return None, None  # reference data

    # -- the rules ---------------------------------------------------------------------------------
    def apply(self, op: Op) -> dict[str, Any]:
        if op.actor != str(self.user.id):
            raise _Rejected("actor_mismatch", "the op's actor is not the signed-in user")
        row = self.rows.get((op.entity, op.entity_id))
        if row is not None:
            if op.case_id != row.case_id:
                raise _Rejected("case_mismatch", "the op's case_id differs from the row's case")
            if not self.scope.allows(row.scope_id):
                raise _Rejected("out_of_scope", "this record is not in your scope")
        elif op.kind != "insert":
            raise _Rejected("unknown_row", "no such record on the server (its insert was never accepted)")
        fields = self._clean_fields(op, op.case_id)
        if row is None:
            return self._insert_new(op, fields)
        if op.kind == "delete":
            return self._delete(op, row)
        if row.deleted:
            return self._edit_deleted(op, row, fields)
        if row.append_only or op.append_only:
            if op.kind == "insert" and all(_same(row.data.get(k), v) for k, v in fields.items()):
                return self._ok(op, row, [])
            raise _Rejected("append_only", "append-only records are never changed; record an amendment")
        return self._merge(op, row, fields)

    def _ok(self, op: Op, row: RowState, applied: list[str]) -> dict[str, Any]:
        return {"op_id": str(op.op_id), "status": "applied", "applied_fields": applied, "_row": row}

    def _insert_new(self, op: Op, fields: dict[str, Any]) -> dict[str, Any]:
        person, unit = self._unit_for_new(op)
        pending = self._pending(op)
        row = RowState(
            entity=op.entity,
            id=op.entity_id,
            case_id=op.case_id,
            person_id=person,
            scope_id=unit,
            data=dict(fields),
            meta={k: dict(pending) for k in fields},
            append_only=op.append_only,
            created_by=self.user.id,
        )
        row.meta["_row"] = dict(pending)
        self.rows[row.key] = row
        self._touch(row)
        if op.entity == "case_member" and person is not None:
            self.scope.persons.add(person)
        return self._ok(op, row, sorted(fields))

    def _edit_deleted(self, op: Op, row: RowState, fields: dict[str, Any]) -> dict[str, Any]:
        ref = self._conflict(op, row, "_row", {"deleted": True}, {"deleted": False, "fields": fields})
        return {
            "op_id": str(op.op_id),
            "status": "conflict",
            "applied_fields": [],
            "conflicts": [ref],
            "_row": row,
        }

    def _delete(self, op: Op, row: RowState) -> dict[str, Any]:
        if row.append_only or op.append_only:
            raise _Rejected("append_only", "append-only records are never deleted; record an amendment")
        if row.deleted:
            ref = self._conflict(op, row, "_row", {"deleted": True}, {"deleted": True})
            return {
                "op_id": str(op.op_id),
                "status": "conflict",
                "applied_fields": [],
                "conflicts": [ref],
                "_row": row,
            }
        edited = {
            k: row.data.get(k) for k, m in row.meta.items() if k != "_row" and self._changed_since(m, op)
        }
        if edited:
            # Attribute the server side to the latest of the edits that the delete did not see.
            latest = max((row.meta[k] for k in edited), key=lambda m: (m.get("v") is None, m.get("v") or 0))
            ref = self._conflict(
                op, row, "_row", {"deleted": False, "changed": edited}, {"deleted": True}, latest
            )
            return {
                "op_id": str(op.op_id),
                "status": "conflict",
                "applied_fields": [],
                "conflicts": [ref],
                "_row": row,
            }
        row.deleted = True
        row.meta["_row"] = self._pending(op)
        self._touch(row)
        return self._ok(op, row, [])

    def _merge(self, op: Op, row: RowState, fields: dict[str, Any]) -> dict[str, Any]:
        applied: list[str] = []
        refs: list[dict[str, str]] = []
        stamps: dict[str, Any] = {}
        for name, new in fields.items():
            if name in RECEIPT_ORDER_FIELDS:
                stamps[name] = new
                continue
            cur = row.data.get(name)
            if name in row.data and _same(cur, new):
                continue  # already so: nothing to do and nothing to disagree about
            if name in op.base:
                clash = not _same(cur, op.base[name])
            else:
                clash = self._changed_since(row.meta.get(name), op)
            if clash:
                refs.append(self._conflict(op, row, name, cur, new))
            else:
                row.data[name] = new
                row.meta[name] = self._pending(op)
                applied.append(name)
        if applied or (stamps and not refs):
            for name, new in stamps.items():
                row.data[name] = new
                row.meta[name] = self._pending(op)
                applied.append(name)
        if "person_id" in applied and row.case_id is None and row.entity != "person":
            person = _uuid_or_none(row.data.get("person_id"))
            if person is None or person not in self.scope.persons:
                raise _Rejected("out_of_scope", "the new person is not in your scope")
            row.person_id = row.scope_id = person
        elif "person_id" in applied and row.entity != "person":  # a person's own unit is its id
            row.person_id = _uuid_or_none(row.data.get("person_id"))
        if applied:
            self._touch(row)
        status = "conflict" if refs else "applied"
        out = {"op_id": str(op.op_id), "status": status, "applied_fields": applied, "_row": row}
        if refs:
            out["conflicts"] = refs
        return out


def _rejected(op: Op, reason: str, message: str) -> dict[str, Any]:
    return {"op_id": str(op.op_id), "status": "rejected", "reason": reason, "message": message}


def apply_batch(
    conn: psycopg.Connection, settings: Settings, user: User, ops: list[Op], hooks: PushHooks | None = None
) -> list[dict[str, Any]]:
    """Apply ``ops`` inside the caller's transaction; see the module docstring for the result contract."""
    hooks = hooks or PushHooks()
    results: list[dict[str, Any] | None] = [None] * len(ops)
    earlier = {
        r["op_id"]: r["result"]
        for r in conn.execute(
            "SELECT op_id, result FROM ops WHERE op_id = ANY(%s)", ([o.op_id for o in ops],)
        )
    }
    first_index: dict[UUID, int] = {}
    todo: list[int] = []
    for i, op in enumerate(ops):
        if op.op_id in earlier:
            results[i] = {"op_id": str(op.op_id), "status": "duplicate", "original": earlier[op.op_id]}
        elif op.op_id in first_index:
            continue  # the same op twice in one batch: answered below from the first copy
        else:
            first_index[op.op_id] = i
            todo.append(i)

    batch = _Batch(conn, settings, user, compute_scope(conn, user, settings.today()))
    batch.rows = load_rows(conn, list({(ops[i].entity, ops[i].entity_id) for i in todo}))
    for i in todo:
        op = ops[i]
        try:
            results[i] = batch.apply(op)
        except _Rejected as rej:
            results[i] = _rejected(op, rej.reason, rej.message)
            batch.quarantine.append((op, rej.reason, rej.message))
        if hooks.after_op:
            hooks.after_op(i)

    commit_rows(conn, batch.touched, batch.now, user.id)

    op_rows = []
    for i in todo:
        res = results[i]
        assert res is not None
        row = res.pop("_row", None)
        if row is not None:
            res["version"] = row.version
        if res["status"] in ("applied", "conflict"):
            op = ops[i]
            op_rows.append({
                "o": str(op.op_id), "dev": op.device_id, "e": op.entity, "i": str(op.entity_id),
                "c": str(op.case_id) if op.case_id else None, "k": op.kind, "st": res["status"],
                "sq": row.version if row is not None else None, "p": op.raw, "r": res,
            })  # fmt: skip
    if op_rows:
        try:
            conn.execute(
                "INSERT INTO ops (op_id, user_id, device_id, entity, entity_id, case_id, kind, status, seq,"
                " payload, result, received_at) SELECT o, %s, dev, e, i, c, k, st, sq, p, r, %s"
                " FROM jsonb_to_recordset(%s) AS u(o uuid, dev text, e text, i uuid, c uuid, k text, st text,"
                " sq bigint, p jsonb, r jsonb)",
                (user.id, batch.now, Jsonb(op_rows)),
            )
        except errors.UniqueViolation:
            # The same op is being pushed twice at once (a retry racing the original): start again,
            # and this time it is a duplicate.
            raise Retry("op applied concurrently") from None
    if batch.conflicts:
        with conn.cursor() as cur:
            cur.executemany(
                "INSERT INTO conflicts (id, entity, entity_id, case_id, scope_id, field, server_value, server_by,"
                " server_device, server_at, server_version, client_value, client_by, client_device,"
                " client_local_time, client_op_id, received_at) VALUES"
                " (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s)",
                [
                    (c["id"], c["entity"], c["entity_id"], c["case_id"], c["scope_id"], c["field"],
                     Jsonb(c["server_value"]), c["server_by"], c["server_device"], c["server_at"],
                     c["server_version"], Jsonb(c["client_value"]), c["client_by"], c["client_device"],
                     c["client_local_time"], c["client_op_id"], batch.now)
                    for c in batch.conflicts
                ],
            )  # fmt: skip
    if batch.quarantine:
        with conn.cursor() as cur:
            cur.executemany(
                "INSERT INTO quarantine (op_id, user_id, device_id, entity, entity_id, case_id, reason, message,"
                " payload, first_received_at, last_received_at) VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s)"
                " ON CONFLICT (op_id) DO UPDATE SET attempts = quarantine.attempts + 1,"
                " last_received_at = EXCLUDED.last_received_at, reason = EXCLUDED.reason,"
                " message = EXCLUDED.message",
                [
                    (op.op_id, user.id, op.device_id, op.entity, op.entity_id, op.case_id, reason, message,
                     Jsonb(op.raw), batch.now, batch.now)
                    for op, reason, message in batch.quarantine
                ],
            )  # fmt: skip
    for i, op in enumerate(ops):
        if results[i] is None:
            first = results[first_index[op.op_id]]
            results[i] = {"op_id": str(op.op_id), "status": "duplicate", "original": first}
    if hooks.before_commit:
        hooks.before_commit(conn)
    return [r for r in results if r is not None]
