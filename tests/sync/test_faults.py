"""Fault injection: connections dropped at random points of push and pull — before the request reaches
the server, or after the server committed but before the response was read. Every trial must converge
with nothing lost and nothing duplicated."""

from __future__ import annotations

import random

import pytest

from desktop.sync.errors import SyncError
from tests.sync.helpers import add_visit, edit, make_case, visits

TRIALS = 200


def _server_visits(srv, case: str) -> dict[str, str]:
    rows = srv.sql("SELECT id::text AS id, data FROM rows WHERE entity = 'cp_visit' AND case_id = %s", (case,))
    return {r["id"]: r["data"]["observations"] for r in rows}


def _converged(srv, laps, case: str, pid: str, made_visits: dict[str, str], ops_made: int) -> None:
    """Nothing lost, nothing duplicated: the server holds every visit once and applied every op once;
    each laptop in ``laps`` (just synced) has sent everything and holds what the server holds."""
    server = _server_visits(srv, case)
    assert server == made_visits, "a visit was lost or duplicated on the server"
    # ops is keyed by op_id: every op applied exactly once, none refused, none in conflict.
    counts = srv.sql("SELECT (SELECT count(*) FROM ops) AS ops, (SELECT count(*) FROM quarantine) AS q,"
                     " (SELECT count(*) FROM conflicts) AS c")[0]  # fmt: skip
    assert (counts["ops"], counts["q"], counts["c"]) == (ops_made, 0, 0)
    [person] = srv.sql("SELECT data FROM rows WHERE entity = 'person' AND id = %s", (pid,))
    for lap in laps:
        assert lap.outbox() == [], "an entry left unsent after a clean sync"
        assert visits(lap, case) == made_visits
        row = lap.row("person", pid)
        assert (row["given_names"], row["phone"]) == (person["data"].get("given_names"), person["data"].get("phone"))


@pytest.mark.slow
def test_random_connection_drops_in_push_and_pull_always_converge(srv, laptops) -> None:
    w, m = laptops("wendy"), laptops("mari")
    case, pid = make_case(w)
    w.sync()
    m.sync()
    ops_made = srv.count("ops")
    made = visits(w, case)
    rng = random.Random(20261123)
    faults = 0
    for trial in range(TRIALS):
        # Offline work on one laptop (they take turns): new visits, and an edit to a field that laptop
        # owns (so no conflicts are expected), then a sync with the connection dropping at random.
        lap, field = ((w, "given_names"), (m, "phone"))[trial % 2]
        for _ in range(rng.randint(0, 2)):
            text = f"t{trial}-{rng.random():.6f}"
            made[add_visit(lap, case, text)] = text
            ops_made += 1
        if rng.random() < 0.5:
            edit(lap, "person", pid, **{field: f"{field}-{trial}"})
            ops_made += 1
        lap.faults.arm(rate=rng.choice((0.2, 0.35, 0.5)), seed=trial)
        try:
            lap.sync()
        except SyncError:
            pass
        faults += lap.faults.faults
        lap.faults.faults = 0
        lap.faults.disarm()
        # A clean sync converges: this laptop now matches the server exactly.
        assert lap.sync().verified
        _converged(srv, (lap,), case, pid, made, ops_made)
        if trial % 25 == 24:  # and every laptop agrees
            for other in (w, m):
                other.sync()
            _converged(srv, (w, m), case, pid, made, ops_made)
    assert faults > TRIALS // 2  # the faults really happened


@pytest.mark.parametrize("where", ["before", "after"])
def test_every_request_of_a_sync_dropped_in_turn(srv, laptops, where: str) -> None:
    """Deterministic sweep: drop request k (k = 0, 1, 2, ...) of a sync, for every k the sync makes."""
    w, m = laptops("wendy"), laptops("mari")
    case, pid = make_case(w)
    w.sync()
    m.sync()
    made = visits(w, case)
    ops_made = srv.count("ops")
    k = 0
    while True:
        for i in range(6):
            vid = add_visit(w, case, f"sweep-{where}-{k}-{i}")
            made[vid] = f"sweep-{where}-{k}-{i}"
        ops_made += 6
        w.faults.calls = 0
        w.faults.plan = [None] * k + [where]
        try:
            w.sync()
            failed = False
        except SyncError:
            failed = True
        w.faults.disarm()
        w.sync()
        m.sync()
        _converged(srv, (w, m), case, pid, made, ops_made)
        if not failed:
            break  # the sync made fewer than k+1 requests: every point has been tried
        k += 1
    assert k >= 5
