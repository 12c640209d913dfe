"""Scope is decided by the server and checked on every read and write."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from server import admin
from tests.server.harness import Device, Harness


@pytest.fixture
def world(h: Harness) -> dict[str, str]:
    """Teams A and B, one case each plus a non-child-protection case on B; a worker per team."""
    for t in ("A", "B"):
        h.team(t)
    h.user("wendy", "social_worker", "A")
    h.user("gwyn", "social_worker", "A")
    h.user("bryn", "social_worker", "B")
    h.user("mari", "team_manager", "A")
    h.user("siôn", "admin_staff", "A")
    h.user("elin", "senior_manager", None)
    h.user("rhys", "register_custodian", None)
    cases = {"a": uuid.uuid4(), "b": uuid.uuid4(), "b_other": uuid.uuid4()}
    h.allocate(cases["a"], "A", "wendy")
    h.allocate(cases["b"], "B", "bryn")
    h.allocate(cases["b_other"], "B", "bryn", case_type="adult_support")
    seeders = {"a": h.login("wendy", "seed-a"), "b": h.login("bryn", "seed-b")}
    for key, case in cases.items():
        d = seeders[key[0]]
        d.insert("cp_plan", str(case), {"stage": "detailed", "version_no": 1, "outline": key}, entity_id=str(case))
        d.note(str(case), {"text": f"note on {key}"})
        # Who holds the case: a record every role with the case in scope reads (casework is for caseworkers).
        d.insert("role_assignment", str(case), {"role": "allocated_worker", "practitioner_id": d.user_id,
                                               "from_date": "2026-11-01"})  # fmt: skip
    for d in seeders.values():
        res = d.push()
        assert all(r["status"] == "applied" for r in res), res
    return {k: str(v) for k, v in cases.items()}


def _case_rows(d: Device) -> dict:
    """The rows a device holds that belong to a case (reference rows reach everyone)."""
    return {k: v for k, v in d.rows.items() if v["case_id"]}


def _cases_seen(d: Device) -> set[str]:
    d.pull()
    return {v["case_id"] for v in d.rows.values() if v["case_id"]}


@pytest.mark.parametrize(
    "username, visible",
    [
        ("wendy", {"a"}),
        ("gwyn", set()),
        ("bryn", {"b", "b_other"}),
        ("mari", {"a"}),
        ("siôn", {"a"}),
        ("elin", {"a", "b", "b_other"}),
        ("rhys", {"a", "b"}),  # the register custodian: child protection cases only
    ],
)
def test_pull_scope_by_role(h: Harness, world, username: str, visible: set[str]) -> None:
    d = h.login(username)
    assert _cases_seen(d) == {world[k] for k in visible}
    assert set(d.get("/v1/me").json()["cases"]) == {world[k] for k in visible}
    v = d.get("/v1/verify").json()
    assert set(v["cases"]) == {world[k] for k in visible}


def test_worker_of_team_a_cannot_push_to_team_b(h: Harness, world) -> None:
    w = h.login("wendy")
    w.note(world["b"], {"text": "sneaky"})
    w.rows[("cp_plan", world["b"])] = {"version": 0, "data": {}, "deleted": False, "case_id": world["b"]}
    w.update("cp_plan", world["b"], {"outline": "changed"})
    res = w.push()
    assert [r["status"] for r in res] == ["rejected", "rejected"]
    assert {r["reason"] for r in res} == {"out_of_scope"}
    assert len(w.outbox) == 2  # kept for "needs attention", never dropped
    # Nothing stored, both quarantined for a supervisor.
    assert h.sql("SELECT count(*) AS n FROM rows WHERE case_id = %s", (uuid.UUID(world["b"]),))[0]["n"] == 3
    assert h.sql("SELECT data FROM rows WHERE entity = 'cp_plan' AND id = %s", (uuid.UUID(world["b"]),))[0][
        "data"
    ]["outline"] == "b"
    q = h.sql("SELECT reason, user_id FROM quarantine")
    assert len(q) == 2 and all(str(r["user_id"]) == w.user_id for r in q)
    mari = h.login("mari")
    assert len(mari.get("/v1/quarantine").json()["quarantine"]) == 2
    # Re-sending does not duplicate quarantine entries; it counts attempts.
    w.push()
    assert h.sql("SELECT max(attempts) AS a, count(*) AS n FROM quarantine")[0] == {"a": 2, "n": 2}


def test_admin_staff_can_write_own_team_only(h: Harness, world) -> None:
    s = h.login("siôn")
    s.pull()
    for case in (world["a"], world["b"]):
        s.insert("letter", case, {"template_id": "N8", "recipient_kind": "agency", "recipient_id": "x",
                                  "recipient_name": "Heddlu", "language": "cy", "data": "{}"})  # fmt: skip
    assert [r["status"] for r in s.push()] == ["applied", "rejected"]


def test_cover_grants_then_expires(h: Harness, world, clock) -> None:
    h.cover("gwyn", "wendy", date(2026, 11, 23), date(2026, 11, 27))
    g = h.login("gwyn")
    assert _cases_seen(g) == {world["a"]}
    g.visit(world["a"], "duty visit")
    assert g.push()[0]["status"] == "applied"
    # Local date 2026-11-28: the cover has ended.
    clock.advance(days=5)
    g = h.login("gwyn", "gwyn-2")
    g.pull()
    assert _case_rows(g) == {}
    g2 = h.login("gwyn")
    g2.cursor = None
    assert _cases_seen(g2) == set()
    # Work made while the cover lasted still goes in within the grace window (docs/sync-protocol.md §5.3)...
    g2.visit(world["a"], "written on the last day of cover, sent late")
    assert g2.push()[0]["status"] == "applied"
    # ... but not once the window has passed.
    clock.advance(days=h.settings.grace_days)
    g2.token = h.login("gwyn").token
    g2.visit(world["a"], "far too late")
    assert g2.push()[0]["reason"] == "out_of_scope"


def test_cover_expiry_sends_remove_case(h: Harness, world, clock) -> None:
    h.cover("gwyn", "wendy", date(2026, 11, 23), date(2026, 11, 23))
    g = h.login("gwyn")
    assert _cases_seen(g) == {world["a"]}
    clock.advance(days=1)
    g.token = h.login("gwyn").token  # a day later; same device continues from its cursor
    g.pull()
    assert {"type": "remove_case", "case_id": world["a"]} in g.removed
    assert _case_rows(g) == {}


def test_token_expiry(h: Harness, world, clock) -> None:
    w = h.login("wendy")
    assert w.get("/v1/me").status_code == 200
    clock.advance(seconds=h.settings.token_ttl_seconds + 1)
    r = w.get("/v1/pull")
    assert r.status_code == 401 and r.json()["error"] == "unauthenticated"
    w.note(world["a"], {"t": 1})
    assert w.push_raw(w.outbox).status_code == 401
    assert h.sql("SELECT count(*) AS n FROM rows WHERE entity = 'cp_core_group'")[0]["n"] == 3


def test_logout_revokes_token(h: Harness, world) -> None:
    w = h.login("wendy")
    assert w.post("/v1/logout", {}).status_code == 200
    assert w.get("/v1/me").status_code == 401


def test_wrong_password_and_unknown_user(h: Harness, world) -> None:
    for body in ({"username": "wendy", "password": "nope-nope"}, {"username": "nobody", "password": "x"}):
        r = h.http.post("/v1/login", json=body)
        assert r.status_code == 401 and r.json()["error"] == "bad_credentials"
    assert h.count("tokens") == 2  # only the seeders'


def test_person_scope_follows_case_membership(h: Harness, world) -> None:
    w = h.login("wendy")
    pid = w.insert("person", None, {"family_name": "Dylan"})
    w.member(world["a"], pid)
    w.push()
    b = h.login("bryn")
    b.pull()
    assert ("person", pid) not in b.rows
    # bryn cannot edit wendy's person, nor hang an address on them.
    b.rows[("person", pid)] = {"version": 0, "data": {"name": "Dylan"}, "deleted": False, "case_id": None}
    b.update("person", pid, {"name": "Changed"})
    b.insert("address", None, {"person_id": pid, "line1": "x"})
    assert [r["reason"] for r in b.push()] == ["out_of_scope", "out_of_scope"]
    # A person created offline and not linked yet stays visible to its creator only.
    lone = b.insert("person", None, {"family_name": "Lone"})
    b.push()
    b.pull()
    assert ("person", lone) in b.rows
    w.pull()
    assert ("person", lone) not in w.rows


def test_reference_data_is_written_by_the_administration_path_and_visible_to_all(h: Harness, world) -> None:
    aid = uuid.uuid4()
    h.admin(admin.put_reference, "agency", aid, {"name": "Heddlu Gogledd Cymru", "agency_type": "police"}, by=None)
    b = h.login("bryn")
    b.pull()
    assert b.rows[("agency", str(aid))]["data"]["name"] == "Heddlu Gogledd Cymru"
    # A laptop's push to it is refused and kept for "needs attention"; nothing changes.
    w = h.login("wendy")
    w.pull()
    w.update("agency", str(aid), {"name": "Changed"})
    res = w.push()
    assert res[0]["reason"] == "reference_data" and len(w.outbox) == 1
    assert h.sql("SELECT data->>'name' AS n FROM rows WHERE id = %s", (aid,))[0]["n"] == "Heddlu Gogledd Cymru"


def test_new_case_created_offline_is_allocated_to_creator(h: Harness, world) -> None:
    w = h.login("wendy")
    new_case = str(uuid.uuid4())
    w.insert("cp_plan", new_case, {"stage": "detailed", "version_no": 1, "outline": "new"}, entity_id=new_case)
    w.note(new_case, {"text": "first contact"})
    assert [r["status"] for r in w.push()] == ["applied", "applied"]
    row = h.sql("SELECT team_id, worker_id FROM cases WHERE case_id = %s", (uuid.UUID(new_case),))[0]
    assert str(row["worker_id"]) == w.user_id
    assert new_case in set(h.login("mari").get("/v1/me").json()["cases"])
    assert new_case not in set(h.login("bryn").get("/v1/me").json()["cases"])


def test_actor_must_be_signed_in_user(h: Harness, world) -> None:
    w = h.login("wendy")
    w.note(world["a"], {"t": 1})
    w.outbox[0]["actor"] = str(uuid.uuid4())
    assert w.push()[0]["reason"] == "actor_mismatch"
