"""Closing the adult safeguarding process (A8; WSP a4.p6, a4.p7; N17).

``ClosureService(session).close(case_id, *, closed_on, reasons, decided_with, outcomes_evaluation=None)``:
only the lead co-ordinator (the local authority's, or the delegated lead co-ordinator while a
delegation is in force) may close, with reasons, decided with the strategy group or the adult
protection conference (``decided_with``: ``strategy_group`` / ``conference`` / ``lead_coordinator``).
Anyone else is refused (``PermissionDenied``), as is a closure without reasons or in the future.

In one transaction: an append-only ``adult_closure`` (listing the agencies notified), the case closed
(``closed_on``, ``close_reason``), the active plan ended, and the closure notifications queued
with ``template_id="N17"``: audience ``agency`` to every agency involved and ``adult`` to the adult
(template files ``n17_closure_agency`` / ``n17_closure_adult``, in ``data["template_file"]``; placeholders
``adult_name``, ``adult_dob``, ``closed_on``, ``reasons``, ``lead_coordinator``,
``lead_coordinator_phone``).
"""

from __future__ import annotations

from typing import Any

from desktop.errors import PermissionDenied, ValidationError
from desktop.i18n import N_
from desktop.services.adults._common import (
    adult_case,
    adult_facts_for_letter,
    adult_id,
    agencies_involved,
    contact_of,
    dumps,
    lead_coordinators,
    practitioner_name,
    practitioner_row,
    required_date,
    required_text,
    text,
)
from desktop.services.correspondence import queue_letter
from desktop.services.welsh_text import source as welsh_source
from desktop.store import Tx

N17 = "N17"
N17_FILES = {"agency": "n17_closure_agency", "adult": "n17_closure_adult"}
"""``data["audience"]`` → the template file it needs (not yet in ``reports/templates``)."""
DECIDED_WITH = ("strategy_group", "conference", "lead_coordinator")


class ClosureService:
    def __init__(self, session: Any) -> None:
        self.session = session

    def close(self, case_id: str, *, closed_on: str, reasons: str, decided_with: str,
              outcomes_evaluation: str | None = None, reasons_cy: str | None = None) -> dict[str, Any]:
        """Returns the ``adult_closure`` row with ``letters``. ``reasons_cy``: the reasons in Welsh
        (optional; a Welsh or bilingual closure letter is held until it exists)."""
        adult_case(self.session, case_id)
        store = self.session.store
        if self.session.user.id not in lead_coordinators(store, case_id):
            raise PermissionDenied(
                N_("Only the lead co-ordinator can end the adult safeguarding process and close this case.")
            )
        on = required_date(closed_on, "closed_on", self.session.today())
        why = required_text(reasons, "reasons", N_("Record the reasons for ending the adult safeguarding process."))
        if decided_with not in DECIDED_WITH:
            raise ValidationError(N_("Record who the decision to close was made with."), field="decided_with")

        def write(tx: Tx) -> dict[str, Any]:
            person = adult_id(tx, case_id)
            agencies = agencies_involved(tx, case_id)
            row = tx.insert(
                "adult_closure",
                {"person_id": person, "closed_on": on.isoformat(), "closed_by": self.session.user.id,
                 "decided_with": decided_with, "reasons": why, "reasons_cy": text(reasons_cy) or None,
                 "outcomes_evaluation": text(outcomes_evaluation) or None,
                 "agencies_notified": dumps(agencies)},
                case_id=case_id,
            )
            for plan in tx.query("SELECT id FROM adult_plan WHERE case_id = ? AND deleted = 0 AND status = 'active'",
                                 [case_id]):
                tx.update("adult_plan", plan["id"], {"status": "ended", "ended_on": on.isoformat()})
            lead = practitioner_row(tx, self.session.user.id)
            data = {**adult_facts_for_letter(tx, person), "closed_on": on.isoformat(), "reasons": why,
                    "lead_coordinator": practitioner_name(lead), "lead_coordinator_phone": contact_of(lead),
                    "welsh_sources": {"reasons": [welsh_source("adult_closure", row["id"], "reasons")]}}
            source = f"adult_closure:{row['id']}"

            def letter(audience: str, kind: str, recipient: str) -> dict[str, Any]:
                return queue_letter(tx, case_id=case_id, template_id=N17, recipient_kind=kind, recipient_id=recipient,
                                    data={**data, "audience": audience, "template_file": N17_FILES[audience]},
                                    source_event=source)

            letters = [letter("agency", "agency", a) for a in agencies]
            letters.append(letter("adult", "person", person))
            tx.update("case_file", case_id, {"closed_on": on.isoformat(), "close_reason": why})
            return {**row, "letters": letters}

        return self.session.write(write)
