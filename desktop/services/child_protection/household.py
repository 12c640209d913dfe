"""A registered child's household changes → the register custodian (N5) and the core group (N6) are
told, in the same transaction as the change (SEED 000: "notifying the custodian … immediately").

:func:`install` subscribes :func:`on_household_changed` to
:class:`desktop.services.events.HouseholdChanged` (idempotent; done when this package is imported).
For each child among the event's people who is on the register (active or temporary), it queues one
``N5`` to each register custodian (practitioners with the ``register_custodian`` role) and one ``N6`` to
each current core group member (practitioner, agency or family member), per case.
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
from desktop.services.tasks import raise_task
from desktop.store import Tx

DESCRIPTIONS = {
    "address": N_("The child's address has changed."),
    "joined": N_("Someone has joined the child's household."),
    "left": N_("Someone has left the child's household."),
    "regular_visitor": N_("A new person visits the child's household regularly."),
}


def on_household_changed(tx: Tx, event: events.HouseholdChanged) -> None:
    on = tx.now[:10]
    for person_id in dict.fromkeys(event.person_ids):
        entry = active_entry(tx, person_id)
        if entry is None:
            continue
        coord = practitioner(tx, entry["coordinator_id"])
        data: dict[str, Any] = {
            **child_facts(tx, person_id), "change_date": on, "change_kind": event.what,
            "change_description": bilingual(DESCRIPTIONS.get(event.what, DESCRIPTIONS["joined"])),
            "coordinator_name": coord["name"], "coordinator_phone": coord["phone"],
        }
        source = f"household_changed:{event.what}"
        raise_task(tx, case_id=entry["case_id"], kind="household_change", person_id=person_id,
                   to_role=Role.REGISTER_CUSTODIAN, raised_on=on, details={"what": event.what})
        for custodian in register_custodians(tx):
            queue_letter(tx, case_id=entry["case_id"], template_id="N5", recipient_kind="practitioner",
                         recipient_id=custodian, data=data, source_event=source)
        for m in active_core_members(tx, entry["case_id"], on):
            rid = m["practitioner_id"] or m["agency_id"] or m["person_id"]
            queue_letter(tx, case_id=entry["case_id"], template_id="N6", recipient_kind=m["member_kind"],
                         recipient_id=rid, data=data, source_event=source)


def install() -> None:
    events.subscribe(events.HouseholdChanged, on_household_changed)
