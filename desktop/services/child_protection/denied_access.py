"""N13: a practitioner denied access to a registered child or the home → the other core group
practitioners and the co-ordinator are told, else the team manager (WSP c4-p5) (Qt-free).

:func:`notify` runs inside the transaction that records the visit, so the report cannot be lost
between the two. One letter to each recipient naming every registered child of the visit they are
told about, in the recipient's language: every practitioner or agency in the core group (not family members) except the visitor,
and the child's co-ordinator unless they made the visit. When that leaves nobody, the case team's
managers are told instead.
"""

from __future__ import annotations

from typing import Any

from desktop.i18n import N_, bilingual
from desktop.services.child_protection._common import (
    active_core_members,
    active_entry,
    practitioner,
)
from desktop.services.correspondence import queue_letter
from desktop.services.letter_children import children_facts
from desktop.services.tasks import raise_task
from desktop.services.welsh_text import source as welsh_source
from desktop.store import Tx


def _team_managers(tx: Tx, case_id: str) -> list[str]:
    return [r["id"] for r in tx.query(
        "SELECT p.id FROM practitioner p JOIN case_file c ON c.team_id = p.team_id WHERE c.id = ?"
        " AND p.deleted = 0 AND p.active = 1 AND p.app_role = 'team_manager'", [case_id])]


def notify(tx: Tx, case_id: str, visit: dict[str, Any], child_ids: list[str]) -> list[dict[str, Any]]:
    """Queue N13 for a visit recorded with access denied (``visit``: the ``cp_visit`` row); returns the
    letters queued. "What happened" quotes the visit's observations (their Welsh too, once written)."""
    visitor = visit["visitor_id"]
    day = visit["visited_on"]
    letters: list[dict[str, Any]] = []
    # One letter to each recipient naming every child they are told about (per co-ordinator, whose
    # name and number the letter gives).
    told: dict[tuple[str, str, str], list[str]] = {}
    for child in child_ids:
        entry = active_entry(tx, child)
        if entry is None:
            continue
        recipients: dict[tuple[str, str], None] = {}
        if entry["coordinator_id"] and entry["coordinator_id"] != visitor:
            recipients[("practitioner", entry["coordinator_id"])] = None
        for m in active_core_members(tx, case_id, day):
            if m["member_kind"] == "practitioner" and m["practitioner_id"] != visitor:
                recipients[("practitioner", m["practitioner_id"])] = None
            elif m["member_kind"] == "agency":
                recipients[("agency", m["agency_id"])] = None
        if not recipients:
            recipients = dict.fromkeys(("practitioner", tm) for tm in _team_managers(tx, case_id) if tm != visitor)
        # The co-ordinator (else the team managers) gets a task in My work as well as the letter.
        for_whom = [entry["coordinator_id"]] if entry["coordinator_id"] and entry["coordinator_id"] != visitor \
            else [tm for tm in _team_managers(tx, case_id) if tm != visitor]
        for pid in for_whom:
            raise_task(tx, case_id=case_id, kind="access_denied", person_id=child, to_practitioner_id=pid,
                       raised_on=day, details={"date": day, "visit_id": visit.get("id")})
        for kind, rid in recipients:
            told.setdefault((kind, rid, entry["coordinator_id"] or ""), []).append(child)
    for (kind, rid, coordinator_id), children in told.items():
        coord = practitioner(tx, coordinator_id or None)
        data = {
            **children_facts(tx, children), "visit_date": day, "visitor_name": practitioner(tx, visitor)["name"],
            "what_happened": visit.get("observations") or bilingual(N_("No details were recorded.")),
            "coordinator_name": coord["name"], "coordinator_phone": coord["phone"],
        }
        if visit.get("observations") and visit.get("id"):  # re-read with its Welsh at every check
            data["welsh_sources"] = {"what_happened": [welsh_source("cp_visit", visit["id"], "observations")]}
        letters.append(queue_letter(tx, case_id=case_id, template_id="N13", recipient_kind=kind,
                                    recipient_id=rid, data=data, source_event="cp_visit:access_denied"))
    return letters
