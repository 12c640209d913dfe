"""Shared helpers for the child protection services (Qt-free): code lists, checks, names."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from desktop.domain.validation import parse_date
from desktop.errors import ValidationError
from desktop.i18n import N_, bilingual  # noqa: F401 - bilingual is re-exported
from desktop.services.child_protection.codes import CATEGORIES, CATEGORY_LABELS  # noqa: F401 - re-exported
from desktop.services.correspondence import staff_with_role
from desktop.store import Tx

POLICE_TYPES = frozenset({"police"})
SOCIAL_SERVICES_TYPES = frozenset({"social_services", "la_social_services", "local_authority"})
"""``agency.agency_type`` codes counted as police / the local authority's social services."""

COORDINATOR_ROLE = "cspp_coordinator"
"""``role_assignment.role`` of the care and support protection plan co-ordinator (puts the case in
their scope, and names them on the case header)."""

REPORT_DECISIONS = ("nfa", "early_help", "part3_assessment", "strategy_discussion")
SOURCE_TYPES = ("relevant_partner", "professional", "public", "family", "anonymous", "self")
DEREGISTRATION_REASONS = ("review_conference", "age_18", "died", "left_uk", "transferred")


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


def loads(value: str | None) -> Any:
    return json.loads(value) if value else []


def required_date(value: Any, field: str, today: date, *, future_ok: bool = False) -> date:
    """A date that must be given and (unless ``future_ok``) not after ``today``."""
    parsed = parse_date(value, field)
    if parsed is None:
        raise ValidationError(N_("Enter the date."), field=field)
    if not future_ok and parsed > today:
        raise ValidationError(N_("The date cannot be in the future."), field=field)
    return parsed


def clean_categories(values: Any, field: str = "categories", *, required: bool = True) -> list[str]:
    cats = list(dict.fromkeys(values or []))
    unknown = [c for c in cats if c not in CATEGORIES]
    if unknown:
        raise ValidationError(N_("Choose categories from the list."), field=field)
    if required and not cats:
        raise ValidationError(N_("Choose at least one category of abuse or neglect."), field=field)
    return cats


def text(value: Any) -> str:
    return str(value or "").strip()


def case_subject_ids(tx_or_store: Any, case_id: str) -> list[str]:
    sql = ("SELECT person_id FROM case_member WHERE case_id = ? AND deleted = 0 AND role = 'subject'"
           " ORDER BY created_at")
    rows = tx_or_store.query(sql, [case_id]) if isinstance(tx_or_store, Tx) else tx_or_store.rows(sql, [case_id])
    return [r["person_id"] for r in rows]


def check_children(session: Any, case_id: str, child_ids: Any, field: str = "child_ids") -> list[str]:
    """The given children, each a subject of the case; all subjects when none are given."""
    subjects = case_subject_ids(session.store, case_id)
    chosen = list(dict.fromkeys(child_ids or subjects))
    if not chosen:
        raise ValidationError(N_("Choose the children this is about."), field=field)
    if any(c not in subjects for c in chosen):
        raise ValidationError(N_("Choose children who are subjects of this case."), field=field)
    return chosen


def person_name(tx: Tx, person_id: str | None) -> str:
    if not person_id:
        return ""
    row = tx.get("person", person_id)
    if not row:
        return ""
    return " ".join(x for x in (row.get("preferred_name") or row.get("given_names"), row["family_name"]) if x)


def practitioner(tx: Tx, practitioner_id: str | None) -> dict[str, Any]:
    row = tx.get("practitioner", practitioner_id) if practitioner_id else None
    if not row:
        return {"name": "", "phone": ""}
    return {"name": f"{row['given_names']} {row['family_name']}", "phone": row.get("phone") or "", **row}


def child_facts(tx: Tx, person_id: str) -> dict[str, str]:
    row = tx.get("person", person_id) or {}
    return {"child_name": person_name(tx, person_id), "child_dob": row.get("date_of_birth") or ""}


def parents_with_pr(tx: Tx, case_id: str, child_ids: list[str]) -> list[str]:
    """People with parental responsibility for any of the children (relationship rows either way
    round), current ones only."""
    marks = ", ".join("?" for _ in child_ids)
    rows = tx.query(
        f"""SELECT DISTINCT related_person_id AS pid FROM relationship WHERE deleted = 0 AND to_date IS NULL
            AND parental_responsibility = 1 AND person_id IN ({marks})
            UNION
            SELECT DISTINCT person_id AS pid FROM relationship WHERE deleted = 0 AND to_date IS NULL
            AND parental_responsibility = 1 AND related_person_id IN ({marks})""",
        [*child_ids, *child_ids],
    )
    return [r["pid"] for r in rows if r["pid"] not in child_ids]


def active_core_members(tx: Tx, case_id: str, on: str) -> list[dict[str, Any]]:
    return tx.query(
        "SELECT * FROM cp_core_member WHERE case_id = ? AND deleted = 0 AND from_date <= ?"
        " AND (to_date IS NULL OR to_date >= ?) ORDER BY created_at",
        [case_id, on, on],
    )


def active_entry(tx: Tx, person_id: str) -> dict[str, Any] | None:
    rows = tx.query(
        "SELECT * FROM register_entry WHERE person_id = ? AND deleted = 0 AND status != 'deregistered'"
        " ORDER BY registered_on DESC LIMIT 1",
        [person_id],
    )
    return rows[0] if rows else None


def register_custodians(tx: Tx) -> list[str]:
    return staff_with_role(tx, "register_custodian")


def bilingual_categories(categories: list[str]) -> dict[str, str]:
    from desktop.i18n import translator

    return {
        lang: ", ".join(translator(lang).gettext(CATEGORY_LABELS[c]) for c in categories) for lang in ("cy", "en")
    }
