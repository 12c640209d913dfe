"""Children in Need (CiN team) and Children in Care (CiC team): assessments, Child in Need plans and
reviews, escalation to child protection and to proceedings, becoming looked after, placements,
statutory visits, looked-after reviews, health, education, permanence and the child's voice.

Records of what happened are APPEND-ONLY (a correction is a new row whose ``amends_id`` points at the
row it corrects): people spoken to in an assessment, Child in Need review meetings and who attended,
requests for an initial child protection conference, proceedings stage changes, team moves,
legal status changes, statutory visits, looked-after reviews, health and education events, care and
support plan versions, and the child's wishes and feelings / life story entries.

Things that evolve are mutable, field by field (the audit says who changed what): the assessment
while it is open, the Child in Need plan with its outcomes and actions, proceedings, the
looked-after episode, placements (an end date and reason arrive later; the placement plan is signed
later) and the permanence plan.

Dates of events are local ISO dates. Every row belongs to the child's case (``case_id``) and most
name the child (``person_id``): decisions stay per child even when siblings share a case.
"""

from __future__ import annotations

from sqlite_utils import Database

from desktop.store.migrations import MIGRATIONS
from desktop.store.schema import register_append_only, split_sql, synced_table

APPEND_ONLY = (
    "cin_assessment_contact",
    "cin_review",
    "cin_review_attendance",
    "cin_icpc_request",
    "proceedings_stage",
    "case_team_history",
    "lac_legal_status",
    "lac_care_plan",
    "lac_visit",
    "lac_review",
    "lac_health_event",
    "lac_pep",
    "child_voice",
)
register_append_only(*APPEND_ONLY)

TABLES = [
    # -- Children in Need -----------------------------------------------------------------------
    # A Part 3 assessment of one child (mutable while it is being done; completed_on closes it).
    synced_table(
        "cin_assessment",
        """
        person_id TEXT NOT NULL REFERENCES person(id),
        started_on TEXT NOT NULL,
        worker_id TEXT REFERENCES practitioner(id),
        findings TEXT,
        conclusion TEXT CHECK (conclusion IN
            ('no_further_action', 'information_advice', 'cin_plan', 'icpc_request', 'proceedings')),
        need_category TEXT CHECK (need_category IN ('N1', 'N2', 'N3', 'N4', 'N5', 'N6', 'N7', 'N8', 'N9')),
        completed_on TEXT
        """,
    ),
    # Who was spoken to: the child, each family member, each professional.
    synced_table(
        "cin_assessment_contact",
        """
        assessment_id TEXT NOT NULL REFERENCES cin_assessment(id),
        kind TEXT NOT NULL CHECK (kind IN ('child', 'family', 'professional')),
        person_id TEXT REFERENCES person(id),
        practitioner_id TEXT REFERENCES practitioner(id),
        agency_id TEXT REFERENCES agency(id),
        name TEXT NOT NULL,
        spoken_on TEXT NOT NULL,
        method TEXT,
        summary TEXT,
        amends_id TEXT
        """,
    ),
    # The Child in Need plan (care and support plan), one live plan per child.
    synced_table(
        "cin_plan",
        """
        person_id TEXT NOT NULL REFERENCES person(id),
        assessment_id TEXT REFERENCES cin_assessment(id),
        started_on TEXT NOT NULL,
        review_arrangements TEXT,
        next_review_on TEXT,
        status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'ended')),
        ended_on TEXT,
        end_reason TEXT
        """,
    ),
    synced_table(
        "cin_plan_outcome",
        """
        plan_id TEXT NOT NULL REFERENCES cin_plan(id),
        description TEXT NOT NULL,
        measure TEXT,
        rag TEXT CHECK (rag IN ('red', 'amber', 'green')),
        position INTEGER NOT NULL DEFAULT 0
        """,
    ),
    synced_table(
        "cin_plan_action",
        """
        plan_id TEXT NOT NULL REFERENCES cin_plan(id),
        outcome_id TEXT REFERENCES cin_plan_outcome(id),
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
        "cin_review",
        """
        plan_id TEXT NOT NULL REFERENCES cin_plan(id),
        held_on TEXT NOT NULL,
        chair_id TEXT REFERENCES practitioner(id),
        child_participation TEXT NOT NULL CHECK (child_participation IN
            ('attended', 'views_given', 'advocate', 'not_appropriate', 'declined')),
        summary TEXT,
        decision TEXT NOT NULL CHECK (decision IN ('continue', 'revise', 'close', 'escalate')),
        next_review_on TEXT,
        amends_id TEXT
        """,
    ),
    synced_table(
        "cin_review_attendance",
        """
        review_id TEXT NOT NULL REFERENCES cin_review(id),
        kind TEXT NOT NULL CHECK (kind IN ('child', 'family', 'professional')),
        person_id TEXT,
        practitioner_id TEXT,
        agency_id TEXT,
        name TEXT NOT NULL,
        attended INTEGER NOT NULL DEFAULT 1
        """,
    ),
    # A request to convene an initial child protection conference (starts the CP journey).
    synced_table(
        "cin_icpc_request",
        """
        child_ids TEXT NOT NULL,
        requested_on TEXT NOT NULL,
        requested_by TEXT NOT NULL,
        reason TEXT NOT NULL,
        assessment_id TEXT,
        strategy_id TEXT,
        conference_id TEXT,
        amends_id TEXT
        """,
    ),
    # Pre-proceedings (Public Law Outline) and care proceedings, with their stage history.
    synced_table(
        "proceedings",
        """
        person_id TEXT NOT NULL REFERENCES person(id),
        kind TEXT NOT NULL CHECK (kind IN ('pre_proceedings', 'care_proceedings')),
        stage TEXT NOT NULL,
        stage_on TEXT NOT NULL,
        started_on TEXT NOT NULL,
        court TEXT,
        ended_on TEXT,
        outcome TEXT
        """,
    ),
    synced_table(
        "proceedings_stage",
        """
        proceedings_id TEXT NOT NULL REFERENCES proceedings(id),
        stage TEXT NOT NULL,
        on_date TEXT NOT NULL,
        note TEXT
        """,
    ),
    # Every move of a case between teams (CiN → CiC …); case_file.team_id changes with it.
    synced_table(
        "case_team_history",
        """
        from_team_id TEXT,
        to_team_id TEXT NOT NULL,
        from_case_type TEXT,
        to_case_type TEXT,
        on_date TEXT NOT NULL,
        reason TEXT NOT NULL
        """,
    ),
    # -- Children in Care -----------------------------------------------------------------------
    # One period of being looked after.
    synced_table(
        "lac_episode",
        """
        person_id TEXT NOT NULL REFERENCES person(id),
        started_on TEXT NOT NULL,
        legal_status TEXT NOT NULL,
        ended_on TEXT,
        end_reason TEXT
        """,
    ),
    synced_table(
        "lac_legal_status",
        """
        episode_id TEXT NOT NULL REFERENCES lac_episode(id),
        person_id TEXT NOT NULL,
        legal_status TEXT NOT NULL,
        from_date TEXT NOT NULL,
        note TEXT
        """,
    ),
    synced_table(
        "lac_placement",
        """
        person_id TEXT NOT NULL REFERENCES person(id),
        episode_id TEXT NOT NULL REFERENCES lac_episode(id),
        placement_type TEXT NOT NULL,
        carer_name TEXT,
        provider_name TEXT,
        provider_agency_id TEXT REFERENCES agency(id),
        line1 TEXT NOT NULL,
        line2 TEXT,
        town TEXT,
        county TEXT,
        postcode TEXT,
        country TEXT NOT NULL DEFAULT 'GB',
        host_authority TEXT,
        out_of_county INTEGER NOT NULL DEFAULT 0,
        panel_approved_on TEXT,
        start_on TEXT NOT NULL,
        end_on TEXT,
        end_reason TEXT,
        end_note TEXT,
        intended_until_18 INTEGER NOT NULL DEFAULT 0,
        permanent_home INTEGER NOT NULL DEFAULT 0,
        reg20 INTEGER NOT NULL DEFAULT 0,
        reg26 INTEGER NOT NULL DEFAULT 0,
        reg20_assessed_on TEXT,
        reg20_decided_on TEXT,
        plan_prepared_on TEXT,
        plan_signed_on TEXT,
        plan_signed_by TEXT,
        iro_informed_on TEXT
        """,
    ),
    # Care and support plan (Part 6) versions: prepared / revised.
    synced_table(
        "lac_care_plan",
        """
        person_id TEXT NOT NULL REFERENCES person(id),
        episode_id TEXT NOT NULL REFERENCES lac_episode(id),
        prepared_on TEXT NOT NULL,
        summary TEXT,
        amends_id TEXT
        """,
    ),
    # Statutory visits (SI 2015/1818 reg 31).
    synced_table(
        "lac_visit",
        """
        person_id TEXT NOT NULL REFERENCES person(id),
        placement_id TEXT REFERENCES lac_placement(id),
        visited_on TEXT NOT NULL,
        visitor_id TEXT NOT NULL REFERENCES practitioner(id),
        seen INTEGER NOT NULL,
        seen_alone INTEGER NOT NULL DEFAULT 0,
        location TEXT,
        notes TEXT,
        amends_id TEXT
        """,
    ),
    # Looked-after reviews chaired by the independent reviewing officer (reg 42).
    synced_table(
        "lac_review",
        """
        person_id TEXT NOT NULL REFERENCES person(id),
        episode_id TEXT NOT NULL REFERENCES lac_episode(id),
        held_on TEXT NOT NULL,
        chair_id TEXT NOT NULL REFERENCES practitioner(id),
        child_seen_privately INTEGER NOT NULL DEFAULT 0,
        child_participation TEXT,
        decisions TEXT,
        next_review_on TEXT,
        amends_id TEXT
        """,
    ),
    # Health assessments, GP and dentist registrations, dental checks.
    synced_table(
        "lac_health_event",
        """
        person_id TEXT NOT NULL REFERENCES person(id),
        episode_id TEXT REFERENCES lac_episode(id),
        placement_id TEXT REFERENCES lac_placement(id),
        kind TEXT NOT NULL CHECK (kind IN
            ('health_assessment_initial', 'health_assessment_review', 'gp_registered', 'dentist_registered',
             'dental_check')),
        on_date TEXT NOT NULL,
        provider TEXT,
        notes TEXT,
        amends_id TEXT
        """,
    ),
    # Personal education plans (part of the care and support plan, s.83(2A)).
    synced_table(
        "lac_pep",
        """
        person_id TEXT NOT NULL REFERENCES person(id),
        episode_id TEXT REFERENCES lac_episode(id),
        on_date TEXT NOT NULL,
        school TEXT,
        idp_included INTEGER NOT NULL DEFAULT 0,
        notes TEXT,
        amends_id TEXT
        """,
    ),
    synced_table(
        "permanence_plan",
        """
        person_id TEXT NOT NULL REFERENCES person(id),
        episode_id TEXT REFERENCES lac_episode(id),
        route TEXT NOT NULL,
        decided_on TEXT NOT NULL,
        target_on TEXT,
        achieved_on TEXT,
        notes TEXT
        """,
    ),
    # The child's voice: wishes and feelings, life story work.
    synced_table(
        "child_voice",
        """
        person_id TEXT NOT NULL REFERENCES person(id),
        kind TEXT NOT NULL CHECK (kind IN ('wishes_feelings', 'life_story')),
        recorded_on TEXT NOT NULL,
        method TEXT,
        content TEXT NOT NULL,
        language TEXT,
        amends_id TEXT,
        amendment_reason TEXT
        """,
    ),
]

INDEXES = """
CREATE INDEX cin_assessment_person ON cin_assessment(person_id);
CREATE INDEX cin_assessment_contact_a ON cin_assessment_contact(assessment_id);
CREATE INDEX cin_plan_person ON cin_plan(person_id, status);
CREATE INDEX cin_plan_outcome_plan ON cin_plan_outcome(plan_id);
CREATE INDEX cin_plan_action_plan ON cin_plan_action(plan_id);
CREATE INDEX cin_review_plan ON cin_review(plan_id, held_on);
CREATE INDEX cin_review_attendance_r ON cin_review_attendance(review_id);
CREATE INDEX cin_icpc_request_case ON cin_icpc_request(case_id);
CREATE INDEX proceedings_person ON proceedings(person_id, kind);
CREATE INDEX proceedings_stage_p ON proceedings_stage(proceedings_id);
CREATE INDEX case_team_history_case ON case_team_history(case_id, on_date);
CREATE INDEX lac_episode_person ON lac_episode(person_id, started_on);
CREATE INDEX lac_legal_status_episode ON lac_legal_status(episode_id, from_date);
CREATE INDEX lac_placement_person ON lac_placement(person_id, start_on);
CREATE INDEX lac_care_plan_person ON lac_care_plan(person_id, prepared_on);
CREATE INDEX lac_visit_person ON lac_visit(person_id, visited_on);
CREATE INDEX lac_review_person ON lac_review(person_id, held_on);
CREATE INDEX lac_health_person ON lac_health_event(person_id, kind, on_date);
CREATE INDEX lac_pep_person ON lac_pep(person_id, on_date);
CREATE INDEX permanence_plan_person ON permanence_plan(person_id);
CREATE INDEX child_voice_person ON child_voice(person_id, kind, recorded_on);
"""


@MIGRATIONS(name="m0005_children")
def m0005_children(db: Database) -> None:
    for table in TABLES:
        db.execute(table)
    for statement in split_sql(INDEXES):
        db.execute(statement)
