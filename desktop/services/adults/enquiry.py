"""Section 126 enquiries and their determination (WSP a3pt1-p6, a3pt1-p13).

``EnquiryService(session).conclude(enquiry_id, *, concluded_on, determination, reason,
strategy_required=None)`` records the end of the enquiries (satisfies A1: normally within 7 working
days of the report) and the determination: ``"1"`` immediate protection, ``"2"`` not at risk but may
have other care and support needs, ``"3"`` at risk and action needed, or ``"nfa"``. When a strategy
discussion or meeting is needed (by default after determinations 1 and 3) the A2 clock starts: within
7 working days of the end of the enquiries.

Refused (``ValidationError``, nothing written): an enquiry already concluded; a date before the
enquiry started or in the future; an unknown determination; no reason recorded.
"""

from __future__ import annotations

from typing import Any

from desktop.errors import NotFound, ValidationError
from desktop.i18n import N_
from desktop.services.adults._common import DETERMINATIONS, adult_case, required_date, required_text


class EnquiryService:
    def __init__(self, session: Any) -> None:
        self.session = session

    def conclude(
        self,
        enquiry_id: str,
        *,
        concluded_on: str,
        determination: str,
        reason: str,
        strategy_required: bool | None = None,
    ) -> dict[str, Any]:
        """Returns the enquiry row after the change."""
        enquiry = self._row(enquiry_id)
        adult_case(self.session, enquiry["case_id"])
        if enquiry["concluded_on"]:
            raise ValidationError(N_("These enquiries have already been concluded."), field="concluded_on")
        on = required_date(concluded_on, "concluded_on", self.session.today())
        if on.isoformat() < enquiry["started_on"]:
            raise ValidationError(N_("The enquiries cannot end before they started."), field="concluded_on")
        if determination not in DETERMINATIONS:
            raise ValidationError(N_("Choose the determination."), field="determination")
        reason = required_text(reason, "reason", N_("Record the reasons for the determination."))
        needed = determination in ("1", "3") if strategy_required is None else bool(strategy_required)
        changes = {
            "concluded_on": on.isoformat(),
            "determination": determination,
            "determination_reason": reason,
            "strategy_required": int(needed),
            "concluded_by": self.session.user.id,
        }
        return self.session.write(lambda tx: tx.update("adult_enquiry", enquiry_id, changes))

    def get(self, enquiry_id: str) -> dict[str, Any]:
        """One enquiry (role, scope and case type checked as for ``for_case``)."""
        enquiry = self._row(enquiry_id)
        adult_case(self.session, enquiry["case_id"], write=False, read="adult_enquiry")
        return enquiry

    def _row(self, enquiry_id: str) -> dict[str, Any]:
        rows = self.session.store.rows("SELECT * FROM adult_enquiry WHERE id = ? AND deleted = 0", [enquiry_id])
        if not rows:
            raise NotFound(N_("Those enquiries do not exist or are not in your caseload."))
        return rows[0]

    def for_case(self, case_id: str) -> list[dict[str, Any]]:
        adult_case(self.session, case_id, write=False, read="adult_enquiry")
        return self.session.store.rows(
            "SELECT * FROM adult_enquiry WHERE case_id = ? AND deleted = 0 ORDER BY started_on DESC", [case_id]
        )
