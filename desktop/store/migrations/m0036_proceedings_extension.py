"""The court's extensions of the 26 weeks within which care proceedings are to be decided (Children Act
1989 s.32(5)): each extension the court grants, when, until when and why, append-only (a court order is a
fact; a mistaken entry is deleted with its reason, as other records are). Rule P1's due date is the end of
the latest extension once there is one (rule P1x); how far one extension may reach is
``definitions.care_proceedings_extension`` in ``rules.json``. Synced like the proceedings' stages.
"""

from __future__ import annotations

from sqlite_utils import Database

from desktop.store.migrations import MIGRATIONS
from desktop.store.schema import register_append_only, synced_table

register_append_only("proceedings_extension")

TABLE = synced_table(
    "proceedings_extension",
    """
    proceedings_id TEXT NOT NULL REFERENCES proceedings(id),
    granted_on TEXT NOT NULL,
    extended_to TEXT NOT NULL,
    reason TEXT NOT NULL
    """,
)


@MIGRATIONS(name="m0036_proceedings_extension")
def m0036_proceedings_extension(db: Database) -> None:
    db.execute(TABLE)
    db.execute("CREATE INDEX proceedings_extension_proceedings ON proceedings_extension(proceedings_id)")
