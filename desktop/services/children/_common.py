"""Shared code lists and checks for Children in Need and Children in Care (Qt-free).

Code lists are stable codes (stored, synced) with English msgids marked ``N_``; show a label with
:func:`label`. Checks raise :class:`~desktop.errors.ValidationError` naming the field; nothing has been
written when they do.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any, Literal, overload

from desktop.domain.validation import parse_date
from desktop.errors import ValidationError
from desktop.i18n import N_
from desktop.services.children.codes import (  # noqa: F401 - the services' names for them
    ASSESSMENT_CONCLUSIONS,
    CHILD_PARTICIPATION,
    CIN_REVIEW_DECISIONS,
    CONTACT_KINDS,
    HEALTH_KINDS,
    IRO_ROLE,
    LEGAL_STATUS_GROUPS,
    LEGAL_STATUSES,
    MOVE_REASONS,
    NEED_CATEGORIES,
    NOT_FOR_UNBORN,
    PERMANENCE_ROUTES,
    PLACEMENT_TYPES,
    PROCEEDINGS_KINDS,
    PROCEEDINGS_OUTCOMES,
    PROCEEDINGS_STAGES,
    VOICE_KINDS,
    WORKER_ROLE,
    label,
)
from desktop.services.scope import require_case
from desktop.store import Tx


# -- checks -------------------------------------------------------------------------------------
def text(value: Any) -> str:
    return str(value or "").strip()


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


def loads(value: str | None) -> Any:
    return json.loads(value) if value else []


def required_text(value: Any, field: str, msgid: str) -> str:
    out = text(value)
    if not out:
        raise ValidationError(msgid, field=field)
    return out


@overload
def past_date(value: Any, field: str, today: date, *, required: Literal[True] = True) -> date: ...
@overload
def past_date(value: Any, field: str, today: date, *, required: bool) -> date | None: ...
def past_date(value: Any, field: str, today: date, *, required: bool = True) -> date | None:
    """A date that is not after ``today`` (``None`` when optional and empty)."""
    parsed = parse_date(value, field)
    if parsed is None:
        if required:
            raise ValidationError(N_("Enter the date."), field=field)
        return None
    if parsed > today:
        raise ValidationError(N_("The date cannot be in the future."), field=field)
    return parsed


@overload
def any_date(value: Any, field: str, *, required: Literal[True]) -> date: ...
@overload
def any_date(value: Any, field: str, *, required: bool = False) -> date | None: ...
def any_date(value: Any, field: str, *, required: bool = False) -> date | None:
    """A date that may be in the future (a target, a scheduled review)."""
    parsed = parse_date(value, field)
    if parsed is None and required:
        raise ValidationError(N_("Enter the date."), field=field)
    return parsed


@overload
def iso(d: date) -> str: ...
@overload
def iso(d: None) -> None: ...
@overload
def iso(d: date | None) -> str | None: ...
def iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def choice(value: Any, allowed: Any, field: str, msgid: str) -> str:
    if value not in allowed:
        raise ValidationError(msgid, field=field)
    return str(value)


def require_child(session: Any, case_id: str, person_id: str) -> dict[str, Any]:
    """The case (scope-checked) if ``person_id`` is one of its subjects; else ``ValidationError``."""
    case = require_case(session, case_id)
    rows = session.store.rows(
        "SELECT 1 FROM case_member WHERE case_id = ? AND person_id = ? AND role = 'subject' AND deleted = 0",
        [case_id, person_id],
    )
    if not rows:
        raise ValidationError(N_("Choose a child who is a subject of this case."), field="person_id")
    return case


def case_subjects(store_or_tx: Any, case_id: str) -> list[str]:
    sql = ("SELECT person_id FROM case_member WHERE case_id = ? AND deleted = 0 AND role = 'subject'"
           " ORDER BY created_at")
    rows = store_or_tx.query(sql, [case_id]) if isinstance(store_or_tx, Tx) else store_or_tx.rows(sql, [case_id])
    return [r["person_id"] for r in rows]


def practitioner_name(store: Any, practitioner_id: str | None) -> str:
    if not practitioner_id:
        return ""
    rows = store.rows("SELECT given_names, family_name FROM practitioner WHERE id = ?", [practitioner_id])
    return f"{rows[0]['given_names']} {rows[0]['family_name']}" if rows else ""


def team_of_kind(store: Any, kind: str) -> str | None:
    rows = store.rows("SELECT id FROM team WHERE kind = ? AND deleted = 0 ORDER BY created_at LIMIT 1", [kind])
    return rows[0]["id"] if rows else None


def has_table(store: Any, name: str) -> bool:
    return bool(store.rows("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [name]))
