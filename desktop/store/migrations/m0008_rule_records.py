"""Records the timescale rules of issue 18 need (Qt-free).

* ``rule_exception`` — a manager's recorded exception to one rule for one child or adult: who agreed,
  why (age, disability or another reason in words), from and until when, and, where the rule allows
  it, what takes the place of what the rule asks (V1 for a baby: "seen" in place of "seen alone").
  Mutable: it can be ended early (``ended_on``); the audit keeps who changed what.
* ``complaint`` — a complaint under the Social Services Complaints Procedure (Wales) Regulations 2014
  (SI 2014/1794): who complained (and for whom), when, how, about what, the stage it has reached and
  the outcome, with the dates rules K1-K3 run from. Mutable: the dates arrive as it goes on.
* ``practitioner_allegation`` — an allegation or concern about a practitioner (WSP Section 5) and when
  the Local Authority Designated Officer was informed (rule S5).
* ``lac_school_change`` — a looked-after child starting at a school (append-only): a change of school
  restarts the personal education plan's clock (L10).
* ``cin_assessment.referral_on`` — when the referral that led to an assessment was received (the
  42-working-day assessment, CIN3, runs from it; the assessment's start when it is not recorded).
* ``lac_placement.short_break`` — a placement in a series of short breaks (SI 2015/1818 reg 62), for
  which the regulations remove or change the placement plan, health assessment, statutory visits and
  review timescales.
"""

from __future__ import annotations

from sqlite_utils import Database

from desktop.store.migrations import MIGRATIONS
from desktop.store.schema import register_append_only, split_sql, synced_table

register_append_only("lac_school_change")

TABLES = [
    synced_table(
        "rule_exception",
        """
        person_id TEXT NOT NULL REFERENCES person(id),
        rule_id TEXT NOT NULL,
        agreed_by TEXT NOT NULL REFERENCES practitioner(id),
        agreed_on TEXT NOT NULL,
        reason_kind TEXT NOT NULL CHECK (reason_kind IN ('age', 'disability', 'other')),
        reason TEXT NOT NULL,
        substitute TEXT,
        from_date TEXT NOT NULL,
        until_date TEXT NOT NULL,
        ended_on TEXT,
        end_reason TEXT
        """,
    ),
    synced_table(
        "complaint",
        """
        person_id TEXT REFERENCES person(id),
        complainant_name TEXT NOT NULL,
        complainant_relationship TEXT,
        received_on TEXT NOT NULL,
        channel TEXT NOT NULL CHECK (channel IN ('oral', 'written')),
        about TEXT NOT NULL,
        stage TEXT NOT NULL DEFAULT 'local_resolution'
            CHECK (stage IN ('local_resolution', 'formal_investigation', 'ombudsman', 'closed')),
        acknowledged_on TEXT,
        discussed_on TEXT,
        resolution_sent_on TEXT,
        stage2_requested_on TEXT,
        stage2_response_sent_on TEXT,
        outcome TEXT CHECK (outcome IN ('resolved', 'upheld', 'partly_upheld', 'not_upheld', 'withdrawn')),
        closed_on TEXT
        """,
    ),
    synced_table(
        "practitioner_allegation",
        """
        person_id TEXT REFERENCES person(id),
        practitioner_name TEXT NOT NULL,
        agency_id TEXT REFERENCES agency(id),
        arisen_on TEXT NOT NULL,
        summary TEXT NOT NULL,
        lado_informed_on TEXT,
        closed_on TEXT
        """,
    ),
    synced_table(
        "lac_school_change",
        """
        person_id TEXT NOT NULL REFERENCES person(id),
        school TEXT NOT NULL,
        started_on TEXT NOT NULL,
        amends_id TEXT
        """,
    ),
]

STATEMENTS = """
ALTER TABLE cin_assessment ADD COLUMN referral_on TEXT;
ALTER TABLE lac_placement ADD COLUMN short_break INTEGER NOT NULL DEFAULT 0;
CREATE INDEX rule_exception_person ON rule_exception(person_id, rule_id, from_date);
CREATE INDEX rule_exception_case ON rule_exception(case_id);
CREATE INDEX complaint_case ON complaint(case_id, received_on);
CREATE INDEX practitioner_allegation_case ON practitioner_allegation(case_id, arisen_on);
CREATE INDEX lac_school_change_person ON lac_school_change(person_id, started_on);
"""


@MIGRATIONS(name="m0008_rule_records")
def m0008_rule_records(db: Database) -> None:
    for table in TABLES:
        db.execute(table)
    for statement in split_sql(STATEMENTS):
        db.execute(statement)
