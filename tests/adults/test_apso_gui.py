"""An adult protection and support order through the adult tab's forms (pytest-qt, offscreen): a period
longer than the maximum is refused beside its field with nothing saved, in the interface language; then the
application, the decision, an entry and the end are saved, and each form is offered only when it applies."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

import ui.adults  # noqa: F401 - registers the case tab
from desktop.i18n import set_language
from tests.adults.test_apso import APPLICATION
from tests.conftest import settle
from tests.gui.forms import filled, saved
from ui.adults.apso_dialogs import ApsoApplicationDialog, ApsoDecisionDialog, ApsoEndDialog, ApsoEntryDialog
from ui.adults.tab import AdultTab

pytestmark = [pytest.mark.gui, pytest.mark.usefixtures("language_hub")]


@pytest.fixture
def ready(world) -> Iterator[Any]:
    yield world
    from ui.tasks import forget_store
    from ui.windows import close_sensitive

    close_sensitive()
    forget_store(world.sw)


def _tab(qtbot: Any, w: Any) -> AdultTab:
    tab = AdultTab(w.sw, w.ids["case"])
    qtbot.addWidget(tab)
    tab.show()
    qtbot.waitUntil(lambda: not tab.loading, timeout=10_000)
    return tab


def _open(qtbot: Any, tab: AdultTab, name: str, kind: type) -> Any:
    tab.bar.action(name).trigger()
    dialog = filled(tab.dialog, qtbot)
    assert isinstance(dialog, kind)
    qtbot.addWidget(dialog)
    return dialog


def _enabled(tab: AdultTab) -> dict[str, bool]:
    return {n: tab.bar.action(n).isEnabled() for n in ("apso_apply", "apso_decision", "apso_entry", "apso_end")}


def test_an_order_through_the_forms(qtbot: Any, ready: Any) -> None:
    w = ready
    tab = _tab(qtbot, w)
    assert _enabled(tab) == {"apso_apply": True, "apso_decision": False, "apso_entry": False, "apso_end": False}
    dialog = _open(qtbot, tab, "apso_apply", ApsoApplicationDialog)
    assert dialog.value("officer_id") == w.ids["sw"] and dialog.value("applied_on") == "2026-11-02"
    for name, value in APPLICATION.items():
        dialog.set_value(name, value)
    assert saved(dialog, qtbot)
    settle(qtbot)
    assert _enabled(tab)["apso_decision"] and not _enabled(tab)["apso_entry"]
    assert "An application for an adult protection and support order is waiting for the court." in tab.journey.text()

    w.on("2026-11-03")
    decision = _open(qtbot, tab, "apso_decision", ApsoDecisionDialog)
    assert decision.combo("apso_id").currentText() == "Applied for on 2 Nov 2026 (Llys Ynadon Aberystwyth)"
    decision.set_value("decision", "granted")
    decision.set_value("in_force_to", "10/11/2026")  # eight days from the 3rd: one too many
    assert not saved(decision, qtbot)
    assert decision.error_text("in_force_to") == ("An order may be in force for at most 7 days: its last day can be"
                                                  " 9 Nov 2026 at the latest.")
    assert decision.errors["in_force_to"].isVisibleTo(decision)
    assert w.sw.store.rows("SELECT decision FROM adult_apso")[0]["decision"] is None
    set_language("cy")  # the refusal follows the interface language
    assert decision.error_text("in_force_to") == ("Gall gorchymyn fod mewn grym am 7 diwrnod ar y mwyaf: 9 Tach 2026"
                                                  " yw'r diwrnod olaf posibl.")
    set_language("en")
    decision.set_value("in_force_to", "09/11/2026")
    assert saved(decision, qtbot)
    settle(qtbot)
    assert _enabled(tab) == {"apso_apply": True, "apso_decision": False, "apso_entry": True, "apso_end": True}
    assert ("Adult protection and support order in force until 9 Nov 2026 (no power of removal)."
            in tab.journey.text().splitlines())
    assert "waiting for the court" not in tab.journey.text()

    w.on("2026-11-04")
    entry = _open(qtbot, tab, "apso_entry", ApsoEntryDialog)
    assert entry.combo("apso_id").currentText() == "In force 3 Nov 2026 to 9 Nov 2026 (Llys Ynadon Aberystwyth)"
    entry.set_value("spoke_in_private", True)
    entry.set_value("declined_to_answer", True)
    entry.set_value("outcome", "Margaret chose not to answer.")
    assert saved(entry, qtbot)
    end = _open(qtbot, tab, "apso_end", ApsoEndDialog)
    end.set_value("end_reason", "purposes_met")
    assert saved(end, qtbot)
    settle(qtbot)
    row = w.sw.store.rows("SELECT * FROM adult_apso")[0]
    assert (row["decision"], row["in_force_to"], row["ended_on"], row["end_reason"]) == (
        "granted", "2026-11-09", "2026-11-04", "purposes_met")
    assert w.sw.store.rows("SELECT spoke_in_private, declined_to_answer FROM adult_apso_entry")[0] == {
        "spoke_in_private": 1, "declined_to_answer": 1}
    assert _enabled(tab) == {"apso_apply": True, "apso_decision": False, "apso_entry": False, "apso_end": False}
    assert "Adult protection and support order" not in tab.journey.text()


def test_my_work_opens_the_end_of_the_order(qtbot: Any, ready: Any) -> None:
    from desktop.services.adults import ApsoService

    w = ready
    order = ApsoService(w.sw).apply(w.ids["case"], applied_on="2026-11-02", officer_id=w.ids["sw"], **APPLICATION)
    ApsoService(w.sw).decide(order["id"], decision="granted", decided_on="2026-11-02", in_force_from="2026-11-02",
                             in_force_to="2026-11-06")
    tab = _tab(qtbot, w)
    dialog = filled(tab.open_action("end_adult_apso"), qtbot)
    assert isinstance(dialog, ApsoEndDialog)
    qtbot.addWidget(dialog)
    assert dialog.combo("apso_id").currentData() == order["id"]
