"""Permanence for looked-after children: the route, the target date, the date achieved, and the
committee's figures for babies (Qt-free).

``PermanenceService(session)``:

* ``set_plan(case_id, person_id, *, route, decided_on, target_on=None, notes=None)`` — the child's
  permanence plan for the current period of care (one per episode; a later call changes the route or
  target, field by field, audited). ``Can.RECORD_CASEWORK``.
* ``achieved(plan_id, *, achieved_on)`` — permanence achieved (not in the future, not before the
  decision).
* ``plan(case_id, person_id)`` — the current plan or ``None``.
* ``baby_figures(period_start, period_end)`` — ``Can.COMMITTEE_REPORT``; see :func:`baby_permanence`.
* ``summary(on)`` — ``Can.COMMITTEE_REPORT``; see :func:`permanence_summary`.

:func:`baby_permanence` (store-level, no permission check: for the committee report engineer, whose
service checks ``Can.COMMITTEE_REPORT``) answers seed 004: "40% of babies had been placed in their
permanent home within 3 months" and "the permanency of children who were subject to court proceedings
… not technically placed in their permanent home". Definitions:

* cohort: children who became looked after (``lac_episode.started_on``) within the period, aged
  under one year on that day;
* placed within 3 months: a placement marked ``permanent_home`` starting on or before the day three
  calendar months after they became looked after (and on or before the period end);
* proceedings open: care proceedings for the child not concluded on the period end (``ended_on``
  null or after it) — counted for the cohort and for those placed within 3 months (placed, but not
  yet ratified by the court).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from desktop.errors import NotFound, ValidationError
from desktop.i18n import N_
from desktop.services.children._common import (
    PERMANENCE_ROUTES,
    any_date,
    iso,
    past_date,
    require_child,
    text,
)
from desktop.services.children.looked_after import open_episode
from desktop.services.permissions import Can
from desktop.services.reads import note_read
from desktop.services.scope import require_case


class PermanenceService:
    def __init__(self, session: Any) -> None:
        self.session = session

    def set_plan(self, case_id: str, person_id: str, *, route: str, decided_on: str, target_on: str | None = None,
                 notes: str | None = None) -> dict[str, Any]:
        """Create or change the permanence plan for the child's current period of care."""
        self.session.require(Can.RECORD_CASEWORK)
        require_child(self.session, case_id, person_id)
        if route not in PERMANENCE_ROUTES:
            raise ValidationError(N_("Choose the route to permanence."), field="route")
        decided = past_date(decided_on, "decided_on", self.session.today())
        target = any_date(target_on, "target_on")
        if target is not None and decided is not None and target < decided:
            raise ValidationError(N_("The target date is before the decision."), field="target_on")
        episode = open_episode(self.session.store, person_id)
        if episode is None:
            raise ValidationError(N_("This child is not looked after: record when they became looked after first."),
                                  field="person_id")
        values = {"route": route, "decided_on": iso(decided), "target_on": iso(target), "notes": text(notes) or None}

        def write(tx: Any) -> dict[str, Any]:
            current = tx.query("SELECT * FROM permanence_plan WHERE person_id = ? AND episode_id = ? AND deleted = 0",
                               [person_id, episode["id"]])
            if current:
                return tx.update("permanence_plan", current[0]["id"], values)
            return tx.insert("permanence_plan", {**values, "person_id": person_id, "episode_id": episode["id"]},
                             case_id=case_id)

        return self.session.write(write)

    def achieved(self, plan_id: str, *, achieved_on: str) -> dict[str, Any]:
        self.session.require(Can.RECORD_CASEWORK)
        rows = self.session.store.rows("SELECT * FROM permanence_plan WHERE id = ? AND deleted = 0", [plan_id])
        if not rows:
            raise NotFound(N_("That record does not exist or is not in your caseload."))
        plan = rows[0]
        require_case(self.session, plan["case_id"])
        on = past_date(achieved_on, "achieved_on", self.session.today())
        if iso(on) < plan["decided_on"]:
            raise ValidationError(N_("Permanence cannot be achieved before the plan was decided."),
                                  field="achieved_on")
        return self.session.write(lambda tx: tx.update("permanence_plan", plan_id, {"achieved_on": iso(on)}))

    def plan(self, case_id: str, person_id: str) -> dict[str, Any] | None:
        self.session.require(Can.VIEW_CASEWORK)
        require_child(self.session, case_id, person_id)
        note_read(self.session, case_id, "permanence_plan", person_id)
        rows = self.session.store.rows(
            "SELECT * FROM permanence_plan WHERE person_id = ? AND deleted = 0 ORDER BY decided_on DESC LIMIT 1",
            [person_id])
        return rows[0] if rows else None

    def summary(self, on: date) -> dict[str, dict[str, int]]:
        self.session.require(Can.COMMITTEE_REPORT)
        return permanence_summary(self.session.store, on)

    def baby_figures(self, period_start: date, period_end: date) -> dict[str, Any]:
        self.session.require(Can.COMMITTEE_REPORT)
        return baby_permanence(self.session.store, period_start, period_end)


def baby_permanence(store: Any, period_start: date, period_end: date) -> dict[str, Any]:
    """Babies' permanence figures for a period (definitions in the module docstring), counted from the
    store's rows by the committee's own code (:func:`desktop.services.committee_babies.baby_cohort`,
    which the server runs over the whole authority).

    Returns ``{"period_start", "period_end", "babies", "placed_within_3_months", "percent_placed"
    (one decimal, ``None`` with no babies), "proceedings_open", "placed_with_proceedings_open", "pending"
    (not placed yet, but their 3 months end after the period: not a failure yet), "children":
    [{person_id, case_id, looked_after_on, three_months_on, permanent_placement_on,
    placed_within_3_months, proceedings_open, pending}]}``.
    """
    from desktop.services.committee_babies import baby_cohort
    from desktop.services.committee_source import StoreRows, Tables

    return baby_cohort(Tables(StoreRows(store)), period_start, period_end)


def permanence_summary(store: Any, on: date) -> dict[str, dict[str, int]]:
    """Per route (:data:`PERMANENCE_ROUTES`): ``{"planned": plans of children looked after on ``on``
    not yet achieved, "past_target": of those, target date before ``on``, "achieved": achieved on or
    before ``on``}``. Store-level, no permission check (for the committee report)."""
    day = on.isoformat()
    out = {route: {"planned": 0, "past_target": 0, "achieved": 0} for route in PERMANENCE_ROUTES}
    for r in store.rows(
        """SELECT pp.route,
                  SUM(CASE WHEN pp.achieved_on IS NULL OR pp.achieved_on > :on THEN 1 ELSE 0 END) AS planned,
                  SUM(CASE WHEN (pp.achieved_on IS NULL OR pp.achieved_on > :on) AND pp.target_on < :on
                      THEN 1 ELSE 0 END) AS past_target,
                  SUM(CASE WHEN pp.achieved_on <= :on THEN 1 ELSE 0 END) AS achieved
           FROM permanence_plan pp JOIN lac_episode e ON e.id = pp.episode_id
           WHERE pp.deleted = 0 AND e.deleted = 0 AND pp.decided_on <= :on AND e.started_on <= :on
             AND (e.ended_on IS NULL OR e.ended_on >= :on OR pp.achieved_on IS NOT NULL)
           GROUP BY pp.route""",
        {"on": day},
    ):
        if r["route"] in out:
            out[r["route"]] = {"planned": r["planned"], "past_target": r["past_target"], "achieved": r["achieved"]}
    return out
