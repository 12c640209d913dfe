"""pytest-qt (offscreen): the status widget syncs off the GUI thread and tells the truth; the conflict
screen shows both values side by side with who and when, and a person's choice resolves it."""

from __future__ import annotations

import httpx
import pytest
from PySide6.QtCore import Qt

from desktop.sync import conflicts
from desktop.sync.transport import Transport
from tests.sync.helpers import edit, make_case

pytestmark = pytest.mark.gui


def _controller(lap):
    from ui.sync.controller import SyncController

    def factory() -> Transport:
        return Transport("http://testserver", client=httpx.Client(transport=lap.faults, base_url="http://testserver"))

    return SyncController(lap.session, factory)


@pytest.fixture
def conflicted(srv, laptops):
    w, m = laptops("wendy"), laptops("mari")
    case, _ = make_case(w)
    w.sync()
    m.sync()
    edit(w, "case_file", case, close_reason="moved away")
    edit(m, "case_file", case, close_reason="needs met")
    w.sync()
    return w, m, case


def test_status_widget_syncs_off_the_gui_thread_and_tells_the_truth(qtbot, conflicted) -> None:
    from ui.sync.status_widget import SyncStatusWidget

    w, m, case = conflicted
    ctl = _controller(m)
    widget = SyncStatusWidget(ctl)
    qtbot.addWidget(widget)
    assert widget.label.text() == "1 change not yet sent"
    with qtbot.waitSignal(ctl.finished, timeout=20_000):
        qtbot.mouseClick(widget.sync_button, Qt.MouseButton.LeftButton)
        assert widget.cancel_button.isVisibleTo(widget) and not widget.sync_button.isEnabled()
    qtbot.waitUntil(lambda: widget.label.text() == "1 conflict to resolve", timeout=5_000)
    assert "Last successful sync" in widget.label.toolTip()
    assert widget.sync_button.isEnabled() and not widget.cancel_button.isVisibleTo(widget)
    # Offline: the failure is shown, the unsent count stays true.
    edit(m, "person", m.store.rows("SELECT id FROM person")[0]["id"], phone="01234")
    m.faults.down = True
    with qtbot.waitSignal(ctl.failed, timeout=20_000):
        ctl.sync_now()
    qtbot.waitUntil(lambda: "cannot be reached" in widget.label.text(), timeout=5_000)
    qtbot.waitUntil(lambda: "1 change not yet sent" in widget.label.toolTip(), timeout=5_000)
    assert "Last sync failed" in widget.label.toolTip()
    m.faults.down = False
    ctl.close()
    ctl.deleteLater()


def test_cancel_stops_between_batches_and_keeps_what_was_done(qtbot, srv, laptops) -> None:
    """Cancel takes effect at the next batch boundary: the batch in flight when Cancel is pressed is
    acknowledged and leaves the outbox; no batch is sent after it; the next sync sends the rest."""
    import threading

    from ui.sync.controller import SyncController
    from ui.sync.status_widget import SyncStatusWidget

    w = laptops("wendy")
    for _ in range(5):
        make_case(w)
    total, batch = len(w.outbox()), 4
    assert total > 3 * batch, "enough entries for several batches"
    pushes: list[int] = []
    in_flight, cancelled = threading.Event(), threading.Event()

    class FirstPushWaitsForCancel(httpx.BaseTransport):
        """Holds the first push until the GUI thread has pressed Cancel, so the test knows which batch
        was in flight (no sleeps, no race)."""

        def handle_request(self, request: httpx.Request) -> httpx.Response:
            if request.url.path == "/v1/push":
                pushes.append(1)
                if len(pushes) == 1:
                    in_flight.set()
                    assert cancelled.wait(20), "Cancel was never pressed"
            return w.faults.handle_request(request)

    gate = FirstPushWaitsForCancel()
    ctl = SyncController(w.session, lambda: Transport("http://testserver", client=httpx.Client(
        transport=gate, base_url="http://testserver")), batch_size=batch)  # fmt: skip
    widget = SyncStatusWidget(ctl)
    qtbot.addWidget(widget)
    errors = []
    ctl.failed.connect(errors.append)
    with qtbot.waitSignal(ctl.running_changed, timeout=20_000, check_params_cb=lambda running: not running):
        ctl.sync_now()
        qtbot.waitUntil(in_flight.is_set, timeout=20_000)
        ctl.cancel()
        cancelled.set()
    assert errors and "cancelled" in str(errors[0])
    assert len(pushes) == 1, "no batch was sent after Cancel"
    assert len(w.outbox()) == total - batch, "the acknowledged batch left the outbox; nothing else changed"
    pushes.append(1)  # the gate holds only the first push
    with qtbot.waitSignal(ctl.finished, timeout=20_000):
        ctl.sync_now()
    assert w.outbox() == []
    ctl.close()
    ctl.deleteLater()


def test_conflict_screen_side_by_side_and_resolution(qtbot, conflicted, srv) -> None:
    from ui.sync.conflict_screen import ConflictScreen

    w, m, case = conflicted
    m.sync()
    ctl = _controller(m)
    screen = ConflictScreen(m.session, ctl)
    qtbot.addWidget(screen)
    screen.show()
    qtbot.waitUntil(lambda: screen.list.count() == 1, timeout=5_000)
    assert screen.server_side.value.text() == "moved away"
    assert screen.client_side.value.text() == "needs met"
    assert screen.server_side.who.text() == "Entered by: wendy"
    assert screen.client_side.who.text() == "Entered by: you"
    assert screen.server_side.when.text().startswith("When: ") and len(screen.server_side.when.text()) > 8
    assert "reason for closing" in screen.title.text() and "case" in screen.title.text()
    # Whose record and which case, in words: never a table name or an id.
    assert screen.list.item(0).text() == "Dylan Jones: reason for closing (case)"
    reference = m.row("case_file", case)["reference"]
    assert screen.case_line.text() == f"Case {reference}: Dylan Jones"
    from desktop.i18n import set_language
    from ui.language import hub

    hub()  # the Qt side of switching language, as the application has it
    set_language("cy")
    try:
        assert screen.list.item(0).text() == "Dylan Jones: rheswm dros gau (achos)"
    finally:
        set_language("en")
    # Side by side: the two columns are next to each other.
    assert screen.server_side.geometry().right() <= screen.client_side.geometry().left()
    screen.note.setText("agreed with the team manager")
    qtbot.mouseClick(screen.client_side.keep, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.list.count() == 0 and screen.empty.isVisible(), timeout=10_000)
    assert conflicts.open_conflicts(m.store) == []
    assert m.row("case_file", case)["close_reason"] == "needs met"
    [audit] = srv.sql("SELECT detail FROM audit WHERE action = 'conflict.resolve'")
    assert audit["detail"]["note"] == "agreed with the team manager"
    ctl.close()
    ctl.deleteLater()


def test_a_refused_change_names_the_record_and_follows_the_language(qtbot, srv, laptops) -> None:
    """"Needs attention" says what was refused in words (the kind of record, whose, the reason) and says it
    again in Welsh when the language changes — not the table name, and not the English kept from loading."""
    from desktop.i18n import set_language
    from tests.sync.helpers import add_visit, make_case
    from ui.sync.area import SyncPage
    from ui.sync.controller import forget_controller

    w, g = laptops("wendy"), laptops("gwyn")
    make_case(w)
    w.sync()
    taken = srv.sql("SELECT op_id::text AS id FROM ops ORDER BY received_at LIMIT 1")[0]["id"]
    case_g, _ = make_case(g)
    visit = add_visit(g, case_g, "seen")
    g.write(lambda tx: tx.db.execute("UPDATE outbox SET op_id = ? WHERE entity_id = ?", [taken, visit]))
    assert g.sync().refused == 1
    from ui.language import hub

    hub()
    page = SyncPage(g.session)
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: page.attention.count() == 1, timeout=5_000)
    text = page.attention.item(0).text()
    assert text.startswith("visit (new), Dylan Jones: ") and "another person or laptop" in text, text
    assert "cp_visit" not in text and visit not in text and "insert" not in text
    assert page.attention.item(0).toolTip().startswith("Case ")
    set_language("cy")
    try:
        welsh = page.attention.item(0).text()
        assert welsh.startswith("ymweliad (") and "another person" not in welsh, welsh
    finally:
        set_language("en")
    forget_controller(g.session)


def test_sync_area_is_registered_with_a_badge(qtbot, conflicted) -> None:
    import ui.sync.area  # noqa: F401 - registers the area
    from ui.areas import areas_for, compute_badges

    w, m, case = conflicted
    m.sync()
    assert "sync" in [a.key for a in areas_for(m.session)]
    assert compute_badges(m.session, ["sync"]) == {"sync": 1}
    from ui.sync.area import SyncPage

    page = SyncPage(m.session)
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: page.conflicts.list.count() == 1, timeout=5_000)
    assert "1 conflict to resolve" in page.details.text()
    from ui.sync.controller import forget_controller

    forget_controller(m.session)


def test_first_run_from_the_server_and_signing_in_again(qtbot, srv, tmp_path) -> None:
    from tests.server.harness import PASSWORD
    from tests.sync.live import LiveServer
    from ui.sync.controller import SyncController, forget_controller
    from ui.sync.server_dialog import ServerProfileDialog
    from ui.sync.status_widget import SyncStatusWidget

    live = LiveServer(srv).start()
    try:
        dialog = ServerProfileDialog(tmp_path / "gui-wendy")
        qtbot.addWidget(dialog)
        dialog.url.setText(live.url)
        dialog.user.setText("wendy")
        dialog.password.setText("wrong password")
        dialog.submit()
        qtbot.waitUntil(lambda: dialog.error.isVisibleTo(dialog), timeout=10_000)
        assert "did not accept" in dialog.error.text()
        assert not (tmp_path / "gui-wendy" / "profile.json").exists()
        dialog.password.setText(PASSWORD)
        with qtbot.waitSignal(dialog.created, timeout=20_000) as got:
            dialog.submit()
        session = got.args[0]
        assert session.user.role == "social_worker"
        # Later the server token expires: the status line offers to sign in again, and sync then works.
        ctl = SyncController(session)
        widget = SyncStatusWidget(ctl)
        qtbot.addWidget(widget)
        srv.clock.advance(hours=13)
        with qtbot.waitSignal(ctl.failed, timeout=20_000):
            ctl.sync_now()
        assert widget.sign_in_button.isVisibleTo(widget)
        qtbot.mouseClick(widget.sign_in_button, Qt.MouseButton.LeftButton)
        sign_in = widget.dialog
        assert sign_in.url.text() == live.url and sign_in.user.text() == "wendy"
        sign_in.password.setText(PASSWORD)
        with qtbot.waitSignal(ctl.finished, timeout=20_000):
            sign_in.submit()
        assert not widget.sign_in_button.isVisibleTo(widget)
        ctl.close()
        forget_controller(session)
        from ui.tasks import forget_store, runner

        forget_store(session)
        assert runner().wait_idle(20), "the status read finishes before its store closes"
        session.store.close()
    finally:
        live.stop()


def test_resolve_a_conflict_by_keyboard_alone(qtbot, conflicted, srv) -> None:
    """Tab to the list of conflicts, the arrows choose one; Tab to the note and type it; Tab to the
    laptop's "Keep this value", Space: resolved on the server, the laptop's value kept, the note in the
    audit. Every key goes to the focused widget (tests/gui/keys.py)."""
    from PySide6.QtWidgets import QApplication

    from tests.gui.keys import focused, press, tab_to, type_text
    from ui.sync.conflict_screen import ConflictScreen

    w, m, case = conflicted
    m.sync()
    ctl = _controller(m)
    screen = ConflictScreen(m.session, ctl)
    qtbot.addWidget(screen)
    screen.show()
    screen.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is screen, timeout=5_000)
    qtbot.waitUntil(lambda: screen.list.count() == 1, timeout=5_000)
    if focused() is not screen.list:
        tab_to(lambda widget: widget is screen.list)
    press(Qt.Key.Key_Up)  # (the only conflict is already chosen: the arrows keep it)
    assert screen.current() is not None
    assert tab_to(lambda widget: widget is screen.note) <= 6
    type_text("agreed by phone")
    assert tab_to(lambda widget: widget is screen.client_side.keep) <= 6
    assert screen.client_side.keep.text() == "Keep this value"
    press(Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: screen.list.count() == 0 and screen.empty.isVisible(), timeout=10_000)
    assert conflicts.open_conflicts(m.store) == []
    assert m.row("case_file", case)["close_reason"] == "needs met"
    [audit] = srv.sql("SELECT detail FROM audit WHERE action = 'conflict.resolve'")
    assert audit["detail"]["note"] == "agreed by phone"
    ctl.close()
    ctl.deleteLater()
