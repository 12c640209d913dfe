"""A real encrypted profile (fast KDF) with a movable clock, an adult-safeguarding team, partner
agencies, and one adult at risk on a case."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

import pytest

import desktop.services.adults  # noqa: F401 - registers the "My work" provider
from desktop.services.cases import CaseService
from desktop.services.persons import PersonService
from desktop.services.session import Session
from tests.casework import FAST_KDF, PASSWORD, Clock, World, add_practitioner, sessions_for

# Ceredigion numbers: the journey checks the nurse's phone is what the strategy meeting records.
_practitioner = partial(add_practitioner, phone="01970 000000")


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    clock = Clock(date(2026, 11, 2))  # a Monday
    sw = Session.create_profile(
        tmp_path / "profile", given_names="Owain", family_name="Thomas", role="social_worker",
        team_name="Tîm Diogelu Oedolion", team_kind="adult", password=PASSWORD, scw_number="SW-101877",
        kdf=FAST_KDF)
    sw.store.clock = clock
    ids: dict[str, str] = {"sw": sw.user.id, "team": sw.user.team_id or ""}

    def setup(tx: Any) -> None:
        agencies = {
            "ss": ("Gwasanaethau Cymdeithasol Ceredigion", "la_social_services", "cy"),
            "police": ("Heddlu Dyfed-Powys", "police", "bilingual"),
            "health": ("Bwrdd Iechyd Hywel Dda", "health_board", "unknown"),
            "housing": ("Tai Ceredigion", "housing", "en"),
        }
        for key, (name, kind, lang) in agencies.items():
            ids[key] = tx.insert("agency", {"name": name, "agency_type": kind, "relevant_partner": 1,
                                            "correspondence_language": lang,
                                            "address": "1 Heol y Dref\nAberystwyth\nSY23 1AA"})["id"]
        tx.update("practitioner", sw.user.id, {"agency_id": ids["ss"], "phone": "01970 111111"})
        ids["sw2"] = _practitioner(tx, "Gareth", "Rees", "social_worker", sw.user.team_id, ids["ss"], "SW-22222")
        ids["tm"] = _practitioner(tx, "Julie", "Watkins", "team_manager", sw.user.team_id, ids["ss"], "SW-33333")
        ids["sm"] = _practitioner(tx, "Angharad", "Jenkins", "senior_manager", sw.user.team_id, ids["ss"], "SW-44444")
        ids["unregistered"] = _practitioner(tx, "Tom", "Smith", "social_worker", sw.user.team_id, ids["ss"], None)
        ids["nurse"] = _practitioner(tx, "Alun", "Jones", None, None, ids["health"], None, 0)
        ids["nurse2"] = _practitioner(tx, "Mair", "Owen", None, None, ids["health"], None, 0)
        ids["health_lead"] = _practitioner(tx, "Sioned", "Bowen", "social_worker", None, ids["health"], None, 0)
        ids["officer"] = _practitioner(tx, "Dai", "Lewis", None, None, ids["police"], None, 0)
        ids["no_contact"] = _practitioner(tx, "Ann", "Heb-Ffôn", None, None, ids["housing"], None, 0, phone=None)

    sw.write(setup)
    users = sessions_for(sw, ids, ("sw2", "tm", "sm", "health_lead"))
    people = PersonService(sw)
    margaret = people.create({"given_names": "Margaret", "family_name": "Williams", "correspondence_language": "en",
                              "date_of_birth": "1944-10-01"})
    kevin = people.create({"given_names": "Kevin", "family_name": "Williams", "correspondence_language": "en",
                           "date_of_birth": "1972-02-02"})
    for p in (margaret, kevin):
        people.add_address(p["id"], {"line1": "9 Marine Terrace", "town": "Aberystwyth", "postcode": "SY23 2AZ",
                                     "from_date": "2020-01-01"})
    cases = CaseService(sw)
    case = cases.create("adult_at_risk", subject_ids=[margaret["id"]], opened_on="2026-11-02")
    cases.add_member(case["id"], kevin["id"], "family")
    # Everyone in the team works on the case (scope): a role assignment each.
    for key in ("sw2", "health_lead"):
        sw.write(lambda tx, k=key: tx.insert("role_assignment", {"role": "strategy_group", "practitioner_id": ids[k],
                                                                  "from_date": "2026-11-02"}, case_id=case["id"]))
    ids.update(case=case["id"], margaret=margaret["id"], kevin=kevin["id"])
    yield World(tmp_path / "profile", clock, sw, users, ids)
    sw.store.close()


@pytest.fixture
def language_hub(qapp: Any) -> Iterator[None]:
    """The Qt side of language switching, for the GUI tests here (as in tests/gui): a switch reaches
    every widget."""
    from ui.language import hub

    hub()
    yield
