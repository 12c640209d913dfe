"""Child protection screens: the "Child protection" case tab (register status, what is due, visits, and
a form for each step of the journey on its action bar: report and its next actions, strategy discussion,
section 47 enquiry, conferences, plan, core group, change of co-ordinator, visit, transfers — one module
each, every one a :class:`ui.forms.Form` through :mod:`ui.child_protection.cp_form`) and, if no other
module has registered it, the register area. "My work" opens the form for an item's action
(``tab.open_action``).

Importing this package registers the case tab ``child_protection`` (child protection cases only) and the
area ``register`` (unless already registered); the case header's "next thing due" comes from
:mod:`ui.next_due` (``MyWorkService.next_due``). It is
listed in :data:`ui.plugins.CASE_TAB_MODULES`.
"""

from __future__ import annotations

from desktop.domain.types import CaseType
from desktop.i18n import N_
from desktop.services.permissions import Can
from ui import areas
from ui.case_tabs import register_case_tab
from ui.child_protection.circulation_dialog import CirculationDialog
from ui.child_protection.conference_dialog import InitialConferenceDialog, ReviewConferenceDialog
from ui.child_protection.convene_dialog import ConveneDialog
from ui.child_protection.coordinator_dialog import CoordinatorDialog
from ui.child_protection.core_group_dialog import CoreGroupDialog
from ui.child_protection.enquiry_dialog import EnquiryDialog
from ui.child_protection.plan_dialog import PlanDialog
from ui.child_protection.register_page import RegisterPage
from ui.child_protection.report_dialog import ReportDialog
from ui.child_protection.strategy_dialog import StrategyDialog
from ui.child_protection.tab import ChildProtectionTab
from ui.child_protection.visit_dialog import VisitDialog

register_case_tab("child_protection", N_("Child protection"), ChildProtectionTab,
                  visible_for=lambda session: session.can(Can.VIEW_CASEWORK), order=40,
                  case_types=(CaseType.CHILD_PROTECTION,))

# A dedicated ui.register module (imported before this one) takes precedence.
if "register" not in areas._AREAS:  # noqa: SLF001
    areas.register_area("register", N_("Child protection register"), RegisterPage, order=30,
                        visible_for=lambda session: session.can(Can.MANAGE_REGISTER))


__all__ = [
    "ChildProtectionTab",
    "CirculationDialog",
    "ConveneDialog",
    "CoordinatorDialog",
    "CoreGroupDialog",
    "EnquiryDialog",
    "InitialConferenceDialog",
    "PlanDialog",
    "RegisterPage",
    "ReportDialog",
    "ReviewConferenceDialog",
    "StrategyDialog",
    "VisitDialog",
]
