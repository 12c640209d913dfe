"""The words for the actions "My work" items and the case page's primary button open (action keys come
from the casework providers' ``ACTIONS`` in ``desktop/services/*/facts.py``)."""

from __future__ import annotations

from desktop.i18n import N_, _

ACTION_LABELS: dict[str, str] = {
    "decide_report": N_("Decide the next actions on the report…"),
    "hold_initial_conference": N_("Record the initial conference…"),
    "circulate_outline_plan": N_("Record the outline plan sent…"),
    "circulate_conference_record": N_("Record the conference record sent…"),
    "record_record_comments": N_("Record comments on the conference record…"),
    "hold_core_group": N_("Record a core group meeting…"),
    "hold_review_conference": N_("Record the review conference…"),
    "record_visit": N_("Record a visit…"),
    "send_transfer_information": N_("Prepare the information pack…"),
    "agree_transfer_in": N_("Record the transfer-in agreed…"),
    "hold_transfer_in_conference": N_("Record the transfer-in conference…"),
    "conclude_adult_enquiry": N_("Conclude the section 126 enquiries…"),
    "record_adult_strategy": N_("Record the strategy meeting…"),
    "record_adult_visit": N_("Record a visit…"),
    "review_adult_plan": N_("Review the protection plan…"),
    "record_conference_reports": N_("Record the agency reports received…"),
    "end_adult_apso": N_("Record the end of the order…"),
    "record_care_plan": N_("Record the care and support plan…"),
    "record_placement_plan": N_("Record the placement plan…"),
    "record_lac_visit": N_("Record a statutory visit…"),
    "record_lac_review": N_("Record the looked-after review…"),
    "record_health": N_("Record a health assessment…"),
    "record_pep": N_("Record the personal education plan…"),
    "record_reg20": N_("Record the placement with parent…"),
    "record_cin_review": N_("Record the Child in Need review…"),
    "record_supervision": N_("Record supervision…"),
    "sign_off": N_("Sign off or return…"),
    "resubmit": N_("Send back…"),
}


def action_label(action: str) -> str | None:
    """The translated words for ``action``, or ``None`` when it opens no form."""
    msgid = ACTION_LABELS.get(action)
    return _(msgid) if msgid else None
