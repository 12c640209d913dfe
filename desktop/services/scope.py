"""Which cases the signed-in person may see on this laptop (Qt-free).

The same rule the server applies to sync (docs/sync-protocol.md): a social worker sees the cases
allocated to them, cases where they hold a role, and cases they cover; team managers and admin
staff see their team's cases; the register custodian sees child protection cases; senior
managers see all; a performance officer none (figures, not casework). A case outside scope behaves as
if it did not exist (:class:`NotFound`).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from desktop.domain.types import Role
from desktop.errors import NotFound
from desktop.i18n import N_


def case_condition(user: Any, today: date, alias: str = "c") -> tuple[str, dict[str, Any]]:
    """An SQL condition on ``case_file AS alias`` and its named parameters."""
    params: dict[str, Any] = {"scope_me": user.id, "scope_team": user.team_id, "scope_today": today.isoformat()}
    role = user.role
    if role == Role.SENIOR_MANAGER:
        return "1 = 1", params
    if role == Role.PERFORMANCE_OFFICER:
        return "0 = 1", params
    if role == Role.REGISTER_CUSTODIAN:
        return f"{alias}.case_type = 'child_protection'", params
    if role in (Role.TEAM_MANAGER, Role.ADMIN_STAFF):
        return f"{alias}.team_id = :scope_team", params
    return (
        f"""({alias}.allocated_worker_id = :scope_me
        OR EXISTS (SELECT 1 FROM role_assignment ra WHERE ra.case_id = {alias}.id AND ra.deleted = 0
                   AND ra.practitioner_id = :scope_me AND (ra.to_date IS NULL OR ra.to_date >= :scope_today))
        OR EXISTS (SELECT 1 FROM cover cv WHERE cv.deleted = 0 AND cv.covering_id = :scope_me
                   AND :scope_today BETWEEN cv.from_date AND cv.to_date
                   AND (cv.case_id = {alias}.id
                        OR (cv.case_id IS NULL AND cv.covered_id = {alias}.allocated_worker_id))))""",
        params,
    )


def require_case(session: Any, case_id: str) -> dict[str, Any]:
    """The case row if it is in the person's scope; otherwise :class:`NotFound`."""
    condition, params = case_condition(session.user, session.today())
    rows = session.store.rows(
        f"SELECT c.* FROM case_file c WHERE c.id = :case_id AND c.deleted = 0 AND {condition}",
        {**params, "case_id": case_id},
    )
    if not rows:
        raise NotFound(N_("That case does not exist or is not in your caseload."))
    return rows[0]


def require_casework(session: Any, case_id: str) -> dict[str, Any]:
    """The case row if the person may read its casework (``Can.VIEW_CASEWORK``) and it is in scope:
    ``PermissionDenied`` for a role without casework (admin staff, the register custodian), otherwise
    as :func:`require_case`."""
    from desktop.services.permissions import Can

    session.require(Can.VIEW_CASEWORK)
    return require_case(session, case_id)


def require_person(session: Any, person_id: str) -> dict[str, Any]:
    """The person row if they belong to a case in scope (or were added by this person and are
    not yet in any case); otherwise :class:`NotFound`."""
    condition, params = case_condition(session.user, session.today())
    rows = session.store.rows(
        f"""SELECT p.* FROM person p WHERE p.id = :person_id AND p.deleted = 0 AND (
              EXISTS (SELECT 1 FROM case_member m JOIN case_file c ON c.id = m.case_id
                      WHERE m.person_id = p.id AND m.deleted = 0 AND c.deleted = 0 AND {condition})
              OR (p.created_by = :scope_me
                  AND NOT EXISTS (SELECT 1 FROM case_member m WHERE m.person_id = p.id AND m.deleted = 0)))""",
        {**params, "person_id": person_id},
    )
    if not rows:
        raise NotFound(N_("That person does not exist or is not in your caseload."))
    return rows[0]
