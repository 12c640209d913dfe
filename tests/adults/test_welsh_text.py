"""Needs Welsh text on the adult closure letter (N17): the reasons quoted from the closure record."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from pypdf import PdfReader

from desktop.services.adults import ClosureService
from desktop.services.letters import LetterService
from desktop.services.persons import PersonService
from desktop.services.welsh_text import WelshTextService
from tests.adults.helpers import appoint, report_and_screen
from tests.casework import World


def _close(w: World, **welsh: str) -> str:
    """Margaret now prefers Welsh; the lead co-ordinator closes the case. Returns her N17 letter's id."""
    PersonService(w.sw).update(w.ids["margaret"], {"correspondence_language": "cy"})
    report_and_screen(w)
    appoint(w)
    ClosureService(w.sw).close(w.ids["case"], closed_on="2026-11-02", decided_with="lead_coordinator",
                               reasons="Margaret now manages her own money safely.", **welsh)
    return next(q.id for q in LetterService(w.as_("tm")).queue()
                if q.code == "N17" and q.recipient_id == w.ids["margaret"])


def test_a_welsh_adults_closure_letter_prints_the_reasons_in_welsh(world: World) -> None:
    letter_id = _close(world, reasons_cy="Mae Margaret bellach yn rheoli ei harian ei hun yn ddiogel.")
    letters = LetterService(world.as_("tm"))
    assert (letters.get(letter_id).language, letters.get(letter_id).status) == ("cy", "queued")
    text = " ".join("".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(letters.preview(letter_id))).pages)
                    .split())
    assert "Mae Margaret bellach yn rheoli ei harian ei hun yn ddiogel." in text
    assert "manages her own money" not in text


def test_a_closure_recorded_in_english_only_holds_the_welsh_letter_until_its_welsh_is_added(world: World) -> None:
    """The closure never changes once recorded (it has no amendments: the figures count it once), so the
    Welsh added from the queue is a Welsh addition naming it (m0027): the letter is released and prints
    the Welsh, and the closure itself is as it was."""
    letter_id = _close(world)
    letters = LetterService(world.as_("tm"))
    letter = letters.get(letter_id)
    assert (letter.status, letter.held_reason) == ("held", "needs_welsh:closure_reasons")
    assert letter.held_text("en") == "Needs Welsh text, only in English so far: the reasons for ending the process"
    service = WelshTextService(world.sw)
    [needed] = service.needed(letter_id)
    assert (needed.english, needed.welsh) == ("Margaret now manages her own money safely.", None)
    closure_before = world.sw.store.rows("SELECT * FROM adult_closure")
    [after] = service.add(letter_id, {needed.key: "Mae Margaret yn rheoli ei harian ei hun yn ddiogel."})
    assert after.welsh == "Mae Margaret yn rheoli ei harian ei hun yn ddiogel."
    assert world.sw.store.rows("SELECT * FROM adult_closure") == closure_before  # one closure, unchanged
    [added] = world.sw.store.rows("SELECT * FROM welsh_addition")
    assert (added["source_table"], added["source_column"], added["case_id"]) == (
        "adult_closure", "reasons", world.ids["case"])
    assert [q.status for q in letters.queue() if q.id == letter_id] == ["queued"]
    text = " ".join("".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(letters.preview(letter_id))).pages)
                    .split())
    assert "Mae Margaret yn rheoli ei harian ei hun yn ddiogel." in text and "manages her own money" not in text
    # A later correction of the Welsh is another addition; the letter reads the latest.
    service.add(letter_id, {needed.key: "Mae Margaret bellach yn rheoli ei harian ei hun."})
    text = " ".join("".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(letters.preview(letter_id))).pages)
                    .split())
    assert "Mae Margaret bellach yn rheoli ei harian ei hun." in text


OUTCOME = {"The plan continues; Kevin no longer manages her money.":
           "Mae'r cynllun yn parhau; nid yw Kevin yn rheoli ei harian mwyach."}
DECISIONS = {"Plan continues": "Y cynllun yn parhau", "Bank card replaced": "Cerdyn banc newydd"}
SUPPORT = {"Independent advocate": "Eiriolwr annibynnol", "Daily carers": "Gofalwyr bob dydd"}


def _outcome_report(w: World, preference: str, **welsh: Any) -> str:
    """Margaret (``preference``) refuses to take part; the conference is held: her N16 letter's id."""
    from desktop.services.adults import ConferenceService
    from tests.adults.helpers import up_to_strategy

    PersonService(w.sw).update(w.ids["margaret"], {"correspondence_language": preference})
    up_to_strategy(w)
    w.on("2026-12-10")
    conferences = ConferenceService(w.sw)
    conf = conferences.convene(w.ids["case"], scheduled_on="2026-12-10", agency_ids=[w.ids["health"]])
    conferences.hold(conf["id"], held_on="2026-12-10", participation="refused",
                     refusal_reason="Margaret did not want to meet in a group.", outcome_summary=next(iter(OUTCOME)),
                     decisions=list(DECISIONS), support_offered=list(SUPPORT), **welsh)
    return next(q.id for q in LetterService(w.as_("tm")).queue()
                if q.code == "N16" and q.recipient_id == w.ids["margaret"])


@pytest.mark.parametrize(("preference", "language"), [("cy", "cy"), ("unknown", "bilingual")])
def test_the_outcome_report_waits_for_the_conferences_texts_in_welsh(world: World, preference: str,
                                                                     language: str) -> None:
    """N16 quotes the outcome, the decisions and the support offered: a Welsh or bilingual report is
    held naming all three, then prints each in Welsh (a line each) once added from the queue."""
    letter_id = _outcome_report(world, preference)
    letters = LetterService(world.as_("tm"))
    letter = letters.get(letter_id)
    assert (letter.language, letter.status) == (language, "held")
    assert letter.held_reason == "needs_welsh:conference_decisions,conference_outcome,support_offered"
    assert letter.held_text("cy") == ("Angen testun Cymraeg, yn Saesneg yn unig hyd yma: penderfyniadau'r"
                                      " gynhadledd, canlyniad y gynhadledd, y cymorth a gynigiwyd")
    service = WelshTextService(world.as_("tm"))
    needed = {f.what: f for f in service.needed(letter_id)}
    assert {w: f.english for w, f in needed.items()} == {
        "conference_outcome": next(iter(OUTCOME)),
        "conference_decisions": "Plan continues\nBank card replaced",
        "support_offered": "Independent advocate\nDaily carers"}
    service.add(letter_id, {needed["conference_outcome"].key: next(iter(OUTCOME.values())),
                            needed["conference_decisions"].key: "\n".join(DECISIONS.values())})
    assert [q.held_reason for q in letters.queue() if q.id == letter_id] == ["needs_welsh:support_offered"]
    service.add(letter_id, {needed["support_offered"].key: "\n".join(SUPPORT.values())})
    assert [q.status for q in letters.queue() if q.id == letter_id] == ["queued"]
    text = " ".join("".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(letters.preview(letter_id))).pages)
                    .split())
    for english, welsh in {**OUTCOME, **DECISIONS, **SUPPORT}.items():
        assert welsh in text
        assert (english in text) == (language == "bilingual"), english
    stored = world.sw.store.rows("SELECT decisions_cy, support_offered_cy FROM adult_conference")[0]
    assert json.loads(stored["decisions_cy"]) == list(DECISIONS.values())  # a list, like the English


def test_the_welsh_given_when_the_conference_is_recorded_goes_straight_into_the_report(world: World) -> None:
    letter_id = _outcome_report(world, "cy", outcome_summary_cy=next(iter(OUTCOME.values())),
                                decisions_cy=list(DECISIONS.values()), support_offered_cy=list(SUPPORT.values()))
    letters = LetterService(world.as_("tm"))
    assert [q.status for q in letters.queue() if q.id == letter_id] == ["queued"]
    text = " ".join("".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(letters.preview(letter_id))).pages)
                    .split())
    assert "Cerdyn banc newydd" in text and "Gofalwyr bob dydd" in text and "Bank card replaced" not in text


def test_an_english_outcome_report_is_never_held_for_welsh(world: World) -> None:
    letter_id = _outcome_report(world, "en")
    assert [q.status for q in LetterService(world.as_("tm")).queue() if q.id == letter_id] == ["queued"]


@pytest.mark.parametrize("welsh", [None, "Mae Margaret bellach yn rheoli ei harian ei hun yn ddiogel."])
def test_the_closure_letter_to_a_bilingual_agency_waits_for_the_reasons_in_welsh(world: World,
                                                                                 welsh: str | None) -> None:
    """N17 to the police (bilingual): held naming the reasons while they are only in English; given in
    Welsh on the closure form, it prints both."""
    from tests.adults.helpers import up_to_strategy

    up_to_strategy(world)  # the police are in the strategy group: they are told of the closure
    ClosureService(world.sw).close(world.ids["case"], closed_on="2026-11-02", decided_with="lead_coordinator",
                                   reasons="Margaret now manages her own money safely.",
                                   **({"reasons_cy": welsh} if welsh else {}))
    letters = LetterService(world.as_("tm"))
    police = next(q for q in letters.queue() if q.code == "N17" and q.recipient_id == world.ids["police"])
    assert police.language == "bilingual"
    if welsh is None:
        assert (police.status, police.held_reason) == ("held", "needs_welsh:closure_reasons")
        assert police.held_text("cy") == "Angen testun Cymraeg, yn Saesneg yn unig hyd yma: y rhesymau dros ddod â'r" \
                                         " broses i ben"
        return
    assert police.status == "queued"
    text = " ".join("".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(letters.preview(police.id))).pages)
                    .split())
    assert welsh in text and "Margaret now manages her own money safely." in text
