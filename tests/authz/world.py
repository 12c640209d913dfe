"""The world the authorisation matrix runs in: the demo profile, every write undone.

The demo (``build_demo``) is built once, a few more records are added so that every write method has
something valid to act on (a conference to hold, an enquiry to ratify, …), and then the profile is
reopened with :class:`UndoStore`: each write runs in full in a real SQLite transaction on the real
encrypted file — the service's checks, the row, its outbox and audit entries, triggers and foreign
keys — and is then rolled back, so every cell of the matrix starts from the same data whatever order
the cells run in.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import Future
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any, TypeVar

from desktop.domain.types import Role, TeamKind
from desktop.services.demo import build_demo
from desktop.services.scope import case_condition
from desktop.services.session import Session, User
from desktop.store import Store, Tx
from desktop.store.crypto import KdfParams
from desktop.store.profile import Profile

T = TypeVar("T")
PASSWORD = "matrix demo password"
ROLES = tuple(Role)


class _Undo(Exception):
    """Raised at the end of a write to roll it back (carries nothing: the result is kept aside)."""


class UndoStore(Store):
    """A :class:`Store` whose writes are rolled back after they have run, unless ``keep`` is set.

    ``writes`` counts the writes attempted (a refused call must attempt none); ``audited`` collects
    the (action, case id, entity id) of every audit entry the undone writes made."""

    keep = False
    writes = 0
    audited: list[tuple[str, str | None, str | None]]

    def submit(self, fn: Callable[[Tx], T], *, actor: str, notify: bool = True) -> Future[T]:
        self.writes += 1
        if self.keep:
            return super().submit(fn, actor=actor, notify=notify)
        box: list[T] = []
        outer: Future[T] = Future()

        def run(tx: Tx) -> T:
            last = tx.query("SELECT coalesce(max(seq), 0) AS seq FROM audit")[0]["seq"]
            box.append(fn(tx))
            self.audited += [(r["action"], r["case_id"], r["entity_id"]) for r in
                             tx.query("SELECT action, case_id, entity_id FROM audit WHERE seq > ?", [last])]
            raise _Undo

        def done(inner: Future[T]) -> None:
            exc = inner.exception()
            if isinstance(exc, _Undo):
                outer.set_result(box[0])
            elif exc is not None:
                outer.set_exception(exc)
            else:
                outer.set_exception(AssertionError("unreachable: the write was not undone"))

        super().submit(run, actor=actor, notify=notify).add_done_callback(done)
        return outer

    def settle(self) -> None:
        """Wait until every queued write has run (an audited read is queued, not waited for)."""
        keep, self.keep = self.keep, True
        try:
            self.submit(lambda tx: None, actor="matrix").result()
        finally:
            self.keep = keep


@dataclass
class World:
    """The demo, its staff as sessions, and the ids the calls are built from."""

    store: UndoStore
    profile: Profile
    today: date
    staff: dict[str, str]
    sessions: dict[str, Session]
    cases: dict[str, str]
    families: dict[str, dict[str, str]]
    agencies: dict[str, str]
    practitioners: dict[str, str]
    ids: dict[str, str] = field(default_factory=dict)
    folder: Path = Path()

    def ago(self, days: int) -> str:
        return (self.today - timedelta(days=days)).isoformat()

    def ahead(self, days: int) -> str:
        return (self.today + timedelta(days=days)).isoformat()

    def one(self, sql: str, *params: Any) -> str:
        """The first column of the first row of ``sql`` (a lookup that must find something)."""
        rows = self.store.rows(sql, list(params))
        assert rows, f"the demo has no row for {sql} {params}"
        return str(next(iter(rows[0].values())))

    def in_scope(self, staff_key: str, case_key: str) -> bool:
        session = self.sessions[staff_key]
        condition, params = case_condition(session.user, session.today())
        return bool(self.store.rows(f"SELECT 1 FROM case_file c WHERE c.id = :the_case AND {condition}",
                                    {**params, "the_case": self.cases[case_key]}))

    def case_ids(self, case_key: str) -> set[str]:
        """The case's id and the ids of everyone in it: none may appear in an answer out of scope."""
        case_id = self.cases[case_key]
        people = self.store.rows("SELECT person_id FROM case_member WHERE case_id = ?", [case_id])
        return {case_id, *(r["person_id"] for r in people)}

    def persona(self, role: Role, case_key: str | None, inside: bool) -> str | None:
        """A staff key of ``role`` who has (``inside``) or has not the case in scope; ``None`` if
        nobody of that role is placed so (a senior manager sees every case)."""
        keys = sorted(k for k, s in self.sessions.items() if s.user.role == role)
        if case_key is None:
            return keys[0] if inside and keys else None
        for key in keys:
            if self.in_scope(key, case_key) == inside:
                return key
        return None


def _session(store: Store, profile: Profile, practitioner_id: str) -> Session:
    r = store.rows("SELECT * FROM practitioner WHERE id = ?", [practitioner_id])[0]
    user = User(r["id"], r["given_names"], r["family_name"], r["app_role"], r["team_id"], r["scw_number"])
    return Session(profile, store, user)


def build_world(folder: Path, prepare: Callable[[World], None]) -> Iterator[World]:
    """Build the demo in ``folder``, reopen it with an :class:`UndoStore` on a fixed clock, add what
    ``prepare`` writes (kept), and yield the world; the store is closed afterwards."""
    kdf = KdfParams.fresh(time_cost=1, memory_cost=8192, parallelism=1)
    ctx = build_demo(folder, PASSWORD, role=Role.SOCIAL_WORKER, language="en", kdf=kdf)
    today = ctx.today
    families, cases, staff = ctx.families, ctx.cases, dict(ctx.staff)
    agencies, practitioners, teams = ctx.agencies, ctx.practitioners, ctx.teams
    ctx.store.close()
    profile = Profile.open(folder)
    noon = datetime.combine(today, time(12, 0), tzinfo=UTC)
    store = UndoStore(profile.db_path, profile.unlock(PASSWORD), clock=lambda: noon)
    try:
        store.keep = True
        # Admin staff of every team, so each case has admin staff inside its scope and outside it.
        for kind, key in ((TeamKind.ADULT_SAFEGUARDING, "admin_adult"), (TeamKind.CHILD_IN_NEED, "admin_cin"),
                          (TeamKind.CHILDREN_IN_CARE, "admin_cic")):
            values = {"given_names": "Admin", "family_name": key, "app_role": Role.ADMIN_STAFF,
                      "team_id": teams[kind], "employed_by_social_services": 1}

            def add(tx: Tx, values: dict[str, Any] = values) -> str:
                return str(tx.insert("practitioner", values)["id"])

            staff[key] = store.write(add, actor=staff["admin"])
        # A performance officer (issue 21): the authority's figures, never casework; no team, no cases.
        officer = {"given_names": "Perfformiad", "family_name": "Swyddog", "app_role": Role.PERFORMANCE_OFFICER,
                   "team_id": None, "employed_by_social_services": 1}
        staff["performance"] = store.write(lambda tx: str(tx.insert("practitioner", officer)["id"]),
                                           actor=staff["admin"])
        sessions = {key: _session(store, profile, pid) for key, pid in staff.items()}
        world = World(store=store, profile=profile, today=today, staff=staff, sessions=sessions, cases=cases,
                      families=families, agencies=agencies, practitioners=practitioners, folder=folder)
        prepare(world)
        store.keep = False
        store.writes = 0
        store.audited = []
        yield world
    finally:
        store.close()
