"""The longest period an adult protection and support order may be in force (SSWBA 2014 s127; Qt-free).

The number is data: ``rules.json`` → ``definitions.adult_protection_support_order.max_period`` with its
source and confidence (the 7 days of procedures.md A9 is UNCONFIRMED: s127(6) was not retrieved). The
period counts the first and the last day in force, both included.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from desktop.domain.calendar import UNITS, default_calendar
from desktop.domain.rules import RULES_FILE, RuleError


@dataclass(frozen=True, slots=True)
class ApsoPeriod:
    """The maximum period (``offset`` ``unit``), where it comes from and how sure we are of it."""

    offset: int
    unit: str
    source: str
    confidence: str

    @classmethod
    def from_definition(cls, raw: Mapping[str, Any]) -> ApsoPeriod:
        """Build from the ``rules.json`` definition; :class:`RuleError` naming what is wrong."""
        period = raw.get("max_period") or {}
        offset, unit = period.get("offset"), period.get("unit")
        if isinstance(offset, bool) or not isinstance(offset, int) or offset < 1:
            raise RuleError(f"adult_protection_support_order: max_period offset must be a whole number of 1 or more,"
                            f" got {offset!r}")
        if unit not in UNITS:
            raise RuleError(f"adult_protection_support_order: unknown unit {unit!r}")
        return cls(offset, unit, str(raw.get("source", "")), str(raw.get("confidence", "")))

    def last_day(self, first: date) -> date:
        """The latest day an order in force from ``first`` may still be in force."""
        return default_calendar().add(first, self.offset, self.unit) - timedelta(days=1)


@lru_cache(maxsize=1)
def apso_period() -> ApsoPeriod:
    """The shipped definition."""
    with RULES_FILE.open(encoding="utf-8") as fh:
        return ApsoPeriod.from_definition(json.load(fh)["definitions"]["adult_protection_support_order"])
