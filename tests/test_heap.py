"""``desktop.store.heap.give_back``: the C heap's free pages go back to the system (glibc's ``malloc_trim``), so
memory a burst of reads freed is not counted in the process's resident memory for good (issue 22, item 4)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

PROBE = textwrap.dedent("""
    import ctypes, ctypes.util
    from desktop.store import heap
    libc = ctypes.CDLL(ctypes.util.find_library("c"))
    libc.malloc.restype, libc.malloc.argtypes = ctypes.c_void_p, [ctypes.c_size_t]
    libc.free.argtypes = [ctypes.c_void_p]
    def rss_mb():
        with open("/proc/self/status") as status:
            return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:")) / 1024
    blocks = [libc.malloc(2048) for _ in range(40_000)]  # 80 MB of small blocks, below mmap's threshold
    for block in blocks:
        ctypes.memset(block, 1, 2048)  # touched: resident
    for block in blocks[:-1]:
        libc.free(block)  # all free but the last, which keeps the heap's top: nothing is trimmed by itself
    freed = rss_mb()
    given = heap.give_back()
    print(given, round(freed), round(rss_mb()))
""")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc and /proc: Linux")
def test_free_pages_of_the_c_heap_go_back_to_the_system() -> None:
    done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, cwd=ROOT, timeout=60,
                          env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)}, check=True)
    given, freed, after = done.stdout.split()
    assert given == "True"
    assert int(freed) - int(after) > 50, (freed, after)  # most of the 80 MB freed is no longer resident
