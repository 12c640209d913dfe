"""The facts side of the timescale engine for looked-after children (L1–L11), and the alignment of
child protection review conferences with looked-after reviews (C21) (Qt-free).

:func:`subjects` is the ``looked_after`` provider of "My work" (:mod:`desktop.services.my_work`): one
:class:`~desktop.services.my_work.Subject` per child with an open looked-after episode in a case in
scope, whatever the case type (a registered child's case may stay a child protection case), built
from ONE aggregate query (correlated ``MAX``/``COUNT`` sub-selects per child; no history is loaded).

Event keys supplied (``desktop.domain.engine``):

* ``looked_after_start`` — the open episode's start (L1, L7, L9, L11b base);
* ``placement_start`` — the current placement's start (no end date; L2, L3–L6, L11a base);
* ``care_support_plan`` — the latest care and support plan of the episode (L1; may precede the start);
* ``placement_plan`` — the date the CURRENT placement's plan was signed by the appropriate person (L2:
  a plan prepared but unsigned does not satisfy it);
* ``lac_visit`` — the latest statutory visit at which the child was seen (a corrected visit counts as
  its correction); ``counts["lac_visit"]`` the
  number of such visits since the current placement started (L3a's chain: 1 week, then 6 weeks);
* ``lac_review`` / ``lac_review_first`` — latest / first review of the episode; ``counts["lac_review"]``
  reviews in the episode (L7's chain: 4 weeks, 3 months, 6 months); ``lac_review_scheduled`` — the
  next review the IRO set at the latest one (no rule reads it; C21 does);
* ``health_assessment`` (+ count, L9), ``gp_registered`` (registration for the current placement,
  L11a), ``dentist_registered``, ``dental_check`` (L11b: a check, not registration),
  ``reg20_assessment``/``reg20_decision`` (L6), ``pep`` and ``school_started`` (L10 runs from becoming
  looked after or starting at a new school; its default deadline is unconfirmed and a board may
  override it).

Status tags: ``looked_after``; ``placement_until_18`` (current placement intended to last until 18);
``reg20`` (placed with parents before assessment); ``reg26`` (connected person with temporary approval,
or an interim care order and living with a parent: reg 31(4)); ``under_5`` (on the day asked);
``school_age`` (of compulsory school age on the day asked: :mod:`desktop.domain.school_age`);
``short_break`` (the episode's latest placement is one of a series of short breaks, or the legal status
is accommodation under s.76 for short breaks: reg 62);
``registered`` (on the child protection register, for information).

Responsible worker: the case's allocated worker.

C21 — the rule applied (:func:`align_review_conference`): for a child who is both looked after and on
the register, the child protection review conference is timed with the looked-after review: it is due
on the next looked-after review date (:func:`next_lac_review`) when that is on or before the date C12
requires; otherwise on the C12 date, because the WSP maximum interval is never exceeded (the
looked-after review should then be brought forward to meet it). :func:`review_conference_alignment`
computes both dates for one child; :func:`align_due_items` applies the rule to engine items of many
children at once — the "My work" adjuster, run over all providers' items before the horizon.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from desktop.domain.calendar import add_months
from desktop.domain.engine import (
    DUE_THIS_WEEK,
    DUE_TODAY,
    OVERDUE,
    UPCOMING,
    DueItem,
    Engine,
    SubjectFacts,
    default_engine,
)
from desktop.domain.school_age import school_age

ACTIONS = {
    "L1": "record_care_plan",
    "L2": "record_placement_plan",
    "L3a": "record_lac_visit",
    "L3b": "record_lac_visit",
    "L3c": "record_lac_visit",
    "L3s": "record_lac_visit",
    "L4a": "record_lac_visit",
    "L4b": "record_lac_visit",
    "L5a": "record_lac_visit",
    "L5b": "record_lac_visit",
    "L6a": "record_reg20",
    "L6b": "record_reg20",
    "L7": "record_lac_review",
    "L7s": "record_lac_review",
    "L9": "record_health",
    "L9a": "record_health",
    "L9b": "record_health",
    "L10": "record_pep",
    "L11a": "record_health",
    "L11b": "record_health",
}

_SQL = """
WITH subj AS (
    SELECT c.id AS case_id, c.reference, c.allocated_worker_id, e.id AS episode_id, e.person_id,
           e.started_on, e.legal_status, p.date_of_birth,
           COALESCE(p.preferred_name, p.given_names, '') || ' ' || p.family_name AS person_name,
           (SELECT pl.id FROM lac_placement pl WHERE pl.episode_id = e.id AND pl.deleted = 0 AND pl.end_on IS NULL
             ORDER BY pl.start_on DESC LIMIT 1) AS placement_id
    FROM lac_episode e
    JOIN case_file c ON c.id = e.case_id
    JOIN person p ON p.id = e.person_id
    WHERE e.deleted = 0 AND e.ended_on IS NULL AND c.deleted = 0 AND c.closed_on IS NULL AND ({scope})
)
SELECT s.*, pl.start_on AS placement_start, pl.plan_signed_on AS placement_plan,
       pl.intended_until_18, pl.reg20, pl.reg26, pl.placement_type,
       pl.reg20_assessed_on AS reg20_assessment, pl.reg20_decided_on AS reg20_decision,
       (SELECT MAX(cp.prepared_on) FROM lac_care_plan cp WHERE cp.episode_id = s.episode_id AND cp.deleted = 0)
           AS care_support_plan,
       (SELECT MAX(v.visited_on) FROM lac_visit v WHERE v.person_id = s.person_id AND v.deleted = 0 AND v.seen = 1
           AND {visit_current}) AS lac_visit,
       (SELECT COUNT(*) FROM lac_visit v WHERE v.person_id = s.person_id AND v.deleted = 0 AND v.seen = 1
           AND {visit_current} AND v.visited_on >= pl.start_on) AS lac_visit_count,
       (SELECT MAX(r.held_on) FROM lac_review r WHERE r.episode_id = s.episode_id AND r.deleted = 0
           AND {review_current}) AS lac_review,
       (SELECT r.next_review_on FROM lac_review r WHERE r.episode_id = s.episode_id AND r.deleted = 0
           AND {review_current} ORDER BY r.held_on DESC, r.created_at DESC LIMIT 1) AS lac_review_scheduled,
       (SELECT MIN(r.held_on) FROM lac_review r WHERE r.episode_id = s.episode_id AND r.deleted = 0
           AND {review_current}) AS lac_review_first,
       (SELECT COUNT(*) FROM lac_review r WHERE r.episode_id = s.episode_id AND r.deleted = 0
           AND {review_current}) AS lac_review_count,
       (SELECT MAX(h.on_date) FROM lac_health_event h WHERE h.person_id = s.person_id AND h.deleted = 0
           AND h.kind IN ('health_assessment_initial', 'health_assessment_review')) AS health_assessment,
       (SELECT COUNT(*) FROM lac_health_event h WHERE h.person_id = s.person_id AND h.deleted = 0
           AND h.amends_id IS NULL AND h.on_date >= s.started_on
           AND h.kind IN ('health_assessment_initial', 'health_assessment_review')) AS health_assessment_count,
       (SELECT MAX(h.on_date) FROM lac_health_event h WHERE h.person_id = s.person_id AND h.deleted = 0
           AND h.kind = 'gp_registered' AND (h.placement_id = pl.id OR h.on_date >= pl.start_on))
           AS gp_registered,
       (SELECT MAX(h.on_date) FROM lac_health_event h WHERE h.person_id = s.person_id AND h.deleted = 0
           AND h.kind = 'dentist_registered') AS dentist_registered,
       (SELECT MAX(h.on_date) FROM lac_health_event h WHERE h.person_id = s.person_id AND h.deleted = 0
           AND h.kind = 'dental_check') AS dental_check,
       (SELECT MAX(sc.started_on) FROM lac_school_change sc WHERE sc.person_id = s.person_id AND sc.deleted = 0
           AND NOT EXISTS (SELECT 1 FROM lac_school_change a WHERE a.amends_id = sc.id AND a.deleted = 0))
           AS school_started,
       (SELECT p2.short_break FROM lac_placement p2 WHERE p2.episode_id = s.episode_id AND p2.deleted = 0
           ORDER BY p2.start_on DESC LIMIT 1) AS short_break,
       (SELECT MAX(x.on_date) FROM lac_pep x WHERE x.person_id = s.person_id AND x.deleted = 0) AS pep,
       {registered} AS registered
FROM subj s LEFT JOIN lac_placement pl ON pl.id = s.placement_id
"""

# A visit or review that has been corrected is replaced by its correction (append-only amendments).
_VISIT_CURRENT = "NOT EXISTS (SELECT 1 FROM lac_visit a WHERE a.amends_id = v.id AND a.deleted = 0)"
_REVIEW_CURRENT = "NOT EXISTS (SELECT 1 FROM lac_review a WHERE a.amends_id = r.id AND a.deleted = 0)"

_EVENT_KEYS = ("placement_start", "placement_plan", "care_support_plan", "lac_visit", "lac_review",
               "lac_review_first", "lac_review_scheduled", "health_assessment", "gp_registered",
               "dentist_registered", "dental_check", "school_started", "reg20_assessment", "reg20_decision",
               "pep")


def _d(value: Any) -> date | None:
    return date.fromisoformat(value[:10]) if value else None


def _has_register(store: Any) -> bool:
    return bool(store.rows("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'register_entry'"))


def subjects(store: Any, condition: str, params: dict[str, Any], on: date) -> list[Any]:
    """Every looked-after child in a case in scope (``condition`` on ``case_file AS c``), with facts."""
    from desktop.services.my_work import Subject

    registered = (
        "EXISTS (SELECT 1 FROM register_entry re WHERE re.person_id = s.person_id AND re.deleted = 0"
        " AND re.status IN ('active', 'temporary'))" if _has_register(store) else "0"
    )
    out = []
    sql = _SQL.format(scope=condition, registered=registered, visit_current=_VISIT_CURRENT,
                      review_current=_REVIEW_CURRENT)
    for r in store.rows(sql, params):
        events: dict[str, date | None] = {"looked_after_start": _d(r["started_on"])}
        for key in _EVENT_KEYS:
            events[key] = _d(r[key])
        tags = {"looked_after"}
        if r["intended_until_18"]:
            tags.add("placement_until_18")
        if r["reg20"]:
            tags.add("reg20")
        if r["reg26"] or (r["legal_status"] == "interim_care_order" and r["placement_type"] == "placed_with_parents"):
            tags.add("reg26")
        dob = _d(r["date_of_birth"])
        if dob is not None and on < add_months(dob, 60):
            tags.add("under_5")
        if school_age().of_school_age(dob, on):
            tags.add("school_age")
        if r["short_break"] or r["legal_status"] == "section_76_short_breaks":
            tags.add("short_break")
        if r["registered"]:
            tags.add("registered")
        counts = {"lac_review": r["lac_review_count"], "health_assessment": r["health_assessment_count"]}
        if r["placement_start"]:
            counts["lac_visit"] = r["lac_visit_count"]
        facts = SubjectFacts(case_id=r["case_id"], person_id=r["person_id"], statuses=frozenset(tags),
                             events=events, counts=counts)
        out.append(Subject(facts=facts, worker_id=r["allocated_worker_id"], person_name=r["person_name"].strip(),
                           case_reference=r["reference"], holds_until=_holds_until(dob, events, on)))
    return out


def _holds_until(dob: date | None, events: Mapping[str, date | None], on: date) -> date | None:
    """The last day from ``on`` on which a child's facts above stay as they are (``None``: every day): the day
    before they turn five or reach compulsory school age, the last day of it, and the review the IRO
    scheduled (C21 relies on it while it is not past: :func:`next_lac_review`)."""
    turns = []
    if dob is not None:
        five = add_months(dob, 60)
        if on < five:
            turns.append(five - timedelta(days=1))
        starts, ends = school_age().starts(dob), school_age().ends(dob)
        if on < starts:
            turns.append(starts - timedelta(days=1))
        elif on <= ends:
            turns.append(ends)
    scheduled = events.get("lac_review_scheduled")
    if scheduled is not None and scheduled >= on:
        turns.append(scheduled)
    return min(turns, default=None)


def facts_for(store: Any, case_id: str, person_id: str, on: date) -> SubjectFacts | None:
    """The looked-after facts of one child (``None`` when not looked after)."""
    for s in subjects(store, "c.id = :only_case", {"only_case": case_id}, on):
        if s.facts.person_id == person_id:
            return s.facts
    return None


# -- C21 ----------------------------------------------------------------------------------------
def align_review_conference(c12_due: date, next_lac_review: date | None) -> date:
    """C21: the review conference is held with the next looked-after review when that is no later
    than C12 allows; otherwise C12's date stands (see the module docstring)."""
    if next_lac_review is not None and next_lac_review <= c12_due:
        return next_lac_review
    return c12_due


def next_lac_review(lac: SubjectFacts, l7_due: date | None, on: date) -> date | None:
    """The date of the next looked-after review: the one the IRO scheduled at the latest review,
    else L7's due date. A scheduled date later than L7 allows, or already past without the review
    being held, is not relied on."""
    scheduled = lac.events.get("lac_review_scheduled")
    if scheduled is not None and scheduled >= on and (l7_due is None or scheduled <= l7_due):
        return scheduled
    return l7_due


def review_conference_alignment(store: Any, case_id: str, person_id: str, on: date,
                                engine: Engine | None = None) -> dict[str, Any] | None:
    """For a child who is looked after and registered: ``{"c12_due", "lac_review_due", "aligned_due",
    "aligned"}`` (dates; ``aligned`` True when the conference moves to the looked-after review).
    ``None`` when the child is not both looked after and on the register (or the child protection
    facts are not available in this build)."""
    engine = engine or default_engine()
    lac = facts_for(store, case_id, person_id, on)
    if lac is None or "registered" not in lac.statuses:
        return None
    try:
        from desktop.services.child_protection import facts as cp_facts
    except ImportError:  # pragma: no cover - child protection not in this build
        return None
    cp = [s.facts for s in cp_facts.subjects(store, "c.id = :only_case", {"only_case": case_id}, on)
          if s.facts.person_id == person_id]
    c12 = [i for i in engine.due_items(cp, on) if i.rule_id == "C12"]
    if not c12:
        return None
    l7 = [i.due for i in engine.due_items([lac], on) if i.rule_id == "L7"]
    lac_due = next_lac_review(lac, l7[0] if l7 else None, on)
    aligned = align_review_conference(c12[0].due, lac_due)
    return {"c12_due": c12[0].due, "lac_review_due": lac_due, "aligned_due": aligned, "aligned": aligned != c12[0].due}


def align_due_items(items: Iterable[DueItem], on: date,
                    facts: Mapping[tuple[str, str], Iterable[SubjectFacts]] | None = None) -> list[DueItem]:
    """C21 over engine items (a "My work" adjuster): each ``C12`` item whose child also has a
    looked-after review due earlier — the one the IRO scheduled (from the child's looked-after
    ``facts``, when given) or else the ``L7`` date — is moved to that date (status and days overdue
    recomputed for ``on``); other items unchanged."""
    items = list(items)
    facts = facts or {}
    l7 = {(i.case_id, i.person_id): i.due for i in items if i.rule_id == "L7"}
    out = []
    for item in items:
        key = (item.case_id, item.person_id)
        if item.rule_id == "C12" and key in l7:
            lac = next((f for f in facts.get(key, ()) if "looked_after" in f.statuses), None)
            lac_due = next_lac_review(lac, l7[key], on) if lac is not None else l7[key]
            due = align_review_conference(item.due, lac_due)
            if due != item.due:
                sunday = on + timedelta(days=6 - on.weekday())
                status = (OVERDUE if due < on else DUE_TODAY if due == on else DUE_THIS_WEEK if due <= sunday
                          else UPCOMING)
                item = replace(item, due=due, status=status, days_overdue=max(0, (on - due).days),
                               overdue_unit="days")
        out.append(item)
    return out
