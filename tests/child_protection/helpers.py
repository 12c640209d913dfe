"""Steps of the journey, reused across tests."""

from __future__ import annotations

from typing import Any

from desktop.services.child_protection import ConferenceService, EnquiryService, StrategyService


def strategy(w: Any, held_on: str, **extra: Any) -> dict[str, Any]:
    ids = w.ids
    args: dict[str, Any] = {
        "kind": "meeting", "held_on": held_on, "initiate_s47": True,
        "decisions": "Section 47 enquiries to start; joint visit with police.",
        "participants": [{"agency_id": ids["ss"], "practitioner_id": ids["sw"]},
                         {"agency_id": ids["police"], "practitioner_id": ids["officer"]},
                         {"agency_id": ids["health"], "practitioner_id": ids["nurse"]}],
    }
    args.update(extra)
    return StrategyService(w.sw).record(ids["case"], **args)


def attendance(*keys: str, ids: dict[str, str]) -> list[dict[str, Any]]:
    return [{"agency_id": ids[k], "name": k} for k in keys]


def initial_conference(w: Any, held_on: str, *, coordinator: str | None = "sw", **extra: Any) -> dict[str, Any]:
    """Strategy → s47 determination 3 for both → ICPC convened and held, both registered."""
    ids = w.ids
    service = ConferenceService(w.sw)
    conf = service.convene(ids["case"], kind="initial", scheduled_on=held_on, chair_id=ids["tm"],
                           venue="Neuadd y Sir", invitees=[{"kind": "person", "id": ids["mam"]},
                                                           {"kind": "agency", "id": ids["police"]}])
    decisions = [
        {"person_id": ids[child], "registered": True, "categories": ["neglect"] if child == "elis" else
         ["neglect", "emotional"], "coordinator_id": ids[coordinator] if coordinator else None,
         "outline_plan": f"Outline plan for {child}", "first_core_group_on": "2026-11-20",
         "next_review_on": "2027-02-10",
         "core_group": [{"practitioner_id": ids["nurse"]}, {"agency_id": ids["school"]},
                        {"person_id": ids["mam"], "member_kind": "person"}]}
        for child in ("elis", "mali")
    ]
    args: dict[str, Any] = {"held_on": held_on, "attendance": attendance("ss", "police", "health", ids=ids),
                            "decisions": decisions, "child_participation": "Elis wrote a letter; Mali via SW."}
    args.update(extra)
    return service.hold_initial(conf["id"], **args)


def determine_all(w: Any, determination: int = 3) -> None:
    service = EnquiryService(w.sw)
    for e in service.for_case(w.ids["case"]):
        service.determine(e["id"], determination, reason="Neglect substantiated; continuing risk.")
