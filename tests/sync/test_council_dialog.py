"""From the app: a senior manager connected to the server picks "the whole council (from the server)" in
the committee report dialog and saves the council's report, made by the real server over every team's
synced cases (issue 21); a team manager is offered only the cases on their laptop."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pdfplumber
import pytest

from desktop.errors import PermissionDenied
from desktop.services.committee_council import CouncilReportService, council_report_available
from desktop.sync.errors import ServerRefused
from tests.gui.forms import filled
from tests.server.harness import Harness
from tests.sync.council import END, START, make_council


def _saved_text(qtbot: Any, dialog: Any, out: Path) -> str:
    """Save the dialog's report to ``out`` (on its worker) and read the PDF's words back."""
    with qtbot.waitSignal(dialog.written, timeout=60_000):
        dialog.save_to(out)
    with pdfplumber.open(out) as pdf:
        return " ".join(" ".join((p.extract_text() or "").split()) for p in pdf.pages)


def test_a_senior_manager_saves_the_councils_report_from_the_app(qtbot: Any, srv: Harness, laptops: Any,
                                                                  tmp_path: Path) -> None:
    from ui.committee_dialog import CommitteeReportDialog
    from ui.tasks import forget_store

    council = make_council(srv, laptops)
    senior = laptops("sian")
    manager = council["A"].session
    assert council_report_available(senior.session) and not council_report_available(manager)
    try:
        dialog = CommitteeReportDialog(senior.session, None, transport_factory=lambda: senior.transport)
        filled(dialog, qtbot)
        qtbot.addWidget(dialog)
        assert [dialog.coverage.itemData(i) for i in range(dialog.coverage.count())] == ["laptop", "council"]
        assert dialog.coverage.currentData() == "council"
        dialog.set_value("period_start", START.isoformat())
        dialog.set_value("period_end", END.isoformat())
        dialog.set_value("language", "en")
        text = _saved_text(qtbot, dialog, tmp_path / "council.pdf")
        assert "Every case in the council, from the server" in text
        by_team = text[text.index("Open cases by team"):]
        for team in ("A", "B", "C"):  # every team's cases, though this laptop holds none of them
            assert re.search(rf" {team} (\d+|\[c\])", by_team), team
        [run] = srv.sql("SELECT detail FROM audit WHERE action = 'report.committee'")
        assert run["detail"]["via"] == "api" and run["detail"]["role"] == "senior_manager"

        # One team's report: the teams the laptop knows are offered; team A's counts team A's cases only.
        teams = [dialog.widgets["team"].itemData(i) for i in range(dialog.widgets["team"].count())]
        assert teams[0] is None and dialog.widgets["team"].itemText(0) == "Every team" and "A" in teams
        dialog.set_value("team", "A")
        team_text = _saved_text(qtbot, dialog, tmp_path / "team.pdf")
        assert "The cases of one team, from the server: A" in team_text
        assert srv.sql("SELECT detail FROM audit WHERE action = 'report.committee' ORDER BY id DESC LIMIT 1"
                       )[0]["detail"]["team"] == "A"
        dialog.set_value("coverage", "laptop")
        assert not dialog.widgets["team"].isEnabled()  # the laptop's report is of the cases it holds

        # Asked directly, the server refuses a team manager, with its reason in the person's language.
        with pytest.raises(ServerRefused) as refused:
            council["A"].transport.download("/v1/reports/committee", {"period_start": START.isoformat(),
                                                                     "period_end": END.isoformat()},
                                            media_type="application/pdf")
        assert refused.value.status == 403 and "performance officer" in str(refused.value)
        with pytest.raises(PermissionDenied):  # and the laptop does not even ask
            CouncilReportService(manager).render(START, END, "en", transport=council["A"].transport)

        mine = CommitteeReportDialog(manager, None, transport_factory=lambda: council["A"].transport)
        filled(mine, qtbot)
        qtbot.addWidget(mine)
        assert [mine.coverage.itemData(i) for i in range(mine.coverage.count())] == ["laptop"]
        assert not mine.coverage.isEnabled()
    finally:
        forget_store(senior.session)
        forget_store(manager)
