"""The GUI thread only draws: opening every demo case's window (its header and every tab, each shown once so
that it is made) and switching language with them open read the store on workers only. Every read of the store (``Store.reading``, under
``Store.rows``) is recorded with its thread and the ``ui`` module that asked for it; a read on the GUI thread
fails the test unless its module is in the short allowlist below, each with its reason."""

from __future__ import annotations

import threading
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, time
from pathlib import Path
from typing import Any

import pytest

from desktop.i18n import set_language
from desktop.services.demo import build_demo
from desktop.services.session import Session
from desktop.store.crypto import KdfParams
from desktop.store.store import Store
from tests.conftest import DEMO_MOMENT, PASSWORD

ROOT = Path(__file__).resolve().parents[2]

NOT_YET_OFF_THE_GUI_THREAD: dict[str, str] = {
    # ui module -> why it still reads the store on the GUI thread. Empty: every case tab reads on a worker
    # (ui.loading.Loads); listed here only with a reason, so that nothing joins silently.
}


def _asker(stack: traceback.StackSummary) -> str:
    """The innermost ``ui/`` module on the stack (the widget that asked), or where the read came from."""
    for frame in reversed(stack):
        path = Path(frame.filename)
        if ROOT / "ui" in path.parents:
            return path.relative_to(ROOT).as_posix()
    return f"{Path(stack[-1].filename).name}:{stack[-1].lineno}" if stack else "?"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Session, dict[str, str]]]:
    folder: Path = tmp_path_factory.mktemp("reads") / "demo"
    kdf = KdfParams.fresh(time_cost=1, memory_cost=8192, parallelism=1)
    moment = datetime.combine(DEMO_MOMENT.date(), time(12, 0), tzinfo=UTC)
    ctx = build_demo(folder, PASSWORD, role="senior_manager", kdf=kdf, clock=lambda: moment)
    cases = dict(ctx.cases)
    ctx.store.close()
    session = Session.sign_in(folder, PASSWORD, backup=False, clock=lambda: moment)
    yield session, cases
    session.store.close()


def test_opening_every_case_and_switching_language_reads_nothing_on_the_gui_thread(
        qtbot: Any, demo: tuple[Session, dict[str, str]], monkeypatch: pytest.MonkeyPatch) -> None:
    from ui.case_view import CaseWindow
    from ui.plugins import load_plugins
    from ui.tasks import forget_store, runner

    session, cases = demo
    load_plugins()
    gui = threading.current_thread()
    reads: list[tuple[str, str]] = []  # (thread name, asker)
    real = Store.reading

    @contextmanager
    def recorded(self: Store) -> Iterator[Any]:
        reads.append((threading.current_thread().name,
                      _asker(traceback.extract_stack()) if threading.current_thread() is gui else ""))
        with real(self) as db:
            yield db

    monkeypatch.setattr(Store, "reading", recorded)
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
