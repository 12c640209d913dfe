"""The default "next thing due" line of a case header, from the timescale engine (My work).

Registered through :func:`ui.case_tabs.set_next_due_provider` when the main window loads its
plugins; a casework module may replace it. Worker thread; one case, a few tens of milliseconds.
"""

from __future__ import annotations

import logging
from typing import Any

from desktop.domain.urgency import Urgency
from desktop.i18n import _
from ui.case_tabs import NextDue, set_next_due_provider

log = logging.getLogger(__name__)


def engine_next_due(session: Any, case_id: str) -> NextDue | None:
    """The most urgent item of the case in plain words, ``None`` when nothing is due, or a plain
    statement of the problem (logged with its traceback) when it could not be worked out; ``None`` too
    for a role that does not see casework (what is due is casework)."""
    from desktop.services.permissions import Can

    if not session.can(Can.VIEW_CASEWORK):
        return None
    try:
        from desktop.services.my_work import MyWorkService

        item = MyWorkService(session).next_due(case_id)
    except Exception:  # the header must open even if a rule or provider is broken: say so, never hide it
        log.exception("next due for case %s", case_id)
        return NextDue(_("What is due could not be worked out. Tell the helpdesk: the details are in the log."),
                       Urgency.PROBLEM)
    if item is None:
        return None

    def say() -> str:
        if not item.person_name:
            return item.reason
        # L10N: a person's name and what is due for them, e.g. "Elis Jones: Child to be seen by 1 Dec 2026"
        return _("{name}: {reason}").format(name=item.person_name, reason=item.reason)

    return NextDue(say(), item.urgency, item.days_overdue, item.overdue_unit, item.action,
                   item.person_id, say)


set_next_due_provider(engine_next_due)
