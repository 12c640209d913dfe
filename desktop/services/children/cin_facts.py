"""The facts side of the timescale engine for Children in Need (CIN1) (Qt-free).

:func:`subjects` is the ``child_in_need`` provider of "My work": one
:class:`~desktop.services.my_work.Subject` per child with an active Child in Need plan in a case in
scope, from one query. Event keys: ``cin_review_scheduled`` — the review date the plan carries (set
when it starts and at each review meeting: SI 2015/1335 reg 3(1)(e), no fixed interval in the
regulations); ``cin_review`` — the latest review meeting of the plan. Status tag: ``child_in_need``.
Responsible worker: the case's allocated worker.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from desktop.domain.engine import SubjectFacts

ACTIONS = {"CIN1": "record_cin_review"}

_SQL = """
SELECT c.id AS case_id, c.reference, c.allocated_worker_id, pl.person_id,
       COALESCE(p.preferred_name, p.given_names, '') || ' ' || p.family_name AS person_name,
       pl.next_review_on AS cin_review_scheduled,
       (SELECT MAX(r.held_on) FROM cin_review r WHERE r.plan_id = pl.id AND r.deleted = 0) AS cin_review
FROM cin_plan pl
JOIN case_file c ON c.id = pl.case_id
JOIN person p ON p.id = pl.person_id
WHERE pl.status = 'active' AND pl.deleted = 0 AND c.deleted = 0 AND c.closed_on IS NULL AND ({scope})
"""


def _d(value: str | None) -> date | None:
    return date.fromisoformat(value[:10]) if value else None


def subjects(store: Any, condition: str, params: dict[str, Any], on: date) -> list[Any]:
    """Every child with an active Child in Need plan in a case in scope (``condition`` on
    ``case_file AS c``), with the plan's review facts."""
    from desktop.services.my_work import Subject

    return [
        Subject(facts=SubjectFacts(case_id=r["case_id"], person_id=r["person_id"],
                                   statuses=frozenset({"child_in_need"}),
                                   events={"cin_review_scheduled": _d(r["cin_review_scheduled"]),
                                           "cin_review": _d(r["cin_review"])}),
                worker_id=r["allocated_worker_id"], person_name=r["person_name"].strip(),
                case_reference=r["reference"])
        for r in store.rows(_SQL.format(scope=condition), params)
    ]
