"""Adult protection and support orders (SSWBA 2014 s127; procedures.md row A9).

* ``adult_apso`` — one application for an order and what became of it. Mutable, field by field, as an
  enquiry is: the application (when, the authorised officer, the court, the premises, why each
  condition of s127(4) is met and what stands in the way of speaking to the adult), then the court's
  decision (``granted`` with the period the order is in force, first and last day; or ``refused``),
  then the order's end. The order gives no power of removal, so nothing here records one.
* ``adult_apso_entry`` — each entry under a granted order: the day, whether the officer spoke with
  the adult in private, whether the adult chose not to answer (s127 leaves the adult free to refuse)
  and the outcome. Append-only.

Synced like the other adults' tables (the case's casework: caseworkers read and push them).
"""

from __future__ import annotations

from sqlite_utils import Database

from desktop.store.migrations import MIGRATIONS
from desktop.store.schema import register_append_only, synced_table

register_append_only("adult_apso_entry")

TABLES = [
    synced_table(
        "adult_apso",
        """
        person_id TEXT NOT NULL REFERENCES person(id),
        applied_on TEXT NOT NULL,
        officer_id TEXT NOT NULL REFERENCES practitioner(id),
        court TEXT NOT NULL,
        premises TEXT NOT NULL,
        reasonable_cause TEXT NOT NULL,
        access_needed TEXT NOT NULL,
        order_needed TEXT NOT NULL,
        no_greater_risk TEXT NOT NULL,
        obstruction TEXT NOT NULL CHECK (obstruction IN ('refused', 'undue_influence')),
        obstruction_detail TEXT NOT NULL,
        decision TEXT CHECK (decision IN ('granted', 'refused')),
        decided_on TEXT,
        in_force_from TEXT,
        in_force_to TEXT,
        decision_note TEXT,
        ended_on TEXT,
        end_reason TEXT CHECK (end_reason IN ('purposes_met', 'lapsed', 'not_needed')),
        end_note TEXT,
        CHECK (decision IS NULL OR decided_on IS NOT NULL),
        CHECK (decision IS NOT 'granted' OR (in_force_from IS NOT NULL AND in_force_to IS NOT NULL
               AND in_force_to >= in_force_from)),
        CHECK (ended_on IS NULL OR decision = 'granted')
        """,
    ),
    synced_table(
        "adult_apso_entry",
        """
        apso_id TEXT NOT NULL REFERENCES adult_apso(id),
        person_id TEXT NOT NULL REFERENCES person(id),
        entered_on TEXT NOT NULL,
        spoke_in_private INTEGER NOT NULL CHECK (spoke_in_private IN (0, 1)),
        declined_to_answer INTEGER NOT NULL CHECK (declined_to_answer IN (0, 1)),
        accompanied_by TEXT,
        outcome TEXT NOT NULL
        """,
    ),
]


@MIGRATIONS(name="m0034_adult_apso")
def m0034_adult_apso(db: Database) -> None:
    for statement in TABLES:
        db.execute(statement)
    db.execute("CREATE INDEX adult_apso_case ON adult_apso(case_id, applied_on)")
    db.execute("CREATE INDEX adult_apso_entry_apso ON adult_apso_entry(apso_id, entered_on)")
