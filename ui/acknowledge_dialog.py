"""Acknowledge a task from My work: say what was done about it (recorded, audited, synced).

A :class:`~ui.forms.Form` (GUI thread): one small write through :meth:`TaskService.acknowledge`; a
refusal (nothing said) shows beside "What was done", anything else at the top.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QLabel, QPlainTextEdit, QWidget

from desktop.i18n import N_, _
from desktop.services.tasks import TaskService
from ui.forms import Editor, Field, Form


class ShownText:
    """A field that only shows a text (what happened): nothing to type, nothing to save."""

    def __init__(self, text: str) -> None:
        self.widget = QLabel(text)
        self.widget.setWordWrap(True)

    def value(self) -> Any:
        return None

    raw = value

    def set_raw(self, value: Any) -> None:
        pass

    def retranslate(self) -> None:
        pass

    def watch(self, changed: Callable[..., None]) -> None:
        pass


class AcknowledgeDialog(Form):
    """What was done about one task; the task leaves the person's list once saved."""

    OBJECT_NAME = "acknowledge_dialog"
    TITLE = N_("Acknowledge")
    FIELDS = [
        Field("task", "custom", N_("What happened:")),
        Field("outcome", "long", N_("What was done:")),
    ]

    def __init__(self, session: Any, task_id: str, what: str, parent: QWidget | None = None) -> None:
        self.what = what  # before the fields are made: the first shows it
        super().__init__(session, parent=parent, task_id=task_id)
        self.widgets["outcome"].setFocus()  # typing starts in the box, not on the text above it

    def custom_editor(self, f: Field) -> Editor:
        return ShownText(self.what)

    def retranslate_more(self) -> None:
        outcome = self.widgets["outcome"]
        assert isinstance(outcome, QPlainTextEdit)
        outcome.setAccessibleName(_("What was done about it"))
        outcome.setPlaceholderText(_("For example: a co-ordinator was named the same day"))

    def draft_context(self) -> str:
        return str(self.context["task_id"])

    def submit(self, values: dict[str, Any]) -> dict[str, Any]:
        return TaskService(self.session).acknowledge(self.context["task_id"], values["outcome"] or "")
