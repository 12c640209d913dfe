"""When comments on a conference record's accuracy came back to the chair (C9: within 10 working days
of receiving the record), so the engine can see C9 satisfied."""

from __future__ import annotations

from sqlite_utils import Database

from desktop.store.migrations import MIGRATIONS


@MIGRATIONS(name="m0003b_child_protection_record_comments")
def m0003b_child_protection_record_comments(db: Database) -> None:
    db.execute("ALTER TABLE cp_conference ADD COLUMN record_comments_on TEXT")
