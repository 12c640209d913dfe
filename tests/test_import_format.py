"""Imports are checked against the export format before anything is written: every malformed shape is
refused with exit 2 and a message naming what is wrong, and nothing is left half made.

The property test mutates a valid export (hypothesis: a value replaced by any JSON, a key or row
deleted, a row repeated, a value wrapped in a list or turned into text — one to three at a time) and
proves that each one is either refused with a message (no traceback, no folder left behind) or
imported whole (the new profile signs in and its audit chain verifies).
"""

from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.cli import main
from desktop.errors import DiogelError
from desktop.services.cases import CaseService
from desktop.services.exchange import export_profile, import_into_new_profile
from desktop.services.persons import PersonService
from desktop.services.session import Session
from desktop.store.audit import verify_chain
from tests.conftest import PASSWORD, fast_kdf

EXAMPLES = 200
"""Mutated exports per run (derandomized, so every run tries the same ones); the README gives it."""


@pytest.fixture(scope="module")
def export(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("export") / "p"
    s = Session.create_profile(folder, given_names="Rhian", family_name="Evans", role="social_worker",
                               team_name="Tîm", password=PASSWORD, kdf=fast_kdf())
    persons = PersonService(s)
    child = persons.create({"given_names": "Seren", "family_name": "Tŵr", "date_of_birth": "2018-05-01"})
    persons.add_address(child["id"], {"line1": "4 Heol y Dderwen", "town": "Caerfyrddin", "postcode": "SA31 1BT"})
    CaseService(s).create("child_protection", subject_ids=[child["id"]])
    data = export_profile(s.store)
    s.close()
    return json.loads(json.dumps(data))


def _import(tmp_path: Path, data: Any, capsys: pytest.CaptureFixture[str], monkeypatch) -> tuple[int, str]:
    monkeypatch.setenv("DIOGEL_PASSWORD", PASSWORD)
    source = tmp_path / "export.json"
    source.write_text(json.dumps(data), "utf-8")
    code = main(["import", "--profile", str(tmp_path / "new"), str(source)])
    return code, capsys.readouterr().err


def _nothing_left(tmp_path: Path) -> bool:
    return not (tmp_path / "new").exists() and not list(tmp_path.glob(".new.importing-*"))


def _first(data: dict[str, Any], table: str) -> dict[str, Any]:
    return data["tables"][table][0]


SHAPES = {
    "tables is a list": (lambda d: d.update(tables=list(d["tables"].values())), "must be an object"),
    "a row is a string": (lambda d: d["tables"]["person"].__setitem__(0, "Seren Tŵr"), "Table person, row 1"),
    "no tables key": (lambda d: d.pop("tables"), "no “tables”"),
    "tables empty": (lambda d: d.update(tables={}), "no signed-in person"),
    "a dangling foreign key": (lambda d: _first(d, "address").update(person_id="nobody"),
                               "refers to a row of person"),
    "a repeated primary key": (lambda d: d["tables"]["person"].append(dict(_first(d, "person"))), "UNIQUE"),
    "an unknown table": (lambda d: d["tables"].update(secrets=[]), "secrets"),
    "an unknown column": (lambda d: _first(d, "person").update(shoe_size=9), "shoe_size"),
    "a list for a value": (lambda d: _first(d, "person").update(family_name=["Tŵr"]), "family_name"),
    "a number for text": (lambda d: _first(d, "person").update(family_name=7), "expected string"),
    "a required value missing": (lambda d: _first(d, "case_file").pop("case_type"), "case_type"),
    "a check constraint broken": (lambda d: _first(d, "case_file").update(case_type="pirates"), "CHECK"),
    "the audit chain edited": (lambda d: _first(d, "audit").update(actor="someone else"), "audit chain"),
    "bad base64": (lambda d: _first(d, "person").update(given_names={"$base64": "%%%"}), "given_names"),
    "migrations not a list": (lambda d: d.update(migrations="m0001_core"), "migrations"),
}


@pytest.mark.parametrize("name", sorted(SHAPES))
def test_every_malformed_shape_is_refused_with_exit_2_and_a_message(export: dict[str, Any], name: str,
                                                                     tmp_path: Path, capsys, monkeypatch) -> None:
    data = copy.deepcopy(export)
    change, says = SHAPES[name]
    change(data)
    code, err = _import(tmp_path, data, capsys, monkeypatch)
    assert code == 2, err
    assert says in err and "Traceback" not in err, err
    assert _nothing_left(tmp_path), "nothing half made is left behind"


def test_the_valid_export_imports_whole(export: dict[str, Any], tmp_path: Path, capsys, monkeypatch) -> None:
    code, err = _import(tmp_path, export, capsys, monkeypatch)
    assert code == 0, err
    assert not list(tmp_path.glob(".new.importing-*"))
    s = Session.sign_in(tmp_path / "new", PASSWORD, backup=False)
    try:
        assert s.store.rows("SELECT given_names FROM person")[0]["given_names"] == "Seren"
    finally:
        s.close()


# -- the property test -------------------------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**63), 2**63 - 1) | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=6,
)


def _paths(value: Any, here: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [here]
    if isinstance(value, dict):
        for k, v in value.items():
            out += _paths(v, (*here, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out += _paths(v, (*here, i))
    return out


def _mutate(data: dict[str, Any], path: tuple[Any, ...], op: str, replacement: Any) -> None:
    if not path:
        return
    parent = data
    for step in path[:-1]:
        parent = parent[step]
    last = path[-1]
    if op == "replace":
        parent[last] = replacement
    elif op == "delete":
        del parent[last]
    elif op == "repeat" and isinstance(parent, list):
        parent.append(copy.deepcopy(parent[last]))
    elif op == "wrap":
        parent[last] = [parent[last]]
    elif op == "text":
        parent[last] = json.dumps(parent[last])


mutations = st.lists(
    st.tuples(st.integers(min_value=0), st.sampled_from(["replace", "delete", "repeat", "wrap", "text"]), json_values),
    min_size=1, max_size=3,
)

OUTCOMES: dict[str, int] = {"refused": 0, "imported": 0}


@settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large])
@given(mutations)
def test_mutated_exports_are_refused_plainly_or_imported_whole(export: dict[str, Any], tmp_path: Path,
                                                               changes: list[tuple[int, str, Any]]) -> None:
    data = copy.deepcopy(export)
    for index, op, replacement in changes:
        paths = _paths(data)
        _mutate(data, paths[index % len(paths)], op, replacement)
    target = tmp_path / "new"
    shutil.rmtree(target, ignore_errors=True)
    try:
        import_into_new_profile(target, json.loads(json.dumps(data)), PASSWORD, kdf=fast_kdf())
    except DiogelError as exc:
        assert exc.message(), "a refusal says what is wrong"
        assert not target.exists() and not list(tmp_path.glob(".new.importing-*")), "nothing half made"
        OUTCOMES["refused"] += 1
        return
    s = Session.sign_in(target, PASSWORD, backup=False)
    try:
        assert verify_chain(s.store.read()).ok
    finally:
        s.close()
    shutil.rmtree(target)
    OUTCOMES["imported"] += 1
