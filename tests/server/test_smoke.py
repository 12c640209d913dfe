from __future__ import annotations

import uuid

from tests.server.harness import Harness


def test_round_trip(h: Harness) -> None:
    h.team("A")
    h.user("wendy", "social_worker", "A")
    case = uuid.uuid4()
    h.allocate(case, "A", "wendy")
    d = h.login("wendy")
    pid = d.insert("person", None, {"family_name": "Dylan"})
    d.insert("case_member", str(case), {"person_id": pid, "role": "subject", "case_id": str(case)})
    d.visit(str(case), "seen")
    res = d.push()
    assert [r["status"] for r in res] == ["applied"] * 3, res
    d2 = h.login("wendy", "laptop2")
    assert d2.pull() == 3 + 2  # and the reference rows: the team and its worker
    v = d2.get("/v1/verify").json()
    assert v["total"]["rows"] == 5 and v["reference"]["rows"] == 2
