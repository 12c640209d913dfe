"""Working-day calendar: computed bank holidays for any year, one-off changes as data, conventions,
range errors, inverse properties."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.domain.calendar import (
    MAX_YEAR,
    UNITS,
    WorkingCalendar,
    add_months,
    default_calendar,
    easter_sunday,
    load_holiday_data,
)

CAL = default_calendar()
D = date.fromisoformat


def holidays_in(year: int) -> set[date]:
    """The year's bank holidays that fall on weekdays (the package also lists the weekend date of a
    holiday that has a substitute day; only weekdays matter for working days)."""
    return {h for h in CAL.holidays_in(year) if h.weekday() < 5}


def regular_holidays(year: int) -> set[date]:
    """An independent oracle: the Banking and Financial Dealings Act 1971 pattern for England and Wales
    (New Year, Good Friday, Easter Monday, first Monday of May, last Mondays of May and August,
    Christmas and Boxing Day, each moved off a weekend to the next free weekday)."""

    def first_monday(month: int) -> date:
        d = date(year, month, 1)
        return d + timedelta(days=(7 - d.weekday()) % 7)

    def last_monday(month: int) -> date:
        d = date(year, month + 1, 1) - timedelta(days=1)
        return d - timedelta(days=d.weekday())

    easter = easter_sunday(year)
    out = {easter - timedelta(days=2), easter + timedelta(days=1), first_monday(5), last_monday(5),
           last_monday(8)}
    for fixed in (date(year, 1, 1), date(year, 12, 25), date(year, 12, 26)):
        d = fixed
        while d.weekday() >= 5 or d in out:
            d += timedelta(days=1)
        out.add(d)
    return out


# -- the data: computed holidays and one-off changes ----------------------------------------------


def test_data_file_holds_only_one_off_changes_with_their_source() -> None:
    data = load_holiday_data()
    assert "holidays" not in data and "coverage" not in data
    assert "GOV.UK" in data["source"] and "holidays" in data["computed_by"]
    for h in data["added"]:
        assert h["en"] and h["cy"], h
        assert D(h["date"]).weekday() < 5, f"a one-off holiday on a weekend: {h}"
        assert not CAL.is_working_day(D(h["date"])), h
    for h in data["removed"]:
        assert h["note"], h
        assert CAL.is_working_day(D(h["date"])), h


@pytest.mark.parametrize("year", range(2018, 2041))
def test_computed_holidays_match_the_1971_act_pattern_plus_one_offs(year: int) -> None:
    data = load_holiday_data()
    added = {D(h["date"]) for h in data["added"] if D(h["date"]).year == year}
    removed = {D(h["date"]) for h in data["removed"] if D(h["date"]).year == year}
    assert holidays_in(year) == (regular_holidays(year) | added) - removed


@pytest.mark.parametrize(
    "day",
    [
        "2032-12-27",  # Christmas on a Saturday: substitute Monday
        "2032-12-28",  # Boxing Day on a Sunday: substitute Tuesday
        "2033-01-03",  # New Year on a Saturday
        "2033-12-27",  # Christmas on a Sunday: substitute Tuesday (Boxing Day keeps Monday)
        "2034-01-02",  # New Year on a Sunday
        "2037-12-28",  # Boxing Day on a Saturday
        "2038-12-27",
        "2038-12-28",
        "2039-01-03",
        "2039-12-27",
        "2040-01-02",
        "2035-03-23",  # Good Friday 2035
        "2040-04-02",  # Easter Monday 2040
        "2036-08-25",  # summer bank holiday 2036
    ],
)
def test_substitute_days_and_holidays_2032_to_2040(day: str) -> None:
    assert not CAL.is_working_day(D(day))


@pytest.mark.parametrize("day", ["2033-12-28", "2037-12-29", "2032-12-29", "2035-06-01", "2040-12-27"])
def test_ordinary_days_2032_to_2040_are_working_days(day: str) -> None:
    assert CAL.is_working_day(D(day))


def test_working_days_across_2031_into_2032_and_far_ahead() -> None:
    # The case the issue found: a child seen alone on Friday 19 December 2031 is due 10 working days
    # later, across Christmas 2031 and New Year 2032 (Thursday 1 January).
    assert CAL.add_working_days(D("2031-12-19"), 10) == D("2032-01-07")
    assert CAL.add_working_days(D("2039-12-23"), 3) == D("2039-12-30")
    assert CAL.working_days_between(D("2026-01-01"), D("2040-12-31")) > 3700
    assert CAL.is_working_day(D("2075-06-03"))  # grows on demand


@pytest.mark.parametrize(
    "day",
    [
        "2020-05-08",  # early May moved to Friday for VE day
        "2022-06-02",  # spring bank holiday moved to Thursday
        "2022-06-03",  # Platinum Jubilee
        "2022-09-19",  # State Funeral of Queen Elizabeth II
        "2023-05-08",  # Coronation
        "2021-12-27",
        "2021-12-28",
        "2022-01-03",
        "2022-12-26",
        "2022-12-27",
        "2023-01-02",
        "2026-12-28",
        "2027-12-27",
        "2027-12-28",
        "2028-01-03",
    ],
)
def test_special_and_substitute_days_are_holidays(day: str) -> None:
    assert not CAL.is_working_day(D(day))


@pytest.mark.parametrize("day", ["2020-05-04", "2022-05-30", "2026-12-24", "2026-12-29", "2020-05-07"])
def test_days_that_moved_away_are_working_days(day: str) -> None:
    assert CAL.is_working_day(D(day))


@pytest.mark.parametrize("year", range(2018, 2041))
def test_easter_matches_computed_easter(year: int) -> None:
    easter = easter_sunday(year)
    hol = holidays_in(year)
    assert easter - timedelta(days=2) in hol  # Good Friday
    assert easter + timedelta(days=1) in hol  # Easter Monday


@pytest.mark.parametrize("year", range(2018, 2041))
def test_each_year_has_the_eight_regular_holidays(year: int) -> None:
    specials = {2022: 2, 2023: 1}  # Jubilee + State Funeral; Coronation
    assert len(holidays_in(year)) == 8 + specials.get(year, 0)


def test_known_easters() -> None:
    assert easter_sunday(2027) == D("2027-03-28")
    assert easter_sunday(2024) == D("2024-03-31")
    assert easter_sunday(2019) == D("2019-04-21")


# -- conventions ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        ("2026-12-18", 10, "2027-01-06"),  # over Christmas (Boxing Day substitute 28th) and New Year
        ("2027-03-24", 10, "2027-04-09"),  # over Easter 2027 (26 and 29 March)
        ("2020-05-07", 1, "2020-05-11"),  # Thursday before VE day Friday
        ("2027-12-24", 1, "2027-12-29"),  # Christmas and Boxing Day substitutes 27/28
        ("2022-06-01", 1, "2022-06-06"),  # Jubilee Thursday and Friday
        ("2026-11-23", 5, "2026-11-30"),  # a plain week
        ("2026-11-21", 1, "2026-11-23"),  # Saturday + 1 = Monday (the start day never counts)
        ("2027-01-06", -10, "2026-12-18"),
        ("2026-11-23", -1, "2026-11-20"),  # Monday - 1 = Friday
        ("2026-11-22", -1, "2026-11-20"),  # Sunday - 1 = Friday
    ],
)
def test_add_working_days(start: str, n: int, expected: str) -> None:
    assert CAL.add_working_days(D(start), n) == D(expected)


def test_add_zero_rolls_a_non_working_day_forward() -> None:
    assert CAL.add_working_days(D("2026-11-23"), 0) == D("2026-11-23")
    assert CAL.add_working_days(D("2026-12-25"), 0) == D("2026-12-29")
    assert CAL.next_working_day(D("2026-11-21")) == D("2026-11-23")


def test_working_days_between_is_half_open() -> None:
    assert CAL.working_days_between(D("2026-11-23"), D("2026-11-23")) == 0
    assert CAL.working_days_between(D("2026-11-23"), D("2026-11-24")) == 1
    assert CAL.working_days_between(D("2026-11-20"), D("2026-11-23")) == 1  # Fri -> Mon
    assert CAL.working_days_between(D("2026-11-21"), D("2026-11-22")) == 0  # weekend
    assert CAL.working_days_between(D("2026-12-18"), D("2027-01-06")) == 10
    assert CAL.working_days_between(D("2027-01-06"), D("2026-12-18")) == -10


def test_add_units() -> None:
    d = D("2026-01-31")
    assert CAL.add(d, 1, "months") == D("2026-02-28")
    assert CAL.add(D("2028-01-31"), 1, "months") == D("2028-02-29")
    assert CAL.add(d, 3, "days") == D("2026-02-03")
    assert CAL.add(d, 4, "weeks") == D("2026-02-28")
    assert CAL.add(D("2026-12-18"), 10, "working_days") == D("2027-01-06")
    assert CAL.add(D("2026-05-31"), -3, "months") == D("2026-02-28")
    with pytest.raises(ValueError, match="unknown unit"):
        CAL.add(d, 1, "fortnights")
    assert set(UNITS) == {"working_days", "days", "weeks", "months"}


def test_add_months_clamps_and_crosses_years() -> None:
    assert add_months(D("2026-11-30"), 3) == D("2027-02-28")
    assert add_months(D("2026-08-31"), 6) == D("2027-02-28")
    assert add_months(D("2026-03-15"), -15) == D("2024-12-15")


def test_outside_the_range_is_a_clear_error() -> None:
    # A calendar of explicit holidays covers only its range.
    fixed = WorkingCalendar([D("2026-12-25")], first=D("2026-01-01"), last=D("2031-12-31"))
    with pytest.raises(ValueError, match="outside the working-day calendar"):
        fixed.is_working_day(D("2025-12-29"))
    with pytest.raises(ValueError, match="outside the working-day calendar"):
        fixed.working_days_between(D("2026-01-01"), D("2032-01-05"))
    with pytest.raises(ValueError, match="leaves the working-day calendar"):
        fixed.add_working_days(D("2031-12-30"), 5)
    # Calendar units need no holiday data.
    assert fixed.add(D("2031-12-30"), 1, "months") == D("2032-01-30")
    # The computed calendar grows, but not past the years it allows.
    assert CAL.grows and not fixed.grows
    with pytest.raises(ValueError, match="outside the working-day calendar"):
        CAL.is_working_day(date(MAX_YEAR + 1, 1, 2))


def test_calendar_can_be_updated_from_synced_data() -> None:
    special = D("2026-11-24")
    updated = CAL.updated(extra=[special])
    assert CAL.is_working_day(special) and not updated.is_working_day(special)
    assert updated.add_working_days(D("2026-11-23"), 1) == D("2026-11-25")
    # A proclamation years ahead applies when that year is computed.
    ahead = CAL.updated(extra=[D("2036-06-10")])
    assert CAL.is_working_day(D("2036-06-10")) and not ahead.is_working_day(D("2036-06-10"))
    removed = CAL.updated(removed=[D("2026-12-28")])
    assert removed.is_working_day(D("2026-12-28"))
    # A fixed calendar widens its range to whole years of new dates.
    fixed = WorkingCalendar([D("2031-12-25")], first=D("2031-01-01"), last=D("2031-12-31"))
    later = fixed.updated(extra=[D("2032-01-01")])
    assert later.last == D("2032-12-31")
    assert later.add_working_days(D("2031-12-31"), 1) == D("2032-01-02")


def test_one_off_changes_document_builds_a_computed_calendar() -> None:
    cal = WorkingCalendar.from_data({"added": [{"date": "2034-06-05"}], "removed": [{"date": "2034-05-29"}]})
    assert not cal.is_working_day(D("2034-06-05"))
    assert cal.is_working_day(D("2034-05-29"))  # a moved spring bank holiday
    assert not cal.is_working_day(D("2034-12-25"))


def test_from_data_and_explicit_holidays() -> None:
    cal = WorkingCalendar.from_data(
        {"coverage": {"from": "2026-01-01", "to": "2026-12-31"}, "holidays": [{"date": "2026-06-01"}]}
    )
    assert not cal.is_working_day(D("2026-06-01"))
    assert cal.add_working_days(D("2026-05-29"), 1) == D("2026-06-02")
    plain = WorkingCalendar([], first=D("2026-01-01"), last=D("2026-12-31"))
    assert plain.is_working_day(D("2026-12-25"))


# -- properties ------------------------------------------------------------------------------------

days = st.dates(min_value=D("2018-01-01"), max_value=D("2040-06-30"))
inner_days = st.dates(min_value=D("2018-07-01"), max_value=D("2040-06-30"))  # room for n = +/-120


@settings(max_examples=300, deadline=None)
@given(days, st.integers(min_value=1, max_value=120))
def test_between_inverts_add_forward(d: date, n: int) -> None:
    assert CAL.working_days_between(d, CAL.add_working_days(d, n)) == n


@settings(max_examples=300, deadline=None)
@given(inner_days, st.integers(min_value=-120, max_value=120))
def test_between_inverts_add_from_working_days(d: date, n: int) -> None:
    d = CAL.next_working_day(d)
    assert CAL.working_days_between(d, CAL.add_working_days(d, n)) == n
    assert CAL.add_working_days(CAL.add_working_days(d, n), -n) == d


@settings(max_examples=300, deadline=None)
@given(days, days)
def test_add_inverts_between_on_working_days(a: date, b: date) -> None:
    b = CAL.next_working_day(b)
    if b <= a:
        return
    assert CAL.add_working_days(a, CAL.working_days_between(a, b)) == b


@settings(max_examples=200, deadline=None)
@given(inner_days, st.integers(min_value=-60, max_value=60))
def test_results_are_working_days_and_match_a_naive_count(d: date, n: int) -> None:
    got = CAL.add_working_days(d, n)
    assert CAL.is_working_day(got)
    # Naive day-by-day walk as an oracle.
    step = 1 if n >= 0 else -1
    cur, left = d, abs(n)
    if n == 0:
        while not CAL.is_working_day(cur):
            cur += timedelta(days=1)
    while left:
        cur += timedelta(days=step)
        if cur.weekday() < 5 and cur not in CAL.holidays:
            left -= 1
    assert got == cur


@settings(max_examples=200, deadline=None)
@given(days, days, days)
def test_between_is_additive(a: date, b: date, c: date) -> None:
    wdb = CAL.working_days_between
    assert wdb(a, b) + wdb(b, c) == wdb(a, c)


def test_the_kept_table_is_the_packages_answer() -> None:
    """``bank_holidays_regular.json`` is exactly what the ``holidays`` package computes for its years (a new
    package release that changes a date fails here: regenerate with ``python -m desktop.domain.calendar``),
    and the calendar reads it for those years and asks the package beyond them."""
    import json

    from desktop.domain import calendar as cal

    kept = json.loads(cal.REGULAR_FILE.read_text(encoding="utf-8"))
    years = range(kept["first_year"], kept["last_year"] + 1)
    assert kept["dates"] == sorted(d.isoformat() for d in cal.package_holidays(years))
    assert cal.england_and_wales_holidays(range(2026, 2028)) == cal.package_holidays(range(2026, 2028))
    assert cal.england_and_wales_holidays(range(2038, 2042)) == cal.package_holidays(range(2038, 2042))


def test_working_in_the_kept_years_never_imports_the_package() -> None:
    """A fresh process that works out working days in the kept years does not import ``holidays`` (~17 MB:
    every country's module)."""
    import subprocess
    import sys

    code = ("import sys\nfrom datetime import date\nfrom desktop.domain.engine import default_engine\n"
            "cal = default_engine().calendar\nassert cal.add_working_days(date(2026, 12, 24), 1) == date(2026, 12, 29)\n"
            "print('holidays' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
