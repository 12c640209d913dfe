"""What is due, kept per case in the encrypted store (desktop/services/due_kept.py, m0023; issue 22): the kept
answer is always what working everything out afresh says — after random edits (visits, exceptions, allocations,
cover, absence, a person's details, a pull applied), on random days, and after the store is closed and opened
again (a new sign-in) — and a crash between a change and the kept answer's write never leaves a stale answer.

On a real encrypted demo profile. Every test here works out its own reference answer afresh
(``MyWorkService._compute``, which keeps nothing), so none depends on another's edits or on their order."""

from __future__ import annotations

import json
import random
import shutil
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.domain.engine import default_engine
from desktop.services import due_kept, my_work
from desktop.services.cases import CaseService
from desktop.services.child_protection.visits import VisitService
from desktop.services.children import facts as looked_after
from desktop.services.demo import DemoContext, build_demo
from desktop.services.exceptions import ExceptionService
from desktop.services.my_work import MyWorkService
from desktop.services.persons import PersonService
from desktop.services.scope import case_condition
from desktop.services.session import Session
from desktop.sync.client import SyncClient
from tests.conftest import FixedClock, case_subjects, fast_kdf
from tests.staff_edits import STAFF_EDITS, edit_staff

DAY = date(2026, 11, 23)
PASSWORD = "demo-password-1"
PEOPLE = ("senior", "tm_cp", "sw_rhian")


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 10, tzinfo=UTC)


@pytest.fixture
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoContext]:
    """A fresh demo for each test (half a second): the property tests' random edits (cover, allocations) must not
    decide what a later test finds, in whichever order the tests run."""
    ctx = build_demo(tmp_path_factory.mktemp("kept") / "demo", PASSWORD, role="senior_manager", kdf=fast_kdf(),
                     clock=FixedClock(_at(DAY)))
    yield ctx
    ctx.store.close()


def _reopen(ctx: DemoContext) -> None:
    """Close the store (its queued writes finish) and sign in again: a new store, nothing held in memory."""
    clock = ctx.store.clock
    ctx.store.close()
    ctx.store = Session.sign_in(Path(ctx.profile.folder), PASSWORD, clock=clock, backup=False).store


def _dicts(items: list[Any]) -> list[dict[str, Any]]:
    """Every field, the wording, and the engine item behind each (unpacked when read back from what is kept)."""
    return [{**i.to_dict(), "engine": i.engine_item.to_dict() if i.engine_item else None} for i in items]


def _fresh(session: Any, on: date) -> list[Any]:
    """Every item worked out afresh, keeping nothing."""
    return MyWorkService(session)._compute(on, None, None)  # noqa: SLF001 - the reference answer



class _Server:
    """A server's answer to one pull: the pages given (a sync server stands behind this in production)."""

    base_url = "https://example.invalid"
    token: str | None = "signed-in"

    def __init__(self, changes: list[dict[str, Any]]) -> None:
        self.pages = [{"changes": changes, "cursor": "c1", "seq": 1, "has_more": False, "removals": []}]

    def pull(self, _cursor: str | None, _limit: int) -> dict[str, Any]:
        return self.pages.pop(0) if self.pages else {"changes": [], "cursor": "c1", "seq": 1, "has_more": False}


def _pull(ctx: DemoContext, pick: random.Random) -> None:
    """A pull from the server that changes one case's allocation and one person's preferred name."""
    case = ctx.store.rows("SELECT id, version, allocated_worker_id FROM case_file WHERE deleted = 0 ORDER BY id")
    row = pick.choice(case)
    workers = sorted(r["id"] for r in ctx.store.rows(
        "SELECT id FROM practitioner WHERE app_role = 'social_worker' AND deleted = 0 AND active = 1"))
    person = pick.choice(ctx.store.rows(  # a subject of another case
        "SELECT DISTINCT p.id, p.version FROM person p JOIN case_member m ON m.person_id = p.id AND m.role = 'subject'"
        " WHERE p.deleted = 0 AND m.case_id <> ? AND p.id NOT IN (SELECT person_id FROM case_member WHERE case_id = ?)"
        " ORDER BY p.id", [row["id"], row["id"]]))
    changes = [
        {"entity": "case_file", "id": row["id"], "case_id": row["id"], "version": row["version"] + 1,
         "deleted": False, "data": {"allocated_worker_id": pick.choice(workers)}},
        {"entity": "person", "id": person["id"], "case_id": None, "version": person["version"] + 1,
         "deleted": False, "data": {"preferred_name": f"Tynnu {pick.randrange(10**6)}"}},
    ]
    SyncClient(ctx.store, _Server(changes), actor=ctx.staff["senior"]).pull()  # type: ignore[arg-type]


EDITS = ("visit", "exception", "allocate", "cover_case", "cover_worker", "absence", "person", "person_row", "pull",
         "worker", "manager", "team")


def _edit(ctx: DemoContext, kind: str, pick: random.Random) -> None:
    """One real change through the services (or a pull through the sync client), chosen by ``pick``."""
    cp_cases = sorted(r["id"] for r in ctx.store.rows(
        "SELECT id FROM case_file WHERE case_type = 'child_protection' AND deleted = 0 AND closed_on IS NULL"))
    case = pick.choice(cp_cases)
    child = pick.choice(case_subjects(ctx.store, case))
    workers = sorted(r["id"] for r in ctx.store.rows(
        "SELECT id FROM practitioner WHERE app_role = 'social_worker' AND deleted = 0 AND active = 1"))
    manager = ctx.session("senior")
    today = manager.today()
    day = today - timedelta(days=pick.randrange(0, 40))
    until = (today + timedelta(days=pick.randrange(1, 60))).isoformat()
    if kind == "visit":
        VisitService(manager).record(case, visited_on=day.isoformat(), location="home", observations="Seen.",
                                     children=[{"person_id": child, "seen": True, "seen_alone": pick.random() < 0.5,
                                                "seen_at_home": True}])
    elif kind == "exception":
        service = ExceptionService(manager)
        service.record(case, child, pick.choice([r.id for r in service.allowed_rules()]), reason_kind="age",
                       reason="Agreed at supervision.", from_date=day.isoformat(), until=until)
    elif kind == "allocate":
        CaseService(manager).allocate(case, pick.choice(workers))
    elif kind in ("cover_case", "cover_worker"):
        covering, covered = pick.sample(workers, 2)
        MyWorkService(manager).assign_cover(covering, covered_id=covered, from_date=day.isoformat(), to_date=until,
                                            case_id=case if kind == "cover_case" else None)
    elif kind == "absence":
        MyWorkService(manager).record_absence(pick.choice(workers), from_date=day.isoformat(), to_date=until)
    elif kind == "person":
        PersonService(manager).update(child, {"preferred_name": f"{pick.choice(['Osi', 'Mali', 'Cai'])} {pick.randrange(10**6)}"})
    elif kind in STAFF_EDITS:
        edit_staff(ctx, kind, pick, workers)
    elif kind == "person_row":  # the person's row alone in its commit (as a pull or an import writes it)
        ctx.store.write(lambda tx: tx.update("person", child, {"preferred_name": f"Cai {pick.randrange(10**6)}"}),
                        actor=ctx.staff["senior"])
    else:
        _pull(ctx, pick)


STEPS = st.lists(st.one_of(
    st.tuples(st.sampled_from(EDITS), st.integers(0, 10_000)),
    st.tuples(st.just("day"), st.integers(-10, 400)),  # "today" moves (the store's clock)
    st.tuples(st.just("reopen"), st.just(0)),  # signed out and in again
    st.tuples(st.just("check"), st.just(0)),  # what is due is asked for (and kept) now
), min_size=1, max_size=8)


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    """The badge counts 3 cases at a time (the demo has a dozen): chunks, and a last one part full."""
    monkeypatch.setattr(my_work, "COUNT_CHUNK", 3)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=STEPS)
def test_the_kept_answer_is_the_whole_answer_after_random_edits_days_and_sign_ins(
        demo: DemoContext, small_chunks: None, steps: list[tuple[str, int]]) -> None:
    demo.store.clock.moment = _at(DAY)  # type: ignore[attr-defined]
    for key in PEOPLE:
        MyWorkService(demo.session(key)).all_items()  # kept, to be brought up to date
    for kind, value in steps:
        if kind == "day":
            demo.store.clock.moment = _at(DAY + timedelta(days=value))  # type: ignore[attr-defined]
        elif kind == "reopen":
            _reopen(demo)
        elif kind == "check":
            for key in PEOPLE:
                session = demo.session(key)
                badge = MyWorkService(session).counts()  # counted in chunks unless the answer is held
                assert _dicts(MyWorkService(session).all_items()) == _dicts(_fresh(session, session.today())), key
                assert badge == MyWorkService(session).view().counts, key
        else:
            _edit(demo, kind, random.Random(value))
    _reopen(demo)  # what was kept, read back by a new sign-in
    for key in PEOPLE:
        session = demo.session(key)
        assert _dicts(MyWorkService(session).all_items()) == _dicts(_fresh(session, session.today())), key



BANK_HOLIDAY = date(2026, 12, 25)  # Christmas Day, a Friday (Boxing Day's substitute is Monday the 28th)
WEEKEND = date(2026, 11, 28)  # a Saturday
FIVE_AT = DAY + timedelta(days=40)
"""A looked-after child of the demo turns five (its health assessments fall from six-monthly, L9a, to yearly, L9b)."""
EXCEPTED = (DAY + timedelta(days=20), DAY + timedelta(days=50))
"""An exception to one of a child's timescales, lifting it, is in force from the first day to the second."""
NEW_DAYS = st.one_of(st.sampled_from([WEEKEND, WEEKEND + timedelta(days=1), BANK_HOLIDAY, date(2026, 12, 28),
                                      date(2027, 3, 26),  # and Good Friday 2027
                                      FIVE_AT - timedelta(days=1), FIVE_AT, EXCEPTED[0] - timedelta(days=1),
                                      EXCEPTED[0], EXCEPTED[1], EXCEPTED[1] + timedelta(days=1)]),
                     st.integers(1, 900).map(lambda n: DAY + timedelta(days=n)))


def _flush(ctx: DemoContext) -> None:
    """Wait for what is queued on the store's writer (the kept answers are written without waiting)."""
    ctx.store.submit(lambda _tx: None, actor=ctx.staff["senior"], notify=False).result()


def _holding(ctx: DemoContext, viewer: str, on: date) -> set[str]:
    """The cases with a kept answer for ``viewer`` that holds on ``on``."""
    return {r["case_id"] for r in ctx.store.rows(
        "SELECT case_id FROM due_kept WHERE viewer = ? AND from_day <= ? AND until_day >= ?",
        [viewer, on.isoformat(), on.isoformat()])}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(days=st.lists(NEW_DAYS, min_size=1, max_size=5, unique=True).map(sorted), reopen=st.booleans())
def test_a_new_day_works_out_only_the_cases_that_turned_and_reads_the_rest(
        demo: DemoContext, asked: list[set[str]], days: list[date], reopen: bool) -> None:
    """The clock moved forward by days — onto weekends, bank holidays and any day in the next two and a half years:
    each person's answer read from what is kept (status, days overdue and days elapsed worked out for the day) is
    what working everything out afresh gives, and only the cases whose kept answer stopped holding were worked
    out again."""
    calendar = MyWorkService(demo.session("senior")).engine.calendar
    assert not any(calendar.is_working_day(d) for d in (WEEKEND, BANK_HOLIDAY, date(2026, 12, 28), date(2027, 3, 26)))
    demo.store.clock.moment = _at(DAY)  # type: ignore[attr-defined]
    _reopen(demo)  # nothing held in memory from an earlier example (the demo is the same for them all)
    senior = demo.session("senior")
    child = looked_after.subjects(demo.store, *case_condition(senior.user, DAY), DAY)[0].facts.person_id
    demo.store.write(lambda tx: tx.update("person", child, {"date_of_birth": FIVE_AT.replace(year=FIVE_AT.year - 5)
                                                            .isoformat()}), actor=demo.staff["senior"])
    if not demo.store.rows("SELECT 1 FROM rule_exception WHERE from_date = ?", [EXCEPTED[0].isoformat()]):
        exceptions = ExceptionService(senior)
        allowed = {r.id for r in exceptions.allowed_rules()}
        item = next(i for i in _fresh(senior, DAY) if i.rule_id in allowed and not i.excepted_by)
        exceptions.record(item.case_id, item.person_id, item.rule_id, reason_kind="age", reason="Agreed.",
                          from_date=EXCEPTED[0].isoformat(), until=EXCEPTED[1].isoformat(), use_substitute=False)
    for key in PEOPLE:
        MyWorkService(demo.session(key)).all_items()
    for day in days:
        demo.store.clock.moment = _at(day)  # type: ignore[attr-defined]
        if reopen:
            _reopen(demo)
        _flush(demo)
        for key in PEOPLE:
            session = demo.session(key)
            scope = set(MyWorkService(session)._scope())  # noqa: SLF001 - the cases the answer covers
            turned = scope - _holding(demo, session.user.id, day)
            del asked[:]
            kept = MyWorkService(session).all_items()
            assert (asked[0] if asked else set()) == turned, (key, day)
            assert _dicts(kept) == _dicts(_fresh(session, day)), (key, day)
            _flush(demo)


def test_the_next_day_works_out_no_case_that_holds(demo: DemoContext, asked: list[set[str]]) -> None:
    """The first sign-in of a new day, nothing changed: most cases' answers still hold (only a case with a child
    turning five or of school age that day, an exception starting or ending, or a problem would be worked out)."""
    demo.store.clock.moment = _at(DAY)  # type: ignore[attr-defined]
    MyWorkService(demo.session("senior")).all_items()
    every_case = {r["id"] for r in demo.store.rows("SELECT id FROM case_file")}
    for later in (1, 5):  # a Tuesday, a Saturday
        demo.store.clock.moment = _at(DAY + timedelta(days=later))  # type: ignore[attr-defined]
        _reopen(demo)
        del asked[:]
        senior = demo.session("senior")
        turned = every_case - _holding(demo, senior.user.id, DAY + timedelta(days=later))
        kept = MyWorkService(senior).all_items()
        assert (asked[0] if asked else set()) == turned
        assert len(turned) <= len(every_case) // 4
        assert _dicts(kept) == _dicts(_fresh(senior, DAY + timedelta(days=later)))


def test_a_new_sign_in_works_out_only_the_cases_changed_since(demo: DemoContext, asked: list[set[str]],
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    demo.store.clock.moment = _at(DAY)  # type: ignore[attr-defined]
    senior = demo.session("senior")
    every_case = {r["id"] for r in demo.store.rows("SELECT id FROM case_file")}
    MyWorkService(senior).all_items()
    _reopen(demo)  # the answer is in the store now
    del asked[:]
    senior = demo.session("senior")
    MyWorkService(senior).all_items()
    assert asked == []  # nothing changed: nothing worked out

    case = demo.cases["jones_cp"]
    VisitService(demo.session("senior")).record(
        case, visited_on=DAY.isoformat(), location="home", observations="Seen at home.",
        children=[{"person_id": case_subjects(demo.store, case)[0], "seen": True, "seen_alone": True,
                   "seen_at_home": True}])
    _reopen(demo)
    senior = demo.session("senior")
    assert _dicts(MyWorkService(senior).all_items()) == _dicts(_fresh(senior, DAY))
    assert asked[0] == {case}  # the visit's case alone (asked[1] is the fresh reference)
    del asked[:]

    # A person's details (here written as a pull or any service would, with no case of its own in the same
    # commit): the cases they are a member of, not every case.
    child = case_subjects(demo.store, demo.cases["twr_cp"])[0]
    theirs = {r["case_id"] for r in demo.store.rows("SELECT case_id FROM case_member WHERE person_id = ?", [child])}
    demo.store.write(lambda tx: tx.update("person", child, {"preferred_name": f"Seren {random.randrange(10**6)}"}),
                     actor=demo.staff["senior"])
    _reopen(demo)
    del asked[:]
    senior = demo.session("senior")
    assert _dicts(MyWorkService(senior).all_items()) == _dicts(_fresh(senior, DAY))
    assert asked[0] == theirs

    # A pull from the server: the cases of the rows it wrote and the cases of the people it wrote.
    _pull(demo, random.Random(7))
    pulled = demo.store.rows("SELECT after FROM audit WHERE action = 'sync.pull' ORDER BY seq DESC LIMIT 1")[0]
    wrote = json.loads(pulled["after"])
    assert not wrote["beyond"] and len(wrote["cases"]) == len(wrote["people"]) == 1
    theirs = {r["case_id"] for r in demo.store.rows("SELECT case_id FROM case_member WHERE person_id = ?",
                                                   wrote["people"])}
    assert theirs - set(wrote["cases"])  # the person's cases are not the pulled row's
    del asked[:]
    assert _dicts(MyWorkService(senior).all_items()) == _dicts(_fresh(senior, DAY))
    assert asked[0] == set(wrote["cases"]) | theirs < every_case
    del asked[:]

    # A worker's absence: nothing worked out again, nor read again from what is kept: who is away and who covers
    # are worked out again in the answer held.
    fresh = _fresh(senior, DAY)
    worker = Counter(i.worker_id for i in fresh if i.worker_id and not i.absent).most_common(1)[0][0]
    MyWorkService(senior).all_items()
    reads: list[int] = []
    current = due_kept.current
    monkeypatch.setattr(due_kept, "current", lambda *args: reads.append(1) or current(*args))
    del asked[:]
    MyWorkService(senior).record_absence(worker, from_date=DAY.isoformat(), to_date=(DAY + timedelta(days=3)).isoformat())
    kept = MyWorkService(senior).all_items()
    assert asked == [] and reads == []
    monkeypatch.undo()
    assert _dicts(kept) == _dicts(_fresh(senior, DAY))
    assert all(i.absent for i in kept if i.worker_id == worker)
    del asked[:]

    # A worker's own details: the cases whose items name them, not every case; their name is read when the
    # answer is read. A team manager moving team: those and the cases of both teams (a team's manager is the
    # worker of its child protection cases' supervision items, S1).
    manager = demo.staff["tm_cin"]  # Davies, into the child protection team, whose manager (Lloyd) they come before
    old_team, new_team = (demo.store.rows("SELECT team_id FROM practitioner WHERE id = ?", [who])[0]["team_id"]
                          for who in (manager, demo.staff["tm_cp"]))
    name = f"Gwyn {random.randrange(10**6)}"
    for changed, values in ((worker, {"given_names": name}), (manager, {"team_id": new_team})):
        theirs = {i.case_id for i in _fresh(senior, DAY) if i.worker_id == changed}
        if changed == manager:
            theirs |= {r["id"] for r in demo.store.rows("SELECT id FROM case_file WHERE team_id IN (?, ?)",
                                                       [old_team, new_team])}
        del asked[:]
        demo.store.write(lambda tx, w=changed, v=values: tx.update("practitioner", w, v), actor=demo.staff["senior"])
        kept = MyWorkService(senior).all_items()
        assert theirs and asked[0] == theirs < every_case, changed
        assert _dicts(kept) == _dicts(_fresh(senior, DAY))
    assert any(i.worker_name.startswith(name) for i in kept)
    assert any(i.worker_id == manager and i.rule_id == "S1" for i in kept)
    team = new_team
    del asked[:]

    # A team's details: nothing (teams' names are read by the view itself).
    demo.store.write(lambda tx: tx.update("team", team, {"name": f"Tîm {random.randrange(10**6)}"}),
                     actor=demo.staff["senior"])
    kept = MyWorkService(senior).all_items()
    assert asked == []
    assert _dicts(kept) == _dicts(_fresh(senior, DAY))


def test_a_change_whose_kept_answer_was_never_written_is_worked_out_again(
        demo: DemoContext, asked: list[set[str]]) -> None:
    """A crash between a change and the kept answer's write: the change's audit entry comes after the stamp."""
    demo.store.clock.moment = _at(DAY)  # type: ignore[attr-defined]
    senior = demo.session("senior")
    MyWorkService(senior).all_items()
    _reopen(demo)
    case = demo.cases["twr_cp"]
    kept_before = demo.store.rows("SELECT seq, items FROM due_kept WHERE case_id = ? AND from_day = ?",
                                  [case, DAY.isoformat()])
    # The change commits; the process "dies" before anything is kept for it (the memo never hears of it: the
    # store is closed at once and opened again, and no answer is asked for in between).
    child = case_subjects(demo.store, case)[0]
    VisitService(demo.session("senior")).record(
        case, visited_on=DAY.isoformat(), location="school", observations="Seen at school.",
        children=[{"person_id": child, "seen": True, "seen_alone": False, "seen_at_home": False}])
    _reopen(demo)
    assert demo.store.rows("SELECT seq, items FROM due_kept WHERE case_id = ? AND from_day = ?",
                           [case, DAY.isoformat()]) == kept_before  # the old answer is still there…
    del asked[:]
    senior = demo.session("senior")
    kept = MyWorkService(senior).all_items()
    assert asked[0] == {case}  # …and is known to be stale by its stamp
    assert _dicts(kept) == _dicts(_fresh(senior, DAY))


def test_a_stamp_the_audit_trail_does_not_hold_is_stale(demo: DemoContext) -> None:
    """A kept answer stamped with an entry the trail does not hold (a history replaced) is never used."""
    demo.store.clock.moment = _at(DAY)  # type: ignore[attr-defined]
    senior = demo.session("senior")
    MyWorkService(senior).all_items()
    _reopen(demo)
    cases = [r["id"] for r in demo.store.rows("SELECT id FROM case_file")]
    rows = demo.store.rows("SELECT case_id, recipe FROM due_kept WHERE viewer = ? AND from_day = ?",
                           [senior.user.id, DAY.isoformat()])
    recipe = rows[0]["recipe"]
    assert set(due_kept.current(demo.store, senior.user.id, DAY, recipe, cases)) == set(cases)
    demo.store.write(lambda tx: tx.db.execute("UPDATE due_kept SET hash = 'not-in-the-trail' WHERE viewer = ?",
                                              [senior.user.id]), actor=senior.user.id, notify=False)
    assert due_kept.current(demo.store, senior.user.id, DAY, recipe, cases) == {}
    assert due_kept.current(demo.store, senior.user.id, DAY, "another recipe", cases) == {}


def test_the_memo_held_answer_and_the_kept_one_agree(demo: DemoContext) -> None:
    """The in-memory answer (brought up to date case by case) and the kept one, read by a new sign-in, are one."""
    demo.store.clock.moment = _at(DAY)  # type: ignore[attr-defined]
    senior = demo.session("senior")
    held = MyWorkService(senior).all_items()
    _reopen(demo)
    assert _dicts(MyWorkService(demo.session("senior")).all_items()) == _dicts(held)


def test_a_case_that_comes_into_scope_by_cover_is_worked_out(demo: DemoContext) -> None:
    """A change to a case outside a worker's scope keeps nothing for them; cover that later brings the case into
    their scope (cover of its worker, which names no case) then shows its items."""
    demo.store.clock.moment = _at(DAY)  # type: ignore[attr-defined]
    rhian = demo.session("sw_rhian")
    condition, params = case_condition(rhian.user, DAY)
    mine = {r["id"] for r in demo.store.rows(f"SELECT c.id FROM case_file c WHERE {condition}", params)}
    senior = demo.session("senior")
    others = sorted({i.case_id for i in _fresh(senior, DAY) if i.population == "child_protection"} - mine)
    case = others[0]
    worker = demo.store.rows("SELECT allocated_worker_id AS w FROM case_file WHERE id = ?", [case])[0]["w"]
    if worker is None or worker == rhian.user.id:
        worker = demo.staff["sw_tom"]
        CaseService(senior).allocate(case, worker)
    MyWorkService(rhian).all_items()  # held for her: her scope
    VisitService(senior).record(case, visited_on=DAY.isoformat(), location="home", observations="Seen.",
                                children=[{"person_id": case_subjects(demo.store, case)[0], "seen": True,
                                           "seen_alone": True, "seen_at_home": True}])
    MyWorkService(rhian).all_items()  # the case changed, outside her scope
    MyWorkService(senior).assign_cover(rhian.user.id, covered_id=worker, from_date=DAY.isoformat(),
                                       to_date=(DAY + timedelta(days=2)).isoformat())
    after = MyWorkService(rhian).all_items()
    assert any(i.case_id == case for i in after)
    assert _dicts(after) == _dicts(_fresh(rhian, DAY))


def test_the_badge_counted_case_by_case_is_my_work_s_counts(demo: DemoContext, small_chunks: None) -> None:
    """After a new sign-in (nothing held) and after a change to a case (its kept answer stale), the badge's
    counts, made a few cases at a time, are the counts of My work's whole view."""
    demo.store.clock.moment = _at(DAY)  # type: ignore[attr-defined]
    for key in PEOPLE:
        MyWorkService(demo.session(key)).all_items()
    _reopen(demo)
    case = demo.cases["twr_cp"]
    VisitService(demo.session("senior")).record(
        case, visited_on=DAY.isoformat(), location="home", observations="Seen.",
        children=[{"person_id": case_subjects(demo.store, case)[0], "seen": True, "seen_alone": True,
                   "seen_at_home": True}])
    for key in PEOPLE:
        session = demo.session(key)
        badge = MyWorkService(session).counts()
        assert not my_work._memo(demo.store).holds(MyWorkService(session)._key(DAY, None, None))  # noqa: SLF001
        whole = MyWorkService(session).view().counts
        assert badge == whole, key
        assert MyWorkService(session).counts() == whole  # now from the held answer
    assert sum(MyWorkService(demo.session("senior")).counts().values()) > 0


def test_the_recipe_does_not_depend_on_the_order_providers_registered_in() -> None:
    """Providers register as their modules happen to be imported (a sign-in's tasks import some first): the
    same providers in another order are the same recipe, so a new process finds what the last one kept."""
    functions = [p.subjects for p in my_work.providers()]
    assert due_kept.recipe(functions) == due_kept.recipe(functions[::-1])
    assert due_kept.recipe(functions) != due_kept.recipe(functions[1:])


def test_an_answer_kept_under_another_role_is_not_used(demo: DemoContext) -> None:
    """The person's role decides some items (supervision's are a manager's), and enrolment sets the role from the
    server without an audit entry of its own: an answer kept under another role is worked out again."""
    demo.store.clock.moment = _at(DAY)  # type: ignore[attr-defined]
    worker = demo.staff["sw_rhian"]
    MyWorkService(demo.session("sw_rhian")).all_items()
    _reopen(demo)

    def role(name: str) -> None:  # as desktop/sync/enroll.py writes it
        demo.store.write(lambda tx: tx.db.execute("UPDATE practitioner SET app_role = ? WHERE id = ?",
                                                  [name, worker]), actor=worker)

    role("team_manager")
    try:
        session = demo.session("sw_rhian")
        assert _dicts(MyWorkService(session).all_items()) == _dicts(_fresh(session, DAY))
    finally:
        role("social_worker")
    session = demo.session("sw_rhian")
    assert _dicts(MyWorkService(session).all_items()) == _dicts(_fresh(session, DAY))


def test_the_recipe_does_not_depend_on_where_the_code_is(tmp_path: Path) -> None:
    """The same code in another folder (an installation moved, a new build in place) is the same recipe."""
    copy = tmp_path / "elsewhere"
    root = Path(due_kept.__file__).resolve().parents[2]
    for package in ("desktop",):
        shutil.copytree(root / package, copy / package, ignore=shutil.ignore_patterns("__pycache__"))
    script = ("import sys; sys.path.insert(0, sys.argv[1]);"
              "from desktop.services import due_kept, my_work;"
              "print(due_kept.recipe([p.subjects for p in my_work.providers()]))")
    here = subprocess.run([sys.executable, "-c", script, str(root)], capture_output=True, text=True, check=True)
    there = subprocess.run([sys.executable, "-c", script, str(copy)], capture_output=True, text=True, check=True)
    assert here.stdout.strip() and here.stdout == there.stdout


def test_an_answer_holds_until_the_rules_in_force_change() -> None:
    """A rule coming into force, and one going out of force (``effective_to`` is its first day out), end what is
    kept the day before."""
    rules = default_engine().rules
    assert due_kept.rules_turn(rules, DAY) == due_kept.NEVER  # the shipped rules: none starts or ends later
    start, end = DAY + timedelta(days=9), DAY + timedelta(days=30)
    later = replace(rules.rules[0], effective_from=start, effective_to=None)
    ending = replace(rules.rules[1], effective_from=None, effective_to=end)
    fake = type("Rules", (), {"rules": (*rules.rules, later, ending)})()
    assert due_kept.rules_turn(fake, DAY) == start - timedelta(days=1)
    assert due_kept.rules_turn(fake, start) == end - timedelta(days=1)
    assert due_kept.rules_turn(fake, end) == due_kept.NEVER


def test_a_change_to_the_person_s_own_role_reaches_every_case_of_theirs(demo: DemoContext) -> None:
    """The person's own worker row decides whether they see supervision's items (a manager's): a change to it,
    through an audited write while they are signed in, works every case of theirs out again."""
    demo.store.clock.moment = _at(DAY)  # type: ignore[attr-defined]
    session = demo.session("sw_rhian")
    before = MyWorkService(session).all_items()
    assert not any(i.population == "supervision" for i in before)
    demo.store.write(lambda tx: tx.update("practitioner", session.user.id, {"app_role": "team_manager"}),
                     actor=demo.staff["senior"])
    after = MyWorkService(session).all_items()
    assert any(i.population == "supervision" for i in after)
    assert _dicts(after) == _dicts(_fresh(session, DAY))


def _columns(due: dict[str, Any]) -> dict[str, tuple[str, str, int, int]]:
    return {k: (v.next.rule_id, v.next.person_id, v.next.due.toordinal(), v.overdue) for k, v in due.items()}


def test_the_due_columns_of_some_cases_are_worked_out_for_those_cases_only(
        demo: DemoContext, asked: list[set[str]]) -> None:
    """``by_cases`` (the caseload's rows held): what ``by_case`` says of those cases, working out only those with no
    current kept answer — nothing else — whether the whole answer is held or not; an id outside the person's scope
    is left out, as if it did not exist."""
    demo.store.clock.moment = _at(DAY)  # type: ignore[attr-defined]
    rhian = demo.session("sw_rhian")
    every_case = sorted(r["id"] for r in demo.store.rows("SELECT id FROM case_file"))
    whole = _columns(MyWorkService(demo.session("senior")).by_case())
    condition, params = case_condition(rhian.user, DAY)
    hers = {r["id"] for r in demo.store.rows(f"SELECT c.id FROM case_file c WHERE {condition}", params)}
    assert hers and set(every_case) - hers
    _reopen(demo)  # nothing held in memory; the senior manager's answers are kept
    senior, rhian = demo.session("senior"), demo.session("sw_rhian")
    some = every_case[::3]
    del asked[:]
    assert _columns(MyWorkService(senior).by_cases(some)) == {k: v for k, v in whole.items() if k in some}
    assert asked == []  # read from what is kept
    case = some[0]
    VisitService(senior).record(case, visited_on=DAY.isoformat(), location="home", observations="Seen.",
                                children=[{"person_id": case_subjects(demo.store, case)[0], "seen": True,
                                           "seen_alone": True, "seen_at_home": True}])
    del asked[:]
    got = _columns(MyWorkService(senior).by_cases(some))
    assert asked == [{case}]  # the changed case alone
    fresh = _columns(MyWorkService(senior).by_case())
    assert got == {k: v for k, v in fresh.items() if k in some}
    del asked[:]
    theirs = MyWorkService(rhian).by_cases(every_case)  # nothing kept for her: her cases worked out, only hers
    assert asked == [hers]
    _flush(demo)
    del asked[:]
    assert _columns(MyWorkService(rhian).by_cases(every_case)) == _columns(theirs)  # now read from what is kept
    assert asked == []
    assert _columns(theirs) == _columns(MyWorkService(rhian).by_case())  # and from the whole answer, held
    assert _columns(MyWorkService(rhian).by_cases(every_case)) == _columns(theirs)
    assert MyWorkService(senior).by_cases([]) == {}


def test_rows_read_as_tuples_are_the_stores_rows_and_a_database_error_goes_through_its_own_read(
        demo: DemoContext) -> None:
    """``due_kept.tuples`` (the kept answers and the ids in scope, read without a dict per row) gives the rows
    ``Store.rows`` gives; when the read fails with a database error it is made again through ``Store.rows``, which
    reports a damaged page as the store does (DatabaseDamaged), never as a bare driver error."""
    import contextlib

    import sqlcipher3

    sql, params = "SELECT id, reference FROM case_file WHERE deleted = ? ORDER BY id", [0]
    expected = [tuple(r.values()) for r in demo.store.rows(sql, params)]
    assert expected and due_kept.tuples(demo.store, sql, params) == expected
    asked: list[str] = []

    class Failing:
        @contextlib.contextmanager
        def reading(self) -> Iterator[Any]:
            raise sqlcipher3.DatabaseError("file is not a database")
            yield  # pragma: no cover

        def rows(self, sql_: str, params_: Any = ()) -> list[dict[str, Any]]:
            asked.append(sql_)
            return demo.store.rows(sql_, params_)

    assert due_kept.tuples(Failing(), sql, params) == expected and asked == [sql]
