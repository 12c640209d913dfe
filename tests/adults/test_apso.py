"""Adult protection and support orders (s127, A9): the application, the court's decision, entries under the
order and its end, on a real encrypted profile; every bad input refused in words, with nothing written."""

from __future__ import annotations

from typing import Any

import pytest

from desktop.domain.apso_period import apso_period
from desktop.errors import PermissionDenied, ValidationError
from desktop.services.adults import ApsoService
from desktop.services.session import Session, User

APPLICATION = {
    "court": "Llys Ynadon Aberystwyth",
    "premises": "9 Marine Terrace, Aberystwyth SY23 2AZ",
    "reasonable_cause": "Neighbours report Margaret has not been seen for three weeks; her son takes her pension.",
    "access_needed": "Margaret must be seen alone to know whether she is at risk and what to do.",
    "order_needed": "Kevin turns every visitor away at the door; no other way to speak with her in private.",
    "no_greater_risk": "Police will come; Kevin is not violent to her when others are there.",
    "obstruction": "undue_influence",
    "obstruction_detail": "Kevin answers for her and will not leave the room.",
}


def apply(w: Any, session: Any = None, **extra: Any) -> dict[str, Any]:
    args = {"applied_on": "2026-11-02", "officer_id": w.ids["sw"], **APPLICATION, **extra}
    return ApsoService(session or w.sw).apply(w.ids["case"], **args)


def granted(w: Any, first: str = "2026-11-03", last: str = "2026-11-09") -> dict[str, Any]:
    order = apply(w)
    w.on("2026-11-03")
    return ApsoService(w.sw).decide(order["id"], decision="granted", decided_on="2026-11-03", in_force_from=first,
                                    in_force_to=last, note="Constable to attend.")


def refused_with(field: str, call: Any, w: Any, table: str = "adult_apso") -> ValidationError:
    before = (w.count(table), w.sw.store.rows(f"SELECT max(version) AS v FROM {table}")[0]["v"])
    with pytest.raises(ValidationError) as err:
        call()
    assert err.value.field == field, err.value.message("en")
    assert (w.count(table), w.sw.store.rows(f"SELECT max(version) AS v FROM {table}")[0]["v"]) == before
    return err.value


def test_the_whole_order_recorded(world) -> None:
    order = granted(world)
    assert (order["decision"], order["in_force_from"], order["in_force_to"]) == ("granted", "2026-11-03", "2026-11-09")
    world.on("2026-11-04")
    service = ApsoService(world.sw)
    service.record_entry(order["id"], entered_on="2026-11-04", spoke_in_private=True, declined_to_answer=True,
                         outcome="Margaret chose not to answer; she looked well fed.", accompanied_by="PC Lewis")
    ended = service.end(order["id"], ended_on="2026-11-04", end_reason="purposes_met")
    assert ended["ended_on"] == "2026-11-04"
    [row] = service.for_case(world.ids["case"])
    assert row["officer_id"] == world.ids["sw"] and row["obstruction"] == "undue_influence"
    [entry] = row["entries"]
    assert (entry["spoke_in_private"], entry["declined_to_answer"], entry["accompanied_by"]) == (1, 1, "PC Lewis")
    assert entry["person_id"] == world.ids["margaret"]


def test_a_refused_application(world) -> None:
    order = apply(world)
    out = ApsoService(world.sw).decide(order["id"], decision="refused", decided_on="2026-11-02",
                                       note="Not satisfied entry would not raise the risk.")
    assert (out["decision"], out["in_force_from"], out["in_force_to"]) == ("refused", None, None)
    refused_with("apso_id", lambda: ApsoService(world.sw).record_entry(
        order["id"], entered_on="2026-11-02", spoke_in_private=False, declined_to_answer=False, outcome="x"), world,
        "adult_apso_entry")
    refused_with("decision", lambda: ApsoService(world.sw).decide(
        order["id"], decision="granted", decided_on="2026-11-02", in_force_from="2026-11-02",
        in_force_to="2026-11-03"), world)


@pytest.mark.parametrize("field", ["court", "premises", "reasonable_cause", "access_needed", "order_needed",
                                   "no_greater_risk", "obstruction_detail"])
def test_every_ground_is_required(world, field: str) -> None:
    err = refused_with(field, lambda: apply(world, **{field: "  "}), world)
    assert err.message("en").startswith(("Record", "Describe"))
    assert err.message("cy") != err.message("en")


def test_the_grounds_must_be_a_refusal_or_undue_influence(world) -> None:
    refused_with("obstruction", lambda: apply(world, obstruction="removal"), world)


def test_the_officer_must_be_a_social_worker_of_social_services(world) -> None:
    world.ids["clerk"] = world.sw.write(lambda tx: tx.insert("practitioner", {
        "given_names": "Bethan", "family_name": "Morris", "app_role": "admin_staff", "team_id": world.ids["team"],
        "employed_by_social_services": 1})["id"])
    for who in ("health_lead", "nurse", "clerk"):
        err = refused_with("officer_id", lambda who=who: apply(world, officer_id=world.ids[who]), world)
        assert "authorised officer" in err.message("en")
    refused_with("officer_id", lambda: apply(world, officer_id="nobody"), world)
    assert apply(world, officer_id=world.ids["sw2"])["officer_id"] == world.ids["sw2"]
    assert apply(world, officer_id=world.ids["tm"])["officer_id"] == world.ids["tm"]


def test_a_person_without_the_right_role_is_refused(world) -> None:
    admin_id = world.sw.write(lambda tx: tx.insert("practitioner", {
        "given_names": "Bethan", "family_name": "Morris", "app_role": "admin_staff",
        "team_id": world.ids["team"]})["id"])
    admin = Session(world.sw.profile, world.sw.store, User(admin_id, "Bethan", "Morris", "admin_staff",
                                                             world.ids["team"], None))
    with pytest.raises(PermissionDenied):
        apply(world, session=admin)
    with pytest.raises(PermissionDenied):
        ApsoService(admin).for_case(world.ids["case"])
    assert world.count("adult_apso") == 0


def test_an_order_on_a_closed_case_is_refused(world) -> None:
    order = granted(world)
    world.sw.write(lambda tx: tx.update("case_file", world.ids["case"], {"closed_on": "2026-11-03"}))
    err = refused_with("case_id", lambda: apply(world), world)
    assert "closed" in err.message("en")
    refused_with("case_id", lambda: ApsoService(world.sw).record_entry(
        order["id"], entered_on="2026-11-03", spoke_in_private=True, declined_to_answer=False, outcome="x"),
        world, "adult_apso_entry")


def test_the_period_end_before_start_too_long_or_before_the_decision(world) -> None:
    order = apply(world)
    world.on("2026-11-03")

    def decide(first: str, last: str) -> Any:
        return lambda: ApsoService(world.sw).decide(order["id"], decision="granted", decided_on="2026-11-03",
                                                   in_force_from=first, in_force_to=last)

    err = refused_with("in_force_to", decide("2026-11-05", "2026-11-04"), world)
    assert err.message("en") == "The order's end cannot be before its start."
    too_long = refused_with("in_force_to", decide("2026-11-03", "2026-11-10"), world)
    # The maximum comes from rules.json (7 days: the first day and six more).
    assert apso_period().offset == 7
    assert too_long.message("en") == ("An order may be in force for at most 7 days: its last day can be"
                                      " 9 Nov 2026 at the latest.")
    assert "9 Tach 2026" in too_long.message("cy")
    refused_with("in_force_from", decide("2026-11-02", "2026-11-05"), world)
    refused_with("decided_on", lambda: ApsoService(world.sw).decide(
        order["id"], decision="granted", decided_on="2026-11-01", in_force_from="2026-11-03",
        in_force_to="2026-11-04"), world)
    refused_with("decision", lambda: ApsoService(world.sw).decide(
        order["id"], decision="maybe", decided_on="2026-11-03"), world)
    assert decide("2026-11-03", "2026-11-09")()["in_force_to"] == "2026-11-09"


def test_an_entry_outside_the_order_period_is_refused(world) -> None:
    order = granted(world, "2026-11-04", "2026-11-06")

    def entry(on: str) -> Any:
        return lambda: ApsoService(world.sw).record_entry(order["id"], entered_on=on, spoke_in_private=True,
                                                          declined_to_answer=False, outcome="Seen alone.")

    world.on("2026-11-10")
    err = refused_with("entered_on", entry("2026-11-03"), world, "adult_apso_entry")
    assert err.message("en") == "The order was not in force on that day: it is in force from 4 Nov 2026 to 6 Nov 2026."
    refused_with("entered_on", entry("2026-11-07"), world, "adult_apso_entry")
    refused_with("outcome", lambda: ApsoService(world.sw).record_entry(
        order["id"], entered_on="2026-11-05", spoke_in_private=True, declined_to_answer=False, outcome=""),
        world, "adult_apso_entry")
    entry("2026-11-05")()
    # Its end: not before its start, not after its period, not before an entry, once.
    end = ApsoService(world.sw).end
    refused_with("ended_on", lambda: end(order["id"], ended_on="2026-11-03", end_reason="lapsed"), world)
    refused_with("ended_on", lambda: end(order["id"], ended_on="2026-11-07", end_reason="lapsed"), world)
    refused_with("ended_on", lambda: end(order["id"], ended_on="2026-11-04", end_reason="purposes_met"), world)
    refused_with("end_reason", lambda: end(order["id"], ended_on="2026-11-06", end_reason="removed"), world)
    end(order["id"], ended_on="2026-11-06", end_reason="lapsed")
    refused_with("ended_on", lambda: end(order["id"], ended_on="2026-11-06", end_reason="lapsed"), world)


def test_no_entry_after_the_order_ended_early(world) -> None:
    order = granted(world)
    world.on("2026-11-05")
    ApsoService(world.sw).end(order["id"], ended_on="2026-11-04", end_reason="not_needed")
    refused_with("entered_on", lambda: ApsoService(world.sw).record_entry(
        order["id"], entered_on="2026-11-05", spoke_in_private=False, declined_to_answer=False,
        outcome="Too late."), world, "adult_apso_entry")
