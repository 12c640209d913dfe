"""Open the SQLCipher database through sqlite-utils (Qt-free).

Every connection is keyed with the raw 256-bit key (no per-connection KDF), in WAL mode, with
foreign keys on and temporary tables kept in memory, so nothing readable reaches the disk:
SQLCipher encrypts the database pages and the WAL; ``temp_store=MEMORY`` keeps sorts and
temporary indexes off the disk.
"""

from __future__ import annotations

from pathlib import Path

import sqlcipher3
import sqlite_utils

from desktop.errors import StoreError
from desktop.i18n import N_
from desktop.store.caseload_index import register as register_caseload_functions
from desktop.store.integrity import DatabaseDamaged, disk_is_full, open_readonly

# sqlcipher3 raises its own DB-API exception classes; re-export them for callers.
DatabaseError = sqlcipher3.DatabaseError
OperationalError = sqlcipher3.OperationalError
IntegrityError = sqlcipher3.IntegrityError


class DiskFull(StoreError):
    """The disk is full: the database cannot even be opened for writing (SQLite has no room for its
    write-ahead log and shared-memory files)."""


def connect(path: Path, key: bytes, *, readonly: bool = False, immutable: bool = False) -> sqlite_utils.Database:
    """A keyed connection wrapped in a sqlite-utils ``Database``.

    Raises :class:`StoreError` when the file is not a database this key opens (truncated,
    corrupt, or not ours), :class:`DiskFull` when the disk has no room to open it for writing.
    ``isolation_level=None``: transactions are explicit (``BEGIN IMMEDIATE`` on the writer), so
    nothing commits half a write behind our back. ``immutable`` (read-only, a full disk): SQLite
    neither locks the file nor needs its shared-memory file.
    """
    if immutable:
        conn = open_readonly(Path(path), key, immutable=True)
    else:
        conn = sqlcipher3.connect(str(path), isolation_level=None, check_same_thread=False, timeout=30)
    register_caseload_functions(conn)  # the caseload table's triggers call these (m0022)
    try:
        conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
        conn.execute("PRAGMA cipher_log_level = NONE")  # a damaged page is reported to the caller, not stderr
        conn.execute("PRAGMA cipher_memory_security = OFF")  # mlock costs a lot, buys little here
        conn.execute("PRAGMA temp_store = MEMORY")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA busy_timeout = 30000")
        # Reading the schema forces decryption of page 1: a wrong key or a corrupt file fails here.
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        if not readonly:
            conn.execute("PRAGMA journal_mode = WAL")
            # FULL: a commit is on disk before the write returns (a closed lid loses nothing).
            conn.execute("PRAGMA synchronous = FULL")
        else:
            conn.execute("PRAGMA query_only = ON")
    except sqlcipher3.DatabaseError as exc:
        conn.close()
        if isinstance(exc, sqlcipher3.OperationalError) and disk_is_full(Path(path).parent, exc):
            raise DiskFull(N_("The disk is full, so Diogel cannot open the case database for writing.")) from exc
        raise DatabaseDamaged(
            N_("The case database could not be opened: the file is damaged or incomplete ({detail})."),
            problems=[str(exc)], detail=str(exc),
        ) from exc
    return sqlite_utils.Database(conn)


def integrity_problems(db: sqlite_utils.Database) -> list[str]:
    """Problems found by SQLite's integrity and foreign-key checks and SQLCipher's page HMACs;
    an empty list means the file is sound."""
    problems = [row[0] for row in db.execute("PRAGMA integrity_check").fetchall() if row[0] != "ok"]
    problems += [row[0] for row in db.execute("PRAGMA cipher_integrity_check").fetchall()]
    problems += [f"foreign key: {row}" for row in db.execute("PRAGMA foreign_key_check").fetchall()]
    return problems
