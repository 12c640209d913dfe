"""Change of lead practitioner (SEED 001/002; N2): "notified verbally and confirmed in writing to all
relevant agencies, the adult at risk and their family".

``LeadPractitionerService(session).change(case_id, *, new_id, effective_on, verbal_to, verbal_on,
reason=None, new_contact=None)`` appends an ``adult_lead_practitioner_change`` (who was told verbally,
when, by whom), moves the ``lead_practitioner`` role, and queues the written confirmations, all in one
transaction:

letters with ``template_id="N2"`` and ``data["audience"]`` (the template file in ``data["template_file"]``):

* ``agency`` (``n2_lead_practitioner_change_agency``) to every agency involved (see
  :func:`~desktop.services.adults._common.agencies_involved`);
* ``adult`` (``n2_lead_practitioner_change_adult``) to the adult at risk;
* ``family`` (``n2_lead_practitioner_change_family``) to each family member or carer on the case.

Placeholders: ``adult_name``, ``adult_dob``, ``effective_date``, ``lead_coordinator``,
``new_practitioner``, ``new_practitioner_phone``, ``previous_practitioner``.

Refused: no lead practitioner in post to change (name one at the strategy meeting); the same
practitioner; no verbal notification recorded (who and when); dates in the future; no contact details
for the new lead practitioner. Any profession may hold the role.
"""

from __future__ import annotations

from typing import Any

from desktop.errors import ValidationError
from desktop.i18n import N_
from desktop.services.adults._common import (
    LEAD_PRACTITIONER,
    acting_lead_coordinator,
    adult_case,
    adult_facts_for_letter,
    adult_id,
    agencies_involved,
    assign_role,
    contact_of,
    current_holder,
    dumps,
    family_members,
    practitioner_name,
    practitioner_row,
    require_practitioner,
    required_date,
    text,
)
from desktop.services.correspondence import queue_letter
from desktop.store import Tx

N2 = "N2"
N2_FILES = {
    "agency": "n2_lead_practitioner_change_agency",
    "adult": "n2_lead_practitioner_change_adult",
    "family": "n2_lead_practitioner_change_family",
}
"""``data["audience"]`` → the ``reports/templates`` file for it (also in ``data["template_file"]``)."""


class LeadPractitionerService:
    def __init__(self, session: Any) -> None:
        self.session = session

    def change(
        self,
        case_id: str,
        *,
        new_id: str,
        effective_on: str,
        verbal_to: list[str],
        verbal_on: str,
        reason: str | None = None,
        new_contact: str | None = None,
    ) -> dict[str, Any]:
        """Returns the change row with ``letters`` (every confirmation queued)."""
        adult_case(self.session, case_id)
        store = self.session.store
        today = self.session.today()
        previous = current_holder(store, case_id, LEAD_PRACTITIONER)
        if not previous:
            raise ValidationError(
                N_("There is no lead practitioner to change: name one at the strategy meeting."), field="new_id"
            )
        new = require_practitioner(store, new_id, "new_id")
        if new_id == previous:
            raise ValidationError(N_("That practitioner is already the lead practitioner."), field="new_id")
        contact = text(new_contact) or contact_of(new)
        if not contact:
            raise ValidationError(N_("Record the new lead practitioner's contact details."), field="new_contact")
        effective = required_date(effective_on, "effective_on", today, future_ok=True)
        told = [text(v) for v in verbal_to or [] if text(v)]
        if not told:
            raise ValidationError(
                N_("Record who was told of the change verbally: the agencies, the adult and their family."),
                field="verbal_to",
            )
        verbal = required_date(verbal_on, "verbal_on", today)

        def write(tx: Tx) -> dict[str, Any]:
            person = adult_id(tx, case_id)
            row = tx.insert(
                "adult_lead_practitioner_change",
                {"person_id": person, "previous_id": previous, "new_id": new_id, "new_contact": contact,
                 "effective_on": effective.isoformat(), "verbal_to": dumps(told), "verbal_on": verbal.isoformat(),
                 "verbal_by": self.session.user.id, "reason": text(reason) or None},
                case_id=case_id,
            )
            assign_role(tx, case_id, LEAD_PRACTITIONER, new_id, person, effective.isoformat(), "change")
            source = f"adult_lead_practitioner_change:{row['id']}"
            data = {
                **adult_facts_for_letter(tx, person),
                "effective_date": effective.isoformat(),
                "lead_coordinator": practitioner_name(practitioner_row(tx, acting_lead_coordinator(tx, case_id))),
                "new_practitioner": practitioner_name(new),
                "new_practitioner_phone": contact,
                "previous_practitioner": practitioner_name(practitioner_row(tx, previous)),
            }

            def letter(audience: str, kind: str, recipient: str) -> dict[str, Any]:
                return queue_letter(tx, case_id=case_id, template_id=N2, recipient_kind=kind, recipient_id=recipient,
                                    data={**data, "audience": audience, "template_file": N2_FILES[audience]},
                                    source_event=source)

            letters = [letter("agency", "agency", a) for a in agencies_involved(tx, case_id)]
            letters.append(letter("adult", "person", person))
            letters += [letter("family", "person", p) for p in family_members(tx, case_id)]
            return {**row, "letters": letters}

        return self.session.write(write)
