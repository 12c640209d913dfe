"""The caseload's search and sort table (``caseload_index``, migration m0022): the SQL functions it needs.

Contract: ``caseload_index`` holds one row per case with what the caseload list shows, searches and
sorts on that is not a column of ``case_file`` itself (the subjects' names, the earliest date of birth,
their identifiers and the casefolded search text). Triggers keep it in step in the writing transaction;
nothing else writes it. The triggers call the three deterministic functions below, so every
connection that may write (and the migration's own) registers them with :func:`register`.
The texts are exactly those :meth:`desktop.services.cases.CaseService.caseload` makes in Python
(a test compares them), so a search in SQL finds exactly what a search over the whole list finds.
"""

from __future__ import annotations

from typing import Any


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


def register(conn: Any) -> None:
    """Register the functions on a DB-API connection (sqlite3 or sqlcipher3)."""
    conn.create_function("diogel_fold", 1, fold, deterministic=True)
    conn.create_function("diogel_words", 1, words, deterministic=True)
    conn.create_function("diogel_uk_date", 1, uk_date, deterministic=True)
