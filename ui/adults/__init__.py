"""Adult-at-risk screens: the "Adult safeguarding" case tab (report and screening, enquiries, lead
co-ordinator and delegation, strategy meeting, visits, advocacy, capacity and best interests,
partnership, the plan and its reviews, conference, change of lead practitioner, closure).

Importing this package registers the case tab ``adults`` with :func:`ui.case_tabs.register_case_tab`.
It needs ``"ui.adults"`` in :data:`ui.plugins.CASE_TAB_MODULES` to load with the main window.
"""

from __future__ import annotations

from desktop.i18n import N_
from desktop.services.permissions import Can
from ui.adults.tab import AdultTab
from ui.case_tabs import register_case_tab

register_case_tab("adults", N_("Adult safeguarding"), AdultTab,
                  visible_for=lambda session: session.can(Can.VIEW_CASEWORK), order=50, case_types=("adult_at_risk",))

__all__ = ["AdultTab"]
