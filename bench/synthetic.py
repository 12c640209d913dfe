"""Synthetic data for benchmarks: N cases with people, addresses, allocations and visits.

Bulk-loaded straight into the encrypted store in one writer transaction (``executemany``): a
benchmark needs volume, not an audit trail of its own set-up, so these rows skip the outbox and
audit that real work writes. Names are drawn from Welsh and English lists so search sees
realistic text (ŵ, ŷ, ï included).

    python bench/synthetic.py --profile /tmp/bench-profile --cases 5000 --visits-per-child 20
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from desktop.services.session import Session  # noqa: E402
from desktop.store.crypto import KdfParams  # noqa: E402

GIVEN = ["Seren", "Osian", "Gwenllïan", "Dafydd", "Elis", "Mali", "Nia", "Tomos", "Cerys", "Ioan", "Mason", "Ruby",
         "Tyler", "Lili", "Harri", "Ffion", "Aled", "Sophie", "Jack", "Amelia", "Llŷr", "Siôn", "Efa", "Noah"]
FAMILY = ["Jones", "Williams", "Davies", "Evans", "Thomas", "Roberts", "Hughes", "Lewis", "Morgan", "Griffiths",
          "Tŵr", "ap Llŷr", "Pritchard", "Price", "Rees", "Lloyd", "Parry", "Bevan", "Powell", "Owen"]
TOWNS = ["Caerfyrddin", "Llanelli", "Aberystwyth", "Rhydaman", "Llandeilo", "Aberteifi", "Hwlffordd"]
CASE_TYPES = ["child_protection"] * 5 + ["child_in_need"] * 3 + ["looked_after"] * 2 + ["adult_at_risk"] * 2

PASSWORD = "bench-password"


def create_profile(folder: Path, *, fast_kdf: bool = False) -> Session:
    kdf = KdfParams.fresh(time_cost=1, memory_cost=8192, parallelism=1) if fast_kdf else None
    return Session.create_profile(folder, given_names="Rhian", family_name="Evans", role="senior_manager",
                                  team_name="Tîm Diogelu Plant", password=PASSWORD, kdf=kdf)


def populate(session: Session, cases: int, visits_per_child: int = 0, seed: int = 7, *,
             case_types: list[str] | None = None, children_per_case: tuple[int, ...] = (1, 1, 2, 3),
             register: bool = False) -> dict[str, int]:
    """Add ``cases`` cases (subjects drawn from ``children_per_case``) and their visits; with
    ``register`` every child protection subject gets an active register entry. Returns row counts."""
    rng = random.Random(seed)
    today = date(2026, 11, 23)
    now = datetime.now(UTC).isoformat(timespec="milliseconds")
    me = session.user.id
    std = (now, me, now, me)
    has_visits = bool(session.store.rows("SELECT 1 FROM sqlite_master WHERE name = 'cp_visit_child'"))

    def load(tx) -> dict[str, int]:
        workers = [str(uuid.uuid4()) for _ in range(max(40, cases // 20))]  # about 20 cases each
        tx.db.conn.executemany(
            "INSERT INTO practitioner (id, case_id, created_at, created_by, updated_at, updated_by, given_names,"
            " family_name, app_role, team_id, scw_number, employed_by_social_services) VALUES"
            " (?, NULL, ?, ?, ?, ?, ?, ?, 'social_worker', ?, ?, 1)",
            [(w, *std, rng.choice(GIVEN), rng.choice(FAMILY), session.user.team_id, f"SW-{100000 + i}")
             for i, w in enumerate(workers)],
        )
        persons, addresses, case_rows, members, visits, visit_children, entries = [], [], [], [], [], [], []
        for n in range(cases):
            case_id = str(uuid.uuid4())
            family = rng.choice(FAMILY)
            worker = rng.choice(workers)
            case_type = rng.choice(case_types or CASE_TYPES)
            case_rows.append((case_id, case_id, *std, f"2026-{n + 1:05d}-BNCH", case_type,
                              session.user.team_id, worker, (today - timedelta(days=rng.randint(10, 900))).isoformat()))
            for _ in range(rng.choice(children_per_case)):
                pid = str(uuid.uuid4())
                dob = today - timedelta(days=rng.randint(30, 17 * 365))
                persons.append((pid, *std, rng.choice(GIVEN), family, dob.isoformat(), f"LA{rng.randint(0, 999999):06d}",
                                rng.choice(("cy", "en", "unknown"))))
                addresses.append((str(uuid.uuid4()), *std, pid, f"{rng.randint(1, 200)} Heol y Dderwen",
                                  rng.choice(TOWNS), "SA31 1AA"))
                members.append((str(uuid.uuid4()), case_id, *std, pid))
                if register and case_type == "child_protection":
                    entries.append((str(uuid.uuid4()), case_id, *std, pid,
                                    (today - timedelta(days=rng.randint(20, 700))).isoformat(), '["neglect"]', worker,
                                    (today + timedelta(days=rng.randint(-10, 120))).isoformat()))
                if has_visits:
                    for v in range(visits_per_child):
                        vid = str(uuid.uuid4())
                        day = (today - timedelta(days=v * 9 + rng.randint(0, 8))).isoformat()
                        visits.append((vid, case_id, *std, day, worker, "home", "Synthetic observations " * 4))
                        visit_children.append((str(uuid.uuid4()), case_id, *std, vid, pid, 1, rng.random() < 0.7,
                                               rng.random() < 0.6, rng.random() < 0.2, "Lived experience notes"))
        ex = tx.db.conn.executemany
        ex("INSERT INTO person (id, case_id, created_at, created_by, updated_at, updated_by, given_names, family_name,"
           " date_of_birth, la_number, correspondence_language) VALUES (?, NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?)", persons)
        ex("INSERT INTO address (id, case_id, created_at, created_by, updated_at, updated_by, person_id, line1, town,"
           " postcode) VALUES (?, NULL, ?, ?, ?, ?, ?, ?, ?, ?)", addresses)
        ex("INSERT INTO case_file (id, case_id, created_at, created_by, updated_at, updated_by, reference, case_type,"
           " team_id, allocated_worker_id, opened_on) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", case_rows)
        ex("INSERT INTO case_member (id, case_id, created_at, created_by, updated_at, updated_by, person_id, role)"
           " VALUES (?, ?, ?, ?, ?, ?, ?, 'subject')", members)
        if entries:
            ex("INSERT INTO register_entry (id, case_id, created_at, created_by, updated_at, updated_by, person_id,"
               " registered_on, categories, coordinator_id, status, next_review_on)"
               " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'active', ?)", entries)
        if has_visits:
            ex("INSERT INTO cp_visit (id, case_id, created_at, created_by, updated_at, updated_by, visited_on,"
               " visitor_id, location, observations) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", visits)
            ex("INSERT INTO cp_visit_child (id, case_id, created_at, created_by, updated_at, updated_by, visit_id,"
               " person_id, seen, seen_alone, seen_at_home, bedroom_seen, lived_experience)"
               " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", visit_children)
        return {"cases": len(case_rows), "persons": len(persons), "visits": len(visits), "registered": len(entries)}

    return session.write(load)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--profile", type=Path, required=True)
    parser.add_argument("--cases", type=int, default=5000)
    parser.add_argument("--visits-per-child", type=int, default=0)
    args = parser.parse_args()
    start = time.perf_counter()
    session = create_profile(args.profile)
    counts = populate(session, args.cases, args.visits_per_child)
    session.close()
    print(f"{counts} in {time.perf_counter() - start:.1f} s; password {PASSWORD!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())


# -- the whole authority, as the server holds it (bench/bench_figures.py) -----------------------------------

Row = tuple[str, str, str | None, str | None, dict]


def council_rows(children: int, visits_per_child: int, teams: list[str], worker: str, end: date,
                 seed: int = 21) -> Iterator[Row]:
    """A council's casework as server rows ``(entity, id, case_id, person_id, data)``: child protection cases of
    1 to 3 registered children (until ``children``), each child seen ``visits_per_child`` times between
    registration and ``end`` (one ``cp_visit`` and one ``cp_visit_child`` each), with strategy discussions,
    section 47 findings, conferences, core groups and letters; and adults at risk and looked-after children,
    one case for every ten children, so that every committee measure has something to count."""
    rng = random.Random(seed)
    made = 0
    n = 0

    def uid() -> str:
        return str(uuid.UUID(int=rng.getrandbits(128), version=4))

    def day(d: date) -> str:
        return d.isoformat()

    def person(pid: str, born: date, lang: str) -> Row:
        return ("person", pid, None, pid, {"given_names": rng.choice(GIVEN), "family_name": rng.choice(FAMILY),
                                           "date_of_birth": day(born), "correspondence_language": lang,
                                           "sex": rng.choice(("female", "male")), "unborn": 0})

    while made < children:
        n += 1
        case = uid()
        team = teams[n % len(teams)]
        opened = end - timedelta(days=rng.randint(400, 1100))
        closed = end - timedelta(days=rng.randint(1, 200)) if rng.random() < 0.1 else None
        yield ("case_file", case, case, None, {"reference": f"2026-{n:06d}-CP", "case_type": "child_protection",
                                               "team_id": team, "allocated_worker_id": None, "opened_on": day(opened),
                                               "closed_on": day(closed) if closed else None})
        parent = uid()
        yield person(parent, date(1985, 1, 1) + timedelta(days=rng.randint(0, 4000)), rng.choice(("cy", "en", "unknown")))
        yield ("case_member", uid(), case, parent, {"person_id": parent, "role": "parent"})
        kids = [uid() for _ in range(min(rng.choice((1, 2, 2, 3)), children - made))]
        made += len(kids)
        strategy = opened + timedelta(days=rng.randint(1, 6))
        registered = strategy + timedelta(days=rng.randint(8, 25))
        yield ("cp_strategy", uid(), case, None, {"child_ids": json.dumps(kids), "kind": "meeting",
                                                 "held_on": day(strategy), "decisions": "[]", "initiate_s47": 1})
        yield ("cp_conference", uid(), case, None, {"kind": "initial", "child_ids": json.dumps(kids), "status": "held",
                                                   "scheduled_on": day(registered), "held_on": day(registered)})
        last = closed or end
        off = registered + timedelta(days=rng.randint(200, 900)) if rng.random() < 0.3 else None
        if off is not None and off >= last:
            off = None
        for kid in kids:
            yield person(kid, end - timedelta(days=rng.randint(200, 6000)), "unknown")
            yield ("case_member", uid(), case, kid, {"person_id": kid, "role": "subject"})
            yield ("cp_enquiry", uid(), case, kid, {"person_id": kid, "started_on": day(strategy), "determination": 3,
                                                    "determined_on": day(strategy + timedelta(days=5))})
            yield ("register_entry", uid(), case, kid, {
                "person_id": kid, "registered_on": day(registered), "status": "deregistered" if off else "active",
                "categories": json.dumps(rng.sample(["neglect", "physical", "emotional", "sexual"], rng.randint(1, 2))),
                "deregistered_on": day(off) if off else None})
            span = ((off or last) - registered).days
            for v in range(visits_per_child):
                on = registered + timedelta(days=min(span, max(1, (v + 1) * span // visits_per_child
                                                               + rng.randint(-2, 2))))
                visit = uid()
                yield ("cp_visit", visit, case, None, {"visited_on": day(on), "visitor_id": worker, "location": "home",
                                                       "observations": "Synthetic observations " * 3,
                                                       "access_denied": 1 if rng.random() < 0.02 else 0})
                yield ("cp_visit_child", uid(), case, kid, {
                    "visit_id": visit, "person_id": kid, "seen": 1, "seen_alone": 1 if rng.random() < 0.75 else 0,
                    "seen_at_home": 1 if rng.random() < 0.6 else 0, "bedroom_seen": 0,
                    "lived_experience": "Lived experience notes"})
        group = registered
        while (group := group + timedelta(days=rng.randint(20, 50))) <= (off or last):
            yield ("cp_core_group", uid(), case, None, {"held_on": day(group)})
        review = registered
        while (review := review + timedelta(days=rng.randint(80, 190))) <= (off or last):
            yield ("cp_conference", uid(), case, None, {"kind": "review", "child_ids": json.dumps(kids),
                                                       "status": "held", "scheduled_on": day(review),
                                                       "held_on": day(review)})
        for lang in ("cy", "en"):
            printed = end - timedelta(days=rng.randint(0, 150))
            yield ("letter", uid(), case, None, {"template_id": "N9", "recipient_kind": "person",
                                                 "recipient_id": parent, "recipient_name": "Rhiant", "language": lang,
                                                 "data": "{}", "status": "printed", "source_event": f"m{n}",
                                                 "printed_at": f"{day(printed)}T10:00:00+00:00"})
        if n % 5 == 0:  # an adult at risk and a looked-after child beside every fifth family
            yield from _adult_and_looked_after(rng, uid, teams[n % len(teams)], worker, end, n)


def _adult_and_looked_after(rng: random.Random, uid: Callable[[], str], team: str, worker: str, end: date,
                            n: int) -> Iterator[Row]:
    case, adult = uid(), uid()
    opened = end - timedelta(days=rng.randint(30, 700))
    yield ("case_file", case, case, None, {"reference": f"2026-{n:06d}-AR", "case_type": "adult_at_risk",
                                           "team_id": team, "allocated_worker_id": None,
                                           "opened_on": opened.isoformat(), "closed_on": None})
    yield ("person", adult, None, adult, {"given_names": rng.choice(GIVEN), "family_name": rng.choice(FAMILY),
                                          "date_of_birth": "1944-05-01", "correspondence_language": "cy",
                                          "sex": "female", "unborn": 0})
    yield ("case_member", uid(), case, adult, {"person_id": adult, "role": "subject"})
    received = opened
    while received <= end:
        report = uid()
        yield ("adult_report", report, case, adult, {
            "person_id": adult, "received_at": f"{received.isoformat()}T09:00", "received_on": received.isoformat(),
            "received_by": worker, "source_type": rng.choice(("relevant_partner", "family", "public")),
            "concerns": "Pryder.", "suspected_categories": json.dumps(rng.sample(["neglect", "financial"], 1)),
            "consent_given": 1, "screening_decision": "enquiries", "police_informed": 0})
        done = received + timedelta(days=rng.randint(2, 12))
        if done <= end:
            yield ("adult_enquiry", uid(), case, adult, {"report_id": report, "person_id": adult,
                                                         "started_on": received.isoformat(),
                                                         "concluded_on": done.isoformat(), "determination": "3"})
        received += timedelta(days=rng.randint(60, 300))
    plan = uid()
    yield ("adult_plan", plan, case, adult, {"person_id": adult, "started_on": (opened + timedelta(days=14)).isoformat()})
    review = opened + timedelta(days=14)
    while (review := review + timedelta(days=rng.randint(30, 50))) <= end:
        yield ("adult_plan_review", uid(), case, None, {"plan_id": plan, "reviewed_on": review.isoformat(),
                                                        "outcome": "continue", "progress": "Cynnydd."})
    case, child, episode = uid(), uid(), uid()
    started = end - timedelta(days=rng.randint(10, 700))
    baby = n % 3 == 0
    yield ("case_file", case, case, None, {"reference": f"2026-{n:06d}-LA", "case_type": "looked_after",
                                           "team_id": team, "allocated_worker_id": None,
                                           "opened_on": started.isoformat(), "closed_on": None})
    born = started - timedelta(days=60 if baby else 3000)
    yield ("person", child, None, child, {"given_names": rng.choice(GIVEN), "family_name": rng.choice(FAMILY),
                                          "date_of_birth": born.isoformat(), "correspondence_language": "en",
                                          "sex": "male", "unborn": 0})
    yield ("case_member", uid(), case, child, {"person_id": child, "role": "subject"})
    yield ("lac_episode", episode, case, child, {"person_id": child, "started_on": started.isoformat(),
                                                 "legal_status": "full_care_order"})
    review = started
    while (review := review + timedelta(days=rng.randint(25, 170))) <= end:
        yield ("lac_review", uid(), case, child, {"person_id": child, "episode_id": episode,
                                                  "held_on": review.isoformat(), "chair_id": worker})
    if baby:
        yield ("lac_placement", uid(), case, child, {
            "person_id": child, "episode_id": episode, "placement_type": "foster", "line1": "1 Heol y Nant",
            "permanent_home": 1, "start_on": (started + timedelta(days=rng.randint(20, 150))).isoformat()})


def pulled_changes(source: Session, rng: random.Random) -> list[dict[str, Any]]:
    """Every team, worker, person, case and membership of ``source`` as the changes of one pull, in ``rng``'s
    order (a row may come before what it refers to: the client parks it and applies it at the end of the page)."""
    changes = []
    for table in ("team", "practitioner", "person", "case_file", "case_member"):
        for row in source.store.rows(f"SELECT * FROM [{table}]"):  # noqa: S608 - fixed names
            data = {k: v for k, v in row.items() if k not in ("version", "deleted")}
            changes.append({"entity": table, "id": row["id"], "case_id": row.get("case_id"), "version": 1,
                            "deleted": False, "data": data})
    rng.shuffle(changes)
    return changes
