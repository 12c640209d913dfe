"""The connection pool and the transaction-with-retry helper.

Every connection the server opens for its own queries returns rows as dicts keyed by column name:
``DbConn`` is that type, at every boundary that takes one (``connect`` and ``make_pool`` make them).

Contract: ``run_tx(pool, fn)`` calls ``fn(conn)`` inside one transaction and commits; on a
serialization failure, deadlock or ``Retry`` it rolls back and calls ``fn`` again (a few times), so
``fn`` must have no side effects outside the database. :class:`HeldTx` is one such transaction held
open across several calls (a request's token check, then its work), ended exactly once.
"""

from __future__ import annotations

import asyncio
import random
import time
import weakref
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import TypeAlias, TypeVar

import orjson
import psycopg
from psycopg import IsolationLevel, errors
from psycopg.rows import DictRow, dict_row
from psycopg.types.json import set_json_dumps
from psycopg_pool import ConnectionPool

T = TypeVar("T")

DbConn: TypeAlias = psycopg.Connection[DictRow]
"""A connection whose rows are ``dict[str, Any]`` (opened with ``row_factory=dict_row``)."""
DbPool: TypeAlias = ConnectionPool[DbConn]


class Retry(Exception):
    """Raised inside a transaction to have ``run_tx`` roll back and run it again (a lost race)."""


class MissingRow(RuntimeError):
    """A query that always returns a row returned none: a database not migrated or a bug, never bad input."""


RETRYABLE = (errors.SerializationFailure, errors.DeadlockDetected, Retry)


def _json_dumps(value: object) -> bytes:
    """JSON for PostgreSQL through orjson (several times faster than ``json`` on a push's rows and op
    log). Values reach here only after the wire checks (no NaN, no lone surrogates, string keys)."""
    return orjson.dumps(value)


def configure(conn: DbConn) -> None:
    """Per connection: JSON parameters are encoded with orjson."""
    set_json_dumps(_json_dumps, conn)


def connect(conninfo: str) -> DbConn:
    """One dict-row connection (not autocommit: the caller commits)."""
    conn = psycopg.connect(conninfo, row_factory=dict_row)
    configure(conn)
    return conn


def one(cur: psycopg.Cursor[DictRow], what: str) -> DictRow:
    """The row of a query that always returns one (an aggregate without GROUP BY, a row the migrations
    create, a row this transaction holds locked); :class:`MissingRow` naming ``what`` otherwise."""
    row = cur.fetchone()
    if row is None:
        raise MissingRow(f"no row: {what}")
    return row


def make_pool(conninfo: str, min_size: int = 1, max_size: int = 10) -> DbPool:
    """A pool of dict-row connections; opened (and waited for) before returning."""
    pool = ConnectionPool(
        conninfo,
        # Connection[DictRow] is the plain Connection class at run time; it tells the type checker what
        # the row_factory below makes (psycopg_pool's documented way to type a pool).
        connection_class=DbConn,
        min_size=min_size,
        max_size=max_size,
        kwargs={"row_factory": dict_row, "autocommit": False},
        configure=configure,
        open=False,
        timeout=30,
    )
    pool.open(wait=True, timeout=30)
    return pool


def run_tx(
    pool: DbPool,
    fn: Callable[[DbConn], T],
    attempts: int = 8,
    isolation: IsolationLevel | None = None,
) -> T:
    for attempt in range(attempts):
        with pool.connection() as conn:
            conn.isolation_level = isolation
            try:
                with conn.transaction():
                    return fn(conn)
            except RETRYABLE:
                if attempt == attempts - 1:
                    raise
            finally:
                conn.isolation_level = None
        # Back off a little so two racing transactions do not collide again in lockstep.
        time.sleep(random.uniform(0, 0.01 * (attempt + 1)))
    raise AssertionError("unreachable")


class HeldTx:
    """One pooled connection in one open transaction, used by several calls one after another (from any
    thread, never two at once) and ended once by :meth:`end`: committed, or rolled back after an error.
    The connection goes back to the pool either way."""

    def __init__(self, pool: DbPool, isolation: IsolationLevel | None) -> None:
        self.pool, self.isolation = pool, isolation
        self.conn = pool.getconn()
        try:
            self.conn.isolation_level = isolation
            tx = self.conn.transaction()
            tx.__enter__()
            self._tx: AbstractContextManager[psycopg.Transaction] | None = tx
        except BaseException:
            self.conn.isolation_level = None
            pool.putconn(self.conn)
            raise

    def run(self, fn: Callable[[DbConn], T]) -> T:
        """``fn(conn)`` inside the held transaction; any exception ends it (rolled back) and is raised."""
        if self._tx is None:
            raise RuntimeError("the transaction has ended")
        try:
            return fn(self.conn)
        except BaseException as exc:
            self.end(exc)
            raise

    def end(self, exc: BaseException | None = None) -> None:
        """Commit (``exc`` None) or roll back, and give the connection back; a no-op once ended. A failed
        commit is raised (a retryable one as such: the caller may run the work again on its own)."""
        tx, self._tx = self._tx, None
        if tx is None:
            return
        try:
            tx.__exit__(type(exc) if exc else None, exc, exc.__traceback__ if exc else None)
        finally:
            try:
                self.conn.isolation_level = None
            finally:
                self.pool.putconn(self.conn)

    @property
    def ended(self) -> bool:
        return self._tx is None


class ConnectionSlots:
    """At most ``size`` (the pool's largest size) connections taken at once by one process's requests,
    waited for on the event loop, never on a thread. A request that holds a connection across awaits
    (:class:`HeldTx`) needs a thread of the pool of threads to finish on; were threads left blocked
    waiting for a connection, every thread could be waiting for connections that only those requests
    would give back. Take a slot before taking a connection, give it back after the connection is back."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._by_loop: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = (
            weakref.WeakKeyDictionary()
        )

    def _sem(self) -> asyncio.Semaphore:
        loop = asyncio.get_running_loop()
        sem = self._by_loop.get(loop)
        if sem is None:
            sem = self._by_loop[loop] = asyncio.Semaphore(self.size)
        return sem

    async def acquire(self) -> None:
        await self._sem().acquire()

    def release(self) -> None:
        self._sem().release()
