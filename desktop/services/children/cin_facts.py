"""The facts side of the timescale engine for Children in Need (CIN1–CIN3) and care proceedings (P1, P1x)
(Qt-free).

:func:`subjects` is the ``child_in_need`` provider of "My work": one
:class:`~desktop.services.my_work.Subject` per child with an active Child in Need plan or an assessment
still open, in a case in scope, from one query. Event keys: ``cin_review_scheduled`` — the review date
the plan carries (set when it starts and at each review meeting: SI 2015/1335 reg 3(1)(e));
``cin_review`` — the latest review meeting of the plan; ``cin_plan_start`` (CIN2, the default interval
for a plan that carries no date); ``assessment_referral`` — when the referral that led to the open
assessment was received, else the assessment's start (CIN3, 42 working days). Status tags:
``child_in_need``; ``cin_plan`` (an active plan); ``cin_review_dated`` (the plan carries a review
date); ``assessment_open``. Responsible worker: the case's allocated worker.

:func:`proceedings_subjects` is the ``proceedings`` provider: one subject per child with care
proceedings still open. Event keys: ``care_proceedings_issued`` (the day the application was issued:
the "application issued" stage, else the day the proceedings were recorded as started),
``care_proceedings_extended_to`` (the end of the latest extension the court granted: rule P1x) and
``care_proceedings_concluded``. Status tags: ``proceedings``; ``proceedings_extended`` (P1 gives way to P1x).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from desktop.domain.engine import SubjectFacts

ACTIONS = {"CIN1": "record_cin_review", "CIN2": "record_cin_review", "CIN3": "complete_assessment"}
PROCEEDINGS_ACTIONS = {"P1": "record_proceedings_stage", "P1x": "record_proceedings_stage"}

_SQL = """
WITH kids AS (
    SELECT pl.case_id, pl.person_id FROM cin_plan pl WHERE pl.status = 'active' AND pl.deleted = 0
    UNION
    SELECT a.case_id, a.person_id FROM cin_assessment a WHERE a.completed_on IS NULL AND a.deleted = 0
)
SELECT c.id AS case_id, c.reference, c.allocated_worker_id, k.person_id,
       COALESCE(p.preferred_name, p.given_names, '') || ' ' || p.family_name AS person_name,
       pl.id AS plan_id, pl.started_on AS cin_plan_start, pl.next_review_on AS cin_review_scheduled,
       (SELECT MAX(r.held_on) FROM cin_review r WHERE r.plan_id = pl.id AND r.deleted = 0) AS cin_review,
       (SELECT MAX(COALESCE(a.referral_on, a.started_on)) FROM cin_assessment a WHERE a.person_id = k.person_id
          AND a.case_id = k.case_id AND a.completed_on IS NULL AND a.deleted = 0) AS assessment_referral
FROM kids k
JOIN case_file c ON c.id = k.case_id
JOIN person p ON p.id = k.person_id
LEFT JOIN cin_plan pl ON pl.id = (SELECT x.id FROM cin_plan x WHERE x.person_id = k.person_id
                                  AND x.case_id = k.case_id AND x.status = 'active' AND x.deleted = 0
                                  ORDER BY x.started_on DESC LIMIT 1)
WHERE c.deleted = 0 AND c.closed_on IS NULL AND ({scope})
"""

_PROCEEDINGS = """
SELECT c.id AS case_id, c.reference, c.allocated_worker_id, pr.person_id,
       COALESCE(p.preferred_name, p.given_names, '') || ' ' || p.family_name AS person_name,
       COALESCE((SELECT MIN(st.on_date) FROM proceedings_stage st WHERE st.proceedings_id = pr.id
                 AND st.stage = 'application_issued' AND st.deleted = 0), pr.started_on) AS care_proceedings_issued,
       (SELECT MAX(x.extended_to) FROM proceedings_extension x WHERE x.proceedings_id = pr.id
          AND x.deleted = 0) AS care_proceedings_extended_to
FROM proceedings pr
JOIN case_file c ON c.id = pr.case_id
JOIN person p ON p.id = pr.person_id
WHERE pr.kind = 'care_proceedings' AND pr.ended_on IS NULL AND pr.deleted = 0
  AND c.deleted = 0 AND c.closed_on IS NULL AND ({scope})
"""


def _d(value: str | None) -> date | None:
    return date.fromisoformat(value[:10]) if value else None


def subjects(store: Any, condition: str, params: dict[str, Any], on: date) -> list[Any]:
    """Every child with an active Child in Need plan or an open assessment in a case in scope
    (``condition`` on ``case_file AS c``), with the plan's and the assessment's facts."""
    from desktop.services.my_work import Subject

    out = []
    for r in store.rows(_SQL.format(scope=condition), params):
        tags = {"child_in_need"}
        if r["plan_id"]:
            tags.add("cin_plan")
            if r["cin_review_scheduled"]:
                tags.add("cin_review_dated")
        if r["assessment_referral"]:
            tags.add("assessment_open")
        events = {key: _d(r[key]) for key in ("cin_review_scheduled", "cin_review", "cin_plan_start",
                                              "assessment_referral")}
        out.append(Subject(facts=SubjectFacts(case_id=r["case_id"], person_id=r["person_id"],
                                              statuses=frozenset(tags), events=events),
                           worker_id=r["allocated_worker_id"], person_name=r["person_name"].strip(),
                           case_reference=r["reference"]))
    return out


def proceedings_subjects(store: Any, condition: str, params: dict[str, Any], on: date) -> list[Any]:
    """Every child with care proceedings open, in a case in scope."""
    from desktop.services.my_work import Subject

    return [
        Subject(facts=SubjectFacts(case_id=r["case_id"], person_id=r["person_id"],
                                   statuses=frozenset({"proceedings", "proceedings_extended"}
                                                      if r["care_proceedings_extended_to"] else {"proceedings"}),
                                   events={"care_proceedings_issued": _d(r["care_proceedings_issued"]),
                                           "care_proceedings_extended_to": _d(r["care_proceedings_extended_to"])}),
                worker_id=r["allocated_worker_id"], person_name=r["person_name"].strip(),
                case_reference=r["reference"])
        for r in store.rows(_PROCEEDINGS.format(scope=condition), params)
    ]
