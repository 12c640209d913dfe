"""Fuzz the declared API with schemathesis against a real server (uvicorn on 127.0.0.1) over a real
PostgreSQL, and count what came back.

Every operation of the OpenAPI schema is called with generated requests — valid ones and, in a second
pass, ones that break the schema — as a signed-in administrator, as a social worker and with no token;
then the stateful links (next page of a pull, a created user's role and active flag, …) are followed by
schemathesis's state machine. Each response is checked: never a 5xx, always the declared status codes,
content type, headers and body schema (``validate_response``), and a refused request (4xx) changes no
data (table counts before and after).

``python -m tests.server.fuzz --requests 5000`` (``make fuzz``) runs a long run on its own cluster and
prints the figures; the suite runs a bounded one (``tests/server/test_fuzz.py``).
"""

from __future__ import annotations

import argparse
import collections
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
import hypothesis
import psycopg
import schemathesis
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hsettings
from psycopg.rows import dict_row
from schemathesis import GenerationMode, checks
from schemathesis.openapi import from_dict

TABLES = ("rows", "ops", "conflicts", "quarantine", "audit", "cases", "covers", "users", "teams", "tokens",
          "allocation_history")  # fmt: skip
CHECKS = [checks.not_a_server_error, checks.status_code_conformance, checks.content_type_conformance,
          checks.response_schema_conformance, checks.response_headers_conformance]  # fmt: skip


@dataclass
class FuzzReport:
    requests: int = 0
    stateful_requests: int = 0
    statuses: collections.Counter[int] = field(default_factory=collections.Counter)
    server_errors: list[str] = field(default_factory=list)
    schema_violations: list[str] = field(default_factory=list)
    refused_changed_data: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not (self.server_errors or self.schema_violations or self.refused_changed_data)

    def summary(self) -> str:
        codes = ", ".join(f"{k}: {v}" for k, v in sorted(self.statuses.items()))
        return (f"{self.requests} requests ({self.stateful_requests} following links) in {self.seconds:.0f} s; "
                f"statuses {codes}; "
                f"{len(self.server_errors)} responses >= 500; {len(self.schema_violations)} schema violations; "
                f"{len(self.refused_changed_data)} refused requests that changed data")  # fmt: skip


# A refused attempt at the authority's figures is written to the audit on purpose (``report.refused``,
# issue 21); any other row a refused request leaves behind is still a failure.
KEPT_BY_REFUSALS = {"audit": "action <> 'report.refused'"}


def _counts(db_url: str) -> dict[str, int]:
    query = " UNION ALL ".join(f"SELECT '{t}' AS t, count(*) AS n FROM {t} WHERE {KEPT_BY_REFUSALS.get(t, 'true')}"
                               for t in TABLES)
    with psycopg.connect(db_url, row_factory=dict_row) as conn:
        return {r["t"]: r["n"] for r in conn.execute(query)}


class Fuzzer:
    """Calls, checks and counts. ``tokens``: name -> bearer token (an empty token sends no header)."""

    def __init__(self, base_url: str, db_url: str, tokens: dict[str, str], report: FuzzReport) -> None:
        self.base_url, self.db_url, self.tokens, self.report = base_url, db_url, tokens, report
        self.client = httpx.Client(base_url=base_url, timeout=60)
        schema_json = self.client.get("/v1/openapi.json", headers=self._auth("admin")).json()
        self.schema = from_dict(schema_json)

    def _auth(self, who: str) -> dict[str, str]:
        token = self.tokens.get(who, "")
        return {"Authorization": f"Bearer {token}"} if token else {}

    def call(self, case: schemathesis.Case, who: str) -> None:
        before = _counts(self.db_url)
        try:
            response = case.call(base_url=self.base_url, headers=self._auth(who))
        except httpx.HTTPError as exc:  # a dropped connection is a server failure too
            self.report.requests += 1
            self.report.server_errors.append(f"{case.method} {case.path}: {exc!r}")
            return
        self.report.requests += 1
        self.report.statuses[response.status_code] += 1
        label = f"{case.method} {case.formatted_path} as {who}"
        if response.status_code >= 500:
            self.report.server_errors.append(f"{label}: {response.status_code} {response.text[:300]}")
        try:
            case.validate_response(response, checks=CHECKS)
        except AssertionError as exc:
            if response.status_code < 500:
                self.report.schema_violations.append(f"{label}: {str(exc)[:600]}")
        if 400 <= response.status_code < 500:
            after = _counts(self.db_url)
            if after != before:
                diff = {k: (before[k], after[k]) for k in before if before[k] != after[k]}
                self.report.refused_changed_data.append(f"{label}: {response.status_code} changed {diff}")

    def operation(self, label: str, who: str, examples: int, mode: GenerationMode) -> None:
        op = self.schema[label.split(" ", 1)[1]][label.split(" ", 1)[0]]
        strategy = op.as_strategy(generation_mode=mode)

        @hsettings(max_examples=examples, deadline=None, database=None, derandomize=False,
                   phases=[Phase.generate], suppress_health_check=list(HealthCheck))  # fmt: skip
        @given(case=strategy)
        def run(case: schemathesis.Case) -> None:
            self.call(case, who)

        try:
            run()
        except hypothesis.errors.Unsatisfiable:
            pass

    def operations(self) -> list[str]:
        out = []
        for result in self.schema.get_all_operations():
            op = result.ok()
            out.append(f"{op.method.upper()} {op.path}")
        return sorted(out)

    def stateful(self, steps: int, who: str = "admin") -> None:
        """Follow the schema's links (a pull's next page, a created user's role, …) as one user."""
        machine = self.schema.as_state_machine()
        fuzzer = self

        class Machine(machine):  # type: ignore[misc, valid-type]
            def call(self, case: schemathesis.Case, **kwargs: Any) -> Any:
                before = _counts(fuzzer.db_url)
                response = case.call(base_url=fuzzer.base_url, headers=fuzzer._auth(who))
                fuzzer.report.requests += 1
                fuzzer.report.statuses[response.status_code] += 1
                if response.status_code >= 500:
                    fuzzer.report.server_errors.append(f"stateful {case.method} {case.formatted_path}: "
                                                       f"{response.status_code} {response.text[:300]}")  # fmt: skip
                elif response.status_code >= 400 and _counts(fuzzer.db_url) != before:
                    fuzzer.report.refused_changed_data.append(f"stateful {case.method} {case.formatted_path}")
                return response

            def validate_response(self, response: Any, case: schemathesis.Case, **kwargs: Any) -> None:
                try:
                    case.validate_response(response, checks=CHECKS)
                except AssertionError as exc:
                    if response.status_code < 500:
                        fuzzer.report.schema_violations.append(f"stateful {case.method} {case.path}: {str(exc)[:600]}")

        runs = max(1, steps // 10)
        hypothesis.stateful.run_state_machine_as_test(
            Machine, settings=hsettings(max_examples=runs, stateful_step_count=10, deadline=None, database=None,
                                        phases=[Phase.generate], suppress_health_check=list(HealthCheck)))  # fmt: skip


def run_fuzz(base_url: str, db_url: str, tokens: dict[str, str], *, examples: int, stateful_steps: int,
             progress: Callable[[str], None] | None = None) -> FuzzReport:  # fmt: skip
    """Every operation × {administrator, social worker, no token} × {valid, invalid} input, ``examples``
    generated requests each, then ``stateful_steps`` linked calls."""
    report = FuzzReport()
    t0 = time.perf_counter()
    fz = Fuzzer(base_url, db_url, tokens, report)
    for label in fz.operations():
        for who in ("admin", "worker", "nobody"):
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                n = examples if who == "admin" else max(1, examples // 4)
                fz.operation(label, who, n, mode)
        if progress:
            progress(f"{label}: {report.requests} requests so far")
    before = report.requests
    fz.stateful(stateful_steps)
    report.stateful_requests = report.requests - before
    report.seconds = time.perf_counter() - t0
    fz.client.close()
    return report


# -- a whole world for the long run ------------------------------------------------------------------


def seeded_world(db_url: str, now: Any) -> tuple[list[str], list[str]]:
    """Teams, users (an administrator and a social worker) and a case with a few records and an open
    conflict, so generated requests meet real data. Returns (usernames, case ids)."""
    from server import admin

    with psycopg.connect(db_url, row_factory=dict_row) as conn:
        admin.create_team(conn, "A", now)
        admin.create_user(conn, "ada", PASSWORD, "senior_manager", None, now=now, is_admin=True)
        admin.create_user(conn, "wendy", PASSWORD, "social_worker", "A", now=now)
        case = uuid.uuid4()
        admin.allocate(conn, case, "A", "wendy", now=now)
    return ["ada", "wendy"], [str(case)]


PASSWORD = "correct horse battery"


def login(base_url: str, username: str) -> str:
    r = httpx.post(f"{base_url}/v1/login", json={"username": username, "password": PASSWORD}, timeout=30)
    r.raise_for_status()
    return str(r.json()["token"])


def main(argv: list[str] | None = None) -> int:
    """The long run: its own PostgreSQL cluster and server, ``--requests`` generated requests at least."""
    from argon2 import PasswordHasher

    from server import auth
    from server.config import Settings, utc_now
    from server.db import make_pool
    from server.devdb import TempCluster
    from server.migrator import migrate
    from tests.sync.live import LiveServer

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--requests", type=int, default=5000)
    args = ap.parse_args(argv)
    auth.password_hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)  # users made by fuzzing
    cluster = TempCluster().start()
    try:
        with psycopg.connect(cluster.dsn(), autocommit=True) as conn:
            conn.execute("CREATE DATABASE fuzz")
        db_url = cluster.dsn("fuzz")
        migrate(db_url)
        seeded_world(db_url, utc_now())
        pool = make_pool(db_url, 1, 8)
        settings = Settings(database_url=db_url, login_failures_per_address=10**6, login_failures_per_user=10**6)
        server = LiveServer(argparse.Namespace(settings=settings, pool=pool)).start()
        try:
            tokens = {"admin": login(server.url, "ada"), "worker": login(server.url, "wendy"), "nobody": ""}
            fz = Fuzzer(server.url, db_url, tokens, FuzzReport())
            per_op = max(10, int(args.requests // (len(fz.operations()) * 2 * (1 + 2 / 4))))
            fz.client.close()
            report = run_fuzz(server.url, db_url, tokens, examples=per_op, stateful_steps=max(200, args.requests // 10),
                              progress=lambda s: print(s, file=sys.stderr))  # fmt: skip
        finally:
            server.stop()
            pool.close()
    finally:
        cluster.stop()
    print(report.summary())
    for name in ("server_errors", "schema_violations", "refused_changed_data"):
        for line in getattr(report, name)[:20]:
            print(f"{name}: {line}")
    return 0 if report.ok and report.requests >= args.requests else 1


if __name__ == "__main__":
    sys.exit(main())

