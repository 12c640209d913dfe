"""Each attack of issue 14, tried as a worker with a valid account would, now refused.

Every test first sets up the world the attack needs, makes the attack exactly as reported, and shows that
the server refuses it and that nothing changed.
"""

from __future__ import annotations

import uuid

import pytest

from server import admin
from tests.server.harness import Device, Harness


@pytest.fixture
def two_teams(h: Harness) -> dict[str, str]:
    """Team A (wendy, social worker; mari, team manager) and team B (bryn); a case each, each with a
    child whose name and phone are recorded."""
    for t in ("A", "B"):
        h.team(t)
    h.user("wendy", "social_worker", "A")
    h.user("mari", "team_manager", "A")
    h.user("bryn", "social_worker", "B")
    out: dict[str, str] = {}
    for who, team in (("wendy", "A"), ("bryn", "B")):
        case = uuid.uuid4()
        h.allocate(case, team, who)
        d = h.login(who, f"{who}-seed")
        pid = d.person("Tŵr" if who == "bryn" else "Jones", given_names="Nia", phone="07700 900123")
        d.member(str(case), pid)
        d.record(str(case), outline="plan")
        assert all(r["status"] == "applied" for r in d.push())
        out[f"case_{who}"], out[f"person_{who}"] = str(case), pid
    return out


def _row(h: Harness, entity: str, row_id: str) -> dict:
    return h.sql("SELECT data, version FROM rows WHERE entity = %s AND id = %s", (entity, uuid.UUID(row_id)))[0]


def test_linking_another_teams_person_into_my_case_is_refused(h: Harness, two_teams) -> None:
    """Attack 1: a team-A worker adds a team-B person to her own case, then pulls their name and phone and
    overwrites the phone. The link is refused; the person never reaches her; the phone is untouched."""
    w = h.login("wendy")
    w.pull()
    before = _row(h, "person", two_teams["person_bryn"])
    w.member(two_teams["case_wendy"], two_teams["person_bryn"])
    [res] = w.push()
    assert (res["status"], res["reason"]) == ("rejected", "out_of_scope")
    assert "person_id" in res["message"]
    w.pull()
    assert ("person", two_teams["person_bryn"]) not in w.rows
    # Overwriting the phone of a person she cannot see is refused too.
    w.rows[("person", two_teams["person_bryn"])] = {"version": before["version"], "data": dict(before["data"]),
                                                    "deleted": False, "case_id": None}  # fmt: skip
    w.update("person", two_teams["person_bryn"], {"phone": "07700 900999"})
    assert w.push()[-1]["reason"] == "out_of_scope"
    assert _row(h, "person", two_teams["person_bryn"]) == before
    # The same holds for any record that points at a person: an address, a relationship, a visit's child.
    w.outbox.clear()
    w.insert("address", None, {"person_id": two_teams["person_bryn"], "line1": "1 Stryd Fawr"})
    w.insert("relationship", None, {"person_id": two_teams["person_wendy"], "related_person_id": two_teams["person_bryn"],
                                    "kind": "sibling"})  # fmt: skip
    vid = w.visit(two_teams["case_wendy"])
    w.insert("cp_visit_child", two_teams["case_wendy"], {"visit_id": vid, "person_id": two_teams["person_bryn"],
             "seen": 1, "seen_alone": 1, "seen_at_home": 1, "bedroom_seen": 0}, append_only=True)  # fmt: skip
    assert [r.get("reason") for r in w.push()] == ["out_of_scope", "out_of_scope", None, "out_of_scope"]
    # And a record of her case cannot point at another case's records either.
    plan_b = h.sql("SELECT id::text AS id FROM rows WHERE entity = 'cp_plan' AND case_id = %s",
                   (uuid.UUID(two_teams["case_bryn"]),))[0]["id"]  # fmt: skip
    w.outbox.clear()
    w.insert("cp_plan_action", two_teams["case_wendy"], {"plan_id": plan_b, "description": "x", "owner_kind": "person",
                                                          "owner_name": "x"})  # fmt: skip
    assert w.push()[0]["reason"] == "out_of_scope"
    # Her team manager, who can see both of her people, may link them.
    m = h.login("mari")
    m.pull()
    m.member(two_teams["case_wendy"], two_teams["person_wendy"], role="relative")
    assert m.push()[0]["status"] == "applied"


def test_changing_another_users_role_through_reference_data_is_refused(h: Harness, two_teams) -> None:
    """Attack 2: any user rewrote another user's role in the shared reference data. Now reference data
    (staff, roles, teams, allocations, cover) is written only through the administration path."""
    w = h.login("wendy")
    w.pull()
    bryn = str(h.sql("SELECT id FROM users WHERE username = 'bryn'")[0]["id"])
    before = _row(h, "practitioner", bryn)
    assert before["data"]["app_role"] == "social_worker"
    w.update("practitioner", bryn, {"app_role": "admin_staff"})
    team_b = next(k[1] for k, v in w.rows.items() if k[0] == "team" and v["data"]["name"] == "B")
    w.update("team", team_b, {"name": "Renamed"})
    w.insert("cover", None, {"covering_id": w.user_id, "covered_id": bryn, "from_date": "2026-11-23",
                             "to_date": "2026-12-23"})  # fmt: skip
    w.insert("practitioner", None, {"given_names": "Fake", "family_name": "Admin", "app_role": "senior_manager"})
    results = w.push()
    assert {r["reason"] for r in results} == {"reference_data"}
    assert len(w.outbox) == len(results)  # kept for "needs attention"
    assert _row(h, "practitioner", bryn) == before
    assert h.sql("SELECT count(*) AS n FROM covers")[0]["n"] == 0
    assert h.sql("SELECT count(*) AS n FROM rows WHERE entity IN ('cover', 'practitioner') AND created_by = %s",
                 (uuid.UUID(w.user_id),))[0]["n"] == 0  # fmt: skip
    # An administrator changes a role through the administration path; every laptop receives it.
    h.admin(admin.set_role, "bryn", "team_manager", "B")
    b = h.login("bryn")
    b.pull()
    assert b.rows[("practitioner", bryn)]["data"]["app_role"] == "team_manager"


def test_a_case_allocation_is_not_changed_by_a_push(h: Harness, two_teams) -> None:
    w = h.login("wendy")
    case = str(uuid.uuid4())
    team_a = str(h.sql("SELECT id FROM teams WHERE name = 'A'")[0]["id"])
    team_b = str(h.sql("SELECT id FROM teams WHERE name = 'B'")[0]["id"])
    fields = {"reference": "R-1", "case_type": "child_protection", "opened_on": "2026-11-01"}
    # A new case is hers, in her team: accepted.
    w.insert("case_file", case, {**fields, "team_id": team_a, "allocated_worker_id": w.user_id}, entity_id=case)
    assert w.push()[0]["status"] == "applied"
    # Moving it to another team or worker from a laptop is refused.
    w.pull()
    w.update("case_file", case, {"team_id": team_b})
    w.update("case_file", case, {"allocated_worker_id": str(h.sql("SELECT id FROM users WHERE username='bryn'")[0]["id"])})
    assert [r["reason"] for r in w.push()] == ["reference_data", "reference_data"]
    # A new case allocated to someone else at birth is refused too.
    other = str(uuid.uuid4())
    w.outbox.clear()
    w.insert("case_file", other, {**fields, "team_id": team_b}, entity_id=other)
    assert w.push()[0]["reason"] == "reference_data"
    assert h.sql("SELECT count(*) AS n FROM cases WHERE case_id = %s", (uuid.UUID(other),))[0]["n"] == 0


def test_someone_elses_change_id_gets_409_never_their_result(h: Harness, two_teams) -> None:
    """Attack 3: pushing a change whose id another user already used returned 'duplicate' with that user's
    result, and the pusher's own change was dropped. Now: 409, nothing of the push stored."""
    b = h.login("bryn")
    b.note(two_teams["case_bryn"], "bryn's note")
    original = dict(b.outbox[0])
    [theirs] = b.push()
    w = h.login("wendy")
    w.note(two_teams["case_wendy"], "wendy's note")
    w.note(two_teams["case_wendy"], "another")
    w.outbox[0]["op_id"] = theirs["op_id"]
    before = h.count("rows"), h.count("ops")
    r = w.push_raw(w.outbox)
    assert r.status_code == 409 and r.json()["error"] == "op_id_taken", r.text
    assert "original" not in r.text and "bryn" not in r.text
    assert (h.count("rows"), h.count("ops")) == before
    # The same user on another device: someone else's id too.
    b2 = h.login("bryn", "bryn-laptop-2")
    b2.note(two_teams["case_bryn"], "x")
    b2.outbox[0]["op_id"] = theirs["op_id"]
    assert b2.push_raw(b2.outbox).status_code == 409
    # Its owner (same user, same device) still gets "duplicate" with its own result.
    [dup] = b.push_raw([original]).json()["results"]
    assert dup["status"] == "duplicate" and dup["original"]["op_id"] == theirs["op_id"]
    # A refused (quarantined) id cannot be taken over by another user either.
    b.note(two_teams["case_wendy"], "not in bryn's scope")
    [rej] = b.push()
    assert rej["status"] == "rejected"
    assert w.push_raw([{**w.outbox[1], "op_id": rej["op_id"]}]).status_code == 409
    q = h.sql("SELECT user_id::text AS u, attempts FROM quarantine WHERE op_id = %s", (uuid.UUID(rej["op_id"]),))
    assert q == [{"u": b.user_id, "attempts": 1}]


@pytest.mark.parametrize("where", ["entity", "field", "device_id", "username"])
def test_names_with_a_trailing_newline_are_refused(h: Harness, two_teams, where: str) -> None:
    """Attack 5b: entity and field names with a trailing newline were accepted (patterns ending in ``$``)."""
    w: Device = h.login("wendy")
    w.note(two_teams["case_wendy"], "x")
    op = dict(w.outbox[0])
    if where == "entity":
        op["entity"] = "cp_core_group\n"
    elif where == "field":
        op["fields"] = {**op["fields"], "notes\n": "x"}
    elif where == "device_id":
        op["device_id"] = "laptop\n"
    if where == "username":
        r = h.http.post("/v1/login", json={"username": "wendy\n", "password": "x" * 10})
        assert r.status_code in (401, 422)  # never signs in
        assert h.sql("SELECT count(*) AS n FROM users WHERE username LIKE %s", ("%\n",))[0]["n"] == 0
        with pytest.raises(admin.AdminError):
            h.user("eve\n", "social_worker", "A")
        return
    before = h.count("rows")
    r = w.push_raw([op])
    assert r.status_code == 422 and r.json()["path"].startswith("ops[0]"), r.text
    assert h.count("rows") == before


def test_rows_a_laptop_cannot_store_are_refused(h: Harness, two_teams) -> None:
    """Attack 5c: the server accepted rows a laptop cannot store (they then stuck on laptops for ever). The
    server now checks them against the laptop's own schema (desktop/store/rowspec.py)."""
    w = h.login("wendy")
    case = two_teams["case_wendy"]
    cases = [
        ("cp_visit", {"visited_on": "2026-11-20", "location": "home"}, "visitor_id: a value is required"),
        ("cp_plan", {"stage": "final", "version_no": 1}, "CHECK constraint failed"),
        ("cp_plan", {"stage": "outline", "version_no": "two"}, "version_no: an integer expected"),
        ("cp_plan", {"stage": "outline", "version_no": 1, "colour": "red"}, "colour: no such field"),
        ("cp_plan", {"stage": "outline", "version_no": 1, "outline": {"a": 1}}, "outline: text expected"),
        ("cp_plan", {"stage": None, "version_no": 1}, "stage: a value is required"),
        ("no_such_table", {"x": 1}, "there is no record type"),
        ("case_member", {"person_id": "not-an-id", "role": "subject"}, "person_id: an id (UUID) expected"),
        ("cp_report", {"child_ids": "[1, 2]", "received_at": "x", "received_on": "x", "received_by": "x",
                       "source_type": "x", "concerns": "x"}, "child_ids: a JSON list of person ids expected"),
    ]  # fmt: skip
    for entity, fields, _message in cases:
        w.insert(entity, case, fields, append_only=entity == "cp_visit")
    before = h.count("rows")
    results = w.push()
    for (entity, _f, message), res in zip(cases, results, strict=True):
        assert res["status"] == "rejected" and res["reason"] in ("invalid_row", "unknown_entity"), (entity, res)
        assert message in res["message"], (message, res["message"])
    assert h.count("rows") == before
    # An update that would leave a stored row invalid is refused; the row is unchanged.
    w.pull()
    plan = next(k[1] for k, v in w.rows.items() if k[0] == "cp_plan" and v["case_id"] == case and v["version"])
    w.outbox.clear()
    w.update("cp_plan", plan, {"status": "paused"})
    assert w.push()[0]["reason"] == "invalid_row"
    assert _row(h, "cp_plan", plan)["data"].get("status") is None


def test_append_only_is_decided_by_the_schema_not_the_client(h: Harness, two_teams) -> None:
    """A visit sent as if it were editable still cannot be changed afterwards."""
    w = h.login("wendy")
    vid = w.insert("cp_visit", two_teams["case_wendy"], {"visited_on": "2026-11-20", "visitor_id": w.user_id,
                                                        "location": "home", "observations": "seen"})  # fmt: skip
    assert w.push()[0]["status"] == "applied"
    w.pull()
    w.update("cp_visit", vid, {"observations": "rewritten"})
    w.delete("cp_visit", vid)
    assert [r["reason"] for r in w.push()] == ["append_only", "append_only"]


def test_two_offline_plan_revisions_get_distinct_version_numbers(h: Harness, two_teams) -> None:
    """Attack 6: two laptops revised the same plan offline and both versions became 2."""
    case = two_teams["case_wendy"]
    w1, w2 = h.login("wendy", "laptop-1"), h.login("mari", "laptop-2")
    plan = w1.insert("cp_plan", case, {"stage": "detailed", "version_no": 1, "outline": "v1"})
    w1.insert("cp_plan_version", case, {"plan_id": plan, "version_no": 1, "stage": "detailed", "snapshot": "{}",
                                       "changes": "[]"}, append_only=True)  # fmt: skip
    w1.push()
    w1.pull()
    w2.pull()
    for d, field, text in ((w1, "support", "wendy's revision"), (w2, "contingency", "mari's revision")):
        d.update("cp_plan", plan, {"version_no": 2, field: text})
        d.insert("cp_plan_version", case, {"plan_id": plan, "version_no": 2, "stage": "detailed",
                                          "snapshot": f'{{"support": "{text}"}}', "changes": "[]"}, append_only=True)  # fmt: skip
    assert [r["status"] for r in w1.push()] == ["applied", "applied"]
    second = w2.push()
    assert [r["status"] for r in second] == ["applied", "applied"], second
    assert second[0]["adjusted"] == {"version_no": 3} and second[1]["adjusted"] == {"version_no": 3}
    versions = h.sql("SELECT (data->>'version_no')::int AS n FROM rows WHERE entity = 'cp_plan_version'"
                     " ORDER BY 1")  # fmt: skip
    assert [r["n"] for r in versions] == [1, 2, 3]
    assert _row(h, "cp_plan", plan)["data"]["version_no"] == 3
    w1.pull()
    assert w1.rows[("cp_plan", plan)]["data"]["version_no"] == 3
