"""The forms of the adult-at-risk steps (GUI thread): report and screening, enquiries, lead co-ordinator
and delegation, capacity and best interests, lead practitioner, advocacy, wishes, partnership, the plan
and its reviews, the conference, closure.

Each is an :class:`~ui.adults.adult_form.AdultForm` (a :class:`~ui.forms.Form`): its fields are named as
the service's arguments, so a refusal shows beside the field it names (anything else, such as "only the
lead co-ordinator can close", at the top) and nothing is saved; a fault is shown as a fault. What is typed
is kept as a draft per case. Each save is one service call of ``desktop.services.adults``, which decides
what is allowed; these forms only collect and show.
"""

from __future__ import annotations

from typing import Any

from desktop.errors import ValidationError
from desktop.i18n import N_, _
from desktop.services.adults import (
    AdvocacyService,
    CapacityService,
    ClosureService,
    ConferenceService,
    CoordinatorService,
    EnquiryService,
    LeadPractitionerService,
    PartnershipService,
    PlanService,
    ReportService,
)
from ui.adults.adult_form import AdultForm, agency_items, lines, practitioner_items
from ui.formatting import show_date
from ui.forms import Field

SOURCES = {"relevant_partner": N_("A relevant partner"), "professional": N_("Another professional"),
           "public": N_("A member of the public"), "family": N_("Family"), "anonymous": N_("Anonymous"),
           "self": N_("The adult themselves")}
CATEGORIES = {"physical": N_("Physical abuse"), "sexual": N_("Sexual abuse"),
              "emotional": N_("Emotional or psychological abuse"), "financial": N_("Financial abuse"),
              "neglect": N_("Neglect")}
SCREENING = {"nfa_a": N_("1a No further action: no abuse"),
             "nfa_b": N_("1b No further action: not abuse or neglect"),
             "nfa_c": N_("1c No further action: one-off, low risk of it happening again"),
             "enquiries": N_("2 Enquiries required (section 126)"),
             "part3": N_("3 Care and support needs: Part 3 assessment")}
DETERMINATIONS = {"1": N_("1 Immediate protection needed"),
                  "2": N_("2 Not at risk, but may have other care and support needs"),
                  "3": N_("3 At risk, and action is needed"),
                  "nfa": N_("No further action")}
CAPACITY_OUTCOMES = {"has_capacity": N_("Has capacity for this decision"),
                     "lacks_capacity": N_("Lacks capacity for this decision")}
ADVOCATES = {"independent": N_("Independent advocate"), "imca": N_("IMCA (Independent Mental Capacity Advocate)"),
             "informal": N_("Informal advocate (family or friend)")}
ANSWERS = {"": N_("Not answered yet"), "accepted": N_("Accepted"), "declined": N_("Declined")}
REVIEW_OUTCOMES = {"continue": N_("Continue the plan"), "revise": N_("Revise the plan"), "close": N_("End the plan")}
PARTICIPATION = {"attended": N_("Attended"), "advocate": N_("Represented by an advocate"),
                 "written": N_("Gave written views"), "views_via_practitioner": N_("Views given through a practitioner"),
                 "refused": N_("Refused to take part")}
DECIDED_WITH = {"strategy_group": N_("The strategy group"), "conference": N_("The adult protection conference"),
                "lead_coordinator": N_("The lead co-ordinator")}
RAG = {"": N_("Not rated"), "red": N_("Red"), "amber": N_("Amber"), "green": N_("Green")}
_WELSH_HELP = N_("A Welsh or bilingual letter quoting this waits in the print queue until it is in Welsh.")


class ReportDialog(AdultForm):
    """The report under the duty to report: who made it, the concerns, and the adult's consent or why not."""

    OBJECT_NAME = "adult_report_dialog"
    TITLE = N_("Record the report")
    TODAY = ("received_at",)
    FIELDS = [
        Field("received_at", "date", N_("Received on:")),
        Field("received_time", "time", N_("Time received (hh:mm, optional):")),
        Field("source_type", "optional", N_("Who made the report:"), SOURCES),
        Field("source_detail", "text", N_("Their name or agency:")),
        Field("concerns", "long", N_("Concerns reported:")),
        Field("categories", "checks", N_("Suspected categories:"), CATEGORIES),
        Field("consent_given", "check", N_("The adult consented to the report")),
        Field("no_consent_reason", "long", N_("Why the report was made without their consent:")),
        Field("immediate_danger", "check", N_("The adult is in immediate danger")),
        Field("police_informed", "check", N_("The police have been told")),
    ]

    def submit(self, values: dict[str, Any]) -> dict[str, Any]:
        day, time = values["received_at"] or "", values["received_time"]
        consent = values["consent_given"]
        return ReportService(self.session).record(
            self.case_id or "", received_at=f"{day}T{time}" if day and time else day,
            source_type=values["source_type"] or "", concerns=values["concerns"] or "", consent_given=consent,
            no_consent_reason=None if consent else values["no_consent_reason"], categories=values["categories"],
            source_detail=values["source_detail"], immediate_danger=values["immediate_danger"],
            police_informed=values["police_informed"])


def received_text(received_at: str) -> str:
    """When a report was received, in the interface language ("02/11/2026 at 09:30")."""
    day, _sep, time = received_at.partition("T")
    # L10N: when a report was received, e.g. "02/11/2026 at 09:30"
    return _("{date} at {time}").format(date=show_date(day), time=time[:5]) if time else show_date(day)


class ScreeningDialog(AdultForm):
    """The screening decision on a report not yet screened (the earliest to begin with)."""

    OBJECT_NAME = "adult_screening_dialog"
    TITLE = N_("Record the screening decision")
    TODAY = ("screened_on",)
    FIELDS = [
        Field("report_id", "items", N_("Report received on:")),
        Field("decision", "optional", N_("Screening decision:"), SCREENING),
        Field("screened_on", "date", N_("Decided on:")),
        Field("note", "long", N_("Reasons:")),
    ]

    def items(self, name: str) -> list[tuple[Any, str]]:
        reports = [r for r in ReportService(self.session).for_case(self.case_id or "") if not r["screening_decision"]]
        self.received = {r["id"]: str(r["received_at"]) for r in reversed(reports)}
        return [(rid, "") for rid in self.received]

    def retranslate_more(self) -> None:
        combo = self.combo("report_id")
        for i in range(combo.count()):
            combo.setItemText(i, received_text(self.received[combo.itemData(i)]))

    def submit(self, values: dict[str, Any]) -> dict[str, Any]:
        if not values["report_id"]:
            raise ValidationError(N_("Choose the report to screen; record the report first."), field="report_id")
        return ReportService(self.session).screen(values["report_id"], decision=values["decision"] or "",
                                                  screened_on=values["screened_on"], note=values["note"])


class EnquiryDialog(AdultForm):
    """The end of the section 126 enquiries and the determination."""

    OBJECT_NAME = "adult_enquiry_dialog"
    TITLE = N_("Conclude the enquiries")
    TODAY = ("concluded_on",)
    FIELDS = [
        Field("enquiry_id", "items", N_("Enquiries started on:")),
        Field("concluded_on", "date", N_("Concluded on:")),
        Field("determination", "optional", N_("Determination:"), DETERMINATIONS),
        Field("reason", "long", N_("Reasons for the determination:")),
    ]

    def items(self, name: str) -> list[tuple[Any, str]]:
        return [(e["id"], show_date(e["started_on"])) for e in EnquiryService(self.session).for_case(self.case_id or "")
                if not e["concluded_on"]]

    def submit(self, values: dict[str, Any]) -> dict[str, Any]:
        if not values["enquiry_id"]:
            raise ValidationError(N_("There are no open enquiries: screen a report as needing enquiries first."),
                                  field="enquiry_id")
        return EnquiryService(self.session).conclude(
            values["enquiry_id"], concluded_on=values["concluded_on"] or "", determination=values["determination"] or "",
            reason=values["reason"] or "")


class AppointDialog(AdultForm):
    """Appoint the lead co-ordinator (employed within social services)."""

    OBJECT_NAME = "adult_appoint_dialog"
    TITLE = N_("Appoint the lead co-ordinator")
    TODAY = ("from_date",)
    FIELDS = [
        Field("practitioner_id", "optional", N_("Lead co-ordinator:")),
        Field("from_date", "date", N_("From:")),
    ]

    def items(self, name: str) -> list[tuple[Any, str]]:
        return practitioner_items(self.session)

    def submit(self, values: dict[str, Any]) -> dict[str, Any]:
        if not values["practitioner_id"]:
            raise ValidationError(N_("Choose the lead co-ordinator."), field="practitioner_id")
        result = CoordinatorService(self.session).appoint(self.case_id or "", values["practitioner_id"],
                                                          from_date=values["from_date"])
        return dict(result["assignment"])  # the role assignment written


class DelegateDialog(AdultForm):
    """Delegate the lead co-ordinator role to another statutory partner: all four records are required."""

    OBJECT_NAME = "adult_delegate_dialog"
    TITLE = N_("Delegate the lead co-ordinator role")
    TODAY = ("decided_on",)
    FIELDS = [
        Field("delegate_id", "optional", N_("Delegated lead co-ordinator:")),
        Field("delegate_role", "long", N_("Their role and responsibilities:")),
        Field("la_monitor_id", "optional", N_("Local authority person responsible for monitoring and overview:")),
        Field("la_monitor_role", "long", N_("Their role and responsibilities (monitoring):")),
        Field("rationale", "long", N_("Rationale for delegating:")),
        Field("reporting_arrangements", "long",
              N_("Arrangements for reporting, monitoring and review by the local authority:")),
        Field("decided_on", "date", N_("Decided on:")),
    ]

    def items(self, name: str) -> list[tuple[Any, str]]:
        return practitioner_items(self.session)

    def submit(self, values: dict[str, Any]) -> dict[str, Any]:
        if not values["delegate_id"]:
            raise ValidationError(N_("Choose the practitioner the role is delegated to."), field="delegate_id")
        return CoordinatorService(self.session).delegate(
            self.case_id or "", delegate_id=values["delegate_id"], delegate_role=values["delegate_role"] or "",
            la_monitor_id=values["la_monitor_id"] or "", la_monitor_role=values["la_monitor_role"] or "",
            rationale=values["rationale"] or "", reporting_arrangements=values["reporting_arrangements"] or "",
            decided_on=values["decided_on"])


class EndDelegationDialog(AdultForm):
    """End the delegation in force: the role returns to the local authority's lead co-ordinator."""

    OBJECT_NAME = "adult_end_delegation_dialog"
    TITLE = N_("End the delegation")
    TODAY = ("ended_on",)
    FIELDS = [
        Field("ended_on", "date", N_("Ended on:")),
        Field("reason", "long", N_("Why the delegation ends:")),
    ]

    def submit(self, values: dict[str, Any]) -> dict[str, Any]:
        return CoordinatorService(self.session).end_delegation(
            self.case_id or "", ended_on=values["ended_on"] or "", reason=values["reason"] or "")


class CapacityDialog(AdultForm):
    """A decision-specific capacity assessment (assessed by the signed-in person to begin with)."""

    OBJECT_NAME = "adult_capacity_dialog"
    TITLE = N_("Record a capacity assessment")
    TODAY = ("assessed_on",)
    FIELDS = [
        Field("decision", "text", N_("The specific decision:")),
        Field("assessed_on", "date", N_("Assessed on:")),
        Field("assessor_id", "optional", N_("Assessed by:")),
        Field("outcome", "optional", N_("Outcome:"), CAPACITY_OUTCOMES),
        Field("evidence", "long", N_("Evidence:")),
        Field("review_on", "date", N_("Review by (optional):")),
    ]

    def items(self, name: str) -> list[tuple[Any, str]]:
        return practitioner_items(self.session)

    def prepare(self) -> None:
        super().prepare()
        self.set_value("assessor_id", self.session.user.id)

    def submit(self, values: dict[str, Any]) -> dict[str, Any]:
        return CapacityService(self.session).assess(
            self.case_id or "", decision=values["decision"] or "", assessed_on=values["assessed_on"] or "",
            assessor_id=values["assessor_id"] or "", outcome=values["outcome"] or "",
            evidence=values["evidence"] or "", review_on=values["review_on"])


class CapacityCorrectionDialog(CapacityDialog):
    """Correct a capacity assessment in force: chosen from the case's, its fields filled from it (read on a
    worker as the form opens), changed where it was wrong, and why. Append-only: the correction amends it."""

    OBJECT_NAME = "adult_capacity_correction_dialog"
    TITLE = N_("Correct a capacity assessment")
    TODAY = ()
    DRAFTS = False
    FIELDS = [Field("amends_id", "optional", N_("The assessment to correct:")),
              Field("amendment_reason", "long", N_("Why it is being corrected:")), *CapacityDialog.FIELDS]
    BLANKS = {"amends_id": N_("Choose…")}

    def read(self) -> dict[str, dict[str, Any]]:
        """Worker thread: the assessments in force, by id (listed by :meth:`items`, read next on the same worker)."""
        self._assessments = {a["id"]: a for a in CapacityService(self.session).for_case(self.case_id or "")["assessments"]}
        return self._assessments

    def items(self, name: str) -> list[tuple[Any, str]]:
        if name != "amends_id":
            return super().items(name)
        return [(a["id"], _("{decision} – {date}").format(decision=a["decision"], date=show_date(a["assessed_on"])))
                for a in self._assessments.values()]

    def prepare(self) -> None:
        self.combo("amends_id").currentIndexChanged.connect(self._chosen)

    def _chosen(self, *_args: Any) -> None:
        """GUI thread: the chosen assessment's fields, from what was read as the form opened."""
        found = (self.opening.more if self.opening is not None else {}).get(self.value("amends_id"))
        if found:
            for f in CapacityDialog.FIELDS:
                self.set_value(f.name, found[f.name])

    def submit(self, values: dict[str, Any]) -> dict[str, Any]:
        if not values["amends_id"]:
            raise ValidationError(N_("Choose the assessment to correct."), field="amends_id")
        return CapacityService(self.session).assess(
            self.case_id or "", decision=values["decision"] or "", assessed_on=values["assessed_on"] or "",
            assessor_id=values["assessor_id"] or "", outcome=values["outcome"] or "",
            evidence=values["evidence"] or "", review_on=values["review_on"], amends_id=values["amends_id"],
            amendment_reason=values["amendment_reason"])


class BestInterestsDialog(AdultForm):
    """A best-interests decision; the service refuses it without an assessment finding a lack of capacity."""

    OBJECT_NAME = "adult_best_interests_dialog"
    TITLE = N_("Record a best-interests decision")
    TODAY = ("decided_on",)
    FIELDS = [
        Field("assessment_id", "optional", N_("Capacity assessment:")),
        Field("decision", "long", N_("Decision made in the adult's best interests:")),
        Field("decided_on", "date", N_("Decided on:")),
        Field("consulted", "long", N_("People consulted (one a line):")),
        Field("wishes_feelings", "long", N_("The adult's wishes and feelings:")),
        Field("rationale", "long", N_("Rationale:")),
        Field("imca_instructed", "check", N_("An IMCA was instructed")),
        Field("imca_name", "text", N_("Name of the IMCA:")),
    ]
    BLANKS = {"assessment_id": N_("No capacity assessment")}

    def items(self, name: str) -> list[tuple[Any, str]]:
        # L10N: a capacity assessment to choose, e.g. "02/11/2026: Where to live"
        return [(a["id"], _("{date}: {decision}").format(date=show_date(a["assessed_on"]), decision=a["decision"]))
                for a in CapacityService(self.session).for_case(self.case_id or "")["assessments"]]

    def prepare(self) -> None:
        super().prepare()
        self._choose_latest()

    def restore_more(self, data: dict[str, Any]) -> None:
        if data.get("assessment_id") is None:  # drafted before there was one: the latest now
            self._choose_latest()

    def _choose_latest(self) -> None:
        combo = self.combo("assessment_id")
        if combo.count() > 1:
            combo.setCurrentIndex(1)

    def submit(self, values: dict[str, Any]) -> dict[str, Any]:
        return CapacityService(self.session).best_interests(
            self.case_id or "", assessment_id=values["assessment_id"], decision=values["decision"] or "",
            decided_on=values["decided_on"] or "", consulted=lines(values["consulted"]),
            wishes_feelings=values["wishes_feelings"] or "", rationale=values["rationale"] or "",
            imca_instructed=values["imca_instructed"], imca_name=values["imca_name"])


class ClosureDialog(AdultForm):
    """Close the case (the lead co-ordinator only); the agencies and the adult are written to (N17)."""

    OBJECT_NAME = "adult_closure_dialog"
    TITLE = N_("Close the case")
    TODAY = ("closed_on",)
    FIELDS = [
        Field("closed_on", "date", N_("Closed on:")),
        Field("decided_with", "optional", N_("Decision made with:"), DECIDED_WITH),
        Field("reasons", "long", N_("Reasons for ending the adult safeguarding process:")),
        Field("reasons_cy", "long", N_("In Welsh (optional):"), help=_WELSH_HELP),
        Field("outcomes_evaluation", "long", N_("How far the outcomes were achieved (optional):")),
    ]

    def submit(self, values: dict[str, Any]) -> dict[str, Any]:
        return ClosureService(self.session).close(
            self.case_id or "", closed_on=values["closed_on"] or "", reasons=values["reasons"] or "",
            decided_with=values["decided_with"] or "", outcomes_evaluation=values["outcomes_evaluation"],
            reasons_cy=values["reasons_cy"])


class LeadPractitionerDialog(AdultForm):
    """Change of lead practitioner: told verbally first, then confirmed in writing (N2)."""

    OBJECT_NAME = "adult_lead_practitioner_dialog"
    TITLE = N_("Change the lead practitioner")
    TODAY = ("effective_on", "verbal_on")
    FIELDS = [
        Field("new_id", "optional", N_("New lead practitioner:")),
        Field("new_contact", "text", N_("Their contact details (left empty: from their record):")),
        Field("effective_on", "date", N_("From:")),
        Field("verbal_to", "long", N_("Told verbally (one a line: agencies, the adult, family):")),
        Field("verbal_on", "date", N_("Told on:")),
        Field("reason", "long", N_("Reason for the change:")),
    ]

    def items(self, name: str) -> list[tuple[Any, str]]:
        return practitioner_items(self.session)

    def submit(self, values: dict[str, Any]) -> dict[str, Any]:
        if not values["new_id"]:
            raise ValidationError(N_("Choose the new lead practitioner."), field="new_id")
        return LeadPractitionerService(self.session).change(
            self.case_id or "", new_id=values["new_id"], effective_on=values["effective_on"] or "",
            verbal_to=lines(values["verbal_to"]), verbal_on=values["verbal_on"] or "", reason=values["reason"],
            new_contact=values["new_contact"])


class AdvocacyDialog(AdultForm):
    """An offer of advocacy at any stage, with the adult's answer if they have given it (one save)."""

    OBJECT_NAME = "adult_advocacy_dialog"
    TITLE = N_("Offer an advocate")
    TODAY = ("offered_on", "response_on")
    FIELDS = [
        Field("advocate_type", "optional", N_("Advocate offered:"), ADVOCATES),
        Field("offered_on", "date", N_("Offered on:")),
        Field("provider", "text", N_("Advocacy provider (optional):")),
        Field("response", "choice", N_("The adult's answer:"), ANSWERS),
        Field("response_on", "date", N_("Answered on:")),
        Field("advocate_name", "text", N_("Name of the advocate (optional):")),
    ]

    def submit(self, values: dict[str, Any]) -> dict[str, Any]:
        answered = values["response"] or None
        return AdvocacyService(self.session).offer(
            self.case_id or "", advocate_type=values["advocate_type"] or "", offered_on=values["offered_on"] or "",
            provider=values["provider"], response=answered, response_on=values["response_on"] if answered else None,
            advocate_name=values["advocate_name"] if answered else None)


class AdvocacyAnswerDialog(AdultForm):
    """The adult's answer to an earlier offer of advocacy (at the strategy meeting or later)."""

    OBJECT_NAME = "adult_advocacy_answer_dialog"
    TITLE = N_("Record the adult's answer to the offer of an advocate")
    TODAY = ("response_on",)
    FIELDS = [
        Field("advocacy_id", "items", N_("Offer:")),
        Field("response", "choice", N_("The adult's answer:"), ANSWERS),
        Field("response_on", "date", N_("Answered on:")),
        Field("advocate_name", "text", N_("Name of the advocate (optional):")),
        Field("provider", "text", N_("Advocacy provider (optional):")),
    ]

    def items(self, name: str) -> list[tuple[Any, str]]:
        self.offers = {o["id"]: o for o in AdvocacyService(self.session).for_case(self.case_id or "")
                       if o["response"] == "awaiting"}
        return [(oid, "") for oid in self.offers]

    def retranslate_more(self) -> None:
        combo = self.combo("advocacy_id")
        for i in range(combo.count()):
            offer = self.offers[combo.itemData(i)]
            # L10N: an offer of advocacy waiting for the adult's answer, e.g. "IMCA (…), offered on 02/11/2026"
            combo.setItemText(i, _("{advocate}, offered on {date}").format(
                advocate=_(ADVOCATES.get(offer["advocate_type"], offer["advocate_type"])),
                date=show_date(offer["offered_on"])))

    def submit(self, values: dict[str, Any]) -> dict[str, Any]:
        if not values["advocacy_id"]:
            raise ValidationError(N_("No offer of an advocate is waiting for an answer."), field="advocacy_id")
        return AdvocacyService(self.session).answer(
            values["advocacy_id"], response=values["response"] or "", response_on=values["response_on"] or "",
            advocate_name=values["advocate_name"], provider=values["provider"])


class WishesDialog(AdultForm):
    """The adult's wishes and feelings, in their own words where possible."""

    OBJECT_NAME = "adult_wishes_dialog"
    TITLE = N_("Record the adult's wishes and feelings")
    TODAY = ("recorded_on",)
    FIELDS = [
        Field("recorded_on", "date", N_("Recorded on:")),
        Field("wishes_feelings", "long", N_("The adult's wishes and feelings:")),
        Field("how_expressed", "text", N_("How they were expressed (optional):")),
    ]

    def submit(self, values: dict[str, Any]) -> dict[str, Any]:
        return CapacityService(self.session).wishes(
            self.case_id or "", recorded_on=values["recorded_on"] or "", wishes_feelings=values["wishes_feelings"] or "",
            how_expressed=values["how_expressed"])


class PartnershipDialog(AdultForm):
    """Working in partnership with the adult: understanding, agreement (or not), right to complain."""

    OBJECT_NAME = "adult_partnership_dialog"
    TITLE = N_("Record working in partnership with the adult")
    TODAY = ("recorded_on",)
    FIELDS = [
        Field("recorded_on", "date", N_("Recorded on:")),
        Field("understands_rationale", "check", N_("The adult understands why we are involved")),
        Field("agrees_to_plan", "check", N_("The adult agrees to the plan")),
        Field("regular_contact", "long", N_("How regular contact with the adult continues:")),
        Field("told_may_change_mind", "check", N_("The adult was told they can change their mind at any time")),
        Field("complaints_explained", "check", N_("The right to complain was explained")),
        Field("complaints_how", "text", N_("How the right to complain was explained:")),
        Field("note", "long", N_("Note (optional):")),
    ]

    def submit(self, values: dict[str, Any]) -> dict[str, Any]:
        return PartnershipService(self.session).record(
            self.case_id or "", recorded_on=values["recorded_on"] or "",
            understands_rationale=values["understands_rationale"], agrees_to_plan=values["agrees_to_plan"],
            regular_contact=values["regular_contact"], told_may_change_mind=values["told_may_change_mind"],
            complaints_explained=values["complaints_explained"], complaints_how=values["complaints_how"],
            note=values["note"])


def _active_plan(session: Any, case_id: str | None, field: str) -> dict[str, Any]:
    """The case's active plan, read when the form is saved; a refusal beside ``field`` without one."""
    plan = PlanService(session).current(case_id or "")
    if not plan:
        raise ValidationError(N_("This adult has no active care and support protection plan: start it first."),
                              field=field)
    return plan


class PlanReviewDialog(AdultForm):
    """A review of the active care and support protection plan (A5)."""

    OBJECT_NAME = "adult_plan_review_dialog"
    TITLE = N_("Review the care and support protection plan")
    TODAY = ("reviewed_on",)
    FIELDS = [
        Field("reviewed_on", "date", N_("Reviewed on:")),
        Field("outcome", "optional", N_("Outcome of the review:"), REVIEW_OUTCOMES),
        Field("progress", "long", N_("Progress against the plan:")),
    ]

    def submit(self, values: dict[str, Any]) -> dict[str, Any]:
        plan = PlanService(self.session).current(self.case_id or "")
        if not plan:
            raise ValidationError(N_("This adult has no active care and support protection plan to review."),
                                  field="reviewed_on")
        return PlanService(self.session).review(plan["id"], reviewed_on=values["reviewed_on"] or "",
                                                outcome=values["outcome"] or "", progress=values["progress"] or "")


class PlanStartDialog(AdultForm):
    """Start the care and support protection plan (one active plan per case)."""

    OBJECT_NAME = "adult_plan_start_dialog"
    TITLE = N_("Start the care and support protection plan")
    TODAY = ("started_on",)
    FIELDS = [
        Field("started_on", "date", N_("Started on:")),
        Field("summary", "long", N_("Summary of the plan:")),
        Field("summary_cy", "long", N_("In Welsh (optional):"), help=_WELSH_HELP),
        Field("contingency", "long", N_("Contingency plan:")),
        Field("monitoring", "long", N_("Monitoring arrangements:")),
    ]

    def submit(self, values: dict[str, Any]) -> dict[str, Any]:
        return PlanService(self.session).start(
            self.case_id or "", started_on=values["started_on"] or "", summary=values["summary"],
            contingency=values["contingency"], monitoring=values["monitoring"], summary_cy=values["summary_cy"])


class PlanLetterDialog(AdultForm):
    """The plan explained to the adult in a letter (N19, in their language): the worker checks why the plan
    is needed, as the letter will say it (kept as the plan's summary), and its Welsh."""

    OBJECT_NAME = "adult_plan_letter_dialog"
    TITLE = N_("Send the plan to the adult")
    FIELDS = [
        Field("summary", "long", N_("Why the plan is needed:"),
              help=N_("The letter goes to the adult in their language, with the plan's outcomes, actions and support"
                      " as they are when it is printed, the next review and how to complain.")),
        Field("summary_cy", "long", N_("In Welsh (optional):"), help=_WELSH_HELP),
    ]

    def read(self) -> Any:
        """Worker thread: the active plan, whose summary the letter starts from."""
        return PlanService(self.session).current(self.case_id or "")

    def prepare(self) -> None:
        plan = self.opening.more if self.opening is not None else None
        if plan:
            self.set_value("summary", plan["summary"] or "")
            self.set_value("summary_cy", plan["summary_cy"] or "")

    def submit(self, values: dict[str, Any]) -> dict[str, Any]:
        plan = _active_plan(self.session, self.case_id, "summary")
        return PlanService(self.session).send_letter(plan["id"], summary=values["summary"] or "",
                                                     summary_cy=values["summary_cy"])


class PlanOutcomeDialog(AdultForm):
    """An outcome of the active plan and how progress towards it is measured."""

    OBJECT_NAME = "adult_plan_outcome_dialog"
    TITLE = N_("Add an outcome to the plan")
    FIELDS = [
        Field("description", "long", N_("Outcome:")),
        Field("description_cy", "long", N_("In Welsh (optional):"), help=_WELSH_HELP),
        Field("measure", "long", N_("How progress will be measured:")),
        Field("rag", "choice", N_("Rating:"), RAG),
    ]

    def submit(self, values: dict[str, Any]) -> dict[str, Any]:
        plan = _active_plan(self.session, self.case_id, "plan_id")
        return PlanService(self.session).add_outcome(plan["id"], description=values["description"] or "",
                                                     measure=values["measure"] or "", rag=values["rag"] or None,
                                                     description_cy=values["description_cy"])


class PlanActionDialog(AdultForm):
    """An action of the active plan: every action has an owner (a practitioner, an agency or a named person)."""

    OBJECT_NAME = "adult_plan_action_dialog"
    TITLE = N_("Add an action to the plan")
    FIELDS = [
        Field("description", "long", N_("Action:")),
        Field("description_cy", "long", N_("In Welsh (optional):"), help=_WELSH_HELP),
        Field("owner", "optional", N_("Who will do it:")),
        Field("owner_name", "text", N_("Their name (the adult, family, or someone else):")),
        Field("due_on", "date", N_("Due by (optional):")),
        Field("outcome_id", "optional", N_("Towards the outcome:")),
    ]
    BLANKS = {"owner": N_("Someone else (name below)"), "outcome_id": N_("None")}

    def items(self, name: str) -> list[tuple[Any, str]]:
        if name == "owner":
            return [*((f"practitioner:{pid}", shown) for pid, shown in practitioner_items(self.session, detail=False)),
                    *((f"agency:{aid}", shown) for aid, shown in agency_items(self.session))]
        plan = PlanService(self.session).current(self.case_id or "")
        return [(o["id"], o["description"]) for o in (plan or {}).get("outcomes", [])]

    def submit(self, values: dict[str, Any]) -> dict[str, Any]:
        plan = _active_plan(self.session, self.case_id, "plan_id")
        name = values["owner_name"]
        kind, owner_id = values["owner"].split(":", 1) if values["owner"] else ("person" if name else "", None)
        return PlanService(self.session).add_action(
            plan["id"], description=values["description"] or "", owner_kind=kind, owner_id=owner_id,
            owner_name=name, due_on=values["due_on"], outcome_id=values["outcome_id"],
            description_cy=values["description_cy"])


def _waiting_conference(session: Any, case_id: str | None) -> dict[str, Any] | None:
    """The conference convened and not yet held (or cancelled), if any."""
    for conf in ConferenceService(session).for_case(case_id or ""):
        if conf.get("status") not in ("held", "cancelled"):
            return conf
    return None


class ConveneConferenceDialog(AdultForm):
    """Convene the adult protection conference (the lead co-ordinator); each agency owes a report (A7)."""

    OBJECT_NAME = "adult_convene_dialog"
    TITLE = N_("Convene the adult protection conference")
    FIELDS = [
        Field("scheduled_on", "date", N_("To be held on:")),
        Field("agency_ids", "checks", N_("Agencies invited (each sends a report):")),
    ]

    def items(self, name: str) -> list[tuple[Any, str]]:
        return agency_items(self.session)

    def submit(self, values: dict[str, Any]) -> dict[str, Any]:
        return ConferenceService(self.session).convene(self.case_id or "", scheduled_on=values["scheduled_on"] or "",
                                                       agency_ids=values["agency_ids"])


class ConferenceReportDialog(AdultForm):
    """An agency's written report for the conference reached the chair (A7)."""

    OBJECT_NAME = "adult_conference_report_dialog"
    TITLE = N_("Record an agency's conference report")
    TODAY = ("received_on",)
    FIELDS = [
        Field("agency_id", "optional", N_("Agency:")),
        Field("received_on", "date", N_("Received on:")),
    ]

    def items(self, name: str) -> list[tuple[Any, str]]:
        conference = _waiting_conference(self.session, self.case_id)
        return [(r["agency_id"], r["agency_name"]) for r in (conference or {}).get("reports", [])
                if not r.get("received_on")]

    def submit(self, values: dict[str, Any]) -> dict[str, Any]:
        conference = _waiting_conference(self.session, self.case_id)
        if not conference:
            raise ValidationError(N_("No conference is waiting to be held: convene it first."), field="agency_id")
        if not values["agency_id"]:
            raise ValidationError(N_("Choose the agency whose report arrived."), field="agency_id")
        return ConferenceService(self.session).report_received(conference["id"], values["agency_id"],
                                                               received_on=values["received_on"] or "")


class HoldConferenceDialog(AdultForm):
    """The conference held: the adult's participation and the outcome (a refusal queues the N16 outcome report)."""

    OBJECT_NAME = "adult_hold_conference_dialog"
    TITLE = N_("Record the conference")
    TODAY = ("held_on",)
    FIELDS = [
        Field("held_on", "date", N_("Held on:")),
        Field("participation", "optional", N_("How the adult took part:"), PARTICIPATION),
        Field("refusal_reason", "long", N_("What the adult said about not taking part:")),
        Field("outcome_summary", "long", N_("Outcome:")),
        Field("outcome_summary_cy", "long", N_("In Welsh (optional):"), help=_WELSH_HELP),
        Field("decisions", "long", N_("Decisions (one a line):")),
        Field("decisions_cy", "long", N_("In Welsh (optional, one a line):"), help=_WELSH_HELP),
        Field("support_offered", "long", N_("Support available to the adult (one a line):")),
        Field("support_offered_cy", "long", N_("In Welsh (optional, one a line):"), help=_WELSH_HELP),
    ]

    def submit(self, values: dict[str, Any]) -> dict[str, Any]:
        conference = _waiting_conference(self.session, self.case_id)
        if not conference:
            raise ValidationError(N_("No conference is waiting to be held: convene it first."), field="held_on")
        return ConferenceService(self.session).hold(
            conference["id"], held_on=values["held_on"] or "", outcome_summary=values["outcome_summary"] or "",
            decisions=lines(values["decisions"]), support_offered=lines(values["support_offered"]),
            participation=values["participation"], refusal_reason=values["refusal_reason"],
            outcome_summary_cy=values["outcome_summary_cy"], decisions_cy=lines(values["decisions_cy"]),
            support_offered_cy=lines(values["support_offered_cy"]))
