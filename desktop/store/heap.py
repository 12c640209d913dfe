"""Handing the C heap's free pages back to the system after a burst of reads (issue 22, item 4).

A one-pass read over many pages (a count of every case's text, the badge's count of every kept answer) on a
worker allocates and frees megabytes of SQLite pages and row values in that thread's malloc arena. glibc keeps
what was freed for the next allocation: measured at 50,000 cases, 14-23 MB lay free in the arenas after a few
searches, counted in the process's resident memory for good. :func:`give_back` asks glibc to return those
pages (``malloc_trim``: a few milliseconds; other threads' allocations wait for it arena by arena). Elsewhere
than glibc it does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import threading
from typing import Any

_lock = threading.Lock()
_trim: Any = None
_looked = False


def _malloc_trim() -> Any:
    global _trim, _looked
    with _lock:
        if not _looked:
            _looked = True
            name = ctypes.util.find_library("c")
            try:
                trim = ctypes.CDLL(name).malloc_trim if name else None
            except (OSError, AttributeError):  # not glibc (macOS, Windows, musl): nothing to ask
                trim = None
            if trim is not None:
                trim.argtypes, trim.restype = [ctypes.c_size_t], ctypes.c_int
            _trim = trim
        return _trim


def give_back() -> bool:
    """Any thread: return the free pages of every malloc arena to the system; ``False`` when this C library
    cannot (nothing is done then)."""
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)
    return True
