"""Case notes and contacts: a worker's day-to-day record of a case (Qt-free; one transaction per write).

A note says what kind of contact it was (:data:`KINDS`: a home visit, a phone call, a meeting, an email
or letter, in the office, other), when (a date, and a time when it is known), who was involved (people
on the case and agencies, each a ``case_note_party`` row; anyone else in words), what happened, in which
language it is written, and whether it is a **significant event** for the chronology, with its category
(:data:`CATEGORIES`). Notes are append-only: a correction is :meth:`NoteService.amend`, a new note that
points at the one it corrects with the reason; the corrected one stays (and its text is still read back
by :meth:`NoteService.versions`), but lists, the chronology and search show only the latest.

Notes are casework: admin staff and the register custodian never see their text (``PermissionDenied``);
every read of note text is audited (:mod:`desktop.services.reads`), search included (one entry per case
whose notes were shown).

``NoteService(session)``:

* ``record(case_id, *, kind, occurred_on, body, occurred_at=None, language=None, significant=False,
  category=None, people=(), agencies=(), others=None)`` — refused with the field named: an unknown kind,
  no date or a date in the future, a time that is not hh:mm, no text, a significant event without its
  category (or a category without the flag), someone not on the case, an agency that does not exist.
* ``amend(note_id, *, reason, **same_fields)`` — the correction (reason required; only the latest version).
* ``for_case(case_id, *, person_id=None, significant_only=False)`` — the latest version of each note,
  newest first (a person: the notes that name them, or name nobody on the case).
* ``get(note_id)``, ``versions(note_id)`` — one note; every version of it, oldest first.
* ``search(text, *, case_id=None, limit=SEARCH_LIMIT)`` — full text over the notes of every case in the
  person's scope (:mod:`desktop.services.note_search`: both languages, Welsh mutations, prefixes), the
  most recently recorded matches, newest first.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from desktop.domain.validation import parse_date
from desktop.errors import NotFound, ValidationError
from desktop.i18n import N_, current_language
from desktop.services.note_search import Highlighter, fts_query
from desktop.services.permissions import Can
from desktop.services.reads import read_casework
from desktop.services.scope import case_condition, require_case
from desktop.store import Tx
from desktop.store.migrations.m0019_casework_records import NOTE_KINDS

KINDS: dict[str, str] = {
    "home_visit": N_("Home visit"),
    "phone": N_("Phone call"),
    "meeting": N_("Meeting"),
    "email_letter": N_("Email or letter"),
    "office": N_("Office visit"),
    "other": N_("Other contact"),
}
assert tuple(KINDS) == NOTE_KINDS

CATEGORIES: dict[str, str] = {
    "injury": N_("Injury or harm"),
    "disclosure": N_("Disclosure"),
    "police": N_("Police involvement"),
    "domestic_abuse": N_("Domestic abuse incident"),
    "missing": N_("Missing episode"),
    "health": N_("Health or hospital"),
    "education": N_("School or nursery concern"),
    "household": N_("Change in the household"),
    "legal": N_("Court or legal"),
    "other": N_("Other significant event"),
}
"""Categories of a significant event (what the chronology groups and a reader scans for)."""

LANGUAGES = ("cy", "en")
SEARCH_LIMIT = 200
_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
_FIELDS = frozenset({"kind", "occurred_on", "occurred_at", "body", "language", "significant", "category",
                     "people", "agencies", "others"})


@dataclass(frozen=True, slots=True)
class Note:
    """One note as read back (its latest version unless read through :meth:`NoteService.versions`)."""

    id: str
    case_id: str
    kind: str
    occurred_on: date
    occurred_at: str | None
    language: str
    body: str
    significant: bool
    category: str | None
    others: str | None
    author_id: str
    author_name: str
    created_at: str
    people: dict[str, str] = field(default_factory=dict)
    """person id → name, in the order they were chosen."""
    agencies: dict[str, str] = field(default_factory=dict)
    """agency id → name."""
    amends_id: str | None = None
    amendment_reason: str | None = None

    @property
    def corrected(self) -> bool:
        """This version corrects an earlier one."""
        return self.amends_id is not None


@dataclass(frozen=True, slots=True)
class NoteHit:
    """A note found by search: the note, its case's reference and the words around the match, the
    matched words between ``[`` and ``]``."""

    note: Note
    case_reference: str
    snippet: str


def _text(value: Any) -> str:
    return str(value or "").strip()


class NoteService:
    """Thread contract: any thread; writes go through the store's writer."""

    def __init__(self, session: Any) -> None:
        self.session = session

    # -- writing --------------------------------------------------------------------------------
    def record(self, case_id: str, **fields: Any) -> dict[str, Any]:
        """A new note (see the module docstring). Returns the row with its ``parties``."""
        self.session.require(Can.RECORD_CASEWORK)
        require_case(self.session, case_id)
        note, parties = self._validate(case_id, fields)
        return self.session.write(lambda tx: _write(tx, case_id, note, parties))

    def amend(self, note_id: str, *, reason: str, **fields: Any) -> dict[str, Any]:
        """Correct a note: a new version with all its fields, pointing at ``note_id``."""
        self.session.require(Can.RECORD_CASEWORK)
        rows = self.session.store.rows("SELECT * FROM case_note WHERE id = ? AND deleted = 0", [note_id])
        if not rows:
            raise NotFound(N_("That note does not exist."))
        case_id = rows[0]["case_id"]
        require_case(self.session, case_id)
        if self.session.store.rows("SELECT 1 FROM case_note WHERE amends_id = ? AND deleted = 0", [note_id]):
            raise ValidationError(N_("This note has already been corrected; correct the latest version."),
                                  field="note")
        if not _text(reason):
            raise ValidationError(N_("Say why the note is being corrected."), field="reason")
        note, parties = self._validate(case_id, fields)
        note.update(amends_id=note_id, amendment_reason=_text(reason))
        return self.session.write(lambda tx: _write(tx, case_id, note, parties))

    def _validate(self, case_id: str, f: dict[str, Any]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        unknown = set(f) - _FIELDS
        if unknown:
            raise ValueError(f"unknown note fields {sorted(unknown)}")
        kind = f.get("kind")
        if kind not in KINDS:
            raise ValidationError(N_("Choose the kind of contact."), field="kind")
        today = self.session.today()
        day = parse_date(f.get("occurred_on"), "occurred_on")
        if day is None:
            raise ValidationError(N_("Enter the date."), field="occurred_on")
        if day > today:
            raise ValidationError(N_("A note cannot be recorded for a date in the future."), field="occurred_on")
        at = _text(f.get("occurred_at")) or None
        if at is not None and not _TIME.match(at):
            raise ValidationError(N_("Enter the time as hh:mm, for example 14:30."), field="occurred_at")
        body = _text(f.get("body"))
        if not body:
            raise ValidationError(N_("Write what happened."), field="body")
        language = f.get("language") or (current_language() if current_language() in LANGUAGES else "en")
        if language not in LANGUAGES:
            raise ValidationError(N_("Choose the language the note is written in."), field="language")
        significant = bool(f.get("significant"))
        category = f.get("category") or None
        if significant and category not in CATEGORIES:
            raise ValidationError(N_("Choose what kind of significant event it was."), field="category")
        if not significant and category is not None:
            raise ValidationError(N_("A category is for a significant event: tick it, or clear the category."),
                                  field="category")
        people = list(dict.fromkeys(f.get("people") or []))
        if people:
            on_case = {r["person_id"] for r in self.session.store.rows(
                "SELECT person_id FROM case_member WHERE case_id = ? AND deleted = 0", [case_id])}
            if any(p not in on_case for p in people):
                raise ValidationError(N_("Choose people who are on this case."), field="people")
        agencies = list(dict.fromkeys(f.get("agencies") or []))
        if agencies:
            known = {r["id"] for r in self.session.store.rows("SELECT id FROM agency WHERE deleted = 0")}
            if any(a not in known for a in agencies):
                raise ValidationError(N_("Choose agencies from the list."), field="agencies")
        note = {"kind": kind, "occurred_on": day.isoformat(), "occurred_at": at, "language": language,
                "body": body, "significant": int(significant), "category": category,
                "others": _text(f.get("others")) or None, "author_id": self.session.user.id}
        parties = [{"person_id": p} for p in people] + [{"agency_id": a} for a in agencies]
        return note, parties

    # -- reading --------------------------------------------------------------------------------
    def for_case(self, case_id: str, *, person_id: str | None = None,
                 significant_only: bool = False) -> list[Note]:
        """The latest version of each note of the case, newest first (audited)."""
        read_casework(self.session, case_id, "case_note")
        where = " AND n.significant = 1" if significant_only else ""
        notes = _notes(self.session.store, f"n.case_id = :case_id{where}", {"case_id": case_id})
        if person_id is not None:
            on_case = {r["person_id"] for r in self.session.store.rows(
                "SELECT person_id FROM case_member WHERE case_id = ? AND deleted = 0", [case_id])}
            notes = [n for n in notes if person_id in n.people or not (set(n.people) & on_case)]
        return notes

    def get(self, note_id: str) -> Note:
        """One note (any version) in scope (audited)."""
        rows = self.session.store.rows("SELECT case_id FROM case_note WHERE id = ? AND deleted = 0", [note_id])
        if not rows:
            raise NotFound(N_("That note does not exist."))
        read_casework(self.session, rows[0]["case_id"], "case_note", note_id)
        found = _notes(self.session.store, "n.id = :id", {"id": note_id}, latest_only=False)
        return found[0]

    def versions(self, note_id: str) -> list[Note]:
        """Every version of the note ``note_id`` belongs to, oldest first (audited)."""
        note = self.get(note_id)
        chain = _notes(self.session.store, "n.case_id = :case_id", {"case_id": note.case_id}, latest_only=False)
        by_id = {n.id: n for n in chain}
        by_parent = {n.amends_id: n for n in chain if n.amends_id}
        first = note
        while first.amends_id and first.amends_id in by_id:
            first = by_id[first.amends_id]
        out = [first]
        while out[-1].id in by_parent:
            out.append(by_parent[out[-1].id])
        return out

    def search(self, text: str, *, case_id: str | None = None, limit: int = SEARCH_LIMIT) -> list[NoteHit]:
        """The ``limit`` most recently recorded notes (latest versions) matching ``text`` in the cases in
        scope (or one case in it), newest first by when they happened. Each case shown is audited as read."""
        self.session.require(Can.VIEW_CASEWORK)
        if case_id is not None:
            require_case(self.session, case_id)
        query = fts_query(text)
        if query is None:
            return []
        condition, params = case_condition(self.session.user, self.session.today())
        only = " AND c.id = :only_case" if case_id is not None else ""
        # The index holds only current notes (see m0019), numbered in the order they were recorded: FTS5
        # walks the matches newest first and stops at the limit, the scope checked against the person's
        # cases worked out once (no ranking of every match, no check of corrections per row). The words
        # around each match are found in the few notes shown (FTS5's snippet() costs per match).
        found = self.session.store.rows(
            f"WITH scope AS (SELECT c.id FROM case_file c WHERE c.deleted = 0 AND ({condition}){only})"
            " SELECT f.rowid AS n, s.note_id FROM case_note_fts f JOIN case_note_search s ON s.n = f.rowid"
            " WHERE case_note_fts MATCH :query AND s.case_id IN scope ORDER BY f.rowid DESC LIMIT :limit",
            {**params, "query": query, "only_case": case_id, "limit": int(limit)})
        if not found:
            return []
        references = {r["id"]: r["reference"] for r in self.session.store.rows(
            "SELECT c.id, c.reference FROM case_file c JOIN case_note n ON n.case_id = c.id"
            " WHERE n.id IN (SELECT value FROM json_each(:ids))", {"ids": json.dumps([r["note_id"] for r in found])})}
        notes = {n.id: n for n in _notes(self.session.store, "n.id IN (SELECT value FROM json_each(:ids))",
                                         {"ids": json.dumps([r["note_id"] for r in found])}, latest_only=False)}
        marks = Highlighter(text)
        hits = [NoteHit(note, references.get(note.case_id, ""), marks.snippet(note.body, note.language))
                for r in found if (note := notes.get(r["note_id"])) is not None]
        hits.sort(key=lambda h: (h.note.occurred_on, h.note.occurred_at or "", h.note.created_at), reverse=True)
        _audit_reads(self.session, {h.note.case_id for h in hits})
        return hits


def _audit_reads(session: Any, case_ids: set[str]) -> None:
    """One transaction recording a read of notes for each case in ``case_ids`` (queued, not waited for)."""
    store = session.store
    if store.read_only is not None or not case_ids:
        return

    def record(tx: Tx) -> None:
        for case_id in sorted(case_ids):
            tx.record("read", entity="case_note", case_id=case_id)

    store.submit(record, actor=session.user.id, notify=False)


def _write(tx: Tx, case_id: str, note: dict[str, Any], parties: list[dict[str, Any]]) -> dict[str, Any]:
    row = tx.insert("case_note", note, case_id=case_id)
    rows = [tx.insert("case_note_party", {"note_id": row["id"], **p}, case_id=case_id) for p in parties]
    return {**row, "parties": rows}


_NOTES_SQL = """SELECT n.*, TRIM(COALESCE(w.given_names, '') || ' ' || COALESCE(w.family_name, '')) AS author_name
    FROM case_note n LEFT JOIN practitioner w ON w.id = n.author_id
    WHERE n.deleted = 0 AND {where}{latest}
    ORDER BY n.occurred_on DESC, COALESCE(n.occurred_at, '') DESC, n.created_at DESC"""
_LATEST = " AND NOT EXISTS (SELECT 1 FROM case_note a WHERE a.amends_id = n.id AND a.deleted = 0)"
_PARTIES_SQL = """SELECT p.note_id, p.person_id, p.agency_id,
       TRIM(COALESCE(x.preferred_name, x.given_names, '') || ' ' || COALESCE(x.family_name, '')) AS person_name,
       g.name AS agency_name
    FROM case_note_party p LEFT JOIN person x ON x.id = p.person_id LEFT JOIN agency g ON g.id = p.agency_id
    WHERE p.deleted = 0 AND p.note_id IN (SELECT n.id FROM case_note n WHERE n.deleted = 0 AND {where})
    ORDER BY p.created_at, p.rowid"""


def _notes(store: Any, where: str, params: dict[str, Any], *, latest_only: bool = True) -> list[Note]:
    """Notes matching ``where`` (on ``case_note AS n``), with their parties; no checks (callers check)."""
    rows = store.rows(_NOTES_SQL.format(where=where, latest=_LATEST if latest_only else ""), params)
    people: dict[str, dict[str, str]] = {}
    agencies: dict[str, dict[str, str]] = {}
    for p in store.rows(_PARTIES_SQL.format(where=where), params):
        if p["person_id"]:
            people.setdefault(p["note_id"], {})[p["person_id"]] = p["person_name"] or ""
        elif p["agency_id"]:
            agencies.setdefault(p["note_id"], {})[p["agency_id"]] = p["agency_name"] or ""
    return [note_of(r, people.get(r["id"], {}), agencies.get(r["id"], {})) for r in rows]


def note_of(r: dict[str, Any], people: dict[str, str] | None = None,
            agencies: dict[str, str] | None = None) -> Note:
    """A :class:`Note` from a ``case_note`` row (with ``author_name``)."""
    return Note(
        id=r["id"], case_id=r["case_id"], kind=r["kind"], occurred_on=date.fromisoformat(r["occurred_on"]),
        occurred_at=r["occurred_at"], language=r["language"], body=r["body"], significant=bool(r["significant"]),
        category=r["category"], others=r["others"], author_id=r["author_id"],
        author_name=r.get("author_name") or "", created_at=r["created_at"], people=people or {},
        agencies=agencies or {}, amends_id=r["amends_id"], amendment_reason=r["amendment_reason"])
