"""After a conference: the day the outline plan and decisions were sent (C7), the day the full record
was sent (C8) and the day comments on the record came back (C9). One call to
:meth:`ConferenceService.record_circulated`; dates left empty are not changed. Choosing a conference
shows the dates already recorded for it.
"""

from __future__ import annotations

from typing import Any

from desktop.i18n import N_, _
from desktop.services.child_protection import ConferenceService
from ui.child_protection.cp_form import CpForm
from ui.formatting import show_date
from ui.forms import Field

KINDS = {"initial": N_("Initial conference held {date}"), "review": N_("Review conference held {date}")}
COLUMNS = {"outline_plan_sent_on": "outline_plan_sent_on", "record_sent_on": "record_sent_on",
           "comments_received_on": "record_comments_on"}
"""Each date field and the conference's column that holds it."""


class CirculationDialog(CpForm):
    OBJECT_NAME = "cp_circulation_dialog"
    TITLE = N_("Conference record sent")
    FIELDS = [
        Field("conference_id", "items", N_("Conference:")),
        Field("outline_plan_sent_on", "date", N_("Outline plan and decisions sent:")),
        Field("record_sent_on", "date", N_("Full record sent:")),
        Field("comments_received_on", "date", N_("Comments on the record received:")),
    ]

    def items(self, name: str) -> list[tuple[Any, str]]:
        if name == "conference_id":
            self.held = {c["id"]: c for c in ConferenceService(self.session).for_case(self.case)
                         if c["status"] == "held"}
            return [(cid, "") for cid in self.held]
        return super().items(name)

    def prepare(self) -> None:
        super().prepare()
        self.combo("conference_id").currentIndexChanged.connect(self._fill)
        self._fill()

    def _fill(self, *_args: Any) -> None:
        """Show the dates already recorded for the chosen conference."""
        conf = self.held.get(self.value("conference_id")) or {}
        for name, column in COLUMNS.items():
            self.set_value(name, conf.get(column))

    def retranslate_more(self) -> None:
        super().retranslate_more()
        combo = self.combo("conference_id")
        for i in range(combo.count()):
            c = self.held[combo.itemData(i)]
            combo.setItemText(i, _(KINDS[c["kind"]]).format(date=show_date(c["held_on"])))

    def submit(self, values: dict[str, Any]) -> dict[str, Any]:
        return ConferenceService(self.session).record_circulated(
            values["conference_id"] or "", outline_plan_sent_on=values["outline_plan_sent_on"],
            record_sent_on=values["record_sent_on"], comments_received_on=values["comments_received_on"])
