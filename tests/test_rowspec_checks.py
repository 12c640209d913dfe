"""The server's row check refuses exactly what the laptop's own SQLite refuses.

``RowSpec`` checks a row's CHECK constraints with one ``INSERT OR REPLACE`` a row into a checking
database that keeps the last row checked (issue 22: the push's validation was three SQLite statements a
row). The oracle here is the laptop's schema as a laptop would meet the row: a fresh in-memory database
built from the same DDL, the row inserted in its own transaction and rolled back. Random rows (valid,
invalid, and runs of rows one after another, so a row left behind by the check before could show)
must get the same problems from both.
"""

from __future__ import annotations

import dataclasses
import re
import sqlite3
import types
import uuid
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.store.rowspec import EntitySpec, Problem, RowSpec, spec

SPEC = spec()
# Entities with CHECK constraints: where the one-statement check could differ from the laptop.
CHECKED = sorted(name for name, es in SPEC.entities.items() if es.constrained)
# The others: SQLite is not asked at all, so the checks in Python must refuse all the laptop would.
UNCHECKED = sorted(name for name, es in SPEC.entities.items() if not es.constrained)


def _literals(entity: str) -> list[Any]:
    """The quoted words and numbers the entity's DDL mentions: values near its CHECKs' edges."""
    ddl = next(d for d in SPEC.ddl if re.search(rf'\b"?{entity}"?\s*\(', d))
    words = re.findall(r"'([^']*)'", ddl)
    numbers = [int(n) for n in re.findall(r"(?<![\w.])(-?\d+)(?![\w.])", ddl)]
    return [*words, *numbers, *(n + 1 for n in numbers), *(n - 1 for n in numbers)]


def _laptop_constraints(self: RowSpec, es: EntitySpec, data: dict[str, Any]) -> list[Problem]:
    """The oracle: a fresh database of the laptop's DDL, the row inserted in its own transaction."""
    conn = sqlite3.connect(":memory:", isolation_level=None)
    try:
        for statement in self.ddl:
            conn.execute(statement)
        row: dict[str, Any] = {"id": "x", "case_id": None, "created_at": "x", "created_by": "x",
                               "updated_at": "x", "updated_by": "x", "version": 0, "deleted": 0}  # fmt: skip
        row.update({k: v for k, v in data.items() if k in es.columns})
        names = ", ".join(f'"{c}"' for c in row)
        conn.execute("BEGIN")
        try:
            conn.execute(f'INSERT INTO "{es.name}" ({names}) VALUES ({", ".join("?" for _ in row)})',
                         list(row.values()))  # fmt: skip
        except sqlite3.IntegrityError as exc:
            text = str(exc)
            m = re.search(r"(?:NOT NULL constraint failed: \w+\.|CHECK constraint failed: )(\w+)", text)
            return [Problem(m.group(1) if m and m.group(1) in es.columns else "", text)]
        finally:
            conn.execute("ROLLBACK")
        return []
    finally:
        conn.close()


# The oracle asks SQLite about every row, whatever its table.
ORACLE = RowSpec({n: dataclasses.replace(es, constrained=True) for n, es in SPEC.entities.items()}, SPEC.ddl)
ORACLE._check_constraints = types.MethodType(_laptop_constraints, ORACLE)  # type: ignore[method-assign]


@st.composite
def rows(draw: st.DrawFn, entities: list[str] = CHECKED) -> tuple[str, dict[str, Any]]:
    entity = draw(st.sampled_from(entities))
    es = SPEC.entities[entity]
    fields = sorted(es.fields)
    values = st.one_of(st.none(), st.sampled_from(_literals(entity)), st.integers(-3, 3),
                       st.text(max_size=4), st.floats(allow_nan=False, allow_infinity=False))  # fmt: skip
    # Mostly every required field given (so the row reaches SQLite), sometimes not.
    required = [f for f in fields if es.columns[f].required]
    data = {f: draw(values) for f in required if draw(st.integers(0, 9)) > 0}
    for f in draw(st.lists(st.sampled_from(fields), max_size=6)):
        data[f] = draw(values)
    return entity, data


def test_the_checked_entities_are_there() -> None:
    """The property below must range over the tables whose CHECKs matter; a table is left unchecked
    only when its DDL has no CHECK at all."""
    assert len(CHECKED) >= 10, CHECKED
    assert "cp_visit" in UNCHECKED and "adult_advocacy" in CHECKED
    for d in SPEC.ddl:
        name = d.split("(")[0].split()[-1].strip('"[]')
        if name in UNCHECKED:
            assert "CHECK" not in d.upper(), name


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(rows(UNCHECKED), min_size=1, max_size=8))
def test_tables_without_checks_refuse_exactly_what_the_laptop_does(batch: list[tuple[str, dict[str, Any]]]) -> None:
    for entity, data in batch:
        assert SPEC.problems(entity, data) == ORACLE.problems(entity, data), (entity, data)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(rows(), min_size=1, max_size=8))
def test_one_statement_check_refuses_exactly_what_the_laptop_does(batch: list[tuple[str, dict[str, Any]]]) -> None:
    for entity, data in batch:
        assert SPEC.problems(entity, data) == ORACLE.problems(entity, data), (entity, data)


def test_a_refused_row_leaves_nothing_behind() -> None:
    """A row that fails a CHECK changes nothing: the same valid row passes before and after it, and the
    refusal names the column, as the laptop's does."""
    good = {"person_id": str(uuid.uuid4()), "advocate_type": "imca", "offered_on": "2026-01-01"}
    bad = {**good, "advocate_type": "nobody"}
    assert SPEC.problems("adult_advocacy", good) == []
    refused = SPEC.problems("adult_advocacy", bad)
    assert [p.field for p in refused] == ["advocate_type"] and "CHECK" in refused[0].message
    assert refused == ORACLE.problems("adult_advocacy", bad)
    assert SPEC.problems("adult_advocacy", good) == []
    assert [p.field for p in SPEC.problems("adult_advocacy", {**good, "response": "maybe"})] == ["response"]
