"""The Child in Need and Looked after tabs' forms, offscreen: each dialog is driven as a person would,
a refusal shows beside its field with nothing saved, and a success is in the store."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from desktop.i18n import set_language  # noqa: E402
from desktop.services.children import LookedAfterService, PlacementService  # noqa: E402
from tests.conftest import case_tab, open_my_work
from tests.gui.forms import filled, saved, written

from .conftest import placement  # noqa: E402

pytestmark = pytest.mark.gui


@pytest.fixture
def window(qtbot, world) -> Iterator:
    import ui.children  # noqa: F401 - registers the tabs
    from ui.case_view import CaseWindow
    from ui.language import hub
    from ui.tasks import forget_store
    from ui.windows import close_sensitive

    hub()
    world.clock.day = date(2026, 10, 20)
    win = CaseWindow(world.sw, world.ids["case"])
    qtbot.addWidget(win)
    qtbot.waitUntil(lambda: not win.loading, timeout=10_000)  # opened, its tabs have read
    yield win
    set_language("en")
    close_sensitive()
    forget_store(world.sw)


def looked_after_tab(window, qtbot):
    """The "Looked after" tab of a Child in Need case: started from "Start other work" when the case has no
    looked-after records yet (a tab of work that does not apply is hidden)."""
    tab = window.tab("looked_after") or window.start_work("looked_after")
    qtbot.waitUntil(lambda: not window.loading, timeout=10_000)  # made now: it reads what decides its forms
    return tab


def _fill(dialog, **values) -> None:
    for name, value in values.items():
        dialog.set_value(name, value)


def _count(world, table: str) -> int:
    return world.sw.store.rows(f"SELECT COUNT(*) AS n FROM {table} WHERE deleted = 0")[0]["n"]


def _save(qtbot, dialog) -> None:
    with qtbot.waitSignal(dialog.saved, timeout=5000):
        assert saved(dialog, qtbot)


def _refused(qtbot, dialog, field: str) -> str:
    assert not saved(dialog, qtbot)
    assert dialog.errors[field].isVisible(), dialog.general_error.text()
    return dialog.errors[field].text()


def test_assessment_started_people_spoken_to_and_completed(qtbot, window, world):
    tab = case_tab(qtbot, window, "child_in_need")
    assert not tab.bar.action("record_contact").isEnabled() and not tab.bar.action("complete_assessment").isEnabled()
    start = tab.start_assessment()
    filled(start)
    _fill(start, started_on="21/10/2026")
    assert _refused(qtbot, start, "started_on") == "The date cannot be in the future."
    assert _count(world, "cin_assessment") == 0
    _fill(start, started_on="02/10/2026")
    _save(qtbot, start)
    assert _count(world, "cin_assessment") == 1
    qtbot.waitUntil(lambda: tab.bar.action("record_contact").isEnabled() and tab.bar.action("complete_assessment").isEnabled())
    assert not tab.bar.action("start_assessment").isEnabled()

    contact = tab.record_contact()
    filled(contact, qtbot)
    _fill(contact, kind="family", name="Nia Pritchard", spoken_on="01/10/2026")
    assert _refused(qtbot, contact, "spoken_on") == "The conversation is dated before the assessment started."
    assert _count(world, "cin_assessment_contact") == 0
    _fill(contact, spoken_on="05/10/2026", method="Home visit", summary="Worried about the winter.")
    _save(qtbot, contact)
    child = tab.record_contact()
    filled(child, qtbot)
    _fill(child, kind="child", spoken_on="06/10/2026")  # the child's name comes from the case
    _save(qtbot, child)
    names = {r["name"] for r in world.sw.store.rows("SELECT name FROM cin_assessment_contact")}
    assert names == {"Nia Pritchard", "Elis Pritchard"}

    complete = tab.complete_assessment()
    filled(complete)
    _fill(complete, findings="Family under acute stress.", conclusion="cin_plan", completed_on="15/10/2026")
    assert _refused(qtbot, complete, "need_category") == "Choose the category of need."
    assert world.sw.store.rows("SELECT completed_on FROM cin_assessment")[0]["completed_on"] is None
    _fill(complete, need_category="N4")
    _save(qtbot, complete)
    row = world.sw.store.rows("SELECT * FROM cin_assessment")[0]
    assert (row["completed_on"], row["need_category"], row["conclusion"]) == ("2026-10-15", "N4", "cin_plan")
    qtbot.waitUntil(lambda: tab.bar.action("start_assessment").isEnabled())
    assert any("Family in acute stress" in tab.tree.topLevelItem(i).text(2)
               for i in range(tab.tree.topLevelItemCount()))


def test_plan_outcome_action_needs_an_owner_and_review(qtbot, window, world):
    tab = case_tab(qtbot, window, "child_in_need")
    assert not tab.bar.action("add_action").isEnabled()
    plan = tab.start_plan()
    filled(plan)
    _fill(plan, started_on="10/10/2026", next_review_on="05/10/2026")
    assert _refused(qtbot, plan, "next_review_on") == "The review cannot be before the plan starts."
    assert _count(world, "cin_plan") == 0
    _fill(plan, next_review_on="10/01/2027", review_arrangements="Every three months")
    _save(qtbot, plan)
    qtbot.waitUntil(lambda: tab.bar.action("add_action").isEnabled())
    assert not tab.bar.action("start_cin_plan").isEnabled()

    outcome = tab.add_outcome()
    filled(outcome)
    _fill(outcome, description="Elis goes to school every day.", measure="Attendance above 95%")
    _save(qtbot, outcome)

    action = tab.add_action()
    filled(action)
    outcome_id = world.sw.store.rows("SELECT id FROM cin_plan_outcome")[0]["id"]
    _fill(action, description="Walk Elis to school.", owner_kind="person", outcome_id=outcome_id,
          due_on="01/11/2026")
    assert _refused(qtbot, action, "owner") == "Every action needs an owner: choose who will do it."
    assert _count(world, "cin_plan_action") == 0
    set_language("cy")
    assert action.errors["owner"].text() != "Every action needs an owner: choose who will do it."
    set_language("en")
    _fill(action, owner="Nia Pritchard")
    _save(qtbot, action)
    row = world.sw.store.rows("SELECT * FROM cin_plan_action")[0]
    assert (row["owner_name"], row["outcome_id"], row["due_on"]) == ("Nia Pritchard", outcome_id, "2026-11-01")
    qtbot.waitUntil(lambda: any("owner: Nia Pritchard" in tab.tree.topLevelItem(i).text(2)
                                for i in range(tab.tree.topLevelItemCount())))

    review = tab.record_review()
    filled(review, qtbot)
    _fill(review, held_on="19/10/2026", child_participation="attended", family="Nia Pritchard",
          decision="continue", next_review_on="19/01/2027")
    assert _refused(qtbot, review, "professionals") == "Add the professionals invited to the review."
    assert _count(world, "cin_review") == 0
    _fill(review, professionals="Ffion Harries\nBethan Hughes")
    _save(qtbot, review)
    kinds = sorted(r["kind"] for r in world.sw.store.rows("SELECT kind FROM cin_review_attendance"))
    assert kinds == ["child", "family", "professional", "professional"]
    assert world.sw.store.rows("SELECT next_review_on FROM cin_plan")[0]["next_review_on"] == "2027-01-19"


@pytest.fixture
def looked_after(world) -> dict:
    """Elis looked after from 5 October 2026 in a foster placement; Elen Roberts his IRO."""
    world.clock.day = date(2026, 10, 20)
    LookedAfterService(world.sw).become_looked_after(world.ids["case"], world.ids["elis"], started_on="2026-10-05",
                                                     legal_status="section_76", transfer=False)
    row = PlacementService(world.sw).add(world.ids["case"], world.ids["elis"], **placement())
    return {"placement_id": row["id"]}


def test_statutory_visit_and_review_chaired_by_the_iro(qtbot, looked_after, window, world):
    tab = looked_after_tab(window, qtbot)
    assert tab.bar.action("record_visit").isEnabled() and tab.bar.action("record_lac_review").isEnabled()
    visit = tab.record_visit()
    filled(visit, qtbot)
    _fill(visit, visited_on="12/10/2026", seen=False, seen_alone=True, location="Y Bwthyn")
    assert _refused(qtbot, visit, "seen_alone") == "A child seen alone was seen: check the answers."
    assert _count(world, "lac_visit") == 0
    _fill(visit, seen=True)
    _save(qtbot, visit)
    row = world.sw.store.rows("SELECT * FROM lac_visit")[0]
    assert (row["visited_on"], row["seen"], row["seen_alone"], row["placement_id"]) == (
        "2026-10-12", 1, 1, looked_after["placement_id"])
    qtbot.waitUntil(lambda: "12 Oct 2026" in tab.records.text())

    review = tab.record_review()
    filled(review, qtbot)
    _fill(review, held_on="19/10/2026", chair_id=world.ids["sw"], child_seen_privately=True)
    assert "independent reviewing officer" in _refused(qtbot, review, "chair_id")
    LookedAfterService(world.as_("tm_cin")).assign_iro(world.ids["case"], world.ids["iro"], from_date="2026-10-06")
    assert "chaired by the child's independent reviewing officer" in _refused(qtbot, review, "chair_id")
    assert _count(world, "lac_review") == 0
    review.reject()
    again = tab.record_review()  # what was typed comes back (the draft), refused chair included
    filled(again, qtbot)
    assert again.widgets["held_on"].text() == "19/10/2026"
    assert again.widgets["chair_id"].currentData() == world.ids["sw"]
    _fill(again, chair_id=world.ids["iro"], child_participation="attended",
          decisions="Stay with Mr and Mrs Lloyd.", next_review_on="05/04/2027")
    _save(qtbot, again)
    row = world.sw.store.rows("SELECT * FROM lac_review")[0]
    assert (row["chair_id"], row["child_seen_privately"], row["next_review_on"]) == (
        world.ids["iro"], 1, "2027-04-05")
    qtbot.waitUntil(lambda: "next review 5 Apr 2027" in tab.records.text())
    fresh = tab.record_review()
    filled(fresh, qtbot)
    assert fresh.widgets["chair_id"].currentData() == world.ids["iro"]  # no draft: the IRO is proposed


def test_placement_plan_signed_needs_a_signatory(qtbot, looked_after, window, world):
    tab = looked_after_tab(window, qtbot)
    assert tab.bar.action("placement_plan").isEnabled()
    dialog = tab.record_placement_plan()
    filled(dialog, qtbot)
    _fill(dialog, prepared_on="05/10/2026", signed_on="06/10/2026")
    assert _refused(qtbot, dialog, "signed_by") == "A signed placement plan must name the appropriate person who signed it."
    assert world.sw.store.rows("SELECT plan_prepared_on FROM lac_placement")[0]["plan_prepared_on"] is None
    _fill(dialog, signed_by="Helen Davies", iro_informed_on="07/10/2026")
    _save(qtbot, dialog)
    row = world.sw.store.rows("SELECT * FROM lac_placement")[0]
    assert (row["plan_prepared_on"], row["plan_signed_on"], row["plan_signed_by"], row["iro_informed_on"]) == (
        "2026-10-05", "2026-10-06", "Helen Davies", "2026-10-07")
    qtbot.waitUntil(lambda: "Placement plan signed on 6 Oct 2026 by Helen Davies." in tab.records.text())


def test_health_event(qtbot, looked_after, window, world):
    tab = looked_after_tab(window, qtbot)
    dialog = tab.record_health()
    filled(dialog, qtbot)
    _fill(dialog, on_date="08/10/2026", provider="Meddygfa Llandeilo")
    assert _refused(qtbot, dialog, "kind") == "Choose what happened."
    assert _count(world, "lac_health_event") == 0
    _fill(dialog, kind="gp_registered")
    _save(qtbot, dialog)
    row = world.sw.store.rows("SELECT * FROM lac_health_event")[0]
    assert (row["kind"], row["on_date"], row["provider"], row["placement_id"]) == (
        "gp_registered", "2026-10-08", "Meddygfa Llandeilo", looked_after["placement_id"])
    qtbot.waitUntil(lambda: "Health: Registered with a GP on 8 Oct 2026." in tab.records.text())


def test_permanence_plan_and_achieved(qtbot, looked_after, window, world):
    tab = looked_after_tab(window, qtbot)
    assert tab.bar.action("permanence_plan").isEnabled() and not tab.bar.action("permanence_achieved").isEnabled()
    dialog = tab.record_permanence()
    filled(dialog, qtbot)
    _fill(dialog, route="long_term_foster", decided_on="15/10/2026", target_on="01/10/2026")
    assert _refused(qtbot, dialog, "target_on") == "The target date is before the decision."
    assert _count(world, "permanence_plan") == 0
    _fill(dialog, target_on="01/04/2027")
    _save(qtbot, dialog)
    qtbot.waitUntil(lambda: tab.bar.action("permanence_achieved").isEnabled())
    change = tab.record_permanence()
    filled(change, qtbot)
    assert change.widgets["decided_on"].text() == "15/10/2026"  # the current plan is shown to change
    change.reject()
    achieved = tab.record_achieved()
    filled(achieved, qtbot)
    _fill(achieved, achieved_on="14/10/2026")
    assert _refused(qtbot, achieved, "achieved_on") == "Permanence cannot be achieved before the plan was decided."
    _fill(achieved, achieved_on="19/10/2026")
    _save(qtbot, achieved)
    row = world.sw.store.rows("SELECT * FROM permanence_plan")[0]
    assert (row["route"], row["target_on"], row["achieved_on"]) == ("long_term_foster", "2027-04-01", "2026-10-19")
    qtbot.waitUntil(lambda: not tab.bar.action("permanence_achieved").isEnabled())
    assert "Permanence achieved on 19 Oct 2026 (Long-term foster care)." in tab.records.text()


def test_childs_voice(qtbot, window, world):
    tab = case_tab(qtbot, window, "child_in_need")
    dialog = tab.record_voice()
    filled(dialog, qtbot)
    _fill(dialog, kind="wishes_feelings", recorded_on="12/10/2026", language="cy")
    assert _refused(qtbot, dialog, "content") == "Write down what the child said or did."
    assert _count(world, "child_voice") == 0
    _fill(dialog, content="Mae Elis eisiau aros yn yr un ysgol.", method="Drawing")
    _save(qtbot, dialog)
    row = world.sw.store.rows("SELECT * FROM child_voice")[0]
    assert (row["kind"], row["language"], row["recorded_on"]) == ("wishes_feelings", "cy", "2026-10-12")
    qtbot.waitUntil(lambda: tab.tree.topLevelItemCount() == 1)
    assert tab.tree.topLevelItem(0).text(0) == "Wishes and feelings"


def test_forms_are_retranslated(qtbot, looked_after, window, world):
    dialog = looked_after_tab(window, qtbot).record_visit()
    filled(dialog, qtbot)
    assert dialog.windowTitle() == "Record a statutory visit"
    assert dialog.widgets["visited_on"].accessibleName() == "Date of the visit"
    set_language("cy")  # every text is set again (new msgids fall back to English until the catalog has them)
    qtbot.waitUntil(lambda: dialog.widgets["seen"].text() != "")
    assert dialog.buttons.button(dialog.buttons.StandardButton.Save).text() != "Save"



def test_conference_request_and_proceedings_from_the_child_in_need_tab(qtbot, window, world):
    tab = case_tab(qtbot, window, "child_in_need")
    request = tab.request_icpc()
    filled(request)
    _fill(request, requested_on="21/10/2026", reason="Bruising seen at school.")
    assert _refused(qtbot, request, "requested_on") == "The date cannot be in the future."
    assert _count(world, "cin_icpc_request") == 0
    _fill(request, requested_on="19/10/2026")
    _save(qtbot, request)
    assert _count(world, "cin_icpc_request") == 1
    case = world.sw.store.rows("SELECT case_type FROM case_file WHERE id = ?", [world.ids["case"]])[0]
    assert case["case_type"] == "child_protection", "the child protection journey starts on the same case"

    proceedings = tab.start_proceedings()
    filled(proceedings)
    _fill(proceedings, kind="pre_proceedings", stage="application_issued", started_on="15/10/2026")
    assert _refused(qtbot, proceedings, "stage")  # a care proceedings stage for pre-proceedings
    assert _count(world, "proceedings") == 0
    _fill(proceedings, stage="letter_before_proceedings")
    _save(qtbot, proceedings)
    assert _count(world, "proceedings") == 1


def test_proceedings_moved_to_later_stages_and_concluded_from_the_child_in_need_tab(qtbot, window, world):
    from desktop.services.children import ChildInNeedService

    tab = case_tab(qtbot, window, "child_in_need")
    assert not tab.bar.action("proceedings_stage").isEnabled() and tab.proceedings_stage() is None  # nothing open yet
    ChildInNeedService(world.sw).start_proceedings(world.ids["case"], world.ids["elis"], kind="care_proceedings",
                                                   stage="application_issued", started_on="2026-10-01")
    tab.refresh()
    qtbot.waitUntil(tab.bar.action("proceedings_stage").isEnabled)
    stage = tab.proceedings_stage()
    filled(stage)
    combo = stage.widgets["stage"]
    offered = [combo.itemData(i) for i in range(combo.count())]
    assert offered[0] == "application_issued" and "letter_before_proceedings" not in offered
    assert "Care proceedings: Application issued (1 Oct 2026)" == stage.widgets["proceedings_id"].currentText()
    _fill(stage, stage="case_management_hearing", on_date="30/09/2026")
    assert _refused(qtbot, stage, "on_date") == "The stage is dated before the previous stage."
    _fill(stage, on_date="08/10/2026", note="Timetable set for 26 weeks.")
    _save(qtbot, stage)
    qtbot.waitUntil(lambda: tab.bar.action("proceedings_stage").isEnabled())
    done = tab.proceedings_stage()
    filled(done)
    _fill(done, stage="concluded", on_date="19/10/2026")
    assert _refused(qtbot, done, "outcome") == "Record the outcome of the proceedings."
    assert _count(world, "proceedings_stage") == 2
    _fill(done, outcome="care_order")
    _save(qtbot, done)
    qtbot.waitUntil(lambda: not tab.bar.action("proceedings_stage").isEnabled())
    row = world.sw.store.rows("SELECT stage, ended_on, outcome FROM proceedings")[0]
    assert row == {"stage": "concluded", "ended_on": "2026-10-19", "outcome": "care_order"}
    shown = [tab.tree.topLevelItem(i).text(2) for i in range(tab.tree.topLevelItemCount())]
    assert shown[-3:] == ["Application issued", "Case management hearing", "Proceedings concluded: Care order"]


def test_the_courts_extension_of_care_proceedings_recorded_from_the_child_in_need_tab(qtbot, window, world):
    from desktop.services.children import ChildInNeedService

    tab = case_tab(qtbot, window, "child_in_need")
    assert not tab.bar.action("extend_proceedings").isEnabled() and tab.extend_proceedings() is None
    ChildInNeedService(world.sw).start_proceedings(world.ids["case"], world.ids["elis"], kind="care_proceedings",
                                                   stage="application_issued", started_on="2026-10-01")
    tab.refresh()
    qtbot.waitUntil(tab.bar.action("extend_proceedings").isEnabled)
    extension = tab.extend_proceedings()
    filled(extension)
    assert extension.widgets["proceedings_id"].currentText() == "Care proceedings: Application issued (1 Oct 2026)"
    _fill(extension, granted_on="20/10/2026", extended_to="27/05/2027", reason="An expert's report on Elis.")
    refused = _refused(qtbot, extension, "extended_to")
    assert "26 May 2027" in refused and "2027-05" not in refused  # the 26 weeks end 31 March; 8 weeks on
    assert _count(world, "proceedings_extension") == 0
    _fill(extension, extended_to="26/05/2027")
    _save(qtbot, extension)
    assert _count(world, "proceedings_extension") == 1
    qtbot.waitUntil(lambda: any(tab.tree.topLevelItem(i).text(2).startswith("Time limit extended to 26 May 2027")
                                for i in range(tab.tree.topLevelItemCount())))


def _elis_looked_after(world) -> LookedAfterService:
    service = LookedAfterService(world.sw)
    service.become_looked_after(world.ids["case"], world.ids["elis"], started_on="2026-10-19", legal_status="section_76",
                                transfer=False)
    return service


def _looked_after_tab_with(qtbot, window, action: str):
    """The Looked after tab, read again, once ``action`` applies."""
    tab = looked_after_tab(window, qtbot)
    tab.refresh()
    qtbot.waitUntil(lambda: tab.bar.action(action).isEnabled())
    return tab


def test_personal_education_plan_from_the_looked_after_tab(qtbot, window, world):
    _elis_looked_after(world)
    tab = _looked_after_tab_with(qtbot, window, "record_pep")
    pep = tab.record_pep()
    filled(pep, qtbot)
    _fill(pep, on_date="22/10/2026", school="Ysgol Bro Dinefwr")
    assert _refused(qtbot, pep, "on_date") == "The date cannot be in the future."
    assert _count(world, "lac_pep") == 0
    _fill(pep, on_date="20/10/2026", idp_included=True)
    _save(qtbot, pep)
    assert _count(world, "lac_pep") == 1


def test_a_change_of_school_from_the_looked_after_tab_makes_the_pep_due_again(qtbot, window, world):
    """Elis has a PEP, then starts at a new school: "Change of school…" records it and the PEP (L10) is due
    again, 20 working days from the first day there; a school started before Elis was looked after is refused."""
    from desktop.services.my_work import MyWorkService

    _elis_looked_after(world).record_pep(world.ids["case"], world.ids["elis"], on_date="2026-10-19",
                                         school="Ysgol y Dderwen")
    assert not [i for i in MyWorkService(world.sw).all_items() if i.rule_id == "L10"]
    tab = _looked_after_tab_with(qtbot, window, "school_change")
    dialog = tab.record_school_change()
    filled(dialog, qtbot)
    _fill(dialog, school="Ysgol Bro Dinefwr", started_on="18/10/2026")
    assert _refused(qtbot, dialog, "started_on") == "The date is before the child became looked after."
    assert _count(world, "lac_school_change") == 0
    _fill(dialog, started_on="20/10/2026")
    _save(qtbot, dialog)
    [pep] = [i for i in MyWorkService(world.sw).all_items() if i.rule_id == "L10"]
    assert pep.due == date(2026, 11, 17)  # 20 working days from 20 October


def test_legal_status_change_and_worker_history_on_the_looked_after_tab(qtbot, window, world):
    _elis_looked_after(world)
    tab = _looked_after_tab_with(qtbot, window, "change_legal_status")
    assert "Social workers over time:" in tab.records.text()
    dialog = tab.change_legal_status()
    filled(dialog)
    _fill(dialog, legal_status="interim_care_order", from_date="18/10/2026")
    assert _refused(qtbot, dialog, "from_date") == "The date is before the child became looked after."
    _fill(dialog, from_date="20/10/2026")
    _save(qtbot, dialog)
    episode = world.sw.store.rows("SELECT legal_status FROM lac_episode WHERE person_id = ?", [world.ids["elis"]])[0]
    assert episode["legal_status"] == "interim_care_order"


def test_a_manager_names_the_independent_reviewing_officer(qtbot, window, world):
    from ui.children.lac_dialogs import AssignIroDialog

    LookedAfterService(world.sw).become_looked_after(world.ids["case"], world.ids["elis"], started_on="2026-10-19",
                                                     legal_status="section_76", transfer=False)
    tab = looked_after_tab(window, qtbot)
    tab.refresh()
    assert "assign_iro" not in tab.bar.actions_by_name, "a social worker cannot allocate: not offered at all"
    manager = world.as_("tm_cin")  # the case stays with the CiN team here
    dialog = AssignIroDialog(manager, world.ids["case"], world.ids["elis"], None)
    filled(dialog, qtbot)
    qtbot.addWidget(dialog)
    dialog.show()
    _fill(dialog, from_date="19/10/2026")
    assert _refused(qtbot, dialog, "practitioner_id") == "Choose the independent reviewing officer."
    dialog.set_value("practitioner_id", world.ids["iro"])
    _save(qtbot, dialog)
    assert LookedAfterService(manager).iro_on(world.ids["case"], "2026-10-20") == world.ids["iro"]


def test_care_and_support_plan_from_the_looked_after_tab(qtbot, window, world):
    LookedAfterService(world.sw).become_looked_after(world.ids["case"], world.ids["elis"], started_on="2026-10-19",
                                                     legal_status="section_76", transfer=False)
    tab = looked_after_tab(window, qtbot)
    tab.refresh()
    qtbot.waitUntil(lambda: tab.bar.action("record_care_plan").isEnabled())
    dialog = tab.record_care_plan()
    filled(dialog, qtbot)
    _fill(dialog, prepared_on="21/10/2026")
    assert _refused(qtbot, dialog, "prepared_on") == "The date cannot be in the future."
    assert _count(world, "lac_care_plan") == 0
    _fill(dialog, prepared_on="20/10/2026", summary="Stay with Mr and Mrs Lloyd; contact with mum twice a week.")
    _save(qtbot, dialog)
    assert _count(world, "lac_care_plan") == 1


def test_my_work_items_open_the_looked_after_and_child_in_need_forms_for_the_right_child(qtbot, world):
    from PySide6.QtWidgets import QApplication

    import ui.children  # noqa: F401 - registers the tabs
    from desktop.services.cases import CaseService
    from desktop.services.children import ChildInNeedService
    from desktop.services.persons import PersonService
    from ui.children.cin_dialogs import CinReviewDialog
    from ui.children.lac_dialogs import PepDialog
    from ui.my_work import RULE_ROLE

    w, ids = world, world.ids
    w.clock.day = date(2026, 10, 5)
    ids["mali"] = PersonService(w.sw).create({"given_names": "Mali", "family_name": "Pritchard",
                                              "date_of_birth": "2019-03-12"})["id"]
    CaseService(w.sw).add_member(ids["case"], ids["mali"], "subject")
    LookedAfterService(w.sw).become_looked_after(ids["case"], ids["elis"], started_on="2026-10-05",
                                                 legal_status="section_76", transfer=False)
    ChildInNeedService(w.sw).start_plan(ids["case"], ids["mali"], started_on="2026-10-05",
                                        next_review_on="2026-10-30")
    w.clock.day = date(2026, 11, 3)  # the PEP (L10, 2 November) and Mali's plan review (30 October) are late
    page = open_my_work(qtbot, w.sw)
    try:
        for rule, tab_key, form_class, child in (("L10", "looked_after", PepDialog, ids["elis"]),
                                                 ("CIN1", "child_in_need", CinReviewDialog, ids["mali"])):
            row = next(r for r in page.rows("overdue") if r.data(0, RULE_ROLE) == rule)
            page._activated(row)
            window = next(x for x in QApplication.topLevelWidgets() if x.objectName() == "case_window")
            # The form opens once the case is open and the tab has read the child's records (on workers).
            qtbot.waitUntil(lambda win=window: not win.loading, timeout=10_000)
            tab = window.tab(tab_key)
            qtbot.waitUntil(lambda t=tab, cls=form_class: isinstance(t.dialog, cls) and t.dialog.isVisible(),
                            timeout=5_000)
            assert window.tabs.currentWidget() is tab
            assert tab.person_id == child == tab.dialog.person_id
            tab.dialog.close()
    finally:
        for x in QApplication.topLevelWidgets():
            if x.objectName() == "case_window":
                x.close()


def test_a_half_typed_visit_comes_back_as_a_draft_and_goes_when_saved(qtbot, window, world):
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QLineEdit

    LookedAfterService(world.sw).become_looked_after(world.ids["case"], world.ids["elis"], started_on="2026-10-19",
                                                     legal_status="section_76", transfer=False)
    tab = looked_after_tab(window, qtbot)
    tab.refresh()
    qtbot.waitUntil(lambda: tab.bar.action("record_visit").isEnabled())
    visit = tab.record_visit()
    filled(visit, qtbot)
    QTest.keyClicks(visit.widgets["visited_on"], "20/1")  # half a date, as typed
    visit.set_value("notes", "Elis showed me his room; he wants to see his nain at Christmas.")
    visit.set_value("seen", True)
    assert visit._autosave.isActive()  # noqa: SLF001 - saved a few seconds after the last edit
    visit.reject()  # closed without saving (or the lid shut)
    written(visit, qtbot)  # the draft is kept on a worker
    drafts = world.sw.store.rows("SELECT form, context FROM draft")
    assert drafts == [{"form": "lac_visit_dialog", "context": f"{world.ids['case']}:{world.ids['elis']}"}]
    assert _count(world, "lac_visit") == 0

    again = tab.record_visit()
    filled(again, qtbot)
    assert again.values()["notes"] == "Elis showed me his room; he wants to see his nain at Christmas."
    assert again.widgets["visited_on"].text() == "20/1" and again.values()["seen"] is True
    assert isinstance(again.widgets["visited_on"], QLineEdit)
    assert _refused(qtbot, again, "visited_on")  # the half date is refused; the draft stays
    assert world.sw.store.rows("SELECT count(*) AS n FROM draft")[0]["n"] == 1
    _fill(again, visited_on="20/10/2026")
    _save(qtbot, again)
    assert _count(world, "lac_visit") == 1
    assert world.sw.store.rows("SELECT count(*) AS n FROM draft")[0]["n"] == 0
    assert filled(tab.record_visit()).values()["notes"] is None  # a fresh form next time
