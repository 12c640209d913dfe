"""Convening a conference (initial or review): the date, time, venue and chair, and who is invited
(the family members of the case and agencies). One call to :meth:`ConferenceService.convene`, which
queues an invitation letter (N8 initial, N11 review) to each invitee for each child.
"""

from __future__ import annotations

from typing import Any

from desktop.i18n import N_
from desktop.services.child_protection import ConferenceService
from ui.child_protection.cp_form import CpForm, agencies, family, staff
from ui.forms import Field

KINDS = {"initial": N_("Initial child protection conference"), "review": N_("Review child protection conference")}


class ConveneDialog(CpForm):
    OBJECT_NAME = "cp_convene_dialog"
    TITLE = N_("Convene a conference")
    FIELDS = [
        Field("kind", "choice", N_("Kind:"), KINDS),
        Field("child_ids", "checks", N_("Children:")),
        Field("scheduled_on", "date", N_("Date:")),
        Field("conference_time", "time", N_("Time (hh:mm):")),
        Field("venue", "text", N_("Venue:")),
        Field("chair_id", "optional", N_("Chair:")),
        Field("family", "checks", N_("Family members invited:")),
        Field("agencies", "checks", N_("Agencies invited:")),
    ]
    BLANKS = {"chair_id": N_("Not recorded")}

    def items(self, name: str) -> list[tuple[Any, str]]:
        if name == "chair_id":
            return staff(self.session)
        if name == "family":
            return family(self.session, self.case)
        if name == "agencies":
            return agencies(self.session)
        return super().items(name)

    def submit(self, values: dict[str, Any]) -> dict[str, Any]:
        invitees = [{"kind": "person", "id": p} for p in values["family"]]
        invitees += [{"kind": "agency", "id": a} for a in values["agencies"]]
        return ConferenceService(self.session).convene(
            self.case, kind=values["kind"], scheduled_on=values["scheduled_on"] or "", invitees=invitees,
            child_ids=values["child_ids"] or None, chair_id=values["chair_id"], venue=values["venue"],
            conference_time=values["conference_time"])
