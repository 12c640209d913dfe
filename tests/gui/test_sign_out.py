"""The shell's sync wiring: the status line in the status bar, "Sign out" refused while changes are unsent
(and back to the sign-in dialog once they were sent), "Create from server…" on first run, conflict marks in
the caseload, and case tabs only on their kinds of case."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMessageBox

from desktop.services.cases import CaseRow
from desktop.sync import local
from tests.conftest import PASSWORD, fast_kdf
from tests.gui.conftest import World, first_run
from ui.application import AppController
from ui.case_view import open_case_window
from ui.caseload_model import COLUMNS, CaseloadModel
from ui.first_run import FirstRunDialog
from ui.main_window import MainWindow
from ui.sign_in import SignInDialog
from ui.sync.controller import controller_for
from ui.sync.status_widget import SyncStatusWidget


def test_the_sync_status_is_in_the_status_bar(qtbot, gui_session) -> None:
    window = MainWindow(gui_session, idle_ms=3_600_000)
    qtbot.addWidget(window)
    window.show()
    assert isinstance(window.sync_status, SyncStatusWidget)
    assert window.statusBar().isAncestorOf(window.sync_status)
    assert window.sync_status.isVisible()
    assert window.sync_status.controller is controller_for(gui_session)
    assert "not yet sent" in window.sync_status.label.text()  # the people and cases made offline
    assert "sync" in [a.key for a in window._areas]  # noqa: SLF001 - the Sync area is loaded


def test_sign_out_is_refused_while_changes_are_unsent_then_returns_to_sign_in(qtbot, tmp_path: Path) -> None:
    controller = first_run(qtbot, tmp_path / "fresh")
    window = controller.window
    session = controller.session
    assert controller_for(session)._auto is None  # noqa: SLF001 - never linked to a server: no network
    from desktop.services.persons import PersonService

    PersonService(session).create({"given_names": "Nia", "family_name": "Roberts", "date_of_birth": "2015-03-02"})
    assert session.store.rows("SELECT count(*) AS n FROM outbox")[0]["n"] > 0

    # Refused, with the reason and our own buttons; no "Sync now" for a profile not linked to a server.
    window.sign_out_action.trigger()
    box = window.sign_out_box
    assert isinstance(box, QMessageBox)
    qtbot.waitUntil(box.isVisible, timeout=5_000)
    assert box.text().startswith("You cannot sign out yet:") and "not been sent to the server" in box.text()
    assert box.sync_button is None
    assert [b.text() for b in box.buttons()] == ["Stay signed in"]
    box.stay_button.click()
    qtbot.waitUntil(lambda: not box.isVisible(), timeout=5_000)
    assert controller.window is window and window.isVisible() and controller.session is session

    # The server acknowledged everything (simulated): sign-out is allowed and the sign-in dialog is back.
    session.write(lambda tx: tx.db.execute("DELETE FROM outbox"))
    window.sign_out_action.trigger()
    assert controller.session is None and controller.window is None
    assert session.store._closed  # noqa: SLF001
    assert not window.isVisible()
    again = controller.dialog
    qtbot.addWidget(again)
    assert isinstance(again, SignInDialog) and again.isVisible()
    again.password.setText(PASSWORD)
    again.sign_in_button.click()
    qtbot.waitUntil(lambda: controller.window is not None, timeout=10_000)
    qtbot.addWidget(controller.window)
    assert controller.session.user.given_names == "Gareth"
    controller.window.close()
    controller.shutdown()


def test_sign_out_offers_sync_now_when_linked_to_a_server(qtbot, gui_session) -> None:
    gui_session.write(lambda tx: local.set_state(tx, server_url="https://diogel.invalid"))
    window = MainWindow(gui_session, idle_ms=3_600_000)
    qtbot.addWidget(window)
    window.show()
    box = window.sign_out()
    assert box is not None
    qtbot.waitUntil(box.isVisible, timeout=5_000)
    assert sorted(b.text() for b in box.buttons()) == ["Stay signed in", "Sync now"]
    assert window.quit_action.toolTip() == "Close Diogel; your records stay on this computer, encrypted"
    box.reject()


def test_first_run_offers_create_from_server(qtbot, tmp_path: Path) -> None:
    dialog = FirstRunDialog(tmp_path / "fresh", kdf=fast_kdf())
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.server_button.text() == "Create from server…"
    server = dialog.create_from_server()
    qtbot.waitUntil(server.isVisible, timeout=5_000)
    assert server.objectName() == "server_profile"
    server.reject()


def test_caseload_marks_cases_with_open_conflicts() -> None:
    row = CaseRow("c1", "2026-00001", "child_protection", "Elis Jones", "2019-05-04", "LA1", "t", "Tîm", "w",
                  "Rhian Evans", True, search_text="elis")  # fmt: skip
    other = CaseRow("c2", "2026-00002", "child_in_need", "Owain Prys", "2025-06-30", "", "t", "Tîm", "w",
                    "Rhian Evans", False, search_text="owain")  # fmt: skip
    model = CaseloadModel()
    model.set_rows([row, other], {"c1", "c2"})
    col = [k for k, _t in COLUMNS].index("registered")
    assert model.index(0, col).data() == "On the register · Conflict"
    assert model.index(1, col).data() == "Conflict"
    model.set_rows([row, other])
    assert model.index(1, col).data() == ""


def test_adult_safeguarding_tab_only_on_adult_cases(qtbot, gui_session, world: World) -> None:
    from ui.plugins import load_plugins

    load_plugins()
    cp = open_case_window(gui_session, world.cp_case, None)
    qtbot.addWidget(cp)
    qtbot.waitUntil(lambda: not cp.loading, timeout=10_000)  # opened, its tabs have read
    assert cp.tab("adults") is None
    # A child protection case with no Child in Need or looked-after records: those tabs are not shown,
    # they are offered under "Start other work".
    assert cp.tab("child_in_need") is None and cp.tab("looked_after") is None
    assert [a.text() for a in cp.start_menu.actions()] == ["Child in need", "Looked after"]
    adult = open_case_window(gui_session, world.adult_case, None)
    qtbot.addWidget(adult)
    qtbot.waitUntil(lambda: not adult.loading, timeout=10_000)  # opened, its tabs have read
    assert adult.tab("adults") is not None
    assert adult.tab("child_in_need") is None
    assert adult.start_menu.actions() == [], "nothing of a child's work is offered on an adult's case"


def test_a_demo_says_it_is_a_demo_and_signs_out(qtbot, tmp_path: Path) -> None:
    """A demo profile has no server: the status says so (not a count of changes it can never send), there
    is no Sync now, and Sign out takes the person back to the sign-in window."""
    from desktop.services.demo import build_demo
    from tests.conftest import demo_clock

    build_demo(tmp_path / "demo", "demo-password-1", kdf=fast_kdf(), clock=demo_clock(), language="en").store.close()
    controller = AppController(tmp_path / "demo", kdf=fast_kdf(), idle_ms=3_600_000)
    dialog = controller.start()
    qtbot.addWidget(dialog)
    dialog.password.setText("demo-password-1")
    dialog.sign_in_button.click()
    qtbot.waitUntil(lambda: controller.window is not None, timeout=10_000)
    window = controller.window
    qtbot.addWidget(window)
    window.show()
    session = controller.session
    assert session.store.rows("SELECT count(*) AS n FROM outbox")[0]["n"] > 100  # all the demo's records
    status = window.sync_status
    qtbot.waitUntil(lambda: status.label.text() == "Demo — not connected to a server", timeout=5_000)
    assert not status.sync_button.isVisible()
    assert "never sent anywhere" in status.label.toolTip()
    window.sign_out_action.trigger()
    assert controller.session is None and controller.window is None
    assert isinstance(controller.dialog, SignInDialog)
    qtbot.addWidget(controller.dialog)
    controller.shutdown()


def test_the_main_window_fills_a_laptop_screen(qtbot, gui_session) -> None:
    """The test screen (800×800) is smaller than a roomy window: the window takes all of it, not a fixed
    1100×720 that hides the caseload's right-hand columns."""
    from PySide6.QtGui import QGuiApplication

    from ui.main_window import ROOMY

    area = QGuiApplication.primaryScreen().availableGeometry()
    assert area.width() < ROOMY[0], "this test needs a screen smaller than the roomy window"
    window = MainWindow(gui_session, idle_ms=3_600_000)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert window.isMaximized()
    assert window.geometry().width() == area.width() and window.geometry().height() <= area.height()
    assert window.minimumSizeHint().width() <= 1093 and window.minimumSizeHint().height() <= 614, (
        "fits 1366×768 at 125 % scaling")
