"""The one definition of a synced row, shared by the laptop and the sync server (Qt-free, no SQLCipher).

Contract:

- :func:`spec` describes every synced entity as the laptop stores it. It is *derived* from the laptop's
  own migrations (``desktop/store/migrations``), run once on a plain in-memory SQLite database, so the
  server checks rows against exactly the tables the laptop has: the same columns, types, ``NOT NULL``,
  defaults, ``CHECK`` constraints and foreign keys, and the same append-only registrations. There is no
  second copy to fall out of step.
- :meth:`RowSpec.problems` says why a row (the merged fields of a server row) could not be stored on a
  laptop: an unknown column, a value of the wrong JSON type for its column, a missing required value,
  or a failed ``CHECK``. An empty list means a laptop can store it (foreign keys aside: those are
  authorised and checked for existence by the server separately, see :meth:`RowSpec.references`).
- :func:`unit_of` is the unit of scope a row belongs to (its case, its person, its household, the
  register log, or reference data); both sides use it, so the server's verification groups and the
  laptop's agree.
- Entity families (:data:`FAMILIES`) and the entities only the server's administration path writes
  (:data:`REFERENCE_ENTITIES`, :data:`ALLOCATION_FIELDS`) are declared here too.

Thread contract: :func:`spec` is built once per process (thread-safe); :meth:`RowSpec.problems` uses
one in-memory SQLite connection per thread.
"""

from __future__ import annotations

import json
import re
import sqlite3
import threading
import uuid
from dataclasses import dataclass, field
from typing import Any

from desktop.store.schema import BOOKKEEPING, is_append_only

# -- declarations ------------------------------------------------------------------------------------

REFERENCE_ENTITIES = frozenset({"team", "agency", "practitioner", "cover", "practitioner_absence"})
"""Staff, their roles and teams, agencies, cover and absence: written only through the server's
administration path; a laptop's push to them is refused (``reference_data``)."""

ALLOCATION_FIELDS: dict[str, frozenset[str]] = {"case_file": frozenset({"team_id", "allocated_worker_id"})}
"""Fields of casework rows that mirror the server's allocation; only the administration path changes them."""

COUNTERS: dict[str, dict[str, str | None]] = {
    # entity -> {field: the field whose rows share one sequence (None: the field is a per-row counter)}
    "cp_plan": {"version_no": None},
    "cp_plan_version": {"version_no": "plan_id"},
}
"""Numbers that must stay unique when two laptops revise offline: a per-row counter merges as
``current + (new - base)``; a per-parent number is renumbered to the next free one."""

PERSON_LIST_FIELDS = frozenset({"child_ids"})
"""Text columns holding a JSON list of person ids (each one is a reference to a person)."""

_IMPLICIT_REFERENCES = {"person_id": "person", "related_person_id": "person", "household_id": "household",
                        "letter_id": "letter"}

REGISTER_UNIT = str(uuid.uuid5(uuid.NAMESPACE_URL, "diogel:register-enquiries"))
"""The unit of register enquiries about nobody on record (no case, no person): the custodians' log."""

_FAMILY_OF: dict[str, str] = {
    **dict.fromkeys(REFERENCE_ENTITIES, "reference"),
    **dict.fromkeys(("person", "address", "household", "household_member", "relationship", "person_flag"),
                    "person"),
    **dict.fromkeys(("cp_visit", "cp_visit_child", "adult_visit", "lac_visit"), "visit"),
    "letter": "letter",
    "letter_release": "letter",
    "welsh_addition": "letter",
    **dict.fromkeys(("child_voice", "adult_wishes", "adult_partnership", "cin_assessment_contact", "escalation",
                     "proceedings_stage", "cp_core_group", "cp_core_group_attendance", "cp_core_group_item",
                     "complaint", "practitioner_allegation", "case_note", "case_note_party", "supervision",
                     "supervision_action", "signoff"),
                    "note"),  # fmt: skip
}

CASE_CORE = frozenset({"case_file", "case_member", "role_assignment", "case_team_history", "cp_conference",
                       "cp_conference_invitation"})  # fmt: skip
"""The case records every role with the case in scope may read: that it exists, its people, who holds
which role, and its conferences (for invitations and letters)."""

REGISTER_ENTITIES = frozenset({"register_entry", "register_history", "register_enquiry"})
"""The child protection register and its enquiries log (the register custodian's)."""
_PLAN = re.compile(r"(cp|adult|cin)_plan(_[a-z_]+)?|lac_care_plan|permanence_plan")
FAMILIES = ("person", "case", "visit", "plan", "letter", "note", "reference")


def family_of(entity: str) -> str:
    """The entity family (for the scope rules and the authorisation matrix)."""
    if entity in _FAMILY_OF:
        return _FAMILY_OF[entity]
    return "plan" if _PLAN.fullmatch(entity) else "case"


# -- units of scope ----------------------------------------------------------------------------------


def unit_of(entity: str, row_id: str, case_id: str | None, data: dict[str, Any]) -> str | None:
    """The unit a row belongs to: its case; else a person (the person row itself, or the person it
    carries); else its household; else the register log; ``None`` for reference data."""
    if entity in REFERENCE_ENTITIES:
        return None
    if case_id:
        return case_id
    if entity in ("person", "household"):
        return row_id
    person = data.get("person_id")
    if isinstance(person, str) and person:
        return person
    return REGISTER_UNIT if entity == "register_enquiry" else None


# -- the spec ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    name: str
    affinity: str  # TEXT, INTEGER, REAL, BLOB or "" (none declared)
    required: bool  # NOT NULL and no default: an insert must give it
    notnull: bool
    references: str | None  # the entity a value points at (foreign key or implicit reference)
    default: Any = None
    """What the laptop's SQLite stores when an insert does not give the column (its ``DEFAULT``): a row
    pushed without it holds this on every laptop, so the server reads an absent field as this."""


@dataclass(frozen=True)
class EntitySpec:
    name: str
    columns: dict[str, Column]
    append_only: bool
    family: str
    reference: bool
    constrained: bool = True
    """The laptop's table has a CHECK constraint: only then can SQLite refuse a row that the checks in
    Python (:meth:`RowSpec.problems`) let through, so only then is the row inserted to see."""

    @property
    def fields(self) -> frozenset[str]:
        """The columns a push may set (bookkeeping excluded)."""
        return frozenset(c for c in self.columns if c not in BOOKKEEPING)


@dataclass(frozen=True)
class Problem:
    """Why a laptop could not store a row: ``field`` ('' for the row) and a short English message."""

    field: str
    message: str


# What a column accepts: what the laptop's SQLite stores as that column expects (a number in a TEXT column
# becomes its text); never an object or a list.
_JSON_OK: dict[str, tuple[type, ...]] = {
    "TEXT": (str, int, float),
    "BLOB": (str,),  # the laptop sends bytes as text
    "INTEGER": (int,),  # bool is an int: stored as 0/1
    "REAL": (int, float),
    "": (str, int, float),
}


@dataclass
class RowSpec:
    entities: dict[str, EntitySpec]
    ddl: list[str]
    _local: threading.local = field(default_factory=threading.local, repr=False)

    def get(self, entity: str) -> EntitySpec | None:
        return self.entities.get(entity)

    def references(self, entity: str, data: dict[str, Any]) -> list[tuple[str, str, str]]:
        """(field, target entity, target id) of every reference the values make; a value that is not a
        well-formed id is a :meth:`problems` matter, not a reference."""
        es = self.entities.get(entity)
        if es is None:
            return []
        out: list[tuple[str, str, str]] = []
        for name, value in data.items():
            col = es.columns.get(name)
            if col is None or value is None:
                continue
            if col.references and isinstance(value, str) and _is_uuid(value):
                out.append((name, col.references, value.lower()))
            elif name in PERSON_LIST_FIELDS and isinstance(value, str):
                out += [(name, "person", v.lower()) for v in _id_list(value) or [] if _is_uuid(v)]
        return out

    def problems(self, entity: str, data: dict[str, Any]) -> list[Problem]:
        """Why ``data`` (every field of the row, as the server holds it) could not be stored by a laptop."""
        es = self.entities.get(entity)
        if es is None:
            return [Problem("", f"no such record type: {entity}")]
        out: list[Problem] = []
        for name, value in data.items():
            col = es.columns.get(name)
            if col is None or name in BOOKKEEPING and name not in ("updated_at", "updated_by"):
                out.append(Problem(name, "no such field"))
                continue
            if value is None:
                if col.notnull:
                    out.append(Problem(name, "a value is required"))
                continue
            if not isinstance(value, _JSON_OK[col.affinity]):
                out.append(Problem(name, f"{_kind(col.affinity)} expected"))
            elif col.references and not _is_uuid(value):
                out.append(Problem(name, "an id (UUID) expected"))
            elif name in PERSON_LIST_FIELDS and (not isinstance(value, str) or _id_list(value) is None):
                out.append(Problem(name, "a JSON list of person ids expected"))
        for col in es.columns.values():
            if col.required and col.name not in BOOKKEEPING and col.name not in data:
                out.append(Problem(col.name, "a value is required"))
        if not out and es.constrained:
            out += self._check_constraints(es, data)
        return out

    # -- the laptop's own CHECK constraints, evaluated by SQLite itself ---------------------------------
    def _conn(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=True)
            for statement in self.ddl:
                conn.execute(statement)
            self._local.conn = conn
            self._local.sql = {}
        return conn

    def _check_constraints(self, es: EntitySpec, data: dict[str, Any]) -> list[Problem]:
        """The row inserted into the laptop's own table in an in-memory SQLite database: one statement a
        row. ``INSERT OR REPLACE`` under the one fixed id keeps at most one row per table (the row before
        is replaced, never compared with), so nothing needs rolling back; a failed CHECK or NOT NULL
        aborts the statement exactly as a plain ``INSERT`` would (:meth:`problems` has already refused
        every NULL a NOT NULL column could take a default for, and the tables have no UNIQUE
        constraints), and the table is left as it was."""
        row = dict(_BASE_ROW)
        row.update({k: v for k, v in data.items() if k in es.columns})
        conn = self._conn()
        key = (es.name, *row)
        sql: str | None = self._local.sql.get(key)
        if sql is None:
            names = ", ".join(f'"{c}"' for c in row)
            marks = ", ".join("?" for _ in row)
            sql = self._local.sql[key] = f'INSERT OR REPLACE INTO "{es.name}" ({names}) VALUES ({marks})'
        try:
            conn.execute(sql, list(row.values()))
        except sqlite3.IntegrityError as exc:
            text = str(exc)
            match = _FAILED.search(text)
            return [Problem(match.group(1) if match and match.group(1) in es.columns else "", text)]
        return []


_BASE_ROW: dict[str, Any] = {"id": "x", "case_id": None, "created_at": "x", "created_by": "x", "updated_at": "x",
                             "updated_by": "x", "version": 0, "deleted": 0}  # fmt: skip
"""The bookkeeping a checked row is given (the laptop's store sets these itself)."""
_FAILED = re.compile(r"(?:NOT NULL constraint failed: \w+\.|CHECK constraint failed: )(\w+)")


def _kind(affinity: str) -> str:
    return {"TEXT": "text", "BLOB": "text", "INTEGER": "an integer", "REAL": "a number"}.get(affinity, "a plain value")


_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


def _is_uuid(value: Any) -> bool:
    return isinstance(value, str) and _UUID.fullmatch(value) is not None


def _id_list(text: str) -> list[str] | None:
    try:
        value = json.loads(text)
    except ValueError:
        return None
    if not isinstance(value, list) or not all(isinstance(v, str) and _is_uuid(v) for v in value):
        return None
    return value




def _affinity(declared: str) -> str:
    d = declared.upper()
    if "INT" in d:
        return "INTEGER"
    if any(x in d for x in ("CHAR", "CLOB", "TEXT")):
        return "TEXT"
    if "BLOB" in d:
        return "BLOB"
    if any(x in d for x in ("REAL", "FLOA", "DOUB")):
        return "REAL"
    return ""


def build_spec() -> RowSpec:
    """Run the laptop's migrations on a plain in-memory SQLite database and describe its synced tables."""
    from sqlite_utils import Database

    from desktop.store.migrations import MIGRATIONS

    db = Database(memory=True)
    MIGRATIONS.apply(db)
    entities: dict[str, EntitySpec] = {}
    ddl: list[str] = []
    tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
    for name in tables:
        info = db.execute(f"PRAGMA table_info([{name}])").fetchall()
        cols = {r[1] for r in info}
        if not BOOKKEEPING <= cols:
            continue
        fks = {r[3]: r[2] for r in db.execute(f"PRAGMA foreign_key_list([{name}])").fetchall()}
        columns = {}
        for _cid, col, declared, notnull, default, _pk in info:
            target = fks.get(col) or _IMPLICIT_REFERENCES.get(col)
            value = db.execute(f"SELECT {default}").fetchone()[0] if default is not None else None
            columns[col] = Column(col, _affinity(declared or ""), bool(notnull) and default is None,
                                  bool(notnull), target, value)  # fmt: skip
        sql = db.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", [name]).fetchone()[0]
        # Without a CHECK (and not STRICT, where a type could be refused) SQLite refuses nothing that
        # problems() lets through: NOT NULL and required values are checked in Python, and foreign keys
        # are not enforced in the checking database. "CHECK" in a column's name only costs a lookup.
        constrained = "CHECK" in sql.upper() or "STRICT" in sql.upper()
        entities[name] = EntitySpec(name, columns, is_append_only(name), family_of(name), name in REFERENCE_ENTITIES,
                                    constrained)  # fmt: skip
        ddl.append(sql)
    return RowSpec(entities, ddl)


_SPEC: RowSpec | None = None
_SPEC_LOCK = threading.Lock()


def spec() -> RowSpec:
    """The laptop's row definition (built on first use, then shared)."""
    global _SPEC
    with _SPEC_LOCK:
        if _SPEC is None:
            _SPEC = build_spec()
        return _SPEC
