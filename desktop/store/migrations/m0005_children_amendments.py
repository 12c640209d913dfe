"""Children: the reason for a correction of a statutory visit or a looked-after review (the
amendment row points at the original with ``amends_id`` and says why here)."""

from __future__ import annotations

from sqlite_utils import Database

from desktop.store.migrations import MIGRATIONS


@MIGRATIONS(name="m0005_children_amendments")
def m0005_children_amendments(db: Database) -> None:
    for table in ("lac_visit", "lac_review"):
        db.execute(f"ALTER TABLE {table} ADD COLUMN amendment_reason TEXT")
    db.execute("CREATE INDEX lac_visit_amends ON lac_visit(amends_id)")
    db.execute("CREATE INDEX lac_review_amends ON lac_review(amends_id)")
