"""The GUI thread only draws, saving included: real forms saved through their Save button (a visit, a case
note, a person's details, an address, and the drafts kept when a form is closed) call their service on a
worker. Every store write (``Store.write``, which waits for the writer thread's commit) is recorded with the
thread that waited for it while the forms save; one on the GUI thread fails the test. With it: a visit
saved twice by a double press, and a visit whose window is closed while it saves, are each written once."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from desktop.services.drafts import DraftService
from desktop.store.store import Store
from tests.gui.conftest import World
from tests.gui.forms import filled, written

VISIT = "Seen at home with their mother; the bedroom was warm and tidy."


@pytest.fixture
def writes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The name of the thread that waited for each store write (the real write, recorded on its way)."""
    names: list[str] = []
    real = Store.write

    def recorded(self: Store, fn: Callable[..., Any], **kwargs: Any) -> Any:
        names.append(threading.current_thread().name)
        return real(self, fn, **kwargs)

    monkeypatch.setattr(Store, "write", recorded)
    return names


def _press_save(qtbot: Any, form: Any) -> None:
    """Save pressed with the mouse, then wait until the form has closed (saved) — or fail with what it says."""
    save = form.buttons.button(QDialogButtonBox.StandardButton.Save)
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not form.isVisible() or (not form.saving and save.isEnabled() and bool(
        [e.text() for e in form.errors.values() if e.text()] or form.general_error.text() or form.fault.isVisible())),
        timeout=10_000)
    assert not form.isVisible(), ([e.text() for e in form.errors.values() if e.text()]
                                  or form.general_error.text() or form.fault.text())


def _visit(qtbot: Any, session: Any, world: World) -> Any:
    from ui.child_protection.visit_dialog import VisitDialog

    form = VisitDialog(session, world.cp_case)
    filled(form, qtbot)
    qtbot.addWidget(form)
    form.show()
    qtbot.waitExposed(form)
    form.set_value("observations", VISIT)
    child = form.child(world.elis)
    child.set_value("seen", True)
    child.set_value("seen_alone", True)
    return form


def _visits(session: Any, world: World) -> int:
    return int(session.store.rows("SELECT count(*) AS n FROM cp_visit WHERE case_id = ?", [world.cp_case])[0]["n"])


def test_forms_save_and_keep_drafts_on_workers_never_on_the_gui_thread(
        qtbot: Any, gui_session: Any, world: World, writes: list[str]) -> None:
    from ui.address_dialog import AddressDialog
    from ui.notes import NoteForm
    from ui.person_dialog import PersonDialog

    gui = threading.current_thread().name
    opened = []
    # Opening a form may read (its lists, its draft); what is recorded from here is its saving only.
    visit = _visit(qtbot, gui_session, world)
    note = NoteForm(gui_session, world.cp_case)
    filled(note, qtbot)
    person = PersonDialog(gui_session, world.carys)
    filled(person, qtbot)
    address = AddressDialog(gui_session, world.gwen)
    filled(address, qtbot)
    closed = NoteForm(gui_session, world.cin_case)
    filled(closed, qtbot)
    for form in (note, person, address, closed):
        qtbot.addWidget(form)
        form.show()
        opened.append(form)
    note.set_value("body", "Phoned the school: Elis was in class all week.")
    person.set_value("phone", "01267 111222")
    address.set_value("line1", "2 Lôn Las")
    address.set_value("postcode", "SA31 2BB")
    closed.set_value("body", "Half a sentence about")
    closed.edited()  # typed: a draft is due
    del writes[:]

    for form in (visit, note, person, address):
        _press_save(qtbot, form)
    closed.reject()  # closed without saving: what was typed is kept as a draft
    written(closed, qtbot)

    assert _visits(gui_session, world) == 1
    assert gui_session.store.rows("SELECT count(*) AS n FROM case_note WHERE case_id = ?", [world.cp_case])[0]["n"] == 1
    assert gui_session.store.rows("SELECT phone FROM person WHERE id = ?", [world.carys])[0]["phone"] == "01267 111222"
    assert gui_session.store.rows("SELECT count(*) AS n FROM address WHERE person_id = ?", [world.gwen])[0]["n"] == 1
    assert DraftService(gui_session).load(closed.OBJECT_NAME, closed.draft_context())["body"] == "Half a sentence about"
    assert len(writes) >= 5, f"the saves and the draft were recorded: {writes}"
    assert gui not in writes, f"a store write waited on the GUI thread: {writes}"


def test_a_double_press_of_save_writes_the_visit_once(qtbot: Any, gui_session: Any, world: World) -> None:
    form = _visit(qtbot, gui_session, world)
    save = form.buttons.button(QDialogButtonBox.StandardButton.Save)
    first = form.save()
    assert not save.isEnabled()
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)  # disabled: nothing happens
    second = form.save()  # and a press that reaches it anyway is the same save
    assert second is first
    qtbot.waitUntil(lambda: first.done, timeout=10_000)
    assert first.ok and not form.isVisible()
    assert _visits(gui_session, world) == 1


def test_a_visit_closed_while_it_saves_is_saved_once(qtbot: Any, gui_session: Any, world: World) -> None:
    form = _visit(qtbot, gui_session, world)
    attempt = form.save()
    form.reject()  # before the answer can come back: the answer is handled by the event loop only
    assert not attempt.done and not form.isVisible()
    qtbot.waitUntil(lambda: attempt.done, timeout=10_000)
    written(form, qtbot)
    assert attempt.ok
    assert _visits(gui_session, world) == 1
    [row] = gui_session.store.rows("SELECT observations FROM cp_visit WHERE case_id = ?", [world.cp_case])
    assert row["observations"] == VISIT, "saved whole"
    assert DraftService(gui_session).load("visit", world.cp_case) is None, "no draft of a saved visit is offered"
    assert form.error_text("visited_on") == "" and form.fault.isHidden()


def test_signing_out_with_a_form_open_keeps_what_was_typed(qtbot: Any, tmp_path: Path) -> None:
    """The form closes with the window and keeps its draft on a worker; signing out waits for that write
    before it closes the store (else the draft would meet a closed store and be lost)."""
    from desktop.services.persons import PersonService
    from desktop.services.session import Session
    from tests.conftest import PASSWORD
    from tests.gui.conftest import first_run
    from ui.person_dialog import PersonDialog

    controller = first_run(qtbot, tmp_path / "fresh")
    session = controller.session
    nia = PersonService(session).create({"given_names": "Nia", "family_name": "Roberts", "date_of_birth": "2015-03-02"})
    session.write(lambda tx: tx.db.execute("DELETE FROM outbox"))  # as if sent: signing out is allowed
    class SlowDisk(PersonDialog):
        def write_draft(self, data: Any) -> None:
            time.sleep(0.3)  # a slow disk: the draft is still being written as the sign-out goes on
            super().write_draft(data)

    form = SlowDisk(session, nia["id"])
    qtbot.addWidget(form)
    form.show()
    filled(form, qtbot)
    qtbot.keyClicks(form.widgets["school"], "Ysgol y Dref")  # typed; the autosave has not run yet
    controller.window.sign_out_action.trigger()
    assert session.store._closed  # noqa: SLF001 - signed out
    again = Session.sign_in(tmp_path / "fresh", PASSWORD, backup=False)
    try:
        assert (DraftService(again).load("person_dialog", nia["id"]) or {}).get("school") == "Ysgol y Dref"
    finally:
        again.close()
