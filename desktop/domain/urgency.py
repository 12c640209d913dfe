"""How urgent a due item is, said three ways at once: words, a shape and a colour (Qt-free).

Never colour alone (WCAG 2.2 1.4.1): every level has its own words ("Overdue", "Due today"…) and its own
shape (the GUI draws it), and its colours are a text/background pair with at least 4.5:1 contrast
(WCAG 2.2 1.4.3, checked by :func:`contrast_ratio` in the tests). ``PROBLEM`` is for what could not be
worked out — shown, never dropped.

:func:`how_late` says how far past its due date an item is, in the unit its rule counts ("6 working days",
"31 days"); :func:`urgency_label` puts the two together ("Overdue: 6 working days").
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from desktop.i18n import N_, _, ngettext


class Urgency(StrEnum):
    """Most urgent first (the order is the sort order)."""

    PROBLEM = "problem"
    OVERDUE = "overdue"
    DUE_TODAY = "due_today"
    DUE_THIS_WEEK = "due_this_week"
    UPCOMING = "upcoming"

    @property
    def rank(self) -> int:
        return list(Urgency).index(self)


@dataclass(frozen=True, slots=True)
class UrgencyStyle:
    label: str
    """English msgid of the words shown beside the shape."""
    shape: str
    """What the GUI draws: ``octagon`` (problem), ``circle`` (overdue), ``triangle`` (today),
    ``square`` (this week), ``dot`` (later)."""
    foreground: str
    background: str
    """``#rrggbb``; the pair has at least 4.5:1 contrast."""


STYLES: dict[Urgency, UrgencyStyle] = {
    Urgency.PROBLEM: UrgencyStyle(N_("Cannot be worked out"), "octagon", "#4a148c", "#f3e5f5"),
    Urgency.OVERDUE: UrgencyStyle(N_("Overdue"), "circle", "#8e0000", "#fde2e2"),
    Urgency.DUE_TODAY: UrgencyStyle(N_("Due today"), "triangle", "#6b3d00", "#ffeec2"),
    Urgency.DUE_THIS_WEEK: UrgencyStyle(N_("Due this week"), "square", "#0b3d66", "#e3f0fb"),
    Urgency.UPCOMING: UrgencyStyle(N_("Later"), "dot", "#37474f", "#ffffff"),
}


def urgency_of(status: str) -> Urgency:
    """The urgency of an engine status (``overdue``, ``due_today``, ``due_this_week``, ``upcoming``;
    ``cannot_compute`` is a problem)."""
    return Urgency.PROBLEM if status == "cannot_compute" else Urgency(status)


def how_late(days: int, unit: str) -> str:
    """How far past the due date, in the rule's own unit: "6 working days", "1 day"."""
    if unit == "working_days":
        return ngettext("{n} working day", "{n} working days", days).format(n=days)
    return ngettext("{n} day", "{n} days", days).format(n=days)


def urgency_label(urgency: Urgency, days_overdue: int = 0, unit: str = "days") -> str:
    """The words for a row's urgency cell: "Overdue: 6 working days", "Due today", "Due this week"."""
    if urgency is Urgency.OVERDUE and days_overdue > 0:
        if unit == "working_days":
            return ngettext("Overdue: {n} working day", "Overdue: {n} working days", days_overdue).format(
                n=days_overdue)
        return ngettext("Overdue: {n} day", "Overdue: {n} days", days_overdue).format(n=days_overdue)
    return _(STYLES[urgency].label)


def _channel(c: int) -> float:
    s = c / 255
    return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4


def relative_luminance(colour: str) -> float:
    """WCAG 2.2 relative luminance of ``#rrggbb``."""
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast_ratio(a: str, b: str) -> float:
    """WCAG 2.2 contrast ratio between two ``#rrggbb`` colours (1 to 21)."""
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)
