"""Child protection screens: the "Child protection" case tab (register status, what is due, visits,
recording a visit) and, if no other module has registered them, the "My work" and register areas.

Importing this package registers the case tab ``child_protection`` (child protection cases only), the
areas ``my_work`` and ``register`` (unless already registered); the case header's "next thing due" comes from
:mod:`ui.next_due` (``MyWorkService.next_due``). It is
listed in :data:`ui.plugins.CASE_TAB_MODULES`.
"""

from __future__ import annotations

from desktop.domain.types import CaseType
from desktop.i18n import N_
from desktop.services.permissions import Can
from ui import areas
from ui.case_tabs import register_case_tab
from ui.child_protection.my_work_page import MyWorkPage, badge
from ui.child_protection.register_page import RegisterPage
from ui.child_protection.tab import ChildProtectionTab
from ui.child_protection.visit_dialog import VisitDialog

register_case_tab("child_protection", N_("Child protection"), ChildProtectionTab,
                  visible_for=lambda session: session.can(Can.VIEW_CASEWORK), order=40,
                  case_types=(CaseType.CHILD_PROTECTION,))

# Dedicated ui.my_work / ui.register modules (imported before this one) take precedence.
if "my_work" not in areas._AREAS:  # noqa: SLF001
    areas.register_area("my_work", N_("My work"), MyWorkPage, badge=badge, order=10,
                        visible_for=lambda session: session.can(Can.VIEW_CASEWORK))
if "register" not in areas._AREAS:  # noqa: SLF001
    areas.register_area("register", N_("Child protection register"), RegisterPage, order=30,
                        visible_for=lambda session: session.can(Can.MANAGE_REGISTER))


__all__ = ["ChildProtectionTab", "MyWorkPage", "RegisterPage", "VisitDialog"]
