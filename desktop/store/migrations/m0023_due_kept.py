"""What is due, kept per case on this laptop (issue 22, item 4): derived, never synced, never exported.

``due_kept`` holds, per person signed in (``viewer``), day asked (``on_day``) and case, the items
:class:`desktop.services.my_work.MyWorkService` worked out for that case (``items``, packed by
``my_work._pack_case``), the
workers those items name (``workers``, a JSON list: an absence or cover recorded for one of them
changes only these cases), the audit entry that was the last one when the reads behind the answer
began (``seq`` and its ``hash``: the stamp — the answer is current while no later audit entry touches
the case, and a history replaced by an import cannot pass for it) and the ``recipe`` (rules, calendar
and code) it was worked out with. It has none of the synced columns, so sync and exports never see it
(:mod:`desktop.services.due_kept`).
"""

from __future__ import annotations

from sqlite_utils import Database

from desktop.store.migrations import MIGRATIONS


@MIGRATIONS(name="m0023_due_kept")
def m0023_due_kept(db: Database) -> None:
    db.execute(
        "CREATE TABLE due_kept (viewer TEXT NOT NULL, on_day TEXT NOT NULL, case_id TEXT NOT NULL,"
        " seq INTEGER NOT NULL, hash TEXT NOT NULL, recipe TEXT NOT NULL, workers TEXT NOT NULL,"
        " items BLOB NOT NULL, PRIMARY KEY (viewer, on_day, case_id)) WITHOUT ROWID")
