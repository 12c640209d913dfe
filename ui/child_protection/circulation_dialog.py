"""After a conference: the day the outline plan and decisions were sent (C7), the day the full record
was sent (C8) and the day comments on the record came back (C9). One call to
:meth:`ConferenceService.record_circulated`; dates left empty are not changed.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QComboBox, QWidget

from desktop.i18n import N_, _
from desktop.services.child_protection import ConferenceService
from ui.adults.forms import date_edit, iso
from ui.child_protection.form_dialog import StepDialog
from ui.formatting import show_date
from ui.person_dialog import from_iso

KINDS = {"initial": N_("Initial conference held {date}"), "review": N_("Review conference held {date}")}
DATES = ("outline_plan_sent_on", "record_sent_on", "comments_received_on")
COLUMNS = {"outline_plan_sent_on": "outline_plan_sent_on", "record_sent_on": "record_sent_on",
           "comments_received_on": "record_comments_on"}


class CirculationDialog(StepDialog):
    DRAFT_FORM = "cp_circulation"
    TITLE = N_("Conference record sent")

    def __init__(self, session: Any, case_id: str, parent: QWidget | None = None) -> None:
        super().__init__(session, case_id, parent)
        self.setObjectName("cp_circulation_dialog")

    def build(self) -> None:
        self.service = ConferenceService(self.session)
        self._held = {c["id"]: c for c in self.service.for_case(self.case_id) if c["status"] == "held"}
        f = self.form
        self.conference = f.add("conference_id", N_("Conference:"), QComboBox())
        for c in self._held.values():
            self.conference.addItem("", c["id"])
        self.outline_sent = f.add("outline_plan_sent_on", N_("Outline plan and decisions sent:"), date_edit(None))
        self.record_sent = f.add("record_sent_on", N_("Full record sent:"), date_edit(None))
        self.comments = f.add("comments_received_on", N_("Comments on the record received:"), date_edit(None))
        self.conference.currentIndexChanged.connect(self._fill)
        self._fill()

    def _fill(self, *_args: Any) -> None:
        """Show the dates already recorded for the chosen conference."""
        conf = self._held.get(self.conference.currentData()) or {}
        for name, editor in (("outline_plan_sent_on", self.outline_sent), ("record_sent_on", self.record_sent),
                             ("comments_received_on", self.comments)):
            editor.setText(from_iso(conf.get(COLUMNS[name])))

    def retranslate_more(self) -> None:
        for i in range(self.conference.count()):
            c = self._held[self.conference.itemData(i)]
            msgid = KINDS[c["kind"]]
            self.conference.setItemText(i, _(msgid).format(date=show_date(c["held_on"])))

    def submit(self) -> dict[str, Any]:
        return self.service.record_circulated(
            self.conference.currentData(), outline_plan_sent_on=iso(self.outline_sent),
            record_sent_on=iso(self.record_sent), comments_received_on=iso(self.comments))
