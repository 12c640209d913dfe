"""Working-day calendar for England and Wales (Qt-free, no database).

A *working day* is Monday to Friday that is not an England and Wales bank holiday (substitute days
included). The holiday dates are data (``bank_holidays.json``, from GOV.UK), never rules in code, so the
calendar can be updated from data synced later (:meth:`WorkingCalendar.updated`).

Conventions (procedures.md §3.8):

* ``add_working_days(d, n)`` with ``n > 0`` is the n-th working day strictly *after* ``d``; ``d`` itself
  never counts, whether or not it is a working day (a report received on Saturday is due "within one
  working day" on Monday). With ``n < 0`` it is the |n|-th working day strictly *before* ``d``.
  With ``n == 0`` it is ``d`` if ``d`` is a working day, else the next working day (roll forward).
* ``working_days_between(a, b)`` counts the working days in the half-open interval ``(a, b]`` (after
  ``a``, up to and including ``b``); it is negative when ``b < a`` (``-working_days_between(b, a)``).
  So for every ``d`` and ``n >= 1``: ``working_days_between(d, add_working_days(d, n)) == n``.
* ``add(d, offset, unit)``: ``"days"``/``"weeks"`` are plain calendar arithmetic; ``"months"`` keeps the
  day of the month, clamped to the month's last day (31 Jan + 1 month = 28/29 Feb). Calendar units do not
  need holiday data, so they work outside the covered range; working days raise ``ValueError`` there.

Speed: everything is precomputed over the covered range as arrays indexed by ordinal, so each call is a
few index operations (tens of thousands of calls take milliseconds).
"""

from __future__ import annotations

import calendar as _stdcal
import json
from array import array
from collections.abc import Iterable, Mapping
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

DATA_FILE = Path(__file__).with_name("bank_holidays.json")

UNITS = ("working_days", "days", "weeks", "months")
"""The units a rule offset may use."""

SUNDAY = 6
"""``date.weekday()`` of Sunday, the last day of a "this week" bucket."""


def add_months(d: date, months: int) -> date:
    """Same day of month ``months`` later (or earlier), clamped to the end of the target month."""
    y, m0 = divmod(d.year * 12 + (d.month - 1) + months, 12)
    last = _stdcal.monthrange(y, m0 + 1)[1]
    return date(y, m0 + 1, min(d.day, last))


def easter_sunday(year: int) -> date:
    """Western (Gregorian) Easter Sunday (anonymous Gregorian algorithm); used to cross-check the data."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    r = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * r) // 451
    month, day = divmod(h + r - 7 * m + 114, 31)
    return date(year, month, day + 1)


def load_holiday_data(path: Path | str | None = None) -> dict[str, Any]:
    """Read a bank-holiday document (the shape of ``bank_holidays.json``)."""
    with Path(path or DATA_FILE).open(encoding="utf-8") as fh:
        return json.load(fh)


class WorkingCalendar:
    """Working days over a covered date range; immutable once built.

    ``holidays``: the bank-holiday dates (default: those in ``bank_holidays.json``); ``extra`` adds dates
    and ``removed`` drops dates (for data synced later or a proclaimed special holiday). ``first``/``last``
    bound the covered range (default: the data file's coverage, widened to whole years holding any
    holiday given).
    """

    __slots__ = ("first", "last", "_start", "_n", "_is_wd", "_cum", "_wd", "_holidays")

    def __init__(
        self,
        holidays: Iterable[date] | None = None,
        *,
        extra: Iterable[date] = (),
        removed: Iterable[date] = (),
        first: date | None = None,
        last: date | None = None,
    ) -> None:
        if holidays is None:
            data = load_holiday_data()
            hol = {date.fromisoformat(h["date"]) for h in data["holidays"]}
            first = first or date.fromisoformat(data["coverage"]["from"])
            last = last or date.fromisoformat(data["coverage"]["to"])
        else:
            hol = set(holidays)
        hol |= set(extra)
        hol -= set(removed)
        if first is None:
            first = date(min(hol).year, 1, 1) if hol else date.today().replace(month=1, day=1)
        if last is None:
            last = date(max(hol).year, 12, 31) if hol else first.replace(month=12, day=31)
        # Synced data may add a later year: widen the range to cover it rather than ignore it.
        if hol:
            first = min(first, date(min(hol).year, 1, 1))
            last = max(last, date(max(hol).year, 12, 31))
        if last < first:
            raise ValueError(f"calendar range is empty: {first} to {last}")
        self.first, self.last = first, last
        self._holidays = frozenset(hol)
        self._start = first.toordinal()
        self._n = last.toordinal() - self._start + 1
        is_wd = bytearray(self._n)
        cum = array("i", bytes(4 * self._n))
        wd = array("i")
        count = 0
        wday = first.weekday()
        for i in range(self._n):
            o = self._start + i
            if wday < 5 and date.fromordinal(o) not in hol:
                is_wd[i] = 1
                count += 1
                wd.append(o)
            cum[i] = count  # working days in [first, this day]
            wday = (wday + 1) % 7
        self._is_wd, self._cum, self._wd = is_wd, cum, wd

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> WorkingCalendar:
        """Build from a bank-holiday document (``bank_holidays.json`` shape, e.g. synced from the server)."""
        cov = data.get("coverage") or {}
        return cls(
            [date.fromisoformat(h["date"]) for h in data["holidays"]],
            first=date.fromisoformat(cov["from"]) if "from" in cov else None,
            last=date.fromisoformat(cov["to"]) if "to" in cov else None,
        )

    def updated(self, extra: Iterable[date] = (), removed: Iterable[date] = ()) -> WorkingCalendar:
        """A new calendar with holidays added/removed (the range widens to whole years of new dates)."""
        return WorkingCalendar(self._holidays, extra=extra, removed=removed, first=self.first, last=self.last)

    @property
    def holidays(self) -> frozenset[date]:
        return self._holidays

    # -- ordinal API (used by the engine's hot loop; no date objects) ------------------------------

    def _index(self, o: int) -> int:
        i = o - self._start
        if i < 0 or i >= self._n:
            raise ValueError(
                f"{date.fromordinal(o).isoformat()} is outside the working-day calendar "
                f"({self.first.isoformat()} to {self.last.isoformat()}); update the bank-holiday data"
            )
        return i

    def _out_of_range(self, o: int, n: int) -> ValueError:
        return ValueError(
            f"{n:+d} working days from {date.fromordinal(o).isoformat()} leaves the working-day calendar "
            f"({self.first.isoformat()} to {self.last.isoformat()}); update the bank-holiday data"
        )

    def add_working_days_ord(self, o: int, n: int) -> int:
        """Ordinal form of :meth:`add_working_days`."""
        i = self._index(o)
        if n > 0:
            j = self._cum[i] + n - 1
        elif n < 0:
            j = self._cum[i] - self._is_wd[i] + n
        else:
            if self._is_wd[i]:
                return o
            j = self._cum[i]
        if j < 0 or j >= len(self._wd):
            raise self._out_of_range(o, n)
        return self._wd[j]

    def working_days_between_ord(self, a: int, b: int) -> int:
        """Ordinal form of :meth:`working_days_between`."""
        return self._cum[self._index(b)] - self._cum[self._index(a)]

    def add_ord(self, o: int, offset: int, unit: str) -> int:
        """Ordinal form of :meth:`add`."""
        if unit == "working_days":
            return self.add_working_days_ord(o, offset)
        if unit == "days":
            return o + offset
        if unit == "weeks":
            return o + 7 * offset
        if unit == "months":
            return _add_months_ord(o, offset)
        raise ValueError(f"unknown unit {unit!r}; expected one of {', '.join(UNITS)}")

    # -- date API -----------------------------------------------------------------------------------

    def is_working_day(self, d: date) -> bool:
        """True for Monday to Friday that is not a bank holiday. ``ValueError`` outside the range."""
        return bool(self._is_wd[self._index(d.toordinal())])

    def add_working_days(self, d: date, n: int) -> date:
        """The n-th working day after ``d`` (before it if ``n < 0``); see the module docstring for ``n == 0``."""
        return date.fromordinal(self.add_working_days_ord(d.toordinal(), n))

    def working_days_between(self, a: date, b: date) -> int:
        """Working days after ``a`` up to and including ``b``; negative if ``b < a``."""
        return self.working_days_between_ord(a.toordinal(), b.toordinal())

    def next_working_day(self, d: date) -> date:
        """``d`` if it is a working day, else the next one."""
        return self.add_working_days(d, 0)

    def add(self, d: date, offset: int, unit: str) -> date:
        """``d`` plus ``offset`` in ``unit`` (one of :data:`UNITS`); negative offsets go back."""
        return date.fromordinal(self.add_ord(d.toordinal(), offset, unit))


@lru_cache(maxsize=65536)
def _add_months_ord(o: int, months: int) -> int:
    # Cached: the engine asks for the same (date, offset) pairs many times across subjects.
    return add_months(date.fromordinal(o), months).toordinal()


_default: WorkingCalendar | None = None


def default_calendar() -> WorkingCalendar:
    """The calendar built from the shipped ``bank_holidays.json`` (built once, then shared)."""
    global _default
    if _default is None:
        _default = WorkingCalendar()
    return _default
