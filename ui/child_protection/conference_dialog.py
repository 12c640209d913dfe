"""Holding the initial child protection conference (C6/C13/C14): attendance by agency (quorum: 3, or 2
with the chair's recorded discretion and reason), then for each child separately whether their name goes
on the register, the categories, the co-ordinator, the outline plan, the core group agencies, the first
core group date and the next review date. One call to :meth:`ConferenceService.hold_initial` (register
entries, core group, outline plan and letters in one transaction).

The conference is one already convened, or "a new conference": it is then convened on the day it is
held (no invitations) just before it is recorded as held. A refusal about one child's decision
(categories, co-ordinator, outline plan, dates) is shown in that child's box.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from desktop.errors import DiogelError, ValidationError
from desktop.i18n import N_, _
from desktop.services.child_protection import ConferenceService
from ui.adults.forms import date_edit, iso, relabel
from ui.child_protection.form_dialog import (
    CheckList,
    StepDialog,
    agency_list,
    categories_list,
    children_of,
    people_combo,
    practitioners,
    set_value,
    value_of,
)
from ui.formatting import show_date
from ui.person_dialog import from_iso
from ui.widgets import FieldError

CHILD_FIELDS = ("categories", "coordinator_id", "outline_plan", "first_core_group_on", "next_review_on", "reasons")
CHILD_LABELS = {
    "categories": N_("Categories:"),
    "coordinator_id": N_("Co-ordinator:"),
    "outline_plan": N_("Outline plan:"),
    "core_group": N_("Core group agencies:"),
    "first_core_group_on": N_("First core group meeting:"),
    "next_review_on": N_("Next review conference:"),
    "reasons": N_("Reasons for removing the name from the register:"),
}


def coordinators(session: Any) -> list[tuple[str, str]]:
    return practitioners(session, "employed_by_social_services = 1")


class ChildDecision:
    """One child's decision at the conference."""

    def __init__(self, session: Any, person_id: str, name: str) -> None:
        self.person_id, self.name = person_id, name
        self.box = QGroupBox(name)
        self.box.setObjectName(f"decision_{person_id}")
        grid = QGridLayout(self.box)
        self.registered = QCheckBox()
        self.registered.setObjectName(f"registered_{person_id}")
        grid.addWidget(self.registered, 0, 0, 1, 2)
        self.editors: dict[str, QWidget] = self.make_editors(session)
        for editor in self.editors.values():
            if isinstance(editor, QPlainTextEdit):
                editor.setMaximumHeight(70)
        self.labels: dict[str, QLabel] = {}
        self.errors: dict[str, FieldError] = {}
        row = 1
        for key, editor in self.editors.items():
            editor.setObjectName(f"{key}_{person_id}")
            self.labels[key] = QLabel()
            self.labels[key].setBuddy(editor)
            self.errors[key] = FieldError()
            self.errors[key].setObjectName(f"error_{key}_{person_id}")
            grid.addWidget(self.labels[key], row, 0)
            grid.addWidget(editor, row, 1)
            grid.addWidget(self.errors[key], row + 1, 1)
            row += 2

    def make_editors(self, session: Any) -> dict[str, QWidget]:
        return {
            "categories": categories_list(),
            "coordinator_id": people_combo(coordinators(session), N_("None named")),
            "outline_plan": QPlainTextEdit(),
            "core_group": agency_list(session),
            "first_core_group_on": date_edit(None),
            "next_review_on": date_edit(None),
        }

    def check_text(self) -> str:
        # L10N: {name} is the child's name.
        return _("Place {name}'s name on the child protection register").format(name=self.name)

    def applies(self) -> bool:
        """Whether the per-child fields matter (registered; at a review, de-registered for reasons)."""
        return self.registered.isChecked()

    def retranslate(self) -> None:
        self.registered.setText(self.check_text())
        self.registered.setAccessibleName(self.registered.text())
        for key, label in self.labels.items():
            label.setText(_(CHILD_LABELS[key]))
            # L10N: a field of one child's decision, e.g. "Categories: Elis Jones".
            self.editors[key].setAccessibleName(
                _("{what}: {name}").format(what=_(CHILD_LABELS[key]).rstrip(":"), name=self.name))
            self.errors[key].retranslate()
        for editor in self.editors.values():
            if isinstance(editor, CheckList):
                editor.retranslate()
            elif isinstance(editor, QComboBox):
                relabel(editor)

    def decision(self) -> dict[str, Any]:
        e = self.editors
        return {
            "person_id": self.person_id, "registered": self.registered.isChecked(),
            "categories": e["categories"].values(), "coordinator_id": e["coordinator_id"].currentData(),
            "outline_plan": e["outline_plan"].toPlainText().strip(),
            "core_group": [{"agency_id": a} for a in e["core_group"].values()],
            "first_core_group_on": iso(e["first_core_group_on"]), "next_review_on": iso(e["next_review_on"]),
        }

    def raw(self) -> dict[str, Any]:
        return {"registered": self.registered.isChecked(), **{k: value_of(e) for k, e in self.editors.items()}}

    def restore(self, data: dict[str, Any]) -> None:
        self.registered.setChecked(bool(data.get("registered")))
        for key, editor in self.editors.items():
            if key in data:
                set_value(editor, data[key])

    def widgets(self) -> list[QWidget]:
        return [self.registered, *self.editors.values()]

    def clear_errors(self) -> None:
        for error in self.errors.values():
            error.clear()


class InitialConferenceDialog(StepDialog):
    DRAFT_FORM = "cp_initial_conference"
    TITLE = N_("Hold the initial child protection conference")
    KIND = "initial"
    DECISION = ChildDecision

    def __init__(self, session: Any, case_id: str, parent: QWidget | None = None) -> None:
        super().__init__(session, case_id, parent)
        self.setObjectName(f"cp_{self.KIND}_conference_dialog")

    def build(self) -> None:
        self.service = ConferenceService(self.session)
        f = self.form
        self.conference = f.add("conference_id", N_("Conference:"), QComboBox())
        self._convened = self.session.store.rows(
            "SELECT id, scheduled_on FROM cp_conference WHERE case_id = ? AND kind = ? AND status = 'convened'"
            " AND deleted = 0 ORDER BY scheduled_on", [self.case_id, self.KIND])
        for c in self._convened:
            self.conference.addItem(show_date(c["scheduled_on"]), c["id"])
        self.conference.addItem("", "")  # a new conference, convened now
        self.held_on = f.add("held_on", N_("Date held:"), date_edit(self.session.today().isoformat()))
        self.chair = f.add("chair_id", N_("Chair:"), people_combo(practitioners(self.session), N_("Not recorded")))
        self.attendance = f.add("attendance", N_("Agencies present:"), agency_list(self.session))
        self.discretion = f.add("quorum_discretion", N_("The chair used their discretion: only 2 agencies present"),
                                QCheckBox())
        self.discretion_reason = f.add("discretion_reason", N_("Reason for the chair's discretion:"), QLineEdit())
        self.participation = f.add("child_participation", N_("How the children took part:"), QPlainTextEdit())
        self.dissent = f.add("dissent", N_("Dissent recorded:"), QPlainTextEdit())
        for editor in (self.participation, self.dissent):
            editor.setMaximumHeight(60)
        self.build_more()
        self.decisions = [self.DECISION(self.session, pid, name)
                          for pid, name in children_of(self.session, self.case_id)]
        self.below += [d.box for d in self.decisions]

    def build_more(self) -> None:
        """Rows only a review conference has."""

    def retranslate_more(self) -> None:
        self.conference.setItemText(self.conference.count() - 1, _("A new conference (convened today)"))
        for d in self.decisions:
            d.retranslate()

    def more_editors(self) -> list[QWidget]:
        return [w for d in self.decisions for w in d.widgets()]

    def raw_more(self) -> dict[str, Any]:
        return {"children": {d.person_id: d.raw() for d in self.decisions}}

    def restore_more(self, data: dict[str, Any]) -> None:
        for d in self.decisions:
            d.restore((data.get("children") or {}).get(d.person_id) or {})

    def show_error(self, exc: BaseException) -> None:
        for d in self.decisions:
            d.clear_errors()
        field = exc.field if isinstance(exc, ValidationError) else None
        if field in CHILD_FIELDS and self.decisions:
            self.form.clear_errors()
            self._child_for(field).errors[field].show_error(exc if isinstance(exc, DiogelError) else None)
            return
        super().show_error(exc)

    def _child_for(self, field: str) -> ChildDecision:
        """The child whose decision the refusal is about: the first one that decision applies to with
        that field empty (a date: typed), else the first that it applies to."""
        applies = [d for d in self.decisions if d.applies()] or self.decisions
        for d in applies:
            if field.endswith("_on") and d.editors[field].text().strip():
                return d
            if not field.endswith("_on") and not d.decision().get(field):
                return d
        return applies[0]

    def kwargs(self) -> dict[str, Any]:
        return {"decisions": [d.decision() for d in self.decisions]}

    def submit(self) -> dict[str, Any]:
        conference_id = self.conference.currentData()
        held = iso(self.held_on)
        if not conference_id:
            conf = self.service.convene(self.case_id, kind=self.KIND, scheduled_on=held or "",
                                        invitees=[], chair_id=self.chair.currentData())
            conference_id = conf["id"]
            # Held or refused, the conference now exists: saving again uses it.
            self.conference.insertItem(0, from_iso(conf["scheduled_on"]), conference_id)
            self.conference.setCurrentIndex(0)
        hold = self.service.hold_initial if self.KIND == "initial" else self.service.hold_review
        return hold(
            conference_id, held_on=held, attendance=[{"agency_id": a} for a in self.attendance.values()],
            quorum_discretion=self.discretion.isChecked(), discretion_reason=self.discretion_reason.text(),
            child_participation=self.participation.toPlainText(), dissent=self.dissent.toPlainText(),
            chair_id=self.chair.currentData(), **self.kwargs())


class ReviewDecision(ChildDecision):
    """One child's decision at a review conference: stay on the register (categories ticked replace the
    current ones; none ticked keeps them) or have their name removed, with the reasons."""

    def make_editors(self, session: Any) -> dict[str, QWidget]:
        return {
            "reasons": QPlainTextEdit(),
            "categories": categories_list(),
            "coordinator_id": people_combo(coordinators(session), N_("No change")),
            "next_review_on": date_edit(None),
        }

    def check_text(self) -> str:
        # L10N: {name} is the child's name.
        return _("Remove {name}'s name from the child protection register").format(name=self.name)

    def applies(self) -> bool:
        return True

    def decision(self) -> dict[str, Any]:
        e = self.editors
        return {"person_id": self.person_id, "deregister": self.registered.isChecked(),
                "reasons": e["reasons"].toPlainText().strip(),
                "categories": e["categories"].values() or None, "coordinator_id": e["coordinator_id"].currentData(),
                "next_review_on": iso(e["next_review_on"])}


class ReviewConferenceDialog(InitialConferenceDialog):
    """A review conference (C12): as the initial one, with the co-ordinator's report, and per child
    continue or de-register (N12 to the core group agencies and the family)."""

    DRAFT_FORM = "cp_review_conference"
    TITLE = N_("Hold a review child protection conference")
    KIND = "review"
    DECISION = ReviewDecision

    def build_more(self) -> None:
        self.report = self.form.add("report", N_("The co-ordinator's report:"), QPlainTextEdit())
        self.report.setMaximumHeight(90)

    def _child_for(self, field: str) -> ChildDecision:
        if field == "reasons":
            return next((d for d in self.decisions if d.registered.isChecked() and not d.decision()["reasons"]),
                        self.decisions[0])
        return super()._child_for(field)

    def kwargs(self) -> dict[str, Any]:
        return {**super().kwargs(), "report": self.report.toPlainText()}
