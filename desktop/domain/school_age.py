"""Compulsory school age (Qt-free): who a personal education plan (L10) applies to.

The definition's numbers are data (``rules.json`` → ``definitions.compulsory_school_age``, with its
sources): a child begins to be of compulsory school age on the first prescribed day on or after the
fifth birthday and ceases on the school leaving date (the last Friday of June) of the school year
(September to August) in which they turn 16 — before the birthday for a child born in July or August
(Education Act 1996 s.8(3)).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from desktop.domain.calendar import add_months
from desktop.domain.rules import RULES_FILE

_MONTHS_PER_YEAR = 12


@dataclass(frozen=True, slots=True)
class SchoolAge:
    from_birthday: int
    start_days: tuple[tuple[int, int], ...]
    until_birthday: int
    school_year_starts: tuple[int, int]
    leaving_month: int
    leaving_weekday: int

    @classmethod
    def from_definition(cls, raw: dict[str, Any]) -> SchoolAge:
        def md(text: str) -> tuple[int, int]:
            month, day = text.split("-")
            return int(month), int(day)

        return cls(int(raw["from_birthday"]), tuple(sorted(md(d) for d in raw["start_days"])),
                   int(raw["until_birthday"]), md(raw["school_year_starts"]), int(raw["leaving_month"]),
                   int(raw["leaving_weekday"]))

    def starts(self, dob: date) -> date:
        """The day the child begins to be of compulsory school age."""
        birthday = add_months(dob, _MONTHS_PER_YEAR * self.from_birthday)
        for year in (birthday.year, birthday.year + 1):
            for month, day in self.start_days:
                prescribed = date(year, month, day)
                if prescribed >= birthday:
                    return prescribed
        raise AssertionError("unreachable: a prescribed day follows every birthday")

    def ends(self, dob: date) -> date:
        """The last day of compulsory school age."""
        birthday = add_months(dob, _MONTHS_PER_YEAR * self.until_birthday)
        year_start = date(birthday.year, *self.school_year_starts)
        school_year_end = birthday.year + 1 if birthday >= year_start else birthday.year
        month_end = date(school_year_end, self.leaving_month + 1, 1) - timedelta(days=1)
        return month_end - timedelta(days=(month_end.weekday() - self.leaving_weekday) % 7)

    def of_school_age(self, dob: date | None, on: date) -> bool:
        """True when a child born on ``dob`` is of compulsory school age on ``on`` (``False`` if the date
        of birth is not known: L10 is then not shown, and the child's record needs its date of birth)."""
        return dob is not None and self.starts(dob) <= on <= self.ends(dob)


@lru_cache(maxsize=1)
def school_age() -> SchoolAge:
    """The shipped definition."""
    with RULES_FILE.open(encoding="utf-8") as fh:
        return SchoolAge.from_definition(json.load(fh)["definitions"]["compulsory_school_age"])
