"""Change of care and support protection plan co-ordinator (N1): the new co-ordinator, who was told
verbally and when (before the written confirmation N1 goes to the core group agencies and the family),
the day the change takes effect and why. One call to :meth:`CoordinatorService.change`.
"""

from __future__ import annotations

from typing import Any

from desktop.i18n import N_
from desktop.services.child_protection import CoordinatorService
from ui.child_protection.cp_form import CpForm, lines, staff
from ui.forms import Field


class CoordinatorDialog(CpForm):
    OBJECT_NAME = "cp_coordinator_dialog"
    TITLE = N_("Change of co-ordinator")
    FIELDS = [
        Field("child_ids", "checks", N_("Children:")),
        Field("new_coordinator_id", "optional", N_("New co-ordinator:")),
        Field("verbal_to", "long", N_("Told verbally (one person a line):")),
        Field("verbal_on", "date", N_("Date they were told:")),
        Field("effective_on", "date", N_("Date the change takes effect:")),
        Field("reason", "long", N_("Reason for the change:")),
    ]
    ALIASES = {"coordinator_id": "new_coordinator_id"}
    TODAY = ("verbal_on", "effective_on")
    BLANKS = {"new_coordinator_id": N_("Choose…")}

    def items(self, name: str) -> list[tuple[Any, str]]:
        if name == "new_coordinator_id":
            return staff(self.session, social_services_only=True)
        return super().items(name)

    def submit(self, values: dict[str, Any]) -> dict[str, Any]:
        out = CoordinatorService(self.session).change(
            self.case, new_coordinator_id=values["new_coordinator_id"],
            verbal_to=[{"name": n} for n in lines(values["verbal_to"])], verbal_on=values["verbal_on"],
            child_ids=values["child_ids"] or None, effective_on=values["effective_on"], reason=values["reason"])
        changes: list[dict[str, Any]] = out["changes"]
        return changes[0] if changes else {}
