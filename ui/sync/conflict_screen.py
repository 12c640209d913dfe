"""The conflict screen: both values side by side, with who and when; a person chooses.

Left: the open conflicts. Right: the value on the server and the value sent from a laptop, each with the
person who entered it and when, and a "Keep this value" button; below, another value may be entered
(not for a record deleted on one side), and a note for the audit trail. The decision is sent to the
server (which audits it) and audited on this laptop.

Thread contract: GUI thread. The list is read on a worker; resolving is network work on a worker
(:meth:`ui.sync.controller.SyncController.resolve`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.records import field_label, record_label
from desktop.i18n import _, format_datetime
from desktop.services.sync_review import Review, SyncReviewService, Whose, value_text
from desktop.sync.conflicts import Conflict
from ui.sync.controller import SyncController
from ui.tasks import runner
from ui.widgets import Retranslating, message_of

CONFLICT_ID_ROLE = Qt.ItemDataRole.UserRole + 1


def whose_text(whose: Whose) -> str:
    """Whose record, for a person: their name, else the names of those the case is about."""
    return whose.person or whose.case_people


def case_text(whose: Whose) -> str:
    if not whose.case:
        return ""
    if whose.case_people:
        return _("Case {reference}: {people}").format(reference=whose.case, people=whose.case_people)
    return _("Case {reference}").format(reference=whose.case)


def when_text(iso: str | None) -> str:
    if not iso:
        return ""
    try:
        return format_datetime(datetime.fromisoformat(iso).astimezone())
    except ValueError:
        return iso


def load(session: Any) -> Review:
    """Open conflicts, whose they are and the names their values point at (worker thread)."""
    return SyncReviewService(session).review()


class _Side(QGroupBox):
    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.value = QLabel()
        self.value.setObjectName(f"{name}_value")
        self.value.setWordWrap(True)
        self.value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.who = QLabel()
        self.who.setObjectName(f"{name}_who")
        self.when = QLabel()
        self.when.setObjectName(f"{name}_when")
        self.keep = QPushButton()
        self.keep.setObjectName(f"{name}_keep")
        box = QVBoxLayout(self)
        for w in (self.value, self.who, self.when, self.keep):
            box.addWidget(w)
        box.addStretch(1)


class ConflictScreen(Retranslating, QWidget):
    def __init__(self, session: Any, controller: SyncController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("conflict_screen")
        self.session = session
        self.controller = controller
        self.items: list[Conflict] = []
        self.names: dict[str, str] = {}
        self.whose: dict[str, Whose] = {}
        self._error: BaseException | None = None
        self.title = QLabel()
        self.title.setWordWrap(True)
        self.case_line = QLabel()
        self.case_line.setObjectName("conflict_case")
        self.case_line.setWordWrap(True)
        self.list = QListWidget()
        self.list.setObjectName("conflict_list")
        self.list.currentRowChanged.connect(self._on_row)
        self.server_side = _Side("server_side")
        self.client_side = _Side("client_side")
        self.server_side.keep.clicked.connect(lambda: self.resolve("server"))
        self.client_side.keep.clicked.connect(lambda: self.resolve("client"))
        self.other = QLineEdit()
        self.other.setObjectName("other_value")
        self.use_other = QPushButton()
        self.use_other.setObjectName("use_other")
        self.use_other.clicked.connect(lambda: self.resolve("value"))
        self.note = QLineEdit()
        self.note.setObjectName("resolution_note")
        self.message = QLabel()
        self.message.setObjectName("conflict_message")
        self.message.setWordWrap(True)
        self.empty = QLabel()
        sides = QHBoxLayout()
        sides.addWidget(self.server_side, 1)
        sides.addWidget(self.client_side, 1)
        grid = QGridLayout()
        self.other_label, self.note_label = QLabel(), QLabel()
        self.other_label.setBuddy(self.other)
        self.note_label.setBuddy(self.note)
        grid.addWidget(self.other_label, 0, 0)
        grid.addWidget(self.other, 0, 1)
        grid.addWidget(self.use_other, 0, 2)
        grid.addWidget(self.note_label, 1, 0)
        grid.addWidget(self.note, 1, 1, 1, 2)
        right = QVBoxLayout()
        right.addWidget(self.title)
        right.addWidget(self.case_line)
        right.addLayout(sides)
        right.addLayout(grid)
        right.addWidget(self.message)
        right.addStretch(1)
        row = QHBoxLayout(self)
        left = QVBoxLayout()
        left.addWidget(self.list)
        left.addWidget(self.empty)
        row.addLayout(left, 1)
        row.addLayout(right, 2)
        controller.status_changed.connect(self._on_status)
        self.retranslate()
        self.reload()

    def _on_status(self, _status: Any) -> None:
        self.reload()

    # -- data ---------------------------------------------------------------------------------------
    def reload(self) -> None:
        runner().run(load, self.session, on_done=self._loaded, on_error=self._failed)

    def _loaded(self, got: Review) -> None:
        current = self.current()
        self.items, self.names, self.whose = got.conflicts, got.names, got.whose
        self.list.blockSignals(True)
        self.list.clear()
        for c in self.items:
            item = QListWidgetItem()
            item.setData(CONFLICT_ID_ROLE, c.id)
            self.list.addItem(item)
        self.list.blockSignals(False)
        ids = [c.id for c in self.items]
        self.list.setCurrentRow(ids.index(current.id) if current and current.id in ids else (0 if ids else -1))
        self.retranslate()

    def _on_row(self, _row: int) -> None:
        self.retranslate()

    def current(self) -> Conflict | None:
        row = self.list.currentRow()
        return self.items[row] if 0 <= row < len(self.items) else None

    def resolve(self, choice: str) -> None:
        c = self.current()
        if c is None:
            return
        value: Any = self.other.text() if choice == "value" else None
        note = self.note.text().strip() or None
        self._set_busy(True)
        self.controller.resolve(c.id, choice, value, note, on_done=self._resolved, on_error=self._failed)

    def _resolved(self, _answer: Any) -> None:
        self._error = None
        self.other.clear()
        self.note.clear()
        self._set_busy(False)
        self.reload()

    def _failed(self, exc: BaseException) -> None:
        self._error = exc
        self._set_busy(False)
        self.retranslate()

    def _set_busy(self, busy: bool) -> None:
        for w in (self.server_side.keep, self.client_side.keep, self.use_other, self.list):
            w.setEnabled(not busy)

    # -- text ---------------------------------------------------------------------------------------
    def _who(self, user_id: str | None) -> str:
        if not user_id:
            return _("Entered by: unknown")
        if user_id == self.session.user.id:
            return _("Entered by: you")
        return _("Entered by: {name}").format(name=self.names.get(user_id) or _("someone not on this laptop"))

    def retranslate(self) -> None:
        for i, c in enumerate(self.items):
            field = field_label(c.field) if not c.is_delete else _("deleted or changed")
            who = whose_text(self.whose.get(c.id, Whose()))
            # L10N: a conflict in the list: whose record, the detail and the kind of record, e.g.
            # "Seren Tŵr: phone (person's details)"
            text = (_("{who}: {field} ({record})").format(who=who, field=field, record=record_label(c.entity))
                    if who else _("{field} ({record})").format(field=field, record=record_label(c.entity)))
            self.list.item(i).setText(text)
        self.empty.setText(_("No conflicts to resolve.") if not self.items else "")
        self.empty.setVisible(not self.items)
        c = self.current()
        self.server_side.setTitle(_("On the server"))
        self.client_side.setTitle(_("Sent from a laptop"))
        self.server_side.keep.setText(_("Keep this value"))
        self.client_side.keep.setText(_("Keep this value"))
        self.other_label.setText(_("Another value:"))
        self.use_other.setText(_("Use this value"))
        self.note_label.setText(_("Note for the record:"))
        self.list.setAccessibleName(_("Conflicts"))
        self.other.setAccessibleName(self.other_label.text().rstrip(":"))
        self.note.setAccessibleName(self.note_label.text().rstrip(":"))
        for w in (self.server_side, self.client_side, self.other, self.use_other, self.note):
            w.setEnabled(c is not None)
        self.case_line.setText(case_text(self.whose.get(c.id, Whose())) if c is not None else "")
        if c is None:
            self.title.setText(_("Conflicts"))
            for side in (self.server_side, self.client_side):
                side.value.clear()
                side.who.clear()
                side.when.clear()
        else:
            self.title.setText(_("Two different values for {field} of this {record}. Choose which to keep.").format(
                field=field_label(c.field) if not c.is_delete else _("the whole record"),
                record=record_label(c.entity)))  # fmt: skip
            self.server_side.value.setText(value_text(c.field, c.server_value, self.names))
            self.server_side.who.setText(self._who(c.server_by))
            self.server_side.when.setText(_("When: {when}").format(when=when_text(c.server_at)))
            self.client_side.value.setText(value_text(c.field, c.client_value, self.names))
            self.client_side.who.setText(self._who(c.client_by))
            self.client_side.when.setText(
                _("When: {when} (laptop clock), received {received}").format(
                    when=when_text(c.client_local_time), received=when_text(c.received_at))
            )  # fmt: skip
            self.other.setEnabled(not c.is_delete)
            self.use_other.setEnabled(not c.is_delete)
        self.message.setText(message_of(self._error) if self._error else "")
