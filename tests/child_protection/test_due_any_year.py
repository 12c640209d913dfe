"""Nothing due is lost past a calendar's end (issue 18): working days are computed for any year, and a
due date that still cannot be worked out is a visible item that names the problem — in "My work" and
in ``diogel due`` — never a silent drop."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

import desktop.domain.engine as engine_module
from desktop.cli import main as cli_main
from desktop.domain.calendar import WorkingCalendar, default_calendar
from desktop.domain.engine import CANNOT_COMPUTE, Engine
from desktop.services.child_protection.visits import VisitService
from desktop.services.demo import build_demo
from desktop.services.my_work import MyWorkService
from tests.casework import PASSWORD
from tests.conftest import FixedClock, demo_clock, fast_kdf


def _seen_alone(w: Any, day: str) -> None:
    ids = w.ids
    w.on(day)
    VisitService(w.sw).record(ids["case"], visited_on=day, location="home", observations="Seen.",
                              children=[{"person_id": ids["elis"], "seen": True, "seen_alone": True,
                                         "seen_at_home": True},
                                        {"person_id": ids["mali"], "seen": True, "seen_alone": True,
                                         "seen_at_home": True}])


def test_a_child_seen_alone_before_christmas_2031_is_due_in_january_2032(registered: Any) -> None:
    # The case: seen alone on Friday 19 December 2031; asked on Monday the 22nd the V1 item
    # was missing, and on 2 January 2032 V1 and the other working-day items were all gone.
    w, ids = registered, registered.ids
    _seen_alone(w, "2031-12-19")
    w.on("2031-12-22")
    items = {(i.person_id, i.rule_id): i for i in MyWorkService(w.sw).all_items(date(2031, 12, 22))}
    v1 = items[(ids["elis"], "V1")]
    assert v1.due == date(2032, 1, 7) and v1.status == "upcoming"
    w.on("2032-01-02")
    later = {(i.person_id, i.rule_id): i for i in MyWorkService(w.sw).all_items(date(2032, 1, 2))}
    assert {"V1", "C7", "C8", "C10"} <= {rule for (_, rule) in later}
    assert not [i for i in later.values() if i.status == CANNOT_COMPUTE]


def _bounded_engine() -> Engine:
    """An engine whose calendar ends on 31 December 2031 (as the shipped table once did)."""
    cal = WorkingCalendar([h for h in default_calendar().holidays_in(2031)] + [date(2026, 12, 25)],
                          first=date(2026, 1, 1), last=date(2031, 12, 31))
    return Engine(calendar=cal)


def test_a_due_date_that_cannot_be_worked_out_is_shown_with_its_problem(registered: Any) -> None:
    w, ids = registered, registered.ids
    _seen_alone(w, "2031-12-19")
    w.on("2031-12-22")
    service = MyWorkService(w.sw, engine=_bounded_engine())
    items = service.all_items(date(2031, 12, 22))
    broken = [i for i in items if i.status == CANNOT_COMPUTE]
    assert {(i.person_id, i.rule_id) for i in broken} >= {(ids["elis"], "V1"), (ids["mali"], "V1")}
    v1 = next(i for i in broken if i.person_id == ids["elis"] and i.rule_id == "V1")
    assert v1.due == date(2031, 12, 22) and "leaves the working-day calendar" in (v1.problem or "")
    assert v1.reason.startswith("Child seen alone: the due date could not be worked out")
    assert v1.action == "record_visit" and v1.person_name
    view = service.view(date(2031, 12, 22))
    assert v1.rule_id in {i.rule_id for i in view.problems} and view.counts["problems"] == len(view.problems) > 0
    assert v1.to_dict()["status"] == CANNOT_COMPUTE and v1.to_dict()["problem"]


def test_diogel_due_prints_the_item_it_cannot_date(registered: Any, monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    w, ids = registered, registered.ids
    _seen_alone(w, "2031-12-19")
    w.on("2031-12-22")
    monkeypatch.setattr(engine_module, "_default_engine", _bounded_engine())
    monkeypatch.setenv("DIOGEL_PASSWORD", PASSWORD)
    capsys.readouterr()
    assert cli_main(["due", "--profile", str(w.folder), "--json", "--on", "2031-12-22"], clock=w.clock) == 0
    out = capsys.readouterr()
    doc = json.loads(out.out)
    broken = [i for i in doc["items"] if i["status"] == CANNOT_COMPUTE]
    assert {(i["person_id"], i["rule_id"]) for i in broken} >= {(ids["elis"], "V1")}
    assert all(i["problem"] and i["due"] == "2031-12-22" for i in broken)
    assert f"{len(broken)} due dates could not be worked out" in out.err


def _kinds(folder: Path, on: str | None, clock: FixedClock, monkeypatch: pytest.MonkeyPatch,
           capsys: pytest.CaptureFixture[str]) -> set[tuple[str, str]]:
    monkeypatch.setenv("DIOGEL_PASSWORD", "demo-password-1")
    capsys.readouterr()
    argv = ["due", "--profile", str(folder), "--json"] + (["--on", on] if on else [])
    assert cli_main(argv, clock=clock) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["count"] == len(doc["items"]) > 0
    assert not [i for i in doc["items"] if i["status"] == CANNOT_COMPUTE]
    return {(i["rule_id"], i["status"]) for i in doc["items"]}


def test_due_on_2035_lists_the_same_kinds_of_item_as_today(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    now = demo_clock()
    ctx = build_demo(tmp_path / "today", "demo-password-1", role="senior_manager", kdf=fast_kdf(), clock=now)
    ctx.store.close()
    today = _kinds(tmp_path / "today", None, now, monkeypatch, capsys)
    # A demo built on Monday 28 May 2035 (after the spring bank holiday), asked about Friday 1 June.
    later = FixedClock(datetime(2035, 5, 29, 9, 0, tzinfo=UTC))
    ctx = build_demo(tmp_path / "2035", "demo-password-1", role="senior_manager", kdf=fast_kdf(),
                     clock=later)
    ctx.store.close()
    in_2035 = _kinds(tmp_path / "2035", "2035-06-01", later, monkeypatch, capsys)
    assert {rule for rule, _ in in_2035} == {rule for rule, _ in today}
    assert {rule for rule, status in in_2035 if status == "overdue"} >= {"V1", "C17", "A4"}
