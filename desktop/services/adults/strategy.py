"""The adult strategy discussion or meeting (WSP a3pt1-p16; SEED 001/002) and the strategy group.

``StrategyService(session).record(case_id, *, kind, held_on, members, decisions, ...)`` writes one
append-only ``adult_strategy`` row and an ``adult_strategy_member`` per member of the strategy group,
in one transaction with everything the meeting obliges:

* **Chair**: arranged and chaired by the lead co-ordinator (the local authority's, or the delegated
  one while a delegation is in force). Anyone else as chair is refused; so is a meeting on a case with
  no lead co-ordinator.
* **Lead practitioner** (``lead_practitioner_id``): identified, with contact details recorded
  (``lead_practitioner_contact``, default the practitioner's phone and email; refused if there are
  none). Any profession: a nurse or other health practitioner may hold the role. Assigned as the
  case's ``lead_practitioner`` role.
* **No lead practitioner** identified (and none already in post): ``no_lead_reason`` is required, an
  escalation ``no_lead_practitioner`` is raised to the senior manager responsible for safeguarding
  (N4, immediately) and a letter ``N4`` (template file ``n4_escalation_no_lead_practitioner``) is queued
  to each senior manager (placeholders ``adult_name``, ``adult_dob``, ``lead_coordinator``, ``meeting_date``).
* **Frequency of seeing the adult** (``visit_every``, ``visit_unit``): set by the strategy group;
  the engine then uses it for A4 when it is stricter than every 4 weeks. A laxer frequency is refused.
* **Advocacy**: an advocate offered (``advocate_type`` independent / imca / informal; an IMCA when
  ``imca_required``) and the adult's answer (``advocate_response`` accepted / declined / awaiting,
  recorded later with :class:`~desktop.services.adults.advocacy.AdvocacyService`); or, when none
  was offered, the reason (``advocacy_note``).

``held_on`` in the future, no members, an unknown agency, and no decisions are refused. A meeting is
the A2 satisfying event (within 7 working days of the end of the enquiries) and starts A3 (adult seen
within 5 working days). ``amends_id`` makes the record a correction of an earlier one.
"""

from __future__ import annotations

from typing import Any

from desktop.domain.engine import default_engine
from desktop.domain.rules import RuleError, validate_case_override
from desktop.domain.types import Role
from desktop.errors import NotFound, ValidationError
from desktop.i18n import N_
from desktop.services.adults._common import (
    ADVOCATE_TYPES,
    LEAD_PRACTITIONER,
    acting_lead_coordinator,
    adult_case,
    adult_facts_for_letter,
    adult_id,
    assign_role,
    check_amends,
    contact_of,
    current_holder,
    latest_not_amended,
    lead_coordinators,
    practitioner_name,
    practitioner_row,
    require_practitioner,
    required_date,
    required_text,
    senior_managers,
    text,
)
from desktop.services.correspondence import queue_letter
from desktop.services.tasks import raise_task
from desktop.store import Tx

N4 = "N4"
N4_FILE = "n4_escalation_no_lead_practitioner"
NO_LEAD_REASON = N_("No lead practitioner was identified at the strategy meeting for this adult at risk.")
"""The escalation's ``reason`` (a msgid: translate it when shown)."""

_APPROX_DAYS = {"days": 1.0, "weeks": 7.0, "months": 28.0, "working_days": 7 / 5}


class StrategyService:
    def __init__(self, session: Any) -> None:
        self.session = session

    def record(
        self,
        case_id: str,
        *,
        kind: str,
        held_on: str,
        members: list[dict[str, Any]],
        decisions: str,
        chair_id: str | None = None,
        enquiry_id: str | None = None,
        initial: bool = True,
        lead_practitioner_id: str | None = None,
        lead_practitioner_contact: str | None = None,
        no_lead_reason: str | None = None,
        visit_every: int | None = None,
        visit_unit: str | None = None,
        advocate_offered: bool = False,
        advocate_type: str | None = None,
        advocate_response: str = "awaiting",
        advocate_provider: str | None = None,
        imca_required: bool = False,
        advocacy_note: str | None = None,
        consent_checked: str | None = None,
        liaison: str | None = None,
        amends_id: str | None = None,
    ) -> dict[str, Any]:
        """Returns the strategy row with ``members`` (rows), ``advocacy`` (row or ``None``),
        ``escalation`` and ``letters`` (rows; N4 only)."""
        adult_case(self.session, case_id)
        store = self.session.store
        today = self.session.today()
        if kind not in ("discussion", "meeting"):
            raise ValidationError(N_("Choose a strategy discussion or a strategy meeting."), field="kind")
        held = required_date(held_on, "held_on", today)
        decisions = required_text(decisions, "decisions", N_("Record the decisions of the strategy meeting."))
        chairs = lead_coordinators(store, case_id)
        if not chairs:
            raise ValidationError(
                N_("Appoint the lead co-ordinator first: they arrange and chair the strategy meeting."),
                field="chair_id",
            )
        chair = chair_id or self.session.user.id
        if chair not in chairs:
            raise ValidationError(
                N_("The strategy meeting is arranged and chaired by the lead co-ordinator; choose them as chair."),
                field="chair_id",
            )
        if not members:
            raise ValidationError(N_("Record the members of the strategy group."), field="members")
        for m in members:
            if not store.rows("SELECT 1 FROM agency WHERE id = ? AND deleted = 0", [m.get("agency_id")]):
                raise ValidationError(N_("Choose the agency of each member of the strategy group."), field="members")
            if m.get("practitioner_id"):
                require_practitioner(store, m["practitioner_id"], "members")
        contact = None
        if lead_practitioner_id:
            lp = require_practitioner(store, lead_practitioner_id, "lead_practitioner_id")
            contact = text(lead_practitioner_contact) or contact_of(lp)
            if not contact:
                raise ValidationError(N_("Record the lead practitioner's contact details."),
                                      field="lead_practitioner_contact")
        escalate = not lead_practitioner_id and not current_holder(store, case_id, LEAD_PRACTITIONER)
        if escalate and not text(no_lead_reason):
            raise ValidationError(
                N_("No lead practitioner is named: record why one could not be identified. The senior manager"
                   " will be told at once."),
                field="no_lead_reason",
            )
        every, unit = _frequency(visit_every, visit_unit)
        adv_type = None
        if advocate_offered:
            if advocate_type not in ADVOCATE_TYPES:
                raise ValidationError(N_("Choose the kind of advocate offered."), field="advocate_type")
            if imca_required and advocate_type != "imca":
                raise ValidationError(
                    N_("An IMCA is required for this adult: offer an Independent Mental Capacity Advocate."),
                    field="advocate_type",
                )
            if advocate_response not in ("awaiting", "accepted", "declined"):
                raise ValidationError(N_("Record the adult's answer to the offer of an advocate."),
                                      field="advocate_response")
            adv_type = advocate_type
        else:
            if imca_required:
                raise ValidationError(
                    N_("An IMCA is required for this adult: offer an Independent Mental Capacity Advocate."),
                    field="advocate_offered",
                )
            required_text(advocacy_note, "advocacy_note", N_(
                "The strategy group should offer an advocate: record the offer, or why none was offered."))

        def write(tx: Tx) -> dict[str, Any]:
            check_amends(tx, "adult_strategy", amends_id, case_id)
            person = adult_id(tx, case_id)
            row = tx.insert(
                "adult_strategy",
                {
                    "person_id": person,
                    "enquiry_id": enquiry_id,
                    "kind": kind,
                    "initial": int(bool(initial)),
                    "held_on": held.isoformat(),
                    "chair_id": chair,
                    "decisions": decisions,
                    "consent_checked": text(consent_checked) or None,
                    "liaison": text(liaison) or None,
                    "lead_practitioner_id": lead_practitioner_id,
                    "lead_practitioner_contact": contact,
                    "no_lead_reason": text(no_lead_reason) or None if not lead_practitioner_id else None,
                    "visit_every": every,
                    "visit_unit": unit,
                    "advocate_offered": int(bool(advocate_offered)),
                    "imca_required": int(bool(imca_required)),
                    "imca_considered": text(advocacy_note) or None,
                    "amends_id": amends_id,
                },
                case_id=case_id,
            )
            member_rows = [
                tx.insert(
                    "adult_strategy_member",
                    {"strategy_id": row["id"], "agency_id": m["agency_id"], "practitioner_id": m.get("practitioner_id"),
                     "name": text(m.get("name")) or None, "role": text(m.get("role")) or None},
                    case_id=case_id,
                )
                for m in members
            ]
            if lead_practitioner_id:
                assign_role(tx, case_id, LEAD_PRACTITIONER, lead_practitioner_id, person, held.isoformat(),
                            "strategy_meeting")
            advocacy = None
            if adv_type:
                advocacy = tx.insert(
                    "adult_advocacy",
                    {"person_id": person, "strategy_id": row["id"], "advocate_type": adv_type,
                     "offered_on": held.isoformat(), "response": advocate_response,
                     "response_on": None if advocate_response == "awaiting" else held.isoformat(),
                     "provider": text(advocate_provider) or None},
                    case_id=case_id,
                )
            escalation, letters = None, []
            if escalate:
                escalation = raise_task(tx, case_id=case_id, kind="no_lead_practitioner", reason=NO_LEAD_REASON,
                                        to_role=Role.SENIOR_MANAGER, person_id=person, raised_on=today.isoformat())
                coordinator = practitioner_name(practitioner_row(tx, acting_lead_coordinator(tx, case_id) or chair))
                data = {**adult_facts_for_letter(tx, person), "lead_coordinator": coordinator,
                        "meeting_date": held.isoformat(), "no_lead_reason": text(no_lead_reason),
                        "audience": "senior_manager", "template_file": N4_FILE,
                        "escalation_id": escalation["id"]}
                letters = [
                    queue_letter(tx, case_id=case_id, template_id=N4, recipient_kind="practitioner",
                                 recipient_id=manager, data=data, source_event=f"adult_strategy:{row['id']}")
                    for manager in senior_managers(tx)
                ]
            return {**row, "members": member_rows, "advocacy": advocacy, "escalation": escalation, "letters": letters}

        return self.session.write(write)

    def for_case(self, case_id: str) -> list[dict[str, Any]]:
        """Current strategy records (corrections replace what they correct), newest first."""
        adult_case(self.session, case_id, write=False, read="adult_strategy")
        return self.session.store.rows(
            f"SELECT x.* FROM adult_strategy x WHERE x.case_id = ? AND x.deleted = 0"
            f" AND {latest_not_amended('adult_strategy')} ORDER BY x.held_on DESC, x.created_at DESC",
            [case_id],
        )

    def members(self, strategy_id: str) -> list[dict[str, Any]]:
        """The members of one strategy meeting (role, scope and case type checked as for ``for_case``)."""
        owner = self.session.store.rows("SELECT case_id FROM adult_strategy WHERE id = ? AND deleted = 0",
                                        [strategy_id])
        if not owner:
            raise NotFound(N_("That strategy meeting does not exist or is not in your caseload."))
        adult_case(self.session, owner[0]["case_id"], write=False, read="adult_strategy_member")
        return self.session.store.rows(
            "SELECT m.*, a.name AS agency_name FROM adult_strategy_member m JOIN agency a ON a.id = m.agency_id"
            " WHERE m.strategy_id = ? AND m.deleted = 0 ORDER BY m.created_at",
            [strategy_id],
        )


def _frequency(every: int | None, unit: str | None) -> tuple[int | None, str | None]:
    """Validate a strategy-group frequency: stricter than (or equal to) A4 only."""
    if every in (None, "", 0) and not unit:
        return None, None
    rule = default_engine().rules.get("A4")
    try:
        offset, unit_ok = validate_case_override(rule, int(every) if every not in (None, "") else -1, unit or "")
    except (RuleError, ValueError, TypeError) as exc:
        raise ValidationError(N_("Enter how often the adult is to be seen, as a number and a unit."),
                              field="visit_every") from exc
    if offset == 0 or offset * _APPROX_DAYS[unit_ok] > rule.offset * _APPROX_DAYS[rule.unit]:
        raise ValidationError(
            N_("The strategy group can only make the timescale for seeing the adult alone more frequent than the"
               " procedures' minimum, never less frequent."),
            field="visit_every",
        )
    return offset, unit_ok
