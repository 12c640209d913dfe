"""Safety flags on a person (issue 20; Qt-free): "poses a risk to <person>", "address confidential",
"do not contact", "contact only through <person or agency>".

Anyone who may see the person sees their flags (``Can.VIEW_CASE`` and the person in scope): they are
shown wherever the person appears. Only a manager (``Can.SAFETY``) sets or clears one, always with a
reason; each change is one transaction with its outbox entry (the flag syncs with its person) and its
audit entry. A flag is never deleted: clearing it records when, by whom and why. The correspondence
guard (:mod:`desktop.services.correspondence_guard`) reads the same rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from desktop.errors import NotFound, ValidationError
from desktop.i18n import N_, translator
from desktop.services.permissions import Can
from desktop.services.scope import case_condition, require_case, require_person
from desktop.store import Tx
from desktop.store.migrations.m0020_family_network import FLAG_KINDS

KIND_TEXT: dict[str, str] = {
    "risk_to": N_("Poses a risk to {person}"),
    "address_confidential": N_("Address confidential"),
    "do_not_contact": N_("Do not contact"),
    "contact_via": N_("Contact only through {via}"),
}
"""Each kind of flag in words (``{person}``: the person at risk; ``{via}``: who to go through)."""
SOMEONE = N_("someone outside your caseload")
KIND_WORDS: dict[str, str] = {
    "risk_to": N_("Poses a risk to another person"),
    "address_confidential": N_("Address confidential"),
    "do_not_contact": N_("Do not contact"),
    "contact_via": N_("Contact only through a person or agency"),
}
"""Each kind of flag in words that name nobody and nowhere (for documents that leave the case, and choices)."""


@dataclass(frozen=True)
class SafetyFlag:
    """One flag as a person sees it (names resolved within their scope)."""

    id: str
    person_id: str
    person_name: str
    kind: str
    related_person_id: str | None
    related_name: str
    via_agency_id: str | None
    via_name: str
    reason: str
    set_on: str
    set_by_name: str
    cleared_on: str | None
    cleared_reason: str | None

    @property
    def active(self) -> bool:
        return self.cleared_on is None

    def text(self, lang: str | None = None) -> str:
        """The flag in words, in ``lang`` (default: the interface language)."""
        gettext = translator(lang).gettext if lang else _interface
        names = {"person": self.related_name or gettext(SOMEONE),
                 "via": self.via_name or self.related_name or gettext(SOMEONE)}
        return gettext(KIND_TEXT[self.kind]).format(**names)


def _interface(msgid: str) -> str:
    from desktop.i18n import _

    return _(msgid)


_SELECT = """
SELECT f.*, TRIM(COALESCE(s.given_names, '') || ' ' || COALESCE(s.family_name, '')) AS set_by_name,
       a.name AS via_name,
       TRIM(COALESCE(p.preferred_name, p.given_names, '') || ' ' || COALESCE(p.family_name, '')) AS person_name
FROM person_flag f LEFT JOIN practitioner s ON s.id = f.created_by LEFT JOIN agency a ON a.id = f.via_agency_id
LEFT JOIN person p ON p.id = f.person_id
WHERE f.deleted = 0
"""


class SafetyFlagService:
    """Thread contract: any thread; writes go through the store's writer."""

    def __init__(self, session: Any) -> None:
        self.session = session

    # -- reading ------------------------------------------------------------------------------
    def flags(self, person_id: str, *, include_cleared: bool = False) -> list[SafetyFlag]:
        """The person's flags (active ones; cleared ones too with ``include_cleared``), oldest first."""
        self.session.require(Can.VIEW_CASE)
        require_person(self.session, person_id)
        return self._flags(" AND f.person_id = ?", [person_id], include_cleared)

    def for_case(self, case_id: str) -> dict[str, list[SafetyFlag]]:
        """Active flags of everyone on the case, by person id (people with none are left out)."""
        self.session.require(Can.VIEW_CASE)
        require_case(self.session, case_id)
        out: dict[str, list[SafetyFlag]] = {}
        for flag in self._flags(" AND f.person_id IN (SELECT person_id FROM case_member WHERE case_id = ?"
                                " AND deleted = 0)", [case_id], False):
            out.setdefault(flag.person_id, []).append(flag)
        return out

    def in_scope(self) -> dict[str, list[SafetyFlag]]:
        """Active flags of everyone on a case in the reader's scope, by person id (people with none are
        left out): My work marks the person each item is about. The scope decides (a role with no case
        in scope reads none), as for the caseload."""
        condition, params = case_condition(self.session.user, self.session.today())
        out: dict[str, list[SafetyFlag]] = {}
        for flag in self._flags(" AND f.person_id IN (SELECT m.person_id FROM case_member m JOIN case_file c"
                                f" ON c.id = m.case_id WHERE m.deleted = 0 AND c.deleted = 0 AND {condition})",
                                params, False):
            out.setdefault(flag.person_id, []).append(flag)
        return out

    def _flags(self, where: str, params: list[Any] | dict[str, Any], include_cleared: bool) -> list[SafetyFlag]:
        sql = _SELECT + where + ("" if include_cleared else " AND f.cleared_on IS NULL") + " ORDER BY f.created_at"
        return [self._item(r) for r in self.session.store.rows(sql, params)]

    def _item(self, r: dict[str, Any]) -> SafetyFlag:
        return SafetyFlag(
            id=r["id"], person_id=r["person_id"], person_name=r["person_name"] or "", kind=r["kind"], related_person_id=r["related_person_id"],
            related_name=self._visible_name(r["related_person_id"]), via_agency_id=r["via_agency_id"],
            via_name=r["via_name"] or "", reason=r["reason"], set_on=r["set_on"],
            set_by_name=r["set_by_name"] or "", cleared_on=r["cleared_on"], cleared_reason=r["cleared_reason"])

    def _visible_name(self, person_id: str | None) -> str:
        """A related person's name only when they are in the reader's scope ("" otherwise)."""
        if not person_id:
            return ""
        try:
            p = require_person(self.session, person_id)
        except NotFound:
            return ""
        return " ".join(x for x in (p.get("preferred_name") or p.get("given_names"), p.get("family_name")) if x)

    # -- writing ------------------------------------------------------------------------------
    def set_flag(self, person_id: str, kind: str, reason: str, *, related_person_id: str | None = None,
                 via_agency_id: str | None = None, address_id: str | None = None) -> SafetyFlag:
        """Set a flag on the person (a manager, with a reason). ``risk_to`` needs the person at risk;
        ``contact_via`` a person or an agency; ``address_id`` narrows "address confidential" to one
        of the person's addresses."""
        self.session.require(Can.SAFETY)
        require_person(self.session, person_id)
        why = (reason or "").strip()
        if kind not in FLAG_KINDS:
            raise ValidationError(N_("Choose what kind of safety flag this is."), "kind")
        if not why:
            raise ValidationError(N_("Say why the flag is set."), "reason")
        if kind == "risk_to" and not related_person_id:
            raise ValidationError(N_("Choose who this person poses a risk to."), "related_person_id")
        if kind == "contact_via" and not (related_person_id or via_agency_id):
            raise ValidationError(N_("Choose the person or agency to contact them through."), "related_person_id")
        if related_person_id == person_id:
            raise ValidationError(N_("Choose someone other than the person themselves."), "related_person_id")
        if related_person_id:
            require_person(self.session, related_person_id)
        if via_agency_id and not self.session.store.rows("SELECT 1 FROM agency WHERE id = ? AND deleted = 0",
                                                         [via_agency_id]):
            raise ValidationError(N_("Choose the person or agency to contact them through."), "via_agency_id")
        if address_id and not self.session.store.rows(
                "SELECT 1 FROM address WHERE id = ? AND person_id = ? AND deleted = 0", [address_id, person_id]):
            raise ValidationError(N_("Choose one of this person's addresses."), "address_id")
        values = {"person_id": person_id, "kind": kind, "reason": why, "set_on": self.session.today().isoformat(),
                  "related_person_id": related_person_id if kind in ("risk_to", "contact_via") else None,
                  "via_agency_id": via_agency_id if kind == "contact_via" else None,
                  "address_id": address_id if kind == "address_confidential" else None}
        def write(tx: Tx) -> dict[str, Any]:
            row = tx.insert("person_flag", values)
            return tx.query(_SELECT + " AND f.id = ?", [row["id"]])[0]

        return self._item(self.session.write(write))

    def clear(self, flag_id: str, reason: str) -> SafetyFlag:
        """Clear an active flag (a manager, with a reason); the flag and who set it are kept."""
        self.session.require(Can.SAFETY)
        why = (reason or "").strip()
        rows = self.session.store.rows("SELECT person_id, cleared_on FROM person_flag WHERE id = ? AND deleted = 0",
                                       [flag_id])
        if not rows:
            raise NotFound(N_("That safety flag does not exist."))
        require_person(self.session, rows[0]["person_id"])
        if rows[0]["cleared_on"]:
            raise ValidationError(N_("That safety flag has already been cleared."), "flag")
        if not why:
            raise ValidationError(N_("Say why the flag is cleared."), "reason")
        today = self.session.today().isoformat()

        def write(tx: Tx) -> dict[str, Any]:
            tx.update("person_flag", flag_id, {"cleared_on": today, "cleared_by": tx.actor, "cleared_reason": why})
            return tx.query(_SELECT + " AND f.id = ?", [flag_id])[0]

        return self._item(self.session.write(write))
