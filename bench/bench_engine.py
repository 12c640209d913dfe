"""Benchmark the timescale engine on synthetic subjects (never run by the tests).

Generates N subjects (default 10,000) across the populations with realistic *latest* event dates — the
facts a store would get from one ``MAX()`` per subject and event key over roughly a million visits — and
times ``Engine.due_items`` for all of them and for one subject.

    python bench/bench_engine.py [--subjects N] [--repeat R] [--seed S]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from desktop.domain.engine import Engine, SubjectFacts  # noqa: E402

TODAY = date(2026, 11, 23)
VISITS_PER_SUBJECT = 100  # 10,000 subjects x ~100 visits ~ 1,000,000 visit rows summarised by MAX()


def _ago(rng: random.Random, lo: int, hi: int) -> date:
    return TODAY - timedelta(days=rng.randint(lo, hi))


def make_subject(i: int, rng: random.Random) -> SubjectFacts:
    """One synthetic subject; the mix is roughly a local authority's open safeguarding caseload."""
    case_id, person_id = f"case-{i // 2:06d}", f"person-{i:06d}"
    kind = rng.random()
    if kind < 0.45:  # child on the register
        registered = _ago(rng, 20, 700)
        ev: dict[str, date | None] = {
            "registered": registered,
            "icpc_held": registered,
            "core_group": _ago(rng, 0, 60),
            "visit_seen": _ago(rng, 0, 20),
            "visit_seen_alone": _ago(rng, 0, 25),
            "visit_seen_at_home": _ago(rng, 0, 40),
            "visit_bedroom_seen": _ago(rng, 0, 200),
            "outline_plan_sent": registered + timedelta(days=rng.randint(1, 9)),
            "conference_record_sent": registered + timedelta(days=rng.randint(5, 35)),
        }
        if registered < TODAY - timedelta(days=100):
            ev["review_conference"] = _ago(rng, 0, 190)
            ev["next_review_date"] = TODAY + timedelta(days=rng.randint(-10, 180))
        tags = {"child_protection", "registered"}
    elif kind < 0.60:  # child in enquiry, ICPC to convene
        ev = {
            "report_received": _ago(rng, 5, 40),
            "report_decision": _ago(rng, 4, 39),
            "strategy_meeting_last": _ago(rng, 0, 25),
        }
        tags = {"child_protection", "icpc_required"}
    elif kind < 0.80:  # looked after
        start = _ago(rng, 10, 1500)
        placement = max(start, _ago(rng, 5, 900))
        ev = {
            "looked_after_start": start,
            "placement_start": placement,
            "care_support_plan": start + timedelta(days=rng.randint(-3, 12)),
            "placement_plan": placement + timedelta(days=rng.randint(-2, 8)),
            "lac_visit": _ago(rng, 0, 70),
            "lac_review": _ago(rng, 0, 200),
            "lac_review_first": start + timedelta(days=rng.randint(20, 30)),
            "health_assessment": _ago(rng, 0, 400),
            "gp_registered": placement + timedelta(days=rng.randint(0, 20)),
            "dentist_registered": start + timedelta(days=rng.randint(10, 120)),
        }
        tags = {"looked_after"}
        if rng.random() < 0.5:
            tags.add("placement_until_18")
        if rng.random() < 0.2:
            tags.add("under_5")
        counts = {"lac_review": rng.randint(0, 8)}
        return SubjectFacts(case_id, person_id, frozenset(tags), ev, counts=counts)
    else:  # adult at risk with a plan
        plan = _ago(rng, 10, 400)
        ev = {
            "report_received": plan - timedelta(days=30),
            "enquiry_concluded": plan - timedelta(days=20),
            "strategy_meeting_last": plan - timedelta(days=rng.randint(0, 10)),
            "plan_start": plan,
            "plan_review": _ago(rng, 0, 50),
            "visit_seen": _ago(rng, 0, 30),
            "visit_seen_alone": _ago(rng, 0, 35),
        }
        if rng.random() < 0.1:
            ev["apc_scheduled"] = TODAY + timedelta(days=rng.randint(-3, 20))
        tags = {"adult_at_risk", "adult_plan", "strategy_required"}
        overrides = {"A4": (10, "working_days")} if rng.random() < 0.3 else {}
        return SubjectFacts(case_id, person_id, frozenset(tags), ev, overrides=overrides)
    return SubjectFacts(case_id, person_id, frozenset(tags), ev)


def generate(n: int, seed: int = 1) -> list[SubjectFacts]:
    rng = random.Random(seed)
    return [make_subject(i, rng) for i in range(n)]


def _ms(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return statistics.median(ordered) * 1000, p95 * 1000


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--subjects", type=int, default=10_000)
    ap.add_argument("--repeat", type=int, default=15)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    engine = Engine()
    t_build = time.perf_counter() - t0

    t0 = time.perf_counter()
    subjects = generate(args.subjects, args.seed)
    t_gen = time.perf_counter() - t0

    engine.due_items(subjects[:100], TODAY)  # warm the per-tag rule cache, as a running app would be
    all_times, items = [], []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        items = engine.due_items(subjects, TODAY)
        all_times.append(time.perf_counter() - t0)

    one_times = []
    for s in subjects[: min(len(subjects), 2000)]:
        t0 = time.perf_counter()
        engine.due_for(s, TODAY)
        one_times.append(time.perf_counter() - t0)

    med, p95 = _ms(all_times)
    med1, p951 = _ms(one_times)
    print(f"engine + calendar + rules built:   {t_build * 1000:8.1f} ms")
    print(
        f"synthetic data: {args.subjects:,} subjects "
        f"(~{args.subjects * VISITS_PER_SUBJECT:,} visits as latest dates): {t_gen * 1000:8.1f} ms"
    )
    print(f"due_items, all subjects ({args.repeat} runs): median {med:8.1f} ms   p95 {p95:8.1f} ms")
    print(f"due_for, one subject ({len(one_times)} runs):   median {med1:8.3f} ms   p95 {p951:8.3f} ms")
    print(f"data + one run of due_items:       {t_gen * 1000 + med:8.1f} ms")
    print(f"items: {len(items):,}  by status: {dict(Counter(i.status for i in items))}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
