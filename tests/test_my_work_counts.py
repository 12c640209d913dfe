"""The sidebar badge's counts (``MyWorkService.counts``) read the cases in scope a chunk at a time: together the
chunks are exactly the person's scope, each case once, and the counts are My work's whole view's counts
whatever the chunk's size (one case, a part-full last chunk, a last chunk exactly full, all at once). On a real
encrypted demo profile, for a senior manager, a team manager and a social worker."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from desktop.services import my_work
from desktop.services.demo import DemoContext, build_demo
from desktop.services.my_work import MyWorkService
from desktop.services.session import Session
from tests.conftest import FixedClock, fast_kdf

DAY = date(2026, 11, 23)
PASSWORD = "demo-password-1"
PEOPLE = ("senior", "tm_cp", "sw_rhian")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoContext]:
    """One demo for the module: nothing here writes but the kept answers, which never change a count."""
    ctx = build_demo(tmp_path_factory.mktemp("counts") / "demo", PASSWORD, role="senior_manager", kdf=fast_kdf(),
                     clock=FixedClock(datetime(DAY.year, DAY.month, DAY.day, 10, tzinfo=UTC)))
    yield ctx
    ctx.store.close()


def _sizes(scope: int) -> list[int]:
    return sorted({1, 2, 3, 5, max(1, scope // 2), scope, scope + 1})


@pytest.mark.parametrize("key", PEOPLE)
def test_the_scope_read_a_chunk_at_a_time_is_the_whole_scope(demo: DemoContext, key: str) -> None:
    service = MyWorkService(demo.session(key))
    scope = service._scope()  # noqa: SLF001 - what the chunks must make up
    assert scope
    for size in _sizes(len(scope)):
        chunks = list(service._scope_chunks(size))  # noqa: SLF001
        ids = [case_id for chunk in chunks for case_id in chunk]
        assert sorted(ids) == sorted(scope), size  # every case in scope, each once, nothing else
        assert all(len(chunk) == size for chunk in chunks[:-1]), size
        assert 0 < len(chunks[-1]) <= size, size


@pytest.mark.parametrize("key", PEOPLE)
def test_the_badge_counted_in_chunks_of_any_size_is_my_work_s_counts(
        demo: DemoContext, key: str, monkeypatch: pytest.MonkeyPatch) -> None:
    demo.store.close()  # a new sign-in: no answer held in memory, so the badge counts chunk by chunk
    demo.store = Session.sign_in(Path(demo.profile.folder), PASSWORD, clock=demo.store.clock, backup=False).store
    session = demo.session(key)
    scope = len(MyWorkService(session)._scope())  # noqa: SLF001
    counted = []
    for size in _sizes(scope):
        monkeypatch.setattr(my_work, "COUNT_CHUNK", size)
        counted.append(MyWorkService(session).counts())
    whole = MyWorkService(session).view().counts
    assert whole["overdue"] + whole["due_today"] + whole["due_this_week"] > 0  # something to count
    assert counted == [whole] * len(counted)
