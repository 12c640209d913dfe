"""The op as sent (``Op.raw``, kept in the op log and the quarantine) is what pydantic's own JSON dump of
the validated op gives: ``op_raw`` builds it directly (issue 22) and must not differ in any key or value."""

from __future__ import annotations

import uuid
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from server.wire import OpIn, op_raw

NAMES = st.from_regex(r"[a-z][a-z0-9_]{0,8}", fullmatch=True)
JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**63) + 1, 2**63 - 1) | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(NAMES, inner, max_size=3),
    max_leaves=8,
)  # fmt: skip


@st.composite
def ops(draw: st.DrawFn) -> dict[str, Any]:
    op: dict[str, Any] = {
        "op_id": str(draw(st.uuids())), "entity": draw(NAMES), "entity_id": str(draw(st.uuids())).upper(),
        "kind": draw(st.sampled_from(["insert", "update", "delete"])), "actor": str(draw(st.uuids())),
        "device_id": draw(st.from_regex(r"\w[\w.-]{0,10}", fullmatch=True)),
        "fields": draw(st.dictionaries(NAMES, JSON, min_size=1, max_size=4)),
    }  # fmt: skip
    for key, value in (("case_id", st.none() | st.uuids().map(str)), ("base", st.none() | st.dictionaries(NAMES, JSON)),
                       ("base_version", st.integers(0, 2**63 - 1)), ("append_only", st.booleans()),
                       ("local_time", st.none() | st.just("2026-11-23T10:00:00")),
                       ("future_key", JSON)):  # fmt: skip
        if draw(st.booleans()):
            op[key] = draw(value)
    return op


@settings(max_examples=300, deadline=None)
@given(ops())
def test_op_raw_is_the_json_dump(body: dict[str, Any]) -> None:
    m = OpIn.model_validate(body)
    assert op_raw(m) == m.model_dump(mode="json", exclude_none=False)


def test_an_extra_key_is_kept() -> None:
    body = {"op_id": str(uuid.uuid4()), "entity": "cp_visit", "entity_id": str(uuid.uuid4()), "kind": "insert",
            "actor": str(uuid.uuid4()), "device_id": "d1", "fields": {"a": 1}, "client_note": {"x": [1, 2]}}  # fmt: skip
    raw = op_raw(OpIn.model_validate(body))
    assert raw["client_note"] == {"x": [1, 2]} and raw["entity_id"] == body["entity_id"]
