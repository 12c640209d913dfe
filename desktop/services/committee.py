"""The committee report's figures computed from the store for a period (Qt-free; seed 004, §7).

``CommitteeService(session).stats(period_start, period_end) -> reports.CommitteeStats`` needs
``Can.COMMITTEE_REPORT``; ``render(period_start, period_end, lang) -> bytes`` draws it with
:func:`reports.render_committee_report`. The figures cover every case held on this laptop (sync
has already limited that to the person's scope). Timescales come from the rules table
(``desktop/domain/rules.json`` via :class:`RuleSet`) and the working-day calendar — never literals.

Definitions (period = ``period_start`` … ``period_end`` inclusive):

* **Visits (V1 seen alone, V2 seen at home)** — per child and per registration: starting from the
  registration date, each qualifying visit (``cp_visit_child.seen_alone`` / ``seen_at_home``; a
  corrected visit counts as corrected, never twice) answers the deadline set by the previous one
  (the registration date for the first): *due* = the rule's offset from it (V1: 10 working days,
  V2: 4 weeks). A deadline is counted when the visit answering it was made in the period or the
  deadline itself fell in the period; it is *in time* when the visit was made on or before the
  deadline. A deadline in the period with no visit by the period end (or by de-registration) counts
  as missed — so a child never seen alone shows as a failure, not as nothing.
* **Initial conferences (C6)** — initial conferences held in the period; due = C6's offset from the
  case's last strategy discussion/meeting on or before the conference.
* **Review conferences (C12)** — review conferences held in the period; due = C12's first step from
  the previous conference when that was the initial one, else its second step.
* **Core groups (C10/C11)** — core group meetings held in the period; the first after a registering
  conference is due C10's offset after it, later ones C11's offset after the previous meeting.
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
* **Caseload per worker** — open cases at the period end by allocated worker.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from datetime import date
from typing import Any

from desktop.domain.calendar import WorkingCalendar, default_calendar
from desktop.domain.rules import RuleSet
from desktop.errors import ValidationError
from desktop.i18n import N_
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

    def due(base: date, rule_id: str, step: int = 0) -> date:
        offset, unit = rules.get(rule_id, base).steps[step]
        return cal.add(base, offset, unit)

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

    # -- visits (V1, V2) ------------------------------------------------------------------------
    visits = rows(
        "SELECT v.visited_on, vc.person_id, vc.seen_alone, vc.seen_at_home FROM cp_visit v"
        " JOIN cp_visit_child vc ON vc.visit_id = v.id AND vc.deleted = 0"
        " WHERE v.deleted = 0 AND v.access_denied = 0"
        " AND NOT EXISTS (SELECT 1 FROM cp_visit a WHERE a.amends_id = v.id AND a.deleted = 0)"
        " ORDER BY v.visited_on")
    seen: dict[str, dict[str, list[date]]] = defaultdict(lambda: {"alone": [], "home": []})
    for v in visits:
        if v["seen_alone"]:
            seen[v["person_id"]]["alone"].append(date.fromisoformat(v["visited_on"]))
        if v["seen_at_home"]:
            seen[v["person_id"]]["home"].append(date.fromisoformat(v["visited_on"]))
    for entry in entries:
        reg = date.fromisoformat(entry["registered_on"])
        stop = min(end, _d(entry["deregistered_on"]) or end)
        for key, rule_id, target in (("alone", "V1", stats.visits_seen_alone), ("home", "V2", stats.visits_at_home)):
            _windows(reg, stop, start, end, seen[entry["person_id"]][key], lambda b, r=rule_id: due(b, r), target)

    # -- conferences (C6, C12) ------------------------------------------------------------------
    conferences = rows("SELECT id, case_id, kind, held_on FROM cp_conference WHERE deleted = 0 AND status = 'held'"
                       " AND held_on IS NOT NULL ORDER BY held_on")
    strategies = rows("SELECT case_id, held_on FROM cp_strategy s WHERE deleted = 0"
                      " AND NOT EXISTS (SELECT 1 FROM cp_strategy a WHERE a.amends_id = s.id AND a.deleted = 0)")
    last_conf: dict[str, dict[str, Any]] = {}
    for conf in conferences:
        held = date.fromisoformat(conf["held_on"])
        previous = last_conf.get(conf["case_id"])
        last_conf[conf["case_id"]] = conf
        if not (start <= held <= end):
            continue
        if conf["kind"] == "initial":
            before = [x["held_on"] for x in strategies if x["case_id"] == conf["case_id"] and x["held_on"] <= conf["held_on"]]
            if before:
                _count(stats.initial_conferences, held <= due(date.fromisoformat(max(before)), "C6"))
        elif previous is not None:
            step = 0 if previous["kind"] == "initial" else 1
            _count(stats.review_conferences, held <= due(date.fromisoformat(previous["held_on"]), "C12", step))

    # -- core groups (C10, C11) -----------------------------------------------------------------
    groups = rows("SELECT case_id, held_on FROM cp_core_group g WHERE deleted = 0"
                  " AND NOT EXISTS (SELECT 1 FROM cp_core_group a WHERE a.amends_id = g.id AND a.deleted = 0)"
                  " ORDER BY held_on")
    registering = defaultdict(list)
    for entry in entries:
        registering[entry["case_id"]].append(entry["registered_on"])
    previous_group: dict[str, str] = {}
    for g in groups:
        held = date.fromisoformat(g["held_on"])
        prev = previous_group.get(g["case_id"])
        regs = [r for r in registering.get(g["case_id"], []) if r <= g["held_on"]]
        previous_group[g["case_id"]] = g["held_on"]
        if not (start <= held <= end):
            continue
        latest_reg = max(regs) if regs else None
        if prev is None or (latest_reg is not None and prev < latest_reg):
            if latest_reg is not None:
                _count(stats.core_groups, held <= due(date.fromisoformat(latest_reg), "C10"))
        else:
            _count(stats.core_groups, held <= due(date.fromisoformat(prev), "C11"))

    # -- babies ---------------------------------------------------------------------------------
    from desktop.services.children.permanence import baby_permanence

    for child in baby_permanence(store, start, end)["children"]:
        target = stats.babies_with_court if child["proceedings_open"] else stats.babies_without_court
        _count(target, child["placed_within_3_months"])

    # -- cases, Welsh, caseload -----------------------------------------------------------------
    open_cases = rows(
        "SELECT c.id, TRIM(COALESCE(p.given_names, '') || ' ' || COALESCE(p.family_name, '')) AS worker,"
        " EXISTS (SELECT 1 FROM case_member m JOIN person x ON x.id = m.person_id WHERE m.case_id = c.id"
        "   AND m.deleted = 0 AND (m.to_date IS NULL OR m.to_date > :e) AND x.correspondence_language = 'cy') AS welsh"
        " FROM case_file c LEFT JOIN practitioner p ON p.id = c.allocated_worker_id"
        " WHERE c.deleted = 0 AND c.opened_on <= :e AND (c.closed_on IS NULL OR c.closed_on > :e)", {"e": e})
    stats.open_cases = len(open_cases)
    stats.welsh_preference_cases = sum(1 for c in open_cases if c["welsh"])
    stats.caseload_per_worker = dict(sorted(Counter(c["worker"] for c in open_cases if c["worker"]).items()))

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


def _windows(reg: date, stop: date, start: date, end: date, visits: list[date], due_from: Any,
             target: Timeliness) -> None:
    """Count the rolling deadlines of one registration (see the module docstring)."""
    anchor = reg
    for _guard in range(10_000):
        deadline = due_from(anchor)
        nxt = next((v for v in visits if anchor < v <= stop), None)
        if nxt is None:
            if start <= deadline <= stop:
                _count(target, False)
            return
        if start <= nxt <= end or start <= deadline <= end:
            _count(target, nxt <= deadline)
        if nxt > end:
            return
        anchor = nxt
