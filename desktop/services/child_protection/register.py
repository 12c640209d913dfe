"""The child protection register: entries, their history, de-registration, and enquiries (N22).

Entries are written by casework in the transaction that decides them (an initial conference
registers, a review conference changes categories or de-registers, a change of co-ordinator amends
the entry the same day) through the ``tx``-level helpers below; each change also appends a
``register_history`` row, so categories, co-ordinators and status keep their history.

``RegisterService(session)`` is the register custodian's (``Can.MANAGE_REGISTER``):

* ``entries(status=None)``, ``history(entry_id)``, ``enquiries()`` — reading.
* ``for_case(case_id)`` — each child of a case with their latest entry (:class:`ChildOnRegister`), for
  the case's own workers (casework roles, the case in scope, the read audited), not only the custodian.
* ``record_enquiry(*, enquirer_name, agency_id, identity_checked, subject_text, person_id=None,
  enquiry_type=None)`` — logs the enquiry (append-only ``register_enquiry``) and returns what may be
  given: whether the child is registered and the co-ordinator's name — only when the enquirer's
  identity was checked and their agency is a relevant partner (WSP c4-p12); otherwise nothing is given
  (the enquiry is still logged).
* ``add_temporary(case_id, person_id, *, other_la, categories, on=None)`` — a child on another
  authority's register staying in the area (the only entry not made by a conference here).
* ``deregister(entry_id, reason, *, on=None, note=None)`` — de-registration outside a conference, only at
  18 (``age_18``, checked against the date of birth), on death (``died``, date of death recorded) or on
  permanently leaving the UK (``left_uk``, with a note) — C15. Any other reason, including
  ``review_conference``, is refused: only a review conference de-registers otherwise
  (:meth:`ConferenceService.hold_review`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from desktop.domain.validation import parse_date, validate_scw_number
from desktop.errors import NotFound, ValidationError
from desktop.i18n import N_
from desktop.services.case_type import after_deregistration
from desktop.services.child_protection._common import (
    COORDINATOR_ROLE,
    clean_categories,
    dumps,
    loads,
    required_date,
    text,
)
from desktop.services.permissions import Can
from desktop.services.reads import read_casework
from desktop.services.scope import require_case
from desktop.store import Tx


# -- checks and tx-level helpers used by the other steps ----------------------------------------
def check_coordinator(store: Any, practitioner_id: str | None) -> dict[str, Any]:
    """The practitioner if they can be a CSPP co-ordinator: employed by social services and
    registered with Social Care Wales (SEED 000). Raises ``ValidationError`` otherwise."""
    rows = store.rows("SELECT * FROM practitioner WHERE id = ? AND deleted = 0", [practitioner_id]) if practitioner_id else []
    if not rows:
        raise ValidationError(N_("Choose the social worker who will co-ordinate the plan."), field="coordinator_id")
    row = rows[0]
    if not row["employed_by_social_services"]:
        raise ValidationError(
            N_("The co-ordinator must be a social worker employed by social services."), field="coordinator_id"
        )
    if not text(row["scw_number"]):
        raise ValidationError(
            N_("{name} has no Social Care Wales registration recorded, so cannot co-ordinate the plan."),
            field="coordinator_id", name=f"{row['given_names']} {row['family_name']}",
        )
    validate_scw_number(row["scw_number"])
    return row


def history(tx: Tx, entry: dict[str, Any], change: str, on: str, *, reason: str | None = None,
            conference_id: str | None = None) -> None:
    tx.insert(
        "register_history",
        {"entry_id": entry["id"], "person_id": entry["person_id"], "change": change, "on_date": on,
         "categories": entry["categories"], "coordinator_id": entry["coordinator_id"], "status": entry["status"],
         "reason": reason, "conference_id": conference_id},
        case_id=entry["case_id"],
    )


def assign_coordinator_role(tx: Tx, case_id: str, person_id: str, coordinator_id: str | None, on: str,
                            reason: str | None = None) -> None:
    """End the child's current co-ordinator role and start the new one (puts the case in their scope)."""
    for old in tx.query(
        "SELECT id, practitioner_id FROM role_assignment WHERE case_id = ? AND person_id = ? AND role = ?"
        " AND deleted = 0 AND to_date IS NULL",
        [case_id, person_id, COORDINATOR_ROLE],
    ):
        if old["practitioner_id"] == coordinator_id:
            return
        tx.update("role_assignment", old["id"], {"to_date": on, "reason": reason})
    if coordinator_id:
        tx.insert("role_assignment", {"role": COORDINATOR_ROLE, "practitioner_id": coordinator_id,
                                      "person_id": person_id, "from_date": on, "reason": reason}, case_id=case_id)


def register_child(tx: Tx, *, case_id: str, person_id: str, on: str, conference_id: str | None,
                   categories: list[str], coordinator_id: str | None, next_review_on: str | None,
                   status: str = "active", other_la: str | None = None) -> dict[str, Any]:
    entry = tx.insert(
        "register_entry",
        {"person_id": person_id, "registered_on": on, "conference_id": conference_id,
         "categories": dumps(categories), "coordinator_id": coordinator_id, "status": status,
         "next_review_on": next_review_on, "other_la": other_la},
        case_id=case_id,
    )
    history(tx, entry, "registered", on, conference_id=conference_id)
    assign_coordinator_role(tx, case_id, person_id, coordinator_id, on)
    return entry


def change_entry(tx: Tx, entry: dict[str, Any], changes: dict[str, Any], change: str, on: str, *,
                 reason: str | None = None, conference_id: str | None = None) -> dict[str, Any]:
    after = tx.update("register_entry", entry["id"], changes)
    history(tx, after, change, on, reason=reason, conference_id=conference_id)
    if "coordinator_id" in changes:
        assign_coordinator_role(tx, entry["case_id"], entry["person_id"], changes["coordinator_id"], on, reason)
    if changes.get("status") == "deregistered":
        assign_coordinator_role(tx, entry["case_id"], entry["person_id"], None, on, reason)
        after_deregistration(tx, entry["case_id"], on)  # a looked-after child's case leaves the CP process
    return after


@dataclass(frozen=True)
class ChildOnRegister:
    """One child of a case and their latest register entry (``status`` ``None``: never registered)."""

    person_id: str
    name: str
    status: str | None = None
    """``active``, ``temporary`` or ``deregistered``."""
    categories: tuple[str, ...] = ()
    coordinator_name: str | None = None

    @property
    def on_register(self) -> bool:
        return self.status in ("active", "temporary")


# -- the custodian's service ----------------------------------------------------------------------
class RegisterService:
    def __init__(self, session: Any) -> None:
        self.session = session

    def for_case(self, case_id: str) -> list[ChildOnRegister]:
        """Each child (subject) of a case in scope, in the order they joined it, with their latest
        register entry (casework roles; the read is audited)."""
        read_casework(self.session, case_id, "register_entry")
        rows = self.session.store.rows(
            "SELECT p.id, COALESCE(p.preferred_name, p.given_names) AS given_names, p.family_name, e.status,"
            " e.categories, pr.given_names || ' ' || pr.family_name AS coordinator_name"
            " FROM case_member m JOIN person p ON p.id = m.person_id"
            " LEFT JOIN register_entry e ON e.person_id = p.id AND e.case_id = m.case_id AND e.deleted = 0"
            " LEFT JOIN practitioner pr ON pr.id = e.coordinator_id"
            " WHERE m.case_id = ? AND m.deleted = 0 AND m.role = 'subject'"
            " ORDER BY m.created_at, e.registered_on DESC, e.created_at DESC", [case_id])
        children: dict[str, ChildOnRegister] = {}
        for r in rows:  # the first row of each child is their latest entry
            if r["id"] not in children:
                name = " ".join(x for x in (r["given_names"], r["family_name"]) if x)
                children[r["id"]] = ChildOnRegister(r["id"], name, r["status"], tuple(loads(r["categories"])),
                                                    r["coordinator_name"])
        return list(children.values())

    def entries(self, status: str | None = None) -> list[dict[str, Any]]:
        self.session.require(Can.MANAGE_REGISTER)
        sql = (
            "SELECT r.*, p.given_names, p.family_name, p.date_of_birth,"
            " pr.given_names || ' ' || pr.family_name AS coordinator_name"
            " FROM register_entry r JOIN person p ON p.id = r.person_id"
            " LEFT JOIN practitioner pr ON pr.id = r.coordinator_id WHERE r.deleted = 0"
        )
        params: list[Any] = []
        if status:
            sql += " AND r.status = ?"
            params.append(status)
        return self.session.store.rows(sql + " ORDER BY p.family_name, p.given_names", params)

    def history(self, entry_id: str) -> list[dict[str, Any]]:
        self.session.require(Can.MANAGE_REGISTER)
        return self.session.store.rows(
            "SELECT * FROM register_history WHERE entry_id = ? AND deleted = 0 ORDER BY on_date, created_at",
            [entry_id])

    def enquiries(self) -> list[dict[str, Any]]:
        self.session.require(Can.MANAGE_REGISTER)
        return self.session.store.rows("SELECT * FROM register_enquiry WHERE deleted = 0 ORDER BY asked_at DESC")

    def record_enquiry(
        self,
        *,
        enquirer_name: str,
        agency_id: str | None,
        identity_checked: bool,
        subject_text: str,
        person_id: str | None = None,
        enquiry_type: str | None = None,
    ) -> dict[str, Any]:
        """Returns the logged row plus ``given`` (bool), ``registered`` and ``coordinator_name``."""
        self.session.require(Can.MANAGE_REGISTER)
        if not text(enquirer_name):
            raise ValidationError(N_("Record who is asking."), field="enquirer_name")
        if not text(subject_text):
            raise ValidationError(N_("Record which child the enquiry is about."), field="subject_text")
        store = self.session.store
        partner = bool(agency_id) and bool(
            store.rows("SELECT 1 FROM agency WHERE id = ? AND deleted = 0 AND relevant_partner = 1", [agency_id]))
        may_give = bool(identity_checked) and partner
        entry = None
        if person_id:
            rows = store.rows(
                "SELECT r.*, pr.given_names || ' ' || pr.family_name AS coordinator_name FROM register_entry r"
                " LEFT JOIN practitioner pr ON pr.id = r.coordinator_id"
                " WHERE r.person_id = ? AND r.deleted = 0 AND r.status != 'deregistered'", [person_id])
            entry = rows[0] if rows else None
        # A code, not prose: the log is shown in either language.
        given = "nothing" if not may_give else ("registered_and_coordinator" if entry else "not_registered")
        values = {
            "asked_at": self.session.store.clock().isoformat(timespec="minutes"),
            "enquirer_name": text(enquirer_name),
            "agency_id": agency_id,
            "identity_checked": int(bool(identity_checked)),
            "enquiry_type": enquiry_type,
            "subject_text": text(subject_text),
            "person_id": person_id,
            "found": int(entry is not None),
            "information_given": given,
        }
        row = self.session.write(
            lambda tx: tx.insert("register_enquiry", values, case_id=entry["case_id"] if entry else None))
        return {**row, "given": may_give, "registered": bool(may_give and entry),
                "coordinator_name": (entry or {}).get("coordinator_name") if may_give else None}

    def add_temporary(self, case_id: str, person_id: str, *, other_la: str, categories: list[str],
                      on: str | None = None, coordinator_id: str | None = None) -> dict[str, Any]:
        self.session.require(Can.MANAGE_REGISTER)
        require_case(self.session, case_id)
        if not text(other_la):
            raise ValidationError(N_("Record the authority whose register the child is on."), field="other_la")
        cats = clean_categories(categories)
        day = required_date(on or self.session.today(), "on", self.session.today()).isoformat()
        return self.session.write(lambda tx: register_child(
            tx, case_id=case_id, person_id=person_id, on=day, conference_id=None, categories=cats,
            coordinator_id=coordinator_id, next_review_on=None, status="temporary", other_la=text(other_la)))

    def deregister(self, entry_id: str, reason: str, *, on: str | None = None, note: str | None = None) -> dict[str, Any]:
        self.session.require(Can.MANAGE_REGISTER)
        rows = self.session.store.rows("SELECT * FROM register_entry WHERE id = ? AND deleted = 0", [entry_id])
        if not rows or rows[0]["status"] == "deregistered":
            raise NotFound(N_("That register entry does not exist or is already closed."))
        entry = rows[0]
        if reason not in ("age_18", "died", "left_uk"):
            raise ValidationError(
                N_("A child's name can only be removed by a review conference, or when they reach 18, die or"
                   " permanently leave the UK."),
                field="reason",
            )
        day = required_date(on or self.session.today(), "on", self.session.today())
        person = self.session.store.rows("SELECT * FROM person WHERE id = ?", [entry["person_id"]])[0]
        if reason == "age_18":
            born = parse_date(person["date_of_birth"], "date_of_birth")
            if born is None or _add_years(born, 18) > day:
                raise ValidationError(N_("The child has not reached 18 on that date."), field="on")
        if reason == "died" and not person["date_of_death"]:
            raise ValidationError(N_("Record the child's date of death first."), field="reason")
        if reason == "left_uk" and not text(note):
            raise ValidationError(N_("Record how it is known the child has permanently left the UK."), field="note")
        changes = {"status": "deregistered", "deregistered_on": day.isoformat(), "deregistration_reason": reason,
                   "deregistration_note": text(note) or None}
        return self.session.write(
            lambda tx: change_entry(tx, entry, changes, "deregistered", day.isoformat(), reason=reason))


def _add_years(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)
