"""Child protection transfers between local authorities (WSP s4 c4-p10): a registered child's family
moving out of the area (C17: written information to the receiving authority within 3 days of the
notification) and a child on another authority's register moving in (C18: a transfer-in conference is
needed for a permanent move or a stay of more than 12 weeks; C19: held within 15 working days of the
notification and agreement that the move is permanent).

One mutable row per transfer and child (dates arrive as the transfer goes on; the audit keeps who
changed what). ``direction`` is ``out`` or ``in``; ``other_la`` the receiving or sending authority.
"""

from __future__ import annotations

from sqlite_utils import Database

from desktop.store.migrations import MIGRATIONS
from desktop.store.schema import synced_table

TABLE = synced_table(
    "cp_transfer",
    """
    person_id TEXT NOT NULL REFERENCES person(id),
    direction TEXT NOT NULL CHECK (direction IN ('out', 'in')),
    notified_on TEXT NOT NULL,
    other_la TEXT NOT NULL,
    permanent INTEGER NOT NULL DEFAULT 1,
    new_address TEXT,
    expected_until TEXT,
    information_sent_on TEXT,
    agreed_on TEXT,
    conference_on TEXT,
    outcome TEXT CHECK (outcome IN ('registered', 'not_registered')),
    closed_on TEXT,
    notes TEXT
    """,
)


@MIGRATIONS(name="m0007_transfers")
def m0007_transfers(db: Database) -> None:
    db.execute(TABLE)
    db.execute("CREATE INDEX cp_transfer_person ON cp_transfer(person_id, direction, notified_on)")
    db.execute("CREATE INDEX cp_transfer_case ON cp_transfer(case_id)")
