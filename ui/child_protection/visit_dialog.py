"""Recording a child protection visit, fast: one visit, each child's facts on one line. GUI thread;
one service call per save.

What was typed goes to :class:`desktop.services.child_protection.VisitService`; every check is the
service's and its message appears beside the field it names (a visit in the future, a child "seen alone"
but not seen…). The half-typed form autosaves as a draft (form ``visit``, context the case id) two
seconds after the last change, comes back after a crash, and is discarded by a successful save.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.i18n import N_, _
from desktop.services.child_protection import VisitService
from desktop.services.child_protection._common import case_subject_ids
from ui.adults.forms import Form, combo, date_edit, iso, relabel, text_of
from ui.person_dialog import from_iso
from ui.widgets import KeepsDrafts, Retranslating

LOCATIONS = [
    (N_("At home"), "home"),
    (N_("At school"), "school"),
    (N_("In placement"), "placement"),
    (N_("At the office"), "office"),
    (N_("Somewhere else"), "other"),
]
FLAGS = [
    ("seen", N_("Seen")),
    ("seen_alone", N_("Seen alone")),
    ("seen_at_home", N_("Seen at home")),
    ("bedroom_seen", N_("Bedroom seen")),
]


class ChildRow:
    """One child's facts on the visit."""

    def __init__(self, person_id: str, name: str) -> None:
        self.person_id, self.name = person_id, name
        self.box = QGroupBox(name)
        self.box.setObjectName(f"child_{person_id}")
        grid = QGridLayout(self.box)
        self.flags: dict[str, QCheckBox] = {}
        for col, (key, _msgid) in enumerate(FLAGS):
            check = QCheckBox()
            check.setObjectName(f"{key}_{person_id}")
            grid.addWidget(check, 0, col)
            self.flags[key] = check
        self.lived_label, self.wishes_label = QLabel(), QLabel()
        self.lived = QPlainTextEdit()
        self.lived.setObjectName(f"lived_experience_{person_id}")
        self.wishes = QPlainTextEdit()
        self.wishes.setObjectName(f"wishes_feelings_{person_id}")
        for w in (self.lived, self.wishes):
            w.setMaximumHeight(60)
        grid.addWidget(self.lived_label, 1, 0, 1, 4)
        grid.addWidget(self.lived, 2, 0, 1, 4)
        grid.addWidget(self.wishes_label, 3, 0, 1, 4)
        grid.addWidget(self.wishes, 4, 0, 1, 4)

    def retranslate(self) -> None:
        for key, msgid in FLAGS:
            self.flags[key].setText(_(msgid))
            # L10N: {name} is the child's name.
            self.flags[key].setAccessibleName(_("{what}: {name}").format(what=_(msgid), name=self.name))
        self.lived_label.setText(_("Their lived experience, in their own words:"))
        self.wishes_label.setText(_("Their wishes and feelings, in their own words:"))

    def raw(self) -> dict[str, Any]:
        return {"person_id": self.person_id, **{k: c.isChecked() for k, c in self.flags.items()},
                "lived_experience": text_of(self.lived), "wishes_feelings": text_of(self.wishes)}

    def restore(self, data: dict[str, Any]) -> None:
        for k, c in self.flags.items():
            c.setChecked(bool(data.get(k)))
        self.lived.setPlainText(data.get("lived_experience") or "")
        self.wishes.setPlainText(data.get("wishes_feelings") or "")


class VisitDialog(Retranslating, KeepsDrafts, QDialog):
    """Record one visit to the case's children. Emits :attr:`saved` with the new visit's id."""

    saved = Signal(str)

    def __init__(self, session: Any, case_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("cp_visit_dialog")
        self.session, self.case_id = session, case_id
        self.service = VisitService(session)
        layout = QFormLayout()
        self.form = Form(layout)
        f = self.form
        self.visited_on = f.add("visited_on", N_("Date of the visit:"), date_edit(session.today().isoformat()))
        self.visited_at = f.add("visited_at", N_("Time:"), QLineEdit())
        self.location = f.add("location", N_("Where:"), combo(LOCATIONS))
        self.others = f.add("others_present", N_("Others present:"), QLineEdit())
        self.observations = f.add("observations", N_("Observations:"), QPlainTextEdit())
        # N13: the other core group members and the co-ordinator are told when this is saved.
        self.access_denied = f.add("access_denied", N_("Access to the children or the home was denied"),
                                   QCheckBox())
        names = {r["id"]: f"{r['given_names'] or ''} {r['family_name']}".strip() for r in session.store.rows(
            "SELECT p.id, p.given_names, p.family_name FROM person p JOIN case_member m ON m.person_id = p.id"
            " WHERE m.case_id = ? AND m.deleted = 0", [case_id])}
        self.children = [ChildRow(pid, names.get(pid, "")) for pid in case_subject_ids(session.store, case_id)]
        self.children_error = f.general  # child-level refusals name the field "children"
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        outer = QVBoxLayout(self)
        outer.addWidget(self.form.general)
        outer.addLayout(layout)
        for child in self.children:
            outer.addWidget(child.box)
        outer.addWidget(self.buttons)
        draft = self.service.load_draft(case_id)
        if draft:
            self.restore(draft)
        self.autosave([self.visited_on, self.visited_at, self.others, self.observations, self.location,
                       self.access_denied, *(w for child in self.children
                                             for w in (*child.flags.values(), child.lived, child.wishes))])
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Record a visit"))
        self.form.retranslate()
        relabel(self.location)
        for child in self.children:
            child.retranslate()
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(_("Save"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))

    # -- drafts -------------------------------------------------------------------------------
    def raw(self) -> dict[str, Any]:
        return {"visited_on": self.visited_on.text(), "visited_at": self.visited_at.text().strip(),
                "location": self.location.currentData(), "others_present": text_of(self.others),
                "observations": text_of(self.observations), "access_denied": self.access_denied.isChecked(),
                "children": [c.raw() for c in self.children]}

    def restore(self, data: dict[str, Any]) -> None:
        self.visited_on.setText(data.get("visited_on") or from_iso(self.session.today().isoformat()))
        self.visited_at.setText(data.get("visited_at") or "")
        self.location.setCurrentIndex(max(self.location.findData(data.get("location")), 0))
        self.others.setText(data.get("others_present") or "")
        self.observations.setPlainText(data.get("observations") or "")
        self.access_denied.setChecked(bool(data.get("access_denied")))
        by_child = {c.get("person_id"): c for c in data.get("children") or []}
        for child in self.children:
            child.restore(by_child.get(child.person_id, {}))

    def save_draft(self) -> None:
        self.service.save_draft(self.case_id, self.raw())

    # -- saving -------------------------------------------------------------------------------
    def save(self) -> bool:
        """Send the visit to the service; ``False`` (and the reason shown) if it was refused."""
        self._autosave.stop()
        raw = self.raw()
        # A child with nothing ticked and nothing written was not part of this visit — unless access
        # was denied: then every child of the case was not seen.
        children = [c for c in raw["children"] if raw["access_denied"] or any(c[k] for k, _m in FLAGS)
                    or c["lived_experience"] or c["wishes_feelings"]]
        try:
            row = self.service.record(
                self.case_id, visited_on=iso(self.visited_on), visited_at=raw["visited_at"] or None,
                location=raw["location"], others_present=raw["others_present"],
                observations=raw["observations"], access_denied=raw["access_denied"], children=children)
        except Exception as exc:  # noqa: BLE001 - every refusal is shown, nothing is saved
            self.form.show_error(exc)
            self.save_draft()  # what was typed is kept while the person corrects it
            return False
        self.form.clear_errors()
        self.saved.emit(row["id"])
        self.accept()
        return True
