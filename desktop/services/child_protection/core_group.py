"""Core group: membership, and meetings (first within 10 working days of registration, C10; then at
least every 6 weeks, C11).

``CoreGroupService(session)``:

* ``members(case_id)`` — current members (practitioners, agencies, family members).
* ``add_member(case_id, *, member_kind, practitioner_id=None, agency_id=None, person_id=None, role=None,
  from_date=None)`` / ``end_member(member_id, to_date=None)``.
* ``hold(case_id, *, held_on, attendance, progress=(), actions=(), denied_access=None, notes=None,
  next_on=None, chair_id=None, plan=None)`` — one transaction: an append-only ``cp_core_group`` row, its
  attendance (``{"member_id", "name", "attended", "written_contribution"}``; apologies are
  ``attended=False`` with the member's written contribution), progress per outcome (``{"outcome_id",
  "rag", "evidence"}``: the outcome's current rating is updated too), actions reviewed
  (``{"action_id", "status", "evidence"}``), denied-access incidents. ``plan`` (the
  :meth:`PlanService.revise` arguments) turns the outline into the detailed working plan as a new version
  linked to this meeting. Refused: a meeting in the future; no attendance; an unknown RAG/status; an
  apology with no written contribution or reason is allowed (recorded as it is).
"""

from __future__ import annotations

from typing import Any

from desktop.errors import NotFound, ValidationError
from desktop.i18n import N_
from desktop.services.child_protection._common import active_core_members, required_date, text
from desktop.services.child_protection.plan import ACTION_STATUSES, RAG, revise_plan, validate_plan
from desktop.services.permissions import Can
from desktop.services.reads import read_casework
from desktop.services.scope import require_case
from desktop.store import Tx


def add_members(tx: Tx, case_id: str, members: list[dict[str, Any]], on: str) -> list[dict[str, Any]]:
    """Add members not already current (same practitioner, agency or person)."""
    current = active_core_members(tx, case_id, on)
    have = {(m["member_kind"], m["practitioner_id"] or m["agency_id"] or m["person_id"]) for m in current}
    out = []
    for m in members:
        kind = m.get("member_kind") or ("practitioner" if m.get("practitioner_id") else
                                        "agency" if m.get("agency_id") else "person")
        key = (kind, m.get("practitioner_id") or m.get("agency_id") or m.get("person_id"))
        if key[1] is None:
            raise ValidationError(N_("Choose who each core group member is."), field="core_group")
        if key in have:
            continue
        have.add(key)
        agency_id = m.get("agency_id")
        if kind == "practitioner" and not agency_id:
            row = tx.get("practitioner", m["practitioner_id"])
            agency_id = row.get("agency_id") if row else None
        out.append(tx.insert("cp_core_member", {
            "member_kind": kind, "practitioner_id": m.get("practitioner_id"), "agency_id": agency_id,
            "person_id": m.get("person_id"), "role": m.get("role"), "from_date": m.get("from_date") or on,
        }, case_id=case_id))
    return out


class CoreGroupService:
    def __init__(self, session: Any) -> None:
        self.session = session

    def members(self, case_id: str) -> list[dict[str, Any]]:
        read_casework(self.session, case_id, "cp_core_member")
        today = self.session.today().isoformat()
        return self.session.store.rows(
            "SELECT m.*, COALESCE(pr.given_names || ' ' || pr.family_name, a.name,"
            " p.given_names || ' ' || p.family_name) AS name FROM cp_core_member m"
            " LEFT JOIN practitioner pr ON pr.id = m.practitioner_id LEFT JOIN agency a ON a.id = m.agency_id"
            " LEFT JOIN person p ON p.id = m.person_id WHERE m.case_id = ? AND m.deleted = 0"
            " AND (m.to_date IS NULL OR m.to_date >= ?) ORDER BY m.created_at", [case_id, today])

    def add_member(self, case_id: str, **member: Any) -> dict[str, Any] | None:
        self.session.require(Can.RECORD_CASEWORK)
        require_case(self.session, case_id)
        on = required_date(member.pop("from_date", None) or self.session.today(), "from_date", self.session.today())
        rows = self.session.write(lambda tx: add_members(tx, case_id, [member], on.isoformat()))
        return rows[0] if rows else None

    def end_member(self, member_id: str, to_date: str | None = None) -> dict[str, Any]:
        self.session.require(Can.RECORD_CASEWORK)
        rows = self.session.store.rows("SELECT * FROM cp_core_member WHERE id = ? AND deleted = 0", [member_id])
        if not rows:
            raise NotFound(N_("That core group member does not exist."))
        require_case(self.session, rows[0]["case_id"])
        end = required_date(to_date or self.session.today(), "to_date", self.session.today()).isoformat()
        return self.session.write(lambda tx: tx.update("cp_core_member", member_id, {"to_date": end}))

    def hold(
        self,
        case_id: str,
        *,
        held_on: str,
        attendance: list[dict[str, Any]],
        progress: list[dict[str, Any]] | tuple = (),
        actions: list[dict[str, Any]] | tuple = (),
        denied_access: str | None = None,
        notes: str | None = None,
        next_on: str | None = None,
        chair_id: str | None = None,
        plan: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        self.session.require(Can.RECORD_CASEWORK)
        require_case(self.session, case_id)
        held = required_date(held_on, "held_on", self.session.today()).isoformat()
        nxt = required_date(next_on, "next_on", self.session.today(), future_ok=True).isoformat() if next_on else None
        if not any(a.get("attended", True) for a in attendance):
            raise ValidationError(N_("Record who attended the core group."), field="attendance")
        for p in progress:
            if p.get("rag") not in RAG:
                raise ValidationError(N_("Rate progress red, amber or green."), field="progress")
            if not text(p.get("evidence")):
                raise ValidationError(N_("Give the evidence for each progress rating."), field="progress")
        for a in actions:
            if a.get("status") not in ACTION_STATUSES:
                raise ValidationError(N_("Choose the action's status."), field="actions")
        content = None
        if plan is not None:
            content = validate_plan(plan.get("outcomes", []), plan.get("actions", []), plan.get("assessments", []))

        def write(tx: Tx) -> dict[str, Any]:
            meeting = tx.insert("cp_core_group", {
                "held_on": held, "chair_id": chair_id or self.session.user.id,
                "denied_access": text(denied_access) or None, "notes": text(notes) or None, "next_on": nxt,
            }, case_id=case_id)
            for a in attendance:
                tx.insert("cp_core_group_attendance", {
                    "core_group_id": meeting["id"], "member_id": a.get("member_id"), "name": text(a.get("name")),
                    "attended": int(bool(a.get("attended", True))),
                    "written_contribution": text(a.get("written_contribution")) or None,
                }, case_id=case_id)
            if content is not None and plan is not None:
                outs, acts, assess = content
                revise_plan(tx, case_id, outcomes=outs, actions=acts, assessments=assess,
                            support=plan.get("support"), contingency=plan.get("contingency"),
                            stage="detailed", core_group_id=meeting["id"],
                            **({"support_cy": plan["support_cy"]} if "support_cy" in plan else {}))
            for p in progress:
                tx.insert("cp_core_group_item", {"core_group_id": meeting["id"], "kind": "outcome",
                                                 "ref_id": p["outcome_id"], "rag": p["rag"],
                                                 "evidence": text(p["evidence"])}, case_id=case_id)
                tx.update("cp_plan_outcome", p["outcome_id"], {"rag": p["rag"], "evidence": text(p["evidence"])})
            for a in actions:
                tx.insert("cp_core_group_item", {"core_group_id": meeting["id"], "kind": "action",
                                                 "ref_id": a["action_id"], "status": a["status"],
                                                 "evidence": text(a.get("evidence")) or None}, case_id=case_id)
                tx.update("cp_plan_action", a["action_id"], {"status": a["status"]})
            return meeting

        return self.session.write(write)

    def meetings(self, case_id: str) -> list[dict[str, Any]]:
        read_casework(self.session, case_id, "cp_core_group")
        return self.session.store.rows(
            "SELECT g.* FROM cp_core_group g WHERE g.case_id = ? AND g.deleted = 0"
            " AND NOT EXISTS (SELECT 1 FROM cp_core_group a WHERE a.amends_id = g.id) ORDER BY g.held_on DESC",
            [case_id])
