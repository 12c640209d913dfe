"""The register status of a case's own children, for the workers on the case (not only the custodian)."""

from __future__ import annotations

import pytest

from desktop.errors import NotFound, PermissionDenied
from desktop.services.child_protection import ConferenceService, RegisterService
from desktop.services.child_protection.register import ChildOnRegister
from tests.child_protection.helpers import attendance


def test_each_child_of_the_case_with_their_latest_entry(world):
    w, ids = world, world.ids
    service = RegisterService(w.sw)
    assert service.for_case(ids["case"]) == [ChildOnRegister(ids["elis"], "Elis Jones"),
                                             ChildOnRegister(ids["mali"], "Mali Jones")], "never registered"
    from tests.child_protection.helpers import determine_all, initial_conference, strategy

    strategy(w, "2026-10-12")
    determine_all(w)
    initial_conference(w, "2026-10-26")
    elis, mali = service.for_case(ids["case"])
    assert (elis.status, elis.categories, elis.coordinator_name, elis.on_register) == (
        "active", ("neglect",), "Siân Roberts", True)
    assert mali.categories == ("neglect", "emotional")
    # A review removes Elis's name: the latest entry says so, Mali's stays.
    w.on("2027-01-20")
    conferences = ConferenceService(w.sw)
    review = conferences.convene(ids["case"], kind="review", scheduled_on="2027-01-20", invitees=[])
    conferences.hold_review(review["id"], held_on="2027-01-20", report="Outcomes met for Elis.",
                            attendance=attendance("ss", "police", "health", ids=ids),
                            decisions=[{"person_id": ids["elis"], "deregister": True, "reasons": "Risk reduced."},
                                       {"person_id": ids["mali"], "deregister": False}])
    elis, mali = service.for_case(ids["case"])
    assert (elis.status, elis.on_register, mali.status) == ("deregistered", False, "active")
    # Registered again later (a new initial conference): the new entry is the one shown.
    w.on("2027-03-01")
    again = conferences.convene(ids["case"], kind="initial", scheduled_on="2027-03-01", invitees=[],
                                child_ids=[ids["elis"]])
    conferences.hold_initial(again["id"], held_on="2027-03-01", attendance=attendance("ss", "police", "health", ids=ids),
                             decisions=[{"person_id": ids["elis"], "registered": True, "categories": ["physical"],
                                         "coordinator_id": ids["sw"], "outline_plan": "Safety plan at home."}])
    elis, _mali = service.for_case(ids["case"])
    assert (elis.status, elis.categories) == ("active", ("physical",))


def test_not_for_a_role_without_casework_nor_outside_scope(world):
    """(The authorisation matrix checks every role, scope and the read's audit entry; here the two refusals.)"""
    ids = world.ids
    with pytest.raises(PermissionDenied):
        RegisterService(world.as_("custodian")).for_case(ids["case"])
    with pytest.raises(NotFound):
        RegisterService(world.sw).for_case("no-such-case")
