"""Supervision of a worker's case by a manager (Qt-free; one transaction per write).

A team or senior manager (``Can.SUPERVISE``) records supervision of a case: when, whose work (the
allocated worker by default), what was discussed and what was decided, and the **actions** agreed, each
with an owner and a due date. Each action waits in its owner's My work ("For your action", with its
urgency from the due date) until the owner — or a manager — says it is done and how
(:meth:`SupervisionService.complete_action`, or acknowledging the task). A supervision record is
append-only: a correction is :meth:`SupervisionService.amend` (a new record pointing at the old, with the
reason); its actions stay with it.

**How often** is the rule ``S1`` of ``rules.json`` (monthly for child protection cases by default; a board
overrides it, or adds rows for other kinds of case): this module is the ``supervision`` provider of "My
work", one subject per open case, timed from when the case became that kind of case and restarted by
each supervision, whose item is for the team manager of the case's team — so overdue supervision is in
that manager's My work. The case shows when it was last supervised (:meth:`SupervisionService.last`).

``SupervisionService(session)``:

* ``record(case_id, *, held_on, discussion, decisions=None, worker_id=None, actions=())`` — ``actions``:
  ``[{"description", "owner_id", "due_on"}]``. Refused with the field named: no date, a date in the
  future, nothing discussed, an action without its words, an owner who has no My work (only staff who
  sign in to Diogel and see casework), a due date missing or before the supervision.
* ``amend(supervision_id, *, reason, held_on, discussion, decisions=None)``.
* ``for_case(case_id)`` — the case's supervision records (latest versions), newest first, with their
  actions; ``last(case_id)`` — the latest, or ``None``.
* ``complete_action(action_id, outcome)`` — the owner, or a manager with the case in scope.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import partial
from typing import Any

from desktop.domain.engine import SubjectFacts
from desktop.domain.types import Role
from desktop.domain.validation import parse_date
from desktop.errors import NotFound, PermissionDenied, ValidationError
from desktop.i18n import N_, _
from desktop.services.permissions import Can
from desktop.services.reads import read_casework
from desktop.services.scope import case_condition, require_case
from desktop.services.tasks import Task, due_status, register_task_source
from desktop.store import Tx

ACTION_OWNER_ROLES = (Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.SENIOR_MANAGER)
"""Who can own an action: the staff whose My work shows casework."""
STAFF = "TRIM(COALESCE({a}.given_names, '') || ' ' || COALESCE({a}.family_name, ''))"
PERSON = "TRIM(COALESCE(x.preferred_name, x.given_names, '') || ' ' || COALESCE(x.family_name, ''))"
ACTIONS = {"S1": "record_supervision"}
MANAGER_ROLES = ", ".join(f"'{r}'" for r in (Role.TEAM_MANAGER, Role.SENIOR_MANAGER))
"""Supervision due is the managers' work: it is worked out in their views only (a worker's case page
and My work do not list a duty that is not theirs; the case's Supervision tab says when it was last done)."""


@dataclass(frozen=True, slots=True)
class SupervisionAction:
    id: str
    description: str
    owner_id: str
    owner_name: str
    due_on: date
    done_on: date | None = None
    done_by_name: str = ""
    outcome: str | None = None


@dataclass(frozen=True, slots=True)
class Supervision:
    id: str
    case_id: str
    held_on: date
    worker_id: str | None
    worker_name: str
    supervisor_id: str
    supervisor_name: str
    discussion: str
    decisions: str | None
    actions: list[SupervisionAction] = field(default_factory=list)
    amends_id: str | None = None
    amendment_reason: str | None = None


def _text(value: Any) -> str:
    return str(value or "").strip()


class SupervisionService:
    """Thread contract: any thread; writes go through the store's writer."""

    def __init__(self, session: Any) -> None:
        self.session = session

    # -- writing --------------------------------------------------------------------------------
    def record(self, case_id: str, *, held_on: Any, discussion: Any, decisions: Any = None,
               worker_id: str | None = None, actions: Any = ()) -> dict[str, Any]:
        """A supervision of the case with its actions (one transaction). Returns the row with ``actions``."""
        self.session.require(Can.SUPERVISE)
        case = require_case(self.session, case_id)
        row = self._validate(case, held_on, discussion, decisions, worker_id)
        clean = self._actions(actions, date.fromisoformat(row["held_on"]))

        def write(tx: Tx) -> dict[str, Any]:
            saved = tx.insert("supervision", row, case_id=case_id)
            made = [tx.insert("supervision_action", {"supervision_id": saved["id"], **a}, case_id=case_id)
                    for a in clean]
            return {**saved, "actions": made}

        return self.session.write(write)

    def amend(self, supervision_id: str, *, reason: Any, held_on: Any, discussion: Any,
              decisions: Any = None) -> dict[str, Any]:
        """Correct a supervision record (its actions stay with it)."""
        self.session.require(Can.SUPERVISE)
        rows = self.session.store.rows("SELECT * FROM supervision WHERE id = ? AND deleted = 0", [supervision_id])
        if not rows:
            raise NotFound(N_("That supervision record does not exist."))
        case = require_case(self.session, rows[0]["case_id"])
        if self.session.store.rows("SELECT 1 FROM supervision WHERE amends_id = ? AND deleted = 0", [supervision_id]):
            raise ValidationError(N_("This record has already been corrected; correct the latest version."),
                                  field="supervision")
        if not _text(reason):
            raise ValidationError(N_("Say why the record is being corrected."), field="reason")
        row = self._validate(case, held_on, discussion, decisions, rows[0]["worker_id"])
        row.update(amends_id=supervision_id, amendment_reason=_text(reason))
        return self.session.write(lambda tx: tx.insert("supervision", row, case_id=case["id"]))

    def _validate(self, case: dict[str, Any], held_on: Any, discussion: Any, decisions: Any,
                  worker_id: str | None) -> dict[str, Any]:
        day = parse_date(held_on, "held_on")
        if day is None:
            raise ValidationError(N_("Enter the date."), field="held_on")
        if day > self.session.today():
            raise ValidationError(N_("The date cannot be in the future."), field="held_on")
        if not _text(discussion):
            raise ValidationError(N_("Say what was discussed."), field="discussion")
        worker = worker_id or case["allocated_worker_id"]
        if worker and not self.session.store.rows("SELECT 1 FROM practitioner WHERE id = ? AND deleted = 0", [worker]):
            raise ValidationError(N_("Choose whose work was supervised."), field="worker_id")
        return {"held_on": day.isoformat(), "discussion": _text(discussion), "decisions": _text(decisions) or None,
                "worker_id": worker, "supervisor_id": self.session.user.id}

    def _actions(self, actions: Any, held: date) -> list[dict[str, Any]]:
        owners = {r["id"] for r in self.session.store.rows(
            "SELECT id FROM practitioner WHERE deleted = 0 AND active = 1 AND app_role IN ("
            + ", ".join("?" for _r in ACTION_OWNER_ROLES) + ")", list(ACTION_OWNER_ROLES))}
        out = []
        for a in actions or ():
            words = _text(a.get("description"))
            if not words:
                raise ValidationError(N_("Say what each action is."), field="actions")
            if a.get("owner_id") not in owners:
                raise ValidationError(N_("Choose who owns each action: someone who sees the case in Diogel."),
                                      field="actions")
            due = parse_date(a.get("due_on"), "actions")
            if due is None:
                raise ValidationError(N_("Give each action a due date."), field="actions")
            if due < held:
                raise ValidationError(N_("An action cannot be due before the supervision."), field="actions")
            out.append({"description": words, "owner_id": a["owner_id"], "due_on": due.isoformat()})
        return out

    def complete_action(self, action_id: str, outcome: Any) -> dict[str, Any]:
        """Close an action saying what was done: its owner, or a manager with the case in scope."""
        rows = self.session.store.rows("SELECT * FROM supervision_action WHERE id = ? AND deleted = 0", [action_id])
        if not rows:
            raise NotFound(N_("That action does not exist."))
        action = rows[0]
        require_case(self.session, action["case_id"])
        if action["owner_id"] != self.session.user.id and not self.session.can(Can.SUPERVISE):
            raise PermissionDenied(N_("Only the owner of the action or a manager can close it."))
        if action["done_on"]:
            raise ValidationError(N_("This action is already done."), field="outcome")
        if not _text(outcome):
            raise ValidationError(N_("Say what was done about it."), field="outcome")
        changes = {"done_on": self.session.today().isoformat(), "done_by": self.session.user.id,
                   "outcome": _text(outcome)}
        return self.session.write(lambda tx: tx.update("supervision_action", action_id, changes))

    # -- reading --------------------------------------------------------------------------------
    def for_case(self, case_id: str) -> list[Supervision]:
        """The case's supervision (latest versions), newest first, with their actions (audited)."""
        read_casework(self.session, case_id, "supervision")
        return _records(self.session.store, case_id)

    def last(self, case_id: str) -> Supervision | None:
        """The latest supervision of the case, or ``None`` (audited)."""
        found = self.for_case(case_id)
        return found[0] if found else None


def _records(store: Any, case_id: str) -> list[Supervision]:
    rows = store.rows(
        f"SELECT s.*, {STAFF.format(a='w')} AS worker_name, {STAFF.format(a='m')} AS supervisor_name"
        " FROM supervision s LEFT JOIN practitioner w ON w.id = s.worker_id"
        " LEFT JOIN practitioner m ON m.id = s.supervisor_id WHERE s.case_id = ? AND s.deleted = 0"
        " AND NOT EXISTS (SELECT 1 FROM supervision z WHERE z.amends_id = s.id AND z.deleted = 0)"
        " ORDER BY s.held_on DESC, s.created_at DESC", [case_id])
    actions: dict[str, list[SupervisionAction]] = {}
    for a in store.rows(
            f"SELECT a.*, {STAFF.format(a='o')} AS owner_name, {STAFF.format(a='d')} AS done_by_name"
            " FROM supervision_action a LEFT JOIN practitioner o ON o.id = a.owner_id"
            " LEFT JOIN practitioner d ON d.id = a.done_by WHERE a.case_id = ? AND a.deleted = 0"
            " ORDER BY a.due_on, a.created_at", [case_id]):
        actions.setdefault(a["supervision_id"], []).append(SupervisionAction(
            a["id"], a["description"], a["owner_id"], a["owner_name"] or "", date.fromisoformat(a["due_on"]),
            date.fromisoformat(a["done_on"]) if a["done_on"] else None, a["done_by_name"] or "", a["outcome"]))
    out = []
    for r in rows:
        # An amended record keeps the actions agreed at the original.
        origin, seen = r, {r["id"]}
        chain = [r["id"]]
        while origin["amends_id"] and origin["amends_id"] not in seen:
            found = store.rows("SELECT * FROM supervision WHERE id = ?", [origin["amends_id"]])
            if not found:
                break
            origin = found[0]
            seen.add(origin["id"])
            chain.append(origin["id"])
        mine = [a for sid in chain for a in actions.get(sid, [])]
        out.append(Supervision(r["id"], r["case_id"], date.fromisoformat(r["held_on"]), r["worker_id"],
                               r["worker_name"] or "", r["supervisor_id"], r["supervisor_name"] or "",
                               r["discussion"], r["decisions"], sorted(mine, key=lambda a: a.due_on),
                               r["amends_id"], r["amendment_reason"]))
    return out


def last_supervised(session: Any, case_id: str) -> tuple[date, str] | None:
    """When the case was last supervised and by whom, for its header (casework roles; not the record's
    content, so not an audited read of it); ``None`` when never."""
    if not session.can(Can.VIEW_CASEWORK):
        return None
    require_case(session, case_id)
    rows = session.store.rows(
        f"SELECT s.held_on, {STAFF.format(a='m')} AS name FROM supervision s LEFT JOIN practitioner m"
        " ON m.id = s.supervisor_id WHERE s.case_id = ? AND s.deleted = 0"
        " AND NOT EXISTS (SELECT 1 FROM supervision z WHERE z.amends_id = s.id AND z.deleted = 0)"
        " ORDER BY s.held_on DESC, s.created_at DESC LIMIT 1", [case_id])
    return (date.fromisoformat(rows[0]["held_on"]), rows[0]["name"] or "") if rows else None


# -- the S1 provider of "My work" -------------------------------------------------------------------
_SUBJECTS = f"""SELECT c.id, c.reference, c.case_type,
       MAX(c.opened_on, COALESCE((SELECT MAX(h.on_date) FROM case_team_history h WHERE h.case_id = c.id
                                  AND h.deleted = 0 AND h.to_case_type = c.case_type), '')) AS since,
       (SELECT MAX(s.held_on) FROM supervision s WHERE s.case_id = c.id AND s.deleted = 0) AS supervised,
       (SELECT p.id FROM practitioner p WHERE p.team_id = c.team_id AND p.app_role = 'team_manager'
          AND p.active = 1 AND p.deleted = 0 ORDER BY p.family_name, p.given_names LIMIT 1) AS manager_id,
       (SELECT GROUP_CONCAT(name, ', ') FROM (SELECT {PERSON}
          AS name FROM case_member m JOIN person x ON x.id = m.person_id WHERE m.case_id = c.id
          AND m.deleted = 0 AND m.role = 'subject' ORDER BY m.created_at)) AS names
    FROM case_file c WHERE c.deleted = 0 AND c.closed_on IS NULL AND ({{scope}})
      AND EXISTS (SELECT 1 FROM practitioner me WHERE me.id = :scope_me AND me.app_role IN ({MANAGER_ROLES}))"""


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value[:10]) if value else None


def subjects(store: Any, condition: str, params: dict[str, Any], on: date) -> list[Any]:
    """One subject per open case in scope of a manager (none for anyone else: see :data:`MANAGER_ROLES`):
    the clock from when it became that kind of case, restarted by each supervision; the item is for the
    team manager of the case's team."""
    from desktop.services.my_work import Subject

    out = []
    for r in store.rows(_SUBJECTS.format(scope=condition), params):
        facts = SubjectFacts(case_id=r["id"], person_id=r["id"],
                             statuses=frozenset({"supervision", f"case_{r['case_type']}"}),
                             events={"supervision_from": _day(r["since"]), "supervised": _day(r["supervised"])})
        out.append(Subject(facts=facts, worker_id=r["manager_id"], person_name=r["names"] or "",
                           case_reference=r["reference"]))
    return out


# -- supervision actions in "My work" ----------------------------------------------------------------
def action_tasks(session: Any, today: date) -> list[Task]:
    """Open actions of the cases in scope: the owner's (``for_me``); a manager sees them all."""
    if not session.can(Can.VIEW_CASEWORK):
        return []
    condition, params = case_condition(session.user, session.today())
    see_all = session.can(Can.VIEW_TEAM_WORK)
    rows = session.store.rows(
        f"SELECT a.*, c.reference, s.held_on, {STAFF.format(a='o')} AS owner_name FROM supervision_action a"
        " JOIN supervision s ON s.id = a.supervision_id JOIN case_file c ON c.id = a.case_id"
        " LEFT JOIN practitioner o ON o.id = a.owner_id"
        f" WHERE a.deleted = 0 AND a.done_on IS NULL AND c.deleted = 0 AND ({condition})"
        + ("" if see_all else " AND a.owner_id = :scope_me"), params)
    out = []
    for r in rows:
        due = date.fromisoformat(r["due_on"])
        status, late = due_status(due, today)
        raised = date.fromisoformat(r["held_on"])
        words = r["description"]
        out.append(Task(
            id=f"supervision:{r['id']}", case_id=r["case_id"], case_reference=r["reference"],
            kind="supervision_action", person_name="", raised_on=raised, days_open=max(0, (today - raised).days),
            for_me=r["owner_id"] == session.user.id, to_name=r["owner_name"] or "", due=due, status=status,
            days_overdue=late, words=partial(_action_text, words)))
    return out


def _action_text(action: str) -> str:
    return _("Supervision action: {action}").format(action=action)


def _close_action(session: Any, task_id: str, outcome: str) -> dict[str, Any]:
    return SupervisionService(session).complete_action(task_id.partition(":")[2], outcome)


def register() -> None:
    """Plug supervision into "My work": the S1 provider and the actions as tasks (at import)."""
    from desktop.services.my_work import register_provider

    register_provider("supervision", subjects, actions=ACTIONS, day_free=True)
    register_task_source("supervision", action_tasks, acknowledge=_close_action)


register()
