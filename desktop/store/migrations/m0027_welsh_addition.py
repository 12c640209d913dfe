"""The Welsh of a quoted text added after its record was made, for records that never change.

A Welsh or bilingual letter quoting a free text recorded only in English waits for its Welsh (issue 17).
Most such texts take their Welsh into their own record (a ``_cy`` column, or an amendment of an
append-only conference decision or visit). An adult closure never changes once recorded and has no
amendments — the closure is a fact the figures and the returns count once — so its Welsh, added later
from the print queue, is a ``welsh_addition``: append-only, in the record's case, naming the record and
column it translates. The letter reads the latest one when the record's own Welsh is empty
(:func:`desktop.services.welsh_text.read_sources`). Synced like every table here.
"""

from __future__ import annotations

from sqlite_utils import Database

from desktop.store.migrations import MIGRATIONS
from desktop.store.schema import register_append_only, synced_table

register_append_only("welsh_addition")

TABLE = synced_table(
    "welsh_addition",
    """
    source_table TEXT NOT NULL,
    source_id TEXT NOT NULL,
    source_column TEXT NOT NULL,
    text_cy TEXT NOT NULL CHECK (length(trim(text_cy)) > 0)
    """,
)


@MIGRATIONS(name="m0027_welsh_addition")
def m0027_welsh_addition(db: Database) -> None:
    db.execute(TABLE)
    db.execute("CREATE INDEX welsh_addition_source ON welsh_addition(source_table, source_id, source_column)")
