"""Holding a child protection conference: the initial one (C6/C13/C14) and a review (C12/C15/C16).

The conference: attendance by agency (quorum: 3, or 2 with the chair's recorded discretion and reason),
the chair, how the children took part and any dissent (a review also needs the co-ordinator's report);
then, in a block per child inside the form's scroll area, that child's decision — at an initial
conference whether their name goes on the register, the categories, the co-ordinator, the outline plan,
the core group agencies, the first core group and the next review; at a review whether their name is
removed (with the reasons) or, staying, new categories, a new co-ordinator and the next review. One call
to :meth:`ConferenceService.hold_initial` / :meth:`ConferenceService.hold_review` (register entries,
core group, outline plan and letters in one transaction).

The conference is one already convened, or "a new conference": it is then convened on the day it is
held (no invitations) just before it is recorded as held. A refusal about one child's decision
(categories, co-ordinator, outline plan, dates, reasons) is shown in that child's block.
"""

from __future__ import annotations

from typing import Any, ClassVar

from PySide6.QtWidgets import QVBoxLayout, QWidget

from desktop.errors import DiogelError, ValidationError
from desktop.i18n import N_, _
from desktop.services.child_protection import ConferenceService
from desktop.services.child_protection.codes import CATEGORY_LABELS
from ui.child_protection.child_block import ChildBlock
from ui.child_protection.cp_form import CpForm, agencies, staff
from ui.formatting import show_date
from ui.forms import Field
from ui.widgets import FieldError

INITIAL_CHILD = [
    Field("registered", "check", N_("Place {name}'s name on the child protection register")),
    Field("categories", "checks", N_("Categories:"), CATEGORY_LABELS),
    Field("coordinator_id", "optional", N_("Co-ordinator:")),
    Field("outline_plan", "long", N_("Outline plan:")),
    Field("outline_plan_cy", "long", N_("In Welsh (optional):"),
          help=N_("A Welsh or bilingual letter quoting this waits in the print queue until it is in Welsh.")),
    Field("core_group", "checks", N_("Core group agencies:")),
    Field("first_core_group_on", "date", N_("First core group meeting:")),
    Field("next_review_on", "date", N_("Next review conference:")),
]
REVIEW_CHILD = [
    Field("deregister", "check", N_("Remove {name}'s name from the child protection register")),
    Field("reasons", "long", N_("Reasons for removing the name from the register:")),
    Field("reasons_cy", "long", N_("In Welsh (optional):"),
          help=N_("A Welsh or bilingual letter quoting this waits in the print queue until it is in Welsh.")),
    Field("categories", "checks", N_("Categories:"), CATEGORY_LABELS,
          help=N_("Tick the categories from now on; tick none to keep the current ones.")),
    Field("coordinator_id", "optional", N_("Co-ordinator:")),
    Field("next_review_on", "date", N_("Next review conference:")),
]
CHILD_FIELDS = {"categories", "coordinator_id", "outline_plan", "outline_plan_cy", "first_core_group_on",
                "next_review_on", "reasons", "reasons_cy"}
"""The service's field names that are about one child's decision."""

CONFERENCE_FIELDS = [
    Field("conference_id", "items", N_("Conference:")),
    Field("held_on", "date", N_("Date held:")),
    Field("chair_id", "optional", N_("Chair:")),
    Field("attendance", "checks", N_("Agencies present:")),
    Field("quorum_discretion", "check", N_("The chair used their discretion: only 2 agencies present")),
    Field("discretion_reason", "text", N_("Reason for the chair's discretion:")),
    Field("child_participation", "long", N_("How the children took part:")),
    Field("dissent", "long", N_("Dissent recorded:")),
]


class InitialConferenceDialog(CpForm):
    OBJECT_NAME = "cp_initial_conference_dialog"
    TITLE = N_("Hold the initial child protection conference")
    KIND = "initial"
    FIELDS = CONFERENCE_FIELDS
    TODAY = ("held_on",)
    BLANKS = {"chair_id": N_("Not recorded")}
    CHILD: ClassVar[list[Field]] = INITIAL_CHILD
    CHILD_BLANKS: ClassVar[dict[str, str]] = {"coordinator_id": N_("None named")}
    LISTS = ("children", "coordinator_id", "core_group")  # each child's block lists these

    def build(self) -> None:
        self.service = ConferenceService(self.session)
        self.just_convened: dict[str, Any] | None = None  # set by submit (a worker), shown by after_answer
        self.decisions = [ChildBlock(pid, name, self.CHILD, self.listed, checks_per_row=1, blanks=self.CHILD_BLANKS)
                          for pid, name in self.listed("children")]
        section = QWidget()
        box = QVBoxLayout(section)
        box.setContentsMargins(0, 0, 0, 0)
        self.decisions_error = FieldError()  # "a decision for each child"
        self.decisions_error.setObjectName("error_decisions")
        box.addWidget(self.decisions_error)
        for d in self.decisions:
            box.addWidget(d)
        self.add_section(N_("Decisions for each child"), section)
        self.errors["decisions"], self.widgets["decisions"] = self.decisions_error, section

    def items(self, name: str) -> list[tuple[Any, str]]:
        if name == "conference_id":
            self.convened = {c["id"]: c for c in sorted(
                (c for c in ConferenceService(self.session).for_case(self.case) if c["kind"] == self.KIND and c["status"] == "convened"),
                key=lambda c: c["scheduled_on"] or "")}
            return [*((cid, "") for cid in self.convened), ("", "")]  # the last: a new conference
        if name == "chair_id":
            return staff(self.session)
        if name == "coordinator_id":
            return staff(self.session, social_services_only=True)
        if name in ("attendance", "core_group"):
            return agencies(self.session)
        return super().items(name)

    def retranslate_more(self) -> None:
        super().retranslate_more()
        combo = self.combo("conference_id")
        for i in range(combo.count()):
            cid = combo.itemData(i)
            # L10N: a conference already convened, by the day it was convened for.
            combo.setItemText(i, _("Convened for {date}").format(date=show_date(self.convened[cid]["scheduled_on"]))
                              if cid else _("A new conference (convened today)"))
        for d in self.decisions:
            d.retranslate()
        self.decisions_error.retranslate()

    def decision(self, person_id: str) -> ChildBlock:
        return next(d for d in self.decisions if d.person_id == person_id)

    # -- drafts -------------------------------------------------------------------------------
    def autosave(self, editors: list[QWidget]) -> None:
        super().autosave(editors)
        for d in self.decisions:
            d.watch(self.edited)

    def raw_more(self) -> dict[str, Any]:
        return {"children": {d.person_id: d.raw() for d in self.decisions}}

    def restore_more(self, data: dict[str, Any]) -> None:
        for d in self.decisions:
            d.restore((data.get("children") or {}).get(d.person_id) or {})

    # -- refusals -----------------------------------------------------------------------------
    def clear_errors(self) -> None:
        super().clear_errors()
        for d in self.decisions:
            d.clear_errors()

    def show_refusal(self, err: DiogelError) -> None:
        field = err.field if isinstance(err, ValidationError) else None
        if field in CHILD_FIELDS and self.decisions:
            d = self._child_for(field or "")
            if field in d.editors:
                d.show_error(field or "", err)
                self.scroller.ensureWidgetVisible(d.widget(field or ""))
                d.widget(field or "").setFocus()
                return
        super().show_refusal(err)

    def _child_for(self, field: str) -> ChildBlock:
        """The child whose decision the refusal is about (the service checks them in order and names the
        field only): the first one the field matters to with it empty (a date: typed, so wrongly), else
        the first it matters to."""
        applies = [d for d in self.decisions if self._applies(d)] or self.decisions
        for d in applies:
            if field not in d.editors:
                continue
            if field.endswith("_on") and d.editors[field].raw():
                return d
            if not field.endswith("_on") and not d.value(field):
                return d
        return applies[0]

    def _applies(self, d: ChildBlock) -> bool:
        """Whether the child's decision fields matter (at an initial conference: registered)."""
        return bool(d.value("registered"))

    # -- saving -------------------------------------------------------------------------------
    def child_decisions(self) -> list[dict[str, Any]]:
        return [{"person_id": d.person_id, "registered": d.value("registered"),
                 "categories": d.value("categories"), "coordinator_id": d.value("coordinator_id"),
                 "outline_plan": d.value("outline_plan") or "", "outline_plan_cy": d.value("outline_plan_cy") or "",
                 "core_group": [{"agency_id": a} for a in d.value("core_group")],
                 "first_core_group_on": d.value("first_core_group_on"), "next_review_on": d.value("next_review_on")}
                for d in self.decisions]

    def more_arguments(self, values: dict[str, Any]) -> dict[str, Any]:
        return {}

    def values(self) -> dict[str, Any]:
        return {**super().values(), "decisions": self.child_decisions()}

    def submit(self, values: dict[str, Any]) -> dict[str, Any]:
        conference_id = values["conference_id"]
        if not conference_id:
            conf = self.service.convene(self.case, kind=self.KIND, scheduled_on=values["held_on"] or "",
                                        invitees=[], chair_id=values["chair_id"])
            conference_id = conf["id"]
            # Held or refused, the conference now exists: saving again uses it (after_answer shows it).
            self.just_convened = conf
        hold = self.service.hold_initial if self.KIND == "initial" else self.service.hold_review
        return hold(
            conference_id, held_on=values["held_on"] or "",
            attendance=[{"agency_id": a} for a in values["attendance"]],
            quorum_discretion=values["quorum_discretion"], discretion_reason=values["discretion_reason"],
            child_participation=values["child_participation"], dissent=values["dissent"],
            chair_id=values["chair_id"], decisions=values["decisions"], **self.more_arguments(values))

    def write_draft(self, data: Any) -> None:
        conf = self.just_convened  # a draft kept after a refusal names the conference now convened
        if data is not None and conf is not None and not data.get("conference_id"):
            data = {**data, "conference_id": conf["id"]}
        super().write_draft(data)

    def after_answer(self) -> None:
        conf = self.just_convened
        if conf is not None and conf["id"] not in self.convened:
            self.convened[conf["id"]] = conf
            combo = self.combo("conference_id")
            combo.insertItem(0, "", conf["id"])
            combo.setCurrentIndex(0)
            self.retranslate_more()


class ReviewConferenceDialog(InitialConferenceDialog):
    """A review conference (C12): as the initial one, with the co-ordinator's report; for each child,
    their name removed from the register (with the reasons; N12 to the core group agencies and the
    family) or, staying on it, the categories ticked replacing the current ones (none ticked keeps them),
    a new co-ordinator if one is chosen, and the next review."""

    OBJECT_NAME = "cp_review_conference_dialog"
    TITLE = N_("Hold a review child protection conference")
    KIND = "review"
    FIELDS = [*CONFERENCE_FIELDS, Field("report", "long", N_("The co-ordinator's report:"))]
    CHILD = REVIEW_CHILD
    CHILD_BLANKS = {"coordinator_id": N_("No change")}

    def _applies(self, d: ChildBlock) -> bool:
        return True

    def _child_for(self, field: str) -> ChildBlock:
        if field == "reasons":
            return next((d for d in self.decisions if d.value("deregister") and not d.value("reasons")),
                        self.decisions[0])
        return super()._child_for(field)

    def child_decisions(self) -> list[dict[str, Any]]:
        return [{"person_id": d.person_id, "deregister": d.value("deregister"), "reasons": d.value("reasons") or "",
                 "reasons_cy": d.value("reasons_cy") or "",
                 "categories": d.value("categories") or None, "coordinator_id": d.value("coordinator_id"),
                 "next_review_on": d.value("next_review_on")} for d in self.decisions]

    def more_arguments(self, values: dict[str, Any]) -> dict[str, Any]:
        return {"report": values["report"]}
