"""Recording a visit to an adult at risk (A3, A4). GUI thread; one service call per save.

The dialog sends what was typed to :class:`desktop.services.adults.VisitService`; every check is the
service's, and its message appears beside the field it names (a visit in the future, no reason for
not offering the chance to be seen alone…). The half-typed form is kept as a draft (form
``adult_visit``, context the case id) and comes back after a crash; saving discards it.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.i18n import N_, _
from desktop.services.adults import VisitService
from desktop.services.drafts import DraftService
from ui.adults.forms import Form, combo, date_edit, iso, relabel, text_of
from ui.person_dialog import from_iso
from ui.widgets import KeepsDrafts, Retranslating
from ui.windows import register_sensitive

LOCATIONS = [
    (N_("At home"), "home"),
    (N_("Care home"), "care_home"),
    (N_("Hospital"), "hospital"),
    (N_("Day service"), "day_service"),
    (N_("Office"), "office"),
    (N_("Somewhere else"), "other"),
]
DRAFT_FORM = "adult_visit"


class VisitDialog(Retranslating, KeepsDrafts, QDialog):
    """Record one visit. Emits :attr:`saved` with the new visit's id."""

    saved = Signal(str)

    def __init__(self, session: Any, case_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("adult_visit_dialog")
        register_sensitive(self)
        self.session, self.case_id = session, case_id
        layout = QFormLayout()
        self.form = Form(layout)
        f = self.form
        self.visited_on = f.add("visited_on", N_("Date of the visit:"), date_edit(session.today().isoformat()))
        self.location = f.add("location", N_("Where:"), combo(LOCATIONS))
        self.seen = f.add("seen", N_("The adult was seen"), QCheckBox())
        self.offered_alone = f.add("offered_alone", N_("Given the opportunity to be seen alone"), QCheckBox())
        self.seen_alone = f.add("seen_alone", N_("Seen alone"), QCheckBox())
        self.not_alone_reason = f.add("not_alone_reason", N_("Why not offered the chance to be seen alone:"),
                                      QPlainTextEdit())
        self.wishes = f.add("wishes_feelings", N_("The adult's wishes and feelings:"), QPlainTextEdit())
        self.observations = f.add("observations", N_("Observations:"), QPlainTextEdit())
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        outer = QVBoxLayout(self)
        outer.addWidget(self.form.general)
        outer.addLayout(layout)
        outer.addWidget(self.buttons)
        draft = DraftService(session).load(DRAFT_FORM, case_id)
        if draft:
            self.restore(draft)
        self._saved = False
        self.autosave([self.visited_on, self.location, self.seen, self.offered_alone, self.seen_alone,
                             self.not_alone_reason, self.wishes, self.observations])
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Record a visit"))
        self.form.retranslate()
        relabel(self.location)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(_("Save"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))

    # -- drafts -------------------------------------------------------------------------------
    def raw(self) -> dict[str, Any]:
        return {"visited_on": self.visited_on.text(), "location": self.location.currentData(),
                "seen": self.seen.isChecked(), "offered_alone": self.offered_alone.isChecked(),
                "seen_alone": self.seen_alone.isChecked(), "not_alone_reason": text_of(self.not_alone_reason),
                "wishes_feelings": text_of(self.wishes), "observations": text_of(self.observations)}

    def restore(self, data: dict[str, Any]) -> None:
        self.visited_on.setText(data.get("visited_on") or from_iso(self.session.today().isoformat()))
        self.location.setCurrentIndex(max(self.location.findData(data.get("location")), 0))
        for box, key in ((self.seen, "seen"), (self.offered_alone, "offered_alone"), (self.seen_alone, "seen_alone")):
            box.setChecked(bool(data.get(key)))
        self.not_alone_reason.setPlainText(data.get("not_alone_reason") or "")
        self.wishes.setPlainText(data.get("wishes_feelings") or "")
        self.observations.setPlainText(data.get("observations") or "")

    def save_draft(self) -> None:
        """Keep what is typed (one small write)."""
        self._autosave.stop()
        if not self._saved:
            DraftService(self.session).save(DRAFT_FORM, self.raw(), self.case_id)

    # -- saving -------------------------------------------------------------------------------
    def save(self) -> bool:
        """Send the visit to the service; ``False`` (and the reason shown) if it was refused."""
        raw = self.raw()
        try:
            row = VisitService(self.session).record(
                self.case_id, visited_on=iso(self.visited_on), location=raw["location"], seen=raw["seen"],
                offered_alone=raw["offered_alone"], seen_alone=raw["seen_alone"],
                not_alone_reason=raw["not_alone_reason"], wishes_feelings=raw["wishes_feelings"],
                observations=raw["observations"])
        except Exception as exc:  # noqa: BLE001 - every refusal is shown, nothing is saved
            self.form.show_error(exc)
            return False
        self._saved = True
        self._autosave.stop()
        DraftService(self.session).discard(DRAFT_FORM, self.case_id)
        self.form.clear_errors()
        self.saved.emit(row["id"])
        self.accept()
        return True
