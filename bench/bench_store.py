"""Saving a visit-sized record (one visit row with its observations, about 1.5 KB): row + outbox +
audit in one encrypted transaction through the writer thread, p50/p95, and the ratio to a plain
unencrypted sqlite3 insert of the same row with the same durability (WAL, synchronous=FULL) in the
same run (target p95 ≤ 15 ms,
ratio ≤ 5×). Never run as a timed test.

    python bench/bench_store.py [--saves 500]
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.synthetic import create_profile, populate  # noqa: E402

OBSERVATIONS = ("Seren was seen alone in her bedroom; she showed me her drawings and said she feels safer "
                "since Dafydd moved out. The kitchen was clean and there was food in the fridge. ") * 6


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def visit_row(case_id: str, visitor: str) -> dict:
    return {"visited_on": "2026-11-20", "visited_at": "2026-11-20T10:30", "visitor_id": visitor, "location": "home",
            "announced": 0, "others_present": "Gwenllïan Tŵr (mother)", "observations": OBSERVATIONS}


def bench_encrypted(saves: int) -> list[float]:
    with tempfile.TemporaryDirectory() as tmp:
        session = create_profile(Path(tmp) / "p", fast_kdf=True)
        populate(session, 200)
        case_id = session.store.rows("SELECT id FROM case_file LIMIT 1")[0]["id"]
        timings = []
        for _ in range(saves):
            start = time.perf_counter()

            def save(tx) -> None:
                tx.insert("cp_visit", visit_row(case_id, session.user.id), case_id=case_id)

            session.write(save)
            timings.append((time.perf_counter() - start) * 1000)
        session.close()
        return timings


def bench_plain(saves: int) -> list[float]:
    with tempfile.TemporaryDirectory() as tmp:
        conn = sqlite3.connect(Path(tmp) / "plain.db", isolation_level=None)
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")  # the same durability as the store
        conn.execute("CREATE TABLE cp_visit (id TEXT PRIMARY KEY, case_id TEXT, visited_on TEXT, visited_at TEXT,"
                     " visitor_id TEXT, location TEXT, announced INTEGER, others_present TEXT, observations TEXT)")
        timings = []
        for _ in range(saves):
            row = visit_row("case", "me")
            start = time.perf_counter()
            conn.execute("BEGIN")
            conn.execute("INSERT INTO cp_visit VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                         [str(uuid.uuid4()), "case", *row.values()])
            conn.execute("COMMIT")
            timings.append((time.perf_counter() - start) * 1000)
        conn.close()
        return timings


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--saves", type=int, default=500)
    args = parser.parse_args()
    enc, plain = bench_encrypted(args.saves), bench_plain(args.saves)
    result = {
        "visit_save_p50_ms": round(statistics.median(enc), 2),
        "visit_save_p95_ms": round(percentile(enc, 95), 2),
        "plain_insert_p50_ms": round(statistics.median(plain), 3),
        "plain_insert_p95_ms": round(percentile(plain, 95), 3),
        "ratio_p50": round(statistics.median(enc) / statistics.median(plain), 1),
        "ratio_p95": round(percentile(enc, 95) / percentile(plain, 95), 1),
    }
    print(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
