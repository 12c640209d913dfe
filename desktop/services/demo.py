"""The demo profile: realistic bilingual sample data with some work overdue (Qt-free).

:func:`build_demo` creates a profile whose signed-in person is one of the demo staff, then
seeds the core (teams, staff, agencies, families with addresses, households, relationships and
language preferences, one case of each type) through the real services and transactions, and
then hands a :class:`DemoContext` to each casework area's ``seed(ctx)`` (child protection,
adults at risk, children in need / in care), which add their journeys. Every row goes through
``Tx``, so the demo has a full audit trail and outbox like real work.
"""

from __future__ import annotations

import importlib
import uuid
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from desktop.clock import Clock, system_clock
from desktop.domain.calendar import default_calendar
from desktop.domain.types import CaseRole, CaseType, Role, TeamKind
from desktop.services.session import Session, User
from desktop.store import Store, Tx
from desktop.store.crypto import KdfParams

SEEDERS = (
    "desktop.services.child_protection.demo",
    "desktop.services.adults.demo",
    "desktop.services.children.demo",
    "desktop.services.casework_records_demo",  # notes, supervision and sign-offs (issue 19): after the rest
)

PERSONAS = {
    Role.SOCIAL_WORKER: "sw_rhian",
    Role.TEAM_MANAGER: "tm_cp",
    Role.SENIOR_MANAGER: "senior",
    Role.REGISTER_CUSTODIAN: "custodian",
    Role.ADMIN_STAFF: "admin",
}


@dataclass
class DemoContext:
    """What casework seeders get. Keys name the demo's people so seeders can refer to them.

    * ``teams``: "cp", "cin", "cic", "adult", "admin" → team id
    * ``staff``: "sw_rhian", "sw_tom" (child protection social workers), "tm_cp", "sw_cin",
      "tm_cin", "sw_cic", "tm_cic", "iro", "sw_adult", "tm_adult", "senior", "custodian",
      "admin" → practitioner id (app users; social workers have SCW numbers)
    * ``agencies``: "social_services", "police", "health_board", "ysgol_y_dderwen",
      "llanelli_primary", "gp_surgery", "housing", "probation" → agency id
    * ``practitioners``: external practitioners "pc_morgan", "hv_sian", "teacher_ffion",
      "teacher_dan", "gp_patel", "nurse_alun", "housing_jo" → practitioner id
    * ``families``: "twr", "jones", "pritchard", "evans_hughes", "morgan", "williams", "parry"
      → {role key → person id}; e.g. families["twr"]["seren"]
    * ``cases``: "twr_cp", "jones_cp", "pritchard_cin", "tyler_lac", "lili_lac",
      "williams_adult", "parry_adult" → case id
    """

    store: Store
    profile: Any
    today: date
    teams: dict[str, str] = field(default_factory=dict)
    staff: dict[str, str] = field(default_factory=dict)
    agencies: dict[str, str] = field(default_factory=dict)
    practitioners: dict[str, str] = field(default_factory=dict)
    families: dict[str, dict[str, str]] = field(default_factory=dict)
    cases: dict[str, str] = field(default_factory=dict)

    def days_ago(self, n: int) -> str:
        return (self.today - timedelta(days=n)).isoformat()

    def working_days_ago(self, n: int) -> str:
        """``n`` working days before today (weekends and bank holidays skipped), so that what the demo
        shows as overdue under a working-day rule is overdue whichever day it is built on."""
        return default_calendar().add_working_days(self.today, -n).isoformat()

    def write(self, fn: Callable[[Tx], Any], as_staff: str = "sw_rhian") -> Any:
        return self.store.write(fn, actor=self.staff[as_staff])

    def session(self, staff_key: str) -> Session:
        """A session acting as one of the demo staff (for calling services as them)."""
        row = self.store.rows("SELECT * FROM practitioner WHERE id = ?", [self.staff[staff_key]])[0]
        user = User(row["id"], row["given_names"], row["family_name"], row["app_role"], row["team_id"], row["scw_number"])
        return Session(self.profile, self.store, user)


def build_demo(folder: Path, password: str, *, role: str = Role.SOCIAL_WORKER, language: str = "cy",
               kdf: KdfParams | None = None, clock: Clock = system_clock) -> DemoContext:
    """Create the demo profile in ``folder`` (which must not hold a profile) and seed it.

    The signed-in person is the demo persona for ``role``. Every date in the demo is set relative
    to ``clock``'s today, which the store keeps. Returns the context (store open; the caller
    closes ``ctx.store``).
    """
    persona = PERSONAS[Role(role)]
    first = _STAFF[persona]
    session = Session.create_profile(
        folder,
        given_names=first[0],
        family_name=first[1],
        role=role,
        team_name=_TEAMS[first[3]][0],
        team_kind=first[3],
        password=password,
        language=language,
        scw_number=first[4],
        kdf=kdf,
        clock=clock,
    )
    ctx = DemoContext(store=session.store, profile=session.profile, today=session.today())
    ctx.staff[persona] = session.user.id
    ctx.teams[first[3]] = session.user.team_id or ""
    ctx.write(lambda tx: _seed_core(tx, ctx), as_staff=persona)
    # A demo says so: the status bar reads "Demo — not connected to a server" (desktop.sync.status).
    ctx.write(lambda tx: tx.db.execute("INSERT INTO sync_state (key, value) VALUES ('demo', '1')"), as_staff=persona)
    for name in SEEDERS:
        try:
            seeder = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name and name.startswith(exc.name):
                continue  # that casework area is not in this build
            raise
        seeder.seed(ctx)
    return ctx


# -- the core seed ---------------------------------------------------------------------------

_TEAMS = {
    TeamKind.CHILD_PROTECTION: ("Tîm Diogelu Plant / Child Safeguarding Team", "Tîm Diogelu Plant"),
    TeamKind.CHILD_IN_NEED: ("Tîm Plant mewn Angen / Children in Need Team", "Tîm Plant mewn Angen"),
    TeamKind.CHILDREN_IN_CARE: ("Tîm Plant mewn Gofal / Children in Care Team", "Tîm Plant mewn Gofal"),
    TeamKind.ADULT_SAFEGUARDING: ("Tîm Diogelu Oedolion / Adult Safeguarding Team", "Tîm Diogelu Oedolion"),
    TeamKind.ADMIN: ("Cymorth Busnes / Business Support", "Cymorth Busnes"),
}

# key: (given, family, app role, team kind, SCW number, job title, welsh speaker)
_STAFF = {
    "sw_rhian": ("Rhian", "Evans", Role.SOCIAL_WORKER, TeamKind.CHILD_PROTECTION, "SW-104233", "Social worker", 1),
    "sw_tom": ("Tom", "Bevan", Role.SOCIAL_WORKER, TeamKind.CHILD_PROTECTION, "SW-118902", "Social worker", 0),
    "tm_cp": ("Carys", "Lloyd", Role.TEAM_MANAGER, TeamKind.CHILD_PROTECTION, "SW-093310", "Team manager", 1),
    "sw_cin": ("Gareth", "Rees", Role.SOCIAL_WORKER, TeamKind.CHILD_IN_NEED, "SW-120045", "Social worker", 1),
    "tm_cin": ("Helen", "Davies", Role.TEAM_MANAGER, TeamKind.CHILD_IN_NEED, "SW-087721", "Team manager", 0),
    "sw_cic": ("Siân", "Hughes", Role.SOCIAL_WORKER, TeamKind.CHILDREN_IN_CARE, "SW-115532", "Social worker", 1),
    "tm_cic": ("Mark", "Phillips", Role.TEAM_MANAGER, TeamKind.CHILDREN_IN_CARE, "SW-079914", "Team manager", 0),
    "iro": ("Elen", "Roberts", Role.SOCIAL_WORKER, TeamKind.CHILDREN_IN_CARE, "SW-066120",
            "Independent reviewing officer", 1),
    "sw_adult": ("Owain", "Thomas", Role.SOCIAL_WORKER, TeamKind.ADULT_SAFEGUARDING, "SW-101877",
                 "Social worker (lead co-ordinator)", 1),
    "tm_adult": ("Julie", "Watkins", Role.TEAM_MANAGER, TeamKind.ADULT_SAFEGUARDING, "SW-072266", "Team manager", 0),
    "senior": ("Dr Angharad", "Jenkins", Role.SENIOR_MANAGER, TeamKind.CHILD_PROTECTION, "SW-051003",
               "Head of safeguarding", 1),
    "custodian": ("Llinos", "Price", Role.REGISTER_CUSTODIAN, TeamKind.CHILD_PROTECTION, None,
                  "Child protection register custodian", 1),
    # Admin staff sit in the team whose letters they print (scope: their team's cases).
    "admin": ("Bethan", "Morris", Role.ADMIN_STAFF, TeamKind.CHILD_PROTECTION, None, "Business support officer", 1),
}

_AGENCIES = {
    "social_services": ("Cyngor Sir Enghraifft – Gwasanaethau Cymdeithasol", "Social services", "la_social_services", "cy"),
    "police": ("Heddlu Dyfed-Powys / Dyfed-Powys Police", "Police", "police", "bilingual"),
    "health_board": ("Bwrdd Iechyd Prifysgol Hywel Dda / Hywel Dda University Health Board", "Health", "health_board",
                     "bilingual"),
    "ysgol_y_dderwen": ("Ysgol Gynradd y Dderwen", "Education", "education", "cy"),
    "llanelli_primary": ("Llanelli Park Primary School", "Education", "education", "en"),
    "gp_surgery": ("Meddygfa'r Tywi / Tywi Surgery", "Health", "health_board", "unknown"),
    "housing": ("Tai Ceredigion Housing", "Housing", "housing", "unknown"),
    "probation": ("Gwasanaeth Prawf Cymru / Probation Service Wales", "Probation", "probation", "en"),
}

# key: (given, family, agency key, job title, welsh speaker)
_EXTERNAL = {
    "pc_morgan": ("Huw", "Morgan", "police", "Detective Constable, Public Protection Unit", 1),
    "hv_sian": ("Sian", "Griffiths", "health_board", "Health visitor", 1),
    "teacher_ffion": ("Ffion", "Harries", "ysgol_y_dderwen", "Designated safeguarding lead", 1),
    "teacher_dan": ("Dan", "Walsh", "llanelli_primary", "Designated safeguarding lead", 0),
    "gp_patel": ("Priya", "Patel", "gp_surgery", "General practitioner", 0),
    "nurse_alun": ("Alun", "Jones", "health_board", "Community psychiatric nurse", 1),
    "housing_jo": ("Jo", "Baker", "housing", "Tenancy support officer", 0),
}

# family key: (address, members) — member: key, given, family, dob offset (years, days) or None,
# case role, correspondence language, extra fields
_FAMILIES: dict[str, tuple[dict[str, str], list[tuple[Any, ...]]]] = {
    "twr": (
        {"line1": "4 Heol y Dderwen", "town": "Caerfyrddin", "postcode": "SA31 1BT"},
        [
            ("gwenllian", "Gwenllïan", "Tŵr", (31, 40), CaseRole.PARENT, "cy", {"first_language": "cy", "sex": "Benyw"}),
            ("dafydd", "Dafydd", "ap Llŷr", (34, 200), CaseRole.PARENT, "cy", {"first_language": "cy", "sex": "Gwryw"}),
            ("seren", "Seren", "Tŵr", (8, 75), CaseRole.SUBJECT, "cy", {"first_language": "cy", "sex": "Female", "school": "Ysgol Gynradd y Dderwen"}),
            ("osian", "Osian", "ap Llŷr", (5, 12), CaseRole.SUBJECT, "cy", {"first_language": "cy", "sex": "Male", "school": "Ysgol Gynradd y Dderwen"}),
        ],
    ),
    "jones": (
        {"line1": "27 Station Road", "town": "Llanelli", "postcode": "SA15 1AN"},
        [
            ("kelly", "Kelly", "Jones", (26, 300), CaseRole.PARENT, "en", {"first_language": "en"}),
            ("liam", "Liam", "Price", (29, 10), CaseRole.FAMILY, "en", {"first_language": "en"}),
            ("mason", "Mason", "Jones", (3, 140), CaseRole.SUBJECT, "en", {"first_language": "en"}),
            ("ruby", "Ruby", "Jones", (0, 150), CaseRole.SUBJECT, "en", {"first_language": "en"}),
        ],
    ),
    "pritchard": (
        {"line1": "Bryn Awel", "line2": "Heol Tywi", "town": "Llandeilo", "postcode": "SA19 6PG"},
        [
            ("nia", "Nia", "Pritchard", (44, 91), CaseRole.PARENT, "cy", {"first_language": "cy", "disability": "Multiple sclerosis"}),
            ("elis", "Elis", "Pritchard", (11, 222), CaseRole.SUBJECT, "cy", {"first_language": "cy", "school": "Ysgol Bro Dinefwr"}),
        ],
    ),
    "evans_hughes": (
        {"line1": "12 Maes yr Haf", "town": "Rhydaman", "postcode": "SA18 2DS"},
        [
            ("donna", "Donna", "Evans", (38, 17), CaseRole.PARENT, "unknown", {}),
            ("tyler", "Tyler", "Evans-Hughes", (13, 48), CaseRole.SUBJECT, "unknown", {"first_language": "en"}),
        ],
    ),
    "morgan": (
        {"line1": "Fflat 3, Tŷ Glas", "town": "Caerfyrddin", "postcode": "SA31 3QR"},
        [
            ("leah", "Leah", "Morgan", (19, 60), CaseRole.PARENT, "en", {}),
            ("lili", "Lili", "Morgan", (0, 185), CaseRole.SUBJECT, "en", {}),
        ],
    ),
    "williams": (
        {"line1": "9 Marine Terrace", "town": "Aberystwyth", "postcode": "SY23 2AZ"},
        [
            ("margaret", "Margaret", "Williams", (82, 30), CaseRole.SUBJECT, "en", {"first_language": "en"}),
            ("kevin", "Kevin", "Williams", (54, 2), CaseRole.FAMILY, "en", {}),
        ],
    ),
    "parry": (
        {"line1": "Pen-y-bryn", "town": "Llanbedr Pont Steffan", "postcode": "SA48 7AB"},
        [
            ("eirlys", "Eirlys", "Parry", (67, 100), CaseRole.SUBJECT, "cy", {"first_language": "cy"}),
            ("gwyn", "Gwyn", "Parry", (70, 5), CaseRole.FAMILY, "cy", {"first_language": "cy"}),
        ],
    ),
}

_CASES = {
    # case key: (family, case type, team kind, worker key, opened days ago)
    "twr_cp": ("twr", CaseType.CHILD_PROTECTION, TeamKind.CHILD_PROTECTION, "sw_rhian", 120),
    "jones_cp": ("jones", CaseType.CHILD_PROTECTION, TeamKind.CHILD_PROTECTION, "sw_tom", 75),
    "pritchard_cin": ("pritchard", CaseType.CHILD_IN_NEED, TeamKind.CHILD_IN_NEED, "sw_cin", 90),
    "tyler_lac": ("evans_hughes", CaseType.LOOKED_AFTER, TeamKind.CHILDREN_IN_CARE, "sw_cic", 400),
    "lili_lac": ("morgan", CaseType.LOOKED_AFTER, TeamKind.CHILDREN_IN_CARE, "sw_cic", 170),
    "williams_adult": ("williams", CaseType.ADULT_AT_RISK, TeamKind.ADULT_SAFEGUARDING, "sw_adult", 30),
    "parry_adult": ("parry", CaseType.ADULT_AT_RISK, TeamKind.ADULT_SAFEGUARDING, "sw_adult", 50),
}

_RELATIONS = [
    # family, person, related, kind, parental responsibility, lives in household, regular visitor
    ("twr", "seren", "gwenllian", "mother", 1, 1, 0),
    ("twr", "seren", "dafydd", "step_parent", 0, 1, 0),
    ("twr", "osian", "gwenllian", "mother", 1, 1, 0),
    ("twr", "osian", "dafydd", "father", 1, 1, 0),
    ("twr", "seren", "osian", "sibling", 0, 1, 0),
    ("jones", "mason", "kelly", "mother", 1, 1, 0),
    ("jones", "ruby", "kelly", "mother", 1, 1, 0),
    ("jones", "mason", "liam", "partner", 0, 0, 1),
    ("pritchard", "elis", "nia", "mother", 1, 1, 0),
    ("evans_hughes", "tyler", "donna", "mother", 1, 0, 0),
    ("morgan", "lili", "leah", "mother", 1, 0, 0),
    ("williams", "margaret", "kevin", "other", 0, 0, 1),
    ("parry", "eirlys", "gwyn", "partner", 0, 1, 0),
]


_PR_BASIS = {"mother": "birth_mother", "father": "birth_registration"}


def _seed_core(tx: Tx, ctx: DemoContext) -> None:
    for kind, (name, name_cy) in _TEAMS.items():
        if kind in ctx.teams:
            tx.update("team", ctx.teams[kind], {"name_cy": name_cy})
        else:
            ctx.teams[kind] = tx.insert("team", {"name": name, "name_cy": name_cy, "kind": kind})["id"]
    for key, (name, _type_label, agency_type, language) in _AGENCIES.items():
        ctx.agencies[key] = tx.insert(
            "agency",
            {
                "name": name,
                "agency_type": agency_type,
                "relevant_partner": 1,
                "address": "Swyddfa Ddiogelu / Safeguarding Office\nHeol y Brenin\nCaerfyrddin\nSA31 1XX",
                "correspondence_language": language,
            },
        )["id"]
    for key, (given, family, role, team, scw, title, welsh) in _STAFF.items():
        if key in ctx.staff:
            tx.update("practitioner", ctx.staff[key], {"job_title": title, "welsh_speaker": welsh,
                                                       "agency_id": ctx.agencies["social_services"]})
            continue
        ctx.staff[key] = tx.insert(
            "practitioner",
            {
                "given_names": given,
                "family_name": family,
                "app_role": role,
                "team_id": ctx.teams[team],
                "scw_number": scw,
                "employed_by_social_services": 1,
                "agency_id": ctx.agencies["social_services"],
                "job_title": title,
                "welsh_speaker": welsh,
                "email": f"{given.split()[-1].lower()}.{family.lower()}@enghraifft.gov.wales",
                "phone": "01267 234567",
            },
        )["id"]
    for key, (given, family, agency, title, welsh) in _EXTERNAL.items():
        ctx.practitioners[key] = tx.insert(
            "practitioner",
            {"given_names": given, "family_name": family, "agency_id": ctx.agencies[agency], "job_title": title,
             "welsh_speaker": welsh, "phone": "01267 000000"},
        )["id"]
    for fam, (address, members) in _FAMILIES.items():
        ids: dict[str, str] = {}
        household = tx.insert(
            "household",
            {"name": members[0][2], "address_line1": address["line1"], "address_line2": address.get("line2"),
             "town": address["town"], "postcode": address["postcode"]},
        )
        for key, given, family, age, _role, language, extra in members:
            years, days = age
            dob = date(ctx.today.year - years, ctx.today.month, min(ctx.today.day, 28)) - timedelta(days=days)
            person = tx.insert(
                "person",
                {
                    "given_names": given,
                    "family_name": family,
                    "date_of_birth": dob.isoformat(),
                    "correspondence_language": language,
                    "language_asked_on": None if language == "unknown" else ctx.days_ago(200),
                    "language_asked_by": None if language == "unknown" else ctx.staff["sw_rhian"],
                    "la_number": f"LA{zlib.crc32(f'{fam}/{key}'.encode()) % 10**6:06d}",
                    **extra,
                },
            )
            ids[key] = person["id"]
            tx.insert("address", {"person_id": person["id"], **address, "country": "GB", "from_date": ctx.days_ago(900)})
            lives_in = not (fam == "jones" and key == "liam") and not (fam == "williams" and key == "kevin")
            tx.insert(
                "household_member",
                {"household_id": household["id"], "person_id": person["id"],
                 "membership": "resident" if lives_in else "regular_visitor", "from_date": ctx.days_ago(900)},
            )
        ctx.families[fam] = ids
    for family_key, person_key, related_key, relation, pr, lives, visitor in _RELATIONS:
        ids = ctx.families[family_key]
        tx.insert(
            "relationship",
            {"person_id": ids[person_key], "related_person_id": ids[related_key], "kind": relation,
             "parental_responsibility": pr, "lives_in_household": lives, "regular_visitor": visitor,
             "pr_basis": (_PR_BASIS.get(relation) if pr else None)},
        )
    for case_key, (fam, case_type, team, worker, opened) in _CASES.items():
        members = _FAMILIES[fam][1]
        case_id = str(uuid.uuid4())
        case = tx.insert(
            "case_file",
            {
                "id": case_id,
                "reference": f"{ctx.today.year}-{len(ctx.cases) + 1:05d}-DEMO",
                "case_type": case_type,
                "team_id": ctx.teams[team],
                "allocated_worker_id": ctx.staff[worker],
                "opened_on": ctx.days_ago(opened),
                "active_offer_made": 1,
                "active_offer_on": ctx.days_ago(opened),
            },
            case_id=case_id,
        )
        ctx.cases[case_key] = case["id"]
        for key, _g, _f, _a, role, _l, _x in members:
            tx.insert("case_member", {"person_id": ctx.families[fam][key], "role": role}, case_id=case["id"])
        tx.insert(
            "role_assignment",
            {"role": "allocated_worker", "practitioner_id": ctx.staff[worker], "from_date": ctx.days_ago(opened)},
            case_id=case["id"],
        )
