"""Visits to the adult at risk (SEED 002, lead practitioner duty 1): APPEND-ONLY.

``VisitService(session).record(case_id, *, visited_on, location, seen, offered_alone, seen_alone, ...)``
appends one ``adult_visit``. A visit where the adult was seen satisfies A3 (seen within 5 working days
of the strategy meeting); a visit where they were given the opportunity to be seen alone (or were seen
alone) satisfies A4 (at least every 4 weeks, or at the strategy group's frequency if stricter).

Refused (``ValidationError``, nothing written): a visit in the future; an unknown location; seen alone
but not seen, or not offered; not offered the opportunity to be seen alone without the reason
(``not_alone_reason``); an amendment without its reason or of a visit already corrected.

A correction is a new visit row whose ``amends_id`` points at the original (kept); the current
version of each visit is the one nothing amends (:meth:`for_case`).
"""

from __future__ import annotations

from typing import Any

from desktop.errors import ValidationError
from desktop.i18n import N_
from desktop.services.adults._common import (
    LOCATIONS,
    adult_case,
    adult_id,
    check_amends,
    latest_not_amended,
    require_practitioner,
    required_date,
    text,
)
from desktop.store import Tx


class VisitService:
    def __init__(self, session: Any) -> None:
        self.session = session

    def record(
        self,
        case_id: str,
        *,
        visited_on: str,
        location: str,
        seen: bool,
        offered_alone: bool,
        seen_alone: bool,
        visitor_id: str | None = None,
        visited_at: str | None = None,
        not_alone_reason: str | None = None,
        wishes_feelings: str | None = None,
        observations: str | None = None,
        others_present: str | None = None,
        announced: bool | None = None,
        access_denied: bool = False,
        amends_id: str | None = None,
        amendment_reason: str | None = None,
    ) -> dict[str, Any]:
        """Returns the new ``adult_visit`` row."""
        adult_case(self.session, case_id)
        today = self.session.today()
        on = required_date(visited_on, "visited_on", today, future_ok=True)
        if on > today:
            raise ValidationError(N_("A visit cannot be recorded in the future."), field="visited_on")
        if location not in LOCATIONS:
            raise ValidationError(N_("Choose where the visit took place."), field="location")
        visitor = visitor_id or self.session.user.id
        require_practitioner(self.session.store, visitor, "visitor_id")
        if access_denied and seen:
            raise ValidationError(N_("Access was denied, so the adult cannot have been seen."), field="seen")
        if seen_alone and not seen:
            raise ValidationError(N_("The adult was seen alone, so they were seen: tick 'seen'."), field="seen")
        if seen_alone and not offered_alone:
            offered_alone = True  # being seen alone is the opportunity taken
        if seen and not offered_alone and not text(not_alone_reason):
            raise ValidationError(
                N_("Record why the adult was not given the opportunity to be seen alone."), field="not_alone_reason"
            )
        if amends_id and not text(amendment_reason):
            raise ValidationError(N_("Record why the visit record is being corrected."), field="amendment_reason")

        def write(tx: Tx) -> dict[str, Any]:
            check_amends(tx, "adult_visit", amends_id, case_id)
            return tx.insert(
                "adult_visit",
                {
                    "person_id": adult_id(tx, case_id),
                    "visited_on": on.isoformat(),
                    "visited_at": text(visited_at) or None,
                    "visitor_id": visitor,
                    "location": location,
                    "announced": None if announced is None else int(bool(announced)),
                    "others_present": text(others_present) or None,
                    "seen": int(bool(seen)),
                    "offered_alone": int(bool(offered_alone)),
                    "seen_alone": int(bool(seen_alone)),
                    "not_alone_reason": text(not_alone_reason) or None,
                    "wishes_feelings": text(wishes_feelings) or None,
                    "observations": text(observations) or None,
                    "access_denied": int(bool(access_denied)),
                    "amends_id": amends_id,
                    "amendment_reason": text(amendment_reason) or None,
                },
                case_id=case_id,
            )

        return self.session.write(write)

    def for_case(self, case_id: str) -> list[dict[str, Any]]:
        """Current visits (each correction in place of what it corrects), newest first."""
        adult_case(self.session, case_id, write=False, read="adult_visit")
        return self.session.store.rows(
            f"SELECT x.* FROM adult_visit x WHERE x.case_id = ? AND x.deleted = 0 AND {latest_not_amended('adult_visit')}"
            " ORDER BY x.visited_on DESC, x.created_at DESC",
            [case_id],
        )

    def history(self, visit_id: str) -> list[dict[str, Any]]:
        """A visit and every correction of it, oldest first."""
        rows = self.session.store.rows(
            """WITH RECURSIVE chain(id) AS (SELECT ? UNION SELECT v.id FROM adult_visit v JOIN chain c
               ON v.amends_id = c.id) SELECT v.* FROM adult_visit v JOIN chain c ON c.id = v.id
               ORDER BY v.created_at""",
            [visit_id],
        )
        if rows:
            adult_case(self.session, rows[0]["case_id"], write=False, read="adult_visit")
        return rows
