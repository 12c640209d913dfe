"""May this person sign out now? Not while changes are unsent (Qt-free).

Signing out closes the store; nothing is lost by it, but a laptop handed back or wiped after sign-out
would lose what never reached the server (SORMAS #871). So sign-out is refused, with the reason, while
the outbox holds anything — pending entries and entries the server refused alike.

Thread contract: reads two counts through ``session.store.rows`` on the calling thread (the GUI may
call it directly: it is cheap).
"""

from __future__ import annotations

from typing import Any

from desktop.i18n import ngettext


def can_sign_out(session: Any) -> tuple[bool, str]:
    """``(True, "")``, or ``(False, reason)`` with the reason in the interface language. A demo profile not
    connected to a server may always sign out: its sample data has nowhere to go."""
    if session.store.rows("SELECT 1 FROM sync_state WHERE key = 'demo' AND value = '1'") and not \
            session.store.rows("SELECT 1 FROM sync_state WHERE key = 'server_url'"):
        return True, ""
    row = session.store.rows(
        "SELECT (SELECT count(*) FROM outbox WHERE state = 'pending') AS unsent,"
        " (SELECT count(*) FROM outbox WHERE state = 'attention') AS attention"
    )[0]
    unsent, attention = row["unsent"], row["attention"]
    if unsent:
        return False, ngettext(
            "You cannot sign out yet: {count} change has not been sent to the server. Sync first.",
            "You cannot sign out yet: {count} changes have not been sent to the server. Sync first.",
            unsent,
        ).format(count=unsent)
    if attention:
        return False, ngettext(
            "You cannot sign out yet: the server refused {count} change. Open \u201cNeeds attention\u201d to deal with it.",
            "You cannot sign out yet: the server refused {count} changes. Open \u201cNeeds attention\u201d to deal with them.",
            attention,
        ).format(count=attention)
    return True, ""
