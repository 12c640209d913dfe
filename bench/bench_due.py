"""What is due, through the real "My work" service (SQL facts + engine) — never a timed test.

* all due items for 10,000 registered children with 1,000,000 visits — target ≤ 1 s;
* the due items of one case — target ≤ 5 ms;
* "My work" opening (the signed-in worker's view) in a profile of 5,000 cases — target ≤ 200 ms;
* a senior manager's view of all 5,000 cases — target ≤ 150 ms (issue 22): the first view after a
  change and a view again with nothing changed, both reported; after a change to a person's, a worker's
  and a team's details and to cover (each caught up in the answer held in memory); and the first view after signing in again, with what is due kept in the store
  (``due_kept``), with it emptied (every case worked out, as before issue 22's item 4), and on a new day,
  turn about in the same run; those again with the interpreter as the app runs the view (no collection in
  the asking thread: the app's GUI thread is its only collector).

    python bench/bench_due.py [--children 10000] [--visits-per-child 100] [--desk-only]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
import tracemalloc
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.synthetic import PASSWORD, create_profile, populate  # noqa: E402
from desktop.services.my_work import MyWorkService  # noqa: E402
from desktop.services.session import Session, User  # noqa: E402


def timed(fn, runs: int) -> tuple[float, float, object]:
    samples, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples), max(samples), result


def first_and_again(session, fn, runs: int) -> dict[str, float]:
    """What is due is kept per store and brought up to date case by case (desktop/services/my_work.py).
    In ms: the first call after a change that reaches beyond cases (everything worked out again), the
    first call after a change to one case (that case worked out again and merged in), and a call again
    with nothing changed."""
    firsts, one_case, first_cpu, one_case_cpu = [], [], [], []
    case_ids = [r["id"] for r in session.store.rows("SELECT id FROM case_file ORDER BY id LIMIT ?", [runs])]
    for i in range(runs):
        session.write(lambda tx: tx.record("bench_change", entity="case_file", entity_id="bench"))
        start, cpu = time.perf_counter(), time.thread_time()
        fn()
        firsts.append((time.perf_counter() - start) * 1000)
        first_cpu.append((time.thread_time() - cpu) * 1000)
        case_id = case_ids[i % len(case_ids)]
        session.write(lambda tx, case_id=case_id: tx.record("bench_change", entity="case_file", entity_id=case_id,
                                                            case_id=case_id))
        start, cpu = time.perf_counter(), time.thread_time()
        fn()
        one_case.append((time.perf_counter() - start) * 1000)
        one_case_cpu.append((time.thread_time() - cpu) * 1000)
    med, worst, _ = timed(fn, runs)
    return {"first_median": round(statistics.median(firsts), 1), "first_max": round(max(firsts), 1),
            "first_cpu_median": round(statistics.median(first_cpu), 1),
            "after_one_case_median": round(statistics.median(one_case), 1),
            "after_one_case_max": round(max(one_case), 1),
            "after_one_case_cpu_median": round(statistics.median(one_case_cpu), 1),
            "again_median": round(med, 1), "again_max": round(worst, 1)}


def first_after_sign_in(folder: Path, runs: int, *, as_app: bool = False, days: int = 0) -> dict[str, float]:
    """The senior manager's first view after signing in (a new store: nothing held in memory), in ms of wall
    clock and of the signing-in thread's CPU: with what is due kept in the store, with the kept answers
    deleted first (every case worked out again, as before they were kept), and the first sign-in of a new day
    (the clock one day on from the answers kept: what still holds is read, the cases that turned worked out)
    — turn about, median of ``runs``. Each run after the first ``new_day`` is a day later again (``days``:
    the days already moved on by an earlier call).

    ``as_app``: the interpreter as the app runs the view — its collector thresholds (``ui.interpreter.tune``),
    and no collection in the asking thread (the app's worker never collects: the GUI thread does, between
    its events, ``ui.interpreter.collect_on_this_thread``); what Python would have collected is collected
    after each view, untimed. Without it, Python's own collector runs in the asking thread."""
    import gc

    from ui import interpreter

    out: dict[str, list[tuple[float, float]]] = {"kept": [], "emptied": [], "new_day": []}
    if as_app:
        interpreter.tune()
    for _ in range(runs):
        for mode in ("emptied", "kept", "new_day"):
            if mode == "new_day":
                days += 1
            clock = (lambda n=days: datetime.now(UTC) + timedelta(days=n))  # noqa: E731 - the day the store sees
            session = Session.sign_in(folder, PASSWORD, backup=False, clock=clock)
            if mode == "emptied":
                session.store.write(lambda tx: tx.db.execute("DELETE FROM due_kept"), actor=session.user.id,
                                    notify=False)
            if as_app:
                gc.disable()
            cpu, start = time.thread_time(), time.perf_counter()
            MyWorkService(session).view()
            out[mode].append(((time.perf_counter() - start) * 1000, (time.thread_time() - cpu) * 1000))
            if as_app:
                interpreter.collect_if_due()  # what the GUI thread's timer would collect, after the view
            session.close()  # the kept answers' write (after "emptied") finishes before the store closes
    if as_app:
        gc.set_threshold(700, 10, 10)  # Python's defaults again for what is measured after
        gc.enable()
    return {f"{mode}_{what}_{stat}": round(fn(v[i] for v in samples), 1)
            for mode, samples in out.items() for i, what in enumerate(("wall", "cpu"))
            for stat, fn in (("median", statistics.median), ("max", max))}


def badge_memory(folder: Path) -> dict[str, float]:
    """The most Python memory held (tracemalloc peak, MB) while the senior manager's badge counts are made after
    signing in — with what is due kept, and with it emptied (every case worked out, in chunks) — beside My
    work's whole view (every item held)."""
    out: dict[str, float] = {}
    for name, empty, what in (("badge_kept", False, "counts"), ("badge_emptied", True, "counts"),
                              ("view_kept", False, "view")):
        session = Session.sign_in(folder, PASSWORD, backup=False)
        if empty:
            session.store.write(lambda tx: tx.db.execute("DELETE FROM due_kept"), actor=session.user.id, notify=False)
        service = MyWorkService(session)
        tracemalloc.start()
        getattr(service, what)()
        out[f"{name}_peak_mb"] = round(tracemalloc.get_traced_memory()[1] / 2**20, 1)
        tracemalloc.stop()
        session.close()
    return out


def after_a_worker_or_team_changes(session: Session, runs: int) -> dict[str, float]:
    """The first view after a change to a worker's details (the cases naming them worked out again, in the answer
    held), to a team's name (nothing worked out) and to cover (one worker's work covered by another: nothing worked
    out for a senior manager, whose scope it does not change; who covers worked out again in the answer held), in
    ms of wall clock and of the thread's CPU."""
    workers = [r["id"] for r in session.store.rows(
        "SELECT allocated_worker_id AS id FROM case_file WHERE allocated_worker_id IS NOT NULL"
        " GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT ?", [runs + 1])]
    teams = [r["id"] for r in session.store.rows("SELECT id FROM team ORDER BY id")]
    today = session.today()
    out: dict[str, list[tuple[float, float]]] = {"worker": [], "team": [], "cover": []}
    for i in range(runs):
        worker, team = workers[i % len(workers)], teams[i % len(teams)]
        cover = {"covering_id": workers[(i + 1) % len(workers)], "covered_id": worker, "from_date": today.isoformat(),
                 "to_date": (today + timedelta(days=i + 1)).isoformat()}
        for kind, change in (
                ("worker", lambda tx, w=worker, i=i: tx.update("practitioner", w, {"phone": f"0{i:09d}"})),
                ("team", lambda tx, t=team, i=i: tx.update("team", t, {"name": f"Tîm {i}"})),
                ("cover", lambda tx, c=cover: tx.insert("cover", c))):
            session.write(change)
            cpu, start = time.thread_time(), time.perf_counter()
            MyWorkService(session).view()
            out[kind].append(((time.perf_counter() - start) * 1000, (time.thread_time() - cpu) * 1000))
    return {f"{kind}_{what}_{stat}": round(fn(v[i] for v in samples), 1)
            for kind, samples in out.items() for i, what in enumerate(("wall", "cpu"))
            for stat, fn in (("median", statistics.median), ("max", max))}


def after_a_person_changes(session: Session, runs: int) -> dict[str, float]:
    """The first view after a change to a person's details (their cases worked out again, in the answer held), in
    ms of wall clock and of the thread's CPU."""
    people = [r["person_id"] for r in session.store.rows(
        "SELECT person_id FROM case_member WHERE role = 'subject' ORDER BY person_id LIMIT ?", [runs])]
    samples, cpu_samples = [], []
    for person_id in people:
        session.write(lambda tx, p=person_id: tx.record("bench_change", entity="person", entity_id=p))
        start, cpu = time.perf_counter(), time.thread_time()
        MyWorkService(session).view()
        samples.append((time.perf_counter() - start) * 1000)
        cpu_samples.append((time.thread_time() - cpu) * 1000)
    return {"median": round(statistics.median(samples), 1), "max": round(max(samples), 1),
            "cpu_median": round(statistics.median(cpu_samples), 1)}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--children", type=int, default=10_000)
    parser.add_argument("--visits-per-child", type=int, default=100)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--desk-only", action="store_true",
                        help="only the 5,000-case profile (My work's views), not the 10,000 children")
    args = parser.parse_args()
    out: dict[str, object] = {"cores": os.cpu_count(), "load_average_start": round(os.getloadavg()[0], 2)}
    with tempfile.TemporaryDirectory() as tmp:
        if not args.desk_only:
            session = create_profile(Path(tmp) / "big", fast_kdf=True)
            start = time.perf_counter()
            counts = populate(session, args.children // 2, args.visits_per_child, case_types=["child_protection"],
                              children_per_case=(2,), register=True)
            out["generated"] = {**counts, "seconds": round(time.perf_counter() - start, 1)}
            service = MyWorkService(session)  # a senior manager: every case is in scope
            out["all_items_ms"] = {**first_and_again(session, service.all_items, args.runs),
                                   "items": len(service.all_items())}
            case_id = session.store.rows("SELECT id FROM case_file LIMIT 1")[0]["id"]
            out["one_case_ms"] = first_and_again(session, lambda: service.all_items(case_id=case_id), args.runs * 4)
            session.close()

        session = create_profile(Path(tmp) / "desk", fast_kdf=True)
        populate(session, 5000, 20, register=True)
        worker = session.store.rows(
            "SELECT allocated_worker_id AS id, count(*) AS n FROM case_file GROUP BY 1 ORDER BY 2 DESC LIMIT 1")[0]
        row = session.store.rows("SELECT * FROM practitioner WHERE id = ?", [worker["id"]])[0]
        as_worker = Session(session.profile, session.store,
                            User(row["id"], row["given_names"], row["family_name"], "social_worker", row["team_id"], None))
        out["my_work_social_worker_ms"] = {**first_and_again(session, lambda: MyWorkService(as_worker).view(), args.runs),
                                           "cases": worker["n"]}
        out["my_work_senior_manager_5000_cases_ms"] = first_and_again(
            session, lambda: MyWorkService(session).view(), args.runs)
        out["my_work_senior_manager_after_a_person_changes_ms"] = after_a_person_changes(session, args.runs)
        out["my_work_senior_manager_after_a_worker_or_team_changes_ms"] = after_a_worker_or_team_changes(
            session, args.runs)
        session.close()
        out["my_work_senior_manager_first_after_sign_in_ms"] = first_after_sign_in(Path(tmp) / "desk", args.runs)
        out["my_work_senior_manager_first_after_sign_in_as_the_app_runs_it_ms"] = first_after_sign_in(
            Path(tmp) / "desk", args.runs, as_app=True, days=args.runs)
        out["senior_manager_memory"] = badge_memory(Path(tmp) / "desk")
        out["load_average_end"] = round(os.getloadavg()[0], 2)
    print(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
