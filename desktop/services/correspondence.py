"""Queueing letters and raising escalations from inside casework transactions (Qt-free).

Casework calls :func:`queue_letter` and :func:`raise_escalation` with the ``Tx`` it already
holds, so a decision and the letters it obliges commit together. The letter's language is the
recipient's recorded preference (Welsh Language Standards): "cy" → Welsh, "en" → English,
anything else (unknown, bilingual) → a bilingual letter, Welsh first.
"""

from __future__ import annotations

import json
from typing import Any

from desktop.store import Tx

RECIPIENT_TABLES = {"person": "person", "agency": "agency", "practitioner": "practitioner"}

CIRCULARS = frozenset({"N6", "N8", "N9", "N11", "N12"})
"""Notifications that go as the same correspondence to several people (the conference's invitees,
the core group). Welsh Language Standard 4: the Welsh version goes at the same time as the
English, so a recipient who prefers English still gets a bilingual letter (Welsh first)."""


def letter_language(preference: str | None, *, circular: bool = False) -> str:
    """The language a letter is produced in for a recorded preference (Standards 2, 4 and 5)."""
    if preference == "cy":
        return "cy"
    if preference == "en" and not circular:
        return "en"
    return "bilingual"


def recipient(tx: Tx, kind: str, recipient_id: str) -> dict[str, Any]:
    """Name, language preference and current address of a letter's recipient. A practitioner's language
    is their own recorded one (m0026); ``unknown`` gives a bilingual letter."""
    table = RECIPIENT_TABLES[kind]
    row = tx.get(table, recipient_id)
    if row is None:
        raise ValueError(f"no {kind} {recipient_id}")
    if kind == "agency":
        return {"name": row["name"], "name_cy": row.get("name_cy"), "preference": row["correspondence_language"],
                "address": row.get("address")}
    name = " ".join(x for x in (row.get("given_names"), row.get("family_name")) if x)
    address = None
    if kind == "person":
        current = tx.query(
            "SELECT line1, line2, town, county, postcode, country FROM address WHERE person_id = ? AND deleted = 0"
            " AND to_date IS NULL ORDER BY COALESCE(from_date, '') DESC LIMIT 1",
            [recipient_id],
        )
        if current:
            a = current[0]
            address = "\n".join(str(a[k]) for k in ("line1", "line2", "town", "county", "postcode") if a.get(k))
            if a.get("country") and a["country"] != "GB":
                address += "\n" + a["country"]
    preference = row.get("correspondence_language") or "unknown"
    if kind == "practitioner" and row.get("agency_id"):
        # Practitioners are written to at their agency (a social worker at the council's office), in their
        # own recorded language: the agency's is for letters to the agency.
        agency = tx.get("agency", row["agency_id"])
        address = agency.get("address") if agency else None
    return {"name": name, "preference": preference, "address": address}


def queue_letter(
    tx: Tx,
    *,
    case_id: str | None,
    template_id: str,
    recipient_kind: str,
    recipient_id: str,
    data: dict[str, Any],
    source_event: str | None = None,
) -> dict[str, Any]:
    """Queue one letter for admin staff. A recipient with no address is queued as ``held``
    with the reason, so it cannot be printed until the address is recorded."""
    who = recipient(tx, recipient_kind, recipient_id)
    held = not who["address"]
    circular = template_id in CIRCULARS or bool(data.get("circular"))
    return tx.insert(
        "letter",
        {
            "template_id": template_id,
            "recipient_kind": recipient_kind,
            "recipient_id": recipient_id,
            "recipient_name": who["name"],
            "language": letter_language(who["preference"], circular=circular),
            "data": json.dumps({**data, "recipient_address": who["address"], "circular": circular},
                               ensure_ascii=False, default=str),
            "status": "held" if held else "queued",
            "held_reason": "no_address" if held else None,
            "source_event": source_event,
        },
        case_id=case_id,
    )


def staff_with_role(tx: Tx, role: str) -> list[str]:
    """Active Diogel users with ``role`` (e.g. every senior manager responsible for safeguarding)."""
    return [r["id"] for r in tx.query(
        "SELECT id FROM practitioner WHERE deleted = 0 AND active = 1 AND app_role = ? ORDER BY family_name, given_names",
        [role])]
