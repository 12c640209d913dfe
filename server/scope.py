"""Who may see and write what: the user's scope, computed on the server from allocation and cover.

A scope is a set of *units*: cases (by case_id) and persons (by person id). Every row belongs to exactly
one unit (``rows.scope_id``: its case_id, else its person, else NULL for reference data, which is in
every scope).

Cases:
- social_worker: cases allocated to them, plus the cases of every user they cover today;
- team_manager, admin_staff: their team's cases (and any allocated to them personally);
- senior_manager: all cases; register_custodian: all cases whose case_type is ``child_protection``.
Persons: those linked by a live ``case_member`` row of an in-scope case, plus persons the user created
that no live case_member links to yet (so a person recorded offline is not lost before it is linked).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from uuid import UUID

import psycopg

from server.auth import User
from server.db import Retry


@dataclass
class Scope:
    cases: set[UUID] = field(default_factory=set)
    persons: set[UUID] = field(default_factory=set)

    def units(self) -> set[UUID]:
        return self.cases | self.persons

    def allows(self, scope_id: UUID | None) -> bool:
        return scope_id is None or scope_id in self.cases or scope_id in self.persons


def scope_cases(conn: psycopg.Connection, user: User, today: date) -> set[UUID]:
    role = user.role
    if role == "senior_manager":
        sql, params = "SELECT case_id FROM cases", {}
    elif role == "register_custodian":
        sql, params = "SELECT case_id FROM cases WHERE case_type = 'child_protection'", {}
    elif role in ("team_manager", "admin_staff"):
        sql = "SELECT case_id FROM cases WHERE team_id = %(team)s OR worker_id = %(me)s"
        params = {"team": user.team_id, "me": user.id}
    else:  # social_worker
        sql = (
            "SELECT case_id FROM cases WHERE worker_id = %(me)s OR worker_id IN ("
            " SELECT covered_user_id FROM covers WHERE cover_user_id = %(me)s"
            " AND starts_on <= %(today)s AND ends_on >= %(today)s)"
        )
        params = {"me": user.id, "today": today}
    return {r["case_id"] for r in conn.execute(sql, params)}


def scope_persons(conn: psycopg.Connection, user: User, cases: set[UUID]) -> set[UUID]:
    linked = conn.execute(
        "SELECT DISTINCT person_id FROM rows WHERE entity = 'case_member' AND NOT deleted"
        " AND person_id IS NOT NULL AND case_id = ANY(%s)",
        (list(cases),),
    )
    persons = {r["person_id"] for r in linked}
    unlinked = conn.execute(
        "SELECT p.id FROM rows p WHERE p.entity = 'person' AND p.created_by = %s AND NOT EXISTS ("
        " SELECT 1 FROM rows m WHERE m.entity = 'case_member' AND m.person_id = p.id AND NOT m.deleted)",
        (user.id,),
    )
    persons.update(r["id"] for r in unlinked)
    return persons


def compute_scope(conn: psycopg.Connection, user: User, today: date) -> Scope:
    cases = scope_cases(conn, user, today)
    return Scope(cases, scope_persons(conn, user, cases))


def case_known(conn: psycopg.Connection, case_id: UUID) -> bool:
    """A case exists on the server once allocated or once any row of it was stored."""
    if conn.execute("SELECT 1 FROM cases WHERE case_id = %s", (case_id,)).fetchone():
        return True
    return conn.execute("SELECT 1 FROM rows WHERE scope_id = %s LIMIT 1", (case_id,)).fetchone() is not None


def may_create_case(user: User) -> bool:
    return user.role in ("social_worker", "team_manager", "admin_staff", "senior_manager")


def register_new_case(conn: psycopg.Connection, user: User, case_id: UUID) -> None:
    """A case first seen in a push is allocated to its creator's team, and to the creator when they are a
    social worker, until someone re-allocates it."""
    worker = user.id if user.role == "social_worker" else None
    cur = conn.execute(
        "INSERT INTO cases (case_id, team_id, worker_id) VALUES (%s, %s, %s) ON CONFLICT (case_id) DO NOTHING",
        (case_id, user.team_id, worker),
    )
    if cur.rowcount != 1:
        raise Retry("the case was registered concurrently")  # judge the op again against that allocation
    conn.execute(
        "INSERT INTO allocation_history (case_id, team_id, worker_id, case_type, changed_by)"
        " VALUES (%s, %s, %s, 'child_protection', %s)",
        (case_id, user.team_id, worker, f"created-by-push:{user.username}"),
    )
