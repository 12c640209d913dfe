"""Mental capacity, best interests, and the adult's wishes and feelings (MCA 2005 s1-4; SEED 001;
procedures.md §2.15).

``CapacityService(session)``:

``assess(case_id, *, decision, assessed_on, assessor_id, outcome, evidence, review_on=None, amends_id=None)``
    A decision-specific assessment: the decision in question, the date, the assessor, the outcome
    (``has_capacity`` / ``lacks_capacity``) and the evidence. Append-only; ``amends_id`` corrects one, saying
    why (``amendment_reason``, required then; m0032).
``best_interests(case_id, *, assessment_id, decision, decided_on, consulted, wishes_feelings, rationale,
imca_instructed=False, imca_name=None, decided_by=None)``
    A best-interests decision (MCA s1(5)). REFUSED unless ``assessment_id`` is a current (not corrected)
    assessment in this case that found the adult LACKS capacity for that decision, dated on or before
    the decision. The people consulted (non-empty list of names/roles) and the adult's own wishes and
    feelings are required; an IMCA instructed needs their name.
``wishes(case_id, *, recorded_on, wishes_feelings, how_expressed=None)``
    The adult's wishes and feelings, recorded whatever their capacity.
``for_case(case_id)``
    ``{"assessments": [...], "best_interests": [...], "wishes": [...]}``, current rows, newest first.
"""

from __future__ import annotations

from typing import Any

from desktop.errors import ValidationError
from desktop.i18n import N_
from desktop.services.adults._common import (
    adult_case,
    adult_id,
    check_amends,
    dumps,
    latest_not_amended,
    require_practitioner,
    required_date,
    required_text,
    text,
)
from desktop.store import Tx

OUTCOMES = ("has_capacity", "lacks_capacity")


class CapacityService:
    def __init__(self, session: Any) -> None:
        self.session = session

    def assess(
        self,
        case_id: str,
        *,
        decision: str,
        assessed_on: str,
        assessor_id: str,
        outcome: str,
        evidence: str,
        review_on: str | None = None,
        amends_id: str | None = None,
        amendment_reason: str | None = None,
    ) -> dict[str, Any]:
        adult_case(self.session, case_id)
        today = self.session.today()
        what = required_text(decision, "decision", N_(
            "Record the specific decision the capacity assessment is about."))
        on = required_date(assessed_on, "assessed_on", today)
        require_practitioner(self.session.store, assessor_id, "assessor_id")
        if outcome not in OUTCOMES:
            raise ValidationError(N_("Record whether the adult has or lacks capacity for this decision."),
                                  field="outcome")
        why = required_text(evidence, "evidence", N_("Record the evidence for the capacity assessment."))
        review = required_date(review_on, "review_on", today, future_ok=True) if review_on else None
        if amends_id and not text(amendment_reason):
            raise ValidationError(N_("Record why the capacity assessment is being corrected."),
                                  field="amendment_reason")

        def write(tx: Tx) -> dict[str, Any]:
            check_amends(tx, "adult_capacity_assessment", amends_id, case_id)
            return tx.insert(
                "adult_capacity_assessment",
                {"person_id": adult_id(tx, case_id), "decision": what, "assessed_on": on.isoformat(),
                 "assessor_id": assessor_id, "outcome": outcome, "evidence": why,
                 "review_on": review.isoformat() if review else None, "amends_id": amends_id,
                 "amendment_reason": text(amendment_reason) or None if amends_id else None},
                case_id=case_id,
            )

        return self.session.write(write)

    def best_interests(
        self,
        case_id: str,
        *,
        assessment_id: str | None,
        decision: str,
        decided_on: str,
        consulted: list[str],
        wishes_feelings: str,
        rationale: str,
        imca_instructed: bool = False,
        imca_name: str | None = None,
        decided_by: str | None = None,
    ) -> dict[str, Any]:
        adult_case(self.session, case_id)
        store = self.session.store
        if not assessment_id:
            raise ValidationError(
                N_("A best-interests decision needs a capacity assessment behind it that found the adult lacks"
                   " capacity for this decision; record the assessment first."),
                field="assessment_id",
            )
        rows = store.rows(
            f"SELECT x.* FROM adult_capacity_assessment x WHERE x.id = ? AND x.case_id = ? AND x.deleted = 0"
            f" AND {latest_not_amended('adult_capacity_assessment')}",
            [assessment_id, case_id],
        )
        if not rows:
            raise ValidationError(
                N_("A best-interests decision needs a capacity assessment behind it that found the adult lacks"
                   " capacity for this decision; record the assessment first."),
                field="assessment_id",
            )
        assessment = rows[0]
        if assessment["outcome"] != "lacks_capacity":
            raise ValidationError(
                N_("The capacity assessment found the adult has capacity to make this decision, so it is theirs to"
                   " make: a best-interests decision cannot be recorded."),
                field="assessment_id",
            )
        on = required_date(decided_on, "decided_on", self.session.today())
        if on.isoformat() < assessment["assessed_on"]:
            raise ValidationError(
                N_("The best-interests decision cannot come before the capacity assessment."), field="decided_on"
            )
        what = required_text(decision, "decision", N_("Record the best-interests decision."))
        people = [text(c) for c in consulted or [] if text(c)]
        if not people:
            raise ValidationError(N_("Record the people consulted about the adult's best interests."),
                                  field="consulted")
        wishes = required_text(wishes_feelings, "wishes_feelings", N_(
            "Record the adult's wishes and feelings: they count whatever the adult's capacity."))
        why = required_text(rationale, "rationale", N_("Record why this decision is in the adult's best interests."))
        if imca_instructed and not text(imca_name):
            raise ValidationError(N_("Record the name of the IMCA instructed."), field="imca_name")
        by = decided_by or self.session.user.id
        require_practitioner(store, by, "decided_by")

        def write(tx: Tx) -> dict[str, Any]:
            return tx.insert(
                "adult_best_interests",
                {"person_id": adult_id(tx, case_id), "assessment_id": assessment_id, "decision": what,
                 "decided_on": on.isoformat(), "decided_by": by, "consulted": dumps(people),
                 "wishes_feelings": wishes, "imca_instructed": int(bool(imca_instructed)),
                 "imca_name": text(imca_name) or None, "rationale": why},
                case_id=case_id,
            )

        return self.session.write(write)

    def wishes(self, case_id: str, *, recorded_on: str, wishes_feelings: str,
               how_expressed: str | None = None) -> dict[str, Any]:
        adult_case(self.session, case_id)
        on = required_date(recorded_on, "recorded_on", self.session.today())
        what = required_text(wishes_feelings, "wishes_feelings", N_("Record the adult's wishes and feelings."))

        def write(tx: Tx) -> dict[str, Any]:
            return tx.insert(
                "adult_wishes",
                {"person_id": adult_id(tx, case_id), "recorded_on": on.isoformat(), "wishes_feelings": what,
                 "how_expressed": text(how_expressed) or None},
                case_id=case_id,
            )

        return self.session.write(write)

    def for_case(self, case_id: str) -> dict[str, list[dict[str, Any]]]:
        adult_case(self.session, case_id, write=False, read="adult_capacity_assessment")
        store = self.session.store
        return {
            "assessments": store.rows(
                f"SELECT x.* FROM adult_capacity_assessment x WHERE x.case_id = ? AND x.deleted = 0"
                f" AND {latest_not_amended('adult_capacity_assessment')} ORDER BY x.assessed_on DESC", [case_id]),
            "best_interests": store.rows(
                "SELECT * FROM adult_best_interests WHERE case_id = ? AND deleted = 0 ORDER BY decided_on DESC",
                [case_id]),
            "wishes": store.rows(
                "SELECT * FROM adult_wishes WHERE case_id = ? AND deleted = 0 ORDER BY recorded_on DESC", [case_id]),
        }
