"""The Sync area: the status, the "needs attention" list (refused changes with the server's reason) and
the conflict screen. Registered in :mod:`ui.areas`; its badge counts what needs a person.

To show it, ``ui.sync.area`` goes in :data:`ui.plugins.AREA_MODULES`; the status line for the status bar
is ``SyncStatusWidget(controller_for(session))``.

Thread contract: GUI thread; reads run on workers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QPushButton, QVBoxLayout, QWidget

from desktop.domain.records import record_label
from desktop.i18n import N_, _
from desktop.sync.status import read_status, refusal_text, status_lines
from ui.areas import register_area
from ui.sync.controller import controller_for
from ui.sync.status_widget import SyncStatusWidget
from ui.tasks import runner
from ui.widgets import Retranslating

if TYPE_CHECKING:  # the review and the conflict screen are imported when the page is first made, not at start-up
    from desktop.services.sync_review import Refused

CHANGES = {"insert": N_("new"), "update": N_("changed"), "delete": N_("deleted")}


class SyncPage(Retranslating, QWidget):
    def __init__(self, session: Any, parent: QWidget | None = None) -> None:
        from ui.sync.conflict_screen import ConflictScreen

        super().__init__(parent)
        self.setObjectName("sync_page")
        self.session = session
        self.controller = controller_for(session)
        self.status = SyncStatusWidget(self.controller)
        self.details = QLabel()
        self.details.setObjectName("sync_details")
        self.attention_title = QLabel()
        self.attention = QListWidget()
        self.attention.setObjectName("needs_attention")
        self.retry = QPushButton()
        self.retry.setObjectName("retry_refused")
        self.retry.clicked.connect(self._retry)
        self.conflicts = ConflictScreen(session, self.controller)
        box = QVBoxLayout(self)
        for w in (self.status, self.details, self.attention_title, self.attention, self.retry, self.conflicts):
            box.addWidget(w)
        self._attention: list[Refused] = []
        self.controller.status_changed.connect(self._on_status)
        self.retranslate()
        self.reload()

    def _on_status(self, _status: Any) -> None:
        self.reload()

    def _retry(self) -> None:
        self.controller.retry_refused()

    def reload(self) -> None:
        from desktop.services.sync_review import SyncReviewService

        session = self.session
        runner().run(lambda: SyncReviewService(session).review().refused, on_done=self._loaded,
                     on_error=lambda _e: None)

    def _loaded(self, rows: list[Refused]) -> None:
        self._attention = rows
        self.retranslate()

    def retranslate(self) -> None:
        from ui.sync.conflict_screen import case_text, whose_text

        self.details.setText("\n".join(status_lines(self.controller.status)))
        self.attention_title.setText(_("Needs attention: changes the server refused (kept here, never dropped)"))
        self.attention.setAccessibleName(self.attention_title.text())
        self.attention.clear()
        for r in self._attention:
            reason = refusal_text(r.reason, r.server_message)
            record, change = record_label(r.entity), _(CHANGES.get(r.kind, CHANGES["update"]))
            who = whose_text(r.whose)
            # L10N: one refused change: the kind of record, new/changed/deleted, whose it is, the reason
            text = (_("{record} ({change}), {who}: {reason}").format(record=record, change=change, who=who,
                                                                     reason=reason)
                    if who else _("{record} ({change}): {reason}").format(record=record, change=change,
                                                                          reason=reason))
            item = QListWidgetItem(text, self.attention)
            item.setToolTip(case_text(r.whose))
        self.retry.setText(_("Send refused changes again"))
        self.retry.setEnabled(bool(self._attention))


def _badge(session: Any) -> int | None:
    st = read_status(session.store)
    n = st.conflicts + st.attention
    return n or None


register_area("sync", N_("Sync"), lambda session, parent: SyncPage(session, parent), badge=_badge, order=90)
