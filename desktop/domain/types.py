"""Code lists of the core, each value with its label marked for translation (Qt-free).

Values are stable codes stored in the database and sent over sync; labels are English msgids
translated when shown (``label(Role.SOCIAL_WORKER)`` or ``label("social_worker")``).
"""

from __future__ import annotations

from enum import StrEnum

from desktop.i18n import N_, _, translator


class Role(StrEnum):
    SOCIAL_WORKER = "social_worker"
    TEAM_MANAGER = "team_manager"
    SENIOR_MANAGER = "senior_manager"
    REGISTER_CUSTODIAN = "register_custodian"
    ADMIN_STAFF = "admin_staff"
    PERFORMANCE_OFFICER = "performance_officer"  # the authority's figures and returns, never casework


class CaseType(StrEnum):
    CHILD_PROTECTION = "child_protection"
    CHILD_IN_NEED = "child_in_need"
    LOOKED_AFTER = "looked_after"
    ADULT_AT_RISK = "adult_at_risk"


class LanguagePreference(StrEnum):
    """Correspondence language (Welsh Language Standards 2 and 5: ask, record; unknown means a
    Welsh version is sent too)."""

    WELSH = "cy"
    ENGLISH = "en"
    BILINGUAL = "bilingual"
    UNKNOWN = "unknown"


class Membership(StrEnum):
    RESIDENT = "resident"
    REGULAR_VISITOR = "regular_visitor"


class CaseRole(StrEnum):
    """A person's part in a case."""

    SUBJECT = "subject"
    PARENT = "parent"
    CARER = "carer"
    SIBLING = "sibling"
    FAMILY = "family"
    OTHER = "other"


class TeamKind(StrEnum):
    CHILD_IN_NEED = "cin"
    CHILDREN_IN_CARE = "cic"
    CHILD_PROTECTION = "cp"
    ADULT_SAFEGUARDING = "adult"
    ADMIN = "admin"


RELATIONSHIP_KINDS = ("mother", "father", "parent", "step_parent", "sibling", "half_sibling", "grandparent", "partner",
                      "carer", "friend", "professional", "other")
"""How the related person stands to the person ("Dafydd is Osian's father")."""
PR_BASES = ("birth_mother", "married_parent", "birth_registration", "agreement_or_order", "special_guardianship",
            "care_order", "adoption")
"""On what basis someone holds parental responsibility (Children Act 1989 ss.2–4A, 14C, 33; adoption)."""

LABELS: dict[str, str] = {
    # roles
    Role.SOCIAL_WORKER: N_("Social worker / lead practitioner"),
    Role.TEAM_MANAGER: N_("Team manager"),
    Role.SENIOR_MANAGER: N_("Senior manager (safeguarding)"),
    Role.REGISTER_CUSTODIAN: N_("Register custodian"),
    Role.ADMIN_STAFF: N_("Admin staff"),
    Role.PERFORMANCE_OFFICER: N_("Performance officer"),
    # case types
    CaseType.CHILD_PROTECTION: N_("Child protection"),
    CaseType.CHILD_IN_NEED: N_("Child in need"),
    CaseType.LOOKED_AFTER: N_("Looked after child"),
    CaseType.ADULT_AT_RISK: N_("Adult at risk"),
    # language preference
    LanguagePreference.WELSH: N_("Welsh"),
    LanguagePreference.ENGLISH: N_("English"),
    LanguagePreference.BILINGUAL: N_("Welsh and English"),
    LanguagePreference.UNKNOWN: N_("Not yet asked"),
    # household membership
    Membership.RESIDENT: N_("Lives in the household"),
    Membership.REGULAR_VISITOR: N_("Regular visitor"),
    # case roles
    CaseRole.SUBJECT: N_("Subject of the case"),
    CaseRole.PARENT: N_("Parent"),
    CaseRole.CARER: N_("Carer"),
    CaseRole.SIBLING: N_("Sibling"),
    CaseRole.FAMILY: N_("Family member"),
    CaseRole.OTHER: N_("Other"),
    # team kinds
    TeamKind.CHILD_IN_NEED: N_("Children in Need team"),
    TeamKind.CHILDREN_IN_CARE: N_("Children in Care team"),
    TeamKind.CHILD_PROTECTION: N_("Child protection team"),
    TeamKind.ADULT_SAFEGUARDING: N_("Adult safeguarding team"),
    TeamKind.ADMIN: N_("Business support"),
    # relationships
    "mother": N_("Mother"),
    "father": N_("Father"),
    "step_parent": N_("Step-parent"),
    "partner": N_("Partner"),
    "grandparent": N_("Grandparent"),
    "parent": N_("Parent"),
    "half_sibling": N_("Half-sibling"),
    "friend": N_("Friend"),
    "professional": N_("Professional"),
    # the basis of parental responsibility
    "birth_mother": N_("the child's birth mother"),
    "married_parent": N_("married to or in a civil partnership with the mother at the birth"),
    "birth_registration": N_("registered on the birth certificate"),
    "agreement_or_order": N_("a parental responsibility agreement or court order"),
    "special_guardianship": N_("a special guardianship order"),
    "care_order": N_("a care order (the local authority)"),
    "adoption": N_("an adoption order"),
}


def label(code: str | None, lang: str | None = None) -> str:
    """The translated label of a code (interface language, or ``lang``); unknown codes as they are."""
    if code is None:
        return ""
    msgid = LABELS.get(code)
    if msgid is None:
        return str(code)
    return translator(lang).gettext(msgid) if lang else _(msgid)
