"""Steps of the adult journey, reused across tests."""

from __future__ import annotations

from typing import Any

from desktop.services.adults import (
    CoordinatorService,
    EnquiryService,
    ReportService,
    StrategyService,
)
from desktop.services.my_work import MyWorkService


def report_and_screen(w: Any, received_at: str = "2026-11-02T09:30") -> dict[str, Any]:
    report = ReportService(w.sw).record(
        w.ids["case"], received_at=received_at, source_type="relevant_partner",
        concerns="Son takes her pension; no food in the house.", categories=["financial", "neglect"],
        consent_given=False, no_consent_reason="Margaret fears her son will find out; others may be at risk.",
    )
    return ReportService(w.sw).screen(report["id"], decision="enquiries", screened_on=received_at[:10])


def appoint(w: Any, who: str = "sw") -> dict[str, Any]:
    return CoordinatorService(w.sw).appoint(w.ids["case"], w.ids[who])


def members(w: Any) -> list[dict[str, Any]]:
    ids = w.ids
    return [{"agency_id": ids["ss"], "practitioner_id": ids["sw"], "role": "lead co-ordinator"},
            {"agency_id": ids["health"], "practitioner_id": ids["nurse"], "role": "community psychiatric nurse"},
            {"agency_id": ids["police"], "practitioner_id": ids["officer"]}]


def strategy(w: Any, held_on: str, session: Any = None, **extra: Any) -> dict[str, Any]:
    args: dict[str, Any] = {
        "kind": "meeting", "held_on": held_on, "members": members(w),
        "decisions": "Protection plan: Kevin's access to bank card stopped; daily carers.",
        "lead_practitioner_id": w.ids["nurse"], "advocate_offered": True, "advocate_type": "independent",
        "advocate_response": "accepted",
    }
    args.update(extra)
    return StrategyService(session or w.sw).record(w.ids["case"], **args)


def up_to_strategy(w: Any, **extra: Any) -> dict[str, Any]:
    out = report_and_screen(w)
    appoint(w)
    EnquiryService(w.sw).conclude(out["enquiry"]["id"], concluded_on="2026-11-02", determination="3",
                                  reason="Financial abuse by her son; continuing risk.")
    return strategy(w, "2026-11-02", **extra)


def due(w: Any, session: Any = None) -> dict[str, Any]:
    """rule id → WorkItem for the world's case (every status, upcoming included)."""
    items = MyWorkService(session or w.sw).all_items()
    return {i.rule_id: i for i in items if i.case_id == w.ids["case"]}


def engine_items(w: Any) -> dict[str, Any]:
    """rule id → the engine's DueItem for the world's case (to see offsets and per-case overrides)."""
    from desktop.domain.engine import default_engine
    from desktop.services.adults import facts
    from desktop.services.scope import case_condition

    s = w.sw
    condition, params = case_condition(s.user, s.today())
    subjects = [x.facts for x in facts.subjects(s.store, condition, params, s.today()) if x.facts.case_id == w.ids["case"]]
    return {i.rule_id: i for i in default_engine().due_items(subjects, s.today())}
