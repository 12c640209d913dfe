"""Children in Need and Children in Care case tabs (GUI thread only).

Importing this package registers two case tabs with :func:`ui.case_tabs.register_case_tab`:
"Child in need" (assessments, plan, reviews, requests for a conference, proceedings) and "Looked after"
(status, placements; "Became looked after…" opens :class:`ui.children.placement_dialog.LookedAfterDialog`,
"Record a placement…" / "Record a move…" open :class:`ui.children.placement_dialog.PlacementDialog`). Both need ``Can.VIEW_CASEWORK``.

The tabs' other buttons open the forms of :mod:`ui.children.cin_dialogs` (assessment: start, who was
spoken to, complete; Child in Need plan: start, outcome, action with an owner; review meeting) and
:mod:`ui.children.lac_dialogs` (statutory visit, looked-after review chaired by the IRO, placement plan,
health event, permanence plan and achieved, the child's voice), all built on
:class:`ui.forms.Form` (one service call; a refusal beside its field, nothing saved). The package
must be listed in :data:`ui.plugins.CASE_TAB_MODULES` (as ``"ui.children"``) to be loaded by the main
window.
"""

from __future__ import annotations

from desktop.i18n import N_
from desktop.services.permissions import Can
from ui.case_tabs import register_case_tab
from ui.children.tabs import ChildInNeedTab, LookedAfterTab

CHILD_CASES = ("child_in_need", "child_protection", "looked_after")
"""A child's case keeps its history across types (CiN → CP → looked after): each tab shows on a child's
case once it holds that work, and can be started on any child's case."""

register_case_tab("child_in_need", N_("Child in need"), ChildInNeedTab,
                  lambda session: session.can(Can.VIEW_CASEWORK), order=40, case_types=("child_in_need",),
                  started_on=CHILD_CASES)
register_case_tab("looked_after", N_("Looked after"), LookedAfterTab,
                  lambda session: session.can(Can.VIEW_CASEWORK), order=45, case_types=("looked_after",),
                  started_on=CHILD_CASES)

__all__ = ["ChildInNeedTab", "LookedAfterTab"]
