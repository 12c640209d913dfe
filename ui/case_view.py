"""A case window: the header (who, age, type, register, key people, next due) and the tabs.

Tabs come from :mod:`ui.case_tabs` (``register_case_tab``); "next thing due" from the provider
set with ``set_next_due_provider``; both are re-exported here for convenience.

Thread contract: GUI thread. Opening a case is one short read plus its audit entry.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
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
    NextDue,
    case_tabs_for,
    header_fact_tables,
    header_facts,
    next_due,
    register_case_tab,
    set_next_due_provider,
    startable_tabs,
)
from ui.formatting import show_date
from ui.journey_bar import JourneyBar
from ui.plugins import load_plugins
from ui.tasks import store_watcher
from ui.urgency import style_label
from ui.widgets import Retranslating
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


class CaseWindow(Retranslating, QWidget):
    """One case. ``case_view`` holds the opened :class:`CaseView` for the tabs."""

    def __init__(self, session: Any, case_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setObjectName("case_window")
        self.session = session
        self.case_id = case_id
        self.case_view: CaseView = CaseService(session).open(case_id)
        register_sensitive(self)
        load_plugins()  # the tabs and the next-due line come from the casework modules (idempotent)

        self.title = QLabel()
        self.title.setObjectName("case_title")
        self.title.setStyleSheet("font-size: 15pt; font-weight: 600;")
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
        work = self.case_view.work or {self.case_view.case["case_type"]}
        self._tab_defs = case_tabs_for(session, work)
        for tab in self._tab_defs:
            page = tab.factory(session, case_id, self)
            page.setProperty("case_tab_key", tab.key)
            self.tabs.addTab(page, "")
        # Work this case does not hold yet (a child becoming looked after) is started from here, not
        # from a tab of greyed buttons.
        self._startable = startable_tabs(session, self.case_view.case["case_type"], work)
        self.start_button = QToolButton()
        self.start_button.setObjectName("start_work")
        self.start_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.start_menu = QMenu(self.start_button)
        self.start_button.setMenu(self.start_menu)
        self.tabs.setCornerWidget(self.start_button)
        self._fill_start_menu()

        layout = QVBoxLayout(self)
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
        self.retranslate()

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
        self.tabs.insertTab(index, page, _(tab.title_msgid))
        self.tabs.setCurrentIndex(index)
        self._fill_start_menu()
        return page

    def _step_tab(self, step: int) -> None:
        if self.tabs.count():
            self.tabs.setCurrentIndex((self.tabs.currentIndex() + step) % self.tabs.count())

    def tab(self, key: str) -> QWidget | None:
        for i in range(self.tabs.count()):
            page = self.tabs.widget(i)
            if page.property("case_tab_key") == key:
                return page
        return None

    def open_action(self, action: str, person_id: str | None = None) -> QWidget | None:
        """Open the form for a "My work" action on whichever tab has it, and show that tab.
        Returns the form, or ``None`` when no tab has one (the case is shown as it is). While a tab is
        still reading what it shows (which decides whether its form applies), the form opens once it has
        read, and ``None`` is returned now."""
        loading = False
        for i in range(self.tabs.count()):
            page = self.tabs.widget(i)
            if getattr(page, "loading", False):
                loading = True  # asked once it has read (below)
                continue
            opener = getattr(page, "open_action", None)
            form = opener(action, person_id) if opener is not None else None
            if form is not None:
                self.tabs.setCurrentIndex(i)
                return form
        if loading:
            self.when_tabs_loaded(lambda: self.open_action(action, person_id))
        return None

    @property
    def loading(self) -> bool:
        """Whether a tab is still reading what it shows."""
        return any(getattr(self.tabs.widget(i), "loading", False) for i in range(self.tabs.count()))

    def show_tab(self, page: QWidget) -> None:
        """Bring the tab ``page`` to the front."""
        index = self.tabs.indexOf(page)
        if index >= 0:
            self.tabs.setCurrentIndex(index)

    def when_tabs_loaded(self, fn: Callable[[], None]) -> None:
        """Call ``fn`` once every tab has drawn what it is reading (now if none is reading)."""
        loading = [page for i in range(self.tabs.count()) if getattr(page := self.tabs.widget(i), "loading", False)]
        if not loading:
            fn()
            return
        loading[0].when_loaded(lambda: self.when_tabs_loaded(fn))

    # -- header ---------------------------------------------------------------------------------
    def _header_rows(self) -> list[tuple[str, str]]:
        view, today = self.case_view, self.session.today()
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
        rows.append((_("Allocated worker:"), self._worker_name(view.case.get("allocated_worker_id"))))
        for kp in view.key_people:
            if kp["role"] == "allocated_worker" and kp["practitioner_id"] == view.case.get("allocated_worker_id"):
                continue  # already shown above
            who = f"{kp['given_names']} {kp['family_name']}".strip()
            # L10N: a role label then a colon, as a form label, e.g. "Lead practitioner:"
            row = (_("{role}:").format(role=key_role_label(kp["role"])), who)
            if row not in rows:  # one co-ordinator for two siblings is said once
                rows.append(row)
        rows += header_facts(self.session, self.case_id)  # e.g. when it was last supervised
        return rows

    def _journey(self) -> Journey | None:
        if not self.session.can(Can.VIEW_CASEWORK):
            return None
        return JourneyService(self.session).journey(self.case_id)

    def _show_next_due(self) -> None:
        """The next thing due in words, shape and colour, and its form as the one primary button."""
        self._next = next_due(self.session, self.case_id)
        self.next_label.setText(_("Next thing due:"))
        if self._next is None:
            self.next_due_value.setText(_("Nothing due"))
            style_label(self.next_due_value, None)
        else:
            urgency = self._next.urgency
            words = urgency_label(urgency, self._next.days_overdue, self._next.unit) if urgency else ""
            # L10N: how urgent, then what is due, e.g. "Overdue: 4 working days — Osian: not seen alone …"
            self.next_due_value.setText(_("{urgency} — {what}").format(urgency=words, what=self._next.text)
                                        if words else self._next.text)
            style_label(self.next_due_value, urgency)
        action = action_label(self._next.action) if self._next and self._next.action else None
        self.next_action_button.setVisible(action is not None)
        self.next_action_button.setText(action or "")
        self.next_action_button.setAccessibleName(action or "")

    def _next_action(self) -> None:
        if self._next is not None and self._next.action:
            self.open_action(self._next.action, self._next.person_id)

    def _worker_name(self, worker_id: str | None) -> str:
        if not worker_id:
            return _("Not allocated")
        for w in CaseService(self.session).workers():
            if w["id"] == worker_id:
                return f"{w['given_names']} {w['family_name']}".strip()
        return _("Not allocated")

    def retranslate(self) -> None:
        names = ", ".join(_person_name(s) for s in self.case_view.subjects) or self.case_view.case["reference"]
        self.setWindowTitle(_("{names} – Diogel").format(names=names))
        self.title.setText(names)
        self.title.setAccessibleName(_("Case of {names}").format(names=names))
        rows = self._header_rows()
        while len(self._rows) < len(rows):
            key, value = QLabel(), QLabel()
            key.setStyleSheet("color: #455a64;")
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self._rows.append((key, value))
        while len(self._rows) > len(rows):
            key, value = self._rows.pop()
            key.deleteLater()
            value.deleteLater()
        subjects = sum(1 for k, _v in rows if k == _("Subject:"))
        for i, ((key, value), (k, v)) in enumerate(zip(self._rows, rows, strict=True)):
            key.setText(k)
            value.setText(v)
            value.setAccessibleName(k)
            # Subjects one to a row (two columns wide); the other facts three to a row.
            if i < subjects:
                r, c, span = i // 2, (i % 2) * 2, 1
            else:
                j = i - subjects
                r, c, span = (subjects + 1) // 2 + j // 3, (j % 3) * 2, 1
            self.header.addWidget(key, r, c)
            self.header.addWidget(value, r, c + 1, 1, span)
        for column in (1, 3, 5):
            self.header.setColumnStretch(column, 1)
        self._show_next_due()
        self.journey_bar.show_journey(self._journey())
        for i, tab in enumerate(self._tab_defs):
            self.tabs.setTabText(i, _(tab.title_msgid))
        self.tabs.setAccessibleName(_("Case sections"))
        self.start_button.setText(_("Start other work"))
        self.start_button.setAccessibleName(_("Start other work"))
        self.start_button.setToolTip(_("Work this case does not hold yet, such as a child becoming looked after"))
        self._fill_start_menu()

    def refresh(self) -> None:
        """Read the case again (after a change) and redraw the header and tabs."""
        self.case_view = CaseService(self.session).open(self.case_id)
        self.retranslate()
        for i in range(self.tabs.count()):
            page = self.tabs.widget(i)
            if hasattr(page, "refresh"):
                page.refresh()

    def _on_store_changed(self, tables: set[str], case_ids: set[str]) -> None:
        if tables & {"person", "address", "case_member"}:
            self._refresh_header_only()
        elif self.case_id in case_ids and tables & header_fact_tables():
            self.retranslate()  # a registered header fact changed (e.g. the case was supervised)

    def _refresh_header_only(self) -> None:
        # A fresh read without a new "open" audit entry would need a service method; the header's
        # names come from the view we hold, so refresh the people from their own reads instead.
        page = self.tab("people")
        if page is not None and hasattr(page, "refresh"):
            page.refresh()  # updates self.case_view's people in place
        self.retranslate()

    def closeEvent(self, event: QEvent) -> None:  # noqa: N802
        if _open.get(self.case_id) is self:
            _open.pop(self.case_id, None)
        super().closeEvent(event)


def _person_name(p: dict[str, Any]) -> str:
    return f"{p.get('given_names') or ''} {p.get('family_name') or ''}".strip()
