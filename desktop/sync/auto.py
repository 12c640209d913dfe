"""Sync automatically when the server becomes reachable (Qt-free).

:class:`AutoSync` runs one daemon thread that asks ``probe()`` (e.g. ``GET /v1/health``) every
``interval`` seconds. When the server turns reachable after being unreachable (or at the first
successful probe), or is reachable while ``wanted()`` says there is something to send, it calls
``trigger()``. Failures of ``probe`` count as unreachable; a failing ``trigger`` is swallowed (the sync
records its own error for the status line).

Thread contract: ``probe``, ``wanted`` and ``trigger`` run on the AutoSync thread; a GUI hands
``trigger`` over to its own thread (a queued signal). ``start``/``stop`` from any thread; ``stop``
waits for the thread.
"""

from __future__ import annotations

import threading
from collections.abc import Callable


class AutoSync:
    def __init__(
        self,
        probe: Callable[[], bool],
        trigger: Callable[[], None],
        *,
        wanted: Callable[[], bool] = lambda: False,
        interval: float = 30.0,
    ) -> None:
        self.probe, self.trigger, self.wanted, self.interval = probe, trigger, wanted, interval
        self.reachable: bool | None = None
        self._stop = threading.Event()
        self._poke = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> AutoSync:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="diogel-autosync", daemon=True)
            self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._poke.set()
        if self._thread is not None:
            self._thread.join(10)
            self._thread = None

    def poke(self) -> None:
        """Probe now instead of at the end of the interval (e.g. after the network came back)."""
        self._poke.set()

    def step(self) -> bool:
        """One probe-and-maybe-trigger round; returns whether a sync was triggered."""
        try:
            up = bool(self.probe())
        except Exception:  # noqa: BLE001 - any failure to reach the server means "not reachable"
            up = False
        became = up and self.reachable is not True
        self.reachable = up
        fire = became or (up and self._wanted())
        if fire:
            try:
                self.trigger()
            except Exception:  # noqa: BLE001 - the sync records its own failure
                pass
        return fire

    def _wanted(self) -> bool:
        try:
            return bool(self.wanted())
        except Exception:  # noqa: BLE001
            return False

    def _run(self) -> None:
        while not self._stop.is_set():
            self.step()
            self._poke.wait(self.interval)
            self._poke.clear()
