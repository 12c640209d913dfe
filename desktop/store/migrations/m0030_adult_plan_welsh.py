"""The Welsh beside the adult's care and support protection plan, which the plan letter quotes (N19 to
the adult at risk; after m0017 and m0021).

* ``adult_plan.summary`` — why the plan is needed (the letter's "Why a plan is needed");
* ``adult_plan_outcome.description`` — what the plan wants to achieve with the adult;
* ``adult_plan_action.description`` — what the adult will do, and the support others give.

NULL until the Welsh is written. Synced like every column of these tables (the server's row spec is
derived from these migrations).
"""

from __future__ import annotations

from sqlite_utils import Database

from desktop.store.migrations import MIGRATIONS

WELSH_COLUMNS: dict[str, tuple[str, ...]] = {
    "adult_plan": ("summary",),
    "adult_plan_outcome": ("description",),
    "adult_plan_action": ("description",),
}
"""Table → the English free-text columns this step gives a ``_cy`` sibling."""


@MIGRATIONS(name="m0030_adult_plan_welsh")
def m0030_adult_plan_welsh(db: Database) -> None:
    for table, columns in WELSH_COLUMNS.items():
        for column in columns:
            db.execute(f"ALTER TABLE [{table}] ADD COLUMN [{column}_cy] TEXT")
