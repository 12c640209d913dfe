"""Performance data for the Welsh Government's statistical returns: child-level and adult-level CSV for a
period, with pseudonymous identifiers (issue 21; the dictionary and its sources: ``docs/returns.md``).

Contract:

* :func:`write_returns` writes ``children.csv`` (one row per child receiving care and support at any time
  in the period) and ``adults.csv`` (one row per adult at risk reported in the period) into a folder, each
  whole or not at all, and audits the run (``returns``: who, the period, how many rows). Senior managers
  and performance officers only (:func:`server.figures.require_figures`).
* Every column is declared in :data:`CHILDREN` / :data:`ADULTS` (:class:`Column`): its format, its codes,
  the return item it answers and how Diogel derives it — or, for an item Diogel does not record, why it
  cannot, in which case the column is always empty rather than guessed. :func:`dictionary_markdown` is the
  dictionary in ``docs/returns.md`` (a test keeps the two the same, and checks the CSV against the
  document).
* Identifiers are pseudonymous: the first 20 hex digits of HMAC-SHA256 of the person's id under a key the
  server keeps (``server_keys.returns``, made by migration 0021), so one person has the same identifier in
  every return from this server, and nobody without the key can turn it back into a person. No name,
  address, NHS number or UPN is written.
* Counting reuses the committee's readers and replay (:mod:`desktop.services.committee_measures`,
  :func:`desktop.domain.occurrences.walk`), and the timescales come from the rule table (``rules.json``).
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import json
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal

from desktop.domain.calendar import add_months, default_calendar
from desktop.domain.occurrences import Replay, Tally
from desktop.domain.rules import RuleSet
from desktop.services.committee_measures import History, c6, c12
from desktop.services.committee_source import Tables
from server.db import DbConn
from server.figures import (
    Asked,
    FiguresInput,
    ReaderConnect,
    ServerRows,
    audit,
    check_period,
    require_figures,
)

Format = Literal["text", "id", "date", "yn", "count", "code", "codes"]


@dataclass(frozen=True)
class Column:
    """One column of a return file."""

    name: str
    meaning: str
    format: Format
    answers: str
    """The return item it answers (the collection and the item)."""
    source: str
    """How Diogel derives it; for a column Diogel cannot fill, why not."""
    codes: tuple[tuple[str, str], ...] = ()
    derived: bool = True


FORMATS: dict[str, str] = {
    "text": "text as given",
    "id": "20 lower-case hex digits",
    "date": "YYYY-MM-DD, or empty",
    "yn": "Y or N",
    "count": "a whole number, 0 or more",
    "code": "one code from the list, or empty",
    "codes": "codes from the list separated by `;`, or empty",
}

CRCS = "Children receiving care and support (child-level collection)"
CPR = "Child protection register (CRCS child status and register items; PM27, PM28)"
ADULT_SG = "Adult safeguarding data set (2016) / PIF adult safeguarding metrics"
GENDER = (("F", "female"), ("M", "male"))
NEED = (("N1", "Abuse or neglect"), ("N2", "Child's disability or illness"), ("N3", "Parental disability or illness"),
        ("N4", "Family in acute stress"), ("N5", "Family dysfunction"),
        ("N6", "Socially unacceptable behaviour (label unconfirmed for Wales)"),
        ("N7", "Low income (label unconfirmed for Wales)"), ("N8", "Absent parenting (label unconfirmed for Wales)"),
        ("N9", "Cases other than children in need (label unconfirmed for Wales)"))
STATUS = (("LAC", "looked after (may also be on the child protection register)"),
          ("CPR", "on the child protection register, not looked after"),
          ("OTH", "neither looked after nor on the register"))
REGISTER_CATEGORIES = (("physical", "physical abuse"), ("emotional", "emotional abuse"), ("sexual", "sexual abuse"),
                       ("financial", "financial abuse"), ("neglect", "neglect"))
ADULT_CATEGORIES = (("physical", "physical abuse"), ("sexual", "sexual abuse"),
                    ("emotional", "emotional / psychological abuse"), ("financial", "financial abuse"),
                    ("neglect", "neglect"))
SOURCES = (("relevant_partner", "a relevant partner (s.162: police, health, education, …)"),
           ("professional", "another professional"), ("public", "a member of the public"),
           ("family", "family or friend"), ("anonymous", "anonymous"), ("self", "the adult themselves"))
SCREENING = (("nfa_a", "1a no further action: no abuse"), ("nfa_b", "1b no further action: not abuse or neglect"),
             ("nfa_c", "1c no further action: a one-off with low risk of repetition"),
             ("part3", "3 care and support needs: a Part 3 assessment instead"))
FREE_TEXT = "Diogel records this as free text, not as the collection's codes, so it cannot be derived: left empty."

CHILDREN: tuple[Column, ...] = (
    Column("local_authority", "The local authority making the return", "text", f"{CRCS}: local authority code",
           "As given to the command (`--la-code`)."),
    Column("child_id", "The child, pseudonymised", "id", f"{CRCS}: local authority child identifier",
           "HMAC-SHA256 of the child's Diogel id under the server's returns key (first 20 hex digits)."),
    Column("date_of_birth", "Date of birth", "date", f"{CRCS}: date of birth",
           "`person.date_of_birth`; empty for an unborn child or when not recorded."),
    Column("unborn", "Whether the child is unborn", "yn", f"{CRCS}: unborn children are included",
           "`person.unborn`."),
    Column("expected_date_of_birth", "Expected date of birth of an unborn child", "date", f"{CRCS}: unborn children",
           "`person.expected_date`, for an unborn child only."),
    Column("gender", "Gender", "code", f"{CRCS}: gender",
           "`person.sex` is free text: female/benyw/F gives F, male/gwryw/M gives M, anything else is left empty. "
           "The current collection's own gender codes were not found: check them before submitting.", GENDER),
    Column("ethnicity", "Ethnicity", "code", f"{CRCS}: ethnicity", FREE_TEXT, derived=False),
    Column("disability", "Disability", "code", f"{CRCS}: disability", FREE_TEXT, derived=False),
    Column("category_of_need", "The main reason the child receives care and support", "code",
           f"{CRCS}: category of need (StatsWales N1–N9)",
           "`cin_assessment.need_category` of the child's latest assessment completed by the period end.", NEED),
    Column("care_and_support_began", "When the latest continuous period of care and support began", "date",
           f"{CRCS}: start of care and support",
           "The earliest `opened_on` of the child's cases (child protection, child in need, looked after) open "
           "at any time in the period."),
    Column("care_and_support_ended", "When care and support ended, if it ended in the period", "date",
           f"{CRCS}: case closure", "The latest `closed_on` of those cases, when every one closed by the period end."),
    Column("status_at_end", "The child's status at the period end", "code",
           f"{CRCS}: child status (StatsWales: looked after / on the register / other)",
           "Looked after at the period end (`lac_episode`), else on the register (`register_entry`), else other; "
           "empty when care and support had ended.", STATUS),
    Column("on_register_at_end", "On the child protection register at the period end", "yn", CPR,
           "A `register_entry` registered on or before the period end and not de-registered by it."),
    Column("registered_on", "Start of the registration in force at the end (or of the last one in the period)",
           "date", CPR, "`register_entry.registered_on`."),
    Column("registration_categories", "Categories of that registration", "codes", CPR,
           "`register_entry.categories` (the Wales Safeguarding Procedures' categories).", REGISTER_CATEGORIES),
    Column("re_registration", "Registered in the period after an earlier registration", "yn", f"{CPR}: PM27",
           "A registration starting in the period for a child with an earlier `register_entry`."),
    Column("deregistered_on", "De-registered in the period", "date", CPR, "`register_entry.deregistered_on`."),
    Column("days_on_register", "Days on the register in the period, for that registration", "count", f"{CPR}: PM28",
           "From the later of registration and the period start to the earlier of de-registration and the "
           "period end (0 if not on the register in the period)."),
    Column("initial_conference_on", "First initial child protection conference held in the period", "date",
           f"{CRCS}: initial child protection conference",
           "`cp_conference` of kind initial, held, naming the child."),
    Column("initial_conference_in_time", "That conference fell due in the period and was held in time", "code",
           f"{CRCS}: initial conference within timescale",
           "Rule C6 (`rules.json`) replayed as the committee report does: Y held in time, N late or not held by "
           "the period end; empty when none fell due in the period.", (("Y", "in time"), ("N", "not in time"))),
    Column("review_conferences_due", "Review conferences that fell due in the period", "count",
           f"{CPR}: registrations reviewed within timescales", "Rule C12 replayed: occurrences due in the period."),
    Column("review_conferences_in_time", "Of those, held in time", "count",
           f"{CPR}: registrations reviewed within timescales", "Rule C12 replayed: held on or before the due date."),
    Column("looked_after_at_end", "Looked after at the period end", "yn", f"{CRCS}: child status",
           "An `lac_episode` started on or before the period end and not ended by it."),
    Column("looked_after_from", "Start of the period of care in force at the end (or the last in the period)",
           "date", f"{CRCS}: child status", "`lac_episode.started_on`."),
    Column("parenting_capacity", "Parenting capacity factors", "codes", f"{CRCS}: parenting capacity",
           "Diogel does not record parenting capacity factors: left empty.", derived=False),
    Column("health_and_education", "Health and education outcomes", "codes", f"{CRCS}: health and education",
           "Diogel does not record immunisations, dental checks or key stage results: left empty.", derived=False),
)

ADULTS: tuple[Column, ...] = (
    Column("local_authority", "The local authority making the return", "text", f"{ADULT_SG}: local authority",
           "As given to the command (`--la-code`)."),
    Column("adult_id", "The adult, pseudonymised", "id", f"{ADULT_SG}: adults reported (counted once each)",
           "HMAC-SHA256 of the adult's Diogel id under the server's returns key (first 20 hex digits)."),
    Column("age_at_first_report", "Age in whole years at the first report in the period", "count",
           f"{ADULT_SG}: age of the adult", "From `person.date_of_birth`; empty when not recorded."),
    Column("gender", "Gender", "code", f"{ADULT_SG}: gender",
           "`person.sex` is free text: female/benyw/F gives F, male/gwryw/M gives M, anything else is left empty.",
           GENDER),
    Column("ethnicity", "Ethnicity", "code", f"{ADULT_SG}: ethnicity", FREE_TEXT, derived=False),
    Column("reports_received", "Reports of this adult suspected of being at risk received in the period", "count",
           f"{ADULT_SG}: reports received", "`adult_report` rows received in the period."),
    Column("categories_suspected", "Categories of abuse or neglect suspected in those reports", "codes",
           f"{ADULT_SG}: category of abuse or neglect", "`adult_report.suspected_categories` (s.197 SSWBA).",
           ADULT_CATEGORIES),
    Column("reported_again_same_category", "Reported more than once for the same category", "yn",
           f"{ADULT_SG}: adults reported more than once (same category)",
           "Two or more reports in the period sharing a suspected category."),
    Column("reported_again_other_category", "Reported more than once for different categories", "yn",
           f"{ADULT_SG}: adults reported more than once (different categories)",
           "Two or more reports in the period whose suspected categories differ."),
    Column("domestic_or_racial_abuse", "Whether the abuse is domestic or racial", "yn",
           f"{ADULT_SG}: domestic or racial abuse", "Diogel does not record this: left empty.", derived=False),
    Column("category_of_need", "The adult's category of need", "code", f"{ADULT_SG}: category of need",
           "Diogel does not record a category of need for adults: left empty.", derived=False),
    Column("source_of_first_report", "Who made the first report in the period (Diogel's own list)", "code",
           f"{ADULT_SG}: source of report",
           "`adult_report.source_type`. These are Diogel's categories: the collection's list (e.g. police, "
           "provider) cannot be derived from them.", SOURCES),
    Column("reports_to_enquiry", "Reports in the period that went on to section 126 enquiries", "count",
           f"{ADULT_SG}: reports that proceed to enquiry", "Reports screened as needing enquiries."),
    Column("reasons_no_enquiry", "Why other reports did not go on to enquiries", "codes",
           f"{ADULT_SG}: reasons reports did not proceed to enquiry",
           "`adult_report.screening_decision` (Wales Safeguarding Procedures a3pt1-p5).", SCREENING),
    Column("enquiries_completed", "Section 126 enquiries about this adult completed in the period", "count",
           f"{ADULT_SG}: enquiries completed", "`adult_enquiry.concluded_on` in the period."),
    Column("enquiries_within_timescale", "Of those, completed within the timescale of the report", "count",
           f"{ADULT_SG}: enquiries completed within seven working days",
           "Concluded on or before the report's receipt plus rule A1 (`rules.json`: 7 working days)."),
    Column("enquiries_action_required", "Of those, concluding that action is needed", "count",
           f"{ADULT_SG}: enquiries that conclude action is required",
           "Determination 1 (immediate protection) or 3 (at risk, action needed)."),
    Column("place_of_abuse", "Where the alleged abuse happened", "code", f"{ADULT_SG}: place alleged abuse occurred",
           "Diogel does not record this: left empty.", derived=False),
    Column("person_alleged_responsible", "Who is alleged responsible", "code",
           f"{ADULT_SG}: person alleged responsible", "Diogel does not record this: left empty.", derived=False),
    Column("refused_action", "Whether the adult refused to take part in the action identified", "yn",
           f"{ADULT_SG}: adults who refused to participate",
           "Diogel records the adult's wishes and partnership as text over time, not this decision: left empty.",
           derived=False),
    Column("criminal_investigation", "Whether there was a criminal investigation", "yn",
           f"{ADULT_SG}: criminal and non-criminal investigations",
           "Diogel records only whether the police were informed (next column), not an investigation: left empty.",
           derived=False),
    Column("police_informed", "The police were informed of a report in the period", "yn",
           f"{ADULT_SG}: (context for criminal investigations)", "`adult_report.police_informed`."),
)

FILES: dict[str, tuple[Column, ...]] = {"children.csv": CHILDREN, "adults.csv": ADULTS}


# -- reading --------------------------------------------------------------------------------------------------


def _d(value: Any) -> date | None:
    return date.fromisoformat(str(value)[:10]) if value else None


def _iso(value: date | None) -> str:
    return value.isoformat() if value else ""


def _yn(value: bool) -> str:
    return "Y" if value else "N"


def _gender(text: Any) -> str:
    word = str(text or "").strip().casefold()
    return {"female": "F", "f": "F", "benyw": "F", "male": "M", "m": "M", "gwryw": "M"}.get(word, "")


def _list(text: Any) -> list[str]:
    try:
        value = json.loads(text) if text else []
    except (TypeError, ValueError):
        return []
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def _codes(values: Sequence[str], listed: tuple[tuple[str, str], ...]) -> str:
    known = [code for code, _meaning in listed]
    return ";".join(c for c in known if c in set(values))


class Pseudonyms:
    """HMAC-SHA256 under the server's returns key (see the module docstring)."""

    def __init__(self, key: bytes) -> None:
        self.key = key

    def __call__(self, person_id: str) -> str:
        return hmac.new(self.key, person_id.lower().encode("ascii"), hashlib.sha256).hexdigest()[:20]


def returns_key(conn: DbConn) -> bytes:
    row = conn.execute("SELECT key FROM server_keys WHERE name = 'returns'").fetchone()
    if row is None:
        raise RuntimeError("the server has no returns key: run diogel-server migrate")
    return bytes(row["key"])


def _per_person(histories: list[History], rule_id: str, rules: RuleSet, start: date, end: date) -> dict[str, Tally]:
    """Each person's tally of ``rule_id`` over the period (the committee's counting)."""
    rule, cal = rules.get(rule_id, end), default_calendar()
    replays: dict[str, Replay] = {}
    for h in histories:
        replay = replays.get(h.person_id)
        if replay is None:
            replay = replays[h.person_id] = Replay(rule, cal, end, (start, end))
        replay.add_days(h.base, h.events, h.stop)
    return {pid: r.tally for pid, r in replays.items()}


def children_rows(t: Tables, start: date, end: date, la: str, pseudonym: Callable[[str], str],
                  rules: RuleSet) -> list[dict[str, str]]:
    s, e = start.isoformat(), end.isoformat()
    cases = {cid: (kind, opened, closed) for cid, kind, opened, closed
             in t("case_file", ("id", "case_type", "opened_on", "closed_on"))}
    spans: dict[str, list[tuple[str, str | None]]] = defaultdict(list)  # person -> (opened, closed) of their cases
    for case_id, person_id, role, first, last in t("case_member", ("case_id", "person_id", "role", "from_date",
                                                                   "to_date")):
        case = cases.get(case_id)
        if role != "subject" or case is None or case[0] not in ("child_protection", "child_in_need", "looked_after"):
            continue
        kind, opened, closed = case
        if not opened or opened[:10] > e or (closed and closed[:10] < s):
            continue
        if (first and first[:10] > e) or (last and last[:10] < s):
            continue
        spans[person_id].append((opened[:10], closed[:10] if closed else None))
    people = {pid: (dob, unborn, expected, sex) for pid, dob, unborn, expected, sex
              in t("person", ("id", "date_of_birth", "unborn", "expected_date", "sex"))}
    need: dict[str, tuple[str, str]] = {}
    for person_id, category, completed in t("cin_assessment", ("person_id", "need_category", "completed_on")):
        if category and completed and completed[:10] <= e and (person_id not in need or need[person_id][0] <= completed):
            need[person_id] = (completed, category)
    entries: dict[str, list[tuple[str, str | None, str | None]]] = defaultdict(list)
    for _id, _case, person_id, reg, dereg, cats in t("register_entry"):
        if reg:
            entries[person_id].append((reg[:10], dereg[:10] if dereg else None, cats))
    initial: dict[str, str] = {}
    for _case, child_ids, kind, status, held in t("cp_conference"):
        if kind == "initial" and status == "held" and held and s <= held[:10] <= e:
            for pid in _list(child_ids):
                initial[pid] = min(initial.get(pid, held[:10]), held[:10])
    episodes: dict[str, list[tuple[str, str | None]]] = defaultdict(list)
    for _id, _case, person_id, started, ended in t("lac_episode"):
        if started:
            episodes[person_id].append((started[:10], ended[:10] if ended else None))
    icpc = _per_person(c6(t), "C6", rules, start, end)
    reviews = _per_person(c12(t), "C12", rules, start, end)

    out = []
    for person_id in sorted(spans, key=pseudonym):
        dob, unborn, expected, sex = people.get(person_id, (None, 0, None, None))
        born = _d(dob)
        if born is not None and not unborn and add_months(born, 18 * 12) <= start:
            continue  # an adult for the whole period: not a child receiving care and support
        opened = min(o for o, _c in spans[person_id])
        closes = [c for _o, c in spans[person_id]]
        shut = [c for c in closes if c is not None and c <= e]
        ended = max(shut) if shut and len(shut) == len(closes) else None
        reg = [x for x in entries.get(person_id, []) if x[0] <= e and (x[1] is None or x[1] >= s)]
        current = max(reg, default=None, key=lambda x: x[0])
        on_register = current is not None and current[0] <= e and (current[1] is None or current[1] > e)
        earlier = current is not None and any(x[0] < current[0] for x in entries.get(person_id, []))
        registered_in_period = current is not None and s <= current[0] <= e
        dereg_in_period = current[1] if current is not None and current[1] and s <= current[1] <= e else None
        if current is not None:
            first_day = max(date.fromisoformat(current[0]), start)
            last_day = min(date.fromisoformat(current[1]), end) if current[1] else end
            days = max((last_day - first_day).days, 0)
        else:
            days = 0
        lac = [x for x in episodes.get(person_id, []) if x[0] <= e and (x[1] is None or x[1] >= s)]
        episode = max(lac, default=None, key=lambda x: x[0])
        looked_after = episode is not None and (episode[1] is None or episode[1] > e)
        status = "" if ended else "LAC" if looked_after else "CPR" if on_register else "OTH"
        c6_tally = icpc.get(person_id)
        in_time = ""
        if c6_tally is not None and c6_tally.fell_due:
            in_time = _yn(c6_tally.on_time == c6_tally.fell_due)
        c12_tally = reviews.get(person_id, Tally())
        out.append({
            "local_authority": la, "child_id": pseudonym(person_id),
            "date_of_birth": "" if unborn else _iso(born), "unborn": _yn(bool(unborn)),
            "expected_date_of_birth": _iso(_d(expected)) if unborn else "", "gender": _gender(sex),
            "ethnicity": "", "disability": "", "category_of_need": need.get(person_id, ("", ""))[1],
            "care_and_support_began": opened, "care_and_support_ended": ended or "", "status_at_end": status,
            "on_register_at_end": _yn(on_register), "registered_on": current[0] if current else "",
            "registration_categories": _codes(_list(current[2]), REGISTER_CATEGORIES) if current else "",
            "re_registration": _yn(registered_in_period and earlier), "deregistered_on": dereg_in_period or "",
            "days_on_register": str(days), "initial_conference_on": initial.get(person_id, ""),
            "initial_conference_in_time": in_time, "review_conferences_due": str(c12_tally.fell_due),
            "review_conferences_in_time": str(c12_tally.on_time), "looked_after_at_end": _yn(looked_after),
            "looked_after_from": episode[0] if episode else "", "parenting_capacity": "", "health_and_education": "",
        })
    return out


def adults_rows(t: Tables, start: date, end: date, la: str, pseudonym: Callable[[str], str],
                rules: RuleSet) -> list[dict[str, str]]:
    s, e = start.isoformat(), end.isoformat()
    adult_cases = {cid for cid, kind in t("case_file", ("id", "case_type")) if kind == "adult_at_risk"}
    reports: dict[str, list[tuple[str, str, list[str], str | None, str | None, int]]] = defaultdict(list)
    for rid, case_id, person_id, received, cats, source, decision, police in t(
            "adult_report", ("id", "case_id", "person_id", "received_on", "suspected_categories", "source_type",
                             "screening_decision", "police_informed")):
        if case_id in adult_cases and received and s <= received[:10] <= e:
            reports[person_id].append((received[:10], rid, _list(cats), source, decision, police or 0))
    enquiries: dict[str, list[tuple[str, str | None]]] = defaultdict(list)  # report -> (concluded, determination)
    for report_id, concluded, determination in t("adult_enquiry", ("report_id", "concluded_on", "determination")):
        if concluded and s <= concluded[:10] <= e:
            enquiries[report_id].append((concluded[:10], determination))
    received_on = {rid: received[:10] for rid, received in t("adult_report", ("id", "received_on")) if received}
    people = {pid: (dob, sex) for pid, dob, sex in t("person", ("id", "date_of_birth", "sex"))}
    a1, cal = rules.get("A1", end), default_calendar()
    offset, unit = a1.steps[0]
    concluded_by_person: dict[str, list[tuple[str, str, str | None]]] = defaultdict(list)
    for rid, pid, case_id in t("adult_report", ("id", "person_id", "case_id")):
        if case_id in adult_cases:
            concluded_by_person[pid] += [(rid, c, d) for c, d in enquiries.get(rid, [])]

    out = []
    for person_id in sorted(reports, key=pseudonym):
        got = sorted(reports[person_id])
        dob, sex = people.get(person_id, (None, None))
        born, first = _d(dob), date.fromisoformat(got[0][0])
        age = ""
        if born is not None:
            age = str(first.year - born.year - ((first.month, first.day) < (born.month, born.day)))
        cats = [set(r[2]) for r in got]
        same = any(a & b for i, a in enumerate(cats) for b in cats[i + 1:])
        other = any(a != b for i, a in enumerate(cats) for b in cats[i + 1:])
        done = concluded_by_person.get(person_id, [])
        in_time = sum(1 for rid, c, _d_ in done if rid in received_on
                      and date.fromisoformat(c) <= cal.add(date.fromisoformat(received_on[rid]), offset, unit))
        out.append({
            "local_authority": la, "adult_id": pseudonym(person_id), "age_at_first_report": age,
            "gender": _gender(sex), "ethnicity": "", "reports_received": str(len(got)),
            "categories_suspected": _codes([c for r in got for c in r[2]], ADULT_CATEGORIES),
            "reported_again_same_category": _yn(same), "reported_again_other_category": _yn(other),
            "domestic_or_racial_abuse": "", "category_of_need": "", "source_of_first_report": got[0][3] or "",
            "reports_to_enquiry": str(sum(1 for r in got if r[4] == "enquiries")),
            "reasons_no_enquiry": _codes([r[4] for r in got if r[4] and r[4] != "enquiries"], SCREENING),
            "enquiries_completed": str(len(done)), "enquiries_within_timescale": str(in_time),
            "enquiries_action_required": str(sum(1 for _r, _c, d in done if d in ("1", "3"))),
            "place_of_abuse": "", "person_alleged_responsible": "", "refused_action": "", "criminal_investigation": "",
            "police_informed": _yn(any(r[5] for r in got)),
        })
    return out


# -- writing ----------------------------------------------------------------------------------------------------


def to_csv(columns: tuple[Column, ...], rows: list[dict[str, str]]) -> bytes:
    """UTF-8 CSV (RFC 4180: comma-separated, CRLF line ends, quoted where needed) with a header row."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=[c.name for c in columns])
    writer.writeheader()
    for row in rows:
        writer.writerow(row)
    return buf.getvalue().encode("utf-8")


def write_returns(conn: DbConn, asked: Asked, start: date, end: date, la_code: str, folder: Path, *,
                  now: datetime, today: date, rules: RuleSet | None = None,
                  connect: ReaderConnect | None = None) -> dict[Path, int]:
    """Write both files into ``folder`` (see the module docstring); returns each file with its row count."""
    require_figures(asked.user)
    check_period(start, end, today)
    la = la_code.strip()
    if not la or len(la) > 20 or not la.isprintable():
        raise FiguresInput("give the local authority's code (1 to 20 printable characters)")
    rules = rules or RuleSet.load()
    for rule_id in ("C6", "C12", "A1"):
        try:
            rules.get(rule_id, end)
        except KeyError:
            raise FiguresInput(f"rule {rule_id} was not in force on {end.isoformat()}: choose a later period") from None
    t, pseudonym = Tables(ServerRows(conn, connect=connect)), Pseudonyms(returns_key(conn))
    made = {"children.csv": children_rows(t, start, end, la, pseudonym, rules),
            "adults.csv": adults_rows(t, start, end, la, pseudonym, rules)}
    audit(conn, asked, "returns", {"period_start": start.isoformat(), "period_end": end.isoformat(),
                                   "la_code": la, **{name: len(rows) for name, rows in made.items()}}, now)
    folder.mkdir(parents=True, exist_ok=True)
    staged = []
    for name, rows in made.items():
        tmp = folder / f"{name}.partial"
        tmp.write_bytes(to_csv(FILES[name], rows))
        staged.append((tmp, folder / name))
    for tmp, final in staged:  # both complete before either is put in place
        tmp.replace(final)
    return {final: len(made[final.name]) for _tmp, final in staged}


# -- the dictionary -------------------------------------------------------------------------------------------


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def dictionary_markdown() -> str:
    """The data dictionary as it appears in ``docs/returns.md`` between its markers."""
    lines: list[str] = []
    for name, columns in FILES.items():
        lines += [f"### `{name}`", "", "| # | Column | Meaning | Format | Codes | Answers | How Diogel fills it |",
                  "|---|---|---|---|---|---|---|"]
        for i, c in enumerate(columns, 1):
            codes = "; ".join(f"`{code}` {meaning}" for code, meaning in c.codes) or "—"
            how = c.source if c.derived else f"**Not derived.** {c.source}"
            lines.append(f"| {i} | `{c.name}` | {_cell(c.meaning)} | {FORMATS[c.format]} | {_cell(codes)} | "
                         f"{_cell(c.answers)} | {_cell(how)} |")
        lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    print(dictionary_markdown(), end="")
