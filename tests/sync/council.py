"""A council of teams for the authority-wide figures (issue 21): casework written on each team manager's
laptop, row by row through the real store (outbox and audit included), varied by a seeded random
generator so that every committee measure, the trend months, the register, babies, Welsh and letters all
have something to count."""

from __future__ import annotations

import json
import random
import uuid
from collections import Counter
from datetime import date, timedelta
from typing import Any

from desktop.sync.client import SyncClient
from reports import CommitteeStats

START, END = date(2026, 6, 1), date(2026, 11, 30)
FIRST = date(2025, 5, 1)  # the oldest record written


def _day(rng: random.Random, a: date, b: date) -> date:
    return a + timedelta(days=rng.randint(0, max((b - a).days, 0)))


def seed_team(session: Any, tag: str, seed: int, *, cases: int = 5) -> None:
    """Child protection, adult and looked-after casework and letters for the signed-in manager's team."""
    rng = random.Random(seed)
    me = session.user

    def write(tx: Any) -> None:
        def case(kind: str, opened: date, closed: date | None = None) -> str:
            case_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
            tx.insert("case_file", {"id": case_id, "reference": f"{tag}-{rng.randint(1000, 9999)}", "case_type": kind,
                                    "team_id": me.team_id, "allocated_worker_id": me.id,
                                    "opened_on": opened.isoformat(), "closed_on": closed.isoformat() if closed else None},
                      case_id=case_id)
            return case_id

        def person(name: str, born: date, lang: str = "unknown", sex: str | None = None) -> str:
            return str(tx.insert("person", {"given_names": name, "family_name": f"Teulu {tag}",
                                            "date_of_birth": born.isoformat(), "correspondence_language": lang,
                                            "sex": sex})["id"])

        def member(case_id: str, pid: str, role: str = "subject") -> None:
            tx.insert("case_member", {"person_id": pid, "role": role}, case_id=case_id)

        # -- child protection: registrations, visits, core groups, conferences ---------------------------
        for n in range(cases):
            opened = _day(rng, FIRST, END - timedelta(days=60))
            closed = _day(rng, opened + timedelta(days=40), END + timedelta(days=30)) if rng.random() < 0.3 else None
            if closed is not None and closed > END:
                closed = None
            c = case("child_protection", opened, closed)
            parent = person(f"Rhiant {n}", date(1990, 1, 1), rng.choice(("cy", "en", "unknown")))
            member(c, parent, "parent")
            children = [person(f"Plentyn {n}.{k}", _day(rng, date(2012, 1, 1), date(2025, 1, 1)),
                               sex=rng.choice(("female", "male", None))) for k in range(rng.randint(1, 2))]
            strategy = opened + timedelta(days=rng.randint(1, 5))
            tx.insert("cp_strategy", {"child_ids": json.dumps(children), "kind": "meeting",
                                      "held_on": strategy.isoformat(), "decisions": "[]", "initiate_s47": 1},
                      case_id=c)
            registered = strategy + timedelta(days=rng.randint(10, 25))
            tx.insert("cp_conference", {"kind": "initial", "child_ids": json.dumps(children), "status": "held",
                                        "scheduled_on": registered.isoformat(), "held_on": registered.isoformat()},
                      case_id=c)
            last = min(END, closed) if closed else END
            for k, child in enumerate(children):
                member(c, child)
                tx.insert("cp_enquiry", {"person_id": child, "started_on": strategy.isoformat(), "determination": 3,
                                         "determined_on": (strategy + timedelta(days=rng.randint(3, 9))).isoformat()},
                          case_id=c)
                off = None
                if rng.random() < 0.35:
                    off = _day(rng, registered + timedelta(days=30), last)
                cats = rng.sample(["neglect", "physical", "emotional", "sexual"], rng.randint(1, 2))
                if k == 0 and rng.random() < 0.4:  # an earlier registration: the next one is a re-registration
                    tx.insert("register_entry", {"person_id": child, "registered_on": "2024-02-01",
                                                 "categories": '["neglect"]', "status": "deregistered",
                                                 "deregistered_on": "2024-09-01"}, case_id=c)
                tx.insert("register_entry", {"person_id": child, "registered_on": registered.isoformat(),
                                             "categories": json.dumps(cats),
                                             "status": "deregistered" if off else "active",
                                             "deregistered_on": off.isoformat() if off else None}, case_id=c)
                day = registered
                while True:
                    day += timedelta(days=rng.randint(5, 19))
                    if day > (off or last):
                        break
                    v = tx.insert("cp_visit", {"visited_on": day.isoformat(), "visitor_id": me.id, "location": "home",
                                               "access_denied": 1 if rng.random() < 0.05 else 0}, case_id=c)
                    tx.insert("cp_visit_child", {"visit_id": v["id"], "person_id": child, "seen": 1,
                                                 "seen_alone": 1 if rng.random() < 0.8 else 0,
                                                 "seen_at_home": 1 if rng.random() < 0.6 else 0,
                                                 "bedroom_seen": 0}, case_id=c)
                    if rng.random() < 0.05:  # corrected later: the amendment is the visit that counts
                        fixed = tx.insert("cp_visit", {"visited_on": (day - timedelta(days=2)).isoformat(),
                                                       "visitor_id": me.id, "location": "home",
                                                       "amends_id": v["id"]}, case_id=c)
                        tx.insert("cp_visit_child", {"visit_id": fixed["id"], "person_id": child, "seen": 1,
                                                     "seen_alone": 1, "seen_at_home": 0, "bedroom_seen": 0},
                                  case_id=c)
            group = registered
            while True:
                group += timedelta(days=rng.randint(8, 50))
                if group > last:
                    break
                tx.insert("cp_core_group", {"held_on": group.isoformat()}, case_id=c)
            review = registered
            while True:
                review += timedelta(days=rng.randint(80, 200))
                if review > last:
                    break
                tx.insert("cp_conference", {"kind": "review", "child_ids": json.dumps(children), "status": "held",
                                            "scheduled_on": review.isoformat(), "held_on": review.isoformat()},
                          case_id=c)
            if n == 0:  # a manager's recorded exception for the first child's seen-alone visits
                tx.insert("rule_exception", {"person_id": children[0], "rule_id": "V1", "agreed_by": me.id,
                                             "agreed_on": START.isoformat(), "reason_kind": "age", "reason": "Baban.",
                                             "from_date": START.isoformat(),
                                             "until_date": (START + timedelta(days=60)).isoformat()}, case_id=c)
            for lang, mailing, printed in (("cy", f"{tag}-m{n}", START + timedelta(days=n)),
                                           ("en", f"{tag}-m{n}", START + timedelta(days=n + rng.randint(0, 1))),
                                           ("bilingual", f"{tag}-b{n}", END - timedelta(days=n))):
                tx.insert("letter", {"template_id": "N9", "recipient_kind": "person", "recipient_id": parent,
                                     "recipient_name": "Rhiant", "language": lang, "data": "{}", "status": "printed",
                                     "source_event": mailing, "printed_at": f"{printed.isoformat()}T10:00:00+00:00"},
                          case_id=c)

        # -- adults at risk: reports, enquiries, plans and reviews -----------------------------------------
        for n in range(max(2, cases // 2)):
            opened = _day(rng, FIRST, END - timedelta(days=30))
            c = case("adult_at_risk", opened)
            adult = person(f"Oedolyn {n}", date(1940 + n, 3, 1), rng.choice(("cy", "en")), sex="female")
            member(c, adult)
            received = opened
            for _r in range(rng.randint(1, 3)):
                rid = tx.insert("adult_report", {"person_id": adult, "received_at": f"{received.isoformat()}T09:00",
                                                 "received_on": received.isoformat(), "received_by": me.id,
                                                 "source_type": rng.choice(("relevant_partner", "family", "public")),
                                                 "concerns": "Pryder.",
                                                 "suspected_categories": json.dumps(rng.sample(
                                                     ["neglect", "financial", "emotional"], rng.randint(1, 2))),
                                                 "consent_given": 1, "screening_decision": "enquiries",
                                                 "police_informed": rng.randint(0, 1)}, case_id=c)["id"]
                if rng.random() < 0.8:
                    done = received + timedelta(days=rng.randint(2, 14))
                    if done <= END:
                        tx.insert("adult_enquiry", {"report_id": rid, "person_id": adult,
                                                    "started_on": received.isoformat(),
                                                    "concluded_on": done.isoformat(),
                                                    "determination": rng.choice(("1", "2", "3", "nfa"))}, case_id=c)
                received += timedelta(days=rng.randint(20, 120))
                if received > END:
                    break
            plan = tx.insert("adult_plan", {"person_id": adult, "started_on": (opened + timedelta(days=20)).isoformat()},
                             case_id=c)
            review = opened + timedelta(days=20)
            while True:
                review += timedelta(days=rng.randint(25, 60))
                if review > END:
                    break
                tx.insert("adult_plan_review", {"plan_id": plan["id"], "reviewed_on": review.isoformat(),
                                                "outcome": "continue", "progress": "Cynnydd."}, case_id=c)

        # -- looked after: episodes, reviews, a baby's permanent home --------------------------------------
        for n in range(max(2, cases // 2)):
            baby = n == 0
            started = _day(rng, START, START + timedelta(days=60)) if baby else _day(rng, FIRST, END - timedelta(days=20))
            c = case("looked_after", started - timedelta(days=10))
            child = person(f"Plentyn gofal {n}", started - timedelta(days=90 if baby else 3000))
            member(c, child)
            episode = tx.insert("lac_episode", {"person_id": child, "started_on": started.isoformat(),
                                                "legal_status": "full_care_order"}, case_id=c)
            review = started
            while True:
                review += timedelta(days=rng.randint(25, 150))
                if review > END:
                    break
                tx.insert("lac_review", {"person_id": child, "episode_id": episode["id"], "held_on": review.isoformat(),
                                         "chair_id": me.id}, case_id=c)
            if baby:
                tx.insert("lac_placement", {"person_id": child, "episode_id": episode["id"], "placement_type": "foster",
                                            "line1": "1 Heol y Nant", "permanent_home": 1,
                                            "start_on": (started + timedelta(days=rng.randint(20, 120))).isoformat()},
                          case_id=c)
                tx.insert("proceedings", {"person_id": child, "kind": "care_proceedings", "stage": "issued",
                                          "stage_on": started.isoformat(), "started_on": started.isoformat()},
                          case_id=c)

    session.write(write)


# -- adding figures up -----------------------------------------------------------------------------------


def additive(s: CommitteeStats) -> dict[str, Any]:
    """Every figure of the report that adds up across teams, in a comparable shape."""
    return {
        "measures": {m.rule_id: (m.fell_due, m.carried, m.on_time, m.late, m.outstanding, m.ended, m.excepted)
                     for m in s.measures},
        "trend": {m.rule_id: [(p.start, p.end, p.fell_due, p.carried, p.on_time, p.late, p.outstanding, p.ended,
                               p.excepted) for p in m.trend] for m in s.measures},
        "register": (s.children_on_register, s.registrations, s.re_registrations, s.deregistrations),
        "categories": Counter(s.register_by_category),
        "days_on_register": sorted(s.days_on_register),
        "babies": (s.babies_with_court.due, s.babies_with_court.in_time, s.babies_without_court.due,
                   s.babies_without_court.in_time),
        "cases": (s.open_cases, s.welsh_preference_cases),
        "letters": (s.letters_sent, s.welsh_letters_sent, s.welsh_letters_same_time),
        "by_team": Counter(s.open_cases_by_team),
    }


def total(parts: list[dict[str, Any]]) -> dict[str, Any]:
    """The sum of several :func:`additive` figures."""
    def add(a: tuple[int, ...], b: tuple[int, ...]) -> tuple[int, ...]:
        return tuple(x + y for x, y in zip(a, b, strict=True))

    out = parts[0]
    for p in parts[1:]:
        out = {
            "measures": {r: add(out["measures"][r], p["measures"][r]) for r in out["measures"]},
            "trend": {r: [(*a[:2], *add(a[2:], b[2:])) for a, b in zip(out["trend"][r], p["trend"][r], strict=True)]
                      for r in out["trend"]},
            "register": add(out["register"], p["register"]),
            "categories": out["categories"] + p["categories"],
            "days_on_register": sorted(out["days_on_register"] + p["days_on_register"]),
            "babies": add(out["babies"], p["babies"]),
            "cases": add(out["cases"], p["cases"]),
            "letters": add(out["letters"], p["letters"]),
            "by_team": out["by_team"] + p["by_team"],
        }
    return out


def make_council(srv: Any, laptops: Any) -> dict[str, Any]:
    """Teams A, B and C of the ``srv`` harness, each with a team manager's laptop (``laptops`` fixture) holding
    its team's casework, all synced; a senior manager (sian) and a performance officer (peris) with no team."""
    for team, manager in (("B", "bryn"), ("C", "catrin")):
        srv.team(team)
        srv.user(manager, "team_manager", team)
    srv.user("sian", "senior_manager", None)
    srv.user("peris", "performance_officer", None)
    made = {}
    for i, (team, manager) in enumerate((("A", "mari"), ("B", "bryn"), ("C", "catrin"))):
        laptop = laptops(manager)
        laptop.client = SyncClient.for_session(laptop.session, laptop.transport, batch_size=400, page_size=2000)
        seed_team(laptop.session, team, seed=21 + i)
        report = laptop.sync()
        why = srv.sql("SELECT entity, reason, min(message) AS m, count(*) FROM quarantine GROUP BY 1, 2")
        assert (report.refused, report.conflicts, report.parked, report.error) == (0, 0, 0, None), why
        assert report.acknowledged == report.sent > 0 and laptop.outbox() == []
        made[team] = laptop
    return made
