"""Strategy discussions and meetings (WSP c3pt1-p8) and the section 47 enquiries they start.

``StrategyService(session).record(case_id, *, kind, held_on, participants, decisions, initiate_s47, ...)``
writes one append-only ``cp_strategy`` row, a ``cp_strategy_participant`` row per participant, and,
when s47 enquiries start, one ``cp_enquiry`` row per child (started the day of the discussion) — all in
one transaction. ``amends_id`` makes the record a correction of an earlier one.

Refused (``ValidationError``, nothing written): held in the future; a participant's agency unknown;
no police participant or no social services participant ("police and social services at least");
a departure from the timescale without its reason, or agreed by someone who is not a senior manager.
"""

from __future__ import annotations

from typing import Any

from desktop.domain.types import Role
from desktop.errors import ValidationError
from desktop.i18n import N_
from desktop.services.child_protection._common import (
    POLICE_TYPES,
    SOCIAL_SERVICES_TYPES,
    check_children,
    dumps,
    required_date,
    text,
)
from desktop.services.permissions import Can
from desktop.services.reads import read_casework
from desktop.services.scope import require_case
from desktop.store import Tx


class StrategyService:
    def __init__(self, session: Any) -> None:
        self.session = session

    def record(
        self,
        case_id: str,
        *,
        kind: str,
        held_on: str,
        participants: list[dict[str, Any]],
        decisions: str,
        initiate_s47: bool,
        child_ids: list[str] | None = None,
        chair_id: str | None = None,
        report_id: str | None = None,
        interim_safeguards: str | None = None,
        departure_reason: str | None = None,
        departure_agreed_by: str | None = None,
        lead_worker_id: str | None = None,
        amends_id: str | None = None,
    ) -> dict[str, Any]:
        """Returns the strategy row with ``participants`` and ``enquiries`` (lists of rows)."""
        self.session.require(Can.RECORD_CASEWORK)
        require_case(self.session, case_id)
        children = check_children(self.session, case_id, child_ids)
        if kind not in ("discussion", "meeting"):
            raise ValidationError(N_("Choose a strategy discussion or a strategy meeting."), field="kind")
        held = required_date(held_on, "held_on", self.session.today())
        if not text(decisions):
            raise ValidationError(N_("Record the decisions of the strategy discussion."), field="decisions")
        store = self.session.store
        types: list[str] = []
        for p in participants:
            agency = store.rows("SELECT agency_type FROM agency WHERE id = ? AND deleted = 0", [p.get("agency_id")])
            if not agency:
                raise ValidationError(N_("Choose the agency of each participant."), field="participants")
            types.append(agency[0]["agency_type"])
        if not POLICE_TYPES & set(types):
            raise ValidationError(
                N_("A strategy discussion needs the police taking part; add a police participant."),
                field="participants",
            )
        if not SOCIAL_SERVICES_TYPES & set(types):
            raise ValidationError(
                N_("A strategy discussion needs social services taking part; add a social services participant."),
                field="participants",
            )
        if departure_agreed_by and not text(departure_reason):
            raise ValidationError(N_("Record the reason for departing from the timescale."), field="departure_reason")
        if text(departure_reason):
            if not departure_agreed_by:
                raise ValidationError(
                    N_("Record the senior manager who agreed the departure from the timescale."),
                    field="departure_agreed_by",
                )
            agreed = store.rows("SELECT app_role FROM practitioner WHERE id = ? AND deleted = 0", [departure_agreed_by])
            if not agreed or agreed[0]["app_role"] != Role.SENIOR_MANAGER:
                raise ValidationError(
                    N_("Only a senior manager can agree a departure from the timescale."), field="departure_agreed_by"
                )

        def write(tx: Tx) -> dict[str, Any]:
            row = tx.insert(
                "cp_strategy",
                {
                    "report_id": report_id,
                    "child_ids": dumps(children),
                    "kind": kind,
                    "held_on": held.isoformat(),
                    "chair_id": chair_id or self.session.user.id,
                    "initiate_s47": int(bool(initiate_s47)),
                    "decisions": text(decisions),
                    "interim_safeguards": text(interim_safeguards) or None,
                    "departure_reason": text(departure_reason) or None,
                    "departure_agreed_by": departure_agreed_by if text(departure_reason) else None,
                    "amends_id": amends_id,
                },
                case_id=case_id,
            )
            parts = [
                tx.insert(
                    "cp_strategy_participant",
                    {"strategy_id": row["id"], "agency_id": p["agency_id"], "agency_type": t,
                     "practitioner_id": p.get("practitioner_id"), "name": text(p.get("name")) or None},
                    case_id=case_id,
                )
                for p, t in zip(participants, types, strict=True)
            ]
            enquiries = []
            if initiate_s47:
                for child in children:
                    open_ = tx.query(
                        "SELECT id FROM cp_enquiry WHERE person_id = ? AND deleted = 0 AND determination IS NULL",
                        [child],
                    )
                    if open_:  # a later discussion does not start a second enquiry for the same child
                        continue
                    enquiries.append(tx.insert(
                        "cp_enquiry",
                        {"person_id": child, "strategy_id": row["id"], "started_on": held.isoformat(),
                         "lead_worker_id": lead_worker_id or self.session.user.id},
                        case_id=case_id,
                    ))
            return {**row, "participants": parts, "enquiries": enquiries}

        return self.session.write(write)

    def for_case(self, case_id: str) -> list[dict[str, Any]]:
        read_casework(self.session, case_id, "cp_strategy")
        return self.session.store.rows(
            "SELECT s.* FROM cp_strategy s WHERE s.case_id = ? AND s.deleted = 0"
            " AND NOT EXISTS (SELECT 1 FROM cp_strategy a WHERE a.amends_id = s.id) ORDER BY s.held_on DESC",
            [case_id],
        )
