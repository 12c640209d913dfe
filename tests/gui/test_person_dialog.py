"""Editing a person: validation beside the field, saving, admin limits, drafts, addresses."""

from __future__ import annotations

import shiboken6

from desktop.i18n import set_language
from desktop.services.drafts import DraftService
from desktop.services.persons import PersonService
from tests.gui.conftest import World
from ui.person_dialog import PersonDialog


def _dialog(qtbot, session, person_id: str) -> PersonDialog:
    dialog = PersonDialog(session, person_id)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_impossible_date_of_birth_shows_the_message_and_saves_nothing(qtbot, gui_session, world: World) -> None:
    """31/02/2019 and a future date are refused by the service; the message follows the language."""
    dialog = _dialog(qtbot, gui_session, world.elis)
    field = dialog.fields["date_of_birth"]
    assert field.widget.text() == "04/05/2019"
    field.widget.setText("31/02/2019")
    assert not dialog.save()
    assert field.error.isVisible()
    assert field.error.text() == "Enter the date as day, month and year."
    field.widget.setText("01/01/2030")
    assert not dialog.save()
    assert field.error.text() == "The date of birth cannot be in the future."
    set_language("cy")
    assert field.error.text() == "Ni all y dyddiad geni fod yn y dyfodol."  # the same error, now in Welsh
    assert dialog.isVisible()
    assert PersonService(gui_session).get(world.elis)["date_of_birth"] == "2019-05-04"


def test_a_valid_edit_is_saved_and_the_draft_discarded(qtbot, gui_session, world: World) -> None:
    dialog = _dialog(qtbot, gui_session, world.elis)
    qtbot.keyClicks(dialog.fields["preferred_name"].widget, "Eli")
    dialog.fields["correspondence_language"].widget.setCurrentIndex(
        dialog.fields["correspondence_language"].widget.findData("cy")
    )
    dialog.save_draft()
    assert DraftService(gui_session).load("person", world.elis)
    with qtbot.waitSignal(dialog.saved):
        assert dialog.save()
    person = PersonService(gui_session).get(world.elis)
    assert person["preferred_name"] == "Eli"
    assert person["correspondence_language"] == "cy"
    assert person["language_asked_on"] == "2026-11-23" and person["language_asked_by"] == gui_session.user.id
    assert DraftService(gui_session).load("person", world.elis) is None
    # Reopened, the language preference shows when and by whom it was asked.
    again = _dialog(qtbot, gui_session, world.elis)
    assert again.asked_by.text() == "Asked on 23 November 2026 by Rhian Evans"


def test_admin_staff_can_change_contact_details_only(qtbot, admin_session, world: World) -> None:
    dialog = _dialog(qtbot, admin_session, world.elis)
    assert dialog.fields["family_name"].widget.isReadOnly()
    assert dialog.fields["date_of_birth"].widget.isReadOnly()
    assert not dialog.fields["phone"].widget.isReadOnly()
    assert dialog.fields["correspondence_language"].widget.isEnabled()
    assert dialog.role_note.isVisible()
    dialog.fields["family_name"].widget.setText("Smith")  # read-only: ignored even if set
    dialog.fields["phone"].widget.setText("01267 111222")
    assert dialog.save()
    person = PersonService(admin_session).get(world.elis)
    assert person["phone"] == "01267 111222" and person["family_name"] == "Jones"


def test_draft_comes_back_after_the_dialog_dies_without_saving(qtbot, gui_session, world: World, monkeypatch) -> None:
    """Typing is autosaved; a dialog destroyed without closing (a crash) loses nothing."""
    monkeypatch.setattr(PersonDialog, "AUTOSAVE_MS", 20)
    dialog = _dialog(qtbot, gui_session, world.carys)
    qtbot.keyClicks(dialog.fields["school"].widget, "Ysgol Y Dref")
    qtbot.waitUntil(lambda: DraftService(gui_session).load("person", world.carys) is not None, timeout=5_000)
    shiboken6.delete(dialog)  # no close, no reject: as if the process died
    again = _dialog(qtbot, gui_session, world.carys)
    assert again.fields["school"].widget.text() == "Ysgol Y Dref"
    assert again.banner.isVisible()
    again.discard_button.click()
    assert again.fields["school"].widget.text() == ""
    assert DraftService(gui_session).load("person", world.carys) is None


def test_cancel_keeps_a_draft_of_what_was_typed(qtbot, gui_session, world: World) -> None:
    dialog = _dialog(qtbot, gui_session, world.carys)
    qtbot.keyClicks(dialog.fields["gp"].widget, "Meddygfa'r Bont")
    dialog.reject()
    assert DraftService(gui_session).load("person", world.carys)["gp"] == "Meddygfa'r Bont"


def test_adding_an_address_keeps_the_history(qtbot, gui_session, world: World) -> None:
    dialog = _dialog(qtbot, gui_session, world.elis)
    assert dialog.addresses.topLevelItemCount() == 1
    address = dialog.add_address()
    qtbot.addWidget(address)
    address.edits["line1"].setText("9 Stryd Fawr")
    address.edits["postcode"].setText("NOT A CODE")
    assert not address.save()
    assert address.errors["postcode"].text() == "Enter a UK postcode like SA1 1AA."
    address.edits["postcode"].setText("SA15 2BB")
    address.edits["from_date"].setText("01/10/2026")
    assert address.save()
    assert dialog.addresses.topLevelItemCount() == 2
    top = dialog.addresses.topLevelItem(0)
    assert top.text(0).startswith("9 Stryd Fawr") and top.text(2) == "now"
    assert dialog.addresses.topLevelItem(1).text(2) == "01/10/2026"
