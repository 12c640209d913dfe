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
from tests.conftest import case_tab, settle
from tests.gui.forms import filled, saved, written
from ui.adults.strategy_dialog import StrategyMeetingDialog
from ui.adults.tab import AdultTab
from ui.adults.visit_dialog import VisitDialog

pytestmark = [pytest.mark.gui, pytest.mark.usefixtures("language_hub")]


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
    qtbot.waitUntil(lambda: not tab.loading, timeout=10_000)  # the case read on a worker
    return tab


def _open(qtbot, tab: AdultTab, name: str):
    tab.bar.action(name).trigger()
    dialog = tab.dialog
    filled(dialog)
    assert dialog is not None
    qtbot.addWidget(dialog)
    return dialog


def test_strategy_meeting_recorded_through_the_form(qtbot, ready) -> None:
    w = ready
    tab = _tab(qtbot, w)
    dialog = _open(qtbot, tab, "record_strategy")
    assert isinstance(dialog, StrategyMeetingDialog)
    qtbot.keyClicks(dialog.widgets["decisions"], "Bank card stopped; daily carers.")
    assert not saved(dialog, qtbot)  # no members
    assert dialog.error_text("members") == "Record the members of the strategy group."
    assert w.count("adult_strategy") == 0
    for key in ("ss", "health", "police"):
        dialog.editors["members"].check(w.ids[key])
    dialog.set_value("lead_practitioner_id", w.ids["nurse"])
    # How often she is seen alone: what the procedures set (said from the rule), or more often.
    how = dialog.widgets["visit_every"].findChild(type(dialog.widgets["kind"]), "visit_how")
    assert how.itemText(0) == "As the procedures set: every 4 weeks"
    unit = dialog.widgets["visit_every"].findChild(type(dialog.widgets["kind"]), "visit_unit")
    assert not unit.isVisibleTo(dialog), "no number or unit to choose for the procedures' own frequency"
    dialog.set_value("visit_every", {"more": True, "every": 8, "unit": "weeks"})
    assert unit.isVisibleTo(dialog)
    assert not saved(dialog, qtbot)
    assert "never less frequent" in dialog.error_text("visit_every")
    set_language("cy")
    assert dialog.error_text("visit_every") not in ("", "never less frequent")  # the message follows the language
    assert how.itemText(0) != "As the procedures set: every 4 weeks"
    set_language("en")
    dialog.set_value("visit_every", {"more": True, "every": 2, "unit": "weeks"})
    assert not saved(dialog, qtbot)  # the strategy group must offer an advocate, or say why not
    assert "offer an advocate" in dialog.error_text("advocacy_note")
    dialog.set_value("advocate_offered", True)
    dialog.set_value("advocate_type", "independent")
    dialog.set_value("advocate_response", "accepted")
    with qtbot.waitSignal(dialog.saved) as signal:
        assert saved(dialog, qtbot)
    settle(qtbot)  # the tab has read the case again
    [row] = w.sw.store.rows("SELECT id, lead_practitioner_id, visit_every, visit_unit FROM adult_strategy")
    assert signal.args == [row["id"]]
    assert (row["lead_practitioner_id"], row["visit_every"], row["visit_unit"]) == (w.ids["nurse"], 2, "weeks")
    assert w.count("adult_strategy_member") == 3
    assert w.sw.store.rows("SELECT response FROM adult_advocacy")[0]["response"] == "accepted"
    assert tab.strategies.topLevelItemCount() == 1
    assert tab.strategies.topLevelItem(0).text(2) == "Alun Jones"
    assert tab.status.text() == ""


def test_the_procedures_frequency_is_sent_as_none(qtbot, ready) -> None:
    w = ready
    tab = _tab(qtbot, w)
    dialog = _open(qtbot, tab, "record_strategy")
    dialog.editors["members"].check(w.ids["ss"])
    dialog.set_value("lead_practitioner_id", w.ids["nurse"])
    dialog.set_value("advocacy_note", "Her daughter advocates for her.")
    dialog.set_value("decisions", "Carers daily.")
    assert dialog.value("visit_every") == (None, None)
    with qtbot.waitSignal(dialog.saved):
        assert saved(dialog, qtbot)
    settle(qtbot)  # the tab has read the case again
    assert w.sw.store.rows("SELECT visit_every, visit_unit FROM adult_strategy") == [
        {"visit_every": None, "visit_unit": None}]


def test_strategy_meeting_without_lead_practitioner_escalates(qtbot, ready) -> None:
    w = ready
    tab = _tab(qtbot, w)
    dialog = _open(qtbot, tab, "record_strategy")
    dialog.editors["members"].check(w.ids["ss"])
    dialog.set_value("decisions", "Immediate protection: respite bed tonight.")
    dialog.set_value("advocacy_note", "Her daughter advocates for her.")
    assert not saved(dialog, qtbot)
    assert "record why one could not be identified" in dialog.error_text("no_lead_reason")
    dialog.set_value("no_lead_reason", "Nobody available in the community team this week.")
    with qtbot.waitSignal(dialog.saved):
        assert saved(dialog, qtbot)
    settle(qtbot)  # the tab has read the case again
    assert tab.status.text() == "No lead practitioner was identified: the senior manager has been told."
    assert w.sw.store.rows("SELECT kind FROM escalation")[0]["kind"] == "no_lead_practitioner"
    assert w.sw.store.rows("SELECT template_id FROM letter")[0]["template_id"] == "N4"


def test_visit_recorded_through_the_form(qtbot, ready) -> None:
    w = ready
    tab = _tab(qtbot, w)
    qtbot.mouseClick(tab.bar.buttons["record_visit"], Qt.MouseButton.LeftButton)  # the first, as a button
    dialog = tab.dialog
    filled(dialog)
    assert isinstance(dialog, VisitDialog)
    qtbot.addWidget(dialog)
    assert dialog.widgets["visited_on"].text() == "02/11/2026"
    dialog.set_value("visited_on", "03/11/2026")
    dialog.set_value("seen", True)
    dialog.set_value("offered_alone", True)
    dialog.set_value("seen_alone", True)
    qtbot.keyClicks(dialog.widgets["wishes_feelings"], "Wants to stay at home.")
    assert not saved(dialog, qtbot)
    assert dialog.error_text("visited_on") == "A visit cannot be recorded in the future."
    assert dialog.errors["visited_on"].isVisibleTo(dialog)
    assert w.count("adult_visit") == 0
    # Half-typed, it survives as a draft.
    again = VisitDialog(w.sw, w.ids["case"])
    filled(again, qtbot)
    qtbot.addWidget(again)
    assert again.widgets["visited_on"].text() == "03/11/2026"
    assert again.value("wishes_feelings") == "Wants to stay at home."
    dialog.set_value("visited_on", "02/11/2026")
    with qtbot.waitSignal(dialog.saved) as signal:
        assert saved(dialog, qtbot)
    settle(qtbot)  # the tab has read the case again
    assert DraftService(w.sw).load("adult_visit_dialog", w.ids["case"]) is None
    assert tab.visits.topLevelItemCount() == 1
    row = tab.visits.topLevelItem(0)
    assert [row.text(i) for i in range(4)] == ["2 Nov 2026", "Yes", "Yes", "Yes"]
    visit = w.sw.store.rows("SELECT * FROM adult_visit")[0]
    assert visit["id"] == signal.args[0]
    assert visit["wishes_feelings"] == "Wants to stay at home." and visit["visitor_id"] == w.ids["sw"]


def test_case_window_has_the_adult_tab(qtbot, ready) -> None:
    from ui.case_view import CaseWindow

    window = CaseWindow(ready.sw, ready.ids["case"])
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: not window.loading, timeout=10_000)  # opened, its tabs have read
    page = case_tab(qtbot, window, "adults")
    assert isinstance(page, AdultTab) and page.applies
    header = {k.text(): v.text() for k, v in window._rows}  # noqa: SLF001 - the header's rows
    assert header["Lead co-ordinator:"] == "Owain Thomas"
    index = window.tabs.indexOf(page)
    assert window.tabs.tabText(index) == "Adult safeguarding"
    assert page.bar.buttons["record_visit"].isEnabled()
    window.show()
    window.tabs.setCurrentWidget(page)
    qtbot.mouseClick(page.bar.buttons["record_visit"], Qt.MouseButton.LeftButton)
    assert isinstance(page.dialog, VisitDialog)
    page.dialog.close()
    # "My work" actions open their form on this tab: A3/A4 a visit, A2 the strategy meeting, A5 a review.
    from ui.adults.step_dialogs import PlanReviewDialog

    for action, form_class in (("record_adult_visit", VisitDialog), ("record_adult_strategy", StrategyMeetingDialog),
                               ("review_adult_plan", PlanReviewDialog)):
        form = window.open_action(action)
        filled(form, qtbot)
        assert isinstance(form, form_class) and form is page.dialog and window.tabs.currentWidget() is page
        form.close()
    assert window.open_action("hold_core_group") is None  # a child protection step: no adult form


def test_half_typed_forms_come_back_as_drafts(qtbot, ready) -> None:
    w = ready
    dialog = StrategyMeetingDialog(w.sw, w.ids["case"])
    filled(dialog, qtbot)
    qtbot.addWidget(dialog)
    dialog.editors["members"].check(w.ids["health"])
    dialog.set_value("lead_practitioner_id", w.ids["nurse"])
    dialog.set_value("decisions", "Half-typed decisions")
    dialog.set_value("visit_every", {"more": True, "every": 3, "unit": "working_days"})
    assert dialog._autosave.isActive()  # noqa: SLF001 - the autosave is armed by the edit
    dialog.reject()  # closed without saving: the draft is kept (on a worker)
    written(dialog, qtbot)
    again = StrategyMeetingDialog(w.sw, w.ids["case"])
    filled(again, qtbot)
    qtbot.addWidget(again)
    assert again.value("decisions") == "Half-typed decisions" and again.value("visit_every") == (3, "working_days")
    assert again.value("lead_practitioner_id") == w.ids["nurse"] and again.value("members") == [w.ids["health"]]
    visit = VisitDialog(w.sw, w.ids["case"])
    filled(visit, qtbot)
    qtbot.addWidget(visit)
    qtbot.keyClicks(visit.widgets["observations"], "Door answered by Kevin")
    visit.reject()
    written(visit, qtbot)
    assert DraftService(w.sw).load("adult_visit_dialog", w.ids["case"])["observations"] == "Door answered by Kevin"
    assert w.count("adult_strategy") == 0 and w.count("adult_visit") == 0
