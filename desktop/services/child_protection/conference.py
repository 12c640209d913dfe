"""Child protection conferences: initial (within 15 working days of the last strategy discussion,
C6) and review (first within 3 months, then at least every 6 months, C12).

``ConferenceService(session)``:

* ``convene(case_id, *, kind, scheduled_on, invitees, child_ids=None, chair_id=None, venue=None,
  conference_time=None, language=None)`` — a ``cp_conference`` row (status ``convened``), one
  ``cp_conference_invitation`` per invitee (``{"kind": "person"|"agency"|"practitioner", "id": …}``) and
  a queued letter to each: ``N8`` (initial) or ``N11`` (review).
* ``hold_initial(conference_id, *, held_on, attendance, decisions, quorum_discretion=False,
  discretion_reason=None, child_participation=None, dissent=None)`` — one transaction:
  attendance rows; the quorum check (C13); per child (C14) an append-only ``cp_conference_decision``;
  for each registered child a register entry (+ history), the co-ordinator's role, the core group, the
  outline plan (version rows), letters ``N9`` (outline plan and decisions, to everyone invited and
  present and the core group) and ``N19`` (right to complain, to each parent with parental
  responsibility); when no co-ordinator is named, an ``N3`` escalation to the senior manager and an
  ``N3`` letter queued to each senior manager.
* ``hold_review(conference_id, *, held_on, attendance, decisions, report, …)`` — per child: continue
  (optionally new categories and the next review date) or de-register (``deregister=True`` with
  ``reasons``) — the register entry is closed (reason ``review_conference``) and ``N12`` is queued to
  the core group agencies and the family. ``N9`` goes out as for an initial conference.
* ``record_circulated(conference_id, *, outline_plan_sent_on=None, record_sent_on=None,
  comments_received_on=None)`` — C7/C8/C9 facts.
* ``review_material(case_id, since=None)`` — the core groups since the last conference (attendance,
  written contributions from those who sent apologies, RAG progress with evidence, actions reviewed,
  denied access) and the current plan: what the review report draws on.

Decisions (dicts): ``person_id``, ``registered`` (initial), ``categories``, ``coordinator_id``,
``outline_plan``, ``core_group`` (member dicts, see :mod:`.core_group`), ``first_core_group_on``,
``next_review_on``, ``dissent``; for reviews ``deregister`` and ``reasons``.

Refused (``ValidationError``, nothing written): held in the future; fewer than 3 agencies or
professional groupings present, or 2 without the chair's recorded discretion and its reason (C13);
a registered child with no category; a named co-ordinator not employed by social services or without
a Social Care Wales registration; a de-registration without reasons; a decision for a child who is
not a subject of the conference.
"""

from __future__ import annotations

from typing import Any

from desktop.domain.types import Role
from desktop.errors import NotFound, ValidationError
from desktop.i18n import N_
from desktop.services.child_protection._common import (
    active_core_members,
    active_entry,
    bilingual,
    bilingual_categories,
    check_children,
    child_facts,
    clean_categories,
    dumps,
    loads,
    parents_with_pr,
    practitioner,
    required_date,
    text,
)
from desktop.services.child_protection.core_group import add_members
from desktop.services.child_protection.plan import create_outline
from desktop.services.child_protection.register import change_entry, check_coordinator, register_child
from desktop.services.correspondence import queue_letter
from desktop.services.letter_children import children_facts, per_child
from desktop.services.permissions import Can
from desktop.services.reads import read_casework
from desktop.services.scope import require_case
from desktop.services.tasks import raise_task
from desktop.services.welsh_text import source
from desktop.store import Tx

QUORUM = 3
QUORUM_WITH_DISCRETION = 2


def quorum_groupings(attendance: list[dict[str, Any]]) -> set[str]:
    """Distinct agencies or professional groupings present (family members do not count)."""
    return {
        str(a.get("agency_id") or a.get("grouping"))
        for a in attendance
        if a.get("attended", True) and (a.get("agency_id") or a.get("grouping"))
    }


def check_quorum(attendance: list[dict[str, Any]], discretion: bool, reason: str | None) -> None:
    n = len(quorum_groupings(attendance))
    if n >= QUORUM:
        return
    if n == QUORUM_WITH_DISCRETION and discretion and text(reason):
        return
    if n == QUORUM_WITH_DISCRETION:
        raise ValidationError(
            N_("Only 2 agencies are present: the conference is quorate only if the chair records their"
               " discretion and the reason."),
            field="quorum_discretion",
        )
    raise ValidationError(
        N_("The conference is not quorate: at least 3 agencies or professional groupings must be present"
           " ({n} present)."),
        field="attendance", n=n,
    )


class ConferenceService:
    def __init__(self, session: Any) -> None:
        self.session = session

    # -- convening ----------------------------------------------------------------------------
    def convene(
        self,
        case_id: str,
        *,
        kind: str,
        scheduled_on: str,
        invitees: list[dict[str, Any]],
        child_ids: list[str] | None = None,
        chair_id: str | None = None,
        venue: str | None = None,
        conference_time: str | None = None,
        language: str | None = None,
    ) -> dict[str, Any]:
        self.session.require(Can.RECORD_CASEWORK)
        require_case(self.session, case_id)
        children = check_children(self.session, case_id, child_ids)
        if kind not in ("initial", "review"):
            raise ValidationError(N_("Choose an initial or a review conference."), field="kind")
        when = required_date(scheduled_on, "scheduled_on", self.session.today(), future_ok=True).isoformat()
        today = self.session.today().isoformat()

        def write(tx: Tx) -> dict[str, Any]:
            conf = tx.insert("cp_conference", {
                "kind": kind, "child_ids": dumps(children), "scheduled_on": when, "status": "convened",
                "chair_id": chair_id, "venue": text(venue) or None, "language": language,
            }, case_id=case_id)
            chair = practitioner(tx, chair_id)
            coordinator = practitioner(tx, _coordinator_of(tx, children) or self.session.user.id)
            template = "N8" if kind == "initial" else "N11"
            about = children_facts(tx, children)  # one invitation each, naming every child
            for inv in invitees:
                data = {**about, "conference_date": when,
                        "conference_time": conference_time or "", "venue": text(venue),
                        "chair_name": chair["name"], "coordinator_name": coordinator["name"],
                        "coordinator_phone": coordinator["phone"], "conference_id": conf["id"],
                        # N8: an agency gets the agency invitation, a parent the family's letter.
                        "audience": "family" if inv["kind"] == "person" else "agency"}
                if kind == "review":
                    data["report_due_date"] = ""
                letter = queue_letter(tx, case_id=case_id, template_id=template, recipient_kind=inv["kind"],
                                      recipient_id=inv["id"], data=data, source_event=f"cp_conference:{conf['id']}")
                tx.insert("cp_conference_invitation", {
                    "conference_id": conf["id"], "recipient_kind": inv["kind"], "recipient_id": inv["id"],
                    "invited_on": today, "method": inv.get("method") or "letter", "letter_id": letter["id"],
                }, case_id=case_id)
            return conf

        return self.session.write(write)

    # -- holding ------------------------------------------------------------------------------
    def hold_initial(self, conference_id: str, **kwargs: Any) -> dict[str, Any]:
        return self._hold(conference_id, "initial", **kwargs)

    def hold_review(self, conference_id: str, **kwargs: Any) -> dict[str, Any]:
        return self._hold(conference_id, "review", **kwargs)

    def _hold(
        self,
        conference_id: str,
        kind: str,
        *,
        held_on: str,
        attendance: list[dict[str, Any]],
        decisions: list[dict[str, Any]],
        quorum_discretion: bool = False,
        discretion_reason: str | None = None,
        child_participation: str | None = None,
        dissent: str | None = None,
        report: str | None = None,
        chair_id: str | None = None,
    ) -> dict[str, Any]:
        """Returns the conference row with ``decisions``, ``entries``, ``escalations``, ``letters``."""
        self.session.require(Can.RECORD_CASEWORK)
        conf = self._get(conference_id)
        if conf["kind"] != kind:
            raise ValidationError(N_("This is not that kind of conference."), field="kind")
        if conf["status"] == "held":
            raise ValidationError(N_("This conference has already been recorded as held."), field="held_on")
        case_id = conf["case_id"]
        held = required_date(held_on, "held_on", self.session.today()).isoformat()
        check_quorum(attendance, quorum_discretion, discretion_reason)
        if kind == "review" and not text(report):
            raise ValidationError(
                N_("Attach the co-ordinator's report for the review conference."), field="report")
        children = loads(conf["child_ids"])
        clean = []
        for d in decisions:
            if d.get("person_id") not in children:
                raise ValidationError(N_("Record decisions only for the children the conference is about."),
                                      field="decisions")
            clean.append(self._check_decision(kind, d))
        if {d["person_id"] for d in clean} != set(children):
            raise ValidationError(N_("Record a decision for each child, separately."), field="decisions")

        def write(tx: Tx) -> dict[str, Any]:
            tx.update("cp_conference", conference_id, {
                "status": "held", "held_on": held, "chair_id": chair_id or conf["chair_id"],
                "quorum_discretion": int(bool(quorum_discretion)),
                "discretion_reason": text(discretion_reason) or None,
                "child_participation": text(child_participation) or None, "dissent": text(dissent) or None,
                "report": text(report) or None,
            })
            for a in attendance:
                tx.insert("cp_conference_attendance", {
                    "conference_id": conference_id, "agency_id": a.get("agency_id"), "grouping": a.get("grouping"),
                    "practitioner_id": a.get("practitioner_id"), "person_id": a.get("person_id"),
                    "name": text(a.get("name")) or None, "attended": int(bool(a.get("attended", True))),
                }, case_id=case_id)
            out: dict[str, Any] = {"decisions": [], "entries": [], "escalations": [], "letters": []}
            later = _Later()
            for d in clean:
                self._apply(tx, conf, held, d, out, later)
            out["letters"] += later.send(tx, conf, held)
            out["letters"] += self._n9(tx, conf, held, attendance, clean)
            return {**tx.get_existing("cp_conference", conference_id), **out}

        return self.session.write(write)

    def _check_decision(self, kind: str, d: dict[str, Any]) -> dict[str, Any]:
        out = dict(d)
        today = self.session.today()
        for name in ("first_core_group_on", "next_review_on"):
            if d.get(name):
                out[name] = required_date(d[name], name, today, future_ok=True).isoformat()
        if kind == "initial":
            out["registered"] = bool(d.get("registered"))
            if out["registered"]:
                out["categories"] = clean_categories(d.get("categories"))
                if d.get("coordinator_id"):
                    check_coordinator(self.session.store, d["coordinator_id"])
                if not text(d.get("outline_plan")):
                    raise ValidationError(N_("Record the outline plan for each registered child."),
                                          field="outline_plan")
            else:
                out["categories"] = []
        else:
            out["deregister"] = bool(d.get("deregister"))
            if out["deregister"] and not text(d.get("reasons")):
                raise ValidationError(N_("Record the reasons for removing the child's name from the register."),
                                      field="reasons")
            if d.get("categories") is not None:
                out["categories"] = clean_categories(d["categories"])
            if d.get("coordinator_id"):
                check_coordinator(self.session.store, d["coordinator_id"])
        return out

    def _apply(self, tx: Tx, conf: dict[str, Any], held: str, d: dict[str, Any], out: dict[str, Any],
               later: _Later) -> None:
        case_id, child = conf["case_id"], d["person_id"]
        registered = d.get("registered") if conf["kind"] == "initial" else not d["deregister"]
        decision = tx.insert("cp_conference_decision", {
            "conference_id": conf["id"], "person_id": child, "registered": int(bool(registered)),
            "categories": dumps(d.get("categories") or []), "coordinator_id": d.get("coordinator_id"),
            "outline_plan": text(d.get("outline_plan")) or None, "first_core_group_on": d.get("first_core_group_on"),
            "next_review_on": d.get("next_review_on"), "deregistered": int(bool(d.get("deregister"))),
            "reasons": text(d.get("reasons")) or None, "dissent": text(d.get("dissent")) or None,
            "outline_plan_cy": text(d.get("outline_plan_cy")) or None, "reasons_cy": text(d.get("reasons_cy")) or None,
        }, case_id=case_id)
        out["decisions"].append(decision)
        if conf["kind"] == "initial":
            if not registered:
                return
            entry = register_child(tx, case_id=case_id, person_id=child, on=held, conference_id=conf["id"],
                                   categories=d["categories"], coordinator_id=d.get("coordinator_id"),
                                   next_review_on=d.get("next_review_on"))
            out["entries"].append(entry)
            add_members(tx, case_id, d.get("core_group") or [], held)
            create_outline(tx, case_id, text(d["outline_plan"]), text(d.get("outline_plan_cy")) or None)
            if not d.get("coordinator_id"):
                self._no_coordinator(tx, conf, held, child, out)
                later.no_coordinator.append(child)
            else:
                for parent in parents_with_pr(tx, case_id, [child]):
                    key = (parent, d["coordinator_id"], d.get("next_review_on") or "")
                    later.plans.setdefault(key, []).append((child, text(d["outline_plan"]), decision["id"]))
            return
        current = active_entry(tx, child)
        if current is None:
            return
        entry = current
        if d["deregister"]:
            after = change_entry(tx, entry, {"status": "deregistered", "deregistered_on": held,
                                             "deregistration_reason": "review_conference",
                                             "deregistration_note": text(d["reasons"])},
                                 "deregistered", held, reason=text(d["reasons"]), conference_id=conf["id"])
            out["entries"].append(after)
            for recipient in _agencies_and_family(tx, case_id, [child], held):
                later.removed.setdefault((*recipient, entry["coordinator_id"] or ""), []).append(
                    (child, text(d["reasons"]), decision["id"]))
            return
        changes: dict[str, Any] = {}
        if d.get("next_review_on"):
            changes["next_review_on"] = d["next_review_on"]
        if d.get("categories") is not None and d["categories"] != loads(entry["categories"]):
            changes["categories"] = dumps(d["categories"])
        if d.get("coordinator_id") and d["coordinator_id"] != entry["coordinator_id"]:
            changes["coordinator_id"] = d["coordinator_id"]
        if changes:
            change = "categories" if "categories" in changes else "reviewed"
            out["entries"].append(change_entry(tx, entry, changes, change, held, conference_id=conf["id"]))

    def _no_coordinator(self, tx: Tx, conf: dict[str, Any], held: str, child: str, out: dict[str, Any]) -> None:
        """N3: the senior manager responsible for safeguarding is told at once (a task per child; the
        letter, naming every such child, is queued by :class:`_Later`)."""
        out["escalations"].append(raise_task(
            tx, case_id=conf["case_id"], kind="no_coordinator", to_role=Role.SENIOR_MANAGER, raised_on=held,
            person_id=child, details={"conference_id": conf["id"]}))

    def _n9(self, tx: Tx, conf: dict[str, Any], held: str, attendance: list[dict[str, Any]],
            decisions: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """C7: the outline plan and summary of decisions to those invited and present and the core group."""
        recipients: dict[tuple[str, str], None] = {}
        for inv in tx.query("SELECT recipient_kind, recipient_id FROM cp_conference_invitation"
                            " WHERE conference_id = ? AND deleted = 0", [conf["id"]]):
            recipients[(inv["recipient_kind"], inv["recipient_id"])] = None
        for a in attendance:
            if a.get("attended", True):
                for kind in ("practitioner", "person", "agency"):
                    key = a.get(f"{kind}_id")
                    if key:
                        recipients[(kind, key)] = None
                        break
        for m in active_core_members(tx, conf["case_id"], held):
            recipients[(m["member_kind"], m["practitioner_id"] or m["agency_id"] or m["person_id"])] = None
        # One letter to each recipient naming every child, with each child's decision beside the name.
        facts: dict[str, list[tuple[str, Any]]] = {}
        for d in decisions:
            name = child_facts(tx, d["person_id"])["child_name"]
            entry = active_entry(tx, d["person_id"])
            registered = entry is not None
            for key, value in (
                ("coordinator_name", practitioner(tx, entry["coordinator_id"] if entry else None)["name"]),
                ("first_core_group_date", d.get("first_core_group_on") or ""),
                ("next_review_date", d.get("next_review_on") or ""),
                ("categories", bilingual_categories(loads(entry["categories"])) if entry else ""),
                ("registration_decision", bilingual(
                    N_("The child's name is on the child protection register.") if registered
                    else N_("The child's name is not on the child protection register."))),
            ):
                facts.setdefault(key, []).append((name, value))
        data = {**children_facts(tx, [d["person_id"] for d in decisions]), "conference_date": held,
                **{key: per_child(items) for key, items in facts.items()}}
        return [queue_letter(tx, case_id=conf["case_id"], template_id="N9", recipient_kind=kind, recipient_id=rid,
                             data=data, source_event=f"cp_conference:{conf['id']}") for kind, rid in recipients]

    def review_material(self, case_id: str, since: str | None = None) -> dict[str, Any]:
        """What the co-ordinator's report for a review conference draws on: every core group since the
        last conference held (or ``since``) with its attendance, apologies and written contributions,
        progress ratings per outcome, actions reviewed and denied-access incidents; and the plan."""
        read_casework(self.session, case_id, "cp_core_group")
        store = self.session.store
        if since is None:
            last = store.rows("SELECT MAX(held_on) AS d FROM cp_conference WHERE case_id = ? AND status = 'held'"
                              " AND deleted = 0", [case_id])
            since = last[0]["d"] or "0000-00-00"
        groups = store.rows(
            "SELECT g.* FROM cp_core_group g WHERE g.case_id = ? AND g.deleted = 0 AND g.held_on >= ?"
            " AND NOT EXISTS (SELECT 1 FROM cp_core_group a WHERE a.amends_id = g.id) ORDER BY g.held_on",
            [case_id, since])
        for g in groups:
            g["attendance"] = store.rows(
                "SELECT * FROM cp_core_group_attendance WHERE core_group_id = ? ORDER BY created_at", [g["id"]])
            g["items"] = store.rows(
                "SELECT * FROM cp_core_group_item WHERE core_group_id = ? ORDER BY kind, created_at", [g["id"]])
        from desktop.services.child_protection.plan import PlanService

        return {"since": since, "core_groups": groups, "plan": PlanService(self.session).current(case_id)}

    def record_circulated(self, conference_id: str, *, outline_plan_sent_on: str | None = None,
                          record_sent_on: str | None = None, comments_received_on: str | None = None) -> dict[str, Any]:
        """C7 (outline plan and decisions sent), C8 (full record sent), C9 (comments on the record back)."""
        self.session.require(Can.RECORD_CASEWORK)
        self._get(conference_id)
        today = self.session.today()
        changes = {}
        if comments_received_on:
            changes["record_comments_on"] = required_date(comments_received_on, "comments_received_on",
                                                          today).isoformat()
        if outline_plan_sent_on:
            changes["outline_plan_sent_on"] = required_date(outline_plan_sent_on, "outline_plan_sent_on", today).isoformat()
        if record_sent_on:
            changes["record_sent_on"] = required_date(record_sent_on, "record_sent_on", today).isoformat()
        return self.session.write(lambda tx: tx.update("cp_conference", conference_id, changes))

    def for_case(self, case_id: str) -> list[dict[str, Any]]:
        read_casework(self.session, case_id, "cp_conference")
        return self.session.store.rows(
            "SELECT * FROM cp_conference WHERE case_id = ? AND deleted = 0"
            " ORDER BY COALESCE(held_on, scheduled_on) DESC", [case_id])

    def _get(self, conference_id: str) -> dict[str, Any]:
        rows = self.session.store.rows("SELECT * FROM cp_conference WHERE id = ? AND deleted = 0", [conference_id])
        if not rows:
            raise NotFound(N_("That conference does not exist."))
        require_case(self.session, rows[0]["case_id"])
        return rows[0]


def _coordinator_of(tx: Tx, children: list[str]) -> str | None:
    for child in children:
        entry = active_entry(tx, child)
        if entry and entry["coordinator_id"]:
            return entry["coordinator_id"]
    return None


class _Later:
    """The letters a conference's decisions oblige, gathered child by child and queued once per
    recipient, each naming every child it is about: N19 (the plan, to each parent with parental
    responsibility, per co-ordinator and review date), N12 (removal from the register, to the core
    group's agencies and the family) and N3 (no co-ordinator named, to each senior manager)."""

    def __init__(self) -> None:
        self.plans: dict[tuple[str, str, str], list[tuple[str, str, str]]] = {}
        self.removed: dict[tuple[str, str, str], list[tuple[str, str, str]]] = {}
        self.no_coordinator: list[str] = []

    def send(self, tx: Tx, conf: dict[str, Any], held: str) -> list[dict[str, Any]]:
        case_id, source = conf["case_id"], f"cp_conference:{conf['id']}"
        letters = []
        for (parent, coordinator_id, next_review), items in self.plans.items():
            coord = practitioner(tx, coordinator_id)
            letters.append(queue_letter(
                tx, case_id=case_id, template_id="N19", recipient_kind="person", recipient_id=parent,
                data={**children_facts(tx, [c for c, _plan, _d in items]), "coordinator_name": coord["name"],
                      "coordinator_phone": coord["phone"], "next_review_date": next_review, "plan_date": held,
                      "rationale": _joined(tx, items), "audience": "family",
                      "welsh_sources": {"rationale": _sources(tx, items, "outline_plan")}},
                source_event=source))
        for (kind, rid, coordinator_id), items in self.removed.items():
            coord = practitioner(tx, coordinator_id or None)
            letters.append(queue_letter(
                tx, case_id=case_id, template_id="N12", recipient_kind=kind, recipient_id=rid,
                data={**children_facts(tx, [c for c, _why, _d in items]), "conference_date": held,
                      "coordinator_name": coord["name"], "reasons": _joined(tx, items),
                      "welsh_sources": {"reasons": _sources(tx, items, "reasons")},
                      "audience": "family" if kind == "person" else "agency"},
                source_event=source))
        if self.no_coordinator:
            chair = practitioner(tx, conf["chair_id"])
            team = tx.query("SELECT t.name FROM case_file c JOIN team t ON t.id = c.team_id WHERE c.id = ?",
                            [case_id])
            for sm in tx.query("SELECT id FROM practitioner WHERE deleted = 0 AND active = 1 AND app_role = ?",
                               [Role.SENIOR_MANAGER]):
                letters.append(queue_letter(
                    tx, case_id=case_id, template_id="N3", recipient_kind="practitioner", recipient_id=sm["id"],
                    data={**children_facts(tx, self.no_coordinator), "conference_date": held,
                          "chair_name": chair["name"], "team_name": team[0]["name"] if team else ""},
                    source_event=source))
        return letters


def _joined(tx: Tx, items: list[tuple[str, str, str]]) -> str:
    """One child's text as it is; several children's texts each under the child's name (the same text
    for every child once), as paragraphs."""
    texts = list(dict.fromkeys(t for _c, t, _d in items if t))
    if len(texts) <= 1:
        return "".join(texts)
    return "\n\n".join(f"{child_facts(tx, c)['child_name']}: {t}" for c, t, _d in items if t)


def _sources(tx: Tx, items: list[tuple[str, str, str]], column: str) -> list[list[str]]:
    """Where :func:`_joined`'s paragraphs come from (the decisions' ``column``), so the print queue
    re-reads them, with their Welsh, from the record (:mod:`desktop.services.welsh_text`)."""
    texts = list(dict.fromkeys(t for _c, t, _d in items if t))
    if len(texts) <= 1:
        return [source("cp_conference_decision", d, column) for _c, t, d in items if t][:1]
    return [source("cp_conference_decision", d, column, f"{child_facts(tx, c)['child_name']}: ")
            for c, t, d in items if t]


def _agencies_and_family(tx: Tx, case_id: str, children: list[str], on: str) -> list[tuple[str, str]]:
    agencies = {m["agency_id"] for m in active_core_members(tx, case_id, on) if m["agency_id"]}
    return [("agency", a) for a in sorted(agencies)] + [("person", p) for p in parents_with_pr(tx, case_id, children)]
