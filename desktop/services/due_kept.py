"""What is due, kept per case in the encrypted store (issue 22, item 4; Qt-free).

:class:`desktop.services.my_work.MyWorkService` keeps each case's items for the person signed in in
``due_kept`` (migrations m0023, m0024: derived, laptop-only, never synced or exported), so the first view
after signing in works out again only the cases that changed since, not every case — and on a new day only
the cases whose answer turned.

Days
    What is kept does not depend on the day asked: each item's due date and what it is (its rule, anchor,
    last event, timescale), its person and its worker. What does — overdue or not, days overdue, days
    elapsed, who is away and who covers, workers' names — is worked out when it is read
    (``my_work._unpack_cases``). An answer holds from the day it was worked out (``from_day``) to the
    last day the rest stays the same (``until_day``): the day before a rule comes into or goes out of
    force (:func:`rules_turn`), an exception of the case starts or ends (:func:`exceptions_turn`), or a
    provider's facts for one of the case's subjects change (a child turns five, reaches or leaves school
    age, a scheduled review passes: ``Subject.holds_until``). A provider that cannot say so holds for the
    day asked only. So a new day works out again only the cases whose turning day has passed.

Stamps
    Every change to the data goes through a transaction that appends to the audit trail in the same
    commit (:class:`desktop.store.tx.Tx`; a pull records itself). A kept answer carries the last audit
    entry (its ``seq`` and ``hash``: :func:`mark`) taken *before* the reads behind it began, so an
    answer is current exactly while no later entry touches its case (:func:`current`). A crash between
    a change and the kept answer's write leaves the change's entry after the stamp: the answer is
    stale, never wrong. An entry about a case marks that case; a person's entry marks the cases they
    are a member of; a pull's entry the cases of the rows it wrote and the cases of the people it
    wrote; a worker's entry the cases whose kept items name that worker and, for a team manager, the
    cases of their team (a team's manager is the worker of its supervision items), or every case when it
    is the person's own (their role decides what supervision they see); an absence, a cover of a worker and a team's
    details nothing (read when the answer is read); reads, sign-ins and exports nothing; anything else (a
    pull that wrote reference data or removed a case, an import) marks every case. A stamp whose entry
    is not in the trail (a history replaced) is stale.

Recipe
    An answer is used only with the rules, calendar and code it was worked out with (:func:`recipe`).

Writes go through the store's one writer (``notify=False``: no listener is told, nothing is audited).
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Callable, Collection, Iterable, Mapping
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any

import sqlcipher3

import desktop

IGNORED_ACTIONS = ("read", "open", "sign_in", "sign_out", "export", "sync.sign_in", "sync.done")
"""Audit entries that change no row what is due reads."""

FORMAT = 3
"""The layout of ``items``; a new one makes every kept answer stale (it is part of the recipe)."""


@dataclass(frozen=True, slots=True)
class Mark:
    """The last audit entry at a moment: ``seq`` 0 and ``hash`` "" when the trail is empty."""

    seq: int
    hash: str


NEVER = date.max
"""An answer's ``until`` when nothing it depends on changes with the day."""


@dataclass(frozen=True, slots=True)
class Answer:
    """One case's kept answer: its items (packed by the caller), the workers they name, and the last day
    it holds (worked out on the day asked, it holds from then to ``until`` inclusive)."""

    items: bytes
    workers: tuple[str, ...]
    until: date = NEVER


def tuples(store: Any, sql: str, params: Any = ()) -> list[tuple[Any, ...]]:
    """The rows of ``sql`` as tuples (no dict per row: a view reads one per case). A damaged page is reported as
    :meth:`desktop.store.store.Store.rows` reports it (the read made again through it)."""
    try:
        with store.reading() as db:
            return list(db.execute(sql, params).fetchall())
    except sqlcipher3.DatabaseError:
        return [tuple(r.values()) for r in store.rows(sql, params)]


def mark(store: Any) -> Mark:
    """The last audit entry now. Take it before reading what an answer is worked out from."""
    rows = store.rows("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1")
    return Mark(rows[0]["seq"], rows[0]["hash"]) if rows else Mark(0, "")


@cache
def _files_digest(paths: tuple[str, ...]) -> str:
    digest = hashlib.sha256(f"{FORMAT} {desktop.__version__} {sys.version}".encode())
    root = Path(desktop.__file__).resolve().parent.parent
    for name in paths:
        path = Path(name).resolve()
        # Where the code is installed is no part of the recipe: a file is named from the code's root.
        digest.update((path.relative_to(root).as_posix() if path.is_relative_to(root) else path.name).encode())
        try:
            digest.update(path.read_bytes())
        except OSError:  # a frozen build without sources: its version above stands for them
            pass
    return digest.hexdigest()


def recipe(functions: Iterable[Any]) -> str:
    """A fingerprint of what an answer was worked out with: the domain's rules, calendar and engine
    (``desktop/domain``), this module's caller, and the modules of ``functions`` (the providers and
    adjusters) — their names and the bytes of their files."""
    domain = Path(__file__).resolve().parent.parent / "domain"
    names = sorted({str(p) for p in domain.glob("*.py")} | {str(p) for p in domain.glob("*.json")}
                   | {str(Path(__file__).resolve().parent / "my_work.py")})
    parts = []
    for fn in functions:
        module = sys.modules.get(getattr(fn, "__module__", "") or "")
        parts.append(f"{getattr(fn, '__module__', '')}:{getattr(fn, '__qualname__', repr(fn))}")
        source = getattr(module, "__file__", None)
        if source:
            names.append(str(source))
    # Sorted: the providers register in the order their modules happen to be imported, which varies.
    digest = hashlib.sha256(_files_digest(tuple(sorted(set(names)))).encode())
    digest.update("\n".join(sorted(parts)).encode())
    return digest.hexdigest()


def changes_since(store: Any, seq: int, viewer: str,
                  named: Callable[[Collection[str]], Mapping[str, list[str]]] | None = None
                  ) -> tuple[int, dict[str, int]]:
    """After audit entry ``seq``: the last entry that may change every case (0 if none) and, per case,
    the last entry that may change it. ``named``: given workers, the cases whose answers name each (by default
    those whose kept answers for ``viewer`` do)."""
    everything_at = 0
    touched: dict[str, int] = {}

    def touch(at: int, case_ids: Iterable[str]) -> None:
        for case_id in case_ids:
            touched[case_id] = max(touched.get(case_id, 0), at)

    people: list[tuple[int, list[str]]] = []
    workers: list[tuple[int, str, str | None, str | None]] = []
    marks = ", ".join("?" for _a in IGNORED_ACTIONS)
    for e in store.rows(f"SELECT seq, action, entity, entity_id, case_id, before, after FROM audit WHERE seq > ?"
                        f" AND action NOT IN ({marks}) ORDER BY seq", [seq, *IGNORED_ACTIONS]):
        if e["case_id"]:
            touch(e["seq"], (e["case_id"],))
        elif e["entity"] == "person" and e["entity_id"]:
            people.append((e["seq"], [e["entity_id"]]))
        elif e["action"] == "sync.pull" and (wrote := _pulled(e["after"])) is not None:
            touch(e["seq"], wrote[0])
            people.append((e["seq"], wrote[1]))
        elif e["entity"] in ("practitioner_absence", "cover", "team") and e["entity_id"]:
            continue  # who is away, who covers and teams' names are read when an answer is read
        elif e["entity"] == "practitioner" and e["entity_id"] and e["entity_id"] != viewer:
            workers.append((e["seq"], e["entity_id"], e["before"], e["after"]))
        else:
            everything_at = e["seq"]
    if people:  # the cases each person is a member of: one read for every entry together
        member_of: dict[str, list[str]] = {}
        for r in store.rows("SELECT DISTINCT person_id, case_id FROM case_member"
                            " WHERE person_id IN (SELECT value FROM json_each(?))",
                            [json.dumps(sorted({p for _s, ids in people for p in ids}))]):
            member_of.setdefault(r["person_id"], []).append(r["case_id"])
        for at, ids in people:
            touch(at, (c for p in ids for c in member_of.get(p, ())))
    for at, cases in _worker_cases(store, viewer, workers, named):
        touch(at, cases)
    return everything_at, touched


def _worker_cases(store: Any, viewer: str, entries: list[tuple[int, str, str | None, str | None]],
                  named_by: Callable[[Collection[str]], Mapping[str, list[str]]] | None = None
                  ) -> list[tuple[int, list[str]]]:
    """Per worker's entry (its ``seq``, the worker, what it recorded before and after), the cases whose answer it
    may change: those whose kept items name the worker and, when they are or were a team manager, those of the
    teams they are, were or are now in (a team's manager is the worker of its cases' supervision items). Names
    are read when an answer is read. Three reads for every entry together (a view walks every entry since the
    oldest stamp it reads)."""
    if not entries:
        return []
    ids = json.dumps(sorted({worker for _s, worker, _b, _a in entries}))
    now = {r["id"]: r for r in store.rows(
        "SELECT id, team_id, app_role FROM practitioner WHERE id IN (SELECT value FROM json_each(?))", [ids])}
    named: Mapping[str, list[str]]
    if named_by is not None:
        named = named_by({worker for _s, worker, _b, _a in entries})
    else:
        named = {}
        for r in store.rows("SELECT w.value AS worker, k.case_id FROM due_kept k, json_each(k.workers) w"
                            " WHERE k.viewer = ? AND w.value IN (SELECT value FROM json_each(?))", [viewer, ids]):
            named.setdefault(r["worker"], []).append(r["case_id"])
    teams_of: list[set[str]] = []
    for _seq, worker, before, after in entries:
        row = now.get(worker)
        teams, manager = {row["team_id"] if row else None}, bool(row and row["app_role"] == "team_manager")
        for recorded in (before, after):
            try:
                values = json.loads(recorded or "{}")
            except ValueError:
                values = {}
            if isinstance(values, dict):
                teams.add(values.get("team_id"))
                manager = manager or values.get("app_role") == "team_manager"
        teams_of.append({t for t in teams if t} if manager else set())
    in_team: dict[str, list[str]] = {}
    every_team = json.dumps(sorted(set().union(*teams_of)))
    for r in store.rows("SELECT team_id, id FROM case_file WHERE team_id IN (SELECT value FROM json_each(?))",
                        [every_team]):
        in_team.setdefault(r["team_id"], []).append(r["id"])
    return [(seq, [*named.get(worker, ()), *(c for t in teams for c in in_team.get(t, ()))])
            for (seq, worker, _b, _a), teams in zip(entries, teams_of, strict=True)]


def _pulled(after: str | None) -> tuple[list[str], list[str]] | None:
    """The cases and people a pull's page wrote (:meth:`desktop.sync.client.SyncClient._apply_page`), or
    ``None`` when it wrote anything else (or was recorded before pulls said what they wrote)."""
    try:
        wrote = json.loads(after or "")
    except ValueError:
        return None
    if not isinstance(wrote, dict) or wrote.get("beyond", True):
        return None
    return list(wrote.get("cases", [])), list(wrote.get("people", []))


def current(store: Any, viewer: str, on: date, recipe_: str, case_ids: Collection[str]) -> dict[str, bytes]:
    """The kept answers (packed items) of ``case_ids`` for ``viewer`` that hold on ``on`` and are current:
    worked out with ``recipe_`` on or before ``on`` and holding until ``on`` or later, and stamped after every
    audit entry that may change their case. A case left out must be worked out again."""
    day = on.isoformat()
    rows = tuples(store, "SELECT case_id, seq, hash, items FROM due_kept WHERE viewer = ? AND recipe = ?"
                  " AND from_day <= ? AND until_day >= ? AND case_id IN (SELECT value FROM json_each(?))",
                  [viewer, recipe_, day, day, json.dumps(list(case_ids))])
    if not rows:
        return {}
    seqs = json.dumps(sorted({seq for _c, seq, _h, _i in rows}))
    real = {(r["seq"], r["hash"]) for r in store.rows(
        "SELECT seq, hash FROM audit WHERE seq IN (SELECT value FROM json_each(?))", [seqs])}
    valid = [r for r in rows if (r[1], r[2]) in real]
    if not valid:
        return {}
    everything_at, touched = changes_since(store, min(r[1] for r in valid), viewer)
    # One read with the items: reading the stamps first and the items of the current answers then cost ~25 ms
    # more on a first view after signing in (the pages read twice) to save ~35 ms after a change to every case.
    return {case_id: items for case_id, seq, _h, items in valid
            if everything_at <= seq and touched.get(case_id, 0) <= seq}


def keep(store: Any, viewer: str, on: date, recipe_: str, stamp: Mark,
         answers: Mapping[str, Answer]) -> Future[None] | None:
    """Write ``answers`` (case id → its answer, worked out for ``on``) stamped ``stamp``, through the store's
    writer, without waiting: one answer per person and case, the one kept replaced unless it rests on newer
    data (a later stamp with the same recipe). ``None`` when the store cannot be written (read only: the
    answers are simply worked out again next time)."""
    if getattr(store, "read_only", None) is not None or not answers:
        return None
    rows = [(viewer, case_id, on.isoformat(), a.until.isoformat(), stamp.seq, stamp.hash, recipe_,
             json.dumps(list(a.workers)), a.items) for case_id, a in answers.items()]

    def write(tx: Any) -> None:
        tx.db.conn.executemany(
            "INSERT INTO due_kept (viewer, case_id, from_day, until_day, seq, hash, recipe, workers, items)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (viewer, case_id) DO UPDATE SET"
            " from_day = excluded.from_day, until_day = excluded.until_day, seq = excluded.seq, hash = excluded.hash,"
            " recipe = excluded.recipe, workers = excluded.workers, items = excluded.items"
            " WHERE excluded.seq >= due_kept.seq OR excluded.recipe <> due_kept.recipe",
            rows)

    try:
        return store.submit(write, actor=viewer, notify=False)
    except RuntimeError:  # closed meanwhile: nothing to keep it in
        return None


def rules_turn(rules: Any, on: date) -> date:
    """The last day from ``on`` on which the same rules are in force (``effective_to`` is exclusive)."""
    until = NEVER
    for rule in rules.rules:
        for edge in (rule.effective_from, rule.effective_to):
            if edge is not None and edge > on:
                until = min(until, edge - timedelta(days=1))
    return until


def exceptions_turn(store: Any, on: date, case_ids: Collection[str] | None) -> dict[str, date]:
    """Per case (of ``case_ids``; ``None``: all) with a recorded exception that starts or ends after ``on``: the
    last day from ``on`` on which the same exceptions are in force (as
    :func:`desktop.services.exceptions.in_force` decides: from ``from_date`` to ``until_date`` inclusive, and
    before ``ended_on``)."""
    if not store.rows("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'rule_exception'"):
        return {}
    day = on.isoformat()
    where = "" if case_ids is None else " AND case_id IN (SELECT value FROM json_each(:ids))"
    out: dict[str, date] = {}
    for r in store.rows(
            "SELECT case_id, from_date, until_date, ended_on FROM rule_exception WHERE deleted = 0"
            " AND (from_date > :on OR until_date >= :on OR ended_on > :on)" + where,
            {"on": day, "ids": json.dumps(sorted(case_ids or ()))}):
        edges = [date.fromisoformat(r["from_date"][:10]) - timedelta(days=1)]
        if r["until_date"]:
            edges.append(date.fromisoformat(r["until_date"][:10]))
        if r["ended_on"]:
            edges.append(date.fromisoformat(r["ended_on"][:10]) - timedelta(days=1))
        turns = [d for d in edges if d >= on]
        if turns:
            out[r["case_id"]] = min(out.get(r["case_id"], NEVER), *turns)
    return out
