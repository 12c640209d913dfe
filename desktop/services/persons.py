"""People: details, language preference, addresses with history, households, relationships (Qt-free).

Every method checks role and scope, validates, and writes in one transaction (row + outbox +
audit). Admin staff may change contact details only (address, phone, email, language
preference); everything else needs a caseworker role.
"""

from __future__ import annotations

from typing import Any

from desktop.domain.types import PR_BASES, RELATIONSHIP_KINDS, CaseRole, LanguagePreference, Membership
from desktop.domain.validation import parse_date, validate_address, validate_person
from desktop.errors import ValidationError
from desktop.i18n import N_
from desktop.services import events
from desktop.services.permissions import Can
from desktop.services.reads import note_read
from desktop.services.scope import require_case, require_person
from desktop.store import Tx

CONTACT_FIELDS = frozenset(
    {
        "phone",
        "email",
        "correspondence_language",
        "language_asked_on",
        "language_asked_by",
        "interpreter_needed",
        "interpreter_language",
        "communication_needs",
    }
)
PERSON_FIELDS = frozenset(
    {
        "title",
        "given_names",
        "family_name",
        "preferred_name",
        "aliases",
        "date_of_birth",
        "unborn",
        "expected_date",
        "date_of_death",
        "sex",
        "ethnicity",
        "religion",
        "disability",
        "la_number",
        "nhs_number",
        "upn",
        "first_language",
        "gp",
        "dentist",
        "school",
    }
    | CONTACT_FIELDS
)


class PersonService:
    def __init__(self, session: Any) -> None:
        self.session = session

    # -- reading ------------------------------------------------------------------------------
    def get(self, person_id: str) -> dict[str, Any]:
        """The person (scope-checked) with their address history, newest first."""
        person = require_person(self.session, person_id)
        note_read(self.session, None, "person", person_id)
        person["addresses"] = self.session.store.rows(
            "SELECT * FROM address WHERE person_id = ? AND deleted = 0 ORDER BY COALESCE(from_date, '') DESC",
            [person_id],
        )
        return person

    def current_address(self, person_id: str) -> dict[str, Any] | None:
        """The person's current address (scope-checked), or ``None``."""
        require_person(self.session, person_id)
        rows = self.session.store.rows(
            "SELECT * FROM address WHERE person_id = ? AND deleted = 0 AND to_date IS NULL"
            " ORDER BY COALESCE(from_date, '') DESC LIMIT 1",
            [person_id],
        )
        return rows[0] if rows else None

    # -- writing ------------------------------------------------------------------------------
    def create(
        self, values: dict[str, Any], *, case_id: str | None = None, case_role: str = CaseRole.SUBJECT
    ) -> dict[str, Any]:
        """A new person, optionally joined to a case in scope. Returns the new row."""
        self.session.require(Can.EDIT_PERSON)
        if case_id:
            require_case(self.session, case_id)
        unknown = set(values) - PERSON_FIELDS
        if unknown:
            raise ValueError(f"unknown person fields {sorted(unknown)}")
        clean = validate_person(self._language_asked(values, None), self.session.today())

        def write(tx: Tx) -> dict[str, Any]:
            person = tx.insert("person", clean)
            if case_id:
                tx.insert("case_member", {"person_id": person["id"], "role": case_role}, case_id=case_id)
            return person

        return self.session.write(write)

    def update(self, person_id: str, changes: dict[str, Any]) -> dict[str, Any]:
        """Change a person's details; returns the row after the change.

        Raises :class:`PermissionDenied` when admin staff change anything but contact details,
        :class:`ValidationError` for impossible values (nothing is written then).
        """
        unknown = set(changes) - PERSON_FIELDS
        if unknown:
            raise ValueError(f"unknown person fields {sorted(unknown)}")
        if set(changes) - CONTACT_FIELDS:
            self.session.require(Can.EDIT_PERSON)
        else:
            self.session.require(Can.EDIT_CONTACT)
        before = require_person(self.session, person_id)
        merged = validate_person(self._language_asked({**before, **changes}, before), self.session.today())
        clean = {k: merged[k] for k in PERSON_FIELDS if k in merged and merged[k] != before.get(k)}
        return self.session.write(lambda tx: tx.update("person", person_id, clean))

    def add_address(self, person_id: str, values: dict[str, Any]) -> dict[str, Any]:
        """A new current address; the previous current address is ended the day it starts.

        Raises the household-changed event (N5/N6 for a registered child) in the same transaction.
        """
        self.session.require(Can.EDIT_CONTACT)
        require_person(self.session, person_id)
        clean = validate_address({**values, "from_date": values.get("from_date") or self.session.today().isoformat()})
        clean.pop("person_id", None)

        def write(tx: Tx) -> dict[str, Any]:
            for old in tx.query(
                "SELECT id, from_date FROM address WHERE person_id = ? AND deleted = 0 AND to_date IS NULL", [person_id]
            ):
                if old["from_date"] and old["from_date"] > clean["from_date"]:
                    raise ValidationError(
                        N_("The new address starts before the current one; check the dates."), field="from_date"
                    )
                tx.update("address", old["id"], {"to_date": clean["from_date"]})
            row = tx.insert("address", {**clean, "person_id": person_id})
            events.publish(tx, events.HouseholdChanged((person_id,), "address", {"address_id": row["id"]}))
            return row

        return self.session.write(write)

    def create_household(self, name: str | None, address: dict[str, Any] | None = None) -> dict[str, Any]:
        self.session.require(Can.EDIT_PERSON)
        values: dict[str, Any] = {"name": name}
        if address:
            clean = validate_address(address)
            values.update(
                address_line1=clean["line1"], address_line2=clean.get("line2"), town=clean.get("town"),
                postcode=clean.get("postcode"),
            )
        return self.session.write(lambda tx: tx.insert("household", values))

    def join_household(
        self, household_id: str, person_id: str | None, membership: str = Membership.RESIDENT,
        from_date: str | None = None, *, new_person: dict[str, Any] | None = None, case_id: str | None = None,
    ) -> dict[str, Any]:
        """Someone joins a household as a resident or a regular visitor (a household change).

        With ``person_id`` ``None`` it is someone new: ``new_person`` (their details, checked as
        :meth:`create` checks them) is created in the same transaction, on ``case_id`` (in scope) as
        "other" — a refused join creates nobody."""
        self.session.require(Can.EDIT_PERSON)
        clean: dict[str, Any] | None = None
        if person_id is None:
            if new_person is None:
                raise ValueError("join_household needs a person_id or a new_person")
            unknown = set(new_person) - PERSON_FIELDS
            if unknown:
                raise ValueError(f"unknown person fields {sorted(unknown)}")
            if case_id:
                require_case(self.session, case_id)
            clean = validate_person(self._language_asked(new_person, None), self.session.today())
        else:
            require_person(self.session, person_id)
        if membership not in set(Membership):
            raise ValidationError(N_("Choose whether they live there or visit regularly."), field="membership")
        start = parse_date(from_date, "from_date") or self.session.today()

        def write(tx: Tx) -> dict[str, Any]:
            joining = person_id
            if clean is not None:
                joining = tx.insert("person", clean)["id"]
                if case_id:
                    tx.insert("case_member", {"person_id": joining, "role": CaseRole.OTHER}, case_id=case_id)
            row = tx.insert(
                "household_member",
                {"household_id": household_id, "person_id": joining, "membership": membership,
                 "from_date": start.isoformat()},
            )
            residents = tuple(r["person_id"] for r in _members(tx, household_id))
            what = "joined" if membership == Membership.RESIDENT else "regular_visitor"
            events.publish(tx, events.HouseholdChanged(residents, what, {"person_id": joining}))
            return row

        return self.session.write(write)

    def leave_household(self, member_id: str, to_date: str | None = None) -> None:
        self.session.require(Can.EDIT_PERSON)
        end = parse_date(to_date, "to_date") or self.session.today()

        rows = self.session.store.rows(
            "SELECT person_id FROM household_member WHERE id = ? AND deleted = 0", [member_id])
        if not rows:
            raise ValidationError(N_("That household member no longer exists."))
        require_person(self.session, rows[0]["person_id"])

        def write(tx: Tx) -> None:
            member = tx.get("household_member", member_id)
            if member is None:
                raise ValidationError(N_("That household member no longer exists."))
            if member["from_date"] and end.isoformat() < member["from_date"]:
                raise ValidationError(N_("They cannot leave before they joined; check the date."), field="to_date")
            tx.update("household_member", member_id, {"to_date": end.isoformat()})
            residents = tuple(r["person_id"] for r in _members(tx, member["household_id"]))
            events.publish(
                tx, events.HouseholdChanged(residents + (member["person_id"],), "left", {"person_id": member["person_id"]})
            )

        self.session.write(write)

    def relate(self, person_id: str, related_person_id: str, kind: str, **flags: Any) -> dict[str, Any]:
        """Record that ``related_person_id`` is ``person_id``'s ``kind`` (``RELATIONSHIP_KINDS``), with
        parental responsibility and its basis (``pr_basis``, one of ``PR_BASES``), living in the household,
        regular visitor."""
        self.session.require(Can.EDIT_PERSON)
        require_person(self.session, person_id)
        require_person(self.session, related_person_id)
        if person_id == related_person_id:
            raise ValidationError(N_("A person cannot be related to themselves."), field="related_person_id")
        if kind not in RELATIONSHIP_KINDS:
            raise ValidationError(N_("Choose how they are related."), field="kind")
        basis = flags.get("pr_basis") or None
        if basis is not None and (basis not in PR_BASES or not flags.get("parental_responsibility")):
            raise ValidationError(N_("A basis is given only for parental responsibility."), field="pr_basis")
        values = {
            "person_id": person_id,
            "related_person_id": related_person_id,
            "kind": kind,
            "parental_responsibility": int(bool(flags.get("parental_responsibility"))),
            "lives_in_household": int(bool(flags.get("lives_in_household"))),
            "regular_visitor": int(bool(flags.get("regular_visitor"))),
            "from_date": flags.get("from_date"),
            "pr_basis": basis,
        }
        return self.session.write(lambda tx: tx.insert("relationship", values))

    def households(self, case_id: str) -> list[dict[str, Any]]:
        """The households the case's people belong to, each with its members (current first, then
        those who have left, with their dates)."""
        require_case(self.session, case_id)
        rows = self.session.store.rows(
            """SELECT h.id, h.name, h.address_line1, h.town, h.postcode, hm.id AS member_id, hm.person_id,
                      hm.membership, hm.from_date, hm.to_date, p.given_names, p.family_name
               FROM household h
               JOIN household_member hm ON hm.household_id = h.id AND hm.deleted = 0
               JOIN person p ON p.id = hm.person_id AND p.deleted = 0
               WHERE h.deleted = 0 AND h.id IN (
                   SELECT x.household_id FROM household_member x JOIN case_member cm ON cm.person_id = x.person_id
                   WHERE cm.case_id = ? AND cm.deleted = 0 AND x.deleted = 0)
               ORDER BY h.name, h.id, hm.to_date IS NOT NULL, hm.membership, p.family_name, p.given_names""",
            [case_id],
        )
        out: dict[str, dict[str, Any]] = {}
        for r in rows:
            household = out.setdefault(
                r["id"], {k: r[k] for k in ("id", "name", "address_line1", "town", "postcode")} | {"members": []}
            )
            household["members"].append(
                {k: r[k] for k in ("member_id", "person_id", "membership", "from_date", "to_date", "given_names",
                                   "family_name")}
            )
        return list(out.values())

    def relationships(self, person_id: str) -> list[dict[str, Any]]:
        require_person(self.session, person_id)
        return self.session.store.rows(
            "SELECT r.*, p.given_names, p.family_name FROM relationship r JOIN person p ON p.id = r.related_person_id"
            " WHERE r.person_id = ? AND r.deleted = 0 ORDER BY r.kind",
            [person_id],
        )

    # -- helpers ------------------------------------------------------------------------------
    def _language_asked(self, values: dict[str, Any], before: dict[str, Any] | None) -> dict[str, Any]:
        """Welsh Language Standard 2: record when and by whom the preference was asked. A changed
        preference with no date given is taken as asked today by the person recording it."""
        out = dict(values)
        new = out.get("correspondence_language") or LanguagePreference.UNKNOWN
        old = (before or {}).get("correspondence_language") or LanguagePreference.UNKNOWN
        if new != old and new != LanguagePreference.UNKNOWN:
            if not values.get("language_asked_on") or (before and values.get("language_asked_on") == before.get("language_asked_on")):
                out["language_asked_on"] = self.session.today().isoformat()
            if not values.get("language_asked_by") or (before and values.get("language_asked_by") == before.get("language_asked_by")):
                out["language_asked_by"] = self.session.user.id
        return out


def _members(tx: Tx, household_id: str) -> list[dict[str, Any]]:
    return tx.query(
        "SELECT person_id FROM household_member WHERE household_id = ? AND deleted = 0 AND to_date IS NULL"
        " AND membership = 'resident'",
        [household_id],
    )
