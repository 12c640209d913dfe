"""What the Sync area shows a person about conflicts and refused changes (any thread; reads only).

For each open conflict and each change the server refused: whose record it is (the person's name)
and which case (its reference and the names of the people it is about), and the name of every person,
member of staff, agency or team a value points at — so that the screen says "Seren Tŵr, case
2026-00001: phone" and "Rhian Evans", never a table name or an id. The words around them
(:mod:`desktop.domain.records`) are put together on the GUI thread in the interface language.

Only this laptop's own copies are read: the conflicts the server mirrored here and the changes this
laptop sent, which the server has already limited to what the person may read.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from desktop.domain.records import STATES, field_label
from desktop.domain.types import label
from desktop.i18n import _, format_date, format_datetime
from desktop.services.child_protection.codes import CATEGORY_LABELS
from desktop.services.children.codes import label as children_label
from desktop.sync.conflicts import Conflict, open_conflicts
from desktop.sync.status import needs_attention

# Rows that belong to a person rather than to a case: whose record it is comes from this column.
_PERSON_COLUMN = {"person": "id", "address": "person_id", "household_member": "person_id",
                  "relationship": "person_id", "case_member": "person_id"}


@dataclass(frozen=True)
class Whose:
    """Whose record: a person's name, and the case (reference and the names of those it is about)."""

    person: str = ""
    case: str = ""
    case_people: str = ""


@dataclass(frozen=True)
class Refused:
    """A change the server refused, kept until a person acts (``reason``: the server's code)."""

    entity: str
    kind: str
    reason: str | None
    server_message: str | None
    whose: Whose


@dataclass(frozen=True)
class Review:
    conflicts: list[Conflict]
    refused: list[Refused]
    whose: dict[str, Whose]
    """Conflict id → whose record."""
    names: dict[str, str]
    """Id → name of every person, member of staff, agency and team a value or a "by" points at."""


def _name(given: str | None, family: str | None) -> str:
    return " ".join(x for x in (given, family) if x)


class SyncReviewService:
    def __init__(self, session: Any) -> None:
        self.session = session

    def review(self) -> Review:
        """The open conflicts and refused changes, with whose they are and the names their values need."""
        store = self.session.store
        conflicts = open_conflicts(store)
        whose = {c.id: self._whose(c.entity, c.entity_id, c.case_id) for c in conflicts}
        refused = [Refused(r["entity"], r["kind"], r.get("reason"), r.get("server_message"),
                           self._whose(r["entity"], r["entity_id"], r["case_id"])) for r in needs_attention(store)]
        ids: set[str] = set()
        for c in conflicts:
            ids |= {i for i in (c.server_by, c.client_by) if i}
            for value in (c.server_value, c.client_value):
                ids |= _ids_in(value)
        return Review(conflicts, refused, whose, self._names(ids))

    def _whose(self, entity: str, entity_id: str | None, case_id: str | None) -> Whose:
        store = self.session.store
        person = ""
        column = _PERSON_COLUMN.get(entity)
        if column and entity_id:
            rows = store.rows(
                f"SELECT p.given_names, p.preferred_name, p.family_name FROM {entity} r"  # noqa: S608 - known names
                f" JOIN person p ON p.id = r.{column} WHERE r.id = ?", [entity_id])
            if rows:
                person = _name(rows[0]["preferred_name"] or rows[0]["given_names"], rows[0]["family_name"])
        case = people = ""
        if case_id:
            rows = store.rows("SELECT reference FROM case_file WHERE id = ?", [case_id])
            case = rows[0]["reference"] if rows else ""
            people = ", ".join(_name(r["given_names"], r["family_name"]) for r in store.rows(
                "SELECT COALESCE(p.preferred_name, p.given_names) AS given_names, p.family_name FROM case_member m"
                " JOIN person p ON p.id = m.person_id WHERE m.case_id = ? AND m.role = 'subject' AND m.deleted = 0"
                " ORDER BY m.created_at", [case_id]))
        return Whose(person, case, people)

    def _names(self, ids: set[str]) -> dict[str, str]:
        if not ids:
            return {}
        store, wanted = self.session.store, sorted(ids)
        marks = ", ".join("?" for _ in wanted)
        names: dict[str, str] = {}
        for sql in (f"SELECT id, given_names, family_name FROM practitioner WHERE id IN ({marks})",  # noqa: S608
                    f"SELECT id, COALESCE(preferred_name, given_names) AS given_names, family_name FROM person"
                    f" WHERE id IN ({marks})"):  # noqa: S608
            names |= {r["id"]: _name(r["given_names"], r["family_name"]) for r in store.rows(sql, wanted)}
        for table in ("agency", "team"):
            names |= {r["id"]: r["name"] for r in store.rows(
                f"SELECT id, name FROM {table} WHERE id IN ({marks})", wanted)}  # noqa: S608
        return names


def _ids_in(value: Any) -> set[str]:
    """Strings that look like record ids inside a value (a list of children, a changed row)."""
    if isinstance(value, dict):
        return {i for v in value.values() for i in _ids_in(v)}
    if isinstance(value, list):
        return {i for v in value for i in _ids_in(v)}
    if isinstance(value, str) and len(value) == 36 and value.count("-") == 4:
        return {value}
    if isinstance(value, str) and value.startswith("["):
        try:
            return _ids_in(json.loads(value))
        except ValueError:
            return set()
    return set()

STAMPS = frozenset({"id", "case_id", "created_at", "created_by", "updated_at", "updated_by", "deleted", "version"})
YES_NO = frozenset({"unborn", "interpreter_needed", "lives_in_household", "parental_responsibility", "permanent",
                    "quorum_discretion", "welsh_speaker", "active", "immediate_danger", "out_of_county"})


def _is_id(value: str) -> bool:
    return len(value) == 36 and value.count("-") == 4


def value_text(field: str, value: Any, names: Mapping[str, str]) -> str:
    """A stored value in words, in the interface language: a date as a date, a code by its label, an id
    by the name it points at (``names``), yes or no, a list item by item. A whole row (an edit against
    a deletion) is "Deleted" or the details it was kept with."""
    if isinstance(value, dict) and "deleted" in value:
        if value.get("deleted"):
            return _("Deleted")
        changed = value.get("changed") or value.get("fields") or {}
        details = [_("{field}: {value}").format(field=field_label(k), value=value_text(k, v, names))
                   for k, v in changed.items() if k not in STAMPS]
        return _("Kept, with: {details}").format(details="; ".join(details))
    if value is None or value == "" or value == []:
        return _("(empty)")
    if field in YES_NO or isinstance(value, bool):
        return _("Yes") if value in (1, True, "1") else _("No")
    if isinstance(value, list):
        return ", ".join(value_text(field, v, names) for v in value)
    text = str(value)
    if text.startswith("["):
        try:
            return value_text(field, json.loads(text), names)
        except ValueError:
            return text
    if _is_id(text):
        return names.get(text) or _("a record not on this laptop")
    if field.endswith("_at"):
        try:
            return format_datetime(datetime.fromisoformat(text).astimezone())
        except ValueError:
            return text
    if field.endswith(("_on", "_date")) or field in ("date_of_birth", "date_of_death"):
        try:
            return format_date(date.fromisoformat(text[:10]))
        except ValueError:
            return text
    return code_label(field, text)


def code_label(field: str, code: str) -> str:
    """A code's label in the interface language (free text comes back as typed)."""
    if field in ("categories", "suspected_categories") and code in CATEGORY_LABELS:
        return _(CATEGORY_LABELS[code])
    if code in STATES:
        return _(STATES[code])
    text = children_label(code)
    return text if text != code else label(code)
