"""What each role may read and write on the server, by record type (scope — which cases — is separate:
server/scope.py). The same grants the laptop's services apply (desktop/services/permissions.py):
admin staff handle letters and contact details, never visit notes or plans; the register custodian keeps
the register; caseworkers and managers record casework. Reference data is read by everyone and written
only through the administration path.

Contract: :func:`may_read` and :func:`may_write` answer for one role and one entity; :func:`readable`
lists the entities a role may read (``None``: every entity), for the pull and verification queries.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from desktop.store.rowspec import CASE_CORE, REGISTER_ENTITIES, family_of, spec

CASEWORKERS = frozenset({"social_worker", "team_manager", "senior_manager"})
_CONTACT = frozenset({"person", "address", "household", "household_member", "relationship"})
# Safety flags travel with the person (issue 20): everyone who handles a person's contact details or letters
# must see them; a release of a held letter is read with the letters. Only a manager writes either.
_SAFETY = frozenset({"person_flag"})
# Tasks (the ``escalation`` table: N3, N4, N5, N13) name a child and what happened: caseworkers and the
# register custodian, who is sent N5 and acknowledges it; never admin staff.
_TASKS = frozenset({"escalation"})
_READ: dict[str, frozenset[str]] = {
    # Performance officers read the authority's figures (server/figures.py), never casework: reference only.
    "performance_officer": frozenset(),
    # The Welsh added to a quoted text of a record that never changes (an adult closure) is read with the
    # letters that quote it.
    "admin_staff": _CONTACT | _SAFETY | CASE_CORE | {"letter", "letter_release", "welsh_addition"},
    "register_custodian": _CONTACT | _SAFETY | CASE_CORE | REGISTER_ENTITIES | _TASKS,
}
_WRITE: dict[str, frozenset[str]] = {
    "admin_staff": _CONTACT | {"letter"},
    "register_custodian": _CONTACT | REGISTER_ENTITIES | _TASKS,
}


def may_read(role: str, entity: str) -> bool:
    if role in CASEWORKERS or family_of(entity) == "reference":
        return True
    return entity in _READ.get(role, frozenset())


def may_write(role: str, entity: str) -> bool:
    """Through a push (reference data never: that is the administration path's)."""
    if family_of(entity) == "reference":
        return False
    return role in CASEWORKERS or entity in _WRITE.get(role, frozenset())


MANAGERS = frozenset({"team_manager", "senior_manager"})
# Supervision is a manager's record of a worker's case, and a sign-off decision a manager's (issue 19): a
# worker may push an answer to a return (``resubmitted``), never a supervision or a sign-off.
_MANAGER_VALUES: dict[str, Callable[[dict[str, Any]], bool]] = {
    "supervision": lambda fields: True,
    "signoff": lambda fields: fields.get("decision") != "resubmitted",
    # A safety flag set or cleared, a held letter released (issue 20): a manager's decision.
    "person_flag": lambda fields: True,
    "letter_release": lambda fields: True,
}


def may_write_values(role: str, entity: str, fields: dict[str, Any]) -> bool:
    """Beyond :func:`may_write`: records only a manager makes (a supervision, a sign-off decision, a safety
    flag, the release of a held letter)."""
    needs_manager = _MANAGER_VALUES.get(entity)
    return role in MANAGERS or needs_manager is None or not needs_manager(fields)


def readable(role: str) -> list[str] | None:
    """Every entity the role may read, or None when it may read them all."""
    if role in CASEWORKERS:
        return None
    return sorted(e for e in spec().entities if may_read(role, e))
