"""A case window: the header (who, age, type, register, key people, next due) and the tabs.

Tabs come from :mod:`ui.case_tabs` (``register_case_tab``); "next thing due" from the provider
set with ``set_next_due_provider``; both are re-exported here for convenience.

Thread contract: GUI thread only draws. The window shows at once ("Loading…"); the case is opened
(one read plus its audit entry) and its header's facts, next thing due and journey are read on a worker
(:class:`ui.loading.Loader`). Then the tabs are listed, but each is made only when it is first shown
(the first, "What is due", at once): a tab not looked at costs nothing. Each reads its own lists on a
worker, through the window's :class:`ui.loading.ReadQueue` (one read of the window at a time, so the
workers leave the GUI thread the interpreter). A language switch redraws what is held and never reads.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.types import label
from desktop.domain.urgency import urgency_label
from desktop.i18n import N_, _, ngettext
from desktop.services.cases import CaseService, CaseView, age_on
from desktop.services.journey import Journey, JourneyService
from desktop.services.permissions import Can
from ui.actions import action_label
from ui.case_tabs import (
    CaseTab,
    NextDue,
    case_tabs_for,
    fact_words,
    header_facts,
    next_due,
    register_case_tab,
    set_next_due_provider,
    startable_tabs,
)
from ui.contrast import SUBDUED_COLOUR, text_css
from ui.formatting import show_date
from ui.journey_bar import JourneyBar
from ui.loading import Loader, ReadQueue
from ui.plugins import load_plugins
from ui.tasks import store_watcher
from ui.urgency import style_label
from ui.widgets import BASE_PT, Retranslating, message_of, scaled_pt, scrolling
from ui.windows import fit_to_screen, register_sensitive

__all__ = ["CaseWindow", "open_case_window", "register_case_tab", "set_next_due_provider", "age_text"]

_open: dict[str, CaseWindow] = {}
ROOMY = (1280, 860)
"""A case window on a screen with room to spare; a laptop's screen is filled."""

# role_assignment.role codes of the casework modules -> how the header names them
KEY_ROLE_LABELS: dict[str, str] = {
    "cspp_coordinator": N_("Care and support protection plan co-ordinator"),
    "lead_practitioner": N_("Lead practitioner"),
    "lead_coordinator": N_("Lead co-ordinator"),
    "delegated_lead_coordinator": N_("Delegated lead co-ordinator"),
    "iro": N_("Independent reviewing officer"),
    "allocated_worker": N_("Allocated worker"),
}


def key_role_label(code: str) -> str:
    msgid = KEY_ROLE_LABELS.get(code)
    return _(msgid) if msgid else label(code)


def age_text(dob: str | None, today: Any) -> str:
    """"7 years", "11 months" (ngettext: Welsh mutates the noun after the number)."""
    age = age_on(dob, today)
    if age is None:
        return ""
    years, months = age
    if years >= 2:
        return ngettext("{n} year old", "{n} years old", years).format(n=years)
    total = years * 12 + months
    return ngettext("{n} month old", "{n} months old", total).format(n=total)


def open_case_window(session: Any, case_id: str, parent: QWidget | None = None) -> CaseWindow:
    """Show the case's window (raising it if it is already open)."""
    window = _open.get(case_id)
    if window is not None:
        try:
            window.show()
            window.raise_()
            window.activateWindow()
            return window
        except RuntimeError:
            _open.pop(case_id, None)
    window = CaseWindow(session, case_id, parent)
    _open[case_id] = window
    window.show()
    return window


@dataclass(frozen=True, slots=True)
class CaseHeader:
    """What the header shows, read on a worker: the case (``None`` when only the header is read again),
    the allocated worker's name, the registered facts and the next thing due (both already in words)
    and the journey."""

    view: CaseView | None
    worker_name: str | None
    facts: list[Any]  # (label, value) or a function saying them (ui.case_tabs.fact_words)
    next: NextDue | None
    journey: Journey | None


class _TabSlot(QWidget):
    """Holds a case tab's place until it is first shown (then the tab itself replaces it)."""

    def __init__(self, tab: CaseTab) -> None:
        super().__init__()
        self.tab_def = tab
        self.setProperty("case_tab_key", tab.key)


class CaseWindow(Retranslating, QWidget):
    """One case. ``case_view`` holds the opened :class:`CaseView` for the tabs (``None`` until the case
    has been opened on a worker: :attr:`opened`)."""

    def __init__(self, session: Any, case_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setObjectName("case_window")
        self.session = session
        self.case_id = case_id
        self.case_view: CaseView | None = None
        self.header_data: CaseHeader | None = None
        self.failure: BaseException | None = None
        register_sensitive(self)
        load_plugins()  # the tabs and the next-due line come from the casework modules (idempotent)

        self.title = QLabel()
        self.title.setObjectName("case_title")
        self.title.setStyleSheet(f"font-size: {scaled_pt(15)}; font-weight: 600;")
        self.title.setWordWrap(True)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # A compact header: who, then the case's facts three to a row, then where the case is and what
        # is due next with the one primary action (most of the window is left to the tabs).
        self.header = QGridLayout()
        self.header.setHorizontalSpacing(10)
        self.header.setVerticalSpacing(2)
        self._rows: list[tuple[QLabel, QLabel]] = []
        self.journey_bar = JourneyBar()
        self.next_label = QLabel()
        self.next_label.setObjectName("case_next_due_label")
        self.next_due_value = QLabel()
        self.next_due_value.setObjectName("case_next_due")
        self.next_due_value.setWordWrap(True)
        self.next_action_button = QPushButton()
        self.next_action_button.setObjectName("case_next_action")
        self.next_action_button.setDefault(True)
        self.next_action_button.clicked.connect(self._next_action)
        self._next: NextDue | None = None
        next_row = QHBoxLayout()
        next_row.addWidget(self.next_label)
        next_row.addWidget(self.next_due_value, 1)
        next_row.addWidget(self.next_action_button)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("case_tabs")
        # The tab bar's scroll arrows are for the mouse: the keyboard moves between tabs with the arrow
        # keys and Ctrl+PgUp/PgDown, so the arrows take no Tab stop.
        for arrow in self.tabs.tabBar().findChildren(QToolButton):
            arrow.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.read_queue = ReadQueue(self)
        """The window's reads (its header's and its tabs'), one at a time."""
        self._swapping = False
        self.tabs.currentChanged.connect(self._tab_shown)
        self._tab_defs: list[Any] = []
        self._startable: list[Any] = []
        self.start_button = QToolButton()
        self.start_button.setObjectName("start_work")
        self.start_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.start_menu = QMenu(self.start_button)
        self.start_button.setMenu(self.start_menu)
        self.tabs.setCornerWidget(self.start_button)
        self._fill_start_menu()

        body = QWidget()
        body.setObjectName("case_body")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scrolling(body))  # with text at 200 % the case scrolls; nothing is cut off
        layout = QVBoxLayout(body)
        layout.setSpacing(4)
        layout.addWidget(self.title)
        layout.addLayout(self.header)
        layout.addWidget(self.journey_bar)
        layout.addLayout(next_row)
        layout.addWidget(self.tabs, 1)
        QShortcut(QKeySequence.StandardKey.Close, self, activated=self.close)
        QShortcut(QKeySequence("Ctrl+PgDown"), self, activated=lambda: self._step_tab(1))
        QShortcut(QKeySequence("Ctrl+PgUp"), self, activated=lambda: self._step_tab(-1))
        store_watcher(session).changed.connect(self._on_store_changed)
        fit_to_screen(self, ROOMY)
        self.loader: Loader[CaseHeader] = Loader(self, self._on_header, fail=self._on_failed, queue=self.read_queue)
        self.retranslate()
        self.loader.load(self._read_header, True)

    @property
    def opened(self) -> bool:
        """Whether the case has been opened and its tabs made."""
        return self.case_view is not None

    # -- reading (worker thread) ---------------------------------------------------------------
    def _read_header(self, open_case: bool, view: CaseView | None = None) -> CaseHeader:
        """Worker thread: open the case (audited) when ``open_case``, else use ``view``; then what the
        header shows of it."""
        session = self.session
        if open_case:
            view = CaseService(session).open(self.case_id)
        assert view is not None
        worker_id = view.case.get("allocated_worker_id")
        worker_name = next((f"{w['given_names']} {w['family_name']}".strip()
                            for w in CaseService(session).workers() if w["id"] == worker_id), None)
        journey = JourneyService(session).journey(self.case_id) if session.can(Can.VIEW_CASEWORK) else None
        return CaseHeader(view if open_case else None, worker_name, header_facts(session, self.case_id),
                          next_due(session, self.case_id), journey)

    def reload_header(self) -> None:
        """Read the header again on a worker (the case stays open: no new "open" audit entry)."""
        if self.case_view is not None:
            self.loader.load(self._read_header, False, self.case_view)

    # -- drawing (GUI thread) --------------------------------------------------------------------
    def _on_header(self, header: CaseHeader) -> None:
        if header.view is not None:
            first = self.case_view is None
            self.case_view = header.view
            if first:
                self._make_tabs(header.view)
        self.header_data = header
        self._draw()

    def _on_failed(self, exc: BaseException) -> None:
        """The case could not be opened (out of scope, gone) or its header read: said in the title."""
        self.failure = exc
        self.title.setText(message_of(exc))
        self.title.setAccessibleName(self.title.text())

    def _make_tabs(self, view: CaseView) -> None:
        """List the case's tabs; only the first is made now (the others when first shown)."""
        work = view.work or {view.case["case_type"]}
        self._tab_defs = case_tabs_for(self.session, work)
        self._swapping = True
        try:
            for tab in self._tab_defs:
                self.tabs.addTab(_TabSlot(tab), _(tab.title_msgid))
        finally:
            self._swapping = False
        if self.tabs.count():
            self._page(self.tabs.currentIndex())
        # Work this case does not hold yet (a child becoming looked after) is started from here, not
        # from a tab of greyed buttons.
        self._startable = startable_tabs(self.session, view.case["case_type"], work)

    def _tab_shown(self, index: int) -> None:
        if not self._swapping and index >= 0:
            self._page(index)

    def _page(self, index: int) -> QWidget:
        """The tab at ``index``, made now if it has not been shown yet."""
        slot = self.tabs.widget(index)
        if not isinstance(slot, _TabSlot):
            return slot
        tab = slot.tab_def
        page = tab.factory(self.session, self.case_id, self)
        page.setProperty("case_tab_key", tab.key)
        current = self.tabs.currentIndex()
        self._swapping = True
        try:
            self.tabs.removeTab(index)
            self.tabs.insertTab(index, page, _(tab.title_msgid))
            self.tabs.setCurrentIndex(current)
        finally:
            self._swapping = False
        slot.deleteLater()
        return page

    def _fill_start_menu(self) -> None:
        self.start_menu.clear()
        for tab in self._startable:
            action = self.start_menu.addAction(_(tab.title_msgid))
            action.setObjectName(f"start_{tab.key}")
            action.triggered.connect(lambda _checked=False, t=tab: self.start_work(t.key))
        self.start_button.setVisible(bool(self._startable))

    def start_work(self, key: str) -> QWidget:
        """Show the hidden tab ``key`` (in its place among the others) and select it."""
        tab = next(t for t in self._startable if t.key == key)
        self._startable.remove(tab)
        page = tab.factory(self.session, self.case_id, self)
        page.setProperty("case_tab_key", tab.key)
        self._tab_defs = sorted([*self._tab_defs, tab], key=lambda t: (t.order, t.key))
        index = self._tab_defs.index(tab)
        self._swapping = True  # the tab shown while it is inserted is not made for that moment
        try:
            self.tabs.insertTab(index, page, _(tab.title_msgid))
        finally:
            self._swapping = False
        self.tabs.setCurrentIndex(index)
        self._fill_start_menu()
        return page

    def _step_tab(self, step: int) -> None:
        if self.tabs.count():
            self.tabs.setCurrentIndex((self.tabs.currentIndex() + step) % self.tabs.count())

    def tab(self, key: str, *, make: bool = True) -> QWidget | None:
        """The case's tab ``key`` (``None`` when the case has no such tab), made now if it has not been
        shown yet (it then starts reading what it shows); with ``make=False`` only a tab already made."""
        for i in range(self.tabs.count()):
            page = self.tabs.widget(i)
            if page.property("case_tab_key") == key:
                if isinstance(page, _TabSlot):
                    return self._page(i) if make else None
                return page
        return None

    def open_action(self, action: str, person_id: str | None = None) -> QWidget | None:
        """Open the form for a "My work" action on whichever tab has it, and show that tab.
        Returns the form, or ``None`` when no tab has one (the case is shown as it is). The tabs already
        made are asked first, then the others in order, each made now; while one is still reading what it
        shows (which decides whether its form applies), the form opens once it has read, and ``None`` is
        returned now."""
        if not self.opened:
            if self.loader.pending:
                self.loader.when_answered(lambda: self.open_action(action, person_id))
            return None
        again = lambda: self.open_action(action, person_id)  # noqa: E731 - asked again once read
        made = [i for i in range(self.tabs.count()) if not isinstance(self.tabs.widget(i), _TabSlot)]
        if any(getattr(self.tabs.widget(i), "loading", False) for i in made):
            self.when_tabs_loaded(again)
            return None
        for i in [*made, *(i for i in range(self.tabs.count()) if i not in made)]:
            page = self._page(i)
            if getattr(page, "loading", False):  # just made: asked once it has read
                wait = getattr(page, "when_loaded", None) or self.when_tabs_loaded
                wait(again)
                return None
            opener = getattr(page, "open_action", None)
            form = opener(action, person_id) if opener is not None else None
            if form is not None:
                self.tabs.setCurrentIndex(i)
                return form
        return None

    @property
    def loading(self) -> bool:
        """Whether the case is still being opened or a tab is still reading what it shows."""
        return self.loader.pending or any(getattr(self.tabs.widget(i), "loading", False) for i in range(self.tabs.count()))

    def show_tab(self, page: QWidget) -> None:
        """Bring the tab ``page`` to the front."""
        index = self.tabs.indexOf(page)
        if index >= 0:
            self.tabs.setCurrentIndex(index)

    def when_tabs_loaded(self, fn: Callable[[], object]) -> None:
        """Call ``fn`` once the case is open and every tab made so far has drawn what it is reading (now
        if none is reading; never if the case could not be opened)."""
        if not self.opened:
            if self.loader.pending:
                self.loader.when_answered(lambda: self.when_tabs_loaded(fn))
            return
        loading = [page for i in range(self.tabs.count()) if getattr(page := self.tabs.widget(i), "loading", False)]
        if not loading:
            fn()
            return
        wait: Callable[[Callable[[], None]], None] = getattr(loading[0], "when_loaded")  # noqa: B009 - a Loads tab
        wait(lambda: self.when_tabs_loaded(fn))

    # -- header ---------------------------------------------------------------------------------
    def _header_rows(self, view: CaseView, header: CaseHeader) -> list[tuple[str, str]]:
        today = self.session.today()
        rows: list[tuple[str, str]] = []
        for s in view.subjects:
            name = _person_name(s)
            if s.get("unborn"):
                value = _("{name}, unborn, expected {date}").format(
                    name=name, date=show_date(s.get("expected_date"))
                )
            elif s.get("date_of_birth"):
                value = _("{name}, {age}, born {date}").format(
                    name=name, age=age_text(s["date_of_birth"], today), date=show_date(s["date_of_birth"])
                )
            else:
                value = name
            rows.append((_("Subject:"), value))
        rows.append((_("Reference:"), view.case["reference"]))
        rows.append((_("Case type:"), label(view.case["case_type"])))
        rows.append(
            (_("Register:"), _("On the child protection register") if view.registered else _("Not on the register"))
        )
        rows.append((_("Allocated worker:"), header.worker_name or _("Not allocated")))
        for kp in view.key_people:
            if kp["role"] == "allocated_worker" and kp["practitioner_id"] == view.case.get("allocated_worker_id"):
                continue  # already shown above
            who = f"{kp['given_names']} {kp['family_name']}".strip()
            # L10N: a role label then a colon, as a form label, e.g. "Lead practitioner:"
            row = (_("{role}:").format(role=key_role_label(kp["role"])), who)
            if row not in rows:  # one co-ordinator for two siblings is said once
                rows.append(row)
        rows += [fact_words(fact) for fact in header.facts]  # e.g. when it was last supervised
        return rows

    def _show_next_due(self, next_thing: NextDue | None) -> None:
        """The next thing due in words, shape and colour, and its form as the one primary button."""
        self._next = next_thing
        self.next_label.setText(_("Next thing due:"))
        if self._next is None:
            self.next_due_value.setText(_("Nothing due"))
            style_label(self.next_due_value, None)
        else:
            urgency = self._next.urgency
            words = urgency_label(urgency, self._next.days_overdue, self._next.unit) if urgency else ""
            # L10N: how urgent, then what is due, e.g. "Overdue: 4 working days — Osian: not seen alone …"
            what = self._next.words()
            self.next_due_value.setText(_("{urgency} — {what}").format(urgency=words, what=what) if words else what)
            style_label(self.next_due_value, urgency)
        action = action_label(self._next.action) if self._next and self._next.action else None
        self.next_action_button.setVisible(action is not None)
        self.next_action_button.setText(action or "")
        self.next_action_button.setAccessibleName(action or "")

    def _next_action(self) -> None:
        if self._next is not None and self._next.action:
            self.open_action(self._next.action, self._next.person_id)

    def retranslate(self) -> None:
        self._draw()

    def _draw(self) -> None:
        """Draw the header and the tabs' titles from what was read (GUI thread; never reads)."""
        for i, tab in enumerate(self._tab_defs):
            self.tabs.setTabText(i, _(tab.title_msgid))
        self.tabs.setAccessibleName(_("Case sections"))
        self.start_button.setText(_("Start other work"))
        self.start_button.setAccessibleName(_("Start other work"))
        self.start_button.setToolTip(_("Work this case does not hold yet, such as a child becoming looked after"))
        self._fill_start_menu()
        view, header = self.case_view, self.header_data
        if view is None or header is None:
            text = message_of(self.failure) if self.failure is not None else _("Loading…")
            self.setWindowTitle(_("{names} – Diogel").format(names=text))
            self.title.setText(text)
            self.title.setAccessibleName(text)
            self.next_action_button.hide()
            return
        names = ", ".join(_person_name(s) for s in view.subjects) or view.case["reference"]
        self.setWindowTitle(_("{names} – Diogel").format(names=names))
        self.title.setText(names)
        self.title.setAccessibleName(_("Case of {names}").format(names=names))
        rows = self._header_rows(view, header)
        while len(self._rows) < len(rows):
            key, value = QLabel(), QLabel()
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self._rows.append((key, value))
        while len(self._rows) > len(rows):
            key, value = self._rows.pop()
            key.deleteLater()
            value.deleteLater()
        subjects = sum(1 for k, _v in rows if k == _("Subject:"))
        # Three facts to a row (subjects two); with large text (200 %) one of each, so nothing is squeezed.
        per_row = max(1, min(3, int(3 * BASE_PT / (QApplication.font().pointSizeF() or BASE_PT))))
        subjects_per_row = 2 if per_row > 1 else 1
        for i, ((key, value), (k, v)) in enumerate(zip(self._rows, rows, strict=True)):
            key.setStyleSheet(text_css(SUBDUED_COLOUR))
            key.setText(k)
            value.setText(v)
            value.setAccessibleName(k)
            if i < subjects:
                r, c, span = i // subjects_per_row, (i % subjects_per_row) * 2, 1
                if i % subjects_per_row == subjects_per_row - 1 or i == subjects - 1:
                    span = 2 * per_row - c - 1  # the row's last subject takes the rest of it: a long line stays one
            else:
                j = i - subjects
                first = (subjects + subjects_per_row - 1) // subjects_per_row
                r, c, span = first + j // per_row, (j % per_row) * 2, 1
            self.header.addWidget(key, r, c)
            self.header.addWidget(value, r, c + 1, 1, span)
        for column in (1, 3, 5):
            self.header.setColumnStretch(column, 1 if column < 2 * per_row else 0)
        self._show_next_due(header.next)
        self.journey_bar.show_journey(header.journey)

    def refresh(self) -> None:
        """Open the case again (after a change) and redraw the header; every tab made reads again (one
        not made yet reads when it is first shown)."""
        self.loader.load(self._read_header, True)
        for i in range(self.tabs.count()):
            page = self.tabs.widget(i)
            if hasattr(page, "refresh"):
                page.refresh()

    def _on_store_changed(self, tables: set[str], case_ids: set[str]) -> None:
        if self.case_view is None:
            return  # being opened: the answer will be as new as this change or newer
        if tables & {"person", "address", "case_member"}:
            self._refresh_header_only()
        elif self.case_id in case_ids:
            self.reload_header()  # what is due next, the journey, a registered fact (e.g. supervised)

    def _refresh_header_only(self) -> None:
        # A fresh read without a new "open" audit entry would need a service method; the header's
        # names come from the view we hold, so the People tab reads the people again (on a worker),
        # updates the view in place and redraws the header (redraw_header).
        # Made now if it has not been shown: the header's names depend on it.
        page = self.tab("people")
        if page is not None and hasattr(page, "refresh"):
            page.refresh()
        self.reload_header()

    def redraw_header(self) -> None:
        """Draw the header again from what is held (the People tab has read the people again)."""
        self._draw()

    def closeEvent(self, event: QEvent) -> None:  # noqa: N802
        if _open.get(self.case_id) is self:
            _open.pop(self.case_id, None)
        super().closeEvent(event)


def _person_name(p: dict[str, Any]) -> str:
    return f"{p.get('given_names') or ''} {p.get('family_name') or ''}".strip()
