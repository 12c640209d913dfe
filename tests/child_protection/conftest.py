"""A real encrypted profile with a movable clock and a family on a child protection case."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

import desktop.services.child_protection  # noqa: F401 - installs the household hook and the provider
from desktop.services.cases import CaseService
from desktop.services.persons import PersonService
from desktop.services.session import Session
from tests.casework import FAST_KDF, PASSWORD, Clock, World, add_practitioner, sessions_for


@pytest.fixture
def world(tmp_path: Path) -> World:
    clock = Clock(date(2026, 11, 2))  # a Monday
    sw = Session.create_profile(
        tmp_path / "profile", given_names="Siân", family_name="Roberts", role="social_worker",
        team_name="Tîm Amddiffyn Plant", password=PASSWORD, scw_number="SCW-12345",
        kdf=FAST_KDF)
    sw.store.clock = clock
    ids: dict[str, str] = {"sw": sw.user.id, "team": sw.user.team_id}

    def setup(tx: Any) -> None:
        agencies = {
            "ss": ("Gwasanaethau Cymdeithasol Sir Gâr", "social_services"),
            "police": ("Heddlu Dyfed-Powys", "police"),
            "health": ("Bwrdd Iechyd Hywel Dda", "health"),
            "school": ("Ysgol Gynradd Llanelli", "education"),
        }
        for key, (name, kind) in agencies.items():
            ids[key] = tx.insert("agency", {"name": name, "agency_type": kind, "relevant_partner": 1,
                                            "address": "1 Heol y Dref\nLlanelli\nSA15 1AA"})["id"]
        tx.update("practitioner", sw.user.id, {"agency_id": ids["ss"], "phone": "01554 111111"})
        ids["sw2"] = add_practitioner(tx, "Gareth", "Evans", "social_worker", sw.user.team_id, ids["ss"], "SCW-22222")
        ids["tm"] = add_practitioner(tx, "Nia", "Morgan", "team_manager", sw.user.team_id, ids["ss"], "SCW-33333")
        ids["sm"] = add_practitioner(tx, "Huw", "Price", "senior_manager", sw.user.team_id, ids["ss"], "SCW-44444")
        ids["custodian"] = add_practitioner(tx, "Eleri", "Thomas", "register_custodian", sw.user.team_id, ids["ss"])
        ids["unregistered"] = add_practitioner(tx, "Tom", "Smith", "social_worker", sw.user.team_id, ids["ss"], None)
        ids["nurse"] = add_practitioner(tx, "Bethan", "Hughes", None, None, ids["health"], None, 0)
        ids["officer"] = add_practitioner(tx, "Dai", "Lewis", None, None, ids["police"], None, 0)

    sw.write(setup)
    users = sessions_for(sw, ids, ("sw2", "tm", "sm", "custodian"))
    people = PersonService(sw)
    mam = people.create({"given_names": "Catrin", "family_name": "Jones", "correspondence_language": "cy",
                         "date_of_birth": "1990-03-04"})
    dad = people.create({"given_names": "Mark", "family_name": "Jones", "correspondence_language": "en",
                         "date_of_birth": "1988-07-09"})
    elis = people.create({"given_names": "Elis", "family_name": "Jones", "date_of_birth": "2016-05-01"})
    mali = people.create({"given_names": "Mali", "family_name": "Jones", "date_of_birth": "2019-09-12"})
    for parent in (mam, dad):
        people.add_address(parent["id"], {"line1": "3 Stryd Fawr", "town": "Llanelli", "postcode": "SA15 2BB",
                                          "from_date": "2020-01-01"})
    case = CaseService(sw).create("child_protection", subject_ids=[elis["id"], mali["id"]], opened_on="2026-10-01")
    cases = CaseService(sw)
    cases.add_member(case["id"], mam["id"], "parent")
    cases.add_member(case["id"], dad["id"], "parent")
    for child in (elis, mali):
        for parent in (mam, dad):
            people.relate(child["id"], parent["id"], "mother" if parent is mam else "father",
                          parental_responsibility=True, lives_in_household=True)
    ids.update(case=case["id"], elis=elis["id"], mali=mali["id"], mam=mam["id"], dad=dad["id"])
    w = World(tmp_path / "profile", clock, sw, users, ids)
    yield w
    sw.store.close()


@pytest.fixture
def registered(world: World) -> World:
    """Strategy on 12 October 2026, both children's enquiries determined (3), and the initial
    conference on the 26th registering both, with Siân Roberts (``sw``) as co-ordinator."""
    from tests.child_protection.helpers import determine_all, initial_conference, strategy

    strategy(world, "2026-10-12")
    determine_all(world)
    initial_conference(world, "2026-10-26")
    return world
