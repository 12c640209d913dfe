"""Waiting for a form: a :class:`~ui.forms.Form` reads what it lists on a worker as it opens, and saves on a
worker, answering in the GUI thread later; so a test waits for its fields, presses Save and waits for the
answer the way the window does — through the event loop."""

from __future__ import annotations

import time
from typing import Any

WAIT_MS = 10_000


def filled(form: Any, qtbot: Any = None, timeout: int = WAIT_MS) -> Any:
    """Wait until the form has read what it lists and made its fields (a person waits for "Loading…" to go),
    through the event loop; returns the form. Anything that is not a form that reads (a sign-in window,
    ``None``) passes through."""
    if form is None or not (hasattr(form, "loading") and hasattr(form, "open_failure")):
        return form
    if qtbot is not None:
        qtbot.waitUntil(lambda: not form.loading, timeout=timeout)
    else:  # a helper without qtbot: deliver events the same way until the answer is in
        from PySide6.QtWidgets import QApplication

        deadline = time.monotonic() + timeout / 1000
        while form.loading:
            assert time.monotonic() < deadline, f"{type(form).__name__} did not open in {timeout} ms"
            QApplication.processEvents()
            time.sleep(0.002)
    assert form.open_failure is None, f"{type(form).__name__} could not be opened: {form.open_failure!r}"
    return form


def saved(form: Any, qtbot: Any, timeout: int = WAIT_MS) -> bool:
    """Press Save (``form.save()``) once the form is open, and wait until its answer has been handled: whether
    it saved (``False``: the refusal or fault is on the form, as a person would see it)."""
    filled(form, qtbot, timeout)
    attempt = form.save()
    qtbot.waitUntil(lambda: attempt.done, timeout=timeout)
    return bool(attempt.ok)


def written(form: Any, qtbot: Any, timeout: int = WAIT_MS) -> None:
    """Wait until the form's store writes (a draft kept on a worker, a save) have all been answered."""
    qtbot.waitUntil(lambda: not form.writing, timeout=timeout)
