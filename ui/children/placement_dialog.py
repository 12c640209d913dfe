"""Recording that a child became looked after, and a placement (or a move to a new one). GUI thread only.

Both are :class:`~ui.forms.Form` s (a refusal beside its field, nothing saved; drafts).
:class:`LookedAfterDialog` calls :meth:`LookedAfterService.become_looked_after` (date, legal status,
and whether the case moves to the Children in Care team). :class:`PlacementDialog` calls
:class:`desktop.services.children.PlacementService` once: ``add`` for a first placement, ``move`` when
"This is a move" is ticked (the current placement ends that day with the reason chosen). A refusal (an
overlap, a future date, a missing carer) is shown beside its field, in the interface language.
"""

from __future__ import annotations

from typing import Any

from desktop.i18n import N_, _
from desktop.services.children import LookedAfterService, PlacementService
from desktop.services.children.codes import LEGAL_STATUSES, MOVE_REASONS, PLACEMENT_TYPES
from ui.children.child_form import ChildForm
from ui.forms import Field


class PlacementDialog(ChildForm):
    """A placement; ``is_move`` (in the context) ticks "This is a move" to begin with."""

    OBJECT_NAME = "placement_dialog"
    TITLE = N_("Record a placement")
    FIELDS = [
        Field("placement_type", "choice", N_("Type of placement:"), PLACEMENT_TYPES),
        Field("start_on", "date", N_("Start date:")),
        Field("carer_name", "text", N_("Carer:")),
        Field("provider_name", "text", N_("Provider:")),
        Field("line1", "text", N_("Address:")),
        Field("town", "text", N_("Town:")),
        Field("postcode", "text", N_("Postcode:")),
        Field("country", "text", N_("Country code:")),
        Field("host_authority", "text", N_("Local authority where the child lives:")),
        Field("out_of_county", "check", N_("Out of county")),
        Field("intended_until_18", "check", N_("Intended to last until the child is 18")),
        Field("permanent_home", "check", N_("This is the child's permanent home")),
        Field("is_move", "check", N_("This is a move from the current placement")),
        Field("reason", "choice", N_("Reason for the move:"), MOVE_REASONS),
    ]
    ALIASES = {"on": "start_on", "end_on": "start_on"}

    def prepare(self) -> None:
        self.set_value("country", "GB")
        self.set_value("is_move", bool(self.context.get("is_move")))

    def retranslate_more(self) -> None:
        super().retranslate_more()
        self.widgets["country"].setToolTip(_("Two letters, like GB, IE or FR"))

    def submit(self, values: dict[str, Any]) -> dict[str, Any]:
        is_move, reason = values.pop("is_move"), values.pop("reason")
        service = PlacementService(self.session)
        if is_move:
            start = values.pop("start_on")
            return service.move(self.case_id, self.person_id, on=start, reason=reason, **values)
        return service.add(self.case_id, self.person_id, **values)


class LookedAfterDialog(ChildForm):
    """The child became looked after."""

    OBJECT_NAME = "looked_after_dialog"
    TITLE = N_("Became looked after")
    FIELDS = [
        Field("started_on", "date", N_("Date looked after from:")),
        Field("legal_status", "choice", N_("Legal status:"), list(LEGAL_STATUSES)),
        Field("transfer", "check", N_("Move the case to the Children in Care team")),
    ]

    def read(self) -> bool:
        """Worker thread: whether this person may move the case to the Children in Care team (allocation
        within their reach, as the server allows it)."""
        return LookedAfterService(self.session).may_move_case(self.case_id)

    def _movable(self) -> bool:
        return self.opening is not None and bool(self.opening.more)

    def prepare(self) -> None:
        self.set_value("transfer", self._movable())
        self.editors["transfer"].widget.setEnabled(self._movable())

    def retranslate_more(self) -> None:
        super().retranslate_more()
        if not self._movable():
            self.editors["transfer"].widget.setToolTip(
                _("Moving the case to another team is allocation: ask a manager who may move it (a senior "
                  "manager between teams)."))

    def submit(self, values: dict[str, Any]) -> dict[str, Any]:
        return LookedAfterService(self.session).become_looked_after(
            self.case_id, self.person_id, started_on=values["started_on"], legal_status=values["legal_status"],
            transfer=values["transfer"])
