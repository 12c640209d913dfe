"""``Store.scanning()``: a read that passes once over many pages keeps only a small page cache on its thread's
connection, and the connection's own cache size is put back after (an error or the store closing meanwhile
included). On a real encrypted store; SQLite's own memory is read from the SQLCipher library itself."""

from __future__ import annotations

import ctypes
import threading
from collections.abc import Callable
from typing import Any

import pytest
import sqlcipher3

from desktop.services.session import Session
from desktop.store.store import SCAN_CACHE_KIB, StoreClosed

ROWS, ROW_BYTES = 600, 8192  # about 5 MB of pages: more than a scan keeps, less than a connection's own cache


def _memory_used() -> Callable[[], int]:
    """SQLite's ``sqlite3_memory_used`` (every connection of the process), from the linked SQLCipher."""
    library = ctypes.CDLL(sqlcipher3._sqlite3.__file__)  # noqa: SLF001 - the extension module holds SQLCipher
    try:
        used = library.sqlite3_memory_used
    except AttributeError:  # pragma: no cover - a build that does not export it
        pytest.skip("this SQLCipher build does not export sqlite3_memory_used")
    used.restype = ctypes.c_int64
    return used  # type: ignore[no-any-return]


def _fill(session: Session) -> None:
    session.write(lambda tx: tx.db.conn.executemany(
        "INSERT INTO meta (key, value) VALUES (?, ?)",
        [(f"scan-test-{i}", f"{i:08d}" * (ROW_BYTES // 8)) for i in range(ROWS)]))


def _on_a_new_thread(fn: Callable[[], Any]) -> Any:
    """``fn()`` on a thread of its own (so with a read connection of its own, its cache empty)."""
    out: list[Any] = []
    thread = threading.Thread(target=lambda: out.append(fn()))
    thread.start()
    thread.join()
    return out[0]


def test_a_scan_keeps_a_small_cache_and_the_connection_gets_its_own_size_back(session: Session) -> None:
    _fill(session)
    store, used = session.store, _memory_used()
    read = "SELECT sum(length(value)) AS n FROM meta WHERE key LIKE 'scan-test-%'"

    def plain() -> tuple[int, int]:
        start = used()
        total = store.rows(read)[0]["n"]
        return total, used() - start

    def scanned() -> tuple[int, int, int, int]:
        own = store.rows("PRAGMA cache_size")[0]["cache_size"]
        start = used()
        with store.scanning():
            assert store.rows("PRAGMA cache_size")[0]["cache_size"] == -SCAN_CACHE_KIB
            total = store.rows(read)[0]["n"]
            grown = used() - start
        return total, grown, own, store.rows("PRAGMA cache_size")[0]["cache_size"]

    total, grown = _on_a_new_thread(plain)
    assert total == ROWS * ROW_BYTES
    assert grown > 4 * 2**20  # a plain read keeps the pages it read
    total, grown, own, after = _on_a_new_thread(scanned)
    assert total == ROWS * ROW_BYTES  # the same answer
    assert grown < (SCAN_CACHE_KIB + 512) * 1024  # at most the scan's cache (and the statement's own memory)
    assert after == own  # the connection's own size is back


def test_the_size_comes_back_after_an_error_and_a_close_meanwhile_is_no_error(session: Session) -> None:
    store = session.store
    own = store.rows("PRAGMA cache_size")[0]["cache_size"]
    with pytest.raises(ZeroDivisionError), store.scanning():
        _ = 1 / 0
    assert store.rows("PRAGMA cache_size")[0]["cache_size"] == own
    with store.scanning():
        store.close()  # e.g. signed out while a count runs on a worker
    with pytest.raises(StoreClosed):
        store.rows("SELECT 1")
