"""Needs Welsh text for the plan's actions and support (N9, N19) and a visit's observations (N13): a
Welsh and a bilingual letter quoting them only in English are held with the words for what is missing,
and print the Welsh once it is recorded. Real encrypted profile, real casework, PDFs read back."""

from __future__ import annotations

import io
from typing import Any

import pytest
from pypdf import PdfReader

from desktop.services.child_protection import PlanService, VisitService
from desktop.services.letter_placeholders import QUOTED
from desktop.services.letters import LetterBuilder, LetterService, load_council
from desktop.services.persons import PersonService
from desktop.services.welsh_text import WelshTextService
from tests.casework import World

ACTIONS = {"Go to the parenting course": "Mynd i'r cwrs rhianta",
           "Give Elis a place at breakfast club": "Rhoi lle i Elis yn y clwb brecwast"}
SUPPORT = {"A family support worker twice a week.": "Gweithiwr cymorth i deuluoedd ddwywaith yr wythnos.",
           "Help with the shopping.": "Help gyda'r siopa."}
"""The plan's support, a line each (one text of two lines; each line is an item of the letter's list)."""
SUPPORT_TEXT = {"\n".join(SUPPORT): "\n".join(SUPPORT.values())}


def _text(pdf: bytes) -> str:
    return " ".join("\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages).split())


def _letter(w: World, code: str, recipient: str) -> Any:
    """The queue's row (re-checked) for ``code`` to ``recipient``."""
    return next(q for q in LetterService(w.as_("tm")).queue() if q.code == code and q.recipient_id == recipient)


def _quoted(w: World, letter_id: str) -> set[tuple[str, str, str]]:
    """(placeholder, table, column) of every text the letter quotes, as the print queue reads it."""
    row = w.sw.store.rows("SELECT l.*, c.reference AS case_reference FROM letter l LEFT JOIN case_file c"
                          " ON c.id = l.case_id WHERE l.id = ?", [letter_id])[0]
    prep = LetterBuilder(lambda q, p: w.sw.store.rows(q, p), load_council(None), w.sw.today()).prepare(row)
    return {(q.field, q.table, q.column) for q in prep.quoted}


def _add_all_welsh(w: World, letter_id: str, welsh: dict[str, str]) -> None:
    """Record the Welsh of every text the letter still needs, by its English."""
    service = WelshTextService(w.as_("tm"))
    wanted = {f.key: welsh[f.english] for f in service.needed(letter_id) if not f.welsh}
    service.add(letter_id, wanted)


@pytest.fixture
def planned(world: World) -> World:
    """Registered at the initial conference (Mark now has no language recorded: his letters are
    bilingual), then a detailed plan whose outcomes are in Welsh but whose actions and support are
    only in English."""
    from tests.child_protection.helpers import determine_all, initial_conference, strategy

    w, ids = world, world.ids
    PersonService(w.sw).update(ids["dad"], {"correspondence_language": "unknown"})
    strategy(w, "2026-10-12")
    determine_all(w)
    initial_conference(w, "2026-10-26", decisions=[
        {"person_id": ids[child], "registered": True, "categories": ["neglect"], "coordinator_id": ids["sw"],
         "outline_plan": f"Outline plan for {child}", "first_core_group_on": "2026-11-20",
         "next_review_on": "2027-02-10", "core_group": [{"person_id": ids["mam"], "member_kind": "person"}]}
        for child in ("elis", "mali")])
    actions = list(ACTIONS)
    PlanService(w.sw).revise(ids["case"], support="\n".join(SUPPORT), outcomes=[
        {"description": "Elis eats three meals a day", "description_cy": "Mae Elis yn bwyta tri phryd y dydd",
         "measure": "School reports"}], actions=[
        {"description": actions[0], "owner_kind": "person", "owner_id": ids["mam"], "outcome_index": 0},
        {"description": actions[1], "owner_kind": "agency", "owner_id": ids["school"], "due_on": "2026-12-01"}])
    return w


@pytest.mark.parametrize(("code", "who", "language", "reason", "words"), [
    ("N9", "mam", "cy", "needs_welsh:plan_actions,plan_support",
     "Angen testun Cymraeg, yn Saesneg yn unig hyd yma: camau gweithredu'r cynllun, y cymorth yn y cynllun"),
    ("N9", "police", "bilingual", "needs_welsh:plan_actions,plan_support",
     "Needs Welsh text, only in English so far: the plan's actions, the support in the plan"),
    ("N19", "mam", "cy", "needs_welsh:outline_plan,plan_actions,plan_support",
     "Angen testun Cymraeg, yn Saesneg yn unig hyd yma: y cynllun amlinellol, camau gweithredu'r cynllun,"
     " y cymorth yn y cynllun"),
    ("N19", "dad", "bilingual", "needs_welsh:outline_plan,plan_actions,plan_support",
     "Needs Welsh text, only in English so far: the outline plan, the plan's actions, the support in the plan"),
])
def test_the_plans_actions_and_support_wait_for_their_welsh(planned: World, code: str, who: str, language: str,
                                                            reason: str, words: str) -> None:
    w = planned
    letter = _letter(w, code, w.ids[who])
    assert (letter.language, letter.status, letter.held_reason) == (language, "held", reason)
    assert letter.held_text("cy" if language == "cy" else "en") == words
    tid = letter.template_id
    quoted = _quoted(w, letter.id)
    assert {(table, column) for _f, table, column in quoted} >= {("cp_plan_action", "description"),
                                                                 ("cp_plan", "support")}
    assert all((table, column) in QUOTED[tid][field] for field, table, column in quoted), quoted

    outline = {f"Outline plan for {c}": f"Cynllun amlinellol i {c}" for c in ("elis", "mali")}
    _add_all_welsh(w, letter.id, {**ACTIONS, **SUPPORT_TEXT, **outline})
    letter = _letter(w, code, w.ids[who])
    assert (letter.status, letter.held_reason) == ("queued", None)
    text = _text(LetterService(w.as_("tm")).preview(letter.id))
    for english, welsh in {**ACTIONS, **SUPPORT}.items():
        assert welsh in text
        assert (english in text) == (language == "bilingual"), english
    # The same Welsh serves every letter quoting the plan: none waits for the actions or support now.
    others = [q for q in LetterService(w.as_("tm")).queue() if q.code in ("N9", "N19") and q.language != "en"]
    assert len(others) >= 4 and all("plan_" not in (q.held_reason or "") for q in others), [
        (q.code, q.held_reason) for q in others]


def test_a_changed_action_or_support_drops_its_welsh(planned: World) -> None:
    """A revision that leaves an action's English alone keeps its Welsh; one that changes it (or the
    support) drops the Welsh, so the letter waits rather than print an old translation."""
    w, ids = planned, planned.ids
    mam = _letter(w, "N9", ids["mam"])
    _add_all_welsh(w, mam.id, {**ACTIONS, **SUPPORT_TEXT})
    assert _letter(w, "N9", ids["mam"]).status == "queued"
    plans = PlanService(w.sw)
    plan = plans.current(ids["case"])
    assert plan is not None
    outcomes = [{k: o[k] for k in ("id", "description", "measure")} for o in plan["outcomes"]]
    actions = [{k: a[k] for k in ("id", "description", "owner_kind", "owner_id", "owner_name", "due_on")}
               for a in plan["actions"]]
    plans.revise(ids["case"], outcomes=outcomes, actions=actions, support=plan["support"])
    assert _letter(w, "N9", ids["mam"]).status == "queued"  # nothing changed: the Welsh kept
    plans.revise(ids["case"], outcomes=outcomes, actions=[{**actions[0], "description": "Finish the course"},
                                                          actions[1]], support=plan["support"])
    assert _letter(w, "N9", ids["mam"]).held_reason == "needs_welsh:plan_actions"
    plans.revise(ids["case"], outcomes=outcomes, actions=actions, support="Someone to talk to.",
                 support_cy=None)
    assert _letter(w, "N9", ids["mam"]).held_reason == "needs_welsh:plan_actions,plan_support"


def _deny_access(w: World, **welsh: str) -> None:
    from tests.child_protection.helpers import determine_all, initial_conference, strategy

    strategy(w, "2026-10-12")
    determine_all(w)
    initial_conference(w, "2026-10-26")
    # The school reads Welsh; the nurse (a practitioner, no language recorded) gets the notice in both.
    w.sw.write(lambda tx: tx.update("agency", w.ids["school"], {"correspondence_language": "cy"}))
    w.on("2026-11-10")
    VisitService(w.sw).record(w.ids["case"], visited_on="2026-11-10", location="home", access_denied=True,
                              visitor_id=w.ids["sw2"], children=[{"person_id": w.ids["elis"], "seen": False}],
                              observations="Nobody opened the door; a child was heard inside.", **welsh)


@pytest.mark.parametrize(("who", "language"), [("school", "cy"), ("nurse", "bilingual")])
def test_the_access_denied_notice_waits_for_the_visits_observations_in_welsh(world: World, who: str,
                                                                              language: str) -> None:
    """N13 quotes what happened on the visit: held until the observations are in Welsh, which is added
    afterwards as an amendment of the visit carrying its children (the visit's facts are unchanged)."""
    w = world
    _deny_access(w)
    letter = _letter(w, "N13", w.ids[who])
    assert (letter.language, letter.status, letter.held_reason) == (language, "held", "needs_welsh:visit_observations")
    assert letter.held_text("cy") == "Angen testun Cymraeg, yn Saesneg yn unig hyd yma: beth ddigwyddodd ar yr ymweliad"
    assert _quoted(w, letter.id) == {("what_happened", "cp_visit", "observations")}
    visits = VisitService(w.sw).for_case(w.ids["case"])
    _add_all_welsh(w, letter.id, {"Nobody opened the door; a child was heard inside.":
                                  "Ni agorodd neb y drws; clywyd plentyn y tu mewn."})
    letter = _letter(w, "N13", w.ids[who])
    assert (letter.status, letter.held_reason) == ("queued", None)
    text = _text(LetterService(w.as_("tm")).preview(letter.id))
    assert "Ni agorodd neb y drws; clywyd plentyn y tu mewn." in text
    assert ("Nobody opened the door" in text) == (language == "bilingual")
    # The visit now reads as its amendment, with the same child facts as before.
    after = VisitService(w.sw).for_case(w.ids["case"])
    assert len(after) == len(visits) and after[0]["amends_id"] == visits[0]["id"]
    assert after[0]["observations_cy"] == "Ni agorodd neb y drws; clywyd plentyn y tu mewn."
    assert [(c["person_id"], c["seen"]) for c in after[0]["children"]] == [(w.ids["elis"], 0)]


def test_the_observations_given_in_welsh_on_the_visit_go_straight_into_the_notice(world: World) -> None:
    w = world
    _deny_access(w, observations_cy="Ni agorodd neb y drws; clywyd plentyn y tu mewn.")
    letter = _letter(w, "N13", w.ids["school"])
    assert (letter.language, letter.status) == ("cy", "queued")
    assert "Ni agorodd neb y drws" in _text(LetterService(w.as_("tm")).preview(letter.id))


def test_a_bilingual_removal_notice_waits_for_the_reasons_in_welsh(world: World) -> None:
    """N12 to a core group agency (a circular: bilingual) quotes the reasons for removing Elis's name: held
    until they are in Welsh, then printed with both."""
    from desktop.services.child_protection import ConferenceService
    from tests.child_protection.helpers import attendance, determine_all, initial_conference, strategy

    w, ids = world, world.ids
    strategy(w, "2026-10-12")
    determine_all(w)
    initial_conference(w, "2026-10-26")
    w.on("2027-01-20")
    conferences = ConferenceService(w.sw)
    review = conferences.convene(ids["case"], kind="review", scheduled_on="2027-01-20", invitees=[])
    conferences.hold_review(review["id"], held_on="2027-01-20", report="Outcomes met for Elis.",
                            attendance=attendance("ss", "police", "health", ids=ids),
                            decisions=[{"person_id": ids["elis"], "deregister": True, "reasons": "Risk reduced."},
                                       {"person_id": ids["mali"], "deregister": False}])
    agency = _letter(w, "N12", ids["school"])
    assert (agency.language, agency.status, agency.held_reason) == ("bilingual", "held", "needs_welsh:removal_reasons")
    assert agency.held_text("en") == ("Needs Welsh text, only in English so far: the reasons for removing a name"
                                      " from the register")
    _add_all_welsh(w, agency.id, {"Risk reduced.": "Risg wedi lleihau."})
    assert _letter(w, "N12", ids["school"]).status == "queued"
    text = _text(LetterService(w.as_("tm")).preview(agency.id))
    assert "Risg wedi lleihau." in text and "Risk reduced." in text
