"""Waiting for a form: a :class:`~ui.forms.Form` saves on a worker and answers in the GUI thread later, so a
test presses Save and waits for the answer the way the window does — through the event loop."""

from __future__ import annotations

from typing import Any

WAIT_MS = 10_000


def saved(form: Any, qtbot: Any, timeout: int = WAIT_MS) -> bool:
    """Press Save (``form.save()``) and wait until its answer has been handled: whether it saved (``False``:
    the refusal or fault is on the form, as a person would see it)."""
    attempt = form.save()
    qtbot.waitUntil(lambda: attempt.done, timeout=timeout)
    return bool(attempt.ok)


def written(form: Any, qtbot: Any, timeout: int = WAIT_MS) -> None:
    """Wait until the form's store writes (a draft kept on a worker, a save) have all been answered."""
    qtbot.waitUntil(lambda: not form.writing, timeout=timeout)
