"""The adult protection conference (WSP a3pt2-p4, a3pt2-p5): agency reports (A7) and the adult's
participation, or the outcome report that follows a refusal (N16).

``ConferenceService(session)``:

``convene(case_id, *, scheduled_on, agency_ids, chair_id=None, language=None)``
    Convened and chaired by the lead co-ordinator (anyone else refused). Each invited agency owes a
    written report to the chair 2 working days before (A7): one ``adult_conference_report`` per agency.
``report_received(conference_id, agency_id, *, received_on)``
    An agency's report reached the chair (refused: not invited, in the future, twice).
``participation(conference_id, *, participation, refusal_reason=None)``
    How the adult takes part: attended / advocate / written / views_via_practitioner / refused
    (refusal needs its reason).
``hold(conference_id, *, held_on, outcome_summary, decisions, support_offered, participation=None, refusal_reason=None,
outcome_summary_cy=None, decisions_cy=None, support_offered_cy=None)``
    The conference held, with its outcome (and, optionally, the outcome, decisions and support in Welsh). When the adult refused to take part, the outcome report
    and covering letter ``N16`` (template file ``n16_outcome_report_adult``) is queued to the adult (placeholders
    ``strategy_meeting_date``, ``lead_coordinator``, ``lead_coordinator_phone``, ``outcome_summary``,
    lists ``decisions`` and ``support_offered``).
``for_case(case_id)``
    Conferences, newest first, each with its ``reports``.
"""

from __future__ import annotations

from typing import Any

from desktop.errors import NotFound, ValidationError
from desktop.i18n import N_
from desktop.services.adults._common import (
    PARTICIPATION,
    acting_lead_coordinator,
    adult_case,
    adult_facts_for_letter,
    adult_id,
    contact_of,
    dumps,
    latest_not_amended,
    lead_coordinators,
    practitioner_name,
    practitioner_row,
    required_date,
    required_text,
    text,
)
from desktop.services.correspondence import queue_letter
from desktop.services.welsh_text import source as welsh_source
from desktop.store import Tx

N16 = "N16"
N16_FILE = "n16_outcome_report_adult"


class ConferenceService:
    def __init__(self, session: Any) -> None:
        self.session = session

    def convene(self, case_id: str, *, scheduled_on: str, agency_ids: list[str], chair_id: str | None = None,
                language: str | None = None) -> dict[str, Any]:
        """Returns the conference row with ``reports`` (one per invited agency)."""
        adult_case(self.session, case_id)
        store = self.session.store
        when = required_date(scheduled_on, "scheduled_on", self.session.today(), future_ok=True)
        chairs = lead_coordinators(store, case_id)
        chair = chair_id or acting_lead_coordinator(store, case_id)
        if not chair or chair not in chairs:
            raise ValidationError(
                N_("The adult protection conference is arranged and chaired by the lead co-ordinator."),
                field="chair_id",
            )
        agencies = list(dict.fromkeys(agency_ids or []))
        if not agencies:
            raise ValidationError(N_("Invite at least one agency to the conference."), field="agency_ids")
        for a in agencies:
            if not store.rows("SELECT 1 FROM agency WHERE id = ? AND deleted = 0", [a]):
                raise ValidationError(N_("Choose agencies from the list."), field="agency_ids")
        today = self.session.today().isoformat()

        def write(tx: Tx) -> dict[str, Any]:
            row = tx.insert(
                "adult_conference",
                {"person_id": adult_id(tx, case_id), "scheduled_on": when.isoformat(), "chair_id": chair,
                 "language": language},
                case_id=case_id,
            )
            reports = [
                tx.insert("adult_conference_report", {"conference_id": row["id"], "agency_id": a, "requested_on": today},
                          case_id=case_id)
                for a in agencies
            ]
            return {**row, "reports": reports}

        return self.session.write(write)

    def report_received(self, conference_id: str, agency_id: str, *, received_on: str) -> dict[str, Any]:
        conf = self._conference(conference_id)
        on = required_date(received_on, "received_on", self.session.today())
        rows = self.session.store.rows(
            "SELECT * FROM adult_conference_report WHERE conference_id = ? AND agency_id = ? AND deleted = 0",
            [conference_id, agency_id],
        )
        if not rows:
            raise ValidationError(N_("That agency was not asked for a report for this conference."), field="agency_id")
        if rows[0]["received_on"]:
            raise ValidationError(N_("That agency's report has already been recorded as received."),
                                  field="received_on")
        del conf
        return self.session.write(
            lambda tx: tx.update("adult_conference_report", rows[0]["id"], {"received_on": on.isoformat()})
        )

    def participation(self, conference_id: str, *, participation: str,
                      refusal_reason: str | None = None) -> dict[str, Any]:
        self._conference(conference_id)
        changes = _participation(participation, refusal_reason)
        return self.session.write(lambda tx: tx.update("adult_conference", conference_id, changes))

    def hold(
        self,
        conference_id: str,
        *,
        held_on: str,
        outcome_summary: str,
        decisions: list[str],
        support_offered: list[str] | None = None,
        participation: str | None = None,
        refusal_reason: str | None = None,
        outcome_summary_cy: str | None = None,
        decisions_cy: list[str] | None = None,
        support_offered_cy: list[str] | None = None,
    ) -> dict[str, Any]:
        """Returns the conference row after the change, with ``letters`` (the N16 letter, if any).
        ``*_cy``: the outcome, decisions and support in Welsh (optional; a Welsh or bilingual outcome
        report is held until each text it quotes has its Welsh)."""
        conf = self._conference(conference_id)
        on = required_date(held_on, "held_on", self.session.today())
        changes: dict[str, Any] = {}
        if participation is not None:
            changes.update(_participation(participation, refusal_reason))
        taking_part = changes.get("participation") or conf["participation"]
        if not taking_part:
            raise ValidationError(N_("Record how the adult took part in the conference, or that they refused."),
                                  field="participation")
        summary = required_text(outcome_summary, "outcome_summary", N_("Record the outcome of the conference."))
        items = [text(d) for d in decisions or [] if text(d)]
        if not items:
            raise ValidationError(N_("Record the decisions of the conference."), field="decisions")
        support = [text(s) for s in support_offered or [] if text(s)]
        refused = taking_part == "refused"
        if refused and not support:
            raise ValidationError(
                N_("The adult refused to take part: record the support available to them for the outcome report."),
                field="support_offered",
            )
        changes.update(status="held", held_on=on.isoformat(), outcome_summary=summary, decisions=dumps(items),
                       support_offered=dumps(support), outcome_summary_cy=text(outcome_summary_cy) or None,
                       decisions_cy=_welsh_list(decisions_cy), support_offered_cy=_welsh_list(support_offered_cy))
        case_id = conf["case_id"]

        def write(tx: Tx) -> dict[str, Any]:
            row = tx.update("adult_conference", conference_id, changes)
            letters = []
            if refused:
                person = adult_id(tx, case_id)
                strategy = tx.query(
                    f"SELECT held_on FROM adult_strategy x WHERE x.case_id = ? AND x.deleted = 0"
                    f" AND {latest_not_amended('adult_strategy')} ORDER BY x.held_on DESC LIMIT 1",
                    [case_id],
                )
                lead = practitioner_row(tx, conf["chair_id"] or acting_lead_coordinator(tx, case_id))
                data = {
                    **adult_facts_for_letter(tx, person),
                    "strategy_meeting_date": strategy[0]["held_on"] if strategy else "",
                    "lead_coordinator": practitioner_name(lead),
                    "lead_coordinator_phone": contact_of(lead),
                    "outcome_summary": summary,
                    "decisions": items,
                    "support_offered": support,
                    "conference_date": on.isoformat(),
                    "audience": "adult",
                    "template_file": N16_FILE,
                    "welsh_sources": {name: [welsh_source("adult_conference", conference_id, name)]
                                      for name in ("outcome_summary", "decisions", "support_offered")},
                }
                letters.append(queue_letter(tx, case_id=case_id, template_id=N16, recipient_kind="person",
                                            recipient_id=person, data=data,
                                            source_event=f"adult_conference:{conference_id}"))
            return {**row, "letters": letters}

        return self.session.write(write)

    def for_case(self, case_id: str) -> list[dict[str, Any]]:
        adult_case(self.session, case_id, write=False, read="adult_conference")
        store = self.session.store
        out = store.rows("SELECT * FROM adult_conference WHERE case_id = ? AND deleted = 0 ORDER BY scheduled_on DESC",
                         [case_id])
        for conf in out:
            conf["reports"] = store.rows(
                "SELECT r.*, a.name AS agency_name FROM adult_conference_report r JOIN agency a ON a.id = r.agency_id"
                " WHERE r.conference_id = ? AND r.deleted = 0 ORDER BY a.name", [conf["id"]])
        return out

    def _conference(self, conference_id: str) -> dict[str, Any]:
        rows = self.session.store.rows("SELECT * FROM adult_conference WHERE id = ? AND deleted = 0", [conference_id])
        if not rows:
            raise NotFound(N_("That conference does not exist or is not in your caseload."))
        adult_case(self.session, rows[0]["case_id"])
        if rows[0]["status"] != "convened":
            raise ValidationError(N_("This conference has already been held or cancelled."), field="conference_id")
        return rows[0]


def _participation(participation: str, refusal_reason: str | None) -> dict[str, Any]:
    if participation not in PARTICIPATION:
        raise ValidationError(N_("Record how the adult took part in the conference, or that they refused."),
                              field="participation")
    reason = text(refusal_reason)
    if participation == "refused" and not reason:
        raise ValidationError(N_("Record what the adult said about not taking part."), field="refusal_reason")
    return {"participation": participation, "refusal_reason": reason or None}


def _welsh_list(items: list[str] | None) -> str | None:
    """A Welsh list column's value: the non-blank items as JSON, or NULL when there are none."""
    kept = [text(i) for i in items or [] if text(i)]
    return dumps(kept) if kept else None
