"""What is due is brought up to date case by case (desktop/services/my_work.py ``_Memo``): after a commit
confined to some cases only those cases are worked out again and merged into what is held, and the
answer is always what working everything out afresh says. On a real encrypted demo profile.

The per-case work is counted by a provider registered for the test: every provider is asked for the
subjects of the cases an SQL condition selects, and this one writes down which cases that condition
selected each time it was asked."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.services import due_kept
from desktop.services.cases import CaseService
from desktop.services.child_protection.visits import VisitService
from desktop.services.demo import DemoContext, build_demo
from desktop.services.exceptions import ExceptionService
from desktop.services.my_work import MyWorkService, _memo
from desktop.services.persons import PersonService
from tests.conftest import FixedClock, case_subjects, fast_kdf
from tests.staff_edits import STAFF_EDITS, edit_staff

DAY = date(2026, 11, 23)


def _dicts(items: list[Any]) -> list[dict[str, Any]]:
    return [i.to_dict() for i in items]


def _fresh(session: Any) -> list[Any]:
    """Every item worked out afresh, without the memo."""
    return MyWorkService(session)._compute(DAY, None, None)  # noqa: SLF001 - the reference answer


@pytest.fixture
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoContext]:
    """A fresh demo for each test (half a second): the property tests' random edits (cover, allocations) must not
    decide what a later test finds, in whichever order the tests run."""
    ctx = build_demo(tmp_path_factory.mktemp("incremental") / "demo", "demo-password-1", role="senior_manager",
                     kdf=fast_kdf(), clock=FixedClock(datetime(DAY.year, DAY.month, DAY.day, 10, tzinfo=UTC)))
    yield ctx
    ctx.store.close()




def test_a_change_to_one_case_works_out_only_that_case(demo: DemoContext, asked: list[set[str]]) -> None:
    senior = demo.session("senior")
    every_case = {r["id"] for r in demo.store.rows("SELECT id FROM case_file WHERE deleted = 0")}
    MyWorkService(senior).all_items(DAY)
    assert asked == [every_case]  # the first answer: every case

    case = demo.cases["twr_cp"]
    child = case_subjects(demo.store, case)[0]
    VisitService(demo.session("sw_rhian")).record(
        case, visited_on=DAY.isoformat(), location="home", observations="Seen at home.",
        children=[{"person_id": child, "seen": True, "seen_alone": True, "seen_at_home": True}])
    after = MyWorkService(senior).all_items(DAY)
    assert asked[1:] == [{case}]  # the visit's case alone was worked out again
    assert _memo(senior.store).recomputed[-1] == {case}
    assert _dicts(after) == _dicts(_fresh(senior))  # (the fresh look asks about every case)
    del asked[:]

    MyWorkService(senior).view(DAY)  # nothing changed since: nothing is worked out
    MyWorkService(senior).by_case(DAY)
    assert asked == []

    # A change to a person's details works out again the cases they are a member of, not every case (issue 22). The
    # name is one the random edits below never give (the module's profile is shared, in any order, and an update to
    # the value already held writes nothing).
    PersonService(demo.session("tm_cp")).update(child, {"preferred_name": "Gwenno"})
    again = MyWorkService(senior).all_items(DAY)
    theirs = {r["case_id"] for r in demo.store.rows("SELECT case_id FROM case_member WHERE person_id = ?", [child])}
    assert asked == [theirs] and theirs < every_case
    assert _dicts(again) == _dicts(_fresh(senior))
    assert any(i.person_name.startswith("Gwenno") for i in again if i.person_id == child)


def test_the_sidebar_badge_my_work_and_the_caseload_agree_after_a_change(demo: DemoContext) -> None:
    senior = demo.session("senior")
    service = MyWorkService(senior)
    service.all_items(DAY)
    case = demo.cases["jones_cp"]
    ExceptionService(demo.session("tm_cp")).record(
        case, case_subjects(demo.store, case)[0], "V1", reason_kind="age", reason="Agreed at supervision.",
        from_date="2026-08-01", until="2027-02-01")
    view = MyWorkService(senior).view(DAY)
    counts = MyWorkService(senior).counts(DAY)
    by_case = MyWorkService(senior).by_case(DAY)
    assert counts == view.counts
    # The caseload's Overdue column adds up to the overdue items; its Next due is each case's first item.
    everything = MyWorkService(senior).all_items(DAY)
    assert sum(d.overdue for d in by_case.values()) == sum(i.status == "overdue" for i in everything)
    fresh = _fresh(senior)
    for case_id, due in by_case.items():
        first = min((i for i in fresh if i.case_id == case_id), key=lambda i: (i.urgency.rank, i.due))
        assert (due.next.rule_id, due.next.person_id, due.next.due) == (first.rule_id, first.person_id, first.due)
    assert view.counts["overdue"] == sum(i.status == "overdue" for i in fresh if not i.lifted)


EDITS = ("visit", "exception", "allocate", "cover_case", "cover_worker", "absence", "person", "worker", "manager",
         "team")


def _edit(ctx: DemoContext, kind: str, pick: random.Random) -> None:
    """One real change through the services, on a case (or a person, or a worker) chosen by ``pick``."""
    cp_cases = sorted(r["id"] for r in ctx.store.rows(
        "SELECT id FROM case_file WHERE case_type = 'child_protection' AND deleted = 0 AND closed_on IS NULL"))
    case = pick.choice(cp_cases)
    child = pick.choice(case_subjects(ctx.store, case))
    workers = sorted(r["id"] for r in ctx.store.rows(
        "SELECT id FROM practitioner WHERE app_role = 'social_worker' AND deleted = 0 AND active = 1"))
    manager = ctx.session("senior")
    day = DAY - timedelta(days=pick.randrange(0, 40))
    if kind == "visit":
        VisitService(manager).record(case, visited_on=day.isoformat(), location="home", observations="Seen.",
                                     children=[{"person_id": child, "seen": True, "seen_alone": pick.random() < 0.5,
                                                "seen_at_home": True}])
    elif kind == "exception":
        service = ExceptionService(manager)
        service.record(case, child, pick.choice([r.id for r in service.allowed_rules()]), reason_kind="age",
                       reason="Agreed at supervision.", from_date=day.isoformat(), until="2027-03-01")
    elif kind == "allocate":
        CaseService(manager).allocate(case, pick.choice(workers))
    elif kind in ("cover_case", "cover_worker"):
        covering, covered = pick.sample(workers, 2)
        MyWorkService(manager).assign_cover(covering, covered_id=covered, case_id=case if kind == "cover_case" else None,
                                            from_date=day.isoformat(), to_date="2026-12-31")
    elif kind in STAFF_EDITS:
        edit_staff(ctx, kind, pick, workers)
    elif kind == "absence":
        MyWorkService(manager).record_absence(pick.choice(workers), from_date=day.isoformat(), to_date="2026-12-31")
    else:
        PersonService(manager).update(child, {"preferred_name": pick.choice(["Osi", "Mali", "Cai", None])})


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=st.lists(st.tuples(st.sampled_from(EDITS), st.integers(0, 10_000)), min_size=1, max_size=5))
def test_after_random_edits_the_incremental_answer_is_the_whole_answer(
        demo: DemoContext, edits: list[tuple[str, int]]) -> None:
    people = [demo.session(key) for key in ("senior", "tm_cp", "sw_rhian", "sw_tom")]
    for session in people:
        MyWorkService(session).all_items(DAY)  # held, to be brought up to date
    for kind, seed in edits:
        _edit(demo, kind, random.Random(seed))
    for session in people:
        assert _dicts(MyWorkService(session).all_items(DAY)) == _dicts(_fresh(session)), session.user.name
        assert _dicts(MyWorkService(session).items(DAY)) == _dicts(
            [i for i in _fresh(session) if i.due <= DAY + timedelta(days=7)
             and i.status in ("cannot_compute", "overdue", "due_today", "due_this_week") and not i.lifted
             and (i.worker_id == session.user.id or i.covered_by == session.user.id)])


def test_a_person_a_worker_or_cover_changing_is_caught_up_in_the_answer_held(
        demo: DemoContext, asked: list[set[str]], monkeypatch: pytest.MonkeyPatch) -> None:
    """After a change to a person's or a worker's details or to cover, the answer held in memory is brought up to
    date from the audit trail (issue 22): only the cases the change can reach are worked out again, nothing is read
    again from what is kept, and the answer is what working everything out afresh says — the new names shown, a
    covering worker's new cases in their answer."""
    senior, worker_session = demo.session("senior"), demo.session("sw_rhian")
    for session in (senior, worker_session):
        MyWorkService(session).all_items(DAY)
    reads: list[int] = []
    current = due_kept.current
    monkeypatch.setattr(due_kept, "current", lambda *args: reads.append(1) or current(*args))
    memo = _memo(senior.store)

    child = case_subjects(demo.store, demo.cases["twr_cp"])[0]
    theirs = {r["case_id"] for r in demo.store.rows("SELECT case_id FROM case_member WHERE person_id = ?", [child])}
    del asked[:]
    PersonService(senior).update(child, {"preferred_name": "Heledd"})
    after = MyWorkService(senior).all_items(DAY)
    assert asked == [theirs] and memo.recomputed[-1] == theirs and reads == []
    assert _dicts(after) == _dicts(_fresh(senior))
    assert any(i.person_name.startswith("Heledd") for i in after if i.person_id == child)

    fresh = _fresh(senior)
    worker = Counter(i.worker_id for i in fresh if i.worker_id and i.worker_id != worker_session.user.id
                     ).most_common(1)[0][0]
    named = {i.case_id for i in fresh if i.worker_id == worker}
    del asked[:]
    demo.store.write(lambda tx: tx.update("practitioner", worker, {"given_names": "Gruffudd"}), actor=senior.user.id)
    after = MyWorkService(senior).all_items(DAY)
    assert asked == [named] and reads == []
    assert _dicts(after) == _dicts(_fresh(senior))
    assert all(i.worker_name.startswith("Gruffudd") for i in after if i.worker_id == worker)

    # Cover of that worker's work by Rhian: nothing worked out again for the senior manager (who covers is worked
    # out again in the answer held); the covered worker's cases come into Rhian's scope, and only they are worked out.
    entering = set(MyWorkService(senior)._scope()) - set(MyWorkService(worker_session)._scope())  # noqa: SLF001
    entering &= {r["id"] for r in demo.store.rows("SELECT id FROM case_file WHERE allocated_worker_id = ?", [worker])}
    assert entering
    MyWorkService(worker_session).all_items(DAY)  # Rhian's answer up to date before the cover
    del asked[:]
    MyWorkService(senior).assign_cover(worker_session.user.id, covered_id=worker, from_date=DAY.isoformat(),
                                       to_date=(DAY + timedelta(days=5)).isoformat())
    after = MyWorkService(senior).all_items(DAY)
    assert asked == [] and reads == []
    assert all(i.covered_by == worker_session.user.id for i in after if i.worker_id == worker)
    theirs_now = MyWorkService(worker_session).all_items(DAY)
    assert asked == [entering] and reads == []
    monkeypatch.undo()
    assert _dicts(after) == _dicts(_fresh(senior))
    assert _dicts(theirs_now) == _dicts(_fresh(worker_session))


def test_the_team_rows_hold_each_item_once_under_its_worker_counted(demo: DemoContext) -> None:
    """A manager's team rows (``MyWork.teams``): every active item once, in its worker's row (work nobody is allocated
    to in its case's team's row), in the answer's order, each row's counts those of its items."""
    for case in (demo.cases["jones_cp"], demo.cases["pritchard_cin"]):  # work nobody is allocated to, in two teams
        demo.store.write(lambda tx, c=case: tx.update("case_file", c, {"allocated_worker_id": None}),
                         actor=demo.staff["senior"])
    for key in ("senior", "tm_cp"):
        session = demo.session(key)
        work = MyWorkService(session).view(DAY)
        rows = [w for t in work.teams for w in t.workers]
        assert sorted(id(i) for w in rows for i in w.items) == sorted(id(i) for i in work.responsible)
        position = {id(i): n for n, i in enumerate(work.responsible)}
        case_team = {r["id"]: r["team_id"] for r in demo.store.rows("SELECT id, team_id FROM case_file")}
        assert any(w.worker_id and w.worker_id.startswith("nobody:") and w.items for w in rows), key
        for w in rows:
            assert [position[id(i)] for i in w.items] == sorted(position[id(i)] for i in w.items)
            for i in w.items:
                assert w.worker_id == (i.worker_id or f"nobody:{case_team[i.case_id]}")
            assert (w.overdue, w.due_today, w.due_this_week) == tuple(
                sum(i.status == s for i in w.items) for s in ("overdue", "due_today", "due_this_week"))
