"""The Household tab: who lives there and who visits, someone new joining, someone leaving; a
refusal shows beside the date and changes nothing."""

from __future__ import annotations

import pytest

import ui.people_tab  # noqa: F401 - registers the People and Household tabs
from desktop.services.persons import PersonService
from ui.case_view import CaseWindow

pytestmark = pytest.mark.gui


@pytest.fixture
def window(qtbot, world, gui_session):
    persons = PersonService(gui_session)
    household = persons.create_household("Teulu Jones", {"line1": "4 Heol y Dderwen", "town": "Caerfyrddin",
                                                          "postcode": "SA31 1BT"})
    for pid in (world.elis, world.carys):
        persons.join_household(household["id"], pid, "resident", "2020-01-01")
    win = CaseWindow(gui_session, world.cp_case)
    qtbot.addWidget(win)
    return win


def _members(tab) -> list[tuple[str, str, str]]:
    top = tab.tree.topLevelItem(0)
    return [(top.child(i).text(0), top.child(i).text(1), top.child(i).text(3)) for i in range(top.childCount())]


def test_a_new_regular_visitor_joins_and_later_leaves(qtbot, window, gui_session) -> None:
    tab = window.tab("household")
    assert tab is not None
    assert [m[0] for m in _members(tab)] == ["Carys Jones", "Elis Jones"]
    tab.tree.setCurrentItem(tab.tree.topLevelItem(0))
    dialog = tab.add_member()
    dialog.person.setCurrentIndex(dialog.person.findData("__new__"))
    dialog.given.setText("Gareth")
    dialog.family.setText("Price")
    dialog.membership.setCurrentIndex(dialog.membership.findData("regular_visitor"))
    dialog.from_date.setText("01/11/2026")
    with qtbot.waitSignal(dialog.saved):
        assert dialog.save()
    assert ("Gareth Price", "Regular visitor", "now") in _members(tab)

    top = tab.tree.topLevelItem(0)
    gareth = next(top.child(i) for i in range(top.childCount()) if top.child(i).text(0) == "Gareth Price")
    tab.tree.setCurrentItem(gareth)
    left = tab.record_left()
    left.to_date.setText("01/10/2026")  # before he joined
    assert not left.save()
    assert left.errors["to_date"].text() == "They cannot leave before they joined; check the date."
    assert ("Gareth Price", "Regular visitor", "now") in _members(tab)
    left.to_date.setText("20/11/2026")
    with qtbot.waitSignal(left.saved):
        assert left.save()
    gone = [m for m in _members(tab) if m[0] == "Gareth Price"]
    assert gone == [("Gareth Price", "Regular visitor", "20/11/2026")]
    changes = gui_session.store.rows("SELECT action FROM audit WHERE entity = 'household_member' ORDER BY seq")
    assert [c["action"] for c in changes][-2:] == ["insert", "update"]
