"""Conference reports from the store (Qt-free): a child protection conference (initial or review)
or an adult protection conference mapped onto the ``reports`` dataclasses and rendered.

``ConferenceReportService(session)``:

* ``child(conference_id) -> reports.ChildConference`` — the decision per child (current decisions:
  a corrected decision replaces what it corrects), attendance, the social worker's report, written
  core group contributions since the previous conference, the plan's outcomes with their actions
  (the outline plan when no detailed plan exists yet), first core group and next review dates;
* ``adult(conference_id) -> reports.AdultConference`` — the adult, chair, lead co-ordinator and lead
  practitioner now, how the adult took part, agency reports asked for and received (A7), the
  outcome summary and decisions;
* ``render(conference_id, languages=("cy", "en")) -> bytes`` — whichever kind the id is;
* ``held(case_id) -> list[HeldConference]`` — the case's conferences that have been held (child
  protection initial and review, adult protection), newest first: what the app offers a report of.

Needs ``Can.VIEW_CASEWORK`` and the conference's case in scope (else :class:`NotFound`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from desktop.errors import NotFound
from desktop.i18n import N_
from desktop.services.correspondence_guard import redact, secrets
from desktop.services.letters import bi, load_council
from desktop.services.reads import read_casework
from reports import (
    AdultConference,
    AgencyReport,
    Attendee,
    ChildConference,
    ConferenceChild,
    CoreGroupContribution,
    PlanAction,
    PlanOutcome,
    render_conference_report,
)

PARTICIPATION_TEXT = {
    "attended": N_("The adult attended the conference."),
    "advocate": N_("The adult's views were given by an advocate."),
    "written": N_("The adult gave their views in writing."),
    "views_via_practitioner": N_("The adult's views were given through a practitioner."),
    "refused": N_("The adult chose not to take part."),
}
_DRAFT_CY = {
    "The adult attended the conference.": "Mynychodd yr oedolyn y gynhadledd.",
    "The adult's views were given by an advocate.": "Rhoddwyd barn yr oedolyn gan eiriolwr.",
    "The adult gave their views in writing.": "Rhoddodd yr oedolyn ei farn yn ysgrifenedig.",
    "The adult's views were given through a practitioner.": "Rhoddwyd barn yr oedolyn drwy ymarferydd.",
    "The adult chose not to take part.": "Dewisodd yr oedolyn beidio â chymryd rhan.",
}
for _msgid in _DRAFT_CY:
    N_(_msgid)


def _d(value: str | None) -> date | None:
    return date.fromisoformat(value[:10]) if value else None


@dataclass(frozen=True)
class HeldConference:
    """A conference held, as the app lists it: ``kind`` is "initial", "review" or "adult"."""

    id: str
    kind: str
    held_on: str


def _bi(msgid: str) -> Any:
    return bi(msgid, drafts=_DRAFT_CY)


class ConferenceReportService:
    """Read-only; any thread."""

    def __init__(self, session: Any) -> None:
        self.session = session
        self.rows = session.store.rows

    def _name(self, table: str, row_id: str | None) -> str:
        if not row_id:
            return ""
        first = "COALESCE(preferred_name, given_names)" if table == "person" else "given_names"
        rows = self.rows(f"SELECT TRIM(COALESCE({first}, '') || ' ' || family_name) AS n FROM {table} WHERE id = ?",
                         [row_id])
        return rows[0]["n"] if rows else ""

    def _agency(self, agency_id: str | None) -> str:
        rows = self.rows("SELECT name FROM agency WHERE id = ?", [agency_id]) if agency_id else []
        return rows[0]["name"] if rows else ""

    def _case(self, case_id: str) -> dict[str, Any]:
        return read_casework(self.session, case_id, "conference_report")

    # -- child protection ---------------------------------------------------------------------
    def child(self, conference_id: str) -> ChildConference:
        rows = self.rows("SELECT * FROM cp_conference WHERE id = ? AND deleted = 0", [conference_id])
        if not rows:
            raise NotFound(N_("That conference does not exist."))
        conf = rows[0]
        case = self._case(conf["case_id"])
        decisions = self.rows(
            "SELECT * FROM cp_conference_decision d WHERE d.conference_id = ? AND d.deleted = 0"
            " AND NOT EXISTS (SELECT 1 FROM cp_conference_decision a WHERE a.amends_id = d.id AND a.deleted = 0)"
            " ORDER BY d.created_at", [conference_id])
        by_child = {d["person_id"]: d for d in decisions}
        children = []
        for pid in json.loads(conf["child_ids"] or "[]"):
            d = by_child.get(pid, {})
            dob = self.rows("SELECT date_of_birth FROM person WHERE id = ?", [pid])
            children.append(ConferenceChild(
                name=self._name("person", pid), date_of_birth=_d(dob[0]["date_of_birth"]) if dob else None,
                registered=bool(d.get("registered")), categories=json.loads(d.get("categories") or "[]"),
                deregistered=bool(d.get("deregistered")), decision_reasons=d.get("reasons") or "",
                coordinator=self._name("practitioner", d.get("coordinator_id")), dissent=d.get("dissent") or ""))
        attendees = []
        for a in self.rows("SELECT * FROM cp_conference_attendance WHERE conference_id = ? AND deleted = 0"
                           " ORDER BY created_at", [conference_id]):
            name = a["name"] or self._name("practitioner", a["practitioner_id"]) or self._name("person", a["person_id"])
            attendees.append(Attendee(name=name, role=a["grouping"] or "", agency=self._agency(a["agency_id"]),
                                      attended=bool(a["attended"])))
        council = load_council(self.session.profile.folder)
        reports = []
        if conf["report"]:
            reports.append(AgencyReport(
                agency=f"{council.name_cy} / {council.name_en}",
                author=self._name("practitioner", case.get("allocated_worker_id")), summary=conf["report"]))
        held = conf["held_on"] or conf["scheduled_on"]
        previous = self.rows(
            "SELECT max(held_on) AS on_ FROM cp_conference WHERE case_id = ? AND deleted = 0 AND status = 'held'"
            " AND held_on < ?", [conf["case_id"], held])
        since = previous[0]["on_"] or "0000-00-00"
        contributions = [
            CoreGroupContribution(member=r["name"], agency=self._agency(r["agency_id"]), contribution=r["written_contribution"])
            for r in self.rows(
                "SELECT a.name, a.written_contribution, m.agency_id FROM cp_core_group_attendance a"
                " JOIN cp_core_group g ON g.id = a.core_group_id LEFT JOIN cp_core_member m ON m.id = a.member_id"
                " WHERE g.case_id = ? AND g.deleted = 0 AND a.deleted = 0 AND a.written_contribution IS NOT NULL"
                " AND g.held_on > ? AND g.held_on <= ? ORDER BY g.held_on", [conf["case_id"], since, held])]
        return ChildConference(
            kind=conf["kind"], conference_date=_d(held) or self.session.today(), children=children,
            chair=self._name("practitioner", conf["chair_id"]), venue=conf["venue"] or "",
            record_taker=conf["record_taker"] or "", conference_language=conf["language"] or "en",
            attendees=attendees, agency_reports=reports, core_group_contributions=contributions,
            outcomes=self._outcomes(conf["case_id"], decisions),
            first_core_group_date=next((_d(d["first_core_group_on"]) for d in decisions if d["first_core_group_on"]), None),
            next_review_date=next((_d(d["next_review_on"]) for d in decisions if d["next_review_on"]), None),
            quorum_chair_discretion=bool(conf["quorum_discretion"]), reference=case["reference"])

    def _outcomes(self, case_id: str, decisions: list[dict[str, Any]]) -> list[PlanOutcome]:
        plan = self.rows("SELECT id, outline FROM cp_plan WHERE case_id = ? AND deleted = 0 AND status = 'active'"
                         " ORDER BY version_no DESC LIMIT 1", [case_id])
        outcomes: list[PlanOutcome] = []
        if plan:
            actions = self.rows("SELECT * FROM cp_plan_action WHERE plan_id = ? AND deleted = 0 ORDER BY due_on",
                                [plan[0]["id"]])
            for o in self.rows("SELECT * FROM cp_plan_outcome WHERE plan_id = ? AND deleted = 0 ORDER BY position",
                               [plan[0]["id"]]):
                outcomes.append(PlanOutcome(o["description"], [
                    PlanAction(a["description"], a["owner_name"], _d(a["due_on"])) for a in actions
                    if a["outcome_id"] == o["id"]]))
            loose = [a for a in actions if not a["outcome_id"]]
            if not outcomes and (plan[0]["outline"] or loose):
                outline = plan[0]["outline"] or next((d["outline_plan"] for d in decisions if d["outline_plan"]), "")
                outcomes.append(PlanOutcome(outline or "", [PlanAction(a["description"], a["owner_name"],
                                                                      _d(a["due_on"])) for a in loose]))
        elif any(d["outline_plan"] for d in decisions):
            outcomes.append(PlanOutcome(next(d["outline_plan"] for d in decisions if d["outline_plan"])))
        return outcomes

    # -- adults -------------------------------------------------------------------------------
    def adult(self, conference_id: str) -> AdultConference:
        from desktop.services.adults._common import LEAD_PRACTITIONER, acting_lead_coordinator, current_holder

        rows = self.rows("SELECT * FROM adult_conference WHERE id = ? AND deleted = 0", [conference_id])
        if not rows:
            raise NotFound(N_("That conference does not exist."))
        conf = rows[0]
        case = self._case(conf["case_id"])
        store = self.session.store
        dob = self.rows("SELECT date_of_birth FROM person WHERE id = ?", [conf["person_id"]])
        reports = [AgencyReport(agency=r["name"], author="", summary="", received=_d(r["received_on"]))
                   for r in self.rows("SELECT a.name, r.received_on FROM adult_conference_report r JOIN agency a"
                                      " ON a.id = r.agency_id WHERE r.conference_id = ? AND r.deleted = 0"
                                      " ORDER BY a.name", [conference_id])]
        participation = conf["participation"]
        return AdultConference(
            conference_date=_d(conf["held_on"] or conf["scheduled_on"]) or self.session.today(),
            adult_name=self._name("person", conf["person_id"]),
            adult_date_of_birth=_d(dob[0]["date_of_birth"]) if dob else None,
            chair=self._name("practitioner", conf["chair_id"]),
            lead_coordinator=self._name("practitioner", acting_lead_coordinator(store, conf["case_id"])),
            lead_practitioner=self._name("practitioner", current_holder(store, conf["case_id"], LEAD_PRACTITIONER)),
            adult_participation=_bi(PARTICIPATION_TEXT[participation]) if participation in PARTICIPATION_TEXT else "",
            agency_reports=reports, concerns=conf["outcome_summary"] or "",
            decisions=list(json.loads(conf["decisions"] or "[]")), reference=case["reference"])

    # -- listing ------------------------------------------------------------------------------
    def held(self, case_id: str) -> list[HeldConference]:
        """The case's conferences that have been held, newest first (a casework read, audited)."""
        read_casework(self.session, case_id, "conference_report")
        rows = self.rows(
            "SELECT id, kind, held_on FROM cp_conference WHERE case_id = ? AND deleted = 0 AND status = 'held'"
            " UNION ALL SELECT id, 'adult' AS kind, held_on FROM adult_conference WHERE case_id = ? AND deleted = 0"
            " AND status = 'held' ORDER BY held_on DESC", [case_id, case_id])
        return [HeldConference(r["id"], r["kind"], r["held_on"]) for r in rows]

    # -- rendering ----------------------------------------------------------------------------
    def render(self, conference_id: str, languages: tuple[str, ...] = ("cy", "en")) -> bytes:
        """The report as PDF bytes (Welsh part first when both)."""
        council = load_council(self.session.profile.folder)
        if self.rows("SELECT 1 FROM cp_conference WHERE id = ? AND deleted = 0", [conference_id]):
            data: Any = self.child(conference_id)
        else:
            data = self.adult(conference_id)
        # The report goes to everyone invited: no confidential address may appear in it.
        return render_conference_report(redact(data, secrets(self.rows)), council, languages=languages)
