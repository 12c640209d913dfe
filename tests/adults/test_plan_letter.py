"""The plan explained to the adult at risk (N19, ``n19_plan_adult``): queued from the plan in the adult's
language, its texts read from the plan when printed, and a Welsh letter held until every text it quotes is in
Welsh (m0030: the plan's summary, outcomes and actions have their Welsh beside them)."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from desktop.errors import ValidationError
from desktop.services.adults import PlanService
from desktop.services.letters import LetterService, QueuedLetter
from desktop.services.persons import PersonService
from desktop.services.welsh_text import WelshTextService
from tests.adults.helpers import due, up_to_strategy
from tests.casework import World

WHY = ("Margaret's son has been taking her pension.", "Mae mab Margaret wedi bod yn cymryd ei phensiwn.")
OUTCOME = ("Margaret keeps her own money.", "Mae Margaret yn cadw ei harian ei hun.")
HERS = ("Keep the new bank card at home.", "Cadw'r cerdyn banc newydd yn y tŷ.")
CARERS = ("Visit every morning.", "Ymweld bob bore.")


def _plan(w: World, preference: str, *, welsh: bool = False) -> str:
    """Margaret (``preference``) has a plan with an outcome, an action of her own and one of the carers'
    agency; returns the plan's id."""
    PersonService(w.sw).update(w.ids["margaret"], {"correspondence_language": preference})
    up_to_strategy(w)  # the strategy meeting names the nurse as lead practitioner
    plans = PlanService(w.sw)
    plan = plans.start(w.ids["case"], started_on="2026-11-02", summary=WHY[0],
                       summary_cy=WHY[1] if welsh else None)
    plans.add_outcome(plan["id"], description=OUTCOME[0], measure="Her bank statements",
                      description_cy=OUTCOME[1] if welsh else None)
    plans.add_action(plan["id"], description=HERS[0], owner_kind="person", owner_name="Margaret Williams",
                     description_cy=HERS[1] if welsh else None)
    plans.add_action(plan["id"], description=CARERS[0], owner_kind="agency", owner_id=w.ids["housing"],
                     description_cy=CARERS[1] if welsh else None)
    return plan["id"]


def _text(letters: LetterService, letter_id: str) -> str:
    pdf = PdfReader(io.BytesIO(letters.preview(letter_id)))
    return " ".join("".join(p.extract_text() or "" for p in pdf.pages).split())


def _checked(letters: LetterService, letter_id: str) -> QueuedLetter:
    """The letter as the print queue shows it (listing the queue checks every letter again)."""
    return next(q for q in letters.queue() if q.id == letter_id)


def _section(text: str, heading: str, following: str) -> str:
    return text.split(heading, 1)[1].split(following, 1)[0]


def test_an_english_speaking_adult_gets_the_plan_in_english_with_her_own_part_apart(world: World) -> None:
    plan_id = _plan(world, "en")
    letter = PlanService(world.sw).send_letter(plan_id, summary=WHY[0])
    letters = LetterService(world.as_("tm"))
    queued = _checked(letters, letter["id"])
    assert (queued.code, queued.recipient_id, queued.language, queued.status) == (
        "N19", world.ids["margaret"], "en", "queued")
    text = _text(letters, letter["id"])
    assert "Dear Margaret Williams," in text and WHY[0] in text
    assert OUTCOME[0] in _section(text, "What we want to achieve with you", "What you need to do")
    assert HERS[0] in _section(text, "What you need to do", "The support you will receive")
    support = _section(text, "The support you will receive", "Your lead practitioner")
    assert CARERS[0] in support and HERS[0] not in support
    assert "Your lead practitioner is Alun Jones" in text and "01970 000000" in text
    review = due(world)["A5"].due  # the next review the rules make due, in words
    assert f"reviewed on {review.day} {review.strftime('%B %Y')}" in text


def test_a_welsh_speaking_adults_letter_waits_for_the_plans_welsh_then_prints_it(world: World) -> None:
    plan_id = _plan(world, "cy")
    letter = PlanService(world.sw).send_letter(plan_id, summary=WHY[0])
    letters = LetterService(world.as_("tm"))
    held = _checked(letters, letter["id"])
    assert (held.language, held.status) == ("cy", "held")
    assert held.held_reason == "needs_welsh:outcomes,plan_actions,plan_summary"
    assert held.held_text("cy") == ("Angen testun Cymraeg, yn Saesneg yn unig hyd yma: canlyniadau'r cynllun,"
                                    " camau gweithredu'r cynllun, pam mae angen y cynllun")
    service = WelshTextService(world.sw)
    needed = {f.english: f.key for f in service.needed(letter["id"])}
    assert set(needed) == {WHY[0], OUTCOME[0], HERS[0], CARERS[0]}
    service.add(letter["id"], {needed[en]: cy for en, cy in (WHY, OUTCOME, HERS, CARERS)})
    assert _checked(letters, letter["id"]).status == "queued"
    text = _text(letters, letter["id"])
    assert "Annwyl Margaret Williams," in text
    for english, welsh in (WHY, OUTCOME, HERS, CARERS):
        assert welsh in text and english not in text
    assert "Eich ymarferydd arweiniol yw Alun Jones" in text


def test_welsh_written_on_the_plans_forms_goes_straight_into_the_letter(world: World) -> None:
    plan_id = _plan(world, "cy", welsh=True)
    letter = PlanService(world.sw).send_letter(plan_id, summary=WHY[0], summary_cy=WHY[1])
    letters = LetterService(world.as_("tm"))
    assert _checked(letters, letter["id"]).status == "queued"
    assert HERS[1] in _text(letters, letter["id"])


def test_a_changed_english_text_drops_its_old_welsh(world: World) -> None:
    """The letter must not quote the Welsh of what the plan used to say: the summary changed in the letter's
    form, or an action's English changed, waits for its new Welsh."""
    plan_id = _plan(world, "cy", welsh=True)
    plans = PlanService(world.sw)
    letter = plans.send_letter(plan_id, summary="Margaret's son took her pension and her bank card.")
    assert world.sw.store.rows("SELECT summary_cy FROM adult_plan")[0]["summary_cy"] is None
    action = world.sw.store.rows("SELECT id FROM adult_plan_action WHERE owner_kind = 'person'")[0]["id"]
    plans.update_action(action, description="Keep the new bank card somewhere safe.")
    letters = LetterService(world.as_("tm"))
    assert _checked(letters, letter["id"]).held_reason == "needs_welsh:plan_actions,plan_summary"


@pytest.mark.parametrize("missing", ["summary", "lead_practitioner"])
def test_the_letter_is_refused_without_its_why_or_a_lead_practitioner(world: World, missing: str) -> None:
    plan_id = _plan(world, "en")
    if missing == "lead_practitioner":
        world.sw.write(lambda tx: tx.db.execute("UPDATE role_assignment SET to_date = '2026-11-02'"
                                                " WHERE role = 'lead_practitioner'"))
    before = (world.count("letter"), world.sw.store.rows("SELECT summary FROM adult_plan"))
    with pytest.raises(ValidationError):
        PlanService(world.sw).send_letter(plan_id, summary="" if missing == "summary" else WHY[0])
    assert (world.count("letter"), world.sw.store.rows("SELECT summary FROM adult_plan")) == before
