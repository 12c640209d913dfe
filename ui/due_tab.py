"""The case's "What is due" tab: every item due in the next four weeks for the case's children or adult,
most urgent first, each with its urgency in words, shape and colour, how late in the rule's own unit and
whose it is; double-click (or Enter) opens the form that satisfies it.

Registered for every kind of case (casework roles). The case's items are read on a worker
(:class:`ui.loading.Loads`), again when something in the case changes; a language switch redraws them.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QLabel, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from desktop.domain.rules import RULE_TITLES
from desktop.i18n import N_, _
from desktop.services.my_work import MyWorkService, WorkItem
from desktop.services.permissions import Can
from ui.case_tabs import register_case_tab
from ui.loading import Loads
from ui.my_work import ACTION_ROLE, PERSON_ROLE, RULE_ROLE, item_row
from ui.tasks import store_watcher
from ui.widgets import Retranslating, fit_columns

HEADERS = [N_("How urgent"), N_("Child or adult"), N_("Case"), N_("Due"), N_("What is due"), N_("Whose")]
HORIZON_DAYS = 28
"""How far ahead the tab looks: four weeks (a display choice, not a timescale)."""


class DueTab(Loads[list[WorkItem]], Retranslating, QWidget):
    def __init__(self, session: Any, case_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("due_tab")
        self.session, self.case_id = session, case_id
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.list = QTreeWidget()
        self.list.setObjectName("case_due")
        self.list.setRootIsDecorated(False)
        self.list.itemActivated.connect(self._activated)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.list, 1)
        store_watcher(session).changed.connect(self._store_changed)
        self.retranslate()
        self.start_loading(self)

    def retranslate(self) -> None:
        self.intro.setText(_("What is due in the next four weeks, most urgent first. Double-click an item to"
                             " open the form that records it."))
        self.list.setHeaderLabels([_(h) for h in HEADERS])
        self.list.setAccessibleName(_("What is due"))
        self.redraw()

    def _store_changed(self, _tables: set[str], case_ids: set[str]) -> None:
        if self.case_id in case_ids:
            self.refresh()

    def read(self) -> list[WorkItem]:
        """Worker thread: the case's items in the next four weeks, most urgent first."""
        items = MyWorkService(self.session).all_items(case_id=self.case_id, horizon_days=HORIZON_DAYS)
        items.sort(key=lambda i: (i.urgency.rank, i.due, i.person_name))
        return items

    def draw(self, items: list[WorkItem]) -> None:
        self.list.clear()
        for item in items:
            row = item_row(item)
            row.setToolTip(0, _(RULE_TITLES.get(item.rule_id, item.rule_id)))
            self.list.addTopLevelItem(row)
        if not items:
            self.list.addTopLevelItem(QTreeWidgetItem(["", _("Nothing is due in the next four weeks.")]))
        self.list.hideColumn(2)  # the case is this one
        fit_columns(self.list)

    def rows(self) -> list[QTreeWidgetItem]:
        return [self.list.topLevelItem(i) for i in range(self.list.topLevelItemCount())
                if self.list.topLevelItem(i).data(0, RULE_ROLE)]

    def _activated(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        action = item.data(0, ACTION_ROLE)
        window = self.window()
        if action and hasattr(window, "open_action"):
            window.open_action(action, item.data(0, PERSON_ROLE))


register_case_tab("due", N_("What is due"), DueTab, visible_for=lambda session: session.can(Can.VIEW_CASEWORK),
                  order=5)
