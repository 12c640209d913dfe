"""The encrypted store: one writer thread, read connections per thread (Qt-free).

All writes run on one thread that owns the only writing connection (SQLite allows one writer;
funnelling writes through one thread means no "database is locked" and a strict order).
:meth:`Store.write` hands a function to that thread, which runs it inside ``BEGIN IMMEDIATE``
… ``COMMIT`` with a :class:`~desktop.store.tx.Tx`; an exception rolls everything back and is
re-raised in the caller. Reads use a separate keyed connection per calling thread (WAL lets
them run while a write is in progress).
"""

from __future__ import annotations

import queue
import shutil
import threading
import uuid
from collections.abc import Callable
from concurrent.futures import Future
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from sqlite_utils import Database

from desktop.clock import Clock, system_clock
from desktop.errors import StoreError
from desktop.i18n import N_
from desktop.store.database import OperationalError, connect
from desktop.store.migrations import MIGRATIONS, known_names
from desktop.store.tx import Tx

T = TypeVar("T")
CommitListener = Callable[[set[str], set[str]], None]


class Store:
    """An open, migrated, encrypted database.

    Raises :class:`StoreError` from the constructor when the file cannot be opened (damaged,
    or written by a newer Diogel). ``backups_dir`` receives a copy of the file before any
    migration runs.
    """

    def __init__(
        self,
        path: Path,
        key: bytes,
        *,
        backups_dir: Path | None = None,
        clock: Clock = system_clock,
    ) -> None:
        self.path = Path(path)
        self._key = key
        self._backups_dir = backups_dir or self.path.parent / "backups"
        self.clock = clock
        self._queue: queue.Queue[tuple[Callable[[], Any], Future] | None] = queue.Queue()
        self._local = threading.local()
        self._readers: list[Database] = []
        self._readers_lock = threading.Lock()
        self._listeners: list[CommitListener] = []
        self._ready = threading.Event()
        self._startup_error: BaseException | None = None
        self._closed = False
        self.device_id = ""
        self._thread = threading.Thread(target=self._run, name="diogel-writer", daemon=True)
        self._thread.start()
        self._ready.wait()
        if self._startup_error is not None:
            self._thread.join()
            raise self._startup_error

    # -- writer thread ------------------------------------------------------------------------
    def _run(self) -> None:
        try:
            self._db = connect(self.path, self._key)
            self._migrate()
            self.device_id = self._ensure_device_id()
        except BaseException as exc:  # reported to the constructor's caller
            self._startup_error = exc
            self._ready.set()
            return
        self._ready.set()
        while (item := self._queue.get()) is not None:
            job, future = item
            if future.set_running_or_notify_cancel():
                try:
                    future.set_result(job())
                except BaseException as exc:
                    future.set_exception(exc)
        self._db.conn.close()

    def _transact(self, fn: Callable[[Tx], T], actor: str) -> T:
        tx = Tx(self._db, actor=actor, device_id=self.device_id, now=self.clock().isoformat(timespec="milliseconds"))
        try:
            self._db.execute("BEGIN IMMEDIATE")
            result = fn(tx)
            self._db.execute("COMMIT")
        except BaseException as exc:
            if self._db.conn.in_transaction:
                self._db.execute("ROLLBACK")
            if isinstance(exc, OperationalError):
                raise _store_error(exc) from exc
            raise
        for listener in list(self._listeners):
            listener(tx.touched, tx.cases)
        return result

    def _migrate(self) -> None:
        applied = [m.name for m in MIGRATIONS.applied(self._db)]
        unknown = sorted(set(applied) - set(known_names()))
        if unknown:
            raise StoreError(
                N_(
                    "This profile was saved by a newer version of Diogel ({names}). Install the newer"
                    " version to open it; nothing has been changed."
                ),
                names=", ".join(unknown),
            )
        pending = MIGRATIONS.pending(self._db)
        if pending and applied:
            self._copy_to(self._backups_dir / f"before-{pending[0].name}-{_stamp(self.clock())}.db")
        MIGRATIONS.apply(self._db)

    def _ensure_device_id(self) -> str:
        row = self._db.execute("SELECT value FROM meta WHERE key = 'device_id'").fetchone()
        if row:
            return row[0]
        device_id = str(uuid.uuid4())
        with self._db.conn:
            self._db.execute("INSERT INTO meta (key, value) VALUES ('device_id', ?)", [device_id])
        return device_id

    def _copy_to(self, target: Path) -> Path:
        """Copy the (encrypted) file: checkpoint the WAL into it first so the copy is whole."""
        target.parent.mkdir(parents=True, exist_ok=True)
        self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
        tmp = target.with_suffix(".partial")
        shutil.copyfile(self.path, tmp)
        tmp.replace(target)
        return target

    # -- public API ---------------------------------------------------------------------------
    def submit(self, fn: Callable[[Tx], T], *, actor: str) -> Future[T]:
        """Queue ``fn(tx)`` on the writer thread; the future holds its result or exception."""
        if self._closed:
            raise RuntimeError("store is closed")
        future: Future[T] = Future()
        self._queue.put((lambda: self._transact(fn, actor), future))
        return future

    def write(self, fn: Callable[[Tx], T], *, actor: str) -> T:
        """Run ``fn(tx)`` as one transaction on the writer thread and wait for it.

        Raises ``RuntimeError`` if called from the writer thread (a nested write would wait for
        itself): code already inside a write uses the ``Tx`` it was given.
        """
        if threading.current_thread() is self._thread:
            raise RuntimeError("nested Store.write: use the Tx you already have")
        return self.submit(fn, actor=actor).result()

    def read(self) -> Database:
        """A read connection for the calling thread (opened on first use, closed by :meth:`close`)."""
        db = getattr(self._local, "db", None)
        if db is None:
            db = connect(self.path, self._key, readonly=True)
            self._local.db = db
            with self._readers_lock:
                self._readers.append(db)
        return db

    def rows(self, sql: str, params: Any = ()) -> list[dict[str, Any]]:
        """Convenience read: a list of dict rows."""
        cursor = self.read().execute(sql, params)
        columns = [d[0] for d in cursor.description]
        return [dict(zip(columns, values, strict=True)) for values in cursor.fetchall()]

    def backup(self, target: Path) -> Path:
        """Copy the encrypted database to ``target`` (on the writer thread, between writes)."""
        if self._closed:
            raise RuntimeError("store is closed")
        future: Future[Path] = Future()
        self._queue.put((lambda: self._copy_to(target), future))
        return future.result()

    def add_commit_listener(self, listener: CommitListener) -> None:
        """Call ``listener(tables, case_ids)`` after each commit, ON THE WRITER THREAD."""
        self._listeners.append(listener)

    def remove_commit_listener(self, listener: CommitListener) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)

    def close(self) -> None:
        """Finish queued writes, close every connection and checkpoint the WAL."""
        if self._closed:
            return
        self._closed = True
        self._queue.put(None)
        self._thread.join()
        with self._readers_lock:
            for db in self._readers:
                db.conn.close()
            self._readers.clear()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y%m%dT%H%M%S")


def _store_error(exc: OperationalError) -> StoreError:
    text = str(exc).lower()
    if "full" in text:
        return StoreError(N_("The disk is full, so nothing was saved. Free some space and try again."))
    if "readonly" in text or "read-only" in text:
        return StoreError(N_("The case database is read-only, so nothing was saved."))
    return StoreError(N_("The change could not be saved, so nothing was written ({detail})."), detail=str(exc))
