"""Acknowledge a task from My work: say what was done about it (recorded, audited, synced).

A :class:`~ui.forms.Form` (GUI thread): one small write through :meth:`TaskService.acknowledge`; a
refusal (nothing said) shows beside "What was done", anything else at the top.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QPlainTextEdit, QWidget

from desktop.i18n import N_, _
from desktop.services.tasks import TaskService
from ui.forms import Field, Form


class AcknowledgeDialog(Form):
    """What was done about one task; the task leaves the person's list once saved."""

    OBJECT_NAME = "acknowledge_dialog"
    TITLE = N_("Acknowledge")
    FIELDS = [
        Field("task", "shown", N_("What happened:")),
        Field("outcome", "long", N_("What was done:")),
    ]

    def __init__(self, session: Any, task_id: str, what: str, parent: QWidget | None = None) -> None:
        super().__init__(session, parent=parent, task_id=task_id, what=what)

    def focus_first(self) -> None:
        self.widgets["outcome"].setFocus()  # typing starts in the box, not on the text above it

    def prepare(self) -> None:
        self.set_value("task", self.context["what"])

    def retranslate_more(self) -> None:
        outcome = self.widgets["outcome"]
        assert isinstance(outcome, QPlainTextEdit)
        outcome.setAccessibleName(_("What was done about it"))
        outcome.setPlaceholderText(_("For example: a co-ordinator was named the same day"))

    def draft_context(self) -> str:
        return str(self.context["task_id"])

    def submit(self, values: dict[str, Any]) -> dict[str, Any]:
        return TaskService(self.session).acknowledge(self.context["task_id"], values["outcome"] or "")
