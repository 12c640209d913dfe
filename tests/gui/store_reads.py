"""Which thread reads the store: shared by the tests that hold the GUI thread to drawing only."""

from __future__ import annotations

import threading
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, time
from pathlib import Path
from typing import Any

import pytest

from desktop.services.demo import build_demo
from desktop.services.session import Session
from desktop.store.crypto import KdfParams
from desktop.store.store import Store
from tests.conftest import DEMO_MOMENT, PASSWORD

ROOT = Path(__file__).resolve().parents[2]


def asker(stack: traceback.StackSummary, *, line: bool = True) -> str:
    """The innermost ``ui/`` module on the stack (the widget that asked, with its line unless ``line`` is
    false), or where the read came from."""
    for frame in reversed(stack):
        path = Path(frame.filename)
        if ROOT / "ui" in path.parents:
            where = path.relative_to(ROOT).as_posix()
            return f"{where}:{frame.lineno}" if line else where
    return f"{Path(stack[-1].filename).name}:{stack[-1].lineno}" if stack else "?"


def record_reads(monkeypatch: pytest.MonkeyPatch, *, line: bool = True) -> list[tuple[str, str]]:
    """From now on, (thread name, asker on the GUI thread else "") of every store read — the real read,
    recorded on its way (``Store.reading``, under ``Store.rows``). Call on the GUI thread."""
    recorded_reads: list[tuple[str, str]] = []
    real = Store.reading
    gui = threading.current_thread()

    @contextmanager
    def recorded(self: Store) -> Iterator[Any]:
        on_gui = threading.current_thread() is gui
        recorded_reads.append((threading.current_thread().name,
                               asker(traceback.extract_stack(), line=line) if on_gui else ""))
        with real(self) as db:
            yield db

    monkeypatch.setattr(Store, "reading", recorded)
    return recorded_reads


def signed_in_demo(tmp_path_factory: pytest.TempPathFactory, name: str) -> Iterator[tuple[Session, dict[str, str]]]:
    """A senior manager signed in to a fresh demo profile at the demo's moment; yields (session, cases)."""
    folder: Path = tmp_path_factory.mktemp(name) / "demo"
    kdf = KdfParams.fresh(time_cost=1, memory_cost=8192, parallelism=1)
    moment = datetime.combine(DEMO_MOMENT.date(), time(12, 0), tzinfo=UTC)
    ctx = build_demo(folder, PASSWORD, role="senior_manager", kdf=kdf, clock=lambda: moment)
    cases = dict(ctx.cases)
    ctx.store.close()
    session = Session.sign_in(folder, PASSWORD, backup=False, clock=lambda: moment)
    yield session, cases
    session.store.close()
