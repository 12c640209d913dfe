"""The main window: sidebar of areas, the area pages, menus, language switch and idle lock.

Areas come from :mod:`ui.areas` (their modules listed in :mod:`ui.plugins`). Locking takes the
content out of the window, closes every case window and dialog, and destroys the area pages
(their models with them); unlocking builds them again.

The window is made first and each area's page on a later turn of the event loop, when it is first
shown ("Loading…" until then): signing in, the window shows and answers the keyboard before any page
exists, and a page passed over before its turn (the first area when another is asked for at once) is
never made. :meth:`MainWindow.page` makes the page shown at once for a caller that needs it.

Thread contract: GUI thread. Badges are computed on a worker.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QMessageBox,
    QStackedWidget,
    QToolBar,
    QWidget,
)

from desktop.domain.types import label
from desktop.errors import DiogelError
from desktop.i18n import LANGUAGES, _, current_language, set_language
from desktop.services.permissions import Can
from desktop.services.signout import can_sign_out
from ui.areas import Area, areas_for, compute_badges
from ui.idle_lock import IdleWatcher, LockScreen
from ui.language import hub
from ui.plugins import begin_warm_up, load_areas
from ui.sync.controller import controller_for, forget_controller, is_linked
from ui.sync.status_widget import SyncStatusWidget
from ui.tasks import runner, store_watcher
from ui.widgets import Retranslating, scrolling
from ui.windows import close_sensitive, fit_to_screen

if TYPE_CHECKING:  # imported when first opened: the committee report pulls in ReportLab and the sync client
    from ui.account_dialogs import ChangePasswordDialog, SettingsDialog
    from ui.committee_dialog import CommitteeReportDialog

AREA_KEY_ROLE = Qt.ItemDataRole.UserRole + 1
ROOMY = (1400, 880)
"""The window on a screen with room to spare; a smaller screen is filled."""


def sign_out_refusal(session: Any) -> str | None:
    """Why this person may not sign out now (translated), or ``None`` when they may."""
    allowed, reason = can_sign_out(session)
    if not allowed:
        return reason
    if controller_for(session).running:
        return _("A sync is running. Sign out when it has finished.")
    return None


class SignOutRefused(Retranslating, QMessageBox):
    """Why sign-out was refused, with "Sync now" (profiles linked to a server) and "Stay signed in"."""

    def __init__(self, session: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sign_out_refused")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setIcon(QMessageBox.Icon.Warning)
        self.session = session
        self.sync_button = None
        if is_linked(session):
            self.sync_button = self.addButton("", QMessageBox.ButtonRole.AcceptRole)
            self.sync_button.clicked.connect(lambda: controller_for(session).sync_now())
        self.stay_button = self.addButton("", QMessageBox.ButtonRole.RejectRole)
        self.setDefaultButton(self.stay_button)
        self.setEscapeButton(self.stay_button)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(_("You cannot sign out yet"))
        reason = sign_out_refusal(self.session)
        if reason:  # (once nothing is left to send, the last reason stays until the box closes)
            self.setText(reason)
        if self.sync_button is not None:
            self.sync_button.setText(_("Sync now"))
        self.stay_button.setText(_("Stay signed in"))


class MainWindow(Retranslating, QMainWindow):
    """The signed-in window. ``idle_ms`` overrides the profile's idle-lock time (tests).

    :attr:`sign_out_requested` is emitted once sign-out was allowed (nothing unsent); the
    :class:`ui.application.AppController` then closes the window and the store and asks for a password.
    """

    locked_changed = Signal(bool)
    sign_out_requested = Signal()

    def __init__(self, session: Any, *, idle_ms: int | None = None, parent: QWidget | None = None) -> None:
        # Language switching must reach Qt even if nothing else set it up; first, because making the hub
        # posts a language change that a half-built window could not answer.
        hub()
        super().__init__(parent)
        load_areas()  # the case tabs' modules when a case first opens (or the warm-up after the window shows)
        self.session = session
        self.setObjectName("main_window")
        self._idle_override = idle_ms
        self._locked = False
        self._areas: list[Area] = areas_for(session)
        self._badges: dict[str, int | None] = {}
        self._pages: dict[str, QWidget] = {}
        self._frames: dict[str, QWidget] = {}  # each page inside its scroll area (large text)

        # content: sidebar + stacked pages
        self.sidebar = QListWidget()
        self.sidebar.setObjectName("sidebar")
        self.sidebar.setStyleSheet("QListWidget#sidebar::item { padding: 6px 10px; }")
        self.sidebar.setSizeAdjustPolicy(QListWidget.SizeAdjustPolicy.AdjustToContents)
        for area in self._areas:
            item = QListWidgetItem()
            item.setData(AREA_KEY_ROLE, area.key)
            self.sidebar.addItem(item)
        self.sidebar.currentRowChanged.connect(self._show_area)
        self.stack = QStackedWidget()
        # Shown in place of an area's page until it is made, on a later turn of the event loop.
        self.placeholder = QLabel()
        self.placeholder.setObjectName("area_loading")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack.addWidget(self.placeholder)
        self._page_due = False  # a turn of the event loop is asked for to make the current page
        self.content = QWidget()
        row = QHBoxLayout(self.content)
        row.addWidget(self.sidebar, 0)
        row.addWidget(self.stack, 1)
        self.setCentralWidget(self.content)
        self.lock_screen: LockScreen | None = None

        self._build_actions()
        self.user_label = QLabel()
        self.statusBar().addPermanentWidget(self.user_label)
        self.sync_status = SyncStatusWidget(controller_for(session))
        self.statusBar().addPermanentWidget(self.sync_status)
        self.sign_out_box: SignOutRefused | None = None

        minutes = session.profile.idle_lock_minutes
        self.idle = IdleWatcher(idle_ms if idle_ms is not None else minutes * 60_000, self)
        self.idle.idle.connect(self.lock)
        self._badge_timer = QTimer(self)  # a burst of commits refreshes the counts once
        self._badge_timer.setSingleShot(True)
        self._badge_timer.setInterval(500)
        self._badge_timer.timeout.connect(self.refresh_badges)
        # One count of the badges at a time: a refresh asked for while one runs is made once, after it (a senior
        # manager's counts read every case in scope; two at once were twice the work and twice the memory).
        self._badges_running = False
        self._badges_again = False
        # A bound method, not a lambda: Qt drops the connection when the window is destroyed.
        store_watcher(session).changed.connect(self._store_changed)

        self.retranslate()
        if self._areas:
            self.sidebar.setCurrentRow(0)
        self._badges_started = False  # the first counts once the window is on screen (see showEvent)
        fit_to_screen(self, ROOMY)

    # -- actions and menus --------------------------------------------------------------------
    def _build_actions(self) -> None:
        self.lock_action = QAction(self)
        self.lock_action.setShortcut(QKeySequence("Ctrl+L"))
        self.lock_action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        self.lock_action.triggered.connect(self.lock)
        self.password_action = QAction(self)
        self.password_action.triggered.connect(self.change_password)
        self.committee_action = QAction(self)
        self.committee_action.triggered.connect(self.committee_report)
        self.committee_action.setVisible(self.session.can(Can.COMMITTEE_REPORT))
        self.settings_action = QAction(self)
        self.settings_action.setShortcut(QKeySequence.StandardKey.Preferences)
        self.settings_action.triggered.connect(self.open_settings)
        self.sign_out_action = QAction(self)
        self.sign_out_action.setShortcut(QKeySequence("Ctrl+Shift+Q"))
        self.sign_out_action.triggered.connect(self.sign_out)
        self.quit_action = QAction(self)
        self.quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        self.quit_action.triggered.connect(self.close)
        # Ctrl+F from anywhere in the window: the caseload's search box, ready to type a name.
        self.find_action = QAction(self)
        self.find_action.setObjectName("find_case")
        self.find_action.setShortcut(QKeySequence.StandardKey.Find)
        self.find_action.triggered.connect(self.find_case)
        self.find_action.setVisible("caseload" in [a.key for a in self._areas])
        self.area_actions: list[QAction] = []
        for i, _area in enumerate(self._areas):
            act = QAction(self)
            if i < 9:
                act.setShortcut(QKeySequence(f"Ctrl+{i + 1}"))
            act.triggered.connect(lambda _c=False, i=i: self.sidebar.setCurrentRow(i))
            self.area_actions.append(act)
        self.language_group = QActionGroup(self)
        self.language_group.setExclusive(True)
        self.language_actions: dict[str, QAction] = {}
        for code, name in LANGUAGES.items():
            act = QAction(name, self)  # each language named in itself, never translated
            act.setCheckable(True)
            act.setProperty("language_picker", True)
            act.setChecked(code == current_language())
            act.triggered.connect(lambda _c=False, code=code: self.switch_language(code))
            self.language_group.addAction(act)
            self.language_actions[code] = act
        self.language_actions["cy"].setShortcut(QKeySequence("Ctrl+Shift+C"))
        self.language_actions["en"].setShortcut(QKeySequence("Ctrl+Shift+E"))

        bar = self.menuBar()
        self.file_menu = bar.addMenu("")
        self.file_menu.addAction(self.lock_action)
        self.file_menu.addAction(self.password_action)
        self.file_menu.addAction(self.settings_action)
        self.file_menu.addAction(self.committee_action)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.sign_out_action)
        self.file_menu.addAction(self.quit_action)
        self.go_menu = bar.addMenu("")
        self.go_menu.addAction(self.find_action)
        for act in self.area_actions:
            self.go_menu.addAction(act)
        self.language_menu = bar.addMenu("")
        for act in self.language_actions.values():
            self.language_menu.addAction(act)
        self.toolbar = QToolBar()
        self.toolbar.setObjectName("main_toolbar")
        self.toolbar.setMovable(False)
        self.toolbar.addAction(self.lock_action)
        self.toolbar.addSeparator()
        for act in self.language_actions.values():
            self.toolbar.addAction(act)
        self.addToolBar(self.toolbar)

    def retranslate(self) -> None:
        self.setWindowTitle(_("Diogel"))
        self.file_menu.setTitle(_("Diogel"))
        self.go_menu.setTitle(_("Go to"))
        self.language_menu.setTitle(_("Language"))
        self.lock_action.setText(_("Lock now"))
        self.lock_action.setToolTip(_("Lock now (Ctrl+L): hide case records until you enter your password"))
        self.password_action.setText(_("Change password…"))
        self.settings_action.setText(_("Settings…"))
        self.committee_action.setText(_("Committee report…"))
        self.committee_action.setToolTip(_("Make the committee's performance report for a period, as a PDF"))
        self.sign_out_action.setText(_("Sign out"))
        self.sign_out_action.setToolTip(_("Sign out and close your records; only once every change has been sent"
                                          " to the server"))  # fmt: skip
        self.quit_action.setText(_("Quit"))
        self.find_action.setText(_("Find a case…"))
        self.quit_action.setToolTip(_("Close Diogel; your records stay on this computer, encrypted"))
        for act, area in zip(self.area_actions, self._areas, strict=True):
            act.setText(_(area.title_msgid))
        for code, act in self.language_actions.items():
            act.setToolTip(_("Show Diogel in Welsh") if code == "cy" else _("Show Diogel in English"))
            act.setChecked(code == current_language())
        self.placeholder.setText(_("Loading…"))
        self.toolbar.setWindowTitle(_("Toolbar"))
        self.toolbar.setAccessibleName(_("Toolbar"))
        self.sidebar.setAccessibleName(_("Areas"))
        self._update_sidebar()
        user = self.session.user
        self.user_label.setText(_("Signed in as {name} ({role})").format(name=user.name, role=label(user.role)))

    def _update_sidebar(self) -> None:
        for i, area in enumerate(self._areas):
            item = self.sidebar.item(i)
            count = self._badges.get(area.key)
            title = _(area.title_msgid)
            # L10N: a sidebar entry and its count, e.g. "Caseload (12)"
            item.setText(_("{area} ({count})").format(area=title, count=count) if count is not None else title)
            item.setData(Qt.ItemDataRole.AccessibleTextRole, item.text())
        self.sidebar.setMinimumWidth(self.sidebar.sizeHintForColumn(0) + 2 * self.sidebar.frameWidth() + 8)

    # -- areas --------------------------------------------------------------------------------
    def _show_area(self, row: int) -> None:
        if row < 0 or self._locked:
            return
        frame = self._frames.get(self._areas[row].key)
        if frame is not None:
            self.stack.setCurrentWidget(frame)
            return
        # Made on a later turn, so the window (or the area chosen) shows and answers first; a row left
        # before its turn is not made at all.
        self.stack.setCurrentWidget(self.placeholder)
        if not self._page_due:
            self._page_due = True
            QTimer.singleShot(0, self, self._make_current_page)

    def _make_current_page(self) -> None:
        self._page_due = False
        row = self.sidebar.currentRow()
        if row < 0 or self._locked:
            return
        key = self._areas[row].key
        if key not in self._frames:
            self._make_page(self._areas[row])
        self.stack.setCurrentWidget(self._frames[key])

    def _make_page(self, area: Area) -> QWidget:
        page = area.factory(self.session, self.stack)
        self._pages[area.key] = page
        self._frames[area.key] = scrolling(page)
        self.stack.addWidget(self._frames[area.key])
        return page

    def show_area(self, key: str) -> QWidget | None:
        """Bring the area ``key`` to the front (if this person has it); returns its page, made now if it
        was not yet (use :meth:`go_to` to let it be made on a later turn)."""
        if not self.go_to(key):
            return None
        return self.page(key)

    def go_to(self, key: str) -> bool:
        """Bring the area ``key`` to the front, as choosing it in the sidebar does (its page is made on a
        later turn if it is new); ``False`` when this person does not have it."""
        keys = [a.key for a in self._areas]
        if key not in keys:
            return False
        self.sidebar.setCurrentRow(keys.index(key))
        return True

    def find_case(self) -> None:
        """Show the caseload with the focus in its search box (what was typed before selected)."""
        page = self.show_area("caseload")
        if page is not None:
            page.search.setFocus(Qt.FocusReason.ShortcutFocusReason)  # type: ignore[attr-defined]
            page.search.selectAll()  # type: ignore[attr-defined]

    def page(self, key: str) -> QWidget | None:
        """The page of the area ``key``: made now if it is the area shown and its turn has not come yet;
        ``None`` when it is not made (an area not shown, or the window locked)."""
        row = self.sidebar.currentRow()
        if (key not in self._pages and not self._locked and 0 <= row < len(self._areas)
                and self._areas[row].key == key):  # fmt: skip
            self._make_current_page()
        return self._pages.get(key)

    def made_page(self, key: str) -> QWidget | None:
        """The page of the area ``key`` if it has been made (never makes it: tests and the bench)."""
        return self._pages.get(key)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        if not self._badges_started:
            # After the first screen is drawn: the sidebar's counts must not compete with it.
            self._badges_started = True
            QTimer.singleShot(0, self, self.refresh_badges)
            # Shown without a sign-in window (which warms up while the password is typed): the rest of the
            # screens are imported now, after the first screen, so opening a case does not import them.
            QTimer.singleShot(0, self, begin_warm_up)

    def _store_changed(self, _tables: object, _cases: object) -> None:
        self._badge_timer.start()

    def refresh_badges(self) -> None:
        """Count the sidebar's badges again on a worker; while a count runs, once more after it ends (so what
        changed meanwhile is counted, and never by two counts at once)."""
        if self._locked:
            return
        if self._badges_running:
            self._badges_again = True
            return
        self._badges_running = True
        keys = [a.key for a in self._areas]
        runner().run(compute_badges, self.session, keys, on_done=self._on_badges, on_error=self._badges_ended)

    def _on_badges(self, badges: dict[str, int | None]) -> None:
        if not self._locked:
            self._badges = badges
            self._update_sidebar()
        self._badges_ended()

    def _badges_ended(self, _error: BaseException | None = None) -> None:
        self._badges_running = False
        if self._badges_again:
            self._badges_again = False
            self.refresh_badges()

    # -- language -----------------------------------------------------------------------------
    def switch_language(self, lang: str) -> None:
        """Switch every open window now and remember the choice in the profile."""
        set_language(lang)
        try:
            self.session.profile.set_preferences(language=lang)
        except DiogelError as err:
            self.statusBar().showMessage(err.message(), 5000)

    # -- locking ------------------------------------------------------------------------------
    @property
    def locked(self) -> bool:
        return self._locked

    def lock(self) -> None:
        """Hide all case data: close case windows and dialogs, destroy the pages and their models."""
        if self._locked:
            return
        self._locked = True
        close_sensitive()
        # Dialogs from other modules may not be registered: close every other window too.
        for window in QApplication.topLevelWidgets():
            if window is self or isinstance(window, QMenu) or not window.isVisible():
                continue
            window.close()
            if window.isVisible():  # a window that refused to close is hidden all the same
                window.hide()
        for frame in self._frames.values():
            self.stack.removeWidget(frame)
            frame.deleteLater()  # and the page inside it
        self._pages.clear()
        self._frames.clear()
        self._badges = {}
        self._update_sidebar()
        self.takeCentralWidget()  # self.content: kept (hidden) for unlocking, not deleted
        self.content.hide()
        self.lock_screen = LockScreen(self.session.profile, self.session.user.given_names)
        self.lock_screen.unlocked.connect(self.unlock)
        self.setCentralWidget(self.lock_screen)
        for act in (self.password_action, self.settings_action, self.lock_action, self.sign_out_action,
                    *self.area_actions):  # fmt: skip
            act.setEnabled(False)
        self.idle.pause()
        self.locked_changed.emit(True)

    def unlock(self) -> None:
        """Called once the password was right: put the content back and rebuild the current page."""
        if not self._locked:
            return
        self._locked = False
        screen = self.takeCentralWidget()
        if screen is not None:
            screen.deleteLater()
        self.lock_screen = None
        self.setCentralWidget(self.content)
        self.content.show()
        for act in (self.password_action, self.settings_action, self.lock_action, self.sign_out_action,
                    *self.area_actions):  # fmt: skip
            act.setEnabled(True)
        self._show_area(self.sidebar.currentRow())
        self.refresh_badges()
        self.idle.poke()
        self.locked_changed.emit(False)

    # -- dialogs ------------------------------------------------------------------------------
    def change_password(self) -> ChangePasswordDialog:
        from ui.account_dialogs import ChangePasswordDialog

        dialog = ChangePasswordDialog(self.session.profile, self, store=self.session.store)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def committee_report(self) -> CommitteeReportDialog:
        from ui.committee_dialog import CommitteeReportDialog

        dialog = CommitteeReportDialog(self.session, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.written.connect(lambda path: self.statusBar().showMessage(
            _("Committee report saved to {path}.").format(path=path), 10_000))
        dialog.open()
        return dialog

    def open_settings(self) -> SettingsDialog:
        from ui.account_dialogs import SettingsDialog

        dialog = SettingsDialog(self.session.profile, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.changed.connect(self._on_idle_minutes)
        dialog.open()
        return dialog

    def _on_idle_minutes(self, minutes: int) -> None:
        if self._idle_override is None:
            self.idle.set_timeout(minutes * 60_000)

    # -- signing out -------------------------------------------------------------------------
    def sign_out(self) -> SignOutRefused | None:
        """Sign out if nothing waits to be sent; otherwise say why not (returns that message box)."""
        if sign_out_refusal(self.session) is None:
            self.sign_out_requested.emit()
            return None
        box = SignOutRefused(self.session, self)
        self.sign_out_box = box
        box.open()
        return box

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        close_sensitive()
        if hasattr(self, "idle"):  # not when building stopped part-way (a damaged page read)
            self.idle.stop()
        forget_controller(self.session)  # stops auto-sync and any sync before the store closes
        super().closeEvent(event)
