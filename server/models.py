"""Response models: what every endpoint answers, published in the OpenAPI schema (docs/openapi.json).

Contract: these describe the JSON the server sends exactly (extra keys are never sent); the API tests
and the schemathesis fuzz check every response against them.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from server.wire import Text, Username


class _Closed(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ErrorBody(_Closed):
    error: str = Field(description="a stable code: malformed, invalid, invalid_cursor, unauthenticated, "
                       "bad_credentials, forbidden, not_found, method_not_allowed, op_id_taken, "
                       "already_resolved, row_missing, invalid_choice, too_large, too_many_attempts, "
                       "unavailable")  # fmt: skip
    message: str
    path: str | None = Field(None, description="the offending element of the request, for input errors")
    details: list[dict[str, Any]] | None = None


class Health(_Closed):
    status: Literal["ok"]
    schema_version: int


class UserOut(_Closed):
    id: str
    username: str
    display_name: str
    role: str
    team_id: str | None
    is_admin: bool


class LoginOut(_Closed):
    token: str
    expires_at: str = Field(description="UTC ISO 8601; the token lasts token_ttl_seconds from sign-in")
    user: UserOut


class StatusOk(_Closed):
    status: Literal["ok"]


class MeOut(_Closed):
    user: UserOut
    cases: list[str]


class ConflictRef(_Closed):
    conflict_id: str
    field: str


class OpResult(_Closed):
    """One push result; ``status`` says which of the other keys are present (docs/sync-protocol.md §3)."""

    op_id: str
    status: Literal["applied", "conflict", "duplicate", "rejected"]
    applied_fields: list[str] | None = None
    version: int | None = None
    conflicts: list[ConflictRef] | None = None
    adjusted: dict[str, Any] | None = Field(None, description="numbers the server changed to keep them unique")
    original: dict[str, Any] | None = Field(None, description="for a duplicate: the first result")
    reason: str | None = None
    message: str | None = None


class PushOut(_Closed):
    results: list[OpResult]


class Change(_Closed):
    entity: str
    id: str
    case_id: str | None
    version: int
    deleted: bool
    data: dict[str, Any]


class Removal(_Closed):
    type: Literal["remove_case", "remove_person"]
    case_id: str | None = None
    person_id: str | None = None


class PullOut(_Closed):
    changes: list[Change]
    removals: list[Removal]
    cursor: str
    seq: int
    has_more: bool


class Sum(_Closed):
    rows: int
    deleted: int
    checksum: Annotated[str, Field(pattern=r"^[0-9a-f]{16}$")]


class VerifyOut(_Closed):
    as_of_seq: int
    total: Sum
    reference: Sum
    cases: dict[str, Sum]
    persons: dict[str, Sum]


class ConflictRecord(_Closed):
    id: str
    entity: str
    entity_id: str
    case_id: str | None
    scope_id: str | None
    field: str
    server_value: Any
    server_by: str | None
    server_device: str | None
    server_at: str | None
    server_version: int | None
    client_value: Any
    client_by: str | None
    client_device: str | None
    client_local_time: str | None
    client_op_id: str
    received_at: str
    status: Literal["open", "resolved"]
    resolution: Any
    resolved_by: str | None
    resolved_at: str | None


class ConflictsOut(_Closed):
    conflicts: list[ConflictRecord]
    flagged_cases: list[str]


class ResolveOut(_Closed):
    conflict_id: str
    status: Literal["resolved"]
    version: int
    choice: str
    value: Any
    note: str | None
    row_version: int


class QuarantineEntry(_Closed):
    op_id: str
    user_id: str
    device_id: str
    entity: str
    entity_id: str
    case_id: str | None
    reason: str
    message: str
    payload: dict[str, Any]
    attempts: int
    first_received_at: str
    last_received_at: str
    status: str


class QuarantineOut(_Closed):
    quarantine: list[QuarantineEntry]


# -- administration ----------------------------------------------------------------------------------


class TeamIn(_Closed):
    name: Annotated[Text, Field(min_length=1, max_length=200)]
    kind: Literal["cp", "cin", "cic", "adult", "admin"] = "cp"


class CreatedOut(_Closed):
    id: str


Language = Literal["cy", "en", "bilingual", "unknown"]


class LanguageIn(_Closed):
    language: Language


class UserIn(_Closed):
    username: Username
    password: Annotated[str, Field(min_length=8, max_length=1000)]
    role: Literal["social_worker", "team_manager", "senior_manager", "register_custodian", "admin_staff",
                   "performance_officer"]
    team: Annotated[Text | None, Field(max_length=200)] = None
    display_name: Annotated[Text | None, Field(max_length=200)] = None
    is_admin: bool = False
    language: Language = "unknown"
    """The language letters to them are written in (``unknown``: bilingual, Welsh first)."""


class RoleIn(_Closed):
    role: Literal["social_worker", "team_manager", "senior_manager", "register_custodian", "admin_staff",
                   "performance_officer"]
    team: Annotated[Text | None, Field(max_length=200)] = None


class ActiveIn(_Closed):
    active: bool


class AllocationIn(_Closed):
    team: Annotated[Text | None, Field(max_length=200)] = None
    worker: Annotated[Text | None, Field(max_length=200)] = None
    case_type: Literal["child_protection", "child_in_need", "looked_after", "adult_at_risk"] | None = None


class CoverIn(_Closed):
    cover_user: Annotated[Text, Field(min_length=1, max_length=200)]
    covered_user: Annotated[Text, Field(min_length=1, max_length=200)]
    starts_on: Annotated[str, Field(pattern=r"^\d{4}-\d{2}-\d{2}$")]
    ends_on: Annotated[str, Field(pattern=r"^\d{4}-\d{2}-\d{2}$")]


class ReferenceIn(_Closed):
    fields: dict[str, Any]
    deleted: bool = False


class ReferenceOut(_Closed):
    entity: str
    id: str
    version: int
    deleted: bool



class Anchored(_Closed):
    entries: int
    head: str


class AnchorKept(Anchored):
    received_at: str


class AnchorIncident(_Closed):
    kind: Literal["truncated", "reforged", "unproven"]
    anchored: Anchored


class AnchorOut(_Closed):
    """The anchor kept, and whether the chain failed to continue the last one (a rewrite is loud)."""

    anchor: AnchorKept
    incident: AnchorIncident | None


class IncidentOut(_Closed):
    """One break in a device's chain of audit anchors, as the server recorded it."""

    id: int
    username: str
    display_name: str
    device_id: str
    kind: Literal["truncated", "reforged", "unproven"] = Field(
        description="truncated: fewer entries than anchored; reforged: a different hash at the anchored entry;"
                    " unproven: no proof of the anchored entry")  # fmt: skip
    anchored: Anchored = Field(description="what the server had anchored before")
    sent: Anchored = Field(description="what the laptop sent")
    at: str = Field(description="when the server received it (ISO 8601)")


class IncidentsOut(_Closed):
    """Recorded breaks, newest first; ``next_before`` is the ``before`` of the next page (null on the last)."""

    incidents: list[IncidentOut]
    next_before: int | None


class OwnAnchorOut(_Closed):
    """The caller's own device: the newest anchor the server keeps (null if none) and its recorded breaks."""

    device_id: str
    anchor: AnchorKept | None
    incidents: list[IncidentOut]
    more: bool = Field(description="older breaks were recorded beyond the limit")
