"""First run, sign-in (wrong password, lockout countdown) and the damaged-database path."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QDialog

from desktop.services.session import Session
from desktop.store.profile import Profile
from tests.conftest import PASSWORD, fast_kdf
from tests.gui.conftest import World
from ui.first_run import FirstRunDialog
from ui.sign_in import SignInDialog


def _close(session: Session) -> None:
    from ui.tasks import forget_store

    forget_store(session)
    session.close()


def test_first_run_creates_the_profile_and_signs_in(qtbot, tmp_path: Path) -> None:
    """The first-run dialog checks the passwords match, then creates the profile and its user."""
    dialog = FirstRunDialog(tmp_path / "new", kdf=fast_kdf())
    qtbot.addWidget(dialog)
    dialog.given_names.setText("Siân")
    dialog.family_name.setText("ap Dafydd")
    dialog.role.setCurrentIndex(dialog.role.findData("team_manager"))
    dialog.team.setText("Tîm Plant Mewn Angen")
    dialog.password.setText(PASSWORD)
    dialog.password2.setText(PASSWORD + "x")
    dialog.create_button.click()
    assert dialog.errors["password2"].isVisibleTo(dialog)
    assert not Profile.exists(tmp_path / "new")
    dialog.password2.setText(PASSWORD)
    with qtbot.waitSignal(dialog.signed_in, timeout=10_000) as signal:
        dialog.create_button.click()
    session = signal.args[0]
    assert session.user.name == "Siân ap Dafydd" and session.user.role == "team_manager"
    _close(session)


def test_first_run_shows_the_service_message_beside_the_field(qtbot, tmp_path: Path) -> None:
    """A short password: the core's message appears beside the password field."""
    dialog = FirstRunDialog(tmp_path / "new", kdf=fast_kdf())
    qtbot.addWidget(dialog)
    dialog.given_names.setText("Siân")
    dialog.family_name.setText("ap Dafydd")
    dialog.team.setText("Tîm")
    dialog.password.setText("short")
    dialog.password2.setText("short")
    dialog.create_button.click()
    qtbot.waitUntil(lambda: dialog.errors["password"].isVisibleTo(dialog), timeout=10_000)
    assert "at least 8 characters" in dialog.errors["password"].text()


def test_sign_in_wrong_password_then_lockout_countdown(qtbot, world: World, clock) -> None:
    """A wrong password shows the error's message; after three, a countdown disables the button."""
    dialog = SignInDialog(world.folder, clock=clock)
    qtbot.addWidget(dialog)
    dialog.show()
    for attempt in range(3):
        dialog.password.setText("not the password")
        dialog.sign_in_button.click()
        qtbot.waitUntil(lambda: dialog.error.isVisible() and dialog.password.isEnabled(), timeout=10_000)
        if attempt < 2:
            assert dialog.error.text() == "That password is not right. Check Caps Lock and try again."
    assert "Wait 2 seconds" in dialog.error.text()
    assert not dialog.sign_in_button.isEnabled()
    assert dialog.countdown_label.isVisible()
    assert "2 seconds" in dialog.countdown_label.text()
    # Enter does nothing while the countdown runs.
    dialog._submit()
    assert not dialog._busy
    # When it ends, the right password signs in.
    qtbot.waitUntil(lambda: dialog.sign_in_button.isEnabled(), timeout=5_000)
    dialog.password.setText(PASSWORD)
    with qtbot.waitSignal(dialog.opened, timeout=10_000) as signal:
        dialog.sign_in_button.click()
    assert dialog.result() == QDialog.DialogCode.Accepted
    _close(signal.args[0])


def test_sign_in_speaks_welsh_when_asked(qtbot, world: World, clock) -> None:
    """Choosing Cymraeg on the sign-in dialog switches it and is remembered in the profile."""
    dialog = SignInDialog(world.folder, clock=clock)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.language.setCurrentIndex(dialog.language.findData("cy"))
    assert dialog.sign_in_button.text() == "Mewngofnodi"
    assert Profile.open(world.folder).language == "cy"
    dialog.password.setText("anghywir iawn")
    dialog.sign_in_button.click()
    qtbot.waitUntil(lambda: dialog.error.isVisible(), timeout=10_000)
    assert "password" not in dialog.error.text().lower()


def test_damaged_database_offers_the_latest_backup_and_keeps_the_damaged_file(qtbot, world: World, clock) -> None:
    """A damaged file is never overwritten: the backup is put in place and the old file kept."""
    s = Session.sign_in(world.folder, PASSWORD, clock=clock)  # makes today's backup
    s.close()
    profile = Profile.open(world.folder)
    assert profile.latest_backup() is not None
    profile.db_path.write_bytes(b"this is not a database" * 100)
    dialog = SignInDialog(world.folder, clock=clock)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.password.setText(PASSWORD)
    dialog.sign_in_button.click()
    qtbot.waitUntil(lambda: dialog.restore_button.isVisible(), timeout=10_000)
    assert dialog.error.isVisible() and dialog.error.text()
    with qtbot.waitSignal(dialog.opened, timeout=10_000) as signal:
        dialog.restore_button.click()
    kept = list(world.folder.glob("diogel.db.damaged-*"))
    assert kept and kept[0].read_bytes().startswith(b"this is not a database")
    _close(signal.args[0])


def test_a_damaged_page_found_after_the_window_opened_brings_back_sign_in_with_the_good_backup(
        qtbot, world: World, clock) -> None:
    """Damage that only the whole-file check finds (page 1 is fine): the window shows at once while the
    check runs, nothing is written, and when the check fails the window closes, the sign-in dialog comes
    back with the message and the newest backup that checks out, and restoring it signs in."""
    from desktop.store.integrity import PAGE_SIZE
    from ui.application import AppController

    Session.sign_in(world.folder, PASSWORD, clock=clock).close()  # today's backup, checked and kept
    db = world.folder / "diogel.db"
    data = bytearray(db.read_bytes())
    last_page = len(data) // PAGE_SIZE - 1
    data[last_page * PAGE_SIZE + 500] ^= 0x44
    db.write_bytes(bytes(data))
    damaged = db.read_bytes()
    controller = AppController(world.folder, idle_ms=3_600_000)
    dialog = controller.start()
    qtbot.addWidget(dialog)
    dialog.password.setText(PASSWORD)
    with qtbot.waitSignal(dialog.failed, timeout=20_000):
        dialog.sign_in_button.click()
    assert controller.window is None and controller.session is None
    assert dialog.isVisible() and "is damaged" in dialog.error.text() and "helpdesk: " not in dialog.error.text()
    assert dialog.restore_button.isVisible() and "checks out" in dialog.restore_button.text()
    assert db.read_bytes() == damaged, "nothing was written to the damaged file"
    with qtbot.waitSignal(dialog.opened, timeout=20_000):
        dialog.restore_button.click()
    assert list(world.folder.glob("diogel.db.damaged-*"))
    qtbot.waitUntil(lambda: controller.window is not None and controller.window.isVisible(), timeout=10_000)
    qtbot.addWidget(controller.window)
    controller.window.close()
    controller.shutdown()


def test_return_in_the_password_box_signs_in_after_a_wrong_try_too(qtbot, world: World, clock) -> None:
    """Keyboard alone: type, Return; a wrong password, type again, Return — signed in."""
    from PySide6.QtCore import Qt

    dialog = SignInDialog(world.folder, clock=clock)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.focusWidget() is dialog.password
    qtbot.keyClicks(dialog.password, "not the password")
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.error.isVisible() and dialog.password.isEnabled(), timeout=10_000)
    assert dialog.focusWidget() is dialog.password
    dialog.password.clear()
    qtbot.keyClicks(dialog.password, PASSWORD)
    with qtbot.waitSignal(dialog.opened, timeout=10_000) as signal:
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert dialog.result() == QDialog.DialogCode.Accepted
    _close(signal.args[0])


def test_a_sign_in_window_gone_before_the_screens_are_ready_takes_no_answer(qtbot, world: World, clock,
                                                                            monkeypatch) -> None:
    """Signing in waits on a worker for the screens' import (up to 20 s under load); if the sign-in window
    has been deleted by then (the application closed, a test torn down), the answer is dropped instead of
    touching the deleted window (which raised in whatever ran next)."""
    import threading

    import shiboken6

    import ui.sign_in

    release, waiting = threading.Event(), threading.Event()

    def slow_ready(session: Session, warming: bool) -> None:
        waiting.set()
        release.wait(10)

    monkeypatch.setattr(ui.sign_in, "_ready", slow_ready)
    dialog = SignInDialog(world.folder, clock=clock)
    opened: list[Session] = []
    dialog.opened.connect(opened.append)
    dialog.password.setText(PASSWORD)
    with qtbot.waitSignal(dialog.signed_in, timeout=10_000) as signal:
        dialog.sign_in_button.click()
    qtbot.waitUntil(waiting.is_set, timeout=5_000)
    shiboken6.delete(dialog)
    release.set()
    from ui.tasks import runner

    qtbot.waitUntil(lambda: not runner()._running, timeout=5_000)
    qtbot.wait(50)  # the answer delivered on the GUI thread
    assert opened == []
    _close(signal.args[0])
