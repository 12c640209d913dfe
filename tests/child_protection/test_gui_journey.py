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
from tests.child_protection.helpers import determine_all, initial_conference, strategy
from tests.conftest import open_my_work
from tests.gui.forms import filled, saved, written

pytestmark = pytest.mark.gui


def tab_for(w, qtbot, user: str = "sw"):
    from ui.child_protection import ChildProtectionTab

    tab = ChildProtectionTab(w.as_(user), w.ids["case"])
    qtbot.addWidget(tab)
    return tab


def save_and_wait(qtbot, dialog) -> bool:
    with qtbot.waitSignal(dialog.saved, timeout=5000):
        ok = saved(dialog, qtbot)
    return ok


def test_report_and_its_next_actions(world, qtbot):
    w, ids = world, world.ids
    w.clock.day = date(2026, 10, 5)
    tab = tab_for(w, qtbot)
    dialog = tab.record_report()
    filled(dialog, qtbot)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.value("child_ids") == [ids["elis"], ids["mali"]], "a report is about every child to begin with"
    dialog.set_value("received_time", "09:30")
    dialog.set_value("source_type", "professional")
    dialog.editors["suspected_categories"].check("neglect")
    # No concerns: refused beside the field, nothing saved.
    assert not dialog.errors["concerns"].isVisible()
    assert saved(dialog, qtbot) is False
    assert dialog.error_text("concerns")
    assert dialog.errors["concerns"].isVisible(), "the refusal shows beside its field"
    assert ReportService(w.sw).for_case(ids["case"]) == []
    dialog.set_value("concerns", "Children left alone at night; little food.")
    draft = (dialog.OBJECT_NAME, dialog.draft_context())
    qtbot.waitUntil(lambda: DraftService(w.sw).load(*draft) is not None, timeout=5000)
    dialog.set_value("decision", "strategy_discussion")
    assert save_and_wait(qtbot, dialog)
    [report] = ReportService(w.sw).for_case(ids["case"])
    assert report["decision"] == "strategy_discussion" and report["source_type"] == "professional"
    assert report["received_at"] == "2026-10-05T09:30"
    assert DraftService(w.sw).load(*draft) is None


def test_deciding_an_existing_report_from_my_work_action(world, qtbot, monkeypatch):
    """My work's "decide the report" opens the oldest undecided report's next actions; which report that is
    is looked up on a worker as the form opens, never on the GUI thread, and its draft is the report's own."""
    import threading

    from tests.gui.store_reads import record_reads

    w, ids = world, world.ids
    w.clock.day = date(2026, 10, 5)
    ReportService(w.sw).record(ids["case"], concerns="Bruising.", received_at="2026-10-05T09:30",
                               source_type="public")
    tab = tab_for(w, qtbot)
    reads = record_reads(monkeypatch)
    dialog = tab.record_report(True)
    filled(dialog, qtbot)
    qtbot.addWidget(dialog)
    gui = threading.current_thread().name
    assert [where for thread, where in reads if thread == gui] == [], "looked up on the GUI thread"
    assert any(thread != gui for thread, _w in reads)
    # The reasons written so far are the report's draft, found again when it is opened the same way.
    dialog.set_value("note", "Seen at school with bruising.")
    draft = (dialog.OBJECT_NAME, dialog.draft_context())
    qtbot.waitUntil(lambda: DraftService(w.sw).load(*draft) is not None, timeout=5000)
    dialog.reject()
    again = tab.record_report(True)
    filled(again, qtbot)
    qtbot.addWidget(again)
    assert again.value("note") == "Seen at school with bruising."
    dialog = again
    assert not dialog.widgets["concerns"].isEnabled()
    assert dialog.value("concerns") == "Bruising." and dialog.value("source_type") == "public", "the report shown"
    assert saved(dialog, qtbot) is False  # no decision chosen
    assert dialog.error_text("decision")
    dialog.set_value("decision", "part3_assessment")
    assert save_and_wait(qtbot, dialog)
    assert ReportService(w.sw).for_case(ids["case"])[0]["decision"] == "part3_assessment"


def test_strategy_discussion_needs_police_and_starts_s47(world, qtbot):
    w, ids = world, world.ids
    w.clock.day = date(2026, 10, 7)
    tab = tab_for(w, qtbot)
    dialog = tab.record_strategy()
    filled(dialog, qtbot)
    qtbot.addWidget(dialog)
    dialog.set_value("held_on", "07/10/2026")
    tick(dialog, "participants", ids["ss"], ids["health"])
    dialog.set_value("decisions", "Section 47 enquiries; joint visit.")
    dialog.set_value("initiate_s47", True)
    assert saved(dialog, qtbot) is False
    assert "police" in dialog.error_text("participants")
    assert StrategyService(w.sw).for_case(ids["case"]) == []
    # A departure from the timescale needs the senior manager who agreed it; only senior managers are offered.
    combo = dialog.widgets["departure_agreed_by"]
    assert [combo.itemData(i) for i in range(combo.count())] == [None, ids["sm"]]
    tick(dialog, "participants", ids["police"])
    dialog.set_value("departure_reason", "Police could not attend sooner.")
    assert saved(dialog, qtbot) is False
    assert dialog.error_text("departure_agreed_by")
    dialog.set_value("departure_agreed_by", ids["sm"])
    assert save_and_wait(qtbot, dialog)
    [row] = StrategyService(w.sw).for_case(ids["case"])
    assert row["departure_agreed_by"] == ids["sm"]
    assert len(EnquiryService(w.sw).for_case(ids["case"])) == 2


def test_section_47_seen_determined_and_ratified_by_a_manager(world, qtbot):
    from desktop.services.child_protection import EnquiryService

    w, ids = world, world.ids
    w.clock.day = date(2026, 10, 9)
    strategy(w, "2026-10-07")
    tab = tab_for(w, qtbot)
    dialog = tab.record_enquiry()
    filled(dialog, qtbot)
    qtbot.addWidget(dialog)
    assert dialog.ratify_button.isHidden()  # a social worker cannot ratify: not offered
    elis = next(e["id"] for e in EnquiryService(w.sw).for_case(ids["case"]) if e["person_id"] == ids["elis"])
    dialog.set_value("enquiry_id", elis)
    assert dialog.widgets["enquiry_id"].currentText() == "Elis Jones, started 7 Oct 2026"
    dialog.set_value("determination", "1")
    assert saved(dialog, qtbot) is False  # no reasons
    assert dialog.error_text("reason")
    assert all(e["determination"] is None for e in EnquiryService(w.sw).for_case(ids["case"]))
    dialog.set_value("seen_on", "08/10/2026")
    dialog.set_value("seen_alone", True)
    dialog.set_value("reason", "No evidence of harm; family engaging.")
    assert save_and_wait(qtbot, dialog)
    row = next(e for e in EnquiryService(w.sw).for_case(ids["case"]) if e["person_id"] == ids["elis"])
    assert (row["determination"], row["child_seen_alone_on"]) == (1, "2026-10-08")

    manager = tab_for(w, qtbot, "tm").record_enquiry()
    filled(manager, qtbot)
    qtbot.addWidget(manager)
    assert not manager.ratify_button.isHidden()
    manager.set_value("enquiry_id", next(e["id"] for e in EnquiryService(w.sw).for_case(ids["case"])
                                         if e["person_id"] == ids["mali"]))
    assert manager.ratify() is False  # Mali's enquiry has no determination yet
    assert "ratification" in manager.error_text("determination")
    manager.set_value("enquiry_id", row["id"])
    with qtbot.waitSignal(manager.saved, timeout=5000):
        assert manager.ratify() is True
    assert next(e for e in EnquiryService(w.sw).for_case(ids["case"]) if e["id"] == row["id"])["ratified_by"] \
        == ids["tm"]


def tick(dialog, name: str, *codes) -> None:
    """Tick boxes of a ``checks`` field, as a person would."""
    for code in codes:
        dialog.editors[name].check(code)


def fill_initial(dialog, ids) -> None:
    dialog.set_value("held_on", "26/10/2026")
    tick(dialog, "attendance", ids["ss"], ids["police"])
    for d in dialog.decisions:
        d.set_value("registered", True)
        d.editors["categories"].check("neglect")
        d.set_value("coordinator_id", ids["sw"])
        d.set_value("outline_plan", f"Outline plan for {d.name}")
        d.editors["core_group"].check(ids["health"])
        d.set_value("first_core_group_on", "06/11/2026")
        d.set_value("next_review_on", "26/01/2027")


def test_initial_conference_registers_each_child(world, qtbot):
    from desktop.services.child_protection import ConferenceService, CoreGroupService, RegisterService

    w, ids = world, world.ids
    strategy(w, "2026-10-12")
    determine_all(w)
    w.clock.day = date(2026, 10, 26)
    ConferenceService(w.sw).convene(ids["case"], kind="initial", scheduled_on="2026-10-26", chair_id=ids["tm"],
                                    invitees=[{"kind": "person", "id": ids["mam"]}])
    tab = tab_for(w, qtbot)
    dialog = tab.hold_initial_conference()
    filled(dialog)
    qtbot.addWidget(dialog)
    fill_initial(dialog, ids)
    # Two agencies without the chair's discretion: not quorate, refused beside the discretion box.
    assert dialog.value("conference_id") is not None and dialog.value("conference_id") != ""
    assert saved(dialog, qtbot) is False
    assert "discretion" in dialog.error_text("quorum_discretion")
    assert RegisterService(w.as_("custodian")).entries("active") == []
    tick(dialog, "attendance", ids["health"])
    mali = dialog.decision(ids["mali"])
    mali.set_value("categories", [])
    assert saved(dialog, qtbot) is False
    assert mali.error_text("categories") and mali.errors["categories"].isVisibleTo(dialog), "in Mali's block"
    assert dialog.decision(ids["elis"]).error_text("categories") == ""
    assert RegisterService(w.as_("custodian")).entries("active") == []
    mali.set_value("categories", ["neglect", "emotional"])
    mali.set_value("outline_plan_cy", "Cynllun amlinellol i Mali")  # the optional Welsh beside the English
    assert save_and_wait(qtbot, dialog)
    welsh = {d["person_id"]: d["outline_plan_cy"] for d in w.sw.store.rows(
        "SELECT person_id, outline_plan_cy FROM cp_conference_decision")}
    assert welsh == {ids["elis"]: None, ids["mali"]: "Cynllun amlinellol i Mali"}
    entries = {e["person_id"]: e for e in RegisterService(w.as_("custodian")).entries("active")}
    assert set(entries) == {ids["elis"], ids["mali"]}
    assert entries[ids["elis"]]["coordinator_id"] == ids["sw"]
    assert ids["health"] in {m["agency_id"] for m in CoreGroupService(w.sw).members(ids["case"])}


def test_core_group_meeting_needs_someone_present(world, qtbot):
    from desktop.services.child_protection import CoreGroupService

    w, ids = world, world.ids
    strategy(w, "2026-10-12")
    determine_all(w)
    initial_conference(w, "2026-10-26")
    w.clock.day = date(2026, 11, 6)
    tab = tab_for(w, qtbot)
    dialog = tab.hold_core_group()
    filled(dialog)
    qtbot.addWidget(dialog)
    assert saved(dialog, qtbot) is False  # nobody ticked, nobody else present
    assert dialog.error_text("attendance")
    assert CoreGroupService(w.sw).meetings(ids["case"]) == []
    first = dialog.editors["attendance"].checks[0][1]
    tick(dialog, "attendance", first)
    dialog.set_value("others", "Catrin Jones\n")
    dialog.set_value("written_contributions", "School: attendance 98%.")
    dialog.set_value("next_on", "18/12/2026")
    assert save_and_wait(qtbot, dialog)
    [meeting] = CoreGroupService(w.sw).meetings(ids["case"])
    assert meeting["next_on"] == "2026-12-18"
    rows = w.sw.store.rows("SELECT * FROM cp_core_group_attendance WHERE core_group_id = ?", [meeting["id"]])
    assert any(r["name"] == "Catrin Jones" and r["attended"] for r in rows)
    assert any(not r["attended"] and r["written_contribution"] for r in rows)


def test_core_group_members_join_and_leave_between_conferences(world, qtbot):
    """The housing association joins the core group after the initial conference (refused first: nobody chosen; and again
    when it is already a member), and the nurse leaves; the next core group meeting lists its members as they
    now are."""
    from desktop.services.child_protection import CoreGroupService

    w, ids = world, world.ids
    strategy(w, "2026-10-12")
    determine_all(w)
    initial_conference(w, "2026-10-26")
    w.clock.day = date(2026, 11, 6)
    housing = w.sw.write(lambda tx: tx.insert("agency", {"name": "Cartrefi Sir Gâr", "agency_type": "housing",
                                                         "relevant_partner": 1}))["id"]
    service = CoreGroupService(w.sw)
    members = service.members(ids["case"])
    [nurse] = [m for m in members if m["practitioner_id"] == ids["nurse"]]
    tab = tab_for(w, qtbot)

    def joins():
        dialog = tab.core_member_joins()
        filled(dialog, qtbot)
        qtbot.addWidget(dialog)
        dialog.set_value("role", "Tenancy officer")
        return dialog

    dialog = joins()
    assert saved(dialog, qtbot) is False and dialog.error_text("who") == "Choose who joins the core group."
    assert len(service.members(ids["case"])) == len(members)
    dialog.set_value("who", f"agency:{housing}")
    assert save_and_wait(qtbot, dialog)
    [joined] = [m for m in service.members(ids["case"]) if m["agency_id"] == housing]
    assert (joined["member_kind"], joined["role"], joined["from_date"]) == ("agency", "Tenancy officer", "2026-11-06")
    dialog = joins()
    dialog.set_value("who", f"agency:{housing}")
    assert saved(dialog, qtbot) is False
    assert dialog.error_text("who") == "They are already a member of the core group."
    dialog.reject()

    leaves = tab.core_member_leaves()
    filled(leaves, qtbot)
    qtbot.addWidget(leaves)
    leaves.set_value("member_id", nurse["id"])
    leaves.set_value("to_date", "05/11/2026")
    assert save_and_wait(qtbot, leaves)
    assert nurse["id"] not in {m["id"] for m in service.members(ids["case"])}
    meeting = tab.hold_core_group()
    filled(meeting)
    qtbot.addWidget(meeting)
    listed = {code for _check, code, _t in meeting.editors["attendance"].checks}
    assert joined["id"] in listed and nurse["id"] not in listed


def test_change_of_coordinator_needs_verbal_notification(world, qtbot):
    from desktop.services.child_protection import RegisterService

    w, ids = world, world.ids
    strategy(w, "2026-10-12")
    determine_all(w)
    initial_conference(w, "2026-10-26")
    w.clock.day = date(2026, 11, 6)
    tab = tab_for(w, qtbot)
    dialog = tab.change_coordinator()
    filled(dialog)
    qtbot.addWidget(dialog)
    dialog.set_value("new_coordinator_id", ids["sw2"])
    assert saved(dialog, qtbot) is False
    assert "verbally" in dialog.error_text("verbal_to")
    dialog.set_value("new_coordinator_id", ids["sw"])  # already the co-ordinator
    dialog.set_value("verbal_to", "Catrin Jones\nBethan Hughes")
    assert saved(dialog, qtbot) is False
    assert dialog.error_text("new_coordinator_id")
    assert {e["coordinator_id"] for e in RegisterService(w.as_("custodian")).entries("active")} == {ids["sw"]}
    dialog.set_value("new_coordinator_id", ids["sw2"])
    dialog.set_value("reason", "Siân moves team.")
    assert save_and_wait(qtbot, dialog)
    assert {e["coordinator_id"] for e in RegisterService(w.as_("custodian")).entries("active")} == {ids["sw2"]}
    assert w.sw.store.rows("SELECT COUNT(*) AS n FROM letter WHERE template_id = 'N1'")[0]["n"] > 0


def test_review_conference_deregisters_with_reasons(world, qtbot):
    from desktop.services.child_protection import RegisterService

    w, ids = world, world.ids
    strategy(w, "2026-10-12")
    determine_all(w)
    initial_conference(w, "2026-10-26")
    w.clock.day = date(2027, 1, 20)
    tab = tab_for(w, qtbot)
    dialog = tab.hold_review_conference()
    filled(dialog)
    qtbot.addWidget(dialog)
    dialog.set_value("held_on", "20/01/2027")
    tick(dialog, "attendance", ids["ss"], ids["police"], ids["health"])
    dialog.set_value("report", "Good progress; the plan's outcomes are met.")
    elis = dialog.decision(ids["elis"])
    elis.set_value("deregister", True)  # remove Elis's name, but no reasons yet
    assert saved(dialog, qtbot) is False
    assert elis.error_text("reasons")
    assert len(RegisterService(w.as_("custodian")).entries("active")) == 2
    elis.set_value("reasons", "Risk reduced; outcomes met.")
    elis.set_value("reasons_cy", "Risg wedi lleihau; canlyniadau wedi'u cyflawni.")  # beside the English
    dialog.decision(ids["mali"]).set_value("next_review_on", "20/07/2027")
    assert save_and_wait(qtbot, dialog)
    assert w.sw.store.rows("SELECT reasons_cy FROM cp_conference_decision WHERE deregistered = 1")[0]["reasons_cy"] \
        == "Risg wedi lleihau; canlyniadau wedi'u cyflawni."
    assert [e["person_id"] for e in RegisterService(w.as_("custodian")).entries("active")] == [ids["mali"]]
    assert w.sw.store.rows("SELECT COUNT(*) AS n FROM letter WHERE template_id = 'N12'")[0]["n"] > 0


def test_my_work_opens_the_form_for_its_action(world, qtbot):
    from PySide6.QtWidgets import QApplication, QWidget

    from ui.child_protection.conference_dialog import InitialConferenceDialog
    from ui.my_work import ACTION_ROLE

    w = world
    strategy(w, "2026-10-07")
    determine_all(w)
    w.clock.day = date(2026, 10, 29)  # the initial conference (C6) is overdue
    page = open_my_work(qtbot, w.sw)
    row = next(r for r in page.rows("overdue") if r.data(0, ACTION_ROLE) == "hold_initial_conference")
    page._activated(row)
    windows = [x for x in QApplication.topLevelWidgets() if x.objectName() == "case_window"]
    qtbot.waitUntil(lambda: not windows[0].loading, timeout=10_000)  # opened, the tab has read the case
    tab = windows[0].findChild(QWidget, "cp_tab")
    assert isinstance(tab.dialog, InitialConferenceDialog) and tab.dialog.isVisible()
    for x in windows:
        x.close()


def test_plan_outcomes_and_actions(world, qtbot):
    from desktop.services.child_protection import PlanService

    w, ids = world, world.ids
    strategy(w, "2026-10-12")
    determine_all(w)
    initial_conference(w, "2026-10-26")
    w.clock.day = date(2026, 11, 6)
    tab = tab_for(w, qtbot)
    dialog = tab.edit_plan()
    filled(dialog, qtbot)
    qtbot.addWidget(dialog)
    assert "Outline plan for elis" in dialog.value("outline")
    dialog.outcomes.add_row({"description": "Elis and Mali are never left alone at night"})  # no measure yet
    dialog.action_rows.add_row({"description": "Arrange a babysitter rota", "outcome_index": 0, "owner_kind": "person",
                            "owner_name": "Catrin Jones", "due_on": "24/11/2026", "status": "not_started",
                            "description_cy": "Trefnu rota gwarchodwyr"})
    # The action names its outcome by the outcome's words, not by a number.
    assert dialog.action_rows.combo(0, "outcome_index").currentText() == "Elis and Mali are never left alone at night"
    assert saved(dialog, qtbot) is False
    assert "measured" in dialog.error_text("outcomes")
    before = len(PlanService(w.sw).versions(ids["case"]))
    dialog.outcomes.set_cell(0, "measure", "Unannounced visits find an adult at home")
    dialog.set_value("support", "Family support worker twice a week.")
    dialog.set_value("support_cy", "Gweithiwr cymorth i deuluoedd ddwywaith yr wythnos.")
    assert save_and_wait(qtbot, dialog)
    plan = PlanService(w.sw).current(ids["case"])
    # The Welsh written beside the English reaches the plan (the letters quote it).
    assert [a["description_cy"] for a in plan["actions"]] == ["Trefnu rota gwarchodwyr"]
    assert plan["support_cy"] == "Gweithiwr cymorth i deuluoedd ddwywaith yr wythnos."
    assert [a["owner_name"] for a in plan["actions"]] == ["Catrin Jones"]
    assert plan["actions"][0]["outcome_id"] == plan["outcomes"][0]["id"]
    assert plan["actions"][0]["due_on"] == "2026-11-24"
    assert len(PlanService(w.sw).versions(ids["case"])) == before + 1


def test_a_half_typed_form_comes_back_as_a_draft(world, qtbot):
    w, ids = world, world.ids
    w.clock.day = date(2026, 10, 7)
    tab = tab_for(w, qtbot)
    dialog = tab.record_strategy()
    filled(dialog, qtbot)
    qtbot.addWidget(dialog)
    tick(dialog, "participants", ids["police"])
    dialog.set_value("decisions", "Joint visit with police.")
    draft = (dialog.OBJECT_NAME, dialog.draft_context())
    qtbot.waitUntil(lambda: (DraftService(w.sw).load(*draft) or {}).get("decisions")
                    == "Joint visit with police.", timeout=5000)
    dialog.set_value("interim_safeguards", "Dad stays with his brother.")
    dialog.reject()  # closed before the autosave: the draft is saved on closing
    written(dialog, qtbot)  # on a worker
    assert DraftService(w.sw).load(*draft)["interim_safeguards"] == "Dad stays with his brother."
    again = tab.record_strategy()
    filled(again, qtbot)
    qtbot.addWidget(again)
    assert again.value("decisions") == "Joint visit with police."
    assert again.value("participants") == [ids["police"]]


def test_core_group_rates_progress_with_evidence(world, qtbot):
    from desktop.services.child_protection import CoreGroupService, PlanService

    w, ids = world, world.ids
    strategy(w, "2026-10-12")
    determine_all(w)
    initial_conference(w, "2026-10-26")
    w.clock.day = date(2026, 11, 6)
    PlanService(w.sw).revise(ids["case"], outcomes=[{"description": "Never alone at night", "measure": "Visits"}],
                             actions=[{"description": "Babysitter rota", "owner_kind": "person",
                                       "owner_name": "Catrin Jones", "outcome_index": 0}])
    dialog = tab_for(w, qtbot).hold_core_group()
    filled(dialog, qtbot)
    qtbot.addWidget(dialog)
    dialog.set_value("others", "Catrin Jones")
    assert dialog.progress.cell(0, "description") == "Never alone at night"
    dialog.progress.set_cell(0, "rag", "amber")
    assert saved(dialog, qtbot) is False  # a rating without its evidence
    assert "evidence" in dialog.error_text("progress")
    assert CoreGroupService(w.sw).meetings(ids["case"]) == []
    dialog.progress.set_cell(0, "evidence", "Two unannounced visits found an adult at home.")
    dialog.action_rows.set_cell(0, "status", "in_progress")
    assert save_and_wait(qtbot, dialog)
    plan = PlanService(w.sw).current(ids["case"])
    assert plan["outcomes"][0]["rag"] == "amber"
    assert plan["actions"][0]["status"] == "in_progress"


def test_every_form_names_its_controls_and_retranslates(world, qtbot):
    from PySide6.QtWidgets import (
        QAbstractButton,
        QAbstractItemView,
        QComboBox,
        QDialogButtonBox,
        QLineEdit,
        QPlainTextEdit,
    )

    from desktop.i18n import set_language
    from tests.gui.walk import texts_of, widgets_of
    from ui.language import hub

    hub()
    w = world
    strategy(w, "2026-10-12")
    determine_all(w)
    initial_conference(w, "2026-10-26")
    w.clock.day = date(2026, 11, 6)
    tab = tab_for(w, qtbot, "tm")
    openers = [tab.record_report, tab.record_strategy, tab.record_enquiry, tab.hold_initial_conference,
               tab.hold_core_group, tab.hold_review_conference, tab.edit_plan, tab.change_coordinator, tab.record_circulation, tab.convene_conference]
    dialogs = []
    for opener in openers:
        dialog = opener()
        filled(dialog)
        qtbot.addWidget(dialog)
        dialogs.append(dialog)
    missing = [f"{type(x).__name__}:{x.objectName()} in {d.objectName()}" for d in dialogs for x in widgets_of(d)
               if x.isVisibleTo(d) and not x.accessibleName()
               and (isinstance(x, QLineEdit | QComboBox | QPlainTextEdit | QAbstractItemView)
                    or (isinstance(x, QAbstractButton) and not x.text()))
               and not (isinstance(x, QLineEdit) and isinstance(x.parent(), QComboBox))
               and type(x).__name__ != "QHeaderView" and not x.objectName().startswith("qt_")]
    assert missing == []
    before = [sorted(texts_of(d)) for d in dialogs]
    try:
        set_language("cy")
        for d in dialogs:
            assert d.buttons.button(QDialogButtonBox.StandardButton.Save).text().replace("&", "") == "Cadw"
    finally:
        set_language("en")
    assert [sorted(texts_of(d)) for d in dialogs] == before


def test_conference_record_sent(world, qtbot):
    from desktop.services.child_protection import ConferenceService

    w, ids = world, world.ids
    strategy(w, "2026-10-12")
    determine_all(w)
    held = initial_conference(w, "2026-10-26")
    w.clock.day = date(2026, 10, 28)
    dialog = tab_for(w, qtbot).open_action("circulate_outline_plan")
    filled(dialog, qtbot)
    qtbot.addWidget(dialog)
    assert dialog.value("conference_id") == held["id"]
    assert dialog.widgets["conference_id"].currentText() == "Initial conference held 26 Oct 2026"
    dialog.set_value("outline_plan_sent_on", "29/10/2026")  # tomorrow
    assert saved(dialog, qtbot) is False
    assert "future" in dialog.error_text("outline_plan_sent_on")
    assert ConferenceService(w.sw).for_case(ids["case"])[0]["outline_plan_sent_on"] is None
    dialog.set_value("outline_plan_sent_on", "27/10/2026")
    assert save_and_wait(qtbot, dialog)
    assert ConferenceService(w.sw).for_case(ids["case"])[0]["outline_plan_sent_on"] == "2026-10-27"


def test_my_work_opens_the_report_decision(world, qtbot):
    from PySide6.QtWidgets import QApplication, QWidget

    from ui.child_protection import ReportDialog
    from ui.my_work import ACTION_ROLE

    w, ids = world, world.ids
    w.clock.day = date(2026, 10, 5)
    report = ReportService(w.sw).record(ids["case"], concerns="Bruising.", received_at="2026-10-05T09:30",
                                        source_type="public")
    w.clock.day = date(2026, 10, 7)  # the next-actions decision (C1) is overdue
    page = open_my_work(qtbot, w.sw)
    row = next(r for r in page.rows("overdue") if r.data(0, ACTION_ROLE) == "decide_report")
    page._activated(row)
    windows = [x for x in QApplication.topLevelWidgets() if x.objectName() == "case_window"]
    qtbot.waitUntil(lambda: not windows[0].loading, timeout=10_000)  # opened, the tab has read the case
    dialog = windows[0].findChild(QWidget, "cp_tab").dialog
    assert isinstance(dialog, ReportDialog) and dialog.report_id == report["id"] and dialog.isVisible()
    for x in windows:
        x.close()


def test_convening_invites_the_family_and_agencies(world, qtbot):
    from desktop.services.child_protection import ConferenceService

    w, ids = world, world.ids
    strategy(w, "2026-10-12")
    determine_all(w)
    w.clock.day = date(2026, 10, 14)
    tab = tab_for(w, qtbot)
    dialog = tab.convene_conference()
    filled(dialog)
    qtbot.addWidget(dialog)
    tick(dialog, "family", ids["mam"])
    tick(dialog, "agencies", ids["police"])
    dialog.set_value("venue", "Neuadd y Sir")
    assert saved(dialog, qtbot) is False  # no date
    assert dialog.error_text("scheduled_on")
    assert ConferenceService(w.sw).for_case(ids["case"]) == []
    dialog.set_value("scheduled_on", "26/10/2026")
    assert save_and_wait(qtbot, dialog)
    [conf] = ConferenceService(w.sw).for_case(ids["case"])
    assert (conf["kind"], conf["scheduled_on"], conf["status"]) == ("initial", "2026-10-26", "convened")
    assert w.sw.store.rows("SELECT COUNT(*) AS n FROM letter WHERE template_id = 'N8'")[0]["n"] == 2  # one each
    hold = tab.hold_initial_conference()
    filled(hold)
    qtbot.addWidget(hold)
    assert hold.value("conference_id") == conf["id"]


def test_a_whole_case_through_the_forms_only(world, qtbot):
    """Report → strategy → s47 → convene → initial conference → plan → core group → co-ordinator change →
    review conference (Elis de-registered), every step through the tab's forms."""
    from desktop.services.child_protection import CoreGroupService, PlanService, RegisterService

    w, ids = world, world.ids
    tab = tab_for(w, qtbot)

    def step(opener, fill, day):
        w.clock.day = day
        dialog = opener()
        filled(dialog)
        qtbot.addWidget(dialog)
        fill(dialog)
        assert save_and_wait(qtbot, dialog), dialog.general_error.text() + " ".join(e.text() for e in dialog.errors.values())
        return dialog

    def report(d):
        d.set_value("received_time", "09:30")
        d.set_value("concerns", "Children left alone at night.")
        d.set_value("decision", "strategy_discussion")

    step(tab.record_report, report, date(2026, 10, 5))

    def strat(d):
        tick(d, "participants", ids["ss"], ids["police"])
        d.set_value("decisions", "Section 47 enquiries.")
        d.set_value("initiate_s47", True)

    step(tab.record_strategy, strat, date(2026, 10, 7))
    for i in range(2):
        def enquiry(d, i=i):
            d.widgets["enquiry_id"].setCurrentIndex(i)
            d.set_value("seen_on", "08/10/2026")
            d.set_value("seen_alone", True)
            d.set_value("determination", "3")
            d.set_value("reason", "Continuing risk.")

        step(tab.record_enquiry, enquiry, date(2026, 10, 9))

    def convene(d):
        d.set_value("scheduled_on", "26/10/2026")
        tick(d, "family", ids["mam"])
        tick(d, "agencies", ids["police"])

    step(tab.convene_conference, convene, date(2026, 10, 12))

    def icpc(d):
        fill_initial(d, ids)
        tick(d, "attendance", ids["health"])

    step(tab.hold_initial_conference, icpc, date(2026, 10, 26))
    assert len(RegisterService(w.as_("custodian")).entries("active")) == 2

    def plan(d):
        d.outcomes.add_row({"description": "Never alone at night", "measure": "Unannounced visits find an adult"})
        d.action_rows.add_row({"description": "Babysitter rota", "outcome_index": 0, "owner_kind": "person",
                           "owner_name": "Catrin Jones", "due_on": "24/11/2026"})

    step(tab.edit_plan, plan, date(2026, 11, 2))
    assert PlanService(w.sw).current(ids["case"])["outcomes"][0]["description"] == "Never alone at night"

    def core(d):
        tick(d, "attendance", d.editors["attendance"].checks[0][1])
        d.progress.set_cell(0, "rag", "green")
        d.progress.set_cell(0, "evidence", "An adult was home at both visits.")

    step(tab.hold_core_group, core, date(2026, 11, 6))
    assert CoreGroupService(w.sw).meetings(ids["case"])

    def coordinator(d):
        d.set_value("new_coordinator_id", ids["sw2"])
        d.set_value("verbal_to", "Catrin Jones")

    step(tab.change_coordinator, coordinator, date(2026, 11, 9))

    def convene_review(d):
        d.set_value("kind", "review")
        d.set_value("scheduled_on", "20/01/2027")

    step(tab.convene_conference, convene_review, date(2026, 11, 10))

    def review(d):
        tick(d, "attendance", ids["ss"], ids["police"], ids["health"])
        d.set_value("report", "Outcomes met for Elis.")
        elis = d.decision(ids["elis"])
        elis.set_value("deregister", True)
        elis.set_value("reasons", "Risk reduced.")

    step(tab.hold_review_conference, review, date(2027, 1, 20))
    active = RegisterService(w.as_("custodian")).entries("active")
    assert [(e["person_id"], e["coordinator_id"]) for e in active] == [(ids["mali"], ids["sw2"])]
