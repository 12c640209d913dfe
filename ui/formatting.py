"""Formatting stored values for display (GUI thread or any; Qt-free helpers)."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from desktop.i18n import format_date

DATE_STYLE = "medium"
"""The one way a date is shown on screen, in both languages: "23 Nov 2026", "23 Tach 2026" (letters and
reports, on paper, spell the month out). Dates are typed as 23/11/2026."""


def show_date(value: Any) -> str:
    """An ISO date string (or date) in the interface language; "" when empty, as-is if not a date."""
    if not value:
        return ""
    if isinstance(value, date):
        return format_date(value, DATE_STYLE)
    try:
        return format_date(date.fromisoformat(str(value)[:10]), DATE_STYLE)
    except ValueError:
        return str(value)


_UK_DATE = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*$")


def to_iso(text: str) -> str | None:
    """"23/11/2026" -> "2026-11-23" (no check: the service says what is wrong); "" -> None."""
    text = text.strip()
    if not text:
        return None
    m = _UK_DATE.match(text)
    if m:
        day, month, year = m.groups()
        return f"{year}-{int(month):02d}-{int(day):02d}"
    return text


def from_iso(value: Any) -> str:
    if not value:
        return ""
    s = str(value)
    if re.match(r"^\d{4}-\d{2}-\d{2}$", s):
        return f"{s[8:10]}/{s[5:7]}/{s[0:4]}"
    return s
