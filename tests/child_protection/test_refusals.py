"""Every refusal has a clear reason and writes nothing."""

from __future__ import annotations

import pytest

from desktop.errors import PermissionDenied, ValidationError
from desktop.services.child_protection import (
    ConferenceService,
    CoordinatorService,
    EnquiryService,
    PlanService,
    RegisterService,
    VisitService,
)
from tests.child_protection.helpers import attendance, determine_all, initial_conference, strategy


def count(w, table: str) -> int:
    return w.sw.store.rows(f"SELECT count(*) AS n FROM {table}")[0]["n"]


def test_visit_in_the_future_is_refused(world):
    with pytest.raises(ValidationError) as err:
        VisitService(world.sw).record(world.ids["case"], visited_on="2026-11-03", location="home",
                                      children=[{"person_id": world.ids["elis"], "seen": True}])
    assert err.value.field == "visited_on"
    assert "future" in err.value.message("en")
    assert count(world, "cp_visit") == 0


def test_strategy_without_police_is_refused(world):
    ids = world.ids
    with pytest.raises(ValidationError) as err:
        strategy(world, "2026-10-05", participants=[{"agency_id": ids["ss"]}, {"agency_id": ids["health"]}])
    assert "police" in err.value.message("en")
    assert count(world, "cp_strategy") == 0


def test_strategy_without_social_services_is_refused(world):
    ids = world.ids
    with pytest.raises(ValidationError) as err:
        strategy(world, "2026-10-05", participants=[{"agency_id": ids["police"]}, {"agency_id": ids["health"]}])
    assert "social services" in err.value.message("en")


def test_departure_needs_reason_and_a_senior_manager(world):
    ids = world.ids
    with pytest.raises(ValidationError) as err:
        strategy(world, "2026-10-05", departure_reason="Police unavailable", departure_agreed_by=ids["tm"])
    assert "senior manager" in err.value.message("en")
    row = strategy(world, "2026-10-05", departure_reason="Police unavailable", departure_agreed_by=ids["sm"])
    assert row["departure_agreed_by"] == ids["sm"]


def test_coordinator_without_scw_registration_is_refused(world):
    strategy(world, "2026-10-12")
    determine_all(world)
    with pytest.raises(ValidationError) as err:
        initial_conference(world, "2026-10-26", coordinator="unregistered")
    assert err.value.field == "coordinator_id"
    assert "Social Care Wales" in err.value.message("en")
    assert count(world, "register_entry") == 0


def test_conference_below_quorum_without_discretion_is_refused(world):
    ids = world.ids
    strategy(world, "2026-10-12")
    with pytest.raises(ValidationError) as err:
        initial_conference(world, "2026-10-26", attendance=attendance("ss", "police", ids=ids))
    assert err.value.field == "quorum_discretion"
    with pytest.raises(ValidationError) as err:
        initial_conference(world, "2026-10-26", attendance=attendance("ss", ids=ids))
    assert "not quorate" in err.value.message("en")
    assert count(world, "register_entry") == 0
    # Two agencies with the chair's recorded discretion is quorate (C13).
    held = initial_conference(world, "2026-10-26", attendance=attendance("ss", "police", ids=ids),
                              quorum_discretion=True, discretion_reason="Health unable to attend; report sent")
    assert len(held["entries"]) == 2


def test_deregistration_outside_a_review_conference_is_refused(world):
    strategy(world, "2026-10-12")
    determine_all(world)
    initial_conference(world, "2026-10-26")
    register = RegisterService(world.as_("custodian"))
    entry = register.entries("active")[0]
    for reason in ("review_conference", "improved", "age_18"):
        with pytest.raises(ValidationError):
            register.deregister(entry["id"], reason)
    with pytest.raises(PermissionDenied):
        RegisterService(world.sw).deregister(entry["id"], "left_uk", note="Moved to Canada")
    assert register.entries("deregistered") == []


def test_action_with_no_owner_is_refused(world):
    strategy(world, "2026-10-12")
    determine_all(world)
    initial_conference(world, "2026-10-26")
    with pytest.raises(ValidationError) as err:
        PlanService(world.sw).revise(
            world.ids["case"],
            outcomes=[{"description": "Elis is fed and clean", "measure": "School reports"}],
            actions=[{"description": "Parenting course", "due_on": "2026-12-01", "outcome_index": 0}])
    assert "owner" in err.value.message("en")


def test_ratification_needs_a_manager_and_determination_1(world):
    strategy(world, "2026-10-12")
    service = EnquiryService(world.sw)
    enquiry = service.for_case(world.ids["case"])[0]
    service.determine(enquiry["id"], 1, reason="Not substantiated")
    with pytest.raises(PermissionDenied):
        service.ratify(enquiry["id"])
    assert EnquiryService(world.as_("tm")).ratify(enquiry["id"])["ratified_by"] == world.ids["tm"]
    other = service.for_case(world.ids["case"])[1]
    service.determine(other["id"], 3, reason="Substantiated")
    with pytest.raises(ValidationError):
        EnquiryService(world.as_("tm")).ratify(other["id"])


def test_change_to_unregistered_coordinator_is_refused(world):
    strategy(world, "2026-10-12")
    determine_all(world)
    initial_conference(world, "2026-10-26")
    with pytest.raises(ValidationError):
        CoordinatorService(world.sw).change(world.ids["case"], new_coordinator_id=world.ids["unregistered"],
                                            verbal_to=[{"name": "Catrin Jones"}], verbal_on="2026-10-30")
    with pytest.raises(ValidationError) as err:
        CoordinatorService(world.sw).change(world.ids["case"], new_coordinator_id=world.ids["sw2"],
                                            verbal_to=[], verbal_on="2026-10-30")
    assert err.value.field == "verbal_to"


def test_registered_child_needs_a_category(world):
    strategy(world, "2026-10-12")
    ids = world.ids
    service = ConferenceService(world.sw)
    conf = service.convene(ids["case"], kind="initial", scheduled_on="2026-10-26", invitees=[])
    with pytest.raises(ValidationError) as err:
        service.hold_initial(conf["id"], held_on="2026-10-26", attendance=attendance("ss", "police", "health", ids=ids),
                             decisions=[{"person_id": ids["elis"], "registered": True, "categories": [],
                                         "outline_plan": "x"},
                                        {"person_id": ids["mali"], "registered": False}])
    assert err.value.field == "categories"
