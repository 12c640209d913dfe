"""Child in Need forms: the assessment (start, who was spoken to, completion), the Child in Need plan
(start, outcomes, actions with an owner) and review meetings. GUI thread only; each calls
:class:`desktop.services.children.ChildInNeedService` once and shows a refusal beside its field."""

from __future__ import annotations

from typing import Any

from desktop.i18n import N_, _
from desktop.services.children import ChildInNeedService
from desktop.services.children.codes import (
    ASSESSMENT_CONCLUSIONS,
    CHILD_PARTICIPATION,
    CIN_REVIEW_DECISIONS,
    CONTACT_KINDS,
    NEED_CATEGORIES,
    PROCEEDINGS_KINDS,
    PROCEEDINGS_OUTCOMES,
    PROCEEDINGS_STAGES,
    label,
)
from ui.children.child_form import ChildForm
from ui.formatting import show_date
from ui.forms import Field

OWNER_KINDS = {"person": N_("Family member"), "practitioner": N_("Practitioner"), "agency": N_("Agency")}


def _lines(value: str | None) -> list[str]:
    return [line.strip() for line in (value or "").splitlines() if line.strip()]


class StartAssessmentDialog(ChildForm):
    OBJECT_NAME = "start_assessment_dialog"
    TITLE = N_("Start an assessment")
    FIELDS = [Field("started_on", "date", N_("Date started:"))]

    def submit(self, values: dict[str, Any]) -> dict[str, Any]:
        return ChildInNeedService(self.session).start_assessment(
            self.case_id, self.person_id, started_on=values["started_on"] or "")


class ContactDialog(ChildForm):
    """Who was spoken to for the assessment (``assessment_id`` in the context)."""

    OBJECT_NAME = "assessment_contact_dialog"
    TITLE = N_("Record who was spoken to")
    FIELDS = [
        Field("kind", "choice", N_("Who:"), CONTACT_KINDS),
        Field("name", "text", N_("Name:")),
        Field("spoken_on", "date", N_("Date spoken to:")),
        Field("method", "text", N_("How (visit, phone, video):")),
        Field("summary", "long", N_("What they said:")),
    ]

    def submit(self, values: dict[str, Any]) -> dict[str, Any]:
        return ChildInNeedService(self.session).record_contact(
            self.context["assessment_id"], kind=values["kind"], spoken_on=values["spoken_on"] or "",
            name=values["name"], method=values["method"], summary=values["summary"])


class CompleteAssessmentDialog(ChildForm):
    OBJECT_NAME = "complete_assessment_dialog"
    TITLE = N_("Complete the assessment")
    FIELDS = [
        Field("findings", "long", N_("Findings:")),
        Field("conclusion", "optional", N_("Conclusion:"), ASSESSMENT_CONCLUSIONS),
        Field("need_category", "optional", N_("Category of need:"), NEED_CATEGORIES),
        Field("completed_on", "date", N_("Date completed:")),
    ]

    def submit(self, values: dict[str, Any]) -> dict[str, Any]:
        return ChildInNeedService(self.session).complete_assessment(
            self.context["assessment_id"], findings=values["findings"] or "", conclusion=values["conclusion"],
            need_category=values["need_category"], completed_on=values["completed_on"])


class StartPlanDialog(ChildForm):
    OBJECT_NAME = "start_cin_plan_dialog"
    TITLE = N_("Start a Child in Need plan")
    FIELDS = [
        Field("started_on", "date", N_("Date started:")),
        Field("review_arrangements", "long", N_("Review arrangements:")),
        Field("next_review_on", "date", N_("Next review:")),
    ]

    def submit(self, values: dict[str, Any]) -> dict[str, Any]:
        return ChildInNeedService(self.session).start_plan(
            self.case_id, self.person_id, started_on=values["started_on"],
            assessment_id=self.context.get("assessment_id"), review_arrangements=values["review_arrangements"],
            next_review_on=values["next_review_on"])


class OutcomeDialog(ChildForm):
    OBJECT_NAME = "cin_outcome_dialog"
    TITLE = N_("Add an outcome")
    FIELDS = [
        Field("description", "long", N_("Outcome for the child:")),
        Field("measure", "text", N_("How we will know:")),
    ]

    def submit(self, values: dict[str, Any]) -> dict[str, Any]:
        return ChildInNeedService(self.session).add_outcome(
            self.context["plan_id"], description=values["description"] or "", measure=values["measure"])


class ActionDialog(ChildForm):
    """An action of the plan; refused beside "Owner" without one."""

    OBJECT_NAME = "cin_action_dialog"
    TITLE = N_("Add an action")
    FIELDS = [
        Field("description", "long", N_("Action:")),
        Field("owner_kind", "choice", N_("Owner is a:"), OWNER_KINDS),
        Field("owner", "text", N_("Owner:")),
        Field("outcome_id", "items", N_("For the outcome:")),
        Field("due_on", "date", N_("Due by:")),
    ]

    def items(self, name: str) -> list[tuple[Any, str]]:
        plan = ChildInNeedService(self.session).plan(self.context["plan_id"])
        return [(None, ""), *((o["id"], o["description"]) for o in plan["outcomes"])]

    def submit(self, values: dict[str, Any]) -> dict[str, Any]:
        return ChildInNeedService(self.session).add_action(
            self.context["plan_id"], description=values["description"] or "", owner_kind=values["owner_kind"],
            owner_name=values["owner"], outcome_id=values["outcome_id"], due_on=values["due_on"])


class CinReviewDialog(ChildForm):
    """A review meeting of the plan: family and professionals invited, one name a line."""

    OBJECT_NAME = "cin_review_dialog"
    TITLE = N_("Record a review meeting")
    ALIASES = {"attendees": "professionals"}
    FIELDS = [
        Field("held_on", "date", N_("Date held:")),
        Field("child_participation", "optional", N_("How the child took part:"), CHILD_PARTICIPATION),
        Field("family", "long", N_("Family invited (one name a line):")),
        Field("professionals", "long", N_("Professionals invited (one name a line):")),
        Field("decision", "optional", N_("Decision:"), CIN_REVIEW_DECISIONS),
        Field("next_review_on", "date", N_("Next review:")),
        Field("summary", "long", N_("Summary:")),
    ]

    def submit(self, values: dict[str, Any]) -> dict[str, Any]:
        attendees = [{"kind": "family", "name": n} for n in _lines(values["family"])]
        attendees += [{"kind": "professional", "name": n} for n in _lines(values["professionals"])]
        return ChildInNeedService(self.session).record_review(
            self.context["plan_id"], held_on=values["held_on"] or "",
            child_participation=values["child_participation"], attendees=attendees, decision=values["decision"],
            summary=values["summary"], next_review_on=values["next_review_on"])


class IcpcRequestDialog(ChildForm):
    """Escalation: ask for an initial child protection conference; the child protection journey
    (strategy discussion, section 47, conference) then starts on the same case."""

    OBJECT_NAME = "icpc_request_dialog"
    TITLE = N_("Request an initial child protection conference")
    FIELDS = [
        Field("requested_on", "date", N_("Date requested:")),
        Field("reason", "long", N_("Why a conference is needed:")),
    ]

    def submit(self, values: dict[str, Any]) -> dict[str, Any]:
        return ChildInNeedService(self.session).request_icpc(
            self.case_id, reason=values["reason"] or "", child_ids=[self.person_id],
            requested_on=values["requested_on"])


class ProceedingsDialog(ChildForm):
    """Pre-proceedings or care proceedings started for the child, at a stage, on a date."""

    OBJECT_NAME = "proceedings_dialog"
    TITLE = N_("Proceedings")
    FIELDS = [
        Field("kind", "choice", N_("Proceedings:"), PROCEEDINGS_KINDS),
        Field("stage", "choice", N_("Stage reached:"), [s for stages in PROCEEDINGS_STAGES.values() for s in stages]),
        Field("started_on", "date", N_("Started on:")),
        Field("court", "text", N_("Court:")),
    ]

    def submit(self, values: dict[str, Any]) -> dict[str, Any]:
        return ChildInNeedService(self.session).start_proceedings(
            self.case_id, self.person_id, kind=values["kind"], stage=values["stage"],
            started_on=values["started_on"] or "", court=values["court"])


class _OpenProceedingsForm(ChildForm):
    """A form about one of the child's open proceedings (of :attr:`KINDS`), chosen in ``proceedings_id``."""

    KINDS: tuple[str, ...] = tuple(PROCEEDINGS_STAGES)

    def items(self, name: str) -> list[tuple[str, str]]:
        if name != "proceedings_id":
            return []
        self.open_proceedings = {p["id"]: p for p in ChildInNeedService(self.session).proceedings(self.case_id)
                                 if p["person_id"] == self.person_id and not p["ended_on"] and p["kind"] in self.KINDS}
        return [(p["id"], p["kind"]) for p in self.open_proceedings.values()]

    def retranslate_more(self) -> None:
        super().retranslate_more()
        combo = self.widgets["proceedings_id"]
        for i in range(combo.count()):
            p = self.open_proceedings[combo.itemData(i)]
            # L10N: an open set of proceedings, e.g. "Care proceedings: Application issued (19/10/2026)".
            combo.setItemText(i, _("{kind}: {stage} ({date})").format(
                kind=label(p["kind"]), stage=label(p["stage"]), date=show_date(p["stage_on"])))


class ProceedingsStageDialog(_OpenProceedingsForm):
    """Open proceedings of the child moved to a later stage on a date; "concluded" with its outcome
    ends them. The stages offered are those of the proceedings chosen."""

    OBJECT_NAME = "proceedings_stage_dialog"
    TITLE = N_("Next stage of proceedings")
    FIELDS = [
        Field("proceedings_id", "items", N_("Proceedings:")),
        Field("stage", "items", N_("Stage reached:")),
        Field("on_date", "date", N_("Date:")),
        Field("outcome", "optional", N_("Outcome (when concluded):"), PROCEEDINGS_OUTCOMES),
        Field("note", "long", N_("Note:")),
    ]

    def prepare(self) -> None:
        self.widgets["proceedings_id"].currentIndexChanged.connect(lambda _i: self._fill_stages())

    def retranslate_more(self) -> None:
        super().retranslate_more()
        self._fill_stages()

    def _fill_stages(self) -> None:
        chosen = self.open_proceedings.get(self.widgets["proceedings_id"].currentData())
        combo = self.widgets["stage"]
        keep = combo.currentData()
        combo.clear()
        if chosen is None:
            return
        stages = list(PROCEEDINGS_STAGES[chosen["kind"]].items())
        # Only the stages after the one reached (a stage may be repeated, e.g. a further hearing).
        codes = [code for code, _msgid in stages]
        for code, msgid in stages[codes.index(chosen["stage"]):] if chosen["stage"] in codes else stages:
            combo.addItem(_(msgid), code)
        combo.setCurrentIndex(max(0, combo.findData(keep)))

    def submit(self, values: dict[str, Any]) -> dict[str, Any]:
        return ChildInNeedService(self.session).proceedings_stage(
            values["proceedings_id"] or "", stage=values["stage"] or "", on_date=values["on_date"] or "",
            outcome=values["outcome"], note=values["note"])


class ProceedingsExtensionDialog(_OpenProceedingsForm):
    """The court extended the time limit of the child's open care proceedings (Children Act 1989 s.32(5)):
    when, until when and why. My work's due date follows the extension."""

    OBJECT_NAME = "proceedings_extension_dialog"
    TITLE = N_("The court extended the time limit")
    FIELDS = [
        Field("proceedings_id", "items", N_("Proceedings:")),
        Field("granted_on", "date", N_("Extension granted on:")),
        Field("extended_to", "date", N_("Extended to:")),
        Field("reason", "long", N_("Why the court extended it:")),
    ]
    KINDS = ("care_proceedings",)

    def submit(self, values: dict[str, Any]) -> dict[str, Any]:
        return ChildInNeedService(self.session).extend_proceedings(
            values["proceedings_id"] or "", granted_on=values["granted_on"] or "",
            extended_to=values["extended_to"] or "", reason=values["reason"] or "")
