"""The "Complaints, allegations and exceptions" tab offscreen: a manager records an exception (a line on the case), a
worker records a complaint and its next step, a refusal shows beside its field with nothing saved, and
the tab follows the interface language."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from desktop.i18n import set_language
from tests.conftest import case_tab, settle
from tests.gui.forms import filled, saved

pytestmark = pytest.mark.gui


def _window(qtbot: Any, session: Any, case_id: str) -> Any:
    import ui.rule_records  # noqa: F401 - registers the tab
    from ui.case_view import CaseWindow
    from ui.language import hub

    hub()
    win = CaseWindow(session, case_id)
    qtbot.addWidget(win)
    qtbot.waitUntil(lambda: not win.loading, timeout=10_000)  # opened, its tabs have read
    return win


@pytest.fixture
def tidy(world: Any) -> Iterator[None]:
    from ui.tasks import forget_store
    from ui.windows import close_sensitive

    yield
    set_language("en")
    close_sensitive()
    forget_store(world.sw)


def _save(qtbot: Any, dialog: Any) -> None:
    with qtbot.waitSignal(dialog.saved, timeout=5000):
        assert saved(dialog, qtbot)
    settle(qtbot)  # the tab has read the case again


def test_a_manager_records_an_exception_and_it_is_a_line_on_the_case(qtbot: Any, world: Any, tidy: None) -> None:
    world.clock.day = date(2026, 10, 20)
    win = _window(qtbot, world.as_("tm_cin"), world.ids["case"])
    tab = case_tab(qtbot, win, "rule_records")
    assert tab is not None and tab.exception_button.isVisibleTo(tab)
    dialog = tab.record_exception()
    filled(dialog, qtbot)
    dialog.set_value("person", world.ids["elis"])
    dialog.set_value("rule_id", "V1")
    dialog.set_value("reason_kind", "disability")
    dialog.set_value("until", "01/06/2027")
    assert not saved(dialog, qtbot)  # no reason given
    assert dialog.errors["reason"].isVisibleTo(dialog) and world.count("rule_exception") == 0
    dialog.set_value("reason", "Elis does not speak; seen with his signing support worker.")
    _save(qtbot, dialog)
    line = tab.exceptions.topLevelItem(0).text(0)
    assert line.startswith("In force: Elis Pritchard – Child seen alone: agreed by Helen Davies")
    assert "(Disability)" in line and "1 Jun 2027" in line
    set_language("cy")
    assert tab.exceptions.topLevelItem(0).text(0).startswith("Mewn grym: Elis Pritchard")


def test_a_worker_records_a_complaint_and_its_next_step(qtbot: Any, world: Any, tidy: None) -> None:
    world.clock.day = date(2026, 10, 20)
    win = _window(qtbot, world.sw, world.ids["case"])
    tab = case_tab(qtbot, win, "rule_records")
    assert tab is not None and not tab.exception_button.isVisibleTo(tab)  # a social worker agrees none
    dialog = tab.record_complaint()
    filled(dialog, qtbot)
    dialog.set_value("complainant_name", "Nia Pritchard")
    dialog.set_value("complainant_relationship", "mother")
    dialog.set_value("person", world.ids["elis"])
    dialog.set_value("received_on", "19/10/2026")
    dialog.set_value("channel", "written")
    dialog.set_value("about", "Letters came in English only.")
    _save(qtbot, dialog)
    assert tab.complaints.topLevelItem(0).text(0).startswith("Nia Pritchard, 19 Oct 2026 (In writing)")
    qtbot.waitUntil(lambda: not win.loading, timeout=5_000)  # the tabs have read what decides the forms
    step = win.open_action("update_complaint")
    filled(step, qtbot)
    assert step is not None
    step.set_value("step", "acknowledged_on")
    step.set_value("on_date", "20/10/2026")
    _save(qtbot, step)
    assert world.sw.store.rows("SELECT acknowledged_on FROM complaint")[0]["acknowledged_on"] == "2026-10-20"


def test_an_allegation_about_a_practitioner_is_recorded_and_the_designated_officer_told(
        qtbot: Any, world: Any, tidy: None) -> None:
    """WSP Section 5: a worker records an allegation about a teacher on Elis's case; "My work" then asks for the
    Designated Officer to be told (A10), its action opens the progress form, and once it is saved the line on
    the case says so and the item is gone. A refusal (no practitioner named) saves nothing."""
    from desktop.services.my_work import MyWorkService

    world.clock.day = date(2026, 10, 20)
    win = _window(qtbot, world.sw, world.ids["case"])
    tab = case_tab(qtbot, win, "rule_records")
    assert tab is not None
    dialog = tab.record_allegation()
    filled(dialog, qtbot)
    assert dialog.value("arisen_on") == "2026-10-20"
    dialog.set_value("agency", world.ids["school"])
    dialog.set_value("person", world.ids["elis"])
    dialog.set_value("summary", "Elis says his teacher grabbed his arm in class.")
    assert not saved(dialog, qtbot)
    assert dialog.errors["practitioner_name"].isVisibleTo(dialog) and world.count("practitioner_allegation") == 0
    dialog.set_value("practitioner_name", "Ffion Harries")
    _save(qtbot, dialog)
    line = tab.allegations.topLevelItem(0).text(0)
    assert line == ("Ffion Harries (Ysgol Bro Dinefwr), arose 20 Oct 2026: Elis says his teacher grabbed his arm in class."
                    " – Designated Officer not told yet")
    assert [i.action for i in MyWorkService(world.sw).all_items() if i.rule_id == "A10"] == ["inform_designated_officer"]
    qtbot.waitUntil(lambda: not win.loading, timeout=5_000)
    step = win.open_action("inform_designated_officer")
    assert step is not None
    filled(step, qtbot)
    step.set_value("step", "lado_informed_on")
    _save(qtbot, step)
    assert tab.allegations.topLevelItem(0).text(0).endswith("– Designated Officer told on 20 Oct 2026")
    assert [i for i in MyWorkService(world.sw).all_items() if i.rule_id == "A10"] == []
    set_language("cy")
    assert tab.allegations.topLevelItem(0).text(0).endswith("– Rhoddwyd gwybod i'r Swyddog Dynodedig ar 20 Hyd 2026")
