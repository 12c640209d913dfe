"""A task raised on one laptop reaches the laptop of the person it is for at their next sync, and their
acknowledgement comes back (tasks are rows of the case, synced like the rest)."""

from __future__ import annotations

from desktop.services.my_work import MyWorkService
from desktop.services.tasks import TaskService, raise_task
from tests.sync.helpers import make_case


def test_a_task_for_the_custodian_reaches_their_laptop_and_the_answer_comes_back(srv, laptops) -> None:
    srv.user("lowri", "register_custodian", "A")
    wendy = laptops("wendy")
    case, child = make_case(wendy, family="Tŵr")
    task_id = wendy.write(lambda tx: raise_task(tx, case_id=case, kind="household_change", person_id=child,
                                                to_role="register_custodian", details={"what": "left"}))["id"]
    wendy.sync()
    assert wendy.outbox() == []

    lowri = laptops("lowri")  # a first sign-in pulls the custodian's scope: child protection cases
    [task] = MyWorkService(lowri.session).view().tasks
    assert (task.id, task.for_me, task.case_id) == (task_id, True, case)
    assert task.text == "Someone has left the household of Dylan Tŵr, who is on the register."
    TaskService(lowri.session).acknowledge(task_id, "Entry checked; core group told.")
    lowri.sync()
    assert MyWorkService(lowri.session).view().tasks == []

    wendy.sync()
    row = wendy.row("escalation", task_id)
    assert row is not None and row["outcome"] == "Entry checked; core group told."
    assert row["acknowledged_by"] == lowri.uid
