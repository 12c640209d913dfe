"""The Welsh beside the English of the free texts letters quote (issue 17).

A Welsh or bilingual letter that quotes a worker's free text (a conference decision's outline plan
or reasons for removal, the plan's outcomes, an adult closure's reasons) is held until that text is
recorded in Welsh too. Each such column gets a ``<column>_cy`` sibling, NULL until the Welsh is
written (on the form beside the English, or afterwards from the print queue). Synced like every
column of these tables: the row spec is derived from these migrations.
"""

from __future__ import annotations

from sqlite_utils import Database

from desktop.store.migrations import MIGRATIONS

WELSH_COLUMNS: dict[str, tuple[str, ...]] = {
    "cp_conference_decision": ("outline_plan", "reasons"),
    "cp_plan": ("outline",),
    "cp_plan_outcome": ("description",),
    "adult_closure": ("reasons",),
}
"""Table → the English free-text columns that have a ``_cy`` sibling."""


@MIGRATIONS(name="m0017_welsh_text")
def m0017_welsh_text(db: Database) -> None:
    for table, columns in WELSH_COLUMNS.items():
        for column in columns:
            db.execute(f"ALTER TABLE [{table}] ADD COLUMN [{column}_cy] TEXT")
