"""Section 47 enquiries: the child seen (and seen alone), the determination, its ratification.

``EnquiryService(session)``:

* ``record_seen(enquiry_id, *, seen_on, seen_alone)`` — the child seen during the enquiry.
* ``determine(enquiry_id, determination, *, reason, determined_on=None)`` — 1 not substantiated,
  2 substantiated but not at continuing risk, 3 at continuing risk (an initial conference must be
  convened within 15 working days of the last strategy discussion, C6).
* ``ratify(enquiry_id)`` — a manager (``Can.RATIFY``) ratifies determination 1 (C5); refused for
  other determinations or when the enquiry has none yet.

Each is one transaction (row update + outbox + audit). ``ValidationError`` for dates in the future,
an unknown determination, or a determination without its reason.
"""

from __future__ import annotations

from typing import Any

from desktop.errors import NotFound, ValidationError
from desktop.i18n import N_
from desktop.services.child_protection._common import required_date, text
from desktop.services.permissions import Can
from desktop.services.reads import read_casework
from desktop.services.scope import require_case


class EnquiryService:
    def __init__(self, session: Any) -> None:
        self.session = session

    def record_seen(self, enquiry_id: str, *, seen_on: str, seen_alone: bool) -> dict[str, Any]:
        self.session.require(Can.RECORD_CASEWORK)
        enquiry = self._get(enquiry_id)
        seen = required_date(seen_on, "seen_on", self.session.today()).isoformat()
        changes: dict[str, Any] = {"child_seen_on": max(seen, enquiry["child_seen_on"] or "")}
        if seen_alone:
            changes["child_seen_alone_on"] = max(seen, enquiry["child_seen_alone_on"] or "")
        return self.session.write(lambda tx: tx.update("cp_enquiry", enquiry_id, changes))

    def determine(
        self, enquiry_id: str, determination: int, *, reason: str, determined_on: str | None = None
    ) -> dict[str, Any]:
        self.session.require(Can.RECORD_CASEWORK)
        enquiry = self._get(enquiry_id)
        if determination not in (1, 2, 3):
            raise ValidationError(N_("Choose determination 1, 2 or 3."), field="determination")
        if not text(reason):
            raise ValidationError(N_("Record the reasons for the determination."), field="reason")
        on = required_date(determined_on or self.session.today(), "determined_on", self.session.today())
        if on.isoformat() < enquiry["started_on"]:
            raise ValidationError(N_("The determination cannot be before the enquiry started."), field="determined_on")
        changes = {"determination": determination, "determined_on": on.isoformat(),
                   "determined_by": self.session.user.id, "determination_reason": text(reason)}
        return self.session.write(lambda tx: tx.update("cp_enquiry", enquiry_id, changes))

    def ratify(self, enquiry_id: str) -> dict[str, Any]:
        self.session.require(Can.RATIFY)
        enquiry = self._get(enquiry_id)
        if enquiry["determination"] != 1:
            raise ValidationError(
                N_("Only determination 1 (not substantiated) needs a manager's ratification."), field="determination"
            )
        changes = {"ratified_by": self.session.user.id, "ratified_on": self.session.today().isoformat()}
        return self.session.write(lambda tx: tx.update("cp_enquiry", enquiry_id, changes))

    def for_case(self, case_id: str) -> list[dict[str, Any]]:
        read_casework(self.session, case_id, "cp_enquiry")
        return self.session.store.rows(
            "SELECT * FROM cp_enquiry WHERE case_id = ? AND deleted = 0 ORDER BY started_on DESC", [case_id])

    def _get(self, enquiry_id: str) -> dict[str, Any]:
        rows = self.session.store.rows("SELECT * FROM cp_enquiry WHERE id = ? AND deleted = 0", [enquiry_id])
        if not rows:
            raise NotFound(N_("That enquiry does not exist."))
        require_case(self.session, rows[0]["case_id"])
        return rows[0]
