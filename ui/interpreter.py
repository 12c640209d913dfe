"""The interpreter tuned for a GUI thread that must draw (issue 17): how often a worker hands over the
interpreter lock, and when the cyclic garbage collector runs.

Every Qt event on the GUI thread passes a Python event filter (the idle lock) and most end in a Python
slot, so the GUI thread needs the interpreter lock many times a frame; while a worker runs Python it
gets it only when the worker hands it over, after the switch interval (5 ms by default) each time.
:data:`SWITCH_INTERVAL_S` makes that wait short; the workers pay a little in more frequent switches.

A full collection walks every tracked object while holding the interpreter lock: with a 5,000-case
caseload in memory that is 0.1-0.2 s in which the GUI thread cannot draw, whichever thread's allocation
set it off (usually a worker's first reads). Two measures, process-wide and idempotent:

* :func:`settle` moves what exists now (modules, classes, Qt's enums, the rules) out of the collector's
  sight (``gc.freeze``): they live as long as the process, so walking them again finds nothing.
* :func:`tune` collects less often (a larger first generation, fewer full collections): the same
  garbage is found, in fewer and no longer pauses. Cyclic garbage waits a little longer to be freed.

And one for safety: :func:`collect_on_this_thread` makes the GUI thread the only one that collects.
Python collects on whichever thread's allocation crosses the threshold; a cycle that holds a Qt object
(a closed window and its slots) freed on a worker deletes that object off the GUI thread, which crashes
the process. (Qt's enum types are never made on a worker either: :func:`ui.plugins.warm_qt_enums_in_steps`.)
"""

from __future__ import annotations

import gc
import sys
import threading
from typing import Any

SWITCH_INTERVAL_S = 0.001
"""``sys.setswitchinterval``: the longest a thread running Python keeps the lock from one waiting."""

_lock = threading.Lock()
THRESHOLDS = (20_000, 20, 50)
"""``gc.set_threshold``: Python's default is (700, 10, 10)."""
FREEZE = True
"""Whether :func:`settle` freezes (the tests keep Python's collector as it is: ``tests/conftest.py``)."""


COLLECT_EVERY_MS = 50
"""How often the GUI thread looks whether a collection is due (it collects when Python would have)."""

_collector: Any = None


def collect_on_this_thread() -> None:
    """GUI thread: automatic collection off, and (the first time only) a timer on
    this thread collects the generation Python would have, when it would have (by ``gc.get_count``
    against ``gc.get_threshold``), so no worker ever frees a cycle. The thresholds are :func:`tune`'s from
    here on: the imports before the first window (a few hundred thousand objects, all kept) are not walked
    again and again by Python's default ones."""
    global _collector
    gc.disable()
    tune()
    if _collector is not None:
        return
    from PySide6.QtCore import QTimer

    _collector = QTimer()
    _collector.setInterval(COLLECT_EVERY_MS)
    _collector.timeout.connect(collect_if_due)
    _collector.start()


def collect_if_due() -> int | None:
    """GUI thread: collect the oldest generation whose count is past its threshold (``None``: none is);
    returns the generation collected."""
    (t0, t1, t2), (c0, c1, c2) = gc.get_threshold(), gc.get_count()
    if c0 <= t0:
        return None
    generation = 2 if c2 > t2 else 1 if c1 > t1 else 0
    gc.collect(generation)
    return generation


def tune() -> None:
    """Hand the lock over sooner and collect less often (any thread)."""
    sys.setswitchinterval(SWITCH_INTERVAL_S)
    gc.set_threshold(*THRESHOLDS)


_settled = threading.Event()


def settle() -> None:
    """Move every object alive now out of the collector's sight, the first time only (any thread).

    Call it before a session exists (the sign-in window does, as the password is given), once per
    process: a later call (signing in again) would keep the previous session's garbage, case data in
    it, for good. No collection first, which would hold the interpreter
    lock as long as the pause this avoids."""
    with _lock:
        if _settled.is_set():
            return
        if FREEZE:
            gc.freeze()
        _settled.set()
