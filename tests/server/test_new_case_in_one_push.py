"""A new case's records may point at each other in the push that creates the case (a visit's child at
its visit, a review at its episode): the laptop sends a case made offline in one batch."""

from __future__ import annotations

import uuid

from tests.server.harness import Harness


def test_a_new_cases_records_point_at_each_other_in_one_push(h: Harness) -> None:
    h.team("A")
    h.user("wendy", "social_worker", "A")
    w = h.login("wendy")
    case = str(uuid.uuid4())
    child = w.person("Plentyn")
    w.member(case, child)
    visit = w.visit(case)
    w.insert("cp_visit_child", case, {"visit_id": visit, "person_id": child, "seen": 1, "seen_alone": 1,
                                      "seen_at_home": 1, "bedroom_seen": 0}, append_only=True)
    results = w.push()
    assert [r["status"] for r in results] == ["applied"] * 4, results
    assert h.count("quarantine") == 0
    # ... while a record pointing into a new case of someone else's push is still refused.
    h.user("gwyn", "social_worker", "A")
    g = h.login("gwyn")
    g.insert("cp_visit_child", str(uuid.uuid4()), {"visit_id": visit, "person_id": child, "seen": 1,
                                                  "seen_alone": 1, "seen_at_home": 1, "bedroom_seen": 0},
             append_only=True)
    [refused] = g.push()
    assert (refused["status"], refused["reason"]) == ("rejected", "out_of_scope")
