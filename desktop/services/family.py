"""A case's family network (issue 20; Qt-free): who is related to whom, with parental responsibility
and its basis, drawn as a genogram on screen (``ui/family.py``) and printed (``reports/family.py``).

:meth:`FamilyService.network` starts from the people on the case and adds everyone related to them;
each person is shown only when the reader may see them (``require_person``), so a relative who is on
no case in the reader's scope is not there at all — nor is the relationship that would name them.
For each person it lists the *other* cases they are on that the reader may see (siblings and adults
linked across cases), by reference and type; cases outside scope are not mentioned, not even counted.

Each person carries the genogram's conventional symbol (:func:`symbol`: a square for male, a circle
for female, a diamond where the sex is not recorded) and the date they died, if recorded.

:func:`generations` places each person in a row of the genogram: the case's subjects in row 0, a
parent one row above the child, a grandparent two, partners and siblings beside each other, and
anyone else (carer, friend, professional) in the row of the person they are linked to; what the
genogram draws (places and lines) is :func:`desktop.services.genogram.draw`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from desktop.errors import NotFound
from desktop.i18n import N_
from desktop.services.permissions import Can
from desktop.services.safety_flags import SafetyFlag, SafetyFlagService
from desktop.services.scope import case_condition, require_case, require_person

MALE = frozenset({"m", "male", "man", "boy", "gwryw", "gwrywaidd", "dyn", "bachgen"})
FEMALE = frozenset({"f", "female", "woman", "girl", "benyw", "benywaidd", "menyw", "dynes", "merch"})


def symbol(sex: str | None) -> str:
    """The genogram's symbol for a person's recorded sex (free text, either language): "square" for
    male, "circle" for female, "diamond" when it is not recorded or is anything else."""
    word = " ".join((sex or "").casefold().replace(".", " ").split())
    return "square" if word in MALE else "circle" if word in FEMALE else "diamond"


KEY: dict[str, str] = {
    "square": N_("Male"),
    "circle": N_("Female"),
    "diamond": N_("Sex not recorded"),
    "subject": N_("The child or adult the case is about"),
    "died": N_("Died"),
    "pr": N_("Parental responsibility"),
}
"""The genogram's key: what each symbol and the thick line mean (the screen and the PDF say the same)."""
DIED = N_("Died {date}")


RISE = {"mother": -1, "father": -1, "parent": -1, "step_parent": -1, "grandparent": -2}
"""How many rows above the person the related person is drawn (``related`` is the person's …)."""


@dataclass(frozen=True)
class LinkedCase:
    """Another case a person is on, that the reader may see."""

    id: str
    reference: str
    case_type: str


@dataclass(frozen=True)
class FamilyMember:
    id: str
    name: str
    date_of_birth: str | None
    on_case: bool
    subject: bool
    flags: tuple[SafetyFlag, ...] = ()
    other_cases: tuple[LinkedCase, ...] = ()
    symbol: str = "diamond"
    """How the genogram draws them (:func:`symbol`: square, circle or diamond)."""
    died_on: str | None = None


@dataclass(frozen=True)
class FamilyLink:
    """``related_person_id`` is ``person_id``'s ``kind`` (e.g. Dafydd is Seren's step-parent)."""

    person_id: str
    related_person_id: str
    kind: str
    parental_responsibility: bool
    pr_basis: str | None
    lives_in_household: bool


@dataclass(frozen=True)
class PersonMatch:
    """Someone the reader may relate to the case's people: on one or more of the reader's cases."""

    id: str
    name: str
    date_of_birth: str | None
    cases: tuple[LinkedCase, ...]


@dataclass(frozen=True)
class FamilyNetwork:
    case_id: str
    reference: str
    people: list[FamilyMember] = field(default_factory=list)
    links: list[FamilyLink] = field(default_factory=list)

    def person(self, person_id: str) -> FamilyMember | None:
        return next((p for p in self.people if p.id == person_id), None)


def generations(network: FamilyNetwork) -> dict[str, int]:
    """The row of each person (0: the subjects' row; negative: older generations)."""
    rows: dict[str, int] = {p.id: 0 for p in network.people if p.subject}
    if not rows and network.people:
        rows[network.people[0].id] = 0
    changed = True
    while changed:
        changed = False
        for link in network.links:
            a, b, rise = link.person_id, link.related_person_id, RISE.get(link.kind, 0)
            if a in rows and b not in rows:
                rows[b], changed = rows[a] + rise, True
            elif b in rows and a not in rows:
                rows[a], changed = rows[b] - rise, True
    for p in network.people:  # someone linked to nobody placed: the subjects' row
        rows.setdefault(p.id, 0)
    return rows


class FamilyService:
    """Read-only; any thread."""

    def __init__(self, session: Any) -> None:
        self.session = session

    def network(self, case_id: str) -> FamilyNetwork:
        """The case's family network as the reader may see it (``Can.VIEW_CASE``, the case in scope)."""
        self.session.require(Can.VIEW_CASE)
        case = require_case(self.session, case_id)
        rows = self.session.store.rows
        members = {r["person_id"]: r["role"] for r in rows(
            "SELECT person_id, role FROM case_member WHERE case_id = ? AND deleted = 0", [case_id])}
        ids = set(members)
        marks = ", ".join("?" for _ in ids) or "''"
        links = rows("SELECT * FROM relationship WHERE deleted = 0 AND to_date IS NULL AND (person_id IN"
                     f" ({marks}) OR related_person_id IN ({marks})) ORDER BY created_at", [*ids, *ids])
        people: dict[str, dict[str, Any]] = {}
        for pid in sorted(ids | {x for r in links for x in (r["person_id"], r["related_person_id"])}):
            try:
                people[pid] = require_person(self.session, pid)
            except NotFound:
                continue  # outside the reader's scope: not shown, nor any link naming them
        flags = SafetyFlagService(self.session)
        condition, params = case_condition(self.session.user, self.session.today())
        out = []
        for pid, p in people.items():
            others = tuple(LinkedCase(r["id"], r["reference"], r["case_type"]) for r in rows(
                "SELECT DISTINCT c.id, c.reference, c.case_type FROM case_member m JOIN case_file c ON c.id = m.case_id"
                f" WHERE m.person_id = :pid AND m.deleted = 0 AND c.deleted = 0 AND c.id != :case AND {condition}"
                " ORDER BY c.reference", {**params, "pid": pid, "case": case_id}))
            name = " ".join(x for x in (p.get("preferred_name") or p.get("given_names"), p.get("family_name")) if x)
            out.append(FamilyMember(pid, name, p.get("date_of_birth"), pid in members, members.get(pid) == "subject",
                                    tuple(flags.flags(pid)), others, symbol(p.get("sex")), p.get("date_of_death")))
        shown = [FamilyLink(r["person_id"], r["related_person_id"], r["kind"], bool(r["parental_responsibility"]),
                            r.get("pr_basis"), bool(r["lives_in_household"]))
                 for r in links if r["person_id"] in people and r["related_person_id"] in people]
        return FamilyNetwork(case_id, case["reference"], out, shown)

    def find_people(self, case_id: str, text: str, *, limit: int = 30) -> list[PersonMatch]:
        """People on any case in the reader's scope whose name has every word of ``text`` (a word's
        start, any case; two letters at least), to relate to the case's people ("Add a relationship…",
        ``Can.EDIT_PERSON``, the case in scope). Never anyone outside the reader's scope; each with the
        cases in scope they are on. By name, at most ``limit``."""
        self.session.require(Can.EDIT_PERSON)
        require_case(self.session, case_id)
        words = [w.casefold() for w in text.split()]
        if not words or sum(len(w) for w in words) < 2:
            return []
        condition, params = case_condition(self.session.user, self.session.today())
        found: dict[str, dict[str, Any]] = {}
        cases: dict[str, list[LinkedCase]] = {}
        for r in self.session.store.rows(
                "SELECT p.id, p.given_names, p.preferred_name, p.family_name, p.date_of_birth, c.id AS case_id,"
                " c.reference, c.case_type FROM person p JOIN case_member m ON m.person_id = p.id AND m.deleted = 0"
                f" JOIN case_file c ON c.id = m.case_id AND c.deleted = 0 WHERE p.deleted = 0 AND {condition}"
                " ORDER BY c.reference", params):
            names = " ".join(x for x in (r["given_names"], r["preferred_name"], r["family_name"]) if x).casefold()
            parts = names.replace("-", " ").split()
            if not all(any(part.startswith(w) for part in parts) for w in words):
                continue
            found.setdefault(r["id"], r)
            linked = cases.setdefault(r["id"], [])
            if all(x.id != r["case_id"] for x in linked):
                linked.append(LinkedCase(r["case_id"], r["reference"], r["case_type"]))
        out = [PersonMatch(pid, " ".join(x for x in (r.get("preferred_name") or r["given_names"], r["family_name"])
                                         if x), r["date_of_birth"], tuple(cases[pid])) for pid, r in found.items()]
        return sorted(out, key=lambda m: (m.name.casefold(), m.date_of_birth or "", m.id))[:limit]

    def render(self, case_id: str, language: str) -> bytes:
        """The family network as a PDF (the genogram and who is who) in ``cy``, ``en`` or ``bilingual``."""
        from desktop.services.correspondence_guard import redact, secrets
        from desktop.services.genogram import draw
        from desktop.services.letters import load_council
        from reports.family import render_family
        from reports.report_common import report_languages

        network = redact(self.network(case_id), secrets(self.session.store.rows))
        council = load_council(self.session.profile.folder if self.session.profile else None)
        return render_family(network, draw(network), council, report_languages(language),
                             made_on=self.session.today())
