"""A manager's allocation, cover and absence made on a laptop, applied from the push through the
administration path (``server.admin``), so they land exactly as if an administrator had made them.

A team manager (often offline) records absence, arranges cover and allocates cases on the laptop; the
laptop keeps its rows and the push carries them. Here, for a manager, each such change is applied with
the administration functions in the push's own transaction: ``covers`` and the allocation (``cases``,
``allocation_history``) change, so scope follows at every laptop's next pull, and the reference row is
published under the laptop's own row id (the laptop's row and the server's are one row).

Contract:
- who: a ``team_manager`` for the workers and cases of their own team; a ``senior_manager`` for anyone.
  Anyone else is refused as before (``reference_data``); a team manager beyond their team is refused
  ``not_your_team`` — for cover and absence by the rule the laptop applies before writing
  (:mod:`desktop.domain.manager_reach`), over the teams found here (``users``, else the published
  ``practitioner`` row; ``cases``).
- cover: an insert of a cover of a worker's caseload, or of one case (``covers.case_id``, migration
  0026, a row of that case as on the laptop); a cover is never changed or deleted from a laptop
  (``reference_data``), as ``covers`` rows are never changed.
- absence: insert, update or delete of a ``practitioner_absence`` row (``admin.put_reference``).
- allocation: :func:`check_allocation` while the op is judged, :func:`record_allocations` once the batch
  is judged, for the ops whose allocation fields were applied (``admin.record_allocation``; the push
  itself writes the ``case_file`` fields).
Each reference change runs in a savepoint: a refusal (:class:`Refused`) leaves nothing behind.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

from psycopg import errors

from desktop.domain.manager_reach import NOT_YOUR_TEAM, beyond_reach
from server import admin
from server.auth import User
from server.db import DbConn
from server.roles import MANAGERS
from server.rowstore import RowState, load_rows
from server.wire import META_FIELDS, Op

MANAGED = frozenset({"cover", "practitioner_absence"})
"""Reference records a manager's push may carry."""

_STAMPS = frozenset({"updated_at", "updated_by", "created_at", "created_by"})


class Refused(Exception):
    """The change is refused (``reason`` a code the laptop words in both languages, ``message`` the detail)."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message


def takes(user: User, entity: str) -> bool:
    """Whether ``user``'s push of an ``entity`` row goes through here rather than being refused."""
    return user.role in MANAGERS and entity in MANAGED


def _team_of(conn: DbConn, practitioner_id: Any) -> UUID | None:
    """The team of a practitioner: a user's team, else the team on their published practitioner row."""
    pid = _uuid(practitioner_id, "practitioner")
    row = conn.execute("SELECT team_id FROM users WHERE id = %s", (pid,)).fetchone()
    if row is not None:
        team: UUID | None = row["team_id"]
        return team
    got = load_rows(conn, [("practitioner", pid)], lock=False).get(("practitioner", pid))
    if got is None or got.deleted:
        raise Refused("unknown_reference", "no such practitioner on the server")
    return _uuid_or_none(got.data.get("team_id"))


def _require_reach(user: User, named_teams: list[UUID | None], what: str) -> None:
    """The manager's reach (:func:`desktop.domain.manager_reach.beyond_reach`, the laptop's rule too) over the
    teams of the workers and cases a change names."""
    if beyond_reach(user.role, user.team_id, named_teams):
        raise Refused(NOT_YOUR_TEAM, f"a team manager arranges {what} for their own team's workers and cases only")


def _require_team(conn: DbConn, user: User, practitioner_ids: list[Any], what: str) -> None:
    if user.role != "senior_manager":  # a senior manager reaches anyone: no team to look up
        _require_reach(user, [_team_of(conn, pid) for pid in practitioner_ids if pid is not None], what)


def _uuid(value: Any, name: str) -> UUID:
    got = _uuid_or_none(value)
    if got is None:
        raise Refused("invalid_row", f"{name} must be a UUID")
    return got


def _uuid_or_none(value: Any) -> UUID | None:
    try:
        return UUID(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _date(value: Any, name: str) -> date:
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise Refused("invalid_row", f"{name} must be a date") from None


def apply_reference(conn: DbConn, user: User, op: Op, now: datetime) -> tuple[RowState, list[str]]:
    """Apply a manager's ``cover`` or ``practitioner_absence`` op (see the module); returns the published
    row (its ``version`` set) and the fields applied. Raises :class:`Refused`, having changed nothing."""
    fields = {k: v for k, v in op.fields.items() if k not in META_FIELDS and k not in _STAMPS}
    try:
        with conn.transaction():  # a savepoint: a refusal below undoes this op's writes only
            if op.entity == "cover":
                _cover(conn, user, op, fields, now)
            else:
                _absence(conn, user, op, fields, now)
    except admin.AdminError as e:
        raise Refused("invalid_row", str(e)) from None
    except errors.IntegrityError as e:  # a user the cover names was never a user, say
        raise Refused("invalid_row", type(e).__name__) from None
    row = load_rows(conn, [(op.entity, op.entity_id)], lock=False)[(op.entity, op.entity_id)]
    return row, sorted(fields)


def _cover(conn: DbConn, user: User, op: Op, fields: dict[str, Any], now: datetime) -> None:
    if op.kind != "insert":
        raise Refused("reference_data", "a cover is never changed once recorded; record a new one")
    covering = _uuid(fields.get("covering_id"), "covering_id")
    covered = _uuid(fields["covered_id"], "covered_id") if fields.get("covered_id") is not None else None
    if covered is None and op.case_id is None:
        raise Refused("invalid_row", "a cover names the worker or the case covered")
    if user.role != "senior_manager":
        teams = [_team_of(conn, str(covering))] + ([_team_of(conn, str(covered))] if covered else [])
        if op.case_id is not None:  # a case the server does not know is refused below (no such case)
            case = conn.execute("SELECT team_id FROM cases WHERE case_id = %s", (op.case_id,)).fetchone()
            teams += [case["team_id"]] if case is not None else []
        _require_reach(user, teams, "cover")
    reason = fields.get("reason")
    admin.add_cover(conn, str(covering), str(covered) if covered else None,
                    _date(fields.get("from_date"), "from_date"), _date(fields.get("to_date"), "to_date"),
                    now=now, by=user.id, cover_id=op.entity_id, case_id=op.case_id,
                    reason=reason if isinstance(reason, str) else None)  # fmt: skip


def _absence(conn: DbConn, user: User, op: Op, fields: dict[str, Any], now: datetime) -> None:
    key = ("practitioner_absence", op.entity_id)
    current = load_rows(conn, [key]).get(key)
    if op.kind != "insert" and current is None:
        raise Refused("unknown_row", "no such record on the server (its insert was never accepted)")
    whose = [fields.get("practitioner_id")] if "practitioner_id" in fields else []
    if current is not None:
        whose.append(current.data.get("practitioner_id"))
    _require_team(conn, user, whose, "absence")
    admin.put_reference(conn, "practitioner_absence", op.entity_id, fields, now, user.id,
                        deleted=op.kind == "delete")  # fmt: skip


# -- allocation ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Allocation:
    """A manager's allocation carried by an op, recorded once the op is applied."""

    op_id: UUID
    case_id: UUID
    team_id: UUID | None
    worker_id: UUID | None


def check_allocation(conn: DbConn, user: User, op: Op, case_id: UUID,
                     current: tuple[UUID | None, UUID | None], fields: dict[str, Any]) -> Allocation:  # fmt: skip
    """Authorise a manager's change of a case's team or worker (``current``: the server's allocation);
    raises :class:`Refused` (anyone else's is refused by the caller as before)."""
    team = _uuid_or_none(fields["team_id"]) if "team_id" in fields else current[0]
    worker = _uuid_or_none(fields["allocated_worker_id"]) if "allocated_worker_id" in fields else current[1]
    worker_team: UUID | None = None
    if worker is not None:
        row = conn.execute("SELECT team_id FROM users WHERE id = %s AND active", (worker,)).fetchone()
        if row is None:
            raise Refused("unknown_reference", "a case is allocated to a worker who uses Diogel")
        worker_team = row["team_id"]
    if team is not None and not conn.execute("SELECT 1 FROM teams WHERE id = %s", (team,)).fetchone():
        raise Refused("unknown_reference", "no such team on the server")
    if user.role != "senior_manager" and (
        user.team_id is None or {current[0], team} != {user.team_id}
        or (worker is not None and worker_team != user.team_id)
    ):
        raise Refused("not_your_team", "a team manager allocates their own team's cases to their own team's workers")
    return Allocation(op.op_id, case_id, team, worker)


def record_allocations(conn: DbConn, user: User, allocations: list[Allocation],
                       results: dict[str, dict[str, Any]], now: datetime) -> None:  # fmt: skip
    """Record, through the administration path, each allocation whose op was applied (its allocation
    fields among ``applied_fields``: a field left in conflict changes nothing)."""
    for a in allocations:
        res = results.get(str(a.op_id))
        if res is None or res["status"] not in ("applied", "conflict"):
            continue
        applied = set(res.get("applied_fields", ()))
        if not applied & {"team_id", "allocated_worker_id"}:
            continue
        current = conn.execute("SELECT team_id, worker_id FROM cases WHERE case_id = %s", (a.case_id,)).fetchone()
        team = a.team_id if "team_id" in applied or current is None else current["team_id"]
        worker = a.worker_id if "allocated_worker_id" in applied or current is None else current["worker_id"]
        admin.record_allocation(conn, a.case_id, team, worker, None, f"push:{user.username}", now)
