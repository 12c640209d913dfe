"""GUI: a case run through every step from the child protection tab's forms (pytest-qt, offscreen).

Each form: one refusal shown beside its field with nothing saved; one success the service shows.
"""

from __future__ import annotations

from datetime import date

import pytest

from desktop.services.child_protection import (
    EnquiryService,
    ReportService,
    StrategyService,
)
from desktop.services.drafts import DraftService

pytestmark = pytest.mark.gui
pytest.importorskip("pytestqt")


def tab_for(w, qtbot, user: str = "sw"):
    from ui.child_protection import ChildProtectionTab

    tab = ChildProtectionTab(w.as_(user), w.ids["case"])
    qtbot.addWidget(tab)
    return tab


def saved(qtbot, dialog) -> bool:
    with qtbot.waitSignal(dialog.saved, timeout=5000):
        ok = dialog.save()
    return ok


def test_report_and_its_next_actions(world, qtbot):
    w, ids = world, world.ids
    w.clock.day = date(2026, 10, 5)
    tab = tab_for(w, qtbot)
    dialog = tab.record_report()
    qtbot.addWidget(dialog)
    dialog.received_time.setText("09:30")
    dialog.source_type.setCurrentIndex(dialog.source_type.findData("professional"))
    dialog.suspected.check("neglect")
    # No concerns: refused beside the field, nothing saved.
    assert dialog.save() is False
    assert dialog.form.error_text("concerns")
    assert dialog.form.rows["concerns"][3].isVisible() or not dialog.isVisible()
    assert ReportService(w.sw).for_case(ids["case"]) == []
    dialog.concerns.setPlainText("Children left alone at night; little food.")
    qtbot.waitUntil(lambda: DraftService(w.sw).load("cp_report", ids["case"]) is not None, timeout=5000)
    dialog.decision.setCurrentIndex(dialog.decision.findData("strategy_discussion"))
    assert saved(qtbot, dialog)
    [report] = ReportService(w.sw).for_case(ids["case"])
    assert report["decision"] == "strategy_discussion" and report["source_type"] == "professional"
    assert DraftService(w.sw).load("cp_report", ids["case"]) is None


def test_deciding_an_existing_report_from_my_work_action(world, qtbot):
    w, ids = world, world.ids
    w.clock.day = date(2026, 10, 5)
    ReportService(w.sw).record(ids["case"], concerns="Bruising.", received_at="2026-10-05T09:30",
                               source_type="public")
    tab = tab_for(w, qtbot)
    dialog = tab.record_report(True)
    qtbot.addWidget(dialog)
    assert not dialog.concerns.isEnabled()
    assert dialog.save() is False  # no decision chosen
    assert dialog.form.error_text("decision")
    dialog.decision.setCurrentIndex(dialog.decision.findData("part3_assessment"))
    assert saved(qtbot, dialog)
    assert ReportService(w.sw).for_case(ids["case"])[0]["decision"] == "part3_assessment"


def test_strategy_discussion_needs_police_and_starts_s47(world, qtbot):
    w, ids = world, world.ids
    w.clock.day = date(2026, 10, 7)
    tab = tab_for(w, qtbot)
    dialog = tab.record_strategy()
    qtbot.addWidget(dialog)
    dialog.held_on.setText("07/10/2026")
    dialog.participants.check(ids["ss"])
    dialog.participants.check(ids["health"])
    dialog.decisions.setPlainText("Section 47 enquiries; joint visit.")
    dialog.initiate_s47.setChecked(True)
    assert dialog.save() is False
    assert "police" in dialog.form.error_text("participants")
    assert StrategyService(w.sw).for_case(ids["case"]) == []
    # A departure from the timescale agreed by someone who is not a senior manager is refused too.
    dialog.participants.check(ids["police"])
    dialog.departure_reason.setPlainText("Police could not attend sooner.")
    assert dialog.save() is False
    assert dialog.form.error_text("departure_agreed_by")
    dialog.departure_agreed_by.setCurrentIndex(dialog.departure_agreed_by.findData(ids["sm"]))
    assert saved(qtbot, dialog)
    [row] = StrategyService(w.sw).for_case(ids["case"])
    assert row["departure_agreed_by"] == ids["sm"]
    assert len(EnquiryService(w.sw).for_case(ids["case"])) == 2
