"""The "Looked after" case tab, offscreen: recording a placement and a move through the dialog; an
overlap is refused beside the start date and nothing is saved."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from desktop.i18n import set_language  # noqa: E402
from tests.gui.forms import filled, saved

pytestmark = pytest.mark.gui


@pytest.fixture
def window(qtbot, world) -> Iterator:
    import ui.children  # noqa: F401 - registers the tabs
    from ui.case_view import CaseWindow
    from ui.language import hub
    from ui.tasks import forget_store
    from ui.windows import close_sensitive

    hub()
    w, ids = world, world.ids
    w.clock.day = date(2026, 10, 20)
    win = CaseWindow(w.sw, ids["case"])
    qtbot.addWidget(win)
    qtbot.waitUntil(lambda: not win.loading, timeout=10_000)  # opened, its tabs have read
    yield win
    close_sensitive()
    forget_store(w.sw)


def looked_after_tab(window):
    """The "Looked after" tab of a Child in Need case: started from "Start other work" when the case has no
    looked-after records yet (a tab of work that does not apply is hidden)."""
    return window.tab("looked_after") or window.start_work("looked_after")


def _fill(dialog, **values) -> None:
    for name, value in values.items():
        dialog.set_value(name, value)


def test_recording_a_placement_and_a_move_out_of_county(qtbot, window, world):
    assert window.tab("child_in_need") is not None and window.tab("looked_after") is None
    offered = [a.objectName() for a in window.start_menu.actions()]
    assert offered == ["start_looked_after"] and window.start_button.isVisibleTo(window)
    window.start_menu.actions()[0].trigger()
    tab = window.tab("looked_after")
    assert tab is not None and window.tabs.currentWidget() is tab
    qtbot.waitUntil(lambda: not tab.loading, timeout=5_000)
    assert window.start_menu.actions() == [] and not window.start_button.isVisibleTo(window)
    assert tab.status.text() == "Not looked after." and not tab.bar.action("add_placement").isEnabled()
    became = tab.record_looked_after()
    filled(became, qtbot)
    # A social worker does not move the case between teams (allocation: a senior manager's, as the server
    # allows it): the box is unticked and disabled, and says why.
    transfer = became.editors["transfer"].widget
    assert became.values()["transfer"] is False and not transfer.isEnabled()
    assert "senior manager" in transfer.toolTip()
    _fill(became, started_on="21/10/2026", legal_status="section_76", transfer=False)
    assert not saved(became, qtbot) and became.errors["started_on"].text() == "The date cannot be in the future."
    _fill(became, started_on="19/10/2026")
    with qtbot.waitSignal(became.saved):
        assert saved(became, qtbot)
    qtbot.waitUntil(lambda: not tab.loading, timeout=5_000)
    assert "Looked after since 19 Oct 2026" in tab.status.text()
    assert not tab.bar.action("became_looked_after").isEnabled()
    assert tab.bar.action("add_placement").isEnabled() and not tab.bar.action("move_placement").isEnabled()
    dialog = tab.record_placement()
    filled(dialog, qtbot)
    _fill(dialog, placement_type="foster", start_on="19/10/2026", carer_name="Mr and Mrs Lloyd", line1="Y Bwthyn",
          town="Llandeilo", postcode="SA19 6BB")
    with qtbot.waitSignal(dialog.saved):
        assert saved(dialog, qtbot)
    qtbot.waitUntil(lambda: not tab.loading, timeout=5_000)
    assert tab.tree.topLevelItemCount() == 1
    assert tab.tree.topLevelItem(0).text(1) == "Mr and Mrs Lloyd"
    assert not tab.bar.action("add_placement").isEnabled() and tab.bar.action("move_placement").isEnabled()

    # A second placement from the 20th without "This is a move" overlaps: refused beside the date.
    second = tab.record_placement()
    filled(second, qtbot)
    _fill(second, placement_type="residential", start_on="20/10/2026", provider_name="Oakfield", line1="Oakfield House",
          town="Oswestry", postcode="SY11 1AA", host_authority="Shropshire Council", out_of_county=True)
    assert not saved(second, qtbot)
    assert second.errors["start_on"].isVisible()
    assert "Mr and Mrs Lloyd" in second.errors["start_on"].text()
    set_language("cy")
    welsh = second.errors["start_on"].text()
    assert welsh and "overlaps" not in welsh and "Hyd" in welsh  # the date in Welsh too (19 Hyd 2026)
    set_language("en")
    assert world.sw.store.rows("SELECT count(*) AS n FROM lac_placement")[0]["n"] == 1

    # Ticking "This is a move" ends the current placement with the reason and starts the new one.
    _fill(second, is_move=True, reason="planned_move")
    with qtbot.waitSignal(second.saved):
        assert saved(second, qtbot)
    qtbot.waitUntil(lambda: not tab.loading, timeout=5_000)
    assert tab.tree.topLevelItemCount() == 2
    newest, oldest = tab.tree.topLevelItem(0), tab.tree.topLevelItem(1)
    assert newest.text(1) == "Oakfield" and "out of county" in newest.text(5)
    assert oldest.text(4) == "Planned move in line with the care plan"
    assert "1 move." in tab.status.text()


def test_the_placements_list_fits_its_tab_without_scrolling_sideways(qtbot, world):
    import ui.children  # noqa: F401 - registers the tabs
    from desktop.services.children import LookedAfterService, PlacementService
    from tests.children.conftest import placement
    from ui.case_view import CaseWindow

    w, ids = world, world.ids
    w.clock.day = date(2026, 10, 20)
    LookedAfterService(w.sw).become_looked_after(ids["case"], ids["elis"], started_on="2026-10-05",
                                                 legal_status="interim_care_order", transfer=False)
    PlacementService(w.sw).add(ids["case"], ids["elis"], **placement(
        placement_type="connected_person", carer_name="Anti Lisa / Aunt Lisa Hughes-Pritchard",
        town="Llanfair Pwllgwyngyll", host_authority="Cyngor Sir Ynys Môn / Isle of Anglesey County Council",
        out_of_county=True))
    set_language("cy")
    try:
        win = CaseWindow(w.sw, ids["case"])
        qtbot.addWidget(win)
        qtbot.waitUntil(lambda: not win.loading, timeout=10_000)  # opened, its tabs have read
        win.resize(900, 640)
        win.show()
        tab = win.tab("looked_after")  # the case now holds looked-after work: the tab shows by itself
        assert tab is not None and "start_looked_after" not in [a.objectName() for a in win.start_menu.actions()]
        win.tabs.setCurrentWidget(tab)
        qtbot.waitUntil(lambda: tab.tree.topLevelItemCount() == 1)
        assert not tab.tree.horizontalScrollBar().isVisible()
        assert "Ynys Môn" in tab.tree.topLevelItem(0).toolTip(5)  # the whole address, if it is cut short
    finally:
        set_language("en")
