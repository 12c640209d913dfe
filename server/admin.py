"""The administration path: teams, users and their roles, allocation, cover and other reference data.

This is the only way reference data changes (a laptop's push to it is refused): the CLI calls these
functions directly, and authorised administrators call them through ``/v1/admin/...``.

Contract: each function runs in the caller's transaction, validates its input and raises ``AdminError``
with a clear message on bad input (unknown team/user/role, bad dates, a row a laptop could not store).
Every change is also published as a reference row (``team``, ``practitioner``, ``cover``, or the
allocation fields of the case's ``case_file``) with a fresh change number, so every laptop receives it
by pull. ``now`` is the server clock's time.
"""

from __future__ import annotations

import re
import uuid
from datetime import date, datetime
from typing import Any
from uuid import UUID

from desktop.store.rowspec import REFERENCE_ENTITIES, spec
from server.auth import ROLES, hash_password
from server.db import DbConn, one
from server.rowstore import RowState, commit_rows, load_rows

ADMIN_DEVICE = "server:admin"
TEAM_KINDS = ("cp", "cin", "cic", "adult", "admin")
LANGUAGES = ("cy", "en", "bilingual", "unknown")
"""A practitioner's correspondence language (the laptop's ``practitioner.correspondence_language``)."""
USERNAME_RE = re.compile(r"[\w.@-]{1,64}")


class AdminError(ValueError):
    """Bad administrative input; the message is for the operator."""


class AdminNotFound(AdminError):
    """The team, user or case named does not exist."""


# -- publishing reference rows ------------------------------------------------------------------------


def publish(conn: DbConn, entity: str, row_id: UUID, fields: dict[str, Any], now: datetime,
            by: UUID | None, *, case_id: UUID | None = None, deleted: bool | None = None) -> RowState:  # fmt: skip
    """Write ``fields`` into the server row (created if absent) as the administration path, after checking
    that a laptop can store the result. Only fields whose value changes get a new version."""
    rows = load_rows(conn, [(entity, row_id)])
    row = rows.get((entity, row_id))
    if row is None:
        row = RowState(entity=entity, id=row_id, case_id=case_id, person_id=None,
                       scope_id=case_id, data={}, meta={})  # fmt: skip
    stamp = {"v": None, "by": str(by) if by else None, "dev": ADMIN_DEVICE, "at": now.isoformat()}
    merged = {**row.data, **fields, "updated_at": now.isoformat(), "updated_by": str(by) if by else "server"}
    problems = spec().problems(entity, merged)
    if problems:
        raise AdminError("; ".join(f"{p.field or entity}: {p.message}" for p in problems))
    changed = [k for k, v in fields.items() if k not in row.data or row.data[k] != v]
    if not changed and (deleted is None or deleted == row.deleted) and row.exists:
        return row
    for k in changed:
        row.meta[k] = dict(stamp)
    row.data = merged
    for k in ("updated_at", "updated_by"):
        row.meta[k] = dict(stamp)
    if deleted is not None:
        row.deleted = deleted
    row.meta["_row"] = dict(stamp)
    row.dirty = True
    commit_rows(conn, [row], now, by)
    return row


def _split_name(display: str) -> tuple[str, str]:
    parts = display.strip().rsplit(" ", 1)
    return (parts[0], parts[1]) if len(parts) == 2 else ("", parts[0] or "?")


def publish_user(conn: DbConn, user_id: UUID, now: datetime, by: UUID | None) -> None:
    """The user's ``practitioner`` row: name, role, team and whether they are active."""
    u = conn.execute(
        "SELECT id, display_name, role, team_id, active FROM users WHERE id = %s", (user_id,)
    ).fetchone()
    if u is None:
        raise AdminNotFound(f"no such user: {user_id}")
    given, family = _split_name(u["display_name"])
    publish(conn, "practitioner", user_id, {
        "given_names": given, "family_name": family, "app_role": u["role"],
        "team_id": str(u["team_id"]) if u["team_id"] else None, "employed_by_social_services": 1,
        "active": 1 if u["active"] else 0}, now, by)  # fmt: skip


def publish_all(conn: DbConn, now: datetime) -> int:
    """Publish every team, user and cover that has no reference row yet (a database from before reference
    rows were published); returns how many were published."""
    n = 0
    for t in conn.execute(
        "SELECT id, name FROM teams t WHERE NOT EXISTS (SELECT 1 FROM rows r WHERE r.entity = 'team' AND r.id = t.id)"
    ).fetchall():
        publish(conn, "team", t["id"], {"name": t["name"], "kind": "cp"}, now, None)
        n += 1
    for u in conn.execute(
        "SELECT id FROM users u WHERE NOT EXISTS (SELECT 1 FROM rows r WHERE r.entity = 'practitioner' AND r.id = u.id)"
    ).fetchall():
        publish_user(conn, u["id"], now, None)
        n += 1
    for c in conn.execute(
        "SELECT id FROM covers c WHERE NOT EXISTS (SELECT 1 FROM rows r WHERE r.entity = 'cover' AND r.id = c.id)"
    ).fetchall():
        _publish_cover(conn, c["id"], now, None)
        n += 1
    return n


# -- teams and users ----------------------------------------------------------------------------------


def create_team(conn: DbConn, name: str, now: datetime, kind: str = "cp",
                by: UUID | None = None) -> UUID:  # fmt: skip
    name = name.strip()
    if not name or len(name) > 200:
        raise AdminError("a team name of 1..200 characters is required")
    if kind not in TEAM_KINDS:
        raise AdminError(f"team kind must be one of {', '.join(TEAM_KINDS)}")
    if conn.execute("SELECT 1 FROM teams WHERE name = %s", (name,)).fetchone():
        raise AdminError(f"team {name!r} already exists")
    team_id = uuid.uuid4()
    conn.execute("INSERT INTO teams (id, name, created_at) VALUES (%s, %s, %s)", (team_id, name, now))
    publish(conn, "team", team_id, {"name": name, "kind": kind}, now, by)
    return team_id


def team_id_for(conn: DbConn, name_or_id: str) -> UUID:
    row = conn.execute(
        "SELECT id FROM teams WHERE name = %s OR id::text = %s", (name_or_id, name_or_id)
    ).fetchone()
    if row is None:
        raise AdminNotFound(f"no such team: {name_or_id!r}")
    team_id: UUID = row["id"]
    return team_id


def user_id_for(conn: DbConn, name_or_id: str) -> UUID:
    row = conn.execute(
        "SELECT id FROM users WHERE username = %s OR id::text = %s", (name_or_id, name_or_id)
    ).fetchone()
    if row is None:
        raise AdminNotFound(f"no such user: {name_or_id!r}")
    user_id: UUID = row["id"]
    return user_id


def _check_role(role: str, team: str | None) -> None:
    if role not in ROLES:
        raise AdminError(f"role must be one of {', '.join(ROLES)}")
    if role not in ("senior_manager", "register_custodian", "performance_officer") and not team:
        raise AdminError(f"a {role} needs a team")


def create_user(
    conn: DbConn,
    username: str,
    password: str,
    role: str,
    team: str | None,
    display_name: str | None = None,
    *,
    now: datetime,
    is_admin: bool = False,
    by: UUID | None = None,
    language: str = "unknown",
) -> UUID:
    """Create a user and publish their practitioner row; ``language`` is the language letters to them are
    written in (``unknown``: bilingual, Welsh first)."""
    if not USERNAME_RE.fullmatch(username):  # whole string: no surrounding spaces, no trailing newline
        raise AdminError("a username is 1..64 letters, digits and . _ @ -")
    _check_role(role, team)
    if len(password) < 8:
        raise AdminError("password must be at least 8 characters")
    _check_language(language)
    team_id = team_id_for(conn, team) if team else None
    if conn.execute("SELECT 1 FROM users WHERE username = %s", (username,)).fetchone():
        raise AdminError(f"user {username!r} already exists")
    user_id = uuid.uuid4()
    conn.execute(
        "INSERT INTO users (id, username, display_name, role, team_id, password_hash, is_admin, created_at)"
        " VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
        (user_id, username, (display_name or username).strip()[:200] or username, role, team_id,
         hash_password(password), is_admin, now),
    )  # fmt: skip
    publish_user(conn, user_id, now, by)
    if language != "unknown":
        publish(conn, "practitioner", user_id, {"correspondence_language": language}, now, by)
    return user_id


def _check_language(language: str) -> None:
    if language not in LANGUAGES:
        raise AdminError(f"language must be one of {', '.join(LANGUAGES)}")


def set_language(conn: DbConn, user: str, language: str, now: datetime, by: UUID | None = None) -> None:
    """Record the language letters to a user are written in; every laptop receives it with their
    practitioner row (``publish_user`` leaves it as it is)."""
    _check_language(language)
    publish(conn, "practitioner", user_id_for(conn, user), {"correspondence_language": language}, now, by)


def set_role(conn: DbConn, user: str, role: str, team: str | None, now: datetime,
             by: UUID | None = None) -> None:  # fmt: skip
    """Change a user's role and team; their scope follows at once and every laptop receives the change."""
    user_id = user_id_for(conn, user)
    _check_role(role, team)
    team_id = team_id_for(conn, team) if team else None
    conn.execute("UPDATE users SET role = %s, team_id = %s WHERE id = %s", (role, team_id, user_id))
    publish_user(conn, user_id, now, by)


def set_active(conn: DbConn, user: str, active: bool, now: datetime, by: UUID | None = None) -> None:
    """Disable (or re-enable) a user. Disabling ends every token of theirs at once."""
    user_id = user_id_for(conn, user)
    conn.execute(
        "UPDATE users SET active = %s, disabled_at = %s WHERE id = %s", (active, None if active else now, user_id)
    )
    if not active:
        conn.execute("DELETE FROM tokens WHERE user_id = %s", (user_id,))
    publish_user(conn, user_id, now, by)


def set_admin(conn: DbConn, user: str, is_admin: bool) -> None:
    conn.execute("UPDATE users SET is_admin = %s WHERE id = %s", (is_admin, user_id_for(conn, user)))


# -- allocation and cover -----------------------------------------------------------------------------


def allocate(
    conn: DbConn,
    case_id: UUID,
    team: str | None,
    worker: str | None,
    case_type: str | None = None,
    changed_by: str = "cli",
    *,
    now: datetime,
    by: UUID | None = None,
) -> None:
    """Allocate (or re-allocate) a case to a team and optionally a worker; the worker's team is used
    when no team is given. Scope follows at the next pull (the old holder gets a remove entry after the
    grace window for unsent work, docs/sync-protocol.md); the case's ``case_file`` (if the server has it)
    gets the new team and worker as a change every laptop receives."""
    worker_id = user_id_for(conn, worker) if worker else None
    if team:
        team_id = team_id_for(conn, team)
    elif worker_id:
        # Users are never deleted (only disabled), so the worker just found is still there.
        team_id = one(conn.execute("SELECT team_id FROM users WHERE id = %s", (worker_id,)), "the worker's team")[
            "team_id"]
    else:
        raise AdminError("give a team, a worker or both")
    if case_type is not None and case_type not in CASE_TYPES:
        raise AdminError(f"case type must be one of {', '.join(CASE_TYPES)}")
    record_allocation(conn, case_id, team_id, worker_id, case_type, changed_by, now)
    if load_rows(conn, [("case_file", case_id)], lock=False):
        publish(conn, "case_file", case_id, {"team_id": str(team_id) if team_id else None,
                "allocated_worker_id": str(worker_id) if worker_id else None}, now, by, case_id=case_id)  # fmt: skip


def record_allocation(conn: DbConn, case_id: UUID, team_id: UUID | None, worker_id: UUID | None,
                      case_type: str | None, changed_by: str, now: datetime) -> None:  # fmt: skip
    """The server's allocation of a case (``cases``, which scope reads) and its history line; the caller
    publishes the case's ``case_file`` fields (:func:`allocate`), or a push carries them."""
    existing = conn.execute("SELECT case_type FROM cases WHERE case_id = %s", (case_id,)).fetchone()
    ctype = case_type or (existing["case_type"] if existing else "child_protection")
    conn.execute(
        "INSERT INTO cases (case_id, team_id, worker_id, case_type, created_at, updated_at)"
        " VALUES (%s, %s, %s, %s, %s, %s)"
        " ON CONFLICT (case_id) DO UPDATE SET team_id = EXCLUDED.team_id, worker_id = EXCLUDED.worker_id,"
        " case_type = EXCLUDED.case_type, updated_at = EXCLUDED.updated_at",
        (case_id, team_id, worker_id, ctype, now, now),
    )
    conn.execute(
        "INSERT INTO allocation_history (case_id, team_id, worker_id, case_type, changed_by, changed_at)"
        " VALUES (%s, %s, %s, %s, %s, %s)",
        (case_id, team_id, worker_id, ctype, changed_by, now),
    )


CASE_TYPES = ("child_protection", "child_in_need", "looked_after", "adult_at_risk", "adult_support")


def _publish_cover(conn: DbConn, cover_id: UUID, now: datetime, by: UUID | None,
                   reason: str | None = None) -> RowState:  # fmt: skip
    # The caller has just inserted or read this cover in the same transaction, and covers are never deleted.
    c = one(conn.execute("SELECT * FROM covers WHERE id = %s", (cover_id,)), f"cover {cover_id}")
    covered = str(c["covered_user_id"]) if c["covered_user_id"] else None
    # A cover of one case is a row of that case on the laptop too (its ``case_id``).
    return publish(conn, "cover", cover_id, {"covering_id": str(c["cover_user_id"]), "covered_id": covered,
                   "from_date": c["starts_on"].isoformat(), "to_date": c["ends_on"].isoformat(), "reason": reason},
                   now, by, case_id=c["case_id"])  # fmt: skip


def add_cover(
    conn: DbConn, cover_user: str, covered_user: str | None, starts_on: date, ends_on: date,
    *, now: datetime, by: UUID | None = None, cover_id: UUID | None = None, reason: str | None = None,
    case_id: UUID | None = None,
) -> UUID:  # fmt: skip
    """``cover_user`` sees ``covered_user``'s allocated cases on local dates starts_on..ends_on — or, with
    ``case_id``, that one case (the covered user then only says whose work it was, and may be None). The
    cover's id is new unless given (a manager's laptop made the row: the published row is that same row).
    Refused: dates out of order, no user or case covered, an unknown user or case, a user covering
    themselves, a covering user who is disabled (they cannot sign in to do the work)."""
    if ends_on < starts_on:
        raise AdminError("cover ends before it starts")
    if covered_user is None and case_id is None:
        raise AdminError("give the user or the case covered")
    if case_id is not None and not conn.execute("SELECT 1 FROM cases WHERE case_id = %s", (case_id,)).fetchone():
        raise AdminNotFound(f"no such case: {case_id}")
    a, b = user_id_for(conn, cover_user), user_id_for(conn, covered_user) if covered_user else None
    if a == b:
        raise AdminError("a user cannot cover their own caseload")
    if not one(conn.execute("SELECT active FROM users WHERE id = %s", (a,)), "the covering user")["active"]:
        raise AdminError(f"{cover_user} is disabled: a disabled user cannot cover (enable-user first, or choose "
                         "someone else)")
    cover_id = cover_id or uuid.uuid4()
    if conn.execute("SELECT 1 FROM covers WHERE id = %s", (cover_id,)).fetchone():
        raise AdminError("this cover is already recorded")
    conn.execute(
        "INSERT INTO covers (id, cover_user_id, covered_user_id, starts_on, ends_on, created_at, case_id)"
        " VALUES (%s,%s,%s,%s,%s,%s,%s)",
        (cover_id, a, b, starts_on, ends_on, now, case_id),
    )
    _publish_cover(conn, cover_id, now, by, reason)
    return cover_id


def case_id_for(conn: DbConn, reference: str) -> UUID:
    """The case whose reference (as people know it: ``CP-2026-0042``) is ``reference``, among the cases the
    server allocates; :class:`AdminNotFound` if there is none, :class:`AdminError` if several share it."""
    found = conn.execute(
        "SELECT r.id FROM rows r JOIN cases c ON c.case_id = r.id WHERE r.entity = 'case_file' AND NOT r.deleted"
        " AND r.data->>'reference' = %s LIMIT 2", (reference.strip(),)).fetchall()
    if not found:
        raise AdminNotFound(f"no case has the reference {reference!r}")
    if len(found) > 1:
        raise AdminError(f"several cases have the reference {reference!r}: ask the case's team to tell them apart")
    case_id: UUID = found[0]["id"]
    return case_id


def put_reference(conn: DbConn, entity: str, row_id: UUID, fields: dict[str, Any], now: datetime,
                  by: UUID | None, deleted: bool = False) -> RowState:  # fmt: skip
    """Create or change an agency, an outside practitioner, an absence or another reference row. Teams,
    users and cover have their own functions (they drive scope); their rows cannot be written here."""
    if entity not in REFERENCE_ENTITIES:
        raise AdminError(f"{entity} is not reference data")
    if entity in ("team", "cover") or (entity == "practitioner" and conn.execute(
            "SELECT 1 FROM users WHERE id = %s", (row_id,)).fetchone()):  # fmt: skip
        raise AdminError(f"this {entity} is managed through its own administration command")
    return publish(conn, entity, row_id, fields, now, by, deleted=deleted)
