"""The strategy meeting and a visit through the GUI (pytest-qt, offscreen): refusals shown beside the
field they concern, nothing saved; then saved, listed, and the escalation said in plain words."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt

import ui.adults  # noqa: F401 - registers the case tab
from desktop.i18n import set_language
from desktop.services.adults import EnquiryService
from desktop.services.drafts import DraftService
from tests.adults.helpers import appoint, report_and_screen
from ui.adults.tab import AdultTab
from ui.adults.visit_dialog import VisitDialog

pytestmark = pytest.mark.gui


@pytest.fixture
def ready(world) -> Iterator:
    """Report screened, lead co-ordinator appointed, enquiries concluded (determination 3)."""
    out = report_and_screen(world)
    appoint(world)
    EnquiryService(world.sw).conclude(out["enquiry"]["id"], concluded_on="2026-11-02", determination="3",
                                      reason="At risk; action needed.")
    yield world
    from ui.tasks import forget_store
    from ui.windows import close_sensitive

    close_sensitive()
    forget_store(world.sw)


def _tab(qtbot, w) -> AdultTab:
    tab = AdultTab(w.sw, w.ids["case"])
    qtbot.addWidget(tab)
    tab.show()
    return tab


def test_strategy_meeting_recorded_through_the_form(qtbot, ready) -> None:
    w = ready
    tab = _tab(qtbot, w)
    dialog = tab.record_strategy()
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.decisions, "Bank card stopped; daily carers.")
    assert not dialog.save()  # no members
    assert dialog.form.error_text("members") == "Record the members of the strategy group."
    assert w.count("adult_strategy") == 0
    for key in ("ss", "health", "police"):
        dialog.check_agency(w.ids[key])
    dialog.lead.setCurrentIndex(dialog.lead.findData(w.ids["nurse"]))
    dialog.visit_every.setValue(8)
    dialog.visit_unit.setCurrentIndex(dialog.visit_unit.findData("weeks"))
    assert not dialog.save()
    assert "never less frequent" in dialog.form.error_text("visit_every")
    set_language("cy")
    assert dialog.form.rows["visit_every"][3].text() != ""  # the message follows the language
    set_language("en")
    dialog.visit_every.setValue(2)
    assert not dialog.save()  # the strategy group must offer an advocate, or say why not
    assert "offer an advocate" in dialog.form.error_text("advocacy_note")
    dialog.advocate_offered.setChecked(True)
    dialog.advocate_type.setCurrentIndex(dialog.advocate_type.findData("independent"))
    dialog.advocate_response.setCurrentIndex(dialog.advocate_response.findData("accepted"))
    with qtbot.waitSignal(dialog.saved) as signal:
        assert dialog.save()
    result = signal.args[0]
    assert result["lead_practitioner_id"] == w.ids["nurse"] and result["visit_every"] == 2
    assert len(result["members"]) == 3 and result["advocacy"]["response"] == "accepted"
    assert tab.strategies.topLevelItemCount() == 1
    assert tab.strategies.topLevelItem(0).text(2) == "Alun Jones"
    assert tab.status.text() == ""


def test_strategy_meeting_without_lead_practitioner_escalates(qtbot, ready) -> None:
    w = ready
    tab = _tab(qtbot, w)
    dialog = tab.record_strategy()
    qtbot.addWidget(dialog)
    dialog.check_agency(w.ids["ss"])
    dialog.decisions.setPlainText("Immediate protection: respite bed tonight.")
    dialog.advocacy_note.setPlainText("Her daughter advocates for her.")
    assert not dialog.save()
    assert "record why one could not be identified" in dialog.form.error_text("no_lead_reason")
    dialog.no_lead_reason.setPlainText("Nobody available in the community team this week.")
    with qtbot.waitSignal(dialog.saved):
        assert dialog.save()
    assert tab.status.text() == "No lead practitioner was identified: the senior manager has been told."
    assert w.sw.store.rows("SELECT kind FROM escalation")[0]["kind"] == "no_lead_practitioner"
    assert w.sw.store.rows("SELECT template_id FROM letter")[0]["template_id"] == "N4"


def test_visit_recorded_through_the_form(qtbot, ready) -> None:
    w = ready
    tab = _tab(qtbot, w)
    dialog = tab.record_visit()
    qtbot.addWidget(dialog)
    assert dialog.visited_on.text() == "02/11/2026"
    dialog.visited_on.setText("03/11/2026")
    dialog.seen.setChecked(True)
    dialog.offered_alone.setChecked(True)
    dialog.seen_alone.setChecked(True)
    qtbot.keyClicks(dialog.wishes, "Wants to stay at home.")
    assert not dialog.save()
    assert dialog.form.error_text("visited_on") == "A visit cannot be recorded in the future."
    assert dialog.form.rows["visited_on"][3].isVisible()
    assert w.count("adult_visit") == 0
    # Half-typed, it survives as a draft.
    dialog.save_draft()
    again = VisitDialog(w.sw, w.ids["case"])
    qtbot.addWidget(again)
    assert again.visited_on.text() == "03/11/2026" and again.wishes.toPlainText() == "Wants to stay at home."
    dialog.visited_on.setText("02/11/2026")
    with qtbot.waitSignal(dialog.saved):
        assert dialog.save()
    assert DraftService(w.sw).load("adult_visit", w.ids["case"]) is None
    assert tab.visits.topLevelItemCount() == 1
    row = tab.visits.topLevelItem(0)
    assert [row.text(i) for i in range(4)] == ["02/11/2026", "Yes", "Yes", "Yes"]
    visit = w.sw.store.rows("SELECT * FROM adult_visit")[0]
    assert visit["wishes_feelings"] == "Wants to stay at home." and visit["visitor_id"] == w.ids["sw"]


def test_case_window_has_the_adult_tab(qtbot, ready) -> None:
    from ui.case_view import CaseWindow

    window = CaseWindow(ready.sw, ready.ids["case"])
    qtbot.addWidget(window)
    page = window.tab("adults")
    assert isinstance(page, AdultTab) and page.applies
    header = {k.text(): v.text() for k, v in window._rows}  # noqa: SLF001 - the header's rows
    assert header["Lead co-ordinator:"] == "Owain Thomas"
    index = window.tabs.indexOf(page)
    assert window.tabs.tabText(index) == "Adult safeguarding"
    assert page.visit_button.isEnabled()
    window.show()
    window.tabs.setCurrentWidget(page)
    qtbot.mouseClick(page.visit_button, Qt.MouseButton.LeftButton)
    assert isinstance(page.dialog, VisitDialog)
    page.dialog.close()
    # "My work" actions open their form on this tab: A3/A4 a visit, A2 the strategy meeting, A5 a review.
    from ui.adults.step_dialogs import PlanReviewDialog
    from ui.adults.strategy_dialog import StrategyMeetingDialog

    for action, form_class in (("record_adult_visit", VisitDialog), ("record_adult_strategy", StrategyMeetingDialog),
                               ("review_adult_plan", PlanReviewDialog)):
        form = window.open_action(action)
        assert isinstance(form, form_class) and form is page.dialog and window.tabs.currentWidget() is page
        form.close()
    assert window.open_action("hold_core_group") is None  # a child protection step: no adult form


def test_half_typed_forms_come_back_as_drafts(qtbot, ready) -> None:
    from ui.adults.strategy_dialog import StrategyMeetingDialog

    w = ready
    dialog = StrategyMeetingDialog(w.sw, w.ids["case"])
    qtbot.addWidget(dialog)
    dialog.check_agency(w.ids["health"])
    dialog.lead.setCurrentIndex(dialog.lead.findData(w.ids["nurse"]))
    dialog.decisions.setPlainText("Half-typed decisions")
    dialog.visit_every.setValue(3)
    assert dialog._autosave.isActive()  # noqa: SLF001 - the autosave is armed by the edit
    dialog.reject()  # closed without saving: the draft is kept
    again = StrategyMeetingDialog(w.sw, w.ids["case"])
    qtbot.addWidget(again)
    assert again.decisions.toPlainText() == "Half-typed decisions" and again.visit_every.value() == 3
    assert again.lead.currentData() == w.ids["nurse"] and again.raw()["members"] == [w.ids["health"]]
    visit = VisitDialog(w.sw, w.ids["case"])
    qtbot.addWidget(visit)
    visit.observations.setPlainText("Door answered by Kevin")
    visit.reject()
    assert DraftService(w.sw).load("adult_visit", w.ids["case"])["observations"] == "Door answered by Kevin"
    assert w.count("adult_strategy") == 0 and w.count("adult_visit") == 0
