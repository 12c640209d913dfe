"""Acknowledge a task from My work: say what was done about it (recorded, audited, synced).

Thread contract: GUI thread; one small write through :meth:`TaskService.acknowledge`.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QLabel, QPlainTextEdit, QWidget

from desktop.errors import DiogelError
from desktop.i18n import _
from desktop.services.tasks import TaskService
from ui.widgets import FormDialog


class AcknowledgeDialog(FormDialog):
    """What was done about one task; the task leaves the person's list once saved."""

    def __init__(self, session: Any, task_id: str, what: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("acknowledge_dialog")
        self.session, self.task_id = session, task_id
        self.what = QLabel(what)
        self.what.setWordWrap(True)
        self.outcome = QPlainTextEdit()
        self.outcome.setObjectName("acknowledge_outcome")
        self.outcome.setTabChangesFocus(True)
        self.add_field("task", self.what)
        self.add_field("outcome", self.outcome)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Acknowledge"))
        self.labels["task"].setText(_("What happened:"))
        self.labels["outcome"].setText(_("What was done:"))
        self.outcome.setAccessibleName(_("What was done about it"))
        self.outcome.setPlaceholderText(_("For example: a co-ordinator was named the same day"))

    def save(self) -> bool:
        self.clear_errors()
        try:
            TaskService(self.session).acknowledge(self.task_id, self.outcome.toPlainText())
        except DiogelError as err:
            self.show_refusal(err)
            return False
        self.saved.emit()
        self.accept()
        return True
