"""The core group's membership between conferences: someone joins (a practitioner of any agency, an agency,
or one of the family), or a member leaves. One call each to :class:`CoreGroupService` (``add_member`` /
``end_member``); the core group meeting form then lists who is a member on its date."""

from __future__ import annotations

from typing import Any

from desktop.errors import ValidationError
from desktop.i18n import N_, _
from desktop.services.child_protection import CoreGroupService
from ui.child_protection.cp_form import CpForm, agencies, family, staff
from ui.forms import Field


class CoreMemberJoinsDialog(CpForm):
    """Someone joins the core group from a date."""

    OBJECT_NAME = "cp_core_member_joins_dialog"
    TITLE = N_("Someone joins the core group")
    FIELDS = [
        Field("who", "optional", N_("Who joins:")),
        Field("role", "text", N_("Their role (optional):"), help=N_("For example: school nurse, class teacher")),
        Field("from_date", "date", N_("A member from:")),
    ]
    TODAY = ("from_date",)
    BLANKS = {"who": N_("Choose…")}

    def items(self, name: str) -> list[tuple[Any, str]]:
        if name != "who":
            return super().items(name)
        # L10N: an agency in the list of who may join the core group, e.g. "Heddlu Dyfed-Powys (the agency)".
        return [*((f"practitioner:{pid}", shown) for pid, shown in staff(self.session)),
                *((f"agency:{aid}", _("{agency} (the agency)").format(agency=shown))
                  for aid, shown in agencies(self.session)),
                *((f"person:{pid}", shown) for pid, shown in family(self.session, self.case))]

    def submit(self, values: dict[str, Any]) -> dict[str, Any]:
        if not values["who"]:
            raise ValidationError(N_("Choose who joins the core group."), field="who")
        kind, member_id = str(values["who"]).split(":", 1)
        added = CoreGroupService(self.session).add_member(
            self.case, member_kind=kind, **{f"{kind}_id": member_id}, role=values["role"] or None,
            from_date=values["from_date"] or "")
        if added is None:
            raise ValidationError(N_("They are already a member of the core group."), field="who")
        return added


class CoreMemberLeavesDialog(CpForm):
    """A member leaves the core group on a date."""

    OBJECT_NAME = "cp_core_member_leaves_dialog"
    TITLE = N_("A member leaves the core group")
    FIELDS = [
        Field("member_id", "optional", N_("Who leaves:")),
        Field("to_date", "date", N_("Last day as a member:")),
    ]
    TODAY = ("to_date",)
    BLANKS = {"member_id": N_("Choose…")}

    def items(self, name: str) -> list[tuple[Any, str]]:
        if name != "member_id":
            return super().items(name)
        return [(m["id"], _("{name} ({role})").format(name=m["name"], role=m["role"]) if m["role"] else m["name"])
                for m in CoreGroupService(self.session).members(self.case)]

    def submit(self, values: dict[str, Any]) -> dict[str, Any]:
        if not values["member_id"]:
            raise ValidationError(N_("Choose who leaves the core group."), field="member_id")
        return CoreGroupService(self.session).end_member(values["member_id"], values["to_date"] or "")
