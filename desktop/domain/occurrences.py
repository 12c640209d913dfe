"""What fell due under a rule over a period, and what became of it (Qt-free, no database): the honest
counting behind the committee report.

The engine (:mod:`desktop.domain.engine`) says what is due *now* from the latest dates. For a period we
need the history: :func:`walk` replays one subject's satisfying events against one rule, with the same
rule table and working-day calendar, and yields every :class:`Occurrence` — each due date the rule set and
the event that answered it (if any). :class:`Tally` then sorts each occurrence for a period:

* **fell due** — its due date is in the period;
* **carried over** — due before the period and still not done when it began;
* **on time** — fell due and was done on or before its due date;
* **late** — done after its due date, by the end of the period;
* **outstanding** — not done by the end of the period (exactly what My work shows on the last day as
  overdue or due today);
* **ended** — not done when the subject left the rule (de-registered, case closed) within the period.

So ``fell_due + carried == on_time + late + outstanding + ended``, nothing is left out, and a measure
nobody met shows as 0 % on time, not as nothing. Meetings that never happened count as much as those
held late.

Kinds replayed: ``once`` (one due date from the base, answered by the first event on/after it),
``rolling`` (each answering event starts the next interval) and ``chain`` (like rolling, the k-th interval
using the k-th step). The caller gives the base, the events and the stop date (when the subject left the
rule, or ``None``).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date

from desktop.domain.calendar import WorkingCalendar
from desktop.domain.rules import Rule

_MAX_STEPS = 100_000  # a runaway guard far beyond any real history


@dataclass(frozen=True, slots=True)
class Occurrence:
    due: date
    done: date | None
    """The event that answered it (``None``: not answered while the subject was under the rule)."""


def walk(rule: Rule, base: date, events: Sequence[date], until: date, cal: WorkingCalendar, *,
         stop: date | None = None, since: date | None = None) -> Iterator[Occurrence]:
    """Every occurrence of ``rule`` for one subject whose due date is on or before ``until``.

    ``events`` are the dates of the satisfying events, sorted; ``stop`` the day the subject left the rule
    (an occurrence falling due after it is not counted; one open at it stays unanswered). Events after
    ``until`` or ``stop`` are ignored. With ``since``, occurrences both due and answered before it are
    left out (they count in no period that starts on or after ``since``). Raises ``ValueError`` when a
    due date falls outside the calendar.
    """
    last_day = min(until, stop) if stop is not None else until
    usable = [e for e in events if e <= last_day]

    def counted(due: date, answer: date | None) -> bool:
        if since is not None and due < since and answer is not None and answer < since:
            return False
        return due <= until and (stop is None or due <= stop)

    if rule.kind == "once":
        due = cal.add(base, *rule.steps[0])
        answer = next((e for e in usable if e >= base), None)
        if counted(due, answer):
            yield Occurrence(due, answer)
        return
    if rule.kind not in ("rolling", "chain"):
        raise ValueError(f"rule {rule.id}: kind {rule.kind} cannot be replayed")
    anchor, step = base, 0
    for _guard in range(_MAX_STEPS):
        offset, unit = rule.steps[min(step, len(rule.steps) - 1)]
        due = cal.add(anchor, offset, unit)
        after = bisect_right(usable, anchor)  # an event on the anchor's own day answers nothing new
        answer = usable[after] if after < len(usable) else None
        if counted(due, answer):
            yield Occurrence(due, answer)
        if answer is None:
            return
        anchor, step = answer, step + 1


@dataclass
class Tally:
    """One measure's counts over a period (see the module docstring)."""

    fell_due: int = 0
    carried: int = 0
    on_time: int = 0
    late: int = 0
    outstanding: int = 0
    ended: int = 0

    def add(self, occ: Occurrence, start: date, end: date, *, stop: date | None = None) -> None:
        """Count ``occ`` for the period ``start``…``end`` (``stop``: when the subject left the rule)."""
        if occ.due > end or (stop is not None and stop < start):
            return
        if occ.due >= start:
            self.fell_due += 1
        elif occ.done is None or occ.done >= start:
            self.carried += 1
        else:
            return  # due and done before the period: another period's
        if occ.done is not None and occ.done <= end:
            if occ.done <= occ.due:
                self.on_time += 1
            else:
                self.late += 1
        elif stop is not None and stop <= end:
            self.ended += 1
        else:
            self.outstanding += 1

    def merge(self, other: Tally) -> None:
        for name in ("fell_due", "carried", "on_time", "late", "outstanding", "ended"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def percent_on_time(self) -> float | None:
        """Of what fell due in the period, the share done on time (``None`` when nothing fell due)."""
        return None if self.fell_due == 0 else 100.0 * self.on_time / self.fell_due
