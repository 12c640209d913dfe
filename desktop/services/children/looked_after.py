"""Children in Care (the CiC team): becoming looked after, legal status, the team move, the
care and support plan, statutory visits, looked-after reviews, health, education, worker and IRO
(Qt-free).

``LookedAfterService(session)`` — writes need ``Can.RECORD_CASEWORK`` (and ``Can.ALLOCATE`` where a
worker or IRO is chosen), reads need ``Can.VIEW_CASEWORK``; every call is scope-checked and writes in
ONE transaction. Refusals raise :class:`~desktop.errors.ValidationError` (nothing written).

* ``become_looked_after(case_id, person_id, *, started_on, legal_status, transfer=None, team_id=None,
  worker_id=None)`` — opens a ``lac_episode`` (refused if one is open) with its first
  ``lac_legal_status`` row; an active Child in Need plan ends that day (the looked-after care and
  support plan replaces it). With ``transfer`` (by default: when the person may move it, as the server
  allows allocation — a senior manager between teams) the case moves to the Children in Care team
  (``team_id`` or the team of kind ``cic``): ``case_file.team_id`` and ``case_type`` change through
  ``Tx.update`` (so the audit has the before/after) and a ``case_team_history`` row is written. A case
  whose child is on the child protection register keeps the type ``child_protection`` (the register
  custodian's scope and the CP timescales follow that type); its looked-after timescales follow the
  open episode, whatever the case type; when no child of the case is left on the register it becomes
  a looked-after case (:mod:`desktop.services.case_type`). The
  case's history (everything recorded under the CiN team) stays with the case. ``worker_id`` (needs
  ``Can.ALLOCATE``) allocates the CiC social worker in the same transaction.
* ``change_legal_status(episode_id, *, legal_status, from_date, note=None)``,
  ``end_episode(episode_id, *, ended_on, reason)`` (ends an open placement the same day).
* ``record_care_plan(case_id, person_id, *, prepared_on, summary=None)`` — L1 (may precede the start).
* ``record_visit(case_id, person_id, *, visited_on, seen, seen_alone=False, visitor_id=None,
  location=None, notes=None)`` — statutory visit (reg 31), linked to the placement current that day;
  ``amend_visit(visit_id, *, reason, **changes)`` records a correction (append-only).
* ``assign_iro(case_id, practitioner_id, *, from_date=None)`` (``Can.ALLOCATE``) and
  ``record_review(case_id, person_id, *, held_on, chair_id, child_seen_privately, ...)`` — the review must
  be chaired by the child's independent reviewing officer on that date (L7, L8).
* ``record_health(case_id, person_id, *, kind, on_date, provider=None, notes=None)`` — health
  assessments, GP (for the current placement) and dentist registrations (L9, L11).
* ``record_pep(case_id, person_id, *, on_date, school=None, idp_included=False, notes=None)``.
* ``change_worker(case_id, worker_id, *, on=None, reason=None)`` (``Can.ALLOCATE``) — ends the current
  ``allocated_worker`` role assignment, starts the new one and updates ``case_file.allocated_worker_id``.
* ``team_history(case_id)``, ``worker_history(case_id)``, ``overview(case_id, person_id)``.

Legal status codes: :data:`~desktop.services.children._common.LEGAL_STATUSES` (each mapped to its
StatsWales group).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from desktop.domain.manager_reach import beyond_reach, require_reach
from desktop.domain.types import CaseType, TeamKind
from desktop.errors import NotFound, ValidationError
from desktop.i18n import N_
from desktop.services.case_type import registered_in_case
from desktop.services.children._common import (
    CHILD_PARTICIPATION,
    HEALTH_KINDS,
    IRO_ROLE,
    LEGAL_STATUSES,
    WORKER_ROLE,
    any_date,
    iso,
    past_date,
    require_child,
    required_text,
    team_of_kind,
    text,
)
from desktop.services.permissions import Can
from desktop.services.reads import note_read, read_casework
from desktop.services.scope import require_case
from desktop.store import Tx


def open_episode(db: Any, person_id: str) -> dict[str, Any] | None:
    """The child's open looked-after episode (``db``: a ``Tx`` or a ``Store``)."""
    sql = ("SELECT * FROM lac_episode WHERE person_id = ? AND ended_on IS NULL AND deleted = 0"
           " ORDER BY started_on DESC LIMIT 1")
    rows = db.query(sql, [person_id]) if isinstance(db, Tx) else db.rows(sql, [person_id])
    return rows[0] if rows else None


def placement_on(db: Any, person_id: str, on: str) -> dict[str, Any] | None:
    """The child's placement on date ``on`` (start on/before, not ended by then)."""
    sql = ("SELECT * FROM lac_placement WHERE person_id = ? AND deleted = 0 AND start_on <= ?"
           " AND (end_on IS NULL OR end_on > ?) ORDER BY start_on DESC LIMIT 1")
    rows = db.query(sql, [person_id, on, on]) if isinstance(db, Tx) else db.rows(sql, [person_id, on, on])
    return rows[0] if rows else None


def change_worker_tx(tx: Tx, case: dict[str, Any], worker_id: str, on: str, reason: str | None) -> None:
    """End the current allocated-worker assignment and start ``worker_id``'s (the worker history),
    and point ``case_file.allocated_worker_id`` at them; inside the caller's transaction."""
    if case["allocated_worker_id"] == worker_id:
        current = tx.query("SELECT 1 FROM role_assignment WHERE case_id = ? AND role = ? AND practitioner_id = ?"
                           " AND to_date IS NULL AND deleted = 0", [case["id"], WORKER_ROLE, worker_id])
        if current:
            return
    for old in tx.query("SELECT id FROM role_assignment WHERE case_id = ? AND role = ? AND to_date IS NULL"
                        " AND deleted = 0", [case["id"], WORKER_ROLE]):
        tx.update("role_assignment", old["id"], {"to_date": on, "reason": reason})
    tx.insert("role_assignment", {"role": WORKER_ROLE, "practitioner_id": worker_id, "from_date": on,
                                  "reason": reason}, case_id=case["id"])
    tx.update("case_file", case["id"], {"allocated_worker_id": worker_id})


class LookedAfterService:
    def __init__(self, session: Any) -> None:
        self.session = session

    def _today(self) -> date:
        return self.session.today()

    def _episode(self, episode_id: str) -> dict[str, Any]:
        rows = self.session.store.rows("SELECT * FROM lac_episode WHERE id = ? AND deleted = 0", [episode_id])
        if not rows:
            raise NotFound(N_("That record does not exist or is not in your caseload."))
        require_case(self.session, rows[0]["case_id"])
        return rows[0]

    def _open_episode(self, case_id: str, person_id: str) -> dict[str, Any]:
        require_child(self.session, case_id, person_id)
        episode = open_episode(self.session.store, person_id)
        if episode is None:
            raise ValidationError(N_("This child is not looked after: record when they became looked after first."),
                                  field="person_id")
        return episode

    # -- becoming looked after ----------------------------------------------------------------
    def become_looked_after(
        self,
        case_id: str,
        person_id: str,
        *,
        started_on: str,
        legal_status: str,
        transfer: bool | None = None,
        team_id: str | None = None,
        worker_id: str | None = None,
    ) -> dict[str, Any]:
        """Returns the new episode row (with ``team_moved``: bool). ``transfer``: move the case to the
        Children in Care team (``True``: refused — ``PermissionDenied`` / ``NotYourTeam`` — unless the
        person may, as :meth:`may_move_case` says; ``None``: moved when the person may, else it stays
        where it is for a manager to move; ``False``: it stays)."""
        self.session.require(Can.RECORD_CASEWORK)
        if worker_id:
            self.session.require(Can.ALLOCATE)
        case = require_child(self.session, case_id, person_id)
        start = past_date(started_on, "started_on", self._today())
        if legal_status not in LEGAL_STATUSES:
            raise ValidationError(N_("Choose the child's legal status."), field="legal_status")
        person = self.session.store.rows("SELECT date_of_birth, unborn FROM person WHERE id = ?", [person_id])[0]
        if person["unborn"]:
            raise ValidationError(N_("An unborn child cannot become looked after; record the birth first."),
                                  field="person_id")
        if person["date_of_birth"] and iso(start) < person["date_of_birth"]:
            raise ValidationError(N_("The date is before the child was born."), field="started_on")
        if transfer is None:
            transfer = self.may_move_case(case_id, team_id)
        target_team = None
        if transfer:
            target_team = team_id or team_of_kind(self.session.store, TeamKind.CHILDREN_IN_CARE)
            if target_team is None:
                raise ValidationError(N_("There is no Children in Care team to move the case to."), field="team_id")
        if (target_team and target_team != case["team_id"]) or worker_id:
            # Moving the case or choosing its worker is allocation: a manager's, within the reach the
            # server allows (a team manager's own team), refused here before anything is written.
            self.session.require(Can.ALLOCATE)
            worker = self.session.store.rows("SELECT team_id FROM practitioner WHERE id = ?", [worker_id or ""])
            require_reach(self.session.user, [case["team_id"], target_team or case["team_id"],
                                              *([worker[0]["team_id"] if worker else None] if worker_id else [])],
                          "transfer")

        def write(tx: Tx) -> dict[str, Any]:
            if open_episode(tx, person_id) is not None:
                raise ValidationError(N_("This child is already looked after."), field="person_id")
            last = tx.query("SELECT max(ended_on) AS e FROM lac_episode WHERE person_id = ? AND deleted = 0",
                            [person_id])[0]["e"]
            if last and iso(start) < last:
                raise ValidationError(N_("The date is before the end of the previous period of care."),
                                      field="started_on")
            episode = tx.insert("lac_episode", {"person_id": person_id, "started_on": iso(start),
                                                "legal_status": legal_status}, case_id=case_id)
            tx.insert("lac_legal_status", {"episode_id": episode["id"], "person_id": person_id,
                                           "legal_status": legal_status, "from_date": iso(start)}, case_id=case_id)
            # The Part 6 care and support plan replaces the Child in Need plan.
            for plan in tx.query("SELECT id, started_on FROM cin_plan WHERE person_id = ? AND status = 'active'"
                                 " AND deleted = 0", [person_id]):
                tx.update("cin_plan", plan["id"], {"status": "ended", "ended_on": max(iso(start) or "", plan["started_on"]),
                                                   "end_reason": "became_looked_after"})
            moved = False
            fresh = tx.get("case_file", case_id) or case
            changes: dict[str, Any] = {}
            if fresh["case_type"] != CaseType.LOOKED_AFTER and not registered_in_case(tx, case_id):
                changes["case_type"] = CaseType.LOOKED_AFTER
            if target_team and fresh["team_id"] != target_team:
                changes["team_id"] = target_team
            if changes:
                tx.update("case_file", case_id, changes)
                tx.insert(
                    "case_team_history",
                    {"from_team_id": fresh["team_id"], "to_team_id": changes.get("team_id", fresh["team_id"]),
                     "from_case_type": fresh["case_type"],
                     "to_case_type": changes.get("case_type", fresh["case_type"]),
                     "on_date": iso(start), "reason": "became_looked_after"},
                    case_id=case_id,
                )
                moved = "team_id" in changes
            if worker_id:
                change_worker_tx(tx, tx.get("case_file", case_id) or fresh, worker_id, iso(start),
                                 "became_looked_after")
            return {**episode, "team_moved": moved}

        return self.session.write(write)

    def may_move_case(self, case_id: str, team_id: str | None = None) -> bool:
        """Whether the signed-in person may move the case to the Children in Care team as the child becomes
        looked after (``team_id``, else the team of kind ``cic``; allocation within their reach:
        :mod:`desktop.domain.manager_reach`); the form offers the move only then. ``NotFound`` outside scope."""
        self.session.require(Can.RECORD_CASEWORK)
        case = read_casework(self.session, case_id, "case_file")
        target = team_id or team_of_kind(self.session.store, TeamKind.CHILDREN_IN_CARE)
        if target is None or target == case["team_id"]:
            return False
        return self.session.can(Can.ALLOCATE) and not beyond_reach(
            str(self.session.user.role), self.session.user.team_id, [case["team_id"], target])

    def change_legal_status(self, episode_id: str, *, legal_status: str, from_date: str,
                            note: str | None = None) -> dict[str, Any]:
        self.session.require(Can.RECORD_CASEWORK)
        episode = self._episode(episode_id)
        if episode["ended_on"]:
            raise ValidationError(N_("This period of care has ended."), field="episode_id")
        if legal_status not in LEGAL_STATUSES:
            raise ValidationError(N_("Choose the child's legal status."), field="legal_status")
        on = past_date(from_date, "from_date", self._today())
        if iso(on) < episode["started_on"]:
            raise ValidationError(N_("The date is before the child became looked after."), field="from_date")

        def write(tx: Tx) -> dict[str, Any]:
            tx.insert("lac_legal_status", {"episode_id": episode_id, "person_id": episode["person_id"],
                                           "legal_status": legal_status, "from_date": iso(on),
                                           "note": text(note) or None}, case_id=episode["case_id"])
            return tx.update("lac_episode", episode_id, {"legal_status": legal_status})

        return self.session.write(write)

    def end_episode(self, episode_id: str, *, ended_on: str, reason: str) -> dict[str, Any]:
        """The child stops being looked after; an open placement ends the same day."""
        self.session.require(Can.RECORD_CASEWORK)
        episode = self._episode(episode_id)
        if episode["ended_on"]:
            raise ValidationError(N_("This period of care has ended."), field="episode_id")
        end = past_date(ended_on, "ended_on", self._today())
        if iso(end) < episode["started_on"]:
            raise ValidationError(N_("The end is before the child became looked after."), field="ended_on")
        reason = required_text(reason, "reason", N_("Record why the child stopped being looked after."))

        def write(tx: Tx) -> dict[str, Any]:
            for p in tx.query("SELECT * FROM lac_placement WHERE episode_id = ? AND end_on IS NULL AND deleted = 0",
                              [episode_id]):
                if p["start_on"] > iso(end):
                    raise ValidationError(N_("A placement starts after this date; check the dates."),
                                          field="ended_on")
                tx.update("lac_placement", p["id"], {"end_on": iso(end), "end_reason": "ceased_looked_after"})
            return tx.update("lac_episode", episode_id, {"ended_on": iso(end), "end_reason": reason})

        return self.session.write(write)

    # -- plans, visits, reviews, health, education ---------------------------------------------
    def record_care_plan(self, case_id: str, person_id: str, *, prepared_on: str,
                         summary: str | None = None) -> dict[str, Any]:
        """The care and support plan (prepared or revised); L1 is met by the first one of the episode."""
        self.session.require(Can.RECORD_CASEWORK)
        episode = self._open_episode(case_id, person_id)
        on = past_date(prepared_on, "prepared_on", self._today())
        values = {"person_id": person_id, "episode_id": episode["id"], "prepared_on": iso(on),
                  "summary": text(summary) or None}
        return self.session.write(lambda tx: tx.insert("lac_care_plan", values, case_id=case_id))

    def record_visit(
        self,
        case_id: str,
        person_id: str,
        *,
        visited_on: str,
        seen: bool,
        seen_alone: bool = False,
        visitor_id: str | None = None,
        location: str | None = None,
        notes: str | None = None,
    ) -> dict[str, Any]:
        """A statutory visit (reg 31). It counts for the visiting rules only if the child was seen."""
        self.session.require(Can.RECORD_CASEWORK)
        episode = self._open_episode(case_id, person_id)
        on = past_date(visited_on, "visited_on", self._today())
        if iso(on) < episode["started_on"]:
            raise ValidationError(N_("The visit is dated before the child became looked after."), field="visited_on")
        if seen_alone and not seen:
            raise ValidationError(N_("A child seen alone was seen: check the answers."), field="seen_alone")
        placement = placement_on(self.session.store, person_id, iso(on))
        values = {"person_id": person_id, "placement_id": placement["id"] if placement else None,
                  "visited_on": iso(on), "visitor_id": visitor_id or self.session.user.id, "seen": int(bool(seen)),
                  "seen_alone": int(bool(seen_alone)), "location": text(location) or None, "notes": text(notes) or None}
        return self.session.write(lambda tx: tx.insert("lac_visit", values, case_id=case_id))

    def amend_visit(self, visit_id: str, *, reason: str, **changes: Any) -> dict[str, Any]:
        """Correct a statutory visit: a new row pointing at the original (``amends_id``), with the
        original's values overridden by ``changes`` (``visited_on``, ``seen``, ``seen_alone``,
        ``location``, ``notes``) and the ``reason``. Only the latest version can be corrected."""
        self.session.require(Can.RECORD_CASEWORK)
        original = self._latest("lac_visit", visit_id)
        unknown = set(changes) - {"visited_on", "seen", "seen_alone", "location", "notes"}
        if unknown:
            raise ValueError(f"unknown visit fields {sorted(unknown)}")
        reason = required_text(reason, "reason", N_("Say why the record is being corrected."))
        merged = {k: original[k] for k in ("visited_on", "seen", "seen_alone", "location", "notes")} | changes
        on = past_date(merged["visited_on"], "visited_on", self._today())
        if merged["seen_alone"] and not merged["seen"]:
            raise ValidationError(N_("A child seen alone was seen: check the answers."), field="seen_alone")
        placement = placement_on(self.session.store, original["person_id"], iso(on) or "")
        values = {"person_id": original["person_id"], "placement_id": placement["id"] if placement else None,
                  "visited_on": iso(on), "visitor_id": original["visitor_id"], "seen": int(bool(merged["seen"])),
                  "seen_alone": int(bool(merged["seen_alone"])), "location": text(merged["location"]) or None,
                  "notes": text(merged["notes"]) or None, "amends_id": visit_id, "amendment_reason": reason}
        return self.session.write(lambda tx: tx.insert("lac_visit", values, case_id=original["case_id"]))

    def _latest(self, table: str, row_id: str) -> dict[str, Any]:
        rows = self.session.store.rows(f"SELECT * FROM {table} WHERE id = ? AND deleted = 0", [row_id])
        if not rows:
            raise NotFound(N_("That record does not exist or is not in your caseload."))
        require_case(self.session, rows[0]["case_id"])
        if self.session.store.rows(f"SELECT 1 FROM {table} WHERE amends_id = ? AND deleted = 0", [row_id]):
            raise ValidationError(N_("This record has already been corrected: correct the latest version."),
                                  field="amends_id")
        return rows[0]

    def assign_iro(self, case_id: str, practitioner_id: str, *, from_date: str | None = None) -> dict[str, Any]:
        """Name the child's independent reviewing officer (ends the previous IRO's assignment)."""
        self.session.require(Can.ALLOCATE)
        require_case(self.session, case_id)
        if not self.session.store.rows("SELECT 1 FROM practitioner WHERE id = ? AND deleted = 0", [practitioner_id]):
            raise ValidationError(N_("Choose the independent reviewing officer."), field="practitioner_id")
        on = past_date(from_date or self._today(), "from_date", self._today())

        def write(tx: Tx) -> dict[str, Any]:
            for old in tx.query("SELECT id FROM role_assignment WHERE case_id = ? AND role = ? AND to_date IS NULL"
                                " AND deleted = 0", [case_id, IRO_ROLE]):
                tx.update("role_assignment", old["id"], {"to_date": iso(on)})
            return tx.insert("role_assignment", {"role": IRO_ROLE, "practitioner_id": practitioner_id,
                                                 "from_date": iso(on)}, case_id=case_id)

        return self.session.write(write)

    def iro_on(self, case_id: str, on: str) -> str | None:
        """The practitioner id of the case's IRO on date ``on`` (``Can.VIEW_CASEWORK``, in scope)."""
        read_casework(self.session, case_id, "iro")
        return self._iro_on(case_id, on)

    def _iro_on(self, case_id: str, on: str) -> str | None:
        rows = self.session.store.rows(
            "SELECT practitioner_id FROM role_assignment WHERE case_id = ? AND role = ? AND deleted = 0"
            " AND from_date <= ? AND (to_date IS NULL OR to_date > ?) ORDER BY from_date DESC LIMIT 1",
            [case_id, IRO_ROLE, on, on],
        )
        return rows[0]["practitioner_id"] if rows else None

    def record_review(
        self,
        case_id: str,
        person_id: str,
        *,
        held_on: str,
        chair_id: str,
        child_seen_privately: bool,
        child_participation: str | None = None,
        decisions: str | None = None,
        next_review_on: str | None = None,
    ) -> dict[str, Any]:
        """A looked-after review (append-only). Refused unless ``chair_id`` is the child's independent
        reviewing officer on ``held_on`` (reg 42: the IRO chairs and speaks to the child in private)."""
        self.session.require(Can.RECORD_CASEWORK)
        episode = self._open_episode(case_id, person_id)
        held = past_date(held_on, "held_on", self._today())
        if iso(held) < episode["started_on"]:
            raise ValidationError(N_("The review is dated before the child became looked after."), field="held_on")
        iro = self._iro_on(case_id, iso(held) or "")
        if iro is None:
            raise ValidationError(N_("Name the child's independent reviewing officer before recording a review."),
                                  field="chair_id")
        if chair_id != iro:
            raise ValidationError(N_("A looked-after review is chaired by the child's independent reviewing officer."),
                                  field="chair_id")
        if child_participation is not None and child_participation not in CHILD_PARTICIPATION:
            raise ValidationError(N_("Record how the child took part in the review."), field="child_participation")
        nxt = any_date(next_review_on, "next_review_on")
        if nxt is not None and nxt <= held:
            raise ValidationError(N_("The next review must be after this one."), field="next_review_on")
        values = {"person_id": person_id, "episode_id": episode["id"], "held_on": iso(held), "chair_id": chair_id,
                  "child_seen_privately": int(bool(child_seen_privately)), "child_participation": child_participation,
                  "decisions": text(decisions) or None, "next_review_on": iso(nxt)}
        return self.session.write(lambda tx: tx.insert("lac_review", values, case_id=case_id))

    def record_health(self, case_id: str, person_id: str, *, kind: str, on_date: str, provider: str | None = None,
                      notes: str | None = None) -> dict[str, Any]:
        """A health assessment, GP or dentist registration, or dental check. A GP registration is linked
        to the placement current that day (L11: GP within 10 working days of each placement)."""
        self.session.require(Can.RECORD_CASEWORK)
        episode = self._open_episode(case_id, person_id)
        if kind not in HEALTH_KINDS:
            raise ValidationError(N_("Choose what happened."), field="kind")
        on = past_date(on_date, "on_date", self._today())
        placement = placement_on(self.session.store, person_id, iso(on))
        values = {"person_id": person_id, "episode_id": episode["id"],
                  "placement_id": placement["id"] if placement else None, "kind": kind, "on_date": iso(on),
                  "provider": text(provider) or None, "notes": text(notes) or None}
        return self.session.write(lambda tx: tx.insert("lac_health_event", values, case_id=case_id))

    def record_pep(self, case_id: str, person_id: str, *, on_date: str, school: str | None = None,
                   idp_included: bool = False, notes: str | None = None) -> dict[str, Any]:
        """A personal education plan (part of the care and support plan; s.83(2A))."""
        self.session.require(Can.RECORD_CASEWORK)
        episode = self._open_episode(case_id, person_id)
        on = past_date(on_date, "on_date", self._today())
        values = {"person_id": person_id, "episode_id": episode["id"], "on_date": iso(on),
                  "school": text(school) or None, "idp_included": int(bool(idp_included)),
                  "notes": text(notes) or None}
        return self.session.write(lambda tx: tx.insert("lac_pep", values, case_id=case_id))

    def record_school_change(self, case_id: str, person_id: str, *, school: str, started_on: str) -> dict[str, Any]:
        """The child started at a new school on ``started_on``: the personal education plan's clock
        (L10) starts again from that day."""
        self.session.require(Can.RECORD_CASEWORK)
        episode = self._open_episode(case_id, person_id)
        on = past_date(started_on, "started_on", self._today())
        name = text(school)
        if not name:
            raise ValidationError(N_("Enter the school."), field="school")
        if iso(on) < episode["started_on"]:
            raise ValidationError(N_("The date is before the child became looked after."), field="started_on")
        values = {"person_id": person_id, "school": name, "started_on": iso(on)}
        return self.session.write(lambda tx: tx.insert("lac_school_change", values, case_id=case_id))

    # -- worker -------------------------------------------------------------------------------
    def change_worker(self, case_id: str, worker_id: str, *, on: str | None = None,
                      reason: str | None = None) -> dict[str, Any]:
        """Allocate a new social worker (the change is kept as worker history); a team manager within their
        own team (``NotYourTeam`` otherwise, as the server refuses it)."""
        self.session.require(Can.ALLOCATE)
        case = require_case(self.session, case_id)
        worker = self.session.store.rows("SELECT team_id FROM practitioner WHERE id = ? AND deleted = 0", [worker_id])
        if not worker:
            raise ValidationError(N_("Choose the social worker."), field="worker_id")
        require_reach(self.session.user, [case["team_id"], worker[0]["team_id"]], "worker_id")
        day = past_date(on or self._today(), "on", self._today())

        def write(tx: Tx) -> dict[str, Any]:
            change_worker_tx(tx, tx.get("case_file", case_id) or case, worker_id, iso(day) or "", text(reason) or None)
            return tx.get("case_file", case_id) or case

        return self.session.write(write)

    # -- reading ------------------------------------------------------------------------------
    def team_history(self, case_id: str) -> list[dict[str, Any]]:
        """Every team move / case-type change of the case, oldest first, with team names."""
        self.session.require(Can.VIEW_CASE)
        require_case(self.session, case_id)
        return self.session.store.rows(
            "SELECT h.*, ft.name AS from_team, tt.name AS to_team FROM case_team_history h"
            " LEFT JOIN team ft ON ft.id = h.from_team_id LEFT JOIN team tt ON tt.id = h.to_team_id"
            " WHERE h.case_id = ? AND h.deleted = 0 ORDER BY h.on_date, h.created_at", [case_id])

    def worker_history(self, case_id: str) -> list[dict[str, Any]]:
        """See :func:`desktop.services.children.voice.worker_history`."""
        from desktop.services.children.voice import worker_history

        self.session.require(Can.VIEW_CASE)
        require_case(self.session, case_id)
        return worker_history(self.session.store, case_id)

    def overview(self, case_id: str, person_id: str) -> dict[str, Any]:
        """Everything the Children in Care tab shows for one child: episodes, legal status history,
        placements, care plans, visits, reviews, health, PEPs (each newest first)."""
        self.session.require(Can.VIEW_CASEWORK)
        require_child(self.session, case_id, person_id)
        note_read(self.session, case_id, "lac_episode", person_id)
        store = self.session.store
        out: dict[str, Any] = {}
        for key, table, order in (
            ("episodes", "lac_episode", "started_on"),
            ("legal_statuses", "lac_legal_status", "from_date"),
            ("placements", "lac_placement", "start_on"),
            ("care_plans", "lac_care_plan", "prepared_on"),
            ("visits", "lac_visit", "visited_on"),
            ("reviews", "lac_review", "held_on"),
            ("health", "lac_health_event", "on_date"),
            ("peps", "lac_pep", "on_date"),
        ):
            out[key] = store.rows(
                f"SELECT * FROM {table} WHERE person_id = ? AND deleted = 0 ORDER BY {order} DESC, created_at DESC",
                [person_id])
        out["current_episode"] = open_episode(store, person_id)
        out["current_placement"] = placement_on(store, person_id, self._today().isoformat())
        return out
