"""Letters in the window: the "Letters" area (print queue; admin staff and team managers) and the
"Correspondence" case tab (a case's letters history).

Importing this package (listed in :data:`ui.plugins.AREA_MODULES`) registers both:
``register_area("letters", …)`` — visible with ``Can.MANAGE_LETTERS``, badge = letters ready to
print — and ``register_case_tab("correspondence", …)`` — visible with ``Can.MANAGE_LETTERS`` or
``Can.VIEW_CASEWORK``.
"""

from __future__ import annotations

from typing import Any

from desktop.i18n import N_
from desktop.services.permissions import Can
from ui.areas import register_area
from ui.case_tabs import register_case_tab

# The letters code pulls in ReportLab and PDFium; import it when a letters page, tab or badge is
# first needed, not while the main window starts.


def _badge(session: Any) -> int | None:
    from desktop.services.letters import LetterService

    return LetterService(session).queued_count() or None


def _letters_page(session: Any, parent: Any) -> Any:
    from ui.letters.area import LettersPage

    return LettersPage(session, parent)


def _correspondence_tab(session: Any, case_id: str, parent: Any) -> Any:
    from ui.letters.tab import CorrespondenceTab

    return CorrespondenceTab(session, case_id, parent)


def _may_see_history(session: Any) -> bool:
    return session.can(Can.MANAGE_LETTERS) or session.can(Can.VIEW_CASEWORK)


register_area("letters", N_("Letters"), _letters_page,
              visible_for=lambda session: session.can(Can.MANAGE_LETTERS), badge=_badge, order=40)
register_case_tab("correspondence", N_("Correspondence"), _correspondence_tab, visible_for=_may_see_history,
                  order=80)
