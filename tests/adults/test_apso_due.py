"""An adult protection and support order in "My work" (A9: the authorised officer's, due on the order's last
day, urgent-looking as it lapses) and in the adult's chronology, read through the real services."""

from __future__ import annotations

from typing import Any

from desktop.domain import due_text
from desktop.domain.urgency import Urgency, urgency_label
from desktop.services.adults import ApsoService
from desktop.services.chronology import ChronologyService
from desktop.services.my_work import MyWorkService
from tests.adults.test_apso import APPLICATION


def order_for(w: Any, officer: str = "sw2") -> dict[str, Any]:
    """Gareth (not the case's lead co-ordinator) applies on Monday 2 November; granted the next day for 3–9
    November."""
    apso = ApsoService(w.sw)
    order = apso.apply(w.ids["case"], applied_on="2026-11-02", officer_id=w.ids[officer], **APPLICATION)
    w.on("2026-11-03")
    return apso.decide(order["id"], decision="granted", decided_on="2026-11-03", in_force_from="2026-11-03",
                       in_force_to="2026-11-09")


def a9(w: Any, session: Any) -> list[Any]:
    return [i for i in MyWorkService(session).items() if i.rule_id == "A9"]


def test_the_order_is_the_officers_in_my_work_and_urgent_as_it_lapses(world) -> None:
    order_for(world)
    officer = world.as_("sw2")
    world.on("2026-11-04")  # Wednesday: the order's last day is next Monday, not this week yet
    [later] = [i for i in MyWorkService(officer).all_items() if i.rule_id == "A9"]
    assert later.urgency == Urgency.UPCOMING and later.action == "end_adult_apso"
    world.on("2026-11-09")
    [today] = a9(world, officer)
    assert today.case_id == world.ids["case"] and today.due.isoformat() == "2026-11-09"
    assert today.urgency == Urgency.DUE_TODAY and today.worker_name == "Gareth Rees"
    assert due_text.reason(today.engine_item, "en") == ("Adult protection and support order in force until"
                                                        " 9 Nov 2026: record its end")
    assert a9(world, world.sw) == []  # not the lead co-ordinator's: only the officer's own work
    world.on("2026-11-11")
    [late] = a9(world, officer)
    assert late.urgency == Urgency.OVERDUE and late.days_overdue == 2
    assert urgency_label(late.urgency, late.days_overdue, late.overdue_unit)
    # The order's end recorded (it lapsed on its last day): nothing more is due.
    ApsoService(world.sw).end(order_for_id(world), ended_on="2026-11-09", end_reason="lapsed")
    assert a9(world, officer) == []


def order_for_id(w: Any) -> str:
    return w.sw.store.rows("SELECT id FROM adult_apso WHERE case_id = ?", [w.ids["case"]])[0]["id"]


def test_an_early_end_or_a_refused_order_gives_nothing_due(world) -> None:
    order = order_for(world)
    world.on("2026-11-05")
    ApsoService(world.sw).end(order["id"], ended_on="2026-11-05", end_reason="purposes_met")
    refused = ApsoService(world.sw).apply(world.ids["case"], applied_on="2026-11-05", officer_id=world.ids["sw2"],
                                          **APPLICATION)
    ApsoService(world.sw).decide(refused["id"], decision="refused", decided_on="2026-11-05")
    assert [i for i in MyWorkService(world.as_("sw2")).all_items() if i.rule_id == "A9"] == []


def test_the_order_in_the_adults_chronology(world) -> None:
    order = order_for(world)
    world.on("2026-11-04")
    ApsoService(world.sw).record_entry(order["id"], entered_on="2026-11-04", spoke_in_private=True,
                                       declined_to_answer=True, outcome="She chose not to answer.")
    ApsoService(world.sw).end(order["id"], ended_on="2026-11-04", end_reason="purposes_met")
    events = [e for e in ChronologyService(world.sw).for_case(world.ids["case"]).events if e.type == "legal"]
    assert [(e.on.isoformat(), e.what.text("en")) for e in events] == [
        ("2026-11-02", "Adult protection and support order applied for at Llys Ynadon Aberystwyth"),
        ("2026-11-03", "Adult protection and support order granted at Llys Ynadon Aberystwyth"),
        ("2026-11-04", "Entry under an adult protection and support order: spoken with in private;"
                       " chose not to answer"),
        ("2026-11-04", "Adult protection and support order ended: its purposes were met"),
    ]
    assert all(e.people == (world.ids["margaret"],) and e.by == "Gareth Rees" for e in events)
    assert events[2].detail == "She chose not to answer."
    assert all(e.what.text("cy") != e.what.text("en") for e in events)
