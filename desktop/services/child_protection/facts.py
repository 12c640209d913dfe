"""The facts side of the timescale engine for child protection: per subject child, the latest dates
the rules need (``desktop.domain.engine`` event keys), gathered with one aggregate SQL query per kind
of event over every case in scope — ``MAX(date) … GROUP BY case, child`` — so a million visits are
never loaded into Python, only one row per child. Visits, the bulk, are pre-aggregated per child by
triggers into ``cp_latest_visit`` (migration m0003a), so reading them costs one row per child.

:func:`subjects` returns :class:`desktop.services.my_work.Subject` values (the engine's
``SubjectFacts`` plus who is responsible), and is registered as the ``child_protection`` provider of
"My work" (:mod:`desktop.services.my_work`).

Event keys supplied: ``report_received``, ``report_decision``, ``strategy_decided`` (the next actions on
a report were "strategy discussion": C3), ``expected_birth`` (an unborn child's expected date: C20),
``strategy_meeting_last``, ``icpc_held``,
``registered``, ``review_conference`` (since registration; its count too, for C12's chain),
``next_review_date``, ``outline_plan_sent`` (recorded by hand, else when the conference's last N9 letter
was printed), ``conference_record_sent``, ``conference_record_comments``, ``core_group``, ``visit_seen``,
``visit_seen_alone``, ``visit_seen_at_home``, ``visit_bedroom_seen``; from open transfers
(:mod:`.transfers`) ``moved_out_notified``, ``transfer_information_sent`` (C17),
``transfer_in_temporary`` (a stay not yet agreed permanent: C18), ``transfer_in_agreed`` and
``transfer_in_conference`` (C19). Status tags: ``child_protection``,
``registered`` (active or temporary entry), ``icpc_required`` (latest s47 determination is 3 and no
initial conference has been held since it), ``unborn`` (a child not yet born, with an expected date).

Responsible worker: the child's co-ordinator on the register, else the case's allocated worker.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from desktop.domain.engine import SubjectFacts

# rule id → what satisfies it in the interface (the GUI opens that form with one click).
ACTIONS = {
    "C1": "decide_report",
    "C3": "record_strategy",
    "C20": "hold_initial_conference",
    "C6": "hold_initial_conference",
    "C7": "circulate_outline_plan",
    "C8": "circulate_conference_record",
    "C9": "record_record_comments",
    "C10": "hold_core_group",
    "C11": "hold_core_group",
    "C12": "hold_review_conference",
    "C17": "send_transfer_information",
    "C18": "agree_transfer_in",
    "C19": "hold_transfer_in_conference",
    "V1": "record_visit",
    "V2": "record_visit",
    "V4": "record_visit",
    "V5a": "record_visit",
    "V5b": "record_visit",
}

# Per event kind: one aggregate query over every case in scope. ``{scope}`` is the condition on
# ``case_file c``; each query yields (case_id, person_id, key, value) rows or, for visits, one row
# per child with a column per key.
_CHILD_IN = "c.deleted = 0 AND c.closed_on IS NULL AND c.case_type = 'child_protection' AND ({scope})"
# The scope is evaluated once per case, not once per visit: an uncorrelated IN (…) list.
_IN_SCOPE = f"IN (SELECT c.id FROM case_file c WHERE {_CHILD_IN})"

_QUERIES = {
    "report": f"""
        SELECT r.case_id, j.value AS person_id, MAX(r.received_on) AS report_received,
               MAX(r.decision_on) AS report_decision,
               MAX(CASE WHEN r.decision = 'strategy_discussion' THEN r.decision_on END) AS strategy_decided
        FROM cp_report r, json_each(r.child_ids) j
        WHERE r.deleted = 0 AND r.case_id {_IN_SCOPE} GROUP BY r.case_id, j.value""",
    "strategy": f"""
        SELECT s.case_id, j.value AS person_id, MAX(s.held_on) AS strategy_meeting_last
        FROM cp_strategy s, json_each(s.child_ids) j
        WHERE s.deleted = 0 AND s.case_id {_IN_SCOPE}
          AND NOT EXISTS (SELECT 1 FROM cp_strategy a WHERE a.amends_id = s.id)
        GROUP BY s.case_id, j.value""",
    "conference": f"""
        SELECT f.case_id, j.value AS person_id,
               MAX(CASE WHEN f.kind = 'initial' THEN f.held_on END) AS icpc_held,
               MAX(COALESCE(f.outline_plan_sent_on,
                   (SELECT substr(MAX(l.printed_at), 1, 10) FROM letter l WHERE l.case_id = f.case_id
                      AND l.template_id = 'N9' AND l.status = 'printed'
                      AND l.source_event = 'cp_conference:' || f.id))) AS outline_plan_sent,
               MAX(f.record_sent_on) AS conference_record_sent,
               MAX(f.record_comments_on) AS conference_record_comments
        FROM cp_conference f, json_each(f.child_ids) j
        WHERE f.deleted = 0 AND f.status = 'held' AND f.case_id {_IN_SCOPE} GROUP BY f.case_id, j.value""",
    "register": f"""
        SELECT e.case_id, e.person_id, e.registered_on AS registered, e.next_review_on AS next_review_date,
               (SELECT MAX(f.held_on) FROM cp_conference f, json_each(f.child_ids) j
                WHERE f.case_id = e.case_id AND j.value = e.person_id AND f.kind = 'review'
                  AND f.status = 'held' AND f.deleted = 0 AND f.held_on >= e.registered_on) AS review_conference,
               (SELECT COUNT(*) FROM cp_conference f, json_each(f.child_ids) j
                WHERE f.case_id = e.case_id AND j.value = e.person_id AND f.kind = 'review'
                  AND f.status = 'held' AND f.deleted = 0 AND f.held_on >= e.registered_on) AS review_count
        FROM register_entry e
        WHERE e.deleted = 0 AND e.status IN ('active', 'temporary') AND e.case_id {_IN_SCOPE}""",
    "enquiry": f"""
        SELECT q.case_id, q.person_id, q.determination, q.determined_on
        FROM cp_enquiry q
        WHERE q.deleted = 0 AND q.determination IS NOT NULL AND q.case_id {_IN_SCOPE}
          AND q.determined_on = (SELECT MAX(q2.determined_on) FROM cp_enquiry q2
                                 WHERE q2.person_id = q.person_id AND q2.case_id = q.case_id
                                   AND q2.deleted = 0 AND q2.determination IS NOT NULL)""",
    # Open transfers only: a finished one has nothing left due.
    "transfer": f"""
        SELECT t.case_id, t.person_id,
               MAX(CASE WHEN t.direction = 'out' THEN t.notified_on END) AS moved_out_notified,
               MAX(CASE WHEN t.direction = 'out' THEN t.information_sent_on END) AS transfer_information_sent,
               MAX(CASE WHEN t.direction = 'in' AND t.agreed_on IS NULL THEN t.notified_on END)
                   AS transfer_in_temporary,
               MAX(CASE WHEN t.direction = 'in' THEN t.agreed_on END) AS transfer_in_agreed,
               MAX(CASE WHEN t.direction = 'in' THEN t.conference_on END) AS transfer_in_conference
        FROM cp_transfer t
        WHERE t.deleted = 0 AND t.closed_on IS NULL AND t.case_id {_IN_SCOPE}
        GROUP BY t.case_id, t.person_id""",
    "core_group": f"""
        SELECT g.case_id, MAX(g.held_on) AS core_group
        FROM cp_core_group g
        WHERE g.deleted = 0 AND g.case_id {_IN_SCOPE}
          AND NOT EXISTS (SELECT 1 FROM cp_core_group a WHERE a.amends_id = g.id)
        GROUP BY g.case_id""",
    # One row per child, kept by triggers (m0003a): never a scan of the visits themselves.
    "visit": f"""
        SELECT l.case_id, l.person_id, l.seen AS visit_seen, l.seen_alone AS visit_seen_alone,
               l.seen_at_home AS visit_seen_at_home, l.bedroom_seen AS visit_bedroom_seen
        FROM cp_latest_visit l WHERE l.case_id {_IN_SCOPE}""",
}

_SUBJECTS = f"""
    SELECT c.id AS case_id, c.reference, c.allocated_worker_id, m.person_id, p.unborn, p.expected_date,
           COALESCE(p.preferred_name, p.given_names, '') || ' ' || p.family_name AS person_name,
           (SELECT e.coordinator_id FROM register_entry e WHERE e.person_id = m.person_id AND e.case_id = c.id
              AND e.deleted = 0 AND e.status != 'deregistered' ORDER BY e.registered_on DESC LIMIT 1)
              AS coordinator_id
    FROM case_file c JOIN case_member m ON m.case_id = c.id AND m.deleted = 0 AND m.role = 'subject'
    JOIN person p ON p.id = m.person_id
    WHERE {_CHILD_IN}"""


def _d(value: Any) -> date | None:
    return date.fromisoformat(value[:10]) if value else None


def subjects(store: Any, condition: str, params: dict[str, Any], on: date) -> list[Any]:
    """Every subject child of an open child protection case in scope, with their facts."""
    from desktop.services.my_work import Subject

    def run(sql: str) -> list[dict[str, Any]]:
        return store.rows(sql.format(scope=condition), params)

    events: dict[tuple[str, str], dict[str, date | None]] = {}
    counts: dict[tuple[str, str], dict[str, int]] = {}
    tags: dict[tuple[str, str], set[str]] = {}
    for kind in ("report", "strategy", "conference", "register", "visit", "transfer"):
        for row in run(_QUERIES[kind]):
            key = (row.pop("case_id"), row.pop("person_id"))
            ev = events.setdefault(key, {})
            if kind == "register":
                tags.setdefault(key, set()).add("registered")
                counts.setdefault(key, {})["review_conference"] = row.pop("review_count")
            for name, value in row.items():
                ev[name] = _d(value)
    core = {r["case_id"]: _d(r["core_group"]) for r in run(_QUERIES["core_group"])}
    for row in run(_QUERIES["enquiry"]):
        key = (row["case_id"], row["person_id"])
        icpc = events.get(key, {}).get("icpc_held")
        if row["determination"] == 3 and (icpc is None or icpc.isoformat() < row["determined_on"]):
            tags.setdefault(key, set()).add("icpc_required")
    out = []
    for s in run(_SUBJECTS):
        key = (s["case_id"], s["person_id"])
        ev = dict(events.get(key, {}))
        if s["case_id"] in core:
            ev["core_group"] = core[s["case_id"]]
        extra: set[str] = set()
        if s["unborn"] and s["expected_date"]:
            extra.add("unborn")
            ev["expected_birth"] = _d(s["expected_date"])
        facts = SubjectFacts(
            case_id=s["case_id"], person_id=s["person_id"],
            statuses=frozenset({"child_protection", *tags.get(key, ()), *extra}),
            events=ev, counts=counts.get(key, {}),
        )
        out.append(Subject(facts=facts, worker_id=s["coordinator_id"] or s["allocated_worker_id"],
                           person_name=s["person_name"].strip(), case_reference=s["reference"]))
    return out
