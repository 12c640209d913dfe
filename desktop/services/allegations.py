"""Allegations and concerns about practitioners (WSP Section 5), recorded on the case of the child or
adult concerned (Qt-free; one short transaction per call).

The Local Authority Designated Officer must be informed "within no more than 24 hours after the
allegation/concern has arisen (next working day – if out of office hours)": rule A10 in ``rules.json``,
fired by :func:`subjects` (the ``allegation`` provider of "My work") from ``arisen_on`` until
``lado_informed_on`` is recorded.

``AllegationService(session)``: ``record``, ``lado_informed``, ``close``, ``for_case``.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from desktop.domain.engine import SubjectFacts
from desktop.domain.validation import parse_date
from desktop.errors import NotFound, ValidationError
from desktop.i18n import N_
from desktop.services.permissions import Can
from desktop.services.reads import read_casework
from desktop.services.scope import require_case

ACTIONS = {"A10": "inform_designated_officer"}


class AllegationService:
    def __init__(self, session: Any) -> None:
        self.session = session

    def _day(self, value: Any, field: str, not_before: str | None = None) -> str:
        day = parse_date(value, field)
        if day is None:
            raise ValidationError(N_("Enter the date."), field=field)
        if day > self.session.today():
            raise ValidationError(N_("The date cannot be in the future."), field=field)
        if not_before and day.isoformat() < not_before:
            raise ValidationError(N_("The date is before the step it follows."), field=field)
        return day.isoformat()

    def _row(self, allegation_id: str) -> dict[str, Any]:
        self.session.require(Can.RECORD_CASEWORK)
        rows = self.session.store.rows("SELECT * FROM practitioner_allegation WHERE id = ? AND deleted = 0",
                                       [allegation_id])
        if not rows:
            raise NotFound(N_("That allegation does not exist."))
        require_case(self.session, rows[0]["case_id"])
        return rows[0]

    def record(self, case_id: str, *, practitioner_name: str, arisen_on: str, summary: str,
               person_id: str | None = None, agency_id: str | None = None) -> dict[str, Any]:
        self.session.require(Can.RECORD_CASEWORK)
        require_case(self.session, case_id)
        name, words = str(practitioner_name or "").strip(), str(summary or "").strip()
        if not name:
            raise ValidationError(N_("Enter the practitioner the allegation is about."), field="practitioner_name")
        if not words:
            raise ValidationError(N_("Say what the allegation or concern is."), field="summary")
        values = {"practitioner_name": name, "summary": words, "arisen_on": self._day(arisen_on, "arisen_on"),
                  "person_id": person_id or None, "agency_id": agency_id or None}
        return self.session.write(lambda tx: tx.insert("practitioner_allegation", values, case_id=case_id))

    def lado_informed(self, allegation_id: str, *, on: str) -> dict[str, Any]:
        """The Local Authority Designated Officer was informed on ``on`` (A10)."""
        row = self._row(allegation_id)
        day = self._day(on, "lado_informed_on", row["arisen_on"])
        return self.session.write(lambda tx: tx.update("practitioner_allegation", allegation_id,
                                                       {"lado_informed_on": day}))

    def close(self, allegation_id: str, *, on: str) -> dict[str, Any]:
        row = self._row(allegation_id)
        day = self._day(on, "closed_on", row["arisen_on"])
        return self.session.write(lambda tx: tx.update("practitioner_allegation", allegation_id, {"closed_on": day}))

    def for_case(self, case_id: str) -> list[dict[str, Any]]:
        """The case's allegations, the latest first, each with its practitioner's ``agency_name`` (or ``None``)."""
        read_casework(self.session, case_id, "practitioner_allegation")
        return self.session.store.rows(
            "SELECT a.*, g.name AS agency_name FROM practitioner_allegation a LEFT JOIN agency g ON g.id = a.agency_id"
            " WHERE a.case_id = ? AND a.deleted = 0 ORDER BY a.arisen_on DESC, a.created_at DESC", [case_id])


_OPEN = """SELECT a.*, c.reference, c.allocated_worker_id FROM practitioner_allegation a
    JOIN case_file c ON c.id = a.case_id
    WHERE a.deleted = 0 AND a.closed_on IS NULL AND c.deleted = 0 AND ({scope})"""


def _d(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def subjects(store: Any, condition: str, params: dict[str, Any], on: date) -> list[Any]:
    """One subject per open allegation in a case in scope (named by the practitioner concerned)."""
    from desktop.services.my_work import Subject

    return [Subject(facts=SubjectFacts(case_id=r["case_id"], person_id=r["person_id"] or r["id"],
                                       statuses=frozenset({"allegation"}),
                                       events={"allegation_arisen": _d(r["arisen_on"]),
                                               "lado_informed": _d(r["lado_informed_on"])}),
                    worker_id=r["allocated_worker_id"], person_name=r["practitioner_name"],
                    case_reference=r["reference"])
            for r in store.rows(_OPEN.format(scope=condition), params)]


def register() -> None:
    from desktop.services.my_work import register_provider

    register_provider("allegation", subjects, actions=ACTIONS, day_free=True)


register()
