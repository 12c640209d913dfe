"""Case notes on screen: the note form (quick entry from the case and from My work),
its correction, and the case's "Notes" tab — the notes newest first, significant events marked, a search
of the case's notes, and the whole of the chosen note with who was involved and its corrections.

Forms are :class:`~ui.forms.Form` s (one service call each; a refusal beside its field; drafts kept).
:class:`NoteForm` opened without a case (from My work) asks for the case first and lists the people of
the case chosen. Listed in :data:`ui.plugins.CASE_TAB_MODULES`.

Thread contract: GUI thread, except :meth:`NotesTab.read` (a :class:`ui.loading.Loads` tab: the notes, or a
search of them, are read on a worker and drawn on the GUI thread; a language switch redraws them).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.errors import ValidationError
from desktop.i18n import N_, _, current_language, ngettext
from desktop.services.cases import CaseService
from desktop.services.directory import DirectoryService
from desktop.services.drafts import DraftService
from desktop.services.notes import CATEGORIES, KINDS, Note, NoteService
from desktop.services.permissions import Can
from ui.case_tabs import register_case_tab
from ui.formatting import show_date
from ui.forms import Field, Form
from ui.loading import Loader, Loads
from ui.record_text import RecordInWords, correction_lines
from ui.tasks import store_watcher
from ui.widgets import Retranslating, cap_columns, fit_columns

NOTE_LANGUAGES = {"cy": N_("Welsh"), "en": N_("English")}
NOTE_ROLE = Qt.ItemDataRole.UserRole
HEADERS = [N_("Date"), N_("Kind of contact"), N_("Significant event"), N_("Who was involved"), N_("Recorded by"),
           N_("What happened")]


class _Changed(QObject):
    changed = Signal()


class PeopleEditor:
    """Tick boxes of the people on a case, refilled when the form's case changes (a ``custom`` field)."""

    def __init__(self) -> None:
        self.widget = QWidget()
        self.box = QVBoxLayout(self.widget)
        self.box.setContentsMargins(0, 0, 0, 0)
        self.checks: list[tuple[QCheckBox, str]] = []
        self.empty = QLabel()
        self.box.addWidget(self.empty)
        self._signal = _Changed()

    def fill(self, people: list[tuple[str, str]]) -> None:
        chosen = set(self.value())
        for check, _pid in self.checks:
            check.deleteLater()
        self.checks = []
        for pid, name in people:
            check = QCheckBox(name)
            check.setObjectName(f"check_{pid}")
            check.setAccessibleName(name)
            check.setChecked(pid in chosen)
            check.toggled.connect(self._signal.changed)
            self.box.addWidget(check)
            self.checks.append((check, pid))
        self.empty.setVisible(not people)

    def value(self) -> list[str]:
        return [pid for check, pid in self.checks if check.isChecked()]

    raw = value

    def set_raw(self, value: Any) -> None:
        chosen = set(value or [])
        for check, pid in self.checks:
            check.setChecked(pid in chosen)

    def check(self, person_id: str, on: bool = True) -> None:
        for check, pid in self.checks:
            if pid == person_id:
                check.setChecked(on)

    def retranslate(self) -> None:
        self.empty.setText(_("Choose the case first."))

    def watch(self, changed: Callable[..., None]) -> None:
        self._signal.changed.connect(changed)


class NoteForm(Form):
    """A new case note; without a case (quick entry from My work) the first field chooses it."""

    OBJECT_NAME = "note_form"
    TITLE = N_("Case note")
    WIDTH = 700
    FIELDS = [
        Field("case", "items", N_("Case:")),
        Field("kind", "choice", N_("Kind of contact:"), KINDS),
        Field("occurred_on", "date", N_("Date:")),
        Field("occurred_at", "time", N_("Time:")),
        Field("people", "custom", N_("Who was involved:")),
        Field("agencies", "checks", N_("Agencies involved:")),
        Field("others", "text", N_("Anyone else:"), help=N_("People not on the case, by name and role")),
        Field("body", "long", N_("What happened:")),
        Field("language", "choice", N_("Written in:"), NOTE_LANGUAGES),
        Field("significant", "check", N_("A significant event (it goes in the chronology)")),
        Field("category", "optional", N_("Kind of significant event:"), CATEGORIES),
    ]
    ALIASES = {"case_id": "case"}

    def items(self, name: str) -> list[tuple[Any, str]]:
        if name == "case":
            if self.case_id:  # the note's case is given and its row hidden: no need to list every case
                return [(self.case_id, "")]
            rows = CaseService(self.session).caseload()
            return [(None, ""), *((r.case_id, _("{reference} – {names}").format(reference=r.reference,
                                                                                names=r.subjects)) for r in rows)]
        if name == "agencies":
            return [(a.id, a.name) for a in DirectoryService(self.session).agencies()]
        return []

    def read(self) -> Any:
        """Worker thread: the people of the case the note is on, by case id — the case given, or (a note from
        My work) the case its draft had chosen; nothing when neither is known yet."""
        case_id = self.case_id
        if not case_id:
            draft = DraftService(self.session).load(self.OBJECT_NAME, self.draft_context()) or {}
            case_id = draft.get("case") if isinstance(draft.get("case"), str) else None
        return {case_id: self._people_of(case_id)} if case_id else {}

    def _people_of(self, case_id: str) -> list[tuple[str, str]]:
        return [(p.id, p.name) for p in DirectoryService(self.session).case_people(case_id)]

    def custom_editor(self, f: Field) -> Any:
        return PeopleEditor()

    def prepare(self) -> None:
        self.set_value("occurred_on", self.session.today().isoformat())
        self.set_value("language", current_language() if current_language() in NOTE_LANGUAGES else "en")
        if self.case_id:
            self.set_value("case", self.case_id)
            self.rows.setRowVisible(self.labels["case"], False)
        self._people_loader: Loader[tuple[str, list[tuple[str, str]]]] = Loader(self, self._people_read)
        self.widgets["case"].currentIndexChanged.connect(self._case_changed)
        self._case_changed()

    def chosen_case(self) -> str | None:
        return self.case_id or self.value("case")

    def _case_changed(self, *_args: Any) -> None:
        editor = self.editors["people"]
        assert isinstance(editor, PeopleEditor)
        case_id = self.chosen_case()
        read = self.opening.more if self.opening is not None else {}
        if case_id and case_id not in read:  # a case chosen since (a note from My work): its people, on a worker
            editor.fill([])
            self._people_loader.load(lambda: (case_id, self._people_of(case_id)))
            return
        editor.fill(read.get(case_id, []) if case_id else [])  # read on a worker as the form opened

    def _people_read(self, answer: tuple[str, list[tuple[str, str]]]) -> None:
        """GUI thread: the people of a case chosen after the form opened, listed if it is still the one chosen."""
        case_id, people = answer
        if self.opening is not None:
            self.opening.more[case_id] = people  # chosen again later: listed at once
        if case_id == self.chosen_case():
            editor = self.editors["people"]
            assert isinstance(editor, PeopleEditor)
            editor.fill(people)

    def restore(self, data: dict[str, Any]) -> None:
        if data.get("case") and not self.case_id:
            self.set_value("case", data["case"])  # fills the people before they are ticked again
        super().restore(data)

    def fields_for_service(self, values: dict[str, Any]) -> dict[str, Any]:
        return {"kind": values["kind"], "occurred_on": values["occurred_on"] or "", "occurred_at": values["occurred_at"],
                "body": values["body"] or "", "language": values["language"], "significant": values["significant"],
                "category": values["category"], "people": values["people"], "agencies": values["agencies"],
                "others": values["others"]}

    def submit(self, values: dict[str, Any]) -> dict[str, Any]:
        case_id = self.case_id or values["case"]
        if not case_id:
            raise ValidationError(N_("Choose the case."), field="case")
        return NoteService(self.session).record(case_id, **self.fields_for_service(values))


class CorrectNoteForm(NoteForm):
    """A correction of a note (``note_id`` in the context): every field again, and why."""

    OBJECT_NAME = "correct_note_form"
    TITLE = N_("Correct a case note")
    FIELDS = [*NoteForm.FIELDS, Field("reason", "long", N_("Why it is being corrected:"))]

    def read(self) -> Any:
        """Worker thread: the case's people and the note being corrected."""
        return super().read(), NoteService(self.session).get(self.context["note_id"])

    def _case_changed(self, *_args: Any) -> None:
        editor = self.editors["people"]
        assert isinstance(editor, PeopleEditor) and self.opening is not None
        people, _note = self.opening.more
        editor.fill(people.get(self.case_id, []))

    def prepare(self) -> None:
        super().prepare()
        assert self.opening is not None
        _people, note = self.opening.more
        for name in ("kind", "occurred_at", "body", "language", "significant", "category", "others"):
            self.set_value(name, getattr(note, name))
        self.set_value("occurred_on", note.occurred_on.isoformat())
        self.set_value("people", list(note.people))
        self.set_value("agencies", list(note.agencies))

    def submit(self, values: dict[str, Any]) -> dict[str, Any]:
        return NoteService(self.session).amend(self.context["note_id"], reason=values["reason"] or "",
                                               **self.fields_for_service(values))


def note_summary(note: Note) -> str:
    """The note in full, as plain text: when, what kind, who, the text, and what it corrects."""
    when = show_date(note.occurred_on) + (f" {note.occurred_at}" if note.occurred_at else "")
    lines = [_("{kind}, {when} – recorded by {name} ({language})").format(
        kind=_(KINDS[note.kind]), when=when, name=note.author_name, language=_(NOTE_LANGUAGES[note.language]))]
    if note.significant and note.category:
        lines.append(_("Significant event: {category}").format(category=_(CATEGORIES[note.category])))
    involved = [*note.people.values(), *note.agencies.values(), *([note.others] if note.others else [])]
    if involved:
        lines.append(_("Who was involved: {names}").format(names=", ".join(involved)))
    lines += ["", note.body]
    lines += correction_lines(note.corrected, note.amendment_reason)
    return "\n".join(lines)


@dataclass(frozen=True, slots=True)
class NotesRead:
    """What the Notes tab shows, read on a worker: the notes (newest first), and for a search the words
    searched for and each hit's snippet by note id."""

    notes: list[Note]
    searched: str = ""
    snippets: dict[str, str] | None = None


class NotesTab(Loads[NotesRead], Retranslating, QWidget):
    """The case's notes, newest first; the chosen one in full below."""

    def __init__(self, session: Any, case_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("notes_tab")
        self.session, self.case_id = session, case_id
        self.search = QLineEdit()
        self.search.setObjectName("notes_search")
        self.search.setClearButtonEnabled(True)
        self.search.returnPressed.connect(self.refresh)
        self.search.textChanged.connect(lambda text: self.refresh() if not text else None)
        self.significant = QCheckBox()
        self.significant.setObjectName("notes_significant_only")
        self.significant.toggled.connect(lambda _on: self.refresh())
        # Parented at once: a parentless widget made visible is a window of its own for a moment, and takes the
        # keyboard focus away from the case window (the tabs are made while the window is on screen).
        self.new_button, self.correct_button = QPushButton(self), QPushButton(self)
        self.new_button.setObjectName("new_note")
        self.correct_button.setObjectName("correct_note")
        self.new_button.setVisible(session.can(Can.RECORD_CASEWORK))
        self.correct_button.setVisible(session.can(Can.RECORD_CASEWORK))
        self.new_button.clicked.connect(lambda: self.new_note())
        self.correct_button.clicked.connect(lambda: self.correct_note())
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.significant)
        top.addWidget(self.new_button)
        top.addWidget(self.correct_button)
        self.list = QTreeWidget()
        self.list.setObjectName("notes_list")
        self.list.setRootIsDecorated(False)
        self.list.setUniformRowHeights(True)
        self.list.currentItemChanged.connect(lambda *_a: self._show_current())
        self.list.itemActivated.connect(lambda *_a: self._show_current())
        self.words = RecordInWords(self.list, Qt.Orientation.Vertical, "note_detail", N_("The note in full"),
                                   sizes=(380, 200))
        self.detail = self.words.detail
        self.status = QLabel()
        self.status.setObjectName("notes_status")
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.status)
        layout.addWidget(self.words, 1)
        self.notes: list[Note] = []
        self.snippets: dict[str, str] = {}
        self.forms: list[Form] = []
        self._select_next: str | None = None
        store_watcher(session).changed.connect(self._store_changed)
        self.retranslate()
        self.start_loading(self)

    def retranslate(self) -> None:
        self.search.setPlaceholderText(_("Search this case's notes"))
        self.search.setAccessibleName(_("Search this case's notes"))
        self.significant.setText(_("Significant events only"))
        self.new_button.setText(_("New note…"))
        self.correct_button.setText(_("Correct…"))
        self.list.setHeaderLabels([_(h) for h in HEADERS])
        self.list.setAccessibleName(_("Case notes"))
        self.words.retranslate()
        self.redraw()

    def _store_changed(self, tables: set[str], cases: set[str]) -> None:
        if "case_note" in tables and (not cases or self.case_id in cases):
            self.refresh()

    def request(self) -> tuple[str, bool]:
        return self.search.text().strip(), self.significant.isChecked()

    def read(self, text: str, significant_only: bool) -> NotesRead:
        """Worker thread: the case's notes (significant events only if asked), or those matching ``text``."""
        service = NoteService(self.session)
        if text:
            hits = service.search(text, case_id=self.case_id)
            return NotesRead([h.note for h in hits if not significant_only or h.note.significant], text,
                             {h.note.id: h.snippet for h in hits})
        return NotesRead(service.for_case(self.case_id, significant_only=significant_only))

    def draw(self, data: NotesRead) -> None:
        current = self._select_next or self.current_note()
        self._select_next = None
        self.notes, self.snippets = data.notes, data.snippets or {}
        if data.searched:
            self.status.setText(ngettext("{n} note found", "{n} notes found", len(self.notes)).format(
                n=len(self.notes)) if self.notes else _("No note of this case matches."))
        else:
            self.status.setText("" if self.notes else _("No notes yet."))
        self.status.setVisible(bool(self.status.text()))
        self.list.clear()
        bold = QFont()
        bold.setBold(True)
        for note in self.notes:
            who = ", ".join([*note.people.values(), *note.agencies.values()])
            words = self.snippets.get(note.id) or (note.body.splitlines() or [""])[0]
            row = QTreeWidgetItem([
                show_date(note.occurred_on) + (f" {note.occurred_at}" if note.occurred_at else ""), _(KINDS[note.kind]),
                _(CATEGORIES[note.category]) if note.significant and note.category else "", who, note.author_name,
                " ".join(words.split())[:200]])
            row.setData(0, NOTE_ROLE, note.id)
            row.setToolTip(3, who)
            row.setToolTip(5, note.body[:600])
            if note.significant:
                for column in range(row.columnCount()):
                    row.setFont(column, bold)
            self.list.addTopLevelItem(row)
        fit_columns(self.list)
        cap_columns(self.list, {3: 240})
        self.select(current)

    def current_note(self) -> str | None:
        item = self.list.currentItem()
        return item.data(0, NOTE_ROLE) if item is not None else None

    def rows(self) -> list[QTreeWidgetItem]:
        return [self.list.topLevelItem(i) for i in range(self.list.topLevelItemCount())]

    def select(self, note_id: str | None) -> bool:
        """Choose the note ``note_id`` in the list (the first when it is not there)."""
        for row in self.rows():
            if row.data(0, NOTE_ROLE) == note_id:
                self.list.setCurrentItem(row)
                return True
        if self.list.topLevelItemCount():
            self.list.setCurrentItem(self.list.topLevelItem(0))
        else:
            self.words.show_text("")
        return False

    def _show_current(self) -> None:
        note_id = self.current_note()
        note = next((n for n in self.notes if n.id == note_id), None)
        self.correct_button.setEnabled(note is not None)
        self.words.show_text(note_summary(note) if note is not None else "")

    def _show(self, form: Form) -> Form:
        form.saved.connect(self._saved)
        self.forms.append(form)
        form.show()
        return form

    def _saved(self, note_id: str) -> None:
        """A form saved ``note_id``: read again, and choose it once drawn."""
        self._select_next = note_id
        self.refresh()

    def new_note(self) -> Form:
        return self._show(NoteForm(self.session, self.case_id, None, self))

    def correct_note(self, note_id: str | None = None) -> Form | None:
        note_id = note_id or self.current_note()
        if not note_id:
            return None
        return self._show(CorrectNoteForm(self.session, self.case_id, None, self, note_id=note_id))

    def open_action(self, action: str, person_id: str | None = None) -> QWidget | None:
        if action == "new_note":
            return self.new_note()
        if action == "show_note" and person_id:
            if self.search.text() or self.significant.isChecked():
                self._select_next = person_id  # not listed until read again without the search
            self.search.clear()
            self.significant.setChecked(False)
            self.select(person_id)
            return self
        return None


register_case_tab("notes", N_("Notes"), NotesTab, lambda session: session.can(Can.VIEW_CASEWORK), order=22)
