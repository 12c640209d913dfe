from __future__ import annotations

import uuid


def test_enrol_and_roundtrip(srv, laptops) -> None:
    w = laptops("wendy")
    m = laptops("mari")
    assert w.session.user.role == "social_worker"
    pid = w.write(lambda tx: tx.insert("person", {"family_name": "Jones", "given_names": "Dylan"})["id"])
    case = str(uuid.uuid4())
    w.write(lambda tx: tx.insert("case_file", {"id": case, "reference": "R1", "case_type": "child_protection",
                                               "team_id": w.session.user.team_id, "allocated_worker_id": w.uid,
                                               "opened_on": "2026-11-01"}, case_id=case))
    w.write(lambda tx: tx.insert("case_member", {"person_id": pid, "role": "subject"}, case_id=case))
    rep = w.sync()
    assert rep.verified, rep
    assert w.outbox() == []
    rep = m.sync()
    assert rep.verified
    assert m.row("person", pid)["family_name"] == "Jones"
    assert m.row("case_file", case) is not None
