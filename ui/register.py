"""The "Child protection register" area (register custodians), registered without importing its screens.

Listed in :data:`ui.plugins.AREA_MODULES`, so the main window has the area at once; its page comes from
:mod:`ui.child_protection.register_page` when first shown. The child protection package (a case-tab module,
imported when a case first opens or by the warm-up) then keeps this registration.
"""

from __future__ import annotations

from typing import Any

from desktop.i18n import N_
from desktop.services.permissions import Can
from ui.areas import register_area


def _register_page(session: Any, parent: Any) -> Any:
    from ui.child_protection.register_page import RegisterPage

    return RegisterPage(session, parent)


register_area("register", N_("Child protection register"), _register_page, order=30,
              visible_for=lambda session: session.can(Can.MANAGE_REGISTER))
