"""Correspondence: the letter queue (what casework asks admin staff to send) and escalations."""

from __future__ import annotations

from sqlite_utils import Database

from desktop.store.migrations import MIGRATIONS
from desktop.store.schema import split_sql, synced_table

SQL = [
    # One row per letter to one recipient. Casework queues it; admin staff render, print and
    # send it. The rendered PDF is kept (encrypted, like everything in the store).
    synced_table(
        "letter",
        """
        template_id TEXT NOT NULL,
        recipient_kind TEXT NOT NULL CHECK (recipient_kind IN ('person', 'agency', 'practitioner')),
        recipient_id TEXT NOT NULL,
        recipient_name TEXT NOT NULL,
        language TEXT NOT NULL CHECK (language IN ('cy', 'en', 'bilingual')),
        data TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'held', 'printed', 'cancelled')),
        held_reason TEXT,
        source_event TEXT,
        printed_at TEXT,
        printed_by TEXT,
        pdf BLOB
        """,
    ),
    # Internal alerts that must reach a senior manager at once (N3, N4) and similar.
    synced_table(
        "escalation",
        """
        kind TEXT NOT NULL,
        to_role TEXT NOT NULL,
        reason TEXT NOT NULL,
        raised_on TEXT NOT NULL,
        acknowledged_at TEXT,
        acknowledged_by TEXT,
        outcome TEXT
        """,
    ),
]

INDEXES = """
CREATE INDEX letter_status ON letter(status);
CREATE INDEX letter_case ON letter(case_id);
CREATE INDEX escalation_open ON escalation(to_role, acknowledged_at);
"""


@MIGRATIONS(name="m0002_correspondence")
def m0002_correspondence(db: Database) -> None:
    for statement in SQL + split_sql(INDEXES):
        db.execute(statement)
