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

from bisect import bisect_left, bisect_right
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


@dataclass(slots=True)
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


NEVER = 10**7
"""A day number after any date (``date.max`` is day 3,652,059): "not answered", "never left"."""


def _count(t: Tally, due: int, done: int, s: int, e: int, stop: int) -> None:
    """:meth:`Tally.add` on day numbers (``done``/``stop`` = :data:`NEVER` for none)."""
    if due > e or stop < s:
        return
    if due >= s:
        t.fell_due += 1
    elif done < s:
        return
    else:
        t.carried += 1
    if done <= e:
        if done <= due:
            t.on_time += 1
        else:
            t.late += 1
    elif stop <= e:
        t.ended += 1
    else:
        t.outstanding += 1


class Replay:
    """Many subjects' histories under one rule, counted at once into a period's :class:`Tally` and one
    for each of a run of consecutive calendar months (the committee's trend).

    The same counting as :func:`walk` then :meth:`Tally.add` for each period — a property test holds the
    two equal — done on day numbers, with each due date worked out once per anchor day and the history
    before ``since`` (the earliest period's first day) skipped by bisection rather than replayed, so that a
    council's millions of visits can be counted in seconds. ``months``: ``(first, last)`` day pairs of
    consecutive calendar months, the last possibly cut short; ``period`` may be any span.
    """

    def __init__(self, rule: Rule, cal: WorkingCalendar, until: date, period: tuple[date, date],
                 months: Sequence[tuple[date, date]] = ()) -> None:
        if rule.kind not in ("once", "rolling", "chain"):
            raise ValueError(f"rule {rule.id}: kind {rule.kind} cannot be replayed")
        self.rule, self.cal = rule, cal
        self.until = until.toordinal()
        self.period = (period[0].toordinal(), period[1].toordinal())
        self.months = [(a.toordinal(), b.toordinal()) for a, b in months]
        self.tally = Tally()
        self.monthly = [Tally() for _ in months]
        self.excepted = 0
        self.monthly_excepted = [0 for _ in months]
        self.since = min([self.period[0], *(m[0] for m in self.months)])
        self._memo: list[dict[int, int]] = [{} for _ in rule.steps]
        # day number -> index of its month (the first month's first day is 0 here)
        self._lo = self.months[0][0] if self.months else 0
        self._hi = self.months[-1][1] if self.months else -1
        self._month_of: list[int] = []
        for i, (a, b) in enumerate(self.months):
            self._month_of += [i] * (b - a + 1)

    def _due(self, step: int, anchor: int) -> int:
        memo = self._memo[step]
        due = memo.get(anchor)
        if due is None:
            offset, unit = self.rule.steps[step]
            due = memo[anchor] = self.cal.add_ord(anchor, offset, unit)
        return due

    def _one(self, due: int, done: int, stop: int) -> None:
        s, e = self.period
        _count(self.tally, due, done, s, e, stop)
        if not self.months or due > self._hi:
            return
        # The months it can count in: the month it fell due in (if within the run) up to the month it was
        # done in, or every month from the first while it was still open (carried over).
        if due >= self._lo:
            first = self._month_of[due - self._lo]
        elif done >= self._lo:
            first = 0
        else:
            return
        last = len(self.months) - 1 if done > self._hi else max(first, self._month_of[max(done, self._lo) - self._lo])
        for i in range(first, last + 1):
            a, b = self.months[i]
            _count(self.monthly[i], due, done, a, b, stop)

    def _apart(self, due: int) -> None:
        """An occurrence a recorded exception covered: counted apart, in the period and month it fell due."""
        s, e = self.period
        self.excepted += s <= due <= e
        if self.months and self._lo <= due <= self._hi:
            self.monthly_excepted[self._month_of[due - self._lo]] += 1

    def add(self, base: date, events: Sequence[date], stop: date | None = None,
            covered: Sequence[tuple[date, date]] = ()) -> None:
        """Count one subject's occurrences (as :func:`walk` with ``until`` and ``since`` would yield them);
        one falling due within a ``covered`` span (a manager's recorded exception) is counted apart."""
        self.add_days(base.toordinal(), [d.toordinal() for d in events], stop.toordinal() if stop else None,
                      [(a.toordinal(), z.toordinal()) for a, z in covered])

    def add_days(self, base: int, events: Sequence[int], stop: int | None = None,
                 covered: Sequence[tuple[int, int]] = ()) -> None:
        """:meth:`add` with day numbers (``date.toordinal()``); ``events`` in any order."""
        b = base
        stop_o = stop if stop is not None else NEVER
        limit = min(self.until, stop_o)  # events after it answer nothing; occurrences due after it don't count
        since = self.since
        one = self._one if not covered else lambda d, done, stop: (
            self._apart(d) if any(a <= d <= z for a, z in covered) else self._one(d, done, stop))
        if self.rule.kind == "once":
            once = self._due(0, b)
            answers = [o for o in events if b <= o <= limit]
            answer = min(answers) if answers else NEVER
            if once <= limit and not (once < since and answer < since):
                one(once, answer, stop_o)
            return
        anchors = [b, *sorted({o for o in events if b < o <= limit})]
        n, rolling_from = len(anchors), len(self.rule.steps) - 1
        memo = self._memo

        def due(k: int) -> int:
            step = k if k < rolling_from else rolling_from
            got = memo[step].get(anchors[k])
            return got if got is not None else self._due(step, anchors[k])

        # Occurrences k answered before ``since`` (anchors[k + 1] < since) and due before it count nowhere:
        # step back from the last of them while it is still due on or after ``since`` (in the rolling part
        # due dates only grow), and look at the few chain steps before that one by one.
        j = bisect_left(anchors, since, 1)  # anchors[1:j] < since: occurrences 0 … j-2 answered before it
        k = j - 2
        while k >= rolling_from and due(k) >= since:
            k -= 1
        first = max(k + 1, 0)
        # The loop below is _one() written out (a council has over a million occurrences): the period's
        # tally as _count does it, then the months it can count in.
        ps, pe = self.period
        tally, months, monthly, lo, hi = self.tally, self.months, self.monthly, self._lo, self._hi
        month_of, last_month = self._month_of, len(self.months) - 1
        for k in (*range(min(first, rolling_from)), *range(first, n)):
            step = k if k < rolling_from else rolling_from
            d = memo[step].get(anchors[k])
            if d is None:
                d = self._due(step, anchors[k])
            done = anchors[k + 1] if k + 1 < n else NEVER
            if d > limit:
                if k >= rolling_from:
                    break  # every later one is due later still
                continue
            if d < since and done < since:
                continue
            if covered:
                one(d, done, stop_o)
                continue
            if d <= pe and stop_o >= ps and (d >= ps or done >= ps):
                if d >= ps:
                    tally.fell_due += 1
                else:
                    tally.carried += 1
                if done <= pe:
                    if done <= d:
                        tally.on_time += 1
                    else:
                        tally.late += 1
                elif stop_o <= pe:
                    tally.ended += 1
                else:
                    tally.outstanding += 1
            if months and d <= hi and (d >= lo or done >= lo):
                m = month_of[d - lo] if d >= lo else 0
                if done > hi:
                    last = last_month
                else:  # the month it was done in (max() written out: millions of calls)
                    last = month_of[done - lo] if done > lo else 0
                    if last < m:
                        last = m
                while m <= last:  # _count written out too: a council's occurrences make millions of calls
                    a, b = months[m]
                    if d <= b and stop_o >= a and (d >= a or done >= a):
                        x = monthly[m]
                        if d >= a:
                            x.fell_due += 1
                        else:
                            x.carried += 1
                        if done <= b:
                            if done <= d:
                                x.on_time += 1
                            else:
                                x.late += 1
                        elif stop_o <= b:
                            x.ended += 1
                        else:
                            x.outstanding += 1
                    m += 1
