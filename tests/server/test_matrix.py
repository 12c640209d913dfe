"""The authorisation matrix, on the real PostgreSQL: every role × relation to the record × entity family ×
operation, with the expected answer written out below as a table and checked cell by cell.

Relations: ``own`` (a case allocated to the person), ``covered`` (a colleague's case they cover today),
``team`` (a colleague's case in their team, no cover), ``other`` (a case of another team), ``none`` (no
case: a person linked to no case, or a case the server does not know yet). Families and the records that
stand for them: person (a child and their address), case (a conference), visit, plan, letter, note (a core
group's notes), reference data (an agency). Operations:

- ``pull``: a first pull receives the record;
- ``insert``: a new record of that family in that relation (a person's address; in ``none``, a record of
  a brand-new case);
- ``update``/``delete``: the existing record;
- ``link``: a new record in the person's own case that points at it (the person linked into the case; an
  invitation to that conference or with that letter; a visit's child, a plan action, attendance at that
  core group; an enquiry naming that agency).

A = allowed, - = refused (nothing stored; the refusal is quarantined). Visits and notes are append-only,
so nobody updates or deletes them; reference data is written only through the administration path. A
performance officer reads the authority's figures (server/figures.py), never casework: even a case
allocated to them, or one they cover, is not in their scope.
"""

from __future__ import annotations

import json
import uuid
from datetime import date
from typing import Any

import pytest

from server import admin
from tests.server.harness import Harness

ROLES = ("social_worker", "team_manager", "senior_manager", "register_custodian", "admin_staff", "performance_officer")
RELATIONS = ("own", "covered", "team", "other", "none")
FAMILIES = ("person", "case", "visit", "plan", "letter", "note", "reference")
OPS = ("pull", "insert", "update", "delete", "link")

EXPECTED = """
role                relation  person case  visit plan  letter note  reference
social_worker       own       AAAAA  AAAAA AA--A AAAAA AAAAA  AA--A A---A
social_worker       covered   AAAAA  AAAAA AA--A AAAAA AAAAA  AA--A A---A
social_worker       team      -----  ----- ----- ----- -----  ----- A---A
social_worker       other     -----  ----- ----- ----- -----  ----- A---A
social_worker       none      -----  -A--- -A--- -A--- -A---  -A--- A---A
team_manager        own       AAAAA  AAAAA AA--A AAAAA AAAAA  AA--A A---A
team_manager        covered   AAAAA  AAAAA AA--A AAAAA AAAAA  AA--A A---A
team_manager        team      AAAAA  AAAAA AA--A AAAAA AAAAA  AA--A A---A
team_manager        other     -----  ----- ----- ----- -----  ----- A---A
team_manager        none      -----  -A--- -A--- -A--- -A---  -A--- A---A
senior_manager      own       AAAAA  AAAAA AA--A AAAAA AAAAA  AA--A A---A
senior_manager      covered   AAAAA  AAAAA AA--A AAAAA AAAAA  AA--A A---A
senior_manager      team      AAAAA  AAAAA AA--A AAAAA AAAAA  AA--A A---A
senior_manager      other     AAAAA  AAAAA AA--A AAAAA AAAAA  AA--A A---A
senior_manager      none      -----  -A--- -A--- -A--- -A---  -A--- A---A
register_custodian  own       AAAA-  A---- ----- ----- -----  ----- A---A
register_custodian  covered   AAAA-  A---- ----- ----- -----  ----- A---A
register_custodian  team      AAAA-  A---- ----- ----- -----  ----- A---A
register_custodian  other     AAAA-  A---- ----- ----- -----  ----- A---A
register_custodian  none      -----  ----- ----- ----- -----  ----- A---A
admin_staff         own       AAAA-  A---- ----- ----- AAAA-  ----- A----
admin_staff         covered   AAAA-  A---- ----- ----- AAAA-  ----- A----
admin_staff         team      AAAA-  A---- ----- ----- AAAA-  ----- A----
admin_staff         other     -----  ----- ----- ----- -----  ----- A----
admin_staff         none      -----  ----- ----- ----- -----  ----- A----
performance_officer own       -----  ----- ----- ----- -----  ----- A----
performance_officer covered   -----  ----- ----- ----- -----  ----- A----
performance_officer team      -----  ----- ----- ----- -----  ----- A----
performance_officer other     -----  ----- ----- ----- -----  ----- A----
performance_officer none      -----  ----- ----- ----- -----  ----- A----
"""


def expected_cells() -> dict[tuple[str, str, str, str], bool]:
    cells: dict[tuple[str, str, str, str], bool] = {}
    for line in EXPECTED.strip().splitlines()[1:]:
        role, relation, *marks = line.split()
        for family, mark in zip(FAMILIES, marks, strict=True):
            for op, m in zip(OPS, mark, strict=True):
                cells[(role, relation, family, op)] = m == "A"
    return cells


CELLS = expected_cells()
assert len(CELLS) == len(ROLES) * len(RELATIONS) * len(FAMILIES) * len(OPS) == 1050


# -- the world --------------------------------------------------------------------------------------


class World:
    """Teams A and B; the actor (``me``) in team A (the custodian and senior manager have no team); ``cv`` (a
    colleague the actor covers today), ``co`` (a colleague) and ``ot`` (team B). One case per relation, each
    with a subject and one record of every family, written by a senior manager."""

    def __init__(self, h: Harness, role: str) -> None:
        self.h = h
        h.team("A")
        h.team("B")
        team = None if role in ("senior_manager", "register_custodian") else "A"
        h.user("me", role, team)
        for name, t in (("cv", "A"), ("co", "A"), ("ot", "B")):
            h.user(name, "social_worker", t)
        h.user("seed", "senior_manager", None)
        h.cover("me", "cv", date(2026, 11, 20), date(2026, 12, 20))
        self.cases = {"own": uuid.uuid4(), "covered": uuid.uuid4(), "team": uuid.uuid4(), "other": uuid.uuid4()}
        h.allocate(self.cases["own"], "A", "me")
        h.allocate(self.cases["covered"], "A", "cv")
        h.allocate(self.cases["team"], "A", "co")
        h.allocate(self.cases["other"], "B", "ot")
        self.agency = uuid.uuid4()
        h.admin(admin.put_reference, "agency", self.agency, {"name": "Heddlu", "agency_type": "police"}, by=None)
        seed = h.login("seed")
        self.targets: dict[tuple[str, str], tuple[str, str]] = {}  # (relation, family) -> (entity, id)
        self.subject: dict[str, str] = {}
        for relation, case in self.cases.items():
            c = str(case)
            pid = seed.person(f"Child {relation}")
            seed.member(c, pid)
            self.subject[relation] = pid
            conf = seed.insert("cp_conference", c, {"kind": "initial", "child_ids": json.dumps([pid])})
            visit = seed.visit(c)
            plan = seed.record(c, outline="plan")
            letter = seed.insert("letter", c, LETTER)
            note = seed.note(c, "core group")
            self.targets.update({(relation, "person"): ("person", pid), (relation, "case"): ("cp_conference", conf),
                                 (relation, "visit"): ("cp_visit", visit), (relation, "plan"): ("cp_plan", plan),
                                 (relation, "letter"): ("letter", letter), (relation, "note"): ("cp_core_group", note)})  # fmt: skip
        assert all(r["status"] == "applied" for r in seed.push())
        lone = h.login("ot", "ot-laptop")
        self.targets[("none", "person")] = ("person", lone.person("Nobody's"))
        assert lone.push()[0]["status"] == "applied"
        for relation in RELATIONS:
            self.targets[(relation, "reference")] = ("agency", str(self.agency))
        self.own_conference = self.targets[("own", "case")][1]
        self.me = h.login("me", "me-laptop")

    def version(self, entity: str, row_id: str) -> int:
        got = self.h.sql("SELECT version FROM rows WHERE entity = %s AND id = %s", (entity, uuid.UUID(row_id)))
        return got[0]["version"] if got else 0

    def push_one(self, kind: str, entity: str, row_id: str, case_id: str | None, fields: dict[str, Any],
                 base_version: int = 0) -> bool:  # fmt: skip
        op = {"op_id": str(uuid.uuid4()), "entity": entity, "entity_id": row_id, "case_id": case_id, "kind": kind,
              "fields": fields, "base": {}, "base_version": base_version, "append_only": False,
              "actor": self.me.user_id, "device_id": self.me.device_id, "local_time": "2026-11-23T10:00:00"}  # fmt: skip
        r = self.me.push_raw([op])
        assert r.status_code == 200, r.text
        [res] = r.json()["results"]
        assert res["status"] in ("applied", "rejected"), res
        return bool(res["status"] == "applied")

    # -- the operations ---------------------------------------------------------------------------
    def case_of(self, relation: str) -> str | None:
        return str(self.cases[relation]) if relation in self.cases else None

    def insert(self, relation: str, family: str) -> bool:
        case = self.case_of(relation) or str(uuid.uuid4())  # "none": a case the server has never seen
        new = str(uuid.uuid4())
        if family == "person":
            return self.push_one("insert", "address", new, None,
                                 {"person_id": self.targets[(relation, "person")][1], "line1": "1 Stryd Fawr"})  # fmt: skip
        if family == "reference":
            return self.push_one("insert", "agency", new, None, {"name": "New", "agency_type": "health"})
        subject = self.subject.get(relation)
        fields = {
            "case": {"kind": "review", "child_ids": json.dumps([subject] if subject else [])},
            "visit": {"visited_on": "2026-11-20", "visitor_id": self.me.user_id, "location": "home"},
            "plan": {"stage": "outline", "version_no": 1},
            "letter": LETTER,
            "note": {"held_on": "2026-11-20", "notes": "x"},
        }[family]
        entity = {"case": "cp_conference", "visit": "cp_visit", "plan": "cp_plan", "letter": "letter",
                  "note": "cp_core_group"}[family]  # fmt: skip
        return self.push_one("insert", entity, new, case, fields)

    def target(self, relation: str, family: str) -> tuple[str, str, str | None]:
        if (relation, family) not in self.targets:  # nothing of that kind outside a case
            entity = {"case": "cp_conference", "visit": "cp_visit", "plan": "cp_plan", "letter": "letter",
                      "note": "cp_core_group"}[family]  # fmt: skip
            return entity, str(uuid.uuid4()), str(uuid.uuid4())
        entity, row_id = self.targets[(relation, family)]
        return entity, row_id, self.case_of(relation) if entity not in ("person", "agency") else None

    def update(self, relation: str, family: str) -> bool:
        entity, row_id, case = self.target(relation, family)
        change = {"person": {"phone": "07700 900001"}, "cp_conference": {"venue": "Neuadd"},
                  "cp_visit": {"observations": "changed"}, "cp_plan": {"support": "more"},
                  "letter": {"recipient_name": "Changed"}, "cp_core_group": {"notes": "changed"},
                  "agency": {"name": "Changed"}}[entity]  # fmt: skip
        return self.push_one("update", entity, row_id, case, change, self.version(entity, row_id))

    def delete(self, relation: str, family: str) -> bool:
        entity, row_id, case = self.target(relation, family)
        return self.push_one("delete", entity, row_id, case, {}, self.version(entity, row_id))

    def link(self, relation: str, family: str) -> bool:
        _entity, target, _case = self.target(relation, family)
        own = str(self.cases["own"])
        new = str(uuid.uuid4())
        entity, fields = {
            "person": ("case_member", {"person_id": target, "role": "relative"}),
            "case": ("cp_conference_invitation", {"conference_id": target, "recipient_kind": "agency",
                                                  "recipient_id": "x", "invited_on": "2026-11-20"}),
            "visit": ("cp_visit_child", {"visit_id": target, "person_id": self.subject["own"], "seen": 1,
                                         "seen_alone": 1, "seen_at_home": 1, "bedroom_seen": 0}),
            "plan": ("cp_plan_action", {"plan_id": target, "description": "x", "owner_kind": "agency",
                                        "owner_name": "x"}),
            "letter": ("cp_conference_invitation", {"conference_id": self.own_conference, "recipient_kind": "agency",
                                                    "recipient_id": "x", "invited_on": "2026-11-20",
                                                    "letter_id": target}),
            "note": ("cp_core_group_attendance", {"core_group_id": target, "name": "x", "attended": 1}),
            "reference": ("register_enquiry", {"asked_at": "2026-11-20T10:00", "enquirer_name": "x",
                                               "identity_checked": 1, "subject_text": "x", "found": 0,
                                               "information_given": "nothing", "agency_id": target}),
        }[family]  # fmt: skip
        return self.push_one("insert", entity, new, own, fields)

    def pulled(self) -> set[tuple[str, str]]:
        d = self.h.login("me", "me-fresh")
        d.pull()
        return set(d.rows)


LETTER = {"template_id": "N8", "recipient_kind": "agency", "recipient_id": "x", "recipient_name": "Heddlu",
          "language": "cy", "data": "{}"}  # fmt: skip


@pytest.mark.parametrize("role", ROLES)
def test_authorisation_matrix(h: Harness, role: str) -> None:
    world = World(h, role)
    actual: dict[tuple[str, str, str, str], bool] = {}
    seen = world.pulled()
    for relation in RELATIONS:
        for family in FAMILIES:
            key = (relation, family)
            actual[(role, relation, family, "pull")] = key in world.targets and world.targets[key] in seen
    # Writes that leave the targets in place first, deletes last (each cell is one push of one op).
    for op in ("insert", "update", "link", "delete"):
        for relation in RELATIONS:
            for family in FAMILIES:
                actual[(role, relation, family, op)] = getattr(world, op)(relation, family)
    wrong = sorted(f"{r} {rel} {fam} {op}: expected {'allow' if CELLS[(r, rel, fam, op)] else 'deny'}"
                   for (r, rel, fam, op), v in actual.items() if v != CELLS[(r, rel, fam, op)])  # fmt: skip
    assert len(actual) == len(RELATIONS) * len(FAMILIES) * len(OPS)
    assert wrong == [], "\n".join(wrong)


def test_the_protocol_states_the_scope_rules_of_every_record_type() -> None:
    """docs/sync-protocol.md §5.2 lists every synced record type of the laptop's schema with its unit and
    who reads and pushes it."""
    from pathlib import Path

    from desktop.store.rowspec import spec

    text = Path(__file__).resolve().parents[2].joinpath("docs", "sync-protocol.md").read_text(encoding="utf-8")
    section = text[text.index("### 5.2"):text.index("### 5.3")]
    missing = [e for e in spec().entities if f"`{e}`" not in section and f"`{e}*`" not in section]
    assert missing == []
