"""ui.loading.Loader: the latest request's answer is drawn (an overtaken one is dropped), "Loading…" shows
only when an answer is late, a dead widget gets nothing, and the work runs off the GUI thread."""

from __future__ import annotations

import threading

from PySide6.QtCore import QThread
from PySide6.QtWidgets import QWidget

from ui.loading import Loader
from ui.tasks import runner


def test_a_late_answer_to_an_older_request_is_dropped(qtbot) -> None:
    owner = QWidget()
    qtbot.addWidget(owner)
    drawn: list[str] = []
    loader: Loader[str] = Loader(owner, drawn.append)
    release_old = threading.Event()

    def old() -> str:
        release_old.wait(5)
        return "old"

    loader.load(old)
    loader.load(lambda: "new")
    qtbot.waitUntil(lambda: drawn == ["new"], timeout=5_000)
    assert not loader.pending
    release_old.set()  # the older read finishes after the newer one was drawn
    qtbot.waitUntil(lambda: loader.dropped == 1, timeout=5_000)
    assert drawn == ["new"]


def test_loading_is_shown_only_when_the_answer_is_late(qtbot) -> None:
    owner = QWidget()
    qtbot.addWidget(owner)
    busy: list[bool] = []
    drawn: list[int] = []
    loader: Loader[int] = Loader(owner, drawn.append, on_busy=busy.append, delay_ms=30)
    loader.load(lambda: 1)
    qtbot.waitUntil(lambda: drawn == [1], timeout=5_000)
    qtbot.wait(60)
    assert busy == [], "a quick answer never shows Loading…"

    release = threading.Event()

    def slow() -> int:
        release.wait(5)
        return 2

    loader.load(slow)
    qtbot.waitUntil(lambda: busy == [True], timeout=5_000)
    assert loader.busy and loader.pending
    release.set()
    qtbot.waitUntil(lambda: drawn == [1, 2], timeout=5_000)
    assert busy == [True, False] and not loader.busy


def test_the_work_runs_on_a_worker_and_failures_reach_fail(qtbot) -> None:
    owner = QWidget()
    qtbot.addWidget(owner)
    gui = QThread.currentThread()
    threads: list[QThread] = []
    failures: list[BaseException] = []

    def work() -> None:
        threads.append(QThread.currentThread())
        raise LookupError("gone")

    loader: Loader[None] = Loader(owner, lambda _r: None, fail=failures.append)
    loader.load(work)
    qtbot.waitUntil(lambda: bool(failures), timeout=5_000)
    assert threads and threads[0] is not gui
    assert isinstance(failures[0], LookupError) and not loader.pending


def test_nothing_is_drawn_into_a_destroyed_widget(qtbot) -> None:
    owner = QWidget()
    drawn: list[str] = []
    loader: Loader[str] = Loader(owner, drawn.append)
    release = threading.Event()

    def read() -> str:
        release.wait(5)
        return "late"

    task = loader.load(read)
    owner.deleteLater()
    qtbot.waitUntil(lambda: not __import__("shiboken6").isValid(owner), timeout=5_000)
    release.set()
    qtbot.waitUntil(lambda: task.done, timeout=5_000)
    assert runner().wait_idle(5)
    assert drawn == []


def test_a_read_queue_runs_one_read_at_a_time_and_a_newer_request_takes_the_older_ones_place(qtbot) -> None:
    from ui.loading import ReadQueue

    owner = QWidget()
    qtbot.addWidget(owner)
    queue = ReadQueue(owner)
    drawn: list[str] = []
    a, b, c = (Loader(owner, drawn.append, queue=queue) for _i in range(3))
    ran: list[str] = []
    running, most = [0], [0]
    lock = threading.Lock()
    release = threading.Event()

    def read(name: str, wait: bool = False) -> str:
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
            ran.append(name)
        if wait:
            release.wait(5)
        with lock:
            running[0] -= 1
        return name

    a.load(read, "a", True)
    b.load(read, "b1")
    c.load(read, "c")
    b.load(read, "b2")  # b's first request has not started: the newer one takes its place
    assert queue.waiting == 2 and runner().running() == 1, "one read runs, the others wait"
    assert b.pending and c.pending
    release.set()
    qtbot.waitUntil(lambda: not (a.pending or b.pending or c.pending), timeout=5_000)
    assert ran == ["a", "b2", "c"] and drawn == ["a", "b2", "c"]
    assert most[0] == 1, "never two reads of the queue at once"
    assert b.dropped == 0, "the replaced request was never run, so nothing was dropped"
