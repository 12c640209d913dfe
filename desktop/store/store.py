"""The encrypted store: one writer thread, read connections per thread (Qt-free).

All writes run on one thread that owns the only writing connection (SQLite allows one writer;
funnelling writes through one thread means no "database is locked" and a strict order).
:meth:`Store.write` hands a function to that thread, which runs it inside ``BEGIN IMMEDIATE``
… ``COMMIT`` with a :class:`~desktop.store.tx.Tx`; an exception rolls everything back and is
re-raised in the caller. Reads use a separate keyed connection per calling thread (WAL lets
them run while a write is in progress).

Damage is caught before anything is written: opening an existing file never creates it (a missing
or 0-byte file is refused), and every page's HMAC is checked (:mod:`desktop.store.integrity`) on a
thread of its own while reads carry on; the writer runs nothing — no migration, no sign-in record,
no backup — until the check has passed, and refuses everything if it failed.
"""

from __future__ import annotations

import queue
import shutil
import threading
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

import sqlcipher3
from sqlite_utils import Database

from desktop.clock import Clock, system_clock
from desktop.errors import StoreError
from desktop.i18n import N_
from desktop.store import caseload_index
from desktop.store.database import OperationalError, connect
from desktop.store.integrity import EMPTY, MISSING, check_database, damage_error
from desktop.store.migrations import MIGRATIONS, known_names
from desktop.store.tx import Tx

T = TypeVar("T")
CommitListener = Callable[[set[str], set[str]], None]


@dataclass(frozen=True, slots=True)
class Change:
    """What one commit changed, for a listener that keeps work per case (:meth:`Store.add_change_listener`).

    ``beyond_cases``: something was recorded that belongs to no case (a person, a worker, a team, a
    pull from the server): anything may have changed, so work kept per case must be thrown away.
    Otherwise only the rows of ``case_ids`` changed (none: a commit that recorded nothing — a draft,
    the sync bookkeeping — which changes no synced row: every change to one goes through :class:`Tx`,
    which records it, and a pull records itself)."""

    tables: frozenset[str]
    case_ids: frozenset[str]
    beyond_cases: bool


SCAN_CACHE_KIB = 512
"""The page cache a connection keeps while it reads through :meth:`Store.scanning` (in KiB)."""


class Store:
    """An open, migrated, encrypted database.

    Raises :class:`StoreError` from the constructor when the file cannot be opened (missing, empty,
    damaged — :class:`~desktop.store.integrity.DatabaseDamaged` — or written by a newer Diogel).
    ``create`` allows a new file (a new profile); otherwise a missing or 0-byte file is refused and
    left as it is. ``read_only`` (the reason: a full disk) opens without a writing connection and
    refuses every write with that reason. ``backups_dir`` receives a copy of the file before any migration runs. The
    integrity check runs in the background: :meth:`verified` waits for it.
    """

    def __init__(
        self,
        path: Path,
        key: bytes,
        *,
        backups_dir: Path | None = None,
        clock: Clock = system_clock,
        create: bool = False,
        read_only: StoreError | None = None,
    ) -> None:
        self.path = Path(path)
        if not create:
            size = self.path.stat().st_size if self.path.exists() else None
            if size is None or size == 0:
                raise damage_error(self.path, [MISSING if size is None else EMPTY])
        self._key = key
        self._generation = 0
        self._damage: StoreError | None = None
        self._read_only: StoreError | None = read_only
        self._verification: Future[list[str]] = Future()
        if create:
            self._verification.set_result([])
        else:
            threading.Thread(target=self._verify, name="diogel-check", daemon=True).start()
        self._backups_dir = backups_dir or self.path.parent / "backups"
        self.clock = clock
        self._queue: queue.Queue[tuple[Callable[[], Any], Future] | None] = queue.Queue()
        self._local = threading.local()
        self._readers: list[Database] = []
        self._readers_lock = threading.Lock()
        # Reads in progress, so that close() never closes a connection under a running query (a crash).
        self._reads = threading.Condition()
        self._active_reads = 0
        self._listeners: list[CommitListener] = []
        self._change_listeners: list[Callable[[Change], None]] = []
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

    # -- the integrity check (its own thread) ----------------------------------------------------
    def _verify(self) -> None:
        try:
            self._verification.set_result(check_database(self.path, self._key))
        except BaseException as exc:  # noqa: BLE001 - a check that cannot run has found a problem
            self._verification.set_result([str(exc) or type(exc).__name__])

    def _damage_from_check(self) -> StoreError | None:
        problems = self._verification.result()
        return damage_error(self.path, problems) if problems else None

    # -- writer thread ------------------------------------------------------------------------
    def _run(self) -> None:
        try:
            if self._read_only is not None:
                self._db = connect(self.path, self._key, readonly=True, immutable=True)
                if MIGRATIONS.pending(self._db):
                    raise self._read_only
                row = self._db.execute("SELECT value FROM meta WHERE key = 'device_id'").fetchone()
                self.device_id = row[0] if row else ""
            else:
                self._db = connect(self.path, self._key)
                if self._needs_writes_to_open():
                    # A migration or a new device id writes: only once the file has been found whole.
                    damage = self._damage_from_check()
                    if damage is not None:
                        raise damage
                self._migrate()
                self.device_id = self._ensure_device_id()
        except BaseException as exc:  # reported to the constructor's caller
            if getattr(self, "_db", None) is not None:
                self._db.conn.close()
            if type(exc) is sqlcipher3.DatabaseError:  # a damaged page read while opening
                exc = self._damage_from_check() or exc
            self._startup_error = exc
            self._ready.set()
            return
        self._ready.set()
        self._damage = self._damage_from_check()  # nothing below runs before the check has answered
        self._serve()

    def _serve(self) -> None:
        while (item := self._queue.get()) is not None:
            job, future = item
            if future.set_running_or_notify_cancel():
                try:
                    if self._damage is not None:
                        raise self._damage
                    future.set_result(job())
                except BaseException as exc:
                    future.set_exception(exc)
        self._db.conn.close()

    def _needs_writes_to_open(self) -> bool:
        if MIGRATIONS.pending(self._db):
            return True
        try:
            return not self._db.execute("SELECT value FROM meta WHERE key = 'device_id'").fetchone()
        except OperationalError:  # no meta table yet: a new file
            return True

    def _transact(self, fn: Callable[[Tx], T], actor: str, notify: bool = True) -> T:
        if self._read_only is not None:
            raise self._read_only
        tx = Tx(self._db, actor=actor, device_id=self.device_id, now=self.clock().isoformat(timespec="milliseconds"))
        try:
            self._db.execute("BEGIN IMMEDIATE")
            result = fn(tx)
            caseload_index.flush(self._db.conn)  # the caseload's search rows of the cases written
            self._db.execute("COMMIT")
        except BaseException as exc:
            caseload_index.discard()
            if self._db.conn.in_transaction:
                self._db.execute("ROLLBACK")
            if isinstance(exc, OperationalError):
                raise _store_error(exc) from exc
            raise
        if not notify:
            return result
        for listener in list(self._listeners):
            listener(tx.touched, tx.cases)
        if self._change_listeners:
            change = Change(frozenset(tx.touched), frozenset(tx.cases), tx.beyond_cases)
            for change_listener in list(self._change_listeners):
                change_listener(change)
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
    def submit(self, fn: Callable[[Tx], T], *, actor: str, notify: bool = True) -> Future[T]:
        """Queue ``fn(tx)`` on the writer thread; the future holds its result or exception.
        ``notify=False``: the commit listeners are not told (a read being audited changes nothing
        anyone shows)."""
        if self._closed:
            raise RuntimeError("store is closed")
        future: Future[T] = Future()
        self._queue.put((lambda: self._transact(fn, actor, notify), future))
        return future

    def write(self, fn: Callable[[Tx], T], *, actor: str, notify: bool = True) -> T:
        """Run ``fn(tx)`` as one transaction on the writer thread and wait for it.

        Raises ``RuntimeError`` if called from the writer thread (a nested write would wait for
        itself): code already inside a write uses the ``Tx`` it was given.
        """
        if threading.current_thread() is self._thread:
            raise RuntimeError("nested Store.write: use the Tx you already have")
        return self.submit(fn, actor=actor, notify=notify).result()

    @contextmanager
    def reading(self) -> Iterator[Database]:
        """The calling thread's read connection while it is used: :meth:`close` waits for it to be
        given back, so no connection is closed under a running query. Raises :class:`StoreClosed`
        once the store is closed (a late read on a worker thread)."""
        with self._reads:
            if self._closed:
                raise StoreClosed("store is closed")
            self._active_reads += 1
        try:
            yield self.read()
        finally:
            with self._reads:
                self._active_reads -= 1
                self._reads.notify_all()

    def read(self) -> Database:
        """A read connection for the calling thread (opened on first use, closed by :meth:`close`).
        Prefer :meth:`reading` or :meth:`rows`, which :meth:`close` waits for."""
        db = getattr(self._local, "db", None)
        if db is None or getattr(self._local, "generation", None) != self._generation:
            db = connect(self.path, self._key, readonly=True, immutable=self._read_only is not None)
            self._local.db, self._local.generation = db, self._generation
            with self._readers_lock:
                self._readers.append(db)
        return db

    @contextmanager
    def scanning(self) -> Iterator[None]:
        """Reads on the calling thread, until the block ends, that pass once over many pages (every case's kept
        answer, for a count): its connection keeps at most :data:`SCAN_CACHE_KIB` of pages meanwhile, and lets
        go of what it had cached, as PostgreSQL reads a large scan through a small ring of buffers. Each
        thread's connection keeps its cache for as long as it lives (SQLCipher's 8,000 KiB by default), so a
        scan on a worker otherwise holds memory the pages will not repay. The cache's size is put back after
        (what a later read finds cached is what it reads itself)."""
        with self.reading() as db:
            size = int(db.execute("PRAGMA cache_size").fetchone()[0])
            db.execute(f"PRAGMA cache_size = -{SCAN_CACHE_KIB}")
        try:
            yield
        finally:
            try:
                with self.reading() as db:
                    db.execute(f"PRAGMA cache_size = {size}")
            except StoreClosed:  # closed meanwhile: so is the connection
                pass

    def rows(self, sql: str, params: Any = ()) -> list[dict[str, Any]]:
        """Convenience read: a list of dict rows. A read that trips over a damaged page waits for the
        integrity check and raises its :class:`~desktop.store.integrity.DatabaseDamaged`."""
        try:
            with self.reading() as db:
                cursor = db.execute(sql, params)
                columns = [d[0] for d in cursor.description]
                return [dict(zip(columns, values, strict=True)) for values in cursor.fetchall()]
        except sqlcipher3.DatabaseError as exc:
            if type(exc) is sqlcipher3.DatabaseError:  # SQLITE_CORRUPT / NOTADB, not a bad query
                damage = self._damage_from_check()
                if damage is not None:
                    raise damage from exc
            raise

    def verified(self, timeout: float | None = None) -> None:
        """Wait for the integrity check; raises :class:`~desktop.store.integrity.DatabaseDamaged`
        if the file is damaged (then every write is refused and nothing has been written)."""
        problems = self._verification.result(timeout)
        if problems:
            raise damage_error(self.path, problems)

    def check_copy(self, path: Path) -> list[str]:
        """:func:`~desktop.store.integrity.check_database` of a copy of this database (a backup)
        under this store's key; an empty list means the copy is whole."""
        return check_database(Path(path), self._key, copy=True)

    @property
    def verification(self) -> Future[list[str]]:
        """The integrity check's answer (the problems found; empty when the file is whole)."""
        return self._verification

    def set_read_only(self, reason: StoreError) -> None:
        """Refuse every write from now on with ``reason`` (a full disk at sign-in)."""
        self._read_only = reason

    @property
    def read_only(self) -> StoreError | None:
        return self._read_only

    def backup(self, target: Path) -> Path:
        """Copy the encrypted database to ``target`` (on the writer thread, between writes)."""
        if self._closed:
            raise RuntimeError("store is closed")
        future: Future[Path] = Future()

        def copy() -> Path:
            if self._read_only is not None:
                raise self._read_only
            return self._copy_to(target)

        self._queue.put((copy, future))
        return future.result()

    def rekey(self, new_key: bytes) -> None:
        """Re-encrypt every page under ``new_key`` (SQLCipher ``PRAGMA rekey``, one transaction on the
        writer thread, between writes); readers reopen with the new key. Afterwards the old key reads
        nothing of this file."""
        if self._closed:
            raise RuntimeError("store is closed")
        future: Future[None] = Future()

        def rekey() -> None:
            if self._read_only is not None:
                raise self._read_only
            self._db.execute(f"PRAGMA rekey = \"x'{new_key.hex()}'\"")
            self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
            self._key = new_key
            self._generation += 1
            with self._readers_lock:
                for db in self._readers:
                    db.conn.close()
                self._readers.clear()

        self._queue.put((rekey, future))
        future.result()

    def add_commit_listener(self, listener: CommitListener) -> None:
        """Call ``listener(tables, case_ids)`` after each commit, ON THE WRITER THREAD."""
        self._listeners.append(listener)

    def remove_commit_listener(self, listener: CommitListener) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)

    def add_change_listener(self, listener: Callable[[Change], None]) -> None:
        """Call ``listener(change)`` after each commit (a :class:`Change`), ON THE WRITER THREAD."""
        self._change_listeners.append(listener)

    def close(self) -> None:
        """Finish queued writes, wait for reads in progress, close every connection and checkpoint the
        WAL. A read that starts afterwards raises :class:`StoreClosed`."""
        with self._reads:
            if self._closed:
                return
            self._closed = True
            self._reads.wait_for(lambda: self._active_reads == 0)
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


class StoreClosed(RuntimeError):
    """A read or write after the store was closed (a late task on a worker thread)."""


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y%m%dT%H%M%S")


def _store_error(exc: OperationalError) -> StoreError:
    text = str(exc).lower()
    if "full" in text:
        return StoreError(N_("The disk is full, so nothing was saved. Free some space and try again."))
    if "readonly" in text or "read-only" in text:
        return StoreError(N_("The case database is read-only, so nothing was saved."))
    return StoreError(N_("The change could not be saved, so nothing was written ({detail})."), detail=str(exc))
