"""Reports about children (s.130 duty to report) and the next-actions decision (C1: 1 working day).

``ReportService(session)``:

* ``record(case_id, *, concerns, received_at, received_by, source_type, child_ids=None, ...)`` writes one
  ``cp_report`` row (audited, outboxed). Raises ``ValidationError`` for a report received in the future,
  no concerns, an unknown source or category; ``NotFound`` outside scope; ``PermissionDenied`` without
  ``Can.RECORD_CASEWORK``.
* ``decide(report_id, decision, *, decided_on=None, note=None)`` records the next actions (one of
  ``nfa``, ``early_help``, ``part3_assessment``, ``strategy_discussion``); this satisfies C1.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from desktop.errors import NotFound, ValidationError
from desktop.i18n import N_
from desktop.services.child_protection._common import (
    REPORT_DECISIONS,
    SOURCE_TYPES,
    check_children,
    clean_categories,
    dumps,
    required_date,
    text,
)
from desktop.services.permissions import Can
from desktop.services.reads import read_casework
from desktop.services.scope import require_case


class ReportService:
    def __init__(self, session: Any) -> None:
        self.session = session

    def record(
        self,
        case_id: str,
        *,
        concerns: str,
        received_at: str,
        source_type: str,
        received_by: str | None = None,
        child_ids: list[str] | None = None,
        source_detail: str | None = None,
        suspected_categories: list[str] | None = None,
        offence_suspected: bool = False,
        police_informed: bool = False,
        immediate_danger: bool = False,
    ) -> dict[str, Any]:
        self.session.require(Can.RECORD_CASEWORK)
        require_case(self.session, case_id)
        children = check_children(self.session, case_id, child_ids)
        try:
            moment = datetime.fromisoformat(str(received_at))
        except ValueError as exc:
            raise ValidationError(N_("Enter the date and time the report was received."), field="received_at") from exc
        received_on = required_date(moment.date(), "received_at", self.session.today())
        if not text(concerns):
            raise ValidationError(N_("Describe the concerns reported."), field="concerns")
        if source_type not in SOURCE_TYPES:
            raise ValidationError(N_("Choose who made the report."), field="source_type")
        values = {
            "child_ids": dumps(children),
            "received_at": moment.isoformat(timespec="minutes"),
            "received_on": received_on.isoformat(),
            "received_by": received_by or self.session.user.id,
            "source_type": source_type,
            "source_detail": text(source_detail) or None,
            "concerns": text(concerns),
            "suspected_categories": dumps(clean_categories(suspected_categories, "suspected_categories",
                                                           required=False)),
            "offence_suspected": int(bool(offence_suspected)),
            "police_informed": int(bool(police_informed)),
            "immediate_danger": int(bool(immediate_danger)),
        }
        return self.session.write(lambda tx: tx.insert("cp_report", values, case_id=case_id))

    def decide(
        self, report_id: str, decision: str, *, decided_on: str | None = None, note: str | None = None
    ) -> dict[str, Any]:
        self.session.require(Can.RECORD_CASEWORK)
        report = self._get(report_id)
        if decision not in REPORT_DECISIONS:
            raise ValidationError(N_("Choose the next actions decided."), field="decision")
        on = required_date(decided_on or self.session.today(), "decided_on", self.session.today())
        if on.isoformat() < report["received_on"]:
            raise ValidationError(N_("The decision cannot be before the report was received."), field="decided_on")
        changes = {"decision": decision, "decision_on": on.isoformat(), "decision_by": self.session.user.id,
                   "decision_note": text(note) or None}
        return self.session.write(lambda tx: tx.update("cp_report", report_id, changes))

    def for_case(self, case_id: str) -> list[dict[str, Any]]:
        read_casework(self.session, case_id, "cp_report")
        return self.session.store.rows(
            "SELECT * FROM cp_report WHERE case_id = ? AND deleted = 0 ORDER BY received_at DESC", [case_id])

    def _get(self, report_id: str) -> dict[str, Any]:
        rows = self.session.store.rows("SELECT * FROM cp_report WHERE id = ? AND deleted = 0", [report_id])
        if not rows:
            raise NotFound(N_("That report does not exist."))
        require_case(self.session, rows[0]["case_id"])
        return rows[0]

