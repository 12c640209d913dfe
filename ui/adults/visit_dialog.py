"""Recording a visit to an adult at risk (A3, A4). GUI thread; one service call per save.

An :class:`~ui.adults.adult_form.AdultForm`: what was typed goes to
:class:`desktop.services.adults.VisitService`, whose every check (a visit in the future, no reason for not
offering the chance to be seen alone…) shows beside the field it names. The half-typed form is kept as a
draft per case and comes back after a crash; saving discards it.
"""

from __future__ import annotations

from typing import Any

from desktop.errors import NotFound
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

    @staticmethod
    def visit_fields(values: dict[str, Any]) -> dict[str, Any]:
        """The service's fields of a visit from the form's values."""
        return {name: values[name] for name in ("visited_on", "location", "seen", "offered_alone", "seen_alone",
                                                "not_alone_reason", "wishes_feelings", "observations")}

    def submit(self, values: dict[str, Any]) -> dict[str, Any]:
        return VisitService(self.session).record(self.case_id or "", **self.visit_fields(values))


class VisitCorrectionDialog(VisitDialog):
    """Correct a saved visit (context ``visit_id``): the visit as it stands, changed where it was wrong, and
    why; a new version that amends it, the original kept. No draft: Cancel leaves the visit as it was."""

    OBJECT_NAME = "adult_visit_correction_dialog"
    TITLE = N_("Correct a visit")
    TODAY = ()
    DRAFTS = False
    FIELDS = [Field("amendment_reason", "long", N_("Why it is being corrected:")), *VisitDialog.FIELDS]

    def read(self) -> dict[str, Any]:
        """Worker thread: the visit as it stands now."""
        visit = next((v for v in VisitService(self.session).for_case(self.case_id or "")
                      if v["id"] == self.context.get("visit_id")), None)
        if visit is None:
            raise NotFound(N_("That visit does not exist."))
        return visit

    def prepare(self) -> None:
        visit = self.opening.more if self.opening is not None else {}
        for f in VisitDialog.FIELDS:
            self.set_value(f.name, visit[f.name])

    def submit(self, values: dict[str, Any]) -> dict[str, Any]:
        return VisitService(self.session).record(
            self.case_id or "", amends_id=str(self.context.get("visit_id")),
            amendment_reason=values["amendment_reason"], **self.visit_fields(values))
