"""Push: apply one batch of outbox ops in one transaction.

Contract of ``apply_batch`` (one result per op, in order):
- ``duplicate``: this user's device applied this op_id before (this or an earlier push); nothing
  changes, ``original`` carries the first result. So a repeated or interrupted push is harmless. An
  op_id that another user or device already used raises :class:`OpIdTaken` (HTTP 409): nobody is ever
  answered with someone else's result.
- ``applied``: every field merged (``applied_fields``), row ``version`` returned; ``adjusted`` names
  numbers the server changed to keep them unique (a plan version two laptops both made).
- ``conflict``: at least one field (or the row, for edit-vs-delete) was NOT overwritten; an open conflict
  record keeps both values (``conflicts``); the other fields merged.
- ``rejected``: refused (``reason``, ``message``); the op is kept in ``quarantine`` for a supervisor and is
  not marked applied, so it is judged afresh if sent again (e.g. after access is restored). A rejected
  op changes nothing.
Authorisation covers every object an op touches: the row's unit (its case or person), and every row
its values point at (each person linked, each parent record), see docs/sync-protocol.md §5. Rows are
checked against the laptop's own schema (``desktop.store.rowspec``) so the server never holds a row a
laptop cannot store. Device clocks decide nothing.
"""

from __future__ import annotations

import gc
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

import orjson
from psycopg import errors
from psycopg.types.json import Jsonb

from desktop.store.rowspec import (
    ALLOCATION_FIELDS,
    COUNTERS,
    PERSON_LIST_FIELDS,
    EntitySpec,
    RowSpec,
    spec,
    unit_of,
)
from server import manager_changes
from server.auth import User
from server.config import Settings
from server.db import DbConn, Retry
from server.roles import may_write, may_write_values
from server.rowstore import RowKey, RowState, load_rows, stage_load_rows, stage_rows
from server.scope import (
    Scope,
    allocation,
    case_known,
    compute_scope,
    grace_cut,
    may_create_case,
    new_case_allocation,
    person_cases,
    register_new_case,
)
from server.wire import META_FIELDS, Op

# Display-only stamps the device sets on every edit. Letting them conflict would turn every pair of
# edits to different fields into a conflict; they follow server receipt order instead.
RECEIPT_ORDER_FIELDS = frozenset({"updated_at", "updated_by"})


@dataclass
class PushHooks:
    """Test seams: ``after_op(index)`` runs after each op is judged, ``before_commit(conn)`` after the
    sequence numbers are drawn and before commit (the change-log lock is held)."""

    after_op: Callable[[int], None] | None = None
    before_commit: Callable[[DbConn], None] | None = None


class OpIdTaken(Exception):
    """An op_id in the push belongs to another user or device (HTTP 409; nothing of the push is stored)."""

    def __init__(self, op_id: UUID) -> None:
        super().__init__(f"change id {op_id} was already used by another user or device")
        self.op_id = op_id


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


_POINTING: dict[str, frozenset[str]] = {}


def _pointing(es: EntitySpec) -> frozenset[str]:
    """The fields of ``es`` that can point at another record (what ``RowSpec.references`` looks at: a
    column with a reference, a list of person ids), worked out once per record type."""
    got = _POINTING.get(es.name)
    if got is None:
        got = _POINTING[es.name] = frozenset(n for n, c in es.columns.items()
                                             if c.references or n in PERSON_LIST_FIELDS)  # fmt: skip
    return got


def _uuid_or_none(v: Any) -> UUID | None:
    if isinstance(v, str):
        try:
            return UUID(v)
        except ValueError:
            return None
    return None


def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


class _Batch:
    """State of one push transaction."""

    def __init__(self, conn: DbConn, settings: Settings, user: User, scope: Scope) -> None:
        self.conn = conn
        self.settings = settings
        self.user = user
        self.scope = scope
        self.spec: RowSpec = spec()
        self.now: datetime = settings.now()
        self.now_iso = self.now.isoformat()
        self.user_str = str(user.id)
        self.rows: dict[RowKey, RowState] = {}
        self.refs: dict[RowKey, UUID | None] = {}  # referenced rows not in ``rows``: their unit
        self.conflicts: list[dict[str, Any]] = []
        self.quarantine: list[tuple[Op, str, str]] = []
        self.touched: list[RowState] = []
        self._grace: dict[UUID, int | None] = {}
        self._known_cases: dict[UUID, bool] = {}
        self.new_cases: set[UUID] = set()
        # What the ops so far added to the scope and to the new cases, in order, so a rejected op takes
        # back exactly its own additions (no copy of a scope that may hold thousands of units per op).
        self.added_persons: list[UUID] = []
        self.added_cases: list[UUID] = []
        self.allocations: list[manager_changes.Allocation] = []  # a manager's, recorded once applied

    # -- helpers -----------------------------------------------------------------------------------
    def _pending(self, op: Op) -> dict[str, Any]:
        return {"v": None, "by": self.user_str, "dev": op.device_id, "at": self.now_iso}

    @staticmethod
    def _changed_since(meta: dict[str, Any] | None, op: Op) -> bool:
        """Did someone else change this since the version the op was made against?"""
        if meta is None:
            return False
        v = meta.get("v")
        newer = v is None or v > op.base_version
        return newer and meta.get("dev") != op.device_id

    def _conflict(self, op: Op, row: RowState, field: str, server_value: Any, client_value: Any,
                  meta: dict | None = None) -> dict:  # fmt: skip
        """Record an open conflict; ``meta`` (default: the field's) says who/when wrote the server value."""
        meta = meta or row.meta.get(field) or {}
        rec = {
            "id": uuid.uuid4(), "entity": row.entity, "entity_id": row.id, "case_id": row.case_id,
            "scope_id": row.scope_id, "field": field, "server_value": server_value,
            "server_by": _uuid_or_none(meta.get("by")), "server_device": meta.get("dev"),
            "server_at": meta.get("at"), "server_version": row.version, "client_value": client_value,
            "client_by": self.user.id, "client_device": op.device_id, "client_local_time": op.local_time,
            "client_op_id": op.op_id,
        }  # fmt: skip
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
    def _grace_cut(self, unit: UUID) -> int | None:
        """The grace cut for a unit out of scope now (see server.scope.grace_cut); for a person, the
        best of the cases linking them."""
        if unit not in self._grace:
            days = self.settings.grace_days
            cut = grace_cut(self.conn, self.user, unit, self.now, days)
            if cut is None and unit not in self._is_case_cache():
                cuts = [c for c in (grace_cut(self.conn, self.user, k, self.now, days)
                                    for k in person_cases(self.conn, unit)) if c is not None]  # fmt: skip
                cut = max(cuts) if cuts else None
            self._grace[unit] = cut
        return self._grace[unit]

    def _is_case_cache(self) -> set[UUID]:
        return {k for k, v in self._known_cases.items() if v}

    def _may_write(self, unit: UUID | None, op: Op) -> None:
        """The op may change a row of ``unit``: in scope now, in a case this push creates (a record made and
        then changed offline before the first sync), or within the grace window for work made while the user
        held it (its base version no later than the de-allocation)."""
        if self.scope.allows(unit) or unit in self.new_cases:
            return
        assert unit is not None
        cut = self._grace_cut(unit)
        if cut is not None and op.base_version <= cut:
            return
        raise _Rejected("out_of_scope", "this record is not in your scope")

    def _may_use(self, unit: UUID | None) -> bool:
        # A case this push creates is the writer's: its rows may point at one another (a note and who was
        # involved, a visit and its children) before the push that made it is committed.
        return (self.scope.allows(unit) or unit in self.new_cases
                or (unit is not None and self._grace_cut(unit) is not None))

    def _unit_for_new(self, op: Op, fields: dict[str, Any]) -> tuple[UUID | None, UUID | None]:
        """(person_id, scope_id) for a row not yet on the server; raises _Rejected when out of scope.
        A case first seen here is registered only once the op is accepted (``new_cases``)."""
        person = _uuid_or_none(fields.get("person_id"))
        if op.case_id is not None:
            if not self.scope.allows(op.case_id):
                known = self._known_cases.get(op.case_id)
                if known is None:
                    known = self._known_cases[op.case_id] = case_known(self.conn, op.case_id)
                if not known and may_create_case(self.user):
                    if op.case_id not in self.new_cases:
                        self.new_cases.add(op.case_id)
                        self.added_cases.append(op.case_id)
                else:
                    self._may_write(op.case_id, op)
            return person, op.case_id
        if op.entity in ("person", "household"):
            return (op.entity_id if op.entity == "person" else None), op.entity_id
        unit = _uuid_or_none(unit_of(op.entity, str(op.entity_id), None, fields))
        if unit is None:
            raise _Rejected("no_unit", "this record must belong to a case or a person")
        if "person_id" in fields and person is None:
            raise _Rejected("invalid_person_id", "person_id must be a UUID")
        self._may_write(unit, op)
        return person, unit

    def _check_references(self, es: EntitySpec, values: dict[str, Any]) -> None:
        """Every row the values point at must exist and be in the writer's scope: linking a person or a
        record never opens a path to data outside it."""
        if _pointing(es).isdisjoint(values):
            return  # no field the op gives can point at a record (a visit's: most of a push)
        for name, target, target_id in self.spec.references(es.name, values):
            key = (target, UUID(target_id))
            if key in self.rows:
                unit = self.rows[key].scope_id
            elif key in self.refs:
                unit = self.refs[key]
            else:
                got = load_rows(self.conn, [key], lock=False).get(key)
                if got is None:
                    raise _Rejected("unknown_reference", f"{name} points at a {target} record the server does not have")
                unit = self.refs[key] = got.scope_id
            if not self._may_use(unit):
                raise _Rejected("out_of_scope", f"{name} points at a {target} record outside your scope")

    def _check_allocation(self, op: Op, row: RowState | None, fields: dict[str, Any]) -> None:
        """Allocation fields mirror the server's allocation; only the administration path changes it."""
        mirrored = ALLOCATION_FIELDS.get(op.entity)
        if mirrored is None or mirrored.isdisjoint(fields):
            return
        names = mirrored & fields.keys()
        case = op.case_id or op.entity_id
        current = allocation(self.conn, case)
        if current is None:
            current = new_case_allocation(self.user)
        allowed = {"team_id": {current[0]}, "allocated_worker_id": {current[1]}}
        if row is None:  # a new case may name its creator as the worker it is allocated to
            allowed["team_id"].add(None)
            allowed["allocated_worker_id"] |= {None, self.user.id}
        for name in names:
            if _uuid_or_none(fields[name]) not in allowed[name] and not (fields[name] is None and None in allowed[name]):
                if self.user.role in manager_changes.MANAGERS:  # a manager's allocation: server.manager_changes
                    self.allocations.append(self._managed(manager_changes.check_allocation, op, case, current, fields))
                    return
                raise _Rejected("reference_data", "a case's allocation is changed only by a manager")

    def _managed(self, fn: Callable[..., Any], op: Op, *args: Any) -> Any:
        """``fn(conn, user, op, *args)`` from server.manager_changes, its refusal a rejection of the op."""
        try:
            return fn(self.conn, self.user, op, *args)
        except manager_changes.Refused as r:
            raise _Rejected(r.reason, r.message) from None

    def _check_row(self, es: EntitySpec, row: RowState) -> None:
        problems = self.spec.problems(es.name, row.data)
        if problems:
            text = "; ".join(f"{p.field}: {p.message}" if p.field else p.message for p in problems)
            raise _Rejected("invalid_row", f"a laptop could not store this record ({text})")

    # -- unique numbers ------------------------------------------------------------------------------
    def _renumber(self, es: EntitySpec, row: RowState) -> dict[str, Any]:
        """A number shared per parent (plan versions) that another row already has moves to the next free one."""
        adjusted: dict[str, Any] = {}
        for name, parent in COUNTERS.get(es.name, {}).items():
            value, parent_id = row.data.get(name), row.data.get(parent) if parent else None
            if parent is None or not _is_int(value) or not isinstance(parent_id, str):
                continue
            taken = {r["n"] for r in self.conn.execute(
                "SELECT (data->>%s)::bigint AS n FROM rows WHERE entity = %s AND data->>%s = %s AND id <> %s"
                " AND jsonb_typeof(data->%s) = 'number'",
                (name, es.name, parent, parent_id, row.id, name)).fetchall()}  # fmt: skip
            taken |= {r.data.get(name) for k, r in self.rows.items()
                      if k[0] == es.name and r is not row and r.data.get(parent) == parent_id}  # fmt: skip
            if value in taken:
                row.data[name] = max(n for n in taken if _is_int(n)) + 1
                adjusted[name] = row.data[name]
        return adjusted

    # -- the rules ---------------------------------------------------------------------------------
    def apply(self, op: Op) -> dict[str, Any]:
        es = self.spec.get(op.entity)
        if es is None:
            raise _Rejected("unknown_entity", f"there is no record type {op.entity}")
        if es.reference and not manager_changes.takes(self.user, op.entity):
            raise _Rejected("reference_data", "reference data is changed only by an administrator on the server")
        if op.actor != self.user.id:
            raise _Rejected("actor_mismatch", "the op's actor is not the signed-in user")
        if es.reference:  # a manager's cover or absence, through the administration path
            row, applied = self._managed(manager_changes.apply_reference, op, self.now)
            return self._ok(op, row, applied)
        if not may_write(self.user.role, op.entity):
            raise _Rejected("role", "your role does not record this kind of record")
        row = self.rows.get((op.entity, op.entity_id))
        if row is not None:
            if op.case_id != row.case_id:
                raise _Rejected("case_mismatch", "the op's case_id differs from the row's case")
            self._may_write(row.scope_id, op)
        elif op.kind != "insert":
            raise _Rejected("unknown_row", "no such record on the server (its insert was never accepted)")
        fields = self._clean_fields(op, op.case_id)
        if not may_write_values(self.user.role, op.entity, fields):
            raise _Rejected("role", "only a manager records this")
        if op.kind != "delete":
            self._check_allocation(op, row, fields)
            self._check_references(es, fields)
        if row is None:
            result = self._insert_new(op, es, fields)
        elif op.kind == "delete":
            return self._delete(op, es, row)
        elif row.deleted:
            return self._edit_deleted(op, row, fields)
        elif es.append_only:
            if op.kind == "insert" and all(_same(row.data.get(k), v) for k, v in fields.items()):
                return self._ok(op, row, [])
            raise _Rejected("append_only", "append-only records are never changed; record an amendment")
        else:
            result = self._merge(op, es, row, fields)
        row = result["_row"]
        if row.dirty:
            self._check_row(es, row)
        return result

    def _ok(self, op: Op, row: RowState, applied: list[str]) -> dict[str, Any]:
        return {"op_id": str(op.op_id), "status": "applied", "applied_fields": applied, "_row": row}

    def _insert_new(self, op: Op, es: EntitySpec, fields: dict[str, Any]) -> dict[str, Any]:
        person, unit = self._unit_for_new(op, fields)
        pending = self._pending(op)
        row = RowState(entity=op.entity, id=op.entity_id, case_id=op.case_id, person_id=person, scope_id=unit,
                       data=dict(fields), meta=dict.fromkeys(fields, pending), append_only=es.append_only,
                       created_by=self.user.id)  # fmt: skip
        # One stamp for every field of the new row: stored once (rowstore.pack_meta); never changed in place
        # but for its pending version, which is the row's for all of them.
        row.meta["_row"] = pending
        self.rows[row.key] = row
        self._touch(row)
        if op.entity in ("person", "household"):
            self._add_person(op.entity_id)
        elif op.entity == "case_member" and person is not None:
            self._add_person(person)
        out = self._ok(op, row, sorted(fields))
        adjusted = self._renumber(es, row)
        if adjusted:
            out["adjusted"] = adjusted
        return out

    def _add_person(self, unit: UUID) -> None:
        if unit not in self.scope.persons:
            self.scope.persons.add(unit)
            self.added_persons.append(unit)

    def _edit_deleted(self, op: Op, row: RowState, fields: dict[str, Any]) -> dict[str, Any]:
        ref = self._conflict(op, row, "_row", {"deleted": True}, {"deleted": False, "fields": fields})
        return {"op_id": str(op.op_id), "status": "conflict", "applied_fields": [], "conflicts": [ref], "_row": row}

    def _delete(self, op: Op, es: EntitySpec, row: RowState) -> dict[str, Any]:
        if es.append_only:
            raise _Rejected("append_only", "append-only records are never deleted; record an amendment")
        if row.deleted:
            ref = self._conflict(op, row, "_row", {"deleted": True}, {"deleted": True})
            return {"op_id": str(op.op_id), "status": "conflict", "applied_fields": [], "conflicts": [ref],
                    "_row": row}  # fmt: skip
        edited = {k: row.data.get(k) for k, m in row.meta.items() if k != "_row" and self._changed_since(m, op)}
        if edited:
            # Attribute the server side to the latest of the edits that the delete did not see.
            latest = max((row.meta[k] for k in edited), key=lambda m: (m.get("v") is None, m.get("v") or 0))
            ref = self._conflict(op, row, "_row", {"deleted": False, "changed": edited}, {"deleted": True}, latest)
            return {"op_id": str(op.op_id), "status": "conflict", "applied_fields": [], "conflicts": [ref],
                    "_row": row}  # fmt: skip
        row.deleted = True
        row.meta["_row"] = self._pending(op)
        self._touch(row)
        return self._ok(op, row, [])

    def _merge(self, op: Op, es: EntitySpec, row: RowState, fields: dict[str, Any]) -> dict[str, Any]:
        applied: list[str] = []
        refs: list[dict[str, str]] = []
        stamps: dict[str, Any] = {}
        adjusted: dict[str, Any] = {}
        counters = {k for k, parent in COUNTERS.get(es.name, {}).items() if parent is None}
        for name, new in fields.items():
            if name in RECEIPT_ORDER_FIELDS:
                stamps[name] = new
                continue
            # A field the row was pushed without holds its default on every laptop (an insert sends only what
            # it gives): an edit made against that default is no conflict.
            col = es.columns.get(name)
            cur = row.data[name] if name in row.data else col.default if col else None
            if name in counters and name in op.base and _is_int(cur) and _is_int(new) and _is_int(op.base[name]):
                # Two laptops each counted on from the same number: count on from where the server is.
                new = cur + (new - op.base[name])
                if new != fields[name]:
                    adjusted[name] = new
                if new == cur:
                    continue
                row.data[name] = new
                row.meta[name] = self._pending(op)
                applied.append(name)
                continue
            if (name in row.data or cur is not None) and _same(cur, new):
                continue  # already so: nothing to do and nothing to disagree about
            if name in op.base:
                # Absent here, the field is its default on a laptop, or nothing to a client that never read it.
                clash = not _same(cur, op.base[name]) and (name in row.data or op.base[name] is not None)
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
        if "person_id" in applied and row.case_id is None and row.entity not in ("person", "household"):
            person = _uuid_or_none(row.data.get("person_id"))
            if person is None:
                raise _Rejected("invalid_person_id", "person_id must be a UUID")
            row.person_id = row.scope_id = person
        elif "person_id" in applied and row.entity != "person":  # a person's own unit is its id
            row.person_id = _uuid_or_none(row.data.get("person_id"))
        if applied:
            self._touch(row)
        status = "conflict" if refs else "applied"
        out: dict[str, Any] = {"op_id": str(op.op_id), "status": status, "applied_fields": applied, "_row": row}
        if refs:
            out["conflicts"] = refs
        if adjusted:
            out["adjusted"] = adjusted
        return out

    # -- one op, all or nothing ----------------------------------------------------------------------
    def judge(self, op: Op) -> dict[str, Any]:
        """Apply ``op``; on a rejection every in-memory change it made is undone before re-raising."""
        key = (op.entity, op.entity_id)
        row = self.rows.get(key)
        # Judging replaces values in a row's data and meta, never changes one in place: copies of the
        # two dicts (and of each field's meta) are enough to put the row back. A new row needs none.
        saved = None if row is None else {
            "data": dict(row.data), "meta": {k: dict(m) for k, m in row.meta.items()}, "deleted": row.deleted,
            "dirty": row.dirty, "person_id": row.person_id, "scope_id": row.scope_id}  # fmt: skip
        marks = (len(self.conflicts), len(self.touched), len(self.added_persons), len(self.added_cases))
        try:
            return self.apply(op)
        except _Rejected:
            conflicts, touched, persons, cases = marks
            del self.conflicts[conflicts:]
            del self.touched[touched:]
            for unit in self.added_persons[persons:]:
                self.scope.persons.discard(unit)
            del self.added_persons[persons:]
            for case in self.added_cases[cases:]:
                self.new_cases.discard(case)
            del self.added_cases[cases:]
            if row is None:
                self.rows.pop(key, None)
            elif saved is not None:
                for k, v in saved.items():
                    setattr(row, k, v)
            raise


def warm_up() -> None:
    """Build what judging a push needs once per process (the laptop's row definition, derived from its
    migrations), at start-up rather than in the first push."""
    spec()


def settle_heap() -> None:
    """Leave what start-up built (the row definition, the app, its schemas, the pool) out of every later
    garbage collection (``gc.freeze``): they live as long as the process, and the collector walking
    them over and over was a fifth of a push's CPU (issue 22: 1.3 of 5.3 ms per 100 changes, 0.3 after).
    Process-wide, so for a server process only, once it has started."""
    gc.collect()
    gc.freeze()


def _rejected(op: Op, reason: str, message: str) -> dict[str, Any]:
    return {"op_id": str(op.op_id), "status": "rejected", "reason": reason, "message": message}


# The op ids of a push seen before (whose, and their answers) and refused before: looked up one id after
# another by the primary key (a LATERAL subquery with OFFSET 0 is never made a join), and never prepared:
# planned afresh each push (a fraction of a millisecond), so a plan made while the op log was small cannot
# stay while it grows (issue 22: the form `op_id IN (SELECT ...)`, prepared, scanned the whole log;
# tests/server/test_lookup_plans.py).
SEEN_SQL = ("SELECT o.op_id, o.user_id, o.device_id, o.result FROM jsonb_array_elements_text(%s) AS k(id)"
            " CROSS JOIN LATERAL (SELECT op_id, user_id, device_id, result FROM op_log"
            " WHERE op_id = k.id::uuid OFFSET 0) AS o")  # fmt: skip
REFUSED_SQL = ("SELECT q.op_id, q.user_id, q.device_id FROM jsonb_array_elements_text(%s) AS k(id)"
               " CROSS JOIN LATERAL (SELECT op_id, user_id, device_id FROM quarantine"
               " WHERE op_id = k.id::uuid OFFSET 0) AS q")  # fmt: skip


def _check_ownership(conn: DbConn, user: User, ops: list[Op]) -> dict[UUID, Any]:
    """Earlier results of this user's device's ops, by op_id; :class:`OpIdTaken` for anyone else's."""
    return _ownership_check(conn, user, ops)()


def _ownership_check(conn: DbConn, user: User, ops: list[Op]) -> Callable[[], dict[UUID, Any]]:
    """:func:`_check_ownership` in two halves: this sends the two queries (so a caller in pipeline mode
    can send more with them); the function returned reads their answers."""
    ids = [o.op_id for o in ops]
    owner = {o.op_id: o.device_id for o in ops}
    for o in ops:
        if owner[o.op_id] != o.device_id:
            raise OpIdTaken(o.op_id)
    # The ids as one JSON array (orjson), not a uuid[] psycopg escapes element by element.
    doc = Jsonb(ids, orjson.dumps)
    applied = conn.execute(SEEN_SQL, (doc,), prepare=False)
    refused = conn.execute(REFUSED_SQL, (doc,), prepare=False)

    def read() -> dict[UUID, Any]:
        earlier: dict[UUID, Any] = {}
        for r in applied.fetchall():
            if r["user_id"] != user.id or r["device_id"] != owner[r["op_id"]]:
                raise OpIdTaken(r["op_id"])
            earlier[r["op_id"]] = r["result"]
        for r in refused.fetchall():
            if r["user_id"] != user.id or r["device_id"] != owner[r["op_id"]]:
                raise OpIdTaken(r["op_id"])
        return earlier

    return read


def apply_batch(
    conn: DbConn, settings: Settings, user: User, ops: list[Op], hooks: PushHooks | None = None
) -> list[dict[str, Any]]:
    """Apply ``ops`` inside the caller's transaction; see the module docstring for the result contract."""
    hooks = hooks or PushHooks()
    results: list[dict[str, Any] | None] = [None] * len(ops)
    # One round trip for what the batch must know first: which ops were seen before (and whose they
    # are), the rows the ops touch, locked, and the user's scope (read after the locks, as before: its
    # statement is queued behind theirs, and reading its answer sends all four at once). Rows of ops
    # answered as duplicates are locked too, which is harmless: the transaction is short and locks in a
    # stable order.
    with conn.pipeline():
        read_earlier = _ownership_check(conn, user, ops)
        loading = stage_load_rows(conn, list({(op.entity, op.entity_id) for op in ops}))
        scope = compute_scope(conn, user, settings.today())
        earlier = read_earlier()
        loaded = loading()
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

    batch = _Batch(conn, settings, user, scope)
    batch.rows = {(ops[i].entity, ops[i].entity_id): loaded[(ops[i].entity, ops[i].entity_id)]
                  for i in todo if (ops[i].entity, ops[i].entity_id) in loaded}  # fmt: skip
    for i in todo:
        op = ops[i]
        try:
            results[i] = batch.judge(op)
        except _Rejected as rej:
            results[i] = _rejected(op, rej.reason, rej.message)
            batch.quarantine.append((op, rej.reason, rej.message))
        if hooks.after_op:
            hooks.after_op(i)

    for case in sorted(batch.new_cases, key=str):
        register_new_case(conn, user, case, batch.now)
    by_op = {r["op_id"]: r for r in results if r is not None}
    manager_changes.record_allocations(conn, user, batch.allocations, by_op, batch.now)
    # From here on every write goes in one pipeline: the lock and the sequence numbers are one round
    # trip, the rows, the op log, conflicts and quarantine one more.
    try:
        with conn.pipeline():
            rows_written = stage_rows(conn, batch.touched, batch.now, user.id)
            _write_log(conn, user, ops, todo, results, batch)
    except errors.UniqueViolation:
        # The same op is being pushed twice at once (a retry racing the original, or someone else's
        # id): start again, and this time it is a duplicate or refused as taken.
        raise Retry("op applied concurrently") from None
    rows_written()
    for i, op in enumerate(ops):
        if results[i] is None:
            first = results[first_index[op.op_id]]
            results[i] = {"op_id": str(op.op_id), "status": "duplicate", "original": first}
    if hooks.before_commit:
        hooks.before_commit(conn)
    return [r for r in results if r is not None]


_RESULT_COLUMN_KEYS = frozenset({"op_id", "status", "version"})
_IN_ROW_RESULT_KEYS = _RESULT_COLUMN_KEYS | {"applied_fields"}


def _logged(op: Op, row: RowState | None, res: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """What the op log stores of an op and its result beside its columns (migration 0023; the view
    ``op_log`` gives both whole again): each without the keys the columns hold, and for an append-only
    insert applied as sent (every field it sent is the new row's, unchanged) the values once, in the row
    (which never changes again): ``fields_in_row``, only the id-like keys the row does not keep, and no
    ``applied_fields`` (the row's keys)."""
    if (row is not None and row.append_only and op.kind == "insert" and res["status"] == "applied"
            and "adjusted" not in res and len(res["applied_fields"]) == len(row.data)):  # fmt: skip
        # applied_fields is a subset of the row's keys; as many means the same: all of the row came from here.
        payload = op.logged({} if META_FIELDS.isdisjoint(op.fields) else
                            {k: v for k, v in op.fields.items() if k in META_FIELDS})  # fmt: skip
        payload["fields_in_row"] = True
        # Beside the column keys, such a result holds applied_fields alone (nothing adjusted, no conflict).
        return payload, {} if len(res) == 4 else {k: v for k, v in res.items() if k not in _IN_ROW_RESULT_KEYS}
    return op.logged(None), {k: v for k, v in res.items() if k not in _RESULT_COLUMN_KEYS}


def _op_log_rows(ops: list[Op], todo: list[int], results: list[dict[str, Any] | None]) -> list[dict[str, Any]]:
    """The op log's records (each applied or conflicting op once), as ``jsonb_to_recordset`` reads them;
    each result gets its row's version in place of the row."""
    op_rows = []
    for i in todo:
        res = results[i]
        assert res is not None
        row = res.pop("_row", None)
        if row is not None:
            res["version"] = row.version
        status = res["status"]
        if status == "applied" or status == "conflict":
            op = ops[i]
            payload, result = _logged(op, row, res)
            op_rows.append({
                "o": op.op_id, "dev": op.device_id, "e": op.entity, "i": op.entity_id, "c": op.case_id,
                "k": op.kind, "st": status, "sq": None if row is None else row.version, "p": payload, "r": result,
            })  # fmt: skip
    return op_rows


def _write_log(conn: DbConn, user: User, ops: list[Op], todo: list[int],
               results: list[dict[str, Any] | None], batch: _Batch) -> None:
    """Queue the op log (each applied or conflicting op once), the conflicts and the quarantine."""
    op_rows = _op_log_rows(ops, todo, results)
    if op_rows:
        conn.execute(
            "INSERT INTO ops (op_id, user_id, device_id, entity, entity_id, case_id, kind, status, seq,"
            " payload, result, received_at) SELECT o, %s, dev, e, i, c, k, st, sq, p, r, %s"
            " FROM jsonb_to_recordset(%s) AS u(o uuid, dev text, e text, i uuid, c uuid, k text, st text,"
            " sq bigint, p jsonb, r jsonb)",
            (user.id, batch.now, Jsonb(op_rows, orjson.dumps)),  # orjson writes the UUIDs
        )
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
                " message = EXCLUDED.message WHERE quarantine.user_id = EXCLUDED.user_id"
                " AND quarantine.device_id = EXCLUDED.device_id",
                [
                    (op.op_id, user.id, op.device_id, op.entity, op.entity_id, op.case_id, reason, message,
                     Jsonb(op.raw), batch.now, batch.now)
                    for op, reason, message in batch.quarantine
                ],
            )  # fmt: skip
