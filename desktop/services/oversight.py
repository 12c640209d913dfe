"""Management oversight: a manager's sign-off of assessments, plans, closures and de-registrations
(Qt-free; one transaction per write).

**Which records** need sign-off is configuration (:func:`required_kinds`): the defaults and why are in
``desktop/domain/oversight.json``; an authority changes them with an ``oversight.json`` in the profile
folder. Nothing has to remember to ask: a record of a required kind *is* waiting until a manager decides —
derived from the records themselves (:data:`KINDS`: the latest revision of a plan, a completed
assessment, a closure, a de-registration), so a record made on another laptop, or by a module that knows
nothing of sign-off, waits all the same.

A waiting record is a task in the My work of the team manager of its case's team — a senior manager's
when the team has none or when that manager made the record (nobody signs off their own) — with its
urgency from rule SO1 of ``rules.json``. The manager **signs it off** or **returns it with comments**
(``signoff`` rows, append-only: the latest decision is the record's state). A returned record is a task
for the worker who made it (the allocated worker when they no longer work here), with the comments, until
they **send it back** saying what they changed (SO2); it then waits for the manager again. A new revision
of a plan replaces the old one in the queue. A plan changed where it stands (a Child in Need plan, an adult's
plan: :func:`mark_changed`, called in the change's own transaction) after it was signed off waits for sign-off
again (``SignOffItem.changed_on``): the decision covers the plan as the manager saw it (laptop m0035).

``SignOffService(session)``:

* ``for_case(case_id) -> list[SignOffItem]`` — every record of the case that needs sign-off, with its
  state, the latest comments and every decision (audited read).
* ``waiting() -> list[SignOffItem]`` — records in scope waiting or returned (what the tasks are made of).
* ``sign_off(ref, comments=None)``, ``send_back(ref, comments)`` — managers (``Can.SUPERVISE``), not the
  person who made the record, a record that is waiting.
* ``resubmit(ref, comments)`` — a caseworker, a record that was returned; comments say what changed.

``ref`` is ``"<kind>:<record id>"`` (:attr:`SignOffItem.ref`).
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from desktop.domain.engine import SubjectFacts, default_engine
from desktop.domain.types import Role
from desktop.errors import DiogelError, NotFound, PermissionDenied, ValidationError
from desktop.i18n import N_, _, format_date
from desktop.services.permissions import Can
from desktop.services.reads import read_casework
from desktop.services.scope import case_condition, require_case
from desktop.services.tasks import Task, register_task_source
from desktop.store import Tx

CONFIG_FILE = Path(__file__).resolve().parents[1] / "domain" / "oversight.json"
STAFF = "TRIM(COALESCE({a}.given_names, '') || ' ' || COALESCE({a}.family_name, ''))"
PERSON = "TRIM(COALESCE({a}.preferred_name, {a}.given_names, '') || ' ' || COALESCE({a}.family_name, ''))"


@dataclass(frozen=True, slots=True)
class RecordKind:
    label: str
    """English msgid ("Child in Need plan")."""
    sql: str
    """Rows ``id, case_id, person_id, made_on, made_by, changed_at, token`` of the current records of the kind, in
    the cases that satisfy ``{scope}`` (a condition on ``case_file AS c``); ``changed_at, token``: the record's
    last change in place (:func:`mark_changed`), NULL for a kind never changed in place."""


_FIXED = ", NULL AS changed_at, NULL AS token"  # a kind whose records are never changed in place
_CHANGED = ", x.content_changed_at AS changed_at, x.content_token AS token"
_IN_SCOPE = " JOIN case_file c ON c.id = x.case_id WHERE x.deleted = 0 AND c.deleted = 0 AND ({scope})"
KINDS: dict[str, RecordKind] = {
    "cin_assessment": RecordKind(
        N_("Care and support assessment"),
        "SELECT x.id, x.case_id, x.person_id, x.completed_on AS made_on, x.updated_by AS made_by" + _FIXED
        + " FROM cin_assessment x" + _IN_SCOPE + " AND x.completed_on IS NOT NULL"),
    "cp_plan": RecordKind(
        N_("Care and support protection plan"),
        "SELECT x.id, x.case_id, NULL AS person_id, COALESCE((SELECT g.held_on FROM cp_core_group g WHERE g.id ="
        " x.core_group_id), substr(x.created_at, 1, 10)) AS made_on, x.created_by AS made_by" + _FIXED
        + " FROM cp_plan_version x" + _IN_SCOPE + " AND x.stage <> 'outline' AND x.version_no = (SELECT MAX("
        "w.version_no) FROM cp_plan_version w WHERE w.plan_id = x.plan_id AND w.deleted = 0)"),
    "cin_plan": RecordKind(
        N_("Child in Need plan"),
        "SELECT x.id, x.case_id, x.person_id, x.started_on AS made_on, x.created_by AS made_by" + _CHANGED
        + " FROM cin_plan x" + _IN_SCOPE),
    "adult_plan": RecordKind(
        N_("Adult's care and support protection plan"),
        "SELECT x.id, x.case_id, x.person_id, x.started_on AS made_on, x.created_by AS made_by" + _CHANGED
        + " FROM adult_plan x" + _IN_SCOPE),
    "lac_care_plan": RecordKind(
        N_("Looked-after child's care and support plan"),
        "SELECT x.id, x.case_id, x.person_id, x.prepared_on AS made_on, x.created_by AS made_by" + _FIXED
        + " FROM lac_care_plan x" + _IN_SCOPE + " AND NOT EXISTS (SELECT 1 FROM lac_care_plan z"
        " WHERE z.person_id = x.person_id AND z.deleted = 0 AND (z.prepared_on > x.prepared_on"
        " OR (z.prepared_on = x.prepared_on AND z.created_at > x.created_at)))"),
    "adult_closure": RecordKind(
        N_("Closure of the adult safeguarding case"),
        "SELECT x.id, x.case_id, x.person_id, x.closed_on AS made_on, COALESCE(x.closed_by, x.created_by) AS made_by"
        + _FIXED + " FROM adult_closure x" + _IN_SCOPE),
    "case_closure": RecordKind(
        N_("Case closure"),
        "SELECT x.id, x.id AS case_id, NULL AS person_id, x.closed_on AS made_on, x.updated_by AS made_by" + _FIXED
        + " FROM case_file x JOIN case_file c ON c.id = x.id WHERE x.deleted = 0 AND ({scope})"
        " AND x.closed_on IS NOT NULL"),
    "deregistration": RecordKind(
        N_("Removal from the child protection register"),
        "SELECT x.id, x.case_id, x.person_id, x.deregistered_on AS made_on, x.updated_by AS made_by" + _FIXED
        + " FROM register_entry x" + _IN_SCOPE + " AND x.status = 'deregistered' AND x.deregistered_on IS NOT NULL"),
}
DECISIONS = {"signed_off": N_("Signed off"), "returned": N_("Returned with comments"),
             "resubmitted": N_("Sent back after changes")}
STATES = {"waiting": N_("Waiting for sign-off"), "returned": N_("Returned with comments"),
          "signed_off": N_("Signed off")}
CHANGED_SINCE = N_("Changed since it was signed off")


class OversightConfigError(DiogelError):
    """The authority's ``oversight.json`` cannot be used; the message names the file and the problem."""


def _load(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise OversightConfigError(N_("{file} cannot be read: {problem}"), file=str(path), problem=str(exc)) from exc
    records = data.get("records") if isinstance(data, dict) else None
    if not isinstance(records, dict):
        raise OversightConfigError(N_("{file} has no \"records\" object."), file=str(path))
    for kind, spec in records.items():
        if kind not in KINDS:
            raise OversightConfigError(N_("{file} names a kind of record Diogel does not know: {kind}."),
                                       file=str(path), kind=str(kind))
        if not isinstance(spec, dict) or not isinstance(spec.get("required"), bool):
            raise OversightConfigError(N_("{file}: say \"required\": true or false for {kind}."), file=str(path),
                                       kind=str(kind))
    return records


def required_kinds(profile_folder: Path | None = None) -> tuple[str, ...]:
    """The kinds of record that need sign-off: the shipped defaults, changed by the authority's
    ``oversight.json`` in the profile folder when there is one."""
    records = dict(_load(CONFIG_FILE))
    local = Path(profile_folder) / "oversight.json" if profile_folder else None
    if local is not None and local.exists():
        records.update(_load(local))
    return tuple(k for k in KINDS if records.get(k, {}).get("required"))


@dataclass(frozen=True, slots=True)
class Decision:
    decision: str
    comments: str | None
    decided_on: date
    decided_by: str
    decided_by_name: str
    record_token: str | None = None
    """The record's ``content_token`` when decided (laptop m0035)."""


@dataclass(frozen=True, slots=True)
class SignOffItem:
    kind: str
    record_id: str
    case_id: str
    case_reference: str
    person_name: str
    made_on: date
    made_by: str | None
    made_by_name: str
    state: str
    """``waiting``, ``returned`` or ``signed_off``."""
    since: date
    """When it started waiting (made, or sent back), was returned, or was signed off."""
    approver_id: str | None
    """The team manager who signs it off; ``None``: a senior manager."""
    approver_name: str
    worker_id: str | None
    """Who answers a return."""
    person_id: str | None = None
    history: list[Decision] = field(default_factory=list)
    token: str | None = None
    """The record's ``content_token`` now (what a decision covers)."""
    changed_on: date | None = None
    """Set when the record waits again because it was changed in place after it was signed off."""

    @property
    def ref(self) -> str:
        return f"{self.kind}:{self.record_id}"

    @property
    def comments(self) -> str | None:
        """The latest decision's comments."""
        return self.history[-1].comments if self.history else None

    @property
    def label(self) -> str:
        return _(KINDS[self.kind].label)

    @property
    def state_label(self) -> str:
        """The state in the interface language; a plan changed since its sign-off says so."""
        return _(CHANGED_SINCE) if self.changed_on is not None else _(STATES[self.state])


class SignOffService:
    """Thread contract: any thread; writes go through the store's writer."""

    def __init__(self, session: Any) -> None:
        self.session = session

    def kinds(self) -> tuple[str, ...]:
        """The kinds of record that need sign-off here."""
        return required_kinds(self.session.profile.folder)

    def for_case(self, case_id: str) -> list[SignOffItem]:
        """Every record of the case that needs sign-off, newest first (audited)."""
        read_casework(self.session, case_id, "signoff")
        items = _items(self.session, "c.id = :only_case AND ({scope})", {"only_case": case_id}, self.kinds())
        return sorted(items, key=lambda i: (i.since, i.made_on), reverse=True)

    def waiting(self) -> list[SignOffItem]:
        """Records in scope waiting for sign-off or returned, oldest first."""
        self.session.require(Can.VIEW_CASEWORK)
        items = _items(self.session, "{scope}", {}, self.kinds())
        return sorted((i for i in items if i.state != "signed_off"), key=lambda i: i.since)

    def sign_off(self, ref: str, comments: Any = None) -> dict[str, Any]:
        """A manager signs the record off."""
        return self._decide(ref, "signed_off", comments)

    def send_back(self, ref: str, comments: Any) -> dict[str, Any]:
        """A manager returns the record to the worker with comments (required)."""
        return self._decide(ref, "returned", comments)

    def resubmit(self, ref: str, comments: Any) -> dict[str, Any]:
        """The worker sends a returned record back, saying what changed."""
        self.session.require(Can.RECORD_CASEWORK)
        item = self._item(ref)
        if item.state != "returned":
            raise ValidationError(N_("Only a record that was returned can be sent back."), field="ref")
        text = str(comments or "").strip()
        if not text:
            raise ValidationError(N_("Say what you changed."), field="comments")
        return self._write(item, "resubmitted", text)

    def _decide(self, ref: str, decision: str, comments: Any) -> dict[str, Any]:
        self.session.require(Can.SUPERVISE)
        item = self._item(ref)
        if item.state != "waiting":
            raise ValidationError(N_("This record is not waiting for sign-off."), field="ref")
        if item.made_by == self.session.user.id:
            raise PermissionDenied(N_("Nobody signs off their own record: another manager must."))
        text = str(comments or "").strip()
        if decision == "returned" and not text:
            raise ValidationError(N_("Say what needs to change."), field="comments")
        return self._write(item, decision, text or None)

    def _item(self, ref: str) -> SignOffItem:
        kind, _sep, record_id = str(ref or "").partition(":")
        if kind not in KINDS or not record_id:
            raise NotFound(N_("That record does not exist or does not need sign-off."))
        if kind not in self.kinds():
            raise NotFound(N_("That record does not exist or does not need sign-off."))
        found = [i for i in _items(self.session, "{scope}", {}, (kind,), record_id=record_id)]
        if not found:
            raise NotFound(N_("That record does not exist or does not need sign-off."))
        require_case(self.session, found[0].case_id)
        return found[0]

    def _write(self, item: SignOffItem, decision: str, comments: str | None) -> dict[str, Any]:
        values = {"record_kind": item.kind, "record_id": item.record_id, "person_id": item.person_id,
                  "decision": decision, "comments": comments, "decided_on": self.session.today().isoformat(),
                  "decided_by": self.session.user.id, "record_token": item.token}
        return self.session.write(lambda tx: _insert(tx, values, item.case_id))


def _insert(tx: Tx, values: dict[str, Any], case_id: str) -> dict[str, Any]:
    return tx.insert("signoff", values, case_id=case_id)


CHANGED_IN_PLACE = ("cin_plan", "adult_plan")
"""The kinds (and tables) whose records are changed where they stand (laptop m0035)."""


def mark_changed(tx: Tx, table: str, record_id: str) -> None:
    """Record, in the caller's transaction, that the content of a plan changed in place (``table`` one of
    :data:`CHANGED_IN_PLACE`): a sign-off made before no longer covers it. Callers call it for what a manager
    signs off (outcomes, actions, their wording, owner or due date, a summary), never for progress."""
    if table not in CHANGED_IN_PLACE:
        raise ValueError(f"{table} is not changed in place")
    tx.update(table, record_id, {"content_changed_at": tx.now, "content_token": uuid.uuid4().hex})


def _items(session: Any, where: str, extra: dict[str, Any], kinds: tuple[str, ...], *,
           record_id: str | None = None) -> list[SignOffItem]:
    """The records of ``kinds`` in the cases that satisfy ``where`` (``{scope}`` is the person's scope)."""
    store = session.store
    condition, params = case_condition(session.user, session.today())
    scope = where.format(scope=condition)
    params = {**params, **extra, "only_record": record_id}
    records: list[tuple[str, dict[str, Any]]] = []
    for kind in kinds:
        sql = f"SELECT * FROM ({KINDS[kind].sql.format(scope=scope)}) WHERE (:only_record IS NULL OR id = :only_record)"
        records += [(kind, r) for r in store.rows(sql, params)]
    if not records:
        return []
    case_ids = sorted({r["case_id"] for _k, r in records})
    marks = ", ".join("?" for _c in case_ids)
    cases = {r["id"]: r for r in store.rows(
        f"SELECT c.id, c.reference, c.team_id, c.allocated_worker_id,"
        " (SELECT p.id FROM practitioner p WHERE p.team_id = c.team_id AND p.app_role = 'team_manager'"
        "  AND p.active = 1 AND p.deleted = 0 ORDER BY p.family_name, p.given_names LIMIT 1) AS manager_id"
        f" FROM case_file c WHERE c.id IN ({marks})", case_ids)}
    subjects: dict[str, list[str]] = {}
    for r in store.rows(f"SELECT m.case_id, {PERSON.format(a='x')} AS name FROM case_member m"
                        f" JOIN person x ON x.id = m.person_id WHERE m.case_id IN ({marks}) AND m.deleted = 0"
                        " AND m.role = 'subject' ORDER BY m.created_at", case_ids):
        subjects.setdefault(r["case_id"], []).append(r["name"])
    people = {r["id"]: r["name"] for r in store.rows(
        f"SELECT x.id, {PERSON.format(a='x')} AS name FROM person x WHERE x.id IN (SELECT m.person_id FROM"
        f" case_member m WHERE m.case_id IN ({marks}))", case_ids)}
    staff = {r["id"]: (r["name"], bool(r["active"]) and r["app_role"] is not None) for r in store.rows(
        f"SELECT p.id, {STAFF.format(a='p')} AS name, p.active, p.app_role FROM practitioner p")}
    history: dict[tuple[str, str], list[Decision]] = {}
    for d in store.rows(f"SELECT * FROM signoff WHERE case_id IN ({marks}) AND deleted = 0"
                        " ORDER BY decided_on, created_at", case_ids):
        history.setdefault((d["record_kind"], d["record_id"]), []).append(Decision(
            d["decision"], d["comments"], date.fromisoformat(d["decided_on"]), d["decided_by"],
            staff.get(d["decided_by"], ("", False))[0], d["record_token"]))
    out = []
    for kind, r in records:
        case = cases[r["case_id"]]
        decisions = history.get((kind, r["id"]), [])
        made_on = date.fromisoformat(str(r["made_on"])[:10])
        last = decisions[-1] if decisions else None
        state = "waiting" if last is None or last.decision == "resubmitted" else last.decision
        since = last.decided_on if last is not None else made_on
        changed_on = None
        if state == "signed_off" and last is not None and r["token"] is not None and r["token"] != last.record_token:
            # Changed in place since the manager signed it off: the decision covered the plan as it was then.
            state, since = "waiting", date.fromisoformat(str(r["changed_at"])[:10])
            changed_on = since
        manager = case["manager_id"]
        approver = None if manager is None or manager == r["made_by"] else manager
        made_by = r["made_by"]
        worker = made_by if made_by and staff.get(made_by, ("", False))[1] else case["allocated_worker_id"]
        name = people.get(r["person_id"] or "") or ", ".join(subjects.get(r["case_id"], []))
        out.append(SignOffItem(
            kind=kind, record_id=r["id"], case_id=r["case_id"], case_reference=case["reference"], person_name=name,
            made_on=made_on, made_by=made_by, made_by_name=staff.get(made_by or "", ("", False))[0], state=state,
            since=since, approver_id=approver, approver_name=staff.get(approver or "", ("", False))[0],
            worker_id=worker, person_id=r["person_id"], history=decisions, token=r["token"], changed_on=changed_on))
    return out


# -- sign-off in "My work" -------------------------------------------------------------------------
def signoff_tasks(session: Any, today: date) -> list[Task]:
    """Records waiting for the person's sign-off, and their records returned to them; a manager also sees
    the others of their scope. Each is due by rule SO1 (waiting) or SO2 (returned)."""
    if not session.can(Can.VIEW_CASEWORK):
        return []
    me, role = session.user.id, session.user.role
    see_all = session.can(Can.VIEW_TEAM_WORK)
    engine = default_engine()
    out = []
    for item in SignOffService(session).waiting():
        if item.state == "waiting":
            mine = item.approver_id == me if item.approver_id else role == Role.SENIOR_MANAGER
            mine = mine and item.made_by != me
            to_name = item.approver_name or _("Senior manager (safeguarding)")
            events = {"signoff_requested": item.since}
        else:
            mine = item.worker_id == me
            to_name = staff_name(session, item.worker_id)
            events = {"signoff_returned": item.since}
        if not (mine or see_all):
            continue
        facts = SubjectFacts(case_id=item.case_id, person_id=item.ref, statuses=frozenset({"oversight"}),
                             events=events)
        due = engine.due_items([facts], today)
        first = due[0] if due else None
        out.append(Task(
            id=f"signoff:{item.ref}", case_id=item.case_id, case_reference=item.case_reference,
            kind=f"signoff_{item.state}", person_name=item.person_name, raised_on=item.since,
            days_open=max(0, (today - item.since).days), for_me=mine, to_name=to_name,
            due=first.due if first else None, status=first.status if first else None,
            days_overdue=first.days_overdue if first else 0, unit=first.overdue_unit if first else "days",
            action="sign_off" if item.state == "waiting" else "resubmit", ref=item.ref,
            words=partial(task_text, item)))
    return out


def staff_name(session: Any, practitioner_id: str | None) -> str:
    if not practitioner_id:
        return ""
    rows = session.store.rows(f"SELECT {STAFF.format(a='p')} AS name FROM practitioner p WHERE p.id = ?",
                              [practitioner_id])
    return rows[0]["name"] if rows else ""


def task_text(item: SignOffItem) -> str:
    """The words of a sign-off task in the interface language."""
    who = item.person_name or item.case_reference
    if item.changed_on is not None:
        # L10N: e.g. "Sign off again: Child in Need plan for Elis Pritchard, changed on 2 Dec 2026 after it was signed off"
        return _("Sign off again: {record} for {person}, changed on {date} after it was signed off").format(
            record=item.label, person=who, date=format_date(item.changed_on))
    if item.state == "waiting":
        # L10N: e.g. "Sign off: Child in Need plan for Elis Pritchard, recorded by Gareth Rees on 20 Nov 2026"
        return _("Sign off: {record} for {person}, recorded by {worker} on {date}").format(
            record=item.label, person=who, worker=item.made_by_name or _("someone who has left"),
            date=format_date(item.made_on))
    last = item.history[-1] if item.history else None
    # L10N: e.g. "Returned by Carys Lloyd: Child in Need plan for Elis Pritchard – Add the school's actions."
    return _("Returned by {manager}: {record} for {person} – {comments}").format(
        manager=last.decided_by_name if last else "", record=item.label, person=who,
        comments=(last.comments if last else "") or "")


register_task_source("signoff", signoff_tasks)
