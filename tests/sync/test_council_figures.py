"""The council's figures on the server equal the sum of its teams' laptops' own (issue 21).

Three teams; each team manager's laptop (made by signing in to the real server over the real PostgreSQL)
records its team's casework and syncs. The server then makes the committee report over every case, and
its figures — every measure, every month of the trend, the register, babies, Welsh, letters, open cases
by team — equal the sum of the three laptops' own reports for the same period; the report for one team
equals that team's laptop's exactly. Only senior managers and performance officers may have it, by the
command line or the API, and every run is in the server's audit.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pdfplumber
import psycopg
import pytest
from psycopg import IsolationLevel
from psycopg.rows import dict_row

from desktop.services.committee import CommitteeService
from server import figures
from server.auth import User
from server.cli import main as server_main
from tests.server.harness import PASSWORD, Harness
from tests.sync.council import END, START, additive, make_council, total


def _user(srv: Harness, username: str) -> User:
    r = srv.sql("SELECT id, username, display_name, role, team_id, is_admin FROM users WHERE username = %s",
                (username,))[0]
    return User(r["id"], r["username"], r["display_name"], r["role"], r["team_id"], r["is_admin"])


def _server_stats(srv: Harness, username: str, team: str | None = None) -> Any:
    with psycopg.connect(srv.db_url, row_factory=dict_row) as conn:
        conn.isolation_level = IsolationLevel.REPEATABLE_READ
        stats = figures.committee_stats(conn, figures.Asked(_user(srv, username), "test"), START, END, team,
                                        now=srv.clock(), today=srv.settings.today(),
                                        connect=lambda: psycopg.connect(srv.db_url))
        conn.commit()
    return stats


@pytest.fixture
def council(srv: Harness, laptops: Any) -> dict[str, Any]:
    return make_council(srv, laptops)


def test_the_council_report_is_the_sum_of_its_teams_laptops(srv: Harness, council: dict[str, Any]) -> None:
    own = {team: CommitteeService(laptop.session).stats(START, END) for team, laptop in council.items()}
    whole = _server_stats(srv, "sian")
    assert whole.coverage == "council"
    expected = total([additive(s) for s in own.values()])
    got = additive(whole)
    for key in expected:
        assert got[key] == expected[key], key
    # Not a sum of zeros: every measure has something that fell due, in several months of the trend.
    for rule, counts in got["measures"].items():
        assert counts[0] > 0, rule
        assert sum(1 for month in got["trend"][rule] if month[2]) >= 2, rule
    assert got["by_team"].keys() == {"A", "B", "C"}
    assert got["register"][0] > 0 and got["letters"][0] > 0 and got["babies"][0] + got["babies"][2] > 0


def test_one_teams_report_is_that_teams_laptops(srv: Harness, council: dict[str, Any]) -> None:
    laptop = council["B"]
    mine = CommitteeService(laptop.session).stats(START, END)
    theirs = _server_stats(srv, "peris", team="B")
    assert (theirs.coverage, theirs.team) == ("team", "B")
    assert additive(theirs) == additive(mine)
    assert theirs.measures == mine.measures  # titles and trend months too


def test_the_command_writes_the_report_and_audits_the_run(srv: Harness, council: dict[str, Any], tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("DIOGEL_PASSWORD", PASSWORD)
    out = tmp_path / "council.pdf"
    args = ["report", "committee", "--database-url", srv.db_url, "--from", START.isoformat(), "--to",
            END.isoformat(), "--lang", "en", "--out", str(out)]
    assert server_main([*args, "--user", "sian"], clock=srv.clock) == 0, capsys.readouterr().err
    with pdfplumber.open(out) as pdf:
        text = " ".join(" ".join((p.extract_text() or "") for p in pdf.pages).split())
    whole = _server_stats(srv, "sian")
    assert "Every case in the council, from the server" in text
    assert "Trend: done on time, month by month" in text
    assert f"Open cases {whole.open_cases}" in text
    assert "Teulu" not in text and "Mari" not in text  # no child, family or worker is named
    # A team manager, a social worker or a wrong password: refused, nothing written, no run audited; the
    # attempts of the two signed in are audited as refusals.
    before = srv.sql("SELECT count(*) AS n FROM audit WHERE action = 'report.committee'")[0]["n"]
    out.unlink()
    assert server_main([*args, "--user", "mari"], clock=srv.clock) == 2
    assert "senior manager or a performance officer" in capsys.readouterr().err
    assert server_main([*args, "--user", "wendy"], clock=srv.clock) == 2
    monkeypatch.setenv("DIOGEL_PASSWORD", "not the password")
    assert server_main([*args, "--user", "sian"], clock=srv.clock) == 1
    assert not out.exists()
    rows = srv.sql("SELECT actor, detail FROM audit WHERE action = 'report.committee' ORDER BY id")
    assert len(rows) == before  # the refusals left no run behind
    refused = srv.sql("SELECT actor, detail FROM audit WHERE action = 'report.refused' ORDER BY id")
    assert [(r["actor"], r["detail"]["asked_for"], r["detail"]["via"]) for r in refused] == [
        (_user(srv, "mari").id, "report.committee", "cli"), (_user(srv, "wendy").id, "report.committee", "cli")]
    [run] = [r for r in rows if r["detail"]["via"] == "cli"]
    assert run["actor"] == _user(srv, "sian").id
    assert run["detail"].items() >= {"period_start": START.isoformat(), "period_end": END.isoformat(), "team": None,
                                     "role": "senior_manager"}.items()


def test_the_api_gives_the_report_to_senior_managers_and_performance_officers_only(
        srv: Harness, council: dict[str, Any]) -> None:
    params = {"period_start": START.isoformat(), "period_end": END.isoformat(), "lang": "cy", "team": "C"}
    for username in ("mari", "wendy"):
        r = srv.login(username).get("/v1/reports/committee", **params)
        assert r.status_code == 403 and r.json()["error"] == "forbidden", username
    assert srv.sql("SELECT count(*) AS n FROM audit WHERE action = 'report.committee'")[0]["n"] == 0
    refused = srv.sql("SELECT actor, detail FROM audit WHERE action = 'report.refused' ORDER BY id")
    assert [(r["actor"], r["detail"]["via"], r["detail"]["role"]) for r in refused] == [
        (_user(srv, "mari").id, "api", "team_manager"), (_user(srv, "wendy").id, "api", "social_worker")]
    r = srv.login("peris").get("/v1/reports/committee", **params)
    assert r.status_code == 200 and r.headers["content-type"] == "application/pdf"
    with pdfplumber.open(io.BytesIO(r.content)) as pdf:
        text = " ".join(" ".join((p.extract_text() or "") for p in pdf.pages).split())
    assert "Adroddiad perfformiad diogelu i'r pwyllgor" in text
    mine = CommitteeService(council["C"].session).stats(START, END)
    assert f"Achosion agored {mine.open_cases}" in text
    [row] = srv.sql("SELECT actor, detail FROM audit WHERE action = 'report.committee'")
    assert row["actor"] == _user(srv, "peris").id and row["detail"]["team"] == "C" and row["detail"]["via"] == "api"
    bad = srv.login("sian").get("/v1/reports/committee", **{**params, "period_end": "2026-01-01"})
    assert bad.status_code == 422 and "before its start" in bad.json()["message"]
    unknown = srv.login("sian").get("/v1/reports/committee", **{**params, "team": "Z"})
    assert unknown.status_code == 422 and unknown.json()["path"] == "team"
