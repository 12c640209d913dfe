"""A real encrypted profile with a movable clock, a CiN team and a CiC team, and a Welsh-speaking
family whose child is open to the CiN team."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

import desktop.services.children  # noqa: F401 - registers the looked-after provider
from desktop.services.cases import CaseService
from desktop.services.persons import PersonService
from desktop.services.session import Session
from tests.casework import FAST_KDF, PASSWORD, Clock, World, add_practitioner, sessions_for


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    clock = Clock(date(2026, 10, 1))  # a Thursday
    sw = Session.create_profile(
        tmp_path / "profile", given_names="Gareth", family_name="Rees", role="social_worker",
        team_name="Tîm Plant mewn Angen", team_kind="cin", password=PASSWORD, scw_number="SCW-12045",
        kdf=FAST_KDF)
    sw.store.clock = clock
    ids: dict[str, str] = {"sw": sw.user.id, "cin_team": sw.user.team_id or ""}

    def setup(tx: Any) -> None:
        for key, (name, kind) in {"ss": ("Gwasanaethau Cymdeithasol Sir Gâr", "social_services"),
                                  "police": ("Heddlu Dyfed-Powys", "police"),
                                  "health": ("Bwrdd Iechyd Hywel Dda", "health"),
                                  "school": ("Ysgol Bro Dinefwr", "education")}.items():
            ids[key] = tx.insert("agency", {"name": name, "agency_type": kind, "relevant_partner": 1,
                                            "address": "1 Heol y Dref\nLlandeilo\nSA19 6AA"})["id"]
        ids["cic_team"] = tx.insert("team", {"name": "Tîm Plant mewn Gofal", "kind": "cic"})["id"]
        tx.update("practitioner", sw.user.id, {"agency_id": ids["ss"]})
        ids["tm_cin"] = add_practitioner(tx, "Helen", "Davies", "team_manager", ids["cin_team"], ids["ss"], "SCW-87721")
        ids["sw_cic"] = add_practitioner(tx, "Siân", "Hughes", "social_worker", ids["cic_team"], ids["ss"], "SCW-15532")
        ids["tm_cic"] = add_practitioner(tx, "Mark", "Phillips", "team_manager", ids["cic_team"], ids["ss"], "SCW-79914")
        ids["iro"] = add_practitioner(tx, "Elen", "Roberts", "social_worker", ids["cic_team"], ids["ss"], "SCW-66120",
                                   title="Independent reviewing officer")
        ids["sm"] = add_practitioner(tx, "Angharad", "Jenkins", "senior_manager", ids["cin_team"], ids["ss"], "SCW-51003")
        ids["nurse"] = add_practitioner(tx, "Bethan", "Hughes", None, None, ids["health"], None, 0)
        ids["officer"] = add_practitioner(tx, "Dai", "Lewis", None, None, ids["police"], None, 0)
        ids["teacher"] = add_practitioner(tx, "Ffion", "Harries", None, None, ids["school"], None, 0)

    sw.write(setup)
    users = sessions_for(sw, ids, ("tm_cin", "sw_cic", "tm_cic", "iro", "sm"))
    people = PersonService(sw)
    nia = people.create({"given_names": "Nia", "family_name": "Pritchard", "correspondence_language": "cy",
                         "date_of_birth": "1982-08-21", "first_language": "cy"})
    people.add_address(nia["id"], {"line1": "Bryn Awel", "line2": "Heol Tywi", "town": "Llandeilo",
                                   "postcode": "SA19 6PG", "from_date": "2020-01-01"})
    elis = people.create({"given_names": "Elis", "family_name": "Pritchard", "date_of_birth": "2015-04-02",
                          "first_language": "cy", "correspondence_language": "cy"})
    cases = CaseService(sw)
    case = cases.create("child_in_need", subject_ids=[elis["id"]], opened_on="2026-09-01")
    cases.add_member(case["id"], nia["id"], "parent")
    people.relate(elis["id"], nia["id"], "mother", parental_responsibility=True, lives_in_household=True)
    sw.write(lambda tx: tx.insert("role_assignment", {"role": "allocated_worker", "practitioner_id": sw.user.id,
                                                      "from_date": "2026-09-01"}, case_id=case["id"]))
    ids.update(case=case["id"], elis=elis["id"], nia=nia["id"])
    yield World(tmp_path / "profile", clock, sw, users, ids)
    sw.store.close()


def placement(**extra: Any) -> dict[str, Any]:
    """A foster placement in county, starting 5 October 2026 unless told otherwise."""
    values: dict[str, Any] = {"placement_type": "foster", "start_on": "2026-10-05", "carer_name": "Mr and Mrs Lloyd",
                              "line1": "Y Bwthyn", "town": "Llandeilo", "postcode": "SA19 6BB", "country": "GB"}
    values.update(extra)
    return values
