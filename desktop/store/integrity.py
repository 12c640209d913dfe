"""Is an encrypted database file whole? (Qt-free)

:func:`check_database` never creates, migrates or writes the file it checks: it opens it read-only
(``mode=ro``) and asks SQLCipher to verify the HMAC of every page (``PRAGMA cipher_integrity_check``:
one changed byte anywhere fails its page), after cheap checks that catch what the HMACs cannot — a
missing or empty file, a file that ends part-way through a page, and a file truncated at a page
boundary (the header then names more pages than there are, which SQLite reports as malformed).

It costs about 12 ms per 1,000 pages on the bench machine (0.65 s for the 231 MB, 5,000-case bench
profile), so sign-in runs it on its own thread while the window is built (see :class:`Store`), and
every write waits for its answer.
"""

from __future__ import annotations

import errno
import shutil
from pathlib import Path

import sqlcipher3

from desktop.errors import StoreError
from desktop.i18n import N_

PAGE_SIZE = 4096  # SQLCipher 4's default, which Diogel never changes
MISSING = "missing"
EMPTY = "empty"


def open_readonly(path: Path, key: bytes, *, immutable: bool = False) -> sqlcipher3.Connection:
    """A keyed connection that cannot create or change ``path`` (``immutable``: not even lock it,
    for a full disk where SQLite cannot make its shared-memory file)."""
    uri = path.absolute().as_uri() + ("?mode=ro&immutable=1" if immutable else "?mode=ro")
    conn = sqlcipher3.connect(uri, uri=True, isolation_level=None, check_same_thread=False, timeout=30)
    conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    conn.execute("PRAGMA cipher_log_level = NONE")  # damaged pages are reported here, not on stderr
    return conn


def check_database(path: Path, key: bytes, *, copy: bool = False) -> list[str]:
    """What is wrong with the database at ``path`` under ``key``; an empty list means it is whole.

    ``[MISSING]`` or ``[EMPTY]`` for no file or a 0-byte one (nothing else is tried); otherwise one
    line per problem in SQLCipher's or SQLite's words (page numbers included). ``copy``: a backup
    nobody writes to, read as it is on disk (no lock, no shared-memory file left beside it)."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return [MISSING]
    if size == 0:
        return [EMPTY]
    problems: list[str] = []
    if size % PAGE_SIZE:
        problems.append(f"the file ends part-way through a page ({size} bytes)")
    try:
        conn = open_readonly(path, key, immutable=True) if copy else _open_for_check(path, key)
    except sqlcipher3.Error as exc:
        return [*problems, str(exc)]
    try:
        for query in ("SELECT count(*) FROM sqlite_master", "PRAGMA page_count"):
            try:
                conn.execute(query).fetchall()
            except sqlcipher3.DatabaseError as exc:
                problems.append(str(exc))
                break
        try:
            problems += [str(row[0]) for row in conn.execute("PRAGMA cipher_integrity_check").fetchall()]
        except sqlcipher3.DatabaseError as exc:
            problems.append(str(exc))
    finally:
        conn.close()
    return list(dict.fromkeys(problems))


def _open_for_check(path: Path, key: bytes) -> sqlcipher3.Connection:
    conn = open_readonly(path, key)
    try:
        conn.execute("PRAGMA schema_version").fetchone()  # SQLite makes its shared-memory file here
        return conn
    except sqlcipher3.OperationalError as exc:
        conn.close()
        if not disk_is_full(path.parent, exc):
            raise
    except sqlcipher3.Error:
        conn.close()
        raise
    # A full disk has no room for the shared-memory file: read the file as it is on disk.
    return open_readonly(path, key, immutable=True)


def disk_is_full(folder: Path, exc: BaseException | None = None) -> bool:
    """Whether a failed write is the disk being full: ENOSPC/EDQUOT, SQLite's "database or disk is
    full", or any I/O failure while the disk has (almost) no space left."""
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return True
    text = str(exc or "").lower()
    if "full" in text:
        return True
    try:
        return shutil.disk_usage(folder).free < 1024 * 1024
    except OSError:
        return False


class DatabaseDamaged(StoreError):
    """The database file is missing, empty or damaged. ``problems`` says what (for the log and
    ``diogel check``); ``backup`` is the newest backup that passed the same check, if any. The file
    has not been written to."""

    def __init__(self, msgid: str, *, problems: list[str], backup: Path | None = None, **params: object) -> None:
        super().__init__(msgid, **params)
        self.problems = problems
        self.backup = backup


def damage_error(path: Path, problems: list[str], backup: Path | None = None) -> DatabaseDamaged:
    """The message for ``problems`` of :func:`check_database`, naming the backup on offer."""
    offer = {"backup_file": backup.name} if backup else {}
    if problems == [MISSING]:
        msgid = (N_("The case database {file} is missing; nothing has been created in its place. The newest"
                    " backup that checks out is {backup_file}: restore it.") if backup else
                 N_("The case database {file} is missing; nothing has been created in its place, and there is"
                    " no backup that checks out. Ask the helpdesk."))
    elif problems == [EMPTY]:
        msgid = (N_("The case database {file} is empty (0 bytes); it has been left as it is. The newest backup"
                    " that checks out is {backup_file}: restore it.") if backup else
                 N_("The case database {file} is empty (0 bytes); it has been left as it is, and there is no"
                    " backup that checks out. Ask the helpdesk."))
    else:
        msgid = (N_("The case database {file} is damaged ({detail}); nothing has been written to it. The"
                    " newest backup that checks out is {backup_file}: restore it.") if backup else
                 N_("The case database {file} is damaged ({detail}); nothing has been written to it, and"
                    " there is no backup that checks out. Ask the helpdesk."))
    return DatabaseDamaged(msgid, problems=problems, backup=backup, file=path.name,
                           detail=problems[0] if problems else "", **offer)
