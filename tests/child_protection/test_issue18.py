"""Issue 18 for child protection: the strategy discussion between C1 and C6, the pre-birth conference, a
manager's recorded exception to V1 for a baby, and who may change the co-ordinator. Each scenario
failed on the code before the issue (the comment says how)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from desktop.errors import PermissionDenied, ValidationError
from desktop.services.cases import CaseService
from desktop.services.child_protection.coordinator import CoordinatorService
from desktop.services.child_protection.enquiry import EnquiryService
from desktop.services.child_protection.report import ReportService
from desktop.services.child_protection.visits import VisitService
from desktop.services.exceptions import ExceptionService
from desktop.services.my_work import MyWorkService
from desktop.services.persons import PersonService
from tests.child_protection.helpers import strategy


def items(w: Any, on: str, session: Any = None) -> dict[tuple[str, str], Any]:
    w.on(on)
    return {(i.person_id, i.rule_id): i for i in MyWorkService(session or w.sw).all_items(date.fromisoformat(on))}


def test_the_strategy_discussion_is_due_once_it_is_decided(world: Any) -> None:
    # Before: nothing was due between the next-actions decision (C1) and the conference (C6).
    w, ids = world, world.ids
    w.on("2026-11-02")
    report = ReportService(w.sw).record(ids["case"], concerns="Bruises seen at school.", received_at="2026-11-02T09:00",
                                        source_type="professional", suspected_categories=["physical"])
    ReportService(w.sw).decide(report["id"], "strategy_discussion")
    c3 = items(w, "2026-11-05")[(ids["elis"], "C3")]
    assert (c3.due, c3.status, c3.action) == (date(2026, 11, 5), "due_today", "record_strategy")
    assert c3.reason == "Strategy discussion due by 5 Nov 2026"
    strategy(w, "2026-11-05")
    assert (ids["elis"], "C3") not in items(w, "2026-11-05")


def test_a_pre_birth_conference_is_due_before_the_expected_date(world: Any) -> None:
    # Before: no rule for an unborn child's conference.
    w, ids = world, world.ids
    unborn = PersonService(w.sw).create({"given_names": "Babi", "family_name": "Jones", "unborn": True,
                                         "expected_date": "2027-03-01"})
    CaseService(w.sw).add_member(ids["case"], unborn["id"], "subject")
    w.on("2026-11-02")
    strategy(w, "2026-11-02")
    for e in EnquiryService(w.sw).for_case(ids["case"]):
        EnquiryService(w.sw).determine(e["id"], 3, reason="Risk to the unborn baby from domestic abuse.")
    c20 = items(w, "2026-12-01")[(unborn["id"], "C20")]
    assert (c20.due, c20.status) == (date(2027, 1, 4), "upcoming")  # 8 weeks before 1 March
    assert (ids["elis"], "C20") not in items(w, "2026-12-01")  # only for the unborn child


@pytest.fixture
def baby(registered: Any) -> Any:
    """Mali is registered; make her a baby of five months for this scenario (her date of birth)."""
    w = registered
    PersonService(w.sw).update(w.ids["mali"], {"date_of_birth": "2026-06-01"})
    return w


def _visit(w: Any, day: str, *, alone: bool) -> None:
    w.on(day)
    VisitService(w.sw).record(w.ids["case"], visited_on=day, location="home", observations="Seen with Mam.",
                              children=[{"person_id": w.ids["mali"], "seen": True, "seen_alone": alone,
                                         "seen_at_home": True}])


def test_a_manager_records_that_seen_takes_the_place_of_seen_alone_for_a_baby(baby: Any) -> None:
    # Before: V1 was overdue for a 5-month-old and nothing let a manager record why.
    w, ids = baby, baby.ids
    _visit(w, "2026-11-16", alone=False)
    before = items(w, "2026-11-17")[(ids["mali"], "V1")]
    assert before.status == "overdue" and before.excepted_by is None
    with pytest.raises(PermissionDenied):
        ExceptionService(w.sw).record(ids["case"], ids["mali"], "V1", reason_kind="age", reason="Five months old.",
                                      until="2027-06-01")
    with pytest.raises(ValidationError) as refused:
        ExceptionService(w.as_("tm")).record(ids["case"], ids["mali"], "C12", reason_kind="age",
                                             reason="x", until="2027-06-01")
    assert refused.value.field == "rule_id"
    exc = ExceptionService(w.as_("tm")).record(ids["case"], ids["mali"], "V1", reason_kind="age",
                                               reason="Five months old: seen with her mother.", until="2027-06-01")
    assert exc["agreed_by"] == ids["tm"] and exc["substitute"] == "visit_seen"
    after = items(w, "2026-11-17")[(ids["mali"], "V1")]
    assert after.excepted_by == exc["id"] and not after.lifted
    assert (after.due, after.status) == (date(2026, 11, 30), "upcoming")  # 10 WD after being seen
    # It is audited and goes to the server like any record.
    audit = w.sw.store.rows("SELECT actor FROM audit WHERE entity = 'rule_exception' AND entity_id = ?", [exc["id"]])
    assert [a["actor"] for a in audit] == [ids["tm"]]
    assert w.sw.store.rows("SELECT 1 FROM outbox WHERE entity = 'rule_exception' AND entity_id = ?", [exc["id"]])
    shown = ExceptionService(w.sw).for_case(ids["case"])
    assert shown[0]["in_force"] and shown[0]["agreed_by_name"] == "Nia Morgan" and shown[0]["person_name"]
    # Elis is unaffected: the exception is per child.
    assert items(w, "2026-11-17")[(ids["elis"], "V1")].excepted_by is None
    # The committee figures can count exceptions in force in a period.
    from desktop.services.exceptions import in_period

    assert [x["rule_id"] for x in in_period(w.sw.store, date(2026, 11, 1), date(2026, 11, 30))] == ["V1"]
    assert in_period(w.sw.store, date(2027, 7, 1), date(2027, 7, 31)) == []
    # Past its end date the rule applies again in full.
    late = items(w, "2027-06-02")[(ids["mali"], "V1")]
    assert late.excepted_by is None and late.engine_item.anchor < date(2026, 12, 1)


def test_a_lifted_rule_is_listed_apart_not_as_a_duty(baby: Any) -> None:
    w, ids = baby, baby.ids
    # A board marks V2 as allowing exceptions; with no substitute the rule is lifted until the date.
    from desktop.domain.engine import Engine
    from desktop.domain.rules import RuleSet

    rules = RuleSet.load(rsb_overrides={"V2": {"exception_allowed": True}})
    ExceptionService(w.as_("tm"), rules).record(ids["case"], ids["mali"], "V2", reason_kind="other",
                                                reason="Family in a refuge; visits at the office agreed.",
                                                until="2027-02-01", use_substitute=False)
    service = MyWorkService(w.as_("tm"), engine=Engine(rules))
    w.on("2026-12-01")
    all_items = {(i.person_id, i.rule_id): i for i in service.all_items(date(2026, 12, 1))}
    v2 = all_items[(ids["mali"], "V2")]
    assert v2.lifted and v2.excepted_by and v2.status == "overdue"
    view = service.view(date(2026, 12, 1))
    assert (ids["mali"], "V2") not in {(i.person_id, i.rule_id) for i in view.responsible}
    assert (ids["mali"], "V2") in {(i.person_id, i.rule_id) for i in service.excepted(date(2026, 12, 1),
                                                                                     mine_only=False)}
    assert (ids["elis"], "V2") in {(i.person_id, i.rule_id) for i in view.responsible}


def test_only_the_outgoing_coordinator_or_their_manager_changes_the_coordinator(registered: Any) -> None:
    # Before: any caseworker could change the co-ordinator.
    w, ids = registered, registered.ids
    w.on("2026-11-12")
    # Gareth (``sw2``) works on the case too, so he can see it, but he is not its co-ordinator.
    w.sw.write(lambda tx: tx.insert("role_assignment", {"role": "co_worker", "practitioner_id": ids["sw2"],
                                                        "from_date": "2026-11-01"}, case_id=ids["case"]))
    told = [{"name": "Catrin Jones", "relationship": "mother"}]
    with pytest.raises(PermissionDenied):
        CoordinatorService(w.as_("sw2")).change(ids["case"], new_coordinator_id=ids["sw2"], verbal_on="2026-11-12",
                                                verbal_to=told, child_ids=[ids["elis"]])
    by_manager = CoordinatorService(w.as_("tm")).change(ids["case"], new_coordinator_id=ids["sw2"],
                                                        verbal_on="2026-11-12", verbal_to=told,
                                                        child_ids=[ids["elis"]])
    assert by_manager["entries"][0]["coordinator_id"] == ids["sw2"]
    # Siân (``sw``) relinquishes Mali herself.
    mine = CoordinatorService(w.sw).change(ids["case"], new_coordinator_id=ids["sw2"], verbal_on="2026-11-12",
                                           verbal_to=told, child_ids=[ids["mali"]])
    assert mine["entries"][0]["coordinator_id"] == ids["sw2"]


def test_agencies_get_the_agency_invitation_not_the_parents_letter(world: Any) -> None:
    # Before: N8, written for parents ("Your views are important…"), went to agencies too.
    import io

    from pypdf import PdfReader

    from desktop.services.child_protection.conference import ConferenceService
    from desktop.services.letters import LetterService

    w, ids = world, world.ids
    w.on("2026-11-02")
    strategy(w, "2026-11-02")
    for e in EnquiryService(w.sw).for_case(ids["case"]):
        EnquiryService(w.sw).determine(e["id"], 3, reason="Neglect substantiated; continuing risk.")
    ConferenceService(w.sw).convene(ids["case"], kind="initial", scheduled_on="2026-11-16", chair_id=ids["tm"],
                                    venue="Neuadd y Sir", child_ids=[ids["elis"]],
                                    invitees=[{"kind": "person", "id": ids["mam"]},
                                              {"kind": "agency", "id": ids["police"]}])
    letters = {q.recipient_kind: q for q in LetterService(w.as_("tm")).queue() if q.code == "N8"}
    assert letters["person"].template_id == "n8_icpc_invitation"
    assert letters["agency"].template_id == "n8_icpc_invitation_agency"
    pdf = LetterService(w.as_("tm")).preview(letters["agency"].id)
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "What we ask your agency to do" in text and "Beth rydym yn gofyn i'ch asiantaeth ei wneud" in text
    assert "Your views are important" not in text
