"""What is due, kept per case for as long as it holds (issue 22, item 4): one answer per person and case.

``due_kept`` (m0023) kept an answer per day asked, so the first sign-in of a new day worked every case out
again. An answer now holds from the day it was worked out (``from_day``) to the last day its day-independent
part stays the same (``until_day``: the next day a rule comes into or out of force, an exception starts or
ends, a child turns five or reaches or leaves school age, a scheduled review passes); what does depend on the
day (overdue or not, days overdue, who is away and who covers) is worked out when it is read
(:mod:`desktop.services.due_kept`). The table is derived and laptop-only (never synced or exported), so it is
made again empty: every answer is worked out once more and kept in the new form.
"""

from __future__ import annotations

from sqlite_utils import Database

from desktop.store.migrations import MIGRATIONS


@MIGRATIONS(name="m0024_due_kept_days")
def m0024_due_kept_days(db: Database) -> None:
    db.execute("DROP TABLE IF EXISTS due_kept")
    db.execute(
        "CREATE TABLE due_kept (viewer TEXT NOT NULL, case_id TEXT NOT NULL, from_day TEXT NOT NULL,"
        " until_day TEXT NOT NULL, seq INTEGER NOT NULL, hash TEXT NOT NULL, recipe TEXT NOT NULL,"
        " workers TEXT NOT NULL, items BLOB NOT NULL, PRIMARY KEY (viewer, case_id)) WITHOUT ROWID")
