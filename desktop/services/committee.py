"""The committee report on the laptop (Qt-free; seed 004, §7).

``CommitteeService(session).stats(period_start, period_end) -> reports.CommitteeStats`` needs
``Can.COMMITTEE_REPORT``; ``render(period_start, period_end, lang) -> bytes`` draws it with
:func:`reports.render_committee_report`. The figures cover every case held on this laptop (sync
has already limited that to the person's scope), counted by
:func:`desktop.services.committee_figures.compute_stats` — the same code the server runs over every case in
the authority (``diogel-server report committee``), reading this store's rows through
:class:`~desktop.services.committee_source.StoreRows`. Definitions are in
:mod:`desktop.services.committee_figures`.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from desktop.domain.calendar import WorkingCalendar, default_calendar
from desktop.domain.rules import RuleSet
from desktop.errors import ValidationError
from desktop.i18n import N_
from desktop.services.committee_figures import compute_stats
from desktop.services.committee_source import StoreRows
from desktop.services.permissions import Can
from reports import CommitteeStats, render_committee_report


class CommitteeService:
    """Committee report figures for the signed-in person (thread contract: any thread; read-only)."""

    def __init__(self, session: Any, *, rules: RuleSet | None = None, calendar: WorkingCalendar | None = None) -> None:
        self.session = session
        self.rules = rules or RuleSet.load()
        self.calendar = calendar or default_calendar()

    def stats(self, period_start: date, period_end: date) -> CommitteeStats:
        """The figures for the period (definitions in :mod:`desktop.services.committee_figures`)."""
        self.session.require(Can.COMMITTEE_REPORT)
        if period_end < period_start:
            raise ValidationError(N_("The end of the period is before its start."), field="period_end")
        return compute_stats(StoreRows(self.session.store), period_start, period_end, self.rules, self.calendar)

    def render(self, period_start: date, period_end: date, lang: str) -> bytes:
        """The committee report as PDF bytes in ``lang`` ("cy", "en" or "bilingual")."""
        from desktop.services.letters import load_council

        stats = self.stats(period_start, period_end)
        return render_committee_report(stats, lang, load_council(self.session.profile.folder))
