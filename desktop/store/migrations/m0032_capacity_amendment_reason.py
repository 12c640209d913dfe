"""Why a capacity assessment was corrected: a correction of an assessment (``amends_id``, append-only) says
why, as a corrected visit does (``adult_visit.amendment_reason``). NULL on an assessment that corrects
nothing. Synced like every column of the table."""

from __future__ import annotations

from sqlite_utils import Database

from desktop.store.migrations import MIGRATIONS


@MIGRATIONS(name="m0032_capacity_amendment_reason")
def m0032_capacity_amendment_reason(db: Database) -> None:
    db.execute("ALTER TABLE adult_capacity_assessment ADD COLUMN amendment_reason TEXT")
