"""Open conflicts: list them for the user's scope, and resolve one (a person's decision, audited).

Resolution contract (``POST /v1/conflicts/{id}/resolve``):
- field conflict: ``server`` keeps/restores the recorded server value, ``client`` takes the client's
  value, ``value`` takes a newly entered ``value``; the field is written with a new version (so every
  device receives it) unless it already holds that value.
- ``_row`` conflict (edit vs delete): ``server`` keeps the server's state of the row; ``client`` applies
  the client's intent (undelete + its fields, or delete); ``value`` is refused.
The conflict becomes ``resolved`` with who/when/what, and an ``audit`` entry is written.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from psycopg.types.json import Jsonb

from server.auth import User
from server.config import Settings
from server.db import DbConn
from server.roles import may_write, readable
from server.rowstore import commit_rows, load_rows
from server.scope import compute_scope
from server.wire import ResolveRequest


class ConflictError(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def _iso(v: Any) -> Any:
    return v.isoformat() if hasattr(v, "isoformat") else v


def _public(c: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for k, v in c.items():
        out[k] = str(v) if isinstance(v, UUID) else _iso(v)
    return out


def list_conflicts(
    conn: DbConn, settings: Settings, user: User, status: str = "open", limit: int = 1000
) -> dict[str, Any]:
    scope = compute_scope(conn, user, settings.today())
    entities = readable(user.role)
    rows = conn.execute(
        "SELECT * FROM conflicts WHERE status = %s AND (scope_id IS NULL OR scope_id = ANY(%s))"
        " AND (%s::text[] IS NULL OR entity = ANY(%s::text[])) ORDER BY received_at, id LIMIT %s",
        (status, list(scope.units()), entities, entities, limit),
    ).fetchall()
    items = [_public(r) for r in rows]
    flagged = sorted({i["case_id"] for i in items if i["case_id"]}) if status == "open" else []
    return {"conflicts": items, "flagged_cases": flagged}


def resolve(
    conn: DbConn, settings: Settings, user: User, conflict_id: UUID, req: ResolveRequest
) -> dict[str, Any]:
    c = conn.execute("SELECT * FROM conflicts WHERE id = %s FOR UPDATE", (conflict_id,)).fetchone()
    scope = compute_scope(conn, user, settings.today())
    if c is None or not scope.allows(c["scope_id"]) or not may_write(user.role, c["entity"]):
        # Same answer for "absent" and "not yours": existence of another team's conflict is not disclosed.
        raise ConflictError(404, "not_found", "no such conflict in your scope")
    if c["status"] != "open":
        raise ConflictError(409, "already_resolved", "this conflict has already been resolved")
    now = settings.now()
    rows = load_rows(conn, [(c["entity"], c["entity_id"])])
    row = rows.get((c["entity"], c["entity_id"]))
    if row is None:
        raise ConflictError(409, "row_missing", "the record of this conflict no longer exists")
    stamp = {"v": None, "by": str(user.id), "dev": "server:resolution", "at": now.isoformat()}
    changed = False
    if c["field"] == "_row":
        if req.choice == "value":
            raise ConflictError(
                422, "invalid_choice", "an edit-vs-delete conflict is resolved with server or client"
            )
        if req.choice == "client":
            client = c["client_value"] or {}
            if client.get("deleted"):
                if not row.deleted:
                    row.deleted, changed = True, True
            else:
                row.deleted, changed = False, True
                for k, v in (client.get("fields") or {}).items():
                    row.data[k] = v
                    row.meta[k] = dict(stamp)
            row.meta["_row"] = dict(stamp)
        chosen: Any = None
    else:
        chosen = {"server": c["server_value"], "client": c["client_value"], "value": req.value}[req.choice]
        if row.data.get(c["field"]) != chosen or c["field"] not in row.data:
            row.data[c["field"]] = chosen
            row.meta[c["field"]] = dict(stamp)
            changed = True
    if changed:
        row.dirty = True
        commit_rows(conn, [row], now, user.id)
    resolution = {"choice": req.choice, "value": chosen, "note": req.note, "row_version": row.version}
    conn.execute(
        "UPDATE conflicts SET status = 'resolved', resolution = %s, resolved_by = %s, resolved_at = %s"
        " WHERE id = %s",
        (Jsonb(resolution), user.id, now, conflict_id),
    )
    conn.execute(
        "INSERT INTO audit (at, actor, action, detail) VALUES (%s, %s, 'conflict.resolve', %s)",
        (
            now,
            user.id,
            Jsonb(
                {
                    "conflict_id": str(conflict_id),
                    "entity": c["entity"],
                    "entity_id": str(c["entity_id"]),
                    "case_id": str(c["case_id"]) if c["case_id"] else None,
                    "field": c["field"],
                    "server_value": c["server_value"],
                    "client_value": c["client_value"],
                    **resolution,
                }
            ),
        ),
    )
    return {"conflict_id": str(conflict_id), "status": "resolved", "version": row.version, **resolution}


def list_quarantine(conn: DbConn, user: User, limit: int = 1000) -> dict[str, Any]:
    """Refused ops for a supervisor: a team manager sees their team's users', a senior manager all."""
    if user.role == "senior_manager":
        rows = conn.execute(
            "SELECT * FROM quarantine ORDER BY last_received_at LIMIT %s", (limit,)
        ).fetchall()
    elif user.role == "team_manager":
        rows = conn.execute(
            "SELECT q.* FROM quarantine q JOIN users u ON u.id = q.user_id WHERE u.team_id = %s"
            " ORDER BY q.last_received_at LIMIT %s",
            (user.team_id, limit),
        ).fetchall()
    else:
        rows = conn.execute(
            "SELECT * FROM quarantine WHERE user_id = %s ORDER BY last_received_at LIMIT %s", (user.id, limit)
        ).fetchall()
    return {"quarantine": [_public(r) for r in rows]}
