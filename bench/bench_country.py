"""A country on two instances: a load generator that plays a Monday morning (standalone, never in tests).

Starts its own PostgreSQL (a temporary cluster) and two ``diogel-server`` instances on 127.0.0.1 over it,
then simulates ``--laptops`` laptops (1,000 by default), each signed in as its own social worker with its
own caseload: the laptop pulls its caseload (every page, as a first pull does), then pushes the morning's
visits and edits (people's details changed against the version it pulled) in one batch, and pulls once
more to end its sync, as the real client's push → pull does. Laptops are spread over the two instances
(what a load balancer does) and at most ``--concurrency`` of them sync at once. Traffic is loopback only,
and the run is bounded by its sizes (nothing runs open-ended).

Afterwards the database itself is checked: every change sent is in the op log exactly once, every visit
is a row, every edit holds the value sent (0 lost), no change was applied twice (0 duplicated), nothing
was refused or in conflict, and every laptop received exactly its caseload.

    python bench/bench_country.py                       # 1,000 laptops
    python bench/bench_country.py --laptops 100 --quick

Reports (JSON): changes pushed per second over the whole run (sustained), rows pulled per second, the p50
and p95 of a laptop's whole sync and of single requests, errors, lost and duplicated, the CPU the servers,
PostgreSQL and the load generator each used (they share the machine's cores), and the machine's load.
Speed is reported, never asserted. The load generator is one asyncio process with its own minimal
HTTP/1.1 client (:class:`Client`), so that it takes as little as it can of the CPU it shares.

    python bench/bench_country.py --profile /tmp/prof    # each server's threads under cProfile (thread CPU)
    python bench/bench_country.py --statements           # PostgreSQL's time summed by statement
    python bench/bench_country.py --pg-stats             # pg_stat_statements: time, blocks, rows per statement
    python bench/bench_country.py --requests 4000        # the CPU of one bare request (GET /v1/me), apart
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import secrets
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import quote

import orjson
import psutil
import psycopg
from psycopg.rows import dict_row

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import bench_server  # noqa: E402
from bench.bench_server import pct  # noqa: E402
from server import admin  # noqa: E402
from server.auth import token_hash  # noqa: E402
from server.config import utc_now  # noqa: E402
from server.devdb import TempCluster  # noqa: E402
from server.migrator import migrate  # noqa: E402

T = TypeVar("T")

# A password hash nobody can sign in with: the bench's laptops signed in earlier (their tokens are made below).
NO_PASSWORD = "$argon2id$v=19$m=65536,t=3,p=4$bm90LWEtcGFzc3dvcmQ$bm90LWEtaGFzaA"


@dataclass
class Laptop:
    """One simulated laptop: its user, token, caseload and what it sent and received."""

    index: int
    user_id: uuid.UUID
    token: str
    cases: list[uuid.UUID]
    persons: list[uuid.UUID]
    expected_rows: int = 0
    pulled: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    sent_ops: list[str] = field(default_factory=list)
    outbox: list[dict[str, Any]] = field(default_factory=list)  # the visits recorded before the sync
    edit_ids: list[str] = field(default_factory=list)
    visits: list[str] = field(default_factory=list)
    edits: dict[str, str] = field(default_factory=dict)  # person id -> phone sent
    sync_seconds: float = 0.0
    requests: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    retries: int = 0


def setup(dsn: str, laptops: int, cases_each: int, visits_each: int, analyze: bool = True) -> list[Laptop]:
    """Teams, users with tokens, caseloads stored straight into the row store, then the statistics
    PostgreSQL plans by (``analyze``; setup, not measured)."""
    now = utc_now()
    out: list[Laptop] = []
    with psycopg.connect(dsn, row_factory=dict_row) as conn:
        teams = [admin.create_team(conn, f"Tîm {t}", now) for t in range(max(1, laptops // 50))]
        users, tokens, cases, rows = [], [], [], []
        for i in range(laptops):
            uid = uuid.uuid4()
            team = teams[i % len(teams)]
            users.append((uid, f"worker{i}", f"Gweithiwr {i}", team, NO_PASSWORD))
            token = secrets.token_urlsafe(32)
            tokens.append((token_hash(token), uid, f"laptop-{i}", now, now + timedelta(hours=12)))
            lap = Laptop(i, uid, token, [uuid.uuid4() for _ in range(cases_each)], [])
            for n, case in enumerate(lap.cases):
                cases.append((case, team, uid))
                rows.append(("case_file", case, case, None, case, {
                    "reference": f"2026-{i:05d}-{n}", "case_type": "child_protection", "opened_on": "2026-09-01",
                    "team_id": str(team), "allocated_worker_id": str(uid)}))  # fmt: skip
                for k in range(2):
                    person = uuid.uuid4()
                    lap.persons.append(person)
                    rows.append(("person", person, None, person, person, {
                        "given_names": f"Plentyn {k}", "family_name": f"Teulu {i}-{n}", "phone": "01234 000000"}))
                    rows.append(("case_member", uuid.uuid4(), case, person, case,
                                 {"person_id": str(person), "role": "subject"}))
                for v in range(visits_each):
                    rows.append(("cp_visit", uuid.uuid4(), case, None, case, {
                        "visited_on": f"2026-10-{v % 28 + 1:02d}", "visitor_id": str(uid), "location": "home",
                        "observations": "Ymweliad blaenorol / an earlier visit " * 3}))
            lap.expected_rows = cases_each * (1 + 2 + 2 + visits_each)
            out.append(lap)
        with conn.cursor() as cur:
            cur.executemany("INSERT INTO users (id, username, display_name, role, team_id, password_hash)"
                            " VALUES (%s, %s, %s, 'social_worker', %s, %s)", users)
            cur.executemany("INSERT INTO tokens (token_hash, user_id, device_id, created_at, expires_at)"
                            " VALUES (%s, %s, %s, %s, %s)", tokens)
            cur.executemany("INSERT INTO cases (case_id, team_id, worker_id) VALUES (%s, %s, %s)", cases)
            cur.executemany(
                "INSERT INTO allocation_history (case_id, team_id, worker_id, case_type, changed_by, changed_at)"
                " VALUES (%s, %s, %s, 'child_protection', 'bench', %s)", [(*c, now) for c in cases])
        conn.commit()
        admin.publish_all(conn, now)  # every user's practitioner row (reference data every laptop pulls)
        conn.execute(
            "INSERT INTO rows (entity, id, case_id, person_id, scope_id, data, field_meta, version, seq,"
            " append_only, created_at, updated_at)"
            " SELECT e, i::uuid, c::uuid, p::uuid, s::uuid, d::jsonb, '{}'::jsonb, q, q, e = 'cp_visit', now(), now()"
            " FROM (SELECT *, nextval('change_seq') AS q FROM unnest(%s::text[], %s::text[], %s::text[], %s::text[],"
            "       %s::text[], %s::text[]) AS u(e, i, c, p, s, d)) AS x",
            ([r[0] for r in rows], [str(r[1]) for r in rows], [str(r[2]) if r[2] else None for r in rows],
             [str(r[3]) if r[3] else None for r in rows], [str(r[4]) for r in rows],
             [json.dumps(r[5]) for r in rows]),
        )  # fmt: skip
        conn.commit()
    if analyze:
        # A council's database has statistics and a visibility map (autovacuum analyses and vacuums a
        # table as it grows); one bulk-loaded a moment ago has neither, and PostgreSQL would plan the
        # pull's reads blind and read the heap for every index entry (see docs/scaling.md).
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute("VACUUM ANALYZE")
            conn.execute("VACUUM rows")  # (the first pass leaves the freshly loaded pages not all-visible)
    return out


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process and of its children it has already reaped (PostgreSQL's backends)."""
    t = psutil.Process(pid).cpu_times()
    return t.user + t.system + t.children_user + t.children_system


def tree_cpu(pid: int) -> float:
    """CPU of a server process and of its live worker processes (``--workers``), each with what it reaped."""
    proc = psutil.Process(pid)
    return cpu_seconds(pid) + sum(cpu_seconds(c.pid) for c in proc.children(recursive=True))


def postgres_cpu(pg: TempCluster) -> float:
    """CPU of the whole PostgreSQL cluster so far: the postmaster, its finished backends and the live ones."""
    postmaster = int((pg.datadir / "postmaster.pid").read_text().split()[0])
    live = sum(c.cpu_times().user + c.cpu_times().system for c in psutil.Process(postmaster).children())
    return cpu_seconds(postmaster) + live


def start_server(dsn: str, pool: int, profile: Path | None, serve_args: tuple[str, ...] = (),
                 workers: int = 1) -> tuple[subprocess.Popen[bytes], str]:
    """One ``diogel-server`` on loopback (under cProfile, writing ``profile`` when it stops, if given),
    with ``serve_args`` added to its command line."""
    entry = ((str(Path(__file__).resolve()), "--serve-profiled", str(profile), "--") if profile
             else ("-m", "server.cli", "serve"))  # fmt: skip
    return bench_server.start_server(dsn, pool, workers, entry=(*entry, *serve_args))


def record_visits(lap: Laptop, visits: int, edits: int) -> None:
    """The morning's visits, recorded on the laptop before it syncs (its outbox: not timed, as a real
    laptop's were written during the day), and the op ids its edits will take. Ids are random version-4
    UUIDs, as ``uuid.uuid4`` makes them, drawn in one go."""
    actor = str(lap.user_id)
    stamp = {"local_time": "2027-01-04T09:00:00", "actor": actor, "device_id": f"laptop-{lap.index}"}
    ids = uuid4s(2 * visits + edits)
    for v in range(visits):
        vid = ids[2 * v + 1]
        lap.visits.append(vid)
        lap.outbox.append({"op_id": ids[2 * v], "entity": "cp_visit", "entity_id": vid,
                           "case_id": str(lap.cases[v % len(lap.cases)]), "kind": "insert", "base": {}, "base_version": 0,
                           "append_only": True, "fields": {"visited_on": "2027-01-04", "visitor_id": actor, "location": "home",
                                                           "observations": f"Ymweliad {v}: " + "x" * 150},
                           **stamp})  # fmt: skip
    lap.edit_ids = ids[2 * visits :]


def uuid4s(n: int) -> list[str]:
    """``n`` random version-4 UUIDs as text (what ``str(uuid.uuid4())`` gives), from one read of the OS's
    randomness."""
    raw = bytearray(os.urandom(16 * n))
    for i in range(0, len(raw), 16):
        raw[i + 6] = raw[i + 6] & 0x0F | 0x40  # version 4
        raw[i + 8] = raw[i + 8] & 0x3F | 0x80  # the RFC 4122 variant
    out = []
    for i in range(0, len(raw), 16):
        h = raw[i : i + 16].hex()
        out.append(f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}")
    return out


def ops_for(lap: Laptop, edits: int) -> list[dict[str, Any]]:
    """What the laptop pushes: the visits it recorded (:func:`record_visits`) and people's phone numbers
    changed against what it pulled."""
    ops = list(lap.outbox)
    stamp = {"local_time": "2027-01-04T09:00:00", "actor": str(lap.user_id), "device_id": f"laptop-{lap.index}"}
    for e in range(min(edits, len(lap.persons))):
        person = str(lap.persons[e])
        row = lap.pulled[("person", person)]
        phone = f"07700 {lap.index:03d}{e:03d}"
        lap.edits[person] = phone
        ops.append({"op_id": lap.edit_ids[e], "entity": "person", "entity_id": person, "case_id": None,
                    "kind": "update", "fields": {"phone": phone}, "base": {"phone": row["data"].get("phone")},
                    "base_version": row["version"], "append_only": False, **stamp})  # fmt: skip
    lap.sent_ops = [o["op_id"] for o in ops]
    return ops


RETRIES = 3


class Broken(Exception):
    """The connection closed or answered something that is not an HTTP/1.1 response with a length."""


@dataclass
class Answer:
    status: int
    body: bytes

    def json(self) -> Any:
        return orjson.loads(self.body)

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


class Client:
    """The load generator's HTTP/1.1 client: keep-alive connections to one loopback server, requests
    written as bytes and bodies read by Content-Length (what uvicorn sends). Far cheaper than a general
    client, so the load generator takes less of the CPU the servers share with it."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.idle: list[tuple[asyncio.StreamReader, asyncio.StreamWriter, float]] = []

    async def request(self, method: str, path: str, token: str, body: bytes = b"") -> Answer:
        now = time.monotonic()
        while self.idle:
            reader, writer, used = self.idle.pop()
            if now - used < 2:  # uvicorn closes a connection idle for 5 s: never reuse one near that
                break
            writer.close()
        else:
            reader, writer = await asyncio.open_connection(self.host, self.port)
        head = (f"{method} {path} HTTP/1.1\r\nHost: {self.host}\r\nAuthorization: Bearer {token}\r\n"
                f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n")  # fmt: skip
        try:
            writer.write(head.encode("ascii") + body)
            lines = (await reader.readuntil(b"\r\n\r\n")).split(b"\r\n")
            status = int(lines[0].split(b" ", 2)[1])
            fields = {k.strip().lower(): v.strip() for k, _, v in (x.partition(b":") for x in lines[1:] if x)}
            if b"content-length" not in fields:
                raise Broken("a response without Content-Length")
            data = await reader.readexactly(int(fields[b"content-length"]))
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError, IndexError) as e:
            writer.close()
            raise Broken(str(e)) from e
        if fields.get(b"connection", b"").lower() == b"close":
            writer.close()
        else:
            self.idle.append((reader, writer, time.monotonic()))
        return Answer(status, data)

    def close(self) -> None:
        for _r, writer, _t in self.idle:
            writer.close()
        self.idle.clear()


async def request(client: Client, lap: Laptop, method: str, path: str, body: bytes = b"") -> Answer:
    """One request as the laptop's client makes it: a connection that breaks is tried again (a pull is
    read-only, and a push repeated is answered from the op log), each retry counted and reported."""
    for attempt in range(RETRIES + 1):
        t0 = time.perf_counter()
        try:
            r = await client.request(method, path, lap.token, body)
        except Broken:
            if attempt == RETRIES:
                raise
            lap.retries += 1
            continue
        lap.requests.append(time.perf_counter() - t0)
        return r
    raise AssertionError("unreachable")


async def pull_all(client: Client, lap: Laptop, cursor: str | None) -> tuple[str | None, int]:
    rows = 0
    while True:
        path = "/v1/pull?limit=5000" + (f"&cursor={quote(cursor, safe='')}" if cursor else "")
        r = await request(client, lap, "GET", path)
        if r.status != 200:
            lap.errors.append(f"pull {r.status}: {r.text[:200]}")
            return cursor, rows
        page = r.json()
        for ch in page["changes"]:
            lap.pulled[(ch["entity"], ch["id"])] = ch
        rows += len(page["changes"])
        cursor = page["cursor"]
        if not page["has_more"]:
            return cursor, rows


async def sync(client: Client, lap: Laptop, edits: int) -> int:
    """One laptop's sync: pull its caseload, push the morning's work, pull again. Returns rows pulled."""
    t0 = time.perf_counter()
    cursor, pulled = await pull_all(client, lap, None)
    if not lap.errors:
        ops = ops_for(lap, edits)
        r = await request(client, lap, "POST", "/v1/push", orjson.dumps({"ops": ops}))
        if r.status != 200:
            lap.errors.append(f"push {r.status}: {r.text[:200]}")
        else:
            # A push repeated after a broken connection is answered "duplicate" with the first answer.
            bad = [x for x in r.json()["results"] if x["status"] != "applied" and not (
                x["status"] == "duplicate" and (x.get("original") or {}).get("status") == "applied")]
            lap.errors += [f"op {x['op_id']}: {x['status']} {x.get('reason', '')}" for x in bad]
        _cursor, more = await pull_all(client, lap, cursor)
        pulled += more
    lap.sync_seconds = time.perf_counter() - t0
    return pulled


async def run(bases: list[str], laptops: list[Laptop], edits: int, concurrency: int) -> tuple[float, int]:
    clients = [Client(*b.removeprefix("http://").split(":")) for b in bases]
    gate = asyncio.Semaphore(concurrency)

    async def one(lap: Laptop) -> int:
        async with gate:
            return await sync(clients[lap.index % len(clients)], lap, edits)

    try:
        t0 = time.perf_counter()
        pulled = sum(await asyncio.gather(*(one(lap) for lap in laptops)))
        return time.perf_counter() - t0, pulled
    finally:
        for c in clients:
            c.close()


async def bare_requests(base: str, laptops: list[Laptop], n: int) -> float:
    """``n`` GET /v1/me spread over the laptops, each on its own keep-alive connection (after 20 each
    untimed): what every request costs besides its own work — HTTP, the framework, the token check —
    with one small query of work (the user's cases). Returns the seconds taken."""
    host, port = base.removeprefix("http://").split(":")
    clients = [Client(host, int(port)) for _ in laptops]

    async def some(client: Client, lap: Laptop, k: int) -> None:
        for _ in range(k):
            r = await client.request("GET", "/v1/me", lap.token)
            if r.status != 200:
                raise RuntimeError(f"/v1/me {r.status}: {r.text[:200]}")

    try:
        await asyncio.gather(*(some(c, lap, 20) for c, lap in zip(clients, laptops, strict=True)))
        t0 = time.perf_counter()
        await asyncio.gather(*(some(c, lap, n // len(laptops)) for c, lap in zip(clients, laptops, strict=True)))
        return time.perf_counter() - t0
    finally:
        for c in clients:
            c.close()


def quiet_collector(fn: Callable[[], T]) -> T:
    """``fn()`` with the load generator's cyclic garbage collector off (what was there before frozen out
    of its sight), then back on. The laptops keep every row they pulled (a million and more dicts at
    1,000 laptops, for the checks afterwards), and Python's collector traversed them again and again:
    4.6 s of the load generator's CPU in a run, taken from the cores the servers and PostgreSQL share
    with it. A run is bounded, so what it leaves for the collector waits for the end of it."""
    gc.collect()
    gc.freeze()
    gc.disable()
    try:
        return fn()
    finally:
        gc.enable()
        gc.unfreeze()


def per_request(args: argparse.Namespace) -> int:
    """``--requests N``: the CPU one instance and PostgreSQL spend per bare request (see bare_requests)."""
    load_start = os.getloadavg()[0]
    with TempCluster() as pg:
        dsn = pg.dsn()
        migrate(dsn)
        laptops = setup(dsn, 8, args.cases, args.history)
        proc, base = start_server(dsn, args.pool_size, None, ("--loop", args.loop, "--http", args.http), args.workers)
        try:
            asyncio.run(bare_requests(base, laptops, 8 * 20))  # warm: the first requests of each connection
            cpu0 = tree_cpu(proc.pid), postgres_cpu(pg)
            seconds = asyncio.run(bare_requests(base, laptops, args.requests))
            cpu1 = tree_cpu(proc.pid), postgres_cpu(pg)
        finally:
            proc.terminate()
            proc.wait(30)
    n = args.requests // 8 * 8
    print(json.dumps({
        "requests": n, "path": "GET /v1/me", "connections": 8, "loop": args.loop, "http": args.http,
        "server_cpu_us_per_request": round((cpu1[0] - cpu0[0]) / n * 1e6),
        "postgres_cpu_us_per_request": round((cpu1[1] - cpu0[1]) / n * 1e6),
        "requests_per_s": round(n / seconds), "cores": os.cpu_count(),
        "load_average_start": round(load_start, 2), "load_average_end": round(os.getloadavg()[0], 2),
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
    }, indent=1))  # fmt: skip
    return 0


def check(dsn: str, laptops: list[Laptop]) -> dict[str, int]:
    """Lost and duplicated changes, refusals and conflicts, counted in the database itself."""
    sent = [o for lap in laptops for o in lap.sent_ops]
    visits = [v for lap in laptops for v in lap.visits]
    edits = {p: phone for lap in laptops for p, phone in lap.edits.items()}
    users = [lap.user_id for lap in laptops]
    with psycopg.connect(dsn, row_factory=dict_row) as conn:
        logged = conn.execute("SELECT op_id, count(*) AS n FROM ops WHERE op_id = ANY(%s::uuid[]) GROUP BY op_id",
                              (sent,)).fetchall()  # fmt: skip
        logged_ids = {str(r["op_id"]) for r in logged}
        extra_ops = conn.execute("SELECT count(*) AS n FROM ops WHERE user_id = ANY(%s) AND NOT (op_id = ANY(%s::uuid[]))",
                                 (users, sent)).fetchone()["n"]  # fmt: skip
        visit_rows = conn.execute("SELECT count(*) AS n, count(DISTINCT seq) AS s FROM rows WHERE entity = 'cp_visit'"
                                  " AND id = ANY(%s::uuid[])", (visits,)).fetchone()  # fmt: skip
        phones = {str(r["id"]): r["phone"] for r in conn.execute(
            "SELECT id, data->>'phone' AS phone FROM rows WHERE entity = 'person' AND id = ANY(%s::uuid[])",
            (list(edits),))}  # fmt: skip
        refused = conn.execute("SELECT count(*) AS n FROM quarantine WHERE user_id = ANY(%s)", (users,)).fetchone()["n"]
        conflicts = conn.execute("SELECT count(*) AS n FROM conflicts WHERE client_by = ANY(%s)", (users,)).fetchone()["n"]
        seqs = conn.execute("SELECT count(*) AS n, count(DISTINCT seq) AS d FROM rows").fetchone()
        reference = conn.execute("SELECT count(*) AS n FROM rows WHERE scope_id IS NULL").fetchone()["n"]
    lost = (len(set(sent) - logged_ids) + (len(visits) - visit_rows["n"])
            + sum(1 for p, phone in edits.items() if phones.get(p) != phone))  # fmt: skip
    duplicated = sum(r["n"] - 1 for r in logged) + extra_ops + (visit_rows["n"] - visit_rows["s"]) + (seqs["n"] - seqs["d"])
    short_pulls = sum(1 for lap in laptops
                      if sum(1 for (e, _i), ch in lap.pulled.items() if ch["case_id"] or e in ("person",))
                      < lap.expected_rows + len(lap.visits))  # fmt: skip
    return {"changes_sent": len(sent), "lost": lost, "duplicated": duplicated, "refused": refused,
            "conflicts": conflicts, "laptops_missing_rows": short_pulls, "reference_rows": reference}  # fmt: skip


def statement_times(log: Path, start: int) -> None:
    """Sum PostgreSQL's logged statement durations by statement (its first 100 characters), to stderr.
    They are wall times: on a machine short of cores they include waiting to run, so read them as where
    statements spend time, not as PostgreSQL's CPU (the report's ``cpu_seconds`` is that)."""
    import re
    from collections import Counter

    total: Counter[str] = Counter()
    calls: Counter[str] = Counter()
    pattern = re.compile(r"duration: ([0-9.]+) ms\s+(?:statement|execute [^:]*|parse [^:]*|bind [^:]*): (.*)")
    with log.open(encoding="utf-8", errors="replace") as f:
        f.seek(start)
        for line in f:
            m = pattern.search(line)
            if m:
                sql = " ".join(m.group(2).split())[:100]
                total[sql] += float(m.group(1))
                calls[sql] += 1
    grand = sum(total.values()) or 1
    print(f"PostgreSQL statement time: {grand / 1000:.1f} s", file=sys.stderr)
    for sql, ms in total.most_common(15):
        print(f"{ms / 1000:7.2f} s {100 * ms / grand:5.1f}% {calls[sql]:7d}x  {sql}", file=sys.stderr)


PG_STATS = {"shared_preload_libraries": "pg_stat_statements", "pg_stat_statements.track_planning": "on",
            "log_autovacuum_min_duration": "0"}


def pg_stats_reset(dsn: str) -> None:
    """Start ``--pg-stats`` counting from here (after the setup's own statements)."""
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
        conn.execute("SELECT pg_stat_statements_reset()")


def pg_stats_report(dsn: str, laptops: int, log: Path, start: int) -> None:
    """Per statement, per laptop: executions, planning and execution time (ms; wall time inside
    PostgreSQL, so waiting for a core is in it), buffers touched and rows; then the autovacuum and
    autoanalyze runs PostgreSQL logged meanwhile, with the CPU each took (to stderr)."""
    import re

    with psycopg.connect(dsn, autocommit=True, row_factory=dict_row) as conn:
        rows = conn.execute(
            "SELECT calls, total_exec_time AS ex, total_plan_time AS pl, shared_blks_hit + shared_blks_read AS blks,"
            " shared_blks_dirtied AS dirt, wal_bytes, rows, query FROM pg_stat_statements"
            " WHERE query NOT LIKE '%%pg_stat_statements%%' ORDER BY total_exec_time + total_plan_time DESC"
        ).fetchall()
    grand = sum(r["ex"] + r["pl"] for r in rows) or 1
    print(f"pg_stat_statements: {grand / 1000:.1f} s in statements, {grand / laptops:.2f} ms per laptop "
          f"({sum(r['calls'] for r in rows) / laptops:.1f} statements per laptop)", file=sys.stderr)
    print("  ms/laptop exec+plan  calls/laptop  blocks/call  rows/call  WAL B/call  statement", file=sys.stderr)
    for r in rows[:25]:
        c = r["calls"] or 1
        print(f"  {(r['ex'] + r['pl']) / laptops:6.3f} {r['pl'] / laptops:6.3f}  {r['calls'] / laptops:6.2f}"
              f"  {r['blks'] / c:9.1f}  {r['rows'] / c:8.1f}  {int(r['wal_bytes']) / c:9.0f}  "
              f"{' '.join(r['query'].split())[:150]}", file=sys.stderr)
    cpu = re.compile(r"automatic (vacuum|analyze) of table \"([^\"]+)\".*?CPU: user: ([0-9.]+) s, system: ([0-9.]+) s",
                     re.S)
    with log.open(encoding="utf-8", errors="replace") as f:
        f.seek(start)
        text = f.read()
    runs = [(m.group(1), m.group(2), float(m.group(3)) + float(m.group(4))) for m in cpu.finditer(text)]
    print(f"autovacuum/autoanalyze: {len(runs)} runs, {sum(r[2] for r in runs):.2f} s of CPU "
          f"({1000 * sum(r[2] for r in runs) / laptops:.2f} ms per laptop)", file=sys.stderr)
    for kind, table, s in sorted(runs, key=lambda r: -r[2])[:8]:
        print(f"  {s:6.2f} s  {kind} {table}", file=sys.stderr)


def serve_profiled(out: Path, argv: list[str]) -> int:
    """``diogel-server`` with every thread profiled (the requests' database work runs on worker threads,
    which ``python -m cProfile`` does not see); the merged profile is written to ``out`` on SIGTERM."""
    import cProfile
    import pstats
    import signal
    import threading

    from server import cli

    profiles: list[cProfile.Profile] = []

    def per_thread(*_a: Any) -> None:
        p = cProfile.Profile(time.thread_time)  # CPU, not the time a thread spends waiting
        profiles.append(p)
        p.enable()

    def dump(*_a: Any) -> None:
        stats = pstats.Stats(profiles[0])
        for p in profiles[1:]:
            stats.add(p)
        stats.dump_stats(str(out))
        os._exit(0)

    signal.signal(signal.SIGTERM, dump)  # uvicorn restores it after its graceful stop and raises the signal again
    threading.setprofile(per_thread)
    per_thread()
    return cli.main(["serve", *argv])


def main() -> int:
    if len(sys.argv) > 2 and sys.argv[1] == "--serve-profiled":
        return serve_profiled(Path(sys.argv[2]), sys.argv[4:])
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--laptops", type=int, default=1000)
    ap.add_argument("--cases", type=int, default=4, help="cases per laptop")
    ap.add_argument("--history", type=int, default=6, help="earlier visits stored per case")
    ap.add_argument("--visits", type=int, default=40, help="visits each laptop pushes")
    ap.add_argument("--edits", type=int, default=8, help="people's details each laptop changes")
    ap.add_argument("--concurrency", type=int, default=64, help="laptops syncing at once")
    ap.add_argument("--instances", type=int, default=2)
    ap.add_argument("--pool-size", type=int, default=10, help="database connections per instance")
    ap.add_argument("--workers", type=int, default=1, help="uvicorn worker processes per instance")
    ap.add_argument("--loop", default="auto", choices=("auto", "asyncio", "uvloop"), help="the servers' event loop")
    ap.add_argument("--http", default="auto", choices=("auto", "h11", "httptools"), help="the servers' HTTP parser")
    ap.add_argument("--quick", action="store_true", help="100 laptops")
    ap.add_argument("--requests", type=int, metavar="N",
                    help="instead of the country: N bare requests (GET /v1/me) to one instance, and the CPU each costs")
    ap.add_argument("--profile", type=Path, help="run each server under cProfile, writing DIR/server-N.prof")
    ap.add_argument("--statements", action="store_true",
                    help="log every statement's duration in PostgreSQL and print where its time went (slows it; "
                    "wall time, so on a loaded machine it includes waiting for a core and for the client to read)")
    ap.add_argument("--no-analyze", action="store_true",
                    help="leave the bulk-loaded database unvacuumed, without statistics (as the bench did before; see docs/scaling.md)")
    ap.add_argument("--pg-stats", action="store_true",
                    help="load pg_stat_statements in the bench's cluster and print each statement's time, blocks, "
                    "rows and WAL per laptop, and autovacuum's CPU")
    args = ap.parse_args()
    if args.quick:
        args.laptops = min(args.laptops, 100)
    if args.requests:
        return per_request(args)
    load_start = os.getloadavg()[0]
    with TempCluster(settings=PG_STATS if args.pg_stats else None) as pg:
        dsn = pg.dsn()
        migrate(dsn)
        t0 = time.perf_counter()
        laptops = setup(dsn, args.laptops, args.cases, args.history, not args.no_analyze)
        for lap in laptops:
            record_visits(lap, args.visits, args.edits)
        setup_s = time.perf_counter() - t0
        if args.profile:
            args.profile.mkdir(parents=True, exist_ok=True)
        if args.statements:
            with psycopg.connect(dsn, autocommit=True) as conn:
                conn.execute("ALTER SYSTEM SET log_min_duration_statement = 0")
                conn.execute("SELECT pg_reload_conf()")
            log_from = pg.logfile.stat().st_size
        if args.pg_stats:
            pg_stats_reset(dsn)
            stats_from = pg.logfile.stat().st_size
        serve_args = ("--loop", args.loop, "--http", args.http)
        servers = [start_server(dsn, args.pool_size, args.profile / f"server-{n}.prof" if args.profile else None,
                                serve_args, args.workers) for n in range(args.instances)]  # fmt: skip
        cpu0 = [tree_cpu(p.pid) for p, _b in servers], postgres_cpu(pg), time.process_time()
        try:
            seconds, pulled = quiet_collector(lambda: asyncio.run(run(
                [b for _p, b in servers], laptops, args.edits, args.concurrency)))  # fmt: skip
            cpu1 = [tree_cpu(p.pid) for p, _b in servers], postgres_cpu(pg), time.process_time()
        finally:
            for proc, _base in servers:
                proc.terminate()
                proc.wait(30)
        cpu = {"servers": round(sum(cpu1[0]) - sum(cpu0[0]), 1), "postgres": round(cpu1[1] - cpu0[1], 1),
               "load_generator": round(cpu1[2] - cpu0[2], 1)}  # fmt: skip
        if args.pg_stats:
            pg_stats_report(dsn, args.laptops, pg.logfile, stats_from)
        verdict = check(dsn, laptops)
        if args.statements:
            statement_times(pg.logfile, log_from)
    syncs = [lap.sync_seconds for lap in laptops]
    requests = [r for lap in laptops for r in lap.requests]
    errors = [e for lap in laptops for e in lap.errors]
    print(json.dumps({
        "laptops": args.laptops, "instances": args.instances, "concurrency": args.concurrency,
        "pool_size_per_instance": args.pool_size, "workers_per_instance": args.workers,
        "loop": args.loop, "http": args.http, "setup_seconds": round(setup_s, 1),
        "seconds": round(seconds, 2), "changes_pushed": verdict["changes_sent"],
        "changes_per_s": round(verdict["changes_sent"] / seconds),
        "rows_pulled": pulled, "rows_pulled_per_s": round(pulled / seconds),
        "sync_p50_ms": round(statistics.median(syncs) * 1000), "sync_p95_ms": round(pct(syncs, 95) * 1000),
        "sync_max_ms": round(max(syncs) * 1000),
        "request_p50_ms": round(pct(requests, 50) * 1000, 1), "request_p95_ms": round(pct(requests, 95) * 1000, 1),
        "cpu_seconds": cpu, "cpu_ms_per_laptop": {k: round(v * 1000 / args.laptops, 1) for k, v in cpu.items()},
        "errors": len(errors), "first_errors": errors[:5],
        "transport_retries": sum(lap.retries for lap in laptops), **verdict,
        "cores": os.cpu_count(), "load_average_start": round(load_start, 2),
        "load_average_end": round(os.getloadavg()[0], 2), "at": datetime.now(UTC).isoformat(timespec="seconds"),
    }, indent=1))  # fmt: skip
    return 0 if not errors and verdict["lost"] == 0 and verdict["duplicated"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
