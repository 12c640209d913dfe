"""Audit anchors: the server keeps each laptop's audit chain head, so the chain cannot be rewritten
quietly (issue 15).

The laptop's audit is hash-chained (``desktop/store/audit.py``), but whoever holds the key could
delete its last entries, or edit one and recompute every hash after it. So each sync ends with::

    POST /v1/audit-anchor
    {"device_id": "…", "entries": 1234, "head": "<sha-256 hex of entry 1234>",
     "since": {"entries": 1200, "hash": "<the laptop's hash of entry 1200 now>"} | null}

``since`` proves continuity: ``entries`` is the count of the last anchor the server gave back, and
``hash`` the laptop's own hash of that entry today. The server answers ``200``::

    {"anchor": {"entries": 1234, "head": "…", "received_at": "…"},
     "incident": null | {"kind": "truncated" | "reforged" | "unproven",
                         "anchored": {"entries": 1200, "head": "…"}}}

and keeps the new anchor whatever happens: an ``incident`` (fewer entries than the last anchor; a
different hash where it had one; no proof when it holds an anchor for the device) is stored beside it,
for whoever audits the laptop — that is what makes a rewrite loud, even by someone who also edits
what the laptop remembers of its anchor. Anchors are per user and device: a user touches only their
own. Tables: ``server/migrations/0015_audit_anchor.sql``.

Reading them back: ``GET /v1/admin/audit-incidents`` (administrators: every device's breaks, newest first,
paged by ``before``; each read audited) and ``diogel-server audit-incidents`` for an operator;
``GET /v1/audit-anchor?device_id=…`` gives a user their own device's newest anchor and breaks (what
``diogel check`` compares the laptop's chain with).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from psycopg.types.json import Jsonb
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from server.auth import User
from server.db import DbConn
from server.wire import BadInput

HEX64 = r"^[0-9a-f]{64}$"


class Since(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    entries: int = Field(ge=0, le=2**62)
    hash: str = Field(pattern=HEX64)


class AnchorRequest(BaseModel):
    """The body of ``POST /v1/audit-anchor``."""

    model_config = ConfigDict(extra="forbid", strict=True)
    device_id: str = Field(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9._:-]+$")
    entries: int = Field(ge=0, le=2**62)
    head: str = Field(pattern=HEX64)
    since: Since | None = None


def parse(body: Any) -> AnchorRequest:
    """The request, or :class:`BadInput` (422) naming the first field that is wrong."""
    try:
        return AnchorRequest.model_validate(body)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise BadInput(str(first.get("msg", "invalid")), ".".join(str(p) for p in first.get("loc", ()))) from None


def record(conn: DbConn, user: User, req: AnchorRequest, now: datetime) -> dict[str, Any]:
    """Keep ``req`` as the device's newest anchor and say whether it continues the last one."""
    conn.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (f"anchor:{user.id}:{req.device_id}",))
    last = conn.execute(
        "SELECT entries, head FROM audit_anchors WHERE user_id = %s AND device_id = %s ORDER BY id DESC LIMIT 1",
        (user.id, req.device_id),
    ).fetchone()
    incident: dict[str, Any] | None = None
    if last is not None:
        entries, head = (last["entries"], last["head"]) if isinstance(last, dict) else (last[0], last[1])
        kind = None
        if req.entries < entries:
            kind = "truncated"
        elif req.since is None or req.since.entries != entries:
            kind = "unproven"
        elif req.since.hash != head:
            kind = "reforged"
        if kind is not None:
            incident = {"kind": kind, "anchored": {"entries": entries, "head": head}}
            conn.execute(
                "INSERT INTO audit_anchor_incidents (user_id, device_id, kind, anchored_entries, anchored_head,"
                " sent_entries, sent_head, at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
                (user.id, req.device_id, kind, entries, head, req.entries, req.head, now),
            )
    conn.execute(
        "INSERT INTO audit_anchors (user_id, device_id, entries, head, received_at) VALUES (%s, %s, %s, %s, %s)",
        (user.id, req.device_id, req.entries, req.head, now),
    )
    return {"anchor": {"entries": req.entries, "head": req.head, "received_at": now.isoformat()},
            "incident": incident}


# -- reading what was kept ---------------------------------------------------------------------------
_INCIDENT_COLUMNS = (
    "i.id, u.username, u.display_name, i.device_id, i.kind, i.anchored_entries, i.anchored_head,"
    " i.sent_entries, i.sent_head, i.at"
)


def _incident(row: Any) -> dict[str, Any]:
    return {"id": row["id"], "username": row["username"], "display_name": row["display_name"],
            "device_id": row["device_id"], "kind": row["kind"],
            "anchored": {"entries": row["anchored_entries"], "head": row["anchored_head"]},
            "sent": {"entries": row["sent_entries"], "head": row["sent_head"]},
            "at": row["at"].isoformat()}  # fmt: skip


def list_incidents(conn: DbConn, actor: User | None, via: str, now: datetime, *, limit: int,
                   before: int | None = None, since: datetime | None = None) -> dict[str, Any]:
    """Every device's recorded breaks, newest first, at most ``limit`` (ids below ``before``; at or after
    ``since``), and ``next_before`` for the next page (``None`` on the last). The read itself is audited
    (``audit_incidents.list``: who, how, what was asked, how many were shown), as the figures' runs are."""
    rows = conn.execute(
        f"SELECT {_INCIDENT_COLUMNS} FROM audit_anchor_incidents i JOIN users u ON u.id = i.user_id"
        " WHERE (%s::bigint IS NULL OR i.id < %s) AND (%s::timestamptz IS NULL OR i.at >= %s)"
        " ORDER BY i.id DESC LIMIT %s",
        (before, before, since, since, limit + 1),
    ).fetchall()
    more = len(rows) > limit
    items = [_incident(r) for r in rows[:limit]]
    conn.execute(
        "INSERT INTO audit (at, actor, action, detail) VALUES (%s, %s, 'audit_incidents.list', %s)",
        (now, actor.id if actor else None,
         Jsonb({"via": via, "before": before, "since": since.isoformat() if since else None, "limit": limit,
                "shown": len(items)})),
    )  # fmt: skip
    return {"incidents": items, "next_before": items[-1]["id"] if more else None}


def own_anchor(conn: DbConn, user: User, device_id: str, *, limit: int) -> dict[str, Any]:
    """The newest anchor the server keeps for ``user``'s ``device_id`` (``None`` if none) and the breaks it
    recorded for that device, newest first (at most ``limit``; ``more`` says older ones exist). Only ever the caller's own: another
    user's device with the same id is a different history and is never read."""
    last = conn.execute(
        "SELECT entries, head, received_at FROM audit_anchors WHERE user_id = %s AND device_id = %s"
        " ORDER BY id DESC LIMIT 1", (user.id, device_id),
    ).fetchone()  # fmt: skip
    rows = conn.execute(
        f"SELECT {_INCIDENT_COLUMNS} FROM audit_anchor_incidents i JOIN users u ON u.id = i.user_id"
        " WHERE i.user_id = %s AND i.device_id = %s ORDER BY i.id DESC LIMIT %s",
        (user.id, device_id, limit + 1),
    ).fetchall()
    anchor = None if last is None else {"entries": last["entries"], "head": last["head"],
                                        "received_at": last["received_at"].isoformat()}  # fmt: skip
    return {"device_id": device_id, "anchor": anchor, "incidents": [_incident(r) for r in rows[:limit]],
            "more": len(rows) > limit}
