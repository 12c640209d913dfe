"""Assign cover for an absent worker's visits (team managers, from "My work").

A :class:`~ui.forms.Form` (GUI thread): one small write through :meth:`MyWorkService.assign_cover`; a
refusal (the end before the start, a worker covering themselves, a worker beyond a team manager's team)
shows beside its field. "Covered by" lists only whom the manager may choose
(:meth:`MyWorkService.cover_workers`: a team manager's own team, anyone for a senior manager); for a team
manager its tooltip says why another team's workers are not there.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QWidget

from desktop.domain.types import Role
from desktop.i18n import N_, _
from desktop.services.my_work import MyWorkService
from ui.forms import Field, Form

ONLY_YOUR_TEAM = N_("Only your own team's workers are listed: cover by another team's worker is arranged by "
                    "a senior manager.")


class CoverDialog(Form):
    """Who covers ``covered_id``'s work, from when (empty: today) until when."""

    OBJECT_NAME = "cover_dialog"
    TITLE = N_("Assign cover")
    FIELDS = [
        Field("covering_id", "items", N_("Covered by:")),
        Field("from_date", "date", N_("From:"), help=N_("Leave empty for today")),
        Field("to_date", "date", N_("Until:")),
        Field("reason", "text", N_("Reason:")),
    ]

    def __init__(self, session: Any, covered_id: str, parent: QWidget | None = None) -> None:
        super().__init__(session, parent=parent, covered_id=covered_id)

    def items(self, name: str) -> list[tuple[Any, str]]:
        return [(w["id"], w["name"]) for w in MyWorkService(self.session).cover_workers(self.context["covered_id"])]

    def retranslate_more(self) -> None:
        if self.session.user.role == Role.TEAM_MANAGER:  # why someone is missing, for whoever asks
            self.widgets["covering_id"].setToolTip(_(ONLY_YOUR_TEAM))

    def submit(self, values: dict[str, Any]) -> dict[str, Any]:
        return MyWorkService(self.session).assign_cover(
            values["covering_id"] or "", from_date=values["from_date"] or self.session.today().isoformat(),
            to_date=values["to_date"] or "", covered_id=self.context["covered_id"], reason=values["reason"])
