"""Needs Welsh text: a Welsh or bilingual letter quoting a free text only in English is held with the
reason in both languages, released once the Welsh is recorded, and prints the Welsh; an English
letter is never held for it. Real encrypted profile, real conference, PDFs read back."""

from __future__ import annotations

import io
from typing import Any

import pytest
from pypdf import PdfReader

from desktop.errors import PermissionDenied, ValidationError
from desktop.services.letters import LetterService
from desktop.services.welsh_text import WelshTextService
from tests.casework import World


def _text(pdf: bytes) -> str:
    return " ".join("\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages).split())


def _letters(w: World, code: str) -> dict[str, Any]:
    """Recipient id → the queue's row for the conference's ``code`` letters (re-checked)."""
    return {q.recipient_id: q for q in LetterService(w.as_("tm")).queue() if q.code == code}


def test_a_welsh_parents_outline_plan_letter_waits_for_the_welsh_and_then_prints_it(registered: World) -> None:
    w, ids = registered, registered.ids
    tm = w.as_("tm")
    n9 = _letters(w, "N9")
    mam = n9[ids["mam"]]  # Catrin prefers Welsh; the outline plan was written in English only
    assert (mam.language, mam.status, mam.held_reason) == ("cy", "held", "needs_welsh:outline_plan")
    assert mam.held_text("en") == "Needs Welsh text, only in English so far: the outline plan"
    assert mam.held_text("cy") == "Angen testun Cymraeg, yn Saesneg yn unig hyd yma: y cynllun amlinellol"
    assert not mam.releasable  # only the Welsh releases it
    agency = n9[ids["police"]]  # an agency gets the same letter bilingual: held too
    assert (agency.language, agency.held_reason) == ("bilingual", "needs_welsh:outline_plan")

    welsh = WelshTextService(tm)
    needed = welsh.needed(mam.id)
    assert [(f.what, f.english, f.welsh) for f in needed] == [
        ("outline_plan", "Outline plan for elis\n\nOutline plan for mali", None)]
    with pytest.raises(ValidationError):
        welsh.add(mam.id, {needed[0].key: "   "})  # nothing given: nothing written
    with pytest.raises(ValidationError):
        welsh.add(mam.id, {"cp_plan:not-this-letter:outline": "Rhywbeth"})
    welsh.add(mam.id, {needed[0].key: "Cynllun amlinellol i Elis\n\nCynllun amlinellol i Mali"})

    n9 = _letters(w, "N9")  # listing the queue re-checks: both letters released by themselves
    assert (n9[ids["mam"]].status, n9[ids["mam"]].held_reason) == ("queued", None)
    assert n9[ids["police"]].status == "queued"
    cy = _text(LetterService(tm).preview(mam.id))
    assert "Cynllun amlinellol i Elis" in cy and "Outline plan for elis" not in cy
    both = _text(LetterService(tm).preview(agency.id))
    assert "Cynllun amlinellol i Mali" in both and "Outline plan for mali" in both


def test_the_plan_letter_to_a_welsh_parent_waits_for_each_childs_outline_in_welsh(registered: World) -> None:
    """N19 quotes each child's outline from the conference decisions (append-only): the Welsh added
    afterwards is an amendment of each decision, and the letter prints it under each child's name.
    The English-preference parent's letter is never held for Welsh."""
    w, ids = registered, registered.ids
    tm = w.as_("tm")
    n19 = _letters(w, "N19")
    dad = n19[ids["dad"]]
    assert (dad.language, dad.status) == ("en", "queued")
    assert "Outline plan for mali" in _text(LetterService(tm).preview(dad.id))
    mam = n19[ids["mam"]]
    assert mam.held_reason == "needs_welsh:outline_plan"
    needed = WelshTextService(tm).needed(mam.id)
    assert sorted(f.english for f in needed) == ["Outline plan for elis", "Outline plan for mali"]
    first = next(f for f in needed if f.english.endswith("elis"))
    WelshTextService(tm).add(mam.id, {first.key: "Cynllun Elis yn Gymraeg"})
    assert _letters(w, "N19")[ids["mam"]].held_reason == "needs_welsh:outline_plan"  # Mali's still English
    rest = next(f for f in WelshTextService(tm).needed(mam.id) if not f.welsh)
    WelshTextService(tm).add(mam.id, {rest.key: "Cynllun Mali yn Gymraeg"})
    assert _letters(w, "N19")[ids["mam"]].status == "queued"
    text = _text(LetterService(tm).preview(mam.id))
    assert "Elis Jones: Cynllun Elis yn Gymraeg" in text and "Mali Jones: Cynllun Mali yn Gymraeg" in text
    amended = w.sw.store.rows("SELECT outline_plan, outline_plan_cy FROM cp_conference_decision"
                              " WHERE amends_id IS NOT NULL ORDER BY outline_plan")
    assert [(r["outline_plan"], r["outline_plan_cy"]) for r in amended] == [
        ("Outline plan for elis", "Cynllun Elis yn Gymraeg"), ("Outline plan for mali", "Cynllun Mali yn Gymraeg")]


def test_the_welsh_given_at_the_conference_goes_straight_into_the_letters(world: World) -> None:
    from tests.child_protection.helpers import determine_all, initial_conference, strategy

    strategy(world, "2026-10-12")
    determine_all(world)
    initial_conference(world, "2026-10-26", decisions=[
        {"person_id": world.ids[child], "registered": True, "categories": ["neglect"],
         "coordinator_id": world.ids["sw"], "outline_plan": f"Outline plan for {child}",
         "outline_plan_cy": f"Cynllun amlinellol i {child}", "first_core_group_on": "2026-11-20",
         "next_review_on": "2027-02-10", "core_group": [{"person_id": world.ids["mam"], "member_kind": "person"}]}
        for child in ("elis", "mali")])
    for code in ("N9", "N19"):
        letter = _letters(world, code)[world.ids["mam"]]
        assert (letter.status, letter.held_reason) == ("queued", None), code
        assert "Cynllun amlinellol i mali" in _text(LetterService(world.as_("tm")).preview(letter.id))


def test_only_a_caseworker_in_scope_adds_the_welsh(registered: World) -> None:
    w, ids = registered, registered.ids
    mam = _letters(w, "N9")[ids["mam"]]
    custodian = WelshTextService(w.as_("custodian"))
    with pytest.raises(PermissionDenied):
        custodian.needed(mam.id)
    before = w.sw.store.rows("SELECT outline_cy FROM cp_plan")
    with pytest.raises(PermissionDenied):
        custodian.add(mam.id, {"x": "y"})
    assert w.sw.store.rows("SELECT outline_cy FROM cp_plan") == before


def test_the_plans_outcomes_are_quoted_with_their_welsh_and_a_changed_english_drops_it(registered: World) -> None:
    """Once the plan has outcomes, the outline plan letter quotes them: one without Welsh holds the Welsh
    parent's letter; the Welsh stays through a revision that leaves the English alone (the core group's,
    which does not edit the Welsh) and goes when the English changes."""
    from desktop.services.child_protection import PlanService

    w, ids = registered, registered.ids
    plans = PlanService(w.sw)
    plans.revise(ids["case"], actions=[], outcomes=[
        {"description": "Elis eats three meals a day", "description_cy": "Mae Elis yn bwyta tri phryd y dydd",
         "measure": "School reports"},
        {"description": "Mali goes to nursery", "measure": "Attendance"}])
    mam = _letters(w, "N9")[ids["mam"]]
    assert mam.held_reason == "needs_welsh:outcomes"
    needed = WelshTextService(w.as_("tm")).needed(mam.id)
    assert [(f.english, f.welsh) for f in needed] == [
        ("Elis eats three meals a day", "Mae Elis yn bwyta tri phryd y dydd"), ("Mali goes to nursery", None)]
    WelshTextService(w.as_("tm")).add(mam.id, {needed[1].key: "Mae Mali yn mynd i'r feithrinfa"})
    assert _letters(w, "N9")[ids["mam"]].status == "queued"
    text = _text(LetterService(w.as_("tm")).preview(mam.id))
    assert "Mae Elis yn bwyta tri phryd y dydd" in text and "Mae Mali yn mynd i'r feithrinfa" in text

    current = plans.current(ids["case"])["outcomes"]
    same = [{k: o[k] for k in ("id", "description", "measure")} for o in current]  # no Welsh given
    plans.revise(ids["case"], actions=[], outcomes=same)
    assert _letters(w, "N9")[ids["mam"]].status == "queued"  # the Welsh kept
    plans.revise(ids["case"], actions=[], outcomes=[{**same[0], "description": "Elis eats well"}, same[1]])
    assert _letters(w, "N9")[ids["mam"]].held_reason == "needs_welsh:outcomes"  # the old Welsh is not printed


@pytest.mark.parametrize("welsh", [None, "Risg wedi lleihau."])
def test_a_removal_notice_quotes_the_reasons_in_welsh_or_waits_for_them(registered: World, welsh: str | None) -> None:
    """N12 to the Welsh parent quotes the review's reasons for removing Elis's name: held until they are
    in Welsh (given at the review, or added from the queue as an amendment of the decision)."""
    from desktop.services.child_protection import ConferenceService
    from tests.child_protection.helpers import attendance

    w, ids = registered, registered.ids
    w.on("2027-01-20")
    conferences = ConferenceService(w.sw)
    review = conferences.convene(ids["case"], kind="review", scheduled_on="2027-01-20", invitees=[])
    conferences.hold_review(review["id"], held_on="2027-01-20", report="Outcomes met for Elis.",
                            attendance=attendance("ss", "police", "health", ids=ids),
                            decisions=[{"person_id": ids["elis"], "deregister": True, "reasons": "Risk reduced.",
                                        "reasons_cy": welsh},
                                       {"person_id": ids["mali"], "deregister": False}])
    mam = _letters(w, "N12")[ids["mam"]]
    if welsh is None:
        assert mam.held_reason == "needs_welsh:removal_reasons"
        (field,) = WelshTextService(w.as_("tm")).needed(mam.id)
        WelshTextService(w.as_("tm")).add(mam.id, {field.key: "Risg wedi lleihau."})
        mam = _letters(w, "N12")[ids["mam"]]
    assert (mam.language, mam.status) == ("cy", "queued")
    text = _text(LetterService(w.as_("tm")).preview(mam.id))
    assert "Risg wedi lleihau." in text and "Risk reduced." not in text


def test_a_letter_never_quotes_a_record_of_another_case(registered: World) -> None:
    """A letter whose sources name a decision of another case (forged data, say) neither quotes it nor
    is held for it, and its Welsh cannot be written through that letter."""
    from desktop.services.cases import CaseService
    from desktop.services.correspondence import queue_letter
    from desktop.services.persons import PersonService
    from desktop.services.welsh_text import source

    w, ids = registered, registered.ids
    other_child = PersonService(w.sw).create({"given_names": "Nia", "family_name": "Bevan",
                                              "date_of_birth": "2017-01-01"})
    other = CaseService(w.sw).create("child_protection", subject_ids=[other_child["id"]], opened_on="2026-10-01")
    CaseService(w.sw).add_member(other["id"], ids["mam"], "parent")
    decision = w.sw.store.rows("SELECT id FROM cp_conference_decision WHERE person_id = ?", [ids["elis"]])[0]["id"]
    data = {"child_name": "Nia Bevan", "child_dob": "2017-01-01", "coordinator_name": "Siân Roberts",
            "coordinator_phone": "01554 111111", "next_review_date": "2027-02-10", "plan_date": "2026-10-26",
            "rationale": "Nia's own plan.", "audience": "family",
            "welsh_sources": {"rationale": [source("cp_conference_decision", decision, "outline_plan")]}}
    letter = w.sw.write(lambda tx: queue_letter(tx, case_id=other["id"], template_id="N19", recipient_kind="person",
                                                recipient_id=ids["mam"], data=data))
    LetterService(w.as_("tm")).recheck()
    queued = LetterService(w.as_("tm")).get(letter["id"])
    assert not (queued.held_reason or "").startswith("needs_welsh")
    assert WelshTextService(w.as_("tm")).needed(letter["id"]) == []
    with pytest.raises(ValidationError):
        WelshTextService(w.as_("tm")).add(letter["id"], {f"cp_conference_decision:{decision}:outline_plan": "Dim"})
    assert w.count("cp_conference_decision") == 2  # no amendment written
