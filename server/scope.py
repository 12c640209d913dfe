"""Who may see and write what: the user's scope, computed on the server from allocation and cover.

A scope is a set of *units* (``desktop.store.rowspec.unit_of``): cases (by case_id) and the other units
— persons, households and the register log — kept together in ``persons``. Every row belongs to exactly
one unit (``rows.scope_id``), or to none (reference data, readable by every signed-in user and written
only through the administration path).

Cases:
- social_worker: cases allocated to them, plus the cases of every user they cover today and each case
  they cover today (a cover of one case);
- team_manager, admin_staff: their team's cases (and any allocated to them personally);
- senior_manager: all cases; register_custodian: all cases whose case_type is ``child_protection``;
- performance_officer: none (they read the authority's figures, never casework: server/figures.py).
Persons: those linked by a live ``case_member`` row of an in-scope case, plus persons the user created
that no live case_member links to yet (so a person recorded offline is not lost before it is linked).
Households: those a live ``household_member`` row links to a person in scope, plus households the user
created that nobody has joined yet. The register log of enquiries about nobody on record: the register
custodian and senior managers.

The grace window (:func:`grace_cut`): a case that left a user's scope less than ``grace_days`` ago
still takes the work they made while they held it, so de-allocation never strands unsent work.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from uuid import UUID

from desktop.store.rowspec import REGISTER_UNIT
from server.auth import User
from server.config import LOCAL_TZ
from server.db import DbConn, Retry, one

REGISTER = UUID(REGISTER_UNIT)
_UUID_SQL = "'^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$'"


@dataclass
class Scope:
    cases: set[UUID] = field(default_factory=set)
    persons: set[UUID] = field(default_factory=set)  # persons, households and the register log

    def units(self) -> set[UUID]:
        return self.cases | self.persons

    def allows(self, scope_id: UUID | None) -> bool:
        return scope_id is None or scope_id in self.cases or scope_id in self.persons


def _cases_sql(user: User, today: date) -> tuple[str, dict[str, UUID | date | None]]:
    """The query for the ids (``case_id``) of the cases in ``user``'s scope, and its parameters."""
    role = user.role
    if role == "performance_officer":
        return "SELECT NULL::uuid AS case_id WHERE false", {}  # figures, not casework
    if role == "senior_manager":
        return "SELECT case_id FROM cases", {}
    if role == "register_custodian":
        return "SELECT case_id FROM cases WHERE case_type = 'child_protection'", {}
    if role in ("team_manager", "admin_staff"):
        return "SELECT case_id FROM cases WHERE team_id = %(team)s OR worker_id = %(me)s", {"team": user.team_id, "me": user.id}
    return (  # social_worker
        # (a UNION, not OR: each half reads by the worker index instead of scanning every case)
        "SELECT case_id FROM cases WHERE worker_id = %(me)s UNION SELECT case_id FROM cases WHERE worker_id IN ("
        " SELECT covered_user_id FROM covers WHERE cover_user_id = %(me)s AND case_id IS NULL"
        " AND starts_on <= %(today)s AND ends_on >= %(today)s)"
        # the cover of one case (migration 0026)
        " UNION SELECT case_id FROM covers WHERE cover_user_id = %(me)s AND case_id IS NOT NULL"
        " AND starts_on <= %(today)s AND ends_on >= %(today)s"
    ), {"me": user.id, "today": today}


def scope_cases(conn: DbConn, user: User, today: date) -> set[UUID]:
    sql, params = _cases_sql(user, today)
    return {r["case_id"] for r in conn.execute(sql, params)}


# The whole scope in one statement (one round trip, one plan): the cases, then the persons linked to
# them or made by the user and linked to none, then those persons' households and the user's households
# nobody has joined. Each step reads by the same indexes as it would alone (``= ANY`` of the step before).
_SCOPE_SQL = (
    "WITH c AS (__CASES__),"
    " p AS ("
    "  SELECT person_id AS u FROM rows WHERE entity = 'case_member' AND NOT deleted AND person_id IS NOT NULL"
    "   AND case_id = ANY(ARRAY(SELECT case_id FROM c))"
    "  UNION"
    "  SELECT p.id FROM rows p WHERE p.entity = 'person' AND p.created_by = %(me)s AND NOT EXISTS ("
    "   SELECT 1 FROM rows m WHERE m.entity = 'case_member' AND m.person_id = p.id AND NOT m.deleted)),"
    " h AS ("
    "  SELECT (data->>'household_id')::uuid AS u FROM rows WHERE entity = 'household_member' AND NOT deleted"
    f"   AND person_id = ANY(ARRAY(SELECT u FROM p)) AND data->>'household_id' ~ {_UUID_SQL}"
    "  UNION"
    "  SELECT h.id FROM rows h WHERE h.entity = 'household' AND h.created_by = %(me)s AND NOT EXISTS ("
    "   SELECT 1 FROM rows m WHERE m.entity = 'household_member' AND NOT m.deleted"
    "   AND m.data->>'household_id' = h.id::text))"
    " SELECT true AS is_case, case_id AS u FROM c"
    " UNION ALL SELECT false, u FROM p UNION ALL SELECT false, u FROM h"
)


def compute_scope(conn: DbConn, user: User, today: date) -> Scope:
    """The user's scope now (see the module), read in one statement."""
    sql, params = _cases_sql(user, today)
    scope = Scope()
    for r in conn.execute(_SCOPE_SQL.replace("__CASES__", sql), {**params, "me": user.id}):
        (scope.cases if r["is_case"] else scope.persons).add(r["u"])
    if user.role in ("register_custodian", "senior_manager"):
        scope.persons.add(REGISTER)
    return scope


def case_known(conn: DbConn, case_id: UUID) -> bool:
    """A case exists on the server once allocated or once any row of it was stored."""
    if conn.execute("SELECT 1 FROM cases WHERE case_id = %s", (case_id,)).fetchone():
        return True
    return conn.execute("SELECT 1 FROM rows WHERE scope_id = %s LIMIT 1", (case_id,)).fetchone() is not None


def may_create_case(user: User) -> bool:
    return user.role in ("social_worker", "team_manager", "senior_manager")  # the laptop's CREATE_CASE


def allocation(conn: DbConn, case_id: UUID) -> tuple[UUID | None, UUID | None] | None:
    """(team, worker) the case is allocated to on the server, or None for an unknown case."""
    row = conn.execute("SELECT team_id, worker_id FROM cases WHERE case_id = %s", (case_id,)).fetchone()
    return (row["team_id"], row["worker_id"]) if row else None


def new_case_allocation(user: User) -> tuple[UUID | None, UUID | None]:
    """A case first seen in a push goes to its creator's team, and to the creator when a social worker."""
    return user.team_id, user.id if user.role == "social_worker" else None


def register_new_case(conn: DbConn, user: User, case_id: UUID, now: datetime) -> None:
    """Allocate a case first seen in a push (see :func:`new_case_allocation`) until someone re-allocates it."""
    team, worker = new_case_allocation(user)
    cur = conn.execute(
        "INSERT INTO cases (case_id, team_id, worker_id, created_at, updated_at) VALUES (%s, %s, %s, %s, %s)"
        " ON CONFLICT (case_id) DO NOTHING",
        (case_id, team, worker, now, now),
    )
    if cur.rowcount != 1:
        raise Retry("the case was registered concurrently")  # judge the op again against that allocation
    conn.execute(
        "INSERT INTO allocation_history (case_id, team_id, worker_id, case_type, changed_by, changed_at)"
        " VALUES (%s, %s, %s, 'child_protection', %s, %s)",
        (case_id, team, worker, f"created-by-push:{user.username}", now),
    )


# -- the grace window ---------------------------------------------------------------------------------


def _local_midnight(d: date) -> datetime:
    return datetime.combine(d, time(0), LOCAL_TZ)


def access_ended(conn: DbConn, user: User, case_id: UUID, now: datetime) -> datetime | None:
    """When ``user`` last stopped having ``case_id`` in scope (by re-allocation, the end of a cover or a
    change of case type), or None if they never had it. Only called for a case not in scope now."""
    history = conn.execute(
        "SELECT team_id, worker_id, case_type, changed_at FROM allocation_history WHERE case_id = %s"
        " ORDER BY changed_at, id",
        (case_id,),
    ).fetchall()
    if not history:
        return None
    covers = []
    if user.role == "social_worker":
        covers = conn.execute(
            "SELECT covered_user_id, case_id, starts_on, ends_on FROM covers WHERE cover_user_id = %s", (user.id,)
        ).fetchall()
    ended: datetime | None = None
    for i, h in enumerate(history):
        start = h["changed_at"]
        end = history[i + 1]["changed_at"] if i + 1 < len(history) else now
        if end < start:
            continue  # (an allocation made and replaced at the same instant still counts: end == start)
        spans: list[tuple[datetime, datetime]] = []
        if h["worker_id"] == user.id:
            spans.append((start, end))
        elif user.role in ("team_manager", "admin_staff") and h["team_id"] == user.team_id:
            spans.append((start, end))
        elif user.role == "register_custodian" and h["case_type"] == "child_protection":
            spans.append((start, end))
        for c in covers:
            # a cover of one case covers that case; a cover of a worker, the worker's allocated cases
            if (c["case_id"] == case_id) if c["case_id"] is not None else (c["covered_user_id"] == h["worker_id"]):
                c_start = _local_midnight(c["starts_on"])
                c_end = _local_midnight(c["ends_on"] + timedelta(days=1))
                if c_start <= end and c_end > start:
                    spans.append((max(start, c_start), min(end, c_end)))
        for _s, e in spans:
            e = min(e, now)
            if ended is None or e > ended:
                ended = e
    return ended


def grace_cut(conn: DbConn, user: User, case_id: UUID, now: datetime, grace_days: int) -> int | None:
    """For a case that left ``user``'s scope less than ``grace_days`` ago: the highest change number the
    case had when it left (an edit made while they held it was made against a version no higher). None
    when no grace applies."""
    if grace_days <= 0:
        return None
    ended = access_ended(conn, user, case_id, now)
    if ended is None or ended < now - timedelta(days=grace_days):
        return None
    row = one(conn.execute(
        "SELECT coalesce(max(seq), 0) AS s FROM rows WHERE scope_id = %s AND updated_at < %s", (case_id, ended)
    ), "the case's highest change number")  # an aggregate: always one row
    return int(row["s"])


def person_cases(conn: DbConn, person_id: UUID) -> set[UUID]:
    """Cases a live case_member row links the person to."""
    rows = conn.execute(
        "SELECT DISTINCT case_id FROM rows WHERE entity = 'case_member' AND NOT deleted AND person_id = %s"
        " AND case_id IS NOT NULL",
        (person_id,),
    )
    return {r["case_id"] for r in rows}
