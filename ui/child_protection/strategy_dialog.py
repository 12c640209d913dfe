"""Recording a strategy discussion or meeting (WSP c3pt1-p8): who took part by agency (police and
social services at least), the decisions, whether section 47 enquiries start, and a departure from the
timescale with its reason and the senior manager who agreed it. One call to
:meth:`StrategyService.record` (the s47 enquiries are started in the same transaction).
"""

from __future__ import annotations

from typing import Any

from desktop.domain.types import Role
from desktop.i18n import N_
from desktop.services.child_protection import ReportService, StrategyService
from ui.child_protection.cp_form import CpForm, agencies, staff
from ui.forms import Field

KINDS = {"discussion": N_("Strategy discussion"), "meeting": N_("Strategy meeting")}


class StrategyDialog(CpForm):
    OBJECT_NAME = "cp_strategy_dialog"
    TITLE = N_("Record a strategy discussion")
    FIELDS = [
        Field("child_ids", "checks", N_("Children:")),
        Field("kind", "choice", N_("Kind:"), KINDS),
        Field("held_on", "date", N_("Date held:")),
        Field("participants", "checks", N_("Agencies taking part:")),
        Field("decisions", "long", N_("Decisions:")),
        Field("interim_safeguards", "long", N_("Immediate safeguards agreed:")),
        Field("initiate_s47", "check", N_("Start section 47 enquiries")),
        Field("departure_reason", "long", N_("Reason for departing from the timescale:")),
        Field("departure_agreed_by", "optional", N_("Departure agreed by (senior manager):")),
    ]
    TODAY = ("held_on",)
    BLANKS = {"departure_agreed_by": N_("Nobody")}

    def items(self, name: str) -> list[tuple[Any, str]]:
        if name == "participants":
            return agencies(self.session)
        if name == "departure_agreed_by":
            return staff(self.session, role=Role.SENIOR_MANAGER)
        return super().items(name)

    def submit(self, values: dict[str, Any]) -> dict[str, Any]:
        reports = ReportService(self.session).for_case(self.case)
        return StrategyService(self.session).record(
            self.case, kind=values["kind"], held_on=values["held_on"] or "",
            participants=[{"agency_id": a} for a in values["participants"]],
            decisions=values["decisions"] or "", initiate_s47=values["initiate_s47"],
            child_ids=values["child_ids"] or None, report_id=reports[0]["id"] if reports else None,
            interim_safeguards=values["interim_safeguards"], departure_reason=values["departure_reason"],
            departure_agreed_by=values["departure_agreed_by"])
