"""The case's "Supervision and sign-off" tab: when the case was last supervised, each
supervision with what was discussed and decided and the actions agreed (owner, due date, done or not),
and the records of the case that need a manager's sign-off with their state and the manager's comments.

Forms (:class:`~ui.forms.Form`; one service call each, refusals beside their field):
:class:`SupervisionForm` (managers: the supervision and its actions), :class:`ActionDoneForm` (the owner
or a manager closes an action), :class:`SignOffForm` (a manager signs a record off or returns it with
comments) and :class:`ResubmitForm` (the worker sends a returned record back). My work's tasks open them
through :meth:`OversightTab.open_action` (``record_supervision``, ``sign_off``, ``resubmit``). Listed in
:data:`ui.plugins.CASE_TAB_MODULES`.

Thread contract: GUI thread, except :meth:`OversightTab.read` (a :class:`ui.loading.Loads` tab: the
supervisions and the records for sign-off are read on a worker and drawn on the GUI thread; a language
switch redraws them).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.errors import DiogelError, ValidationError
from desktop.i18n import N_, NC_, _
from desktop.services.directory import DirectoryService
from desktop.services.oversight import DECISIONS, SignOffItem, SignOffService
from desktop.services.permissions import Can
from desktop.services.supervision import Supervision, SupervisionService, last_supervised
from ui.case_tabs import FactWords, register_case_tab, register_header_fact
from ui.formatting import from_iso, show_date, to_iso
from ui.forms import Field, Form
from ui.loading import Loads
from ui.record_text import RecordInWords, correction_lines
from ui.tasks import store_watcher
from ui.widgets import FieldError, Retranslating, cap_columns, fit_columns, scaled_pt

ROLE = Qt.ItemDataRole.UserRole
ACTION_ROWS = 3
"""Action rows shown at first (a button adds more)."""
SIGNOFF_CHOICES = {"signed_off": N_("Sign it off"), "returned": N_("Return it with comments")}


def _staff(session: Any) -> list[tuple[str, str]]:
    return [(p.id, p.name) for p in DirectoryService(session).practitioners(social_services_only=True)]


class ActionRows(QWidget):
    """The actions agreed: a row each of what, who and by when (a section of :class:`SupervisionForm`)."""

    def __init__(self, staff: list[tuple[str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("supervision_actions")
        self.staff = staff
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.headers = [QLabel() for _i in range(3)]
        for column, label in enumerate(self.headers):
            self.grid.addWidget(label, 0, column)
        self.grid.setColumnStretch(0, 1)
        self.rows: list[tuple[QLineEdit, QComboBox, QLineEdit]] = []
        self.add_button = QPushButton()
        self.add_button.setObjectName("add_action")
        self.add_button.clicked.connect(lambda: self.add_row())
        self.error = FieldError()
        self.error.setObjectName("error_actions")
        for _i in range(ACTION_ROWS):
            self.add_row()
        self.retranslate()

    def add_row(self) -> tuple[QLineEdit, QComboBox, QLineEdit]:
        what, owner, due = QLineEdit(), QComboBox(), QLineEdit()
        n = len(self.rows)
        what.setObjectName(f"action_{n}_description")
        owner.setObjectName(f"action_{n}_owner")
        due.setObjectName(f"action_{n}_due")
        owner.addItem("", None)
        for pid, name in self.staff:
            owner.addItem(name, pid)
        due.setMaxLength(10)
        due.setFixedWidth(due.fontMetrics().horizontalAdvance("00/00/0000") + 24)  # grows with the text size
        row = n + 1
        self.grid.addWidget(what, row, 0)
        self.grid.addWidget(owner, row, 1)
        self.grid.addWidget(due, row, 2)
        self.grid.addWidget(self.add_button, row + 1, 0, 1, 3, Qt.AlignmentFlag.AlignLeft)
        self.grid.addWidget(self.error, row + 2, 0, 1, 3)
        self.rows.append((what, owner, due))
        self.retranslate()
        return what, owner, due

    def retranslate(self) -> None:
        for label, msgid in zip(self.headers, (N_("Action"), N_("Who owns it"), N_("Due by")), strict=True):
            label.setText(_(msgid))
        for i, (what, owner, due) in enumerate(self.rows, start=1):
            what.setAccessibleName(_("Action {n}").format(n=i))
            owner.setAccessibleName(_("Who owns action {n}").format(n=i))
            due.setAccessibleName(_("When action {n} is due").format(n=i))
            due.setPlaceholderText(_("dd/mm/yyyy"))
        self.add_button.setText(_("Add another action"))
        self.error.retranslate()

    def value(self) -> list[dict[str, Any]]:
        """The rows with anything in them (an incomplete row is sent, and refused beside the actions)."""
        out = []
        for what, owner, due in self.rows:
            if what.text().strip() or owner.currentData() or due.text().strip():
                out.append({"description": what.text().strip(), "owner_id": owner.currentData(),
                            "due_on": to_iso(due.text())})
        return out

    def raw(self) -> list[list[Any]]:
        return [[what.text(), owner.currentData(), due.text()] for what, owner, due in self.rows]

    def restore(self, rows: Any) -> None:
        for i, row in enumerate(rows or []):
            if i >= len(self.rows):
                self.add_row()
            what, owner, due = self.rows[i]
            what.setText(str(row[0] or ""))
            owner.setCurrentIndex(max(0, owner.findData(row[1])))
            due.setText(str(row[2] or ""))

    def set_row(self, index: int, description: str, owner_id: str, due: str) -> None:
        """Fill one action as a person would (due as dd/mm/yyyy or ISO); tests use it too."""
        while index >= len(self.rows):
            self.add_row()
        what, owner, when = self.rows[index]
        what.setText(description)
        owner.setCurrentIndex(max(0, owner.findData(owner_id)))
        when.setText(from_iso(due))


class SupervisionForm(Form):
    """A manager records supervision of the case, with the actions agreed."""

    OBJECT_NAME = "supervision_form"
    TITLE = N_("Record supervision")
    WIDTH = 760
    FIELDS = [
        Field("held_on", "date", N_("Date of the supervision:")),
        Field("worker_id", "items", N_("Whose work:")),
        Field("discussion", "long", N_("What was discussed:")),
        Field("decisions", "long", N_("What was decided:")),
    ]

    def items(self, name: str) -> list[tuple[Any, str]]:
        return [(None, ""), *_staff(self.session)]

    def build(self) -> None:
        self.actions = ActionRows([(pid, name) for pid, name in self.listed("worker_id") if pid is not None])
        self.add_section(N_("Actions agreed"), self.actions)

    def prepare(self) -> None:
        self.set_value("held_on", self.session.today().isoformat())
        worker = self.context.get("worker_id")
        if worker:
            self.set_value("worker_id", worker)

    def retranslate_more(self) -> None:
        if hasattr(self, "actions"):
            self.actions.retranslate()

    def raw_more(self) -> dict[str, Any]:
        return {"actions": self.actions.raw()}

    def restore_more(self, data: dict[str, Any]) -> None:
        self.actions.restore(data.get("actions"))

    def more_editors(self) -> list[QWidget]:
        return [w for row in self.actions.rows for w in row]

    def clear_errors(self) -> None:
        super().clear_errors()
        self.actions.error.clear()

    def show_refusal(self, err: DiogelError) -> None:
        if isinstance(err, ValidationError) and err.field == "actions":
            self.actions.error.show_error(err)
            self.scroller.ensureWidgetVisible(self.actions)
            return
        super().show_refusal(err)

    def values(self) -> dict[str, Any]:
        return {**super().values(), "actions": self.actions.value()}

    def submit(self, values: dict[str, Any]) -> dict[str, Any]:
        return SupervisionService(self.session).record(
            self.case_id, held_on=values["held_on"] or "", discussion=values["discussion"] or "",
            decisions=values["decisions"], worker_id=values["worker_id"], actions=values["actions"])


class ActionDoneForm(Form):
    """Close an action agreed at supervision, saying what was done."""

    OBJECT_NAME = "action_done_form"
    TITLE = N_("Supervision action done")
    DRAFTS = False
    FIELDS = [
        Field("action_id", "items", N_("Action:")),
        Field("outcome", "long", N_("What was done:")),
    ]

    def items(self, name: str) -> list[tuple[Any, str]]:
        me, manager = self.session.user.id, self.session.can(Can.SUPERVISE)
        out = []
        for s in SupervisionService(self.session).for_case(self.case_id):
            for a in s.actions:
                if a.done_on is None and (manager or a.owner_id == me):
                    out.append((a.id, _("{action} – {owner}, due {date}").format(
                        action=a.description, owner=a.owner_name, date=show_date(a.due_on))))
        return out

    def prepare(self) -> None:
        if self.context.get("action_id"):
            self.set_value("action_id", self.context["action_id"])

    def submit(self, values: dict[str, Any]) -> dict[str, Any]:
        if not values["action_id"]:
            raise ValidationError(N_("Choose the action."), field="action_id")
        return SupervisionService(self.session).complete_action(values["action_id"], values["outcome"] or "")


def _record_text(item: SignOffItem) -> str:
    # L10N: a record waiting for sign-off, e.g. "Child in Need plan – Elis Pritchard, 20 Nov 2026 (Gareth Rees)"
    return _("{record} – {person}, {date} ({worker})").format(
        record=item.label, person=item.person_name, date=show_date(item.made_on), worker=item.made_by_name)


class SignOffForm(Form):
    """A manager signs off a record of the case, or returns it with comments (``ref`` in the context)."""

    OBJECT_NAME = "signoff_form"
    TITLE = N_("Sign off a record")
    FIELDS = [
        Field("record", "items", N_("Record:")),
        Field("decision", "choice", N_("Decision:"), SIGNOFF_CHOICES),
        Field("comments", "long", N_("Comments:"), help=N_("Required when you return it: say what needs to change")),
    ]
    ALIASES = {"ref": "record"}

    def items(self, name: str) -> list[tuple[Any, str]]:
        return [(i.ref, _record_text(i)) for i in SignOffService(self.session).for_case(self.case_id)
                if i.state == "waiting"]

    def prepare(self) -> None:
        if self.context.get("ref"):
            self.set_value("record", self.context["ref"])

    def submit(self, values: dict[str, Any]) -> dict[str, Any]:
        service = SignOffService(self.session)
        if values["decision"] == "returned":
            return service.send_back(values["record"] or "", values["comments"])
        return service.sign_off(values["record"] or "", values["comments"])


class ResubmitForm(Form):
    """The worker sends a returned record back to the manager, saying what changed."""

    OBJECT_NAME = "resubmit_form"
    TITLE = N_("Send a returned record back")
    FIELDS = [
        Field("record", "items", N_("Record:")),
        Field("comments", "long", N_("What you changed:")),
    ]
    ALIASES = {"ref": "record"}

    def items(self, name: str) -> list[tuple[Any, str]]:
        return [(i.ref, _("{record}: {comments}").format(record=_record_text(i), comments=i.comments or ""))
                for i in SignOffService(self.session).for_case(self.case_id) if i.state == "returned"]

    def prepare(self) -> None:
        if self.context.get("ref"):
            self.set_value("record", self.context["ref"])

    def submit(self, values: dict[str, Any]) -> dict[str, Any]:
        return SignOffService(self.session).resubmit(values["record"] or "", values["comments"])


def supervision_text(s: Supervision) -> str:
    """One supervision in full, as plain text."""
    lines = [_("Supervision on {date} by {manager} of {worker}'s work").format(
        date=show_date(s.held_on), manager=s.supervisor_name, worker=s.worker_name or _("the team")),
        "", _("Discussed:"), s.discussion]
    if s.decisions:
        lines += ["", _("Decided:"), s.decisions]
    if s.actions:
        lines += ["", _("Actions:")]
        for a in s.actions:
            state = (_("done on {date}: {outcome}").format(date=show_date(a.done_on), outcome=a.outcome or "")
                     if a.done_on else _("due by {date}").format(date=show_date(a.due_on)))
            lines.append(_("• {action} – {owner}, {state}").format(action=a.description, owner=a.owner_name,
                                                                   state=state))
    lines += correction_lines(bool(s.amends_id), s.amendment_reason)
    return "\n".join(lines)


@dataclass(frozen=True, slots=True)
class OversightRead:
    """What the tab shows, read on a worker: the case's supervisions (newest first) and its records that
    need a manager's sign-off."""

    records: list[Supervision]
    items: list[SignOffItem]


class OversightTab(Loads[OversightRead], Retranslating, QWidget):
    def __init__(self, session: Any, case_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("oversight_tab")
        self.session, self.case_id = session, case_id
        self.manager = session.can(Can.SUPERVISE)
        self.last = QLabel()
        self.last.setObjectName("last_supervised")
        self.last.setStyleSheet(f"font-size: {scaled_pt(11)}; font-weight: 600;")
        self.supervision_label, self.signoff_label = QLabel(), QLabel()
        for label in (self.supervision_label, self.signoff_label):
            label.setStyleSheet("font-weight: 600;")
        self.supervisions = QTreeWidget()
        self.supervisions.setObjectName("supervisions")
        self.supervisions.currentItemChanged.connect(lambda *_a: self._show_current())
        self.signoffs = QTreeWidget()
        self.signoffs.setObjectName("signoffs")
        self.signoffs.setRootIsDecorated(False)
        self.signoffs.currentItemChanged.connect(lambda *_a: self._update_buttons())
        self.signoffs.itemActivated.connect(lambda *_a: self._open_signoff())
        # Parented at once (a parentless widget made visible is briefly a window and takes the focus).
        self.record_button, self.done_button = QPushButton(self), QPushButton(self)
        self.signoff_button, self.resubmit_button = QPushButton(self), QPushButton(self)
        for button, name in ((self.record_button, "record_supervision"), (self.done_button, "action_done"),
                             (self.signoff_button, "sign_off"), (self.resubmit_button, "resubmit")):
            button.setObjectName(name)
        self.record_button.setVisible(self.manager)
        self.signoff_button.setVisible(self.manager)
        self.resubmit_button.setVisible(session.can(Can.RECORD_CASEWORK))
        self.record_button.clicked.connect(lambda: self.record_supervision())
        self.done_button.clicked.connect(lambda: self.action_done())
        self.signoff_button.clicked.connect(lambda: self.sign_off())
        self.resubmit_button.clicked.connect(lambda: self.resubmit())
        top = QHBoxLayout()
        top.addWidget(self.supervision_label)
        top.addStretch(1)
        top.addWidget(self.record_button)
        top.addWidget(self.done_button)
        self.words = RecordInWords(self.supervisions, Qt.Orientation.Horizontal, "supervision_detail",
                                   N_("The supervision in full"), sizes=(620, 480))
        self.detail = self.words.detail
        bottom = QHBoxLayout()
        bottom.addWidget(self.signoff_label)
        bottom.addStretch(1)
        bottom.addWidget(self.signoff_button)
        bottom.addWidget(self.resubmit_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.last)
        layout.addLayout(top)
        layout.addWidget(self.words, 3)
        layout.addLayout(bottom)
        layout.addWidget(self.signoffs, 2)
        self.records: list[Supervision] = []
        self.items: list[SignOffItem] = []
        self.forms: list[Form] = []
        self._update_buttons()  # nothing read yet: no action to close
        store_watcher(session).changed.connect(self._store_changed)
        self.retranslate()
        self.start_loading(self)

    def retranslate(self) -> None:
        self.supervision_label.setText(_("Supervision"))
        self.signoff_label.setText(_("Records that need a manager's sign-off"))
        self.record_button.setText(_("Record supervision…"))
        self.done_button.setText(_("Action done…"))
        self.signoff_button.setText(_("Sign off or return…"))
        self.resubmit_button.setText(_("Send back…"))
        self.supervisions.setHeaderLabels([_("Date"), _("Manager"), _("Whose work"), _("What was discussed")])
        self.signoffs.setHeaderLabels([_(NC_("column", "Record")), _("Who it is about"), _("Recorded"), _("State"),
                                       _("Comments")])
        self.supervisions.setAccessibleName(_("Supervision"))
        self.signoffs.setAccessibleName(_("Records that need a manager's sign-off"))
        self.words.retranslate()
        self.redraw()

    def _store_changed(self, tables: set[str], cases: set[str]) -> None:
        if self.case_id in cases and tables & {"supervision", "supervision_action", "signoff"}:
            self.refresh()

    def read(self) -> OversightRead:
        """Worker thread: the case's supervisions and its records for sign-off."""
        return OversightRead(SupervisionService(self.session).for_case(self.case_id),
                             SignOffService(self.session).for_case(self.case_id))

    def draw(self, data: OversightRead) -> None:
        current = self.supervisions.currentItem()
        chosen = current.data(0, ROLE) if current is not None else None
        self.records = data.records
        last = self.records[0] if self.records else None
        self.last.setText(_("Last supervised on {date} by {manager}").format(
            date=show_date(last.held_on), manager=last.supervisor_name) if last
            else _("This case has not been supervised yet."))
        self.supervisions.clear()
        for s in self.records:
            row = QTreeWidgetItem([show_date(s.held_on), s.supervisor_name, s.worker_name,
                                   " ".join(s.discussion.split())[:160]])
            row.setData(0, ROLE, s.id)
            for a in s.actions:
                state = (_("Done {date}").format(date=show_date(a.done_on)) if a.done_on
                         else _("Due by {date}").format(date=show_date(a.due_on)))
                child = QTreeWidgetItem([state, a.owner_name, "", a.description])
                child.setData(0, ROLE, s.id)
                child.setData(1, ROLE, None if a.done_on else a.id)
                row.addChild(child)
            self.supervisions.addTopLevelItem(row)
            row.setExpanded(True)
            if s.id == chosen:
                self.supervisions.setCurrentItem(row)
        if self.supervisions.currentItem() is None and self.supervisions.topLevelItemCount():
            self.supervisions.setCurrentItem(self.supervisions.topLevelItem(0))
        fit_columns(self.supervisions)
        cap_columns(self.supervisions, {0: 190})
        self.items = data.items
        self.signoffs.clear()
        for item in self.items:
            last_decision = item.history[-1] if item.history else None
            comments = ""
            if last_decision is not None:
                comments = _("{decision} by {manager} on {date}: {comments}").format(
                    decision=_(DECISIONS[last_decision.decision]), manager=last_decision.decided_by_name,
                    date=show_date(last_decision.decided_on), comments=last_decision.comments or "–")
            row = QTreeWidgetItem([item.label, item.person_name,
                                   _("{date} by {name}").format(date=show_date(item.made_on),
                                                                name=item.made_by_name),
                                   item.state_label, comments])
            row.setData(0, ROLE, item.ref)
            row.setToolTip(4, comments)
            self.signoffs.addTopLevelItem(row)
        fit_columns(self.signoffs)
        cap_columns(self.signoffs, {0: 300, 1: 220})
        self._show_current()

    def _show_current(self) -> None:
        current = self.supervisions.currentItem()
        sid = current.data(0, ROLE) if current is not None else None
        found = next((s for s in self.records if s.id == sid), None)
        self.words.show_text(supervision_text(found) if found else "")
        self._update_buttons()

    def _selected_action(self) -> str | None:
        current = self.supervisions.currentItem()
        return current.data(1, ROLE) if current is not None and current.parent() is not None else None

    def _selected_ref(self) -> SignOffItem | None:
        current = self.signoffs.currentItem()
        ref = current.data(0, ROLE) if current is not None else None
        return next((i for i in self.items if i.ref == ref), None)

    def _update_buttons(self) -> None:
        me = self.session.user.id
        open_actions = [a for s in self.records for a in s.actions
                        if a.done_on is None and (self.manager or a.owner_id == me)]
        self.done_button.setVisible(bool(open_actions))
        item = self._selected_ref()
        self.signoff_button.setEnabled(any(i.state == "waiting" for i in self.items))
        self.resubmit_button.setEnabled(any(i.state == "returned" for i in self.items))
        if item is not None:
            self.signoff_button.setEnabled(item.state == "waiting")
            self.resubmit_button.setEnabled(item.state == "returned")

    def rows(self, tree: str = "signoffs") -> list[QTreeWidgetItem]:
        widget = self.signoffs if tree == "signoffs" else self.supervisions
        return [widget.topLevelItem(i) for i in range(widget.topLevelItemCount())]

    # -- forms ----------------------------------------------------------------------------------
    def _show(self, form: Form) -> Form:
        form.saved.connect(lambda _id: self.refresh())
        self.forms.append(form)
        form.show()
        return form

    def record_supervision(self) -> Form | None:
        if not self.manager:
            return None
        worker = self.window().case_view.case.get("allocated_worker_id") if hasattr(self.window(), "case_view") \
            else None
        return self._show(SupervisionForm(self.session, self.case_id, None, self, worker_id=worker or ""))

    def action_done(self, action_id: str | None = None) -> Form:
        action_id = action_id or self._selected_action() or ""
        return self._show(ActionDoneForm(self.session, self.case_id, None, self, action_id=action_id))

    def sign_off(self, ref: str | None = None) -> Form | None:
        if not self.manager:
            return None
        item = self._selected_ref()
        ref = ref or (item.ref if item is not None and item.state == "waiting" else "")
        return self._show(SignOffForm(self.session, self.case_id, None, self, ref=ref))

    def resubmit(self, ref: str | None = None) -> Form:
        item = self._selected_ref()
        ref = ref or (item.ref if item is not None and item.state == "returned" else "")
        return self._show(ResubmitForm(self.session, self.case_id, None, self, ref=ref))

    def _open_signoff(self) -> None:
        item = self._selected_ref()
        if item is None:
            return
        if item.state == "waiting" and self.manager:
            self.sign_off(item.ref)
        elif item.state == "returned":
            self.resubmit(item.ref)

    def open_action(self, action: str, person_id: str | None = None) -> QWidget | None:
        if action == "record_supervision":
            return self.record_supervision()
        if action == "sign_off":
            return self.sign_off(person_id)
        if action == "resubmit":
            return self.resubmit(person_id)
        return None


def _last_supervised(session: Any, case_id: str) -> FactWords | None:
    """The case header's "Last supervised:" line (casework roles): read on a worker, said on the GUI thread."""
    if not session.can(Can.VIEW_CASEWORK):
        return None
    found = last_supervised(session, case_id)

    def words() -> tuple[str, str]:
        value = (_("{date} by {name}").format(date=show_date(found[0]), name=found[1]) if found
                 else _("Not yet"))
        return _("Last supervised:"), value

    return words


register_case_tab("oversight", N_("Supervision and sign-off"), OversightTab,
                  lambda session: session.can(Can.VIEW_CASEWORK), order=75)
register_header_fact("last_supervised", _last_supervised, tables=("supervision",))
