"""A team manager sees the visits due for a worker on leave in "My work" and assigns cover there, choosing
among their own team's workers (a senior manager among anyone's); a refusal shows beside the date and
nothing is saved.

The lists were seen to fail with ``cover_workers`` not filtering by team (another team's worker offered to
the team manager)."""

from __future__ import annotations

import pytest

from desktop.services.demo import build_demo
from tests.conftest import DEMO_MOMENT, demo_clock, fast_kdf
from tests.gui.forms import filled, saved

pytestmark = pytest.mark.gui


@pytest.fixture
def manager(tmp_path):
    ctx = build_demo(tmp_path / "demo", "demo-password-1", role="team_manager", kdf=fast_kdf(), clock=demo_clock())
    yield ctx
    from ui.tasks import forget_store

    forget_store(ctx.session("tm_cp"))
    ctx.store.close()


def _tom(page):
    [row] = [r for r in page.worker_rows() if r.text(0) == "Tom Bevan"]
    return row


def test_team_manager_assigns_cover_from_my_work(qtbot, manager) -> None:
    from ui.my_work import MyWorkPage

    session = manager.session("tm_cp")
    page = MyWorkPage(session)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitExposed(page)
    qtbot.waitUntil(lambda: page.loaded, timeout=10_000)
    assert page.work.uncovered, "Tom is on leave with nobody covering his visits"
    assert page.note.isVisible() and "nobody covering" in page.note.text()
    tom = _tom(page)
    assert tom.text(5) == "Away: nobody covering"
    assert page.cover_button.isVisible(), "a team manager is offered cover"
    assert not page.cover_button.isEnabled(), "nothing chosen yet"
    page.team.setCurrentItem(tom)
    assert page.cover_button.isEnabled()
    dialog = page.assign_cover()
    filled(dialog)
    qtbot.addWidget(dialog)
    workers = [dialog.widgets["covering_id"].itemText(i) for i in range(dialog.widgets["covering_id"].count())]
    assert "Rhian Evans" in workers and "Tom Bevan" not in workers, "nobody covers themselves"
    # A team manager chooses among their own team only (the server refuses anyone else), and is told why.
    assert "Gareth Rees" not in workers and "Siân Hughes" not in workers
    assert "another team's worker" in dialog.widgets["covering_id"].toolTip()
    dialog.set_value("covering_id", manager.staff["sw_rhian"])
    assert DEMO_MOMENT.date().isoformat() == "2026-11-23", "the dates typed below are relative to the demo's day"
    dialog.set_value("from_date", "23/11/2026")
    dialog.set_value("to_date", "20/11/2026")
    before = session.store.rows("SELECT count(*) AS n FROM cover")[0]["n"]
    assert not saved(dialog, qtbot)
    assert dialog.error_text("to_date") == "The end date is before the start date."
    assert session.store.rows("SELECT count(*) AS n FROM cover")[0]["n"] == before
    dialog.set_value("to_date", "04/12/2026")
    with qtbot.waitSignal(dialog.saved):
        assert saved(dialog, qtbot)
    cover = session.store.rows("SELECT covering_id, covered_id, to_date FROM cover ORDER BY created_at DESC LIMIT 1")[0]
    assert cover == {"covering_id": manager.staff["sw_rhian"], "covered_id": manager.staff["sw_tom"],
                     "to_date": "2026-12-04"}
    qtbot.waitUntil(lambda: page.work is not None and not page.work.uncovered, timeout=10_000)
    assert not page.note.isVisible()
    assert _tom(page).text(5) == "Away; Rhian Evans covers"
    tom = _tom(page)
    tom.setExpanded(True)
    assert tom.childCount() > 0


def test_a_senior_manager_chooses_cover_among_every_team(qtbot, tmp_path) -> None:
    from ui.child_protection.cover_dialog import CoverDialog
    from ui.tasks import forget_store

    ctx = build_demo(tmp_path / "demo", "demo-password-1", role="senior_manager", kdf=fast_kdf(), clock=demo_clock())
    session = ctx.session("senior")
    try:
        dialog = CoverDialog(session, ctx.staff["sw_tom"])
        qtbot.addWidget(dialog)
        filled(dialog, qtbot)
        workers = [dialog.widgets["covering_id"].itemText(i) for i in range(dialog.widgets["covering_id"].count())]
        assert {"Rhian Evans", "Gareth Rees", "Siân Hughes"} <= set(workers) and "Tom Bevan" not in workers
        assert dialog.widgets["covering_id"].toolTip() == "", "nobody is left out, so nothing to explain"
        dialog.close()
    finally:
        forget_store(session)
        ctx.store.close()
