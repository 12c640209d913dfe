"""The authorisation matrix's one table of rules, and how to call every service method.

:data:`RULES` says which roles may do each kind of thing — the rules of the README's "Roles and scope",
written down here independently of :mod:`desktop.services.permissions` so that the test checks the
code rather than repeating it:

* casework (visits, notes, minutes, plans, assessments, what is due) is for the casework roles;
* admin staff get letters and contact details only; the register custodian the register and contact
  details;
* a performance officer reads figures (the committee's, and the whole council's from the server): no
  case is in their scope, so they never see a case or a person;
* nothing outside scope (a case outside it behaves as if it did not exist).

:data:`SPECS` names, for every public method of every service class under ``desktop/services``, the
kind of thing it does, the demo case whose ids its arguments carry, and how to build valid arguments
from the demo. A method missing from it fails the matrix: a new method is covered by adding a line
here, never skipped.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from desktop.domain.types import Role
from desktop.services.cases import CaseloadQuery
from tests.authz.world import World

SW, TM, SM, RC, AD, PO = (Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.SENIOR_MANAGER, Role.REGISTER_CUSTODIAN,
                          Role.ADMIN_STAFF, Role.PERFORMANCE_OFFICER)


class Kind(StrEnum):
    CASEWORK = "casework"  # read or record visits, notes, minutes, plans, assessments, what is due
    CONTACT = "contact"  # that a case exists, who is in it, their contact details; change contact details
    PEOPLE = "people"  # create people and cases, change a person's other details, households, relationships
    CORRESPONDENCE = "correspondence"  # a case's letters, read
    LETTERS = "letters"  # the print queue: check, preview, print
    REGISTER = "register"  # the child protection register and its enquiries log
    MANAGE = "manage"  # allocate, ratify, cover, absence, the IRO
    ESCALATIONS = "escalations"  # escalations to the senior manager
    COMMITTEE = "committee"  # the committee's figures over the cases this laptop holds
    COUNCIL = "council"  # the whole authority's figures, made by the server
    OWN = "own"  # the signed-in person's own drafts
    DIRECTORY = "directory"  # teams and staff (no case data)


CASEWORKERS = frozenset({SW, TM, SM})
EVERYONE = frozenset(Role)

RULES: dict[Kind, frozenset[Role]] = {
    Kind.CASEWORK: CASEWORKERS,
    Kind.CONTACT: EVERYONE,  # within scope: a performance officer has no case in scope, so sees nothing
    Kind.PEOPLE: CASEWORKERS,
    Kind.CORRESPONDENCE: frozenset({SW, TM, SM, AD}),
    Kind.LETTERS: frozenset({TM, AD}),
    Kind.REGISTER: frozenset({RC}),
    Kind.MANAGE: frozenset({TM, SM}),
    Kind.ESCALATIONS: frozenset({SM}),
    Kind.COMMITTEE: frozenset({TM, SM, PO}),
    Kind.COUNCIL: frozenset({SM, PO}),
    Kind.OWN: EVERYONE,
    Kind.DIRECTORY: EVERYONE,
}
"""The one table: which roles may do each kind of thing (scope comes on top)."""

Args = tuple[tuple[Any, ...], dict[str, Any]]


def c(*args: Any, **kwargs: Any) -> Args:
    return args, kwargs


@dataclass(frozen=True)
class Spec:
    """How the matrix calls one method.

    ``case``: the demo case whose ids the arguments carry — out of scope the call must be refused
    (``NotFound`` or ``PermissionDenied``) and write nothing. ``leak``: for a call that names no case,
    a case none of whose ids may appear in the answer of someone it is out of scope for. ``holder``:
    the one person (a staff key) who may make this call among the roles the rule allows — the lead
    co-ordinator closing an adult's case; the others of those roles are refused."""

    kind: Kind
    case: str | None
    call: Callable[[World], Args]
    leak: str | None = None
    holder: str | None = None
    audit: bool | None = None
    """Must a successful call leave an audit entry naming ``case``? By default every casework call
    naming a case does (writes record what they wrote, reads that they were read); ``False`` only
    with a reason in a comment."""

    @property
    def audited(self) -> bool:
        return self.audit if self.audit is not None else (self.kind == Kind.CASEWORK and self.case is not None)


def _visit_children(w: World) -> list[dict[str, Any]]:
    return [{"person_id": w.families["twr"]["seren"], "seen": True, "seen_alone": True, "seen_at_home": True}]


def _cp_decisions(w: World, conference: str, **extra: Any) -> list[dict[str, Any]]:
    return [{"person_id": p, **extra} for p in (w.families["twr"]["seren"], w.families["twr"]["osian"])]


_ATTENDANCE = "attendance"


def _quorum(w: World) -> list[dict[str, Any]]:
    return [{"agency_id": w.agencies["social_services"]}, {"agency_id": w.agencies["police"]},
            {"agency_id": w.agencies["health_board"]}]


def _strategy_participants(w: World) -> list[dict[str, Any]]:
    return [{"agency_id": w.agencies["social_services"], "practitioner_id": w.staff["sw_rhian"]},
            {"agency_id": w.agencies["police"], "practitioner_id": w.practitioners["pc_morgan"]}]


def _adult_members(w: World) -> list[dict[str, Any]]:
    return [{"agency_id": w.agencies["social_services"], "practitioner_id": w.staff["sw_adult"]},
            {"agency_id": w.agencies["police"], "practitioner_id": w.practitioners["pc_morgan"]}]


_PLACEMENT = {"placement_type": "foster", "carer_name": "Mr and Mrs Bowen", "line1": "1 Heol y Nant",
              "town": "Caerfyrddin", "postcode": "SA31 1AA"}

K = Kind
CP, JONES, PARRY, WILLIAMS, HUGHES = "twr_cp", "jones_cp", "parry_adult", "williams_adult", "hughes_adult"
CIN, TYLER, LILI, NEW_LAC = "pritchard_cin", "tyler_lac", "lili_lac", "new_lac"


class _PdfServer:
    """Answers a report request with a PDF, as the server does for a senior manager."""

    def download(self, path: str, params: dict[str, Any] | None = None, *, media_type: str) -> bytes:
        return b"%PDF-1.4 matrix"


def _twr(w: World, key: str) -> str:
    return w.families["twr"][key]


SPECS: dict[str, Spec] = {
    # -- cases and people ---------------------------------------------------------------------
    "cases.CaseService.caseload": Spec(K.CONTACT, None, lambda w: c(), leak=CP),
    "cases.CaseService.count": Spec(K.CONTACT, None, lambda w: c(), leak=CP),
    "cases.CaseService.caseload_page": Spec(K.CONTACT, None, lambda w: c(CaseloadQuery(), limit=1000), leak=CP),
    "cases.CaseService.caseload_count": Spec(K.CONTACT, None, lambda w: c(CaseloadQuery()), leak=CP),
    "cases.CaseService.open": Spec(K.CONTACT, CP, lambda w: c(w.cases[CP])),
    "cases.CaseService.create": Spec(K.PEOPLE, CP, lambda w: c("child_in_need", subject_ids=[_twr(w, "seren")])),
    "cases.CaseService.add_member": Spec(K.PEOPLE, CP, lambda w: c(w.cases[CP], _twr(w, "dafydd"), "other")),
    "cases.CaseService.allocate": Spec(K.MANAGE, CP, lambda w: c(w.cases[CP], w.staff["sw_tom"])),
    "cases.CaseService.teams": Spec(K.DIRECTORY, None, lambda w: c()),
    "cases.CaseService.workers": Spec(K.DIRECTORY, None, lambda w: c()),
    "directory.DirectoryService.agencies": Spec(K.DIRECTORY, None, lambda w: c()),
    "directory.DirectoryService.practitioners": Spec(K.DIRECTORY, None, lambda w: c()),
    "directory.DirectoryService.practitioner_names": Spec(K.DIRECTORY, None, lambda w: c()),
    "directory.DirectoryService.case_people": Spec(K.CONTACT, CP, lambda w: c(w.cases[CP])),
    "directory.DirectoryService.case_children": Spec(K.CONTACT, CP, lambda w: c(w.cases[CP])),
    "persons.PersonService.get": Spec(K.CONTACT, CP, lambda w: c(_twr(w, "seren")), audit=True),
    "persons.PersonService.current_address": Spec(K.CONTACT, CP, lambda w: c(_twr(w, "seren"))),
    "persons.PersonService.relationships": Spec(K.CONTACT, CP, lambda w: c(_twr(w, "seren"))),
    "persons.PersonService.households": Spec(K.CONTACT, CP, lambda w: c(w.cases[CP])),
    "persons.PersonService.update": Spec(K.PEOPLE, CP, lambda w: c(_twr(w, "seren"), {"school": "Ysgol Newydd"})),
    "persons.PersonService.add_address": Spec(K.CONTACT, CP, lambda w: c(
        _twr(w, "gwenllian"), {"line1": "9 Heol Newydd", "town": "Caerfyrddin", "postcode": "SA31 2BB"})),
    "persons.PersonService.create": Spec(K.PEOPLE, CP, lambda w: c(
        {"given_names": "Nel", "family_name": "Tŵr", "date_of_birth": w.ago(400)}, case_id=w.cases[CP])),
    "persons.PersonService.create_household": Spec(K.PEOPLE, None, lambda w: c("Newydd")),
    "persons.PersonService.join_household": Spec(K.PEOPLE, CP, lambda w: c(w.ids["twr_household"],
                                                                             _twr(w, "gwenllian"),
                                                                             "regular_visitor")),
    "persons.PersonService.leave_household": Spec(K.PEOPLE, CP, lambda w: c(w.ids["twr_member"])),
    "persons.PersonService.relate": Spec(K.PEOPLE, CP, lambda w: c(_twr(w, "seren"), _twr(w, "dafydd"), "other")),
    "exchange.ExchangeService.export": Spec(K.CASEWORK, None, lambda w: c()),
    # -- drafts -------------------------------------------------------------------------------
    "drafts.DraftService.save": Spec(K.OWN, None, lambda w: c("matrix", {"note": "typed"}, "ctx")),
    "drafts.DraftService.load": Spec(K.OWN, None, lambda w: c("matrix", "ctx")),
    "drafts.DraftService.discard": Spec(K.OWN, None, lambda w: c("matrix", "ctx")),
    # this laptop's own conflicts and refused changes (the server sent only what the person may read)
    "sync_review.SyncReviewService.review": Spec(K.OWN, None, lambda w: c()),
    "drafts.DraftService.pending": Spec(K.OWN, None, lambda w: c()),
    # -- letters ------------------------------------------------------------------------------
    "letters.LetterService.queue": Spec(K.LETTERS, None, lambda w: c(), leak=CP),
    "letters.LetterService.queued_count": Spec(K.LETTERS, None, lambda w: c(), leak=CP),
    "letters.LetterService.recheck": Spec(K.LETTERS, None, lambda w: c(), leak=CP),
    "letters.LetterService.print_queue": Spec(K.LETTERS, None, lambda w: c(), leak=CP),
    "letters.LetterService.get": Spec(K.CORRESPONDENCE, CP, lambda w: c(w.ids["letter"])),
    "letters.LetterService.history": Spec(K.CORRESPONDENCE, CP, lambda w: c(w.cases[CP])),
    "letters.LetterService.pdf": Spec(K.CORRESPONDENCE, CP, lambda w: c(w.ids["letter"])),
    "letters.LetterService.preview": Spec(K.LETTERS, CP, lambda w: c(w.ids["letter"])),
    "letters.LetterService.render_batch": Spec(K.LETTERS, CP, lambda w: c([w.ids["letter"]])),
    "letters.LetterService.render_many": Spec(K.LETTERS, CP, lambda w: c([w.ids["letter"]], workers=0)),
    "letters.LetterService.print_letters": Spec(K.LETTERS, CP, lambda w: c([w.ids["letter"]])),
    "letters.LetterService.release_guarded": Spec(K.MANAGE, CP,
                                                  lambda w: c(w.ids["guarded_letter"], "Agreed with the police.")),
    "family.FamilyService.network": Spec(K.CONTACT, CP, lambda w: c(w.cases[CP])),
    "family.FamilyService.render": Spec(K.CONTACT, CP, lambda w: c(w.cases[CP], "bilingual")),
    "family.FamilyService.find_people": Spec(K.PEOPLE, CP, lambda w: c(w.cases[CP], "Tŵr")),
    "safety_flags.SafetyFlagService.flags": Spec(K.CONTACT, CP, lambda w: c(w.ids["flagged"])),
    "safety_flags.SafetyFlagService.for_case": Spec(K.CONTACT, CP, lambda w: c(w.cases[CP])),
    "safety_flags.SafetyFlagService.in_scope": Spec(K.CONTACT, None, lambda w: c(), leak=CP),
    "safety_flags.SafetyFlagService.set_flag": Spec(K.MANAGE, CP, lambda w: c(
        _twr(w, "dafydd"), "risk_to", "Alleged harm.", related_person_id=_twr(w, "seren"))),
    "safety_flags.SafetyFlagService.clear": Spec(K.MANAGE, CP, lambda w: c(w.ids["flag"], "Withdrawn.")),
    "letters.LetterService.mark_printed": Spec(K.LETTERS, CP, lambda w: c(w.ids["letter"], b"%PDF-1.4 matrix")),
    "letters.LetterService.release": Spec(K.LETTERS, CP, lambda w: c(w.ids["held_letter"])),
    "letters.LetterService.cancel": Spec(K.LETTERS, CP, lambda w: c(w.ids["letter"])),
    "welsh_text.WelshTextService.needed": Spec(K.CASEWORK, CP, lambda w: c(w.ids["welsh_letter"])),
    "welsh_text.WelshTextService.add": Spec(K.CASEWORK, CP, lambda w: c(
        w.ids["welsh_letter"], {w.ids["welsh_key"]: f"Canlyniad yn Gymraeg {next(_WELSH)}"})),
    # -- reports ------------------------------------------------------------------------------
    "conference_reports.ConferenceReportService.child": Spec(K.CASEWORK, CP, lambda w: c(w.ids["cp_held"])),
    "conference_reports.ConferenceReportService.adult": Spec(K.CASEWORK, WILLIAMS,
                                                             lambda w: c(w.ids["adult_conference"])),
    "conference_reports.ConferenceReportService.render": Spec(K.CASEWORK, CP, lambda w: c(w.ids["cp_held"])),
    "conference_reports.ConferenceReportService.held": Spec(K.CASEWORK, CP, lambda w: c(w.cases[CP])),
    "committee.CommitteeService.stats": Spec(K.COMMITTEE, None, lambda w: c(w.today.replace(day=1), w.today)),
    # The council's report comes from the server: here a stand-in answers for it (the real server's own
    # checks are tests/sync/test_council_figures.py); the matrix checks the laptop refuses the wrong roles.
    "committee_council.CouncilReportService.render": Spec(K.COUNCIL, None, lambda w: c(
        w.today.replace(day=1), w.today, "en", transport=_PdfServer())),
    "committee.CommitteeService.render": Spec(K.COMMITTEE, None,
                                              lambda w: c(w.today.replace(day=1), w.today, "en")),
    # -- my work ------------------------------------------------------------------------------
    "my_work.MyWorkService.all_items": Spec(K.CASEWORK, None, lambda w: c(), leak=CP),
    "my_work.MyWorkService.items": Spec(K.CASEWORK, None, lambda w: c(mine_only=False), leak=CP),
    # My work is every role's page: casework only for the casework roles, tasks for whom they are for,
    # the letters waiting for those who print them; nothing outside scope.
    "my_work.MyWorkService.view": Spec(K.OWN, None, lambda w: c(), leak=CP),
    "my_work.MyWorkService.counts": Spec(K.OWN, None, lambda w: c()),
    "my_work.MyWorkService.by_case": Spec(K.CASEWORK, None, lambda w: c(), leak=CP),
    "my_work.MyWorkService.by_cases": Spec(K.CASEWORK, None, lambda w: c(sorted(w.cases.values())), leak=CP),
    "my_work.MyWorkService.excepted": Spec(K.CASEWORK, None, lambda w: c(mine_only=False), leak=CP),
    "my_work.MyWorkService.next_due": Spec(K.CASEWORK, CP, lambda w: c(w.cases[CP])),
    "tasks.TaskService.open_tasks": Spec(K.OWN, None, lambda w: c(), leak=JONES),
    # The Jones children's no-co-ordinator tasks are for the senior manager (N3): only they acknowledge.
    "tasks.TaskService.acknowledge": Spec(K.ESCALATIONS, JONES,
                                          lambda w: c(w.ids["escalation"], "A co-ordinator was named.")),
    "journey.JourneyService.journey": Spec(K.CASEWORK, CP, lambda w: c(w.cases[CP])),
    # -- complaints, allegations, recorded exceptions (issue 18) ----------------------------------
    "complaints.ComplaintService.record": Spec(K.CASEWORK, CP, lambda w: c(
        w.cases[CP], complainant_name="Gwenllïan Tŵr", received_on=w.ago(0), channel="oral",
        about="Visits at school time.")),
    "complaints.ComplaintService.update": Spec(K.CASEWORK, CP, lambda w: c(w.ids["complaint"],
                                                                            acknowledged_on=w.ago(0))),
    "complaints.ComplaintService.for_case": Spec(K.CASEWORK, CP, lambda w: c(w.cases[CP])),
    "allegations.AllegationService.record": Spec(K.CASEWORK, CP, lambda w: c(
        w.cases[CP], practitioner_name="A. Teacher", arisen_on=w.ago(0), summary="Rough handling reported.")),
    "allegations.AllegationService.lado_informed": Spec(K.CASEWORK, CP, lambda w: c(w.ids["allegation"],
                                                                                     on=w.ago(0))),
    "allegations.AllegationService.close": Spec(K.CASEWORK, CP, lambda w: c(w.ids["allegation"], on=w.ago(0))),
    "allegations.AllegationService.for_case": Spec(K.CASEWORK, CP, lambda w: c(w.cases[CP])),
    "exceptions.ExceptionService.allowed_rules": Spec(K.DIRECTORY, None, lambda w: c()),
    "exceptions.ExceptionService.record": Spec(K.MANAGE, CP, lambda w: c(
        w.cases[CP], _twr(w, "osian"), "V1", reason_kind="age", reason="Agreed at supervision.",
        until=w.ahead(60))),
    "exceptions.ExceptionService.end": Spec(K.MANAGE, CP, lambda w: c(w.ids["rule_exception"], ended_on=w.ago(0),
                                                                       reason="Seen alone again.")),
    "exceptions.ExceptionService.for_case": Spec(K.CASEWORK, CP, lambda w: c(w.cases[CP])),
    # -- case notes, the chronology, supervision and sign-off (issue 19) -------------------------
    "notes.NoteService.record": Spec(K.CASEWORK, CP, lambda w: c(
        w.cases[CP], kind="phone", occurred_on=w.ago(0), body="The school rang.", people=[_twr(w, "seren")])),
    "notes.NoteService.amend": Spec(K.CASEWORK, CP, lambda w: c(
        w.ids["note"], reason="The time was wrong.", kind="phone", occurred_on=w.ago(0), body="The school rang.")),
    "notes.NoteService.for_case": Spec(K.CASEWORK, CP, lambda w: c(w.cases[CP])),
    "notes.NoteService.get": Spec(K.CASEWORK, CP, lambda w: c(w.ids["note"])),
    "notes.NoteService.versions": Spec(K.CASEWORK, CP, lambda w: c(w.ids["note"])),
    "notes.NoteService.search": Spec(K.CASEWORK, None, lambda w: c("matrixword"), leak=CP),
    "chronology.ChronologyService.for_case": Spec(K.CASEWORK, CP, lambda w: c(w.cases[CP])),
    "chronology.ChronologyService.render": Spec(K.CASEWORK, CP, lambda w: c(w.cases[CP], language="en")),
    "supervision.SupervisionService.record": Spec(K.MANAGE, CP, lambda w: c(
        w.cases[CP], held_on=w.ago(0), discussion="The plan.")),
    "supervision.SupervisionService.amend": Spec(K.MANAGE, CP, lambda w: c(
        w.ids["supervision"], reason="The date was wrong.", held_on=w.ago(1), discussion="The plan.")),
    # The action is the team manager's: its owner or a manager closes it (a social worker's own is in the tests).
    "supervision.SupervisionService.complete_action": Spec(K.MANAGE, CP, lambda w: c(
        w.ids["supervision_action"], "Rang the school.")),
    "supervision.SupervisionService.for_case": Spec(K.CASEWORK, CP, lambda w: c(w.cases[CP])),
    "supervision.SupervisionService.last": Spec(K.CASEWORK, CP, lambda w: c(w.cases[CP])),
    "oversight.SignOffService.kinds": Spec(K.DIRECTORY, None, lambda w: c()),
    "oversight.SignOffService.for_case": Spec(K.CASEWORK, CP, lambda w: c(w.cases[CP])),
    "oversight.SignOffService.waiting": Spec(K.CASEWORK, None, lambda w: c(), leak=CP),
    "oversight.SignOffService.sign_off": Spec(K.MANAGE, CP, lambda w: c(w.ids["signoff_waiting"])),
    "oversight.SignOffService.send_back": Spec(K.MANAGE, CP, lambda w: c(w.ids["signoff_waiting"], "Add dates.")),
    "oversight.SignOffService.resubmit": Spec(K.CASEWORK, CIN, lambda w: c(w.ids["signoff_returned"],
                                                                          "Dates added.")),
    "my_work.MyWorkService.record_absence": Spec(K.MANAGE, CP, lambda w: c(
        w.staff["sw_rhian"], from_date=w.ahead(3), to_date=w.ahead(5), reason="Training")),
    "my_work.MyWorkService.assign_cover": Spec(K.MANAGE, CP, lambda w: c(
        w.staff["sw_tom"], from_date=w.ahead(3), to_date=w.ahead(5), covered_id=w.staff["sw_rhian"])),
    "my_work.MyWorkService.cover_workers": Spec(K.MANAGE, None, lambda w: c(w.staff["sw_rhian"])),
    # -- child protection ---------------------------------------------------------------------
    "child_protection.report.ReportService.record": Spec(K.CASEWORK, CP, lambda w: c(
        w.cases[CP], concerns="Osian was not collected from nursery.", received_at=f"{w.ago(1)}T09:00",
        source_type="professional")),
    "child_protection.report.ReportService.decide": Spec(K.CASEWORK, CP, lambda w: c(w.ids["cp_report"], "nfa")),
    "child_protection.report.ReportService.for_case": Spec(K.CASEWORK, CP, lambda w: c(w.cases[CP])),
    "child_protection.strategy.StrategyService.record": Spec(K.CASEWORK, CP, lambda w: c(
        w.cases[CP], kind="discussion", held_on=w.ago(1), participants=_strategy_participants(w),
        decisions="Continue the plan.", initiate_s47=False)),
    "child_protection.strategy.StrategyService.for_case": Spec(K.CASEWORK, CP, lambda w: c(w.cases[CP])),
    "child_protection.enquiry.EnquiryService.record_seen": Spec(K.CASEWORK, CP, lambda w: c(
        w.ids["open_enquiry"], seen_on=w.ago(0), seen_alone=True)),
    "child_protection.enquiry.EnquiryService.determine": Spec(K.CASEWORK, CP, lambda w: c(
        w.ids["open_enquiry"], 2, reason="Substantiated; not at continuing risk.")),
    "child_protection.enquiry.EnquiryService.ratify": Spec(K.MANAGE, CP, lambda w: c(w.ids["enquiry_1"])),
    "child_protection.enquiry.EnquiryService.for_case": Spec(K.CASEWORK, CP, lambda w: c(w.cases[CP])),
    "child_protection.conference.ConferenceService.convene": Spec(K.CASEWORK, CP, lambda w: c(
        w.cases[CP], kind="review", scheduled_on=w.ahead(10), invitees=[{"kind": "agency",
                                                                         "id": w.agencies["police"]}])),
    "child_protection.conference.ConferenceService.hold_initial": Spec(K.CASEWORK, CP, lambda w: c(
        w.ids["cp_initial"], held_on=w.ago(0), attendance=_quorum(w),
        decisions=_cp_decisions(w, "initial", registered=False))),
    "child_protection.conference.ConferenceService.hold_review": Spec(K.CASEWORK, CP, lambda w: c(
        w.ids["cp_review"], held_on=w.ago(0), attendance=_quorum(w), report="The co-ordinator's report.",
        decisions=_cp_decisions(w, "review", deregister=False, next_review_on=w.ahead(180)))),
    "child_protection.conference.ConferenceService.record_circulated": Spec(K.CASEWORK, CP, lambda w: c(
        w.ids["cp_held"], record_sent_on=w.ago(0))),
    "child_protection.conference.ConferenceService.review_material": Spec(K.CASEWORK, CP, lambda w: c(w.cases[CP])),
    "child_protection.conference.ConferenceService.for_case": Spec(K.CASEWORK, CP, lambda w: c(w.cases[CP])),
    "child_protection.coordinator.CoordinatorService.change": Spec(K.CASEWORK, CP, lambda w: c(
        w.cases[CP], new_coordinator_id=w.staff["sw_tom"], verbal_to=[{"name": "Gwenllïan Tŵr"}],
        verbal_on=w.ago(0), child_ids=[_twr(w, "seren"), _twr(w, "osian")])),
    "child_protection.core_group.CoreGroupService.members": Spec(K.CASEWORK, CP, lambda w: c(w.cases[CP])),
    "child_protection.core_group.CoreGroupService.meetings": Spec(K.CASEWORK, CP, lambda w: c(w.cases[CP])),
    "child_protection.core_group.CoreGroupService.add_member": Spec(K.CASEWORK, CP, lambda w: c(
        w.cases[CP], practitioner_id=w.practitioners["gp_patel"])),
    "child_protection.core_group.CoreGroupService.end_member": Spec(K.CASEWORK, CP, lambda w: c(
        w.ids["core_member"])),
    "child_protection.core_group.CoreGroupService.hold": Spec(K.CASEWORK, CP, lambda w: c(
        w.cases[CP], held_on=w.ago(0), attendance=[{"name": "Sian Griffiths", "attended": True}])),
    "child_protection.plan.PlanService.current": Spec(K.CASEWORK, CP, lambda w: c(w.cases[CP])),
    "child_protection.plan.PlanService.versions": Spec(K.CASEWORK, CP, lambda w: c(w.cases[CP])),
    "child_protection.plan.PlanService.revise": Spec(K.CASEWORK, CP, lambda w: c(
        w.cases[CP], outcomes=[{"description": "Three meals a day", "measure": "School reports"}],
        actions=[{"description": "Breakfast club", "owner_kind": "agency", "owner_id": w.agencies["ysgol_y_dderwen"],
                  "outcome_index": 0}])),
    "child_protection.visits.VisitService.record": Spec(K.CASEWORK, CP, lambda w: c(
        w.cases[CP], visited_on=w.ago(0), location="home", children=_visit_children(w))),
    "child_protection.visits.VisitService.amend": Spec(K.CASEWORK, CP, lambda w: c(
        w.ids["cp_visit"], reason="Wrong date", visited_on=w.ago(1), location="home", children=_visit_children(w))),
    "child_protection.visits.VisitService.for_case": Spec(K.CASEWORK, CP, lambda w: c(w.cases[CP])),
    # Drafts are the person's own keystrokes, never audited (the record they become is).
    "child_protection.visits.VisitService.save_draft": Spec(K.CASEWORK, CP, lambda w: c(
        w.cases[CP], {"observations": "half typed"}), audit=False),
    "child_protection.visits.VisitService.load_draft": Spec(K.CASEWORK, CP, lambda w: c(w.cases[CP]), audit=False),
    "child_protection.register.RegisterService.entries": Spec(K.REGISTER, None, lambda w: c()),
    "child_protection.register.RegisterService.for_case": Spec(K.CASEWORK, CP, lambda w: c(w.cases[CP])),
    "child_protection.register.RegisterService.enquiries": Spec(K.REGISTER, None, lambda w: c()),
    "child_protection.register.RegisterService.history": Spec(K.REGISTER, CP, lambda w: c(w.ids["seren_entry"])),
    "child_protection.register.RegisterService.record_enquiry": Spec(K.REGISTER, None, lambda w: c(
        enquirer_name="PC Morgan", agency_id=w.agencies["police"], identity_checked=True,
        subject_text="Seren Tŵr")),
    "child_protection.register.RegisterService.add_temporary": Spec(K.REGISTER, CP, lambda w: c(
        w.cases[CP], w.ids["nel"], other_la="Cyngor Sir Powys", categories=["neglect"])),
    "child_protection.register.RegisterService.deregister": Spec(K.REGISTER, CP, lambda w: c(
        w.ids["seren_entry"], "left_uk", note="The family emigrated to Canada; the school confirmed it.")),
    "child_protection.transfers.TransferService.move_out": Spec(K.CASEWORK, CP, lambda w: c(
        w.cases[CP], _twr(w, "osian"), notified_on=w.ago(0), receiving_la="Cyngor Gwynedd")),
    "child_protection.transfers.TransferService.move_in": Spec(K.CASEWORK, CP, lambda w: c(
        w.cases[CP], _twr(w, "osian"), notified_on=w.ago(0), sending_la="Cyngor Gwynedd", permanent=True)),
    "child_protection.transfers.TransferService.information_sent": Spec(K.CASEWORK, JONES, lambda w: c(
        w.ids["transfer_out"], sent_on=w.ago(0))),
    "child_protection.transfers.TransferService.information_pack": Spec(K.CASEWORK, JONES, lambda w: c(
        w.ids["transfer_out"], authority="Cyngor Sir Powys", address="Neuadd y Sir\nLlandrindod", language="en")),
    "child_protection.transfers.TransferService.send_information_pack": Spec(K.CASEWORK, JONES, lambda w: c(
        w.ids["transfer_out"], authority="Cyngor Sir Powys", address="Neuadd y Sir\nLlandrindod", language="en",
        sent_on=w.ago(0))),
    "child_protection.transfers.TransferService.transferred_out": Spec(K.CASEWORK, JONES, lambda w: c(
        w.ids["transfer_out"], on=w.ago(0))),
    "child_protection.transfers.TransferService.agree_permanent": Spec(K.CASEWORK, CP, lambda w: c(
        w.ids["transfer_in"], agreed_on=w.ago(0))),
    "child_protection.transfers.TransferService.conference_held": Spec(K.CASEWORK, CP, lambda w: c(
        w.ids["transfer_in"], held_on=w.ago(0), outcome="registered")),
    "child_protection.transfers.TransferService.close": Spec(K.CASEWORK, JONES, lambda w: c(
        w.ids["transfer_out"], on=w.ago(0), reason="The family stayed.")),
    "child_protection.transfers.TransferService.for_case": Spec(K.CASEWORK, JONES, lambda w: c(w.cases[JONES])),
    "child_protection.transfers.TransferService.open_for_case": Spec(K.CASEWORK, JONES,
                                                                     lambda w: c(w.cases[JONES])),
    # -- adults at risk -----------------------------------------------------------------------
    "adults.report.ReportService.record": Spec(K.CASEWORK, PARRY, lambda w: c(
        w.cases[PARRY], received_at=f"{w.ago(1)}T10:00", source_type="family", concerns="Bruises.",
        consent_given=True)),
    "adults.report.ReportService.screen": Spec(K.CASEWORK, HUGHES, lambda w: c(
        w.ids["adult_report"], decision="part3", screened_on=w.ago(0))),
    "adults.report.ReportService.for_case": Spec(K.CASEWORK, PARRY, lambda w: c(w.cases[PARRY])),
    "adults.enquiry.EnquiryService.conclude": Spec(K.CASEWORK, HUGHES, lambda w: c(
        w.ids["adult_enquiry"], concluded_on=w.ago(0), determination="2", reason="Care and support needs.")),
    "adults.enquiry.EnquiryService.get": Spec(K.CASEWORK, HUGHES, lambda w: c(w.ids["adult_enquiry"])),
    "adults.enquiry.EnquiryService.for_case": Spec(K.CASEWORK, HUGHES, lambda w: c(w.cases[HUGHES])),
    "adults.coordinator.CoordinatorService.appoint": Spec(K.CASEWORK, PARRY, lambda w: c(
        w.cases[PARRY], w.staff["tm_adult"])),
    "adults.coordinator.CoordinatorService.delegate": Spec(K.CASEWORK, PARRY, lambda w: c(
        w.cases[PARRY], delegate_id=w.practitioners["nurse_alun"], delegate_role="Chair the meetings.",
        la_monitor_id=w.staff["tm_adult"], la_monitor_role="Monitoring and overview.",
        rationale="Health holds the relationships.", reporting_arrangements="Weekly written update.")),
    "adults.coordinator.CoordinatorService.end_delegation": Spec(K.CASEWORK, WILLIAMS, lambda w: c(
        w.cases[WILLIAMS], ended_on=w.ago(0), reason="Margaret is home.")),
    "adults.coordinator.CoordinatorService.current": Spec(K.CASEWORK, WILLIAMS, lambda w: c(w.cases[WILLIAMS])),
    "adults.strategy.StrategyService.record": Spec(K.CASEWORK, PARRY, lambda w: c(
        w.cases[PARRY], kind="meeting", held_on=w.ago(0), members=_adult_members(w), decisions="Continue.",
        chair_id=w.staff["sw_adult"], initial=False, advocacy_note="She has an IMCA already.")),
    "adults.strategy.StrategyService.for_case": Spec(K.CASEWORK, PARRY, lambda w: c(w.cases[PARRY])),
    "adults.strategy.StrategyService.members": Spec(K.CASEWORK, PARRY, lambda w: c(w.ids["adult_strategy"])),
    "adults.advocacy.AdvocacyService.offer": Spec(K.CASEWORK, PARRY, lambda w: c(
        w.cases[PARRY], advocate_type="independent", offered_on=w.ago(0))),
    "adults.advocacy.AdvocacyService.answer": Spec(K.CASEWORK, PARRY, lambda w: c(
        w.ids["advocacy"], response="accepted", response_on=w.ago(0))),
    "adults.advocacy.AdvocacyService.for_case": Spec(K.CASEWORK, PARRY, lambda w: c(w.cases[PARRY])),
    "adults.apso.ApsoService.apply": Spec(K.CASEWORK, PARRY, lambda w: c(
        w.cases[PARRY], applied_on=w.ago(0), officer_id=w.staff["sw_adult"], court="Llys Ynadon Caerfyrddin",
        premises="2 Heol y Bont", reasonable_cause="Not seen for weeks.", access_needed="She must be seen alone.",
        order_needed="Her nephew turns visitors away.", no_greater_risk="Police attend.", obstruction="refused",
        obstruction_detail="Door not opened three times.")),
    "adults.apso.ApsoService.decide": Spec(K.CASEWORK, PARRY, lambda w: c(
        w.ids["apso_pending"], decision="granted", decided_on=w.ago(0), in_force_from=w.ago(0),
        in_force_to=w.ahead(3))),
    "adults.apso.ApsoService.record_entry": Spec(K.CASEWORK, PARRY, lambda w: c(
        w.ids["apso"], entered_on=w.ago(0), spoke_in_private=True, declined_to_answer=False,
        outcome="Spoke with her alone.")),
    "adults.apso.ApsoService.end": Spec(K.CASEWORK, PARRY, lambda w: c(
        w.ids["apso"], ended_on=w.ago(0), end_reason="purposes_met")),
    "adults.apso.ApsoService.for_case": Spec(K.CASEWORK, PARRY, lambda w: c(w.cases[PARRY])),
    "adults.capacity.CapacityService.assess": Spec(K.CASEWORK, PARRY, lambda w: c(
        w.cases[PARRY], decision="Where to live", assessed_on=w.ago(0), assessor_id=w.staff["sw_adult"],
        outcome="has_capacity", evidence="Understood, retained and weighed the options.")),
    "adults.capacity.CapacityService.best_interests": Spec(K.CASEWORK, PARRY, lambda w: c(
        w.cases[PARRY], assessment_id=w.ids["capacity"], decision="An appointee manages her pension",
        decided_on=w.ago(0), consulted=["Gwyn Parry"], wishes_feelings="Wants to stay at home.",
        rationale="Least restrictive.")),
    "adults.capacity.CapacityService.wishes": Spec(K.CASEWORK, PARRY, lambda w: c(
        w.cases[PARRY], recorded_on=w.ago(0), wishes_feelings="Eisiau aros adref.")),
    "adults.capacity.CapacityService.for_case": Spec(K.CASEWORK, PARRY, lambda w: c(w.cases[PARRY])),
    "adults.partnership.PartnershipService.record": Spec(K.CASEWORK, PARRY, lambda w: c(
        w.cases[PARRY], recorded_on=w.ago(0), understands_rationale=True, agrees_to_plan=True,
        regular_contact="Weekly visits")),
    "adults.partnership.PartnershipService.history": Spec(K.CASEWORK, PARRY, lambda w: c(w.cases[PARRY])),
    "adults.visits.VisitService.record": Spec(K.CASEWORK, PARRY, lambda w: c(
        w.cases[PARRY], visited_on=w.ago(0), location="home", seen=True, offered_alone=True, seen_alone=True)),
    "adults.visits.VisitService.for_case": Spec(K.CASEWORK, PARRY, lambda w: c(w.cases[PARRY])),
    "adults.visits.VisitService.history": Spec(K.CASEWORK, PARRY, lambda w: c(w.ids["adult_visit"])),
    "adults.plan.PlanService.start": Spec(K.CASEWORK, HUGHES, lambda w: c(w.cases[HUGHES], started_on=w.ago(0))),
    "adults.plan.PlanService.add_outcome": Spec(K.CASEWORK, PARRY, lambda w: c(
        w.ids["adult_plan"], description="Safe at home", measure="No new bruises")),
    "adults.plan.PlanService.add_action": Spec(K.CASEWORK, PARRY, lambda w: c(
        w.ids["adult_plan"], description="Daily carers", owner_kind="agency", owner_id=w.agencies["housing"])),
    "adults.plan.PlanService.update_action": Spec(K.CASEWORK, PARRY, lambda w: c(
        w.ids["adult_action"], status="done")),
    "adults.plan.PlanService.review": Spec(K.CASEWORK, PARRY, lambda w: c(
        w.ids["adult_plan"], reviewed_on=w.ago(0), outcome="continue", progress="Going well.")),
    "adults.plan.PlanService.current": Spec(K.CASEWORK, PARRY, lambda w: c(w.cases[PARRY])),
    "adults.plan.PlanService.send_letter": Spec(K.CASEWORK, PARRY, lambda w: c(
        w.ids["adult_plan"], summary="To keep Mr Parry safe at home.")),
    "adults.conference.ConferenceService.convene": Spec(K.CASEWORK, PARRY, lambda w: c(
        w.cases[PARRY], scheduled_on=w.ahead(7), agency_ids=[w.agencies["police"]])),
    "adults.conference.ConferenceService.report_received": Spec(K.CASEWORK, WILLIAMS, lambda w: c(
        w.ids["adult_conference"], w.agencies["police"], received_on=w.ago(0))),
    "adults.conference.ConferenceService.participation": Spec(K.CASEWORK, WILLIAMS, lambda w: c(
        w.ids["adult_conference"], participation="attended")),
    "adults.conference.ConferenceService.hold": Spec(K.CASEWORK, WILLIAMS, lambda w: c(
        w.ids["adult_conference"], held_on=w.ago(0), outcome_summary="Plan continues.", decisions=["Continue"],
        participation="attended")),
    "adults.conference.ConferenceService.for_case": Spec(K.CASEWORK, WILLIAMS, lambda w: c(w.cases[WILLIAMS])),
    "adults.lead_practitioner.LeadPractitionerService.change": Spec(K.CASEWORK, PARRY, lambda w: c(
        w.cases[PARRY], new_id=w.practitioners["gp_patel"], effective_on=w.ago(0), verbal_to=["Eirlys Parry"],
        verbal_on=w.ago(0))),
    "adults.progress.ProgressService.progress": Spec(K.CASEWORK, WILLIAMS, lambda w: c(w.cases[WILLIAMS])),
    "adults.closure.ClosureService.close": Spec(K.CASEWORK, PARRY, lambda w: c(
        w.cases[PARRY], closed_on=w.ago(0), reasons="Safe now.", decided_with="strategy_group"),
        holder="sw_adult"),
    # -- children in need and in care ---------------------------------------------------------
    "children.cin.ChildInNeedService.start_assessment": Spec(K.CASEWORK, CIN, lambda w: c(
        w.cases[CIN], w.ids["cai"], started_on=w.ago(0))),
    "children.cin.ChildInNeedService.record_contact": Spec(K.CASEWORK, CIN, lambda w: c(
        w.ids["cin_assessment"], kind="child", spoken_on=w.ago(0), summary="Cai likes school.")),
    "children.cin.ChildInNeedService.complete_assessment": Spec(K.CASEWORK, CIN, lambda w: c(
        w.ids["cin_assessment"], findings="A young carer.", conclusion="cin_plan", need_category="N3")),
    "children.cin.ChildInNeedService.assessment": Spec(K.CASEWORK, CIN, lambda w: c(w.ids["cin_assessment"])),
    "children.cin.ChildInNeedService.assessments": Spec(K.CASEWORK, CIN, lambda w: c(w.cases[CIN])),
    "children.cin.ChildInNeedService.start_plan": Spec(K.CASEWORK, CIN, lambda w: c(
        w.cases[CIN], w.ids["cai"], started_on=w.ago(0), next_review_on=w.ahead(90))),
    "children.cin.ChildInNeedService.add_outcome": Spec(K.CASEWORK, CIN, lambda w: c(
        w.ids["cin_plan"], description="Time to play")),
    "children.cin.ChildInNeedService.add_action": Spec(K.CASEWORK, CIN, lambda w: c(
        w.ids["cin_plan"], description="Youth club", owner_kind="person", owner_id=w.families["pritchard"]["nia"])),
    "children.cin.ChildInNeedService.update_action": Spec(K.CASEWORK, CIN, lambda w: c(
        w.ids["cin_action"], status="done")),
    "children.cin.ChildInNeedService.end_plan": Spec(K.CASEWORK, CIN, lambda w: c(
        w.ids["cin_plan"], reason="Needs met.")),
    "children.cin.ChildInNeedService.plan": Spec(K.CASEWORK, CIN, lambda w: c(w.ids["cin_plan"])),
    "children.cin.ChildInNeedService.plans": Spec(K.CASEWORK, CIN, lambda w: c(w.cases[CIN])),
    "children.cin.ChildInNeedService.record_review": Spec(K.CASEWORK, CIN, lambda w: c(
        w.ids["cin_plan"], held_on=w.ago(0), child_participation="attended", decision="continue",
        next_review_on=w.ahead(90), attendees=[
            {"kind": "family", "person_id": w.families["pritchard"]["nia"]},
            {"kind": "professional", "practitioner_id": w.staff["sw_cin"]}])),
    "children.cin.ChildInNeedService.request_icpc": Spec(K.CASEWORK, CIN, lambda w: c(
        w.cases[CIN], reason="Significant harm suspected.")),
    "children.cin.ChildInNeedService.icpc_requests": Spec(K.CASEWORK, CIN, lambda w: c(w.cases[CIN])),
    "children.cin.ChildInNeedService.start_proceedings": Spec(K.CASEWORK, CIN, lambda w: c(
        w.cases[CIN], w.ids["cai"], kind="pre_proceedings", stage="letter_before_proceedings",
        started_on=w.ago(0))),
    "children.cin.ChildInNeedService.proceedings_stage": Spec(K.CASEWORK, LILI, lambda w: c(
        w.ids["lili_proceedings"], stage="final_hearing", on_date=w.ago(0))),
    "children.cin.ChildInNeedService.proceedings": Spec(K.CASEWORK, LILI, lambda w: c(w.cases[LILI])),
    "children.cin.ChildInNeedService.extend_proceedings": Spec(K.CASEWORK, LILI, lambda w: c(
        w.ids["lili_proceedings"], granted_on=w.ago(0), extended_to=w.ahead(40), reason="An expert's report.")),
    "children.looked_after.LookedAfterService.may_move_case": Spec(K.CASEWORK, CIN, lambda w: c(w.cases[CIN])),
    "children.looked_after.LookedAfterService.become_looked_after": Spec(K.CASEWORK, CIN, lambda w: c(
        w.cases[CIN], w.ids["cai"], started_on=w.ago(0), legal_status="police_protection", transfer=False)),
    "children.looked_after.LookedAfterService.change_legal_status": Spec(K.CASEWORK, TYLER, lambda w: c(
        w.ids["tyler_episode"], legal_status="placement_order", from_date=w.ago(0))),
    "children.looked_after.LookedAfterService.end_episode": Spec(K.CASEWORK, TYLER, lambda w: c(
        w.ids["tyler_episode"], ended_on=w.ago(0), reason="Special guardianship order.")),
    "children.looked_after.LookedAfterService.record_care_plan": Spec(K.CASEWORK, TYLER, lambda w: c(
        w.cases[TYLER], w.families["evans_hughes"]["tyler"], prepared_on=w.ago(0))),
    "children.looked_after.LookedAfterService.record_visit": Spec(K.CASEWORK, TYLER, lambda w: c(
        w.cases[TYLER], w.families["evans_hughes"]["tyler"], visited_on=w.ago(0), seen=True, seen_alone=True)),
    "children.looked_after.LookedAfterService.amend_visit": Spec(K.CASEWORK, TYLER, lambda w: c(
        w.ids["lac_visit"], reason="Seen alone after all.", seen_alone=True)),
    "children.looked_after.LookedAfterService.record_review": Spec(K.CASEWORK, TYLER, lambda w: c(
        w.cases[TYLER], w.families["evans_hughes"]["tyler"], held_on=w.ago(0), chair_id=w.staff["iro"],
        child_seen_privately=True, child_participation="attended", next_review_on=w.ahead(180))),
    "children.looked_after.LookedAfterService.record_health": Spec(K.CASEWORK, TYLER, lambda w: c(
        w.cases[TYLER], w.families["evans_hughes"]["tyler"], kind="dental_check", on_date=w.ago(0))),
    "children.looked_after.LookedAfterService.record_school_change": Spec(K.CASEWORK, TYLER, lambda w: c(
        w.cases[TYLER], w.families["evans_hughes"]["tyler"], school="Ysgol y Strade", started_on=w.ago(0))),
    "children.looked_after.LookedAfterService.record_pep": Spec(K.CASEWORK, TYLER, lambda w: c(
        w.cases[TYLER], w.families["evans_hughes"]["tyler"], on_date=w.ago(0))),
    "children.looked_after.LookedAfterService.assign_iro": Spec(K.MANAGE, LILI, lambda w: c(
        w.cases[LILI], w.staff["iro"], from_date=w.ago(0))),
    "children.looked_after.LookedAfterService.iro_on": Spec(K.CASEWORK, TYLER, lambda w: c(
        w.cases[TYLER], w.ago(0))),
    "children.looked_after.LookedAfterService.change_worker": Spec(K.MANAGE, TYLER, lambda w: c(
        w.cases[TYLER], w.staff["tm_cic"])),  # within the CiC team: a team manager may
    "children.looked_after.LookedAfterService.team_history": Spec(K.CONTACT, TYLER, lambda w: c(w.cases[TYLER])),
    "children.looked_after.LookedAfterService.worker_history": Spec(K.CONTACT, TYLER, lambda w: c(w.cases[TYLER])),
    "children.looked_after.LookedAfterService.overview": Spec(K.CASEWORK, TYLER, lambda w: c(
        w.cases[TYLER], w.families["evans_hughes"]["tyler"])),
    "children.placements.PlacementService.add": Spec(K.CASEWORK, NEW_LAC, lambda w: c(
        w.cases[NEW_LAC], w.ids["new_lac_child"], start_on=w.ago(0), **_PLACEMENT)),
    "children.placements.PlacementService.move": Spec(K.CASEWORK, TYLER, lambda w: c(
        w.cases[TYLER], w.families["evans_hughes"]["tyler"], on=w.ago(0), reason="planned_move", **_PLACEMENT)),
    "children.placements.PlacementService.end": Spec(K.CASEWORK, TYLER, lambda w: c(
        w.ids["tyler_placement"], end_on=w.ago(0), reason="breakdown")),
    "children.placements.PlacementService.record_plan": Spec(K.CASEWORK, TYLER, lambda w: c(
        w.ids["tyler_placement"], prepared_on=w.ago(1), signed_on=w.ago(0), signed_by="Donna Evans")),
    "children.placements.PlacementService.record_reg20": Spec(K.CASEWORK, TYLER, lambda w: c(
        w.ids["tyler_placement"], assessed_on=w.ago(0))),
    "children.placements.PlacementService.history": Spec(K.CASEWORK, TYLER, lambda w: c(
        w.cases[TYLER], w.families["evans_hughes"]["tyler"])),
    "children.permanence.PermanenceService.set_plan": Spec(K.CASEWORK, TYLER, lambda w: c(
        w.cases[TYLER], w.families["evans_hughes"]["tyler"], route="special_guardianship", decided_on=w.ago(0))),
    "children.permanence.PermanenceService.achieved": Spec(K.CASEWORK, TYLER, lambda w: c(
        w.ids["tyler_permanence"], achieved_on=w.ago(0))),
    "children.permanence.PermanenceService.plan": Spec(K.CASEWORK, TYLER, lambda w: c(
        w.cases[TYLER], w.families["evans_hughes"]["tyler"])),
    "children.permanence.PermanenceService.summary": Spec(K.COMMITTEE, None, lambda w: c(w.today)),
    "children.permanence.PermanenceService.baby_figures": Spec(K.COMMITTEE, None, lambda w: c(
        w.today.replace(year=w.today.year - 1), w.today)),
    "children.voice.VoiceService.record": Spec(K.CASEWORK, TYLER, lambda w: c(
        w.cases[TYLER], w.families["evans_hughes"]["tyler"], kind="wishes_feelings", recorded_on=w.ago(0),
        content="Wants a dog.")),
    "children.voice.VoiceService.amend": Spec(K.CASEWORK, TYLER, lambda w: c(
        w.ids["voice"], content="Wants two dogs.", reason="Misheard.")),
    "children.voice.VoiceService.entries": Spec(K.CASEWORK, TYLER, lambda w: c(
        w.cases[TYLER], w.families["evans_hughes"]["tyler"])),
    "children.voice.VoiceService.worker_changes": Spec(K.CONTACT, TYLER, lambda w: c(w.cases[TYLER])),
}


def _printable_letter(w: World, case_id: str) -> str:
    """A queued letter of the case that renders (its recipient has an address, its data is whole)."""
    from desktop.services.letters import LetterService

    letters = LetterService(w.sessions["tm_cp"])
    for row in w.store.rows("SELECT id FROM letter WHERE case_id = ? AND status = 'queued' ORDER BY created_at",
                            [case_id]):
        try:
            letters.preview(row["id"])
        except Exception:  # noqa: BLE001, S112 - held for a reason: try the next one
            continue
        return str(row["id"])
    raise AssertionError("the demo has no printable letter")


def _releasable_letter(w: World, case_id: str) -> str:
    """A letter of the case held for a reason a person may set aside (an invitation to a conference
    already held), after the queue's re-check."""
    from desktop.services.correspondence import queue_letter
    from desktop.services.letters import LetterService

    agency = w.one("SELECT id FROM agency WHERE deleted = 0 AND address IS NOT NULL ORDER BY name")
    data = {"child_name": "Seren Tŵr", "child_dob": "2018-09-09", "conference_date": w.ago(30),
            "conference_time": "10:00", "venue": "Neuadd y Sir", "chair_name": "Alun Rees",
            "coordinator_name": "Rhian Evans", "coordinator_phone": "01267 234567", "audience": "agency"}
    w.sessions["tm_cp"].write(lambda tx: queue_letter(tx, case_id=case_id, template_id="N8", recipient_kind="agency",
                                                      recipient_id=agency, data=data))
    LetterService(w.sessions["tm_cp"]).recheck()
    return w.one("SELECT id FROM letter WHERE case_id = ? AND status = 'held' AND held_reason LIKE 'event_passed:%'"
                 " ORDER BY created_at", case_id)


_WELSH = itertools.count(1)  # each call writes a new Welsh text, so each is a real (audited) change


def _quoting_letter(w: World, case_id: str) -> tuple[str, str]:
    """A letter of the case that quotes a free text with a Welsh column (the plan's outcomes in the
    outline plan letter), and that text's key for :meth:`WelshTextService.add`."""
    from desktop.services.welsh_text import WelshTextService

    welsh = WelshTextService(w.sessions["tm_cp"])
    for row in w.store.rows("SELECT id FROM letter WHERE case_id = ? AND template_id = 'N9' ORDER BY created_at",
                            [case_id]):
        needed = welsh.needed(row["id"])
        if needed:
            return str(row["id"]), needed[0].key
    raise AssertionError("the demo has no letter quoting a free text")


def prepare(w: World) -> None:
    """Records the calls act on that the demo does not have, written (and kept) before the matrix runs."""
    from desktop.services.adults import AdvocacyService
    from desktop.services.adults import ReportService as AdultReports
    from desktop.services.allegations import AllegationService
    from desktop.services.cases import CaseService
    from desktop.services.child_protection import ConferenceService, EnquiryService, StrategyService
    from desktop.services.child_protection.transfers import TransferService
    from desktop.services.children import ChildInNeedService, LookedAfterService
    from desktop.services.complaints import ComplaintService
    from desktop.services.exceptions import ExceptionService
    from desktop.services.persons import PersonService

    rhian, owain, gareth, sian = (w.sessions[k] for k in ("sw_rhian", "sw_adult", "sw_cin", "sw_cic"))
    cp, ids = w.cases[CP], w.ids
    # Child protection: a new s47 enquiry for each child (Seren's determined 1, to be ratified), an
    # initial and a review conference convened, a child not on the register, a transfer in.
    strategy = StrategyService(rhian).record(cp, kind="discussion", held_on=w.ago(2), initiate_s47=True,
                                             participants=_strategy_participants(w), decisions="New concerns.")
    by_child = {e["person_id"]: e["id"] for e in strategy["enquiries"]}
    ids["open_enquiry"], ids["enquiry_1"] = by_child[_twr(w, "osian")], by_child[_twr(w, "seren")]
    EnquiryService(rhian).determine(ids["enquiry_1"], 1, reason="Not substantiated.")
    conferences = ConferenceService(rhian)
    for kind in ("initial", "review"):
        ids[f"cp_{kind}"] = conferences.convene(cp, kind=kind, scheduled_on=w.ago(1), invitees=[])["id"]
    ids["nel"] = PersonService(rhian).create({"given_names": "Nel", "family_name": "Tŵr",
                                              "date_of_birth": w.ago(300)}, case_id=cp)["id"]
    ids["transfer_in"] = TransferService(rhian).move_in(cp, _twr(w, "seren"), notified_on=w.ago(3),
                                                        sending_la="Cyngor Ceredigion", permanent=False)["id"]
    ids["cp_held"] = w.one("SELECT id FROM cp_conference WHERE case_id = ? AND status = 'held'", cp)
    ids["cp_report"] = w.one("SELECT id FROM cp_report WHERE case_id = ?", cp)
    ids["core_member"] = w.one("SELECT id FROM cp_core_member WHERE case_id = ? AND to_date IS NULL", cp)
    ids["cp_visit"] = w.one("SELECT id FROM cp_visit WHERE case_id = ?", cp)
    ids["seren_entry"] = w.one("SELECT id FROM register_entry WHERE person_id = ?", _twr(w, "seren"))
    ids["twr_household"] = w.one("SELECT household_id FROM household_member WHERE person_id = ?", _twr(w, "seren"))
    ids["twr_member"] = w.one("SELECT id FROM household_member WHERE person_id = ?", _twr(w, "dafydd"))
    ids["letter"] = _printable_letter(w, cp)
    ids["held_letter"] = _releasable_letter(w, cp)
    ids["welsh_letter"], ids["welsh_key"] = _quoting_letter(w, cp)
    ids["transfer_out"] = w.one("SELECT id FROM cp_transfer WHERE person_id = ? AND direction = 'out'",
                                w.families["jones"]["mason"])
    ids["escalation"] = w.one("SELECT id FROM escalation WHERE case_id = ? AND kind = 'no_coordinator'",
                              w.cases[JONES])
    ids["complaint"] = ComplaintService(rhian).record(cp, complainant_name="Dafydd Tŵr", received_on=w.ago(2),
                                                      channel="written", about="The plan.")["id"]
    ids["allegation"] = AllegationService(rhian).record(cp, practitioner_name="A. Coach", arisen_on=w.ago(1),
                                                        summary="A concern from the club.")["id"]
    ids["rule_exception"] = ExceptionService(w.sessions["tm_cp"]).record(
        cp, _twr(w, "seren"), "V1", reason_kind="disability", reason="Agreed with the paediatrician.",
        until=w.ahead(30))["id"]
    # Notes, supervision with an action for the team manager, and the demo's records waiting for sign-off
    # (the Tŵr plan) and returned to the worker (the Pritchard Child in Need plan).
    from desktop.services.notes import NoteService
    from desktop.services.oversight import SignOffService
    from desktop.services.supervision import SupervisionService

    ids["note"] = NoteService(rhian).record(cp, kind="phone", occurred_on=w.ago(1), body="matrixword: a call.")["id"]
    supervision = SupervisionService(w.sessions["tm_cp"]).record(
        cp, held_on=w.ago(1), discussion="The plan.",
        actions=[{"description": "Ring the school", "owner_id": w.staff["tm_cp"], "due_on": w.ahead(5)}])
    ids["supervision"], ids["supervision_action"] = supervision["id"], supervision["actions"][0]["id"]
    waiting = SignOffService(w.sessions["senior"]).waiting()
    ids["signoff_waiting"] = next(i.ref for i in waiting if i.case_id == cp and i.state == "waiting")
    ids["signoff_returned"] = next(i.ref for i in waiting if i.case_id == w.cases[CIN] and i.state == "returned")
    # Adults: a report to screen, an offer of advocacy awaiting an answer.
    ids["adult_report"] = AdultReports(owain).record(
        w.cases[HUGHES], received_at=f"{w.ago(1)}T11:00", source_type="public", concerns="Found on the floor.",
        consent_given=True)["id"]
    ids["advocacy"] = AdvocacyService(owain).offer(w.cases[PARRY], advocate_type="independent",
                                                   offered_on=w.ago(1))["id"]
    ids["adult_enquiry"] = w.one("SELECT id FROM adult_enquiry WHERE case_id = ?", w.cases[HUGHES])
    # An application for an adult protection and support order waiting for the court, and an order in force.
    from desktop.services.adults import ApsoService

    apso = ApsoService(owain)
    application = {"officer_id": w.staff["sw_adult"], "court": "Llys Ynadon Caerfyrddin", "premises": "2 Heol y Bont",
                   "reasonable_cause": "Not seen for weeks.", "access_needed": "She must be seen alone.",
                   "order_needed": "Her nephew turns visitors away.", "no_greater_risk": "Police attend.",
                   "obstruction": "refused", "obstruction_detail": "Door not opened three times."}
    ids["apso_pending"] = apso.apply(w.cases[PARRY], applied_on=w.ago(1), **application)["id"]
    ids["apso"] = apso.apply(w.cases[PARRY], applied_on=w.ago(2), **application)["id"]
    apso.decide(ids["apso"], decision="granted", decided_on=w.ago(1), in_force_from=w.ago(1), in_force_to=w.ahead(4))
    ids["adult_strategy"] = w.one("SELECT id FROM adult_strategy WHERE case_id = ?", w.cases[PARRY])
    ids["capacity"] = w.one("SELECT id FROM adult_capacity_assessment WHERE case_id = ?", w.cases[PARRY])
    ids["adult_visit"] = w.one("SELECT id FROM adult_visit WHERE case_id = ?", w.cases[PARRY])
    ids["adult_plan"] = w.one("SELECT id FROM adult_plan WHERE case_id = ? AND status = 'active'", w.cases[PARRY])
    ids["adult_action"] = w.one("SELECT id FROM adult_plan_action WHERE plan_id = ?", ids["adult_plan"])
    ids["adult_conference"] = w.one("SELECT id FROM adult_conference WHERE case_id = ?", w.cases[WILLIAMS])
    # Children: a second child in the Child in Need case with an assessment under way; a looked-after
    # child with no placement yet.
    nia = w.families["pritchard"]["nia"]
    ids["cai"] = PersonService(gareth).create({"given_names": "Cai", "family_name": "Pritchard",
                                               "date_of_birth": w.ago(3000)}, case_id=w.cases[CIN])["id"]
    cin = ChildInNeedService(gareth)
    ids["cin_assessment"] = cin.start_assessment(w.cases[CIN], ids["cai"], started_on=w.ago(5))["id"]
    cin.record_contact(ids["cin_assessment"], kind="child", spoken_on=w.ago(4), summary="Cai is worried.")
    cin.record_contact(ids["cin_assessment"], kind="family", person_id=nia, spoken_on=w.ago(4), summary="Nia.")
    ids["cin_plan"] = w.one("SELECT id FROM cin_plan WHERE case_id = ? AND status = 'active'", w.cases[CIN])
    ids["cin_action"] = w.one("SELECT id FROM cin_plan_action WHERE plan_id = ?", ids["cin_plan"])
    ids["lili_proceedings"] = w.one("SELECT id FROM proceedings WHERE case_id = ?", w.cases[LILI])
    tyler = w.families["evans_hughes"]["tyler"]
    ids["tyler_episode"] = w.one("SELECT id FROM lac_episode WHERE person_id = ?", tyler)
    ids["lac_visit"] = w.one("SELECT id FROM lac_visit WHERE person_id = ? ORDER BY visited_on DESC", tyler)
    ids["tyler_placement"] = w.one("SELECT id FROM lac_placement WHERE person_id = ? AND end_on IS NULL", tyler)
    ids["tyler_permanence"] = w.one("SELECT id FROM permanence_plan WHERE person_id = ?", tyler)
    ids["voice"] = w.one("SELECT id FROM child_voice WHERE person_id = ?", tyler)
    child = PersonService(sian).create({"given_names": "Macsen", "family_name": "Lloyd",
                                        "date_of_birth": w.ago(2000)})
    case = CaseService(sian).create("looked_after", subject_ids=[child["id"]], opened_on=w.ago(2))
    LookedAfterService(sian).become_looked_after(case["id"], child["id"], started_on=w.ago(2),
                                                 legal_status="interim_care_order", transfer=False)
    w.cases[NEW_LAC], ids["new_lac_child"] = case["id"], child["id"]
    # Issue 20: a father on the Tŵr case flagged "do not contact", a letter to him the guard holds.
    from desktop.services.correspondence import queue_letter
    from desktop.services.safety_flags import SafetyFlagService

    ids["flagged"] = PersonService(rhian).create({"given_names": "Iolo", "family_name": "Tŵr"}, case_id=cp,
                                                 case_role="parent")["id"]
    PersonService(rhian).add_address(ids["flagged"], {"line1": "9 Heol y Bryn", "town": "Caerfyrddin",
                                                      "postcode": "SA31 2BB"})
    ids["flag"] = SafetyFlagService(w.sessions["tm_cp"]).set_flag(ids["flagged"], "do_not_contact", "Threats.").id
    ids["guarded_letter"] = w.sessions["tm_cp"].write(lambda tx: queue_letter(
        tx, case_id=cp, template_id="N19", recipient_kind="person", recipient_id=ids["flagged"],
        data={"audience": "family", "child_name": "Seren Tŵr", "child_dob": "2018-09-09",
              "coordinator_name": "Rhian Evans", "coordinator_phone": "01267 234567", "plan_date": w.ago(1),
              "next_review_date": w.ahead(90), "rationale": "Cynllun / Plan"}))["id"]
