"""A registered child's household changes → the register custodian (N5) and the core group (N6) are
told, in the same transaction as the change (SEED 000: "notifying the custodian … immediately").

:func:`install` subscribes :func:`on_household_changed` to
:class:`desktop.services.events.HouseholdChanged` (idempotent; done when this package is imported).
For the children among the event's people who are on the register (active or temporary) it raises a
task per child and queues, per case, one ``N5`` to each register custodian (practitioners with the
``register_custodian`` role) and one ``N6`` to each current core group member (practitioner, agency or
family member), each naming every such child of the case.
"""

from __future__ import annotations

from typing import Any

from desktop.domain.types import Role
from desktop.i18n import N_
from desktop.services import events
from desktop.services.child_protection._common import (
    active_core_members,
    active_entry,
    bilingual,
    child_facts,
    practitioner,
    register_custodians,
)
from desktop.services.correspondence import queue_letter
from desktop.services.letter_children import children_facts, per_child
from desktop.services.tasks import raise_task
from desktop.store import Tx

DESCRIPTIONS = {
    "address": N_("The address has changed."),
    "joined": N_("Someone has joined the household."),
    "left": N_("Someone has left the household."),
    "regular_visitor": N_("A new person visits the household regularly."),
}
"""What changed, in words that fit one child or several (the letter names the children)."""


def on_household_changed(tx: Tx, event: events.HouseholdChanged) -> None:
    on = tx.now[:10]
    by_case: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    for person_id in dict.fromkeys(event.person_ids):
        entry = active_entry(tx, person_id)
        if entry is None:
            continue
        raise_task(tx, case_id=entry["case_id"], kind="household_change", person_id=person_id,
                   to_role=Role.REGISTER_CUSTODIAN, raised_on=on, details={"what": event.what})
        by_case.setdefault(entry["case_id"], []).append((person_id, entry))
    source = f"household_changed:{event.what}"
    for case_id, children in by_case.items():  # one letter to each recipient per case, naming every child
        coordinators = [(child_facts(tx, p)["child_name"], practitioner(tx, e["coordinator_id"])) for p, e in children]
        data: dict[str, Any] = {
            **children_facts(tx, [p for p, _e in children]), "change_date": on, "change_kind": event.what,
            "change_description": bilingual(DESCRIPTIONS.get(event.what, DESCRIPTIONS["joined"])),
            "coordinator_name": per_child([(name, c["name"]) for name, c in coordinators]),
            "coordinator_phone": per_child([(name, c["phone"]) for name, c in coordinators]),
        }
        for custodian in register_custodians(tx):
            queue_letter(tx, case_id=case_id, template_id="N5", recipient_kind="practitioner",
                         recipient_id=custodian, data=data, source_event=source)
        for m in active_core_members(tx, case_id, on):
            rid = m["practitioner_id"] or m["agency_id"] or m["person_id"]
            queue_letter(tx, case_id=case_id, template_id="N6", recipient_kind=m["member_kind"],
                         recipient_id=rid, data=data, source_event=source)


def install() -> None:
    events.subscribe(events.HouseholdChanged, on_household_changed)
