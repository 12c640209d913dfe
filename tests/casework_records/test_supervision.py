"""Supervision on the real demo profile: a manager records it with actions that join each owner's My work
(with their urgency) until done; the case shows when it was last supervised; rule S1 (monthly for child
protection cases, a board overrides it) puts overdue supervision in the team manager's My work."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from desktop.domain.engine import Engine
from desktop.domain.rules import RuleSet
from desktop.errors import NotFound, PermissionDenied, ValidationError
from desktop.services.my_work import MyWorkService
from desktop.services.supervision import SupervisionService
from desktop.services.tasks import TaskService
from tests.casework_records.conftest import audited, count


def _ahead(ctx: Any, days: int) -> str:
    return (ctx.today + timedelta(days=days)).isoformat()


def test_actions_agreed_at_supervision_wait_in_their_owners_my_work(demo: Any) -> None:
    carys, rhian, tom = (demo.session(k) for k in ("tm_cp", "sw_rhian", "sw_tom"))
    case = demo.cases["twr_cp"]
    saved = SupervisionService(carys).record(
        case, held_on=demo.today.isoformat(), discussion="The bruise; the paediatric assessment.",
        decisions="Hold a strategy discussion.",
        actions=[{"description": "Book the strategy discussion", "owner_id": demo.staff["sw_rhian"],
                  "due_on": (demo.today - timedelta(days=0)).isoformat()},
                 {"description": "Ring the health visitor", "owner_id": demo.staff["tm_cp"], "due_on": _ahead(demo, 20)}])
    assert len(saved["actions"]) == 2
    mine = {t.text: t for t in TaskService(rhian).open_tasks() if t.kind == "supervision_action"}
    task = mine["Supervision action: Book the strategy discussion"]
    assert task.for_me and task.status == "due_today" and task.to_name == "Rhian Evans"
    assert "Supervision action: Ring the health visitor" not in mine  # Carys's own, not Rhian's
    carys_tasks = {t.text: t for t in TaskService(carys).open_tasks() if t.kind == "supervision_action"}
    assert carys_tasks["Supervision action: Ring the health visitor"].status == "upcoming"
    assert not carys_tasks["Supervision action: Book the strategy discussion"].for_me  # she sees it, as manager
    assert not [t for t in TaskService(tom).open_tasks() if t.kind == "supervision_action"]
    # Done: acknowledged from My work like any task, saying what was done.
    with pytest.raises(ValidationError):
        TaskService(rhian).acknowledge(task.id, " ")
    with pytest.raises(NotFound):  # not his case: as if it did not exist
        TaskService(tom).acknowledge(task.id, "Not mine.")
    TaskService(rhian).acknowledge(task.id, "Booked for Wednesday.")
    assert task.text not in {t.text for t in TaskService(rhian).open_tasks()}
    last = SupervisionService(rhian).last(case)
    assert last is not None and last.held_on == demo.today and last.supervisor_name == "Carys Lloyd"
    done = next(a for a in last.actions if a.description == "Book the strategy discussion")
    assert (done.done_on, done.done_by_name, done.outcome) == (demo.today, "Rhian Evans", "Booked for Wednesday.")


@pytest.mark.parametrize(("change", "field"), [
    ({"held_on": ""}, "held_on"),
    ({"held_on": "2026-11-24"}, "held_on"),
    ({"discussion": " "}, "discussion"),
    ({"actions": [{"description": "", "owner_id": "x", "due_on": "2026-11-30"}]}, "actions"),
    ({"actions": [{"description": "Ring", "owner_id": "nobody", "due_on": "2026-11-30"}]}, "actions"),
    ({"actions": [{"description": "Ring", "owner_id": "admin", "due_on": "2026-11-30"}]}, "actions"),
    ({"actions": [{"description": "Ring", "owner_id": "sw_rhian", "due_on": None}]}, "actions"),
    ({"actions": [{"description": "Ring", "owner_id": "sw_rhian", "due_on": "2026-11-01"}]}, "actions"),
])
def test_a_refused_supervision_names_its_field_and_writes_nothing(demo: Any, change: dict[str, Any],
                                                                  field: str) -> None:
    values: dict[str, Any] = {"held_on": demo.today.isoformat(), "discussion": "The plan."}
    values.update(change)
    for a in values.get("actions", []):
        a["owner_id"] = demo.staff.get(a["owner_id"], a["owner_id"])
    before = (count(demo, "supervision"), count(demo, "supervision_action"), count(demo, "outbox"))
    with pytest.raises(ValidationError) as refused:
        SupervisionService(demo.session("tm_cp")).record(demo.cases["twr_cp"], **values)
    assert refused.value.field == field
    assert (count(demo, "supervision"), count(demo, "supervision_action"), count(demo, "outbox")) == before


def test_only_managers_supervise_and_only_in_scope(demo: Any) -> None:
    for who in ("sw_rhian", "admin", "custodian"):
        with pytest.raises(PermissionDenied):
            SupervisionService(demo.session(who)).record(demo.cases["twr_cp"], held_on=demo.today.isoformat(),
                                                         discussion="x")
    with pytest.raises(NotFound):  # another team's case
        SupervisionService(demo.session("tm_adult")).record(demo.cases["twr_cp"], held_on=demo.today.isoformat(),
                                                            discussion="x")
    with pytest.raises(PermissionDenied):
        SupervisionService(demo.session("admin")).for_case(demo.cases["twr_cp"])


def test_a_correction_keeps_the_actions_and_reading_is_audited(demo: Any) -> None:
    service = SupervisionService(demo.session("tm_cp"))
    case = demo.cases["twr_cp"]
    original = service.last(case)
    assert original is not None and original.actions
    fixed = service.amend(original.id, reason="Wrong date.", held_on=(original.held_on - timedelta(days=1)).isoformat(),
                          discussion=original.discussion, decisions=original.decisions)
    latest = service.last(case)
    assert latest is not None and latest.id == fixed["id"] and latest.amendment_reason == "Wrong date."
    assert [a.id for a in latest.actions] == [a.id for a in original.actions]
    assert original.id not in {s.id for s in service.for_case(case)}
    before = audited(demo, "tm_cp", "supervision", case)
    service.for_case(case)
    assert audited(demo, "tm_cp", "supervision", case) == before + 1


def _s1(ctx: Any, who: str = "tm_cp", engine: Engine | None = None) -> dict[str, Any]:
    items = MyWorkService(ctx.session(who), engine).all_items()
    return {i.case_id: i for i in items if i.rule_id == "S1"}


def test_overdue_supervision_is_in_the_team_managers_own_work(demo: Any) -> None:
    items = _s1(demo)
    jones = items[demo.cases["jones_cp"]]  # never supervised, opened 75 days ago
    assert jones.status == "overdue" and jones.worker_name == "Carys Lloyd" and jones.action == "record_supervision"
    assert jones.reason.startswith("Case not supervised for 75 days")
    assert items[demo.cases["twr_cp"]].status == "upcoming"  # supervised three weeks ago
    assert demo.cases["pritchard_cin"] not in items  # monthly for child protection cases only, by default
    view = MyWorkService(demo.session("tm_cp")).view()
    assert any(i.rule_id == "S1" and i.case_id == demo.cases["jones_cp"] for i in view.overdue)  # her own work
    assert not any(i.rule_id == "S1" for i in MyWorkService(demo.session("sw_tom")).view().overdue)
    SupervisionService(demo.session("tm_cp")).record(demo.cases["jones_cp"], held_on=demo.today.isoformat(),
                                                     discussion="Mason's and Ruby's plan.")
    after = _s1(demo)[demo.cases["jones_cp"]]
    assert after.status == "upcoming" and after.due > demo.today


def test_a_board_overrides_the_frequency_and_may_add_other_kinds_of_case(demo: Any) -> None:
    fortnightly = Engine(RuleSet.load(rsb_overrides={"S1": {"offset": 2, "unit": "weeks"}}))
    twr = _s1(demo, engine=fortnightly)[demo.cases["twr_cp"]]
    assert twr.status == "overdue"  # three weeks since the last supervision
    extra = {"id": "S1cin", "title": "Case supervision (children in need)", "population": "supervision",
             "kind": "rolling", "base": "supervision_from", "offset": 2, "unit": "months", "satisfied_by": "supervised",
             "severity": "should", "requires": ["case_child_in_need"], "source": "A board's own policy",
             "source_url": "https://example.org/board-policy", "confidence": "RSB", "override_allowed": True}
    with_cin = Engine(RuleSet.load(extra_rows=[extra]))
    cin = MyWorkService(demo.session("tm_cin"), with_cin).all_items()
    assert any(i.rule_id == "S1cin" and i.case_id == demo.cases["pritchard_cin"] for i in cin)
