"""Change of care and support protection plan co-ordinator (N1; SEED 000).

``CoordinatorService(session).change(case_id, *, new_coordinator_id, verbal_to, verbal_on, child_ids=None,
effective_on=None, reason=None)`` — one transaction: per child an append-only ``cp_coordinator_change``
(who was told verbally, when), the register entry amended the same day (+ history, the co-ordinator's
role moved), and ``N1`` written confirmations queued to every agency in the core group and to each
parent or carer with parental responsibility. Refused: the new co-ordinator not employed by social
services or without Social Care Wales registration; no verbal notification recorded; a child not on the
register; the same co-ordinator as now; dates in the future. Only the outgoing co-ordinator or their
line manager (a team manager of the outgoing co-ordinator's team) or a senior manager may make the
change (seed 000: "the social worker relinquishing responsibility or their supervising line manager");
with no co-ordinator named, a manager names one.
"""

from __future__ import annotations

from typing import Any

from desktop.domain.types import Role
from desktop.errors import PermissionDenied, ValidationError
from desktop.i18n import N_
from desktop.services.child_protection._common import (
    active_entry,
    check_children,
    child_facts,
    dumps,
    practitioner,
    required_date,
    text,
)
from desktop.services.child_protection.conference import _agencies_and_family
from desktop.services.child_protection.register import change_entry, check_coordinator
from desktop.services.correspondence import queue_letter
from desktop.services.permissions import Can
from desktop.services.scope import require_case
from desktop.store import Tx


class CoordinatorService:
    def __init__(self, session: Any) -> None:
        self.session = session

    def change(
        self,
        case_id: str,
        *,
        new_coordinator_id: str,
        verbal_to: list[dict[str, Any]],
        verbal_on: str,
        child_ids: list[str] | None = None,
        effective_on: str | None = None,
        reason: str | None = None,
    ) -> dict[str, Any]:
        """Returns ``{"changes": [...], "entries": [...], "letters": [...]}``."""
        self.session.require(Can.RECORD_CASEWORK)
        require_case(self.session, case_id)
        children = check_children(self.session, case_id, child_ids)
        self._may_change(children)
        check_coordinator(self.session.store, new_coordinator_id)
        today = self.session.today()
        told = required_date(verbal_on, "verbal_on", today).isoformat()
        effective = required_date(effective_on or today, "effective_on", today).isoformat()
        if not verbal_to or not all(text(v.get("name")) for v in verbal_to):
            raise ValidationError(
                N_("Record who was told of the change verbally, and when, before confirming it in writing."),
                field="verbal_to")

        def write(tx: Tx) -> dict[str, Any]:
            out: dict[str, Any] = {"changes": [], "entries": [], "letters": []}
            new = practitioner(tx, new_coordinator_id)
            team_manager = tx.query(
                "SELECT p.given_names || ' ' || p.family_name AS name FROM case_file c JOIN practitioner p"
                " ON p.team_id = c.team_id AND p.app_role = 'team_manager' AND p.deleted = 0 WHERE c.id = ?"
                " LIMIT 1", [case_id])
            for child in children:
                entry = active_entry(tx, child)
                if entry is None:
                    raise ValidationError(N_("The child is not on the child protection register."),
                                          field="child_ids")
                if entry["coordinator_id"] == new_coordinator_id:
                    raise ValidationError(N_("That social worker is already the co-ordinator."),
                                          field="new_coordinator_id")
                previous = practitioner(tx, entry["coordinator_id"])
                out["changes"].append(tx.insert("cp_coordinator_change", {
                    "person_id": child, "previous_id": entry["coordinator_id"], "new_id": new_coordinator_id,
                    "effective_on": effective, "verbal_to": dumps(verbal_to), "verbal_on": told,
                    "reason": text(reason) or None,
                }, case_id=case_id))
                # The register is amended the same day as the change (SEED 000: "promptly").
                out["entries"].append(change_entry(tx, entry, {"coordinator_id": new_coordinator_id},
                                                   "coordinator", effective, reason=text(reason) or None))
                data = {**child_facts(tx, child), "previous_coordinator": previous["name"],
                        "new_coordinator": new["name"], "new_coordinator_phone": new["phone"],
                        "effective_date": effective,
                        "team_manager": team_manager[0]["name"] if team_manager else ""}
                for kind, rid in _agencies_and_family(tx, case_id, [child], effective):
                    out["letters"].append(queue_letter(
                        tx, case_id=case_id, template_id="N1", recipient_kind=kind, recipient_id=rid,
                        data={**data, "audience": "family" if kind == "person" else "agency"},
                        source_event=f"cp_coordinator_change:{out['changes'][-1]['id']}"))
            return out

        return self.session.write(write)

    def _may_change(self, children: list[str]) -> None:
        """Refuse unless the signed-in person is each child's outgoing co-ordinator, that co-ordinator's
        line manager, or a senior manager."""
        user = self.session.user
        if user.role == Role.SENIOR_MANAGER:
            return
        store = self.session.store
        for child in children:
            rows = store.rows("SELECT e.coordinator_id, p.team_id FROM register_entry e LEFT JOIN practitioner p"
                              " ON p.id = e.coordinator_id WHERE e.person_id = ? AND e.deleted = 0 AND e.status IN"
                              " ('active', 'temporary') ORDER BY e.registered_on DESC LIMIT 1", [child])
            if not rows:
                continue  # not on the register: refused below with its own reason
            outgoing, team = rows[0]["coordinator_id"], rows[0]["team_id"]
            if outgoing is not None and outgoing == user.id:
                continue
            if user.role == Role.TEAM_MANAGER and (outgoing is None or team == user.team_id):
                continue
            raise PermissionDenied(N_("Only the outgoing co-ordinator or their line manager can change the "
                                      "co-ordinator."))
