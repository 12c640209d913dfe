"""An adult protection and support order (A9) travels between two laptops through the real server: the
application and the court's decision made on one, an entry and the order's end made on the other, each
field arriving whole; admin staff never receive either table."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from desktop.services.adults import ApsoService
from tests.adults.test_apso import APPLICATION


def adult_case(laptop: Any) -> str:
    case = str(uuid.uuid4())

    def write(tx: Any) -> None:
        pid = tx.insert("person", {"family_name": "Williams", "given_names": "Margaret"})["id"]
        tx.insert("case_file", {"id": case, "reference": f"A-{case[:6]}", "case_type": "adult_at_risk",
                                "team_id": laptop.session.user.team_id, "allocated_worker_id": laptop.uid,
                                "opened_on": "2026-11-01"}, case_id=case)
        tx.insert("case_member", {"person_id": pid, "role": "subject"}, case_id=case)

    laptop.write(write)
    return case


def test_an_order_made_on_one_laptop_is_used_and_ended_on_the_other(srv, laptops) -> None:
    w, m = laptops("wendy"), laptops("mari")
    case = adult_case(w)
    today = w.session.today()  # the laptops keep the machine's clock: every date is relative to it
    day = today.isoformat()
    last = (today + timedelta(days=6)).isoformat()
    apso = ApsoService(w.session)
    order = apso.apply(case, applied_on=day, officer_id=w.uid, **APPLICATION)
    apso.decide(order["id"], decision="granted", decided_on=day, in_force_from=day, in_force_to=last,
                note="A constable to attend.")
    assert w.sync().verified and m.sync().verified
    [there] = ApsoService(m.session).for_case(case)
    mine = w.row("adult_apso", order["id"])
    assert mine is not None
    for field in ("applied_on", "officer_id", "court", "premises", "reasonable_cause", "access_needed",
                  "order_needed", "no_greater_risk", "obstruction", "obstruction_detail", "decision", "decided_on",
                  "in_force_from", "in_force_to", "decision_note"):
        assert there[field] == mine[field], field
    entry = ApsoService(m.session).record_entry(order["id"], entered_on=day, spoke_in_private=True,
                                                declined_to_answer=True, outcome="Spoke with her alone.")
    ApsoService(m.session).end(order["id"], ended_on=day, end_reason="purposes_met")
    assert m.sync().verified and w.sync().verified
    [back] = ApsoService(w.session).for_case(case)
    assert (back["ended_on"], back["end_reason"]) == (day, "purposes_met")
    assert [(e["id"], e["spoke_in_private"], e["declined_to_answer"], e["outcome"]) for e in back["entries"]] == [
        (entry["id"], 1, 1, "Spoke with her alone.")]
    assert {r["entity"] for r in srv.sql("SELECT DISTINCT entity FROM rows WHERE entity LIKE 'adult_apso%'")} == {
        "adult_apso", "adult_apso_entry"}


def test_admin_staff_do_not_receive_orders(srv, laptops) -> None:
    srv.user("bethan", "admin_staff", "A")
    w = laptops("wendy")
    case = adult_case(w)
    day = w.session.today().isoformat()
    ApsoService(w.session).apply(case, applied_on=day, officer_id=w.uid, **APPLICATION)
    assert w.sync().verified
    b = laptops("bethan")
    assert b.sync().verified
    assert b.store.rows("SELECT count(*) AS n FROM case_file WHERE id = ?", [case])[0]["n"] == 1
    assert b.store.rows("SELECT count(*) AS n FROM adult_apso")[0]["n"] == 0
