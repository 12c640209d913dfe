"""Wire types: strict parsing of request bodies into plain dataclasses.

Contract: every ``parse_*`` function either returns a fully validated value or raises ``BadInput``
(-> HTTP 400/422 with a JSON message and a path). Values that PostgreSQL would refuse later (NUL
characters, lone surrogates, NaN/Infinity, absurd nesting) are refused here, so a bad request can never
reach the database and become a 5xx.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from typing import Any
from uuid import UUID

ENTITY_RE = re.compile(r"^[a-z][a-z0-9_]{0,62}$")
FIELD_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,62}$")
KINDS = ("insert", "update", "delete")
MAX_DEPTH = 32
MAX_STR = 1_000_000
MAX_INT = 2**63 - 1
# Row metadata the server owns; never stored as a data field.
META_FIELDS = frozenset({"id", "version", "deleted", "case_id"})


class BadInput(ValueError):
    """A request the server refuses; ``status`` is 400 (not JSON at all) or 422 (wrong shape)."""

    def __init__(self, message: str, path: str = "", status: int = 422) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.status = status


def _reject_constant(name: str) -> Any:
    raise BadInput(f"{name} is not valid JSON", status=400)


def load_json(body: bytes) -> Any:
    """Parse a request body; 400 for anything that is not strict UTF-8 JSON."""
    if not body:
        raise BadInput("request body is empty; JSON expected", status=400)
    try:
        text = body.decode("utf-8")
        return json.loads(text, parse_constant=_reject_constant)
    except BadInput:
        raise
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise BadInput("request body is not valid JSON", status=400) from None


def _safe_str(s: str, path: str) -> str:
    if len(s) > MAX_STR:
        raise BadInput("string too long", path)
    if "\x00" in s:
        raise BadInput("NUL characters are not allowed in strings", path)
    try:
        s.encode("utf-8")
    except UnicodeEncodeError:
        raise BadInput("string is not valid Unicode (lone surrogate)", path) from None
    return s


def check_value(value: Any, path: str, depth: int = 0) -> Any:
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
        return _safe_str(value, path)
    if isinstance(value, list):
        return [check_value(v, f"{path}[{i}]", depth + 1) for i, v in enumerate(value)]
    if isinstance(value, dict):
        for k, v in value.items():
            _safe_str(k, path)
            check_value(v, f"{path}.{k}", depth + 1)
        return value
    raise BadInput("unsupported value", path)


def _obj(v: Any, path: str) -> dict[str, Any]:
    if not isinstance(v, dict):
        raise BadInput("object expected", path)
    return v


def _str(v: Any, path: str, max_len: int = 200, allow_empty: bool = False) -> str:
    if not isinstance(v, str):
        raise BadInput("string expected", path)
    if (not v and not allow_empty) or len(v) > max_len:
        raise BadInput(f"string of 1..{max_len} characters expected", path)
    return _safe_str(v, path)


def _uuid(v: Any, path: str) -> UUID:
    if not isinstance(v, str) or len(v) > 64:
        raise BadInput("UUID string expected", path)
    try:
        return UUID(v)
    except ValueError:
        raise BadInput("UUID string expected", path) from None


def _opt_uuid(v: Any, path: str) -> UUID | None:
    return None if v is None else _uuid(v, path)


def _fields(v: Any, path: str) -> dict[str, Any]:
    d = _obj(v, path)
    for k, val in d.items():
        if not isinstance(k, str) or not FIELD_RE.match(k):
            raise BadInput("field names must match [A-Za-z_][A-Za-z0-9_]{0,62}", f"{path}")
        check_value(val, f"{path}.{k}", 1)
    return d


_OP_KEYS = frozenset({"op_id", "entity", "entity_id", "case_id", "kind", "fields", "base", "base_version",
                      "append_only", "actor", "device_id", "local_time"})  # fmt: skip


@dataclass(frozen=True)
class Op:
    """One outbox entry, validated. ``raw`` is the op as sent (kept for the audit trail/quarantine)."""

    op_id: UUID
    entity: str
    entity_id: UUID
    case_id: UUID | None
    kind: str
    fields: dict[str, Any]
    base: dict[str, Any]
    base_version: int
    append_only: bool
    actor: str
    device_id: str
    local_time: str | None
    raw: dict[str, Any]


def parse_op(v: Any, path: str) -> Op:
    d = _obj(v, path)
    entity = _str(d.get("entity"), f"{path}.entity", 63)
    if not ENTITY_RE.match(entity):
        raise BadInput("entity must match [a-z][a-z0-9_]{0,62}", f"{path}.entity")
    kind = d.get("kind")
    if kind not in KINDS:
        raise BadInput("kind must be insert, update or delete", f"{path}.kind")
    base_version = d.get("base_version", 0)
    if (
        isinstance(base_version, bool)
        or not isinstance(base_version, int)
        or not 0 <= base_version <= MAX_INT
    ):
        raise BadInput("base_version must be a non-negative integer", f"{path}.base_version")
    append_only = d.get("append_only", False)
    if not isinstance(append_only, bool):
        raise BadInput("append_only must be a boolean", f"{path}.append_only")
    local_time = d.get("local_time")
    if local_time is not None:
        local_time = _str(local_time, f"{path}.local_time", 64)
    fields = _fields(d.get("fields", {}), f"{path}.fields")
    base = _fields(d.get("base", {}) if d.get("base") is not None else {}, f"{path}.base")
    if kind == "update" and not fields:
        raise BadInput("an update needs at least one field", f"{path}.fields")
    for k, val in d.items():  # unknown keys are allowed (forward compatibility) but must be sane JSON
        if k not in _OP_KEYS:
            _safe_str(k, path)
            check_value(val, f"{path}.{k}", 1)
    return Op(
        op_id=_uuid(d.get("op_id"), f"{path}.op_id"),
        entity=entity,
        entity_id=_uuid(d.get("entity_id"), f"{path}.entity_id"),
        case_id=_opt_uuid(d.get("case_id"), f"{path}.case_id"),
        kind=kind,
        fields=fields,
        base=base,
        base_version=base_version,
        append_only=append_only,
        actor=_str(d.get("actor"), f"{path}.actor", 200),
        device_id=_str(d.get("device_id"), f"{path}.device_id", 200),
        local_time=local_time,
        raw=d,
    )


@dataclass(frozen=True)
class PushRequest:
    ops: list[Op]


def parse_push(body: Any, max_ops: int) -> PushRequest:
    d = _obj(body, "")
    ops = d.get("ops")
    if not isinstance(ops, list):
        raise BadInput("'ops' must be a list", "ops")
    if len(ops) > max_ops:
        raise BadInput(f"at most {max_ops} ops per push", "ops", status=413)
    return PushRequest([parse_op(o, f"ops[{i}]") for i, o in enumerate(ops)])


@dataclass(frozen=True)
class LoginRequest:
    username: str
    password: str
    device_id: str | None


def parse_login(body: Any) -> LoginRequest:
    d = _obj(body, "")
    device = d.get("device_id")
    return LoginRequest(
        username=_str(d.get("username"), "username", 200),
        password=_str(d.get("password"), "password", 1000),
        device_id=_str(device, "device_id", 200) if device is not None else None,
    )


@dataclass(frozen=True)
class ResolveRequest:
    choice: str
    value: Any
    note: str | None


def parse_resolve(body: Any) -> ResolveRequest:
    d = _obj(body, "")
    choice = d.get("choice")
    if choice not in ("server", "client", "value"):
        raise BadInput("choice must be 'server', 'client' or 'value'", "choice")
    if choice == "value" and "value" not in d:
        raise BadInput("choice 'value' needs a 'value'", "value")
    value = check_value(d.get("value"), "value")
    note = d.get("note")
    if note is not None:
        note = _str(note, "note", 2000)
    return ResolveRequest(choice, value, note)
