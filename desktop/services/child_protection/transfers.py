"""Transfers between local authorities of children on a child protection register (WSP s4 c4-p10)
(Qt-free; one short transaction per call).

Out of the area: a registered child's family moves to another authority. The move is recorded when we
are told (``move_out``); written information must reach the receiving authority within 3 days of that
notification (C17, ``information_sent``); the child stays on our register until the receiving
authority's transfer-in conference, when our entry ends with the reason ``transferred``
(``transferred_out``: through the register's own change path, so the history, the co-ordinator role
and the case type follow).

Into the area: a child on another authority's register comes to live here (``move_in``). A temporary
stay that passes 12 weeks needs a transfer-in conference (C18); once the move is agreed to be permanent
(``agree_permanent``; a move notified as permanent is agreed that day) the conference is held within 15
working days (C19, ``conference_held`` with its outcome). The timescales are rules C17–C19; none is
checked here.

Refused with a reason: a move out for a child not on the register; a second open transfer in the same
direction for a child; a date before the notification or in the future; a step that does not belong
to the transfer's direction or a transfer already closed.

The written information itself (N7) is made here too: ``information_pack`` reads what the pack says
(:mod:`.transfer_pack`; an audited casework read) and ``send_information_pack`` renders it as one PDF
(:mod:`reports.transfer_pack`), hands it to ``deliver`` (the form saves it) and then, in one transaction,
records it in the case's correspondence (a printed ``letter`` row, code N7, with the PDF and a
``letter_printed`` audit entry carrying its hash, as the print queue records a letter) and C17's
``information_sent_on`` (the first sending; a later pack is kept as correspondence), keeping the
authority's name, address and language as the pack had them (``other_la_address``, ``other_la_language``,
laptop m0033; the address may also be given on the move out) for the next pack. The receiving
authority is no agency of ours (no reference row), so the letter row names it by name and address, as
an ``agency`` recipient whose id is the transfer's. Refused: no authority or address, an unknown
language, a transfer closed or going the other way, and a Welsh or bilingual pack that would quote a
text only in English ("Needs Welsh text", as the print queue holds a letter).

``TransferService(session)``: ``move_out``, ``information_sent``, ``information_pack``,
``send_information_pack``, ``transferred_out``, ``move_in``, ``agree_permanent``, ``conference_held``,
``close`` (ended without a conference, with the reason), ``for_case``, ``open_for_case``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from desktop.errors import NotFound, ValidationError
from desktop.i18n import N_
from desktop.services.child_protection._common import active_entry, required_date, text
from desktop.services.child_protection.register import change_entry
from desktop.services.child_protection.transfer_pack import LANGUAGES, PackRead, read_pack
from desktop.services.permissions import Can
from desktop.services.reads import read_casework
from desktop.services.scope import require_case
from desktop.services.welsh_text import what_text
from desktop.store import Tx

OUTCOMES = {"registered": N_("Registered here"), "not_registered": N_("Not registered here")}


def _lines(text: str | None) -> list[str]:
    """An address typed in a box: its non-blank lines, trimmed."""
    return [line.strip() for line in (text or "").replace("\r", "").split("\n") if line.strip()]


@dataclass(frozen=True)
class SentPack:
    """The information pack as sent: its correspondence entry (``letter_id``), the PDF, the day."""

    letter_id: str
    pdf: bytes
    sent_on: str


class TransferService:
    def __init__(self, session: Any) -> None:
        self.session = session

    # -- helpers ------------------------------------------------------------------------------
    def _today(self) -> date:
        return self.session.today()

    def _child(self, case_id: str, person_id: str) -> None:
        self.session.require(Can.RECORD_CASEWORK)
        require_case(self.session, case_id)
        if not self.session.store.rows("SELECT 1 FROM case_member WHERE case_id = ? AND person_id = ? AND role ="
                                       " 'subject' AND deleted = 0", [case_id, person_id]):
            raise ValidationError(N_("Choose a child who is a subject of this case."), field="person_id")

    def _open(self, transfer_id: str, direction: str | None) -> dict[str, Any]:
        """The open transfer (``direction`` ``None``: either way), in scope; refusals otherwise."""
        self.session.require(Can.RECORD_CASEWORK)
        rows = self.session.store.rows("SELECT * FROM cp_transfer WHERE id = ? AND deleted = 0", [transfer_id])
        if not rows:
            raise NotFound(N_("That transfer does not exist."))
        row = rows[0]
        require_case(self.session, row["case_id"])
        if direction is not None and row["direction"] != direction:
            raise ValidationError(N_("That step belongs to a transfer the other way."), field="transfer_id")
        if row["closed_on"]:
            raise ValidationError(N_("This transfer is finished."), field="transfer_id")
        return row

    def _optional_date(self, value: str | None, field: str) -> str | None:
        return required_date(value, field, self._today(), future_ok=True).isoformat() if value else None

    def _after_notice(self, value: str | None, field: str, transfer: dict[str, Any]) -> str:
        day = required_date(value, field, self._today()).isoformat()
        if day < transfer["notified_on"]:
            raise ValidationError(N_("The date is before the move was notified."), field=field)
        return day

    def _start(self, case_id: str, person_id: str, direction: str, values: dict[str, Any]) -> dict[str, Any]:
        def write(tx: Tx) -> dict[str, Any]:
            if direction == "out" and active_entry(tx, person_id) is None:
                raise ValidationError(N_("Only a child on the child protection register is transferred."),
                                      field="person_id")
            if tx.query("SELECT 1 FROM cp_transfer WHERE person_id = ? AND direction = ? AND closed_on IS NULL"
                        " AND deleted = 0", [person_id, direction]):
                raise ValidationError(N_("A transfer is already open for this child."), field="person_id")
            return tx.insert("cp_transfer", {"person_id": person_id, "direction": direction, **values},
                             case_id=case_id)

        return self.session.write(write)

    # -- out of the area ------------------------------------------------------------------------
    def move_out(self, case_id: str, person_id: str, *, notified_on: str, receiving_la: str,
                 permanent: bool = True, new_address: str | None = None, expected_until: str | None = None,
                 notes: str | None = None, receiving_address: str | None = None) -> dict[str, Any]:
        """We were told on ``notified_on`` that the registered child is moving to ``receiving_la`` (its postal
        address ``receiving_address``, for the information pack, if known)."""
        self._child(case_id, person_id)
        day = required_date(notified_on, "notified_on", self._today()).isoformat()
        if not text(receiving_la):
            raise ValidationError(N_("Enter the receiving local authority."), field="other_la")
        return self._start(case_id, person_id, "out", {
            "notified_on": day, "other_la": text(receiving_la), "permanent": int(bool(permanent)),
            "other_la_address": "\n".join(_lines(receiving_address)) or None,
            "new_address": text(new_address) or None,
            "expected_until": self._optional_date(expected_until, "expected_until"),
            "notes": text(notes) or None})

    def information_sent(self, transfer_id: str, *, sent_on: str) -> dict[str, Any]:
        """C17: the written information reached the receiving authority on ``sent_on``."""
        row = self._open(transfer_id, "out")
        day = self._after_notice(sent_on, "on_date", row)
        return self.session.write(lambda tx: tx.update("cp_transfer", transfer_id, {"information_sent_on": day}))

    def information_pack(self, transfer_id: str, *, authority: str, address: str, language: str) -> PackRead:
        """What the pack for the open transfer out ``transfer_id`` says, addressed to ``authority`` at
        ``address`` (lines) in ``language`` ("cy", "en", "bilingual"); refused as the module says. The
        read is audited as every casework read."""
        row = self._open(transfer_id, "out")
        if not text(authority):
            raise ValidationError(N_("Enter the receiving local authority."), field="other_la")
        lines = _lines(address)
        if not lines:
            raise ValidationError(N_("Enter the receiving authority's postal address."), field="address")
        if language not in LANGUAGES:
            raise ValidationError(N_("Choose the language of the pack."), field="language")
        case = read_casework(self.session, row["case_id"], "cp_transfer_pack", transfer_id)
        read = read_pack(self.session.store.rows, row, authority=text(authority), address=lines, language=language,
                         made_on=self._today(), reference=case["reference"], signer=self.session.user)
        missing = read.needs_welsh()
        if missing:
            raise ValidationError(
                N_("The pack cannot be made in Welsh yet: only in English so far: {what}. Add the Welsh to the"
                   " record, or choose English."), field="language", what=what_text(missing.split(":", 1)[1], None))
        return read

    def send_information_pack(self, transfer_id: str, *, authority: str, address: str, language: str,
                              sent_on: str, deliver: Callable[[bytes], None] | None = None) -> SentPack:
        """C17 and N7: the pack (see :meth:`information_pack`) as one PDF, handed to ``deliver`` (saved or
        printed; it raising records nothing), then recorded as sent on ``sent_on`` with its correspondence
        entry, in one transaction."""
        row = self._open(transfer_id, "out")
        read = self.information_pack(transfer_id, authority=authority, address=address, language=language)
        day = self._after_notice(sent_on, "on_date", row)
        # ReportLab (and the letters service, which draws with it) only when a pack is made: the first
        # window imports this module through My work's providers.
        from desktop.services.letters import _record_printed, load_council
        from reports.batch import RENDER_LOCK
        from reports.transfer_pack import render_transfer_pack

        council = load_council(self.session.profile.folder if self.session.profile else None)

        with RENDER_LOCK:
            pdf = render_transfer_pack(read.pack, council)
        if deliver is not None:
            deliver(pdf)
        pack = read.pack

        def write(tx: Tx) -> str:
            current = tx.get("cp_transfer", transfer_id)
            if current is None or current["deleted"] or current["closed_on"]:
                raise ValidationError(N_("This transfer is finished."), field="transfer_id")
            letter = tx.insert("letter", {
                "template_id": "N7", "recipient_kind": "agency", "recipient_id": transfer_id,
                "recipient_name": pack.authority, "language": pack.language,
                "data": json.dumps({"recipient_address": "\n".join(pack.authority_address), "sent_on": day,
                                    "transfer_id": transfer_id, "child": pack.child_name}, ensure_ascii=False),
                "status": "queued", "source_event": f"cp_transfer:{transfer_id}"}, case_id=row["case_id"])
            # Printed as the print queue records a letter: the PDF in the row, the audit with its hash.
            _record_printed(tx, letter, pdf, hashlib.sha256(pdf).hexdigest())
            # The authority as the pack addressed it is kept for the next pack (the family's other children).
            changes = {"other_la": pack.authority, "other_la_address": "\n".join(pack.authority_address),
                       "other_la_language": pack.language}
            if not current["information_sent_on"]:
                changes["information_sent_on"] = day
            tx.update("cp_transfer", transfer_id, changes)
            return str(letter["id"])

        return SentPack(self.session.write(write), pdf, day)

    def transferred_out(self, transfer_id: str, *, on: str) -> dict[str, Any]:
        """The receiving authority held its transfer-in conference on ``on``: our register entry ends
        (reason ``transferred``) and the transfer closes, in one transaction."""
        row = self._open(transfer_id, "out")
        day = self._after_notice(on, "on_date", row)

        def write(tx: Tx) -> dict[str, Any]:
            entry = active_entry(tx, row["person_id"])
            if entry is not None:
                change_entry(tx, entry, {"status": "deregistered", "deregistered_on": day,
                                         "deregistration_reason": "transferred",
                                         "deregistration_note": row["other_la"]},
                             "deregistered", day, reason="transferred")
            return tx.update("cp_transfer", transfer_id, {"conference_on": day, "closed_on": day})

        return self.session.write(write)

    # -- into the area --------------------------------------------------------------------------
    def move_in(self, case_id: str, person_id: str, *, notified_on: str, sending_la: str, permanent: bool,
                new_address: str | None = None, expected_until: str | None = None,
                notes: str | None = None, sending_address: str | None = None) -> dict[str, Any]:
        """A child on ``sending_la``'s register (its postal address ``sending_address``, if given) has come to
        live here (notified ``notified_on``); a permanent move is agreed that day (C19 runs from it)."""
        self._child(case_id, person_id)
        day = required_date(notified_on, "notified_on", self._today()).isoformat()
        if not text(sending_la):
            raise ValidationError(N_("Enter the local authority the child comes from."), field="other_la")
        return self._start(case_id, person_id, "in", {
            "notified_on": day, "other_la": text(sending_la), "permanent": int(bool(permanent)),
            "agreed_on": day if permanent else None, "new_address": text(new_address) or None,
            "other_la_address": "\n".join(_lines(sending_address)) or None,
            "expected_until": self._optional_date(expected_until, "expected_until"),
            "notes": text(notes) or None})

    def agree_permanent(self, transfer_id: str, *, agreed_on: str) -> dict[str, Any]:
        """The stay is now agreed to be permanent (or longer than 12 weeks): C19 runs from ``agreed_on``."""
        row = self._open(transfer_id, "in")
        day = self._after_notice(agreed_on, "on_date", row)
        return self.session.write(lambda tx: tx.update("cp_transfer", transfer_id,
                                                       {"agreed_on": day, "permanent": 1}))

    def conference_held(self, transfer_id: str, *, held_on: str, outcome: str) -> dict[str, Any]:
        """Our transfer-in conference (C19) was held; ``outcome`` ``registered``/``not_registered``.
        The transfer closes. Registering the child here is the conference's decision, recorded on the
        register by its custodian."""
        row = self._open(transfer_id, "in")
        day = self._after_notice(held_on, "on_date", row)
        if outcome not in OUTCOMES:
            raise ValidationError(N_("Record the conference's decision."), field="outcome")
        return self.session.write(lambda tx: tx.update(
            "cp_transfer", transfer_id, {"conference_on": day, "outcome": outcome, "closed_on": day}))

    # -- either way ----------------------------------------------------------------------------
    def close(self, transfer_id: str, *, on: str, reason: str) -> dict[str, Any]:
        """The transfer ends without its conference (the family did not move after all, or the child
        has left the area again); ``reason`` says which, in the worker's words."""
        row = self._open(transfer_id, None)
        day = self._after_notice(on, "on_date", row)
        if not text(reason):
            raise ValidationError(N_("Say why the transfer has ended."), field="notes")
        notes = "\n".join(x for x in (row["notes"], text(reason)) if x)
        return self.session.write(
            lambda tx: tx.update("cp_transfer", transfer_id, {"closed_on": day, "notes": notes}))

    # -- reading --------------------------------------------------------------------------------
    def for_case(self, case_id: str) -> list[dict[str, Any]]:
        """Every transfer of the case's children, newest first."""
        read_casework(self.session, case_id, "cp_transfer")
        return self.session.store.rows(
            "SELECT t.*, p.given_names, p.family_name FROM cp_transfer t JOIN person p ON p.id = t.person_id"
            " WHERE t.case_id = ? AND t.deleted = 0 ORDER BY t.notified_on DESC, t.created_at DESC", [case_id])

    def open_for_case(self, case_id: str) -> list[dict[str, Any]]:
        return [t for t in self.for_case(case_id) if not t["closed_on"]]
