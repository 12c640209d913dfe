"""Table model of letters (the queue or a case's correspondence). GUI thread only."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from desktop.domain.urgency import Urgency
from desktop.i18n import N_, _
from desktop.services.letters import QueuedLetter
from desktop.services.safety_flags import KIND_WORDS
from ui.formatting import show_date
from ui.urgency import urgency_icon

LANGUAGES = {"cy": N_("Welsh"), "en": N_("English"), "bilingual": N_("Welsh and English")}
STATUSES = {"queued": N_("Ready to print"), "held": N_("Held"), "printed": N_("Printed"),
            "cancelled": N_("Cancelled")}
RECIPIENT_KINDS = {"person": N_("Person"), "agency": N_("Agency"), "practitioner": N_("Practitioner")}

QUEUE_COLUMNS = ("case", "recipient", "template", "language", "status")
HISTORY_COLUMNS = ("date", "template", "recipient", "language", "status", "printed_by")
HEADERS = {
    "case": N_("Case"), "recipient": N_("Recipient"), "template": N_("Letter"), "language": N_("Language"),
    "status": N_("Status"), "date": N_("Date"), "printed_by": N_("Printed by"),
}
ID_ROLE = Qt.ItemDataRole.UserRole + 1


def status_text(letter: QueuedLetter) -> str:
    """"Held: <reason>" for a held letter, else the status."""
    if letter.status == "held":
        return _("Held: {reason}").format(reason=letter.held_text())
    return _(STATUSES.get(letter.status, letter.status))


def recipient_text(letter: QueuedLetter) -> str:
    """The recipient and what kind (person, agency …), with their safety flags in words if any."""
    who = f"{letter.recipient_name} ({_(RECIPIENT_KINDS.get(letter.recipient_kind, letter.recipient_kind))})"
    if not letter.recipient_flags:
        return who
    return _("{names} (safety: {flags})").format(
        names=who, flags=", ".join(_(KIND_WORDS[k]) for k in letter.recipient_flags))


class LetterModel(QAbstractTableModel):
    """Rows of :class:`QueuedLetter`; ``columns`` picks which facts to show. Texts are computed
    on demand in the interface language, so a language change only needs :meth:`retranslate`."""

    def __init__(self, columns: tuple[str, ...] = QUEUE_COLUMNS, parent: Any = None) -> None:
        super().__init__(parent)
        self.columns = columns
        self.letters: list[QueuedLetter] = []

    def set_letters(self, letters: list[QueuedLetter]) -> None:
        self.beginResetModel()
        self.letters = list(letters)
        self.endResetModel()

    def retranslate(self) -> None:
        if self.letters:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.letters) - 1, len(self.columns) - 1))
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self.columns) - 1)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.letters)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _(HEADERS[self.columns[section]])
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        letter = self.letters[index.row()]
        if role == ID_ROLE:
            return letter.id
        column = self.columns[index.column()]
        held = column == "status" and letter.status == "held"
        if role == Qt.ItemDataRole.FontRole and (held or (column == "recipient" and letter.recipient_flags)):
            font = QFont()
            font.setBold(True)  # bold, not a colour: it stays visible in high contrast
            return font
        if role == Qt.ItemDataRole.DecorationRole and held:
            return urgency_icon(Urgency.DUE_TODAY)  # someone must act before it can go: it looks like it
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole, Qt.ItemDataRole.ToolTipRole):
            return None
        if column == "case":
            return letter.case_reference
        if column == "recipient":
            return recipient_text(letter)
        if column == "template":
            return f"{letter.code} {letter.title()}"
        if column == "language":
            return _(LANGUAGES.get(letter.language, letter.language))
        if column == "status":
            return status_text(letter)
        if column == "date":
            return show_date(letter.printed_at or letter.created_at)
        if column == "printed_by":
            return letter.printed_by_name
        return None

    def letter_at(self, row: int) -> QueuedLetter | None:
        return self.letters[row] if 0 <= row < len(self.letters) else None
