"""Sync-server benchmark: standalone, starts its own PostgreSQL on a temp dir and a server on 127.0.0.1.

    python bench/bench_server.py            # full run
    python bench/bench_server.py --quick    # smaller sizes, for a smoke test
    python bench/bench_server.py --push-only [--rounds 3]   # sections 1 and 5 only, turn about
    python bench/bench_server.py --apply-only [--rounds 4]  # the push parsed and applied in this process

Measures (all traffic to 127.0.0.1 only):
1. push of 10,000 changes (batches of 250) — changes/s;
2. first pull of a 500-case caseload (~100,000 rows) — rows/s;
3. a no-op sync (empty push + pull at the end of the cursor) — median latency;
4. 100 concurrent clients x 100 changes each (batches of 10) — p50/p95 request latency, changes/s;
5. the push apply rate as a ratio of a plain PostgreSQL insert of the same rows (unnest into a table).
``--apply-only`` times the server's own part without HTTP: each push's body parsed and validated
(``server.wire.parse_push``) and applied (``server.apply.apply_batch``) in this process against the
cluster, 5,000 changes a round in pushes of 250; it reports this process's CPU and its PostgreSQL
backend's per 100 changes (figures a loaded machine disturbs less than the HTTP bench's: run it turn about
with another checkout's code to compare two versions of the server).
Speed is reported, never asserted. Beside the wall clock, the push section gives the CPU the server process
spent on it (``server_cpu_s``), a figure the machine's load disturbs far less than the wall clock.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import psycopg
from psycopg.rows import dict_row

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from server import admin  # noqa: E402
from server.config import utc_now  # noqa: E402
from server.devdb import TempCluster, free_port  # noqa: E402
from server.migrator import migrate  # noqa: E402

PASSWORD = "bench password 123"


def start_server(dsn: str, pool: int, workers: int = 1,
                 entry: tuple[str, ...] = ("-m", "server.cli")) -> tuple[subprocess.Popen[bytes], str]:
    """One ``diogel-server`` on loopback, started by ``python ENTRY serve-args`` (the server's command line
    unless a bench wraps it), once it answers its health check."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, *entry, "--database-url", dsn, "--host", "127.0.0.1", "--port", str(port),
         "--pool-size", str(pool), "--max-body", str(16 * 1024 * 1024), "--workers", str(workers)],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            if httpx.get(f"{base}/v1/health", timeout=1).status_code == 200:
                return proc, base
        except httpx.TransportError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("server did not start")


def process_cpu(pid: int) -> float:
    """CPU seconds (user + system) a process has used so far (Linux ``/proc``)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cluster_cpu(pg: TempCluster) -> float:
    """CPU seconds used so far by the cluster's postmaster and every backend it started (the finished
    ones included only while alive: the bench's connections stay open through a measurement)."""
    postmaster = int((pg.datadir / "postmaster.pid").read_text().split()[0])
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # gone meanwhile
        if int(entry.name) == postmaster or int(fields[1]) == postmaster:
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def login(client: httpx.Client, username: str) -> tuple[dict[str, str], str]:
    r = client.post("/v1/login", json={"username": username, "password": PASSWORD})
    r.raise_for_status()
    body = r.json()
    return {"Authorization": f"Bearer {body['token']}"}, body["user"]["id"]


def make_ops(actor: str, device: str, cases: list[str], n: int) -> list[dict]:
    ops = []
    for i in range(n):
        case = cases[i % len(cases)]
        ops.append({
            "op_id": str(uuid.uuid4()), "entity": "cp_visit", "entity_id": str(uuid.uuid4()), "case_id": case,
            "kind": "insert", "fields": {"visited_on": "2026-11-20", "visitor_id": actor, "location": "home",
                                         "observations": f"visit {i} " + "x" * 120},
            "base": {}, "base_version": 0, "append_only": True, "actor": actor, "device_id": device,
            "local_time": "2026-11-23T10:00:00",
        })  # fmt: skip
    return ops


def seed_caseload(dsn: str, worker: str, team: str, n_cases: int, rows_per_case: int) -> list[str]:
    """Allocate cases to ``worker`` and store rows straight into the row store (setup, not measured)."""
    cases = [str(uuid.uuid4()) for _ in range(n_cases)]
    with psycopg.connect(dsn, row_factory=dict_row) as conn:
        for c in cases:
            admin.allocate(conn, uuid.UUID(c), team, worker, now=utc_now())
        conn.execute(
            "INSERT INTO rows (entity, id, case_id, scope_id, data, field_meta, version, seq, append_only,"
            " created_at, updated_at)"
            " SELECT 'note', gen_random_uuid(), c::uuid, c::uuid,"
            "  jsonb_build_object('text', repeat('n', 150), 'i', g), '{}'::jsonb, s, s, true, now(), now()"
            " FROM (SELECT c, g, nextval('change_seq') AS s FROM unnest(%s::text[]) AS c,"
            "       generate_series(1, %s) AS g) AS q",
            (cases, rows_per_case),
        )
    return cases


def push_and_plain(client: httpx.Client, pg: TempCluster, auth: dict[str, str], ops: list[dict], pid: int,
                   table: str) -> dict[str, float]:
    """1. push ``ops`` in batches of 250 over HTTP; 5. the same rows inserted plainly into PostgreSQL (one
    table, unnest, the same batches), straight after, so both see the same load. Beside the wall clock:
    the CPU of the server process, of PostgreSQL and of this process (the laptop's part: its JSON, its
    HTTP) for the push, of this process and of PostgreSQL for the plain insert."""
    dsn = pg.dsn()
    cpu0, pg0, me0, t0 = process_cpu(pid), cluster_cpu(pg), time.process_time(), time.perf_counter()
    for i in range(0, len(ops), 250):
        r = client.post("/v1/push", json={"ops": ops[i : i + 250]}, headers=auth)
        r.raise_for_status()
        assert all(x["status"] == "applied" for x in r.json()["results"])
    dt, cpu, pg_push = time.perf_counter() - t0, process_cpu(pid) - cpu0, cluster_cpu(pg) - pg0
    client = time.process_time() - me0
    with psycopg.connect(dsn) as conn:
        conn.execute(f"CREATE TABLE {table} (entity text, id uuid PRIMARY KEY, case_id uuid, data jsonb)")
        conn.commit()
        me0, pg0, t0 = time.process_time(), cluster_cpu(pg), time.perf_counter()
        for i in range(0, len(ops), 250):
            chunk = ops[i : i + 250]
            conn.execute(
                f"INSERT INTO {table} SELECT * FROM unnest(%s::text[], %s::uuid[], %s::uuid[], %s::jsonb[])",
                ([o["entity"] for o in chunk], [str(uuid.uuid4()) for _ in chunk],
                 [o["case_id"] for o in chunk], [json.dumps(o["fields"]) for o in chunk]),
            )  # fmt: skip
            conn.commit()
        plain_dt, me, pg_plain = time.perf_counter() - t0, time.process_time() - me0, cluster_cpu(pg) - pg0
    n = len(ops)

    def per_100(seconds: float) -> float:
        return round(seconds / n * 100_000, 1)

    return {"changes": n, "seconds": round(dt, 2), "changes_per_s": round(n / dt), "server_cpu_s": round(cpu, 2),
            "server_cpu_ms_per_100": per_100(cpu), "postgres_cpu_ms_per_100": per_100(pg_push),
            "client_cpu_ms_per_100": per_100(client),
            "plain_rows_per_s": round(n / plain_dt), "plain_client_cpu_ms_per_100": per_100(me),
            "plain_postgres_cpu_ms_per_100": per_100(pg_plain), "ratio": round(plain_dt / dt, 3)}  # fmt: skip


def apply_in_process(dsn: str, username: str, cases: list[str], rounds: int) -> list[dict[str, float]]:
    """The push's parse and apply in this process (no HTTP), one connection as the server's pool gives;
    per round this process's CPU and its backend's per 100 changes (see the module docstring)."""
    import gc

    from server import apply
    from server.auth import User
    from server.config import Settings
    from server.wire import parse_push

    with psycopg.connect(dsn, row_factory=dict_row) as conn:
        r = conn.execute("SELECT id, username, display_name, role, team_id, is_admin FROM users"
                         " WHERE username = %s", (username,)).fetchone()  # fmt: skip
    assert r is not None
    user, settings = User(**r), Settings(database_url=dsn)
    apply.warm_up()
    out = []
    with psycopg.connect(dsn, row_factory=dict_row) as conn:
        backend = conn.execute("SELECT pg_backend_pid() AS p").fetchone()["p"]  # type: ignore[index]
        conn.commit()

        def push(body: bytes) -> None:
            ops = parse_push(json.loads(body), 1000).ops
            with conn.transaction():
                results = apply.apply_batch(conn, settings, user, ops)
            assert all(x["status"] == "applied" for x in results)

        push(json.dumps({"ops": make_ops(str(user.id), "apply-dev", cases, 10)}).encode())  # as if running
        apply.settle_heap()  # as the server does once started
        n = 5000
        for _ in range(rounds):
            bodies = [json.dumps({"ops": make_ops(str(user.id), "apply-dev", cases, 250)}).encode()
                      for _ in range(n // 250)]  # fmt: skip
            me0, pg0, t0 = time.process_time(), process_cpu(backend), time.perf_counter()
            for body in bodies:
                push(body)
            out.append({"changes": n, "server_cpu_ms_per_100": round((time.process_time() - me0) / n * 100_000, 2),
                        "postgres_cpu_ms_per_100": round((process_cpu(backend) - pg0) / n * 100_000, 2),
                        "wall_ms_per_100": round((time.perf_counter() - t0) / n * 100_000, 2)})  # fmt: skip
    gc.unfreeze()
    return out


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--workers", type=int, default=1, help="server worker processes")
    ap.add_argument("--push-only", action="store_true", help="sections 1 and 5 only")
    ap.add_argument("--rounds", type=int, default=1, help="push + plain insert rounds, turn about (best reported)")
    ap.add_argument("--apply-only", action="store_true", help="the push parsed and applied in this process")
    args = ap.parse_args()
    n_push = 2000 if args.quick else 10_000
    n_cases, per_case = (100, 40) if args.quick else (500, 200)
    n_clients, per_client = (20, 50) if args.quick else (100, 100)
    results: dict[str, object] = {}

    with TempCluster() as pg:
        dsn = pg.dsn()
        migrate(dsn)
        with psycopg.connect(dsn, row_factory=dict_row) as conn:
            admin.create_team(conn, "A", utc_now())
            admin.create_user(conn, "pusher", PASSWORD, "social_worker", "A", now=utc_now())
            admin.create_user(conn, "caseload", PASSWORD, "social_worker", "A", now=utc_now())
            for i in range(n_clients):
                admin.create_user(conn, f"c{i}", PASSWORD, "social_worker", "A", now=utc_now())
        push_cases = [str(uuid.uuid4()) for _ in range(50)]
        with psycopg.connect(dsn, row_factory=dict_row) as conn:
            for c in push_cases:
                admin.allocate(conn, uuid.UUID(c), "A", "pusher", now=utc_now())
        if args.apply_only:
            rounds_in_process = apply_in_process(dsn, "pusher", push_cases, max(args.rounds, 1))
            for rnd, got in enumerate(rounds_in_process, start=1):
                print(json.dumps({"round": rnd, **got}), file=sys.stderr)
            print(json.dumps({"apply_in_process": {
                "server_cpu_ms_per_100_median": round(statistics.median(r["server_cpu_ms_per_100"] for r in rounds_in_process), 2),
                "postgres_cpu_ms_per_100_median": round(statistics.median(
                    r["postgres_cpu_ms_per_100"] for r in rounds_in_process), 2)}}, indent=2))  # fmt: skip
            return 0
        proc, base = start_server(dsn, pool=20, workers=args.workers)
        try:
            with httpx.Client(base_url=base, timeout=120) as client:
                auth, actor = login(client, "pusher")
                # A server that has been running: one small push first, not timed.
                client.post("/v1/push", json={"ops": make_ops(actor, "bench-dev", push_cases, 10)},
                            headers=auth).raise_for_status()  # fmt: skip
                rounds = []
                for rnd in range(args.rounds):
                    ops = make_ops(actor, "bench-dev", push_cases, n_push)
                    rounds.append(push_and_plain(client, pg, auth, ops, proc.pid, f"plain{rnd}"))
                    print(json.dumps({"round": rnd + 1, **rounds[-1]}), file=sys.stderr)
                best = max(rounds, key=lambda r: r["ratio"])
                results["push"] = {k: best[k] for k in ("changes", "seconds", "changes_per_s", "server_cpu_s",
                                                        "server_cpu_ms_per_100", "postgres_cpu_ms_per_100",
                                                        "client_cpu_ms_per_100")}  # fmt: skip
                results["apply_vs_plain_insert"] = {
                    "plain_rows_per_s": best["plain_rows_per_s"],
                    "plain_client_cpu_ms_per_100": best["plain_client_cpu_ms_per_100"],
                    "plain_postgres_cpu_ms_per_100": best["plain_postgres_cpu_ms_per_100"],
                    "server_changes_per_s": best["changes_per_s"],
                    "ratio": best["ratio"],
                    "ratios_all_rounds": [r["ratio"] for r in rounds],
                }
                if args.push_only:
                    print(json.dumps(results, indent=2))
                    return 0

                # 2. first pull of a 500-case caseload
                seed_caseload(dsn, "caseload", "A", n_cases, per_case)
                auth2, _ = login(client, "caseload")
                t0 = time.perf_counter()
                cursor, total = None, 0
                while True:
                    params = {"limit": 5000, **({"cursor": cursor} if cursor else {})}
                    page = client.get("/v1/pull", params=params, headers=auth2).json()
                    total += len(page["changes"])
                    cursor = page["cursor"]
                    if not page["has_more"]:
                        break
                dt = time.perf_counter() - t0
                results["first_pull"] = {"cases": n_cases, "rows": total, "seconds": round(dt, 2),
                                         "rows_per_s": round(total / dt)}  # fmt: skip
                t0 = time.perf_counter()
                v = client.get("/v1/verify", headers=auth2).json()
                results["verify"] = {
                    "rows": v["total"]["rows"],
                    "seconds": round(time.perf_counter() - t0, 3),
                }

                # 3. no-op sync
                lat = []
                for _ in range(20):
                    t0 = time.perf_counter()
                    client.post("/v1/push", json={"ops": []}, headers=auth2).raise_for_status()
                    page = client.get("/v1/pull", params={"cursor": cursor}, headers=auth2).json()
                    assert page["changes"] == []
                    lat.append(time.perf_counter() - t0)
                results["noop_sync"] = {"median_ms": round(statistics.median(lat) * 1000, 1),
                                        "p95_ms": round(pct(lat, 95) * 1000, 1)}  # fmt: skip

            # 4. concurrent clients
            logins = []
            with httpx.Client(base_url=base, timeout=120) as client:
                for i in range(n_clients):
                    a, uid = login(client, f"c{i}")
                    case = str(uuid.uuid4())
                    with psycopg.connect(dsn, row_factory=dict_row) as conn:
                        admin.allocate(conn, uuid.UUID(case), "A", f"c{i}", now=utc_now())
                    logins.append((a, uid, case))
            latencies: list[float] = []

            def client_run(i: int) -> list[float]:
                a, uid, case = logins[i]
                ops = make_ops(uid, f"dev{i}", [case], per_client)
                out = []
                with httpx.Client(base_url=base, timeout=120) as c:
                    for j in range(0, per_client, 10):
                        t0 = time.perf_counter()
                        r = c.post("/v1/push", json={"ops": ops[j : j + 10]}, headers=a)
                        r.raise_for_status()
                        out.append(time.perf_counter() - t0)
                    t0 = time.perf_counter()
                    c.get("/v1/pull", headers=a).raise_for_status()
                    out.append(time.perf_counter() - t0)
                return out

            t0 = time.perf_counter()
            with ThreadPoolExecutor(max_workers=n_clients) as ex:
                for lst in ex.map(client_run, range(n_clients)):
                    latencies.extend(lst)
            dt = time.perf_counter() - t0
            results["concurrent"] = {
                "clients": n_clients,
                "changes": n_clients * per_client,
                "seconds": round(dt, 2),
                "changes_per_s": round(n_clients * per_client / dt),
                "p50_ms": round(pct(latencies, 50) * 1000, 1),
                "p95_ms": round(pct(latencies, 95) * 1000, 1),
            }
        finally:
            proc.terminate()
            proc.wait(10)
    print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
