"""Children in Need (the CiN team): assessment, Child in Need plan, review meetings, escalation
(Qt-free).

``ChildInNeedService(session)`` — every method checks role (``Can.RECORD_CASEWORK`` to write,
``Can.VIEW_CASEWORK`` to read) and case scope, validates, and writes in ONE transaction. Refusals
raise :class:`~desktop.errors.ValidationError` naming the field; nothing is written then.

Assessment
    ``start_assessment(case_id, person_id, *, started_on=None, worker_id=None)``;
    ``record_contact(assessment_id, *, kind, spoken_on, name=None, person_id=None, practitioner_id=None,
    agency_id=None, method=None, summary=None)`` — who was spoken to (``child``, ``family``,
    ``professional``; append-only); ``complete_assessment(assessment_id, *, findings, conclusion,
    need_category, completed_on=None)`` — refused unless the child and the family were spoken to (seed 003:
    "completed by speaking to the child and their family as well as all the other professionals"), and
    N8/N9 are refused for an unborn child; ``assessment(assessment_id)`` reads it with its contacts.
Plan (care and support plan)
    ``start_plan(case_id, person_id, *, started_on=None, assessment_id=None, review_arrangements=None,
    next_review_on=None)`` (one active plan per child); ``add_outcome(plan_id, *, description, measure=None,
    rag=None)``; ``add_action(plan_id, *, description, owner_kind, owner_id=None, owner_name=None,
    outcome_id=None, due_on=None)`` — refused without an owner; ``update_action(action_id, **changes)``;
    ``end_plan(plan_id, *, ended_on, reason)``; ``plan(plan_id)``.
Review meetings
    ``record_review(plan_id, *, held_on, child_participation, attendees, decision, summary=None,
    next_review_on=None, chair_id=None)`` — the family and at least one professional must be among the
    attendees (invited; ``attended`` says whether they came); ``close`` ends the plan in the same
    transaction.
Escalation
    ``request_icpc(case_id, *, reason, child_ids=None, requested_on=None, assessment_id=None)`` — a request
    to convene an initial child protection conference: an append-only ``cin_icpc_request`` row, and the
    case becomes a ``child_protection`` case (same case, same team: the CiN team manages CP cases),
    with a ``case_team_history`` row recording the change of case type. The child protection journey
    (strategy discussion, s47, conference) continues in :mod:`desktop.services.child_protection`;
    ``icpc_requests(case_id)`` lists requests with the initial conference that followed, if any.
    ``start_proceedings(case_id, person_id, *, kind, stage, started_on, court=None)`` and
    ``proceedings_stage(proceedings_id, *, stage, on_date, note=None, outcome=None)`` track
    pre-proceedings and care proceedings by stage and date (``concluded`` needs an outcome).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from desktop.domain.rules import extension_weeks
from desktop.domain.types import CaseType
from desktop.errors import NotFound, ValidationError
from desktop.i18n import N_
from desktop.services.children._common import (
    ASSESSMENT_CONCLUSIONS,
    CHILD_PARTICIPATION,
    CIN_REVIEW_DECISIONS,
    CONTACT_KINDS,
    NEED_CATEGORIES,
    NOT_FOR_UNBORN,
    PROCEEDINGS_OUTCOMES,
    PROCEEDINGS_STAGES,
    any_date,
    case_subjects,
    choice,
    dumps,
    has_table,
    iso,
    loads,
    past_date,
    require_child,
    required_text,
    text,
)
from desktop.services.oversight import mark_changed
from desktop.services.permissions import Can
from desktop.services.reads import note_read, read_casework
from desktop.services.scope import require_case
from desktop.store import Tx

OWNER_TABLES = {"person": "person", "practitioner": "practitioner", "agency": "agency"}


class ChildInNeedService:
    def __init__(self, session: Any) -> None:
        self.session = session

    # -- helpers ------------------------------------------------------------------------------
    def _row(self, table: str, row_id: str) -> dict[str, Any]:
        """A row of ``table`` whose case is in scope; ``NotFound`` otherwise."""
        rows = self.session.store.rows(f"SELECT * FROM [{table}] WHERE id = ? AND deleted = 0", [row_id])
        if not rows:
            raise NotFound(N_("That record does not exist or is not in your caseload."))
        require_case(self.session, rows[0]["case_id"])
        return rows[0]

    def _write(self) -> None:
        self.session.require(Can.RECORD_CASEWORK)

    # -- assessment ---------------------------------------------------------------------------
    def start_assessment(
        self, case_id: str, person_id: str, *, started_on: str | None = None, worker_id: str | None = None,
        referral_on: str | None = None,
    ) -> dict[str, Any]:
        """An assessment started on ``started_on``; ``referral_on`` is when the referral that led to it
        was received (CIN3's 42 working days run from it, else from the start)."""
        self._write()
        require_child(self.session, case_id, person_id)
        today = self.session.today()
        start = past_date(started_on or today, "started_on", today)
        referral = past_date(referral_on, "referral_on", today) if referral_on else None
        if referral is not None and referral > start:
            raise ValidationError(N_("The referral cannot be after the assessment started."), field="referral_on")
        values = {"person_id": person_id, "started_on": iso(start), "worker_id": worker_id or self.session.user.id,
                  "referral_on": iso(referral) if referral else None}
        return self.session.write(lambda tx: tx.insert("cin_assessment", values, case_id=case_id))

    def record_contact(
        self,
        assessment_id: str,
        *,
        kind: str,
        spoken_on: str,
        name: str | None = None,
        person_id: str | None = None,
        practitioner_id: str | None = None,
        agency_id: str | None = None,
        method: str | None = None,
        summary: str | None = None,
    ) -> dict[str, Any]:
        """Record one person spoken to for the assessment (the child, a family member, a professional)."""
        self._write()
        assessment = self._row("cin_assessment", assessment_id)
        choice(kind, CONTACT_KINDS, "kind", N_("Choose who was spoken to: the child, family or a professional."))
        today = self.session.today()
        on = past_date(spoken_on, "spoken_on", today)
        if on is not None and iso(on) < assessment["started_on"]:
            raise ValidationError(N_("The conversation is dated before the assessment started."), field="spoken_on")
        if kind == "child":
            person_id = person_id or assessment["person_id"]
        who = text(name) or self._name_of(person_id, practitioner_id, agency_id)
        if not who:
            raise ValidationError(N_("Enter who was spoken to."), field="name")
        values = {
            "assessment_id": assessment_id, "kind": kind, "person_id": person_id, "practitioner_id": practitioner_id,
            "agency_id": agency_id, "name": who, "spoken_on": iso(on), "method": text(method) or None,
            "summary": text(summary) or None,
        }
        return self.session.write(lambda tx: tx.insert("cin_assessment_contact", values, case_id=assessment["case_id"]))

    def complete_assessment(
        self,
        assessment_id: str,
        *,
        findings: str,
        conclusion: str,
        need_category: str | None,
        completed_on: str | None = None,
    ) -> dict[str, Any]:
        """Conclude the assessment. Refused without findings, a conclusion, a category of need (unless
        the conclusion is no further action), or before the child and the family have been spoken to."""
        self._write()
        assessment = self._row("cin_assessment", assessment_id)
        if assessment["completed_on"]:
            raise ValidationError(N_("This assessment is already completed."), field="completed_on")
        today = self.session.today()
        done = past_date(completed_on or today, "completed_on", today)
        if done is not None and iso(done) < assessment["started_on"]:
            raise ValidationError(N_("The assessment cannot end before it started."), field="completed_on")
        findings = required_text(findings, "findings", N_("Record the findings of the assessment."))
        choice(conclusion, ASSESSMENT_CONCLUSIONS, "conclusion", N_("Choose the conclusion of the assessment."))
        if need_category is None and conclusion != "no_further_action":
            raise ValidationError(N_("Choose the category of need."), field="need_category")
        if need_category is not None:
            choice(need_category, NEED_CATEGORIES, "need_category", N_("Choose the category of need."))
            child = self.session.store.rows("SELECT unborn FROM person WHERE id = ?", [assessment["person_id"]])
            if child and child[0]["unborn"] and need_category in NOT_FOR_UNBORN:
                raise ValidationError(
                    N_("Category {code} does not apply to an unborn child."), field="need_category", code=need_category
                )
        kinds = {r["kind"] for r in self.session.store.rows(
            "SELECT kind FROM cin_assessment_contact WHERE assessment_id = ? AND deleted = 0", [assessment_id])}
        if "child" not in kinds:
            raise ValidationError(
                N_("Record speaking to (or seeing) the child before completing the assessment."), field="contacts"
            )
        if "family" not in kinds:
            raise ValidationError(
                N_("Record speaking to the family before completing the assessment."), field="contacts"
            )
        changes = {"findings": findings, "conclusion": conclusion, "need_category": need_category,
                   "completed_on": iso(done)}
        return self.session.write(lambda tx: tx.update("cin_assessment", assessment_id, changes))

    def assessment(self, assessment_id: str) -> dict[str, Any]:
        self.session.require(Can.VIEW_CASEWORK)
        row = self._row("cin_assessment", assessment_id)
        note_read(self.session, row["case_id"], "cin_assessment", assessment_id)
        row["contacts"] = self.session.store.rows(
            "SELECT * FROM cin_assessment_contact WHERE assessment_id = ? AND deleted = 0 ORDER BY spoken_on",
            [assessment_id],
        )
        return row

    def assessments(self, case_id: str) -> list[dict[str, Any]]:
        read_casework(self.session, case_id, "cin_assessment")
        return self.session.store.rows(
            "SELECT * FROM cin_assessment WHERE case_id = ? AND deleted = 0 ORDER BY started_on DESC", [case_id]
        )

    # -- plan ---------------------------------------------------------------------------------
    def start_plan(
        self,
        case_id: str,
        person_id: str,
        *,
        started_on: str | None = None,
        assessment_id: str | None = None,
        review_arrangements: str | None = None,
        next_review_on: str | None = None,
    ) -> dict[str, Any]:
        """Start the child's Child in Need plan; refused if the child already has an active one."""
        self._write()
        require_child(self.session, case_id, person_id)
        today = self.session.today()
        start = past_date(started_on or today, "started_on", today)
        review = any_date(next_review_on, "next_review_on")
        if review is not None and start is not None and review < start:
            raise ValidationError(N_("The review cannot be before the plan starts."), field="next_review_on")

        def write(tx: Tx) -> dict[str, Any]:
            if tx.query("SELECT 1 FROM cin_plan WHERE person_id = ? AND status = 'active' AND deleted = 0",
                        [person_id]):
                raise ValidationError(N_("This child already has an active Child in Need plan."), field="person_id")
            return tx.insert(
                "cin_plan",
                {"person_id": person_id, "assessment_id": assessment_id, "started_on": iso(start),
                 "review_arrangements": text(review_arrangements) or None, "next_review_on": iso(review)},
                case_id=case_id,
            )

        return self.session.write(write)

    def add_outcome(self, plan_id: str, *, description: str, measure: str | None = None,
                    rag: str | None = None) -> dict[str, Any]:
        self._write()
        plan = self._active_plan(plan_id)
        description = required_text(description, "description", N_("Describe the outcome for the child."))
        if rag is not None:
            choice(rag, ("red", "amber", "green"), "rag", N_("Choose red, amber or green."))

        def write(tx: Tx) -> dict[str, Any]:
            n = tx.query("SELECT count(*) AS n FROM cin_plan_outcome WHERE plan_id = ?", [plan_id])[0]["n"]
            mark_changed(tx, "cin_plan", plan_id)
            return tx.insert("cin_plan_outcome", {"plan_id": plan_id, "description": description,
                                                  "measure": text(measure) or None, "rag": rag, "position": n},
                             case_id=plan["case_id"])

        return self.session.write(write)

    def add_action(
        self,
        plan_id: str,
        *,
        description: str,
        owner_kind: str | None,
        owner_id: str | None = None,
        owner_name: str | None = None,
        outcome_id: str | None = None,
        due_on: str | None = None,
    ) -> dict[str, Any]:
        """An action of the plan. Every action needs an owner (a family member, a practitioner or an
        agency): refused when neither ``owner_id`` nor ``owner_name`` is given."""
        self._write()
        plan = self._active_plan(plan_id)
        description = required_text(description, "description", N_("Describe the action."))
        if owner_kind not in OWNER_TABLES:
            raise ValidationError(N_("Every action needs an owner: choose who will do it."), field="owner")
        name = text(owner_name)
        if owner_id:
            rows = self.session.store.rows(f"SELECT * FROM [{OWNER_TABLES[owner_kind]}] WHERE id = ? AND deleted = 0",
                                           [owner_id])
            if not rows:
                raise ValidationError(N_("Every action needs an owner: choose who will do it."), field="owner")
            name = name or (rows[0]["name"] if owner_kind == "agency"
                            else f"{rows[0]['given_names'] or ''} {rows[0]['family_name']}".strip())
        if not name:
            raise ValidationError(N_("Every action needs an owner: choose who will do it."), field="owner")
        due = any_date(due_on, "due_on")
        if outcome_id and not self.session.store.rows(
            "SELECT 1 FROM cin_plan_outcome WHERE id = ? AND plan_id = ? AND deleted = 0", [outcome_id, plan_id]
        ):
            raise ValidationError(N_("Choose an outcome of this plan."), field="outcome_id")
        values = {"plan_id": plan_id, "outcome_id": outcome_id, "description": description, "owner_kind": owner_kind,
                  "owner_id": owner_id, "owner_name": name, "due_on": iso(due)}

        def write(tx: Tx) -> dict[str, Any]:
            mark_changed(tx, "cin_plan", plan_id)
            return tx.insert("cin_plan_action", values, case_id=plan["case_id"])

        return self.session.write(write)

    def update_action(self, action_id: str, **changes: Any) -> dict[str, Any]:
        """Change an action's status, due date, description or owner name (an owner stays required)."""
        self._write()
        action = self._row("cin_plan_action", action_id)
        allowed = {"status", "due_on", "description", "owner_name"}
        unknown = set(changes) - allowed
        if unknown:
            raise ValueError(f"unknown action fields {sorted(unknown)}")
        if "status" in changes:
            choice(changes["status"], ("not_started", "in_progress", "done", "not_done"), "status",
                   N_("Choose the action's status."))
        if "owner_name" in changes and not text(changes["owner_name"]):
            raise ValidationError(N_("Every action needs an owner: choose who will do it."), field="owner")
        if "description" in changes:
            changes["description"] = required_text(changes["description"], "description", N_("Describe the action."))
        if "due_on" in changes:
            changes["due_on"] = iso(any_date(changes["due_on"], "due_on"))
        # What the plan says (not how it is going) changed: a sign-off made before no longer covers it.
        reworded = any(k != "status" and action[k] != v for k, v in changes.items())

        def write(tx: Tx) -> dict[str, Any]:
            if reworded:
                mark_changed(tx, "cin_plan", action["plan_id"])
            return tx.update("cin_plan_action", action["id"], changes)

        return self.session.write(write)

    def end_plan(self, plan_id: str, *, ended_on: str | None = None, reason: str) -> dict[str, Any]:
        self._write()
        plan = self._active_plan(plan_id)
        today = self.session.today()
        end = past_date(ended_on or today, "ended_on", today)
        if iso(end) < plan["started_on"]:
            raise ValidationError(N_("The plan cannot end before it started."), field="ended_on")
        reason = required_text(reason, "reason", N_("Record why the plan is ending."))
        return self.session.write(lambda tx: tx.update(
            "cin_plan", plan_id, {"status": "ended", "ended_on": iso(end), "end_reason": reason}))

    def plan(self, plan_id: str) -> dict[str, Any]:
        """The plan with its outcomes, actions and reviews (each review with its attendance)."""
        self.session.require(Can.VIEW_CASEWORK)
        plan = self._row("cin_plan", plan_id)
        note_read(self.session, plan["case_id"], "cin_plan", plan_id)
        store = self.session.store
        plan["outcomes"] = store.rows(
            "SELECT * FROM cin_plan_outcome WHERE plan_id = ? AND deleted = 0 ORDER BY position", [plan_id])
        plan["actions"] = store.rows(
            "SELECT * FROM cin_plan_action WHERE plan_id = ? AND deleted = 0 ORDER BY created_at", [plan_id])
        reviews = store.rows("SELECT * FROM cin_review WHERE plan_id = ? AND deleted = 0 ORDER BY held_on", [plan_id])
        for review in reviews:
            review["attendance"] = store.rows(
                "SELECT * FROM cin_review_attendance WHERE review_id = ? AND deleted = 0", [review["id"]])
        plan["reviews"] = reviews
        return plan

    def plans(self, case_id: str) -> list[dict[str, Any]]:
        read_casework(self.session, case_id, "cin_plan")
        return self.session.store.rows(
            "SELECT * FROM cin_plan WHERE case_id = ? AND deleted = 0 ORDER BY started_on DESC", [case_id])

    def _active_plan(self, plan_id: str) -> dict[str, Any]:
        plan = self._row("cin_plan", plan_id)
        if plan["status"] != "active":
            raise ValidationError(N_("This plan has ended."), field="plan_id")
        return plan

    # -- review meetings ----------------------------------------------------------------------
    def record_review(
        self,
        plan_id: str,
        *,
        held_on: str,
        child_participation: str,
        attendees: list[dict[str, Any]],
        decision: str,
        summary: str | None = None,
        next_review_on: str | None = None,
        chair_id: str | None = None,
    ) -> dict[str, Any]:
        """A Child in Need review meeting (append-only) with its attendance.

        ``attendees``: ``{"kind": "child"|"family"|"professional", "name": …, "person_id"/"practitioner_id"/
        "agency_id": …, "attended": bool}``. The family and at least one professional must be there
        (seed 003). ``child_participation`` records how the child took part ("where appropriate").
        ``decision`` ``close`` ends the plan; ``continue``/``revise`` need the next review date;
        ``escalate`` records the decision only — the request itself is :meth:`request_icpc`.
        """
        self._write()
        plan = self._active_plan(plan_id)
        today = self.session.today()
        held = past_date(held_on, "held_on", today)
        if iso(held) < plan["started_on"]:
            raise ValidationError(N_("The review is dated before the plan started."), field="held_on")
        choice(child_participation, CHILD_PARTICIPATION, "child_participation",
               N_("Record how the child took part in the review."))
        choice(decision, CIN_REVIEW_DECISIONS, "decision", N_("Choose the review's decision."))
        nxt = any_date(next_review_on, "next_review_on")
        if decision in ("continue", "revise") and nxt is None:
            raise ValidationError(N_("Set the date of the next review."), field="next_review_on")
        if nxt is not None and held is not None and nxt <= held:
            raise ValidationError(N_("The next review must be after this one."), field="next_review_on")
        rows = []
        for a in attendees or []:
            kind = choice(a.get("kind"), CONTACT_KINDS, "attendees",
                          N_("Say whether each person at the review is the child, family or a professional."))
            name = text(a.get("name")) or self._name_of(a.get("person_id"), a.get("practitioner_id"), a.get("agency_id"))
            if not name:
                raise ValidationError(N_("Enter the name of each person at the review."), field="attendees")
            rows.append({"kind": kind, "name": name, "person_id": a.get("person_id"),
                         "practitioner_id": a.get("practitioner_id"), "agency_id": a.get("agency_id"),
                         "attended": int(bool(a.get("attended", True)))})
        kinds = {r["kind"] for r in rows}
        if "family" not in kinds:
            raise ValidationError(N_("Add the family members invited to the review."), field="attendees")
        if "professional" not in kinds:
            raise ValidationError(N_("Add the professionals invited to the review."), field="attendees")
        if child_participation == "attended" and "child" not in kinds:
            person = self.session.store.rows("SELECT given_names, family_name FROM person WHERE id = ?",
                                             [plan["person_id"]])[0]
            rows.append({"kind": "child", "name": f"{person['given_names'] or ''} {person['family_name']}".strip(),
                         "person_id": plan["person_id"], "practitioner_id": None, "agency_id": None, "attended": 1})

        def write(tx: Tx) -> dict[str, Any]:
            review = tx.insert(
                "cin_review",
                {"plan_id": plan_id, "held_on": iso(held), "chair_id": chair_id or self.session.user.id,
                 "child_participation": child_participation, "summary": text(summary) or None, "decision": decision,
                 "next_review_on": iso(nxt)},
                case_id=plan["case_id"],
            )
            for r in rows:
                tx.insert("cin_review_attendance", {"review_id": review["id"], **r}, case_id=plan["case_id"])
            if decision == "close":
                tx.update("cin_plan", plan_id, {"status": "ended", "ended_on": iso(held),
                                                "end_reason": text(summary) or "review_closed"})
            else:
                tx.update("cin_plan", plan_id, {"next_review_on": iso(nxt)})
            return review

        return self.session.write(write)

    # -- escalation ---------------------------------------------------------------------------
    def request_icpc(
        self,
        case_id: str,
        *,
        reason: str,
        child_ids: list[str] | None = None,
        requested_on: str | None = None,
        assessment_id: str | None = None,
    ) -> dict[str, Any]:
        """Request an initial child protection conference: the child protection journey starts on
        the same case. Writes the request (append-only) and, unless it is one already, makes the case a
        child protection case (the child protection timescales and the register custodian's scope
        follow that type; a looked-after child's timescales follow the open episode whatever the type) (``case_file.case_type`` through ``Tx.update``, so the audit keeps
        the change) with a ``case_team_history`` row; the team stays (the CiN team manages CP cases).
        The strategy discussion and conference are then recorded with the child protection services.
        """
        self._write()
        case = require_case(self.session, case_id)
        subjects = case_subjects(self.session.store, case_id)
        chosen = list(dict.fromkeys(child_ids or subjects))
        if not chosen or any(c not in subjects for c in chosen):
            raise ValidationError(N_("Choose children who are subjects of this case."), field="child_ids")
        reason = required_text(reason, "reason", N_("Record why a child protection conference is needed."))
        today = self.session.today()
        on = past_date(requested_on or today, "requested_on", today)

        def write(tx: Tx) -> dict[str, Any]:
            request = tx.insert(
                "cin_icpc_request",
                {"child_ids": dumps(chosen), "requested_on": iso(on), "requested_by": self.session.user.id,
                 "reason": reason, "assessment_id": assessment_id},
                case_id=case_id,
            )
            if case["case_type"] != CaseType.CHILD_PROTECTION:
                tx.update("case_file", case_id, {"case_type": CaseType.CHILD_PROTECTION})
                tx.insert(
                    "case_team_history",
                    {"from_team_id": case["team_id"], "to_team_id": case["team_id"],
                     "from_case_type": case["case_type"], "to_case_type": CaseType.CHILD_PROTECTION,
                     "on_date": iso(on), "reason": "icpc_requested"},
                    case_id=case_id,
                )
            return request

        return self.session.write(write)

    def icpc_requests(self, case_id: str) -> list[dict[str, Any]]:
        """Requests on the case, newest first, each with ``child_ids`` decoded and ``conference`` — the
        first initial conference recorded on the case on/after the request (``None`` until the child
        protection service records one)."""
        read_casework(self.session, case_id, "cin_icpc_request")
        store = self.session.store
        rows = store.rows("SELECT * FROM cin_icpc_request WHERE case_id = ? AND deleted = 0 ORDER BY requested_on DESC",
                          [case_id])
        has_conf = has_table(store, "cp_conference")
        for r in rows:
            r["child_ids"] = loads(r["child_ids"])
            r["conference"] = None
            if has_conf:
                conf = store.rows(
                    "SELECT * FROM cp_conference WHERE case_id = ? AND kind = 'initial' AND deleted = 0"
                    " AND created_at >= ? ORDER BY created_at LIMIT 1", [case_id, r["created_at"]])
                r["conference"] = conf[0] if conf else None
        return rows

    # -- proceedings --------------------------------------------------------------------------
    def start_proceedings(
        self, case_id: str, person_id: str, *, kind: str, stage: str, started_on: str, court: str | None = None
    ) -> dict[str, Any]:
        """Pre-proceedings or care proceedings for one child; refused if the same kind is already open."""
        self._write()
        require_child(self.session, case_id, person_id)
        choice(kind, PROCEEDINGS_STAGES, "kind", N_("Choose pre-proceedings or care proceedings."))
        choice(stage, PROCEEDINGS_STAGES[kind], "stage", N_("Choose the stage reached."))
        today = self.session.today()
        start = past_date(started_on, "started_on", today)

        def write(tx: Tx) -> dict[str, Any]:
            if tx.query("SELECT 1 FROM proceedings WHERE person_id = ? AND kind = ? AND ended_on IS NULL"
                        " AND deleted = 0", [person_id, kind]):
                raise ValidationError(N_("These proceedings are already open for this child."), field="kind")
            row = tx.insert("proceedings", {"person_id": person_id, "kind": kind, "stage": stage, "stage_on": iso(start),
                                            "started_on": iso(start), "court": text(court) or None}, case_id=case_id)
            tx.insert("proceedings_stage", {"proceedings_id": row["id"], "stage": stage, "on_date": iso(start)},
                      case_id=case_id)
            return row

        return self.session.write(write)

    def proceedings_stage(
        self, proceedings_id: str, *, stage: str, on_date: str, note: str | None = None, outcome: str | None = None
    ) -> dict[str, Any]:
        """Move proceedings to a stage on a date (history kept); ``concluded`` needs ``outcome`` and
        closes them."""
        self._write()
        proc = self._row("proceedings", proceedings_id)
        if proc["ended_on"]:
            raise ValidationError(N_("These proceedings have concluded."), field="stage")
        choice(stage, PROCEEDINGS_STAGES[proc["kind"]], "stage", N_("Choose the stage reached."))
        today = self.session.today()
        on = past_date(on_date, "on_date", today)
        if iso(on) < proc["stage_on"]:
            raise ValidationError(N_("The stage is dated before the previous stage."), field="on_date")
        changes: dict[str, Any] = {"stage": stage, "stage_on": iso(on)}
        if stage == "concluded":
            choice(outcome, PROCEEDINGS_OUTCOMES, "outcome", N_("Record the outcome of the proceedings."))
            changes.update(ended_on=iso(on), outcome=outcome)

        def write(tx: Tx) -> dict[str, Any]:
            tx.insert("proceedings_stage", {"proceedings_id": proceedings_id, "stage": stage, "on_date": iso(on),
                                            "note": text(note) or None}, case_id=proc["case_id"])
            return tx.update("proceedings", proceedings_id, changes)

        return self.session.write(write)

    def extend_proceedings(self, proceedings_id: str, *, granted_on: str, extended_to: str,
                           reason: str) -> dict[str, Any]:
        """The court extended the time limit of open care proceedings (Children Act 1989 s.32(5)) on
        ``granted_on`` until ``extended_to``, for ``reason``: from then on rule P1x (the extended limit)
        replaces P1. Refused (``ValidationError``, nothing written): proceedings that are not care
        proceedings or have concluded; a grant in the future or before the application was issued; an end
        not after the limit it extends, or beyond what one extension may reach
        (``definitions.care_proceedings_extension`` of ``rules.json``); no reason."""
        from desktop.services.my_work import MyWorkService

        self._write()
        proc = self._row("proceedings", proceedings_id)
        if proc["kind"] != "care_proceedings":
            raise ValidationError(N_("Only the time limit of care proceedings can be extended."), field="proceedings_id")
        if proc["ended_on"]:
            raise ValidationError(N_("These proceedings have concluded."), field="proceedings_id")
        today = self.session.today()
        granted = past_date(granted_on, "granted_on", today)
        if iso(granted) < proc["started_on"]:
            raise ValidationError(N_("The extension cannot be granted before the proceedings started."),
                                  field="granted_on")
        until = any_date(extended_to, "extended_to", required=True)
        why = required_text(reason, "reason", N_("Record why the court extended the time limit."))
        # The limit being extended is the one My work shows (P1, or P1x after an earlier extension).
        limits = [i.due for i in MyWorkService(self.session).all_items(case_id=proc["case_id"])
                  if i.rule_id in ("P1", "P1x") and i.person_id == proc["person_id"]]
        if not limits:
            raise ValidationError(N_("These proceedings have concluded."), field="proceedings_id")
        limit = limits[0]
        if until <= limit:
            raise ValidationError(N_("The extension must end after the time limit it extends ({date})."),
                                  field="extended_to", date=limit)
        weeks = extension_weeks()
        furthest = max(limit, granted) + timedelta(weeks=weeks)
        if until > furthest:
            raise ValidationError(
                N_("One extension may end at most {weeks} weeks after the limit it extends or the day it is"
                   " granted, whichever is later: {date} at the latest."),
                field="extended_to", weeks=weeks, date=furthest)
        values = {"proceedings_id": proceedings_id, "granted_on": iso(granted), "extended_to": iso(until),
                  "reason": why}
        return self.session.write(lambda tx: tx.insert("proceedings_extension", values, case_id=proc["case_id"]))

    def proceedings(self, case_id: str) -> list[dict[str, Any]]:
        """The case's proceedings, each with its ``stages`` and the court's ``extensions`` (oldest first)."""
        read_casework(self.session, case_id, "proceedings")
        store = self.session.store
        rows = store.rows("SELECT * FROM proceedings WHERE case_id = ? AND deleted = 0 ORDER BY started_on", [case_id])
        for r in rows:
            r["stages"] = store.rows(
                "SELECT * FROM proceedings_stage WHERE proceedings_id = ? ORDER BY on_date, created_at", [r["id"]])
            r["extensions"] = store.rows(
                "SELECT * FROM proceedings_extension WHERE proceedings_id = ? AND deleted = 0"
                " ORDER BY extended_to, created_at", [r["id"]])
        return rows

    # -- names --------------------------------------------------------------------------------
    def _name_of(self, person_id: str | None, practitioner_id: str | None, agency_id: str | None) -> str:
        store = self.session.store
        for table, row_id in (("person", person_id), ("practitioner", practitioner_id)):
            if row_id:
                rows = store.rows(f"SELECT given_names, family_name FROM {table} WHERE id = ?", [row_id])
                if rows:
                    return f"{rows[0]['given_names'] or ''} {rows[0]['family_name']}".strip()
        if agency_id:
            rows = store.rows("SELECT name FROM agency WHERE id = ?", [agency_id])
            if rows:
                return rows[0]["name"]
        return ""
