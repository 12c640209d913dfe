"""Advocacy for the adult at risk (SEED 001; Part 10 Code of Practice; MCA 2005 IMCA).

``AdvocacyService(session)``:

``offer(case_id, *, advocate_type, offered_on, provider=None, response=None, response_on=None, advocate_name=None)``
    An offer at any stage (the strategy meeting records its own offer); with ``response`` the adult's
    answer given there and then, checked as :meth:`answer` checks it and written in the same transaction.
``answer(advocacy_id, *, response, response_on, advocate_name=None, provider=None)``
    The adult's answer: ``accepted`` or ``declined`` (refused: any other value; a date before the offer
    or in the future; answering twice).
``for_case(case_id)``
    Every offer, newest first.
"""

from __future__ import annotations

from typing import Any

from desktop.errors import NotFound, ValidationError
from desktop.i18n import N_
from desktop.services.adults._common import ADVOCATE_TYPES, adult_case, adult_id, required_date, text
from desktop.store import Tx


class AdvocacyService:
    def __init__(self, session: Any) -> None:
        self.session = session

    def offer(self, case_id: str, *, advocate_type: str, offered_on: str, provider: str | None = None,
              response: str | None = None, response_on: str | None = None,
              advocate_name: str | None = None) -> dict[str, Any]:
        adult_case(self.session, case_id)
        if advocate_type not in ADVOCATE_TYPES:
            raise ValidationError(N_("Choose the kind of advocate offered."), field="advocate_type")
        on = required_date(offered_on, "offered_on", self.session.today())
        answer: dict[str, Any] = {}
        if response is not None:
            answered = self._checked_answer(response, response_on, on.isoformat())
            answer = {"response": response, "response_on": answered, "advocate_name": text(advocate_name) or None}

        def write(tx: Tx) -> dict[str, Any]:
            return tx.insert(
                "adult_advocacy",
                {"person_id": adult_id(tx, case_id), "advocate_type": advocate_type, "offered_on": on.isoformat(),
                 "provider": text(provider) or None, **answer},
                case_id=case_id,
            )

        return self.session.write(write)

    def answer(self, advocacy_id: str, *, response: str, response_on: str, advocate_name: str | None = None,
               provider: str | None = None) -> dict[str, Any]:
        rows = self.session.store.rows("SELECT * FROM adult_advocacy WHERE id = ? AND deleted = 0", [advocacy_id])
        if not rows:
            raise NotFound(N_("That offer of advocacy does not exist or is not in your caseload."))
        offer = rows[0]
        adult_case(self.session, offer["case_id"])
        if offer["response"] != "awaiting":
            raise ValidationError(N_("The adult's answer to this offer is already recorded."), field="response")
        on = self._checked_answer(response, response_on, offer["offered_on"])
        changes = {"response": response, "response_on": on,
                   "advocate_name": text(advocate_name) or None, "provider": text(provider) or offer["provider"]}
        return self.session.write(lambda tx: tx.update("adult_advocacy", advocacy_id, changes))

    def _checked_answer(self, response: str, response_on: str | None, offered_on: str) -> str:
        """The answer's date (ISO) once the answer is known good; ``ValidationError`` otherwise."""
        if response not in ("accepted", "declined"):
            raise ValidationError(N_("Record whether the adult accepted or declined the advocate."), field="response")
        on = required_date(response_on, "response_on", self.session.today()).isoformat()
        if on < offered_on:
            raise ValidationError(N_("The answer cannot be before the offer."), field="response_on")
        return on

    def for_case(self, case_id: str) -> list[dict[str, Any]]:
        adult_case(self.session, case_id, write=False, read="adult_advocacy")
        return self.session.store.rows(
            "SELECT * FROM adult_advocacy WHERE case_id = ? AND deleted = 0 ORDER BY offered_on DESC", [case_id]
        )
