"""Synthetic data for benchmarks: N cases with people, addresses, allocations and visits.

Bulk-loaded straight into the encrypted store in one writer transaction (``executemany``): a
benchmark needs volume, not an audit trail of its own set-up, so these rows skip the outbox and
audit that real work writes. Names are drawn from Welsh and English lists so search sees
realistic text (ŵ, ŷ, ï included).

    python bench/synthetic.py --profile /tmp/bench-profile --cases 5000 --visits-per-child 20
"""

from __future__ import annotations

import argparse
import random
import sys
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

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
