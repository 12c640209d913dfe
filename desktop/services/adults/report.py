"""The report under the duty to report an adult at risk (s.128 SSWBA; WSP a3pt1-p5) and its
screening decision.

``ReportService(session).record(case_id, *, received_at, source_type, concerns, consent_given, ...)``
writes one ``adult_report``. The adult's consent to the report is recorded either way; a report
made without consent needs the reason (WSP a3pt1-p16: adults may give or withhold consent unless
they lack capacity, or others are at risk). Starts the A1 clock (enquiries within 7 working days).

``screen(report_id, *, decision, screened_on, note)`` records the screening decision: ``nfa_a``,
``nfa_b``, ``nfa_c`` (1 no further action a/b/c), ``enquiries`` (2: opens the ``adult_enquiry``,
started on the day the report was received — the 7-day period runs from receipt) or ``part3``
(3: care and support needs, Part 3 assessment). A report is screened once.

Refused (``ValidationError``, nothing written): received in the future; no concerns; unknown source
or category; no consent without a reason; a screening decision not in the list, before the report,
in the future, or a second screening.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from desktop.errors import NotFound, ValidationError
from desktop.i18n import N_
from desktop.services.adults._common import (
    CATEGORIES,
    SCREENING_DECISIONS,
    SOURCE_TYPES,
    adult_case,
    adult_id,
    dumps,
    required_date,
    required_text,
    text,
)
from desktop.store import Tx


class ReportService:
    def __init__(self, session: Any) -> None:
        self.session = session

    def record(
        self,
        case_id: str,
        *,
        received_at: str,
        source_type: str,
        concerns: str,
        consent_given: bool,
        no_consent_reason: str | None = None,
        categories: list[str] | None = None,
        source_detail: str | None = None,
        immediate_danger: bool = False,
        police_informed: bool = False,
        received_by: str | None = None,
    ) -> dict[str, Any]:
        """Record a report; returns the ``adult_report`` row. ``received_at`` is a local ISO date or
        date-time ("2026-11-23T09:40")."""
        adult_case(self.session, case_id)
        try:
            moment = datetime.fromisoformat(str(received_at))
        except ValueError as exc:
            raise ValidationError(N_("Enter the date and time the report was received."), field="received_at") from exc
        received_on = required_date(moment.date(), "received_at", self.session.today())
        if source_type not in SOURCE_TYPES:
            raise ValidationError(N_("Choose who made the report."), field="source_type")
        concerns = required_text(concerns, "concerns", N_("Record the concerns reported."))
        cats = list(dict.fromkeys(categories or []))
        if any(c not in CATEGORIES for c in cats):
            raise ValidationError(N_("Choose categories from the list."), field="categories")
        reason = text(no_consent_reason)
        if not consent_given and not reason:
            raise ValidationError(
                N_("The adult did not consent to the report: record why it was made without their consent."),
                field="no_consent_reason",
            )
        person_id = adult_id(self.session.store, case_id)
        values = {
            "person_id": person_id,
            "received_at": str(received_at),
            "received_on": received_on.isoformat(),
            "received_by": received_by or self.session.user.id,
            "source_type": source_type,
            "source_detail": text(source_detail) or None,
            "concerns": concerns,
            "suspected_categories": dumps(cats),
            "consent_given": int(bool(consent_given)),
            "no_consent_reason": None if consent_given else reason,
            "immediate_danger": int(bool(immediate_danger)),
            "police_informed": int(bool(police_informed)),
        }
        return self.session.write(lambda tx: tx.insert("adult_report", values, case_id=case_id))

    def screen(
        self, report_id: str, *, decision: str, screened_on: str | None = None, note: str | None = None,
        lead_worker_id: str | None = None,
    ) -> dict[str, Any]:
        """Record the screening decision; returns the report row with ``enquiry`` (the new
        ``adult_enquiry`` row for decision ``enquiries``, else ``None``)."""
        report = self._report(report_id)
        adult_case(self.session, report["case_id"])
        if decision not in SCREENING_DECISIONS:
            raise ValidationError(N_("Choose the screening decision."), field="decision")
        if report["screening_decision"]:
            raise ValidationError(N_("This report has already been screened."), field="decision")
        on = required_date(screened_on or self.session.today(), "screened_on", self.session.today())
        if on.isoformat() < report["received_on"]:
            raise ValidationError(N_("The screening decision cannot be before the report was received."),
                                  field="screened_on")
        if decision.startswith("nfa") and not text(note):
            raise ValidationError(N_("Record the reason for no further action."), field="note")

        def write(tx: Tx) -> dict[str, Any]:
            row = tx.update("adult_report", report_id, {
                "screening_decision": decision, "screened_on": on.isoformat(), "screened_by": self.session.user.id,
                "screening_note": text(note) or None,
            })
            enquiry = None
            if decision == "enquiries":
                enquiry = tx.insert(
                    "adult_enquiry",
                    {"report_id": report_id, "person_id": report["person_id"], "started_on": report["received_on"],
                     "lead_worker_id": lead_worker_id or self.session.user.id},
                    case_id=report["case_id"],
                )
            return {**row, "enquiry": enquiry}

        return self.session.write(write)

    def for_case(self, case_id: str) -> list[dict[str, Any]]:
        adult_case(self.session, case_id, write=False, read="adult_report")
        return self.session.store.rows(
            "SELECT * FROM adult_report WHERE case_id = ? AND deleted = 0 ORDER BY received_at DESC", [case_id]
        )

    def _report(self, report_id: str) -> dict[str, Any]:
        rows = self.session.store.rows("SELECT * FROM adult_report WHERE id = ? AND deleted = 0", [report_id])
        if not rows:
            raise NotFound(N_("That report does not exist or is not in your caseload."))
        return rows[0]
