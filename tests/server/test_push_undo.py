"""A rejected op takes back exactly what it added to the push's working state, and nothing an earlier op
of the same push added (issue 22: the undo records additions instead of copying the scope per op)."""

from __future__ import annotations

import uuid

from tests.server.harness import Harness


def _cases(h: Harness, case: str) -> int:
    return len(h.sql("SELECT 1 FROM cases WHERE case_id = %s", (uuid.UUID(case),)))


def test_a_rejected_first_record_of_a_new_case_registers_no_case(h: Harness) -> None:
    h.team("A")
    h.user("wendy", "social_worker", "A")
    w = h.login("wendy")
    lost = str(uuid.uuid4())
    w.insert("cp_visit", lost, {"visited_on": "2026-11-20", "visitor_id": w.user_id, "location": "home",
                                "no_such_field": 1}, append_only=True)  # fmt: skip
    kept = str(uuid.uuid4())
    w.visit(kept)
    w.insert("cp_visit", kept, {"visited_on": "2026-11-20", "visitor_id": w.user_id, "location": "home",
                                "no_such_field": 1}, append_only=True)  # fmt: skip
    results = w.push()
    assert [(r["status"], r.get("reason")) for r in results] == [
        ("rejected", "invalid_row"), ("applied", None), ("rejected", "invalid_row")]
    # The case whose only record was refused was never registered; the one with an accepted record was,
    # although a later record of it was refused.
    assert _cases(h, lost) == 0
    assert _cases(h, kept) == 1


def test_a_rejected_op_keeps_what_an_earlier_op_added_to_the_scope(h: Harness) -> None:
    h.team("A")
    h.user("wendy", "social_worker", "A")
    case = uuid.uuid4()
    h.allocate(case, "A", "wendy")
    w = h.login("wendy")
    child = w.person("Plentyn")
    w.insert("case_member", str(case), {"person_id": child, "role": "subject", "no_such_field": 1})
    w.insert("address", None, {"person_id": child, "line1": "1 Stryd Fawr"})
    results = w.push()
    assert [(r["status"], r.get("reason")) for r in results] == [
        ("applied", None), ("rejected", "invalid_row"), ("applied", None)], results
    assert h.sql("SELECT count(*) AS n FROM rows WHERE entity = 'address'")[0]["n"] == 1
