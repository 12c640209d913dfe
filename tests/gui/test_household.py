"""The Household tab: who lives there and who visits, someone new joining, someone leaving; a
refusal shows beside the date and changes nothing."""

from __future__ import annotations

import pytest

import ui.people_tab  # noqa: F401 - registers the People and Household tabs
from desktop.services.persons import PersonService
from tests.conftest import case_tab
from tests.gui.forms import filled, saved
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
    qtbot.waitUntil(lambda: not win.loading, timeout=10_000)  # opened, its tabs have read
    return win


def _members(tab) -> list[tuple[str, str, str]]:
    top = tab.tree.topLevelItem(0)
    return [(top.child(i).text(0), top.child(i).text(1), top.child(i).text(3)) for i in range(top.childCount())]


def test_a_new_regular_visitor_joins_and_later_leaves(qtbot, window, gui_session) -> None:
    tab = case_tab(qtbot, window, "household")
    assert tab is not None
    assert [m[0] for m in _members(tab)] == ["Carys Jones", "Elis Jones"]
    tab.tree.setCurrentItem(tab.tree.topLevelItem(0))
    dialog = tab.add_member()
    filled(dialog, qtbot)
    qtbot.addWidget(dialog)
    assert not dialog.labels["family_name"].isVisibleTo(dialog), "names are asked only for someone new"
    dialog.set_value("person", "__new__")
    assert dialog.labels["family_name"].isVisibleTo(dialog)
    assert dialog.widgets["person"].currentText() == "Someone new…"
    dialog.set_value("given_names", "Gareth")
    dialog.set_value("membership", "regular_visitor")
    dialog.set_value("from_date", "01/11/2026")
    people = gui_session.store.rows("SELECT count(*) AS n FROM person")[0]["n"]
    assert not saved(dialog, qtbot)  # no family name: refused beside it, nobody created
    assert dialog.error_text("family_name") != ""
    assert gui_session.store.rows("SELECT count(*) AS n FROM person")[0]["n"] == people
    dialog.set_value("family_name", "Price")
    with qtbot.waitSignal(dialog.saved) as emitted:
        assert saved(dialog, qtbot)
    qtbot.waitUntil(lambda: not tab.loading, timeout=5_000)  # read again on a worker
    joined = gui_session.store.rows("SELECT person_id, membership, from_date FROM household_member WHERE id = ?",
                                    emitted.args)
    assert joined[0]["membership"] == "regular_visitor" and joined[0]["from_date"] == "2026-11-01"
    role = gui_session.store.rows("SELECT role FROM case_member WHERE person_id = ?", [joined[0]["person_id"]])
    assert role == [{"role": "other"}], "someone new joins the case too"
    assert ("Gareth Price", "Regular visitor", "now") in _members(tab)

    top = tab.tree.topLevelItem(0)
    gareth = next(top.child(i) for i in range(top.childCount()) if top.child(i).text(0) == "Gareth Price")
    tab.tree.setCurrentItem(gareth)
    left = tab.record_left()
    filled(left, qtbot)
    qtbot.addWidget(left)
    assert left.windowTitle() == "Gareth Price has left the household"
    left.set_value("to_date", "01/10/2026")  # before he joined
    assert not saved(left, qtbot)
    assert left.error_text("to_date") == "They cannot leave before they joined; check the date."
    assert ("Gareth Price", "Regular visitor", "now") in _members(tab)
    left.set_value("to_date", "20/11/2026")
    with qtbot.waitSignal(left.saved):
        assert saved(left, qtbot)
    qtbot.waitUntil(lambda: not tab.loading, timeout=5_000)
    gone = [m for m in _members(tab) if m[0] == "Gareth Price"]
    assert gone == [("Gareth Price", "Regular visitor", "20 Nov 2026")]
    changes = gui_session.store.rows("SELECT action FROM audit WHERE entity = 'household_member' ORDER BY seq")
    assert [c["action"] for c in changes][-2:] == ["insert", "update"]


def test_someone_of_the_case_joins_and_a_refused_join_creates_nobody(qtbot, window, gui_session, world) -> None:
    tab = case_tab(qtbot, window, "household")
    tab.tree.setCurrentItem(tab.tree.topLevelItem(0))
    dialog = tab.add_member()
    filled(dialog, qtbot)
    qtbot.addWidget(dialog)
    names = [dialog.widgets["person"].itemText(i) for i in range(dialog.widgets["person"].count())]
    assert "Elis Jones" in names and names[-1] == "Someone new…"
    dialog.set_value("person", "__new__")
    dialog.set_value("family_name", "Price")
    dialog.set_value("from_date", "31/02/2026")
    people = gui_session.store.rows("SELECT count(*) AS n FROM person")[0]["n"]
    assert not saved(dialog, qtbot)
    assert dialog.error_text("from_date") == "Enter the date as day, month and year."
    assert gui_session.store.rows("SELECT count(*) AS n FROM person")[0]["n"] == people, "nobody half-made"


def test_each_members_safety_flags_show_beside_them_in_both_languages(qtbot, window, gui_session, world) -> None:
    from desktop.i18n import set_language
    from desktop.services.safety_flags import SafetyFlagService
    from desktop.services.session import Session, User
    from ui.household_tab import SAFETY_COLUMN

    s = gui_session
    uid = s.write(lambda tx: tx.insert("practitioner", {"given_names": "Siân", "family_name": "Rees",
                                                       "app_role": "team_manager", "team_id": s.user.team_id}))["id"]
    manager = Session(s.profile, s.store, User(uid, "Siân", "Rees", "team_manager", s.user.team_id, None))
    SafetyFlagService(manager).set_flag(world.carys, "risk_to", "Police report", related_person_id=world.elis)
    assert window.tab("household", make=False) is None, "not made until shown"
    tab = case_tab(qtbot, window, "household")

    def safety() -> dict[str, str]:
        top = tab.tree.topLevelItem(0)
        return {top.child(i).text(0): top.child(i).text(SAFETY_COLUMN) for i in range(top.childCount())}

    assert safety() == {"Carys Jones": "Poses a risk to Elis Jones", "Elis Jones": ""}
    carys = next(tab.tree.topLevelItem(0).child(i) for i in range(2)
                 if tab.tree.topLevelItem(0).child(i).text(0) == "Carys Jones")
    assert carys.font(SAFETY_COLUMN).bold() and carys.toolTip(SAFETY_COLUMN) == "Poses a risk to Elis Jones"
    assert tab.tree.headerItem().text(SAFETY_COLUMN) == "Safety"
    set_language("cy")
    try:
        assert safety()["Carys Jones"] == "Yn peri risg i Elis Jones", "redrawn in Welsh without a read"
        assert not tab.loading
    finally:
        set_language("en")
    SafetyFlagService(manager).set_flag(world.elis, "do_not_contact", "Court order")  # a change while shown
    qtbot.waitUntil(lambda: safety()["Elis Jones"] == "Do not contact", timeout=5_000)
