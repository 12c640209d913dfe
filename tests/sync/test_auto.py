"""Automatic sync when the server becomes reachable."""

from __future__ import annotations

import threading

from desktop.sync.auto import AutoSync
from desktop.sync.errors import Unreachable
from tests.sync.helpers import make_case


def test_auto_sync_fires_when_the_server_becomes_reachable(srv, laptops) -> None:
    w = laptops("wendy")
    make_case(w)
    w.faults.down = True
    synced = threading.Event()

    def trigger() -> None:
        w.sync()
        synced.set()

    def probe() -> bool:
        w.transport.health()
        return True

    auto = AutoSync(probe, trigger, wanted=lambda: w.store.rows("SELECT count(*) AS n FROM outbox")[0]["n"] > 0)
    assert auto.step() is False and auto.reachable is False  # offline: nothing happens
    assert len(w.outbox()) == 3
    w.faults.down = False
    assert auto.step() is True and synced.is_set()  # back: it syncs
    assert w.outbox() == []
    assert auto.step() is False  # reachable, nothing to send: no sync
    # The thread version: the network comes back while it runs.
    w.faults.down = True
    synced.clear()
    make_case(w)
    auto = AutoSync(probe, trigger, wanted=lambda: False, interval=0.05).start()
    try:
        assert not synced.wait(0.2)
        w.faults.down = False
        assert synced.wait(10)
    finally:
        auto.stop()
    assert w.outbox() == []


def test_probe_failures_count_as_unreachable() -> None:
    def probe() -> bool:
        raise Unreachable("down")

    auto = AutoSync(probe, lambda: None)
    assert auto.step() is False and auto.reachable is False
