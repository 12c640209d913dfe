"""Adult protection and support orders (SSWBA 2014 s127; procedures.md A9; WSP a3pt1-p18).

An authorised officer applies to a justice of the peace for an order to enter the premises where a
person suspected of being an adult at risk lives, to speak with them in private, to find out whether they
are making decisions freely and to assess whether they are an adult at risk and what, if anything, to do
(s127(2)). The order gives **no power of removal**, and the adult may refuse to answer.

``ApsoService(session)`` (every call: ``Can.RECORD_CASEWORK`` to write, ``Can.VIEW_CASEWORK`` to read, the
case in scope, an adult-at-risk case, open for writing; a refusal writes nothing):

``apply(case_id, *, applied_on, officer_id, court, premises, reasonable_cause, access_needed, order_needed,
no_greater_risk, obstruction, obstruction_detail)``
    The application. The authorised officer must be a member of staff of social services who does casework
    (a social worker or a manager: :data:`OFFICER_ROLES`). Why each condition of s127(4) is met is required: (a) reasonable
    cause to suspect an adult at risk, (b) access needed to assess and decide under s126(2), (c) the order
    needed for the purposes of s127(2), (d) entering will not put the adult at greater risk; and what
    stands in the way: ``refused`` (access refused or prevented) or ``undue_influence`` (the adult is
    thought to be coerced or unduly influenced), described.
``decide(apso_id, *, decision, decided_on, in_force_from=None, in_force_to=None, note=None)``
    The court's decision: ``granted`` with the period the order is in force (its first and last day:
    the end not before the start, the start not before the decision, the period no longer than the
    maximum in ``rules.json``, :mod:`desktop.domain.apso_period`), or ``refused``. Once.
``record_entry(apso_id, *, entered_on, spoke_in_private, declined_to_answer, outcome, accompanied_by=None)``
    An entry under a granted order, on a day the order is in force and not after its end.
``end(apso_id, *, ended_on, end_reason, note=None)``
    The order's end: ``purposes_met``, ``lapsed`` (its period ran out) or ``not_needed``; on a day the
    order was in force, not before an entry under it, once.
``for_case(case_id)``
    Every application with its entries (``entries``, oldest first), newest application first.

"My work" shows a granted order not yet ended to its authorised officer as due by the order's last day
(rule A9, :mod:`desktop.services.adults.facts`).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from desktop.domain.apso_period import apso_period
from desktop.domain.types import Role
from desktop.errors import NotFound, ValidationError
from desktop.i18n import N_, NN_
from desktop.services.adults._common import adult_case, adult_id, required_date, required_text, text
from desktop.services.children.placements import DatedValidationError
from desktop.store import Tx

OBSTRUCTIONS = {
    "refused": N_("Access to the adult has been refused or prevented"),
    "undue_influence": N_("The adult is thought to be coerced or under undue influence"),
}
"""Why the officer cannot speak with the adult without an order (WSP a3pt1-p18)."""

OFFICER_ROLES = (Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.SENIOR_MANAGER)
"""Who may be the authorised officer: staff of social services who do casework (``practitioner.app_role``)."""

DECISIONS = {"granted": N_("Granted"), "refused": N_("Refused")}

END_REASONS = {
    "purposes_met": N_("The order's purposes were met"),
    "lapsed": N_("The order's period ran out"),
    "not_needed": N_("The order was no longer needed"),
}


class ApsoService:
    def __init__(self, session: Any) -> None:
        self.session = session

    def apply(
        self,
        case_id: str,
        *,
        applied_on: str,
        officer_id: str,
        court: str,
        premises: str,
        reasonable_cause: str,
        access_needed: str,
        order_needed: str,
        no_greater_risk: str,
        obstruction: str,
        obstruction_detail: str,
    ) -> dict[str, Any]:
        adult_case(self.session, case_id)
        on = required_date(applied_on, "applied_on", self.session.today())
        self._officer(officer_id)
        values = {
            "court": required_text(court, "court", N_("Record the court or justice of the peace applied to.")),
            "premises": required_text(premises, "premises", N_("Record the premises the order is to cover.")),
            "reasonable_cause": required_text(reasonable_cause, "reasonable_cause", N_(
                "Record why there is reasonable cause to suspect that the person is an adult at risk.")),
            "access_needed": required_text(access_needed, "access_needed", N_(
                "Record why the officer needs to see the adult to assess them and decide what to do.")),
            "order_needed": required_text(order_needed, "order_needed", N_(
                "Record why an order is needed to speak with the adult in private.")),
            "no_greater_risk": required_text(no_greater_risk, "no_greater_risk", N_(
                "Record why entering will not put the adult at greater risk of abuse or neglect.")),
        }
        if obstruction not in OBSTRUCTIONS:
            raise ValidationError(N_("Choose what stands in the way of speaking with the adult."), field="obstruction")
        detail = required_text(obstruction_detail, "obstruction_detail", N_(
            "Describe the refusal or the undue influence."))

        def write(tx: Tx) -> dict[str, Any]:
            return tx.insert(
                "adult_apso",
                {"person_id": adult_id(tx, case_id), "applied_on": on.isoformat(), "officer_id": officer_id,
                 **values, "obstruction": obstruction, "obstruction_detail": detail},
                case_id=case_id,
            )

        return self.session.write(write)

    def decide(self, apso_id: str, *, decision: str, decided_on: str, in_force_from: str | None = None,
               in_force_to: str | None = None, note: str | None = None) -> dict[str, Any]:
        order = self._order(apso_id)
        if order["decision"]:
            raise ValidationError(N_("The court's decision on this application is already recorded."),
                                  field="decision")
        if decision not in DECISIONS:
            raise ValidationError(N_("Record whether the order was granted or refused."), field="decision")
        today = self.session.today()
        on = required_date(decided_on, "decided_on", today)
        if on.isoformat() < order["applied_on"]:
            raise ValidationError(N_("The decision cannot be before the application."), field="decided_on")
        changes: dict[str, Any] = {"decision": decision, "decided_on": on.isoformat(), "decision_note": text(note) or None}
        if decision == "granted":
            first = required_date(in_force_from, "in_force_from", today, future_ok=True)
            last = required_date(in_force_to, "in_force_to", today, future_ok=True)
            self._period(on, first, last)
            changes.update(in_force_from=first.isoformat(), in_force_to=last.isoformat())
        return self.session.write(lambda tx: tx.update("adult_apso", apso_id, changes))

    def record_entry(self, apso_id: str, *, entered_on: str, spoke_in_private: bool, declined_to_answer: bool,
                     outcome: str, accompanied_by: str | None = None) -> dict[str, Any]:
        order = self._order(apso_id)
        if order["decision"] != "granted":
            raise ValidationError(N_("Only an order the court granted can be used to enter."), field="apso_id")
        on = required_date(entered_on, "entered_on", self.session.today()).isoformat()
        if not order["in_force_from"] <= on <= order["in_force_to"]:
            raise DatedValidationError(
                N_("The order was not in force on that day: it is in force from {start} to {end}."),
                field="entered_on", start=date.fromisoformat(order["in_force_from"]),
                end=date.fromisoformat(order["in_force_to"]))
        if order["ended_on"] and on > order["ended_on"]:
            raise ValidationError(N_("The order had ended by that day."), field="entered_on")
        what = required_text(outcome, "outcome", N_("Record the outcome of the entry."))

        def write(tx: Tx) -> dict[str, Any]:
            return tx.insert(
                "adult_apso_entry",
                {"apso_id": apso_id, "person_id": order["person_id"], "entered_on": on,
                 "spoke_in_private": int(bool(spoke_in_private)), "declined_to_answer": int(bool(declined_to_answer)),
                 "accompanied_by": text(accompanied_by) or None, "outcome": what},
                case_id=order["case_id"],
            )

        return self.session.write(write)

    def end(self, apso_id: str, *, ended_on: str, end_reason: str, note: str | None = None) -> dict[str, Any]:
        order = self._order(apso_id)
        if order["decision"] != "granted":
            raise ValidationError(N_("Only an order the court granted can end."), field="apso_id")
        if order["ended_on"]:
            raise ValidationError(N_("The end of this order is already recorded."), field="ended_on")
        if end_reason not in END_REASONS:
            raise ValidationError(N_("Choose why the order ended."), field="end_reason")
        on = required_date(ended_on, "ended_on", self.session.today()).isoformat()
        if on < order["in_force_from"]:
            raise ValidationError(N_("The order cannot end before it came into force."), field="ended_on")
        if on > order["in_force_to"]:
            raise DatedValidationError(N_("The order's period ended on {end}: it cannot end later."),
                                       field="ended_on", end=date.fromisoformat(order["in_force_to"]))
        last = self.session.store.rows(
            "SELECT MAX(entered_on) AS last FROM adult_apso_entry WHERE apso_id = ? AND deleted = 0", [apso_id])
        if last and last[0]["last"] and on < last[0]["last"]:
            raise ValidationError(N_("The order cannot end before an entry made under it."), field="ended_on")
        changes = {"ended_on": on, "end_reason": end_reason, "end_note": text(note) or None}
        return self.session.write(lambda tx: tx.update("adult_apso", apso_id, changes))

    def for_case(self, case_id: str) -> list[dict[str, Any]]:
        adult_case(self.session, case_id, write=False, read="adult_apso")
        store = self.session.store
        orders = store.rows("SELECT * FROM adult_apso WHERE case_id = ? AND deleted = 0"
                            " ORDER BY applied_on DESC, created_at DESC", [case_id])
        entries: dict[str, list[dict[str, Any]]] = {}
        for e in store.rows("SELECT * FROM adult_apso_entry WHERE case_id = ? AND deleted = 0"
                            " ORDER BY entered_on, created_at", [case_id]):
            entries.setdefault(e["apso_id"], []).append(e)
        return [{**o, "entries": entries.get(o["id"], [])} for o in orders]

    # -- checks -------------------------------------------------------------------------------------

    def _order(self, apso_id: str) -> dict[str, Any]:
        """The application, after the role, scope and open-case checks of its case."""
        rows = self.session.store.rows("SELECT * FROM adult_apso WHERE id = ? AND deleted = 0", [apso_id])
        if not rows:
            raise NotFound(N_("That adult protection and support order does not exist or is not in your caseload."))
        adult_case(self.session, rows[0]["case_id"])
        return rows[0]

    def _officer(self, officer_id: str | None) -> None:
        """The authorised officer: a member of staff of social services who does casework (a social worker or a
        manager). The Social Care Wales number is not asked for: the server does not send it to laptops."""
        rows = self.session.store.rows("SELECT * FROM practitioner WHERE id = ? AND deleted = 0",
                                       [officer_id]) if officer_id else []
        if not rows:
            raise ValidationError(N_("Choose the authorised officer from the list."), field="officer_id")
        row = rows[0]
        if not row["employed_by_social_services"] or row["app_role"] not in OFFICER_ROLES:
            raise ValidationError(
                N_("{name} cannot be the authorised officer: the officer must be a social worker of social"
                   " services."),
                field="officer_id", name=f"{row['given_names']} {row['family_name']}",
            )

    @staticmethod
    def _period(decided_on: date, first: date, last: date) -> None:
        """The period an order is granted for: not before the decision, the end not before the start, and no
        longer than the maximum (rules.json)."""
        if first < decided_on:
            raise ValidationError(N_("The order cannot come into force before the court's decision."),
                                  field="in_force_from")
        if last < first:
            raise ValidationError(N_("The order's end cannot be before its start."), field="in_force_to")
        latest = apso_period().last_day(first)
        if last > latest:
            raise DatedValidationError(
                NN_("An order may be in force for at most {n} day: its last day can be {date} at the latest.",
                    "An order may be in force for at most {n} days: its last day can be {date} at the latest.", "n"),
                field="in_force_to", n=(latest - first).days + 1, date=latest,
            )
