"""The correspondence guard: whether a letter may go, and what no document may say (Qt-free).

A letter is the most dangerous thing Diogel produces. Before a queued letter is rendered,
:func:`check_letter` looks at its recipient, the people it is about (its subjects) and every piece
of text it would carry, and says whether it must be **held** and why — reason codes, worded in
``desktop.services.letters.HELD_REASONS``:

* ``do_not_contact`` — the recipient is flagged "do not contact";
* ``risk_to_subject`` — the recipient is flagged as posing a risk to a subject of the letter (a
  person the letter names, or a subject of its case);
* ``contact_via`` — the recipient may be contacted only through another person or an agency and
  the letter was not redirected to them (:func:`contact_route` names where to send it instead; the
  print queue addresses the letter "c/o" that person or agency, at their own address);
* ``no_consent`` — a family letter about an adult at risk (N2) when the adult's consent is not
  recorded: their latest answer in any record that holds it (:data:`CONSENT_SOURCES`) is no, or
  there is none;
* ``confidential_address`` — a confidential (refuge or protected) address of anyone appears in the
  address block or anywhere in the letter's text.

A manager may release a held letter with a recorded reason (``letter_release``); the release
holds only while the flags the guard saw are unchanged (:attr:`Verdict.digest`).

For documents that are not letters (conference reports, the chronology), :func:`redact` replaces
every confidential address in their text with a fixed withheld marker, so none is ever printed.

Contract: read-only; ``query`` is ``Tx.query`` or ``Store.rows`` (SQL, params → dict rows).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from desktop.i18n import N_, translator

Query = Callable[[str, Sequence[Any]], list[dict[str, Any]]]

REASONS = ("do_not_contact", "risk_to_subject", "contact_via", "no_consent", "confidential_address")
"""Every code the guard may hold a letter for, in the order they are checked."""

CONSENT_LETTERS = frozenset({"N2"})
"""Notifications whose letters to the adult's family need the adult's consent to share."""

_SUBJECT_KEYS = ("person_id", "child_id", "adult_id", "subject_id")
_SUBJECT_LISTS = ("child_ids", "person_ids")
_MIN_LINE = 4  # an address line shorter than this ("1") would match anything


@dataclass(frozen=True)
class Flag:
    """One safety flag on a person, as stored."""

    id: str
    person_id: str
    kind: str
    related_person_id: str | None
    via_agency_id: str | None
    address_id: str | None
    set_on: str
    cleared_on: str | None
    updated_at: str

    @property
    def active(self) -> bool:
        return self.cleared_on is None


@dataclass(frozen=True)
class Secret:
    """A confidential address as what must never be printed: its first line and its postcode."""

    line1: str
    postcode: str


@dataclass(frozen=True)
class Route:
    """Where a letter to a person flagged "contact only through" goes instead: the person or agency
    named (``kind`` "person" or "agency"), from the flag ``flag_id``."""

    kind: str
    id: str
    flag_id: str


@dataclass(frozen=True)
class Verdict:
    """``held``: the first reason the letter may not go (``None``: it may); ``digest``: the flags seen."""

    held: str | None
    digest: str
    reasons: tuple[str, ...] = ()


def _flags(query: Query, where: str, params: Sequence[Any]) -> list[Flag]:
    rows = query("SELECT id, person_id, kind, related_person_id, via_agency_id, address_id, set_on, cleared_on,"
                 f" updated_at FROM person_flag WHERE deleted = 0 AND ({where}) ORDER BY id", params)
    return [Flag(**r) for r in rows]


def flags_of(query: Query, person_ids: Iterable[str]) -> list[Flag]:
    """Every flag (active and cleared) on the given people, or naming them as the person at risk."""
    ids = sorted(set(person_ids))
    if not ids:
        return []
    marks = ", ".join("?" for _ in ids)
    return _flags(query, f"person_id IN ({marks}) OR related_person_id IN ({marks})", [*ids, *ids])


def confidential_flags(query: Query) -> list[Flag]:
    return _flags(query, "kind = 'address_confidential'", [])


def secrets(query: Query) -> list[Secret]:
    """Every confidential address on record: each address of a person with an active "address
    confidential" flag (the one it names, else each current on or after the flag was set)."""
    out: list[Secret] = []
    for flag in confidential_flags(query):
        if not flag.active:
            continue
        if flag.address_id:
            rows = query("SELECT line1, postcode FROM address WHERE id = ?", [flag.address_id])
        else:
            rows = query("SELECT line1, postcode FROM address WHERE person_id = ? AND deleted = 0"
                         " AND (to_date IS NULL OR to_date >= ?)", [flag.person_id, flag.set_on])
        out += [Secret(_norm(r["line1"]), _postcode(r["postcode"])) for r in rows]
    return list(dict.fromkeys(out))


def _norm(text: str | None) -> str:
    return " ".join((text or "").casefold().replace(",", " ").split())


def _postcode(text: str | None) -> str:
    return "".join((text or "").upper().split())


def texts_of(value: Any) -> list[str]:
    """Every piece of text inside a letter's fields or a report's model (strings, both sides of
    bilingual text, lists, dicts and dataclasses)."""
    out: list[str] = []
    if isinstance(value, str):
        out.append(value)
    elif isinstance(value, dict):
        for v in value.values():
            out += texts_of(v)
    elif isinstance(value, list | tuple | set | frozenset):
        for v in value:
            out += texts_of(v)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            out += texts_of(getattr(value, f.name))
    return out


def leaks(texts: Iterable[str], found: Sequence[Secret]) -> bool:
    """True when any confidential address (its first line, or its postcode) appears in ``texts``."""
    if not found:
        return False
    joined = "\n".join(texts)
    plain = _norm(joined)
    squeezed = _postcode(joined)
    return any((len(s.line1) >= _MIN_LINE and s.line1 in plain) or (s.postcode and s.postcode in squeezed)
               for s in found)


def subjects(query: Query, case_id: str | None, data: dict[str, Any]) -> set[str]:
    """The people a letter is about: every person its data names, and the subjects of its case."""
    out = {str(data[k]) for k in _SUBJECT_KEYS if isinstance(data.get(k), str) and data[k]}
    for key in _SUBJECT_LISTS:
        raw = data.get(key)
        if isinstance(raw, str):
            try:
                raw = json.loads(raw)
            except ValueError:
                raw = []
        if isinstance(raw, list):
            out |= {str(v) for v in raw if isinstance(v, str)}
    if case_id:
        out |= {r["person_id"] for r in query(
            "SELECT person_id FROM case_member WHERE case_id = ? AND role = 'subject' AND deleted = 0", [case_id])}
    return out


def contact_route(query: Query, person_id: str) -> Route | None:
    """The person or agency a letter to ``person_id`` must go through (their latest active "contact
    only through" flag), or ``None``."""
    rows = query("SELECT id, related_person_id, via_agency_id FROM person_flag WHERE person_id = ?"
                 " AND kind = 'contact_via' AND cleared_on IS NULL AND deleted = 0"
                 " ORDER BY set_on DESC, created_at DESC, id DESC LIMIT 1", [person_id])
    if not rows:
        return None
    r = rows[0]
    if r["via_agency_id"]:
        return Route("agency", r["via_agency_id"], r["id"])
    return Route("person", r["related_person_id"], r["id"]) if r["related_person_id"] else None


def _consent_needed(query: Query, case_id: str | None) -> bool:
    """Consent is the adult's: asked on an adult at risk's case."""
    return bool(case_id) and bool(query(
        "SELECT 1 FROM case_file WHERE id = ? AND case_type = 'adult_at_risk'", [case_id]))


@dataclass(frozen=True)
class ConsentSource:
    """A kind of record where Diogel holds the adult's yes/no answer: ``table`` (with ``person_id``),
    the date the answer was given (``dated``) and the answer (``answer``, 1 or 0). A row another row
    amends (``amends``: the column naming the row it replaces) is superseded by it."""

    table: str
    dated: str
    answer: str
    amends: str | None = None


CONSENT_SOURCES: tuple[ConsentSource, ...] = (
    ConsentSource("adult_report", "received_on", "consent_given"),  # consent to the report (WSP a3pt1-p16)
    ConsentSource("adult_partnership", "recorded_on", "agrees_to_plan", "amends_id"),  # to the plan, with changes of mind
)
"""Every record of the adult's consent; the latest answer of any of them is the adult's answer now.
(Enquiries record none of their own; the strategy's "consent checked" is free text, not an answer.)"""


def consent_answer(query: Query, case_id: str | None) -> bool | None:
    """The adult's latest recorded consent (``None``: never asked): the most recently dated answer
    among :data:`CONSENT_SOURCES` for the case's adults, on this case or any other they are on."""
    if not case_id:
        return None
    answers: list[tuple[str, str, bool]] = []
    for src in CONSENT_SOURCES:
        current = f" AND NOT EXISTS (SELECT 1 FROM {src.table} n WHERE n.{src.amends} = r.id AND n.deleted = 0)" \
            if src.amends else ""
        rows = query(
            f"SELECT r.{src.dated} AS dated, r.created_at, r.{src.answer} AS answer FROM {src.table} r"
            " WHERE r.deleted = 0 AND r.person_id IN (SELECT person_id FROM case_member WHERE case_id = ?"
            f" AND role = 'subject' AND deleted = 0){current}", [case_id])
        answers += [(r["dated"] or "", r["created_at"] or "", bool(r["answer"])) for r in rows]
    return max(answers)[2] if answers else None


def _consent_given(query: Query, case_id: str | None) -> bool:
    """The adult's latest recorded answer is yes."""
    return consent_answer(query, case_id) is True


def _digest(flags: Iterable[Flag], extra: str) -> str:
    seen = sorted({(f.id, f.updated_at, f.cleared_on or "") for f in flags})
    return hashlib.sha256(json.dumps([seen, extra]).encode()).hexdigest()


def check_letter(query: Query, row: dict[str, Any], data: dict[str, Any], address: Sequence[str],
                 fields: dict[str, Any], *, notification: str = "", audience: str = "",
                 via: Route | None = None) -> Verdict:
    """Whether the queued ``letter`` ``row`` (with its decoded ``data``) may be produced with this
    ``address`` block and these rendered ``fields``; ``notification`` and ``audience`` are its
    template's (an N2 letter to the family needs the adult's consent). ``via``: the letter is
    redirected there (the recipient's :func:`contact_route`), so "contact only through" is met, and
    a person it goes through is checked as a recipient is. A release recorded for the same reason
    and the same flags lets it past that reason."""
    kind, rid = row["recipient_kind"], row["recipient_id"]
    about = subjects(query, row.get("case_id"), data)
    readers = ({rid} if kind == "person" else set()) | ({via.id} if via and via.kind == "person" else set())
    flags = flags_of(query, about | readers) + confidential_flags(query)
    active = [f for f in flags if f.active]
    mine = [f for f in active if f.person_id in readers]
    reasons: list[str] = []
    if any(f.kind == "do_not_contact" for f in mine):
        reasons.append("do_not_contact")
    if any(f.kind == "risk_to" and f.related_person_id in about for f in mine):
        reasons.append("risk_to_subject")
    if via is None and any(f.kind == "contact_via" and f.person_id == rid for f in mine):
        reasons.append("contact_via")
    consent = ""
    if ((notification or row["template_id"]) in CONSENT_LETTERS and (audience or data.get("audience")) == "family"
            and _consent_needed(query, row.get("case_id"))):
        consent = "consent" if _consent_given(query, row.get("case_id")) else "no consent"
        if consent == "no consent":
            reasons.append("no_consent")
    hidden = secrets(query)
    if leaks([*address, *texts_of(fields), row.get("recipient_name") or ""], hidden):
        reasons.append("confidential_address")
    digest = _digest(flags, json.dumps([consent, sorted((s.line1, s.postcode) for s in hidden)]))
    released = _released(query, row["id"], digest)
    left = tuple(r for r in reasons if r not in released)
    return Verdict(held=left[0] if left else None, digest=digest, reasons=tuple(reasons))


def _released(query: Query, letter_id: str, digest: str) -> set[str]:
    return {r["held_reason"] for r in query(
        "SELECT held_reason FROM letter_release WHERE letter_id = ? AND flags_digest = ? AND deleted = 0",
        [letter_id, digest])}


WITHHELD = N_("address withheld")
"""What a document carries where a confidential address was: free text is printed as written, in
whichever language, so the marker is in both (:func:`withheld`)."""


def withheld() -> str:
    """The marker put in place of a confidential address: "[Welsh / English]"."""
    return "[{cy} / {en}]".format(cy=translator("cy").gettext(WITHHELD), en=translator("en").gettext(WITHHELD))

T = TypeVar("T")


def redact(value: T, found: Sequence[Secret]) -> T:
    """``value`` (a report's model: dataclasses, lists, dicts, strings) with every confidential
    address line and postcode in its text replaced by :func:`withheld`."""
    if not found:
        return value
    return _redact(value, _patterns(found), withheld())


def _patterns(found: Sequence[Secret]) -> list[re.Pattern[str]]:
    out = []
    for s in found:
        if len(s.line1) >= _MIN_LINE:
            words = [re.escape(w) for w in s.line1.split()]
            out.append(re.compile(r"[\s,]+".join(words), re.IGNORECASE))
        if s.postcode:
            out.append(re.compile(r"\s*".join(re.escape(ch) for ch in s.postcode), re.IGNORECASE))
    return out


def _redact(value: Any, patterns: list[re.Pattern[str]], marker: str) -> Any:
    if isinstance(value, str):
        for p in patterns:
            value = p.sub(marker, value)
        return value
    if isinstance(value, list):
        return [_redact(v, patterns, marker) for v in value]
    if isinstance(value, tuple) and hasattr(value, "_fields"):  # a NamedTuple keeps its type
        return type(value)(*(_redact(v, patterns, marker) for v in value))
    if isinstance(value, tuple):
        return tuple(_redact(v, patterns, marker) for v in value)
    if isinstance(value, dict):
        return {k: _redact(v, patterns, marker) for k, v in value.items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: _redact(getattr(value, f.name), patterns, marker) for f in dataclasses.fields(value)
                   if f.init}
        return dataclasses.replace(value, **changes)
    return value
