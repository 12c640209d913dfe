"""Complaints under the Social Services Complaints Procedure (Wales) Regulations 2014 (SI 2014/1794),
recorded on the case they are about (Qt-free; one short transaction per call).

A complaint records who complained (by name, with their relationship to the child or adult, and the
person it concerns), when, how (orally or in writing), about what, the stage it has reached and the
outcome, with the dates the timescales run from: acknowledged (K1: 2 working days after receipt, reg
15(2)), discussed with the complainant (K2a: within 10 working days of the acknowledgement, reg 16(3)),
the resolution sent in writing (K2b: within 5 working days, reg 16(5)), a formal investigation
requested and its response sent (K3: 25 working days). None of those numbers is here: they are rules
K1–K3 in ``rules.json``, which fire from these records through :func:`subjects` (the ``complaint``
provider of "My work").

``ComplaintService(session)``: ``record`` (any caseworker), ``update`` (a step: ``acknowledged_on``,
``discussed_on``, ``resolution_sent_on``, ``stage2_requested_on`` (moves it to formal investigation),
``stage2_response_sent_on``, ``stage``, ``outcome``/``closed_on``), ``for_case``. Refused with a
reason: a date in the future or before the complaint was received, a step before the step it follows,
a closed complaint, an outcome without a closing date or the reverse.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from desktop.domain.engine import SubjectFacts
from desktop.domain.validation import parse_date
from desktop.errors import NotFound, ValidationError
from desktop.i18n import N_
from desktop.services.permissions import Can
from desktop.services.reads import read_casework
from desktop.services.scope import require_case

CHANNELS = {"oral": N_("Orally"), "written": N_("In writing")}
STAGES = {"local_resolution": N_("Local resolution (stage 1)"),
          "formal_investigation": N_("Formal investigation (stage 2)"),
          "ombudsman": N_("Public Services Ombudsman for Wales"), "closed": N_("Closed")}
OUTCOMES = {"resolved": N_("Resolved"), "upheld": N_("Upheld"), "partly_upheld": N_("Partly upheld"),
            "not_upheld": N_("Not upheld"), "withdrawn": N_("Withdrawn")}

# Each step's date must not be before the step it follows.
_STEPS = (("acknowledged_on", "received_on"), ("discussed_on", "acknowledged_on"),
          ("resolution_sent_on", "discussed_on"), ("stage2_requested_on", "received_on"),
          ("stage2_response_sent_on", "stage2_requested_on"), ("closed_on", "received_on"))

ACTIONS = {"K1": "update_complaint", "K2a": "update_complaint", "K2b": "update_complaint",
           "K3": "update_complaint"}


def _text(value: Any) -> str:
    return str(value or "").strip()


class ComplaintService:
    def __init__(self, session: Any) -> None:
        self.session = session

    def _date(self, value: Any, field: str, *, required: bool = False) -> str | None:
        day = parse_date(value, field)
        if day is None:
            if required:
                raise ValidationError(N_("Enter the date."), field=field)
            return None
        if day > self.session.today():
            raise ValidationError(N_("The date cannot be in the future."), field=field)
        return day.isoformat()

    def record(self, case_id: str, *, complainant_name: str, received_on: str, channel: str, about: str,
               person_id: str | None = None, complainant_relationship: str | None = None) -> dict[str, Any]:
        """A complaint received on ``received_on`` (K1 starts)."""
        self.session.require(Can.RECORD_CASEWORK)
        require_case(self.session, case_id)
        name = _text(complainant_name)
        if not name:
            raise ValidationError(N_("Enter who made the complaint."), field="complainant_name")
        if channel not in CHANNELS:
            raise ValidationError(N_("Choose how the complaint was made."), field="channel")
        words = _text(about)
        if not words:
            raise ValidationError(N_("Say what the complaint is about."), field="about")
        if person_id and not self.session.store.rows(
                "SELECT 1 FROM case_member WHERE case_id = ? AND person_id = ? AND deleted = 0", [case_id, person_id]):
            raise ValidationError(N_("Choose someone on this case."), field="person_id")
        values = {"person_id": person_id or None, "complainant_name": name,
                  "complainant_relationship": _text(complainant_relationship) or None,
                  "received_on": self._date(received_on, "received_on", required=True), "channel": channel,
                  "about": words, "stage": "local_resolution"}
        return self.session.write(lambda tx: tx.insert("complaint", values, case_id=case_id))

    def update(self, complaint_id: str, **changes: Any) -> dict[str, Any]:
        """Record the next steps of a complaint (see the module docstring for the fields)."""
        self.session.require(Can.RECORD_CASEWORK)
        rows = self.session.store.rows("SELECT * FROM complaint WHERE id = ? AND deleted = 0", [complaint_id])
        if not rows:
            raise NotFound(N_("That complaint does not exist."))
        row = rows[0]
        require_case(self.session, row["case_id"])
        if row["closed_on"]:
            raise ValidationError(N_("This complaint is closed."), field="closed_on")
        allowed = {step for step, _ in _STEPS} | {"stage", "outcome"}
        unknown = set(changes) - allowed
        if unknown:
            raise ValidationError(N_("That is not part of a complaint."), field=sorted(unknown)[0])
        clean: dict[str, Any] = {}
        for step, _ in _STEPS:
            if step in changes:
                clean[step] = self._date(changes[step], step)
        merged = {**row, **clean}
        for step, after in _STEPS:
            if merged.get(step) and (not merged.get(after) or merged[step] < merged[after]):
                raise ValidationError(N_("The date is before the step it follows."), field=step)
        if "stage" in changes:
            if changes["stage"] not in STAGES:
                raise ValidationError(N_("Choose the stage reached."), field="stage")
            clean["stage"] = changes["stage"]
        elif clean.get("stage2_requested_on") and row["stage"] == "local_resolution":
            clean["stage"] = "formal_investigation"
        if "outcome" in changes:
            if changes["outcome"] not in OUTCOMES:
                raise ValidationError(N_("Choose the outcome."), field="outcome")
            clean["outcome"] = changes["outcome"]
        if bool(merged.get("closed_on")) != bool(clean.get("outcome") or row["outcome"]):
            raise ValidationError(N_("A complaint is closed with its outcome and the date."),
                                  field="outcome" if merged.get("closed_on") else "closed_on")
        if merged.get("closed_on"):
            clean["stage"] = "closed"
        if not clean:
            return row
        return self.session.write(lambda tx: tx.update("complaint", complaint_id, clean))

    def for_case(self, case_id: str) -> list[dict[str, Any]]:
        """The case's complaints, newest first."""
        read_casework(self.session, case_id, "complaint")
        return self.session.store.rows("SELECT * FROM complaint WHERE case_id = ? AND deleted = 0"
                                       " ORDER BY received_on DESC, created_at DESC", [case_id])


_OPEN = """SELECT k.*, c.reference, c.allocated_worker_id,
       COALESCE(p.preferred_name, p.given_names, '') || ' ' || p.family_name AS person_name
    FROM complaint k JOIN case_file c ON c.id = k.case_id LEFT JOIN person p ON p.id = k.person_id
    WHERE k.deleted = 0 AND k.closed_on IS NULL AND c.deleted = 0 AND ({scope})"""


def _d(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def subjects(store: Any, condition: str, params: dict[str, Any], on: date) -> list[Any]:
    """One subject per open complaint in a case in scope (its ``person_id``: the person it concerns,
    else the complaint itself, so two complaints on one case are two subjects)."""
    from desktop.services.my_work import Subject

    out = []
    for r in store.rows(_OPEN.format(scope=condition), params):
        events = {"complaint_received": _d(r["received_on"]), "complaint_acknowledged": _d(r["acknowledged_on"]),
                  "complaint_discussed": _d(r["discussed_on"]),
                  "complaint_resolution_sent": _d(r["resolution_sent_on"]),
                  "stage2_requested": _d(r["stage2_requested_on"]),
                  "stage2_response_sent": _d(r["stage2_response_sent_on"])}
        name = (r["person_name"] or "").strip() or r["complainant_name"]
        out.append(Subject(facts=SubjectFacts(case_id=r["case_id"], person_id=r["person_id"] or r["id"],
                                              statuses=frozenset({"complaint"}), events=events),
                           worker_id=r["allocated_worker_id"], person_name=name, case_reference=r["reference"]))
    return out


def register() -> None:
    """Plug complaints into "My work" (called when this module is imported)."""
    from desktop.services.my_work import register_provider

    register_provider("complaint", subjects, actions=ACTIONS, day_free=True)


register()
