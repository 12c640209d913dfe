"""The core: bookkeeping (meta, audit, outbox, drafts) and the entities every journey needs."""

from __future__ import annotations

from sqlite_utils import Database

from desktop.store.migrations import MIGRATIONS
from desktop.store.schema import split_sql, synced_table

BOOKKEEPING_SQL = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);

-- Append-only, hash-chained: each entry's hash covers the previous entry's hash.
CREATE TABLE audit (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    entity TEXT,
    entity_id TEXT,
    case_id TEXT,
    before TEXT,
    after TEXT,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX audit_case ON audit(case_id, seq);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;

-- One entry per local change, written in the same transaction as the change; it leaves only
-- when the server acknowledges it. Refusals stay, in state 'attention'.
CREATE TABLE outbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    op_id TEXT NOT NULL UNIQUE,
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    case_id TEXT,
    kind TEXT NOT NULL CHECK (kind IN ('insert', 'update', 'delete')),
    fields TEXT NOT NULL,
    base TEXT NOT NULL,
    base_version INTEGER NOT NULL,
    append_only INTEGER NOT NULL DEFAULT 0,
    actor TEXT NOT NULL,
    device_id TEXT NOT NULL,
    local_time TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'attention')),
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT
);
CREATE INDEX outbox_entity ON outbox(entity, entity_id);
CREATE INDEX outbox_case ON outbox(case_id);

-- Half-typed forms; local only (not synced, not audited keystroke by keystroke), encrypted.
CREATE TABLE draft (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL,
    form TEXT NOT NULL,
    context TEXT NOT NULL DEFAULT '',
    data TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (user_id, form, context)
);
"""

ENTITY_TABLES = [
    synced_table(
        "team",
        """
        name TEXT NOT NULL,
        name_cy TEXT,
        kind TEXT NOT NULL
        """,
    ),
    synced_table(
        "agency",
        """
        name TEXT NOT NULL,
        name_cy TEXT,
        agency_type TEXT NOT NULL,
        relevant_partner INTEGER NOT NULL DEFAULT 0,
        address TEXT,
        phone TEXT,
        email TEXT,
        correspondence_language TEXT NOT NULL DEFAULT 'unknown'
        """,
    ),
    synced_table(
        "practitioner",
        """
        given_names TEXT NOT NULL,
        family_name TEXT NOT NULL,
        agency_id TEXT REFERENCES agency(id),
        job_title TEXT,
        app_role TEXT,
        team_id TEXT REFERENCES team(id),
        scw_number TEXT,
        employed_by_social_services INTEGER NOT NULL DEFAULT 0,
        phone TEXT,
        email TEXT,
        welsh_speaker INTEGER NOT NULL DEFAULT 0,
        active INTEGER NOT NULL DEFAULT 1
        """,
    ),
    synced_table(
        "person",
        """
        title TEXT,
        given_names TEXT,
        family_name TEXT NOT NULL,
        preferred_name TEXT,
        aliases TEXT,
        date_of_birth TEXT,
        unborn INTEGER NOT NULL DEFAULT 0,
        expected_date TEXT,
        date_of_death TEXT,
        sex TEXT,
        ethnicity TEXT,
        religion TEXT,
        disability TEXT,
        la_number TEXT,
        nhs_number TEXT,
        upn TEXT,
        first_language TEXT,
        correspondence_language TEXT NOT NULL DEFAULT 'unknown',
        language_asked_on TEXT,
        language_asked_by TEXT,
        interpreter_needed INTEGER NOT NULL DEFAULT 0,
        interpreter_language TEXT,
        communication_needs TEXT,
        phone TEXT,
        email TEXT,
        gp TEXT,
        dentist TEXT,
        school TEXT
        """,
    ),
    synced_table(
        "address",
        """
        person_id TEXT NOT NULL REFERENCES person(id),
        line1 TEXT NOT NULL,
        line2 TEXT,
        town TEXT,
        county TEXT,
        postcode TEXT,
        country TEXT NOT NULL DEFAULT 'GB',
        from_date TEXT,
        to_date TEXT
        """,
    ),
    synced_table(
        "household",
        """
        name TEXT,
        address_line1 TEXT,
        address_line2 TEXT,
        town TEXT,
        postcode TEXT
        """,
    ),
    synced_table(
        "household_member",
        """
        household_id TEXT NOT NULL REFERENCES household(id),
        person_id TEXT NOT NULL REFERENCES person(id),
        membership TEXT NOT NULL CHECK (membership IN ('resident', 'regular_visitor')),
        from_date TEXT,
        to_date TEXT
        """,
    ),
    synced_table(
        "relationship",
        """
        person_id TEXT NOT NULL REFERENCES person(id),
        related_person_id TEXT NOT NULL REFERENCES person(id),
        kind TEXT NOT NULL,
        parental_responsibility INTEGER NOT NULL DEFAULT 0,
        lives_in_household INTEGER NOT NULL DEFAULT 0,
        regular_visitor INTEGER NOT NULL DEFAULT 0,
        from_date TEXT,
        to_date TEXT
        """,
    ),
    synced_table(
        "case_file",
        """
        reference TEXT NOT NULL,
        case_type TEXT NOT NULL CHECK (case_type IN
            ('child_protection', 'child_in_need', 'looked_after', 'adult_at_risk')),
        team_id TEXT REFERENCES team(id),
        allocated_worker_id TEXT REFERENCES practitioner(id),
        opened_on TEXT NOT NULL,
        closed_on TEXT,
        close_reason TEXT,
        active_offer_made INTEGER NOT NULL DEFAULT 0,
        active_offer_on TEXT
        """,
    ),
    synced_table(
        "case_member",
        """
        person_id TEXT NOT NULL REFERENCES person(id),
        role TEXT NOT NULL,
        from_date TEXT,
        to_date TEXT
        """,
    ),
    synced_table(
        "role_assignment",
        """
        role TEXT NOT NULL,
        practitioner_id TEXT NOT NULL REFERENCES practitioner(id),
        person_id TEXT REFERENCES person(id),
        from_date TEXT NOT NULL,
        to_date TEXT,
        reason TEXT
        """,
    ),
    synced_table(
        "cover",
        """
        covering_id TEXT NOT NULL REFERENCES practitioner(id),
        covered_id TEXT REFERENCES practitioner(id),
        from_date TEXT NOT NULL,
        to_date TEXT NOT NULL,
        reason TEXT
        """,
    ),
]

INDEXES = """
CREATE INDEX person_family_name ON person(family_name COLLATE NOCASE);
CREATE INDEX person_dob ON person(date_of_birth);
CREATE INDEX address_person ON address(person_id);
CREATE INDEX household_member_person ON household_member(person_id);
CREATE INDEX household_member_household ON household_member(household_id);
CREATE INDEX relationship_person ON relationship(person_id);
CREATE INDEX case_file_worker ON case_file(allocated_worker_id);
CREATE INDEX case_file_team ON case_file(team_id);
CREATE INDEX case_member_case ON case_member(case_id);
CREATE INDEX case_member_person ON case_member(person_id);
CREATE INDEX role_assignment_case ON role_assignment(case_id, role);
"""


@MIGRATIONS(name="m0001_core")
def m0001_core(db: Database) -> None:
    for statement in split_sql(BOOKKEEPING_SQL):
        db.execute(statement)
    for table in ENTITY_TABLES:
        db.execute(table)
    for statement in split_sql(INDEXES):
        db.execute(statement)

