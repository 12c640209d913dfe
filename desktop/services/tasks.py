"""Tasks: escalations and internal notifications that wait in a person's My work until they say what they
did (Qt-free).

Casework raises a task with :func:`raise_task` inside the transaction that records what happened, so the
two cannot part: no co-ordinator named at a conference (N3, to the senior manager), no lead practitioner
for an adult (N4, to the senior manager), a registered child's household changed (N5, to the register
custodian), access to a registered child denied on a visit (N13, to the child's co-ordinator, else the
team manager). A task is for one practitioner (``to_practitioner_id``) or for everyone with a role
(``to_role``); it is a synced row of the case, so it reaches that person's laptop with the case. The
letter the procedures ask for is still queued beside it.

Other records join the list through :func:`register_task_source` (issue 19: the actions agreed at
supervision, each with its owner and due date; records waiting for a manager's sign-off; records a
manager returned with comments). Such a task may carry a due date (``due``: its urgency is worked out as
the engine's, in calendar days) and a form that deals with it (``action``, opened on its case instead of
acknowledging it).

``TaskService(session)``
    * ``open_tasks()`` — open tasks the signed-in person must act on (``for_me``), and, for managers,
      the open tasks of the cases in their scope (to see what is waiting, and for how long); those of the
      registered sources after the escalations.
    * ``acknowledge(task_id, outcome)`` — only the person it is for (or someone with its role): records
      who, when and what was done (audited, synced). Raises ``NotFound``, ``PermissionDenied``,
      ``ValidationError``. A source's task is closed by that source.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from desktop.domain.engine import DUE_THIS_WEEK, DUE_TODAY, OVERDUE, UPCOMING
from desktop.domain.types import Role, label
from desktop.errors import NotFound, PermissionDenied, ValidationError
from desktop.i18n import N_, _, format_date, ngettext
from desktop.services.permissions import Can
from desktop.services.scope import case_condition, require_case
from desktop.store import Tx

KINDS: dict[str, str] = {
    "no_coordinator": N_("No care and support protection plan co-ordinator was named for {person} at the"
                         " conference."),
    "no_lead_practitioner": N_("No lead practitioner was named for {person} at the strategy meeting."),
    "access_denied": N_("Access to {person} was refused on the visit of {date}."),
    "household_change:address": N_("The address of {person}, who is on the register, has changed."),
    "household_change:joined": N_("Someone has joined the household of {person}, who is on the register."),
    "household_change:left": N_("Someone has left the household of {person}, who is on the register."),
    "household_change:regular_visitor": N_("Someone new visits the household of {person}, who is on the"
                                           " register, regularly."),
}
"""Task kind (with its detail where the wording differs) → the English sentence (msgid)."""


def raise_task(tx: Tx, *, case_id: str, kind: str, person_id: str | None = None, to_role: str | None = None,
               to_practitioner_id: str | None = None, details: dict[str, Any] | None = None,
               raised_on: str | None = None, reason: str = "") -> dict[str, Any]:
    """Record a task in the caller's transaction; for one practitioner or, without one, for ``to_role``."""
    if not to_role and not to_practitioner_id:
        raise ValueError("a task is for a practitioner or a role")
    return tx.insert("escalation", {
        "kind": kind, "to_role": to_role or "", "to_practitioner_id": to_practitioner_id, "person_id": person_id,
        "reason": reason, "raised_on": raised_on or tx.now[:10],
        "details": json.dumps(details or {}, ensure_ascii=False, sort_keys=True),
    }, case_id=case_id)


@dataclass(frozen=True, slots=True)
class Task:
    id: str
    case_id: str
    case_reference: str
    kind: str
    person_name: str
    raised_on: date
    days_open: int
    for_me: bool
    """The signed-in person may (and must) acknowledge it."""
    to_name: str
    """Who it is for, in words: a person's name or a role."""
    details: dict[str, Any] = field(default_factory=dict)
    due: date | None = None
    """When it must be done by (a registered source's task), else ``None``."""
    status: str | None = None
    """``overdue``, ``due_today``, ``due_this_week`` or ``upcoming`` on the day asked (with ``due``)."""
    days_overdue: int = 0
    unit: str = "days"
    """The unit ``days_overdue`` counts in (``working_days`` or ``days``)."""
    action: str | None = None
    """The form that deals with it (a "My work" action key), opened on its case; ``None``: acknowledge it."""
    ref: str | None = None
    """What that form is for (a record's id)."""
    words: Callable[[], str] | None = field(default=None, compare=False)
    """A registered source's text, worded when read (in the interface language at that moment)."""

    @property
    def text(self) -> str:
        """What happened, in the interface language."""
        if self.words is not None:
            return self.words()
        key = self.kind
        if self.kind == "household_change":
            key = f"household_change:{self.details.get('what', 'joined')}"
        msgid = KINDS.get(key) or KINDS.get(self.kind)
        if msgid is None:  # a kind from a newer Diogel: still shown, never dropped
            return _("Something needs your attention on this case ({kind}).").format(kind=self.kind)
        when = self.details.get("date")
        return _(msgid).format(person=self.person_name or _("a person on this case"),
                               date=format_date(date.fromisoformat(when)) if when else "")

    @property
    def open_for(self) -> str:
        if self.days_open == 0:
            return _("Opened today")
        return ngettext("Open for {n} day", "Open for {n} days", self.days_open).format(n=self.days_open)


def due_status(due: date, on: date) -> tuple[str, int]:
    """The engine's status of something due on ``due`` as of ``on`` (calendar days late)."""
    if due < on:
        return OVERDUE, (on - due).days
    if due == on:
        return DUE_TODAY, 0
    if due <= on + timedelta(days=6 - on.weekday()):
        return DUE_THIS_WEEK, 0
    return UPCOMING, 0


TaskSource = Callable[[Any, date], list[Task]]
"""``source(session, today)``: the source's open tasks in the person's scope — those for them
(``for_me``) and, for managers, the others of their scope."""
TaskCloser = Callable[[Any, str, str], dict[str, Any]]
_SOURCES: dict[str, TaskSource] = {}
_CLOSERS: dict[str, TaskCloser] = {}
DEFAULT_SOURCES = ("desktop.services.supervision", "desktop.services.oversight")
"""Modules that register task sources, imported on first use (one not in this build is skipped)."""
_sources_loaded = False


def _load_sources() -> None:
    global _sources_loaded
    if not _sources_loaded:
        import importlib
        import importlib.util

        for module in DEFAULT_SOURCES:
            if importlib.util.find_spec(module) is not None:
                importlib.import_module(module)
        _sources_loaded = True


def register_task_source(name: str, source: TaskSource, *, acknowledge: TaskCloser | None = None) -> None:
    """Add (or replace) a source of tasks; its task ids start with ``"<name>:"``, and ``acknowledge``
    (``closer(session, task_id, outcome)``) closes one (``None``: its tasks are dealt with by their form)."""
    _SOURCES[name] = source
    if acknowledge is not None:
        _CLOSERS[name] = acknowledge
    else:
        _CLOSERS.pop(name, None)


class TaskService:
    """Thread contract: any thread; reads, and writes through the store's writer."""

    def __init__(self, session: Any) -> None:
        self.session = session

    def _for_me(self, row: dict[str, Any]) -> bool:
        me = self.session.user
        if row["to_practitioner_id"]:
            return bool(row["to_practitioner_id"] == me.id)
        return bool(row["to_role"] == me.role)

    def open_tasks(self) -> list[Task]:
        """Open tasks for the signed-in person, then (managers) the others of the cases in their scope;
        oldest first within each. Admin staff see none (tasks name children and what happened)."""
        user = self.session.user
        if user.role == Role.ADMIN_STAFF:
            return []
        today = self.session.today()
        condition, params = case_condition(user, today)
        see_all = self.session.can(Can.VIEW_TEAM_WORK)
        rows = self.session.store.rows(
            "SELECT e.*, c.reference, TRIM(COALESCE(p.given_names, '') || ' ' || COALESCE(p.family_name, ''))"
            " AS person_name, TRIM(COALESCE(w.given_names, '') || ' ' || COALESCE(w.family_name, '')) AS to_name"
            " FROM escalation e JOIN case_file c ON c.id = e.case_id LEFT JOIN person p ON p.id = e.person_id"
            " LEFT JOIN practitioner w ON w.id = e.to_practitioner_id"
            f" WHERE e.deleted = 0 AND e.acknowledged_at IS NULL AND c.deleted = 0 AND {condition}"
            " ORDER BY e.raised_on, e.created_at", params)
        out = []
        for r in rows:
            mine = self._for_me(r)
            if not (mine or see_all):
                continue
            raised = date.fromisoformat(r["raised_on"][:10])
            out.append(Task(
                id=r["id"], case_id=r["case_id"], case_reference=r["reference"], kind=r["kind"],
                person_name=r["person_name"], raised_on=raised,
                days_open=max(0, (today - raised).days), for_me=mine,
                to_name=r["to_name"] or (label(r["to_role"]) if r["to_role"] else ""),
                details=json.loads(r["details"] or "{}")))
        out.sort(key=lambda t: (not t.for_me, t.raised_on))
        _load_sources()
        for source in _SOURCES.values():
            out += sorted(source(self.session, today), key=lambda t: (not t.for_me, t.due or t.raised_on))
        return out

    def acknowledge(self, task_id: str, outcome: str) -> dict[str, Any]:
        """Close a task saying what was done. Only the person it is for may."""
        _load_sources()
        source, sep, _rest = task_id.partition(":")
        if sep and source in _SOURCES:
            closer = _CLOSERS.get(source)
            if closer is None:
                raise ValidationError(N_("This is dealt with on its form, not acknowledged: open it."), field="outcome")
            if self.session.user.role == Role.ADMIN_STAFF:
                raise PermissionDenied(N_("Only the person this task is for can acknowledge it."))
            return closer(self.session, task_id, outcome)
        rows = self.session.store.rows("SELECT * FROM escalation WHERE id = ? AND deleted = 0"
                                       " AND acknowledged_at IS NULL", [task_id])
        if not rows:
            raise NotFound(N_("That task does not exist or is not yours to see."))
        require_case(self.session, rows[0]["case_id"])  # out of scope: as if it did not exist
        if not self._for_me(rows[0]) or self.session.user.role == Role.ADMIN_STAFF:
            raise PermissionDenied(N_("Only the person this task is for can acknowledge it."))
        if not str(outcome or "").strip():
            raise ValidationError(N_("Say what was done about it."), field="outcome")

        def write(tx: Tx) -> dict[str, Any]:
            return tx.update("escalation", task_id, {
                "acknowledged_at": tx.now, "acknowledged_by": self.session.user.id, "outcome": outcome.strip()})

        return self.session.write(write)

