"""The case header: a child's line ("Osian ap Llŷr, 5 oed, ganwyd 11 Tach 2021") is one line when the row
has room for it — the row's last subject takes the rest of the row rather than wrapping beside its empty
columns (seen in Welsh at 1366×768) — in both languages. (The test's offscreen screen is 800 px wide,
narrower than a laptop: the row's last subject must fit even there.)"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from desktop.i18n import set_language
from desktop.services.demo import DemoContext, build_demo
from tests.conftest import demo_clock, fast_kdf

PASSWORD = "demo-password-header"


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[DemoContext]:
    ctx = build_demo(tmp_path / "demo", PASSWORD, role="social_worker", kdf=fast_kdf(), clock=demo_clock())
    yield ctx
    from ui.tasks import forget_store

    forget_store(ctx.session("sw_rhian"))
    ctx.store.close()


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_each_subject_is_one_line_on_a_laptop(qtbot: Any, demo: DemoContext, lang: str) -> None:
    from ui.case_view import CaseWindow

    set_language(lang)
    try:
        case = CaseWindow(demo.session("sw_rhian"), demo.cases["twr_cp"])  # two children
        qtbot.addWidget(case)
        case.resize(1366, 768)  # as far as the offscreen screen allows
        case.show()
        qtbot.waitUntil(lambda: case.opened and not case.loading, timeout=10_000)
        qtbot.wait(50)  # the header laid out at the window's size
        subjects = [value for key, value in case._rows if value.text().startswith(("Seren", "Osian"))]  # noqa: SLF001
        assert len(subjects) == 2
        last = subjects[-1]  # the row's last subject, with the row's empty columns to its right
        one_line = last.fontMetrics().lineSpacing()
        assert last.heightForWidth(last.width()) < 2 * one_line, f"{last.text()!r} wraps at {last.width()} px"
    finally:
        set_language("en")
