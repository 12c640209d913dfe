"""Shared fixtures: real encrypted profiles in tmp_path, built through the real migrations."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from desktop.i18n import set_language  # noqa: E402
from desktop.services.session import Session  # noqa: E402
from desktop.store.crypto import KdfParams  # noqa: E402

PASSWORD = "correct horse battery"


def fast_kdf() -> KdfParams:
    """Weak argon2id parameters so tests run fast; the format and code path are the real ones."""
    return KdfParams.fresh(time_cost=1, memory_cost=8192, parallelism=1)


class FixedClock:
    """A settable UTC clock for the store (device clocks decide nothing; tests decide 'today')."""

    def __init__(self, moment: datetime) -> None:
        self.moment = moment

    def __call__(self) -> datetime:
        return self.moment


DEMO_MOMENT = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
"""The moment every demo-based test builds and opens its demo on (a Monday)."""


def demo_clock() -> FixedClock:
    """A fresh clock standing at :data:`DEMO_MOMENT`, for ``build_demo`` and each later sign-in."""
    return FixedClock(DEMO_MOMENT)


@pytest.fixture(autouse=True)
def english_interface() -> Iterator[None]:
    set_language("en")
    yield
    set_language("en")


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2026, 11, 23, 10, 0, tzinfo=UTC))


@pytest.fixture
def make_session(tmp_path: Path, clock: FixedClock) -> Iterator:
    """``make_session(role=..., name=...)`` creates a profile and returns its signed-in session."""
    sessions: list[Session] = []

    def make(role: str = "social_worker", folder: str = "profile", team: str = "Tîm Diogelu Plant",
             given: str = "Rhian", family: str = "Evans", scw: str | None = "SW-104233") -> Session:
        created = Session.create_profile(
            tmp_path / folder, given_names=given, family_name=family, role=role, team_name=team,
            password=PASSWORD, kdf=fast_kdf(), scw_number=scw,
        )
        created.store.close()
        session = Session.sign_in(tmp_path / folder, PASSWORD, clock=clock)
        sessions.append(session)
        return session

    yield make
    for s in sessions:
        if not s.store._closed:  # noqa: SLF001 - teardown only
            s.store.close()


@pytest.fixture
def session(make_session) -> Session:
    return make_session()


@pytest.fixture(autouse=True)
def no_widgets_outlive_their_test() -> Iterator[None]:
    """Delete every top-level widget a test leaves behind (and its children) before the next
    test: a widget kept alive only by Qt after its Python owner is gone would otherwise receive
    the next language switch's events."""
    yield
    import sys

    if "PySide6.QtWidgets" not in sys.modules:
        return
    from PySide6.QtCore import QCoreApplication, QEvent
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        return
    for widget in QApplication.topLevelWidgets():
        widget.close()
        widget.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QCoreApplication.processEvents()


def open_my_work(qtbot, session):
    """The My work page for ``session`` once its figures have come back from the worker thread."""
    from ui.my_work import MyWorkPage

    page = MyWorkPage(session)
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: page.loaded, timeout=10_000)
    assert page.last_error is None, page.last_error
    return page


def settle(qtbot) -> None:
    """Wait until no background read is running: what the windows read on workers has been drawn."""
    from ui.tasks import runner

    qtbot.waitUntil(lambda: runner().running() == 0, timeout=10_000)


def case_tab(qtbot, window, key: str):
    """The case window's tab ``key`` once made and drawn (a tab is made when first shown, or asked for, and
    then reads on a worker); ``None`` when the case has no such tab."""
    page = window.tab(key)
    if page is not None:
        qtbot.waitUntil(lambda: not window.loading, timeout=10_000)
    return page


@pytest.fixture(autouse=True, scope="session")
def _collector_as_python_has_it() -> Iterator[None]:
    """The app collects less often and freezes what exists at its first sign-in (``ui.interpreter``,
    measured by ``bench/bench_gui_stall.py``); under test the collector stays as Python has it,
    whichever test signs in first and in any order: pytest-qt closes each test's widgets through weak
    references, which a later (or never) collected cycle would leave alive after Qt deleted them."""
    import gc

    from ui import interpreter

    thresholds, freeze = interpreter.THRESHOLDS, interpreter.FREEZE
    interpreter.THRESHOLDS, interpreter.FREEZE = gc.get_threshold(), False
    gc.disable()  # as in the app, only the main thread collects (below, and the app's timer once Qt runs)
    yield
    gc.enable()
    interpreter.THRESHOLDS, interpreter.FREEZE = thresholds, freeze


@pytest.fixture(autouse=True)
def _collected_on_the_main_thread() -> Iterator[None]:
    """Cyclic garbage is freed on the main thread only, as the app does (``ui.interpreter``): after each test
    (its widgets closed) and while a test waits on Qt once an application exists, when Python would have. A
    collection a worker's allocation set off could free a cycle holding a Qt object off the GUI thread: a
    segmentation fault."""
    from PySide6.QtCore import QCoreApplication

    from ui import interpreter

    if QCoreApplication.instance() is not None:
        interpreter.collect_on_this_thread()
    yield
    interpreter.collect_if_due()  # what Python would have collected by now (a full collection each test: minutes)


@pytest.fixture
def asked() -> Iterator[list[set[str]]]:
    """What is due: each time its providers are asked (``desktop.services.my_work``), the set of cases they were
    asked about — a provider registered for the test writes down the cases its SQL condition selects."""
    from desktop.services.my_work import register_provider, unregister_provider

    seen: list[set[str]] = []

    def subjects(store: Any, condition: str, params: dict[str, Any], _on: date) -> list[Any]:
        seen.append({r["id"] for r in store.rows(f"SELECT c.id FROM case_file c WHERE {condition}", params)})
        return []

    register_provider("test_counting", subjects, day_free=True)
    yield seen
    unregister_provider("test_counting")


def case_subjects(store: Any, case_id: str) -> list[str]:
    """The ids of the people a case is about."""
    return [r["person_id"] for r in store.rows(
        "SELECT person_id FROM case_member WHERE case_id = ? AND role = 'subject' AND deleted = 0", [case_id])]


def sqlite_steps(session: Any, read: Callable[[], object]) -> int:
    """SQLite virtual-machine steps (in hundreds) the calling thread's reads take for ``read()``: a measure of
    the work a read does that the machine's load does not disturb."""
    steps = [0]

    def tick() -> int:
        steps[0] += 1
        return 0

    conn = session.store.read().conn
    conn.set_progress_handler(tick, 100)
    try:
        read()
    finally:
        conn.set_progress_handler(None, 100)
    return steps[0]


@pytest.fixture
def caseload_manager(make_session: Any) -> Any:
    """A senior manager's profile with 400 synthetic cases of three kinds (the caseload's own tests)."""
    from bench.synthetic import populate

    session = make_session(role="senior_manager")
    populate(session, 400, seed=22, case_types=["child_protection", "child_in_need", "looked_after"], register=True)
    return session
