"""A transport wrapper that drops the connection at chosen or random points.

``before``: the request never reaches the server. ``after``: the server handled (and committed) it but
the response is lost on the way back — the case a naive client turns into duplicates or lost work.
"""

from __future__ import annotations

import random
import threading

import httpx


class FaultyTransport(httpx.BaseTransport):
    def __init__(self, inner: httpx.BaseTransport) -> None:
        self.inner = inner
        self.rate = 0.0
        self.rng = random.Random(0)
        self.plan: list[str | None] = []  # explicit faults for the next requests, in order
        self.calls = 0
        self.faults = 0
        self.down = False
        self._lock = threading.Lock()

    def arm(self, rate: float, seed: int) -> None:
        self.rate, self.rng = rate, random.Random(seed)

    def disarm(self) -> None:
        self.rate, self.plan = 0.0, []

    def _next_fault(self) -> str | None:
        with self._lock:
            self.calls += 1
            if self.down:
                return "before"
            if self.plan:
                return self.plan.pop(0)
            if self.rate and self.rng.random() < self.rate:
                return self.rng.choice(("before", "after"))
            return None

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        fault = self._next_fault()
        if fault == "before":
            self.faults += 1
            raise httpx.ConnectError("injected: connection refused", request=request)
        response = self.inner.handle_request(request)
        if fault == "after":
            response.read()
            self.faults += 1
            raise httpx.ReadError("injected: connection dropped before the response was read", request=request)
        return response
