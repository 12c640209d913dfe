"""Child protection screens: the "Child protection" case tab (register status, what is due, visits,
recording a visit) and, if no other module has registered one, the "My work" area.

Importing this package registers the case tab ``child_protection`` (child protection cases only), the
area ``my_work`` (unless already registered) and the case header's "next thing due" provider. It is
listed in :data:`ui.plugins.CASE_TAB_MODULES`.
"""

from __future__ import annotations

from typing import Any

from desktop.domain.types import CaseType
from desktop.i18n import N_
from desktop.services.my_work import MyWorkService
from desktop.services.permissions import Can
from ui import areas
from ui.case_tabs import register_case_tab, set_next_due_provider
from ui.child_protection.my_work_page import MyWorkPage, badge
from ui.child_protection.tab import ChildProtectionTab
from ui.child_protection.visit_dialog import VisitDialog

register_case_tab("child_protection", N_("Child protection"), ChildProtectionTab,
                  visible_for=lambda session: session.can(Can.VIEW_CASEWORK), order=40,
                  case_types=(CaseType.CHILD_PROTECTION,))

if "my_work" not in areas._AREAS:  # noqa: SLF001 - a dedicated ui.my_work module takes precedence
    areas.register_area("my_work", N_("My work"), MyWorkPage, badge=badge, order=10,
                        visible_for=lambda session: session.can(Can.VIEW_CASEWORK))


def _next_due(session: Any, case_id: str) -> str | None:
    item = MyWorkService(session).next_due(case_id)
    return item.reason if item else None


set_next_due_provider(_next_due)

__all__ = ["ChildProtectionTab", "MyWorkPage", "VisitDialog"]
