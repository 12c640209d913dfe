"""Adults at risk (WSP adults Sections 3 and 4): report → s126 enquiries → strategy meeting → plan →
visits → reviews → adult protection conference → closure.

Records of what happened are APPEND-ONLY (a correction is a new row whose ``amends_id`` points at
the row it corrects): strategy meetings and their members, delegation decisions, capacity
assessments, best-interests decisions, wishes and feelings, partnership records, visits, plan
reviews, changes of lead practitioner and the closure. Things that evolve are mutable, field by
field: the report (awaiting its screening decision), the enquiry (awaiting its conclusion), the
advocacy offer (awaiting the answer), the plan's outcomes and actions, the conference (convened →
held) and the agency reports it waits for.

The lead co-ordinator, a delegated lead co-ordinator and the lead practitioner are
``role_assignment`` rows (roles ``lead_coordinator``, ``delegated_lead_coordinator``,
``lead_practitioner``) so they put the case in the holder's scope and show on the case header.

Why not the child protection visit tables: ``cp_visit_child`` carries child-only facts as NOT NULL
(seen at home, bedroom seen) and has no "offered the opportunity to be seen alone"; an adult visit is
about one adult, so one append-only ``adult_visit`` row holds it all.

Dates of events are local ISO dates; lists (categories, people consulted, decisions) are JSON arrays.
"""

from __future__ import annotations

from sqlite_utils import Database

from desktop.store.migrations import MIGRATIONS
from desktop.store.schema import register_append_only, split_sql, synced_table

APPEND_ONLY = (
    "adult_delegation",
    "adult_strategy",
    "adult_strategy_member",
    "adult_capacity_assessment",
    "adult_best_interests",
    "adult_wishes",
    "adult_partnership",
    "adult_visit",
    "adult_plan_review",
    "adult_lead_practitioner_change",
    "adult_closure",
)
register_append_only(*APPEND_ONLY)

TABLES = [
    # A report under the duty to report (s.128). Mutable: the screening decision comes later.
    synced_table(
        "adult_report",
        """
        person_id TEXT NOT NULL REFERENCES person(id),
        received_at TEXT NOT NULL,
        received_on TEXT NOT NULL,
        received_by TEXT NOT NULL,
        source_type TEXT NOT NULL,
        source_detail TEXT,
        concerns TEXT NOT NULL,
        suspected_categories TEXT NOT NULL DEFAULT '[]',
        consent_given INTEGER NOT NULL CHECK (consent_given IN (0, 1)),
        no_consent_reason TEXT,
        immediate_danger INTEGER NOT NULL DEFAULT 0,
        police_informed INTEGER NOT NULL DEFAULT 0,
        screening_decision TEXT CHECK (screening_decision IN ('nfa_a', 'nfa_b', 'nfa_c', 'enquiries', 'part3')),
        screened_on TEXT,
        screened_by TEXT,
        screening_note TEXT
        """,
    ),
    # Section 126 enquiries (A1: normally completed within 7 working days of the report).
    synced_table(
        "adult_enquiry",
        """
        report_id TEXT NOT NULL REFERENCES adult_report(id),
        person_id TEXT NOT NULL REFERENCES person(id),
        started_on TEXT NOT NULL,
        lead_worker_id TEXT,
        concluded_on TEXT,
        determination TEXT CHECK (determination IN ('1', '2', '3', 'nfa')),
        determination_reason TEXT,
        strategy_required INTEGER NOT NULL DEFAULT 0,
        concluded_by TEXT
        """,
    ),
    # Delegation of the lead co-ordinator role to another statutory partner: all four records are
    # required, and statutory responsibility stays with the local authority (checked).
    synced_table(
        "adult_delegation",
        """
        person_id TEXT NOT NULL REFERENCES person(id),
        delegate_id TEXT NOT NULL REFERENCES practitioner(id),
        delegate_agency_id TEXT REFERENCES agency(id),
        delegate_role TEXT NOT NULL,
        la_monitor_id TEXT NOT NULL REFERENCES practitioner(id),
        la_monitor_role TEXT NOT NULL,
        rationale TEXT NOT NULL,
        reporting_arrangements TEXT NOT NULL,
        statutory_responsibility TEXT NOT NULL DEFAULT 'local_authority'
            CHECK (statutory_responsibility = 'local_authority'),
        decided_on TEXT NOT NULL,
        decided_by TEXT NOT NULL,
        ended_on TEXT,
        amends_id TEXT
        """,
    ),
    synced_table(
        "adult_strategy",
        """
        person_id TEXT NOT NULL REFERENCES person(id),
        enquiry_id TEXT,
        kind TEXT NOT NULL CHECK (kind IN ('discussion', 'meeting')),
        initial INTEGER NOT NULL DEFAULT 1,
        held_on TEXT NOT NULL,
        chair_id TEXT NOT NULL REFERENCES practitioner(id),
        decisions TEXT NOT NULL,
        consent_checked TEXT,
        liaison TEXT,
        lead_practitioner_id TEXT REFERENCES practitioner(id),
        lead_practitioner_contact TEXT,
        no_lead_reason TEXT,
        visit_every INTEGER,
        visit_unit TEXT CHECK (visit_unit IN ('working_days', 'days', 'weeks', 'months')),
        advocate_offered INTEGER NOT NULL DEFAULT 0,
        imca_required INTEGER NOT NULL DEFAULT 0,
        imca_considered TEXT,
        amends_id TEXT
        """,
    ),
    synced_table(
        "adult_strategy_member",
        """
        strategy_id TEXT NOT NULL REFERENCES adult_strategy(id),
        agency_id TEXT NOT NULL REFERENCES agency(id),
        practitioner_id TEXT REFERENCES practitioner(id),
        name TEXT,
        role TEXT
        """,
    ),
    # An offer of advocacy (independent advocate, IMCA or informal) and the adult's answer.
    synced_table(
        "adult_advocacy",
        """
        person_id TEXT NOT NULL REFERENCES person(id),
        strategy_id TEXT,
        advocate_type TEXT NOT NULL CHECK (advocate_type IN ('independent', 'imca', 'informal')),
        offered_on TEXT NOT NULL,
        response TEXT NOT NULL DEFAULT 'awaiting' CHECK (response IN ('awaiting', 'accepted', 'declined')),
        response_on TEXT,
        provider TEXT,
        advocate_name TEXT
        """,
    ),
    # Mental capacity: decision-specific (MCA 2005 s1-3); best interests (s1(5), s4).
    synced_table(
        "adult_capacity_assessment",
        """
        person_id TEXT NOT NULL REFERENCES person(id),
        decision TEXT NOT NULL,
        assessed_on TEXT NOT NULL,
        assessor_id TEXT NOT NULL REFERENCES practitioner(id),
        outcome TEXT NOT NULL CHECK (outcome IN ('has_capacity', 'lacks_capacity')),
        evidence TEXT NOT NULL,
        review_on TEXT,
        amends_id TEXT
        """,
    ),
    synced_table(
        "adult_best_interests",
        """
        person_id TEXT NOT NULL REFERENCES person(id),
        assessment_id TEXT NOT NULL REFERENCES adult_capacity_assessment(id),
        decision TEXT NOT NULL,
        decided_on TEXT NOT NULL,
        decided_by TEXT NOT NULL REFERENCES practitioner(id),
        consulted TEXT NOT NULL,
        wishes_feelings TEXT NOT NULL,
        imca_instructed INTEGER NOT NULL DEFAULT 0,
        imca_name TEXT,
        rationale TEXT NOT NULL,
        amends_id TEXT
        """,
    ),
    synced_table(
        "adult_wishes",
        """
        person_id TEXT NOT NULL REFERENCES person(id),
        recorded_on TEXT NOT NULL,
        wishes_feelings TEXT NOT NULL,
        how_expressed TEXT,
        amends_id TEXT
        """,
    ),
    # Working in partnership: understanding, agreement (and changes of mind), right to complain.
    synced_table(
        "adult_partnership",
        """
        person_id TEXT NOT NULL REFERENCES person(id),
        recorded_on TEXT NOT NULL,
        understands_rationale INTEGER NOT NULL,
        agrees_to_plan INTEGER NOT NULL,
        regular_contact TEXT,
        told_may_change_mind INTEGER NOT NULL DEFAULT 0,
        complaints_explained INTEGER NOT NULL DEFAULT 0,
        complaints_how TEXT,
        note TEXT,
        amends_id TEXT
        """,
    ),
    synced_table(
        "adult_visit",
        """
        person_id TEXT NOT NULL REFERENCES person(id),
        visited_on TEXT NOT NULL,
        visited_at TEXT,
        visitor_id TEXT NOT NULL REFERENCES practitioner(id),
        location TEXT NOT NULL,
        announced INTEGER,
        others_present TEXT,
        seen INTEGER NOT NULL,
        offered_alone INTEGER NOT NULL,
        seen_alone INTEGER NOT NULL,
        not_alone_reason TEXT,
        wishes_feelings TEXT,
        observations TEXT,
        access_denied INTEGER NOT NULL DEFAULT 0,
        amends_id TEXT,
        amendment_reason TEXT
        """,
    ),
    # The care and support protection plan (one per case at a time).
    synced_table(
        "adult_plan",
        """
        person_id TEXT NOT NULL REFERENCES person(id),
        started_on TEXT NOT NULL,
        strategy_id TEXT,
        summary TEXT,
        contingency TEXT,
        monitoring TEXT,
        status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'ended')),
        ended_on TEXT
        """,
    ),
    synced_table(
        "adult_plan_outcome",
        """
        plan_id TEXT NOT NULL REFERENCES adult_plan(id),
        description TEXT NOT NULL,
        measure TEXT NOT NULL,
        rag TEXT CHECK (rag IN ('red', 'amber', 'green')),
        evidence TEXT,
        position INTEGER NOT NULL DEFAULT 0
        """,
    ),
    synced_table(
        "adult_plan_action",
        """
        plan_id TEXT NOT NULL REFERENCES adult_plan(id),
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
        "adult_plan_review",
        """
        plan_id TEXT NOT NULL REFERENCES adult_plan(id),
        reviewed_on TEXT NOT NULL,
        chair_id TEXT,
        outcome TEXT NOT NULL CHECK (outcome IN ('continue', 'revise', 'close')),
        progress TEXT NOT NULL,
        amends_id TEXT
        """,
    ),
    # Adult protection conference (A6: no fixed timescale; A7: agency reports 2 WD before).
    synced_table(
        "adult_conference",
        """
        person_id TEXT NOT NULL REFERENCES person(id),
        scheduled_on TEXT NOT NULL,
        chair_id TEXT REFERENCES practitioner(id),
        status TEXT NOT NULL DEFAULT 'convened' CHECK (status IN ('convened', 'held', 'cancelled')),
        held_on TEXT,
        participation TEXT CHECK (participation IN ('attended', 'advocate', 'written', 'views_via_practitioner',
                                                    'refused')),
        refusal_reason TEXT,
        outcome_summary TEXT,
        decisions TEXT,
        support_offered TEXT,
        language TEXT
        """,
    ),
    synced_table(
        "adult_conference_report",
        """
        conference_id TEXT NOT NULL REFERENCES adult_conference(id),
        agency_id TEXT NOT NULL REFERENCES agency(id),
        requested_on TEXT NOT NULL,
        received_on TEXT
        """,
    ),
    synced_table(
        "adult_lead_practitioner_change",
        """
        person_id TEXT NOT NULL REFERENCES person(id),
        previous_id TEXT,
        new_id TEXT NOT NULL REFERENCES practitioner(id),
        new_contact TEXT NOT NULL,
        effective_on TEXT NOT NULL,
        verbal_to TEXT NOT NULL,
        verbal_on TEXT NOT NULL,
        verbal_by TEXT NOT NULL,
        reason TEXT
        """,
    ),
    synced_table(
        "adult_closure",
        """
        person_id TEXT NOT NULL REFERENCES person(id),
        closed_on TEXT NOT NULL,
        closed_by TEXT NOT NULL REFERENCES practitioner(id),
        decided_with TEXT NOT NULL CHECK (decided_with IN ('strategy_group', 'conference', 'lead_coordinator')),
        reasons TEXT NOT NULL,
        outcomes_evaluation TEXT,
        agencies_notified TEXT NOT NULL
        """,
    ),
]

INDEXES = """
CREATE INDEX adult_report_case ON adult_report(case_id, received_on);
CREATE INDEX adult_enquiry_case ON adult_enquiry(case_id, started_on);
CREATE INDEX adult_delegation_case ON adult_delegation(case_id);
CREATE INDEX adult_strategy_case ON adult_strategy(case_id, held_on);
CREATE INDEX adult_strategy_amends ON adult_strategy(amends_id);
CREATE INDEX adult_strategy_member_strategy ON adult_strategy_member(strategy_id);
CREATE INDEX adult_advocacy_case ON adult_advocacy(case_id);
CREATE INDEX adult_capacity_case ON adult_capacity_assessment(case_id, person_id);
CREATE INDEX adult_best_interests_case ON adult_best_interests(case_id);
CREATE INDEX adult_wishes_case ON adult_wishes(case_id);
CREATE INDEX adult_partnership_case ON adult_partnership(case_id, recorded_on);
CREATE INDEX adult_visit_case ON adult_visit(case_id, visited_on);
CREATE INDEX adult_visit_amends ON adult_visit(amends_id);
CREATE INDEX adult_plan_case ON adult_plan(case_id, status);
CREATE INDEX adult_plan_outcome_plan ON adult_plan_outcome(plan_id);
CREATE INDEX adult_plan_action_plan ON adult_plan_action(plan_id);
CREATE INDEX adult_plan_review_plan ON adult_plan_review(plan_id, reviewed_on);
CREATE INDEX adult_conference_case ON adult_conference(case_id, scheduled_on);
CREATE INDEX adult_conference_report_conf ON adult_conference_report(conference_id);
CREATE INDEX adult_lp_change_case ON adult_lead_practitioner_change(case_id);
CREATE INDEX adult_closure_case ON adult_closure(case_id);
"""


@MIGRATIONS(name="m0004_adults")
def m0004_adults(db: Database) -> None:
    for table in TABLES:
        db.execute(table)
    for statement in split_sql(INDEXES):
        db.execute(statement)
