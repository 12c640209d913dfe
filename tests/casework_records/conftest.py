"""The demo profile (real encrypted SQLite, every casework area seeded through the services) on the
demo's fixed day, for the tests of notes, the chronology, supervision and sign-off."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from desktop.services.demo import DemoContext, build_demo
from tests.conftest import demo_clock, fast_kdf

PASSWORD = "demo-password-issue-19"


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[DemoContext]:
    ctx = build_demo(tmp_path / "demo", PASSWORD, role="team_manager", language="en", kdf=fast_kdf(),
                     clock=demo_clock())
    yield ctx
    if "PySide6.QtWidgets" in __import__("sys").modules:
        from ui.tasks import forget_store

        forget_store(ctx.session("tm_cp"))
    ctx.store.close()


def count(ctx: Any, table: str) -> int:
    return int(ctx.store.rows(f"SELECT count(*) AS n FROM {table}")[0]["n"])


def audited(ctx: Any, actor_key: str, entity: str, case_id: str) -> int:
    """Read entries of ``entity`` for the case by the person (the audit of a read is queued: wait for it)."""
    ctx.store.write(lambda tx: None, actor="test")  # the writer runs queued work in order: this waits for it
    return int(ctx.store.rows(
        "SELECT count(*) AS n FROM audit WHERE action = 'read' AND entity = ? AND case_id = ? AND actor = ?",
        [entity, case_id, ctx.staff[actor_key]])[0]["n"])
