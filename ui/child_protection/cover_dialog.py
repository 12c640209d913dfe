"""Assign cover for an absent worker's visits (team managers, from "My work").

A :class:`~ui.forms.Form` (GUI thread): one small write through :meth:`MyWorkService.assign_cover`; a
refusal (the end before the start, a worker covering themselves) shows beside its field.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QWidget

from desktop.i18n import N_
from desktop.services.cases import CaseService
from desktop.services.my_work import MyWorkService
from ui.forms import Field, Form

COVER_ROLES = ("social_worker", "team_manager")
"""Who can cover another worker's visits."""


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
        covered = self.context["covered_id"]
        return [(w["id"], f"{w['given_names']} {w['family_name']}") for w in CaseService(self.session).workers()
                if w["id"] != covered and w["app_role"] in COVER_ROLES]

    def submit(self, values: dict[str, Any]) -> dict[str, Any]:
        return MyWorkService(self.session).assign_cover(
            values["covering_id"] or "", from_date=values["from_date"] or self.session.today().isoformat(),
            to_date=values["to_date"] or "", covered_id=self.context["covered_id"], reason=values["reason"])
