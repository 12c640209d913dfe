"""Administration: teams, users, case allocation and cover. Used by the CLI and by tests.

Contract: each function runs in the caller's transaction, validates its input and raises
``AdminError`` with a clear message on bad input (unknown team/user/role, bad dates).
"""

from __future__ import annotations

import uuid
from datetime import date
from uuid import UUID

import psycopg

from server.auth import ROLES, hash_password


class AdminError(ValueError):
    """Bad administrative input; the message is for the operator."""


def create_team(conn: psycopg.Connection, name: str) -> UUID:
    name = name.strip()
    if not name:
        raise AdminError("team name is empty")
    if conn.execute("SELECT 1 FROM teams WHERE name = %s", (name,)).fetchone():
        raise AdminError(f"team {name!r} already exists")
    team_id = uuid.uuid4()
    conn.execute("INSERT INTO teams (id, name) VALUES (%s, %s)", (team_id, name))
    return team_id


def team_id_for(conn: psycopg.Connection, name_or_id: str) -> UUID:
    row = conn.execute(
        "SELECT id FROM teams WHERE name = %s OR id::text = %s", (name_or_id, name_or_id)
    ).fetchone()
    if row is None:
        raise AdminError(f"no such team: {name_or_id!r}")
    return row["id"] if isinstance(row, dict) else row[0]


def user_id_for(conn: psycopg.Connection, name_or_id: str) -> UUID:
    row = conn.execute(
        "SELECT id FROM users WHERE username = %s OR id::text = %s", (name_or_id, name_or_id)
    ).fetchone()
    if row is None:
        raise AdminError(f"no such user: {name_or_id!r}")
    return row["id"] if isinstance(row, dict) else row[0]


def create_user(
    conn: psycopg.Connection,
    username: str,
    password: str,
    role: str,
    team: str | None,
    display_name: str | None = None,
) -> UUID:
    username = username.strip()
    if not username:
        raise AdminError("username is empty")
    if role not in ROLES:
        raise AdminError(f"role must be one of {', '.join(ROLES)}")
    if len(password) < 8:
        raise AdminError("password must be at least 8 characters")
    if role != "senior_manager" and role != "register_custodian" and not team:
        raise AdminError(f"a {role} needs a team")
    team_id = team_id_for(conn, team) if team else None
    if conn.execute("SELECT 1 FROM users WHERE username = %s", (username,)).fetchone():
        raise AdminError(f"user {username!r} already exists")
    user_id = uuid.uuid4()
    conn.execute(
        "INSERT INTO users (id, username, display_name, role, team_id, password_hash)"
        " VALUES (%s, %s, %s, %s, %s, %s)",
        (user_id, username, display_name or username, role, team_id, hash_password(password)),
    )
    return user_id


def allocate(
    conn: psycopg.Connection,
    case_id: UUID,
    team: str | None,
    worker: str | None,
    case_type: str | None = None,
    changed_by: str = "cli",
) -> None:
    """Allocate (or re-allocate) a case to a team and optionally a worker; the worker's team is used
    when no team is given. Scope follows at the next pull (the old holder gets a remove entry)."""
    worker_id = user_id_for(conn, worker) if worker else None
    if team:
        team_id = team_id_for(conn, team)
    elif worker_id:
        row = conn.execute("SELECT team_id FROM users WHERE id = %s", (worker_id,)).fetchone()
        team_id = row["team_id"] if isinstance(row, dict) else row[0]
    else:
        raise AdminError("give a team, a worker or both")
    existing = conn.execute("SELECT case_type FROM cases WHERE case_id = %s", (case_id,)).fetchone()
    ctype = case_type or (
        (existing["case_type"] if isinstance(existing, dict) else existing[0])
        if existing
        else "child_protection"
    )
    conn.execute(
        "INSERT INTO cases (case_id, team_id, worker_id, case_type) VALUES (%s, %s, %s, %s)"
        " ON CONFLICT (case_id) DO UPDATE SET team_id = EXCLUDED.team_id, worker_id = EXCLUDED.worker_id,"
        " case_type = EXCLUDED.case_type, updated_at = now()",
        (case_id, team_id, worker_id, ctype),
    )
    conn.execute(
        "INSERT INTO allocation_history (case_id, team_id, worker_id, case_type, changed_by)"
        " VALUES (%s, %s, %s, %s, %s)",
        (case_id, team_id, worker_id, ctype, changed_by),
    )


def add_cover(
    conn: psycopg.Connection, cover_user: str, covered_user: str, starts_on: date, ends_on: date
) -> UUID:
    """``cover_user`` sees ``covered_user``'s allocated cases on local dates starts_on..ends_on."""
    if ends_on < starts_on:
        raise AdminError("cover ends before it starts")
    a, b = user_id_for(conn, cover_user), user_id_for(conn, covered_user)
    if a == b:
        raise AdminError("a user cannot cover their own caseload")
    cover_id = uuid.uuid4()
    conn.execute(
        "INSERT INTO covers (id, cover_user_id, covered_user_id, starts_on, ends_on) VALUES (%s,%s,%s,%s,%s)",
        (cover_id, a, b, starts_on, ends_on),
    )
    return cover_id
