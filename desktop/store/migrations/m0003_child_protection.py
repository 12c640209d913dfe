"""Child protection casework (WSP Sections 3 and 4): report → strategy → s47 → conference →
register → plan → core groups → visits → reviews → de-registration.

Records of what happened (strategy discussions, conference decisions, core groups, visits,
register history and enquiries, co-ordinator changes) are APPEND-ONLY: a correction is a new row
whose ``amends_id`` points at the row it corrects. Things that evolve (a report awaiting its
decision, a conference from convened to held, a register entry, the plan's outcomes and actions,
core group membership) are mutable, field by field, with the audit trail saying who changed what.

Dates of events are local ISO dates; lists of children or categories are JSON arrays of codes/ids.
"""

from __future__ import annotations

from sqlite_utils import Database

from desktop.store.migrations import MIGRATIONS
from desktop.store.schema import register_append_only, split_sql, synced_table

APPEND_ONLY = (
    "cp_strategy",
    "cp_strategy_participant",
    "cp_conference_decision",
    "cp_conference_attendance",
    "register_history",
    "register_enquiry",
    "cp_plan_version",
    "cp_core_group",
    "cp_core_group_attendance",
    "cp_core_group_item",
    "cp_visit",
    "cp_visit_child",
    "cp_coordinator_change",
)
register_append_only(*APPEND_ONLY)

TABLES = [
    # A report (s.130 duty to report). Mutable: the next-actions decision (C1) is added later.
    synced_table(
        "cp_report",
        """
        child_ids TEXT NOT NULL,
        received_at TEXT NOT NULL,
        received_on TEXT NOT NULL,
        received_by TEXT NOT NULL,
        source_type TEXT NOT NULL,
        source_detail TEXT,
        concerns TEXT NOT NULL,
        suspected_categories TEXT NOT NULL DEFAULT '[]',
        offence_suspected INTEGER NOT NULL DEFAULT 0,
        police_informed INTEGER NOT NULL DEFAULT 0,
        immediate_danger INTEGER NOT NULL DEFAULT 0,
        decision TEXT,
        decision_on TEXT,
        decision_by TEXT,
        decision_note TEXT
        """,
    ),
    synced_table(
        "cp_strategy",
        """
        report_id TEXT,
        child_ids TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('discussion', 'meeting')),
        held_on TEXT NOT NULL,
        chair_id TEXT,
        initiate_s47 INTEGER NOT NULL,
        decisions TEXT NOT NULL,
        interim_safeguards TEXT,
        departure_reason TEXT,
        departure_agreed_by TEXT,
        amends_id TEXT
        """,
    ),
    synced_table(
        "cp_strategy_participant",
        """
        strategy_id TEXT NOT NULL REFERENCES cp_strategy(id),
        agency_id TEXT NOT NULL REFERENCES agency(id),
        agency_type TEXT NOT NULL,
        practitioner_id TEXT,
        name TEXT
        """,
    ),
    # Section 47 enquiry, one row per child (determinations are per child).
    synced_table(
        "cp_enquiry",
        """
        person_id TEXT NOT NULL REFERENCES person(id),
        strategy_id TEXT,
        started_on TEXT NOT NULL,
        lead_worker_id TEXT,
        child_seen_on TEXT,
        child_seen_alone_on TEXT,
        determination INTEGER CHECK (determination IN (1, 2, 3)),
        determined_on TEXT,
        determined_by TEXT,
        determination_reason TEXT,
        ratified_by TEXT,
        ratified_on TEXT
        """,
    ),
    synced_table(
        "cp_conference",
        """
        kind TEXT NOT NULL CHECK (kind IN ('initial', 'review')),
        child_ids TEXT NOT NULL,
        scheduled_on TEXT,
        status TEXT NOT NULL DEFAULT 'convened' CHECK (status IN ('convened', 'held', 'postponed')),
        held_on TEXT,
        chair_id TEXT,
        record_taker TEXT,
        venue TEXT,
        language TEXT,
        quorum_discretion INTEGER NOT NULL DEFAULT 0,
        discretion_reason TEXT,
        child_participation TEXT,
        dissent TEXT,
        report TEXT,
        postponed_reason TEXT,
        outline_plan_sent_on TEXT,
        record_sent_on TEXT
        """,
    ),
    synced_table(
        "cp_conference_invitation",
        """
        conference_id TEXT NOT NULL REFERENCES cp_conference(id),
        recipient_kind TEXT NOT NULL,
        recipient_id TEXT NOT NULL,
        invited_on TEXT NOT NULL,
        method TEXT,
        letter_id TEXT
        """,
    ),
    synced_table(
        "cp_conference_attendance",
        """
        conference_id TEXT NOT NULL REFERENCES cp_conference(id),
        agency_id TEXT,
        grouping TEXT,
        practitioner_id TEXT,
        person_id TEXT,
        name TEXT,
        attended INTEGER NOT NULL DEFAULT 1
        """,
    ),
    synced_table(
        "cp_conference_decision",
        """
        conference_id TEXT NOT NULL REFERENCES cp_conference(id),
        person_id TEXT NOT NULL REFERENCES person(id),
        registered INTEGER NOT NULL,
        categories TEXT NOT NULL DEFAULT '[]',
        coordinator_id TEXT,
        outline_plan TEXT,
        first_core_group_on TEXT,
        next_review_on TEXT,
        deregistered INTEGER NOT NULL DEFAULT 0,
        reasons TEXT,
        dissent TEXT,
        amends_id TEXT
        """,
    ),
    # The child protection register (the custodian's). ``case_id`` is the child's case.
    synced_table(
        "register_entry",
        """
        person_id TEXT NOT NULL REFERENCES person(id),
        registered_on TEXT NOT NULL,
        conference_id TEXT,
        categories TEXT NOT NULL,
        coordinator_id TEXT REFERENCES practitioner(id),
        status TEXT NOT NULL CHECK (status IN ('active', 'temporary', 'deregistered')),
        next_review_on TEXT,
        other_la TEXT,
        deregistered_on TEXT,
        deregistration_reason TEXT,
        deregistration_note TEXT
        """,
    ),
    synced_table(
        "register_history",
        """
        entry_id TEXT NOT NULL REFERENCES register_entry(id),
        person_id TEXT NOT NULL,
        change TEXT NOT NULL,
        on_date TEXT NOT NULL,
        categories TEXT,
        coordinator_id TEXT,
        status TEXT,
        reason TEXT,
        conference_id TEXT
        """,
    ),
    synced_table(
        "register_enquiry",
        """
        asked_at TEXT NOT NULL,
        enquirer_name TEXT NOT NULL,
        agency_id TEXT REFERENCES agency(id),
        identity_checked INTEGER NOT NULL,
        enquiry_type TEXT,
        subject_text TEXT NOT NULL,
        person_id TEXT,
        found INTEGER NOT NULL,
        information_given TEXT NOT NULL
        """,
    ),
    # Core group membership (mutable: people join and leave).
    synced_table(
        "cp_core_member",
        """
        member_kind TEXT NOT NULL CHECK (member_kind IN ('practitioner', 'agency', 'person')),
        practitioner_id TEXT,
        agency_id TEXT,
        person_id TEXT,
        role TEXT,
        from_date TEXT NOT NULL,
        to_date TEXT
        """,
    ),
    # The plan: one per case, outline (from the conference) then detailed (first core group).
    synced_table(
        "cp_plan",
        """
        stage TEXT NOT NULL CHECK (stage IN ('outline', 'detailed')),
        version_no INTEGER NOT NULL,
        outline TEXT,
        support TEXT,
        contingency TEXT,
        status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'ended'))
        """,
    ),
    synced_table(
        "cp_plan_outcome",
        """
        plan_id TEXT NOT NULL REFERENCES cp_plan(id),
        person_id TEXT,
        description TEXT NOT NULL,
        measure TEXT NOT NULL,
        rag TEXT CHECK (rag IN ('red', 'amber', 'green')),
        evidence TEXT,
        position INTEGER NOT NULL DEFAULT 0
        """,
    ),
    synced_table(
        "cp_plan_action",
        """
        plan_id TEXT NOT NULL REFERENCES cp_plan(id),
        outcome_id TEXT,
        description TEXT NOT NULL,
        owner_kind TEXT NOT NULL CHECK (owner_kind IN ('person', 'practitioner', 'agency')),
        owner_id TEXT,
        owner_name TEXT NOT NULL,
        due_on TEXT,
        status TEXT NOT NULL DEFAULT 'not_started'
            CHECK (status IN ('not_started', 'in_progress', 'done', 'not_done'))
        """,
    ),
    synced_table(
        "cp_plan_assessment",
        """
        plan_id TEXT NOT NULL REFERENCES cp_plan(id),
        description TEXT NOT NULL,
        specialist INTEGER NOT NULL DEFAULT 0,
        provider TEXT,
        commissioned_on TEXT,
        status TEXT NOT NULL DEFAULT 'commissioned'
        """,
    ),
    synced_table(
        "cp_plan_version",
        """
        plan_id TEXT NOT NULL REFERENCES cp_plan(id),
        version_no INTEGER NOT NULL,
        stage TEXT NOT NULL,
        snapshot TEXT NOT NULL,
        changes TEXT NOT NULL,
        core_group_id TEXT
        """,
    ),
    synced_table(
        "cp_core_group",
        """
        held_on TEXT NOT NULL,
        chair_id TEXT,
        denied_access TEXT,
        notes TEXT,
        next_on TEXT,
        amends_id TEXT
        """,
    ),
    synced_table(
        "cp_core_group_attendance",
        """
        core_group_id TEXT NOT NULL REFERENCES cp_core_group(id),
        member_id TEXT,
        name TEXT NOT NULL,
        attended INTEGER NOT NULL,
        written_contribution TEXT
        """,
    ),
    synced_table(
        "cp_core_group_item",
        """
        core_group_id TEXT NOT NULL REFERENCES cp_core_group(id),
        kind TEXT NOT NULL CHECK (kind IN ('outcome', 'action')),
        ref_id TEXT NOT NULL,
        rag TEXT,
        status TEXT,
        evidence TEXT
        """,
    ),
    # A visit (append-only); the facts per child in cp_visit_child.
    synced_table(
        "cp_visit",
        """
        visited_on TEXT NOT NULL,
        visited_at TEXT,
        visitor_id TEXT NOT NULL,
        location TEXT NOT NULL,
        announced INTEGER,
        others_present TEXT,
        observations TEXT,
        access_denied INTEGER NOT NULL DEFAULT 0,
        amends_id TEXT,
        amendment_reason TEXT
        """,
    ),
    synced_table(
        "cp_visit_child",
        """
        visit_id TEXT NOT NULL REFERENCES cp_visit(id),
        person_id TEXT NOT NULL REFERENCES person(id),
        seen INTEGER NOT NULL,
        seen_alone INTEGER NOT NULL,
        seen_at_home INTEGER NOT NULL,
        bedroom_seen INTEGER NOT NULL,
        lived_experience TEXT,
        wishes_feelings TEXT
        """,
    ),
    synced_table(
        "cp_coordinator_change",
        """
        person_id TEXT NOT NULL REFERENCES person(id),
        previous_id TEXT,
        new_id TEXT NOT NULL,
        effective_on TEXT NOT NULL,
        verbal_to TEXT NOT NULL,
        verbal_on TEXT NOT NULL,
        reason TEXT
        """,
    ),
    # A practitioner away (leave, sickness): the team manager arranges cover of their visits (V3).
    synced_table(
        "practitioner_absence",
        """
        practitioner_id TEXT NOT NULL REFERENCES practitioner(id),
        from_date TEXT NOT NULL,
        to_date TEXT,
        reason TEXT
        """,
    ),
]

INDEXES = """
CREATE INDEX cp_report_case ON cp_report(case_id);
CREATE INDEX cp_strategy_case ON cp_strategy(case_id);
CREATE INDEX cp_strategy_amends ON cp_strategy(amends_id);
CREATE INDEX cp_enquiry_person ON cp_enquiry(person_id);
CREATE INDEX cp_conference_case ON cp_conference(case_id);
CREATE INDEX cp_decision_person ON cp_conference_decision(person_id);
CREATE INDEX cp_decision_conference ON cp_conference_decision(conference_id);
CREATE INDEX register_entry_person ON register_entry(person_id, status);
CREATE INDEX register_history_entry ON register_history(entry_id);
CREATE INDEX cp_core_member_case ON cp_core_member(case_id);
CREATE INDEX cp_plan_case ON cp_plan(case_id);
CREATE INDEX cp_plan_outcome_plan ON cp_plan_outcome(plan_id);
CREATE INDEX cp_plan_action_plan ON cp_plan_action(plan_id);
CREATE INDEX cp_core_group_case ON cp_core_group(case_id, held_on);
CREATE INDEX cp_visit_case ON cp_visit(case_id, visited_on);
CREATE INDEX cp_visit_amends ON cp_visit(amends_id);
CREATE INDEX cp_visit_child_person ON cp_visit_child(person_id, visit_id);
CREATE INDEX cp_visit_child_visit ON cp_visit_child(visit_id);
CREATE INDEX practitioner_absence_who ON practitioner_absence(practitioner_id, from_date);
"""


@MIGRATIONS(name="m0003_child_protection")
def m0003_child_protection(db: Database) -> None:
    for table in TABLES:
        db.execute(table)
    for statement in split_sql(INDEXES):
        db.execute(statement)
