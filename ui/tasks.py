"""The one bridge between worker threads and the GUI.

``runner().run(fn, ...)`` runs ``fn`` on a worker thread (a small ``ThreadPoolExecutor``) and
delivers its result or exception to the GUI thread through a queued Qt signal. Workers never
touch widgets: they return plain data, and may report progress and check for cancellation
through a :class:`TaskControl` when asked for one (``control=True``).

:class:`StoreWatcher` does the same for the store's commit listeners, which run on the writer
thread: each commit becomes a :attr:`StoreWatcher.changed` signal in the GUI thread.

Thread contract: create tasks and watchers in the GUI thread; callbacks and signals are
delivered in the GUI thread.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal, Slot

log = logging.getLogger(__name__)


class Cancelled(Exception):
    """Raised by :meth:`TaskControl.check` when the task was cancelled."""


class TaskControl:
    """Given to a work function (``control=True``): report progress, notice cancellation.
    Safe to use from the worker thread."""

    def __init__(self, task: Task) -> None:
        self._task = task

    @property
    def cancelled(self) -> bool:
        return self._task._cancel.is_set()

    def check(self) -> None:
        """Raise :class:`Cancelled` if the task was cancelled (call it between steps)."""
        if self.cancelled:
            raise Cancelled()

    def progress(self, done: int, total: int, text: str = "") -> None:
        self._task._deliver.emit("progress", (done, total, text))


class Task(QObject):
    """A unit of background work. Signals arrive in the GUI thread."""

    finished = Signal(object)  # the result
    failed = Signal(object)  # the exception (Cancelled when cancelled)
    progress = Signal(int, int, str)  # done, total, text
    _deliver = Signal(str, object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._cancel = threading.Event()
        self._ended = threading.Event()
        self._work: tuple[Any, ...] | None = None
        self.done = False
        self._deliver.connect(self._on_deliver, Qt.ConnectionType.QueuedConnection)

    def cancel(self) -> None:
        """Ask the work to stop; it fails with :class:`Cancelled` if it checks in time."""
        self._cancel.set()

    def wait_ended(self, timeout: float | None = None) -> bool:
        """Worker thread: block until this task's work has run (not until its answer is delivered), so
        work that must come after it (a form's writes, in the order they were asked for) waits for it.
        Never call it in the GUI thread: that is what the signals are for."""
        return self._ended.wait(timeout)

    @Slot(str, object)
    def _on_deliver(self, kind: str, payload: Any) -> None:
        if kind == "progress":
            self.progress.emit(*payload)
            return
        self.done = True
        try:
            if kind == "result":
                self.finished.emit(payload)
            else:
                self.failed.emit(payload)
        finally:
            # Answered once and for all: let go of the callbacks, which may hold a window closed since
            # (a form saved after its window was closed must not be kept alive by its finished task).
            self.finished.disconnect()
            self.failed.disconnect()
            self._work = None


class TaskRunner(QObject):
    """Runs callables on a worker pool; keeps each :class:`Task` alive until it is done."""

    def __init__(self, max_workers: int = 4, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix="diogel-task")
        self._running: set[Task] = set()
        # Start every worker now, while nothing else runs: the pool starts a thread on a later submit
        # otherwise, and starting one waits for it to run — behind busy workers, a pause on the GUI thread.
        started = threading.Barrier(max_workers)
        for _ in range(max_workers):
            self._pool.submit(_wait_for, started)

    def run(
        self,
        fn: Callable[..., Any],
        *args: Any,
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        on_progress: Callable[[int, int, str], None] | None = None,
        control: bool = False,
        **kwargs: Any,
    ) -> Task:
        """Run ``fn(*args, **kwargs)`` (plus ``control=TaskControl`` if asked) on a worker.
        ``on_done(result)`` / ``on_error(exc)`` / ``on_progress(done, total, text)`` run in the
        GUI thread. An error with no ``on_error`` is logged."""
        task = Task(self)
        if on_done:
            task.finished.connect(on_done)
        task.failed.connect(on_error or (lambda exc: log.error("background task failed", exc_info=exc)))
        if on_progress:
            task.progress.connect(on_progress)
        task.finished.connect(lambda _r: self._running.discard(task))
        task.failed.connect(lambda _e: self._running.discard(task))
        self._running.add(task)
        if control:
            kwargs["control"] = TaskControl(task)
        # The work (often a widget's bound method) is held here, in the GUI thread, until its answer has
        # been delivered; the worker lets go of it before answering. So the last reference to a widget
        # is never dropped on a worker, where Python would delete a parentless widget off the GUI thread.
        task._work = (fn, args, kwargs)
        box = [(fn, args, kwargs)]

        def work() -> None:
            call, call_args, call_kwargs = box.pop()
            try:
                if task._cancel.is_set():
                    raise Cancelled()
                result = call(*call_args, **call_kwargs)
            except BaseException as exc:  # delivered, not lost
                del call, call_args, call_kwargs
                task._ended.set()
                task._deliver.emit("error", exc)
            else:
                del call, call_args, call_kwargs
                task._ended.set()
                task._deliver.emit("result", result)

        self._pool.submit(work)
        return task

    def running(self) -> int:
        return len(self._running)

    def wait_idle(self, timeout: float = 10.0) -> bool:
        """GUI thread: deliver events until no task is running (``False`` if ``timeout`` seconds
        pass first). For teardown before a store closes, so no read outlives its store."""
        import time

        from PySide6.QtCore import QCoreApplication

        deadline = time.monotonic() + timeout
        while self._running:
            if time.monotonic() > deadline:
                return False
            QCoreApplication.processEvents()
            time.sleep(0.001)
        return True

    def wait_work(self, timeout: float = 10.0) -> bool:
        """GUI thread: block until the work of every running task has run (``False`` if ``timeout`` seconds
        pass first), delivering nothing: before a store closes, so a write asked for on a worker (a form's
        draft kept as its window closed) is in the store. Safe because workers never wait for the GUI thread."""
        import time

        deadline = time.monotonic() + timeout
        return all(task.wait_ended(max(0.0, deadline - time.monotonic())) for task in list(self._running))

    def shutdown(self) -> None:
        """Cancel what can be cancelled and wait for running work (at exit)."""
        for task in list(self._running):
            task.cancel()
        self._pool.shutdown(wait=True, cancel_futures=True)


def _wait_for(barrier: threading.Barrier) -> None:
    """Hold a worker until every worker has started (so each start makes a thread of its own)."""
    try:
        barrier.wait(timeout=5)
    except threading.BrokenBarrierError:
        pass


_runner: TaskRunner | None = None


def runner() -> TaskRunner:
    """The application's task runner (created on first use in the GUI thread)."""
    global _runner
    if _runner is None:
        _runner = TaskRunner()
    return _runner


class StoreWatcher(QObject):
    """Turns the store's commit listener (writer thread) into a GUI-thread signal."""

    changed = Signal(object, object)  # set of tables, set of case ids
    _relay = Signal(object, object)

    def __init__(self, store: Any, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._relay.connect(self._on_relay, Qt.ConnectionType.QueuedConnection)
        store.add_commit_listener(self._on_commit)

    def _on_commit(self, tables: set[str], case_ids: set[str]) -> None:  # writer thread
        self._relay.emit(set(tables), set(case_ids))

    @Slot(object, object)
    def _on_relay(self, tables: set[str], case_ids: set[str]) -> None:
        self.changed.emit(tables, case_ids)

    def close(self) -> None:
        self._store.remove_commit_listener(self._on_commit)


_watchers: dict[int, StoreWatcher] = {}


def store_watcher(session: Any) -> StoreWatcher:
    """The watcher of ``session``'s store (one per store; GUI thread)."""
    key = id(session.store)
    if key not in _watchers:
        _watchers[key] = StoreWatcher(session.store)
    return _watchers[key]


def forget_store(session: Any) -> None:
    """Stop watching ``session``'s store (before it closes)."""
    watcher = _watchers.pop(id(session.store), None)
    if watcher is not None:
        watcher.close()
        watcher.deleteLater()
