"""My work marks the person an item is about with their safety flags (issue 20: "shown wherever the person
appears"): a marker beside the name, the flags in words in its tooltip and in what a screen reader says,
in the language of the moment; the flags are read with the figures on a worker. A language switch says
the team list's words again in place: no row is made again. On a real encrypted demo profile."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import Qt

from desktop.i18n import set_language
from desktop.services.demo import DemoContext, build_demo
from desktop.services.safety_flags import SafetyFlagService
from tests.conftest import demo_clock, fast_kdf, open_my_work, settle
from ui.language import hub

pytestmark = pytest.mark.gui


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[DemoContext]:
    ctx = build_demo(tmp_path / "demo", "demo-password-flags", role="team_manager", kdf=fast_kdf(),
                     clock=demo_clock())
    yield ctx
    from ui.tasks import forget_store

    forget_store(ctx.session("tm_cp"))
    ctx.store.close()


def _flagged_child(ctx: DemoContext) -> str:
    """A subject of Rhian's child protection case who has items in her own work."""
    return str(ctx.store.rows("SELECT person_id FROM case_member WHERE case_id = ? AND role = 'subject'"
                              " AND deleted = 0 ORDER BY person_id LIMIT 1", [ctx.cases["twr_cp"]])[0]["person_id"])


def _own_rows(page: Any) -> list[Any]:
    return page.rows("overdue") + page.rows("due_today") + page.rows("due_this_week")


def test_the_person_an_item_is_about_carries_their_safety_flags(qtbot: Any, demo: DemoContext) -> None:
    hub()
    child = _flagged_child(demo)
    SafetyFlagService(demo.session("tm_cp")).set_flag(child, "do_not_contact", "Advised by the police.")
    page = open_my_work(qtbot, demo.session("sw_rhian"))
    rows = _own_rows(page)
    flagged = [r for r in rows if r.data(0, Qt.ItemDataRole.UserRole + 4) == child]
    others = [r for r in rows if r.data(0, Qt.ItemDataRole.UserRole + 4) != child]
    assert flagged and others
    for row in flagged:
        assert not row.icon(1).isNull()
        assert row.toolTip(1) == "Safety: Do not contact"
        assert row.data(1, Qt.ItemDataRole.AccessibleTextRole) == f"{row.text(1)}. Safety: Do not contact"
    for row in others:  # nobody else is marked
        assert row.icon(1).isNull() and not row.toolTip(1)

    # In Welsh, the words of the moment (the figures are not read again for it).
    reads = page.loader.task
    set_language("cy")
    qtbot.waitUntil(lambda: _own_rows(page)[0].toolTip(4) != "" and page.tabs.tabText(0) != "My own work",
                    timeout=5_000)
    assert page.loader.task is reads
    flagged = [r for r in _own_rows(page) if r.data(0, Qt.ItemDataRole.UserRole + 4) == child]
    assert flagged and all(r.toolTip(1) == "Diogelwch: Peidiwch â chysylltu" for r in flagged)

    # Cleared: the marker goes at the next refresh after the commit.
    set_language("en")
    flag = SafetyFlagService(demo.session("tm_cp")).flags(child)[0]
    SafetyFlagService(demo.session("tm_cp")).clear(flag.id, "The police withdrew the advice.")
    qtbot.waitUntil(lambda: not any(not r.icon(1).isNull() for r in _own_rows(page)), timeout=10_000)


def test_a_managers_team_list_marks_the_opened_workers_items_and_a_switch_remakes_no_row(
        qtbot: Any, demo: DemoContext) -> None:
    hub()
    child = _flagged_child(demo)
    SafetyFlagService(demo.session("tm_cp")).set_flag(child, "address_confidential", "Fled domestic abuse.")
    page = open_my_work(qtbot, demo.session("tm_cp"))
    workers = page.worker_rows()
    for worker in workers:
        worker.setExpanded(True)
    items = [w.child(i) for w in workers for i in range(w.childCount())]
    marked = [r for r in items if r.data(0, Qt.ItemDataRole.UserRole + 4) == child]
    assert marked and all(r.toolTip(1) == "Safety: Address confidential" for r in marked)
    before = [shiboken6.getCppPointer(w)[0] for w in workers]
    away = [w for w in workers if w.text(5)]
    assert away and away[0].text(5) == "Away: nobody covering"  # Tom, in the demo
    tooltip = away[0].toolTip(0)
    assert tooltip.endswith("open to see them")

    set_language("cy")
    qtbot.waitUntil(lambda: away[0].text(5) == "Absennol: neb yn cyflenwi", timeout=5_000)
    settle(qtbot)
    assert [shiboken6.getCppPointer(w)[0] for w in page.worker_rows()] == before  # said again, not made again
    assert away[0].toolTip(0) != tooltip
    items = [w.child(i) for w in page.worker_rows() for i in range(w.childCount())]
    marked = [r for r in items if r.data(0, Qt.ItemDataRole.UserRole + 4) == child]
    assert marked and all(r.toolTip(1).startswith("Diogelwch: ") for r in marked)
    assert all(r.text(0) and not r.text(0).startswith(("Overdue", "Due")) for r in items)  # urgency in Welsh
