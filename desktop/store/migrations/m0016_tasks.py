"""Escalations become tasks for a person or a role (issue 16): the N3/N4 escalations to the senior
manager, the N5 household change of a registered child to the register custodian and the N13 access
denied to the child's co-ordinator all reach the My work of the person they are for, on their own
laptop after sync, until that person acknowledges them saying what was done.

``to_practitioner_id`` (a task for one person; else ``to_role`` names the role), ``person_id`` (the
child or adult it is about) and ``details`` (JSON: what the wording needs, e.g. the visit date) join the
``escalation`` table; ``kind`` keeps its meaning (``no_coordinator``, ``no_lead_practitioner``,
``household_change``, ``access_denied``).
"""

from __future__ import annotations

from sqlite_utils import Database

from desktop.store.migrations import MIGRATIONS


@MIGRATIONS(name="m0016_tasks")
def m0016_tasks(db: Database) -> None:
    for column in ("to_practitioner_id TEXT REFERENCES practitioner(id)", "person_id TEXT REFERENCES person(id)",
                   "details TEXT"):
        db.execute(f"ALTER TABLE escalation ADD COLUMN {column}")
    db.execute("CREATE INDEX escalation_for_person ON escalation(to_practitioner_id, acknowledged_at)")
    # Before tasks, a no-co-ordinator escalation kept its child in ``reason`` (JSON).
    db.execute("UPDATE escalation SET person_id = json_extract(reason, '$.person_id')"
               " WHERE person_id IS NULL AND json_valid(reason) AND json_extract(reason, '$.person_id') IS NOT NULL")
