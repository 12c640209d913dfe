"""The "Search notes" area (GUI thread only): full-text search over the notes of every case in the
person's scope, in Welsh and English (Welsh mutations and prefixes included —
:mod:`desktop.services.note_search`), newest first; Enter or double-click opens the case at the note.

Casework roles only (admin staff and the register custodian never see note text). One short call per
search (50,000 notes answer in a few milliseconds: ``bench/bench_casework_records.py``). Listed in
:data:`ui.plugins.AREA_MODULES`.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QLabel, QLineEdit, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from desktop.i18n import N_, _, ngettext
from desktop.services.notes import CATEGORIES, KINDS, NoteHit, NoteService
from desktop.services.permissions import Can
from ui import areas
from ui.formatting import show_date
from ui.widgets import Retranslating, fit_columns, scaled_pt

CASE_ROLE = Qt.ItemDataRole.UserRole
NOTE_ROLE = Qt.ItemDataRole.UserRole + 1
HEADERS = [N_("Case"), N_("Date"), N_("Kind of contact"), N_("Significant event"), N_("Recorded by"), N_("Found")]


class NoteSearchPage(Retranslating, QWidget):
    def __init__(self, session: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("note_search_page")
        self.session = session
        self.heading = QLabel()
        self.heading.setStyleSheet(f"font-size: {scaled_pt(14)}; font-weight: 600;")
        self.box = QLineEdit()
        self.box.setObjectName("note_search_box")
        self.box.setClearButtonEnabled(True)
        self.box.returnPressed.connect(self.search)
        self.box.textEdited.connect(lambda _t: self._typing.start())
        self._typing = QTimer(self)
        self._typing.setSingleShot(True)
        self._typing.setInterval(300)
        self._typing.timeout.connect(self.search)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.status = QLabel()
        self.status.setObjectName("note_search_status")
        self.results = QTreeWidget()
        self.results.setObjectName("note_search_results")
        self.results.setRootIsDecorated(False)
        self.results.setUniformRowHeights(True)
        self.results.itemActivated.connect(self.open_hit)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.box)
        layout.addWidget(self.hint)
        layout.addWidget(self.status)
        layout.addWidget(self.results, 1)
        self.hits: list[NoteHit] = []
        self.opened: list[tuple[str, str]] = []
        self.retranslate()

    def retranslate(self) -> None:
        self.heading.setText(_("Search the case notes"))
        self.box.setPlaceholderText(_("Words to find, in Welsh or English"))
        self.box.setAccessibleName(_("Search the case notes"))
        self.hint.setText(_("Every word must be found. A Welsh word is also found in its mutated forms (plentyn:"
                            " ei blentyn, fy mhlentyn); the start of a word finds the whole word."))
        self.results.setHeaderLabels([_(h) for h in HEADERS])
        self.results.setAccessibleName(_("Notes found"))
        self._draw()

    def search(self) -> None:
        self._typing.stop()
        self.hits = NoteService(self.session).search(self.box.text())
        self._draw()

    def _draw(self) -> None:
        self.results.clear()
        text = self.box.text().strip()
        for hit in self.hits:
            note = hit.note
            row = QTreeWidgetItem([hit.case_reference, show_date(note.occurred_on), _(KINDS[note.kind]),
                                   _(CATEGORIES[note.category]) if note.significant and note.category else "",
                                   note.author_name, " ".join(hit.snippet.split())])
            row.setData(0, CASE_ROLE, note.case_id)
            row.setData(0, NOTE_ROLE, note.id)
            row.setToolTip(5, note.body[:600])
            self.results.addTopLevelItem(row)
        fit_columns(self.results)
        if not text:
            self.status.setText("")
        elif self.hits:
            self.status.setText(ngettext("{n} note found", "{n} notes found", len(self.hits)).format(n=len(self.hits)))
        else:
            self.status.setText(_("No note in your cases matches."))

    def rows(self) -> list[QTreeWidgetItem]:
        return [self.results.topLevelItem(i) for i in range(self.results.topLevelItemCount())]

    def open_hit(self, item: QTreeWidgetItem, _column: int = 0) -> QWidget:
        from ui.case_view import open_case_window

        case_id, note_id = item.data(0, CASE_ROLE), item.data(0, NOTE_ROLE)
        self.opened.append((case_id, note_id))
        window = open_case_window(self.session, case_id, self.window())
        window.open_action("show_note", note_id)
        return window


areas.register_area("notes", N_("Search notes"), NoteSearchPage,
                    visible_for=lambda session: session.can(Can.VIEW_CASEWORK), order=15)
