"""What each role may do (Qt-free). Services call :func:`require`; hiding a button is not
enforcement. Scope (which cases) is separate: see :mod:`desktop.services.scope`."""

from __future__ import annotations

from enum import StrEnum

from desktop.domain.types import Role
from desktop.errors import PermissionDenied
from desktop.i18n import N_


class Can(StrEnum):
    VIEW_CASE = "view_case"  # that the case exists, its people and their contact details
    VIEW_CASEWORK = "view_casework"  # visits, notes, minutes, plans, assessments
    RECORD_CASEWORK = "record_casework"
    EDIT_PERSON = "edit_person"  # every field of a person
    EDIT_CONTACT = "edit_contact"  # address, phone, email, language preference
    CREATE_CASE = "create_case"
    ALLOCATE = "allocate"  # allocate cases, assign cover
    RATIFY = "ratify"  # e.g. a section 47 determination 1
    AGREE_DEPARTURE = "agree_departure"  # departure from a strategy timescale
    MANAGE_REGISTER = "manage_register"
    MANAGE_LETTERS = "manage_letters"  # print queue, correspondence
    VIEW_TEAM_WORK = "view_team_work"
    VIEW_ESCALATIONS = "view_escalations"
    VIEW_AUDIT = "view_audit"
    COMMITTEE_REPORT = "committee_report"
    COUNCIL_FIGURES = "council_figures"  # the whole authority's figures, from the server
    AGREE_EXCEPTION = "agree_exception"  # a recorded exception to a timescale for one child or adult
    SUPERVISE = "supervise"  # record supervision of a worker's case; sign off or return a record (issue 19)
    SAFETY = "safety"  # set or clear a person's safety flags; release a letter the guard held (issue 20)


_CASEWORKER = {
    Can.VIEW_CASE,
    Can.VIEW_CASEWORK,
    Can.RECORD_CASEWORK,
    Can.EDIT_PERSON,
    Can.EDIT_CONTACT,
    Can.CREATE_CASE,
}

GRANTS: dict[Role, frozenset[Can]] = {
    Role.SOCIAL_WORKER: frozenset(_CASEWORKER),
    Role.TEAM_MANAGER: frozenset(
        _CASEWORKER | {Can.ALLOCATE, Can.RATIFY, Can.VIEW_TEAM_WORK, Can.MANAGE_LETTERS, Can.COMMITTEE_REPORT,
                       Can.AGREE_EXCEPTION, Can.SUPERVISE, Can.SAFETY}
    ),
    Role.SENIOR_MANAGER: frozenset(
        _CASEWORKER
        | {
            Can.ALLOCATE,
            Can.RATIFY,
            Can.AGREE_DEPARTURE,
            Can.VIEW_TEAM_WORK,
            Can.VIEW_ESCALATIONS,
            Can.VIEW_AUDIT,
            Can.COMMITTEE_REPORT,
            Can.COUNCIL_FIGURES,
            Can.AGREE_EXCEPTION,
            Can.SUPERVISE,
            Can.SAFETY,
        }
    ),
    Role.REGISTER_CUSTODIAN: frozenset({Can.VIEW_CASE, Can.MANAGE_REGISTER, Can.EDIT_CONTACT}),
    # Admin staff handle letters and contact details, never visit notes or plans.
    Role.ADMIN_STAFF: frozenset({Can.VIEW_CASE, Can.EDIT_CONTACT, Can.MANAGE_LETTERS}),
    # Performance officers read figures, never casework: the committee report (on their laptop it counts
    # nothing, since no case is in their scope) and the whole council's from the server.
    Role.PERFORMANCE_OFFICER: frozenset({Can.COMMITTEE_REPORT, Can.COUNCIL_FIGURES}),
}

_DENIED = {
    Can.VIEW_CASEWORK: N_("Your role does not give access to visit notes and casework records."),
    Can.RECORD_CASEWORK: N_("Your role cannot record casework."),
    Can.EDIT_PERSON: N_("Your role can change contact details only."),
    Can.ALLOCATE: N_("Only a manager can allocate cases or arrange cover."),
    Can.RATIFY: N_("Only a manager can ratify this decision."),
    Can.AGREE_DEPARTURE: N_("Only a senior manager can agree a departure from the timescale."),
    Can.MANAGE_REGISTER: N_("Only the register custodian can change the register."),
    Can.MANAGE_LETTERS: N_("Your role cannot print or send letters."),
    Can.AGREE_EXCEPTION: N_("Only a manager can agree an exception to a timescale."),
    Can.SUPERVISE: N_("Only a manager can record supervision or sign off a record."),
    Can.SAFETY: N_("Only a manager can set or clear a safety flag or release a held letter."),
    Can.COUNCIL_FIGURES: N_("Only a senior manager or a performance officer can have the whole council's figures."),
}


def can(role: str, capability: Can) -> bool:
    return capability in GRANTS.get(Role(role), frozenset())


def require(role: str, capability: Can) -> None:
    """Raise :class:`PermissionDenied` unless ``role`` has ``capability``."""
    if not can(role, capability):
        raise PermissionDenied(_DENIED.get(capability, N_("Your role does not allow this.")))
