"""Holding a core group meeting (first within 10 working days of registration, C10; then at least every
6 weeks, C11): who attended (a current member not ticked sent apologies, with their written
contribution if any), others present, progress on each outcome of the plan (red, amber or green with
the evidence), each action's status, denied access, notes and the next meeting. One call to
:meth:`CoreGroupService.hold`.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QFormLayout

from desktop.i18n import N_
from desktop.services.child_protection import CoreGroupService, PlanService
from ui.child_protection.cp_form import CpForm, lines
from ui.child_protection.plan_dialog import RAGS, STATUSES
from ui.child_protection.table_editor import Column, TableEditor
from ui.forms import Editor, Field


class CoreGroupDialog(CpForm):
    OBJECT_NAME = "cp_core_group_dialog"
    TITLE = N_("Hold a core group meeting")
    WIDTH = 800
    FIELDS = [
        Field("held_on", "date", N_("Date held:")),
        Field("attendance", "checks", N_("Members present:")),
        Field("others", "long", N_("Others present (one a line):")),
        Field("written_contributions", "long", N_("Written contributions from those absent:")),
        Field("progress", "custom", N_("Progress on the outcomes:")),
        Field("actions", "custom", N_("Actions reviewed:")),
        Field("denied_access", "long", N_("Access denied to the child:")),
        Field("notes", "long", N_("Notes of the meeting:")),
        Field("next_on", "date", N_("Next meeting:")),
    ]
    TODAY = ("held_on",)

    def items(self, name: str) -> list[tuple[Any, str]]:
        if name == "attendance":
            self.members = {m["id"]: m for m in CoreGroupService(self.session).members(self.case)}
            return [(mid, m["name"] or "") for mid, m in self.members.items()]
        return super().items(name)

    def read(self) -> dict[str, Any] | None:
        """Worker thread: the case's current plan, whose outcomes and actions the group reviews."""
        return PlanService(self.session).current(self.case)

    def build(self) -> None:
        # The tables take the whole width: every label above its field.
        self.rows.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)

    def custom_editor(self, f: Field) -> Editor:
        if f.name == "progress":
            self.progress = TableEditor([
                Column("description", N_("Outcome for the child"), editable=False, stretch=True),
                Column("rag", N_("Rating"), choices=RAGS),
                Column("evidence", N_("Evidence"), stretch=True),
            ], growable=False, texts=(N_("Progress on the outcomes"), "", ""))
            return self.progress
        self.action_rows = TableEditor([
            Column("description", N_("Action"), editable=False, stretch=True),
            Column("status", N_("Status"), choices=STATUSES),
            Column("evidence", N_("Evidence"), stretch=True),
        ], growable=False, texts=(N_("Actions reviewed"), "", ""))
        return self.action_rows

    def prepare(self) -> None:
        super().prepare()
        assert self.opening is not None
        plan = self.opening.more or {"outcomes": [], "actions": []}
        for o in plan["outcomes"]:
            self.progress.add_row({"description": o["description"]}, o["id"])
        for a in plan["actions"]:
            self.action_rows.add_row({"description": a["description"], "status": a["status"]}, a["id"])

    def submit(self, values: dict[str, Any]) -> dict[str, Any]:
        present = set(values["attendance"])
        written = values["written_contributions"]
        attendance = [{"member_id": mid, "name": m["name"] or "", "attended": mid in present,
                       "written_contribution": None if mid in present else written}
                      for mid, m in self.members.items()]
        attendance += [{"name": name} for name in lines(values["others"])]
        progress = [{"outcome_id": r["id"], "rag": r["rag"], "evidence": r["evidence"]} for r in values["progress"]
                    if r["rag"] or r["evidence"]]
        actions = [{"action_id": r["id"], "status": r["status"], "evidence": r["evidence"]} for r in values["actions"]]
        return CoreGroupService(self.session).hold(
            self.case, held_on=values["held_on"] or "", attendance=attendance, progress=progress, actions=actions,
            denied_access=values["denied_access"], notes=values["notes"], next_on=values["next_on"])
