from __future__ import annotations

import uuid

from tests.server.harness import Harness


def test_round_trip(h: Harness) -> None:
    h.team("A")
    h.user("wendy", "social_worker", "A")
    case = uuid.uuid4()
    h.allocate(case, "A", "wendy")
    d = h.login("wendy")
    pid = d.insert("person", None, {"given_name": "Dylan"})
    d.insert("case_member", str(case), {"person_id": pid, "case_id": str(case)})
    d.insert("visit", str(case), {"notes": "seen"}, append_only=True)
    res = d.push()
    assert [r["status"] for r in res] == ["applied"] * 3, res
    d2 = h.login("wendy", "laptop2")
    assert d2.pull() == 3
    v = d2.get("/v1/verify").json()
    assert v["total"]["rows"] == 3
