"""Where the caseload list gets its rows, a page at a time (Qt-free; any thread).

A *source* answers two questions for a :class:`~desktop.services.cases.CaseloadQuery` (search terms,
filters, sort): the first page with the counts the list shows (:meth:`CaseloadSource.first`), and
the page after a given point (:meth:`CaseloadSource.more`). The list never asks for the whole
caseload; what a source reads to answer is its own affair:

* :class:`ServiceSource` reads the signed-in person's caseload through
  :meth:`CaseService.caseload_page` / :meth:`CaseService.caseload_count` (SQL over
  ``caseload_index``; the service checks scope). Only a sort by a due column (Next due, Overdue)
  reads the matching rows whole, because their order needs what is due for every case — and only
  while that sort is chosen.
* :class:`ListSource` holds rows already in memory (tests, and any list made without a store) and
  filters and sorts them in Python exactly as the SQL does: ties in the rows' own order.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Collection
from dataclasses import dataclass, replace
from datetime import date
from operator import attrgetter
from typing import Any, Protocol

from desktop.domain.types import label
from desktop.domain.urgency import Urgency
from desktop.services.cases import CaseloadQuery, CaseRow, CaseService
from desktop.services.my_work import CaseDue, MyWorkService
from desktop.services.permissions import Can
from desktop.sync.conflicts import flagged_cases

DUE_COLUMNS = ("next_due", "overdue")
"""The columns worked out by the due engine, not kept in the store (sorted in Python)."""


@dataclass(frozen=True, slots=True)
class CaseFilter:
    """Search terms (casefolded) and the three filters; empty means "everything"."""

    terms: tuple[str, ...] = ()
    case_type: str | None = None
    team_id: str | None = None
    worker_id: str | None = None


@dataclass(frozen=True, slots=True)
class Answer:
    """A page of rows in the query's order, where the next page starts (opaque to the list) and
    whether there may be more. The first page also carries the counts and the cases with an open
    sync conflict."""

    rows: list[CaseRow]
    after: object
    more: bool
    matching: int | None = None
    """How many cases pass the query (first page only)."""
    total: int | None = None
    """How many cases the caseload holds, search and filters aside (first page only)."""
    flagged: frozenset[str] | None = None
    """Cases with an open sync conflict (first page only)."""


class CaseloadSource(Protocol):
    immediate: bool
    """True when answers are at hand (held in memory): the list asks in the GUI thread, no worker."""

    def first(self, query: CaseloadQuery, limit: int) -> Answer:
        """The first page; its counts may be ``None`` (then :meth:`count` is asked once it is shown)."""
        ...

    def count(self, query: CaseloadQuery) -> tuple[int, int]:
        """How many cases pass ``query``, and how many the caseload holds."""
        ...

    def more(self, query: CaseloadQuery, after: object, limit: int) -> Answer: ...


def sort_keys(column: str, rows: list[CaseRow], due: dict[str, CaseDue]) -> list[Any]:
    """One sort key per row for ``column``, in the order of ``rows`` (as the SQL sorts: names and
    texts casefolded, case types by their label in the interface language)."""
    if column == "next_due":  # most urgent first, nothing due last
        far = (len(Urgency), date.max)
        return [(due[r.case_id].next.urgency.rank, due[r.case_id].next.due) if r.case_id in due else far
                for r in rows]  # fmt: skip
    if column == "overdue":
        return [due[r.case_id].overdue if r.case_id in due else 0 for r in rows]
    if column == "case_type":
        names = {t: label(t).casefold() for t in {r.case_type for r in rows}}
        return [names[r.case_type] for r in rows]
    if column == "registered":
        return [r.registered for r in rows]
    if column == "date_of_birth":
        return [r.date_of_birth or "" for r in rows]
    get = attrgetter(column)
    return [str(get(r) or "").casefold() for r in rows]


def order_rows(rows: list[CaseRow], query: CaseloadQuery, due: dict[str, CaseDue]) -> list[CaseRow]:
    """The rows that pass ``query``, in its order (a stable sort: ties keep the order of ``rows``).
    One list comprehension per criterion and one ``sorted`` over built-in keys: fast in Python."""
    acc: list[bool] | None = None
    if query.terms:
        texts = [r.search_text for r in rows]
        for term in query.terms:
            acc = [term in t for t in texts] if acc is None else [a and term in t for a, t in zip(acc, texts, strict=True)]
    for attr, value in (("case_type", query.case_type), ("team_id", query.team_id), ("worker_id", query.worker_id)):
        if value:
            hits = [getattr(r, attr) == value for r in rows]
            acc = hits if acc is None else [a and h for a, h in zip(acc, hits, strict=True)]
    shown = rows if acc is None else [r for r, ok in zip(rows, acc, strict=True) if ok]
    if query.sort is None:
        return list(shown)
    keys = sort_keys(query.sort, shown, due)
    positions = sorted(range(len(keys)), key=keys.__getitem__, reverse=query.descending)
    return [shown[i] for i in positions]


class _Ordered:
    """The last ordered list a source made, kept for the pages after the first (any thread)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._held: tuple[CaseloadQuery, list[CaseRow]] | None = None

    def keep(self, query: CaseloadQuery, rows: list[CaseRow]) -> None:
        with self._lock:
            self._held = (query, rows)

    def get(self, query: CaseloadQuery) -> list[CaseRow] | None:
        with self._lock:
            return self._held[1] if self._held is not None and self._held[0] == query else None


def _filtered(query: CaseloadQuery) -> bool:
    return bool(query.terms or query.case_type or query.team_id or query.worker_id)


def _slice(rows: list[CaseRow], start: int, limit: int) -> tuple[list[CaseRow], int, bool]:
    end = start + max(limit, 0)
    return rows[start:end], end, end < len(rows)


class ListSource:
    """Rows held in memory, filtered and sorted in Python. ``due`` gives the due columns for a sort by
    them (called in the thread that asks)."""

    immediate = True

    def __init__(self, rows: list[CaseRow], flagged: Collection[str] = (),
                 due: Callable[[], dict[str, CaseDue]] = dict) -> None:
        self._rows = list(rows)
        self._flagged = frozenset(flagged)
        self._due = due
        self._ordered = _Ordered()

    def first(self, query: CaseloadQuery, limit: int) -> Answer:
        ordered = order_rows(self._rows, query, self._due())
        self._ordered.keep(query, ordered)
        page, after, more = _slice(ordered, 0, limit)
        return Answer(page, after, more, len(ordered), len(self._rows), self._flagged)

    def count(self, query: CaseloadQuery) -> tuple[int, int]:
        return len(order_rows(self._rows, query, {})), len(self._rows)

    def more(self, query: CaseloadQuery, after: object, limit: int) -> Answer:
        ordered = self._ordered.get(query)
        if ordered is None:
            ordered = order_rows(self._rows, query, self._due())
            self._ordered.keep(query, ordered)
        page, end, more = _slice(ordered, int(after), limit)  # type: ignore[call-overload]
        return Answer(page, end, more)


class ServiceSource:
    """The signed-in person's caseload, read by SQL a page at a time (called on a worker)."""

    immediate = False

    def __init__(self, session: Any) -> None:
        self.session = session
        self._ordered = _Ordered()

    def first(self, query: CaseloadQuery, limit: int) -> Answer:
        """The first page; the counts only when the page itself tells them (it holds every match)."""
        cases = CaseService(self.session)
        flagged = frozenset(flagged_cases(self.session.store))
        after: object
        if query.sort in DUE_COLUMNS:
            ordered = self._due_sorted(cases, query)
            page, after, more = _slice(ordered, 0, limit)
            matching: int | None = len(ordered)
        else:
            read = cases.caseload_page(query, None, limit)
            page, after, more = read.rows, read.cursor, read.more
            matching = None if more else len(page)
        total = matching if not _filtered(query) else None
        return Answer(page, after, more, matching, total, flagged)

    def count(self, query: CaseloadQuery) -> tuple[int, int]:
        """How many cases pass ``query``, and how many the caseload holds."""
        cases = CaseService(self.session)
        total = cases.caseload_count(CaseloadQuery())
        unsorted = replace(query, sort=None, descending=False)  # the order changes no count
        return (cases.caseload_count(unsorted) if _filtered(query) else total), total

    def more(self, query: CaseloadQuery, after: object, limit: int) -> Answer:
        if query.sort in DUE_COLUMNS:
            ordered = self._ordered.get(query)
            if ordered is None:  # another sort came between: worked out again
                ordered = self._due_sorted(CaseService(self.session), query)
            page, end, more = _slice(ordered, int(after), limit)  # type: ignore[call-overload]
            return Answer(page, end, more)
        read = CaseService(self.session).caseload_page(query, after, limit)  # type: ignore[arg-type]
        return Answer(read.rows, read.cursor, read.more)

    def _due_sorted(self, cases: CaseService, query: CaseloadQuery) -> list[CaseRow]:
        """Every case that passes ``query`` (in case-file order, by SQL) ordered by what is due."""
        unsorted = replace(query, sort=None, descending=False)
        rows: list[CaseRow] = []
        read = cases.caseload_page(unsorted, None, 5000)
        while True:
            rows += read.rows
            if not read.more:
                break
            read = cases.caseload_page(unsorted, read.cursor, 5000)
        due = MyWorkService(self.session).by_case() if self.session.can(Can.VIEW_CASEWORK) else {}
        ordered = order_rows(rows, query, due)
        self._ordered.keep(query, ordered)
        return ordered
