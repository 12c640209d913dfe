"""The GUI thread only draws, opening a form included: every form the actions of every demo case's tabs open
(the walk ``make screenshots`` draws) reads what it lists — names, the record being edited, its draft — on a
worker. Every store read (``Store.reading``, under ``Store.rows``) made from the moment a form's action is
pressed until its fields are made is recorded with its thread; one on the GUI thread fails the test, naming
the form and the ``ui`` module that asked. With it, the form framework's own promises: the window appears at
once saying "Loading…" with Save disabled, can be closed while it reads, and a read that fails changes nothing
and says why in the person's language."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from desktop.errors import PermissionDenied
from desktop.i18n import set_language
from desktop.services.drafts import DraftService
from desktop.services.session import Session, User
from tests.gui.conftest import World
from tests.gui.store_reads import record_reads, signed_in_demo


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Session, dict[str, str]]]:
    yield from signed_in_demo(tmp_path_factory, "forms")


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """(thread name, asker) of every store read."""
    return record_reads(monkeypatch)


def _settle(qtbot: Any) -> None:
    from ui.tasks import runner

    qtbot.waitUntil(lambda: runner().running() == 0, timeout=20_000)
    QApplication.processEvents()


def test_every_form_of_every_demo_case_reads_on_workers_when_it_opens(
        qtbot: Any, demo: tuple[Session, dict[str, str]], reads: list[tuple[str, str]]) -> None:
    from ui.case_view import CaseWindow
    from ui.forms import Form
    from ui.plugins import load_plugins
    from ui.screenshots import form_openers
    from ui.tasks import forget_store

    session, cases = demo
    load_plugins()
    gui = threading.current_thread().name
    on_gui: dict[str, set[str]] = {}  # form -> the ui modules that read on the GUI thread while it opened
    opened: set[str] = set()
    off = 0
    try:
        for case_id in cases.values():
            window = CaseWindow(session, case_id)  # deleted when closed, below
            window.show()
            qtbot.waitUntil(lambda w=window: w.opened and not w.loading, timeout=20_000)
            for key in [t.key for t in window._startable]:  # noqa: SLF001 - every tab the case could have
                window.start_work(key)
            _settle(qtbot)
            for i in range(window.tabs.count()):
                window.tabs.setCurrentIndex(i)
                _settle(qtbot)
                page = window.tabs.widget(i)
                for name, open_form in form_openers(page):
                    before = set(QApplication.topLevelWidgets())
                    del reads[:]
                    open_form()
                    _settle(qtbot)
                    forms = [w for w in QApplication.topLevelWidgets()
                             if w not in before and w.isVisible() and isinstance(w, Form)]
                    for form in forms:
                        qtbot.waitUntil(lambda f=form: not f.loading, timeout=20_000)
                        assert form.open_failure is None, f"{name}: {form.open_failure!r}"
                        opened.add(form.objectName())
                        asked = {where for thread, where in reads if thread == gui}
                        if asked:
                            on_gui.setdefault(f"{form.objectName()} ({name})", set()).update(asked)
                        off += sum(1 for thread, _w in reads if thread != gui)
                        form.close()
                    _settle(qtbot)
            window.close()
            _settle(qtbot)
    finally:
        forget_store(session)
    assert len(opened) >= 40, f"the walk opened the demo's forms: {sorted(opened)}"
    assert off > len(opened), "their reads were recorded, on workers"
    assert on_gui == {}, "store reads on the GUI thread while a form opened:\n" + "\n".join(
        f"{form}: {sorted(where)}" for form, where in sorted(on_gui.items()))


def test_forms_opened_outside_the_case_tabs_read_on_workers_too(
        qtbot: Any, gui_session: Any, world: World, demo: tuple[Session, dict[str, str]],
        reads: list[tuple[str, str]]) -> None:
    """The forms the walk above does not reach: a person's details, an address, a note from My work (no case
    chosen: it lists the caseload), cover for a colleague, the committee report (a senior manager's: it asks
    whether the council's figures are offered), the next actions of a report already recorded."""
    from desktop.services.child_protection import ReportService
    from ui.address_dialog import AddressDialog
    from ui.child_protection.cover_dialog import CoverDialog
    from ui.child_protection.report_dialog import ReportDialog
    from ui.committee_dialog import CommitteeReportDialog
    from ui.notes import NoteForm
    from ui.person_dialog import PersonDialog

    gui = threading.current_thread().name
    report = ReportService(gui_session).record(world.cp_case, concerns="Left alone at night.",
                                               received_at=f"{gui_session.today().isoformat()}T09:30",
                                               source_type="professional")
    # Cover is a manager's form (it lists whom they may choose): their team manager, on the same store.
    team = gui_session.user.team_id
    manager_id = gui_session.write(lambda tx: tx.insert("practitioner", {
        "given_names": "Carys", "family_name": "Lloyd", "app_role": "team_manager", "team_id": team}))["id"]
    manager = Session(gui_session.profile, gui_session.store, User(manager_id, "Carys", "Lloyd", "team_manager",
                                                                   team, None))  # fmt: skip
    del reads[:]
    forms = [PersonDialog(gui_session, world.elis), AddressDialog(gui_session, world.gwen),
             NoteForm(gui_session, None), CoverDialog(manager, gui_session.user.id),
             CommitteeReportDialog(demo[0]), ReportDialog(gui_session, world.cp_case, report_id=report["id"])]
    for form in forms:
        qtbot.addWidget(form)
        form.show()
    qtbot.waitUntil(lambda: not any(f.loading for f in forms), timeout=20_000)
    assert [(type(f).__name__, f.open_failure) for f in forms if f.open_failure is not None] == []
    assert forms[0].value("given_names") == "Elis", "the person read on a worker is in the form"
    assert forms[2].widgets["case"].count() == 4, "a note from My work lists the caseload (and a blank)"
    assert forms[5].value("concerns") == "Left alone at night.", "the report whose next actions are decided"
    on_gui = sorted({where for thread, where in reads if thread == gui})
    assert on_gui == [], f"store reads on the GUI thread while these forms opened: {on_gui}"
    assert sum(1 for thread, _w in reads if thread != gui) >= len(forms), "their reads were recorded, on workers"


def test_a_note_from_my_work_reopened_reads_its_drafts_case_on_a_worker(
        qtbot: Any, gui_session: Any, world: World, reads: list[tuple[str, str]]) -> None:
    """A note begun from My work keeps the case chosen in its draft; opened again, the people of that case are
    read on the worker with the draft, not on the GUI thread as the draft is put back."""
    from tests.gui.forms import filled, written
    from ui.notes import NoteForm

    first = filled(NoteForm(gui_session, None), qtbot)
    qtbot.addWidget(first)
    first.set_value("case", world.cp_case)  # the person chooses the case (its people are read then)
    first.set_value("body", "Phoned the school.")
    first.edited()
    first.reject()  # closed: the draft keeps the case and the text
    written(first, qtbot)
    gui = threading.current_thread().name
    del reads[:]
    again = NoteForm(gui_session, None)
    qtbot.addWidget(again)
    again.show()
    filled(again, qtbot)
    assert again.value("case") == world.cp_case and again.value("body") == "Phoned the school."
    people = {code for _check, code in again.editors["people"].checks}
    assert {world.elis, world.carys} <= people, "the chosen case's people are listed again"
    on_gui = sorted({where for thread, where in reads if thread == gui})
    assert on_gui == [], f"store reads on the GUI thread while the note opened again: {on_gui}"


def test_a_form_shows_at_once_saying_loading_and_fills_when_its_read_is_back(
        qtbot: Any, gui_session: Any, world: World) -> None:
    from ui.notes import NoteForm

    set_language("cy")
    try:
        form = NoteForm(gui_session, world.cp_case)
        qtbot.addWidget(form)
        form.show()
        # Made, shown, and not yet answered: the read's answer comes through the event loop only.
        assert form.loading and form.isVisible()
        assert form.loading_label.isVisible() and form.loading_label.text() == "Llwytho…"
        assert not form.buttons.button(QDialogButtonBox.StandardButton.Save).isEnabled()
        assert form.widgets == {}, "no field is made before what it lists has been read"
        assert not form.save().ok, "Save before the fields exist does nothing"
        qtbot.waitUntil(lambda: not form.loading, timeout=10_000)
        assert form.opening is not None and form.open_failure is None
        assert not form.loading_label.isVisible()
        assert form.buttons.button(QDialogButtonBox.StandardButton.Save).isEnabled()
        assert "body" in form.widgets and form.body.isEnabled()
    finally:
        set_language("en")


def test_a_form_closed_while_it_reads_draws_nothing_and_keeps_no_draft(
        qtbot: Any, gui_session: Any, world: World) -> None:
    from ui.notes import NoteForm

    form = NoteForm(gui_session, world.cp_case)
    qtbot.addWidget(form)
    form.show()
    assert form.loading
    form.reject()  # Escape before the read is back
    assert not form.isVisible()
    qtbot.waitUntil(lambda: form._opener.task is not None and form._opener.task.done, timeout=10_000)  # noqa: SLF001
    QApplication.processEvents()
    assert form.widgets == {} and form.opening is None, "nothing was drawn into the closed form"
    assert DraftService(gui_session).load(form.OBJECT_NAME, form.draft_context()) is None


class _Refused(Exception):
    pass


def test_a_read_that_fails_says_why_in_the_persons_language_and_changes_nothing(
        qtbot: Any, gui_session: Any, world: World) -> None:
    from ui.notes import NoteForm

    class NotAllowed(NoteForm):
        def read(self) -> Any:
            raise PermissionDenied("You cannot see this case")

    class Broken(NoteForm):
        def read(self) -> Any:
            raise _Refused("a bug")

    notes_before = gui_session.store.rows("SELECT count(*) AS n FROM case_note")[0]["n"]
    set_language("cy")
    try:
        refused = NotAllowed(gui_session, world.cp_case)
        broken = Broken(gui_session, world.cp_case)
        for form in (refused, broken):
            qtbot.addWidget(form)
            form.show()
        qtbot.waitUntil(lambda: not refused.loading and not broken.loading, timeout=10_000)
        assert isinstance(refused.open_failure, PermissionDenied)
        assert refused.general_error.text() == refused.open_failure.message()
        assert refused.general_error.text() and refused.general_error.isVisible()
        assert broken.fault.isVisible() and "_Refused" in broken.fault.text()
        assert "Ni ellid agor y ffurflen hon" in broken.fault.text(), "said in Welsh"
        for form in (refused, broken):
            assert not form.loading_label.isVisible()
            assert not form.buttons.button(QDialogButtonBox.StandardButton.Save).isEnabled()
            assert not form.save().ok and form.widgets == {}
            form.reject()  # and it closes without error
            assert not form.isVisible()
    finally:
        set_language("en")
    assert gui_session.store.rows("SELECT count(*) AS n FROM case_note")[0]["n"] == notes_before


def test_a_case_chosen_in_a_note_from_my_work_has_its_people_read_on_a_worker(
        qtbot: Any, gui_session: Any, world: World, reads: list[tuple[str, str]]) -> None:
    """A note begun from My work lists no one until its case is chosen; then the case's people are read on a
    worker and listed (they were read on the GUI thread as the case was picked)."""
    from tests.gui.forms import filled
    from ui.notes import NoteForm

    form = filled(NoteForm(gui_session, None), qtbot)
    qtbot.addWidget(form)
    assert form.editors["people"].checks == []
    gui = threading.current_thread().name
    del reads[:]
    form.set_value("case", world.cp_case)
    qtbot.waitUntil(lambda: bool(form.editors["people"].checks), timeout=10_000)
    people = {code for _check, code in form.editors["people"].checks}
    assert {world.elis, world.carys} <= people
    on_gui = sorted({where for thread, where in reads if thread == gui})
    assert on_gui == [], f"store reads on the GUI thread as the case was chosen: {on_gui}"
    form.set_value("case", None)
    assert form.editors["people"].checks == []
    form.set_value("case", world.cp_case)  # chosen again: listed at once from what was read
    assert {code for _check, code in form.editors["people"].checks} == people
