"""The Welsh beside the rest of the free texts letters quote (issue 17, item 5; after m0017).

* ``adult_conference`` — the outcome summary, the decisions and the support offered that the adult's
  outcome report (N16) quotes. ``decisions_cy`` and ``support_offered_cy`` are JSON lists, like the
  English columns they sit beside.
* ``cp_visit.observations`` — "what happened" in the access-denied notice (N13).
* ``cp_plan_action.description`` and ``cp_plan.support`` — the plan's actions and the support it
  offers, quoted by the outline plan letter (N9) and the plan letter to a family (N19).

NULL until the Welsh is written. Synced like every column of these tables (the row spec is derived
from these migrations).
"""

from __future__ import annotations

from sqlite_utils import Database

from desktop.store.migrations import MIGRATIONS

WELSH_COLUMNS: dict[str, tuple[str, ...]] = {
    "adult_conference": ("outcome_summary", "decisions", "support_offered"),
    "cp_visit": ("observations",),
    "cp_plan_action": ("description",),
    "cp_plan": ("support",),
}
"""Table → the English free-text columns this step gives a ``_cy`` sibling."""

LIST_COLUMNS: frozenset[tuple[str, str]] = frozenset({
    ("adult_conference", "decisions"), ("adult_conference", "support_offered"),
})
"""Columns holding a JSON list of texts (their ``_cy`` holds the Welsh list)."""


@MIGRATIONS(name="m0021_more_welsh_text")
def m0021_more_welsh_text(db: Database) -> None:
    for table, columns in WELSH_COLUMNS.items():
        for column in columns:
            db.execute(f"ALTER TABLE [{table}] ADD COLUMN [{column}_cy] TEXT")
