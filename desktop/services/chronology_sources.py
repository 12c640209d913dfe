"""The chronology's shipped sources: each reads one kind of record of one case (Qt-free; reads only).

Each ``fn(store, case_id) -> list[Event]`` is registered with
:func:`desktop.services.chronology.register_source` at import. They read the tables the casework
modules write, through indexed queries on ``case_id``; a correction (a row another row amends) is
shown as its latest version only. The words are msgids with named parameters (translated when shown);
what a worker wrote (decisions, a note's text) is the ``detail``, as written.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from desktop.i18n import N_
from desktop.services.adults._common import DETERMINATION_LABELS as ADULT_DETERMINATIONS
from desktop.services.child_protection.codes import CATEGORY_LABELS
from desktop.services.children.codes import (
    LEGAL_STATUSES,
    MOVE_REASONS,
    PLACEMENT_TYPES,
    PROCEEDINGS_KINDS,
    PROCEEDINGS_OUTCOMES,
    PROCEEDINGS_STAGES,
)
from desktop.services.chronology import Event, Msg, Words, register_source
from desktop.services.complaints import OUTCOMES as COMPLAINT_OUTCOMES
from desktop.services.letters import TITLES as LETTER_TITLES
from desktop.services.notes import CATEGORIES as NOTE_CATEGORIES
from desktop.services.notes import KINDS as NOTE_KINDS

NAME = "TRIM(COALESCE({a}.preferred_name, {a}.given_names, '') || ' ' || COALESCE({a}.family_name, ''))"
STAFF = "TRIM(COALESCE({a}.given_names, '') || ' ' || COALESCE({a}.family_name, ''))"
LATEST = " AND NOT EXISTS (SELECT 1 FROM {t} z WHERE z.amends_id = {a}.id AND z.deleted = 0)"

S47_DETERMINATIONS = {
    1: N_("Section 47 enquiries concluded: determination 1, concerns not substantiated"),
    2: N_("Section 47 enquiries concluded: determination 2, substantiated but not at continuing risk"),
    3: N_("Section 47 enquiries concluded: determination 3, at continuing risk of significant harm"),
}
VISIT_PLACES = {"home": N_("at home"), "school": N_("at school"), "placement": N_("at the placement"),
                "office": N_("in the office"), "other": N_("elsewhere"), "care_home": N_("at the care home"),
                "hospital": N_("in hospital"), "day_service": N_("at the day service")}
CONFERENCE_KINDS = {"initial": N_("Initial child protection conference held"),
                    "review": N_("Review child protection conference held"),
                    "transfer_in": N_("Transfer-in child protection conference held"),
                    "pre_birth": N_("Pre-birth child protection conference held")}
REGISTER_CHANGES = {"registered": N_("Placed on the child protection register ({categories})"),
                    "deregistered": N_("Removed from the child protection register"),
                    "categories": N_("Registration categories changed ({categories})"),
                    "reviewed": N_("Registration reviewed")}
STRATEGY_KINDS = {"discussion": N_("Strategy discussion held"), "meeting": N_("Strategy meeting held")}
ADULT_STRATEGY_KINDS = {"discussion": N_("Adult strategy discussion held"),
                        "meeting": N_("Adult strategy meeting held")}
WORKER_ROLES = {"allocated_worker": N_("Allocated worker from now: {name}"),
                "iro": N_("Independent reviewing officer from now: {name}"),
                "lead_coordinator": N_("Lead co-ordinator from now: {name}")}


def _d(value: Any) -> date:
    return date.fromisoformat(str(value)[:10])


def _ids(value: Any) -> tuple[str, ...]:
    if not value:
        return ()
    try:
        found = json.loads(value)
    except ValueError:
        return ()
    return tuple(str(v) for v in found) if isinstance(found, list) else ()


def _one(person_id: Any) -> tuple[str, ...]:
    return (str(person_id),) if person_id else ()


def _names(store: Any, case_id: str) -> dict[str, str]:
    return {r["id"]: r["name"] for r in store.rows(
        f"SELECT p.id, {NAME.format(a='p')} AS name FROM case_member m JOIN person p ON p.id = m.person_id"
        " WHERE m.case_id = ? AND m.deleted = 0", [case_id])}


def _who(names: dict[str, str], ids: tuple[str, ...]) -> str:
    return ", ".join(names[i] for i in ids if names.get(i))


def _rows(store: Any, sql: str, case_id: str) -> list[dict[str, Any]]:
    return list(store.rows(sql, {"case_id": case_id}))


# -- notes ----------------------------------------------------------------------------------------
def notes(store: Any, case_id: str) -> list[Event]:
    """Notes flagged as significant events (their latest version), with the people they name."""
    names = _names(store, case_id)
    parties: dict[str, list[str]] = {}
    for p in store.rows("SELECT p.note_id, p.person_id FROM case_note_party p WHERE p.case_id = ?"
                        " AND p.deleted = 0 AND p.person_id IS NOT NULL ORDER BY p.rowid", [case_id]):
        parties.setdefault(p["note_id"], []).append(p["person_id"])
    out = []
    for r in _rows(store, f"SELECT n.*, {STAFF.format(a='w')} AS by FROM case_note n"
                          " LEFT JOIN practitioner w ON w.id = n.author_id WHERE n.case_id = :case_id"
                          " AND n.deleted = 0 AND n.significant = 1" + LATEST.format(t="case_note", a="n"), case_id):
        people = tuple(parties.get(r["id"], ()))
        out.append(Event(_d(r["occurred_on"]), "note",
                         Words(N_("{category} ({kind})"), {"category": Msg(NOTE_CATEGORIES.get(r["category"], "")),
                                                           "kind": Msg(NOTE_KINDS[r["kind"]])}),
                         r["body"], people, _who(names, people), r["by"] or "", r["occurred_at"],
                         f"case_note:{r['id']}", r["created_at"]))
    return out


# -- reports and enquiries ------------------------------------------------------------------------
def reports(store: Any, case_id: str) -> list[Event]:
    names = _names(store, case_id)
    out = []
    for r in _rows(store, "SELECT * FROM cp_report WHERE case_id = :case_id AND deleted = 0", case_id):
        people = _ids(r["child_ids"])
        out.append(Event(_d(r["received_on"] or r["received_at"]), "report", Words(N_("Child protection report received")),
                         r["concerns"] or "", people, _who(names, people), "", (r["received_at"] or "")[11:16] or None,
                         f"cp_report:{r['id']}", r["created_at"]))
    for r in _rows(store, "SELECT * FROM adult_report WHERE case_id = :case_id AND deleted = 0", case_id):
        people = _one(r["person_id"])
        out.append(Event(_d(r["received_on"] or r["received_at"]), "report",
                         Words(N_("Report of an adult at risk received")), r["concerns"] or "", people,
                         _who(names, people), "", (r["received_at"] or "")[11:16] or None,
                         f"adult_report:{r['id']}", r["created_at"]))
    return out


def enquiries(store: Any, case_id: str) -> list[Event]:
    names = _names(store, case_id)
    out = []
    for r in _rows(store, f"SELECT e.*, {STAFF.format(a='w')} AS ratifier FROM cp_enquiry e"
                          " LEFT JOIN practitioner w ON w.id = e.ratified_by"
                          " WHERE e.case_id = :case_id AND e.deleted = 0", case_id):
        people = _one(r["person_id"])
        who = _who(names, people)
        src = f"cp_enquiry:{r['id']}"
        out.append(Event(_d(r["started_on"]), "enquiry", Words(N_("Section 47 enquiries started")), "", people, who,
                         source=src, order=r["created_at"]))
        if r["determined_on"] and r["determination"] in S47_DETERMINATIONS:
            out.append(Event(_d(r["determined_on"]), "enquiry", Words(S47_DETERMINATIONS[r["determination"]]),
                             r["determination_reason"] or "", people, who, source=src, order=r["created_at"] + "b"))
        if r["ratified_on"]:
            out.append(Event(_d(r["ratified_on"]), "enquiry", Words(N_("Determination 1 ratified by a manager")), "",
                             people, who, r["ratifier"] or "", source=src, order=r["created_at"] + "c"))
    for r in _rows(store, "SELECT * FROM adult_enquiry WHERE case_id = :case_id AND deleted = 0", case_id):
        people = _one(r["person_id"])
        who = _who(names, people)
        src = f"adult_enquiry:{r['id']}"
        out.append(Event(_d(r["started_on"]), "enquiry", Words(N_("Section 126 enquiries started")), "", people, who,
                         source=src, order=r["created_at"]))
        if r["concluded_on"]:
            what = ADULT_DETERMINATIONS.get(r["determination"] or "", N_("Section 126 enquiries concluded"))
            out.append(Event(_d(r["concluded_on"]), "enquiry",
                             Words(N_("Section 126 enquiries concluded: {determination}"),
                                   {"determination": Msg(what)}),
                             r["determination_reason"] or "", people, who, source=src, order=r["created_at"] + "b"))
    return out


# -- strategy -------------------------------------------------------------------------------------
def strategy(store: Any, case_id: str) -> list[Event]:
    names = _names(store, case_id)
    out = []
    for r in _rows(store, f"SELECT s.*, {STAFF.format(a='w')} AS chair FROM cp_strategy s"
                          " LEFT JOIN practitioner w ON w.id = s.chair_id WHERE s.case_id = :case_id AND s.deleted = 0"
                          + LATEST.format(t="cp_strategy", a="s"), case_id):
        people = _ids(r["child_ids"])
        out.append(Event(_d(r["held_on"]), "strategy", Words(STRATEGY_KINDS.get(r["kind"], STRATEGY_KINDS["meeting"])),
                         r["decisions"] or "", people, _who(names, people), r["chair"] or "",
                         source=f"cp_strategy:{r['id']}", order=r["created_at"]))
    for r in _rows(store, f"SELECT s.*, {STAFF.format(a='w')} AS chair FROM adult_strategy s"
                          " LEFT JOIN practitioner w ON w.id = s.chair_id WHERE s.case_id = :case_id AND s.deleted = 0"
                          + LATEST.format(t="adult_strategy", a="s"), case_id):
        people = _one(r["person_id"])
        out.append(Event(_d(r["held_on"]), "strategy",
                         Words(ADULT_STRATEGY_KINDS.get(r["kind"], ADULT_STRATEGY_KINDS["meeting"])),
                         r["decisions"] or "", people, _who(names, people), r["chair"] or "",
                         source=f"adult_strategy:{r['id']}", order=r["created_at"]))
    return out


# -- visits ---------------------------------------------------------------------------------------
def visits(store: Any, case_id: str) -> list[Event]:
    names = _names(store, case_id)
    children: dict[str, list[str]] = {}
    for r in store.rows("SELECT visit_id, person_id FROM cp_visit_child WHERE case_id = ? AND deleted = 0"
                        " ORDER BY rowid", [case_id]):
        children.setdefault(r["visit_id"], []).append(r["person_id"])
    out = []
    for r in _rows(store, f"SELECT v.*, {STAFF.format(a='w')} AS by FROM cp_visit v"
                          " LEFT JOIN practitioner w ON w.id = v.visitor_id WHERE v.case_id = :case_id"
                          " AND v.deleted = 0" + LATEST.format(t="cp_visit", a="v"), case_id):
        people = tuple(children.get(r["id"], ()))
        what = (Words(N_("Visit: access to the children or the home was refused")) if r["access_denied"]
                else Words(N_("Visit {where}"), {"where": Msg(VISIT_PLACES.get(r["location"], VISIT_PLACES["other"]))}))
        out.append(Event(_d(r["visited_on"]), "visit", what, r["observations"] or "", people, _who(names, people),
                         r["by"] or "", r["visited_at"], f"cp_visit:{r['id']}", r["created_at"]))
    for r in _rows(store, f"SELECT v.*, {STAFF.format(a='w')} AS by FROM adult_visit v"
                          " LEFT JOIN practitioner w ON w.id = v.visitor_id WHERE v.case_id = :case_id"
                          " AND v.deleted = 0" + LATEST.format(t="adult_visit", a="v"), case_id):
        people = _one(r["person_id"])
        what = (Words(N_("Visit: access was refused")) if r["access_denied"]
                else Words(N_("Visit {where}"), {"where": Msg(VISIT_PLACES.get(r["location"], VISIT_PLACES["other"]))}))
        out.append(Event(_d(r["visited_on"]), "visit", what, r["observations"] or "", people, _who(names, people),
                         r["by"] or "", r["visited_at"], f"adult_visit:{r['id']}", r["created_at"]))
    for r in _rows(store, f"SELECT v.*, {STAFF.format(a='w')} AS by FROM lac_visit v"
                          " LEFT JOIN practitioner w ON w.id = v.visitor_id WHERE v.case_id = :case_id"
                          " AND v.deleted = 0" + LATEST.format(t="lac_visit", a="v"), case_id):
        people = _one(r["person_id"])
        out.append(Event(_d(r["visited_on"]), "visit", Words(N_("Statutory visit")), r["notes"] or "", people,
                         _who(names, people), r["by"] or "", None, f"lac_visit:{r['id']}", r["created_at"]))
    return out


# -- conferences ----------------------------------------------------------------------------------
def conferences(store: Any, case_id: str) -> list[Event]:
    names = _names(store, case_id)
    out = []
    decisions: dict[str, list[dict[str, Any]]] = {}
    for d in _rows(store, "SELECT d.* FROM cp_conference_decision d WHERE d.case_id = :case_id AND d.deleted = 0"
                          + LATEST.format(t="cp_conference_decision", a="d"), case_id):
        decisions.setdefault(d["conference_id"], []).append(d)
    for r in _rows(store, f"SELECT c.*, {STAFF.format(a='w')} AS chair FROM cp_conference c"
                          " LEFT JOIN practitioner w ON w.id = c.chair_id WHERE c.case_id = :case_id"
                          " AND c.deleted = 0 AND c.status = 'held' AND c.held_on IS NOT NULL", case_id):
        people = _ids(r["child_ids"])
        held = _d(r["held_on"])
        src = f"cp_conference:{r['id']}"
        out.append(Event(held, "conference", Words(CONFERENCE_KINDS.get(r["kind"], CONFERENCE_KINDS["review"])),
                         r["dissent"] or "", people, _who(names, people), r["chair"] or "", source=src,
                         order=r["created_at"]))
        for d in decisions.get(r["id"], []):
            child = _one(d["person_id"])
            if d["deregistered"]:
                what = Words(N_("Conference decision: removed from the register"))
            elif d["registered"]:
                what = Words(N_("Conference decision: registered ({categories})"),
                             {"categories": _categories(d["categories"])})
            else:
                what = Words(N_("Conference decision: not registered"))
            out.append(Event(held, "conference", what, d["reasons"] or "", child, _who(names, child), r["chair"] or "",
                             source=f"cp_conference_decision:{d['id']}", order=r["created_at"] + "d"))
    for r in _rows(store, f"SELECT c.*, {STAFF.format(a='w')} AS chair FROM adult_conference c"
                          " LEFT JOIN practitioner w ON w.id = c.chair_id WHERE c.case_id = :case_id"
                          " AND c.deleted = 0 AND c.held_on IS NOT NULL", case_id):
        people = _one(r["person_id"])
        out.append(Event(_d(r["held_on"]), "conference", Words(N_("Adult protection conference held")),
                         r["decisions"] or r["outcome_summary"] or "", people, _who(names, people), r["chair"] or "",
                         source=f"adult_conference:{r['id']}", order=r["created_at"]))
    return out


def _categories(value: Any) -> tuple[Msg, ...]:
    return tuple(Msg(CATEGORY_LABELS[c]) for c in _ids(value) if c in CATEGORY_LABELS)


def register(store: Any, case_id: str) -> list[Event]:
    names = _names(store, case_id)
    out = []
    for r in _rows(store, f"SELECT h.*, {STAFF.format(a='w')} AS coordinator FROM register_history h"
                          " LEFT JOIN practitioner w ON w.id = h.coordinator_id"
                          " WHERE h.case_id = :case_id AND h.deleted = 0", case_id):
        people = _one(r["person_id"])
        msgid = REGISTER_CHANGES.get(r["change"], N_("Register changed"))
        what = Words(msgid, {"categories": _categories(r["categories"])})
        detail = r["reason"] or ""
        if r["change"] == "coordinator":
            what = Words(N_("Register amended: new co-ordinator {name}"), {"name": r["coordinator"] or "—"})
        out.append(Event(_d(r["on_date"]), "register", what, detail, people, _who(names, people),
                         source=f"register_history:{r['id']}", order=r["created_at"]))
    return out


# -- looked after ---------------------------------------------------------------------------------
def placements(store: Any, case_id: str) -> list[Event]:
    names = _names(store, case_id)
    out = []
    for r in _rows(store, "SELECT * FROM lac_episode WHERE case_id = :case_id AND deleted = 0", case_id):
        people = _one(r["person_id"])
        out.append(Event(_d(r["started_on"]), "placement", Words(N_("Became looked after")), "", people,
                         _who(names, people), source=f"lac_episode:{r['id']}", order=r["created_at"]))
        if r["ended_on"]:
            out.append(Event(_d(r["ended_on"]), "placement", Words(N_("Stopped being looked after")),
                             r["end_reason"] or "", people, _who(names, people), source=f"lac_episode:{r['id']}",
                             order=r["created_at"] + "z"))
    for r in _rows(store, "SELECT * FROM lac_placement WHERE case_id = :case_id AND deleted = 0", case_id):
        people = _one(r["person_id"])
        where = ", ".join(x for x in (r["carer_name"] or r["provider_name"], r["town"]) if x)
        out.append(Event(_d(r["start_on"]), "placement",
                         Words(N_("Placed: {type}"), {"type": Msg(PLACEMENT_TYPES.get(r["placement_type"],
                                                                                       PLACEMENT_TYPES["other"]))}),
                         where, people, _who(names, people), source=f"lac_placement:{r['id']}", order=r["created_at"]))
        if r["end_on"]:
            out.append(Event(_d(r["end_on"]), "placement",
                             Words(N_("Placement ended: {reason}"),
                                   {"reason": Msg(MOVE_REASONS.get(r["end_reason"] or "other", MOVE_REASONS["other"]))}),
                             r["end_note"] or where, people, _who(names, people), source=f"lac_placement:{r['id']}",
                             order=r["created_at"] + "z"))
    return out


def legal(store: Any, case_id: str) -> list[Event]:
    names = _names(store, case_id)
    out = []
    for r in _rows(store, "SELECT * FROM lac_legal_status WHERE case_id = :case_id AND deleted = 0", case_id):
        people = _one(r["person_id"])
        status = LEGAL_STATUSES.get(r["legal_status"], LEGAL_STATUSES["other"])[0]
        out.append(Event(_d(r["from_date"]), "legal", Words(N_("Legal status: {status}"), {"status": Msg(status)}),
                         r["note"] or "", people, _who(names, people), source=f"lac_legal_status:{r['id']}",
                         order=r["created_at"]))
    proceedings = {r["id"]: r for r in _rows(store, "SELECT * FROM proceedings WHERE case_id = :case_id"
                                                    " AND deleted = 0", case_id)}
    for r in proceedings.values():
        people = _one(r["person_id"])
        kind = PROCEEDINGS_KINDS.get(r["kind"], r["kind"])
        out.append(Event(_d(r["started_on"]), "legal", Words(N_("{kind} started"), {"kind": Msg(kind)}), r["court"] or "",
                         people, _who(names, people), source=f"proceedings:{r['id']}", order=r["created_at"]))
        if r["ended_on"]:
            outcome = PROCEEDINGS_OUTCOMES.get(r["outcome"] or "", "")
            out.append(Event(_d(r["ended_on"]), "legal",
                             Words(N_("{kind} ended: {outcome}"), {"kind": Msg(kind), "outcome": Msg(outcome)})
                             if outcome else Words(N_("{kind} ended"), {"kind": Msg(kind)}),
                             "", people, _who(names, people), source=f"proceedings:{r['id']}", order=r["created_at"] + "z"))
    for r in _rows(store, "SELECT * FROM proceedings_stage WHERE case_id = :case_id AND deleted = 0", case_id):
        parent = proceedings.get(r["proceedings_id"])
        if parent is None:
            continue
        people = _one(parent["person_id"])
        stage = PROCEEDINGS_STAGES.get(parent["kind"], {}).get(r["stage"])
        if stage is None:
            continue
        out.append(Event(_d(r["on_date"]), "legal", Words(stage), r["note"] or "", people, _who(names, people),
                         source=f"proceedings_stage:{r['id']}", order=r["created_at"]))
    for r in _rows(store, "SELECT * FROM proceedings_extension WHERE case_id = :case_id AND deleted = 0", case_id):
        parent = proceedings.get(r["proceedings_id"])
        if parent is None:
            continue
        people = _one(parent["person_id"])
        out.append(Event(_d(r["granted_on"]), "legal",
                         Words(N_("The court extended the time limit of the care proceedings to {date}"),
                               {"date": _d(r["extended_to"])}),
                         r["reason"], people, _who(names, people), source=f"proceedings_extension:{r['id']}",
                         order=r["created_at"]))
    return out


# -- people responsible ---------------------------------------------------------------------------
def workers(store: Any, case_id: str) -> list[Event]:
    names = _names(store, case_id)
    out = []
    for r in _rows(store, f"SELECT c.*, {STAFF.format(a='a')} AS before, {STAFF.format(a='b')} AS after"
                          " FROM cp_coordinator_change c LEFT JOIN practitioner a ON a.id = c.previous_id"
                          " LEFT JOIN practitioner b ON b.id = c.new_id WHERE c.case_id = :case_id AND c.deleted = 0",
                   case_id):
        people = _one(r["person_id"])
        out.append(Event(_d(r["effective_on"]), "worker",
                         Words(N_("Co-ordinator changed from {before} to {after}"),
                               {"before": r["before"] or "—", "after": r["after"] or "—"}),
                         r["reason"] or "", people, _who(names, people), source=f"cp_coordinator_change:{r['id']}",
                         order=r["created_at"]))
    for r in _rows(store, f"SELECT c.*, {STAFF.format(a='a')} AS before, {STAFF.format(a='b')} AS after"
                          " FROM adult_lead_practitioner_change c LEFT JOIN practitioner a ON a.id = c.previous_id"
                          " LEFT JOIN practitioner b ON b.id = c.new_id WHERE c.case_id = :case_id AND c.deleted = 0",
                   case_id):
        people = _one(r["person_id"])
        out.append(Event(_d(r["effective_on"]), "worker",
                         Words(N_("Lead practitioner changed from {before} to {after}"),
                               {"before": r["before"] or "—", "after": r["after"] or "—"}),
                         r["reason"] or "", people, _who(names, people),
                         source=f"adult_lead_practitioner_change:{r['id']}", order=r["created_at"]))
    for r in _rows(store, f"SELECT r.*, {STAFF.format(a='w')} AS name FROM role_assignment r"
                          " JOIN practitioner w ON w.id = r.practitioner_id WHERE r.case_id = :case_id"
                          " AND r.deleted = 0 AND r.from_date IS NOT NULL AND r.role IN"
                          " ('allocated_worker', 'iro', 'lead_coordinator')", case_id):
        people = _one(r["person_id"])
        out.append(Event(_d(r["from_date"]), "worker", Words(WORKER_ROLES[r["role"]], {"name": r["name"] or ""}),
                         r["reason"] or "", people, _who(names, people), source=f"role_assignment:{r['id']}",
                         order=r["created_at"]))
    return out


# -- letters, complaints, the case ----------------------------------------------------------------
def letters(store: Any, case_id: str) -> list[Event]:
    out = []
    for r in _rows(store, f"SELECT l.id, l.template_id, l.recipient_name, l.printed_at, l.created_at,"
                          f" {STAFF.format(a='w')} AS by FROM letter l LEFT JOIN practitioner w ON w.id = l.printed_by"
                          " WHERE l.case_id = :case_id AND l.deleted = 0 AND l.status = 'printed'"
                          " AND l.printed_at IS NOT NULL", case_id):
        title = LETTER_TITLES.get(r["template_id"])
        what = (Words(N_("Letter sent to {recipient}: {title}"), {"recipient": r["recipient_name"], "title": Msg(title)})
                if title else Words(N_("Letter sent to {recipient}"), {"recipient": r["recipient_name"]}))
        out.append(Event(_d(r["printed_at"]), "letter", what, "", (), "", r["by"] or "", source=f"letter:{r['id']}",
                         order=r["created_at"]))
    return out


def complaints(store: Any, case_id: str) -> list[Event]:
    names = _names(store, case_id)
    out = []
    for r in _rows(store, "SELECT * FROM complaint WHERE case_id = :case_id AND deleted = 0", case_id):
        people = _one(r["person_id"])
        out.append(Event(_d(r["received_on"]), "complaint", Words(N_("Complaint received from {who}"),
                                                                    {"who": r["complainant_name"]}),
                         r["about"] or "", people, _who(names, people), source=f"complaint:{r['id']}",
                         order=r["created_at"]))
        if r["closed_on"]:
            outcome = COMPLAINT_OUTCOMES.get(r["outcome"] or "")
            out.append(Event(_d(r["closed_on"]), "complaint",
                             Words(N_("Complaint closed: {outcome}"), {"outcome": Msg(outcome)}) if outcome
                             else Words(N_("Complaint closed")), "", people, _who(names, people),
                             source=f"complaint:{r['id']}", order=r["created_at"] + "z"))
    return out


# -- adult protection and support orders (s127, A9) ------------------------------------------------------
APSO_DECISIONS = {"granted": N_("Adult protection and support order granted at {court}"),
                  "refused": N_("Adult protection and support order refused at {court}")}
APSO_ENDS = {"purposes_met": N_("Adult protection and support order ended: its purposes were met"),
             "lapsed": N_("Adult protection and support order lapsed at the end of its period"),
             "not_needed": N_("Adult protection and support order ended: no longer needed")}


def apso_orders(store: Any, case_id: str) -> list[Event]:
    """Each application, the court's decision, every entry under an order and the order's end."""
    names = _names(store, case_id)
    out = []
    for r in _rows(store, f"SELECT o.*, {STAFF.format(a='w')} AS officer FROM adult_apso o"
                          " LEFT JOIN practitioner w ON w.id = o.officer_id WHERE o.case_id = :case_id"
                          " AND o.deleted = 0", case_id):
        people, src, officer = _one(r["person_id"]), f"adult_apso:{r['id']}", r["officer"] or ""
        out.append(Event(_d(r["applied_on"]), "legal",
                         Words(N_("Adult protection and support order applied for at {court}"), {"court": r["court"]}),
                         r["reasonable_cause"], people, _who(names, people), officer, source=src, order=r["created_at"]))
        if r["decision"] in APSO_DECISIONS:
            out.append(Event(_d(r["decided_on"]), "legal", Words(APSO_DECISIONS[r["decision"]], {"court": r["court"]}),
                             r["decision_note"] or "", people, _who(names, people), officer, source=src,
                             order=r["created_at"] + "d"))
        if r["ended_on"]:
            out.append(Event(_d(r["ended_on"]), "legal", Words(APSO_ENDS.get(r["end_reason"], APSO_ENDS["lapsed"])),
                             r["end_note"] or "", people, _who(names, people), officer, source=src,
                             order=(r["updated_at"] or r["created_at"]) + "z"))  # after the entries that day
    for r in _rows(store, f"SELECT e.*, {STAFF.format(a='w')} AS officer FROM adult_apso_entry e"
                          " JOIN adult_apso o ON o.id = e.apso_id LEFT JOIN practitioner w ON w.id = o.officer_id"
                          " WHERE e.case_id = :case_id AND e.deleted = 0", case_id):
        people = _one(r["person_id"])
        if not r["spoke_in_private"]:
            what = N_("Entry under an adult protection and support order: not spoken with in private")
        elif r["declined_to_answer"]:
            what = N_("Entry under an adult protection and support order: spoken with in private; chose not to answer")
        else:
            what = N_("Entry under an adult protection and support order: spoken with in private")
        out.append(Event(_d(r["entered_on"]), "legal", Words(what), r["outcome"], people, _who(names, people),
                         r["officer"] or "", source=f"adult_apso_entry:{r['id']}", order=r["created_at"]))
    return out


def case(store: Any, case_id: str) -> list[Event]:
    out = []
    for r in _rows(store, "SELECT * FROM case_file WHERE id = :case_id AND deleted = 0", case_id):
        out.append(Event(_d(r["opened_on"]), "case", Words(N_("Case opened")), "", source=f"case_file:{r['id']}",
                         order=r["created_at"]))
        if r["closed_on"]:
            out.append(Event(_d(r["closed_on"]), "case", Words(N_("Case closed")), r["close_reason"] or "",
                             source=f"case_file:{r['id']}", order=r["created_at"] + "z"))
    for r in _rows(store, "SELECT * FROM case_team_history WHERE case_id = :case_id AND deleted = 0", case_id):
        out.append(Event(_d(r["on_date"]), "case", Words(N_("Case moved to another team")), r["reason"] or "",
                         source=f"case_team_history:{r['id']}", order=r["created_at"]))
    return out


for _name, _fn in (("notes", notes), ("reports", reports), ("enquiries", enquiries), ("strategy", strategy),
                   ("visits", visits), ("conferences", conferences), ("register", register),
                   ("placements", placements), ("legal", legal), ("workers", workers), ("letters", letters),
                   ("complaints", complaints), ("apso", apso_orders), ("case", case)):
    register_source(_name, _fn)
