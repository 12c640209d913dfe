"""The committee report's figures computed from the store for a period (Qt-free; seed 004, §7).

``CommitteeService(session).stats(period_start, period_end) -> reports.CommitteeStats`` needs
``Can.COMMITTEE_REPORT``; ``render(period_start, period_end, lang) -> bytes`` draws it with
:func:`reports.render_committee_report`. The figures cover every case held on this laptop (sync
has already limited that to the person's scope). Timescales come from the rules table
(``desktop/domain/rules.json`` via :class:`RuleSet`) and the working-day calendar — never literals.

Definitions (period = ``period_start`` … ``period_end`` inclusive):

* **Timescales** (:mod:`desktop.services.committee_measures`) — for each measured rule, what fell due in
  the period, what was carried over from before it, done on time, done late, still outstanding at the end
  (what My work shows that day) and left undone when the child or adult left the rule. Meetings that
  never happened count as much as those held late.
* **Register** — children on the register at the period end (``register_entry`` active or
  temporary on that day) and by category (a child may count under several); registrations,
  re-registrations (the child had an earlier register entry), de-registrations in the period, and
  days on the register for each child de-registered in the period.
* **Babies** — :func:`desktop.services.children.permanence.baby_permanence`: ``babies_with_court``
  = babies whose care proceedings are still open at the period end (due) and those of them placed
  within 3 months (in time); ``babies_without_court`` = the others.
* **Open cases / Welsh preference** — cases open at the period end; of them, cases where any
  current member has recorded Welsh as their correspondence language.
* **Letters** — letters printed in the period; Welsh = in Welsh or bilingual; *same time* = Welsh
  letters printed on the same day as every other letter of the same mailing (``source_event``),
  i.e. the Welsh version did not go later (Standards 4 and 6).
* **Open cases by team** — open cases at the period end per team (never per worker: committee papers
  are often public).
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from datetime import date
from typing import Any

from desktop.domain.calendar import WorkingCalendar, default_calendar
from desktop.domain.engine import Engine
from desktop.domain.rules import RuleSet
from desktop.errors import ValidationError
from desktop.i18n import N_
from desktop.services.committee_measures import measure_figures
from desktop.services.permissions import Can
from reports import CommitteeStats, Timeliness, render_committee_report


class CommitteeService:
    """Committee report figures for the signed-in person (thread contract: any thread; read-only)."""

    def __init__(self, session: Any, *, rules: RuleSet | None = None, calendar: WorkingCalendar | None = None) -> None:
        self.session = session
        self.rules = rules or RuleSet.load()
        self.calendar = calendar or default_calendar()

    def stats(self, period_start: date, period_end: date) -> CommitteeStats:
        """The figures for the period (definitions in the module docstring)."""
        self.session.require(Can.COMMITTEE_REPORT)
        if period_end < period_start:
            raise ValidationError(N_("The end of the period is before its start."), field="period_end")
        return compute_stats(self.session.store, period_start, period_end, self.rules, self.calendar)

    def render(self, period_start: date, period_end: date, lang: str) -> bytes:
        """The committee report as PDF bytes in ``lang`` ("cy", "en" or "bilingual")."""
        from desktop.services.letters import load_council

        stats = self.stats(period_start, period_end)
        return render_committee_report(stats, lang, load_council(self.session.profile.folder))


def _d(value: str | None) -> date | None:
    return date.fromisoformat(value[:10]) if value else None


def compute_stats(store: Any, start: date, end: date, rules: RuleSet, cal: WorkingCalendar) -> CommitteeStats:
    """Store-level computation (no permission check; :class:`CommitteeService` checks)."""
    stats = CommitteeStats(period_start=start, period_end=end)
    s, e = start.isoformat(), end.isoformat()
    rows = store.rows

    # -- register -------------------------------------------------------------------------------
    entries = rows("SELECT id, case_id, person_id, registered_on, categories, status, deregistered_on"
                   " FROM register_entry WHERE deleted = 0 ORDER BY registered_on")
    by_person: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for entry in entries:
        by_person[entry["person_id"]].append(entry)
    categories: Counter[str] = Counter()
    for entry in entries:
        reg, dereg = entry["registered_on"], entry["deregistered_on"]
        if reg <= e and (dereg is None or dereg > e):
            stats.children_on_register += 1
            categories.update(json.loads(entry["categories"] or "[]"))
        if s <= reg <= e:
            stats.registrations += 1
            if any(o["registered_on"] < reg for o in by_person[entry["person_id"]] if o["id"] != entry["id"]):
                stats.re_registrations += 1
        if dereg and s <= dereg <= e:
            stats.deregistrations += 1
            stats.days_on_register.append((date.fromisoformat(dereg) - date.fromisoformat(reg)).days)
    stats.register_by_category = dict(categories)

    # -- timescales ---------------------------------------------------------------------------------
    stats.measures = measure_figures(rows, start, end, Engine(rules, cal))

    # -- babies ---------------------------------------------------------------------------------
    from desktop.services.children.permanence import baby_permanence

    for child in baby_permanence(store, start, end)["children"]:
        target = stats.babies_with_court if child["proceedings_open"] else stats.babies_without_court
        _count(target, child["placed_within_3_months"])

    # -- cases, Welsh, caseload -----------------------------------------------------------------
    open_cases = rows(
        "SELECT c.id, COALESCE(t.name, '') AS team,"
        " EXISTS (SELECT 1 FROM case_member m JOIN person x ON x.id = m.person_id WHERE m.case_id = c.id"
        "   AND m.deleted = 0 AND (m.to_date IS NULL OR m.to_date > :e) AND x.correspondence_language = 'cy') AS welsh"
        " FROM case_file c LEFT JOIN team t ON t.id = c.team_id"
        " WHERE c.deleted = 0 AND c.opened_on <= :e AND (c.closed_on IS NULL OR c.closed_on > :e)", {"e": e})
    stats.open_cases = len(open_cases)
    stats.welsh_preference_cases = sum(1 for c in open_cases if c["welsh"])
    stats.open_cases_by_team = dict(sorted(Counter(c["team"] for c in open_cases if c["team"]).items()))

    letters = rows("SELECT language, source_event, substr(printed_at, 1, 10) AS day FROM letter"
                   " WHERE deleted = 0 AND status = 'printed' AND substr(printed_at, 1, 10) BETWEEN :s AND :e",
                   {"s": s, "e": e})
    mailing_days: dict[str, set[str]] = defaultdict(set)
    for letter in letters:
        if letter["source_event"]:
            mailing_days[letter["source_event"]].add(letter["day"])
    stats.letters_sent = len(letters)
    for letter in letters:
        if letter["language"] in ("cy", "bilingual"):
            stats.welsh_letters_sent += 1
            if not letter["source_event"] or mailing_days[letter["source_event"]] == {letter["day"]}:
                stats.welsh_letters_same_time += 1
    return stats


def _count(target: Timeliness, in_time: bool) -> None:
    target.due += 1
    target.in_time += 1 if in_time else 0
