"""Sync-client benchmark: real encrypted profiles syncing with a real server on 127.0.0.1.

    python bench/bench_sync_client.py            # 300 cases x 10 visits (~4,500 changes)
    python bench/bench_sync_client.py --quick    # 40 cases x 5 visits

Starts its own PostgreSQL (temp dir) and server process. Measures, on the client side:
1. push of a laptop's outbox (every change recorded through the store, so outbox + audit are real) — ops/s;
2. a colleague's first sync of that caseload (profile made by signing in: pull + verification) — rows/s;
3. verification alone (server counts + the local per-scope checksum) — ms;
4. a no-op sync (nothing to send or receive) — median ms.
Speed is reported, never asserted.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

import psycopg
from psycopg.rows import dict_row

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.bench_server import PASSWORD, start_server  # noqa: E402
from desktop.store.crypto import KdfParams  # noqa: E402
from desktop.sync.client import SyncClient  # noqa: E402
from desktop.sync.enroll import create_profile_from_server  # noqa: E402
from desktop.sync.transport import Transport  # noqa: E402
from desktop.sync.verify import local_summary  # noqa: E402
from server import admin  # noqa: E402
from server.config import utc_now  # noqa: E402
from server.devdb import TempCluster  # noqa: E402
from server.migrator import migrate  # noqa: E402


def record_caseload(session, cases: int, visits: int) -> int:
    """Cases with a subject, an address and visits, recorded as a worker would (outbox + audit)."""
    made = 0
    for n in range(cases):

        def write(tx, n=n) -> int:
            case = str(uuid.uuid4())
            pid = tx.insert("person", {"given_names": "Seren", "family_name": f"Tŵr {n}", "date_of_birth": "2018-04-01"})["id"]
            tx.insert("address", {"person_id": pid, "line1": f"{n} Heol y Dderwen", "town": "Caerfyrddin"})
            tx.insert("case_file", {"id": case, "reference": f"B-{n:05d}", "case_type": "child_protection",
                                    "team_id": session.user.team_id, "allocated_worker_id": session.user.id,
                                    "opened_on": "2026-01-05"}, case_id=case)  # fmt: skip
            tx.insert("case_member", {"person_id": pid, "role": "subject"}, case_id=case)
            for v in range(visits):
                tx.insert("cp_visit", {"visited_on": "2026-11-20", "visitor_id": session.user.id, "location": "home",
                                       "observations": f"Seen alone; visit {v}. " * 8}, case_id=case)  # fmt: skip
            return 4 + visits

        made += session.write(write)
    return made


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args()
    cases, visits = (40, 5) if args.quick else (300, 10)
    kdf = KdfParams.fresh(time_cost=1, memory_cost=8192, parallelism=1)
    out: dict[str, object] = {"cases": cases, "visits_per_case": visits}
    with TempCluster() as pg, tempfile.TemporaryDirectory() as tmp:
        dsn = pg.dsn()
        migrate(dsn)
        with psycopg.connect(dsn, row_factory=dict_row) as conn:
            admin.create_team(conn, "A", utc_now())
            admin.create_user(conn, "wendy", PASSWORD, "social_worker", "A", now=utc_now())
            admin.create_user(conn, "mari", PASSWORD, "team_manager", "A", now=utc_now())
        proc, base = start_server(dsn, pool=10)
        try:
            tw = Transport(base)
            wendy, _ = create_profile_from_server(Path(tmp) / "w", tw, "wendy", PASSWORD, kdf=kdf)
            t0 = time.perf_counter()
            ops = record_caseload(wendy, cases, visits)
            out["record_ops_per_s"] = round(ops / (time.perf_counter() - t0))
            client = SyncClient.for_session(wendy, tw)
            t0 = time.perf_counter()
            report = client.push()
            dt = time.perf_counter() - t0
            out["push"] = {"ops": report.acknowledged, "seconds": round(dt, 2), "ops_per_s": round(report.acknowledged / dt)}
            client.sync()

            tm = Transport(base)
            t0 = time.perf_counter()
            mari, first = create_profile_from_server(Path(tmp) / "m", tm, "mari", PASSWORD, kdf=kdf)
            dt = time.perf_counter() - t0
            out["first_sync"] = {"rows": first.received, "seconds": round(dt, 2),
                                 "rows_per_s": round(first.received / dt), "verified": first.verified}  # fmt: skip
            mc = SyncClient.for_session(mari, tm)
            t0 = time.perf_counter()
            comp = mc.verify()
            out["verify_ms"] = round((time.perf_counter() - t0) * 1000, 1)
            t0 = time.perf_counter()
            local_summary(mari.store)
            out["local_checksum_ms"] = round((time.perf_counter() - t0) * 1000, 1)
            out["verify_ok"] = comp.ok
            noop = []
            for _ in range(10):
                t0 = time.perf_counter()
                mc.sync()
                noop.append((time.perf_counter() - t0) * 1000)
            out["noop_sync_ms_median"] = round(statistics.median(noop), 1)
            for s in (wendy, mari):
                s.store.close()
            tw.close()
            tm.close()
        finally:
            proc.terminate()
            proc.wait(10)
    print(json.dumps(out, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
