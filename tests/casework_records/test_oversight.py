"""Management sign-off on the real demo profile: which records need it is configuration (defaults shipped,
an authority's own file); a record waits in the team manager's My work until signed off or returned with
comments, which the worker sees and answers; nobody signs off their own record."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from desktop.errors import NotFound, PermissionDenied, ValidationError
from desktop.services.oversight import CONFIG_FILE, OversightConfigError, SignOffService, required_kinds
from desktop.services.tasks import TaskService
from tests.casework_records.conftest import count


def _signoff_tasks(ctx: Any, who: str) -> list[Any]:
    return [t for t in TaskService(ctx.session(who)).open_tasks() if t.id.startswith("signoff:")]


def test_the_defaults_are_documented_and_an_authority_can_change_them(tmp_path: Path) -> None:
    shipped = json.loads(CONFIG_FILE.read_text(encoding="utf-8"))["records"]
    assert all(spec["basis"] for spec in shipped.values())
    assert required_kinds() == ("cin_assessment", "cp_plan", "cin_plan", "adult_plan", "lac_care_plan",
                                "adult_closure", "case_closure")
    (tmp_path / "oversight.json").write_text(json.dumps({"records": {"deregistration": {"required": True},
                                                                     "cin_plan": {"required": False}}}))
    chosen = required_kinds(tmp_path)
    assert "deregistration" in chosen and "cin_plan" not in chosen
    for bad in ('{"records": {"gossip": {"required": true}}}', '{"records": {"cin_plan": {"required": "yes"}}}',
                "not json", '{"kinds": {}}'):
        (tmp_path / "oversight.json").write_text(bad)
        with pytest.raises(OversightConfigError) as refused:
            required_kinds(tmp_path)
        assert "oversight.json" in str(refused.value)


def test_a_plan_waits_for_the_team_manager_then_is_signed_off(demo: Any) -> None:
    [task] = [t for t in _signoff_tasks(demo, "tm_cp") if t.case_id == demo.cases["twr_cp"]]
    assert task.for_me and task.action == "sign_off" and task.to_name == "Carys Lloyd"
    assert task.text.startswith("Sign off: Care and support protection plan for Seren Tŵr, Osian ap Llŷr")
    assert task.due is not None and task.status in {"due_this_week", "upcoming", "due_today", "overdue"}
    assert not [t for t in _signoff_tasks(demo, "sw_rhian") if t.ref == task.ref]  # not the worker's task
    with pytest.raises(ValidationError):  # dealt with on its form, not acknowledged
        TaskService(demo.session("tm_cp")).acknowledge(task.id, "Done.")
    with pytest.raises(PermissionDenied):
        SignOffService(demo.session("sw_rhian")).sign_off(task.ref)
    before = count(demo, "signoff")
    SignOffService(demo.session("tm_cp")).sign_off(task.ref, "A clear plan.")
    assert count(demo, "signoff") == before + 1
    assert not [t for t in _signoff_tasks(demo, "tm_cp") if t.ref == task.ref]
    [item] = [i for i in SignOffService(demo.session("sw_rhian")).for_case(demo.cases["twr_cp"]) if i.ref == task.ref]
    assert item.state == "signed_off" and item.comments == "A clear plan."
    assert item.history[-1].decided_by_name == "Carys Lloyd"
    with pytest.raises(ValidationError):  # once is enough
        SignOffService(demo.session("tm_cp")).sign_off(task.ref)


def test_a_returned_record_goes_to_the_worker_with_the_comments_and_comes_back(demo: Any) -> None:
    gareth, helen = demo.session("sw_cin"), demo.session("tm_cin")
    [returned] = [t for t in _signoff_tasks(demo, "sw_cin") if t.for_me]
    assert returned.action == "resubmit" and "Add what the school will do about attendance" in returned.text
    assert returned.text.startswith("Returned by Helen Davies: Child in Need plan for Elis Pritchard")
    with pytest.raises(ValidationError) as no_words:
        SignOffService(gareth).resubmit(returned.ref, "")
    assert no_words.value.field == "comments"
    SignOffService(gareth).resubmit(returned.ref, "Added the school's attendance plan, review on 1 Dec.")
    assert not [t for t in _signoff_tasks(demo, "sw_cin") if t.for_me]
    [waiting] = [t for t in _signoff_tasks(demo, "tm_cin") if t.ref == returned.ref]
    assert waiting.for_me and waiting.action == "sign_off"
    with pytest.raises(ValidationError) as bare:
        SignOffService(helen).send_back(waiting.ref, "  ")
    assert bare.value.field == "comments"
    SignOffService(helen).send_back(waiting.ref, "Still no date for the review.")
    [again] = [t for t in _signoff_tasks(demo, "sw_cin") if t.for_me]
    assert "Still no date for the review." in again.text
    item = next(i for i in SignOffService(gareth).for_case(demo.cases["pritchard_cin"]) if i.ref == returned.ref)
    assert [d.decision for d in item.history] == ["returned", "resubmitted", "returned"]


def test_nobody_signs_off_their_own_record(demo: Any) -> None:
    from desktop.services.children import ChildInNeedService
    from desktop.services.persons import PersonService

    helen = demo.session("tm_cin")
    cai = PersonService(helen).create({"given_names": "Cai", "family_name": "Pritchard", "date_of_birth": "2018-03-01"},
                                      case_id=demo.cases["pritchard_cin"])["id"]
    plan = ChildInNeedService(helen).start_plan(demo.cases["pritchard_cin"], cai,
                                                started_on=(demo.today - timedelta(days=1)).isoformat(),
                                                review_arrangements="Monthly.",
                                                next_review_on=(demo.today + timedelta(days=30)).isoformat())
    ref = f"cin_plan:{plan['id']}"
    with pytest.raises(PermissionDenied):
        SignOffService(helen).sign_off(ref)
    [task] = [t for t in _signoff_tasks(demo, "senior") if t.ref == ref]
    assert task.for_me and task.to_name == "Senior manager (safeguarding)"  # not Helen's own
    SignOffService(demo.session("senior")).sign_off(ref)


def test_a_new_revision_of_the_plan_waits_again(demo: Any) -> None:
    from desktop.services.child_protection.plan import PlanService

    rhian, carys = demo.session("sw_rhian"), demo.session("tm_cp")
    [old] = [i for i in SignOffService(carys).waiting() if i.case_id == demo.cases["twr_cp"]]
    SignOffService(carys).sign_off(old.ref)
    current = PlanService(rhian).current(demo.cases["twr_cp"])
    assert current is not None
    PlanService(rhian).revise(demo.cases["twr_cp"], outcomes=current["outcomes"], actions=current["actions"],
                              assessments=current.get("assessments", []), support="More support at home.",
                              contingency=current.get("contingency"))
    [new] = [i for i in SignOffService(carys).waiting() if i.case_id == demo.cases["twr_cp"]]
    assert new.ref != old.ref and new.state == "waiting"


def test_sign_off_is_scoped_and_casework(demo: Any) -> None:
    [item] = [i for i in SignOffService(demo.session("tm_cp")).waiting() if i.case_id == demo.cases["twr_cp"]]
    with pytest.raises(NotFound):  # another team's manager: as if it did not exist
        SignOffService(demo.session("tm_adult")).sign_off(item.ref)
    with pytest.raises(NotFound):
        SignOffService(demo.session("tm_cp")).sign_off("cp_plan:no-such-record")
    with pytest.raises(PermissionDenied):
        SignOffService(demo.session("admin")).for_case(demo.cases["twr_cp"])
    assert _signoff_tasks(demo, "admin") == [] and _signoff_tasks(demo, "custodian") == []


def test_a_signed_off_plan_changed_in_place_waits_for_sign_off_again(demo: Any) -> None:
    """A Child in Need plan is edited where it stands: a new action (what the plan says) sends it back for
    sign-off; an action's progress does not. The manager's task says it changed after it was signed off."""
    from desktop.services.children import ChildInNeedService

    gareth, helen = demo.session("sw_cin"), demo.session("tm_cin")
    [returned] = [t for t in _signoff_tasks(demo, "sw_cin") if t.for_me]
    SignOffService(gareth).resubmit(returned.ref, "Added the school's attendance plan.")
    SignOffService(helen).sign_off(returned.ref, "Good.")
    plan_id = returned.ref.partition(":")[2]
    plan = ChildInNeedService(gareth).plan(plan_id)
    ChildInNeedService(gareth).update_action(plan["actions"][0]["id"], status="in_progress")  # progress only

    def item() -> Any:
        return next(i for i in SignOffService(helen).for_case(demo.cases["pritchard_cin"]) if i.ref == returned.ref)

    assert item().state == "signed_off" and item().changed_on is None
    ChildInNeedService(gareth).add_action(plan_id, description="School nurse to see Elis weekly",
                                          owner_kind="agency", owner_name="School nursing")
    changed = item()
    assert changed.state == "waiting" and changed.changed_on == demo.today and changed.since == demo.today
    [task] = [t for t in _signoff_tasks(demo, "tm_cin") if t.ref == returned.ref]
    assert task.for_me and task.action == "sign_off"
    assert task.text.startswith("Sign off again: Child in Need plan for Elis Pritchard, changed on ")
    SignOffService(helen).sign_off(returned.ref, "The nurse's visits agreed.")
    assert item().state == "signed_off"
    assert [d.decision for d in item().history][-2:] == ["signed_off", "signed_off"]
    ChildInNeedService(gareth).update_action(plan["actions"][0]["id"], due_on=demo.today.isoformat())  # reworded
    assert item().state == "waiting"


def test_an_adult_plan_goes_back_for_sign_off_when_what_it_says_changes(demo: Any) -> None:
    from desktop.services.adults.plan import PlanService as AdultPlanService

    owain, manager = demo.session("sw_adult"), demo.session("tm_adult")
    [signed] = [i for i in SignOffService(manager).for_case(demo.cases["parry_adult"]) if i.kind == "adult_plan"]

    def state() -> str:
        return next(i for i in SignOffService(manager).for_case(demo.cases["parry_adult"]) if i.ref == signed.ref).state

    assert state() == "signed_off"  # the demo's manager signed it off after its outcomes and actions were added

    plan = AdultPlanService(owain).current(demo.cases["parry_adult"])
    assert plan is not None
    action = plan["actions"][0]
    AdultPlanService(owain).update_action(action["id"], description_cy="Gwneud cais i fod yn benodai")  # Welsh only
    AdultPlanService(owain).update_action(action["id"], status="done")  # progress
    assert state() == "signed_off"
    AdultPlanService(owain).add_outcome(plan["id"], description="Gwyn understands the plan",
                                        measure="Gwyn says what the plan means for him")
    assert state() == "waiting"
