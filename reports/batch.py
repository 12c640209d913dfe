"""Letters rendered on every core: a pool of worker processes (Qt-free).

ReportLab holds the GIL for all of its work, so threads cannot share it out; processes can. Each
worker loads the fonts, styles and templates once when it starts and then renders letter after
letter. The pool is made on first use and kept for the life of the process (a batch does not pay
the start-up again), and shut down at exit.

Contract of :func:`render_each`: one :class:`Rendered` per job, **in the order of the jobs**, each
holding the PDF bytes of that one letter (exactly what :func:`reports.render_letter` gives in this
process) or the :class:`LetterError` that stopped it. ``cancelled()`` is polled while waiting:
once it is true no further letter is started and the generator stops; letters already queued in
the pool are withdrawn (at most one small chunk per worker was already running, and its result is
dropped). Closing the generator early does the same. If the pool cannot start or a worker dies,
the remaining letters are rendered in this process, so a batch is never lost to the pool.
"""

from __future__ import annotations

import atexit
import gc
import multiprocessing
import os
import sys
import threading
from collections import deque
from collections.abc import Callable, Generator, Iterator, Sequence
from concurrent.futures import CancelledError, Future, ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass

from reports.errors import LetterError
from reports.letters import LetterJob, render_letters
from reports.model import CouncilIdentity

GC_YOUNG = 100_000
"""Allocations between collections of the youngest generation while letters render (Python's
default is 700); see :func:`batch_collection`."""

CHUNK = 4
"""Letters per task sent to a worker: enough to make the hand-over cheap (about 60 ms of work),
few enough that a cancel is felt at once and progress moves smoothly."""

RENDER_LOCK = threading.Lock()
"""One in-process ReportLab build at a time (PDF previews use PDFium on other threads too)."""

_POLL = 0.05  # seconds between checks of ``cancelled`` while a chunk renders


@dataclass(frozen=True)
class Rendered:
    """The outcome of one job: ``pdf`` or ``error`` (never both)."""

    index: int
    pdf: bytes | None = None
    error: LetterError | None = None


def default_workers() -> int:
    """Worker processes for this machine: one per core this process may use (0 = render here).
    ``DIOGEL_LETTER_WORKERS`` overrides it (0 turns the pool off)."""
    env = os.environ.get("DIOGEL_LETTER_WORKERS", "").strip()
    if env.isdigit():
        return int(env)
    if getattr(sys, "frozen", False):
        # A frozen build re-runs its entry point in a spawned child unless the entry point calls
        # multiprocessing.freeze_support(); until it does, render in the application's process.
        return 0
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return cores if cores > 1 else 0


# -- the worker side ---------------------------------------------------------------------------------


def _warm_up() -> None:
    """Per worker, once: fonts, paragraph styles and every template, so letters only render."""
    from reports.fonts import register_fonts
    from reports.layout import common_strings, styles
    from reports.templates import TEMPLATE_DIR, load_template

    register_fonts()
    styles()
    common_strings()
    for path in sorted(TEMPLATE_DIR.glob("*.json")):
        if not path.name.startswith("_"):
            try:
                load_template(path.stem)
            except Exception:  # noqa: BLE001 - a bad template fails its own letters, with its message
                pass


_gc_lock = threading.Lock()
_gc_depth = 0
_gc_saved: tuple[int, ...] = ()


@contextmanager
def batch_collection() -> Iterator[None]:
    """Collect a letter's garbage in a few passes rather than hundreds.

    Laying out one letter makes some 100,000 short-lived objects; at Python's default the cyclic
    collector runs every 700 allocations and, as the young survive, re-examines the older ones
    too (about a tenth of a letter's CPU). While a batch renders, the youngest generation's
    threshold is raised to :data:`GC_YOUNG`; objects freed by reference counting (nearly all)
    never meet the collector, and cycles are still collected, only later. Nestable and
    thread-safe: the first to enter raises it, the last to leave puts the thresholds back."""
    global _gc_depth, _gc_saved
    with _gc_lock:
        if _gc_depth == 0:
            _gc_saved = gc.get_threshold()
            gc.set_threshold(GC_YOUNG, *_gc_saved[1:])
        _gc_depth += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_depth -= 1
            if _gc_depth == 0:
                gc.set_threshold(*_gc_saved)


def _render_chunk(council: CouncilIdentity, jobs: list[LetterJob]) -> list[tuple[bytes | None, LetterError | None]]:
    out: list[tuple[bytes | None, LetterError | None]] = []
    with batch_collection():
        for job in jobs:
            try:
                out.append((render_letters([job], council), None))
            except LetterError as exc:
                out.append((None, exc))
    return out


def _render_here(council: CouncilIdentity, job: LetterJob) -> tuple[bytes | None, LetterError | None]:
    with RENDER_LOCK, batch_collection():
        try:
            return render_letters([job], council), None
        except LetterError as exc:
            return None, exc


# -- the pool ------------------------------------------------------------------------------------------


class LetterPool:
    """Worker processes that render letters (see the module docstring). Thread-safe."""

    def __init__(self, workers: int) -> None:
        if workers < 1:
            raise ValueError("a pool needs at least one worker")
        self.workers = workers
        self._lock = threading.Lock()
        self._executor: ProcessPoolExecutor | None = None
        self._outstanding: set[Future[list[tuple[bytes | None, LetterError | None]]]] = set()
        self.submitted = 0  # chunks handed to the workers since the pool was made

    def _pool(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._executor is None:
                method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
                context = multiprocessing.get_context(method)
                if method == "forkserver":
                    # Workers fork from a clean server that has ReportLab imported already (never from
                    # this process, whose GUI threads must not be forked).
                    context.set_forkserver_preload(["reports.batch"])
                self._executor = ProcessPoolExecutor(self.workers, mp_context=context, initializer=_warm_up)
            return self._executor

    def pending(self) -> int:
        """Chunks submitted and not yet finished or withdrawn (0 when the pool is idle)."""
        with self._lock:
            self._outstanding = {f for f in self._outstanding if not f.done()}
            return len(self._outstanding)

    def _submit(self, council: CouncilIdentity, jobs: list[LetterJob]) -> Future[list[tuple[bytes | None, LetterError | None]]]:
        future = self._pool().submit(_render_chunk, council, jobs)
        with self._lock:
            self._outstanding.add(future)
            self.submitted += 1
        return future

    def render_each(
        self,
        jobs: Sequence[LetterJob],
        council: CouncilIdentity,
        *,
        cancelled: Callable[[], bool] | None = None,
        chunk: int = CHUNK,
    ) -> Generator[Rendered, None, None]:
        """See :func:`render_each`."""
        is_cancelled = cancelled or (lambda: False)
        starts = list(range(0, len(jobs), chunk))
        window: deque[tuple[int, Future[list[tuple[bytes | None, LetterError | None]]]]] = deque()
        next_start = 0
        broken = False
        try:
            while True:
                # Keep every worker busy with one chunk in hand and one queued behind it.
                while not broken and next_start < len(starts) and len(window) < 2 * self.workers:
                    if is_cancelled():
                        return
                    first = starts[next_start]
                    try:
                        window.append((first, self._submit(council, list(jobs[first:first + chunk]))))
                    except (BrokenProcessPool, OSError, RuntimeError):
                        broken = True
                        self._discard()
                        break
                    next_start += 1
                if window:
                    first, future = window[0]
                    outcome = self._wait(future, is_cancelled)
                    if outcome is None:
                        return  # cancelled
                    window.popleft()
                    if isinstance(outcome, BaseException):
                        # The pool broke (a worker died): render what is left here, in order.
                        broken = True
                        self._discard()
                        for index in range(first, len(jobs)):
                            if is_cancelled():
                                return
                            pdf, error = _render_here(council, jobs[index])
                            yield Rendered(index, pdf, error)
                        return
                    for offset, (pdf, error) in enumerate(outcome):
                        yield Rendered(first + offset, pdf, error)
                    continue
                if next_start >= len(starts):
                    return
                # The pool could not take work at all: render the rest here.
                for index in range(starts[next_start], len(jobs)):
                    if is_cancelled():
                        return
                    pdf, error = _render_here(council, jobs[index])
                    yield Rendered(index, pdf, error)
                return
        finally:
            for _first, future in window:
                future.cancel()  # queued chunks are withdrawn; a running one finishes and is dropped

    @staticmethod
    def _wait(
        future: Future[list[tuple[bytes | None, LetterError | None]]], is_cancelled: Callable[[], bool]
    ) -> list[tuple[bytes | None, LetterError | None]] | BaseException | None:
        """The chunk's results, the exception that broke the pool, or None when cancelled first."""
        while True:
            if is_cancelled():
                return None
            try:
                return future.result(timeout=_POLL)
            except FutureTimeout:
                continue
            except (BrokenProcessPool, CancelledError) as exc:
                return exc

    def _discard(self) -> None:
        with self._lock:
            executor, self._executor = self._executor, None
            self._outstanding.clear()
        if executor is not None:
            executor.shutdown(wait=False, cancel_futures=True)

    def shutdown(self) -> None:
        """Withdraw queued work and stop the workers (at exit)."""
        with self._lock:
            executor, self._executor = self._executor, None
            self._outstanding.clear()
        if executor is not None:
            executor.shutdown(wait=True, cancel_futures=True)


_shared: LetterPool | None = None
_shared_lock = threading.Lock()


def letter_pool(workers: int | None = None) -> LetterPool | None:
    """The process's shared pool (made on first use), or None when letters render in this process
    (one core, a frozen build, or ``DIOGEL_LETTER_WORKERS=0``)."""
    global _shared
    count = default_workers() if workers is None else workers
    if count < 1:
        return None
    with _shared_lock:
        if _shared is None or _shared.workers != count:
            if _shared is not None:
                _shared.shutdown()
            _shared = LetterPool(count)
        return _shared


def shutdown_pool() -> None:
    """Stop the shared pool's workers (registered to run at exit)."""
    global _shared
    with _shared_lock:
        pool, _shared = _shared, None
    if pool is not None:
        pool.shutdown()


atexit.register(shutdown_pool)


def render_each(
    jobs: Sequence[LetterJob],
    council: CouncilIdentity,
    *,
    cancelled: Callable[[], bool] | None = None,
    workers: int | None = None,
) -> Generator[Rendered, None, None]:
    """Each job rendered to its own PDF, in order, on every core (see the module docstring).
    ``workers=0`` renders in this process (the single-process path)."""
    pool = letter_pool(workers)
    if pool is None:
        is_cancelled = cancelled or (lambda: False)
        for index, job in enumerate(jobs):
            if is_cancelled():
                return
            pdf, error = _render_here(council, job)
            yield Rendered(index, pdf, error)
        return
    yield from pool.render_each(jobs, council, cancelled=cancelled)
