"""Recording a visit to an adult at risk (A3, A4). GUI thread; one service call per save.

An :class:`~ui.adults.adult_form.AdultForm`: what was typed goes to
:class:`desktop.services.adults.VisitService`, whose every check (a visit in the future, no reason for not
offering the chance to be seen alone…) shows beside the field it names. The half-typed form is kept as a
draft per case and comes back after a crash; saving discards it.
"""

from __future__ import annotations

from typing import Any

from desktop.i18n import N_
from desktop.services.adults import VisitService
from ui.adults.adult_form import AdultForm
from ui.forms import Field

LOCATIONS = {"home": N_("At home"), "care_home": N_("Care home"), "hospital": N_("Hospital"),
             "day_service": N_("Day service"), "office": N_("Office"), "other": N_("Somewhere else")}


class VisitDialog(AdultForm):
    """Record one visit; :attr:`saved` carries the new visit's id."""

    OBJECT_NAME = "adult_visit_dialog"
    TITLE = N_("Record a visit")
    TODAY = ("visited_on",)
    FIELDS = [
        Field("visited_on", "date", N_("Date of the visit:")),
        Field("location", "choice", N_("Where:"), LOCATIONS),
        Field("seen", "check", N_("The adult was seen")),
        Field("offered_alone", "check", N_("Given the opportunity to be seen alone")),
        Field("seen_alone", "check", N_("Seen alone")),
        Field("not_alone_reason", "long", N_("Why not offered the chance to be seen alone:")),
        Field("wishes_feelings", "long", N_("The adult's wishes and feelings:")),
        Field("observations", "long", N_("Observations:")),
    ]

    def submit(self, values: dict[str, Any]) -> dict[str, Any]:
        return VisitService(self.session).record(
            self.case_id or "", visited_on=values["visited_on"], location=values["location"], seen=values["seen"],
            offered_alone=values["offered_alone"], seen_alone=values["seen_alone"],
            not_alone_reason=values["not_alone_reason"], wishes_feelings=values["wishes_feelings"],
            observations=values["observations"])
