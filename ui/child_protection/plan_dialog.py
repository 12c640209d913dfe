"""Editing the care and support protection plan: outcomes (each with its measure of progress, RAG rating
and evidence) and actions (each with its outcome, owner, due date and status), the support and the
contingency plan. One call to :meth:`PlanService.revise` (a new version of the plan; earlier versions
are kept). Rows already in the plan keep their ids, so the version records what changed.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.i18n import N_, _
from desktop.services.child_protection import PlanService
from ui.adults.forms import combo, relabel
from ui.child_protection.form_dialog import StepDialog
from ui.person_dialog import from_iso, to_iso

RAGS = [(N_("Not rated"), None), (N_("Red"), "red"), (N_("Amber"), "amber"), (N_("Green"), "green")]
STATUSES = [(N_("Not started"), "not_started"), (N_("In progress"), "in_progress"), (N_("Done"), "done"),
            (N_("Not done"), "not_done")]
OWNER_KINDS = [(N_("Family member"), "person"), (N_("Practitioner"), "practitioner"), (N_("Agency"), "agency")]
OUTCOME_HEADERS = [N_("Outcome for the child"), N_("How progress is measured"), N_("Rating"), N_("Evidence")]
ACTION_HEADERS = [N_("Action"), N_("Outcome"), N_("Owner is"), N_("Owner"), N_("Due (dd/mm/yyyy)"), N_("Status")]
ID_ROLE = Qt.ItemDataRole.UserRole


class Table(QWidget):
    """A table of plan rows with Add and Remove buttons; combo columns are cell widgets."""

    def __init__(self, headers: list[str], combos: dict[int, list[tuple[str, Any]]]) -> None:
        super().__init__()
        self.headers, self.combos = headers, combos
        self.table = QTableWidget(0, len(headers))
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setMinimumHeight(150)
        self.table.setCornerButtonEnabled(False)
        self.add_button, self.remove_button = QPushButton(), QPushButton()
        self.add_button.clicked.connect(lambda: self.add_row({}))
        self.remove_button.clicked.connect(self.remove_row)
        row = QHBoxLayout()
        row.addWidget(self.add_button)
        row.addWidget(self.remove_button)
        row.addStretch(1)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.table)
        box.addLayout(row)

    def retranslate(self, what: str, add: str, remove: str) -> None:
        self.table.setHorizontalHeaderLabels([_(h) for h in self.headers])
        self.table.setAccessibleName(what)
        for r in range(self.table.rowCount()):
            for c in self.combos:
                relabel(self.table.cellWidget(r, c))
        self.add_button.setText(add)
        self.remove_button.setText(remove)
        for b in (self.add_button, self.remove_button):
            b.setAccessibleName(b.text())

    def add_row(self, values: dict[int, Any], row_id: str | None = None) -> int:
        r = self.table.rowCount()
        self.table.insertRow(r)
        for c in range(len(self.headers)):
            if c in self.combos:
                box = combo(self.combos[c])
                box.setCurrentIndex(max(box.findData(values.get(c)), 0))
                box.setAccessibleName(_(self.headers[c]))
                self.table.setCellWidget(r, c, box)
            else:
                self.table.setItem(r, c, QTableWidgetItem(values.get(c) or ""))
        self.table.item(r, 0).setData(ID_ROLE, row_id)
        return r

    def remove_row(self) -> None:
        r = self.table.currentRow()
        if r >= 0:
            self.table.removeRow(r)

    def cell(self, r: int, c: int) -> Any:
        if c in self.combos:
            box: QComboBox = self.table.cellWidget(r, c)
            return box.currentData()
        item = self.table.item(r, c)
        return item.text().strip() if item else ""

    def rows(self) -> list[dict[str, Any]]:
        """``{"id": …, 0: …, 1: …}`` per row (column numbers as keys)."""
        return [{"id": self.table.item(r, 0).data(ID_ROLE), **{c: self.cell(r, c) for c in range(len(self.headers))}}
                for r in range(self.table.rowCount())]


class PlanDialog(StepDialog):
    DRAFT_FORM = "cp_plan"
    TITLE = N_("Care and support protection plan")
    ALIASES = {"due_on": "actions"}

    def __init__(self, session: Any, case_id: str, parent: QWidget | None = None) -> None:
        super().__init__(session, case_id, parent)
        self.setObjectName("cp_plan_dialog")
        self.resize(900, 720)
        for table in (self.outcomes, self.actions):
            table.table.itemChanged.connect(self.edited)

    def build(self) -> None:
        self.service = PlanService(self.session)
        plan = self.service.current(self.case_id) or {"outcomes": [], "actions": []}
        f = self.form
        self.outline = f.add("outline", N_("Outline plan from the conference:"), QPlainTextEdit(plan.get("outline") or ""))
        self.outline.setReadOnly(True)
        self.outline.setMaximumHeight(60)
        self.outcomes = f.add("outcomes", N_("Outcomes:"), Table(OUTCOME_HEADERS, {2: RAGS}))
        outcome_ids = [o["id"] for o in plan["outcomes"]]
        self.actions = f.add("actions", N_("Actions:"), Table(ACTION_HEADERS, {1: self._outcome_choices(
            len(plan["outcomes"])), 2: OWNER_KINDS, 5: STATUSES}))
        for o in plan["outcomes"]:
            self.outcomes.add_row({0: o["description"], 1: o["measure"], 2: o["rag"], 3: o["evidence"]}, o["id"])
        for a in plan["actions"]:
            index = outcome_ids.index(a["outcome_id"]) if a["outcome_id"] in outcome_ids else None
            self.actions.add_row({0: a["description"], 1: index, 2: a["owner_kind"], 3: a["owner_name"],
                                  4: from_iso(a["due_on"]), 5: a["status"]}, a["id"])
        self.support = f.add("support", N_("Support to be provided:"), QPlainTextEdit(plan.get("support") or ""))
        self.contingency = f.add("contingency", N_("Contingency plan:"), QPlainTextEdit(plan.get("contingency") or ""))
        for editor in (self.support, self.contingency):
            editor.setMaximumHeight(70)
        self.outcomes.table.model().rowsInserted.connect(self._outcomes_changed)
        self.outcomes.table.model().rowsRemoved.connect(self._outcomes_changed)

    @staticmethod
    def _outcome_choices(n: int) -> list[tuple[str, Any]]:
        # Outcome numbers are not translated: "1", "2"…
        return [(N_("No outcome"), None)] + [(str(i + 1), i) for i in range(n)]

    def _outcomes_changed(self, *_args: Any) -> None:
        """Offer as many outcome numbers on each action as there are outcomes."""
        self.actions.combos[1] = self._outcome_choices(self.outcomes.table.rowCount())
        for r in range(self.actions.table.rowCount()):
            current = self.actions.cell(r, 1)
            box = combo(self.actions.combos[1])
            box.setAccessibleName(_(ACTION_HEADERS[1]))
            box.setCurrentIndex(max(box.findData(current), 0))
            self.actions.table.setCellWidget(r, 1, box)

    def retranslate_more(self) -> None:
        self.outcomes.retranslate(_("Outcomes"), _("Add an outcome"), _("Remove the selected outcome"))
        self.actions.retranslate(_("Actions"), _("Add an action"), _("Remove the selected action"))

    def raw_more(self) -> dict[str, Any]:
        return {"outcome_rows": [{str(k): v for k, v in r.items()} for r in self.outcomes.rows()],
                "action_rows": [{str(k): v for k, v in r.items()} for r in self.actions.rows()]}

    def restore_more(self, data: dict[str, Any]) -> None:
        for table, key in ((self.outcomes, "outcome_rows"), (self.actions, "action_rows")):
            if key not in data:
                continue
            table.table.setRowCount(0)
            for r in data[key]:
                table.add_row({int(k): v for k, v in r.items() if k != "id"}, r.get("id"))

    def submit(self) -> dict[str, Any]:
        outcomes = [{"id": r["id"], "description": r[0], "measure": r[1], "rag": r[2], "evidence": r[3]}
                    for r in self.outcomes.rows()]
        actions = [{"id": r["id"], "description": r[0], "outcome_index": r[1], "owner_kind": r[2],
                    "owner_name": r[3], "due_on": to_iso(r[4]) if r[4] else None, "status": r[5]}
                   for r in self.actions.rows()]
        plan = self.service.current(self.case_id) or {}
        return self.service.revise(
            self.case_id, outcomes=outcomes, actions=actions,
            assessments=[{k: a[k] for k in ("id", "description", "specialist", "provider", "commissioned_on",
                                                "status")} for a in plan.get("assessments", [])],
            support=self.support.toPlainText(), contingency=self.contingency.toPlainText())
