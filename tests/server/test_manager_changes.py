"""A manager's cover, absence and allocation pushed from a laptop (server/manager_changes.py), at the wire:
applied through the administration path once (a replayed push changes nothing), a senior manager for any
team, a team manager for their own, anyone else refused as before; a refusal leaves nothing behind."""

from __future__ import annotations

import uuid

import pytest

from tests.server.harness import Harness


@pytest.fixture
def teams(h: Harness) -> dict[str, str]:
    """Team A (wendy, gwyn, mari the team manager), team B (bryn), and sian the senior manager; a case of
    wendy's."""
    for t in ("A", "B"):
        h.team(t)
    ids = {u: str(h.user(u, role, team)) for u, role, team in (
        ("wendy", "social_worker", "A"), ("gwyn", "social_worker", "A"), ("mari", "team_manager", "A"),
        ("bryn", "social_worker", "B"), ("sian", "senior_manager", None))}  # fmt: skip
    case = uuid.uuid4()
    h.allocate(case, "A", "wendy")
    d = h.login("wendy")
    d.insert("case_file", str(case), {"reference": "R-1", "case_type": "child_protection", "opened_on": "2026-11-01",
                                      "allocated_worker_id": ids["wendy"]}, entity_id=str(case))  # fmt: skip
    assert d.push()[0]["status"] == "applied"
    return {**ids, "case": str(case)}


def _cover(covering: str, covered: str) -> dict[str, str]:
    return {"covering_id": covering, "covered_id": covered, "from_date": "2026-11-23", "to_date": "2026-11-30"}


def test_a_replayed_push_of_a_managers_changes_changes_nothing(h: Harness, teams) -> None:
    m = h.login("mari")
    m.pull()
    cover = m.insert("cover", None, _cover(teams["gwyn"], teams["wendy"]))
    m.insert("practitioner_absence", None, {"practitioner_id": teams["wendy"], "from_date": "2026-11-23"})
    m.update("case_file", teams["case"], {"allocated_worker_id": teams["gwyn"]})
    sent = list(m.outbox)
    assert [r["status"] for r in m.push()] == ["applied"] * 3
    state = ("SELECT (SELECT count(*) FROM covers) AS covers, (SELECT count(*) FROM allocation_history) AS hist,"
             " (SELECT count(*) FROM ops) AS ops, (SELECT max(seq) FROM rows) AS seq,"
             " (SELECT count(*) FROM rows WHERE entity IN ('cover', 'practitioner_absence')) AS refs")  # fmt: skip
    before = h.sql(state)[0]
    assert (before["covers"], before["refs"]) == (1, 2)
    assert h.sql("SELECT id::text AS i FROM covers")[0]["i"] == cover
    again = m.push_raw(sent).json()["results"]
    assert [r["status"] for r in again] == ["duplicate"] * 3
    assert h.sql(state)[0] == before


def test_a_senior_manager_arranges_for_any_team_a_team_manager_for_their_own(h: Harness, teams) -> None:
    m = h.login("mari")
    m.pull()
    m.insert("cover", None, _cover(teams["bryn"], teams["wendy"]))
    m.insert("practitioner_absence", None, {"practitioner_id": teams["bryn"], "from_date": "2026-11-23"})
    m.update("case_file", teams["case"], {"allocated_worker_id": teams["bryn"]})
    assert [r.get("reason") for r in m.push()] == ["not_your_team"] * 3
    assert (h.count("covers"), h.count("allocation_history")) == (0, 1)
    assert h.sql("SELECT count(*) AS n FROM rows WHERE entity IN ('cover', 'practitioner_absence')")[0]["n"] == 0
    s = h.login("sian")
    s.pull()
    s.insert("cover", None, _cover(teams["bryn"], teams["wendy"]))
    s.update("case_file", teams["case"], {"allocated_worker_id": teams["bryn"]})
    assert [r["status"] for r in s.push()] == ["applied"] * 2
    assert str(h.sql("SELECT worker_id FROM cases")[0]["worker_id"]) == teams["bryn"]
    # Bryn now holds the case (allocated) and the cover is his: his next pull brings the case.
    b = h.login("bryn")
    b.pull()
    assert ("case_file", teams["case"]) in b.rows


def test_a_bad_cover_leaves_nothing_behind(h: Harness, teams) -> None:
    m = h.login("mari")
    m.pull()
    m.insert("cover", None, {**_cover(teams["gwyn"], teams["wendy"]), "to_date": "2026-11-01"})  # ends before
    m.insert("cover", None, _cover(teams["wendy"], teams["wendy"]))  # their own work
    assert [r.get("reason") for r in m.push()] == ["invalid_row", "invalid_row"]
    assert h.count("covers") == 0
    assert h.sql("SELECT count(*) AS n FROM rows WHERE entity = 'cover'")[0]["n"] == 0


def test_anyone_elses_push_of_cover_absence_or_allocation_is_refused_as_before(h: Harness, teams) -> None:
    w = h.login("wendy")
    w.pull()
    w.insert("cover", None, _cover(teams["wendy"], teams["gwyn"]))
    w.insert("practitioner_absence", None, {"practitioner_id": teams["gwyn"], "from_date": "2026-11-23"})
    w.update("case_file", teams["case"], {"allocated_worker_id": teams["gwyn"]})
    assert [r.get("reason") for r in w.push()] == ["reference_data"] * 3
    assert (h.count("covers"), h.count("allocation_history")) == (0, 1)


def test_a_managers_absence_is_changed_and_ended_through_the_administration_path(h: Harness, teams) -> None:
    m = h.login("mari")
    m.pull()
    absence = m.insert("practitioner_absence", None, {"practitioner_id": teams["wendy"], "from_date": "2026-11-23"})
    m.push()
    m.update("practitioner_absence", absence, {"to_date": "2026-11-27", "reason": "sick"})
    assert [r["status"] for r in m.push()] == ["applied"]
    row = h.sql("SELECT data, deleted FROM rows WHERE id = %s", (uuid.UUID(absence),))[0]
    assert (row["data"]["from_date"], row["data"]["to_date"], row["data"]["reason"]) == (
        "2026-11-23", "2026-11-27", "sick")  # fmt: skip
    # Moving it to another team's worker is beyond a team manager; deleting it is not.
    m.update("practitioner_absence", absence, {"practitioner_id": teams["bryn"]})
    assert m.push()[0]["reason"] == "not_your_team"
    m.outbox.clear()
    m.delete("practitioner_absence", absence)
    assert [r["status"] for r in m.push()] == ["applied"]
    assert h.sql("SELECT deleted, data->>'practitioner_id' AS p FROM rows WHERE id = %s", (uuid.UUID(absence),))[0] == {
        "deleted": True, "p": teams["wendy"]}  # fmt: skip
    w = h.login("wendy")
    w.pull()
    assert w.rows[("practitioner_absence", absence)]["deleted"]


def test_a_cover_of_one_case_lasts_its_dates_with_the_grace_window_after(h: Harness, teams, clock) -> None:
    theirs = uuid.uuid4()
    h.allocate(theirs, "B", "bryn")
    m = h.login("mari")
    m.pull()
    m.insert("cover", str(theirs), {"covering_id": teams["gwyn"], "from_date": "2026-11-23", "to_date": "2026-11-25"})
    mine = m.insert("cover", teams["case"], {"covering_id": teams["gwyn"], "from_date": "2026-11-23",
                                             "to_date": "2026-11-25"})  # fmt: skip
    assert [r.get("reason") for r in m.push()] == ["not_your_team", None]
    assert h.sql("SELECT case_id::text AS c FROM covers WHERE id = %s", (uuid.UUID(mine),))[0]["c"] == teams["case"]
    g = h.login("gwyn")
    g.pull()
    assert ("case_file", teams["case"]) in g.rows
    # Local date 2026-11-28: the cover has ended; work made while it lasted still goes in (grace window).
    clock.advance(days=5)
    g.token = h.login("gwyn").token
    g.visit(teams["case"], "written while covering, sent late")
    assert g.push()[0]["status"] == "applied"
    g.pull()
    assert teams["case"] in {rm.get("case_id") for rm in g.removed if rm["type"] == "remove_case"}
