"""Whose cover and absence a manager may arrange is one rule (desktop/domain/manager_reach.py), applied by the
laptop before it writes and by the server when a manager's push carries the change: the same cases run
through both give the same answers. Real laptop profiles synced with the real server over PostgreSQL.

Seen to fail: with the laptop's reach check left out of ``assign_cover`` (the laptop allowed what the server
refused: cases 2 and 3), and with the server's case team left out of its list (the server applied the cover
of another team's case, which the laptop does not even show a team manager: case 5).
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from desktop.domain.manager_reach import NOT_YOUR_TEAM, NOT_YOUR_TEAM_TEXT
from desktop.errors import NotFound, ValidationError
from desktop.i18n import set_language
from desktop.services.my_work import MyWorkService
from desktop.sync.status import needs_attention
from tests.sync.helpers import make_case

DATES = {"from_date": "2026-11-23", "to_date": "2026-11-30"}


def _uid(srv: Any, username: str) -> str:
    return str(srv.sql("SELECT id FROM users WHERE username = %s", (username,))[0]["id"])


@pytest.fixture
def world(srv: Any, laptops: Any) -> dict[str, Any]:
    """Team A (wendy, gwyn; mari its manager), team B (bryn), sian the senior manager; wendy's case of team
    A, and a case of team B allocated to mari herself (so it is on her laptop, in her caseload)."""
    srv.team("B")
    srv.user("bryn", "social_worker", "B")
    srv.user("sian", "senior_manager", None)
    w, b = laptops("wendy"), laptops("bryn")
    case_a, _ = make_case(w)
    case_b, _ = make_case(b, "Price")
    w.sync()
    b.sync()
    srv.allocate(uuid.UUID(case_b), "B", "mari")
    ids = {u: _uid(srv, u) for u in ("wendy", "gwyn", "bryn", "mari")}
    return {**ids, "case_a": case_a, "case_b": case_b, "mari": laptops("mari"), "sian": laptops("sian")}


def _laptop_says(laptop: Any, change: dict[str, Any]) -> str | None:
    """The laptop's answer to a change: ``not_your_team`` if refused for the manager's reach, ``not_found``
    for a case outside the manager's scope on the laptop (a team manager's laptop shows their team's cases
    only), else None (and the change is written)."""
    service = MyWorkService(laptop.session)
    try:
        if change["kind"] == "absence":
            change["row"] = service.record_absence(change["worker"], **DATES)["id"]
        else:
            change["row"] = service.assign_cover(change["covering"], covered_id=change.get("covered"),
                                                 case_id=change.get("case"), **DATES)["id"]  # fmt: skip
    except ValidationError as e:
        assert e.msgid == NOT_YOUR_TEAM_TEXT, e.msgid
        return NOT_YOUR_TEAM
    except NotFound:
        return "not_found"
    return None


def _write_anyway(laptop: Any, change: dict[str, Any]) -> None:
    """The same row written without the service's check (as an older laptop would), for the server to judge."""
    if change["kind"] == "absence":
        values = {"practitioner_id": change["worker"], **DATES}
        change["row"] = laptop.write(lambda tx: tx.insert("practitioner_absence", values)["id"])
    else:
        values = {"covering_id": change["covering"], "covered_id": change.get("covered"), **DATES}
        change["row"] = laptop.write(lambda tx: tx.insert("cover", values, case_id=change.get("case"))["id"])


def _server_says(laptop: Any, changes: list[dict[str, Any]]) -> list[str | None]:
    """Push the changes' rows; the server's refusal reason for each (None: applied)."""
    laptop.sync()
    refused = {a["entity_id"]: a["reason"] for a in needs_attention(laptop.store)}
    pending = laptop.store.rows("SELECT entity_id FROM outbox WHERE state = 'pending'")
    assert pending == [], "every change was answered"
    return [refused.get(c["row"]) for c in changes]


def test_the_laptop_and_the_server_refuse_the_same_cover_and_absence(srv: Any, world: dict[str, Any]) -> None:
    w = world
    cases = [  # (who arranges it, the change, what both must say)
        ("mari", {"kind": "cover", "covering": w["gwyn"], "covered": w["wendy"]}, None),
        ("mari", {"kind": "cover", "covering": w["bryn"], "covered": w["wendy"]}, NOT_YOUR_TEAM),
        ("mari", {"kind": "cover", "covering": w["gwyn"], "covered": w["bryn"]}, NOT_YOUR_TEAM),
        ("mari", {"kind": "cover", "covering": w["gwyn"], "case": w["case_a"]}, None),
        ("mari", {"kind": "cover", "covering": w["gwyn"], "case": w["case_b"]}, "not_found"),
        ("mari", {"kind": "absence", "worker": w["wendy"]}, None),
        ("mari", {"kind": "absence", "worker": w["bryn"]}, NOT_YOUR_TEAM),
        ("sian", {"kind": "cover", "covering": w["bryn"], "covered": w["wendy"]}, None),
        ("sian", {"kind": "cover", "covering": w["wendy"], "case": w["case_b"]}, None),
        ("sian", {"kind": "absence", "worker": w["bryn"]}, None),
    ]
    laptop_answers = [_laptop_says(w[who], change) for who, change, _ in cases]
    # What the laptop refused it never wrote: nothing is waiting to be sent for it.
    for (who, change, _), said in zip(cases, laptop_answers, strict=True):
        if said is not None:
            assert "row" not in change
            _write_anyway(w[who], change)
    server_answers: list[str | None] = []
    for who in ("mari", "sian"):
        mine = [change for arranger, change, _ in cases if arranger == who]
        server_answers += _server_says(w[who], mine)
    expected = [want for _, _, want in cases]
    assert laptop_answers == expected
    # The server refuses exactly what the laptop refused, for the team (another team's case too: the laptop
    # does not even show it to a team manager).
    assert server_answers == [None if want is None else NOT_YOUR_TEAM for want in expected]
    # The server kept only the covers both allowed (five covers; absences are published rows).
    assert srv.count("covers") == sum(1 for _, c, want in cases if c["kind"] == "cover" and want is None)


def test_the_laptop_refuses_beyond_the_team_beside_the_field_and_writes_nothing(srv: Any,
                                                                                world: dict[str, Any]) -> None:  # fmt: skip
    m = world["mari"]
    before = m.store.rows("SELECT (SELECT count(*) FROM cover) AS c, (SELECT count(*) FROM outbox) AS o")[0]
    service = MyWorkService(m.session)
    with pytest.raises(ValidationError) as by:
        service.assign_cover(world["bryn"], covered_id=world["wendy"], **DATES)
    with pytest.raises(ValidationError) as of:
        service.assign_cover(world["gwyn"], covered_id=world["bryn"], **DATES)
    assert (by.value.field, of.value.field) == ("covering_id", "covered_id")
    assert "own team" in str(by.value)
    set_language("cy")
    try:
        assert "eu tîm eu hunain" in str(by.value), "the refusal in the person's language"
    finally:
        set_language("en")
    assert m.store.rows("SELECT (SELECT count(*) FROM cover) AS c, (SELECT count(*) FROM outbox) AS o")[0] == before
    # The cover form's list: a team manager's own team only (not the covered worker), anyone for a senior manager.
    assert {x["id"] for x in service.cover_workers(world["wendy"])} == {world["gwyn"], m.uid}
    assert world["bryn"] in {x["id"] for x in MyWorkService(world["sian"].session).cover_workers(world["wendy"])}


def test_a_disabled_worker_is_refused_as_cover_on_both_sides(srv: Any, world: dict[str, Any]) -> None:
    from server import admin

    srv.admin(admin.set_active, "gwyn", False)
    m = world["mari"]
    m.sync()
    service = MyWorkService(m.session)
    assert world["gwyn"] not in {x["id"] for x in service.cover_workers(world["wendy"])}
    with pytest.raises(ValidationError) as e:
        service.assign_cover(world["gwyn"], covered_id=world["wendy"], **DATES)
    assert e.value.field == "covering_id" and "disabled" in str(e.value)
    change = {"kind": "cover", "covering": world["gwyn"], "covered": world["wendy"]}
    _write_anyway(m, change)
    m.sync()
    [att] = needs_attention(m.store)
    assert (att["entity_id"], att["reason"]) == (change["row"], "invalid_row") and "disabled" in att["message"]
    assert srv.count("covers") == 0
