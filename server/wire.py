"""Wire types: the request bodies as pydantic models (published in the OpenAPI schema) and the strict
checks they run.

Contract: a body either validates completely or the request is refused with a 4xx naming the offending
element (``path``, e.g. ``ops[3].entity``) and nothing is stored. Every name and identifier is matched
against its whole pattern (``re.fullmatch``: no trailing newline slips through a ``$``). Values that
PostgreSQL would refuse later (NUL characters, lone surrogates, NaN/Infinity, absurd nesting) are refused
here, so a bad request can never reach the database and become a 5xx.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any, Literal, NamedTuple
from uuid import UUID

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    ValidationError,
    field_validator,
    model_validator,
)

ENTITY_PATTERN = r"[a-z][a-z0-9_]{0,62}"
FIELD_PATTERN = r"[A-Za-z_][A-Za-z0-9_]{0,62}"
DEVICE_PATTERN = r"\w[\w.-]{0,127}"
USERNAME_PATTERN = r"[\w.@-]{1,64}"
ENTITY_RE = re.compile(ENTITY_PATTERN)
FIELD_RE = re.compile(FIELD_PATTERN)
DEVICE_RE = re.compile(DEVICE_PATTERN)
USERNAME_RE = re.compile(USERNAME_PATTERN)
KINDS = ("insert", "update", "delete")
MAX_DEPTH = 32
MAX_STR = 1_000_000
MAX_INT = 2**63 - 1
# Row metadata the server owns; never stored as a data field.
META_FIELDS = frozenset({"id", "version", "deleted", "case_id"})


class BadInput(ValueError):
    """A request the server refuses; ``status`` is 400 (not JSON at all) or 422 (wrong shape)."""

    def __init__(self, message: str, path: str = "", status: int = 422, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.status = status
        self.code = code


def _reject_constant(name: str) -> Any:
    raise BadInput(f"{name} is not valid JSON", status=400)


def load_json(body: bytes) -> Any:
    """Parse a request body; 400 for anything that is not strict UTF-8 JSON (NaN and Infinity included)."""
    if not body:
        raise BadInput("request body is empty; JSON expected", status=400)
    try:
        text = body.decode("utf-8")
        return json.loads(text, parse_constant=_reject_constant)
    except BadInput:
        raise
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise BadInput("request body is not valid JSON", status=400) from None


def safe_str(s: str, path: str = "") -> str:
    if len(s) > MAX_STR:
        raise BadInput("string too long", path)
    if "\x00" in s:
        raise BadInput("NUL characters are not allowed in strings", path)
    if s.isascii():  # no surrogate can be in it: skip the encoding below
        return s
    try:
        s.encode("utf-8")
    except UnicodeEncodeError:
        raise BadInput("string is not valid Unicode (lone surrogate)", path) from None
    return s


def check_value(value: Any, path: str = "", depth: int = 0) -> Any:
    """Validate a JSON value destined for jsonb; returns it unchanged."""
    if depth > MAX_DEPTH:
        raise BadInput("value nested too deeply", path)
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int):
        if abs(value) > MAX_INT:
            raise BadInput("integer out of range", path)
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise BadInput("number must be finite", path)
        return value
    if isinstance(value, str):
        return safe_str(value, path)
    if isinstance(value, list):
        return [check_value(v, f"{path}[{i}]", depth + 1) for i, v in enumerate(value)]
    if isinstance(value, dict):
        for k, v in value.items():
            safe_str(k, path)
            check_value(v, f"{path}.{k}", depth + 1)
        return value
    raise BadInput("unsupported value", path)


def _full(pattern: re.Pattern[str], what: str) -> Any:
    def check(v: str) -> str:
        if pattern.fullmatch(v):  # the patterns admit no NUL and no surrogate
            return v
        safe_str(v)  # the clearer message first for a NUL or a lone surrogate
        if not pattern.fullmatch(v):
            raise ValueError(f"{what} must match {pattern.pattern} (the whole string)")
        return v

    return AfterValidator(check)


def _json_pattern(p: str) -> str:
    """The JSON Schema form of a whole-string pattern (ECMA-262: ``$`` is the end of the input)."""
    return f"^{p}$"


# An entity or field name is ASCII, so pydantic's own (Rust) pattern check is the same test as
# ``fullmatch``: there ``$`` is the end of the input, never before a final newline. Checked in Rust, with
# no Python call per name (six a change: a push's validation cost, issue 22).
EntityName = Annotated[str, Field(max_length=63, pattern=_json_pattern(ENTITY_PATTERN))]
FieldName = Annotated[str, Field(max_length=63, pattern=_json_pattern(FIELD_PATTERN))]
DeviceId = Annotated[str, Field(max_length=128, json_schema_extra={"pattern": _json_pattern(DEVICE_PATTERN)}),
                     _full(DEVICE_RE, "device_id")]  # fmt: skip
Username = Annotated[str, Field(min_length=1, max_length=64), _full(USERNAME_RE, "username")]
Text = Annotated[str, AfterValidator(safe_str)]
"""A name or other text a request gives (a team, a display name): refused with 422 when PostgreSQL could not
store it (a NUL, a lone surrogate) instead of failing as a 500 when it is written or looked up."""


def _iso_time(v: str | None) -> str | None:
    if v is None:
        return v
    safe_str(v)
    try:
        datetime.fromisoformat(v)
    except ValueError:
        raise ValueError("local_time must be an ISO 8601 date and time") from None
    return v


def _values(d: dict[str, Any]) -> dict[str, Any]:
    for k, v in d.items():
        t = type(v)
        # The common values answered here, as check_value would (no call a value: a push's 1,000 of them).
        if t is str:
            if v.isascii() and "\x00" not in v and len(v) <= MAX_STR:
                continue
        elif v is None or t is bool or (t is int and -MAX_INT <= v <= MAX_INT):
            continue
        check_value(v, k, 1)
    return d


Values = Annotated[dict[FieldName, Any], AfterValidator(_values)]


class OpIn(BaseModel):
    """One outbox entry. Unknown keys are allowed (forward compatibility) but must be sane JSON."""

    model_config = ConfigDict(extra="allow")

    op_id: UUID
    entity: EntityName
    entity_id: UUID
    case_id: UUID | None = None
    kind: Literal["insert", "update", "delete"]
    fields: Values = Field(default_factory=dict)
    base: Values | None = None
    base_version: Annotated[StrictInt, Field(ge=0, le=MAX_INT)] = 0
    append_only: StrictBool = False
    actor: UUID = Field(description="the signed-in user's id")
    device_id: DeviceId
    local_time: Annotated[str | None, Field(max_length=64), AfterValidator(_iso_time)] = None

    @model_validator(mode="after")
    def _extra_and_update(self) -> OpIn:
        for k, v in (self.model_extra or {}).items():
            safe_str(k)
            check_value(v, k, 1)
        if self.kind == "update" and not self.fields:
            raise ValueError("an update needs at least one field")
        return self


class PushBody(BaseModel):
    ops: list[OpIn] = Field(description="1..max_ops_per_push outbox entries, oldest first")


class LoginBody(BaseModel):
    username: Annotated[str, Field(min_length=1, max_length=200)]
    password: Annotated[str, Field(min_length=1, max_length=1000)]
    device_id: DeviceId | None = None

    @field_validator("username", "password")
    @classmethod
    def _sane(cls, v: str) -> str:
        return safe_str(v)


class ResolveBody(BaseModel):
    choice: Literal["server", "client", "value"]
    value: Any = None
    note: Annotated[str | None, Field(max_length=2000)] = None

    @model_validator(mode="before")
    @classmethod
    def _value_given(cls, data: Any) -> Any:
        if isinstance(data, dict) and data.get("choice") == "value" and "value" not in data:
            raise ValueError("choice 'value' needs a 'value'")
        return data

    @field_validator("value")
    @classmethod
    def _json(cls, v: Any) -> Any:
        return check_value(v, "value")

    @field_validator("note")
    @classmethod
    def _note(cls, v: str | None) -> str | None:
        return None if v is None else safe_str(v)


# -- what the application code works with --------------------------------------------------------------


# The op's keys its op-log row keeps in columns (migration 0023): left out of the JSON stored beside them.
OP_COLUMN_KEYS = frozenset({"op_id", "entity", "entity_id", "case_id", "kind", "actor", "device_id"})


class Op(NamedTuple):
    """One outbox entry, validated (immutable). ``raw`` is the op as sent (kept whole in the quarantine; the
    op log keeps :meth:`logged`, what its columns do not hold). A named tuple: made 250 times a push, five
    times cheaper than a frozen dataclass (issue 22)."""

    op_id: UUID
    entity: str
    entity_id: UUID
    case_id: UUID | None
    kind: str
    fields: dict[str, Any]
    base: dict[str, Any]
    base_version: int
    append_only: bool
    actor: UUID
    device_id: str
    local_time: str | None
    sent: OpIn

    @property
    def raw(self) -> dict[str, Any]:
        """The op as sent, as JSON (what ``model_dump(mode="json")`` gives)."""
        return op_raw(self.sent)

    def logged(self, fields: dict[str, Any] | None) -> dict[str, Any]:
        """The op as sent without the keys its op-log row has as columns (:data:`OP_COLUMN_KEYS`), with
        ``fields`` in place of the fields sent (``None``: those sent)."""
        m = self.sent
        out = {"fields": m.fields if fields is None else fields, "base": m.base, "base_version": m.base_version,
               "append_only": m.append_only, "local_time": m.local_time}  # fmt: skip
        if m.model_extra:
            out.update(m.model_extra)
        return out


def op_raw(m: OpIn) -> dict[str, Any]:
    """The op as sent, as JSON: what ``m.model_dump(mode="json")`` gives, built directly (the values are
    already plain JSON, checked by :func:`check_value`)."""
    raw = {
        "op_id": str(m.op_id), "entity": m.entity, "entity_id": str(m.entity_id),
        "case_id": None if m.case_id is None else str(m.case_id), "kind": m.kind, "fields": m.fields,
        "base": m.base, "base_version": m.base_version, "append_only": m.append_only, "actor": str(m.actor),
        "device_id": m.device_id, "local_time": m.local_time,
    }  # fmt: skip
    if m.model_extra:
        raw.update(m.model_extra)
    return raw


def to_op(m: OpIn) -> Op:
    """The op the server judges. Its ``fields`` and ``base`` are the model's own dicts, not copies: nothing
    changes them (judging reads them and builds its own). Made positionally and with the actor as its UUID
    (no text made): a third of the cost of the keyword form with ``str(actor)`` (issue 22)."""
    return Op(m.op_id, m.entity, m.entity_id, m.case_id, m.kind, m.fields, {} if m.base is None else m.base,
              m.base_version, m.append_only, m.actor, m.device_id, m.local_time, m)


def error_path(loc: tuple[Any, ...] | list[Any]) -> str:
    """``("body", "ops", 1, "entity")`` -> ``ops[1].entity``."""
    out = ""
    for part in loc:
        if part in ("body", "query", "path", "header"):
            continue
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def _parse(model: type[BaseModel], body: Any) -> Any:
    try:
        return model.model_validate(body)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise BadInput(str(first.get("msg", "invalid")), error_path(first.get("loc", ()))) from None


@dataclass(frozen=True)
class PushRequest:
    ops: list[Op]


def parse_push(body: Any, max_ops: int) -> PushRequest:
    """The push body as ops (for code and tests that do not go through HTTP)."""
    if isinstance(body, dict) and isinstance(body.get("ops"), list) and len(body["ops"]) > max_ops:
        raise BadInput(f"at most {max_ops} ops per push", "ops", status=413)
    parsed: PushBody = _parse(PushBody, body)
    return PushRequest([to_op(o) for o in parsed.ops])


@dataclass(frozen=True)
class ResolveRequest:
    choice: str
    value: Any
    note: str | None


def to_resolve(m: ResolveBody) -> ResolveRequest:
    return ResolveRequest(m.choice, m.value, m.note)
