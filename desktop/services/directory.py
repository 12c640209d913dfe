"""Who can be chosen in a form: agencies, staff and the people on a case (any thread; reads only).

The lists forms offer — a chair, an Independent Reviewing Officer, the agencies invited, the children a
record is about — come from here, so that no widget runs SQL. Agencies and staff are the directory
(anyone signed in may list them; no case data); the people on a case are read only for a case in the
person's scope (:func:`~desktop.services.scope.require_case`: ``NotFound`` otherwise).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from desktop.services.scope import require_case


@dataclass(frozen=True)
class Choice:
    """One thing a person can pick: its id, the name shown, and what tells two alike apart."""

    id: str
    name: str
    detail: str = ""
    """Job title and agency of a practitioner; the kind of an agency; empty for a person."""


def _name(given: str | None, family: str | None) -> str:
    return " ".join(x for x in (given, family) if x)


class DirectoryService:
    def __init__(self, session: Any) -> None:
        self.session = session

    def agencies(self) -> list[Choice]:
        """Every agency in use, by name."""
        return [Choice(r["id"], r["name"], r["agency_type"] or "") for r in self.session.store.rows(
            "SELECT id, name, agency_type FROM agency WHERE deleted = 0 ORDER BY name")]

    def practitioners(self, *, social_services_only: bool = False, role: str | None = None) -> list[Choice]:
        """Active staff of every agency (or of social services only; or only those with the app ``role``,
        e.g. the senior managers who may agree a departure from a timescale), by family name; ``detail``
        is "job title, agency"."""
        rows = self.session.store.rows(
            "SELECT p.id, p.given_names, p.family_name, p.job_title, a.name AS agency FROM practitioner p"
            " LEFT JOIN agency a ON a.id = p.agency_id WHERE p.deleted = 0 AND p.active = 1"
            " AND (:all = 1 OR p.employed_by_social_services = 1) AND (:role IS NULL OR p.app_role = :role)"
            " ORDER BY p.family_name, p.given_names",
            {"all": 0 if social_services_only else 1, "role": role})
        return [Choice(r["id"], _name(r["given_names"], r["family_name"]),
                       ", ".join(x for x in (r["job_title"], r["agency"]) if x)) for r in rows]

    def practitioner_names(self, ids: list[str] | None = None) -> dict[str, str]:
        """Name of each practitioner (those who have left included: old records name them)."""
        rows = self.session.store.rows("SELECT id, given_names, family_name FROM practitioner")
        wanted = None if ids is None else set(ids)
        return {r["id"]: _name(r["given_names"], r["family_name"]) for r in rows
                if wanted is None or r["id"] in wanted}

    def case_people(self, case_id: str, *, subjects: bool | None = None) -> list[Choice]:
        """The people on a case in scope (their preferred names): only its subjects (``subjects=True``,
        in the order they joined), only the others (``False``, by name) or everyone (``None``)."""
        require_case(self.session, case_id)
        rows = self.session.store.rows(
            "SELECT p.id, COALESCE(p.preferred_name, p.given_names) AS given_names, p.family_name,"
            " m.role = 'subject' AS subject FROM case_member m JOIN person p ON p.id = m.person_id"
            " WHERE m.case_id = ? AND m.deleted = 0 AND p.deleted = 0 ORDER BY m.created_at", [case_id])
        people: dict[str, Choice] = {}
        for r in rows:  # a person may be on the case twice (a parent who is also a carer): once here
            if subjects is None or bool(r["subject"]) == subjects:
                people.setdefault(r["id"], Choice(r["id"], _name(r["given_names"], r["family_name"])))
        chosen = list(people.values())
        return chosen if subjects else sorted(chosen, key=lambda p: p.name.casefold())

    def case_children(self, case_id: str) -> list[Choice]:
        """The subjects of a case in scope, in the order they joined it."""
        return self.case_people(case_id, subjects=True)
