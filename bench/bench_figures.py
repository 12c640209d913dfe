"""The authority's figures on the server (issue 21): the committee report over 20,000 children and 2,000,000
visits, standalone — its own PostgreSQL on a temp dir, synthetic rows (bench/synthetic.py: council_rows)
loaded straight into the row store with COPY.

    python bench/bench_figures.py            # 20,000 children, 100 visits each
    python bench/bench_figures.py --quick    # 2,000 children, 50 visits each
    python bench/bench_figures.py --dsn URL  # measure a database loaded by an earlier run (load(), kept)

Measures, each the median of three runs after one warm-up:
1. the council-wide committee report: every figure (the laptop's own code over ServerRows, one REPEATABLE
   READ snapshot) and the bilingual PDF, as ``diogel-server report committee`` makes it;
   1b. the same report with the children's visits read out of the JSON row store, as before migration 0022
   gave them typed columns (``ServerRows(typed=False)``: the same figures, checked);
2. of that, reading the rows the figures need out of PostgreSQL;
3. one team's report;
4. the statistical returns (children.csv and adults.csv);
and the plain baseline from the same run: one PostgreSQL query reading every visit once (count per child of
the visits and of the children's visit rows). Speed is reported, never asserted.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import psycopg
from psycopg import IsolationLevel
from psycopg.rows import dict_row
from psycopg.types.json import Jsonb

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.synthetic import council_rows  # noqa: E402
from desktop.domain.calendar import default_calendar  # noqa: E402
from desktop.domain.rules import RuleSet  # noqa: E402
from desktop.services.committee_figures import compute_stats  # noqa: E402
from desktop.services.committee_source import Tables, committee_reads  # noqa: E402
from server import admin, figures, returns  # noqa: E402
from server.auth import User  # noqa: E402
from server.devdb import TempCluster  # noqa: E402
from server.migrator import migrate  # noqa: E402

END = date(2026, 11, 20)
START = date(2026, 8, 1)
NOW = datetime(2026, 11, 23, 10, tzinfo=UTC)
TEAMS = [f"Tîm {n}" for n in ("Gogledd", "De", "Dwyrain", "Gorllewin", "Canol", "Arfordir", "Cymoedd", "Dinas")]


def load(dsn: str, children: int, visits: int) -> dict[str, int]:
    with psycopg.connect(dsn, row_factory=dict_row) as conn:
        team_ids = [admin.create_team(conn, name, NOW) for name in TEAMS]
        sm = admin.create_user(conn, "uwch", "bench password 1", "senior_manager", None, now=NOW)
        conn.commit()
    counts: dict[str, int] = {}
    seq = 1000
    with psycopg.connect(dsn) as conn:
        with conn.cursor() as cur, cur.copy(
                "COPY rows (entity, id, case_id, person_id, scope_id, data, field_meta, version, seq, deleted,"
                " append_only, created_at, updated_at) FROM STDIN") as copy:
            allocation = []
            for entity, row_id, case_id, person_id, data in council_rows(children, visits, [str(t) for t in team_ids],
                                                                         str(sm), END):
                seq += 1
                counts[entity] = counts.get(entity, 0) + 1
                scope = case_id or (row_id if entity == "person" else person_id)
                copy.write_row((entity, row_id, case_id, person_id, scope, Jsonb(data), Jsonb({}), seq, seq, False,
                                entity in ("cp_visit", "cp_visit_child", "cp_core_group"), NOW, NOW))
                if entity == "case_file":
                    allocation.append((case_id, data["team_id"], data["case_type"]))
        with conn.cursor() as cur, cur.copy("COPY cases (case_id, team_id, case_type) FROM STDIN") as copy:
            for row in allocation:
                copy.write_row(row)
        conn.execute("SELECT setval('change_seq', %s)", (seq,))
        conn.commit()
        conn.autocommit = True
        conn.execute("VACUUM ANALYZE rows")
    return counts


def timed(fn: Callable[[], Any], runs: int = 3) -> tuple[float, Any]:
    fn()  # warm-up: PostgreSQL's caches and Python's imports
    times, got = [], None
    for _ in range(runs):
        t0 = time.perf_counter()
        got = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), got


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--dsn", help="an already loaded database (development): nothing is started or loaded")
    args = ap.parse_args()
    if args.dsn:
        return measure(args.dsn)
    children, visits = (2_000, 50) if args.quick else (20_000, 100)
    with TempCluster() as pg:
        dsn = pg.dsn()
        migrate(dsn)
        t0 = time.perf_counter()
        counts = load(dsn, children, visits)
        print(f"loaded {sum(counts.values()):,} rows (through the push path's triggers) in "
              f"{time.perf_counter() - t0:.0f} s: "
              f"{counts['person']:,} people, {counts['register_entry']:,} registered children, "
              f"{counts['cp_visit']:,} visits ({counts['cp_visit_child']:,} children's visit rows)", flush=True)
        return measure(dsn)


def measure(dsn: str) -> int:
    with psycopg.connect(dsn, row_factory=dict_row) as conn:
        r = conn.execute("SELECT id, username, display_name, role, team_id, is_admin FROM users"
                         " WHERE role = 'senior_manager'").fetchone()
        user = User(r["id"], r["username"], r["display_name"], r["role"], r["team_id"], r["is_admin"])
        size = conn.execute("SELECT pg_size_pretty(pg_total_relation_size('rows')) AS s").fetchone()["s"]
    asked = figures.Asked(user, "bench")
    print(f"row store: {size}", flush=True)

    def snapshot(fn: Callable[[psycopg.Connection[Any]], Any]) -> Any:
        with psycopg.connect(dsn, row_factory=dict_row) as conn:
            conn.isolation_level = IsolationLevel.REPEATABLE_READ
            got = fn(conn)
            conn.rollback()  # the bench leaves no audit rows behind
            return got

    def report(team: str | None = None) -> bytes:
        stats = snapshot(lambda c: figures.committee_stats(c, asked, START, END, team, now=NOW, today=END,
                                                           connect=lambda: psycopg.connect(dsn)))
        return figures.committee_report(stats, "bilingual")

    def report_from_json() -> tuple[bytes, Any]:
        def stats(c: psycopg.Connection[Any]) -> Any:
            rows = figures.ServerRows(c, connect=lambda: psycopg.connect(dsn), typed=False)
            return compute_stats(rows, START, END, RuleSet.load(), default_calendar())

        got = snapshot(stats)
        got.coverage = "council"
        return figures.committee_report(got, "bilingual"), got

    def read_rows() -> int:
        def read(c: psycopg.Connection[Any]) -> int:
            t = Tables(figures.ServerRows(c, connect=lambda: psycopg.connect(dsn)))
            t.prefetch(committee_reads())
            return sum(len(t(table, cols, present)) for table, cols, present in committee_reads())

        return snapshot(read)

    def baseline() -> int:
        return snapshot(lambda c: c.execute(
            "SELECT count(*) AS n FROM (SELECT data->>'person_id' AS p, count(*) FROM rows"
            " WHERE entity = 'cp_visit_child' AND NOT deleted GROUP BY 1) a,"
            " (SELECT count(*) FROM rows WHERE entity = 'cp_visit' AND NOT deleted"
            " AND data->>'visited_on' <= %s) b", (END.isoformat(),)).fetchone()["n"])

    def write_returns() -> dict[Path, int]:
        with tempfile.TemporaryDirectory() as d:
            return snapshot(lambda c: returns.write_returns(c, asked, START, END, "W06000010", Path(d), now=NOW,
                                                            today=END, connect=lambda: psycopg.connect(dsn)))

    cpu = time.process_time()
    t_report, pdf = timed(report)
    cpu = (time.process_time() - cpu) / 4
    print(f"1. council committee report (figures + bilingual PDF, {len(pdf) // 1024} KB): {t_report:.2f} s "
          f"(this process's CPU: {cpu:.2f} s a run; the load average was {os.getloadavg()[0]:.1f})", flush=True)
    t_json, (_pdf, from_json) = timed(report_from_json)
    typed = snapshot(lambda c: figures.committee_stats(c, asked, START, END, None, now=NOW, today=END,
                                                       connect=lambda: psycopg.connect(dsn)))
    same = "the same figures" if typed == from_json else "FIGURES DIFFER"
    print(f"1b.  the same report reading the children's visits out of the JSON (before migration 0022): "
          f"{t_json:.2f} s ({same}; the load average was {os.getloadavg()[0]:.1f})", flush=True)
    t_read, n_read = timed(read_rows)
    print(f"2.   of which reading the {n_read:,} rows the figures need: {t_read:.2f} s", flush=True)
    t_team, _pdf = timed(lambda: report(TEAMS[0]))
    print(f"3. one team's report: {t_team:.2f} s", flush=True)
    t_returns, written = timed(write_returns, runs=1)
    print(f"4. statistical returns ({', '.join(f'{p.name} {n:,} rows' for p, n in written.items())}): "
          f"{t_returns:.2f} s", flush=True)
    t_base, _n = timed(baseline)
    print(f"baseline: plain SQL reading every visit once: {t_base:.2f} s; the report is "
          f"{t_report / t_base:.1f}x that", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
