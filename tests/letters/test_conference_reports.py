"""Conference reports from the store: the demo's child and adult conferences, through the CLI."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pytest

from desktop.cli import main
from desktop.errors import NotFound, PermissionDenied
from desktop.services.conference_reports import ConferenceReportService
from tests.conftest import demo_clock
from tests.letters.conftest import DEMO_PASSWORD


def test_child_conference_maps_the_decision_per_child(demo_session) -> None:
    s = demo_session("team_manager")
    service = ConferenceReportService(s)
    conf = s.store.rows("SELECT id FROM cp_conference WHERE status = 'held' ORDER BY held_on LIMIT 1")[0]["id"]
    report = service.child(conf)
    assert report.kind == "initial" and report.children and report.chair
    assert all(c.registered for c in report.children if c.categories)
    assert report.reference.endswith("DEMO")
    assert report.outcomes
    with pytest.raises(NotFound):
        service.child("no-such-conference")


def test_admin_staff_cannot_read_conference_reports(demo_session) -> None:
    s = demo_session("admin_staff")
    conf = s.store.rows("SELECT id FROM cp_conference LIMIT 1")[0]["id"]
    with pytest.raises(PermissionDenied):
        ConferenceReportService(s).child(conf)


def test_report_conference_cli_child_and_adult(demo_folder, tmp_path: Path, capsys,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    from desktop.services.session import Session

    folder = demo_folder("team_manager")
    s = Session.sign_in(folder, DEMO_PASSWORD, backup=False, clock=demo_clock())
    try:
        child = s.store.rows("SELECT c.id, p.family_name FROM cp_conference c, person p WHERE c.status = 'held'"
                             " AND c.child_ids LIKE '%' || p.id || '%' ORDER BY c.held_on LIMIT 1")[0]
    finally:
        s.close()
    monkeypatch.setenv("DIOGEL_PASSWORD", DEMO_PASSWORD)
    out = tmp_path / "conf.pdf"
    assert main(["report", "conference", "--profile", str(folder), "--conference", child["id"],
                 "--out", str(out)], clock=demo_clock()) == 0, capsys.readouterr().err
    with pdfplumber.open(out) as pdf:
        text = " ".join(" ".join(p.extract_text() or "" for p in pdf.pages).split())
    assert "Adroddiad y gynhadledd amddiffyn plant gychwynnol" in text
    assert "Initial child protection conference" in text or "initial child protection conference" in text.lower()
    assert text.index("Adroddiad") < text.lower().index("child protection conference")
    assert child["family_name"] in text
    assert main(["report", "conference", "--profile", str(folder), "--conference", "nope",
                 "--out", str(tmp_path / "x.pdf")], clock=demo_clock()) == 2


def test_adult_conference_report(tmp_path_factory: pytest.TempPathFactory) -> None:
    from desktop.services.demo import build_demo
    from desktop.services.session import Session
    from tests.conftest import fast_kdf

    folder = tmp_path_factory.mktemp("adult") / "demo"
    build_demo(folder, DEMO_PASSWORD, role="senior_manager", kdf=fast_kdf(), clock=demo_clock()).store.close()
    s = Session.sign_in(folder, DEMO_PASSWORD, backup=False, clock=demo_clock())
    try:
        conf = s.store.rows("SELECT id FROM adult_conference LIMIT 1")[0]["id"]
        report = ConferenceReportService(s).adult(conf)
        assert report.adult_name and report.lead_coordinator and report.agency_reports
        pdf = ConferenceReportService(s).render(conf, languages=("en",))
        assert pdf.startswith(b"%PDF")
    finally:
        s.close()
