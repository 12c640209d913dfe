"""Fixtures for the print queue: the demo profile (built once per session, copied per test)."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from desktop.services.session import Session
from tests.conftest import demo_clock, fast_kdf

DEMO_PASSWORD = "demo-password-123"


def _build(folder: Path, role: str) -> Path:
    from desktop.services.demo import build_demo

    ctx = build_demo(folder, DEMO_PASSWORD, role=role, kdf=fast_kdf(), clock=demo_clock())
    ctx.store.close()
    return folder


@pytest.fixture(scope="session")
def demo_templates(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("demo_templates")
    return {role: _build(base / role, role) for role in ("team_manager", "social_worker", "admin_staff")}


@pytest.fixture
def demo_folder(demo_templates: dict[str, Path], tmp_path: Path) -> Callable[[str], Path]:
    """``demo_folder(role)``: a fresh copy of the demo profile whose person has ``role``."""

    def copy(role: str = "team_manager") -> Path:
        target = tmp_path / f"demo_{role}"
        if not target.exists():
            shutil.copytree(demo_templates[role], target)
        return target

    return copy


@pytest.fixture
def demo_session(demo_folder: Callable[[str], Path]) -> Iterator[Callable[[str], Session]]:
    """``demo_session(role)``: signed in to a fresh demo copy (closed at teardown)."""
    opened: list[Session] = []

    def sign_in(role: str = "team_manager") -> Session:
        s = Session.sign_in(demo_folder(role), DEMO_PASSWORD, backup=False, clock=demo_clock())
        opened.append(s)
        return s

    yield sign_in
    for s in opened:
        if not s.store._closed:  # noqa: SLF001 - teardown only
            s.store.close()


@pytest.fixture
def reportlab_invariant() -> Iterator[None]:
    """ReportLab's deterministic output (no creation time or random id in the PDF) for the test, restored after."""
    from reportlab import rl_config

    before = rl_config.invariant
    rl_config.invariant = 1
    yield
    rl_config.invariant = before
