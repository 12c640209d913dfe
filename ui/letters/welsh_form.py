"""Adding the Welsh to a letter held as "needs Welsh text" (GUI thread).

One block per free text the letter quotes: the English as written (read-only) and a box for the
Welsh. Saving is one call to :meth:`WelshTextService.add`, which writes the Welsh to the record the
text belongs to (for a record that never changes, an adult closure, a Welsh addition naming it); the
print queue's next check releases the letter.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QFormLayout, QLabel, QPlainTextEdit, QWidget

from desktop.i18n import N_, _
from desktop.services.welsh_text import WelshField, WelshTextService
from ui.forms import Form

TITLES = {
    "outline_plan": N_("The outline plan"),
    "outcomes": N_("The plan's outcomes"),
    "removal_reasons": N_("The reasons for removing a name from the register"),
    "closure_reasons": N_("The reasons for ending the process"),
    "conference_outcome": N_("The outcome of the conference"),
    "conference_decisions": N_("The conference's decisions"),
    "support_offered": N_("The support offered"),
    "visit_observations": N_("What happened on the visit"),
    "plan_actions": N_("The plan's actions"),
    "plan_support": N_("The support in the plan"),
    "plan_summary": N_("Why the plan is needed"),
}
"""A section's title for each kind of text (:data:`desktop.services.welsh_text.LABELS`; a test keeps
them together). A list (the decisions, the support) is written a line an item, in both languages."""


class _Block(QWidget):
    """One quoted text: its English (read-only) above a box for its Welsh."""

    def __init__(self, text: WelshField) -> None:
        super().__init__()
        self.text = text
        self.english = QPlainTextEdit(text.english)
        self.english.setReadOnly(True)
        self.english.setObjectName("welsh_english")
        self.welsh = QPlainTextEdit(text.welsh or "")
        self.welsh.setObjectName("welsh_text")
        self.english_label, self.welsh_label = QLabel(), QLabel()
        self.english_label.setBuddy(self.english)
        self.welsh_label.setBuddy(self.welsh)
        rows = QFormLayout(self)
        rows.setContentsMargins(0, 0, 0, 0)
        rows.addRow(self.english_label, self.english)
        rows.addRow(self.welsh_label, self.welsh)

    def retranslate(self) -> None:
        self.english_label.setText(_("In English:"))
        self.welsh_label.setText(_("In Welsh:"))
        self.english.setAccessibleName(_("In English"))
        self.welsh.setAccessibleName(_("In Welsh"))


class AddWelshDialog(Form):
    """The Welsh of the texts a held letter quotes (``letter`` in the context: the letter's id)."""

    OBJECT_NAME = "letter_add_welsh_dialog"
    TITLE = N_("Add the Welsh")

    def __init__(self, session: Any, letter: str, parent: QWidget | None = None) -> None:
        self.letter_id = letter
        self.texts: list[WelshField] = []  # read on a worker as the form opens (read())
        self.blocks: list[_Block] = []
        super().__init__(session, parent=parent, letter=letter)

    def read(self) -> list[WelshField]:
        """Worker thread: the texts the letter quotes that need their Welsh."""
        return list(WelshTextService(self.session).needed(self.letter_id))

    def build(self) -> None:
        assert self.opening is not None
        self.texts = self.opening.more
        for text in self.texts:
            block = _Block(text)
            self.blocks.append(block)
            self.add_section(TITLES[text.what], block)

    def retranslate_more(self) -> None:
        for block in self.blocks:
            block.retranslate()

    def more_editors(self) -> list[QWidget]:
        return [b.welsh for b in self.blocks]

    def raw_more(self) -> dict[str, Any]:
        return {b.text.key: b.welsh.toPlainText() for b in self.blocks}

    def restore_more(self, data: dict[str, Any]) -> None:
        for b in self.blocks:
            if isinstance(data.get(b.text.key), str):
                b.welsh.setPlainText(data[b.text.key])

    def block(self, key: str) -> _Block:
        return next(b for b in self.blocks if b.text.key == key)

    def values(self) -> dict[str, Any]:
        return {**super().values(), "welsh": {b.text.key: b.welsh.toPlainText() for b in self.blocks
                                              if b.welsh.toPlainText() != (b.text.welsh or "")}}

    def submit(self, values: dict[str, Any]) -> Any:
        WelshTextService(self.session).add(self.letter_id, values["welsh"])
        return {"id": self.letter_id}
