"""The code lists of Children in Need and Children in Care, and their labels (Qt-free; public).

Codes are stable (stored, synced); each list maps a code to its English msgid (marked ``N_``). Show a code
with :func:`label`, in the interface language.
"""

from __future__ import annotations

from desktop.i18n import N_, _

NEED_CATEGORIES: dict[str, str] = {
    # N1–N5: StatsWales CRCS census categories of need (procedures.md §5.3).
    "N1": N_("Abuse or neglect"),
    "N2": N_("Child's disability or illness"),
    "N3": N_("Parental disability or illness"),
    "N4": N_("Family in acute stress"),
    "N5": N_("Family dysfunction"),
    # N6–N9: the codes exist in the census (N8 and N9 do not apply to unborn children), but these
    # labels are the conventional ones and are UNCONFIRMED for Wales (procedures.md §5.3): check
    # them against the current CRCS specification before any national return uses them.
    "N6": N_("Socially unacceptable behaviour"),
    "N7": N_("Low income"),
    "N8": N_("Absent parenting"),
    "N9": N_("Cases other than children in need"),
}
NOT_FOR_UNBORN = frozenset({"N8", "N9"})

ASSESSMENT_CONCLUSIONS: dict[str, str] = {
    "no_further_action": N_("No further action"),
    "information_advice": N_("Information, advice and assistance"),
    "cin_plan": N_("Child in Need plan"),
    "icpc_request": N_("Request an initial child protection conference"),
    "proceedings": N_("Legal proceedings"),
}

CONTACT_KINDS: dict[str, str] = {
    "child": N_("The child"),
    "family": N_("Family member"),
    "professional": N_("Professional"),
}

CHILD_PARTICIPATION: dict[str, str] = {
    "attended": N_("The child attended"),
    "views_given": N_("The child's views were given"),
    "advocate": N_("An advocate spoke for the child"),
    "not_appropriate": N_("Not appropriate for the child to take part"),
    "declined": N_("The child chose not to take part"),
}

CIN_REVIEW_DECISIONS: dict[str, str] = {
    "continue": N_("Continue the plan"),
    "revise": N_("Revise the plan"),
    "close": N_("Close the plan"),
    "escalate": N_("Escalate: request a child protection conference"),
}

PROCEEDINGS_STAGES: dict[str, dict[str, str]] = {
    # Public Law Outline pre-proceedings.
    "pre_proceedings": {
        "letter_before_proceedings": N_("Letter before proceedings sent"),
        "plo_meeting": N_("Pre-proceedings meeting held"),
        "review_meeting": N_("Pre-proceedings review meeting"),
        "concluded": N_("Pre-proceedings concluded"),
    },
    # Care proceedings (Public Law Outline stages).
    "care_proceedings": {
        "application_issued": N_("Application issued"),
        "case_management_hearing": N_("Case management hearing"),
        "interim_care_order": N_("Interim care order made"),
        "issues_resolution_hearing": N_("Issues resolution hearing"),
        "final_hearing": N_("Final hearing"),
        "concluded": N_("Proceedings concluded"),
    },
}
PROCEEDINGS_KINDS: dict[str, str] = {
    "pre_proceedings": N_("Pre-proceedings"),
    "care_proceedings": N_("Care proceedings"),
}
PROCEEDINGS_OUTCOMES: dict[str, str] = {
    "care_order": N_("Care order"),
    "supervision_order": N_("Supervision order"),
    "special_guardianship_order": N_("Special guardianship order"),
    "placement_order": N_("Placement order"),
    "child_arrangements_order": N_("Child arrangements order"),
    "no_order": N_("No order"),
    "withdrawn": N_("Application withdrawn"),
    "proceedings_issued": N_("Care proceedings issued"),
    "diverted": N_("Concerns addressed without proceedings"),
}

LEGAL_STATUSES: dict[str, tuple[str, str]] = {
    # code: (label msgid, StatsWales group). Groups are the StatsWales "children looked after at 31
    # March by legal status" categories (procedures.md §2.17).
    "interim_care_order": (N_("Interim care order (s.38)"), "care_orders"),
    "full_care_order": (N_("Full care order (s.31)"), "care_orders"),
    "placement_order": (N_("Placement order"), "other"),
    "police_protection": (N_("Police protection"), "remand_detained_compulsory"),
    "emergency_protection_order": (N_("Emergency protection order"), "remand_detained_compulsory"),
    "child_assessment_order": (N_("Child assessment order"), "remand_detained_compulsory"),
    "remand": (N_("Remanded to local authority accommodation"), "remand_detained_compulsory"),
    "section_76": (N_("Accommodated under section 76 (single period)"), "single_period_s76"),
    "section_76_short_breaks": (N_("Accommodated under section 76 (short breaks)"), "other"),
    "other": (N_("Other legal status"), "other"),
}
LEGAL_STATUS_GROUPS: dict[str, str] = {
    "care_orders": N_("Care orders"),
    "remand_detained_compulsory": N_("Remand, detained or other compulsory order"),
    "other": N_("Other legal status"),
    "single_period_s76": N_("Single period of accommodation under section 76"),
}

PLACEMENT_TYPES: dict[str, str] = {
    "foster": N_("Foster care (local authority foster parent)"),
    "connected_person": N_("Connected person (kinship) foster care"),
    "residential": N_("Residential (children's home)"),
    "secure": N_("Secure accommodation"),
    "placed_with_parents": N_("Placed with parents"),
    "family_friends": N_("Living with family or friends (other arrangements)"),
    "placed_for_adoption": N_("Placed for adoption"),
    "other": N_("Other placement"),
}

MOVE_REASONS: dict[str, str] = {
    "planned_move": N_("Planned move in line with the care plan"),
    "permanence": N_("Move to the child's permanent home"),
    "carer_request": N_("Carer asked for the child to move"),
    "child_request": N_("The child asked to move"),
    "breakdown": N_("Placement breakdown"),
    "safeguarding": N_("Safeguarding concern or allegation"),
    "returned_home": N_("Returned home"),
    "ceased_looked_after": N_("Stopped being looked after"),
    "other": N_("Other reason"),
}

PERMANENCE_ROUTES: dict[str, str] = {
    "return_home": N_("Return home"),
    "kinship": N_("Kinship care"),
    "special_guardianship": N_("Special guardianship"),
    "adoption": N_("Adoption"),
    "long_term_foster": N_("Long-term foster care"),
    "residential": N_("Residential care"),
}

VOICE_KINDS: dict[str, str] = {
    "wishes_feelings": N_("Wishes and feelings"),
    "life_story": N_("Life story work"),
}

HEALTH_KINDS: dict[str, str] = {
    "health_assessment_initial": N_("Initial health assessment"),
    "health_assessment_review": N_("Review health assessment"),
    "gp_registered": N_("Registered with a GP"),
    "dentist_registered": N_("Registered with a dentist"),
    "dental_check": N_("Dental check"),
}

IRO_ROLE = "iro"
"""``role_assignment.role`` of the child's independent reviewing officer (puts the case in their scope)."""
WORKER_ROLE = "allocated_worker"
"""``role_assignment.role`` of the allocated social worker (its rows are the worker history)."""

_ALL_LABELS: dict[str, str] = {}
for _table in (NEED_CATEGORIES, PROCEEDINGS_KINDS, ASSESSMENT_CONCLUSIONS, CONTACT_KINDS, CHILD_PARTICIPATION, CIN_REVIEW_DECISIONS,
               PROCEEDINGS_OUTCOMES, LEGAL_STATUS_GROUPS, PLACEMENT_TYPES, MOVE_REASONS, PERMANENCE_ROUTES,
               VOICE_KINDS, HEALTH_KINDS):
    _ALL_LABELS.update(_table)
for _stages in PROCEEDINGS_STAGES.values():
    _ALL_LABELS.update(_stages)
_ALL_LABELS.update({code: msgid for code, (msgid, _group) in LEGAL_STATUSES.items()})
_ALL_LABELS["other"] = N_("Other")


def label(code: str | None) -> str:
    """The translated label of a code from these lists (the code itself if unknown)."""
    if code is None:
        return ""
    msgid = _ALL_LABELS.get(code)
    return _(msgid) if msgid else code
