"""A signed-off record edited in place is asked for sign-off again.

A Child in Need plan and an adult's care and support protection plan are changed where they stand (an outcome
or an action added, an action's wording, owner or due date changed, the adult plan's summary rewritten), unlike
a protection plan, whose revisions are new rows. Each such change writes ``content_changed_at`` (when) and a
new ``content_token`` (a random value: two laptops' changes made offline never share one) on the plan, in the
change's own transaction; a sign-off decision keeps the token of the record as the manager saw it
(``signoff.record_token``). A signed-off plan whose token is no longer the one signed off waits for sign-off
again (``desktop/services/oversight.py``). Progress (an action's status, a review) changes nothing here.
NULL everywhere before this migration: a plan never changed since carries no token. Synced like every column.
"""

from __future__ import annotations

from sqlite_utils import Database

from desktop.store.migrations import MIGRATIONS


@MIGRATIONS(name="m0035_signoff_changed")
def m0035_signoff_changed(db: Database) -> None:
    for table in ("cin_plan", "adult_plan"):
        db.execute(f"ALTER TABLE {table} ADD COLUMN content_changed_at TEXT")
        db.execute(f"ALTER TABLE {table} ADD COLUMN content_token TEXT")
    db.execute("ALTER TABLE signoff ADD COLUMN record_token TEXT")
