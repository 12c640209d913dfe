"""The facts side of the timescale engine for adults at risk: per adult, the latest dates rules A1–A7
need, gathered with one aggregate SQL query per kind of event over every case in scope
(``MAX(date) … GROUP BY case``) — never row by row.

:func:`subjects` is registered as the ``adult_at_risk`` provider of "My work"
(:mod:`desktop.services.my_work`) when :mod:`desktop.services.adults` is imported.

Event keys supplied (see :mod:`desktop.domain.engine`): ``report_received`` (latest report not screened
out: unscreened or screened for enquiries), ``enquiry_concluded``, ``strategy_meeting_last``,
``strategy_meeting_first`` (the initial strategy meeting: A3 and A4 run from it),
``plan_start``, ``plan_review``, ``visit_seen``, ``visit_seen_alone`` (given the opportunity to be seen
alone, or seen alone), ``apc_scheduled``, ``apc_held``, ``apc_reports_received`` (the day the last
invited agency's report reached the chair, ``None`` while any is missing). Status tags:
``adult_at_risk``; ``strategy_required`` (the latest concluded enquiry needs a strategy meeting);
``adult_plan`` (an active plan). Per-case override: ``A4`` → the strategy group's frequency (latest
strategy record that set one); the engine applies it only when stricter.

Corrections of append-only records count in place of what they correct. Closed cases yield nothing.
Responsible worker: the acting lead co-ordinator (delegated, else the local authority's), else the
case's allocated worker.

An adult protection and support order (A9) is the authorised officer's, not the lead co-ordinator's:
:func:`apso_subjects` is a provider of its own (``adult_apso``, population tag ``adult_apso``), one subject
per case with a granted order, whose worker is the officer of the latest order granted and whose events
are ``apso_expires`` (that order's last day in force) and ``apso_ended`` (its end, once recorded).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from desktop.domain.engine import SubjectFacts

ACTIONS = {
    "A1": "conclude_adult_enquiry",
    "A2": "record_adult_strategy",
    "A3": "record_adult_visit",
    "A4": "record_adult_visit",
    "A5": "review_adult_plan",
    "A7": "record_conference_reports",
}

APSO_ACTIONS = {"A9": "end_adult_apso"}

_IN = "c.deleted = 0 AND c.closed_on IS NULL AND c.case_type = 'adult_at_risk' AND ({scope})"


def _current(table: str, alias: str) -> str:
    return f"NOT EXISTS (SELECT 1 FROM {table} a2 WHERE a2.amends_id = {alias}.id AND a2.deleted = 0)"


_QUERIES = {
    "report": """SELECT r.case_id, MAX(r.received_on) AS report_received FROM adult_report r
        JOIN case_file c ON c.id = r.case_id
        WHERE r.deleted = 0 AND (r.screening_decision IS NULL OR r.screening_decision = 'enquiries') AND {where}
        GROUP BY r.case_id""",
    # SQLite: bare columns with MAX() come from the row holding the maximum.
    "enquiry": """SELECT e.case_id, MAX(e.concluded_on) AS enquiry_concluded, e.strategy_required
        FROM adult_enquiry e JOIN case_file c ON c.id = e.case_id
        WHERE e.deleted = 0 AND e.concluded_on IS NOT NULL AND {where} GROUP BY e.case_id""",
    "strategy": f"""SELECT s.case_id, MAX(s.held_on) AS strategy_meeting_last,
            MIN(s.held_on) AS strategy_meeting_first FROM adult_strategy s
        JOIN case_file c ON c.id = s.case_id
        WHERE s.deleted = 0 AND {_current('adult_strategy', 's')} AND {{where}} GROUP BY s.case_id""",
    "frequency": f"""SELECT s.case_id, MAX(s.held_on) AS held_on, s.visit_every, s.visit_unit FROM adult_strategy s
        JOIN case_file c ON c.id = s.case_id
        WHERE s.deleted = 0 AND s.visit_every IS NOT NULL AND {_current('adult_strategy', 's')} AND {{where}}
        GROUP BY s.case_id""",
    "plan": """SELECT p.case_id, MAX(p.started_on) AS plan_start,
            (SELECT MAX(r.reviewed_on) FROM adult_plan_review r WHERE r.plan_id = p.id AND r.deleted = 0
             AND NOT EXISTS (SELECT 1 FROM adult_plan_review a2 WHERE a2.amends_id = r.id AND a2.deleted = 0))
            AS plan_review
        FROM adult_plan p JOIN case_file c ON c.id = p.case_id
        WHERE p.deleted = 0 AND p.status = 'active' AND {where} GROUP BY p.case_id""",
    "visit": f"""SELECT v.case_id,
            MAX(CASE WHEN v.seen = 1 THEN v.visited_on END) AS visit_seen,
            MAX(CASE WHEN v.offered_alone = 1 OR v.seen_alone = 1 THEN v.visited_on END) AS visit_seen_alone
        FROM adult_visit v JOIN case_file c ON c.id = v.case_id
        WHERE v.deleted = 0 AND {_current('adult_visit', 'v')} AND {{where}} GROUP BY v.case_id""",
    "apc_held": """SELECT k.case_id, MAX(k.held_on) AS apc_held FROM adult_conference k
        JOIN case_file c ON c.id = k.case_id
        WHERE k.deleted = 0 AND k.status = 'held' AND {where} GROUP BY k.case_id""",
    # The latest conference still to be held, and when its reports were all in.
    "apc_next": """SELECT k.case_id, MAX(k.scheduled_on) AS apc_scheduled,
            (SELECT CASE WHEN count(*) > 0 AND count(r.received_on) = count(*) THEN MAX(r.received_on) END
             FROM adult_conference_report r WHERE r.conference_id = k.id AND r.deleted = 0) AS apc_reports_received
        FROM adult_conference k JOIN case_file c ON c.id = k.case_id
        WHERE k.deleted = 0 AND k.status = 'convened' AND {where} GROUP BY k.case_id""",
}

# The latest order granted per case, with the adult and the case's reference (SQLite: bare columns come from
# the row holding the maximum). One query driven by the orders: no read of the cases that have none.
_APSO = """SELECT o.case_id, MAX(o.in_force_to) AS apso_expires, o.ended_on AS apso_ended, o.officer_id,
        c.reference,
        (SELECT m.person_id FROM case_member m WHERE m.case_id = c.id AND m.deleted = 0 AND m.role = 'subject'
         ORDER BY m.created_at LIMIT 1) AS person_id
    FROM adult_apso o JOIN case_file c ON c.id = o.case_id
    WHERE o.deleted = 0 AND o.decision = 'granted' AND {where} GROUP BY o.case_id"""

_CASES = """SELECT c.id AS case_id, c.reference, c.allocated_worker_id,
        (SELECT m.person_id FROM case_member m WHERE m.case_id = c.id AND m.deleted = 0 AND m.role = 'subject'
         ORDER BY m.created_at LIMIT 1) AS person_id,
        (SELECT ra.practitioner_id FROM role_assignment ra WHERE ra.case_id = c.id AND ra.deleted = 0
         AND ra.to_date IS NULL AND ra.role = 'delegated_lead_coordinator' ORDER BY ra.from_date DESC LIMIT 1)
         AS delegated,
        (SELECT ra.practitioner_id FROM role_assignment ra WHERE ra.case_id = c.id AND ra.deleted = 0
         AND ra.to_date IS NULL AND ra.role = 'lead_coordinator' ORDER BY ra.from_date DESC LIMIT 1) AS coordinator
    FROM case_file c WHERE {where}"""


def _d(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def subjects(store: Any, condition: str, params: dict[str, Any], on: date) -> list[Any]:
    """One :class:`~desktop.services.my_work.Subject` per open adult-at-risk case in scope."""
    from desktop.services.my_work import Subject

    where = _IN.format(scope=condition)
    cases = {r["case_id"]: r for r in store.rows(_CASES.format(where=where), params) if r["person_id"]}
    if not cases:
        return []
    events: dict[str, dict[str, date | None]] = {cid: {} for cid in cases}
    tags: dict[str, set[str]] = {cid: {"adult_at_risk"} for cid in cases}
    overrides: dict[str, dict[str, tuple[int, str]]] = {cid: {} for cid in cases}
    for kind, sql in _QUERIES.items():
        for row in store.rows(sql.format(where=where), params):
            cid = row["case_id"]
            if cid not in cases:
                continue
            if kind == "frequency":
                overrides[cid]["A4"] = (int(row["visit_every"]), row["visit_unit"])
                continue
            if kind == "enquiry" and row["strategy_required"]:
                tags[cid].add("strategy_required")
            if kind == "plan":
                tags[cid].add("adult_plan")
            for key, value in row.items():
                if key not in ("case_id", "strategy_required"):
                    events[cid][key] = _d(value)
    names = _names(store, [c["person_id"] for c in cases.values()])
    out = []
    for cid, case in cases.items():
        facts = SubjectFacts(case_id=cid, person_id=case["person_id"], statuses=frozenset(tags[cid]),
                             events=events[cid], overrides=overrides[cid])
        worker = case["delegated"] or case["coordinator"] or case["allocated_worker_id"]
        out.append(Subject(facts, worker, names.get(case["person_id"], ""), case["reference"]))
    return out


def apso_subjects(store: Any, condition: str, params: dict[str, Any], on: date) -> list[Any]:
    """One :class:`~desktop.services.my_work.Subject` per open adult-at-risk case in scope with an order
    granted (the latest), for its authorised officer."""
    from desktop.services.my_work import Subject

    orders = [r for r in store.rows(_APSO.format(where=_IN.format(scope=condition)), params) if r["person_id"]]
    names = _names(store, [r["person_id"] for r in orders])
    out = []
    for row in orders:
        facts = SubjectFacts(case_id=row["case_id"], person_id=row["person_id"], statuses=frozenset({"adult_apso"}),
                             events={"apso_expires": _d(row["apso_expires"]), "apso_ended": _d(row["apso_ended"])})
        out.append(Subject(facts, row["officer_id"], names.get(row["person_id"], ""), row["reference"]))
    return out


def _names(store: Any, person_ids: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for i in range(0, len(person_ids), 500):
        chunk = person_ids[i:i + 500]
        marks = ", ".join("?" for _ in chunk)
        for r in store.rows(
            f"SELECT id, COALESCE(preferred_name, given_names, '') AS given, family_name FROM person"
            f" WHERE id IN ({marks})", chunk,
        ):
            out[r["id"]] = f"{r['given']} {r['family_name']}".strip()
    return out
