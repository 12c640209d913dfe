"""The statistical returns (issue 21): child- and adult-level CSV written by the server from every team's
synced casework, checked against the data dictionary in docs/returns.md — read from the document itself,
not from the code that wrote the files — and against the laptops' own records."""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from server.cli import main as server_main
from server.returns import dictionary_markdown
from tests.server.harness import PASSWORD, Harness
from tests.sync.council import END, START, make_council

DOC = Path(__file__).resolve().parents[2] / "docs" / "returns.md"


@pytest.fixture
def council(srv: Harness, laptops: Any) -> dict[str, Any]:
    return make_council(srv, laptops)


def documented() -> dict[str, list[dict[str, Any]]]:
    """Each file's columns as docs/returns.md states them: name, format, codes, whether derived."""
    text = DOC.read_text(encoding="utf-8")
    section = text[text.index("<!-- dictionary:start -->"):text.index("<!-- dictionary:end -->")]
    files: dict[str, list[dict[str, Any]]] = {}
    current: list[dict[str, Any]] = []
    for line in section.splitlines():
        if line.startswith("### `"):
            current = files.setdefault(line.split("`")[1], [])
        elif re.match(r"\| \d+ \|", line):
            cells = [c.strip() for c in re.split(r"(?<!\\)\|", line)[1:-1]]
            _n, name, _meaning, fmt, codes, _answers, how = cells
            current.append({"name": name.strip("`"), "format": fmt,
                            "codes": set(re.findall(r"`([^`]+)`", codes)), "derived": "**Not derived.**" not in how})
    return files


def check(value: str, column: dict[str, Any]) -> bool:
    """Does ``value`` keep the documented format of ``column``?"""
    if not column["derived"]:
        return value == ""
    fmt = column["format"]
    if fmt == "20 lower-case hex digits":
        return re.fullmatch(r"[0-9a-f]{20}", value) is not None
    if fmt == "YYYY-MM-DD, or empty":
        if value == "":
            return True
        try:
            return date.fromisoformat(value).isoformat() == value
        except ValueError:
            return False
    if fmt == "Y or N":
        return value in ("Y", "N")
    if fmt == "a whole number, 0 or more":
        return value.isdigit()
    if fmt == "one code from the list, or empty":
        return value == "" or value in column["codes"]
    if fmt == "codes from the list separated by `;`, or empty":
        return value == "" or all(v in column["codes"] for v in value.split(";"))
    if fmt == "text as given":
        return value != ""
    raise AssertionError(f"an undocumented format: {fmt}")


def test_the_documented_dictionary_is_the_codes(srv: Harness) -> None:
    text = DOC.read_text(encoding="utf-8")
    between = text[text.index("<!-- dictionary:start -->\n") + len("<!-- dictionary:start -->\n"):
                   text.index("<!-- dictionary:end -->")]
    assert between == dictionary_markdown(), "docs/returns.md is stale: paste in python -m server.returns"


def test_the_returns_keep_to_their_dictionary(srv: Harness, council: dict[str, Any], tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("DIOGEL_PASSWORD", PASSWORD)
    out = tmp_path / "returns"
    args = ["returns", "--database-url", srv.db_url, "--from", START.isoformat(), "--to", END.isoformat(),
            "--la-code", "W06000010", "--out", str(out)]
    assert server_main([*args, "--user", "peris"], clock=srv.clock) == 0, capsys.readouterr().err
    columns = documented()
    assert set(columns) == {"children.csv", "adults.csv"} == {p.name for p in out.iterdir()}
    tables: dict[str, list[dict[str, str]]] = {}
    for name, cols in columns.items():
        raw = (out / name).read_bytes()
        rows = list(csv.reader(io.StringIO(raw.decode("utf-8"), newline="")))
        assert rows[0] == [c["name"] for c in cols], name
        assert rows[1:], f"{name} has no rows"
        for line, row in enumerate(rows[1:], 2):
            assert len(row) == len(cols), (name, line)
            bad = [(c["name"], v) for c, v in zip(cols, row, strict=True) if not check(v, c)]
            assert bad == [], (name, line, bad)
        tables[name] = [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]

    # What the laptops hold, counted with SQL of their own (not the server's code).
    children: set[str] = set()
    adults: dict[str, int] = {}
    names: set[str] = set()
    for laptop in council.values():
        s, e = START.isoformat(), END.isoformat()
        children |= {r["person_id"] for r in laptop.store.rows(
            "SELECT m.person_id FROM case_member m JOIN case_file c ON c.id = m.case_id WHERE m.role = 'subject'"
            " AND c.case_type IN ('child_protection', 'child_in_need', 'looked_after') AND c.opened_on <= ?"
            " AND (c.closed_on IS NULL OR c.closed_on >= ?)", [e, s])}
        for r in laptop.store.rows("SELECT person_id, count(*) AS n FROM adult_report WHERE received_on BETWEEN ?"
                                   " AND ? GROUP BY person_id", [s, e]):
            adults[r["person_id"]] = r["n"]
        names |= {r["id"] for r in laptop.store.rows("SELECT id FROM person")}
    kids, grown = tables["children.csv"], tables["adults.csv"]
    assert len(kids) == len(children) and len({r["child_id"] for r in kids}) == len(kids)
    assert sorted(int(r["reports_received"]) for r in grown) == sorted(adults.values())
    assert all(r["local_authority"] == "W06000010" for r in kids + grown)
    # Something to count in every kind of derived column, and no Diogel id anywhere in the files.
    assert {r["status_at_end"] for r in kids} >= {"LAC", "CPR"}
    assert any(r["re_registration"] == "Y" for r in kids) and any(r["initial_conference_in_time"] for r in kids)
    assert any(int(r["enquiries_completed"]) for r in grown) and any(r["gender"] == "F" for r in grown)
    files = "".join((out / n).read_text("utf-8") for n in columns)
    assert not any(pid in files for pid in names)
    # The same child has the same pseudonym in the next run; the run is audited.
    again = tmp_path / "again"
    assert server_main([*args[:-1], str(again), "--user", "sian"], clock=srv.clock) == 0
    assert (again / "children.csv").read_bytes() == (out / "children.csv").read_bytes()
    runs = srv.sql("SELECT detail FROM audit WHERE action = 'returns' ORDER BY id")
    assert [(r["detail"]["children.csv"], r["detail"]["role"]) for r in runs] == [
        (len(kids), "performance_officer"), (len(kids), "senior_manager")]


def test_only_senior_managers_and_performance_officers_write_returns(
        srv: Harness, council: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("DIOGEL_PASSWORD", PASSWORD)
    out = tmp_path / "returns"
    assert server_main(["returns", "--database-url", srv.db_url, "--from", START.isoformat(), "--to",
                        END.isoformat(), "--la-code", "W06000010", "--out", str(out), "--user", "mari"],
                       clock=srv.clock) == 2
    assert "senior manager or a performance officer" in capsys.readouterr().err
    assert not out.exists() and srv.sql("SELECT count(*) AS n FROM audit WHERE action = 'returns'")[0]["n"] == 0
