"""The GUI thread only draws: opening every demo case's window (its header and every tab, each shown once so
that it is made) and switching language with them open read the store on workers only. Every read of the store (``Store.reading``, under
``Store.rows``) is recorded with its thread and the ``ui`` module that asked for it; a read on the GUI thread
fails the test unless its module is in the short allowlist below, each with its reason."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest

from desktop.i18n import set_language
from desktop.services.session import Session
from tests.gui.store_reads import record_reads, signed_in_demo

NOT_YET_OFF_THE_GUI_THREAD: dict[str, str] = {
    # ui module -> why it still reads the store on the GUI thread. Empty: every case tab reads on a worker
    # (ui.loading.Loads); listed here only with a reason, so that nothing joins silently.
}


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Session, dict[str, str]]]:
    yield from signed_in_demo(tmp_path_factory, "reads")


def test_opening_every_case_and_switching_language_reads_nothing_on_the_gui_thread(
        qtbot: Any, demo: tuple[Session, dict[str, str]], monkeypatch: pytest.MonkeyPatch) -> None:
    from ui.case_view import CaseWindow
    from ui.plugins import load_plugins
    from ui.tasks import forget_store, runner

    session, cases = demo
    load_plugins()
    gui = threading.current_thread()
    reads = record_reads(monkeypatch, line=False)  # (thread name, asker)
    windows = []
    try:
        for case_id in cases.values():
            window = CaseWindow(session, case_id)  # deleted when closed, below
            window.show()
            windows.append(window)
        qtbot.waitUntil(lambda: not any(w.loading for w in windows), timeout=60_000)
        assert [w.failure for w in windows if not w.opened] == []
        assert all(w.tabs.count() for w in windows)
        for w in windows:  # a tab is made when it is first shown: show each
            for i in range(w.tabs.count()):
                w.tabs.setCurrentIndex(i)
            assert all(w.tab(t.key, make=False) is not None for t in w._tab_defs)  # noqa: SLF001
        qtbot.waitUntil(lambda: not any(w.loading for w in windows), timeout=60_000)
        for lang in ("cy", "en"):
            set_language(lang)
            qtbot.waitUntil(lambda: runner().running() == 0, timeout=20_000)
        off = [name for name, _asked in reads if name != gui.name]
        on = [asked for name, asked in reads if name == gui.name]
        assert len(off) > 5 * len(windows), "the windows' reads were recorded, on workers"
        unexpected = sorted({asked for asked in on if asked not in NOT_YET_OFF_THE_GUI_THREAD})
        assert unexpected == [], f"store reads on the GUI thread from {unexpected}"
    finally:
        set_language("en")
        for w in windows:
            w.close()
        forget_store(session)
        assert runner().wait_idle(20)
