"""The lead co-ordinator and its delegation (SEED 002; WSP adults Section 3 part 1).

``CoordinatorService(session)``:

``appoint(case_id, practitioner_id, *, from_date=None)``
    The local authority's lead co-ordinator. Must be employed within social services (refused
    otherwise); "where possible" a social worker registered with Social Care Wales: a missing
    registration is allowed but returned as ``scw_registered=False`` and noted on the assignment.
``delegate(case_id, *, delegate_id, delegate_role, la_monitor_id, la_monitor_role, rationale,
reporting_arrangements, decided_on=None)``
    Delegation to another statutory partner (health, say). Refused unless ALL four are recorded: the
    delegated lead co-ordinator's role and responsibilities (``delegate_role``); the local authority
    person responsible for monitoring and overview and their role (``la_monitor_id``,
    ``la_monitor_role``); the ``rationale``; the arrangements for reporting, monitoring and review by
    the local authority (``reporting_arrangements``). The delegate must not be social services (it is
    *another* partner); the monitor must be. The row's ``statutory_responsibility`` is always
    ``"local_authority"`` (a CHECK constraint keeps it so), and the LA lead co-ordinator stays assigned.
``end_delegation(case_id, *, ended_on, reason)``
    The role returns to the local authority (an amendment row with ``ended_on``).
``current(case_id)``
    Who leads now: ``lead_coordinator``, ``delegated_lead_coordinator``, ``acting``, ``delegation``
    and ``statutory_responsibility`` (always ``"local_authority"``).
"""

from __future__ import annotations

from typing import Any

from desktop.errors import ValidationError
from desktop.i18n import N_
from desktop.services.adults._common import (
    DELEGATED_LEAD_COORDINATOR,
    LEAD_COORDINATOR,
    adult_case,
    adult_id,
    assign_role,
    current_holder,
    end_role,
    latest_not_amended,
    require_practitioner,
    required_date,
    required_text,
    text,
)
from desktop.store import Tx

STATUTORY_RESPONSIBILITY = "local_authority"


class CoordinatorService:
    def __init__(self, session: Any) -> None:
        self.session = session

    def appoint(self, case_id: str, practitioner_id: str, *, from_date: str | None = None) -> dict[str, Any]:
        """Returns ``{"assignment": row, "scw_registered": bool}``."""
        adult_case(self.session, case_id)
        store = self.session.store
        who = require_practitioner(store, practitioner_id, "practitioner_id")
        if not who["employed_by_social_services"]:
            raise ValidationError(
                N_("The lead co-ordinator must be employed within social services. To give the role to another"
                   " statutory partner, record a delegation instead."),
                field="practitioner_id",
            )
        on = required_date(from_date or self.session.today(), "from_date", self.session.today())
        registered = bool(text(who.get("scw_number")))
        note = None if registered else "not_scw_registered"

        def write(tx: Tx) -> dict[str, Any]:
            person = adult_id(tx, case_id)
            row = assign_role(tx, case_id, LEAD_COORDINATOR, practitioner_id, person, on.isoformat(), note)
            return {"assignment": row, "scw_registered": registered}

        return self.session.write(write)

    def delegate(
        self,
        case_id: str,
        *,
        delegate_id: str,
        delegate_role: str | None,
        la_monitor_id: str | None,
        la_monitor_role: str | None,
        rationale: str | None,
        reporting_arrangements: str | None,
        decided_on: str | None = None,
    ) -> dict[str, Any]:
        """Returns the ``adult_delegation`` row (with ``statutory_responsibility="local_authority"``)."""
        adult_case(self.session, case_id)
        store = self.session.store
        delegate = require_practitioner(store, delegate_id, "delegate_id")
        if delegate["employed_by_social_services"]:
            raise ValidationError(
                N_("A delegation gives the role to another statutory partner; this practitioner works for social"
                   " services, so appoint them as lead co-ordinator instead."),
                field="delegate_id",
            )
        role = required_text(delegate_role, "delegate_role", N_(
            "Record the role and responsibilities of the delegated lead co-ordinator; a delegation cannot be"
            " saved without them."))
        if not la_monitor_id:
            raise ValidationError(
                N_("Record the person in the local authority responsible for monitoring and overview; a delegation"
                   " cannot be saved without them."),
                field="la_monitor_id",
            )
        monitor = require_practitioner(store, la_monitor_id, "la_monitor_id")
        if not monitor["employed_by_social_services"]:
            raise ValidationError(
                N_("The person responsible for monitoring and overview must work for the local authority's social"
                   " services, which keeps statutory responsibility."),
                field="la_monitor_id",
            )
        monitor_role = required_text(la_monitor_role, "la_monitor_role", N_(
            "Record the role and responsibilities of the local authority person responsible for monitoring and"
            " overview; a delegation cannot be saved without them."))
        why = required_text(rationale, "rationale", N_(
            "Record the rationale for the decision to delegate; a delegation cannot be saved without it."))
        reporting = required_text(reporting_arrangements, "reporting_arrangements", N_(
            "Record the arrangements for reporting, monitoring and review by the local authority; a delegation"
            " cannot be saved without them."))
        on = required_date(decided_on or self.session.today(), "decided_on", self.session.today())

        def write(tx: Tx) -> dict[str, Any]:
            if tx.query(f"SELECT 1 FROM adult_delegation x WHERE x.case_id = ? AND x.deleted = 0"
                        f" AND x.ended_on IS NULL AND {latest_not_amended('adult_delegation')}", [case_id]):
                raise ValidationError(N_("The lead co-ordinator role is already delegated on this case; end that"
                                         " delegation first."), field="delegate_id")
            person = adult_id(tx, case_id)
            row = tx.insert(
                "adult_delegation",
                {
                    "person_id": person,
                    "delegate_id": delegate_id,
                    "delegate_agency_id": delegate.get("agency_id"),
                    "delegate_role": role,
                    "la_monitor_id": la_monitor_id,
                    "la_monitor_role": monitor_role,
                    "rationale": why,
                    "reporting_arrangements": reporting,
                    "statutory_responsibility": STATUTORY_RESPONSIBILITY,
                    "decided_on": on.isoformat(),
                    "decided_by": self.session.user.id,
                },
                case_id=case_id,
            )
            assign_role(tx, case_id, DELEGATED_LEAD_COORDINATOR, delegate_id, person, on.isoformat(), "delegation")
            return row

        return self.session.write(write)

    def end_delegation(self, case_id: str, *, ended_on: str, reason: str) -> dict[str, Any]:
        """End the delegation in force; the role returns to the local authority's lead co-ordinator."""
        adult_case(self.session, case_id)
        on = required_date(ended_on, "ended_on", self.session.today())
        why = required_text(reason, "reason", N_("Record why the delegation ends."))

        def write(tx: Tx) -> dict[str, Any]:
            rows = tx.query(f"SELECT * FROM adult_delegation x WHERE x.case_id = ? AND x.deleted = 0"
                            f" AND x.ended_on IS NULL AND {latest_not_amended('adult_delegation')}", [case_id])
            if not rows:
                raise ValidationError(N_("The lead co-ordinator role is not delegated on this case."), field="ended_on")
            old = rows[0]
            keep = {k: v for k, v in old.items() if k not in ("id", "case_id", "created_at", "created_by",
                                                              "updated_at", "updated_by", "version", "deleted")}
            row = tx.insert("adult_delegation", {**keep, "ended_on": on.isoformat(), "amends_id": old["id"]},
                            case_id=case_id)
            end_role(tx, case_id, DELEGATED_LEAD_COORDINATOR, on.isoformat(), why)
            return row

        return self.session.write(write)

    def current(self, case_id: str) -> dict[str, Any]:
        """Who leads the adult's protection now, and where statutory responsibility sits."""
        adult_case(self.session, case_id, write=False, read="adult_delegation")
        store = self.session.store
        delegation = store.rows(
            f"SELECT * FROM adult_delegation x WHERE x.case_id = ? AND x.deleted = 0 AND x.ended_on IS NULL"
            f" AND {latest_not_amended('adult_delegation')} ORDER BY decided_on DESC LIMIT 1",
            [case_id],
        )
        la = current_holder(store, case_id, LEAD_COORDINATOR)
        delegated = current_holder(store, case_id, DELEGATED_LEAD_COORDINATOR)
        return {
            "lead_coordinator": la,
            "delegated_lead_coordinator": delegated,
            "acting": delegated or la,
            "delegation": delegation[0] if delegation else None,
            "statutory_responsibility": STATUTORY_RESPONSIBILITY,
        }
