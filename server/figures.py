"""The authority's figures on the server: the committee report over every case (or one team's), from the
same code that makes a laptop's (issue 21).

Contract:

* :class:`ServerRows` is the server's :class:`desktop.services.committee_source.RowSource`: the live rows
  of one record type out of the JSON row store, each a tuple of the columns asked for, with the values
  as a laptop's SQLite column would hold them (text as text, integers as ``int``; ``id`` and ``case_id``
  as text). With ``team_id`` it keeps only the rows of that team's cases (by the server's allocation)
  and the rows of no case (people, staff, teams).
* :func:`require_figures` — only senior managers and performance officers run the authority's figures
  (:data:`server.auth.FIGURES_ROLES`); anyone else gets :class:`FiguresRefused`.
* :func:`committee_stats` counts with :func:`desktop.services.committee_figures.compute_stats` — no second
  implementation — in the caller's transaction (REPEATABLE READ: one snapshot of the whole authority),
  and writes one ``audit`` row (``report.committee``: who, the period, the team, how it was asked for).
  :func:`committee_report` draws it with :func:`reports.render_committee_report`.
* :func:`check_period` refuses a period that ends before it starts, starts before 2000, ends more than a
  year after today or spans more than ten years (:class:`BadPeriod`; every refusal of input is a
  :class:`FiguresInput` with a message for the person asking).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, TypeAlias
from uuid import UUID

import psycopg
from psycopg import sql
from psycopg.rows import tuple_row
from psycopg.types.json import Jsonb

import reports
from desktop.domain.calendar import default_calendar
from desktop.domain.rules import RuleSet
from desktop.services.committee_figures import compute_stats
from desktop.services.committee_source import Read
from desktop.store.rowspec import spec
from reports import CommitteeStats, CouncilIdentity, render_committee_report
from server.auth import FIGURES_ROLES, User
from server.db import DbConn

EXAMPLE_COUNCIL = Path(reports.__file__).resolve().parent / "council.example.json"
EARLIEST = date(2000, 1, 1)
LONGEST = timedelta(days=3653)
ReaderConnect: TypeAlias = Callable[[], psycopg.Connection[Any]]
"""Opens one more connection to the database for :meth:`ServerRows.prefetch`; any row factory will do,
as the readers ask their cursors for tuples."""


class FiguresRefused(Exception):
    """The user's role may not have the authority's figures."""


class FiguresInput(ValueError):
    """Something asked for cannot be reported as given (the message says why)."""


class BadPeriod(FiguresInput):
    """The period asked for cannot be reported."""


def require_figures(user: User) -> None:
    if user.role not in FIGURES_ROLES:
        raise FiguresRefused("only a senior manager or a performance officer may have the authority's figures")


def check_period(start: date, end: date, today: date) -> None:
    if end < start:
        raise BadPeriod("the end of the period is before its start")
    if start < EARLIEST:
        raise BadPeriod(f"the period must start on or after {EARLIEST.isoformat()}")
    if end > today + timedelta(days=366):
        raise BadPeriod("the period must end no more than a year from today")
    if end - start > LONGEST:
        raise BadPeriod("the period must be ten years or shorter")


def council(path: str | Path | None) -> CouncilIdentity:
    """The council's name, address and signatory for the report's heading (``council.json``), else the
    bundled fictional example."""
    return CouncilIdentity.from_json(path if path is not None else EXAMPLE_COUNCIL)


TYPED: dict[str, tuple[str, dict[str, str]]] = {
    "cp_visit_child": ("visit_child_facts", {
        "id": "r.id::text", "case_id": "r.case_id::text", "visit_id": "r.visit_id", "person_id": "r.person_id",
        "seen_alone": "r.seen_alone", "seen_at_home": "r.seen_at_home", "visit_id.visited_on": "r.visited_on",
        "visit_id.access_denied": "r.access_denied"}),
}
"""Tables of typed columns the server keeps beside the JSON row store (migration 0022: triggers keep them in
the transaction that writes the rows): for a record type, the table and, for each column a
:class:`~desktop.services.committee_source.RowSource` may ask for, its SQL there — the same values as the
JSON read gives. The children's visits, with their visit's day looked up, are most of what the committee's
figures read."""


class ServerRows:
    """The row store as a :class:`~desktop.services.committee_source.RowSource` (see the module docstring).

    ``connect`` (optional) opens more connections to the same database: :meth:`prefetch` then reads the
    tables side by side on up to ``readers`` of them, each joined to ``conn``'s snapshot (its transaction
    must be REPEATABLE READ), so a council's millions of rows come in at the speed of both cores — every
    answer is still from the one snapshot. A record type with typed columns (:data:`TYPED`) is read from
    them; ``typed=False`` reads the JSON instead (the same rows: a test holds the two equal)."""

    def __init__(self, conn: DbConn, team_id: UUID | None = None, *,
                 connect: ReaderConnect | None = None, readers: int = 3, typed: bool = True) -> None:
        self.conn = conn
        self.typed = typed
        self.team_id = team_id
        self.connect = connect
        self.readers = readers
        self._ahead: dict[Read, list[tuple[Any, ...]]] = {}

    def has_table(self, table: str) -> bool:
        return spec().get(table) is not None

    @staticmethod
    def _value(alias: str, entity: str, name: str) -> sql.Composable:
        """One column of a row of ``entity`` (table alias ``alias``), as a laptop's column holds it."""
        if name in ("id", "case_id"):
            return sql.SQL("{}.{}::text").format(sql.Identifier(alias), sql.Identifier(name))
        es = spec().get(entity)
        col = es.columns.get(name) if es is not None else None
        if col is None:
            raise ValueError(f"{entity} has no column {name}")
        value = sql.SQL("{}.data->>{}").format(sql.Identifier(alias), sql.Literal(name))
        if col.affinity == "INTEGER":  # a JSON true/false is a laptop's 1/0
            return sql.SQL("CASE {v} WHEN 'true' THEN 1 WHEN 'false' THEN 0 ELSE ({v})::bigint END").format(v=value)
        if col.affinity == "REAL":
            return sql.SQL("({})::float8").format(value)
        return value

    @staticmethod
    def _typed_query(table: str, columns: Sequence[str], present: Sequence[str]) -> sql.Composed | None:
        """The read out of the table of typed columns kept for ``table`` (:data:`TYPED`), when there is one
        and it holds every column asked for; else ``None`` (the read is from the JSON)."""
        typed = TYPED.get(table)
        if typed is None or not all(c in typed[1] for c in (*columns, *present)):
            return None
        name, cols = typed
        query = sql.SQL("SELECT {} FROM {} r WHERE true").format(
            sql.SQL(", ").join(sql.SQL(cols[c]) for c in columns), sql.Identifier(name))
        for c in present:
            query += sql.SQL(" AND {} IS NOT NULL").format(sql.SQL(cols[c]))
        return query

    def _query(self, table: str, columns: Sequence[str],
               present: Sequence[str]) -> tuple[sql.Composed, list[Any], bool]:
        """The query, its parameters, and whether it looks rows up (a join)."""
        typed = self._typed_query(table, columns, present) if self.typed else None
        if typed is not None:
            if self.team_id is None:
                return typed, [], False
            return typed + sql.SQL(" AND (r.case_id IS NULL OR r.case_id IN (SELECT case_id FROM cases"
                                   " WHERE team_id = %s))"), [self.team_id], False
        es = spec().get(table)
        assert es is not None
        exprs: list[sql.Composable] = []
        joins: dict[str, tuple[str, str]] = {}  # the column pointing out -> (alias, the entity it points at)
        for name in columns:
            ref, _, col = name.rpartition(".")
            if not ref:
                exprs.append(self._value("r", table, col))
                continue
            target = es.columns[ref].references if ref in es.columns else None
            if target is None:
                raise ValueError(f"{table}.{ref} points at no record type")
            alias, _target = joins.setdefault(ref, (f"j{len(joins)}", target))
            exprs.append(self._value(alias, target, col))
        query = sql.SQL("SELECT {} FROM rows r").format(sql.SQL(", ").join(exprs))
        params: list[Any] = []
        for ref, (alias, target) in joins.items():
            query += sql.SQL(" LEFT JOIN rows {a} ON {a}.entity = %s AND {a}.id = (r.data->>{k})::uuid"
                             " AND NOT {a}.deleted").format(a=sql.Identifier(alias), k=sql.Literal(ref))
            params.append(target)
        query += sql.SQL(" WHERE r.entity = %s AND NOT r.deleted")
        params.append(table)
        for name in present:
            query += sql.SQL(" AND r.data->>{} IS NOT NULL").format(sql.Literal(name))
        if self.team_id is not None:
            query += sql.SQL(" AND (r.case_id IS NULL OR r.case_id IN (SELECT case_id FROM cases WHERE team_id = %s))")
            params.append(self.team_id)
        return query, params, bool(joins)

    @staticmethod
    def _fetch(conn: psycopg.Connection[Any], query: sql.Composed, params: list[Any],
               joined: bool) -> list[tuple[Any, ...]]:
        with conn.cursor(row_factory=tuple_row) as cur:
            if joined:
                # A lookup over millions of rows: one hash join in memory, not millions of index probes.
                cur.execute("SET LOCAL enable_nestloop = off")
                cur.execute("SET LOCAL work_mem = '256MB'")
            cur.execute(query, params)
            return cur.fetchall()

    def rows(self, table: str, columns: Sequence[str], present: Sequence[str] = ()) -> list[tuple[Any, ...]]:
        if spec().get(table) is None:
            return []
        ahead = self._ahead.pop((table, tuple(columns), tuple(present)), None)
        if ahead is not None:
            return ahead
        return self._fetch(self.conn, *self._query(table, columns, present))

    def prefetch(self, requests: Sequence[Read]) -> None:
        """Make the reads side by side in ``conn``'s snapshot (nothing without ``connect``)."""
        wanted = [r for r in requests if spec().get(r[0]) is not None]
        if self.connect is None or len(wanted) < 2:
            return
        with self.conn.cursor(row_factory=tuple_row) as cur:
            name = str(cur.execute("SELECT pg_export_snapshot()").fetchall()[0][0])
        # The largest first, dealt out in turn: the children's visits have a reader of their own.
        big = ("cp_visit_child", "cp_core_group", "cp_conference", "cp_visit")
        wanted.sort(key=lambda w: big.index(w[0]) if w[0] in big else len(big))

        def read(work: list[Read]) -> dict[Read, list[tuple[Any, ...]]]:
            assert self.connect is not None
            got: dict[Read, list[tuple[Any, ...]]] = {}
            with self.connect() as other:
                other.autocommit = True
                other.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                other.execute(sql.SQL("SET TRANSACTION SNAPSHOT {}").format(sql.Literal(name)))
                for table, cols, present in work:
                    got[(table, cols, present)] = self._fetch(other, *self._query(table, cols, present))
                other.execute("COMMIT")
            return got

        shares: list[list[Read]] = [[] for _ in range(max(1, self.readers))]
        shares[0].append(wanted[0])
        for i, w in enumerate(wanted[1:]):  # the first reader has the biggest read to itself
            shares[1 + i % (len(shares) - 1) if len(shares) > 1 else 0].append(w)
        with ThreadPoolExecutor(max_workers=len(shares), thread_name_prefix="figures-read") as pool:
            for got in pool.map(read, [s for s in shares if s]):
                self._ahead.update(got)


def team_named(conn: DbConn, name: str) -> tuple[UUID, str]:
    """The team's id and name, by name or id; :class:`UnknownTeam` otherwise."""
    row = conn.execute("SELECT id, name FROM teams WHERE name = %s OR id::text = %s", (name, name)).fetchone()
    if row is None:
        raise UnknownTeam(f"no such team: {name!r}")
    return row["id"], row["name"]


class UnknownTeam(FiguresInput):
    """The team named does not exist."""


@dataclass(frozen=True)
class Asked:
    """Who asked for figures, and how (for the audit)."""

    user: User
    via: str  # "cli" or "api"


def audit(conn: DbConn, asked: Asked, action: str, detail: dict[str, Any], now: datetime) -> None:
    """One row of the server's ``audit`` for a run of the authority's figures."""
    conn.execute("INSERT INTO audit (at, actor, action, detail) VALUES (%s, %s, %s, %s)",
                 (now, asked.user.id, action, Jsonb({**detail, "via": asked.via, "role": asked.user.role})))


def audit_refusal(conn: DbConn, asked: Asked, action: str, now: datetime) -> None:
    """A refused attempt at the authority's figures is audited too (``report.refused``: who, their role,
    what they asked for, how), so an attempt outside someone's role is seen, not only the runs made."""
    audit(conn, asked, "report.refused", {"asked_for": action}, now)


def committee_stats(conn: DbConn, asked: Asked, start: date, end: date, team: str | None, *,
                    now: datetime, today: date, rules: RuleSet | None = None,
                    connect: ReaderConnect | None = None) -> CommitteeStats:
    """The committee's figures over every case the server holds (or one team's), audited. Runs in the
    caller's transaction (REPEATABLE READ when ``connect`` is given: more connections then read side by
    side in its snapshot, see :class:`ServerRows`); raises :class:`FiguresRefused`, :class:`BadPeriod` or
    :class:`UnknownTeam`."""
    require_figures(asked.user)
    check_period(start, end, today)
    team_id, team_name = team_named(conn, team) if team else (None, "")
    try:
        stats = compute_stats(ServerRows(conn, team_id, connect=connect), start, end, rules or RuleSet.load(),
                              default_calendar())
    except ValueError as exc:  # a due date beyond the calendar: the dates recorded need checking
        raise BadPeriod(f"the figures could not be worked out for this period: {exc}") from exc
    stats.coverage = "team" if team_id is not None else "council"
    stats.team = team_name
    audit(conn, asked, "report.committee", {"period_start": start.isoformat(), "period_end": end.isoformat(),
                                             "team": team_name or None, "open_cases": stats.open_cases}, now)
    return stats


def committee_report(stats: CommitteeStats, lang: str, council_file: str | Path | None = None) -> bytes:
    """The report as PDF bytes in ``lang`` ("cy", "en" or "bilingual")."""
    if lang not in ("cy", "en", "bilingual"):
        raise ValueError(f"no such report language: {lang!r}")
    return render_committee_report(stats, lang, council(council_file))
