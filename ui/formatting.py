"""Formatting stored values for display (GUI thread or any; Qt-free helpers)."""

from __future__ import annotations

from datetime import date
from typing import Any

from desktop.i18n import format_date


def show_date(value: Any, style: str = "short") -> str:
    """An ISO date string (or date) in the interface language; "" when empty, as-is if not a date."""
    if not value:
        return ""
    if isinstance(value, date):
        return format_date(value, style)
    try:
        return format_date(date.fromisoformat(str(value)[:10]), style)
    except ValueError:
        return str(value)
