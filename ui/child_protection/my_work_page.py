"""The "My work" page (sidebar area ``my_work``): overdue, due today and due this week for the
signed-in worker; for team managers the rest of the team's overdue work and the work of absent
workers nobody covers; escalations (senior managers).
Every line says why in plain words and opens its case with one click (double-click or Enter).

Thread contract: GUI thread. The lists are computed by :class:`desktop.services.my_work.MyWorkService`
(aggregate SQL + the engine: one short call) and refreshed after every commit.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.i18n import N_, _, ngettext
from desktop.services.my_work import MyWorkService, WorkItem
from desktop.services.permissions import Can
from ui.formatting import show_date
from ui.tasks import store_watcher
from ui.widgets import Retranslating, fit_columns

HEADERS = [N_("Child or adult"), N_("Case"), N_("Due"), N_("What is due")]
CASE_ROLE = Qt.ItemDataRole.UserRole
ACTION_ROLE = Qt.ItemDataRole.UserRole + 1
RULE_ROLE = Qt.ItemDataRole.UserRole + 2
WORKER_ROLE = Qt.ItemDataRole.UserRole + 3
PERSON_ROLE = Qt.ItemDataRole.UserRole + 4
SECTIONS = [
    ("problems", N_("Due dates that could not be worked out")),
    ("overdue", N_("Overdue")),
    ("due_today", N_("Due today")),
    ("due_this_week", N_("Due this week")),
    ("team_overdue", N_("The team's other overdue work")),
    ("uncovered", N_("To cover: the worker is away")),
]
_MANAGERS_ONLY = {"team_overdue", "uncovered"}


class MyWorkPage(Retranslating, QWidget):
    def __init__(self, session: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("my_work_page")
        self.session = session
        self.summary = QLabel()
        self.summary.setObjectName("my_work_summary")
        self.tree = QTreeWidget()
        self.tree.setObjectName("my_work_items")
        self.tree.itemActivated.connect(self._activated)
        self.escalations = QTreeWidget()
        self.escalations.setObjectName("my_work_escalations")
        self.escalations.setRootIsDecorated(False)
        self.escalations.itemActivated.connect(self._activated)
        self.escalations.setVisible(session.can(Can.VIEW_ESCALATIONS))
        self.cover_button = QPushButton()
        self.cover_button.setObjectName("my_work_assign_cover")
        self.cover_button.setVisible(session.can(Can.ALLOCATE))
        self.cover_button.setEnabled(False)
        self.cover_button.clicked.connect(self.assign_cover)
        self.tree.currentItemChanged.connect(lambda *_: self._update_cover_button())
        buttons = QHBoxLayout()
        buttons.addWidget(self.cover_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.tree, 3)
        layout.addLayout(buttons)
        layout.addWidget(self.escalations, 1)
        self.work: Any = None
        self.opened: list[tuple[str, str]] = []  # (case id, action) — for tests and the status bar
        # Several commits in a row (a conference writes many rows) refresh once.
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(250)
        self._debounce.timeout.connect(self.refresh)
        # A bound method (not a lambda): Qt disconnects it when the page is destroyed on lock.
        store_watcher(session).changed.connect(self._store_changed)
        self.retranslate()

    def retranslate(self) -> None:
        self.tree.setHeaderLabels([_(h) for h in HEADERS])
        fit_columns(self.tree)
        self.tree.setAccessibleName(_("My work"))
        self.escalations.setHeaderLabels([_("Case"), _("Raised on"), _("Escalation")])
        self.escalations.setAccessibleName(_("Escalations"))
        self.cover_button.setText(_("Assign cover…"))
        self.cover_button.setAccessibleName(_("Assign cover for the absent worker's visits"))
        self.cover_button.setToolTip(_("Choose who covers the selected visit's worker while they are away"))
        self.refresh()

    def refresh(self) -> None:
        self.work = MyWorkService(self.session).view()
        self.tree.clear()
        for key, msgid in SECTIONS:
            items: list[WorkItem] = getattr(self.work, key)
            if key in _MANAGERS_ONLY and not self.session.can(Can.VIEW_TEAM_WORK):
                continue
            # L10N: a heading of "My work" with how many items it holds, e.g. "Overdue (3)".
            section = QTreeWidgetItem([_("{section} ({n})").format(section=_(msgid), n=len(items))])
            section.setData(0, ACTION_ROLE, key)
            self.tree.addTopLevelItem(section)
            section.setFirstColumnSpanned(True)  # the heading reads across the columns
            for item in items:
                row = QTreeWidgetItem([item.person_name, item.case_reference, show_date(item.due), item.reason])
                row.setData(0, CASE_ROLE, item.case_id)
                row.setData(0, ACTION_ROLE, item.action)
                row.setData(0, RULE_ROLE, item.rule_id)
                row.setData(0, PERSON_ROLE, item.person_id)
                if key == "uncovered":
                    row.setData(0, WORKER_ROLE, item.worker_id)
                row.setToolTip(3, item.reason)
                section.addChild(row)
            section.setExpanded(True)
        self.escalations.clear()
        for e in self.work.escalations:
            what = _("No care and support protection plan co-ordinator was named at the conference.") \
                if e["kind"] == "no_coordinator" else e["kind"]
            row = QTreeWidgetItem([e["reference"], show_date(e["raised_on"]), what])
            row.setData(0, CASE_ROLE, e["case_id"])
            row.setData(0, ACTION_ROLE, "review_escalation")
            self.escalations.addTopLevelItem(row)
        counts = self.work.counts
        self.summary.setText(ngettext("{n} item overdue", "{n} items overdue", counts["overdue"]).format(
            n=counts["overdue"]))

    def _update_cover_button(self) -> None:
        item = self.tree.currentItem()
        self.cover_button.setEnabled(bool(item is not None and item.data(0, WORKER_ROLE)))

    def assign_cover(self) -> QWidget | None:
        """Open the cover form for the selected uncovered visit's worker (team managers)."""
        item = self.tree.currentItem()
        worker = item.data(0, WORKER_ROLE) if item is not None else None
        if not worker:
            return None
        from ui.child_protection.cover_dialog import CoverDialog

        dialog = CoverDialog(self.session, worker, self)
        dialog.saved.connect(self.refresh)
        dialog.open()
        return dialog

    def _store_changed(self, _tables: object, _cases: object) -> None:
        self._debounce.start()

    def rows(self, section: str) -> list[QTreeWidgetItem]:
        for i in range(self.tree.topLevelItemCount()):
            top = self.tree.topLevelItem(i)
            if top.data(0, ACTION_ROLE) == section:
                return [top.child(j) for j in range(top.childCount())]
        return []

    def _activated(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        case_id = item.data(0, CASE_ROLE)
        if not case_id:
            return
        self.opened.append((case_id, item.data(0, ACTION_ROLE)))
        from ui.case_view import open_case_window

        window = open_case_window(self.session, case_id, self.window())
        window.open_action(item.data(0, ACTION_ROLE), item.data(0, PERSON_ROLE))  # where there is a form


def badge(session: Any) -> int | None:
    """Overdue plus due today (worker thread: no widgets)."""
    counts = MyWorkService(session).counts()
    return counts["overdue"] + counts["due_today"] + counts.get("escalations", 0)
