"""A widget's data read on a worker and drawn on the GUI thread: :class:`Loader`.

The one bridge to the workers stays :mod:`ui.tasks`; this is how a widget uses it to load what it
shows. The widget keeps what came back and draws from it; ``retranslate()`` redraws from what it
holds and never reads.

* **The latest request wins.** Each :meth:`Loader.load` supersedes the ones before it: an older answer
  that arrives late (a slow read overtaken by a newer one after a commit) is dropped, never drawn over
  the newer one.
* **"Loading…" only if it takes long.** ``on_busy(True)`` is called when an answer has not come back
  within :data:`LOADING_DELAY_MS` (a quick read never flickers), ``on_busy(False)`` when the latest
  answer has been drawn or has failed.
* **Nothing is drawn into a dead widget.** The loader is a child of its widget; once the widget is
  destroyed (the window closed, the screen locked) answers are dropped.
* **One read at a time per window, if asked.** A loader given a :class:`ReadQueue` (a case window's tabs
  share their window's) runs its reads one after the other, not all at once: workers running Python
  hold the interpreter lock the GUI thread needs to draw. A read still waiting in the queue is replaced
  by its loader's newer request (it would only be dropped when answered).

Thread contract: create and call in the GUI thread; ``fn`` runs on a worker and must not touch
widgets; ``draw``, ``fail`` and ``on_busy`` run in the GUI thread.
"""

from __future__ import annotations

import inspect
import logging
import weakref
from collections.abc import Callable
from typing import Any, Generic, TypeVar

import shiboken6
from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QWidget

from ui.tasks import Task, runner

log = logging.getLogger(__name__)

T = TypeVar("T")

LOADING_DELAY_MS = 300
"""How long an answer may take before "Loading…" is shown (a read quicker than this never flickers)."""


def _held(fn: Callable[..., Any]) -> Callable[[], Callable[..., Any] | None]:
    """``fn`` behind a reference: weak for a bound method (its object may go), strong otherwise."""
    if inspect.ismethod(fn):
        return weakref.WeakMethod(fn)
    return lambda: fn


class ReadQueue(QObject):
    """Reads run one at a time, in the order asked (GUI thread). A loader's request still waiting is
    replaced by its newer one, in its place. The queue is a child of ``owner`` (a case window)."""

    def __init__(self, owner: QObject | None = None) -> None:
        super().__init__(owner)
        self._waiting: list[tuple[object, Callable[[], Task]]] = []
        self.running: Task | None = None

    @property
    def waiting(self) -> int:
        """How many reads wait for the one running (for tests)."""
        return len(self._waiting)

    def submit(self, key: object, start: Callable[[], Task]) -> None:
        """Call ``start()`` (which starts a task on a worker) once no other read of the queue runs;
        a read of the same ``key`` still waiting is replaced."""
        for i, (waiting_key, _start) in enumerate(self._waiting):
            if waiting_key is key:
                self._waiting[i] = (key, start)
                break
        else:
            self._waiting.append((key, start))
        self._next()

    def _next(self) -> None:
        if self.running is not None or not self._waiting:
            return
        _key, start = self._waiting.pop(0)
        task = start()
        self.running = task
        # Connected after the loader's own callbacks: the answer is drawn, then the next read starts
        # (in the same delivery, so a runner never looks idle between two queued reads).
        task.finished.connect(lambda _r: self._done(task))
        task.failed.connect(lambda _e: self._done(task))

    def _done(self, task: Task) -> None:
        if not shiboken6.isValid(self):
            return
        if self.running is task:
            self.running = None
        self._next()


def window_queue(widget: QObject) -> ReadQueue | None:
    """The read queue of ``widget``'s window (a case window's ``read_queue``), ``None`` when it has none."""
    window = widget.window() if isinstance(widget, QWidget) else None
    queue = getattr(window, "read_queue", None)
    return queue if isinstance(queue, ReadQueue) else None


class Loader(QObject, Generic[T]):
    """Loads ``owner``'s data with :meth:`load` and hands the latest answer to ``draw``."""

    def __init__(
        self,
        owner: QObject,
        draw: Callable[[T], None],
        *,
        fail: Callable[[BaseException], None] | None = None,
        on_busy: Callable[[bool], None] | None = None,
        delay_ms: int = LOADING_DELAY_MS,
        queue: ReadQueue | None = None,
    ) -> None:
        super().__init__(owner)
        self._queue = queue
        # The owner's own methods are held weakly: a loader must not keep a closed window's Python
        # object alive (a cycle through its bound methods).
        self._draw = _held(draw)
        self._fail = _held(fail) if fail is not None else None
        self._on_busy = _held(on_busy) if on_busy is not None else None
        self._generation = 0
        self._answered = 0
        self._busy = False
        self.task: Task | None = None
        self._then: list[Callable[[], None]] = []
        self.dropped = 0
        """Answers dropped because a newer request had superseded them (for tests and the bench)."""
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(delay_ms)
        self._timer.timeout.connect(self._show_busy)

    @property
    def pending(self) -> bool:
        """Whether the latest request has not been answered yet."""
        return self._answered < self._generation

    @property
    def busy(self) -> bool:
        """Whether "Loading…" is being shown (the latest answer is late)."""
        return self._busy

    def when_answered(self, fn: Callable[[], None]) -> None:
        """Call ``fn`` (GUI thread) once the latest request's answer is drawn (or failed); now if none is due."""
        if self.pending:
            self._then.append(fn)
        else:
            fn()

    def load(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> Task | None:
        """Run ``fn(*args, **kwargs)`` on a worker (after the queue's earlier reads, when it has one);
        draw its answer unless a newer request came first. Returns the task started (``None`` when the read
        waits in the queue)."""
        self._generation += 1
        generation = self._generation
        if not self._timer.isActive() and not self._busy:
            self._timer.start()

        def start() -> Task:
            self.task = runner().run(
                fn, *args,
                on_done=lambda result: self._answer(generation, result, None),
                on_error=lambda exc: self._answer(generation, None, exc),
                **kwargs,
            )
            return self.task

        if self._queue is not None and shiboken6.isValid(self._queue):
            self._queue.submit(self, start)
            return self.task if self._queue.running is self.task and self.task is not None else None
        return start()

    def _answer(self, generation: int, result: Any, exc: BaseException | None) -> None:
        if not shiboken6.isValid(self):  # the widget (and this loader with it) is gone
            return
        if generation != self._generation:
            self.dropped += 1  # superseded: the newer request's answer is drawn instead
            return
        self._answered = generation
        self._timer.stop()
        draw, fail = self._draw(), self._fail() if self._fail is not None else None
        try:
            if exc is None:
                if draw is not None:
                    draw(result)
            elif fail is not None:
                fail(exc)
            else:
                log.error("a widget's data could not be read", exc_info=exc)
        finally:
            self._set_busy(False)
            then, self._then = self._then, []
            for fn in then:
                fn()

    def _show_busy(self) -> None:
        if self.pending:
            self._set_busy(True)

    def _set_busy(self, busy: bool) -> None:
        if busy != self._busy:
            self._busy = busy
            on_busy = self._on_busy() if self._on_busy is not None else None
            if on_busy is not None:
                on_busy(busy)


class Loads(Generic[T]):
    """For a widget (a case tab) that shows data read on a worker: :meth:`read` runs on a worker and
    returns plain data (it must not touch widgets: what it needs of them comes from :meth:`request`), :meth:`draw` puts it on screen in the GUI thread. :meth:`refresh`
    reads again (the latest request wins); :meth:`redraw` draws again from what is held (a language
    switch: ``retranslate()`` calls it and never reads). :attr:`data` is ``None`` until the first answer.

    Call :meth:`start_loading` once at the end of ``__init__`` (after the widgets exist)."""

    data: T | None = None
    loader: Loader[T]

    def read(self, *args: Any) -> T:  # pragma: no cover - overridden
        """Worker thread: everything :meth:`draw` needs (``args`` from :meth:`request`)."""
        raise NotImplementedError

    def request(self) -> tuple[Any, ...]:
        """GUI thread: what the read depends on that widgets hold (the child chosen), passed to :meth:`read`."""
        return ()

    def draw(self, data: T) -> None:  # pragma: no cover - overridden
        """GUI thread: show ``data``."""
        raise NotImplementedError

    def start_loading(self, owner: QObject, *, fail: Callable[[BaseException], None] | None = None) -> None:
        """Make the loader and read for the first time; a tab of a case window reads through its window's
        :class:`ReadQueue` (``read_queue``), one read of the window at a time."""
        self.loader = Loader(owner, self._drawn, fail=fail or self.failed, queue=window_queue(owner))
        self.refresh()

    def refresh(self) -> None:
        """Read again on a worker and draw the answer."""
        self.loader.load(self.read, *self.request())

    def redraw(self) -> None:
        if self.data is not None:
            self.draw(self.data)

    @property
    def loading(self) -> bool:
        """Whether an answer is still awaited."""
        return self.loader.pending

    def when_loaded(self, fn: Callable[[], None]) -> None:
        """Call ``fn`` once what is being read is drawn (now if nothing is)."""
        self.loader.when_answered(fn)

    def failed(self, exc: BaseException) -> None:
        """An unexpected failure of :meth:`read`: logged (the tab keeps what it showed)."""
        log.error("%s could not be read", type(self).__name__, exc_info=exc)

    def _drawn(self, data: T) -> None:
        self.data = data
        self.draw(data)
