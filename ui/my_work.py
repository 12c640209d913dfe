"""The "My work" area: what the signed-in person must act on, most urgent first, for every role.

* A headline of counts — overdue, due today, due this week, tasks — over everything the person answers
  for, each item once (their own work; a team manager's team; a senior manager's teams), each count with
  its urgency shape, words and colours.
* "For your action": tasks (escalations and notifications) that wait until acknowledged with what was done.
* "My own work": the person's items by urgency; every row says how late (in the rule's own unit), whose it
  is, and opens the case at the right form (double-click or Enter). The person an item is about carries
  their safety flags (a marker; the words in the tooltip and for a screen reader).
* "My team" / "Teams" (managers): a row per worker — cases, overdue, due today, due this week, away and who
  covers — opening to that worker's items; for a senior manager, per team first. Assign cover from here.
* Admin staff see the letters waiting to be printed.

Thread contract: GUI thread only draws. The figures (and the safety flags) come from
:meth:`MyWorkService.view` run on a worker through :mod:`ui.tasks` after each burst of commits — worked
out again only for the cases the commits touched (:mod:`desktop.services.my_work`); a language switch says
the same figures again in place and reads nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QBrush, QIcon
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStyle,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.urgency import Urgency, urgency_of
from desktop.errors import DiogelError
from desktop.i18n import N_, _, ngettext
from desktop.services.my_work import MyWork, MyWorkService, TeamSummary, WorkerSummary, WorkItem
from desktop.services.permissions import Can
from desktop.services.safety_flags import SafetyFlag, SafetyFlagService
from desktop.services.tasks import Task
from ui import areas
from ui.contrast import CHIP_EMPTY_COLOURS, high_contrast, urgency_colours
from ui.formatting import show_date
from ui.loading import Loader
from ui.safety import flags_text
from ui.tasks import store_watcher
from ui.urgency import style_tree_item, urgency_icon
from ui.widgets import Retranslating, cap_columns, fit_columns, message_of, scaled_pt

CASE_ROLE = Qt.ItemDataRole.UserRole
ACTION_ROLE = Qt.ItemDataRole.UserRole + 1
RULE_ROLE = Qt.ItemDataRole.UserRole + 2
WORKER_ROLE = Qt.ItemDataRole.UserRole + 3
PERSON_ROLE = Qt.ItemDataRole.UserRole + 4
TASK_ROLE = Qt.ItemDataRole.UserRole + 5
AWAY_ROLE = Qt.ItemDataRole.UserRole + 6

ITEM_HEADERS = [N_("How urgent"), N_("Child or adult"), N_("Case"), N_("Due"), N_("What is due"), N_("Whose")]
TEAM_HEADERS = [N_("Worker"), N_("Cases"), N_("Overdue"), N_("Due today"), N_("Due this week"), N_("Away")]
TASK_HEADERS = [N_("What happened"), N_("Case"), N_("For"), N_("How long")]
SECTIONS = [
    ("problems", N_("Cannot be worked out")),
    ("overdue", N_("Overdue")),
    ("due_today", N_("Due today")),
    ("due_this_week", N_("Due this week")),
]


def whose(item: WorkItem) -> str:
    """Who must act on an item, in words."""
    if item.covered_by_name:
        # L10N: whose an item is when someone covers the worker, e.g. "Rhian Evans, covering for Tom Bevan"
        return _("{covering}, covering for {worker}").format(covering=item.covered_by_name,
                                                              worker=item.worker_name)
    if item.absent and item.worker_name:
        return _("{worker} (away, nobody covering)").format(worker=item.worker_name)
    return item.worker_name or _("Nobody allocated")


def flag_icon() -> QIcon:
    """The marker beside a person with safety flags."""
    return QApplication.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)


def mark_flags(row: QTreeWidgetItem, column: int, name: str, flags: list[SafetyFlag]) -> None:
    """A person's safety flags (issue 20: shown wherever the person appears) on their cell: a marker, the
    flags in words in its tooltip and in what a screen reader says; nothing for a person with none."""
    if not flags:
        return
    words = flags_text(flags)
    row.setIcon(column, flag_icon())
    # L10N: the tooltip of a person marked in My work, e.g. "Safety: Poses a risk to Seren Tŵr"
    row.setToolTip(column, _("Safety: {flags}").format(flags=words))
    # L10N: what a screen reader says for a person with safety flags, e.g. "Dafydd Tŵr. Safety: Do not contact"
    row.setData(column, Qt.ItemDataRole.AccessibleTextRole,
                _("{name}. Safety: {flags}").format(name=name, flags=words))


def item_row(item: WorkItem, *, with_whose: bool = True,
             flags: dict[str, list[SafetyFlag]] | None = None) -> QTreeWidgetItem:
    """One due item as a row: urgency (shape, words, colours), who (with their safety flags), case, due,
    why, whose."""
    row = QTreeWidgetItem(["", item.person_name, item.case_reference, show_date(item.due), item.reason,
                           whose(item) if with_whose else ""])
    style_tree_item(row, item.urgency, days_overdue=item.days_overdue, unit=item.overdue_unit)
    mark_flags(row, 1, item.person_name, (flags or {}).get(item.person_id, []))
    row.setData(0, CASE_ROLE, item.case_id)
    row.setData(0, ACTION_ROLE, item.action)
    row.setData(0, RULE_ROLE, item.rule_id)
    row.setData(0, PERSON_ROLE, item.person_id)
    if item.absent and not item.covered_by and item.worker_id:
        row.setData(0, WORKER_ROLE, item.worker_id)
    row.setToolTip(4, item.reason)
    return row


def say_headers(tree: QTreeWidget, labels: list[str]) -> None:
    """A list's headers in another language, its rows not measured again (that took tens of milliseconds
    a switch for a team of 250): each column keeps its width, widened to its header if need be, and
    the person may still widen it; the next figures drawn fit the columns to their contents again."""
    header = tree.header()
    last = len(labels) - 1
    for column in range(last):
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
    tree.setHeaderLabels(labels)  # one change (a text at a time made the header lay itself out each time)
    for column in range(last):
        header.resizeSection(column, max(header.sectionSize(column), header.sectionSizeHint(column)))


class CountChip(QWidget):
    """A headline count with its urgency shape, words and colours ("Overdue: 17"); grey when zero."""

    def __init__(self, urgency: Urgency, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.urgency = urgency
        self.count = 0
        self.icon = QLabel()
        self.icon.setPixmap(urgency_icon(urgency, 18).pixmap(18, 18))
        self.label = QLabel()
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 4, 10, 4)
        row.addWidget(self.icon)
        row.addWidget(self.label)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)

    def text(self) -> str:
        return self.label.text()

    def show_count(self, text: str, count: int) -> None:
        self.count = count
        high = high_contrast()
        colours = urgency_colours(self.urgency)
        fg, bg = (colours[0].name(), colours[1].name()) if count or high else CHIP_EMPTY_COLOURS
        bold = count and (self.urgency in (Urgency.OVERDUE, Urgency.PROBLEM) or high)
        border = f" border: {2 if count else 1}px solid {fg};" if high else ""
        style = (f"CountChip {{ background: {bg}; border-radius: 4px;{border} }}"
                 f" QLabel {{ color: {fg}; font-weight: {700 if bold else 400}; font-size: {scaled_pt(11)};"
                 " border: none; }")
        if style != self.styleSheet():  # a language switch changes only the words: no restyling
            self.setStyleSheet(style)
            self.icon.setPixmap(urgency_icon(self.urgency, 18).pixmap(18, 18))
        self.icon.setVisible(bool(count))
        self.label.setText(text)
        self.setAccessibleName(text)


class MyWorkPage(Retranslating, QWidget):
    def __init__(self, session: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("my_work_page")
        self.session = session
        self.work: MyWork | None = None
        self._new_figures = False
        self.flags: dict[str, list[SafetyFlag]] = {}
        """Active safety flags by person id, read with the figures (the people items are about are marked)."""
        self.loaded = False
        self.last_error: BaseException | None = None
        self.opened: list[tuple[str, str]] = []  # (case id, action): for tests and the status bar

        self.heading = QLabel()
        self.heading.setObjectName("my_work_heading")
        self.heading.setStyleSheet(f"font-size: {scaled_pt(14)}; font-weight: 600;")
        self.chips = {key: CountChip(u) for key, u in (
            ("overdue", Urgency.OVERDUE), ("due_today", Urgency.DUE_TODAY),
            ("due_this_week", Urgency.DUE_THIS_WEEK), ("tasks", Urgency.PROBLEM))}
        chip_row = QHBoxLayout()
        for key, chip in self.chips.items():
            chip.setObjectName(f"my_work_count_{key}")
            chip_row.addWidget(chip)
        chip_row.addStretch(1)
        self.note = QLabel()
        self.note.setObjectName("my_work_note")
        self.note.setWordWrap(True)

        self.tasks_label = QLabel()
        self.tasks_label.setStyleSheet("font-weight: 600;")
        self.tasks = QTreeWidget()
        self.tasks.setObjectName("my_work_tasks")
        self.tasks.setRootIsDecorated(False)
        self.tasks.itemActivated.connect(self._open_case_of)
        self.tasks.currentItemChanged.connect(lambda *_: self._update_buttons())
        self.acknowledge_button = QPushButton()
        self.acknowledge_button.setObjectName("my_work_acknowledge")
        self.acknowledge_button.clicked.connect(self.acknowledge)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("my_work_tabs")
        self.tree = QTreeWidget()
        self.tree.setObjectName("my_work_items")
        self.tree.itemActivated.connect(self._activated)
        self.tree.currentItemChanged.connect(lambda *_: self._update_buttons())
        self.team = QTreeWidget()
        self.team.setObjectName("my_work_team")
        self.team.itemActivated.connect(self._activated)
        self.team.itemExpanded.connect(self._fill_worker)
        self.team.currentItemChanged.connect(lambda *_: self._update_buttons())
        self.managing = session.can(Can.VIEW_TEAM_WORK)
        self.casework = session.can(Can.VIEW_CASEWORK)
        if self.managing:
            self.tabs.addTab(self.team, "")
        if self.casework:
            self.tabs.addTab(self.tree, "")
        self.letters_note = QLabel()
        self.letters_note.setObjectName("my_work_letters")
        self.letters_note.setWordWrap(True)
        self.letters_note.setStyleSheet(f"font-size: {scaled_pt(11)};")
        self.letters_button = QPushButton()
        self.letters_button.setObjectName("my_work_open_letters")
        self.letters_button.clicked.connect(self._open_letters)
        self.nothing = QLabel()
        self.nothing.setObjectName("my_work_nothing")

        self.cover_button = QPushButton()
        self.cover_button.setObjectName("my_work_assign_cover")
        self.cover_button.setVisible(session.can(Can.ALLOCATE))
        self.cover_button.setEnabled(False)
        self.cover_button.clicked.connect(self.assign_cover)
        # Quick entry of a case note (issue 19): for the case of the selected row, or chosen in the form.
        self.note_button = QPushButton()
        self.note_button.setObjectName("my_work_new_note")
        self.note_button.setVisible(session.can(Can.RECORD_CASEWORK))
        self.note_button.clicked.connect(lambda: self.new_note())
        buttons = QHBoxLayout()
        buttons.addWidget(self.cover_button)
        buttons.addStretch(1)
        buttons.addWidget(self.note_button)

        tasks_box = QHBoxLayout()
        tasks_box.addWidget(self.tasks, 1)
        tasks_side = QVBoxLayout()
        tasks_side.addWidget(self.acknowledge_button)
        tasks_side.addStretch(1)
        tasks_box.addLayout(tasks_side)

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(chip_row)
        layout.addWidget(self.note)
        letters_row = QHBoxLayout()
        letters_row.addWidget(self.letters_note)
        letters_row.addWidget(self.letters_button)
        letters_row.addStretch(1)
        layout.addLayout(letters_row)
        layout.addWidget(self.nothing)
        layout.addWidget(self.tasks_label)
        layout.addLayout(tasks_box)
        layout.addWidget(self.tabs, 4)
        layout.addLayout(buttons)
        self.tabs.setVisible(self.tabs.count() > 0)
        if not self.tabs.count():
            layout.addStretch(1)

        # The latest request's figures are drawn (an older answer overtaken by a newer commit is dropped).
        self.loader: Loader[MyWorkRead] = Loader(self, self._loaded, fail=self._failed, on_busy=self._busy)
        # Several commits in a row (a conference writes many rows) refresh once.
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(250)
        self._debounce.timeout.connect(self.refresh)
        # A bound method (not a lambda): Qt disconnects it when the page is destroyed on lock.
        store_watcher(session).changed.connect(self._store_changed)
        self.retranslate()
        self.refresh()

    # -- language -------------------------------------------------------------------------------
    def retranslate(self) -> None:
        language_only = self.work is not None and not self._new_figures
        for tree, headers in ((self.tree, ITEM_HEADERS), (self.team, TEAM_HEADERS), (self.tasks, TASK_HEADERS)):
            if language_only:
                say_headers(tree, [_(h) for h in headers])
            else:
                tree.setHeaderLabels([_(h) for h in headers])
                fit_columns(tree)
        self.tree.setAccessibleName(_("My own work"))
        self.team.setAccessibleName(_("The team's work, by worker"))
        self.tasks.setAccessibleName(_("For your action"))
        self.tabs.setAccessibleName(_("My work"))
        self.tasks_label.setText(_("For your action"))
        self.acknowledge_button.setText(_("Acknowledge…"))
        self.acknowledge_button.setToolTip(_("Say what was done about the selected task; it then leaves your list"))
        self.letters_button.setText(_("Open the print queue"))
        self.nothing.setText(_("Nothing is waiting for you."))
        self.cover_button.setText(_("Assign cover…"))
        self.cover_button.setAccessibleName(_("Assign cover for the absent worker's work"))
        self.cover_button.setToolTip(_("Choose who covers the selected worker's work while they are away"))
        self.note_button.setText(_("New case note…"))
        self.note_button.setToolTip(_("Record a note on the case of the selected item, or choose the case"))
        for i in range(self.tabs.count()):
            widget = self.tabs.widget(i)
            if widget is self.tree:
                self.tabs.setTabText(i, _("My own work"))
            else:
                many = self.work is not None and len(self.work.teams) > 1
                self.tabs.setTabText(i, _("Teams") if many else _("My team"))
        if self.work is not None:
            self._draw(language_only=language_only)
        self._new_figures = False

    # -- loading (worker thread) ----------------------------------------------------------------
    def refresh(self) -> None:
        """Recompute on a worker; draw when it comes back."""
        self.loader.load(_view, self.session)

    def _busy(self, busy: bool) -> None:
        if busy and self.work is None:
            self.heading.setText(_("Loading…"))

    def _loaded(self, read: MyWorkRead) -> None:
        self.work, self.flags = read.work, read.flags
        self._new_figures = True  # drawn whole (a language switch only says them again)
        self.last_error = None
        self.loaded = True
        self.retranslate()

    def _failed(self, exc: BaseException) -> None:
        self.last_error = exc
        self.loaded = True
        self.heading.setText(_("My work could not be worked out: {reason}").format(reason=message_of(exc)))
        self.heading.setStyleSheet(f"font-size: {scaled_pt(12)}; font-weight: 600; color: {urgency_colours(Urgency.PROBLEM)[0].name()};")

    def _store_changed(self, _tables: object, _cases: object) -> None:
        self._debounce.start()

    # -- drawing (GUI thread, from self.work) ---------------------------------------------------
    def _draw(self, *, language_only: bool = False) -> None:
        """Draw the figures held. ``language_only``: the same figures in another language — the team list
        keeps its rows and says them again (only the rows opened are made again)."""
        work = self.work
        assert work is not None
        scope = work.scope
        self.heading.setText({"own": _("Your work"), "team": _("Your team's work"),
                              "all": _("The work of every team")}[scope])
        counts = work.counts
        self.chips["overdue"].show_count(_("Overdue: {n}").format(n=counts["overdue"]), counts["overdue"])
        self.chips["due_today"].show_count(_("Due today: {n}").format(n=counts["due_today"]), counts["due_today"])
        self.chips["due_this_week"].show_count(_("Due this week: {n}").format(n=counts["due_this_week"]),
                                               counts["due_this_week"])
        self.chips["tasks"].show_count(_("For your action: {n}").format(n=counts["tasks"]), counts["tasks"])
        for key in ("overdue", "due_today", "due_this_week"):
            self.chips[key].setVisible(self.casework)
        notes = []
        if counts["problems"]:
            notes.append(ngettext(
                "{n} item's due date could not be worked out: check its dates (listed first).",
                "{n} items' due dates could not be worked out: check their dates (listed first).",
                counts["problems"]).format(n=counts["problems"]))
        if counts["uncovered"]:
            notes.append(ngettext(
                "{n} of these items belongs to a worker who is away with nobody covering: assign cover.",
                "{n} of these items belong to workers who are away with nobody covering: assign cover.",
                counts["uncovered"]).format(n=counts["uncovered"]))
        self.note.setText(" ".join(notes))
        self.note.setVisible(bool(notes))
        self.note.setStyleSheet(f"color: {urgency_colours(Urgency.OVERDUE)[0].name()}; font-weight: 600;")
        self._draw_tasks(work.tasks)
        self._draw_own(work)
        if language_only:
            self._retext_teams()
        else:
            self._draw_teams(work.teams)
        waiting = work.letters_waiting
        self.letters_note.setVisible(waiting is not None)
        self.letters_button.setVisible(bool(waiting))
        self.nothing.setVisible(not work.tasks and not waiting and not work.responsible)
        if waiting is not None:
            self.letters_note.setText(ngettext("{n} letter is waiting to be printed, in the Letters area.",
                                               "{n} letters are waiting to be printed, in the Letters area.",
                                               waiting).format(n=waiting))
        self._update_buttons()

    def _draw_tasks(self, tasks: list[Task]) -> None:
        self.tasks.clear()
        for task in tasks:
            row = QTreeWidgetItem([task.text, task.case_reference, task.to_name, task.open_for])
            row.setData(0, CASE_ROLE, task.case_id)
            # A task dealt with on its form (a sign-off) is opened, not acknowledged.
            row.setData(0, TASK_ROLE, task.id if task.for_me and not task.action else "")
            row.setData(0, ACTION_ROLE, task.action or "open_case")
            row.setData(0, PERSON_ROLE, task.ref)
            row.setToolTip(0, task.text)
            if task.due is not None and task.status is not None:
                # Due by a date: how urgent in words and shape in "How long", as every due item says it.
                style_tree_item(row, urgency_of(task.status), label_column=3, days_overdue=task.days_overdue,
                                unit=task.unit)
                if task.status == "upcoming":
                    row.setText(3, _("Due by {date}").format(date=show_date(task.due)))
            else:
                urgency = Urgency.PROBLEM if task.for_me else Urgency.DUE_THIS_WEEK
                style_tree_item(row, urgency, label_column=0)
            row.setText(0, task.text)  # the words are the task itself; the shape and colours say "act"
            self.tasks.addTopLevelItem(row)
        # A long task (a sign-off names the record, the child and who made it) must leave "How long" in view.
        cap_columns(self.tasks, {0: 620})
        for widget in (self.tasks, self.tasks_label, self.acknowledge_button):
            widget.setVisible(bool(tasks))
        self.tasks.setMaximumHeight(min(200, 30 + 22 * len(tasks)))

    def _draw_own(self, work: MyWork) -> None:
        self.tree.clear()
        for key, msgid in SECTIONS:
            items: list[WorkItem] = getattr(work, key)
            if key == "problems" and not items:
                continue  # a section only when something could not be worked out
            # L10N: a heading of "My work" with how many items it holds, e.g. "Overdue (3)".
            section = QTreeWidgetItem([_("{section} ({n})").format(section=_(msgid), n=len(items))])
            section.setData(0, ACTION_ROLE, key)
            self.tree.addTopLevelItem(section)
            section.setFirstColumnSpanned(True)
            for item in items:
                section.addChild(item_row(item, flags=self.flags))
            section.setExpanded(True)
        fit_columns(self.tree)

    def _draw_teams(self, teams: list[TeamSummary]) -> None:
        expanded = {self.team.topLevelItem(i).data(0, WORKER_ROLE) for i in range(self.team.topLevelItemCount())
                    if self.team.topLevelItem(i).isExpanded()}
        self.team.clear()
        many = len(teams) > 1
        # The rows are made first and given to the tree in one call per team (a senior manager's 250
        # workers): one model change each, not one per row, while the GUI thread signs someone in.
        tops: list[QTreeWidgetItem] = []
        reopen: list[QTreeWidgetItem] = []
        for team in teams:
            rows = [self._worker_row(worker) for worker in team.workers]
            reopen += [row for row, worker in zip(rows, team.workers, strict=True) if worker.worker_id in expanded]
            if not many:
                tops += rows
                continue
            top = QTreeWidgetItem([team.name or _("Other teams"), str(team.total("cases")),
                                   str(team.total("overdue")), str(team.total("due_today")),
                                   str(team.total("due_this_week")), ""])
            top.setData(0, WORKER_ROLE, f"team:{team.team_id}")
            top.setData(1, Qt.ItemDataRole.UserRole, team)
            if team.total("overdue"):
                style_tree_item(top, Urgency.OVERDUE, label_column=2)
                top.setText(2, str(team.total("overdue")))
            top.addChildren(rows)
            tops.append(top)
        self.team.addTopLevelItems(tops)
        for row in reopen:  # only an item in the tree can be expanded
            row.setExpanded(True)
        fit_columns(self.team)

    def _worker_row(self, worker: WorkerSummary) -> QTreeWidgetItem:
        row = QTreeWidgetItem(["", str(worker.cases), str(worker.overdue), str(worker.due_today),
                               str(worker.due_this_week), ""])
        row.setData(0, WORKER_ROLE, "" if not worker.name else worker.worker_id)
        row.setData(0, AWAY_ROLE, bool(worker.away and not worker.covered_by_name and worker.worker_id))
        row.setData(0, ACTION_ROLE, "worker")
        row.setData(1, Qt.ItemDataRole.UserRole, worker)
        if worker.overdue:
            style_tree_item(row, Urgency.OVERDUE, label_column=2)
            row.setText(2, str(worker.overdue))
        if worker.away and not worker.covered_by_name:
            row.setForeground(5, QBrush(urgency_colours(Urgency.OVERDUE)[0]))
        if worker.items:
            row.setChildIndicatorPolicy(QTreeWidgetItem.ChildIndicatorPolicy.ShowIndicator)
        self._say_worker(row, worker)
        return row

    @staticmethod
    def _say_worker(row: QTreeWidgetItem, worker: WorkerSummary) -> None:
        """A worker row's words in the interface language (its figures are digits, the same in both)."""
        if worker.away:
            away = (_("Away; {name} covers").format(name=worker.covered_by_name) if worker.covered_by_name
                    else _("Away: nobody covering"))
        else:
            away = ""
        # Only what the language changes is set again (each change makes the list look at the row again).
        for column, text in ((0, worker.name or _("Nobody allocated")), (5, away)):
            if row.text(column) != text:
                row.setText(column, text)
        row.setToolTip(0, ngettext("{n} item: open to see them", "{n} items: open to see them",
                                   len(worker.items)).format(n=len(worker.items)))

    def _retext_teams(self) -> None:
        """After a language switch: each team and worker row says its words again in place (no row is
        made again, no column measured again); the items of an opened worker are made again."""
        for i in range(self.team.topLevelItemCount()):
            top = self.team.topLevelItem(i)
            assert top is not None
            held = top.data(1, Qt.ItemDataRole.UserRole)
            if isinstance(held, TeamSummary):
                top.setText(0, held.name or _("Other teams"))
                rows = [top.child(j) for j in range(top.childCount())]
            else:
                rows = [top]
            for row in rows:
                worker = row.data(1, Qt.ItemDataRole.UserRole) if row is not None else None
                if row is None or not isinstance(worker, WorkerSummary):
                    continue
                self._say_worker(row, worker)
                if row.childCount():
                    row.takeChildren()
                    if row.isExpanded():
                        self._fill_worker(row)

    def _fill_worker(self, row: QTreeWidgetItem) -> None:
        """A worker's items, drawn when their row is opened (a senior manager's view holds thousands)."""
        worker = row.data(1, Qt.ItemDataRole.UserRole)
        if not isinstance(worker, WorkerSummary) or row.childCount():
            return
        row.addChildren([item_row(item, with_whose=False, flags=self.flags) for item in worker.items])

    # -- actions --------------------------------------------------------------------------------
    def rows(self, section: str) -> list[QTreeWidgetItem]:
        """The rows of a section of "My own work" (``overdue``, ``due_today``, ``due_this_week``)."""
        for i in range(self.tree.topLevelItemCount()):
            top = self.tree.topLevelItem(i)
            if top.data(0, ACTION_ROLE) == section:
                return [top.child(j) for j in range(top.childCount())]
        return []

    def worker_rows(self) -> list[QTreeWidgetItem]:
        """Every worker row of the team tab (under their team for a senior manager)."""
        out = []
        for i in range(self.team.topLevelItemCount()):
            top = self.team.topLevelItem(i)
            if str(top.data(0, WORKER_ROLE) or "").startswith("team:"):
                out += [top.child(j) for j in range(top.childCount())]
            else:
                out.append(top)
        return out

    def _selected_absent_worker(self) -> str | None:
        """The absent, uncovered worker of the selected worker row or item row, if any."""
        tree = self.tabs.currentWidget()
        item = tree.currentItem() if isinstance(tree, QTreeWidget) else None
        if item is None:
            return None
        if item.data(0, ACTION_ROLE) == "worker":
            return str(item.data(0, WORKER_ROLE)) if item.data(0, AWAY_ROLE) else None
        return item.data(0, WORKER_ROLE) or None

    def _update_buttons(self) -> None:
        self.cover_button.setEnabled(self._selected_absent_worker() is not None)
        current = self.tasks.currentItem()
        self.acknowledge_button.setEnabled(bool(current is not None and current.data(0, TASK_ROLE)))
        self.acknowledge_button.setVisible(bool(self.work and any(t.for_me for t in self.work.tasks)))
        self.acknowledge_button.setToolTip(_("Say what was done about the selected task; it then leaves your list")
                                           if self.acknowledge_button.isEnabled()
                                           else _("Choose a task that is for you"))

    def assign_cover(self) -> QWidget | None:
        """Open the cover form for the selected absent worker (team managers)."""
        worker = self._selected_absent_worker()
        if not worker:
            return None
        from ui.child_protection.cover_dialog import CoverDialog

        dialog = CoverDialog(self.session, worker, self)
        dialog.saved.connect(self.refresh)
        dialog.open()
        return dialog

    def new_note(self) -> QWidget:
        """The case note form, for the case of the selected task or item (else the form asks which)."""
        from ui.notes import NoteForm

        case_id = None
        for tree in (self.tabs.currentWidget(), self.tasks):
            item = tree.currentItem() if isinstance(tree, QTreeWidget) else None
            if item is not None and item.data(0, CASE_ROLE):
                case_id = item.data(0, CASE_ROLE)
                break
        form = NoteForm(self.session, case_id, None, self)
        form.show()
        return form

    def acknowledge(self) -> QWidget | None:
        """Ask what was done about the selected task, then close it."""
        current = self.tasks.currentItem()
        task_id = current.data(0, TASK_ROLE) if current is not None else None
        if not task_id:
            return None
        from ui.acknowledge_dialog import AcknowledgeDialog

        dialog = AcknowledgeDialog(self.session, task_id, current.text(0), self)
        dialog.saved.connect(self.refresh)
        dialog.open()
        return dialog

    def _open_letters(self) -> None:
        window = self.window()
        if hasattr(window, "show_area"):
            window.show_area("letters")

    def _open_case_of(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        self._activated(item)

    def _activated(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        case_id = item.data(0, CASE_ROLE)
        if not case_id:
            if item.data(0, ACTION_ROLE) == "worker":
                item.setExpanded(not item.isExpanded())
            return
        self.opened.append((case_id, item.data(0, ACTION_ROLE)))
        from ui.case_view import open_case_window

        window = open_case_window(self.session, case_id, self.window())
        window.open_action(item.data(0, ACTION_ROLE), item.data(0, PERSON_ROLE))  # where there is a form


@dataclass(slots=True)
class MyWorkRead:
    """What the page draws, read on a worker: the figures and the safety flags of the people in them."""

    work: MyWork
    flags: dict[str, list[SafetyFlag]] = field(default_factory=dict)


def _view(session: Any) -> MyWorkRead:
    """Worker thread: everything the page draws."""
    work = MyWorkService(session).view()
    flags: dict[str, list[SafetyFlag]] = {}
    if session.can(Can.VIEW_CASE):
        try:
            flags = SafetyFlagService(session).in_scope()
        except DiogelError:  # flags this reader may not see are not shown: My work still is
            flags = {}
    return MyWorkRead(work, flags)


def badge(session: Any) -> int | None:
    """Overdue, due today, what could not be worked out and tasks for the person (worker thread)."""
    counts = MyWorkService(session).counts()
    return counts["overdue"] + counts["due_today"] + counts["problems"] + counts["tasks"]


areas.register_area("my_work", N_("My work"), MyWorkPage, badge=badge, order=10)
