"""Where the committee's figures read their rows (Qt-free): one small protocol that the laptop's
encrypted SQLite and the server's PostgreSQL row store both provide, so that one implementation
(:mod:`desktop.services.committee_figures`, :mod:`desktop.services.committee_measures`) counts on both.

Contract:

* :class:`RowSource` ``rows(table, columns, present=())`` — the live (not deleted) rows of one synced
  table, each a tuple of the named columns in the order asked, with the values as the laptop's column
  holds them: text as ``str`` (dates as ISO text, JSON lists as JSON text), integers as ``int``, missing
  as ``None``; ``id`` and ``case_id`` as text ids. A column named ``ref.name`` is ``name`` of the live
  row that the row's ``ref`` column points at (its foreign key in the laptop's schema), or ``None`` when
  there is none — a lookup both sources do in their database (two million visits need it). ``present``:
  only rows where each of those columns is set. Row order is not specified. ``has_table(table)`` says
  whether the table exists at all (a profile made by an older build lacks the later ones).
  ``prefetch(requests)`` is a hint: the reads about to be made, which a source may make ahead all at once
  (the server makes them side by side in one snapshot); it changes no answer.
* :data:`READS` names every table and column the committee's figures read, and :data:`AMENDED` the
  append-only tables whose amendments they read — nothing else is asked for, so a source fetches exactly
  that (the server reads those keys out of its JSON rows); the statistical returns (:mod:`server.returns`)
  ask for a few more columns the same way.
* :class:`Tables` is one report's view of a source: each read made once, however many measures use it.
* :class:`StoreRows` is the laptop's source (its own encrypted store: sync has already limited it to
  the person's scope); the server's is :class:`server.figures.ServerRows`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
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
    # each child's part in a visit, with the visit's own day and whether access was denied
    "cp_visit_child": ("visit_id", "person_id", "seen_alone", "seen_at_home", "visit_id.visited_on",
                       "visit_id.access_denied"),
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

AMENDED = ("adult_plan_review", "cp_core_group", "cp_strategy", "cp_visit", "lac_review")
"""Append-only records a later amendment replaces: the figures read their ``amends_id`` where it is set."""

Read = tuple[str, tuple[str, ...], tuple[str, ...]]
"""One read: the table, its columns, the columns that must be set."""


def committee_reads() -> list[Read]:
    """Every read the committee's figures make (for :meth:`RowSource.prefetch`)."""
    return [(t, cols, ()) for t, cols in READS.items()] + [(t, ("amends_id",), ("amends_id",)) for t in AMENDED]


_NAME = re.compile(r"[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)?")


class RowSource(Protocol):
    """Rows of synced tables as plain data (see the module docstring)."""

    def rows(self, table: str, columns: Sequence[str], present: Sequence[str] = ()) -> Iterable[tuple[Any, ...]]: ...

    def has_table(self, table: str) -> bool: ...

    def prefetch(self, requests: Sequence[Read]) -> None: ...


class Tables:
    """One report's reads from a :class:`RowSource`: each read made once and kept for the report's
    lifetime (thread contract: one thread)."""

    def __init__(self, source: RowSource) -> None:
        self.source = source
        self._rows: dict[Read, list[tuple[Any, ...]]] = {}
        self._derived: dict[str, Any] = {}

    def __call__(self, table: str, columns: Sequence[str] | None = None,
                 present: Sequence[str] = ()) -> list[tuple[Any, ...]]:
        """The live rows of ``table``, each a tuple of ``columns`` (by default the committee's
        ``READS[table]``), only those with every ``present`` column set; no rows when the table does not
        exist in this source."""
        key = (table, tuple(columns) if columns is not None else READS[table], tuple(present))
        got = self._rows.get(key)
        if got is None:
            got = list(self.source.rows(table, key[1], key[2])) if self.source.has_table(table) else []
            self._rows[key] = got
        return got

    def prefetch(self, requests: Sequence[Read]) -> None:
        """Tell the source which reads are about to be made (see :class:`RowSource`)."""
        self.source.prefetch([r for r in requests if r not in self._rows and self.source.has_table(r[0])])

    def derived(self, key: str, make: Callable[[Tables], T]) -> T:
        """``make(self)``, worked out once per report (a join several measures share)."""
        if key not in self._derived:
            self._derived[key] = make(self)
        got: T = self._derived[key]
        return got

    def amended(self, table: str) -> frozenset[str]:
        """Ids of the rows of an append-only ``table`` that a live amendment replaces (the amendment, a
        row whose ``amends_id`` names them, is the current record)."""
        return self.derived(f"amended:{table}", lambda t: frozenset(
            r[0] for r in t(table, ("amends_id",), ("amends_id",))))


class StoreRows:
    """The laptop's :class:`RowSource`: its own encrypted store (read-only, any thread)."""

    def __init__(self, store: Any) -> None:
        self.store = store

    def prefetch(self, requests: Sequence[Read]) -> None:
        """Nothing to do: the laptop's reads are local."""

    def has_table(self, table: str) -> bool:
        return bool(self.store.rows("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [table]))

    def rows(self, table: str, columns: Sequence[str], present: Sequence[str] = ()) -> list[tuple[Any, ...]]:
        if not _NAME.fullmatch(table) or not all(_NAME.fullmatch(c) for c in (*columns, *present)):
            raise ValueError(f"not a table or column name: {table} {columns} {present}")
        keys = {r["from"]: r["table"] for r in self.store.rows(f"PRAGMA foreign_key_list([{table}])")}
        joins: dict[str, str] = {}  # the column pointing out -> the alias of the row it points at
        listed = []
        for i, name in enumerate(columns):  # each answer named c0, c1, …: no two may share a name
            ref, _, col = name.rpartition(".")
            if not ref:
                listed.append(f"r.[{col}] AS c{i}")
                continue
            if ref not in keys:
                raise ValueError(f"{table}.{ref} points at no table")
            alias = joins.setdefault(ref, f"j{len(joins)}")
            listed.append(f"{alias}.[{col}] AS c{i}")
        sql = f"SELECT {', '.join(listed)} FROM [{table}] r"
        for ref, alias in joins.items():
            sql += f" LEFT JOIN [{keys[ref]}] {alias} ON {alias}.id = r.[{ref}] AND {alias}.deleted = 0"
        sql += " WHERE r.deleted = 0" + "".join(f" AND r.[{c}] IS NOT NULL" for c in present)
        return [tuple(r.values()) for r in self.store.rows(sql)]
