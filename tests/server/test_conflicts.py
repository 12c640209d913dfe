"""Concurrent edits from several devices: same field -> conflict keeping both values; different fields
merge; append-only facts never collide; edit vs delete is always a conflict; resolution is audited."""

from __future__ import annotations

import uuid

import pytest

from tests.server.harness import Device, Harness


@pytest.fixture
def team_case(h: Harness) -> tuple[str, list[Device]]:
    """One case on team A, the allocated worker and the team manager on three devices."""
    h.team("A")
    h.user("wendy", "social_worker", "A")
    h.user("mari", "team_manager", "A")
    h.user("siôn", "admin_staff", "A")
    case = uuid.uuid4()
    h.allocate(case, "A", "wendy")
    # Wendy on two laptops and her team manager (admin staff do not record casework).
    devices = [h.login("wendy", "w-laptop"), h.login("mari", "m-laptop"), h.login("wendy", "w-laptop-2")]
    return str(case), devices


def _seed(d: Device, case: str) -> str:
    pid = d.insert("cp_plan", case, {"stage": "detailed", "version_no": 1, "contingency": "medium", "support": "active", "outline": "2026-12-01"},
                   entity_id=case)  # fmt: skip
    d.push()
    return pid


def test_same_field_two_clients_conflict_keeps_both_values(h: Harness, team_case) -> None:
    case, (w, m, _) = team_case
    _seed(w, case)
    w.pull()
    m.pull()
    w.update("cp_plan", case, {"contingency": "high"})
    m.update("cp_plan", case, {"contingency": "low"})
    assert w.push()[0]["status"] == "applied"
    res = m.push()[0]
    assert res["status"] == "conflict" and res["applied_fields"] == []
    assert [c["field"] for c in res["conflicts"]] == ["contingency"]
    # The server value was not overwritten.
    w.pull()
    m.pull()
    assert w.rows[("cp_plan", case)]["data"]["contingency"] == "high"
    assert m.rows[("cp_plan", case)]["data"]["contingency"] == "high"
    listing = m.get("/v1/conflicts").json()
    (c,) = listing["conflicts"]
    assert c["server_value"] == "high" and c["client_value"] == "low"
    assert c["server_by"] == w.user_id and c["client_by"] == m.user_id
    assert c["server_device"] == "w-laptop" and c["client_device"] == "m-laptop"
    assert c["server_at"] and c["received_at"]
    assert listing["flagged_cases"] == [case]


def test_three_clients_same_field_every_value_kept(h: Harness, team_case) -> None:
    case, devs = team_case
    _seed(devs[0], case)
    for d in devs:
        d.pull()
    for d, value in zip(devs, ["high", "low", "none"], strict=True):
        d.update("cp_plan", case, {"contingency": value})
    statuses = [d.push()[0]["status"] for d in devs]
    assert statuses == ["applied", "conflict", "conflict"]
    conflicts = devs[0].get("/v1/conflicts").json()["conflicts"]
    kept = {c["server_value"] for c in conflicts} | {c["client_value"] for c in conflicts}
    assert kept == {"high", "low", "none"}


def test_different_fields_merge(h: Harness, team_case) -> None:
    case, (w, m, _) = team_case
    _seed(w, case)
    w.pull()
    m.pull()
    w.update("cp_plan", case, {"contingency": "high", "updated_at": "2026-11-23T10:01:00Z"})
    m.update("cp_plan", case, {"support": "review", "updated_at": "2026-11-23T09:00:00Z"})
    assert w.push()[0]["status"] == "applied"
    res = m.push()[0]
    assert res["status"] == "applied", res  # display stamps follow receipt order, never conflict
    w.pull()
    data = w.rows[("cp_plan", case)]["data"]
    assert data["contingency"] == "high" and data["support"] == "review" and data["outline"] == "2026-12-01"
    assert h.count("conflicts") == 0


def test_same_op_merges_some_fields_and_conflicts_on_others(h: Harness, team_case) -> None:
    case, (w, m, _) = team_case
    _seed(w, case)
    w.pull()
    m.pull()
    w.update("cp_plan", case, {"contingency": "high"})
    m.update("cp_plan", case, {"contingency": "low", "outline": "2027-01-10"})
    w.push()
    res = m.push()[0]
    assert res["status"] == "conflict"
    assert res["applied_fields"] == ["outline"]
    assert [c["field"] for c in res["conflicts"]] == ["contingency"]


def test_identical_concurrent_values_are_not_a_conflict(h: Harness, team_case) -> None:
    case, (w, m, _) = team_case
    _seed(w, case)
    w.pull()
    m.pull()
    w.update("cp_plan", case, {"contingency": "high"})
    m.update("cp_plan", case, {"contingency": "high"})
    assert [w.push()[0]["status"], m.push()[0]["status"]] == ["applied", "applied"]


def test_visits_from_two_workers_are_both_kept(h: Harness, team_case) -> None:
    case, (w, m, _) = team_case
    v1 = w.visit(case, "Wendy's visit")
    v2 = m.visit(case, "Mari's visit")
    assert w.push()[0]["status"] == "applied"
    assert m.push()[0]["status"] == "applied"
    w.pull()
    assert w.rows[("cp_visit", v1)]["data"]["observations"] == "Wendy's visit"
    assert w.rows[("cp_visit", v2)]["data"]["observations"] == "Mari's visit"
    # A correction is a new row pointing at the original; changing the original is refused (and kept).
    w.visit(case, "Wendy's visit (corrected)")
    w.update("cp_visit", v1, {"observations": "rewritten"})
    res = w.push()
    assert res[0]["status"] == "applied"
    assert res[1]["status"] == "rejected" and res[1]["reason"] == "append_only"
    assert h.count("quarantine") == 1
    assert len(w.outbox) == 1  # the refused op is kept, never dropped


def test_edit_against_delete_is_a_conflict(h: Harness, team_case) -> None:
    case, (w, m, _) = team_case
    _seed(w, case)
    w.pull()
    m.pull()
    w.delete("cp_plan", case)
    m.update("cp_plan", case, {"contingency": "high"})
    assert w.push()[0]["status"] == "applied"
    res = m.push()[0]
    assert res["status"] == "conflict" and res["conflicts"][0]["field"] == "_row"
    (c,) = m.get("/v1/conflicts").json()["conflicts"]
    assert c["server_value"] == {"deleted": True}
    assert c["client_value"] == {"deleted": False, "fields": {"contingency": "high"}}
    w.pull()
    assert w.rows[("cp_plan", case)]["deleted"] is True  # not resurrected silently


def test_delete_against_edit_is_a_conflict(h: Harness, team_case) -> None:
    case, (w, m, _) = team_case
    _seed(w, case)
    w.pull()
    m.pull()
    w.update("cp_plan", case, {"contingency": "high"})
    m.delete("cp_plan", case)
    w.push()
    res = m.push()[0]
    assert res["status"] == "conflict"
    (c,) = m.get("/v1/conflicts").json()["conflicts"]
    assert c["server_value"] == {"deleted": False, "changed": {"contingency": "high"}}
    w.pull()
    assert w.rows[("cp_plan", case)]["deleted"] is False  # delete did not win silently


def test_own_edit_then_delete_is_not_a_conflict(h: Harness, team_case) -> None:
    case, (w, _, _) = team_case
    _seed(w, case)
    w.pull()
    w.update("cp_plan", case, {"contingency": "high"})
    w.delete("cp_plan", case)
    assert [r["status"] for r in w.push()] == ["applied", "applied"]


def test_delete_of_deleted_row_is_a_conflict(h: Harness, team_case) -> None:
    case, (w, m, _) = team_case
    _seed(w, case)
    w.pull()
    m.pull()
    w.delete("cp_plan", case)
    m.delete("cp_plan", case)
    w.push()
    assert m.push()[0]["status"] == "conflict"


@pytest.mark.parametrize("choice, expected", [("server", "high"), ("client", "low"), ("value", "medium")])
def test_resolution_sets_value_and_is_audited(h: Harness, team_case, choice: str, expected: str) -> None:
    case, (w, m, _) = team_case
    _seed(w, case)
    w.pull()
    m.pull()
    w.update("cp_plan", case, {"contingency": "high"})
    m.update("cp_plan", case, {"contingency": "low"})
    w.push()
    m.push()
    (c,) = m.get("/v1/conflicts").json()["conflicts"]
    body = {"choice": choice, "note": "agreed at supervision"}
    if choice == "value":
        body["value"] = "medium"
    r = m.post(f"/v1/conflicts/{c['id']}/resolve", body)
    assert r.status_code == 200, r.text
    w.pull()
    assert w.rows[("cp_plan", case)]["data"]["contingency"] == expected
    assert m.get("/v1/conflicts").json() == {"conflicts": [], "flagged_cases": []}
    (resolved,) = m.get("/v1/conflicts", status="resolved").json()["conflicts"]
    assert resolved["resolved_by"] == m.user_id and resolved["resolution"]["choice"] == choice
    (audit,) = h.sql("SELECT actor, action, detail FROM audit")
    assert audit["action"] == "conflict.resolve" and str(audit["actor"]) == m.user_id
    assert audit["detail"]["server_value"] == "high" and audit["detail"]["client_value"] == "low"
    again = m.post(f"/v1/conflicts/{c['id']}/resolve", body)
    assert again.status_code == 409


def test_resolve_edit_vs_delete_for_client_undeletes(h: Harness, team_case) -> None:
    case, (w, m, _) = team_case
    _seed(w, case)
    w.pull()
    m.pull()
    w.delete("cp_plan", case)
    m.update("cp_plan", case, {"contingency": "high"})
    w.push()
    m.push()
    (c,) = m.get("/v1/conflicts").json()["conflicts"]
    assert m.post(f"/v1/conflicts/{c['id']}/resolve", {"choice": "value", "value": 1}).status_code == 422
    assert m.post(f"/v1/conflicts/{c['id']}/resolve", {"choice": "client"}).status_code == 200
    w.pull()
    row = w.rows[("cp_plan", case)]
    assert row["deleted"] is False and row["data"]["contingency"] == "high"


def test_conflicts_of_other_teams_are_invisible(h: Harness, team_case) -> None:
    case, (w, m, _) = team_case
    _seed(w, case)
    w.pull()
    m.pull()
    w.update("cp_plan", case, {"contingency": "high"})
    m.update("cp_plan", case, {"contingency": "low"})
    w.push()
    m.push()
    (c,) = m.get("/v1/conflicts").json()["conflicts"]
    h.team("B")
    h.user("bryn", "team_manager", "B")
    b = h.login("bryn")
    assert b.get("/v1/conflicts").json()["conflicts"] == []
    assert b.post(f"/v1/conflicts/{c['id']}/resolve", {"choice": "server"}).status_code == 404


def test_delete_vs_edit_names_the_editor(h: Harness, team_case) -> None:
    case, (w, m, _) = team_case
    _seed(w, case)
    w.pull()
    m.pull()
    m.update("cp_plan", case, {"contingency": "high"})
    m.push()
    w.delete("cp_plan", case)
    w.push()
    (c,) = w.get("/v1/conflicts").json()["conflicts"]
    assert c["server_by"] == m.user_id and c["server_device"] == "m-laptop"
    assert c["client_by"] == w.user_id


def test_an_edit_of_a_field_the_insert_left_to_its_default_is_no_conflict(h: Harness, team_case) -> None:
    """A laptop's insert sends only the fields it gives; the rest hold the laptop's defaults on every laptop
    (a person's correspondence language "unknown"). An edit made against that default merges; an edit
    against it after someone else set the field is a conflict showing their value, never an empty one."""
    case, (w, m, _) = team_case
    pid = w.person("Jones")
    w.member(case, pid)
    w.push()
    w.rows[("person", pid)]["data"]["correspondence_language"] = "unknown"  # what the laptop's row holds
    w.update("person", pid, {"correspondence_language": "cy"})
    [res] = w.push()
    assert (res["status"], res["applied_fields"]) == ("applied", ["correspondence_language"])
    other = w.person("Evans")
    w.member(case, other)
    w.push()
    m.pull()
    m.rows[("person", other)]["data"]["correspondence_language"] = "unknown"
    m.update("person", other, {"correspondence_language": "en"})
    assert m.push()[0]["status"] == "applied"
    w.rows[("person", other)]["data"]["correspondence_language"] = "unknown"
    w.update("person", other, {"correspondence_language": "cy"})
    [res] = w.push()
    assert res["status"] == "conflict"
    [c] = [c for c in w.get("/v1/conflicts").json()["conflicts"] if c["entity_id"] == other]
    assert (c["server_value"], c["client_value"]) == ("en", "cy")
