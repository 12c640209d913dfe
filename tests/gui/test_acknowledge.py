"""A task in My work is acknowledged through its form: saying nothing is refused beside "What was done",
a saved acknowledgement is recorded with what was said and the task leaves the list."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import demo_clock, fast_kdf
from tests.gui.forms import filled, saved

pytestmark = pytest.mark.gui


@pytest.fixture
def register_custodian(tmp_path: Path):
    from desktop.services.demo import build_demo

    ctx = build_demo(tmp_path / "demo", "demo-password-1", role="register_custodian", kdf=fast_kdf(),
                     clock=demo_clock())
    yield ctx
    from ui.tasks import forget_store

    forget_store(ctx.session("custodian"))
    ctx.store.close()


def test_a_task_is_acknowledged_through_its_form(qtbot, register_custodian) -> None:
    from ui.acknowledge_dialog import AcknowledgeDialog
    from ui.my_work import TASK_ROLE, MyWorkPage

    session = register_custodian.session("custodian")
    page = MyWorkPage(session)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: page.loaded, timeout=10_000)
    def mine() -> list:
        return [page.tasks.topLevelItem(i) for i in range(page.tasks.topLevelItemCount())
                if page.tasks.topLevelItem(i).data(0, TASK_ROLE)]

    first = mine()[0]
    task_id = first.data(0, TASK_ROLE)
    page.tasks.setCurrentItem(first)
    dialog = page.acknowledge()
    filled(dialog, qtbot)
    assert isinstance(dialog, AcknowledgeDialog)
    qtbot.addWidget(dialog)
    assert dialog.widgets["task"].text() == first.text(0), "the form says which task"
    assert dialog.focusWidget() is dialog.widgets["outcome"], "typing starts in the box, not on the label"
    assert not saved(dialog, qtbot)
    assert dialog.error_text("outcome") == "Say what was done about it."
    assert session.store.rows("SELECT acknowledged_at FROM escalation WHERE id = ?", [task_id]) == [
        {"acknowledged_at": None}]
    qtbot.keyClicks(dialog.widgets["outcome"], "Core group told; register entry checked.")
    with qtbot.waitSignal(dialog.saved):
        assert saved(dialog, qtbot)
    [done] = session.store.rows("SELECT acknowledged_by, outcome FROM escalation WHERE id = ?", [task_id])
    assert done == {"acknowledged_by": session.user.id, "outcome": "Core group told; register entry checked."}
    qtbot.waitUntil(lambda: task_id not in {t.data(0, TASK_ROLE) for t in mine()}, timeout=10_000)
