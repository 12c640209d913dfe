"""Safety flags on screen (issue 20): a manager sets a flag from the People tab (refused without a reason),
it shows on the person's row and in the case header in both languages, for the worker too, who cannot set
one; the manager releases the letter the guard then holds, from the Letters area, saying why."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt

import ui.people_tab  # noqa: F401 - registers the People tab
import ui.safety  # noqa: F401 - registers the header's Safety line
from desktop.i18n import set_language
from desktop.services.correspondence import queue_letter
from desktop.services.persons import PersonService
from desktop.services.session import Session, User
from tests.conftest import case_tab, settle
from tests.gui.forms import filled, saved
from ui.case_view import CaseWindow
from ui.people_tab import SAFETY_COLUMN

pytestmark = pytest.mark.gui


@pytest.fixture
def manager(world: Any, gui_session: Session) -> Iterator[Session]:
    """A team manager of the same team, on the same store."""
    s = gui_session
    uid = s.write(lambda tx: tx.insert("practitioner", {"given_names": "Siân", "family_name": "Rees",
                                                       "app_role": "team_manager", "team_id": s.user.team_id}))["id"]
    yield Session(s.profile, s.store, User(uid, "Siân", "Rees", "team_manager", s.user.team_id, None))


def _row(tab: Any, name: str) -> Any:
    return next(tab.tree.topLevelItem(i) for i in range(tab.tree.topLevelItemCount())
                if tab.tree.topLevelItem(i).text(0) == name)


def _header(win: CaseWindow) -> dict[str, str]:
    return {k.text(): v.text() for k, v in win._rows}  # noqa: SLF001 - reading the header's labels


def test_a_manager_sets_a_flag_everyone_sees_it_in_both_languages(qtbot, world, gui_session, manager) -> None:
    win = CaseWindow(manager, world.cp_case)
    qtbot.addWidget(win)
    settle(qtbot)  # the case and its tabs are read on workers
    tab = case_tab(qtbot, win, "people")
    assert tab is not None and tab.set_flag_button.isVisibleTo(tab)
    tab.tree.setCurrentItem(_row(tab, "Carys Jones"))
    dialog = tab._flag_dialog(clear=False)  # noqa: SLF001 - what the button does
    filled(dialog, qtbot)
    qtbot.addWidget(dialog)
    dialog.set_value("kind", "risk_to")
    dialog.set_value("related_person_id", world.elis)
    assert not saved(dialog, qtbot)  # no reason: refused beside it, nothing set
    assert dialog.error_text("reason") != ""
    assert not gui_session.store.rows("SELECT 1 FROM person_flag")
    dialog.set_value("reason", "Police report of an assault on Elis")
    with qtbot.waitSignal(dialog.saved):
        assert saved(dialog, qtbot)
    settle(qtbot)  # the list and the header read the flags again on workers
    assert _row(tab, "Carys Jones").text(SAFETY_COLUMN) == "Poses a risk to Elis Jones"
    assert _row(tab, "Elis Jones").text(SAFETY_COLUMN) == ""
    assert _header(win)["Safety:"] == "Carys Jones: Poses a risk to Elis Jones"
    set_language("cy")
    try:
        assert _row(tab, "Carys Jones").text(SAFETY_COLUMN) == "Yn peri risg i Elis Jones"
        assert "Carys Jones: Yn peri risg i Elis Jones" in _header(win).values()
    finally:
        set_language("en")
    worker = CaseWindow(gui_session, world.cp_case)
    qtbot.addWidget(worker)
    settle(qtbot)
    wtab = case_tab(qtbot, worker, "people")
    assert wtab is not None and not wtab.set_flag_button.isVisibleTo(wtab)
    assert _row(wtab, "Carys Jones").text(SAFETY_COLUMN) == "Poses a risk to Elis Jones"


def test_a_manager_releases_a_held_letter_from_the_letters_area(qtbot, world, gui_session, manager) -> None:
    import ui.letters  # noqa: F401 - registers the area
    from desktop.services.safety_flags import SafetyFlagService
    from ui.letters.area import LettersPage

    PersonService(manager).add_address(world.carys, {"line1": "4 Heol y Dŵr", "town": "Caerfyrddin",
                                                     "postcode": "SA31 1AA"})
    SafetyFlagService(manager).set_flag(world.carys, "do_not_contact", "Threats to staff")
    letter = manager.write(lambda tx: queue_letter(
        tx, case_id=world.cp_case, template_id="N19", recipient_kind="person", recipient_id=world.carys,
        data={"audience": "family", "child_name": "Elis Jones", "child_dob": "2019-05-04",
              "coordinator_name": "Rhian Evans", "coordinator_phone": "01267 234567", "plan_date": "2026-11-20",
              "next_review_date": "2027-02-20", "rationale": "Cynllun"}))["id"]
    page = LettersPage(manager)
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: any(q.id == letter and q.status == "held" for q in page.model.letters), timeout=15_000)
    assert page.safety_button.isVisibleTo(page)
    row = next(i for i, q in enumerate(page.model.letters) if q.id == letter)
    # The recipient column carries the recipient's flags, in the language of the moment, in bold.
    cell = page.model.index(row, page.model.columns.index("recipient"))
    assert page.model.data(cell) == "Carys Jones (Person) (safety: Do not contact)"
    assert page.model.data(cell, Qt.ItemDataRole.FontRole).bold()
    # A held letter's status stands out from those ready to print: bold, with the warning mark.
    status = page.model.index(row, page.model.columns.index("status"))
    assert page.model.data(status, Qt.ItemDataRole.FontRole).bold()
    assert not page.model.data(status, Qt.ItemDataRole.DecorationRole).isNull()
    language = page.model.index(row, page.model.columns.index("language"))
    assert page.model.data(language, Qt.ItemDataRole.FontRole) is None
    assert page.model.data(language, Qt.ItemDataRole.DecorationRole) is None
    set_language("cy")
    try:
        assert page.model.data(cell) == "Carys Jones (Person) (diogelwch: Peidiwch â chysylltu)"
    finally:
        set_language("en")
    page.table.selectRow(row)
    assert page.safety_button.isEnabled()
    dialog = page.release_guarded()
    filled(dialog, qtbot)
    assert dialog is not None
    qtbot.addWidget(dialog)
    assert dialog.widgets["why_held"].text() == "The recipient must not be contacted"
    dialog.set_value("reason", "Hand delivered by the police liaison officer")
    with qtbot.waitSignal(dialog.saved):
        assert saved(dialog, qtbot)
    qtbot.waitUntil(lambda: any(q.id == letter and q.status == "queued" for q in page.model.letters),
                    timeout=15_000)
    assert gui_session.store.rows("SELECT reason FROM letter_release WHERE letter_id = ?", [letter]) == [
        {"reason": "Hand delivered by the police liaison officer"}]


def test_the_chronology_says_who_it_is_about_with_their_flags(qtbot, world, gui_session, manager) -> None:
    """The chronology's "Who it is about" names the child with the child's flag, in both languages, in bold;
    an event about nobody flagged shows the names only."""
    import ui.chronology  # noqa: F401 - registers the Chronology tab
    from desktop.services.notes import NoteService
    from desktop.services.safety_flags import SafetyFlagService

    SafetyFlagService(manager).set_flag(world.elis, "address_confidential", "Placed in a refuge with his mother")
    notes = NoteService(gui_session)
    day = gui_session.today().isoformat()
    notes.record(world.cp_case, kind="phone", occurred_on=day, body="Symud i loches", significant=True,
                 category="household", people=[world.elis, world.carys])
    notes.record(world.cp_case, kind="phone", occurred_on=day, body="Galwad gan yr ysgol", significant=True,
                 category="household", people=[world.carys])
    win = CaseWindow(gui_session, world.cp_case)
    qtbot.addWidget(win)
    settle(qtbot)
    tab = win.tab("chronology")
    assert tab is not None
    tab.refresh()
    qtbot.waitUntil(lambda: not tab.loading and len(tab.model.events) >= 3, timeout=15_000)
    column = {tab.model.events[i].detail: (r.text(2), tab.model.data(tab.model.index(i, 2), Qt.ItemDataRole.FontRole))
              for i, r in enumerate(tab.rows())}
    text, font = column["Symud i loches"]
    assert text.endswith("(safety: Elis Jones: Address confidential)") and font.bold(), text
    text, font = column["Galwad gan yr ysgol"]
    assert text == "Carys Jones" and font is None
    set_language("cy")
    try:
        assert any(r.text(2).endswith("(diogelwch: Elis Jones: Cyfeiriad cyfrinachol)") for r in tab.rows())
    finally:
        set_language("en")
