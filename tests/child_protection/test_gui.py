"""GUI: record a visit in the child protection tab and see "My work" change (pytest-qt, offscreen)."""

from __future__ import annotations

from datetime import date

import pytest

from desktop.services.drafts import DraftService
from tests.conftest import open_my_work
from tests.gui.forms import filled, saved, written

pytestmark = pytest.mark.gui


def overdue(page) -> set[tuple[str, str]]:
    from ui.my_work import RULE_ROLE

    return {(row.text(1).split()[0], row.data(0, RULE_ROLE)) for row in page.rows("overdue")}


def my_work(qtbot, session):
    """The My work page for ``session``, once its figures have come back from the worker thread."""

    page = open_my_work(qtbot, session)
    qtbot.waitUntil(lambda: page.loaded, timeout=10_000)
    assert page.last_error is None
    return page


def test_recording_a_visit_in_the_tab_updates_my_work(registered, qtbot):
    from ui.child_protection import ChildProtectionTab
    from ui.due_tab import DueTab
    from ui.my_work import RULE_ROLE

    w, ids = registered, registered.ids
    w.clock.day = date(2026, 11, 10)

    page = my_work(qtbot, w.sw)
    assert {("Elis", "V1"), ("Mali", "V1")} <= overdue(page)

    tab = ChildProtectionTab(w.sw, ids["case"])
    qtbot.addWidget(tab)
    due = DueTab(w.sw, ids["case"])
    qtbot.addWidget(due)
    qtbot.waitUntil(lambda: not due.loading, timeout=5_000)
    assert {r.data(0, RULE_ROLE) for r in due.rows()} >= {"V1"}, "the case's What is due tab lists the visits"
    dialog = tab.record_visit()
    filled(dialog, qtbot)
    qtbot.addWidget(dialog)

    elis = dialog.child(ids["elis"])
    for key in ("seen", "seen_alone", "seen_at_home", "bedroom_seen"):
        elis.set_value(key, True)
    elis.set_value("wishes_feelings", "Dw i'n hapus pan mae Mam yn darllen i mi.")
    # The half-typed form autosaves as a draft shortly after the last change.
    qtbot.waitUntil(lambda: DraftService(w.sw).load("visit", ids["case"]) is not None, timeout=5000)
    draft = DraftService(w.sw).load("visit", ids["case"])
    assert any(c["wishes_feelings"].startswith("Dw i'n hapus") for c in draft["children"])

    # A date in the future is refused beside the date field; nothing is saved.
    dialog.set_value("visited_on", "11/11/2026")
    assert saved(dialog, qtbot) is False
    assert "future" in dialog.error_text("visited_on")
    assert tab.visits.topLevelItemCount() == 0

    dialog.set_value("visited_on", "10/11/2026")
    assert saved(dialog, qtbot) is True
    assert DraftService(w.sw).load("visit", ids["case"]) is None

    # My work follows the commit: Elis was seen alone, Mali (not on this visit) is still overdue.
    qtbot.waitUntil(lambda: ("Elis", "V1") not in overdue(page), timeout=5000)
    assert ("Mali", "V1") in overdue(page)
    assert tab.visits.topLevelItemCount() == 1


def test_a_visit_where_access_was_denied_is_saved_for_every_child_and_reported(registered, qtbot):
    from ui.child_protection import ChildProtectionTab

    w, ids = registered, registered.ids
    w.clock.day = date(2026, 11, 10)
    tab = ChildProtectionTab(w.sw, ids["case"])
    qtbot.addWidget(tab)
    dialog = tab.record_visit()
    filled(dialog, qtbot)
    qtbot.addWidget(dialog)
    dialog.set_value("access_denied", True)  # nobody ticked as seen
    dialog.set_value("observations", "No answer at the door; curtains drawn.")
    dialog.set_value("observations_cy", "Dim ateb wrth y drws; y llenni ar gau.")
    assert saved(dialog, qtbot) is True
    assert w.sw.store.rows("SELECT observations_cy FROM cp_visit") == [
        {"observations_cy": "Dim ateb wrth y drws; y llenni ar gau."}]
    kids = w.sw.store.rows("SELECT person_id, seen FROM cp_visit_child")
    assert {(k["person_id"], k["seen"]) for k in kids} == {(ids["elis"], 0), (ids["mali"], 0)}
    assert w.sw.store.rows("SELECT access_denied FROM cp_visit")[0]["access_denied"] == 1
    n13 = w.sw.store.rows("SELECT recipient_id FROM letter WHERE template_id = 'N13'")
    assert {r["recipient_id"] for r in n13} == {ids["nurse"], ids["school"]}  # the co-ordinator made the visit


def test_one_click_from_my_work_opens_the_case_at_the_visit_form(registered, qtbot):
    from ui.my_work import RULE_ROLE

    w = registered
    w.clock.day = date(2026, 11, 10)
    page = my_work(qtbot, w.sw)
    row = next(r for r in page.rows("overdue") if r.data(0, RULE_ROLE) == "V1")
    page._activated(row)
    assert page.opened == [(w.ids["case"], "record_visit")]
    from PySide6.QtWidgets import QApplication, QWidget

    windows = [x for x in QApplication.topLevelWidgets() if x.objectName() == "case_window"]
    assert windows
    # The form opens once the case is open and the tab has read it (on workers).
    qtbot.waitUntil(lambda: not windows[0].loading, timeout=10_000)
    tab = windows[0].findChild(QWidget, "cp_tab")
    assert tab is not None and tab.dialog is not None and tab.dialog.isVisible()
    for x in windows:
        x.close()


def test_register_page_answers_an_enquiry_and_logs_it(registered, qtbot):
    from ui.child_protection import RegisterPage

    w, ids = registered, registered.ids
    page = RegisterPage(w.as_("custodian"))
    qtbot.addWidget(page)
    assert page.entries.topLevelItemCount() == 2
    page.enquirer.setText("DC Dai Lewis")
    page.agency.setCurrentIndex(page.agency.findData(ids["police"]))
    page.child.setCurrentIndex(page.child.findData(ids["mali"]))
    assert page.record_enquiry()["given"] is False  # identity not checked yet
    assert "Nothing can be given" in page.answer.text()
    page.identity.setChecked(True)
    assert page.record_enquiry()["registered"] is True
    assert "Siân Roberts" in page.answer.text()
    qtbot.waitUntil(lambda: page.enquiries.topLevelItemCount() == 2, timeout=5000)


def test_a_move_out_of_the_area_recorded_and_progressed_from_the_tab(registered, qtbot):
    from ui.child_protection import ChildProtectionTab
    from ui.due_tab import DueTab
    from ui.my_work import ACTION_ROLE

    w, ids = registered, registered.ids
    w.clock.day = date(2026, 11, 20)
    tab = ChildProtectionTab(w.sw, ids["case"])
    qtbot.addWidget(tab)
    qtbot.waitUntil(lambda: not tab.loading, timeout=5_000)
    assert not tab.transfers_label.isVisibleTo(tab)
    start = tab.record_transfer()
    filled(start, qtbot)
    assert start.values()["permanent"] is True
    start.set_value("child", ids["elis"])
    start.set_value("direction", "out")
    start.set_value("notified_on", "20/11/2026")
    assert saved(start, qtbot) is False and start.errors["other_la"].text() == "Enter the receiving local authority."
    assert w.sw.store.rows("SELECT count(*) AS n FROM cp_transfer")[0]["n"] == 0
    start.set_value("other_la", "Cyngor Sir Powys")
    start.set_value("other_la_address", "Neuadd y Sir\nLlandrindod Wells")  # for the information pack
    assert saved(start, qtbot) is True
    assert w.sw.store.rows("SELECT other_la_address FROM cp_transfer")[0]["other_la_address"] == \
        "Neuadd y Sir\nLlandrindod Wells"
    qtbot.waitUntil(lambda: "moving out to Cyngor Sir Powys" in tab.transfers_label.text())

    # "My work" (and the case's What is due tab) offers C17; its action prepares the information pack for
    # that transfer (sending it records the information sent).
    w.clock.day = date(2026, 11, 23)
    due = DueTab(w.sw, ids["case"])
    qtbot.addWidget(due)
    qtbot.waitUntil(lambda: not due.loading, timeout=5_000)
    row = next(r for r in due.rows() if r.data(0, ACTION_ROLE) == "send_transfer_information")
    assert row.text(0) == "Due today", "C17: written information within 3 days of being told (the 20th)"
    pack = tab.open_action(row.data(0, ACTION_ROLE))
    filled(pack, qtbot)
    assert type(pack).__name__ == "InformationPackDialog" and pack.value("other_la") == "Cyngor Sir Powys"
    pack.close()
    # Information sent another way is recorded on the transfer's progress form.
    step = tab.transfer_step("information_sent")
    filled(step, qtbot)
    assert step.widgets["step"].currentData() == "information_sent"
    step.set_value("on_date", "19/11/2026")
    assert saved(step, qtbot) is False and "before the move was notified" in step.errors["on_date"].text()
    step.set_value("on_date", "23/11/2026")
    assert saved(step, qtbot) is True
    assert w.sw.store.rows("SELECT information_sent_on FROM cp_transfer")[0]["information_sent_on"] == "2026-11-23"
    # The family did not move after all: the transfer ends with the reason, from the same form.
    w.clock.day = date(2026, 11, 24)
    end = tab.transfer_step()
    filled(end)
    end.set_value("step", "close")
    end.set_value("on_date", "24/11/2026")
    assert saved(end, qtbot) is False and end.errors["notes"].isVisibleTo(end)
    end.set_value("notes", "The tenancy in Welshpool fell through; they are staying.")
    assert saved(end, qtbot) is True
    qtbot.waitUntil(lambda: not tab.transfers_label.text())


def test_a_visit_closed_straight_after_typing_keeps_every_word(registered, qtbot):
    from ui.child_protection import ChildProtectionTab

    w, ids = registered, registered.ids
    tab = ChildProtectionTab(w.sw, ids["case"])
    qtbot.addWidget(tab)
    dialog = tab.record_visit()
    filled(dialog, qtbot)
    dialog.child(ids["elis"]).set_value("lived_experience", "Elis said he hides under the bed when the shouting starts.")
    dialog.reject()  # the lid shut before the autosave ran
    written(dialog, qtbot)  # the draft is kept on a worker
    draft = DraftService(w.sw).load("visit", ids["case"])
    assert any(c["lived_experience"].startswith("Elis said he hides") for c in draft["children"])


def test_the_team_manager_sees_the_teams_overdue_work_not_only_their_own(registered, qtbot):
    """A row per worker opens to their items; every item says whose it is; the headline counts the team's
    work once each (the manager's own included), and a social worker sees no team."""
    from ui.my_work import RULE_ROLE

    w = registered
    w.clock.day = date(2026, 11, 10)
    worker = my_work(qtbot, w.sw)
    assert worker.team.isHidden() or worker.tabs.indexOf(worker.team) == -1  # a social worker sees their own
    assert worker.heading.text() == "Your work"
    manager = my_work(qtbot, w.as_("tm"))
    assert manager.heading.text() == "Your team's work"
    # None of it is the manager's own but the supervision of the team's cases (rule S1, issue 19).
    assert {r.data(0, RULE_ROLE) for r in manager.rows("overdue")} <= {"S1"}
    rows = {r.text(0): r for r in manager.worker_rows()}
    sian = rows["Siân Roberts"]
    assert int(sian.text(2)) >= 2 and sian.text(5) == ""
    sian.setExpanded(True)
    items = {(sian.child(i).data(0, RULE_ROLE), sian.child(i).text(1)) for i in range(sian.childCount())}
    assert {("V1", "Elis Jones"), ("V1", "Mali Jones")} <= items  # Siân's children, not seen alone
    assert all(sian.child(i).text(0).startswith(("Overdue", "Due")) for i in range(sian.childCount()))
    # The headline: every item of the team once; equal to the sum of the workers' rows.
    work = manager.work
    assert manager.chips["overdue"].count == work.counts["overdue"] == sum(int(r.text(2)) for r in rows.values())
    assert work.counts["overdue"] == len({(i.case_id, i.person_id, i.rule_id) for i in work.responsible
                                          if i.status == "overdue"})
    assert all(i.worker_name == "Siân Roberts" for i in work.responsible
               if i.case_id == w.ids["case"] and i.rule_id != "S1")  # supervision is the manager's own
    assert all(i.worker_id == w.as_("tm").user.id for i in work.responsible if i.rule_id == "S1")


def test_a_saved_visit_is_corrected_from_the_tab_and_the_original_kept(registered, qtbot):
    """A visit recorded as "Mali not seen alone" was wrong: choosing it in the list enables "Correct the chosen
    visit…", whose form opens with the visit as it stands; without a reason it is refused and nothing is
    written; with one, a correction amends the visit (the original kept), the list shows the corrected facts
    and My work no longer counts Mali as not seen alone. The visit's own draft is left alone."""
    from desktop.services.child_protection import VisitService
    from ui.child_protection import ChildProtectionTab

    w, ids = registered, registered.ids
    w.clock.day = date(2026, 11, 10)
    children = [{"person_id": ids["elis"], "seen": True, "seen_alone": True},
                {"person_id": ids["mali"], "seen": True, "seen_alone": False}]
    original = VisitService(w.sw).record(ids["case"], visited_on="2026-11-10", location="school", children=children,
                                         observations="Both at school; Mali seen with her teacher.")
    tab = ChildProtectionTab(w.sw, ids["case"])
    qtbot.addWidget(tab)
    qtbot.waitUntil(lambda: tab.visits.topLevelItemCount() == 1, timeout=5_000)
    assert not tab.bar.action("correct_visit").isEnabled()
    tab.visits.setCurrentItem(tab.visits.topLevelItem(0))
    assert tab.bar.action("correct_visit").isEnabled()
    tab.bar.action("correct_visit").trigger()
    dialog = tab.dialog
    filled(dialog, qtbot)
    qtbot.addWidget(dialog)
    assert dialog.value("visited_on") == "2026-11-10" and dialog.value("location") == "school"
    assert dialog.value("observations") == "Both at school; Mali seen with her teacher."
    mali = dialog.child(ids["mali"])
    assert mali.value("seen") is True and mali.value("seen_alone") is False
    mali.set_value("seen_alone", True)
    dialog.set_value("observations", "Both at school; each seen alone in the library.")
    assert saved(dialog, qtbot) is False and dialog.error_text("reason")
    assert w.sw.store.rows("SELECT count(*) AS n FROM cp_visit")[0]["n"] == 1
    dialog.set_value("reason", "Mali was seen alone after her lesson; recorded wrongly.")
    assert saved(dialog, qtbot) is True
    rows = w.sw.store.rows("SELECT id, amends_id, amendment_reason, observations FROM cp_visit ORDER BY created_at")
    assert [r["amends_id"] for r in rows] == [None, original["id"]]
    assert rows[0]["observations"] == "Both at school; Mali seen with her teacher."  # kept as it was
    qtbot.waitUntil(lambda: "Mali" in tab.visits.topLevelItem(0).text(3), timeout=5_000)
    assert tab.visits.topLevelItemCount() == 1
    assert DraftService(w.sw).load("visit", ids["case"]) is None
    page = my_work(qtbot, w.sw)
    assert ("Mali", "V1") not in overdue(page)
