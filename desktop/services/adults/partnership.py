"""Working in partnership with the adult at risk (SEED 002, lead practitioner duty 2).

``PartnershipService(session).record(case_id, *, recorded_on, understands_rationale, agrees_to_plan,
regular_contact=None, told_may_change_mind=False, complaints_explained=False, complaints_how=None, note=None)``
appends one ``adult_partnership`` row: whether the adult understands the rationale for the plan and
agrees to it. When they do not agree, regular contact continues (``regular_contact``: how, required)
and they have been told they may change their mind (``told_may_change_mind`` required). The right to
complain and how, once explained (``complaints_explained``), needs ``complaints_how``. Each record is
dated, so ``history(case_id)`` shows every change of mind in order.
"""

from __future__ import annotations

from typing import Any

from desktop.errors import ValidationError
from desktop.i18n import N_
from desktop.services.adults._common import adult_case, adult_id, required_date, required_text, text
from desktop.store import Tx


class PartnershipService:
    def __init__(self, session: Any) -> None:
        self.session = session

    def record(
        self,
        case_id: str,
        *,
        recorded_on: str,
        understands_rationale: bool,
        agrees_to_plan: bool,
        regular_contact: str | None = None,
        told_may_change_mind: bool = False,
        complaints_explained: bool = False,
        complaints_how: str | None = None,
        note: str | None = None,
    ) -> dict[str, Any]:
        adult_case(self.session, case_id)
        on = required_date(recorded_on, "recorded_on", self.session.today())
        contact = text(regular_contact)
        if not agrees_to_plan:
            contact = required_text(regular_contact, "regular_contact", N_(
                "The adult does not agree to the plan: record how regular contact with them continues."))
            if not told_may_change_mind:
                raise ValidationError(
                    N_("The adult does not agree to the plan: tell them they can change their mind at any time, and"
                       " record that you have."),
                    field="told_may_change_mind",
                )
        how = text(complaints_how)
        if complaints_explained and not how:
            raise ValidationError(N_("Record how the adult was told they can complain."), field="complaints_how")

        def write(tx: Tx) -> dict[str, Any]:
            return tx.insert(
                "adult_partnership",
                {"person_id": adult_id(tx, case_id), "recorded_on": on.isoformat(),
                 "understands_rationale": int(bool(understands_rationale)), "agrees_to_plan": int(bool(agrees_to_plan)),
                 "regular_contact": contact or None, "told_may_change_mind": int(bool(told_may_change_mind)),
                 "complaints_explained": int(bool(complaints_explained)), "complaints_how": how or None,
                 "note": text(note) or None},
                case_id=case_id,
            )

        return self.session.write(write)

    def history(self, case_id: str) -> list[dict[str, Any]]:
        """Every partnership record, oldest first (changes of mind with their dates)."""
        adult_case(self.session, case_id, write=False, read="adult_partnership")
        return self.session.store.rows(
            "SELECT * FROM adult_partnership WHERE case_id = ? AND deleted = 0 ORDER BY recorded_on, created_at",
            [case_id],
        )
