"""The caseload's search and sort table (``caseload_index``, migration m0022): the SQL functions it needs.

Contract: ``caseload_index`` holds one row per case with what the caseload list shows, searches and
sorts on that is not a column of ``case_file`` itself (the subjects' names, the earliest date of birth,
their identifiers and the casefolded search text). It is in step in everything committed: the triggers
on ``case_file``, ``case_member`` and ``person`` only note, through ``diogel_caseload_case`` /
``diogel_caseload_person``, which cases and people a transaction touched, and :func:`flush` writes
those cases' rows again, once each, just before the store commits (``Store._transact``); a rolled-back
transaction's notes are dropped with :func:`discard`. Nothing else writes it. A trigger that worked
the row out itself made every insert or update of those tables 14 times dearer, even when it did
nothing: SQLite sets up a trigger's whole program (here the view's many subqueries) for every row.
Every connection that may write (and the migration's own) registers the functions with :func:`register`.
The texts are exactly those :meth:`desktop.services.cases.CaseService.caseload` makes in Python
(a test compares them), so a search in SQL finds exactly what a search over the whole list finds.
The same write keeps ``caseload_search`` (m0025), the trigram index of those texts, in step: a term of
three characters or more looks up its candidates there (:func:`trigram_match`) instead of reading every
case's text.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

COLUMNS = ("case_id, seq, subjects, date_of_birth, identifiers, search_text, subjects_key, reference_key,"
           " dob_key")
"""``caseload_index``'s columns, in order (as ``caseload_source`` gives them)."""


def fold(text: str | None) -> str | None:
    """Python's ``str.casefold`` (SQLite's ``lower`` folds ASCII only: Ŵ, Ŷ would not match)."""
    return None if text is None else text.casefold()


def words(text: str | None) -> str:
    """``text`` with runs of white space made one space, trimmed (as the list joins identifiers)."""
    return " ".join((text or "").split())


def uk_date(iso: str | None) -> str:
    """An ISO date as typed in the UK (23/11/2026), so a search finds either form."""
    if not iso or len(iso) < 10:
        return ""
    return f"{iso[8:10]}/{iso[5:7]}/{iso[0:4]}"


@dataclass
class _Touched:
    cases: set[str] = field(default_factory=set)
    people: set[str] = field(default_factory=set)


_NOTES = threading.local()  # per writing thread: a trigger's function runs in the thread of its statement


def _notes() -> _Touched:
    notes: _Touched | None = getattr(_NOTES, "touched", None)
    if notes is None:
        notes = _NOTES.touched = _Touched()
    return notes


def _case(case_id: str | None) -> None:
    """Trigger: ``case_id``'s row is to be written again before the commit."""
    if case_id is not None:
        _notes().cases.add(case_id)


def _person(person_id: str | None) -> None:
    """Trigger: the rows of ``person_id``'s cases are to be written again before the commit."""
    if person_id is not None:
        _notes().people.add(person_id)


def flush(conn: Any) -> None:
    """In the writing transaction, just before it commits: write again the rows of the cases this
    thread's statements touched (see the module docstring)."""
    notes: _Touched | None = getattr(_NOTES, "touched", None)
    if notes is None or not (notes.cases or notes.people):
        return
    _NOTES.touched = None
    rebuild(conn, notes.cases, notes.people)


def discard() -> None:
    """The transaction was rolled back: forget what its statements touched."""
    _NOTES.touched = None


def rebuild(conn: Any, case_ids: Collection[str], person_ids: Collection[str] = ()) -> None:
    """Write again the ``caseload_index`` rows of ``case_ids`` and of the cases ``person_ids`` are members of
    (a case no longer in ``case_file`` loses its row). One statement per case, by its id — the lookup
    the triggers make — so the cost is that of the cases touched, never of the whole table (a view
    filtered by a list of ids is worked out for every case first)."""
    cases = set(case_ids)
    if person_ids:
        cases.update(r[0] for r in conn.execute(
            "SELECT DISTINCT case_id FROM case_member WHERE person_id IN (SELECT value FROM json_each(?))",
            [json.dumps(sorted(person_ids))]))
    ids = [(case_id,) for case_id in sorted(cases)]
    search = _has_search(conn)
    if search:  # an external-content index forgets a text only when told the text it indexed
        conn.executemany("INSERT INTO caseload_search(caseload_search, rowid, search_text)"
                         " SELECT 'delete', seq, search_text FROM caseload_index WHERE case_id = ?", ids)
    conn.executemany("DELETE FROM caseload_index WHERE case_id = ?", ids)
    conn.executemany(f"INSERT INTO caseload_index SELECT {COLUMNS} FROM caseload_source"  # noqa: S608 - fixed text
                     " WHERE case_id = ?", ids)
    if search:
        conn.executemany("INSERT INTO caseload_search(rowid, search_text)"
                         " SELECT seq, search_text FROM caseload_index WHERE case_id = ?", ids)


def _has_search(conn: Any) -> bool:
    """Whether ``caseload_search`` exists (not while the migrations before m0025 run)."""
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'caseload_search'").fetchone() \
        is not None


TRIGRAM = 3
"""The trigram index answers terms of at least this many characters (code points, as SQLite counts them)."""


def trigram_match(terms: Collection[str]) -> str | None:
    """An FTS5 query for ``caseload_search`` that every text containing all of ``terms`` matches: the
    AND of trigrams of each long-enough term, each quoted as a phrase of one token. A candidate filter
    only: the caller still tests each term itself (a text may hold a term's trigrams apart). ``None``
    when no term can be looked up: every term shorter than :data:`TRIGRAM` (or holding a NUL, which
    FTS5's query syntax cannot quote) is left to the caller's own test alone.

    Only the trigrams that cover the term end to end without overlapping (and the last) are asked for:
    every one is a list of cases to read, and those cover each character of the term already."""
    grams = sorted({term[i:i + TRIGRAM] for term in terms if "\x00" not in term and len(term) >= TRIGRAM
                    for i in {*range(0, len(term) - TRIGRAM + 1, TRIGRAM), len(term) - TRIGRAM}})
    if not grams:
        return None
    return " AND ".join('"' + gram.replace('"', '""') + '"' for gram in grams)


def register(conn: Any) -> None:
    """Register the functions on a DB-API connection (sqlite3 or sqlcipher3)."""
    conn.create_function("diogel_fold", 1, fold, deterministic=True)
    conn.create_function("diogel_words", 1, words, deterministic=True)
    conn.create_function("diogel_uk_date", 1, uk_date, deterministic=True)
    conn.create_function("diogel_caseload_case", 1, _case)
    conn.create_function("diogel_caseload_person", 1, _person)
