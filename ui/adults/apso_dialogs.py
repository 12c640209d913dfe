"""The forms of an adult protection and support order (s127, A9; GUI thread): the application, the court's
decision, an entry under the order and its end. Each is an :class:`~ui.adults.adult_form.AdultForm` whose
fields are named as :class:`~desktop.services.adults.ApsoService`'s arguments, so a refusal shows beside
the field it names and nothing is saved; the service decides what is allowed.
"""

from __future__ import annotations

from typing import Any

from desktop.errors import ValidationError
from desktop.i18n import N_, _
from desktop.services.adults import ApsoService
from desktop.services.adults.apso import DECISIONS, END_REASONS, OBSTRUCTIONS
from ui.adults.adult_form import AdultForm, practitioner_items
from ui.formatting import show_date
from ui.forms import Field


class ApsoApplicationDialog(AdultForm):
    """The application to a justice of the peace: the officer, the court, the premises, why each condition
    of s127(4) is met and what stands in the way of speaking with the adult."""

    OBJECT_NAME = "adult_apso_dialog"
    TITLE = N_("Apply for an adult protection and support order")
    TODAY = ("applied_on",)
    FIELDS = [
        Field("applied_on", "date", N_("Applied on:")),
        Field("officer_id", "optional", N_("Authorised officer:")),
        Field("court", "text", N_("Court or justice of the peace:")),
        Field("premises", "text", N_("Premises the order is to cover:")),
        Field("reasonable_cause", "long", N_("Why there is reasonable cause to suspect an adult at risk:")),
        Field("access_needed", "long", N_("Why the officer needs to see the adult to assess them:")),
        Field("order_needed", "long", N_("Why an order is needed to speak with them in private:")),
        Field("no_greater_risk", "long", N_("Why entering will not put the adult at greater risk:")),
        Field("obstruction", "optional", N_("What stands in the way:"), OBSTRUCTIONS),
        Field("obstruction_detail", "long", N_("Describe it:")),
    ]

    def items(self, name: str) -> list[tuple[Any, str]]:
        return practitioner_items(self.session)

    def prepare(self) -> None:
        super().prepare()
        self.set_value("officer_id", self.session.user.id)

    def submit(self, values: dict[str, Any]) -> dict[str, Any]:
        return ApsoService(self.session).apply(
            self.case_id or "", applied_on=values["applied_on"] or "", officer_id=values["officer_id"] or "",
            court=values["court"] or "", premises=values["premises"] or "",
            reasonable_cause=values["reasonable_cause"] or "", access_needed=values["access_needed"] or "",
            order_needed=values["order_needed"] or "", no_greater_risk=values["no_greater_risk"] or "",
            obstruction=values["obstruction"] or "", obstruction_detail=values["obstruction_detail"] or "")


class _OrderForm(AdultForm):
    """A form about one of the case's orders, chosen from those it applies to (:meth:`wanted`)."""

    NONE = N_("No order is waiting for this.")

    def wanted(self, order: dict[str, Any]) -> bool:  # pragma: no cover - overridden
        raise NotImplementedError

    def items(self, name: str) -> list[tuple[Any, str]]:
        self.orders = {o["id"]: o for o in ApsoService(self.session).for_case(self.case_id or "") if self.wanted(o)}
        return [(oid, "") for oid in self.orders]

    def retranslate_more(self) -> None:
        combo = self.combo("apso_id")
        for i in range(combo.count()):
            order = self.orders.get(combo.itemData(i))
            if order is None:
                continue
            if order["decision"] == "granted":
                # L10N: an adult protection and support order, e.g. "In force 03/11/2026 to 09/11/2026 (Llys …)"
                text = _("In force {start} to {end} ({court})").format(
                    start=show_date(order["in_force_from"]), end=show_date(order["in_force_to"]), court=order["court"])
            else:
                # L10N: an application for an order waiting for the court, e.g. "Applied for on 02/11/2026 (Llys …)"
                text = _("Applied for on {date} ({court})").format(date=show_date(order["applied_on"]),
                                                                    court=order["court"])
            combo.setItemText(i, text)

    def chosen(self, values: dict[str, Any]) -> str:
        if not values["apso_id"]:
            raise ValidationError(self.NONE, field="apso_id")
        return str(values["apso_id"])


class ApsoDecisionDialog(_OrderForm):
    """The court's decision on an application: granted for a period (its first and last day), or refused."""

    OBJECT_NAME = "adult_apso_decision_dialog"
    TITLE = N_("Record the court's decision on the order")
    TODAY = ("decided_on", "in_force_from")
    NONE = N_("No application is waiting for the court's decision.")
    FIELDS = [
        Field("apso_id", "items", N_("Application:")),
        Field("decision", "optional", N_("Decision:"), DECISIONS),
        Field("decided_on", "date", N_("Decided on:")),
        Field("in_force_from", "date", N_("In force from:")),
        Field("in_force_to", "date", N_("In force until (the last day):")),
        Field("note", "long", N_("Conditions or reasons (optional):")),
    ]

    def wanted(self, order: dict[str, Any]) -> bool:
        return not order["decision"]

    def submit(self, values: dict[str, Any]) -> dict[str, Any]:
        granted = values["decision"] == "granted"
        return ApsoService(self.session).decide(
            self.chosen(values), decision=values["decision"] or "", decided_on=values["decided_on"] or "",
            in_force_from=values["in_force_from"] if granted else None,
            in_force_to=values["in_force_to"] if granted else None, note=values["note"])


class ApsoEntryDialog(_OrderForm):
    """An entry under an order in force: spoken with in private or not, and whether the adult chose not to
    answer (the order lets the officer in; it does not oblige the adult to answer, nor remove them)."""

    OBJECT_NAME = "adult_apso_entry_dialog"
    TITLE = N_("Record an entry under the order")
    TODAY = ("entered_on",)
    NONE = N_("No order is in force.")
    FIELDS = [
        Field("apso_id", "items", N_("Order:")),
        Field("entered_on", "date", N_("Entered on:")),
        Field("spoke_in_private", "check", N_("Spoke with the adult in private")),
        Field("declined_to_answer", "check", N_("The adult chose not to answer")),
        Field("accompanied_by", "text", N_("Accompanied by (optional):")),
        Field("outcome", "long", N_("Outcome:")),
    ]

    def wanted(self, order: dict[str, Any]) -> bool:
        return order["decision"] == "granted" and not order["ended_on"]

    def submit(self, values: dict[str, Any]) -> dict[str, Any]:
        return ApsoService(self.session).record_entry(
            self.chosen(values), entered_on=values["entered_on"] or "",
            spoke_in_private=bool(values["spoke_in_private"]), declined_to_answer=bool(values["declined_to_answer"]),
            outcome=values["outcome"] or "", accompanied_by=values["accompanied_by"])


class ApsoEndDialog(_OrderForm):
    """The order's end: its purposes met, its period run out, or no longer needed."""

    OBJECT_NAME = "adult_apso_end_dialog"
    TITLE = N_("Record the end of the order")
    TODAY = ("ended_on",)
    NONE = N_("No order is in force.")
    FIELDS = [
        Field("apso_id", "items", N_("Order:")),
        Field("ended_on", "date", N_("Ended on:")),
        Field("end_reason", "optional", N_("Why it ended:"), END_REASONS),
        Field("note", "long", N_("Note (optional):")),
    ]

    def wanted(self, order: dict[str, Any]) -> bool:
        return order["decision"] == "granted" and not order["ended_on"]

    def submit(self, values: dict[str, Any]) -> dict[str, Any]:
        return ApsoService(self.session).end(self.chosen(values), ended_on=values["ended_on"] or "",
                                             end_reason=values["end_reason"] or "", note=values["note"])
