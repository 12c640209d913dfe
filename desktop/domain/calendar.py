"""Working-day calendar for England and Wales (Qt-free, no database).

A *working day* is Monday to Friday that is not an England and Wales bank holiday (substitute days
included). The regular bank holidays of any year are computed by the maintained ``holidays`` package
(country GB, subdivision Wales: :func:`england_and_wales_holidays`; its answer for 2010-2039 is kept in
``bank_holidays_regular.json``, so a process working in those years never imports it); ``bank_holidays.json`` holds only
the one-off changes proclaimed case by case (a coronation, a bank holiday moved), so a proclamation can
be applied before the package catches up. Nothing here is a rule in code: a later proclamation is data
(:meth:`WorkingCalendar.updated`, :meth:`WorkingCalendar.from_data`).

The default calendar has no end: it covers a few decades when built and grows, a decade at a time, when
a date beyond it is asked about (years :data:`MIN_YEAR` to :data:`MAX_YEAR`). A calendar built from an
explicit list of holidays (tests, data synced from elsewhere) covers only its range and raises
``ValueError`` outside it; so does the default one outside those years. Callers that must not lose an
item when that happens turn the error into a visible problem (the engine's ``errors``, "My work").

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
import threading
from array import array
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

DATA_FILE = Path(__file__).with_name("bank_holidays.json")

UNITS = ("working_days", "days", "weeks", "months")
"""The units a rule offset may use."""

SUNDAY = 6
"""``date.weekday()`` of Sunday, the last day of a "this week" bucket."""

MIN_YEAR = 1950
MAX_YEAR = 2999
"""The years a growing calendar may cover; beyond them working days raise ``ValueError``."""

_GROW_YEARS = 10
_INITIAL_YEARS = (2010, 2039)

HolidaySource = Callable[[range], Iterable[date]]
"""Computes the bank holidays of the given years."""


def england_and_wales_holidays(years: range) -> set[date]:
    """The England and Wales bank holidays (with substitute days) of ``years``, as the ``holidays``
    package computes them (GB, subdivision WLS: Wales has the same bank holidays as England): read from
    :data:`REGULAR_FILE` for the years it holds, computed by the package for any other."""
    first, last, dates = _regular()
    if years.start >= first and years.stop - 1 <= last:
        return {d for d in dates if d.year in years}
    return package_holidays(years)


def package_holidays(years: range) -> set[date]:
    """:func:`england_and_wales_holidays` computed by the ``holidays`` package itself."""
    # Imported here: the package loads every country's module (~0.1 s, ~17 MB), needed only for years
    # REGULAR_FILE does not hold.
    from holidays.countries.united_kingdom import UnitedKingdom

    return set(UnitedKingdom(subdiv="WLS", years=years).keys())


REGULAR_FILE = Path(__file__).with_name("bank_holidays_regular.json")
"""The package's answer for the years the app works in (:data:`_INITIAL_YEARS`), kept as data so a process
need not import the package; ``tests/test_calendar.py`` checks it is still the package's."""


@lru_cache(maxsize=1)
def _regular() -> tuple[int, int, frozenset[date]]:
    data = json.loads(REGULAR_FILE.read_text(encoding="utf-8"))
    return int(data["first_year"]), int(data["last_year"]), frozenset(date.fromisoformat(d) for d in data["dates"])


def regular_table(first: int = 2010, last: int = 2039) -> dict[str, Any]:
    """:data:`REGULAR_FILE`'s document, computed by the package now (``python -m desktop.domain.calendar``
    writes it)."""
    import holidays

    return {"about": "England and Wales bank holidays (substitute days included) as the holidays package computes"
                     " them (country GB, subdivision WLS), kept so the app need not import the package for these"
                     " years. One-off changes stay in bank_holidays.json. Regenerate with"
                     " `python -m desktop.domain.calendar`; tests/test_calendar.py checks it.",
            "package": f"holidays {holidays.__version__}", "first_year": first, "last_year": last,
            "dates": sorted(d.isoformat() for d in package_holidays(range(first, last + 1)))}


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


def one_off_changes(data: Mapping[str, Any]) -> tuple[set[date], set[date]]:
    """(added, removed) dates of a one-off changes document (``bank_holidays.json`` shape)."""
    added = {date.fromisoformat(h["date"]) for h in data.get("added", ())}
    removed = {date.fromisoformat(h["date"]) for h in data.get("removed", ())}
    return added, removed


@dataclass(frozen=True, slots=True)
class _Span:
    """The precomputed arrays over one covered range (replaced whole when a growing calendar grows)."""

    first: date
    last: date
    start: int
    n: int
    is_wd: bytearray
    cum: array[int]
    wd: array[int]


def _span(first: date, last: date, hol: frozenset[date]) -> _Span:
    start = first.toordinal()
    n = last.toordinal() - start + 1
    is_wd = bytearray(n)
    cum = array("i", bytes(4 * n))
    wd = array("i")
    count = 0
    wday = first.weekday()
    for i in range(n):
        o = start + i
        if wday < 5 and date.fromordinal(o) not in hol:
            is_wd[i] = 1
            count += 1
            wd.append(o)
        cum[i] = count  # working days in [first, this day]
        wday = (wday + 1) % 7
    return _Span(first, last, start, n, is_wd, cum, wd)


class WorkingCalendar:
    """Working days, from a holiday *source* that computes any year (the default: the ``holidays``
    package plus ``bank_holidays.json``'s one-off changes) or from an explicit list of holidays.

    ``holidays``: explicit bank-holiday dates (the calendar then covers ``first``..``last``, default the
    whole years holding them, and never grows); ``source``: a function computing the holidays of some
    years (the calendar then grows on demand). With neither, the default source and one-off changes are
    used. ``extra`` adds dates and ``removed`` drops dates (a proclaimed special holiday, a moved one).
    Safe to share between threads: growing replaces the arrays whole under a lock.
    """

    __slots__ = ("_span_", "_holidays", "_source", "_extra", "_removed", "_lock")

    def __init__(
        self,
        holidays: Iterable[date] | None = None,
        *,
        extra: Iterable[date] = (),
        removed: Iterable[date] = (),
        first: date | None = None,
        last: date | None = None,
        source: HolidaySource | None = None,
    ) -> None:
        self._extra = frozenset(extra)
        self._removed = frozenset(removed)
        self._lock = threading.Lock()
        if holidays is None:
            if source is None:
                added, dropped = one_off_changes(load_holiday_data())
                self._extra |= added
                self._removed |= dropped
                source = england_and_wales_holidays
            self._source: HolidaySource | None = source
            first = first or date(_INITIAL_YEARS[0], 1, 1)
            last = last or date(_INITIAL_YEARS[1], 12, 31)
            hol = self._computed(first.year, last.year)
        else:
            self._source = None
            hol = (frozenset(holidays) | self._extra) - self._removed
            if first is None:
                first = date(min(hol).year, 1, 1) if hol else date(_INITIAL_YEARS[0], 1, 1)
            if last is None:
                last = date(max(hol).year, 12, 31) if hol else first.replace(month=12, day=31)
            # Synced data may add a later year: widen the range to cover it rather than ignore it.
            if hol:
                first = min(first, date(min(hol).year, 1, 1))
                last = max(last, date(max(hol).year, 12, 31))
        if last < first:
            raise ValueError(f"calendar range is empty: {first} to {last}")
        self._holidays = hol
        self._span_ = _span(first, last, hol)

    def _computed(self, first_year: int, last_year: int) -> frozenset[date]:
        assert self._source is not None
        got = set(self._source(range(first_year, last_year + 1)))
        return frozenset((got | {d for d in self._extra if first_year <= d.year <= last_year}) - self._removed)

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> WorkingCalendar:
        """Build from a holiday document: one-off changes (``added``/``removed``, the
        ``bank_holidays.json`` shape) over the computed holidays, or a full list (``holidays`` with an
        optional ``coverage``, e.g. synced from elsewhere) that covers only its range."""
        if "holidays" not in data:
            added, dropped = one_off_changes(data)
            return cls(extra=added, removed=dropped, source=england_and_wales_holidays)
        cov = data.get("coverage") or {}
        return cls(
            [date.fromisoformat(h["date"]) for h in data["holidays"]],
            first=date.fromisoformat(cov["from"]) if "from" in cov else None,
            last=date.fromisoformat(cov["to"]) if "to" in cov else None,
        )

    def updated(self, extra: Iterable[date] = (), removed: Iterable[date] = ()) -> WorkingCalendar:
        """A new calendar with holidays added/removed (a fixed one widens to whole years of new dates)."""
        s = self._span_
        if self._source is not None:
            return WorkingCalendar(extra=self._extra | set(extra), removed=(self._removed - set(extra)) | set(removed),
                                   source=self._source, first=s.first, last=s.last)
        return WorkingCalendar(self._holidays, extra=extra, removed=removed, first=s.first, last=s.last)

    @property
    def first(self) -> date:
        """The first day covered now (a growing calendar may cover more later)."""
        return self._span_.first

    @property
    def last(self) -> date:
        """The last day covered now (a growing calendar may cover more later)."""
        return self._span_.last

    @property
    def grows(self) -> bool:
        """True when the calendar computes further years on demand."""
        return self._source is not None

    @property
    def holidays(self) -> frozenset[date]:
        """The bank holidays in the range covered now."""
        return self._holidays

    def holidays_in(self, year: int) -> frozenset[date]:
        """The bank holidays of ``year`` (computing it if the calendar grows; ``ValueError`` if not
        covered)."""
        self._index(date(year, 1, 1).toordinal())
        self._index(date(year, 12, 31).toordinal())
        return frozenset(d for d in self._holidays if d.year == year)

    # -- growth -----------------------------------------------------------------------------------

    def _grow_to(self, o: int) -> bool:
        """Cover the ordinal ``o`` (and a margin), if this calendar grows and the year is allowed."""
        if self._source is None:
            return False
        try:
            year = date.fromordinal(o).year
        except (ValueError, OverflowError):
            return False
        if year < MIN_YEAR or year > MAX_YEAR:
            return False
        with self._lock:
            s = self._span_
            if s.start <= o < s.start + s.n:
                return True
            lo = min(s.first.year, max(MIN_YEAR, year - _GROW_YEARS))
            hi = max(s.last.year, min(MAX_YEAR, year + _GROW_YEARS))
            hol = self._computed(lo, hi)
            self._span_ = _span(date(lo, 1, 1), date(hi, 12, 31), hol)
            self._holidays = hol
        return True

    def _where(self) -> str:
        s = self._span_
        if self._source is not None:
            return f"years {MIN_YEAR} to {MAX_YEAR}"
        return f"{s.first.isoformat()} to {s.last.isoformat()}; update the bank-holiday data"

    def _outside(self, o: int) -> ValueError:
        try:
            what = date.fromordinal(o).isoformat()
        except (ValueError, OverflowError):
            what = "a date"
        return ValueError(f"{what} is outside the working-day calendar ({self._where()})")

    # -- ordinal API (used by the engine's hot loop; no date objects) ------------------------------

    def _index(self, o: int) -> int:
        s = self._span_
        i = o - s.start
        if 0 <= i < s.n:
            return i
        if self._grow_to(o):
            return o - self._span_.start
        raise self._outside(o)

    def add_working_days_ord(self, o: int, n: int) -> int:
        """Ordinal form of :meth:`add_working_days`."""
        for _ in range(MAX_YEAR - MIN_YEAR):
            i = self._index(o)
            s = self._span_
            if n > 0:
                j = s.cum[i] + n - 1
            elif n < 0:
                j = s.cum[i] - s.is_wd[i] + n
            else:
                if s.is_wd[i]:
                    return o
                j = s.cum[i]
            if 0 <= j < len(s.wd):
                return s.wd[j]
            # Past the covered range: grow towards it (a decade at a time) and count again.
            edge = s.start + s.n if j >= 0 else s.start - 1
            if not self._grow_to(edge):
                break
        raise ValueError(
            f"{n:+d} working days from {date.fromordinal(o).isoformat()} leaves the working-day calendar "
            f"({self._where()})"
        )

    def working_days_between_ord(self, a: int, b: int) -> int:
        """Ordinal form of :meth:`working_days_between`."""
        self._index(a)
        self._index(b)
        s = self._span_
        return s.cum[b - s.start] - s.cum[a - s.start]

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
        i = self._index(d.toordinal())
        return bool(self._span_.is_wd[i])

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
    """The computed England and Wales calendar with the shipped one-off changes (built once, then
    shared; it grows on demand)."""
    global _default
    if _default is None:
        _default = WorkingCalendar()
    return _default


if __name__ == "__main__":  # python -m desktop.domain.calendar: write REGULAR_FILE from the package
    REGULAR_FILE.write_text(json.dumps(regular_table(*_INITIAL_YEARS), indent=1, ensure_ascii=False) + "\n",
                            encoding="utf-8")
