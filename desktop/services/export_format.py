"""The export format as a schema, and the check every import passes before anything is written (Qt-free).

The schema is the database's own: a private in-memory database built through the real migrations
(:func:`export_schema`) gives each table's columns with their declared types and ``NOT NULL``
constraints. :func:`validate_export` then checks, in order, and stops at the first problem with a
message naming where it is (table, row number from 1, column) and what is wrong:

1. the shape: a JSON object of this format and version, migrations this build knows, ``tables`` an
   object of known table → list of rows, each row an object of known column → a JSON scalar (or
   ``{"$base64": …}``) of the column's declared type;
2. every constraint of the real schema — ``NOT NULL``, ``CHECK``, primary keys and ``UNIQUE`` (a
   repeated id), foreign keys (a row pointing at one the export does not have) — by loading the rows
   into the in-memory database, exactly as the import will load them into the new profile's file;
3. that the profile would open: ``meta`` names the signed-in person and the export has them;
4. that the audit chain verifies (an export edited since it was made is refused).

Nothing reaches the disk until all of that has passed.
"""

from __future__ import annotations

import base64
import binascii
import functools
from dataclasses import dataclass
from typing import Any

import sqlcipher3
import sqlite_utils

from desktop.errors import DiogelError
from desktop.i18n import N_
from desktop.store.audit import GENESIS, entry_hash
from desktop.store.migrations import MIGRATIONS, known_names
from desktop.store.migrations.m0019_casework_records import DERIVED as NOTE_INDEX
from desktop.store.migrations.m0025_caseload_search import DERIVED as CASELOAD_SEARCH

FORMAT = "diogel-export"
VERSION = 1
SKIP_TABLES = {"_sqlite_migrations", "sqlite_sequence"}
DERIVED_TABLES = {"cp_latest_visit", "caseload_index", "due_kept", *NOTE_INDEX, *CASELOAD_SEARCH}  # kept from the rows they summarise (triggers; due_kept: My work)
LOCAL_META = {"device_id"}  # each profile keeps its own device identity


class ExportInvalid(DiogelError):
    """An export that cannot be imported; the message says where and what. Nothing was written."""


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    affinity: str  # "integer", "text", "real", "blob" or "" (any)
    notnull: bool
    has_default: bool


@dataclass(frozen=True, slots=True)
class Table:
    name: str
    columns: dict[str, Column]


def _affinity(declared: str) -> str:
    """SQLite's type affinity rules, for the declared types Diogel uses."""
    t = declared.upper()
    if "INT" in t:
        return "integer"
    if any(x in t for x in ("CHAR", "CLOB", "TEXT")):
        return "text"
    if "BLOB" in t or not t:
        return "blob" if "BLOB" in t else ""
    return "real"


def schema_database() -> sqlite_utils.Database:
    """A private, empty in-memory database with every migration applied (nothing on disk)."""
    db = sqlite_utils.Database(sqlcipher3.connect(":memory:", isolation_level=None, check_same_thread=False))
    db.execute("PRAGMA foreign_keys = ON")
    MIGRATIONS.apply(db)
    return db


@functools.cache
def export_schema() -> dict[str, Table]:
    """Every table an export may carry, with its columns (the schema of this build)."""
    db = schema_database()
    tables: dict[str, Table] = {}
    names = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
    for name in names:
        if name in SKIP_TABLES | DERIVED_TABLES or name.startswith("sqlite_"):
            continue
        columns = {
            r[1]: Column(name=r[1], affinity=_affinity(r[2] or ""), notnull=bool(r[3]), has_default=r[4] is not None)
            for r in db.execute(f"PRAGMA table_info([{name}])").fetchall()
        }
        tables[name] = Table(name, columns)
    db.conn.close()
    return tables


def _kind(value: Any) -> str:
    """A JSON value's type, as JSON names it (shown in messages in both languages)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


_EXPECTED = {"integer": "integer", "text": "string", "real": "number", "blob": '{"$base64": …}'}


def decode_value(value: Any) -> Any:
    """A stored value from its JSON form (BLOBs come as ``{"$base64": …}``)."""
    if isinstance(value, dict) and set(value) == {"$base64"}:
        return base64.b64decode(value["$base64"])
    return value


def _check_value(table: str, row: int, column: Column, value: Any) -> None:
    def wrong() -> ExportInvalid:
        return ExportInvalid(N_("Table {table}, row {row}, column {column}: expected {expected}, found {found}."),
                             table=table, row=row, column=column.name,
                             expected=_EXPECTED.get(column.affinity, "a value"), found=_kind(value))

    if value is None:
        return
    if isinstance(value, dict):
        if set(value) != {"$base64"} or not isinstance(value["$base64"], str):
            raise wrong()
        try:
            base64.b64decode(value["$base64"].encode("ascii"), validate=True)
        except (binascii.Error, UnicodeEncodeError) as exc:
            raise wrong() from exc
        if column.affinity not in ("blob", ""):
            raise wrong()
        return
    if isinstance(value, list):
        raise wrong()
    if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
        raise wrong()
    ok = {
        "integer": isinstance(value, int),
        "text": isinstance(value, str),
        "real": isinstance(value, int | float) and not isinstance(value, bool),
        "blob": isinstance(value, str),  # a printed letter's PDF is kept as base64 text
        "": True,
    }[column.affinity]
    if not ok:
        raise wrong()


def _check_shape(data: Any) -> dict[str, list[dict[str, Any]]]:
    if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("version") != VERSION:
        raise ExportInvalid(N_("This file is not a Diogel export this version can read."))
    migrations = data.get("migrations")
    if not isinstance(migrations, list) or not all(isinstance(m, str) for m in migrations):
        raise ExportInvalid(N_("This export's “migrations” must be a list of migration names."))
    unknown = sorted(set(migrations) - set(known_names()))
    if unknown:
        raise ExportInvalid(N_("This export comes from a newer version of Diogel ({names})."), names=", ".join(unknown))
    if "tables" not in data:
        raise ExportInvalid(N_("This export has no “tables”: it holds no rows, so a profile made from it could not"
                               " be opened."))
    tables = data["tables"]
    if not isinstance(tables, dict):
        raise ExportInvalid(N_("This export's “tables” must be an object with a list of rows for each table; it is"
                               " {found}."), found=_kind(tables))
    schema = export_schema()
    unknown_tables = sorted(t for t in tables if t not in schema)
    if unknown_tables:
        raise ExportInvalid(N_("This export has tables this version does not know: {names}."),
                            names=", ".join(unknown_tables))
    for name, rows in tables.items():
        if not isinstance(rows, list):
            raise ExportInvalid(N_("Table {table} of this export must be a list of rows; it is {found}."),
                                table=name, found=_kind(rows))
        columns = schema[name].columns
        for n, row in enumerate(rows, 1):
            if not isinstance(row, dict):
                raise ExportInvalid(N_("Table {table}, row {row}: a row must be an object of column names and"
                                       " values; it is {found}."), table=name, row=n, found=_kind(row))
            for column, value in row.items():
                if column not in columns:
                    raise ExportInvalid(N_("Table {table}, row {row}: there is no column called {column}."),
                                        table=name, row=n, column=column)
                _check_value(name, n, columns[column], value)
            for column in columns.values():
                if column.notnull and not column.has_default and row.get(column.name) is None:
                    raise ExportInvalid(N_("Table {table}, row {row}: column {column} must have a value."),
                                        table=name, row=n, column=column.name)
    return tables


def load_rows(db: sqlite_utils.Database, tables: dict[str, list[dict[str, Any]]]) -> dict[str, int]:
    """Insert every row verbatim inside the caller's transaction (foreign keys checked at the end, so
    tables may come in any order). Raises :class:`ExportInvalid` naming the row a constraint refuses.
    Returns rows per table."""
    db.execute("PRAGMA defer_foreign_keys = ON")
    rowids: dict[tuple[str, int], int] = {}
    counts: dict[str, int] = {}
    for table, rows in tables.items():
        for n, row in enumerate(rows, 1):
            if table == "meta" and row.get("key") in LOCAL_META:
                continue
            cols = list(row)
            try:
                cursor = db.execute(
                    f"INSERT INTO [{table}] ({', '.join(f'[{c}]' for c in cols)}) VALUES ({', '.join('?' * len(cols))})",
                    [decode_value(row[c]) for c in cols],
                )
            except sqlcipher3.IntegrityError as exc:
                raise ExportInvalid(N_("Table {table}, row {row}: {detail}."), table=table, row=n,
                                    detail=str(exc)) from exc
            rowids[(table, cursor.lastrowid or 0)] = n
        counts[table] = len(rows)
    problems = db.execute("PRAGMA foreign_key_check").fetchall()
    if problems:
        table, rowid, parent, fkid = problems[0]
        fk = [r for r in db.execute(f"PRAGMA foreign_key_list([{table}])").fetchall() if r[0] == fkid]
        raise ExportInvalid(N_("Table {table}, row {row}: column {column} refers to a row of {parent} that is not in"
                               " the export."), table=table, row=rowids.get((table, rowid), rowid),
                            column=fk[0][3] if fk else "?", parent=parent)
    return counts


def _check_opens(tables: dict[str, list[dict[str, Any]]]) -> None:
    users = [r.get("value") for r in tables.get("meta", []) if r.get("key") == "user_id"]
    people = {r.get("id") for r in tables.get("practitioner", [])}
    if len(users) != 1 or users[0] not in people:
        raise ExportInvalid(N_("This export has no signed-in person (the meta row user_id naming a practitioner in"
                               " it), so a profile made from it could not be opened."))


def _seq(row: dict[str, Any]) -> int:
    seq = row.get("seq")
    return seq if isinstance(seq, int) else -1


def _check_chain(tables: dict[str, list[dict[str, Any]]]) -> None:
    prev, expected = GENESIS, 1
    for row in sorted(tables.get("audit", []), key=_seq):
        try:
            whole = entry_hash(prev, row) == row.get("hash")
        except (KeyError, TypeError, ValueError):
            whole = False
        if row.get("seq") != expected or row.get("prev_hash") != prev or not whole:
            raise ExportInvalid(N_("This export's audit chain is broken at entry {seq}: it was changed after it was"
                                   " exported."), seq=expected)
        prev, expected = row["hash"], expected + 1


def validate_export(data: Any) -> dict[str, list[dict[str, Any]]]:
    """Check ``data`` against the export format (see the module's docstring); returns its tables.
    Raises :class:`ExportInvalid` with the first problem found; writes nothing anywhere."""
    tables = _check_shape(data)
    _check_opens(tables)
    _check_chain(tables)
    db = schema_database()
    try:
        db.execute("BEGIN")
        load_rows(db, tables)
        db.execute("ROLLBACK")
    finally:
        db.conn.close()
    return tables
