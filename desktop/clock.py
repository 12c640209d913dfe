"""The one clock (Qt-free): what time it is, for the whole application.

Everything that needs "now" or "today" takes a :data:`Clock` instead of asking the system: the
store keeps one (``Store.clock``), :meth:`Session.today` reads it, the demo builder and the command
line pass it on. Production uses :func:`system_clock`; tests inject a fixed or settable one, so no
result depends on the date the code happens to run.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

Clock = Callable[[], datetime]
"""Returns the current moment as an aware UTC datetime."""


def system_clock() -> datetime:
    """The machine's clock, in UTC."""
    return datetime.now(UTC)


def local_date(clock: Clock) -> date:
    """Today's local date by ``clock`` (events are recorded on local dates)."""
    return clock().astimezone().date()
