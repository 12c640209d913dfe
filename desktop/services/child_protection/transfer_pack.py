"""What the written information pack to a receiving authority says (WSP c4-p10; N7, C17), read from the
store (Qt-free, read-only).

:func:`read_pack` gathers, for one open transfer out, everything :mod:`reports.transfer_pack` prints: the
child (name, date of birth), the move as recorded (when we were told, the new or temporary address, whether
it is permanent and the likely duration, the worker's notes), the register entry (date registered,
categories, co-ordinator, next review), the current plan's outcomes with their open actions (outcomes for
the whole family or for this child), the last conference held about the child (its kind, date, decision
and outline plan), the core group's current members and the key contacts (the social worker and the
team's manager) — names, roles and agencies, never an internal id.

The free texts it quotes that have a Welsh column (the plan's outcomes and actions, the conference's
outline plan) are :class:`~desktop.services.welsh_text.Quoted`: a Welsh or bilingual pack with any of them
only in English is refused (:func:`needs_welsh`), as the print queue holds such a letter. Other free text
(the worker's notes on the move, roles, addresses) is printed as it was written.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from desktop.i18n import N_, translator
from desktop.services.welsh_text import Quoted, latest, needs_welsh
from reports import BilingualText
from reports.model import PackAction, PackContact, PackOutcome, TransferPack

Query = Callable[[str, Sequence[Any]], list[dict[str, Any]]]

LANGUAGES = ("cy", "en", "bilingual")
"""The pack's language: the receiving authority's, chosen on the form (a letter's language is the
recipient's); "bilingual" is the complete Welsh pack first, then the English."""

OTHER_ACTIONS = N_("Other actions in the plan")
SIGNER_TITLES = {
    "social_worker": N_("Social worker"),
    "team_manager": N_("Team manager"),
    "senior_manager": N_("Senior manager"),
}
FAMILY = N_("Family member")


@dataclass(frozen=True)
class PackRead:
    """The pack's content and the free texts it quotes (for the Welsh check)."""

    pack: TransferPack
    quoted: list[Quoted]

    def needs_welsh(self) -> str | None:
        """``needs_welsh:<what>,…`` when a Welsh or bilingual pack would quote English only, else ``None``."""
        return needs_welsh(self.quoted) if self.pack.language != "en" else None


def _bi(msgid: str) -> BilingualText:
    return BilingualText(cy=translator("cy").gettext(msgid), en=translator("en").gettext(msgid))


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value[:10]) if value else None


def _name(row: dict[str, Any] | None) -> str:
    if not row:
        return ""
    return " ".join(x for x in (row.get("given_names"), row.get("family_name")) if x)


class _Reader:
    def __init__(self, q: Query, transfer: dict[str, Any], today: date) -> None:
        self.q, self.t, self.today = q, transfer, today
        self.quoted: list[Quoted] = []

    def one(self, sql: str, params: Sequence[Any]) -> dict[str, Any] | None:
        rows = self.q(sql, params)
        return rows[0] if rows else None

    def quote(self, table: str, row: dict[str, Any], column: str) -> str | BilingualText:
        quoted = Quoted("pack", table, row["id"], column, row[column] or "", row.get(f"{column}_cy") or None)
        if quoted.english.strip():
            self.quoted.append(quoted)
        return quoted.value()

    def practitioner(self, pid: str | None, role: str | BilingualText = "") -> PackContact | None:
        p = self.one("SELECT p.given_names, p.family_name, p.job_title, p.phone, p.email, a.name AS agency"
                     " FROM practitioner p LEFT JOIN agency a ON a.id = p.agency_id WHERE p.id = ?", [pid]) \
            if pid else None
        if p is None:
            return None
        return PackContact(_name(p), role or p["job_title"] or "", p["agency"] or "", p["phone"] or "",
                           p["email"] or "")

    def plan(self) -> list[PackOutcome]:
        plan = self.one("SELECT id FROM cp_plan WHERE case_id = ? AND deleted = 0 AND status = 'active'"
                        " ORDER BY version_no DESC LIMIT 1", [self.t["case_id"]])
        if plan is None:
            return []
        child = self.t["person_id"]
        outcomes = [r for r in self.q("SELECT * FROM cp_plan_outcome WHERE plan_id = ? AND deleted = 0"
                                      " ORDER BY position", [plan["id"]])
                    if r["person_id"] in (None, "", child)]
        actions = self.q("SELECT * FROM cp_plan_action WHERE plan_id = ? AND deleted = 0 AND status != 'done'"
                         " ORDER BY COALESCE(due_on, ''), created_at", [plan["id"]])
        by_outcome: dict[str | None, list[PackAction]] = {}
        shown = {o["id"] for o in outcomes}
        for a in actions:
            if a["outcome_id"] and a["outcome_id"] not in shown:
                continue  # an action towards another child's outcome
            key = a["outcome_id"] if a["outcome_id"] in shown else None
            by_outcome.setdefault(key, []).append(
                PackAction(self.quote("cp_plan_action", a, "description"), a["owner_name"], _day(a["due_on"])))
        out = [PackOutcome(self.quote("cp_plan_outcome", o, "description"), by_outcome.get(o["id"], []))
               for o in outcomes]
        if by_outcome.get(None):
            out.append(PackOutcome(_bi(OTHER_ACTIONS), by_outcome[None]))
        return out

    def conference(self) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
        """The last conference held about the child and its (latest) decision for them."""
        for conf in self.q("SELECT * FROM cp_conference WHERE case_id = ? AND deleted = 0 AND status = 'held'"
                           " ORDER BY held_on DESC, created_at DESC", [self.t["case_id"]]):
            if self.t["person_id"] not in json.loads(conf["child_ids"] or "[]"):
                continue
            first = self.one("SELECT id FROM cp_conference_decision WHERE conference_id = ? AND person_id = ?"
                             " AND amends_id IS NULL AND deleted = 0 ORDER BY created_at LIMIT 1",
                             [conf["id"], self.t["person_id"]])
            return conf, latest(self.q, "cp_conference_decision", first["id"]) if first else None
        return None, None

    def core_group(self) -> list[PackContact]:
        out = []
        for m in self.q("SELECT * FROM cp_core_member WHERE case_id = ? AND deleted = 0 AND (to_date IS NULL OR"
                        " to_date >= ?) ORDER BY created_at", [self.t["case_id"], self.today.isoformat()]):
            role = m["role"] or ""
            if m["member_kind"] == "practitioner":
                who = self.practitioner(m["practitioner_id"], role)
                if who is not None:
                    out.append(who)
            elif m["member_kind"] == "agency":
                a = self.one("SELECT name, phone, email FROM agency WHERE id = ?", [m["agency_id"]])
                if a is not None:
                    out.append(PackContact(a["name"], role, "", a["phone"] or "", a["email"] or ""))
            else:
                p = self.one("SELECT given_names, family_name FROM person WHERE id = ?", [m["person_id"]])
                if p is not None:
                    out.append(PackContact(_name(p), role or _bi(FAMILY)))
        return out


def read_pack(q: Query, transfer: dict[str, Any], *, authority: str, address: Sequence[str], language: str,
              made_on: date, reference: str, signer: Any) -> PackRead:
    """The pack for ``transfer`` (an open ``cp_transfer`` row going out) to ``authority`` at ``address``, in
    ``language``, made on ``made_on`` under our ``reference`` and signed by ``signer`` (the signed-in
    :class:`~desktop.services.session.User`). The caller has checked the reader's right to the case."""
    r = _Reader(q, transfer, made_on)
    child = r.one("SELECT given_names, family_name, date_of_birth FROM person WHERE id = ?", [transfer["person_id"]])
    entry = r.one("SELECT * FROM register_entry WHERE person_id = ? AND deleted = 0 AND status != 'deregistered'"
                  " ORDER BY registered_on DESC LIMIT 1", [transfer["person_id"]])
    case = r.one("SELECT allocated_worker_id, team_id FROM case_file WHERE id = ?", [transfer["case_id"]]) or {}
    manager = r.one("SELECT id FROM practitioner WHERE team_id = ? AND app_role = 'team_manager' AND active = 1"
                    " AND deleted = 0 ORDER BY family_name, given_names LIMIT 1", [case.get("team_id")])
    conf, decision = r.conference()
    coordinator = r.practitioner(entry["coordinator_id"]) if entry else None
    pack = TransferPack(
        authority=authority, authority_address=list(address), language=language, made_on=made_on,
        reference=reference, child_name=_name(child), child_dob=_day(child["date_of_birth"]) if child else None,
        notified_on=date.fromisoformat(transfer["notified_on"]), permanent=bool(transfer["permanent"]),
        new_address=transfer["new_address"] or "", expected_until=_day(transfer["expected_until"]),
        move_notes=transfer["notes"] or "",
        registered_on=_day(entry["registered_on"]) if entry else None,
        categories=json.loads(entry["categories"] or "[]") if entry else [],
        coordinator=coordinator.name if coordinator else "",
        next_review_on=_day((entry or {}).get("next_review_on") or (decision or {}).get("next_review_on")),
        outcomes=r.plan(),
        conference_kind=conf["kind"] if conf else None, conference_on=_day(conf["held_on"]) if conf else None,
        conference_registered=bool(decision["registered"]) if decision else True,
        conference_outline=r.quote("cp_conference_decision", decision, "outline_plan")
        if decision and decision.get("outline_plan") else "",
        core_group=r.core_group(),
        social_worker=r.practitioner(case.get("allocated_worker_id")),
        team_manager=r.practitioner(manager["id"]) if manager else None,
        signatory=signer.name, signatory_title=_bi(SIGNER_TITLES[signer.role]) if signer.role in SIGNER_TITLES
        else "")
    return PackRead(pack, r.quoted)
