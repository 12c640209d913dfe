"""Issue 18's records are normal synced tables: a recorded exception and a complaint written on one
laptop reach the server and the other laptop, where the exception changes what is due."""

from __future__ import annotations

from datetime import date

from desktop.services.exceptions import in_force
from tests.sync.helpers import make_case


def test_an_exception_and_a_complaint_travel_to_the_other_laptop(srv, laptops) -> None:
    w, m = laptops("wendy"), laptops("mari")
    case, pid = make_case(w)

    def write(tx):
        exc = tx.insert("rule_exception", {
            "person_id": pid, "rule_id": "V1", "agreed_by": w.uid, "agreed_on": "2026-11-20",
            "reason_kind": "age", "reason": "Four months old: seen with his mother.", "substitute": "visit_seen",
            "from_date": "2026-11-20", "until_date": "2027-05-20"}, case_id=case)["id"]
        complaint = tx.insert("complaint", {
            "person_id": pid, "complainant_name": "Sara Jones", "received_on": "2026-11-20", "channel": "oral",
            "about": "A visit was cancelled.", "stage": "local_resolution"}, case_id=case)["id"]
        return exc, complaint

    exc, complaint = w.write(write)
    assert w.sync().verified
    rep = m.sync()
    assert rep.verified
    assert m.row("rule_exception", exc)["reason"] == "Four months old: seen with his mother."
    assert m.row("complaint", complaint)["complainant_name"] == "Sara Jones"
    assert in_force(m.store, date(2026, 12, 1))[(case, pid)]["V1"].id == exc
    assert {r["entity"] for r in srv.sql("SELECT DISTINCT entity FROM rows")} >= {"rule_exception", "complaint"}
