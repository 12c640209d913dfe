"""Cyclic garbage is freed on the GUI thread only (``ui.interpreter.collect_on_this_thread``): a worker's
allocations never set a collection off, so a cycle holding a Qt object (a closed window and its slots) is
never deleted off the GUI thread — which crashed the process (a segmentation fault while a worker warmed
Qt's enums up, in a random-order run)."""

from __future__ import annotations

import gc
import threading
import weakref
from typing import Any

from ui import interpreter


class _Node:
    me: Any


def test_a_cycle_is_freed_on_the_gui_thread_never_on_a_worker(qtbot: Any) -> None:
    gc.enable()  # as Python starts: the app turns automatic collection off itself
    interpreter.collect_on_this_thread()
    freed_on: list[str] = []
    node = _Node()
    node.me = node  # a cycle: only the collector frees it
    weakref.finalize(node, lambda: freed_on.append(threading.current_thread().name))
    del node

    def churn() -> None:  # far past every generation's threshold, in cycles the collector would look at
        for _ in range(50):
            junk = [_Node() for _ in range(2_000)]
            for n in junk:
                n.me = n

    worker = threading.Thread(target=churn, name="worker")
    worker.start()
    worker.join()
    assert freed_on == [], "a worker's allocation set a collection off"
    qtbot.waitUntil(lambda: bool(freed_on), timeout=5_000)  # the GUI thread's timer collects it
    assert freed_on == [threading.main_thread().name]
