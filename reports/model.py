"""Plain input dataclasses for letters and reports (no database access, no Qt).

The casework layer maps store rows onto these; the renderers only read them. Free text written
by a practitioner is either a plain ``str`` (shown as written, in whatever language it was
written) or a :class:`BilingualText` when both language versions exist.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Literal

LanguageCode = Literal["cy", "en"]
LetterLanguage = Literal["cy", "en", "bilingual"]


@dataclass(frozen=True)
class BilingualText:
    """One text in Welsh and English. A side may be ``None`` while awaiting translation;
    letters refuse to render with a side missing, reports fall back to the other side."""

    cy: str | None = None
    en: str | None = None

    def get(self, lang: str) -> str | None:
        return self.cy if lang == "cy" else self.en


Scalar = str | int | float | date | BilingualText
FieldValue = Scalar | list[Scalar]
"""A letter placeholder value. Dates are formatted per language ("23 Tachwedd 2026"); lists fill
list sections; ``BilingualText`` gives each language its own wording."""


# --------------------------------------------------------------------------------------------
# Council identity (configuration)


@dataclass(frozen=True)
class CouncilIdentity:
    """The sending council, shown identically on Welsh and English letters (Standard 6).

    Load it with :meth:`from_json`; ``reports/council.example.json`` documents the format.
    """

    name_cy: str
    name_en: str
    address: list[str]
    phone: str
    email: str
    website: str
    signatory_name: str
    signatory_title_cy: str
    signatory_title_en: str
    department_cy: str = ""
    department_en: str = ""
    logo: Path | None = None
    complaints_phone: str = ""
    complaints_email: str = ""

    def name(self, lang: str) -> str:
        return self.name_cy if lang == "cy" else self.name_en

    def department(self, lang: str) -> str:
        return self.department_cy if lang == "cy" else self.department_en

    def signatory_title(self, lang: str) -> str:
        return self.signatory_title_cy if lang == "cy" else self.signatory_title_en

    @classmethod
    def from_json(cls, path: str | Path) -> CouncilIdentity:
        """Read a council JSON file. ``logo`` is resolved relative to the file; a missing logo
        file is ignored (letters then have a text-only letterhead)."""
        path = Path(path)
        raw = json.loads(path.read_text(encoding="utf-8"))
        name, title, dept = raw["name"], raw["signatory"]["title"], raw.get("department", {})
        logo = raw.get("logo")
        logo_path = (path.parent / logo) if logo else None
        if logo_path is not None and not logo_path.is_file():
            logo_path = None
        return cls(
            name_cy=name["cy"],
            name_en=name["en"],
            address=list(raw["address"]),
            phone=raw["phone"],
            email=raw["email"],
            website=raw["website"],
            signatory_name=raw["signatory"]["name"],
            signatory_title_cy=title["cy"],
            signatory_title_en=title["en"],
            department_cy=dept.get("cy", ""),
            department_en=dept.get("en", ""),
            logo=logo_path,
            complaints_phone=raw.get("complaints", {}).get("phone", raw["phone"]),
            complaints_email=raw.get("complaints", {}).get("email", raw["email"]),
        )


# --------------------------------------------------------------------------------------------
# Letters


@dataclass
class Recipient:
    """Who the letter goes to. ``language_preference`` is the recorded correspondence wish:
    "cy", "en" or ``None`` (unknown → bilingual, Standard 5). ``salutation_name`` fills
    ``{recipient_name}`` when it differs from the addressee (e.g. an agency's named officer).
    Personal names are not mutated after "Annwyl"; a common noun must be given already mutated
    ("Gydweithiwr")."""

    name: str
    address: list[str] = field(default_factory=list)
    language_preference: str | None = None
    salutation_name: str | None = None  # "Annwyl …/Dear …" when not the name on the envelope
    care_of: str | None = None  # "d/o …/c/o …": the person or agency the letter goes through (at their address)


@dataclass(frozen=True)
class Signatory:
    """Who signs, when not the council's default signatory (e.g. the relinquishing social worker)."""

    name: str
    title: BilingualText


@dataclass
class LetterData:
    """Everything a letter needs besides its template and the council.

    ``fields`` holds the template's named placeholders (see ``reports.templates``). The renderer
    supplies ``recipient_name`` and the council's contact placeholders itself.
    """

    recipient: Recipient
    letter_date: date
    fields: dict[str, FieldValue] = field(default_factory=dict)
    reference: str = ""
    signatory: Signatory | None = None


# --------------------------------------------------------------------------------------------
# Conference reports

RegistrationCategory = Literal["physical", "emotional", "sexual", "financial", "neglect"]
REGISTRATION_CATEGORIES: tuple[str, ...] = ("physical", "emotional", "sexual", "financial", "neglect")


@dataclass
class Attendee:
    """A person invited to a conference. ``attended`` False = apologies; ``report_submitted``
    records whether their agency sent a written report."""

    name: str
    role: str
    agency: str
    attended: bool = True
    report_submitted: bool = False


@dataclass
class AgencyReport:
    agency: str
    author: str
    summary: str | BilingualText
    received: date | None = None
    shared_with_family: date | None = None


@dataclass
class CoreGroupContribution:
    member: str
    agency: str
    contribution: str | BilingualText


@dataclass
class PlanAction:
    description: str | BilingualText
    owner: str
    due: date | None = None


@dataclass
class PlanOutcome:
    description: str | BilingualText
    actions: list[PlanAction] = field(default_factory=list)


@dataclass
class ConferenceChild:
    """The decision for one child (made separately for each child, WSP c3pt2-p9)."""

    name: str
    date_of_birth: date | None = None
    registered: bool = False
    categories: list[str] = field(default_factory=list)  # REGISTRATION_CATEGORIES codes
    deregistered: bool = False  # review conference only
    decision_reasons: str | BilingualText = ""
    coordinator: str = ""  # CSPP co-ordinator named at the conference ("" = none: N3 escalation)
    dissent: str | BilingualText = ""


@dataclass
class ChildConference:
    """An initial (``kind="initial"``) or review (``kind="review"``) child protection conference."""

    kind: Literal["initial", "review"]
    conference_date: date
    children: list[ConferenceChild]
    chair: str
    venue: str = ""
    record_taker: str = ""
    conference_language: str = "en"
    attendees: list[Attendee] = field(default_factory=list)
    agency_reports: list[AgencyReport] = field(default_factory=list)
    core_group_contributions: list[CoreGroupContribution] = field(default_factory=list)
    outcomes: list[PlanOutcome] = field(default_factory=list)
    first_core_group_date: date | None = None
    next_review_date: date | None = None
    quorum_chair_discretion: bool = False  # chair accepted two agencies (WSP c4-p8)
    reference: str = ""


@dataclass
class AdultConference:
    """An adult protection conference (WSP a3pt2)."""

    conference_date: date
    adult_name: str
    chair: str
    lead_coordinator: str
    lead_practitioner: str = ""
    adult_date_of_birth: date | None = None
    venue: str = ""
    record_taker: str = ""
    adult_participation: str | BilingualText = ""
    advocate: str = ""
    attendees: list[Attendee] = field(default_factory=list)
    agency_reports: list[AgencyReport] = field(default_factory=list)
    concerns: str | BilingualText = ""
    decisions: list[str | BilingualText] = field(default_factory=list)
    outcomes: list[PlanOutcome] = field(default_factory=list)
    review_date: date | None = None
    reference: str = ""


# --------------------------------------------------------------------------------------------
# Committee report (seed 004)


@dataclass
class Timeliness:
    """``in_time`` of ``due`` events met their timescale in the period."""

    due: int = 0
    in_time: int = 0

    @property
    def percent(self) -> float | None:
        return None if self.due == 0 else 100.0 * self.in_time / self.due


@dataclass
class MonthFigures:
    """One measure's counts for one month of the trend (``start``…``end``: a calendar month, the last one
    cut at the report's period end), counted exactly as a report for that month alone would count."""

    start: date
    end: date
    fell_due: int = 0
    carried: int = 0
    on_time: int = 0
    late: int = 0
    outstanding: int = 0
    ended: int = 0
    excepted: int = 0

    @property
    def percent_on_time(self) -> float | None:
        return None if self.fell_due == 0 else 100.0 * self.on_time / self.fell_due


@dataclass
class MeasureFigures:
    """One timescale's counts over the period (see :mod:`desktop.domain.occurrences`): what fell due,
    what was carried over from before, done on time, done late, still outstanding at the end, and left
    undone when the child or adult left the rule (de-registered, case closed)."""

    rule_id: str
    population: str
    title: dict[str, str]
    """The measure in each language ("cy", "en"), with its timescale from the rule table."""
    fell_due: int = 0
    carried: int = 0
    on_time: int = 0
    late: int = 0
    outstanding: int = 0
    ended: int = 0
    excepted: int = 0
    """Items a manager recorded an exception for (not counted above)."""
    trend: list[MonthFigures] = field(default_factory=list)
    """The same counts month by month over the twelve months to the period end (oldest first)."""

    @property
    def percent_on_time(self) -> float | None:
        return None if self.fell_due == 0 else 100.0 * self.on_time / self.fell_due


@dataclass
class CommitteeStats:
    """Plain numbers for one reporting period; computing them from the store is not ours."""

    period_start: date
    period_end: date
    measures: list[MeasureFigures] = field(default_factory=list)
    children_on_register: int = 0  # at period end
    register_by_category: dict[str, int] = field(default_factory=dict)  # REGISTRATION_CATEGORIES
    registrations: int = 0
    re_registrations: int = 0
    deregistrations: int = 0
    days_on_register: list[int] = field(default_factory=list)  # one per child de-registered
    babies_with_court: Timeliness = field(default_factory=Timeliness)  # placed ≤3 months / babies
    babies_without_court: Timeliness = field(default_factory=Timeliness)
    open_cases: int = 0
    welsh_preference_cases: int = 0
    letters_sent: int = 0
    welsh_letters_sent: int = 0  # Welsh-only or bilingual
    welsh_letters_same_time: int = 0  # Welsh version sent with the English (Standard 4/6)
    open_cases_by_team: dict[str, int] = field(default_factory=dict)
    """Open cases at the period end per team (never per worker: committee papers are often public)."""
    coverage: Literal["laptop", "council", "team"] = "laptop"
    """Which cases were counted: those held on one laptop, every case in the council (the server), or one
    team's (the server, ``team`` named)."""
    team: str = ""


# -- the N7 information pack to a receiving authority (drawn by reports.transfer_pack) --------------


@dataclass(frozen=True)
class PackContact:
    """Someone the receiving authority may need to reach: a name, their role, their agency, how to reach
    them (phone and email as recorded; "" when not)."""

    name: str
    role: str | BilingualText = ""
    agency: str = ""
    phone: str = ""
    email: str = ""

    def reach(self) -> str:
        return "\n".join(x for x in (self.phone, self.email) if x)


@dataclass(frozen=True)
class PackAction:
    description: str | BilingualText
    owner: str
    due: date | None = None


@dataclass(frozen=True)
class PackOutcome:
    description: str | BilingualText
    actions: list[PackAction] = field(default_factory=list)


@dataclass(frozen=True)
class TransferPack:
    """Everything the pack says (no ids). ``categories`` are the register's codes (physical, emotional,
    sexual, neglect, …); ``conference_kind`` "initial" or "review" (``None``: none held)."""

    authority: str
    authority_address: list[str]
    language: str
    made_on: date
    reference: str
    child_name: str
    child_dob: date | None
    notified_on: date
    permanent: bool
    new_address: str = ""
    expected_until: date | None = None
    move_notes: str = ""
    registered_on: date | None = None
    categories: list[str] = field(default_factory=list)
    coordinator: str = ""
    next_review_on: date | None = None
    outline: str | BilingualText = ""
    outcomes: list[PackOutcome] = field(default_factory=list)
    conference_kind: str | None = None
    conference_on: date | None = None
    conference_registered: bool = True
    conference_outline: str | BilingualText = ""
    core_group: list[PackContact] = field(default_factory=list)
    social_worker: PackContact | None = None
    team_manager: PackContact | None = None
    signatory: str = ""
    signatory_title: str | BilingualText = ""
