"""Editing a person: validation beside the field, saving, admin limits, drafts, addresses."""

from __future__ import annotations

import shiboken6

from desktop.i18n import set_language
from desktop.services.drafts import DraftService
from desktop.services.persons import PersonService
from tests.gui.conftest import World
from tests.gui.forms import filled, saved, written
from ui.person_dialog import PersonDialog

DRAFT = "person_dialog"


def _dialog(qtbot, session, person_id: str) -> PersonDialog:
    dialog = PersonDialog(session, person_id)
    filled(dialog, qtbot)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_impossible_date_of_birth_shows_the_message_and_saves_nothing(qtbot, gui_session, world: World) -> None:
    """31/02/2019 and a future date are refused by the service; the message follows the language."""
    dialog = _dialog(qtbot, gui_session, world.elis)
    filled(dialog, qtbot)
    assert dialog.widgets["date_of_birth"].text() == "04/05/2019"
    dialog.set_value("date_of_birth", "31/02/2019")
    assert not saved(dialog, qtbot)
    assert dialog.errors["date_of_birth"].isVisible()
    assert dialog.error_text("date_of_birth") == "Enter the date as day, month and year."
    dialog.set_value("date_of_birth", "01/01/2030")
    assert not saved(dialog, qtbot)
    assert dialog.error_text("date_of_birth") == "The date of birth cannot be in the future."
    set_language("cy")
    assert dialog.error_text("date_of_birth") == "Ni all y dyddiad geni fod yn y dyfodol."  # the same error, in Welsh
    assert dialog.isVisible()
    assert PersonService(gui_session).get(world.elis)["date_of_birth"] == "2019-05-04"


def test_a_valid_edit_is_saved_and_the_draft_discarded(qtbot, gui_session, world: World) -> None:
    dialog = _dialog(qtbot, gui_session, world.elis)
    filled(dialog, qtbot)
    qtbot.keyClicks(dialog.widgets["preferred_name"], "Eli")
    dialog.set_value("correspondence_language", "cy")
    dialog.save_draft()
    written(dialog, qtbot)  # kept on a worker
    assert DraftService(gui_session).load(DRAFT, world.elis)
    with qtbot.waitSignal(dialog.saved) as emitted:
        assert saved(dialog, qtbot)
    assert emitted.args == [world.elis]
    person = PersonService(gui_session).get(world.elis)
    assert person["preferred_name"] == "Eli"
    assert person["correspondence_language"] == "cy"
    assert person["language_asked_on"] == "2026-11-23" and person["language_asked_by"] == gui_session.user.id
    assert DraftService(gui_session).load(DRAFT, world.elis) is None
    # Reopened, the language preference shows when and by whom it was asked.
    again = _dialog(qtbot, gui_session, world.elis)
    filled(again, qtbot)
    assert again.widgets["asked_by"].text() == "Asked on 23 Nov 2026 by Rhian Evans"


def test_nothing_changed_is_no_draft_and_no_write(qtbot, gui_session, world: World) -> None:
    dialog = _dialog(qtbot, gui_session, world.elis)
    filled(dialog, qtbot)
    dialog.save_draft()
    written(dialog, qtbot)  # kept on a worker
    assert DraftService(gui_session).load(DRAFT, world.elis) is None
    before = gui_session.store.rows("SELECT version FROM person WHERE id = ?", [world.elis])
    with qtbot.waitSignal(dialog.saved):
        assert saved(dialog, qtbot)
    assert gui_session.store.rows("SELECT version FROM person WHERE id = ?", [world.elis]) == before


def test_first_language_is_named_not_coded(qtbot, gui_session, world: World) -> None:
    """A first language is Welsh or English by name (stored as its code), or another typed in."""
    dialog = _dialog(qtbot, gui_session, world.elis)
    filled(dialog, qtbot)
    dialog.set_value("first_language", "cy")
    assert dialog.widgets["first_language"].currentText() == "Welsh"
    set_language("cy")
    assert dialog.widgets["first_language"].currentText() == "Cymraeg"
    assert dialog.value("first_language") == "cy"
    set_language("en")
    with qtbot.waitSignal(dialog.saved):
        assert saved(dialog, qtbot)
    assert PersonService(gui_session).get(world.elis)["first_language"] == "cy"
    again = _dialog(qtbot, gui_session, world.elis)
    filled(again, qtbot)
    assert again.widgets["first_language"].currentText() == "Welsh" and again.changes() == {}
    again.widgets["first_language"].setEditText("Polish")
    with qtbot.waitSignal(again.saved):
        assert saved(again, qtbot)
    assert PersonService(gui_session).get(world.elis)["first_language"] == "Polish"


def test_admin_staff_can_change_contact_details_only(qtbot, admin_session, world: World) -> None:
    dialog = _dialog(qtbot, admin_session, world.elis)
    filled(dialog, qtbot)
    assert dialog.widgets["family_name"].isReadOnly()
    assert dialog.widgets["date_of_birth"].isReadOnly()
    assert not dialog.widgets["phone"].isReadOnly()
    assert dialog.widgets["correspondence_language"].isEnabled()
    assert not dialog.widgets["first_language"].isEnabled()
    assert dialog.role_note.isVisible()
    dialog.widgets["family_name"].setText("Smith")  # read-only: ignored even if set
    dialog.set_value("phone", "01267 111222")
    assert saved(dialog, qtbot)
    person = PersonService(admin_session).get(world.elis)
    assert person["phone"] == "01267 111222" and person["family_name"] == "Jones"


def test_draft_comes_back_after_the_dialog_dies_without_saving(qtbot, gui_session, world: World) -> None:
    """Typing is autosaved; a dialog destroyed without closing (a crash) loses nothing."""
    dialog = _dialog(qtbot, gui_session, world.carys)
    filled(dialog, qtbot)
    dialog._autosave.setInterval(20)  # noqa: SLF001 - the same timer, without the few seconds' wait
    qtbot.keyClicks(dialog.widgets["school"], "Ysgol Y Dref")
    qtbot.waitUntil(lambda: DraftService(gui_session).load(DRAFT, world.carys) is not None, timeout=5_000)
    shiboken6.delete(dialog)  # no close, no reject: as if the process died
    again = _dialog(qtbot, gui_session, world.carys)
    filled(again, qtbot)
    assert again.widgets["school"].text() == "Ysgol Y Dref"
    assert again.banner.isVisible()
    again.discard_button.click()
    assert again.widgets["school"].text() == ""
    assert not again.banner.isVisible()
    written(again, qtbot)  # discarded on a worker
    assert DraftService(gui_session).load(DRAFT, world.carys) is None


def test_cancel_keeps_a_draft_of_what_was_typed(qtbot, gui_session, world: World) -> None:
    dialog = _dialog(qtbot, gui_session, world.carys)
    filled(dialog, qtbot)
    qtbot.keyClicks(dialog.widgets["gp"], "Meddygfa'r Bont")
    dialog.reject()
    written(dialog, qtbot)  # kept on a worker
    assert DraftService(gui_session).load(DRAFT, world.carys)["gp"] == "Meddygfa'r Bont"


def test_adding_an_address_keeps_the_history(qtbot, gui_session, world: World) -> None:
    dialog = _dialog(qtbot, gui_session, world.elis)
    filled(dialog, qtbot)
    assert dialog.addresses.topLevelItemCount() == 1
    address = dialog.add_address()  # the person's dialog owns it (and pytest-qt closes that one): Qt deletes it
    filled(address, qtbot)
    address.set_value("line1", "9 Stryd Fawr")
    address.set_value("postcode", "NOT A CODE")
    assert not saved(address, qtbot)
    assert address.error_text("postcode") == "Enter a UK postcode like SA1 1AA."
    assert dialog.addresses.topLevelItemCount() == 1
    address.set_value("postcode", "SA15 2BB")
    address.set_value("from_date", "01/10/2026")
    with qtbot.waitSignal(address.saved) as emitted:
        assert saved(address, qtbot)
    [row] = gui_session.store.rows("SELECT line1, postcode, from_date FROM address WHERE id = ?", emitted.args)
    assert row == {"line1": "9 Stryd Fawr", "postcode": "SA15 2BB", "from_date": "2026-10-01"}
    assert dialog.addresses.topLevelItemCount() == 2
    top = dialog.addresses.topLevelItem(0)
    assert top.text(0).startswith("9 Stryd Fawr") and top.text(2) == "now"
    assert dialog.addresses.topLevelItem(1).text(2) == "1 Oct 2026"
