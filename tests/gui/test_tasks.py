"""The thread bridge delivers results, errors and progress in the GUI thread, and cancels."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QThread

from desktop.errors import ValidationError
from ui.tasks import Cancelled, TaskRunner


def test_result_and_error_arrive_in_the_gui_thread(qtbot) -> None:
    runner = TaskRunner(max_workers=2)
    gui = QThread.currentThread()
    seen = {}

    def work() -> str:
        seen["worker"] = threading.current_thread().name
        return "done"

    task = runner.run(work, on_done=lambda r: seen.update(result=r, thread=QThread.currentThread()))
    qtbot.waitUntil(lambda: task.done, timeout=5_000)
    assert seen["result"] == "done" and seen["thread"] is gui and seen["worker"].startswith("diogel-task")

    def bad() -> None:
        raise ValidationError("Enter a family name.", field="family_name")

    errors = []
    task = runner.run(bad, on_error=errors.append)
    qtbot.waitUntil(lambda: task.done, timeout=5_000)
    assert isinstance(errors[0], ValidationError)
    runner.shutdown()


def test_progress_and_cancel(qtbot) -> None:
    runner = TaskRunner(max_workers=1)
    started, release = threading.Event(), threading.Event()
    progress = []

    def long_work(control) -> int:
        for i in range(100):
            control.progress(i, 100, "step")
            started.set()
            release.wait(5)
            control.check()
        return 100

    errors = []
    task = runner.run(long_work, control=True, on_progress=lambda d, t, s: progress.append(d), on_error=errors.append)
    assert started.wait(5)
    task.cancel()
    release.set()
    qtbot.waitUntil(lambda: task.done, timeout=5_000)
    assert progress and progress[0] == 0
    assert isinstance(errors[0], Cancelled)
    runner.shutdown()
    with pytest.raises(RuntimeError):
        runner.run(lambda: None)
