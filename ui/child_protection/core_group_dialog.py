"""Holding a core group meeting (first within 10 working days of registration, C10; then at least every
6 weeks, C11): who attended (a current member not ticked sent apologies, with their written
contribution if any), others present, progress on each outcome of the plan (red, amber or green with
the evidence), each action's status, denied access, notes and the next meeting. One call to
:meth:`CoreGroupService.hold`.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPlainTextEdit, QWidget

from desktop.i18n import N_, _
from desktop.services.child_protection import CoreGroupService, PlanService
from ui.adults.forms import date_edit, iso
from ui.child_protection.form_dialog import CheckList, StepDialog, lines
from ui.child_protection.plan_dialog import RAGS, STATUSES, Table

PROGRESS_HEADERS = [N_("Outcome for the child"), N_("Rating"), N_("Evidence")]
REVIEW_HEADERS = [N_("Action"), N_("Status"), N_("Evidence")]


class CoreGroupDialog(StepDialog):
    DRAFT_FORM = "cp_core_group"
    TITLE = N_("Hold a core group meeting")

    def __init__(self, session: Any, case_id: str, parent: QWidget | None = None) -> None:
        super().__init__(session, case_id, parent)
        self.setObjectName("cp_core_group_dialog")

    def build(self) -> None:
        self.service = CoreGroupService(self.session)
        self.members = {m["id"]: m for m in self.service.members(self.case_id)}
        f = self.form
        self.held_on = f.add("held_on", N_("Date held:"), date_edit(self.session.today().isoformat()))
        self.attendance = f.add("attendance", N_("Members present:"),
                                CheckList([(m["name"] or "", mid, None) for mid, m in self.members.items()]))
        self.others = f.add("others", N_("Others present (one a line):"), QPlainTextEdit())
        self.contributions = f.add("written_contributions", N_("Written contributions from those absent:"),
                                   QPlainTextEdit())
        self.denied = f.add("denied_access", N_("Access denied to the child:"), QPlainTextEdit())
        self.notes = f.add("notes", N_("Notes of the meeting:"), QPlainTextEdit())
        self.next_on = f.add("next_on", N_("Next meeting:"), date_edit(None))
        plan = PlanService(self.session).current(self.case_id) or {"outcomes": [], "actions": []}
        self.progress = f.add("progress", N_("Progress on the outcomes:"),
                              Table(PROGRESS_HEADERS, {1: RAGS}))
        for o in plan["outcomes"]:
            self.progress.add_row({0: o["description"], 1: None, 2: ""}, o["id"])
        self.actions = f.add("actions", N_("Actions reviewed:"), Table(REVIEW_HEADERS, {1: STATUSES}))
        for a in plan["actions"]:
            self.actions.add_row({0: a["description"], 1: a["status"], 2: ""}, a["id"])
        for table in (self.progress, self.actions):
            table.add_button.hide()
            table.remove_button.hide()
            for r in range(table.table.rowCount()):
                item = table.table.item(r, 0)
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
        for editor in (self.others, self.contributions, self.denied):
            editor.setMaximumHeight(60)

    def retranslate_more(self) -> None:
        self.progress.retranslate(_("Progress on the outcomes"), "", "")
        self.actions.retranslate(_("Actions reviewed"), "", "")

    def submit(self) -> dict[str, Any]:
        present = set(self.attendance.values())
        written = self.contributions.toPlainText().strip() or None
        attendance = [{"member_id": mid, "name": m["name"] or "", "attended": mid in present,
                       "written_contribution": None if mid in present else written}
                      for mid, m in self.members.items()]
        attendance += [{"name": name} for name in lines(self.others.toPlainText())]
        progress = [{"outcome_id": r["id"], "rag": r[1], "evidence": r[2]} for r in self.progress.rows()
                    if r[1] or r[2]]
        actions = [{"action_id": r["id"], "status": r[1], "evidence": r[2]} for r in self.actions.rows()]
        return self.service.hold(self.case_id, held_on=iso(self.held_on), attendance=attendance,
                                 progress=progress, actions=actions,
                                 denied_access=self.denied.toPlainText(), notes=self.notes.toPlainText(),
                                 next_on=iso(self.next_on))
