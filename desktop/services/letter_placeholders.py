"""What every letter placeholder holds, so no worker's free text reaches a Welsh letter in English
(issue 17, "needs Welsh text"; Qt-free, data only).

Each placeholder of each template in ``reports/templates`` is one of:

* :data:`QUOTED` — a worker's free text, quoted from a record column that has its Welsh beside it
  (``<column>_cy``, :data:`desktop.services.welsh_text.WELSH_COLUMNS`). The letter names where the
  text came from (``data["welsh_sources"]`` or the print queue's own reads of the plan), and a
  Welsh or bilingual letter waits until the Welsh is written.
* :data:`FACTS` — a name (a person's, a team's, an agency's, a place's), a date or time, a
  telephone number or e-mail address: the same in both languages, or formatted for each.
* :data:`SYSTEM_TEXT` — the system's own words, written in both languages (a category of harm, the
  register decision, what happens next, what changed in the household).
* :data:`NOT_SENT` — a template no casework sends yet, with why; it gets its Welsh sources before
  anything sends it.

``tests/letters/test_every_placeholder.py`` walks every template and fails on a placeholder in none
of these, so a new free text cannot slip into a letter without its Welsh.
"""

from __future__ import annotations

QUOTED: dict[str, dict[str, tuple[tuple[str, str], ...]]] = {
    "n9_outline_plan": {
        "outcomes": (("cp_plan_outcome", "description"), ("cp_plan", "outline")),
        "actions": (("cp_plan_action", "description"), ("cp_plan", "support")),
    },
    "n12_deregistration": {"reasons": (("cp_conference_decision", "reasons"),)},
    "n13_denied_access": {"what_happened": (("cp_visit", "observations"),)},
    "n16_outcome_report_adult": {
        "outcome_summary": (("adult_conference", "outcome_summary"),),
        "decisions": (("adult_conference", "decisions"),),
        "support_offered": (("adult_conference", "support_offered"),),
    },
    "n17_closure_adult": {"reasons": (("adult_closure", "reasons"),)},
    "n17_closure_agency": {"reasons": (("adult_closure", "reasons"),)},
    "n19_plan_adult": {
        "rationale": (("adult_plan", "summary"),),
        "outcomes": (("adult_plan_outcome", "description"),),
        "your_actions": (("adult_plan_action", "description"),),
        "support": (("adult_plan_action", "description"),),
    },
    "n19_plan_family": {
        "rationale": (("cp_conference_decision", "outline_plan"),),
        "outcomes": (("cp_plan_outcome", "description"),),
        "family_actions": (("cp_plan_action", "description"),),
        "support": (("cp_plan_action", "description"), ("cp_plan", "support")),
    },
}
"""Template → free-text placeholder → the record columns (table, column) its text may come from."""

FACTS = frozenset({
    # people, teams and places, by name
    "recipient_name", "child_name", "adult_name", "coordinator_name", "new_coordinator", "previous_coordinator",
    "team_manager", "lead_coordinator", "lead_practitioner", "new_practitioner", "previous_practitioner",
    "chair_name", "team_name", "visitor_name", "venue",
    # dates and times
    "child_dob", "adult_dob", "conference_date", "conference_time", "effective_date", "change_date", "closed_on",
    "meeting_date", "plan_date", "review_date", "next_review_date", "first_core_group_date", "visit_date",
    "strategy_meeting_date", "report_due_date",
    # telephone numbers and e-mail addresses
    "coordinator_phone", "new_coordinator_phone", "lead_coordinator_phone", "lead_practitioner_phone",
    "new_practitioner_phone", "council_phone", "complaints_phone", "complaints_email",
})  # fmt: skip
"""Placeholders that are never a worker's prose, in any template."""

SYSTEM_TEXT: dict[str, frozenset[str]] = {
    "n9_outline_plan": frozenset({"categories", "registration_decision", "decisions"}),
    "n12_deregistration": frozenset({"next_steps"}),
    "n5_register_custodian": frozenset({"change_description"}),
    "n6_core_group_update": frozenset({"change_description"}),
}
"""Template → placeholders the system fills with its own bilingual words."""

NOT_SENT: dict[str, str] = {}
"""Templates nothing queues yet → why (the walk checks that nothing does)."""
