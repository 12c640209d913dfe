"""Needs Welsh text on the adult closure letter (N17): the reasons quoted from the closure record."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from desktop.errors import ValidationError
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


def test_a_closure_recorded_in_english_only_holds_the_welsh_letter(world: World) -> None:
    letter_id = _close(world)
    letter = LetterService(world.as_("tm")).get(letter_id)
    assert (letter.status, letter.held_reason) == ("held", "needs_welsh:closure_reasons")
    assert letter.held_text("en") == "Needs Welsh text, only in English so far: the reasons for ending the process"
    needed = WelshTextService(world.sw).needed(letter_id)
    assert [(f.english, f.editable) for f in needed] == [("Margaret now manages her own money safely.", False)]
    with pytest.raises(ValidationError):  # an append-only closure: its Welsh goes with the record
        WelshTextService(world.sw).add(letter_id, {needed[0].key: "Mae Margaret yn rheoli ei harian."})
    assert world.sw.store.rows("SELECT reasons_cy FROM adult_closure")[0]["reasons_cy"] is None
