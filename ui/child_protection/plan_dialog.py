"""Editing the care and support protection plan: outcomes (each with its measure of progress, RAG rating
and evidence) and actions (each with the outcome it serves, its owner, due date and status), the support
(with its Welsh) and the contingency plan; an outcome's and an action's Welsh beside its English. One call to :meth:`PlanService.revise` (a new version of the plan; earlier
versions are kept). Rows already in the plan keep their ids, so the version records what changed.

An action's outcome is chosen by the outcome's own words (the plan's outcomes as they stand in the form,
renumbered as outcomes are added or removed), never by a bare number.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QFormLayout

from desktop.i18n import N_, _
from desktop.services.child_protection import PlanService
from ui.child_protection.cp_form import CpForm
from ui.child_protection.table_editor import Column, TableEditor
from ui.formatting import from_iso, to_iso
from ui.forms import Editor, Field

RAGS: dict[Any, str] = {None: N_("Not rated"), "red": N_("Red"), "amber": N_("Amber"), "green": N_("Green")}
STATUSES: dict[Any, str] = {"not_started": N_("Not started"), "in_progress": N_("In progress"), "done": N_("Done"),
                            "not_done": N_("Not done")}
OWNER_KINDS: dict[Any, str] = {"person": N_("Family member"), "practitioner": N_("Practitioner"),
                               "agency": N_("Agency")}
OUTCOME_SHOWN = 60
"""At most this many characters of an outcome in the action's list (the whole of it in the tooltip)."""


def outcome_text(n: int, description: str) -> str:
    """How outcome number ``n`` (from 1) is offered for an action: its own words."""
    words = " ".join(description.split())
    if not words:
        # L10N: an outcome of the plan not yet described, by its place in the list.
        return _("Outcome {n}").format(n=n)
    return words if len(words) <= OUTCOME_SHOWN else words[:OUTCOME_SHOWN - 1] + "…"


class PlanDialog(CpForm):
    OBJECT_NAME = "cp_plan_dialog"
    TITLE = N_("Care and support protection plan")
    WIDTH = 900
    FIELDS = [
        Field("outline", "long", N_("Outline plan from the conference:")),
        Field("outcomes", "custom", N_("Outcomes:")),
        Field("actions", "custom", N_("Actions:")),
        Field("support", "long", N_("Support to be provided:")),
        Field("support_cy", "long", N_("In Welsh (optional):"),
              help=N_("A Welsh or bilingual letter quoting this waits in the print queue until it is in Welsh.")),
        Field("contingency", "long", N_("Contingency plan:")),
    ]
    ALIASES = {"due_on": "actions"}

    def build(self) -> None:
        # The tables take the whole width: every label above its field.
        self.rows.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)

    def custom_editor(self, f: Field) -> Editor:
        if f.name == "outcomes":
            self.outcomes = TableEditor([
                Column("description", N_("Outcome for the child"), stretch=True),
                Column("description_cy", N_("In Welsh (optional)"), stretch=True),
                Column("measure", N_("How progress is measured"), stretch=True),
                Column("rag", N_("Rating"), choices=RAGS),
                Column("evidence", N_("Evidence"), stretch=True),
            ], texts=(N_("Outcomes"), N_("Add an outcome"), N_("Remove the selected outcome")))
            return self.outcomes
        self.action_rows = TableEditor([
            Column("description", N_("Action"), stretch=True),
            Column("description_cy", N_("In Welsh (optional)"), stretch=True),
            Column("outcome_index", N_("Outcome"), items=self._outcome_choices),
            Column("owner_kind", N_("Owner is"), choices=OWNER_KINDS),
            Column("owner_name", N_("Owner"), stretch=True),
            Column("due_on", N_("Due (dd/mm/yyyy)")),
            Column("status", N_("Status"), choices=STATUSES),
        ], texts=(N_("Actions"), N_("Add an action"), N_("Remove the selected action")))
        return self.action_rows

    def _outcome_choices(self) -> list[tuple[Any, str]]:
        rows = [self.outcomes.cell(r, "description") for r in range(self.outcomes.row_count())]
        return [(None, _("No outcome")), *((i, outcome_text(i + 1, text)) for i, text in enumerate(rows))]

    def read(self) -> dict[str, Any] | None:
        """Worker thread: the case's current plan (``None``: none yet)."""
        return PlanService(self.session).current(self.case)

    def prepare(self) -> None:
        super().prepare()
        assert self.opening is not None
        plan = self.opening.more or {"outcomes": [], "actions": []}
        self.plan = plan
        self.widgets["outline"].setReadOnly(True)  # type: ignore[attr-defined]
        self.set_value("outline", plan.get("outline") or "")
        self.set_value("support", plan.get("support") or "")
        self.set_value("support_cy", plan.get("support_cy") or "")
        self.set_value("contingency", plan.get("contingency") or "")
        outcome_ids = [o["id"] for o in plan["outcomes"]]
        for o in plan["outcomes"]:
            self.outcomes.add_row(o, o["id"])
        for a in plan["actions"]:
            index = outcome_ids.index(a["outcome_id"]) if a["outcome_id"] in outcome_ids else None
            self.action_rows.add_row({**a, "outcome_index": index, "due_on": from_iso(a["due_on"])}, a["id"])
        # The actions offer the outcomes as they are typed.
        table = self.outcomes.table
        table.itemChanged.connect(lambda _item: self.action_rows.refill())
        table.model().rowsInserted.connect(lambda *_a: self.action_rows.refill())
        table.model().rowsRemoved.connect(lambda *_a: self.action_rows.refill())

    def submit(self, values: dict[str, Any]) -> dict[str, Any]:
        outcomes = [{k: r[k] for k in ("id", "description", "description_cy", "measure", "rag", "evidence")}
                    for r in values["outcomes"]]
        actions = [{"id": r["id"], "description": r["description"], "description_cy": r["description_cy"],
                    "outcome_index": r["outcome_index"],
                    "owner_kind": r["owner_kind"], "owner_name": r["owner_name"],
                    "due_on": to_iso(r["due_on"]) if r["due_on"] else None, "status": r["status"]}
                   for r in values["actions"]]
        return PlanService(self.session).revise(
            self.case, outcomes=outcomes, actions=actions,
            assessments=[{k: a[k] for k in ("id", "description", "specialist", "provider", "commissioned_on",
                                            "status")} for a in self.plan.get("assessments", [])],
            support=values["support"], support_cy=values["support_cy"], contingency=values["contingency"])
