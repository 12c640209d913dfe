"""The care and support protection plan (adult) and its reviews (A5: at no more than 6-week intervals).

``PlanService(session)``:

``start(case_id, *, started_on, summary=None, contingency=None, monitoring=None, strategy_id=None, summary_cy=None)``
    One active plan per case (a second is refused). Starts A4 and A5.
``add_outcome(plan_id, *, description, measure, rag=None, description_cy=None)``
``add_action(plan_id, *, description, owner_kind, owner_id=None, owner_name=None, due_on=None, outcome_id=None,
description_cy=None)``
    An action needs an owner (``owner_kind`` person / practitioner / agency and their id or name):
    refused without one, as for children.
``update_action(action_id, **changes)``
    ``status``, ``due_on``, ``description`` (its Welsh dropped unless ``description_cy`` comes with it),
    ``description_cy``, owner fields; field by field.
``send_letter(plan_id, *, summary, summary_cy=None)``
    The plan explained to the adult (N19, in the adult's language): why it is needed (``summary``, kept
    as the plan's summary), its outcomes, what the adult will do, the support from others, the lead
    practitioner, the next review and the right to complain. The outcomes and actions are read from the
    plan when the letter is printed; a Welsh or bilingual letter waits until every text it quotes has its
    Welsh (``*_cy``, written on the plan's forms or with **Add the Welsh…** in the print queue).
``review(plan_id, *, reviewed_on, outcome, progress, chair_id=None)``
    Appends an ``adult_plan_review`` (``continue`` / ``revise`` / ``close``); satisfies A5.
``current(case_id)``
    The active plan with ``outcomes``, ``actions`` and ``reviews`` (or ``None``).

The ``*_cy`` texts are the Welsh a Welsh or bilingual letter quotes (laptop m0030).
"""

from __future__ import annotations

from typing import Any

from desktop.errors import NotFound, ValidationError
from desktop.i18n import N_
from desktop.services.adults._common import (
    LEAD_PRACTITIONER,
    adult_case,
    adult_facts_for_letter,
    adult_id,
    contact_of,
    current_holder,
    practitioner_name,
    practitioner_row,
    required_date,
    required_text,
    text,
)
from desktop.services.correspondence import queue_letter
from desktop.services.my_work import MyWorkService
from desktop.services.oversight import mark_changed
from desktop.services.welsh_text import source as welsh_source
from desktop.store import Tx

OWNER_KINDS = ("person", "practitioner", "agency")
ACTION_STATUSES = ("not_started", "in_progress", "done", "not_done")
REVIEW_OUTCOMES = ("continue", "revise", "close")


class PlanService:
    def __init__(self, session: Any) -> None:
        self.session = session

    def start(self, case_id: str, *, started_on: str, summary: str | None = None, contingency: str | None = None,
              monitoring: str | None = None, strategy_id: str | None = None,
              summary_cy: str | None = None) -> dict[str, Any]:
        adult_case(self.session, case_id)
        on = required_date(started_on, "started_on", self.session.today())

        def write(tx: Tx) -> dict[str, Any]:
            if tx.query("SELECT 1 FROM adult_plan WHERE case_id = ? AND deleted = 0 AND status = 'active'", [case_id]):
                raise ValidationError(N_("This adult already has an active care and support protection plan."),
                                      field="started_on")
            return tx.insert(
                "adult_plan",
                {"person_id": adult_id(tx, case_id), "started_on": on.isoformat(), "strategy_id": strategy_id,
                 "summary": text(summary) or None, "summary_cy": (text(summary_cy) or None) if text(summary) else None,
                 "contingency": text(contingency) or None,
                 "monitoring": text(monitoring) or None},
                case_id=case_id,
            )

        return self.session.write(write)

    def add_outcome(self, plan_id: str, *, description: str, measure: str, rag: str | None = None,
                    description_cy: str | None = None) -> dict[str, Any]:
        plan = self._plan(plan_id)
        what = required_text(description, "description", N_("Describe the outcome."))
        how = required_text(measure, "measure", N_("Record how progress towards the outcome will be measured."))
        if rag not in (None, "red", "amber", "green"):
            raise ValidationError(N_("Choose red, amber or green."), field="rag")

        def write(tx: Tx) -> dict[str, Any]:
            n = tx.query("SELECT count(*) AS n FROM adult_plan_outcome WHERE plan_id = ?", [plan_id])[0]["n"]
            mark_changed(tx, "adult_plan", plan_id)
            return tx.insert("adult_plan_outcome", {"plan_id": plan_id, "description": what,
                                                    "description_cy": text(description_cy) or None, "measure": how,
                                                    "rag": rag, "position": n}, case_id=plan["case_id"])

        return self.session.write(write)

    def add_action(self, plan_id: str, *, description: str, owner_kind: str | None, owner_id: str | None = None,
                   owner_name: str | None = None, due_on: str | None = None,
                   outcome_id: str | None = None, description_cy: str | None = None) -> dict[str, Any]:
        plan = self._plan(plan_id)
        what = required_text(description, "description", N_("Describe the action."))
        name = self._owner(owner_kind, owner_id, owner_name)
        due = required_date(due_on, "due_on", self.session.today(), future_ok=True) if due_on else None
        if outcome_id and not self.session.store.rows(
            "SELECT 1 FROM adult_plan_outcome WHERE id = ? AND plan_id = ? AND deleted = 0", [outcome_id, plan_id]
        ):
            raise ValidationError(N_("Choose an outcome of this plan."), field="outcome_id")
        values = {"plan_id": plan_id, "outcome_id": outcome_id, "description": what,
                  "description_cy": text(description_cy) or None, "owner_kind": owner_kind,
                  "owner_id": owner_id, "owner_name": name, "due_on": due.isoformat() if due else None}

        def write(tx: Tx) -> dict[str, Any]:
            mark_changed(tx, "adult_plan", plan_id)
            return tx.insert("adult_plan_action", values, case_id=plan["case_id"])

        return self.session.write(write)

    def update_action(self, action_id: str, **changes: Any) -> dict[str, Any]:
        rows = self.session.store.rows("SELECT * FROM adult_plan_action WHERE id = ? AND deleted = 0", [action_id])
        if not rows:
            raise NotFound(N_("That action does not exist or is not in your caseload."))
        action = rows[0]
        self._plan(action["plan_id"])
        allowed = {"status", "due_on", "description", "description_cy", "owner_kind", "owner_id", "owner_name"}
        if set(changes) - allowed:
            raise ValueError(f"unknown action fields {sorted(set(changes) - allowed)}")
        merged = {**action, **changes}
        if "status" in changes and changes["status"] not in ACTION_STATUSES:
            raise ValidationError(N_("Choose the action's status."), field="status")
        clean = dict(changes)
        if {"owner_kind", "owner_id", "owner_name"} & set(changes):
            clean["owner_name"] = self._owner(merged["owner_kind"], merged["owner_id"], merged["owner_name"])
        if "description" in changes:
            clean["description"] = required_text(changes["description"], "description", N_("Describe the action."))
            if clean["description"] != action["description"] and "description_cy" not in changes:
                clean["description_cy"] = None  # the Welsh of the old English: a letter waits for the new one
        if "description_cy" in changes:
            clean["description_cy"] = text(changes["description_cy"]) or None
        if changes.get("due_on"):
            clean["due_on"] = required_date(changes["due_on"], "due_on", self.session.today(), future_ok=True).isoformat()
        # What the plan says changed (not its progress, nor only the Welsh of the same English): a sign-off
        # made before no longer covers it.
        reworded = any(k not in ("status", "description_cy") and action[k] != v for k, v in clean.items())

        def write(tx: Tx) -> dict[str, Any]:
            if reworded:
                mark_changed(tx, "adult_plan", action["plan_id"])
            return tx.update("adult_plan_action", action_id, clean)

        return self.session.write(write)

    def review(self, plan_id: str, *, reviewed_on: str, outcome: str, progress: str,
               chair_id: str | None = None) -> dict[str, Any]:
        plan = self._plan(plan_id)
        on = required_date(reviewed_on, "reviewed_on", self.session.today())
        if on.isoformat() < plan["started_on"]:
            raise ValidationError(N_("The review cannot be before the plan started."), field="reviewed_on")
        if outcome not in REVIEW_OUTCOMES:
            raise ValidationError(N_("Choose the outcome of the review."), field="outcome")
        notes = required_text(progress, "progress", N_("Record the progress made against the plan."))
        values = {"plan_id": plan_id, "reviewed_on": on.isoformat(), "chair_id": chair_id or self.session.user.id,
                  "outcome": outcome, "progress": notes}
        return self.session.write(lambda tx: tx.insert("adult_plan_review", values, case_id=plan["case_id"]))

    def send_letter(self, plan_id: str, *, summary: str, summary_cy: str | None = None) -> dict[str, Any]:
        """Queue the plan letter (N19) to the adult at risk, in their language, and keep ``summary`` (and its
        Welsh) as the plan's summary: the letter's "why a plan is needed". Refused (``ValidationError``,
        nothing written) without a summary or a lead practitioner. The next review is the A5 review the
        rules make due (read before the write). Returns the queued letter."""
        plan = self._plan(plan_id)
        why = required_text(summary, "summary", N_("Say why the plan is needed: the letter explains it to the adult."))
        welsh = text(summary_cy) or None
        case_id = plan["case_id"]
        reviews = [i.due for i in MyWorkService(self.session).all_items(case_id=case_id) if i.rule_id == "A5"]

        def write(tx: Tx) -> dict[str, Any]:
            lead = practitioner_row(tx, current_holder(tx, case_id, LEAD_PRACTITIONER))
            if lead is None:
                raise ValidationError(N_("Name the adult's lead practitioner first: the letter tells them who it is."))
            changes: dict[str, Any] = {}
            if why != plan["summary"]:
                changes = {"summary": why, "summary_cy": welsh}  # a changed English drops the old Welsh
            elif welsh and welsh != plan["summary_cy"]:
                changes = {"summary_cy": welsh}
            if changes:
                tx.update("adult_plan", plan_id, changes)
            if "summary" in changes:
                mark_changed(tx, "adult_plan", plan_id)
            person = adult_id(tx, case_id)
            data: dict[str, Any] = {
                **adult_facts_for_letter(tx, person),
                "plan_date": plan["started_on"],
                "rationale": why,
                "lead_practitioner": practitioner_name(lead),
                "lead_practitioner_phone": contact_of(lead),
                "review_date": min(reviews).isoformat() if reviews else "",
                "audience": "adult",
                "welsh_sources": {"rationale": [welsh_source("adult_plan", plan_id, "summary")]},
            }
            return queue_letter(tx, case_id=case_id, template_id="N19", recipient_kind="person", recipient_id=person,
                                data=data, source_event=f"adult_plan:{plan_id}")

        return self.session.write(write)

    def current(self, case_id: str) -> dict[str, Any] | None:
        adult_case(self.session, case_id, write=False, read="adult_plan")
        store = self.session.store
        rows = store.rows("SELECT * FROM adult_plan WHERE case_id = ? AND deleted = 0 AND status = 'active'", [case_id])
        if not rows:
            return None
        plan = rows[0]
        plan["outcomes"] = store.rows(
            "SELECT * FROM adult_plan_outcome WHERE plan_id = ? AND deleted = 0 ORDER BY position", [plan["id"]])
        plan["actions"] = store.rows(
            "SELECT * FROM adult_plan_action WHERE plan_id = ? AND deleted = 0 ORDER BY created_at", [plan["id"]])
        plan["reviews"] = store.rows(
            "SELECT * FROM adult_plan_review WHERE plan_id = ? AND deleted = 0 ORDER BY reviewed_on DESC", [plan["id"]])
        return plan

    # -- helpers ------------------------------------------------------------------------------
    def _plan(self, plan_id: str) -> dict[str, Any]:
        rows = self.session.store.rows("SELECT * FROM adult_plan WHERE id = ? AND deleted = 0", [plan_id])
        if not rows:
            raise NotFound(N_("That plan does not exist or is not in your caseload."))
        adult_case(self.session, rows[0]["case_id"])
        if rows[0]["status"] != "active":
            raise ValidationError(N_("This plan has ended; it cannot be changed."), field="plan_id")
        return rows[0]

    def _owner(self, kind: str | None, owner_id: str | None, name: str | None) -> str:
        """The owner's display name; refuses an action without an owner."""
        if not kind:
            raise ValidationError(N_("Every action needs an owner: choose who will do it."), field="owner")
        if kind not in OWNER_KINDS:
            raise ValidationError(N_("Choose whether the owner is a person, a practitioner or an agency."),
                                  field="owner_kind")
        store = self.session.store
        if owner_id:
            table = {"person": "person", "practitioner": "practitioner", "agency": "agency"}[kind]
            rows = store.rows(f"SELECT * FROM {table} WHERE id = ? AND deleted = 0", [owner_id])
            if not rows:
                raise ValidationError(N_("Every action needs an owner: choose who will do it."), field="owner")
            r = rows[0]
            found = r["name"] if kind == "agency" else " ".join(
                x for x in (r.get("given_names"), r.get("family_name")) if x)
            return text(name) or found
        if not text(name):
            raise ValidationError(N_("Every action needs an owner: choose who will do it."), field="owner")
        return text(name)
