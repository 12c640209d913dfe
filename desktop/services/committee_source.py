"""Where the committee's figures read their rows (Qt-free): one small protocol that the laptop's
encrypted SQLite and the server's PostgreSQL row store both provide, so that one implementation
(:mod:`desktop.services.committee`, :mod:`desktop.services.committee_measures`) counts on both.

Contract:

* :class:`RowSource` ``rows(table, columns)`` — the live (not deleted) rows of one synced table, each a
  tuple of the named columns in the order asked, with the values as the laptop's column holds them:
  text as ``str`` (dates as ISO text, JSON lists as JSON text), integers as ``int``, missing as
  ``None``; ``id`` and ``case_id`` as text ids. Row order is not specified. ``has_table(table)`` says
  whether the table exists at all (a profile made by an older build lacks the later ones).
  ``prefetch(requests)`` is a hint: the tables (and columns) about to be read, which a source may read
  ahead all at once (the server reads them side by side in one snapshot); it changes no answer.
* :data:`READS` names every table and column the committee's figures read — nothing else is asked for,
  so a source fetches exactly that (the server reads those keys out of its JSON rows); the statistical
  returns (:mod:`server.returns`) ask for a few more columns the same way.
* :class:`Tables` is one report's view of a source: each table read once, however many measures use it.
* :class:`StoreRows` is the laptop's source (its own encrypted store: sync has already limited it to
  the person's scope); the server's is :class:`server.figures.ServerRows`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Protocol, TypeVar

T = TypeVar("T")

READS: dict[str, tuple[str, ...]] = {
    "adult_enquiry": ("case_id", "concluded_on"),
    "adult_plan": ("id", "case_id", "person_id", "started_on", "ended_on"),
    "adult_plan_review": ("id", "plan_id", "reviewed_on", "amends_id"),
    "adult_report": ("case_id", "received_on", "screening_decision"),
    "case_file": ("id", "case_type", "team_id", "opened_on", "closed_on"),
    "case_member": ("case_id", "person_id", "role", "to_date"),
    "cp_conference": ("case_id", "child_ids", "kind", "status", "held_on"),
    "cp_core_group": ("id", "case_id", "held_on", "amends_id"),
    "cp_enquiry": ("case_id", "person_id", "determination", "determined_on"),
    "cp_strategy": ("id", "case_id", "child_ids", "held_on", "amends_id"),
    "cp_visit": ("id", "visited_on", "access_denied", "amends_id"),
    "cp_visit_child": ("visit_id", "person_id", "seen_alone", "seen_at_home"),
    "lac_episode": ("id", "case_id", "person_id", "started_on", "ended_on"),
    "lac_placement": ("person_id", "episode_id", "permanent_home", "start_on"),
    "lac_review": ("id", "episode_id", "held_on", "amends_id"),
    "letter": ("language", "source_event", "status", "printed_at"),
    "person": ("id", "date_of_birth", "correspondence_language"),
    "proceedings": ("person_id", "kind", "started_on", "ended_on"),
    "register_entry": ("id", "case_id", "person_id", "registered_on", "deregistered_on", "categories"),
    "rule_exception": ("case_id", "person_id", "rule_id", "from_date", "until_date", "ended_on"),
    "team": ("id", "name"),
}
"""Every table the committee's figures read, and the columns they read from it."""

_NAME = re.compile(r"[a-z_][a-z0-9_]*")


class RowSource(Protocol):
    """Rows of synced tables as plain data (see the module docstring)."""

    def rows(self, table: str, columns: Sequence[str]) -> Iterable[tuple[Any, ...]]: ...

    def has_table(self, table: str) -> bool: ...

    def prefetch(self, requests: Mapping[str, Sequence[str]]) -> None: ...


class Tables:
    """One report's reads from a :class:`RowSource`: each table's columns read once and kept for the
    report's lifetime (thread contract: one thread)."""

    def __init__(self, source: RowSource) -> None:
        self.source = source
        self._rows: dict[tuple[str, tuple[str, ...]], list[tuple[Any, ...]]] = {}
        self._amended: dict[str, frozenset[str]] = {}
        self._derived: dict[str, Any] = {}

    def __call__(self, table: str, columns: Sequence[str] | None = None) -> list[tuple[Any, ...]]:
        """The live rows of ``table``, each a tuple of ``columns`` (by default the committee's
        ``READS[table]``); no rows when the table does not exist in this source."""
        cols = tuple(columns) if columns is not None else READS[table]
        got = self._rows.get((table, cols))
        if got is None:
            got = list(self.source.rows(table, cols)) if self.source.has_table(table) else []
            self._rows[(table, cols)] = got
        return got

    def derived(self, key: str, make: Callable[[Tables], T]) -> T:
        """``make(self)``, worked out once per report (a join several measures share)."""
        if key not in self._derived:
            self._derived[key] = make(self)
        got: T = self._derived[key]
        return got

    def prefetch(self, requests: Mapping[str, Sequence[str]]) -> None:
        """Tell the source which tables are about to be read (see :class:`RowSource`)."""
        self.source.prefetch({t: tuple(c) for t, c in requests.items() if (t, tuple(c)) not in self._rows})

    def amended(self, table: str) -> frozenset[str]:
        """Ids of the rows of an append-only ``table`` that a live amendment replaces (the amendment, a
        row whose ``amends_id`` names them, is the current record)."""
        got = self._amended.get(table)
        if got is None:
            at = READS[table].index("amends_id")
            got = frozenset(r[at] for r in self(table) if r[at])
            self._amended[table] = got
        return got


class StoreRows:
    """The laptop's :class:`RowSource`: its own encrypted store (read-only, any thread)."""

    def __init__(self, store: Any) -> None:
        self.store = store

    def prefetch(self, requests: Mapping[str, Sequence[str]]) -> None:
        """Nothing to do: the laptop's reads are local."""

    def has_table(self, table: str) -> bool:
        return bool(self.store.rows("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [table]))

    def rows(self, table: str, columns: Sequence[str]) -> list[tuple[Any, ...]]:
        if not _NAME.fullmatch(table) or not all(_NAME.fullmatch(c) for c in columns):
            raise ValueError(f"not a table or column name: {table} {columns}")
        listed = ", ".join(f"[{c}]" for c in columns)
        found = self.store.rows(f"SELECT {listed} FROM [{table}] WHERE deleted = 0")
        return [tuple(r.values()) for r in found]
