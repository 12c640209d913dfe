"""The service-level authorisation matrix: every public method of every service class under
``desktop/services``, called as each of the five roles with ids inside and outside the caller's scope,
checked against the one table of rules in :mod:`tests.authz.specs`.

A cell is (method, role, inside or outside scope). Inside scope a role the rules allow must succeed
(write methods are given valid arguments built from the demo and run in full, then rolled back) and,
for casework, leave an audit entry naming the case (a read as much as a write); a role they do not
allow must get ``PermissionDenied``; outside scope every call naming a case must be
refused (``NotFound`` or ``PermissionDenied``), and a call that names no case must not put any id of a
case out of scope in its answer. A refused call must not have attempted a write. A method the table
does not know how to call fails, so a new method cannot slip past.
"""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import pkgutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

import desktop.services
from desktop.domain.types import Role
from desktop.errors import NotFound, PermissionDenied
from tests.authz.specs import RULES, SPECS, Spec, prepare
from tests.authz.world import ROLES, World, build_world

README = Path(__file__).resolve().parents[2] / "README.md"


def service_methods() -> dict[str, tuple[type, str]]:
    """``"<module under desktop.services>.<Class>.<method>"`` → (class, method) for every public method
    of every class whose constructor takes the session first."""
    found: dict[str, tuple[type, str]] = {}
    prefix = "desktop.services."
    for info in pkgutil.walk_packages(desktop.services.__path__, prefix):
        module = importlib.import_module(info.name)
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ != module.__name__:
                continue
            try:
                params = list(inspect.signature(cls.__init__).parameters)
            except (TypeError, ValueError):
                continue
            if params[1:2] != ["session"]:
                continue
            for method, _fn in inspect.getmembers(cls, inspect.isfunction):
                if not method.startswith("_"):
                    found[f"{info.name[len(prefix):]}.{name}.{method}"] = (cls, method)
    return found


METHODS = service_methods()


@dataclass(frozen=True)
class Cell:
    method: str
    role: Role
    inside: bool
    persona: str


def cells(world: World, method: str, spec: Spec) -> Iterator[Cell]:
    target = spec.case or spec.leak
    for role in ROLES:
        for inside in (True, False):
            if not inside and target is None:
                continue  # the call names no case and answers nothing case-shaped: no outside
            persona = world.persona(role, target, inside)
            if spec.holder and inside and world.sessions[spec.holder].user.role == role:
                persona = spec.holder
            if persona is not None:
                yield Cell(method, role, inside, persona)


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(k)
            yield from _strings(v)
    elif isinstance(value, list | tuple | set | frozenset):
        for v in value:
            yield from _strings(v)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            yield from _strings(getattr(value, f.name))


def run(world: World, cell: Cell, spec: Spec) -> str | None:
    """Run one cell; ``None`` when it behaves as the rules say, else what went wrong."""
    cls, name = METHODS[cell.method]
    session = world.sessions[cell.persona]
    allowed = cell.role in RULES[spec.kind] and spec.holder in (None, cell.persona)
    args, kwargs = spec.call(world)
    world.store.writes = 0
    world.store.audited = []
    where = f"{cell.method} as {cell.role} ({cell.persona}) {'inside' if cell.inside else 'outside'} scope"
    try:
        result = getattr(cls(session), name)(*args, **kwargs)
    except (PermissionDenied, NotFound) as exc:
        refused: BaseException | None = exc
    except Exception as exc:  # noqa: BLE001 - any other failure is a finding, reported with its cell
        return f"{where}: raised {type(exc).__name__}: {exc}"
    else:
        refused = None
    world.store.settle()
    world.store.writes -= 1  # the settling no-op
    if refused is not None and world.store.writes:
        return f"{where}: refused after writing ({world.store.writes} writes)"
    if cell.inside:
        if allowed and refused is not None:
            return f"{where}: refused ({type(refused).__name__}: {refused}) but the rules allow it"
        if not allowed and not isinstance(refused, PermissionDenied):
            got = "it succeeded" if refused is None else type(refused).__name__
            return f"{where}: the rules forbid it but {got}"
        if allowed and spec.audited and spec.case is not None:
            ids = world.case_ids(spec.case)  # the case, or one of its people (a person's details)
            if not any(c in ids or e in ids for _a, c, e in world.store.audited):
                return f"{where}: succeeded but left no audit entry for the case (reads of casework are audited)"
        return None
    if spec.case is not None:
        return None if refused is not None else f"{where}: succeeded for a case out of scope"
    if not allowed:
        return None if isinstance(refused, PermissionDenied) else f"{where}: the rules forbid it but it succeeded"
    assert spec.leak is not None
    leaked = world.case_ids(spec.leak) & set(_strings(result))
    return f"{where}: the answer carries ids of {spec.leak}, out of scope" if leaked else None


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    yield from build_world(tmp_path_factory.mktemp("matrix") / "demo", prepare)


def test_every_service_method_has_a_spec() -> None:
    """The table names every method there is, and nothing that is not there any more."""
    missing = sorted(set(METHODS) - set(SPECS))
    stale = sorted(set(SPECS) - set(METHODS))
    assert not missing, f"add these to tests/authz/specs.py (how to call them, and what kind they are): {missing}"
    assert not stale, f"these are in tests/authz/specs.py but not in desktop/services: {stale}"


@pytest.mark.parametrize("method", sorted(METHODS))
def test_matrix(world: World, method: str) -> None:
    spec = SPECS.get(method)
    if spec is None:
        pytest.fail(f"{method} is not in tests/authz/specs.py: the matrix does not know how to call it")
    failures = [f for cell in cells(world, method, spec) if (f := run(world, cell, spec))]
    assert not failures, "\n".join(failures)


def test_readme_gives_the_size_of_the_matrix(world: World) -> None:
    total = sum(1 for m in METHODS if m in SPECS for _ in cells(world, m, SPECS[m]))
    outside = sum(1 for m in METHODS if m in SPECS for cell in cells(world, m, SPECS[m]) if not cell.inside)
    text = " ".join(README.read_text("utf-8").split())
    expected = f"{len(METHODS)} service methods, {total:,} cells ({outside:,} outside scope)"
    assert expected in text, f"README's reliability section should say: {expected}"
