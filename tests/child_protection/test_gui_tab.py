"""GUI: the child protection tab's grouped actions, and forms that fit a council laptop (pytest-qt, offscreen).

A 1366×768 laptop at 125 % scaling gives 1093×614 logical pixels; a form fits it when it can be that small
(everything but the buttons scrolls) and, sized so, shows Save and Cancel whole."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QRect, QSize
from PySide6.QtWidgets import QDialogButtonBox, QPushButton

from desktop.services.child_protection import ReportService
from tests.gui.forms import filled, saved
from ui.action_bar import Group

pytestmark = pytest.mark.gui

LAPTOP = QSize(1366 * 4 // 5, 768 * 4 // 5)  # 1366×768 at 125 %: 1093×614
TASKBAR = 40


def tab_for(w, qtbot, user: str = "sw"):
    from ui.child_protection import ChildProtectionTab

    tab = ChildProtectionTab(w.as_(user), w.ids["case"])
    qtbot.addWidget(tab)
    return tab


def fits_the_laptop(form) -> None:
    """The form can shrink to the laptop's screen, and sized so its buttons are whole and in view."""
    room = QSize(LAPTOP.width(), LAPTOP.height() - TASKBAR)
    least = form.minimumSize().expandedTo(form.minimumSizeHint())
    assert least.height() <= room.height() and least.width() <= room.width(), f"cannot shrink below {least}"
    form.resize(form.size().boundedTo(room))
    form.layout().activate()
    inside = QRect(0, 0, form.width(), form.height())
    for button in (QDialogButtonBox.StandardButton.Save, QDialogButtonBox.StandardButton.Cancel):
        b = form.buttons.button(button)
        assert b.isVisible()
        assert inside.contains(QRect(b.mapTo(form, b.rect().topLeft()), b.size())), f"{b.text()} off the form"


def test_the_visit_form_with_two_children_fits_a_laptop_even_after_a_refusal(registered, qtbot):
    w, ids = registered, registered.ids
    w.clock.day = date(2026, 11, 10)
    form = tab_for(w, qtbot).record_visit()
    filled(form, qtbot)
    qtbot.addWidget(form)
    qtbot.waitExposed(form)
    assert len(form.child_blocks) == 2
    assert all(form.scroller.widget().isAncestorOf(c) for c in form.child_blocks), "the children scroll"
    fits_the_laptop(form)
    # "Seen alone" without "seen": refused above the children's blocks; the buttons stay in view.
    form.child(ids["mali"]).set_value("seen_alone", True)
    for child in form.child_blocks:
        child.set_value("lived_experience", "A long account.\n" * 8)
    assert saved(form, qtbot) is False
    assert "not seen" in form.error_text("children") and form.errors["children"].isVisible()
    fits_the_laptop(form)
    assert w.sw.store.rows("SELECT COUNT(*) AS n FROM cp_visit")[0]["n"] == 0


def test_every_form_of_the_tab_fits_a_laptop(registered, qtbot):
    tab = tab_for(registered, qtbot, "tm")
    for name in ("record_visit", "record_report", "record_strategy", "record_enquiry", "convene_conference",
                 "hold_initial_conference", "hold_review_conference", "hold_core_group", "record_circulation",
                 "edit_plan", "change_coordinator", "information_pack"):
        getattr(tab, name)()  # the initial conference is not offered once registered: opened all the same
        qtbot.addWidget(tab.dialog)
        qtbot.waitExposed(tab.dialog)
        fits_the_laptop(tab.dialog)
        assert tab.dialog.scroller.horizontalScrollBar().maximum() == 0 or not tab.dialog.scroller \
            .horizontalScrollBar().isVisible(), f"{name}: nothing hides sideways"
        tab.dialog.close()


def test_the_tab_groups_its_actions_and_puts_the_visit_first(world, qtbot):
    from ui.child_protection import (
        CirculationDialog,
        ConveneDialog,
        CoordinatorDialog,
        CoreGroupDialog,
        EnquiryDialog,
        InitialConferenceDialog,
        PlanDialog,
        ReportDialog,
        ReviewConferenceDialog,
        StrategyDialog,
        VisitDialog,
    )
    from ui.child_protection.transfer_dialogs import StartTransferDialog

    tab = tab_for(world, qtbot)
    bar = tab.bar
    row = [bar.layout().itemAt(i).widget() for i in range(bar.layout().count() - 1)]
    assert isinstance(row[0], QPushButton) and row[0].text() == "Record visit…", "the most frequent, first"
    assert [w.objectName() for w in row[1:]] == ["group_record", "group_plan", "group_meet", "group_notify",
                                                 "group_manage"]
    menus = {g: [a.objectName() for a in tool.menu().actions()] for g, tool in bar.menus.items()}
    assert menus == {
        Group.RECORD: ["record_visit", "record_report", "record_strategy", "correct_visit",
                        "record_enquiry"],
        Group.PLAN: ["edit_plan", "change_coordinator"],
        Group.MEET: ["convene_conference", "hold_initial_conference", "hold_review_conference", "hold_core_group",
                     "core_member_joins", "core_member_leaves"],
        Group.NOTIFY: ["record_circulation", "conference_report", "information_pack"],
        Group.MANAGE: ["record_transfer", "transfer_step"],
    }
    # Nothing has happened on this case yet: what needs an earlier step is there, but not available.
    enabled = {name for name, action in bar.actions_by_name.items() if action.isEnabled()}
    assert enabled == {"record_visit", "record_report", "record_strategy", "convene_conference",
                       "hold_initial_conference", "record_transfer"}
    for name, form in (("record_visit", VisitDialog), ("record_report", ReportDialog),
                       ("record_strategy", StrategyDialog), ("convene_conference", ConveneDialog),
                       ("hold_initial_conference", InitialConferenceDialog), ("record_transfer", StartTransferDialog)):
        bar.action(name).trigger()
        qtbot.addWidget(tab.dialog)
        assert type(tab.dialog) is form and tab.dialog.isVisible(), name
        tab.dialog.close()
    row[0].click()
    assert type(tab.dialog) is VisitDialog

    # Once the children are registered the later steps apply, and the initial conference no longer does.
    from tests.child_protection.helpers import determine_all, initial_conference, strategy

    strategy(world, "2026-10-12")
    determine_all(world)
    initial_conference(world, "2026-10-26")
    world.clock.day = date(2026, 11, 6)
    qtbot.waitUntil(lambda: bar.action("hold_review_conference").isEnabled(), timeout=5000)
    assert not bar.action("hold_initial_conference").isEnabled()
    assert not bar.action("transfer_step").isEnabled(), "no transfer is open"
    assert not bar.action("information_pack").isEnabled(), "no transfer out is open"
    for name, form in (("record_enquiry", EnquiryDialog), ("edit_plan", PlanDialog),
                       ("change_coordinator", CoordinatorDialog), ("hold_review_conference", ReviewConferenceDialog),
                       ("hold_core_group", CoreGroupDialog), ("record_circulation", CirculationDialog)):
        assert bar.action(name).isEnabled(), name
        bar.action(name).trigger()
        qtbot.addWidget(tab.dialog)
        assert type(tab.dialog) is form and tab.dialog.isVisible(), name
        tab.dialog.close()
    children = {tab.children_list.topLevelItem(i).text(0): [tab.children_list.topLevelItem(i).text(c)
                                                          for c in (1, 2, 3)]
                for i in range(tab.children_list.topLevelItemCount())}
    assert children == {"Elis Jones": ["On the register", "Neglect", "Siân Roberts"],
                        "Mali Jones": ["On the register", "Neglect, Emotional / psychological abuse", "Siân Roberts"]}


def test_a_refused_decision_after_the_report_is_saved_keeps_the_report_once(world, qtbot):
    """The report is recorded, its decision refused (dated before the report): the form becomes the
    decision form for that report, and saving again records the decision, not a second report."""
    w, ids = world, world.ids
    w.clock.day = date(2026, 10, 6)
    form = tab_for(w, qtbot).record_report()
    filled(form, qtbot)
    qtbot.addWidget(form)
    form.set_value("received_at", "05/10/2026")
    form.set_value("received_time", "16:45")
    form.set_value("concerns", "Mali came to school hungry again.")
    form.set_value("decision", "early_help")
    form.set_value("decided_on", "04/10/2026")
    assert saved(form, qtbot) is False
    assert "before the report was received" in form.error_text("decided_on")
    [report] = ReportService(w.sw).for_case(ids["case"])
    assert report["decision"] is None and form.report_id == report["id"]
    assert not form.widgets["concerns"].isEnabled() and form.windowTitle() == "Record the next actions for a report"
    form.set_value("decided_on", "06/10/2026")
    with qtbot.waitSignal(form.saved, timeout=5000):
        assert saved(form, qtbot) is True
    [report] = ReportService(w.sw).for_case(ids["case"])
    assert (report["decision"], report["decision_on"]) == ("early_help", "2026-10-06")
