"""The caseload's search and sort table (``caseload_index``, migration m0022): the SQL functions it needs.

Contract: ``caseload_index`` holds one row per case with what the caseload list shows, searches and
sorts on that is not a column of ``case_file`` itself (the subjects' names, the earliest date of birth,
their identifiers and the casefolded search text). Triggers keep it in step in the writing transaction;
nothing else writes it. The triggers call the functions below, so every connection that may write
(and the migration's own) registers them with :func:`register`.

A bulk write (a pull of a first sync: thousands of cases, members and people in one transaction)
would have the triggers work out a case's row again for each of its rows. Inside :func:`deferred` the
triggers only note which cases and people were touched (``diogel_caseload_case``/``_person`` return 0,
so the trigger does nothing), and on leaving it those cases' rows are written again in two statements,
in the same transaction: the table is never out of step in anything committed.
The texts are exactly those :meth:`desktop.services.cases.CaseService.caseload` makes in Python
(a test compares them), so a search in SQL finds exactly what a search over the whole list finds.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Collection, Iterator
from contextlib import contextmanager
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


_DEFERRED = threading.local()  # the writing thread's notes while deferred (a statement runs in its caller's thread)


def _case(case_id: str | None) -> int:
    """Trigger condition: 1 to refresh now; 0 (the case noted) while deferred."""
    touched: _Touched | None = getattr(_DEFERRED, "touched", None)
    if touched is None:
        return 1
    if case_id is not None:
        touched.cases.add(case_id)
    return 0


def _person(person_id: str | None) -> int:
    """Trigger condition: 1 to refresh now; 0 (the person noted) while deferred."""
    touched: _Touched | None = getattr(_DEFERRED, "touched", None)
    if touched is None:
        return 1
    if person_id is not None:
        touched.people.add(person_id)
    return 0


@contextmanager
def deferred(conn: Any) -> Iterator[None]:
    """Within the block (in this thread, inside a writing transaction on ``conn``) the triggers leave
    ``caseload_index`` alone and note what they touch; on leaving it normally, the rows of the cases
    touched (and of the people's cases) are written again from ``caseload_source``. On an error
    nothing is written: the transaction is rolled back by its caller."""
    if getattr(_DEFERRED, "touched", None) is not None:  # already deferred (nested): the outer block rebuilds
        yield
        return
    touched = _DEFERRED.touched = _Touched()
    try:
        yield
    finally:
        _DEFERRED.touched = None
    rebuild(conn, touched.cases, touched.people)


def rebuild(conn: Any, case_ids: Collection[str], person_ids: Collection[str] = ()) -> None:
    """Write again the ``caseload_index`` rows of ``case_ids`` and of the cases ``person_ids`` are members of
    (a case no longer in ``case_file`` loses its row): two statements however many cases."""
    if not case_ids and not person_ids:
        return
    touched = ("SELECT value FROM json_each(:cases) UNION SELECT case_id FROM case_member"
               " WHERE person_id IN (SELECT value FROM json_each(:people))")
    params = {"cases": json.dumps(sorted(case_ids)), "people": json.dumps(sorted(person_ids))}
    conn.execute(f"DELETE FROM caseload_index WHERE case_id IN ({touched})", params)  # noqa: S608 - fixed text
    conn.execute(f"INSERT INTO caseload_index SELECT {COLUMNS} FROM caseload_source"  # noqa: S608
                 f" WHERE case_id IN ({touched})", params)


def register(conn: Any) -> None:
    """Register the functions on a DB-API connection (sqlite3 or sqlcipher3)."""
    conn.create_function("diogel_fold", 1, fold, deterministic=True)
    conn.create_function("diogel_words", 1, words, deterministic=True)
    conn.create_function("diogel_uk_date", 1, uk_date, deterministic=True)
    conn.create_function("diogel_caseload_case", 1, _case)
    conn.create_function("diogel_caseload_person", 1, _person)
