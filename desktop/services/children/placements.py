"""Placements of looked-after children (SI 2015/1818 Part 3): where the child lives, with whom, from
when to when, and why each move happened (Qt-free).

``PlacementService(session)`` — writes need ``Can.RECORD_CASEWORK``, reads ``Can.VIEW_CASEWORK``;
scope-checked; ONE transaction per call. Refusals raise ``ValidationError`` (nothing written).

* ``add(case_id, person_id, *, placement_type, start_on, line1, country="GB", ...)`` — a placement
  anywhere: in county, out of county, elsewhere in the UK or abroad (``country`` is an ISO 3166-1
  alpha-2 code; UK postcodes are checked only for ``GB``). A carer or provider name is required. The
  child must be looked after on ``start_on``. Refused when it overlaps another placement of the same
  child: placements are half-open ``[start_on, end_on)``, so a move on day D ends one placement on D
  and starts the next on D; the refusal names the other placement's carer and dates.
* ``move(case_id, person_id, *, on, reason, reason_note=None, **new_placement)`` — ends the current
  placement on ``on`` with the reason for the move and starts the new one, in one transaction.
* ``end(placement_id, *, end_on, reason, note=None)``.
* ``record_plan(placement_id, *, prepared_on, signed_on=None, signed_by=None, iro_informed_on=None)`` —
  the placement plan (L2). A plan marked signed must name the appropriate person who signed it (and a
  signatory needs the date signed). L2 counts the plan from the date it was signed.
* ``record_reg20(placement_id, *, assessed_on=None, decided_on=None)`` — placement with parents before
  assessment (L6).
* ``history(case_id, person_id)`` — every placement, newest first, with ``days`` and moves counted.

Placement type codes: :data:`~desktop.services.children._common.PLACEMENT_TYPES`; move reasons:
:data:`~desktop.services.children._common.MOVE_REASONS`.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from desktop.domain.validation import UK_POSTCODE
from desktop.errors import NotFound, ValidationError
from desktop.i18n import N_, format_date, format_message
from desktop.services.children._common import (
    MOVE_REASONS,
    PLACEMENT_TYPES,
    iso,
    past_date,
    require_child,
    text,
)
from desktop.services.children.looked_after import open_episode
from desktop.services.permissions import Can
from desktop.services.reads import note_read
from desktop.services.scope import require_case
from desktop.store import Tx

COUNTRY = re.compile(r"^[A-Z]{2}$")
PLACEMENT_FIELDS = frozenset({
    "placement_type", "start_on", "carer_name", "provider_name", "provider_agency_id", "line1", "line2", "town",
    "county", "postcode", "country", "host_authority", "out_of_county", "panel_approved_on", "intended_until_18",
    "permanent_home", "reg20", "reg26", "short_break", "end_on", "end_reason", "end_note",
})


class PlacementService:
    def __init__(self, session: Any) -> None:
        self.session = session

    def _placement(self, placement_id: str) -> dict[str, Any]:
        rows = self.session.store.rows("SELECT * FROM lac_placement WHERE id = ? AND deleted = 0", [placement_id])
        if not rows:
            raise NotFound(N_("That record does not exist or is not in your caseload."))
        require_case(self.session, rows[0]["case_id"])
        return rows[0]

    # -- validation ---------------------------------------------------------------------------
    def _clean(self, values: dict[str, Any]) -> dict[str, Any]:
        unknown = set(values) - PLACEMENT_FIELDS
        if unknown:
            raise ValueError(f"unknown placement fields {sorted(unknown)}")
        today = self.session.today()
        if values.get("placement_type") not in PLACEMENT_TYPES:
            raise ValidationError(N_("Choose the type of placement."), field="placement_type")
        start = past_date(values.get("start_on"), "start_on", today)
        carer, provider = text(values.get("carer_name")), text(values.get("provider_name"))
        if not carer and not provider:
            raise ValidationError(N_("Enter the carer or the provider of the placement."), field="carer_name")
        line1 = text(values.get("line1"))
        if not line1:
            raise ValidationError(N_("Enter the first line of the placement address."), field="line1")
        country = text(values.get("country") or "GB").upper()
        if country == "UK":
            country = "GB"
        if not COUNTRY.match(country):
            raise ValidationError(N_("Choose the country of the placement."), field="country")
        postcode = text(values.get("postcode")).upper() or None
        if country == "GB" and postcode and not UK_POSTCODE.match(postcode):
            raise ValidationError(N_("Enter a UK postcode like SA1 1AA."), field="postcode")
        panel = past_date(values.get("panel_approved_on"), "panel_approved_on", today, required=False)
        out_of_county = bool(values.get("out_of_county")) or country != "GB"
        end = past_date(values.get("end_on"), "end_on", today, required=False)
        if end is not None:
            if start is not None and end < start:
                raise ValidationError(N_("The placement cannot end before it started."), field="end_on")
            if values.get("end_reason") not in MOVE_REASONS:
                raise ValidationError(N_("Choose the reason the placement ended."), field="end_reason")
        return {
            "end_on": iso(end), "end_reason": values.get("end_reason") if end else None,
            "end_note": text(values.get("end_note")) or None,
            "placement_type": values["placement_type"], "start_on": iso(start), "carer_name": carer or None,
            "provider_name": provider or None, "provider_agency_id": values.get("provider_agency_id"),
            "line1": line1, "line2": text(values.get("line2")) or None, "town": text(values.get("town")) or None,
            "county": text(values.get("county")) or None, "postcode": postcode, "country": country,
            "host_authority": text(values.get("host_authority")) or None, "out_of_county": int(out_of_county),
            "panel_approved_on": iso(panel), "intended_until_18": int(bool(values.get("intended_until_18"))),
            "permanent_home": int(bool(values.get("permanent_home"))), "reg20": int(bool(values.get("reg20"))),
            "reg26": int(bool(values.get("reg26"))),
            # A series of short breaks (SI 2015/1818 reg 62): the regulations apply with modifications.
            "short_break": int(bool(values.get("short_break"))),
        }

    def _insert(self, tx: Tx, case_id: str, person_id: str, clean: dict[str, Any]) -> dict[str, Any]:
        """Checks that need the transaction (episode, overlaps), then the insert."""
        episode = open_episode(tx, person_id)
        if episode is None:
            raise ValidationError(N_("This child is not looked after: record when they became looked after first."),
                                  field="person_id")
        if clean["start_on"] < episode["started_on"]:
            raise ValidationError(N_("The placement starts before the child became looked after."), field="start_on")
        clash = overlapping(tx, person_id, clean["start_on"], clean["end_on"])
        if clash is not None:
            raise overlap_error(clash)
        return tx.insert("lac_placement", {**clean, "person_id": person_id, "episode_id": episode["id"]},
                         case_id=case_id)

    # -- writing ------------------------------------------------------------------------------
    def add(self, case_id: str, person_id: str, **values: Any) -> dict[str, Any]:
        """A new placement (see the module docstring for the fields and refusals)."""
        self.session.require(Can.RECORD_CASEWORK)
        require_child(self.session, case_id, person_id)
        clean = self._clean(values)
        return self.session.write(lambda tx: self._insert(tx, case_id, person_id, clean))

    def move(self, case_id: str, person_id: str, *, on: str, reason: str, reason_note: str | None = None,
             **new_placement: Any) -> dict[str, Any]:
        """End the current placement on ``on`` for ``reason`` and start the new one that day."""
        self.session.require(Can.RECORD_CASEWORK)
        require_child(self.session, case_id, person_id)
        if reason not in MOVE_REASONS:
            raise ValidationError(N_("Choose the reason for the move."), field="reason")
        clean = self._clean({**new_placement, "start_on": on})
        if clean["end_on"]:
            raise ValidationError(N_("A move starts the new placement; record its end later."), field="end_on")

        def write(tx: Tx) -> dict[str, Any]:
            current = tx.query("SELECT * FROM lac_placement WHERE person_id = ? AND end_on IS NULL AND deleted = 0"
                               " ORDER BY start_on DESC LIMIT 1", [person_id])
            if not current:
                raise ValidationError(N_("The child has no current placement to move from."), field="person_id")
            if current[0]["start_on"] > clean["start_on"]:
                raise ValidationError(N_("The move is dated before the current placement started."), field="on")
            tx.update("lac_placement", current[0]["id"], {"end_on": clean["start_on"], "end_reason": reason,
                                                          "end_note": text(reason_note) or None})
            return self._insert(tx, case_id, person_id, clean)

        return self.session.write(write)

    def end(self, placement_id: str, *, end_on: str, reason: str, note: str | None = None) -> dict[str, Any]:
        self.session.require(Can.RECORD_CASEWORK)
        placement = self._placement(placement_id)
        if placement["end_on"]:
            raise ValidationError(N_("This placement has already ended."), field="end_on")
        if reason not in MOVE_REASONS:
            raise ValidationError(N_("Choose the reason the placement ended."), field="reason")
        end = past_date(end_on, "end_on", self.session.today())
        if iso(end) < placement["start_on"]:
            raise ValidationError(N_("The placement cannot end before it started."), field="end_on")
        return self.session.write(lambda tx: tx.update(
            "lac_placement", placement_id, {"end_on": iso(end), "end_reason": reason, "end_note": text(note) or None}))

    def record_plan(
        self,
        placement_id: str,
        *,
        prepared_on: str,
        signed_on: str | None = None,
        signed_by: str | None = None,
        iro_informed_on: str | None = None,
    ) -> dict[str, Any]:
        """The placement plan (reg 10). Refused: marked signed with no signatory, a signatory with no
        date signed, signed before it was prepared, any date in the future."""
        self.session.require(Can.RECORD_CASEWORK)
        self._placement(placement_id)
        today = self.session.today()
        prepared = past_date(prepared_on, "prepared_on", today)
        signed = past_date(signed_on, "signed_on", today, required=False)
        informed = past_date(iro_informed_on, "iro_informed_on", today, required=False)
        signatory = text(signed_by)
        if signed is not None and not signatory:
            raise ValidationError(
                N_("A signed placement plan must name the appropriate person who signed it."), field="signed_by")
        if signatory and signed is None:
            raise ValidationError(N_("Enter the date the placement plan was signed."), field="signed_on")
        if signed is not None and prepared is not None and signed < prepared:
            raise ValidationError(N_("The plan cannot be signed before it was prepared."), field="signed_on")
        changes = {"plan_prepared_on": iso(prepared), "plan_signed_on": iso(signed),
                   "plan_signed_by": signatory or None, "iro_informed_on": iso(informed)}
        return self.session.write(lambda tx: tx.update("lac_placement", placement_id, changes))

    def record_reg20(self, placement_id: str, *, assessed_on: str | None = None,
                     decided_on: str | None = None) -> dict[str, Any]:
        self.session.require(Can.RECORD_CASEWORK)
        placement = self._placement(placement_id)
        today = self.session.today()
        assessed = past_date(assessed_on, "assessed_on", today, required=False)
        decided = past_date(decided_on, "decided_on", today, required=False)
        if decided and not (assessed or placement["reg20_assessed_on"]):
            raise ValidationError(N_("Record the assessment before the decision."), field="decided_on")
        changes: dict[str, Any] = {}
        if assessed:
            changes["reg20_assessed_on"] = iso(assessed)
        if decided:
            changes["reg20_decided_on"] = iso(decided)
        return self.session.write(lambda tx: tx.update("lac_placement", placement_id, changes))

    # -- reading ------------------------------------------------------------------------------
    def history(self, case_id: str, person_id: str) -> list[dict[str, Any]]:
        """Every placement of the child, newest first; each with ``days`` (to today when open)."""
        self.session.require(Can.VIEW_CASEWORK)
        require_child(self.session, case_id, person_id)
        note_read(self.session, case_id, "lac_placement", person_id)
        today = self.session.today()
        rows = self.session.store.rows(
            "SELECT * FROM lac_placement WHERE person_id = ? AND deleted = 0 ORDER BY start_on DESC", [person_id])
        for r in rows:
            end = date.fromisoformat(r["end_on"]) if r["end_on"] else today
            r["days"] = (end - date.fromisoformat(r["start_on"])).days
        return rows


def overlapping(tx: Tx, person_id: str, start_on: str, end_on: str | None,
                exclude_id: str | None = None) -> dict[str, Any] | None:
    """Another placement of the child overlapping ``[start_on, end_on)`` (``end_on`` None = open)."""
    rows = tx.query(
        "SELECT * FROM lac_placement WHERE person_id = ? AND deleted = 0 AND id != ?"
        " AND (end_on IS NULL OR end_on > ?) AND (? IS NULL OR start_on < ?) ORDER BY start_on LIMIT 1",
        [person_id, exclude_id or "", start_on, end_on, end_on],
    )
    return rows[0] if rows else None


class DatedValidationError(ValidationError):
    """A validation error whose date parameters are formatted in the reader's language when shown."""

    def message(self, lang: str | None = None) -> str:
        params = {k: format_date(v, lang=lang) if isinstance(v, date) else v for k, v in self.params.items()}
        return format_message(self.msgid, params, lang)


def overlap_error(clash: dict[str, Any]) -> ValidationError:
    who = clash["carer_name"] or clash["provider_name"] or ""
    start = date.fromisoformat(clash["start_on"])
    if clash["end_on"]:
        return DatedValidationError(
            N_("This placement overlaps the placement with {carer} from {start} to {end}. Check the dates."),
            field="start_on", carer=who, start=start, end=date.fromisoformat(clash["end_on"]),
        )
    return DatedValidationError(
        N_("This placement overlaps the current placement with {carer} (since {start}). End that placement or"
           " record a move instead."),
        field="start_on", carer=who, start=start,
    )
