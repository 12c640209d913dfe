"""The shared shape of the child protection step forms (report, strategy, enquiry, conference, core
group, change of co-ordinator). GUI thread; one service call per save.

A :class:`StepDialog` is a :class:`~ui.adults.forms.Form` of named rows (the row name is the service's
``ValidationError.field``, so a refusal appears beside the field it names, or at the top), a
Save/Cancel button box, and a draft (``DraftService``, form :attr:`StepDialog.DRAFT_FORM`, context the
case id) saved a few seconds after the last change and discarded by a successful save. Subclasses
build their rows in :meth:`build` and send them to the service in :meth:`submit`.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop.i18n import _
from desktop.services.child_protection._common import CATEGORY_LABELS, case_subject_ids
from desktop.services.drafts import DraftService
from ui.adults.forms import DateEdit, Form, relabel
from ui.widgets import KeepsDrafts, Retranslating


class CheckList(QWidget):
    """A column of checkboxes, one per ``(text, data, msgid)`` item (``msgid`` for translated labels,
    ``None`` for names such as agencies). :meth:`values` is the data of the ticked ones."""

    def __init__(self, items: list[tuple[str, Any, str | None]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        self.checks: list[tuple[QCheckBox, Any, str | None]] = []
        for text, data, msgid in items:
            check = QCheckBox(text)
            check.setObjectName(f"check_{data}")
            box.addWidget(check)
            self.checks.append((check, data, msgid))
        self.retranslate()

    def retranslate(self) -> None:
        for check, _data, msgid in self.checks:
            if msgid:
                check.setText(_(msgid))
            check.setAccessibleName(check.text())

    def values(self) -> list[Any]:
        return [data for check, data, _m in self.checks if check.isChecked()]

    def set_values(self, values: list[Any] | None) -> None:
        chosen = set(values or [])
        for check, data, _m in self.checks:
            check.setChecked(data in chosen)

    def check(self, data: Any, on: bool = True) -> None:
        for check, d, _m in self.checks:
            if d == data:
                check.setChecked(on)


def categories_list() -> CheckList:
    return CheckList([(_(msgid), code, msgid) for code, msgid in CATEGORY_LABELS.items()])


def agencies(session: Any) -> list[dict[str, Any]]:
    return session.store.rows("SELECT id, name, agency_type FROM agency WHERE deleted = 0 ORDER BY name")


def agency_list(session: Any) -> CheckList:
    return CheckList([(a["name"], a["id"], None) for a in agencies(session)])


def children_of(session: Any, case_id: str) -> list[tuple[str, str]]:
    """(person id, name) of the case's subjects."""
    ids = case_subject_ids(session.store, case_id)
    names = {r["id"]: f"{r['given_names'] or ''} {r['family_name']}".strip() for r in session.store.rows(
        "SELECT p.id, p.given_names, p.family_name FROM person p JOIN case_member m ON m.person_id = p.id"
        " WHERE m.case_id = ? AND m.deleted = 0", [case_id])}
    return [(pid, names.get(pid, "")) for pid in ids]


def children_list(session: Any, case_id: str) -> CheckList:
    """The case's children, all ticked."""
    checks = CheckList([(name, pid, None) for pid, name in children_of(session, case_id)])
    checks.set_values([pid for pid, _n in children_of(session, case_id)])
    return checks


def practitioners(session: Any, where: str = "1 = 1", args: list[Any] | None = None) -> list[tuple[str, str]]:
    """(id, name) of staff matching ``where``."""
    return [(r["id"], f"{r['given_names']} {r['family_name']}") for r in session.store.rows(
        f"SELECT id, given_names, family_name FROM practitioner WHERE deleted = 0 AND {where}"  # noqa: S608
        " ORDER BY family_name, given_names", args or [])]


def people_combo(items: list[tuple[str, str]], none_msgid: str | None = None) -> QComboBox:
    """A combo of names; an optional first "none" item (label msgid) whose data is ``None``."""
    from ui.adults.forms import combo

    box = combo([(none_msgid, None)]) if none_msgid else QComboBox()
    for pid, name in items:
        box.addItem(name, pid)
    return box


def lines(text: str) -> list[str]:
    return [x.strip() for x in text.splitlines() if x.strip()]


class StepDialog(Retranslating, KeepsDrafts, QDialog):
    """Base of the step forms. Emits :attr:`saved` with the id of what was written."""

    saved = Signal(str)
    DRAFT_FORM = ""
    TITLE = ""
    ALIASES: dict[str, str] = {}
    """Service field names shown beside another row (``{"new_coordinator_id": "coordinator_id"}``)."""

    def __init__(self, session: Any, case_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session, self.case_id = session, case_id
        self.layout_ = QFormLayout()
        self.form = Form(self.layout_)
        self.below: list[QWidget] = []
        self.build()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        # Long forms (a conference about several children) scroll; the buttons stay in view.
        body = QWidget()
        inner = QVBoxLayout(body)
        inner.addWidget(self.form.general)
        inner.addLayout(self.layout_)
        for w in self.below:
            inner.addWidget(w)
        inner.addStretch(1)
        scroll = QScrollArea()
        scroll.setObjectName("form_scroll")
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        outer = QVBoxLayout(self)
        outer.addWidget(scroll)
        outer.addWidget(self.buttons)
        self.resize(640, 720)
        draft = DraftService(session).load(self.DRAFT_FORM, case_id) if self.DRAFT_FORM else None
        if draft:
            self.restore(draft)
        self.autosave(self.editors())
        self.retranslate()

    # -- to override --------------------------------------------------------------------------
    def build(self) -> None:
        raise NotImplementedError

    def submit(self) -> dict[str, Any]:
        """Send the form to the service; returns the row written (raises the service's refusal)."""
        raise NotImplementedError

    def retranslate_more(self) -> None:
        """Texts outside the form rows."""

    def raw_more(self) -> dict[str, Any]:
        return {}

    def restore_more(self, data: dict[str, Any]) -> None:
        """Restore what :meth:`raw_more` gave."""

    def more_editors(self) -> list[QWidget]:
        return []

    # -- common -------------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.setWindowTitle(_(self.TITLE))
        self.form.retranslate()
        for _msgid, _label, editor, _error in self.form.rows.values():
            if isinstance(editor, QComboBox):
                relabel(editor)
            elif isinstance(editor, CheckList):
                editor.retranslate()
        self.retranslate_more()
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(_("Save"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))

    def editors(self) -> list[QWidget]:
        return [row[2] for row in self.form.rows.values()] + self.more_editors()

    def raw(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, (_m, _l, editor, _e) in self.form.rows.items():
            out[name] = value_of(editor)
        return {**out, **self.raw_more()}

    def restore(self, data: dict[str, Any]) -> None:
        for name, (_m, _l, editor, _e) in self.form.rows.items():
            if name in data:
                set_value(editor, data[name])
        self.restore_more(data)

    def save_draft(self) -> None:
        if self.DRAFT_FORM:
            DraftService(self.session).save(self.DRAFT_FORM, self.raw(), self.case_id)

    def show_error(self, exc: BaseException) -> None:
        from desktop.errors import ValidationError

        if isinstance(exc, ValidationError) and exc.field in self.ALIASES:
            exc.field = self.ALIASES[exc.field]
        self.form.show_error(exc)

    def save(self) -> bool:
        """``False`` (and the refusal shown beside its field, the draft kept) if the service refused."""
        self._autosave.stop()
        try:
            row = self.submit()
        except Exception as exc:  # noqa: BLE001 - every refusal is shown, nothing is saved
            self.show_error(exc)
            self.save_draft()
            return False
        self.form.clear_errors()
        if self.DRAFT_FORM:
            DraftService(self.session).discard(self.DRAFT_FORM, self.case_id)
        self.saved.emit(str(row.get("id", "")) if isinstance(row, dict) else "")
        self.accept()
        return True


def value_of(editor: QWidget) -> Any:
    if isinstance(editor, CheckList):
        return editor.values()
    if isinstance(editor, QCheckBox):
        return editor.isChecked()
    if isinstance(editor, QComboBox):
        return editor.currentData()
    if isinstance(editor, QPlainTextEdit):
        return editor.toPlainText().strip()
    if isinstance(editor, QLineEdit):
        return editor.text().strip()
    return None


def set_value(editor: QWidget, value: Any) -> None:
    if isinstance(editor, CheckList):
        editor.set_values(value)
    elif isinstance(editor, QCheckBox):
        editor.setChecked(bool(value))
    elif isinstance(editor, QComboBox):
        editor.setCurrentIndex(max(editor.findData(value), 0))
    elif isinstance(editor, QPlainTextEdit):
        editor.setPlainText(value or "")
    elif isinstance(editor, (QLineEdit, DateEdit)):
        editor.setText(value or "")
