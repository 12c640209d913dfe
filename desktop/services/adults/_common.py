"""Shared helpers for the adults-at-risk services (Qt-free): code lists, checks, people, agencies.

Every service here follows the same contract: check the role (``Can.RECORD_CASEWORK`` to write,
``Can.VIEW_CASEWORK`` to read), the scope (the case must be in the person's caseload), that the case
is an adult-at-risk case, and validate everything *before* the one transaction that writes the
rows, their outbox and audit entries, and any letters or escalations the step obliges. A refusal
raises :class:`~desktop.errors.ValidationError` (or ``PermissionDenied``/``NotFound``) and writes
nothing.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from desktop.domain.types import LABELS, CaseType
from desktop.domain.validation import parse_date
from desktop.errors import ValidationError
from desktop.i18n import N_, bilingual  # noqa: F401 - bilingual is re-exported
from desktop.services.correspondence import staff_with_role
from desktop.services.permissions import Can
from desktop.services.reads import note_read
from desktop.services.scope import require_case
from desktop.store import Tx

LEAD_COORDINATOR = "lead_coordinator"
DELEGATED_LEAD_COORDINATOR = "delegated_lead_coordinator"
LEAD_PRACTITIONER = "lead_practitioner"
"""``role_assignment.role`` codes for the adult's key people."""

LABELS.update({
    LEAD_COORDINATOR: N_("Lead co-ordinator"),
    DELEGATED_LEAD_COORDINATOR: N_("Delegated lead co-ordinator"),
    LEAD_PRACTITIONER: N_("Lead practitioner"),
    "strategy_group": N_("Strategy group member"),
})
"""So :func:`desktop.domain.types.label` names these roles on the case header (added at import, not by
editing the core's table)."""

CATEGORIES = ("physical", "sexual", "emotional", "financial", "neglect")
"""Adult safeguarding categories (procedures.md §5.2, s.197 SSWBA)."""

CATEGORY_LABELS = {
    "physical": N_("Physical abuse"),
    "sexual": N_("Sexual abuse"),
    "emotional": N_("Emotional / psychological abuse"),
    "financial": N_("Financial abuse"),
    "neglect": N_("Neglect"),
}

SOURCE_TYPES = ("relevant_partner", "professional", "public", "family", "anonymous", "self")

SCREENING_DECISIONS = ("nfa_a", "nfa_b", "nfa_c", "enquiries", "part3")
"""WSP a3pt1-p5: 1 NFA (a no abuse; b not abuse or neglect; c one-off, low risk of repetition);
2 enquiries required (s126(2)); 3 care and support needs → Part 3 assessment."""

SCREENING_LABELS = {
    "nfa_a": N_("1a No further action: no abuse"),
    "nfa_b": N_("1b No further action: not abuse or neglect"),
    "nfa_c": N_("1c No further action: a one-off with low risk of repetition"),
    "enquiries": N_("2 Section 126 enquiries required"),
    "part3": N_("3 Care and support needs: Part 3 assessment"),
}

DETERMINATIONS = ("1", "2", "3", "nfa")
"""s126 determinations (procedures.md §5.4): 1 immediate protection; 2 not at risk but may have care
and support needs; 3 at risk and action needed; or no further action."""

DETERMINATION_LABELS = {
    "1": N_("Determination 1: immediate protection"),
    "2": N_("Determination 2: not at risk, but may have other care and support needs"),
    "3": N_("Determination 3: an adult at risk who needs action to protect them"),
    "nfa": N_("No further action"),
}

ADVOCATE_TYPES = ("independent", "imca", "informal")
LOCATIONS = ("home", "care_home", "hospital", "day_service", "office", "other")
PARTICIPATION = ("attended", "advocate", "written", "views_via_practitioner", "refused")
FAMILY_ROLES = ("family", "carer", "parent")
"""``case_member.role`` values that count as the adult's family for N2 letters."""


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


def loads(value: str | None) -> Any:
    return json.loads(value) if value else []


def text(value: Any) -> str:
    return str(value or "").strip()


def required_text(value: Any, field: str, msgid: str) -> str:
    """``value`` stripped, or a ValidationError with ``msgid`` naming ``field``."""
    out = text(value)
    if not out:
        raise ValidationError(msgid, field=field)
    return out


def required_date(value: Any, field: str, today: date, *, future_ok: bool = False) -> date:
    """A date that must be given and (unless ``future_ok``) not after ``today``."""
    parsed = parse_date(value, field)
    if parsed is None:
        raise ValidationError(N_("Enter the date."), field=field)
    if not future_ok and parsed > today:
        raise ValidationError(N_("The date cannot be in the future."), field=field)
    return parsed


def adult_case(session: Any, case_id: str, *, write: bool = True, read: str = "adult_at_risk") -> dict[str, Any]:
    """The case row, after the role, scope and case-type checks (raises otherwise). A read
    (``write=False``) is audited as a read of ``read`` (the kind of record handed out)."""
    session.require(Can.RECORD_CASEWORK if write else Can.VIEW_CASEWORK)
    case = require_case(session, case_id)
    if case["case_type"] != CaseType.ADULT_AT_RISK:
        raise ValidationError(N_("This is not an adult-at-risk case."), field="case_id")
    if write and case.get("closed_on"):
        raise ValidationError(N_("This case is closed; nothing more can be recorded on it."), field="case_id")
    if not write:
        note_read(session, case_id, read)
    return case


def adult_id(db: Any, case_id: str) -> str:
    """The adult at risk: the (first) subject of the case. ``db`` is a ``Tx`` or a ``Store``."""
    sql = ("SELECT person_id FROM case_member WHERE case_id = ? AND deleted = 0 AND role = 'subject'"
           " ORDER BY created_at LIMIT 1")
    rows = db.query(sql, [case_id]) if isinstance(db, Tx) else db.rows(sql, [case_id])
    if not rows:
        raise ValidationError(N_("This case has no adult recorded as its subject."), field="case_id")
    return rows[0]["person_id"]


def current_holder(db: Any, case_id: str, role: str) -> str | None:
    """The practitioner holding ``role`` on the case now (latest open assignment), or ``None``."""
    sql = ("SELECT practitioner_id FROM role_assignment WHERE case_id = ? AND role = ? AND deleted = 0"
           " AND to_date IS NULL ORDER BY from_date DESC, created_at DESC LIMIT 1")
    rows = db.query(sql, [case_id, role]) if isinstance(db, Tx) else db.rows(sql, [case_id, role])
    return rows[0]["practitioner_id"] if rows else None


def lead_coordinators(db: Any, case_id: str) -> set[str]:
    """Who may act as lead co-ordinator: the local authority's lead co-ordinator and, while a
    delegation is in force, the delegated lead co-ordinator."""
    return {p for p in (current_holder(db, case_id, LEAD_COORDINATOR),
                        current_holder(db, case_id, DELEGATED_LEAD_COORDINATOR)) if p}


def acting_lead_coordinator(db: Any, case_id: str) -> str | None:
    """The delegated lead co-ordinator while a delegation is in force, else the local authority's."""
    return current_holder(db, case_id, DELEGATED_LEAD_COORDINATOR) or current_holder(db, case_id, LEAD_COORDINATOR)


def end_role(tx: Tx, case_id: str, role: str, on: str, reason: str | None = None) -> str | None:
    """End every open assignment of ``role`` on the case (the day ``on``); returns the last holder."""
    holder = None
    for row in tx.query(
        "SELECT id, practitioner_id FROM role_assignment WHERE case_id = ? AND role = ? AND deleted = 0"
        " AND to_date IS NULL ORDER BY from_date",
        [case_id, role],
    ):
        tx.update("role_assignment", row["id"], {"to_date": on, "reason": reason})
        holder = row["practitioner_id"]
    return holder


def assign_role(tx: Tx, case_id: str, role: str, practitioner_id: str, person_id: str, on: str,
                reason: str | None = None) -> dict[str, Any]:
    """End the current holder of ``role`` (if another) and assign it to ``practitioner_id``."""
    if current_holder(tx, case_id, role) == practitioner_id:
        rows = tx.query("SELECT * FROM role_assignment WHERE case_id = ? AND role = ? AND deleted = 0"
                        " AND to_date IS NULL AND practitioner_id = ?", [case_id, role, practitioner_id])
        return rows[0]
    end_role(tx, case_id, role, on, reason)
    return tx.insert(
        "role_assignment",
        {"role": role, "practitioner_id": practitioner_id, "person_id": person_id, "from_date": on,
         "reason": reason},
        case_id=case_id,
    )


def practitioner_row(db: Any, practitioner_id: str | None) -> dict[str, Any] | None:
    if not practitioner_id:
        return None
    if isinstance(db, Tx):
        row = db.get("practitioner", practitioner_id)
    else:
        rows = db.rows("SELECT * FROM practitioner WHERE id = ?", [practitioner_id])
        row = rows[0] if rows else None
    return row if row and not row["deleted"] else None


def require_practitioner(db: Any, practitioner_id: str | None, field: str) -> dict[str, Any]:
    row = practitioner_row(db, practitioner_id)
    if row is None:
        raise ValidationError(N_("Choose a practitioner from the list."), field=field)
    return row


def practitioner_name(row: dict[str, Any] | None) -> str:
    return f"{row['given_names']} {row['family_name']}".strip() if row else ""


def contact_of(row: dict[str, Any] | None) -> str:
    """A practitioner's contact details as one line (phone, email)."""
    if not row:
        return ""
    return ", ".join(x for x in (text(row.get("phone")), text(row.get("email"))) if x)


def person_name(tx: Tx, person_id: str | None) -> str:
    row = tx.get("person", person_id) if person_id else None
    if not row:
        return ""
    return " ".join(x for x in (row.get("preferred_name") or row.get("given_names"), row["family_name"]) if x)


def adult_facts_for_letter(tx: Tx, person_id: str) -> dict[str, str]:
    row = tx.get("person", person_id) or {}
    return {"adult_name": person_name(tx, person_id), "adult_dob": row.get("date_of_birth") or ""}


def agencies_involved(tx: Tx, case_id: str) -> list[str]:
    """Every agency involved with the case: strategy group members' agencies, agencies asked for
    conference reports, the delegated lead co-ordinator's agency, and the agencies of the current
    lead practitioner and lead co-ordinators. In first-involved order, no repeats."""
    rows = tx.query(
        """SELECT x.agency_id, min(x.created_at) AS first FROM (
             SELECT m.agency_id, m.created_at FROM adult_strategy_member m WHERE m.case_id = :c AND m.deleted = 0
             UNION ALL
             SELECT r.agency_id, r.created_at FROM adult_conference_report r WHERE r.case_id = :c AND r.deleted = 0
             UNION ALL
             SELECT d.delegate_agency_id, d.created_at FROM adult_delegation d WHERE d.case_id = :c AND d.deleted = 0
             UNION ALL
             SELECT p.agency_id, ra.created_at FROM role_assignment ra JOIN practitioner p ON p.id = ra.practitioner_id
               WHERE ra.case_id = :c AND ra.deleted = 0 AND ra.to_date IS NULL
               AND ra.role IN ('lead_practitioner', 'lead_coordinator', 'delegated_lead_coordinator')) x
           JOIN agency a ON a.id = x.agency_id AND a.deleted = 0
           WHERE x.agency_id IS NOT NULL GROUP BY x.agency_id ORDER BY first, x.agency_id""",
        {"c": case_id},
    )
    return [r["agency_id"] for r in rows]


def family_members(tx: Tx, case_id: str) -> list[str]:
    """The adult's family and carers on the case (for N2 letters)."""
    marks = ", ".join("?" for _ in FAMILY_ROLES)
    rows = tx.query(
        f"SELECT DISTINCT m.person_id FROM case_member m JOIN person p ON p.id = m.person_id AND p.deleted = 0"
        f" WHERE m.case_id = ? AND m.deleted = 0 AND m.role IN ({marks}) AND m.to_date IS NULL ORDER BY m.created_at",
        [case_id, *FAMILY_ROLES],
    )
    return [r["person_id"] for r in rows]


def senior_managers(tx: Tx) -> list[str]:
    """Practitioners signed up as the senior manager responsible for safeguarding."""
    return staff_with_role(tx, "senior_manager")


def latest_not_amended(table: str, alias: str = "x") -> str:
    """SQL condition: row ``alias`` of append-only ``table`` has no amendment after it."""
    return f"NOT EXISTS (SELECT 1 FROM {table} a2 WHERE a2.amends_id = {alias}.id AND a2.deleted = 0)"


def check_amends(tx: Tx, table: str, amends_id: str | None, case_id: str) -> None:
    """An amendment must point at a row of the same table and case that has not been amended yet."""
    if not amends_id:
        return
    row = tx.get(table, amends_id)
    if row is None or row["case_id"] != case_id or row["deleted"]:
        raise ValidationError(N_("The record being corrected does not exist in this case."), field="amends_id")
    if tx.query(f"SELECT 1 FROM {table} WHERE amends_id = ? AND deleted = 0", [amends_id]):
        raise ValidationError(
            N_("That record has already been corrected; correct the latest version instead."), field="amends_id"
        )
