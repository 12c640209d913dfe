"""The committee's figures for a period, counted from plain rows (Qt-free; read-only): the one
implementation behind the laptop's committee report (:mod:`desktop.services.committee`) and the server's
council-wide one (:mod:`server.figures`).

Definitions (period = ``period_start`` … ``period_end`` inclusive):

* **Timescales** (:mod:`desktop.services.committee_measures`) — for each measured rule, what fell due in
  the period, what was carried over from before it, done on time, done late, still outstanding at the end
  (what My work shows that day) and left undone when the child or adult left the rule. Meetings that
  never happened count as much as those held late.
* **Trend** — each timescale measure counted the same way for each of the twelve calendar months up to
  the one holding the period end (:func:`trend_months`; the last month is cut at the period end).
* **Register** — children on the register at the period end (``register_entry`` active or
  temporary on that day) and by category (a child may count under several); registrations,
  re-registrations (the child had an earlier register entry), de-registrations in the period, and
  days on the register for each child de-registered in the period.
* **Babies** — :func:`desktop.services.committee_babies.baby_cohort`: ``babies_with_court``
  = babies whose care proceedings are still open at the period end (due) and those of them placed
  within 3 months (in time); ``babies_without_court`` = the others.
* **Open cases / Welsh preference** — cases open at the period end; of them, cases where any
  current member has recorded Welsh as their correspondence language.
* **Letters** — letters printed in the period; Welsh = in Welsh or bilingual; *same time* = Welsh
  letters printed on the same day as every other letter of the same mailing (``source_event``),
  i.e. the Welsh version did not go later (Standards 4 and 6).
* **Open cases by team** — open cases at the period end per team (never per worker: committee papers
  are often public).

Timescales come from the rules table (``desktop/domain/rules.json`` via :class:`RuleSet`) and the
working-day calendar — never literals.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from datetime import date, timedelta

from desktop.domain.calendar import WorkingCalendar, add_months
from desktop.domain.engine import Engine
from desktop.domain.rules import RuleSet
from desktop.services.committee_babies import baby_cohort
from desktop.services.committee_measures import measure_figures
from desktop.services.committee_source import RowSource, Tables, committee_reads
from reports.model import CommitteeStats, Timeliness

TREND_MONTHS = 12
"""How many months the trend charts cover (the last is the month holding the period end)."""


def trend_months(end: date, count: int = TREND_MONTHS) -> list[tuple[date, date]]:
    """The ``count`` calendar months up to the one holding ``end``, oldest first; the last is cut at ``end``."""
    first = add_months(end.replace(day=1), -(count - 1))
    out = []
    for i in range(count):
        a = add_months(first, i)
        b = min(add_months(a, 1) - timedelta(days=1), end)
        out.append((a, b))
    return out


def compute_stats(source: RowSource, start: date, end: date, rules: RuleSet, cal: WorkingCalendar) -> CommitteeStats:
    """The figures from plain rows (no permission check: :class:`CommitteeService` checks on the laptop,
    :mod:`server.figures` on the server). Raises ``ValueError`` when a due date falls outside the
    calendar."""
    stats = CommitteeStats(period_start=start, period_end=end)
    s, e = start.isoformat(), end.isoformat()
    t = Tables(source)
    t.prefetch(committee_reads())

    # -- register -------------------------------------------------------------------------------
    entries = t("register_entry")
    first_registered: dict[str, list[str]] = defaultdict(list)
    for _id, _case, person_id, reg, _dereg, _cats in entries:
        if reg:
            first_registered[person_id].append(reg[:10])
    categories: Counter[str] = Counter()
    for _id, _case, person_id, reg, dereg, cats in sorted(entries, key=lambda r: (r[3] or "", r[0])):
        if not reg:
            continue
        reg, dereg = reg[:10], dereg[:10] if dereg else None
        if reg <= e and (dereg is None or dereg > e):
            stats.children_on_register += 1
            categories.update(_list(cats))
        if s <= reg <= e:
            stats.registrations += 1
            if min(first_registered[person_id]) < reg:
                stats.re_registrations += 1
        if dereg and s <= dereg <= e:
            stats.deregistrations += 1
            stats.days_on_register.append((date.fromisoformat(dereg) - date.fromisoformat(reg)).days)
    stats.register_by_category = dict(categories)

    # -- timescales, and their trend ----------------------------------------------------------------
    stats.measures = measure_figures(t, start, end, Engine(rules, cal), months=trend_months(end))

    # -- babies ---------------------------------------------------------------------------------
    for child in baby_cohort(t, start, end)["children"]:
        target = stats.babies_with_court if child["proceedings_open"] else stats.babies_without_court
        _count(target, child["placed_within_3_months"])

    # -- cases, Welsh, caseload -----------------------------------------------------------------
    welsh_people = {pid for pid, _dob, lang in t("person") if lang == "cy"}
    welsh_cases = {case_id for case_id, person_id, _role, to in t("case_member")
                   if person_id in welsh_people and (not to or to[:10] > e)}
    teams = dict(t("team"))
    open_cases = [(case_id, team) for case_id, _type, team, opened, closed in t("case_file")
                  if opened and opened[:10] <= e and (not closed or closed[:10] > e)]
    stats.open_cases = len(open_cases)
    stats.welsh_preference_cases = sum(1 for case_id, _team in open_cases if case_id in welsh_cases)
    stats.open_cases_by_team = dict(sorted(Counter(teams[team] for _c, team in open_cases
                                                   if team in teams and teams[team]).items()))

    letters = [(lang, mailing, printed[:10]) for lang, mailing, status, printed in t("letter")
               if status == "printed" and printed and s <= printed[:10] <= e]
    mailing_days: dict[str, set[str]] = defaultdict(set)
    for _lang, mailing, day in letters:
        if mailing:
            mailing_days[mailing].add(day)
    stats.letters_sent = len(letters)
    for lang, mailing, day in letters:
        if lang in ("cy", "bilingual"):
            stats.welsh_letters_sent += 1
            if not mailing or mailing_days[mailing] == {day}:
                stats.welsh_letters_same_time += 1
    return stats


def _list(text: str | None) -> list[str]:
    try:
        value = json.loads(text) if text else []
    except ValueError:
        return []
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def _count(target: Timeliness, in_time: bool) -> None:
    target.due += 1
    target.in_time += 1 if in_time else 0
