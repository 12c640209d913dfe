"""Where a case is on its journey (Qt-free): the steps for its type, which are done, which is now.

``JourneyService(session).journey(case_id) -> Journey`` (needs ``Can.VIEW_CASEWORK`` and the case in
scope). Each step is done when the record that completes it exists for the case (one aggregate query per
step, a few milliseconds in all). The current step is the one after the last step done; while a
recurring step (core groups, reviews…) is under way it stays current until the closing step is done.
What to do next is not decided here: the case page takes it from the most urgent due item.

Journeys (procedures.md §2):

* child protection — report → strategy discussion → section 47 enquiries → initial conference → core
  groups → review conferences → de-registration;
* adult at risk — report → section 126 enquiries → strategy meeting → protection plan → plan reviews →
  closure;
* child in need — assessment → Child in Need plan → reviews → plan ended;
* looked after — became looked after → placement → care and support plan → looked-after reviews →
  permanence.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from desktop.domain.types import CaseType
from desktop.i18n import N_
from desktop.services.reads import read_casework

DONE, CURRENT, TODO = "done", "current", "todo"


@dataclass(frozen=True, slots=True)
class StepDef:
    key: str
    title: str
    """English msgid."""
    sql: str
    """Returns the date the step was (last) done for the case ``:case``, or NULL."""
    recurring: bool = False


@dataclass(frozen=True, slots=True)
class Step:
    key: str
    title: str
    state: str
    on: date | None


@dataclass(frozen=True, slots=True)
class Journey:
    case_type: str
    steps: tuple[Step, ...]

    @property
    def current(self) -> Step | None:
        return next((s for s in self.steps if s.state == CURRENT), None)


def _latest(table: str, column: str, where: str = "") -> str:
    return f"SELECT MAX({column}) FROM {table} WHERE case_id = :case AND deleted = 0{where}"


JOURNEYS: dict[str, tuple[StepDef, ...]] = {
    CaseType.CHILD_PROTECTION: (
        StepDef("report", N_("Report"), _latest("cp_report", "received_on")),
        StepDef("strategy", N_("Strategy discussion"), _latest("cp_strategy", "held_on")),
        StepDef("enquiry", N_("Section 47 enquiries"), _latest("cp_enquiry", "determined_on",
                                                             " AND determination IS NOT NULL")),
        StepDef("initial_conference", N_("Initial conference"), _latest(
            "cp_conference", "held_on", " AND kind = 'initial' AND status = 'held'")),
        StepDef("core_groups", N_("Core groups"), _latest("cp_core_group", "held_on"), recurring=True),
        StepDef("reviews", N_("Review conferences"), _latest(
            "cp_conference", "held_on", " AND kind = 'review' AND status = 'held'"), recurring=True),
        StepDef("deregistration", N_("De-registration"),
                "SELECT MAX(deregistered_on) FROM register_entry r WHERE r.case_id = :case AND r.deleted = 0"
                " AND NOT EXISTS (SELECT 1 FROM register_entry a WHERE a.case_id = :case AND a.deleted = 0"
                "  AND a.status IN ('active', 'temporary'))"),
    ),
    CaseType.ADULT_AT_RISK: (
        StepDef("report", N_("Report"), _latest("adult_report", "received_on")),
        StepDef("enquiry", N_("Section 126 enquiries"), _latest("adult_enquiry", "concluded_on")),
        StepDef("strategy", N_("Strategy meeting"), _latest("adult_strategy", "held_on")),
        StepDef("plan", N_("Protection plan"), _latest("adult_plan", "started_on")),
        StepDef("plan_reviews", N_("Plan reviews"), _latest("adult_plan_review", "reviewed_on"), recurring=True),
        StepDef("closure", N_("Closure"), _latest("adult_closure", "closed_on")),
    ),
    CaseType.CHILD_IN_NEED: (
        StepDef("assessment", N_("Assessment"), _latest("cin_assessment", "completed_on")),
        StepDef("cin_plan", N_("Child in Need plan"), _latest("cin_plan", "started_on")),
        StepDef("cin_reviews", N_("Reviews"),
                "SELECT MAX(r.held_on) FROM cin_review r JOIN cin_plan p ON p.id = r.plan_id"
                " WHERE p.case_id = :case AND r.deleted = 0 AND p.deleted = 0", recurring=True),
        StepDef("cin_ended", N_("Plan ended"),
                "SELECT MAX(ended_on) FROM cin_plan WHERE case_id = :case AND deleted = 0 AND NOT EXISTS"
                " (SELECT 1 FROM cin_plan o WHERE o.case_id = :case AND o.deleted = 0 AND o.ended_on IS NULL)"),
    ),
    CaseType.LOOKED_AFTER: (
        StepDef("looked_after", N_("Became looked after"), _latest("lac_episode", "started_on")),
        StepDef("placement", N_("Placement"), _latest("lac_placement", "start_on")),
        StepDef("care_plan", N_("Care and support plan"), _latest("lac_care_plan", "prepared_on")),
        StepDef("lac_reviews", N_("Looked-after reviews"), _latest("lac_review", "held_on"), recurring=True),
        StepDef("permanence", N_("Permanence"), _latest("permanence_plan", "achieved_on")),
    ),
}


def place(defs: tuple[StepDef, ...], done_on: list[date | None]) -> tuple[Step, ...]:
    """Mark each step done, current or to do (see the module docstring)."""
    last = max((i for i, d in enumerate(done_on) if d is not None), default=-1)
    current = last + 1
    if current >= len(defs):
        current = -1  # the journey is complete
    elif last >= 0 and defs[last].recurring and current == len(defs) - 1:
        current = last  # e.g. reviews go on until de-registration
    return tuple(
        Step(d.key, d.title, DONE if i != current and done_on[i] is not None else (CURRENT if i == current else TODO),
             done_on[i])
        for i, d in enumerate(defs))


class JourneyService:
    """Thread contract: any thread; read-only."""

    def __init__(self, session: Any) -> None:
        self.session = session

    def journey(self, case_id: str) -> Journey | None:
        """The case's journey, or ``None`` for a type of case with none (raises ``NotFound``,
        ``PermissionDenied``)."""
        case = read_casework(self.session, case_id, "journey")
        defs = JOURNEYS.get(case["case_type"])
        if defs is None:
            return None
        done_on = []
        with self.session.store.reading() as read:
            for d in defs:
                value = read.execute(d.sql, {"case": case_id}).fetchone()[0]
                done_on.append(date.fromisoformat(str(value)[:10]) if value else None)
        return Journey(case["case_type"], place(defs, done_on))
