"""Convening a conference (initial or review): the date, time, venue and chair, and who is invited
(the family members of the case and agencies). One call to :meth:`ConferenceService.convene`, which
queues an invitation letter (N8 initial, N11 review) to each invitee for each child.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QLineEdit, QWidget

from desktop.i18n import N_
from desktop.services.child_protection import ConferenceService
from ui.adults.forms import combo, date_edit, iso
from ui.child_protection.form_dialog import (
    CheckList,
    StepDialog,
    agencies,
    children_list,
    people_combo,
    practitioners,
)

KINDS = [(N_("Initial child protection conference"), "initial"), (N_("Review child protection conference"), "review")]


class ConveneDialog(StepDialog):
    DRAFT_FORM = "cp_convene"
    TITLE = N_("Convene a conference")

    def __init__(self, session: Any, case_id: str, parent: QWidget | None = None) -> None:
        super().__init__(session, case_id, parent)
        self.setObjectName("cp_convene_dialog")

    def build(self) -> None:
        f = self.form
        self.kind = f.add("kind", N_("Kind:"), combo(KINDS))
        self.child_ids = f.add("child_ids", N_("Children:"), children_list(self.session, self.case_id))
        self.scheduled_on = f.add("scheduled_on", N_("Date:"), date_edit(None))
        self.time = f.add("conference_time", N_("Time (hh:mm):"), QLineEdit())
        self.venue = f.add("venue", N_("Venue:"), QLineEdit())
        self.chair = f.add("chair_id", N_("Chair:"), people_combo(practitioners(self.session), N_("Not recorded")))
        family = self.session.store.rows(
            "SELECT p.id, p.given_names, p.family_name FROM case_member m JOIN person p ON p.id = m.person_id"
            " WHERE m.case_id = ? AND m.deleted = 0 AND m.role != 'subject' ORDER BY p.family_name, p.given_names",
            [self.case_id])
        self.family = f.add("family", N_("Family members invited:"), CheckList(
            [(f"{p['given_names'] or ''} {p['family_name']}".strip(), p["id"], None) for p in family]))
        self.agencies = f.add("agencies", N_("Agencies invited:"), CheckList(
            [(a["name"], a["id"], None) for a in agencies(self.session)]))

    def submit(self) -> dict[str, Any]:
        invitees = [{"kind": "person", "id": p} for p in self.family.values()]
        invitees += [{"kind": "agency", "id": a} for a in self.agencies.values()]
        return ConferenceService(self.session).convene(
            self.case_id, kind=self.kind.currentData(), scheduled_on=iso(self.scheduled_on), invitees=invitees,
            child_ids=self.child_ids.values() or None, chair_id=self.chair.currentData(),
            venue=self.venue.text(), conference_time=self.time.text().strip() or None)
