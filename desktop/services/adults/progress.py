"""Where an adult's case is, in one read (Qt-free): what the case tab says and which steps apply now.

``ProgressService(session).progress(case_id)`` gives an :class:`AdultProgress`: the reports and whether
each was screened, the enquiries and their determinations, who leads (names of the lead co-ordinator,
the delegated lead co-ordinator and the lead practitioner), the active plan, whether a conference waits
to be held, how many offers of an advocate wait for the adult's answer, the adult protection and support
orders waiting for the court or in force, and when the case closed.

One scope-checked read of an adult-at-risk case (``Can.VIEW_CASEWORK``), audited once as a read of
``adult_progress``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from desktop.services.adults._common import (
    DELEGATED_LEAD_COORDINATOR,
    LEAD_COORDINATOR,
    LEAD_PRACTITIONER,
    adult_case,
    current_holder,
    latest_not_amended,
    practitioner_name,
    practitioner_row,
)


@dataclass(frozen=True)
class ReportStep:
    received_at: str
    """Local ISO date or date-time."""
    screening_decision: str | None


@dataclass(frozen=True)
class EnquiryStep:
    started_on: str
    concluded_on: str | None
    determination: str | None


@dataclass(frozen=True)
class AdultProgress:
    reports: tuple[ReportStep, ...]
    """Oldest first."""
    enquiries: tuple[EnquiryStep, ...]
    """Oldest first."""
    lead_coordinator: str | None
    """Names (``None``: nobody holds the role now)."""
    delegated_lead_coordinator: str | None
    lead_practitioner: str | None
    plan_started_on: str | None
    """The active care and support protection plan's start (``None``: no active plan)."""
    conference_waiting: bool
    """A conference convened and not yet held or cancelled."""
    advocacy_awaiting: int
    """Offers of an advocate the adult has not answered yet."""
    closed_on: str | None
    conferences_held: int = 0
    """Adult protection conferences held (each has a report the app can make)."""
    capacity_assessments: int = 0
    """Capacity assessments in force (each may be corrected)."""
    apso_awaiting: int = 0
    """Applications for an adult protection and support order waiting for the court's decision."""
    apso_in_force: int = 0
    """Orders granted whose end is not recorded yet."""
    apso_until: str | None = None
    """The last day in force of the latest of those orders (``None``: none)."""

    @property
    def unscreened(self) -> bool:
        return any(r.screening_decision is None for r in self.reports)

    @property
    def enquiries_open(self) -> bool:
        return any(e.concluded_on is None for e in self.enquiries)


class ProgressService:
    def __init__(self, session: Any) -> None:
        self.session = session

    def progress(self, case_id: str) -> AdultProgress:
        case = adult_case(self.session, case_id, write=False, read="adult_progress")
        store = self.session.store
        reports = store.rows("SELECT received_at, screening_decision FROM adult_report WHERE case_id = ?"
                             " AND deleted = 0 ORDER BY received_at", [case_id])
        enquiries = store.rows("SELECT started_on, concluded_on, determination FROM adult_enquiry WHERE case_id = ?"
                               " AND deleted = 0 ORDER BY started_on", [case_id])
        plan = store.rows("SELECT started_on FROM adult_plan WHERE case_id = ? AND deleted = 0 AND status = 'active'"
                          " ORDER BY started_on DESC LIMIT 1", [case_id])
        conference = store.rows("SELECT 1 FROM adult_conference WHERE case_id = ? AND deleted = 0"
                                " AND status NOT IN ('held', 'cancelled') LIMIT 1", [case_id])
        held = store.rows("SELECT count(*) AS n FROM adult_conference WHERE case_id = ? AND deleted = 0"
                          " AND status = 'held'", [case_id])[0]["n"]
        assessments = store.rows(
            f"SELECT count(*) AS n FROM adult_capacity_assessment x WHERE x.case_id = ? AND x.deleted = 0"
            f" AND {latest_not_amended('adult_capacity_assessment')}", [case_id])[0]["n"]
        awaiting = store.rows("SELECT count(*) AS n FROM adult_advocacy WHERE case_id = ? AND deleted = 0"
                              " AND response = 'awaiting'", [case_id])[0]["n"]
        orders = store.rows("SELECT count(CASE WHEN decision IS NULL THEN 1 END) AS awaiting,"
                            " count(CASE WHEN decision = 'granted' AND ended_on IS NULL THEN 1 END) AS in_force,"
                            " max(CASE WHEN decision = 'granted' AND ended_on IS NULL THEN in_force_to END) AS until"
                            " FROM adult_apso WHERE case_id = ? AND deleted = 0", [case_id])[0]

        def holder(role: str) -> str | None:
            row = practitioner_row(store, current_holder(store, case_id, role))
            return practitioner_name(row) if row else None

        return AdultProgress(
            reports=tuple(ReportStep(str(r["received_at"]), r["screening_decision"]) for r in reports),
            enquiries=tuple(EnquiryStep(r["started_on"], r["concluded_on"], r["determination"]) for r in enquiries),
            lead_coordinator=holder(LEAD_COORDINATOR),
            delegated_lead_coordinator=holder(DELEGATED_LEAD_COORDINATOR),
            lead_practitioner=holder(LEAD_PRACTITIONER),
            plan_started_on=plan[0]["started_on"] if plan else None,
            conference_waiting=bool(conference),
            advocacy_awaiting=int(awaiting),
            closed_on=case.get("closed_on"),
            conferences_held=int(held),
            capacity_assessments=int(assessments),
            apso_awaiting=int(orders["awaiting"]),
            apso_in_force=int(orders["in_force"]),
            apso_until=orders["until"],
        )
