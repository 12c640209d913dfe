"""What each kind of record is called, for a person (Qt-free).

Sync conflicts, refused changes and audit views name records by these words, never by table names.
``tests/sync/test_describe.py`` checks every synced table has one.
"""

from __future__ import annotations

from desktop.i18n import N_, _

RECORDS: dict[str, str] = {
    "address": N_("address"),
    "adult_advocacy": N_("advocacy"),
    "adult_apso": N_("adult protection and support order"),
    "adult_apso_entry": N_("entry under an adult protection and support order"),
    "adult_best_interests": N_("best-interests decision"),
    "adult_capacity_assessment": N_("capacity assessment"),
    "adult_closure": N_("closure of the safeguarding case"),
    "adult_conference": N_("adult protection conference"),
    "adult_conference_report": N_("report to an adult protection conference"),
    "adult_delegation": N_("delegation of the lead co-ordinator"),
    "adult_enquiry": N_("section 126 enquiry"),
    "adult_lead_practitioner_change": N_("change of lead practitioner"),
    "adult_partnership": N_("working in partnership with the adult"),
    "adult_plan": N_("adult's protection plan"),
    "adult_plan_action": N_("action in the adult's protection plan"),
    "adult_plan_outcome": N_("outcome in the adult's protection plan"),
    "adult_plan_review": N_("review of the adult's protection plan"),
    "adult_report": N_("report of an adult at risk"),
    "adult_strategy": N_("strategy meeting"),
    "adult_strategy_member": N_("member of a strategy meeting"),
    "adult_visit": N_("visit"),
    "adult_wishes": N_("the adult's wishes and feelings"),
    "agency": N_("agency"),
    "case_file": N_("case"),
    "case_member": N_("person on the case"),
    "case_note": N_("case note"),
    "case_note_party": N_("person or agency involved in a case note"),
    "case_team_history": N_("change of team"),
    "child_voice": N_("the child's voice"),
    "cin_assessment": N_("assessment"),
    "cin_assessment_contact": N_("person spoken to in an assessment"),
    "cin_icpc_request": N_("request for a child protection conference"),
    "cin_plan": N_("Child in Need plan"),
    "cin_plan_action": N_("action in the Child in Need plan"),
    "cin_plan_outcome": N_("outcome in the Child in Need plan"),
    "cin_review": N_("Child in Need review"),
    "cin_review_attendance": N_("attendance at a Child in Need review"),
    "complaint": N_("complaint"),
    "cover": N_("cover for an absent worker"),
    "cp_conference": N_("child protection conference"),
    "cp_conference_attendance": N_("attendance at a child protection conference"),
    "cp_conference_decision": N_("conference decision"),
    "cp_conference_invitation": N_("conference invitation"),
    "cp_coordinator_change": N_("change of co-ordinator"),
    "cp_core_group": N_("core group meeting"),
    "cp_core_group_attendance": N_("attendance at a core group meeting"),
    "cp_core_group_item": N_("progress noted at a core group meeting"),
    "cp_core_member": N_("core group member"),
    "cp_enquiry": N_("section 47 enquiry"),
    "cp_plan": N_("care and support protection plan"),
    "cp_plan_action": N_("action in the care and support protection plan"),
    "cp_plan_assessment": N_("assessment in the care and support protection plan"),
    "cp_plan_outcome": N_("outcome in the care and support protection plan"),
    "cp_plan_version": N_("version of the care and support protection plan"),
    "cp_report": N_("report of a child at risk"),
    "cp_strategy": N_("strategy discussion"),
    "cp_strategy_participant": N_("participant in a strategy discussion"),
    "cp_transfer": N_("transfer to another authority"),
    "cp_visit": N_("visit"),
    "cp_visit_child": N_("child seen on a visit"),
    "escalation": N_("task"),
    "household": N_("household"),
    "household_member": N_("member of a household"),
    "lac_care_plan": N_("care and support plan"),
    "lac_episode": N_("period of being looked after"),
    "lac_health_event": N_("health event"),
    "lac_legal_status": N_("legal status"),
    "lac_pep": N_("personal education plan"),
    "lac_placement": N_("placement"),
    "lac_review": N_("looked-after review"),
    "lac_school_change": N_("change of school"),
    "lac_visit": N_("statutory visit"),
    "letter": N_("letter"),
    "letter_release": N_("release of a held letter"),
    "welsh_addition": N_("Welsh added to a text a letter quotes"),
    "permanence_plan": N_("permanence plan"),
    "person": N_("person's details"),
    "person_flag": N_("safety flag"),
    "practitioner": N_("member of staff"),
    "practitioner_absence": N_("absence of a worker"),
    "practitioner_allegation": N_("allegation about a practitioner"),
    "proceedings": N_("proceedings"),
    "proceedings_stage": N_("stage of proceedings"),
    "proceedings_extension": N_("court extension of care proceedings"),
    "register_enquiry": N_("enquiry of the register"),
    "register_entry": N_("register entry"),
    "register_history": N_("change to a register entry"),
    "relationship": N_("relationship"),
    "role_assignment": N_("role on the case"),
    "rule_exception": N_("recorded exception to a timescale"),
    "signoff": N_("management sign-off"),
    "supervision": N_("supervision"),
    "supervision_action": N_("action from supervision"),
    "team": N_("team"),
}


# The details a laptop changes (and so can conflict on), by column name: the same word whatever the record.
FIELDS: dict[str, str] = {
    # a transfer to another authority (N7) and a plan's sign-off state (m0035)
    "other_la": N_("the other local authority"), "other_la_address": N_("the other local authority's address"),
    "other_la_language": N_("the other local authority's language"),
    "content_changed_at": N_("when what the plan says last changed"),
    "content_token": N_("the plan's version for sign-off"), "record_token": N_("the version signed off"),
    # a person
    "title": N_("title"), "given_names": N_("given names"), "family_name": N_("family name"),
    "preferred_name": N_("preferred name"), "aliases": N_("other names"), "date_of_birth": N_("date of birth"),
    "date_of_death": N_("date of death"), "unborn": N_("unborn"), "expected_date": N_("expected date of birth"),
    "sex": N_("sex"), "ethnicity": N_("ethnicity"), "religion": N_("religion"), "disability": N_("disability"),
    "la_number": N_("local authority number"), "nhs_number": N_("NHS number"), "upn": N_("unique pupil number"),
    "first_language": N_("first language"), "school": N_("school"), "gp": N_("GP"), "dentist": N_("dentist"),
    "phone": N_("phone"), "email": N_("email"), "correspondence_language": N_("language for letters"),
    "language_asked_on": N_("date the language preference was asked"),
    "language_asked_by": N_("who asked the language preference"),
    "interpreter_needed": N_("needs an interpreter"), "interpreter_language": N_("interpreter language"),
    "communication_needs": N_("communication needs"),
    # an address, a membership
    "line1": N_("address line 1"), "line2": N_("address line 2"), "town": N_("town"), "county": N_("county"),
    "postcode": N_("postcode"), "country": N_("country"), "from_date": N_("start date"), "to_date": N_("end date"),
    "role": N_("role"), "reason": N_("reason"), "lives_in_household": N_("lives in the household"),
    "parental_responsibility": N_("parental responsibility"),
    # a safety flag (issue 20)
    "cleared_on": N_("date cleared"), "cleared_by": N_("cleared by"), "cleared_reason": N_("reason for clearing"),
    # a case
    "allocated_worker_id": N_("allocated worker"), "team_id": N_("team"), "case_type": N_("case type"),
    "opened_on": N_("date opened"), "closed_on": N_("date closed"), "close_reason": N_("reason for closing"),
    # the register, reports, enquiries, conferences
    "status": N_("status"), "categories": N_("categories of harm"), "coordinator_id": N_("co-ordinator"),
    "next_review_on": N_("next review"), "registered_on": N_("date registered"),
    "deregistered_on": N_("date de-registered"), "deregistration_reason": N_("reason for de-registration"),
    "deregistration_note": N_("note on de-registration"), "received_on": N_("date received"),
    "decision": N_("decision"), "decision_on": N_("date of the decision"), "decision_by": N_("decided by"),
    "decision_note": N_("note on the decision"), "determination": N_("outcome of the enquiries"),
    "determined_on": N_("date of the outcome"), "determination_reason": N_("reason for the outcome"),
    "child_seen_alone_on": N_("date the child was seen alone"), "child_seen_on": N_("date the child was seen"),
    "ratified_by": N_("ratified by"), "ratified_on": N_("date ratified"), "held_on": N_("date held"),
    "scheduled_on": N_("date arranged"), "chair_id": N_("chair"), "venue": N_("venue"),
    "child_participation": N_("how the child took part"), "quorum_discretion": N_("quorum at the chair's discretion"),
    "discretion_reason": N_("reason for the chair's discretion"), "dissent": N_("dissent"), "report": N_("report"),
    "screened_by": N_("screened by"), "screened_on": N_("date screened"),
    "screening_decision": N_("screening decision"), "screening_note": N_("screening note"),
    # plans
    "outline": N_("outline plan"), "version_no": N_("version"), "rag": N_("rating"), "evidence": N_("evidence"),
    "description": N_("description"), "due_on": N_("due date"), "owner_id": N_("owner"),
    # the Welsh beside a free text (issue 17, "needs Welsh text")
    "outline_cy": N_("outline plan in Welsh"), "description_cy": N_("description in Welsh"),
    "outline_plan_cy": N_("outline plan in Welsh"), "reasons_cy": N_("reasons in Welsh"),
    "observations_cy": N_("observations in Welsh"), "outcome_summary_cy": N_("outcome in Welsh"),
    "decisions_cy": N_("decisions in Welsh"), "support_cy": N_("support in Welsh"),
    "support_offered_cy": N_("support in Welsh"), "summary": N_("summary"), "summary_cy": N_("summary in Welsh"),
    "owner_name": N_("owner"), "started_on": N_("start date"), "ended_on": N_("end date"),
    "end_reason": N_("reason for ending"), "end_note": N_("note on ending"), "end_on": N_("end date"),
    "achieved_on": N_("date achieved"), "target_on": N_("target date"), "route": N_("route to permanence"),
    # looked after, transfers, letters, tasks, staff
    "legal_status": N_("legal status"), "placement_type": N_("type of placement"), "carer_name": N_("carer"),
    "provider_name": N_("provider"), "start_on": N_("start date"), "agreed_on": N_("date agreed"),
    "conference_on": N_("date of the conference"), "information_sent_on": N_("date the information was sent"),
    "notes": N_("notes"), "outcome": N_("outcome"), "permanent": N_("permanent"),
    "held_reason": N_("why it is held"), "acknowledged_at": N_("when it was acknowledged"),
    "acknowledged_by": N_("acknowledged by"), "lado_informed_on": N_("date the LADO was told"),
    "agency_id": N_("agency"), "job_title": N_("job title"), "welsh_speaker": N_("Welsh speaker"),
    "name": N_("name"), "name_cy": N_("Welsh name"), "active": N_("in use"),
    "advocate_name": N_("advocate"), "completed_on": N_("date completed"), "concluded_by": N_("concluded by"),
    "concluded_on": N_("date concluded"), "conclusion": N_("conclusion"), "determined_by": N_("decided by"),
    "findings": N_("findings"), "iro_informed_on": N_("date the Independent Reviewing Officer was told"),
    "need_category": N_("category of need"), "pdf": N_("the printed letter"), "data": N_("what the letter says"),
    "plan_prepared_on": N_("date the placement plan was prepared"), "plan_signed_by": N_("placement plan signed by"),
    "plan_signed_on": N_("date the placement plan was signed"), "printed_at": N_("when it was printed"),
    "printed_by": N_("printed by"), "provider": N_("provider"), "response": N_("response"),
    "response_on": N_("date of the response"), "strategy_required": N_("strategy meeting needed"),
    "done_by": N_("done by"), "done_on": N_("date done"),
}  # fmt: skip


# States and ratings, whatever the record ("in_progress" on an action, "held" on a letter or a conference).
STATES: dict[str, str] = {
    "red": N_("Red"), "amber": N_("Amber"), "green": N_("Green"),
    "not_started": N_("Not started"), "in_progress": N_("In progress"), "done": N_("Done"),
    "not_done": N_("Not done"), "active": N_("On the register"), "temporary": N_("Temporary entry"),
    "deregistered": N_("De-registered"), "ended": N_("Ended"), "queued": N_("Ready to print"),
    "held": N_("Held"), "printed": N_("Printed"), "cancelled": N_("Cancelled"), "convened": N_("Arranged"),
    "postponed": N_("Postponed"), "resolved": N_("Resolved"),
}  # fmt: skip


def field_label(field: str) -> str:
    """A detail's name in the interface language; "another detail" for one a person does not edit."""
    return _(FIELDS.get(field, N_("another detail")))


def record_label(entity: str) -> str:
    """The record's name in the interface language; "record" for a kind this version does not know
    (a newer laptop's record): never the table's name."""
    return _(RECORDS.get(entity, N_("record")))
