"""Children in Care forms: statutory visit, looked-after review chaired by the independent reviewing
officer, placement plan, health event, permanence plan and permanence achieved, and the child's voice.
GUI thread only; each calls one children service once and shows a refusal beside its field."""

from __future__ import annotations

from typing import Any

from desktop.errors import ValidationError
from desktop.i18n import N_
from desktop.services.children import LookedAfterService, PermanenceService, PlacementService, VoiceService
from desktop.services.children.codes import (
    CHILD_PARTICIPATION,
    HEALTH_KINDS,
    LEGAL_STATUSES,
    PERMANENCE_ROUTES,
    VOICE_KINDS,
)
from desktop.services.children.looked_after import open_episode
from desktop.services.directory import DirectoryService
from ui.children.child_form import ChildForm
from ui.formatting import from_iso
from ui.forms import Field

VOICE_LANGUAGES = {"cy": N_("Welsh"), "en": N_("English"), "other": N_("Another language")}



def staff(session: Any) -> list[tuple[Any, str]]:
    """Social services staff to choose from, after an empty first choice."""
    return [(None, ""), *((p.id, p.name) for p in DirectoryService(session).practitioners(social_services_only=True))]

class VisitDialog(ChildForm):
    OBJECT_NAME = "lac_visit_dialog"
    TITLE = N_("Record a statutory visit")
    FIELDS = [
        Field("visited_on", "date", N_("Date of the visit:")),
        Field("seen", "check", N_("The child was seen")),
        Field("seen_alone", "check", N_("The child was seen alone")),
        Field("location", "text", N_("Where:")),
        Field("notes", "long", N_("Notes:")),
    ]

    def submit(self, values: dict[str, Any]) -> dict[str, Any]:
        return LookedAfterService(self.session).record_visit(
            self.case_id, self.person_id, visited_on=values["visited_on"] or "", seen=values["seen"],
            seen_alone=values["seen_alone"], location=values["location"], notes=values["notes"])


class LacReviewDialog(ChildForm):
    """A looked-after review; refused beside "Chair" unless the chair is the child's IRO that day."""

    OBJECT_NAME = "lac_review_dialog"
    TITLE = N_("Record a looked-after review")
    FIELDS = [
        Field("held_on", "date", N_("Date held:")),
        Field("chair_id", "items", N_("Chair:")),
        Field("child_seen_privately", "check", N_("The Independent Reviewing Officer spoke to the child in private")),
        Field("child_participation", "optional", N_("How the child took part:"), CHILD_PARTICIPATION),
        Field("decisions", "long", N_("Decisions:")),
        Field("next_review_on", "date", N_("Next review:")),
    ]

    def items(self, name: str) -> list[tuple[Any, str]]:
        return staff(self.session)

    def read(self) -> str | None:
        """Worker thread: the child's Independent Reviewing Officer today (the chair to begin with)."""
        return LookedAfterService(self.session).iro_on(self.case_id, self.session.today().isoformat())

    def prepare(self) -> None:
        iro = self.opening.more if self.opening is not None else None
        if iro:
            self.set_value("chair_id", iro)

    def submit(self, values: dict[str, Any]) -> dict[str, Any]:
        return LookedAfterService(self.session).record_review(
            self.case_id, self.person_id, held_on=values["held_on"] or "", chair_id=values["chair_id"] or "",
            child_seen_privately=values["child_seen_privately"], child_participation=values["child_participation"],
            decisions=values["decisions"], next_review_on=values["next_review_on"])


class PlacementPlanDialog(ChildForm):
    """The placement plan of the current placement (``placement_id`` in the context); a signed plan
    needs its signatory (refused beside "Signed by")."""

    OBJECT_NAME = "placement_plan_dialog"
    TITLE = N_("Placement plan")
    FIELDS = [
        Field("prepared_on", "date", N_("Date prepared:")),
        Field("signed_on", "date", N_("Date signed:")),
        Field("signed_by", "text", N_("Signed by:")),
        Field("iro_informed_on", "date", N_("Independent Reviewing Officer told on:")),
    ]

    def submit(self, values: dict[str, Any]) -> dict[str, Any]:
        return PlacementService(self.session).record_plan(
            self.context["placement_id"], prepared_on=values["prepared_on"] or "", signed_on=values["signed_on"],
            signed_by=values["signed_by"], iro_informed_on=values["iro_informed_on"])


class HealthDialog(ChildForm):
    OBJECT_NAME = "lac_health_dialog"
    TITLE = N_("Record a health event")
    FIELDS = [
        Field("kind", "optional", N_("What happened:"), HEALTH_KINDS),
        Field("on_date", "date", N_("Date:")),
        Field("provider", "text", N_("GP practice, dentist or clinician:")),
        Field("notes", "long", N_("Notes:")),
    ]

    def submit(self, values: dict[str, Any]) -> dict[str, Any]:
        return LookedAfterService(self.session).record_health(
            self.case_id, self.person_id, kind=values["kind"] or "", on_date=values["on_date"] or "",
            provider=values["provider"], notes=values["notes"])


class PermanenceDialog(ChildForm):
    OBJECT_NAME = "permanence_plan_dialog"
    TITLE = N_("Permanence plan")
    FIELDS = [
        Field("route", "optional", N_("Route to permanence:"), PERMANENCE_ROUTES),
        Field("decided_on", "date", N_("Date decided:")),
        Field("target_on", "date", N_("Target date:")),
        Field("notes", "long", N_("Notes:")),
    ]

    def prepare(self) -> None:
        plan = self.context.get("plan")
        if plan:
            self.set_value("route", plan["route"])
            self.set_value("decided_on", from_iso(plan["decided_on"]))
            self.set_value("target_on", from_iso(plan["target_on"]))
            self.set_value("notes", plan["notes"])

    def submit(self, values: dict[str, Any]) -> dict[str, Any]:
        return PermanenceService(self.session).set_plan(
            self.case_id, self.person_id, route=values["route"] or "", decided_on=values["decided_on"] or "",
            target_on=values["target_on"], notes=values["notes"])


class PermanenceAchievedDialog(ChildForm):
    OBJECT_NAME = "permanence_achieved_dialog"
    TITLE = N_("Permanence achieved")
    FIELDS = [Field("achieved_on", "date", N_("Date achieved:"))]

    def submit(self, values: dict[str, Any]) -> dict[str, Any]:
        return PermanenceService(self.session).achieved(self.context["plan_id"],
                                                        achieved_on=values["achieved_on"] or "")


class VoiceDialog(ChildForm):
    OBJECT_NAME = "child_voice_dialog"
    TITLE = N_("The child's voice")
    FIELDS = [
        Field("kind", "choice", N_("Kind:"), VOICE_KINDS),
        Field("recorded_on", "date", N_("Date:")),
        Field("content", "long", N_("What the child said or did:")),
        Field("method", "text", N_("How (conversation, drawing, app):")),
        Field("language", "optional", N_("Language the child used:"), VOICE_LANGUAGES),
    ]

    def submit(self, values: dict[str, Any]) -> dict[str, Any]:
        return VoiceService(self.session).record(
            self.case_id, self.person_id, kind=values["kind"], recorded_on=values["recorded_on"] or "",
            content=values["content"] or "", method=values["method"], language=values["language"])


__all__ = ["HealthDialog", "LacReviewDialog", "PermanenceAchievedDialog", "PermanenceDialog", "PlacementPlanDialog",
           "VisitDialog", "VoiceDialog"]


class PepDialog(ChildForm):
    """A personal education plan (part of the care and support plan), with the IDP inside it."""

    OBJECT_NAME = "pep_dialog"
    TITLE = N_("Personal education plan")
    FIELDS = [
        Field("on_date", "date", N_("Date of the plan:")),
        Field("school", "text", N_("School:")),
        Field("idp_included", "check", N_("The individual development plan is part of it")),
        Field("notes", "long", N_("Notes:")),
    ]

    def submit(self, values: dict[str, Any]) -> dict[str, Any]:
        return LookedAfterService(self.session).record_pep(
            self.case_id, self.person_id, on_date=values["on_date"] or "", school=values["school"],
            idp_included=values["idp_included"], notes=values["notes"])


class SchoolChangeDialog(ChildForm):
    """The child started at a new school: the personal education plan is due again from that day (L10)."""

    OBJECT_NAME = "school_change_dialog"
    TITLE = N_("Change of school")
    FIELDS = [
        Field("school", "text", N_("New school:")),
        Field("started_on", "date", N_("Started there on:"),
              help=N_("A personal education plan is due again from this day.")),
    ]

    def submit(self, values: dict[str, Any]) -> dict[str, Any]:
        return LookedAfterService(self.session).record_school_change(
            self.case_id, self.person_id, school=values["school"] or "", started_on=values["started_on"] or "")


class LegalStatusDialog(ChildForm):
    """A change of the looked-after child's legal status (the history is kept)."""

    OBJECT_NAME = "legal_status_dialog"
    TITLE = N_("Change of legal status")
    FIELDS = [
        Field("legal_status", "choice", N_("Legal status:"), list(LEGAL_STATUSES)),
        Field("from_date", "date", N_("From:")),
        Field("note", "long", N_("Notes:")),
    ]

    def submit(self, values: dict[str, Any]) -> dict[str, Any]:
        episode = open_episode(self.session.store, self.person_id)
        if episode is None:
            raise ValidationError(N_("This child is not looked after: record when they became looked after first."),
                                  field="legal_status")
        return LookedAfterService(self.session).change_legal_status(
            episode["id"], legal_status=values["legal_status"], from_date=values["from_date"] or "",
            note=values["note"])


class AssignIroDialog(ChildForm):
    """Name the child's independent reviewing officer (managers), who chairs the looked-after reviews."""

    OBJECT_NAME = "assign_iro_dialog"
    TITLE = N_("Independent Reviewing Officer")
    FIELDS = [
        Field("practitioner_id", "items", N_("Independent Reviewing Officer:")),
        Field("from_date", "date", N_("From:")),
    ]

    def items(self, name: str) -> list[tuple[Any, str]]:
        return staff(self.session)

    def submit(self, values: dict[str, Any]) -> dict[str, Any]:
        return LookedAfterService(self.session).assign_iro(self.case_id, values["practitioner_id"] or "",
                                                           from_date=values["from_date"])


class CarePlanDialog(ChildForm):
    """The looked-after child's care and support plan, prepared or revised (the first one meets L1)."""

    OBJECT_NAME = "care_plan_dialog"
    TITLE = N_("Care and support plan")
    FIELDS = [
        Field("prepared_on", "date", N_("Date prepared:")),
        Field("summary", "long", N_("Summary:")),
    ]

    def submit(self, values: dict[str, Any]) -> dict[str, Any]:
        return LookedAfterService(self.session).record_care_plan(
            self.case_id, self.person_id, prepared_on=values["prepared_on"] or "", summary=values["summary"])
