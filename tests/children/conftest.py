"""A real encrypted profile with a movable clock, a CiN team and a CiC team, and a Welsh-speaking
family whose child is open to the CiN team."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

import pytest

import desktop.services.children  # noqa: F401 - registers the looked-after provider
from desktop.services.cases import CaseService
from desktop.services.persons import PersonService
from desktop.services.session import Session, User
from desktop.store.crypto import KdfParams

PASSWORD = "correct horse battery staple 42"


class Clock:
    def __init__(self, day: date) -> None:
        self.day = day

    def __call__(self) -> datetime:
        return datetime.combine(self.day, time(12, 0), tzinfo=UTC)


@dataclass
class World:
    clock: Clock
    sw: Session
    users: dict[str, Session] = field(default_factory=dict)
    ids: dict[str, str] = field(default_factory=dict)

    def as_(self, name: str) -> Session:
        return self.users[name]


def _practitioner(tx: Any, given: str, family: str, role: str | None, team_id: str | None, agency_id: str,
                  scw: str | None = "SCW-10001", employed: int = 1, title: str | None = None) -> str:
    return tx.insert("practitioner", {
        "given_names": given, "family_name": family, "app_role": role, "team_id": team_id, "job_title": title,
        "agency_id": agency_id, "scw_number": scw, "employed_by_social_services": employed,
        "phone": "01267 000000"})["id"]


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    clock = Clock(date(2026, 10, 1))  # a Thursday
    sw = Session.create_profile(
        tmp_path / "profile", given_names="Gareth", family_name="Rees", role="social_worker",
        team_name="Tîm Plant mewn Angen", team_kind="cin", password=PASSWORD, scw_number="SCW-12045",
        kdf=KdfParams.fresh(time_cost=1, memory_cost=8192, parallelism=1))
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
        ids["tm_cin"] = _practitioner(tx, "Helen", "Davies", "team_manager", ids["cin_team"], ids["ss"], "SCW-87721")
        ids["sw_cic"] = _practitioner(tx, "Siân", "Hughes", "social_worker", ids["cic_team"], ids["ss"], "SCW-15532")
        ids["tm_cic"] = _practitioner(tx, "Mark", "Phillips", "team_manager", ids["cic_team"], ids["ss"], "SCW-79914")
        ids["iro"] = _practitioner(tx, "Elen", "Roberts", "social_worker", ids["cic_team"], ids["ss"], "SCW-66120",
                                   title="Independent reviewing officer")
        ids["sm"] = _practitioner(tx, "Angharad", "Jenkins", "senior_manager", ids["cin_team"], ids["ss"], "SCW-51003")
        ids["nurse"] = _practitioner(tx, "Bethan", "Hughes", None, None, ids["health"], None, 0)
        ids["officer"] = _practitioner(tx, "Dai", "Lewis", None, None, ids["police"], None, 0)
        ids["teacher"] = _practitioner(tx, "Ffion", "Harries", None, None, ids["school"], None, 0)

    sw.write(setup)
    users = {"sw": sw}
    for key in ("tm_cin", "sw_cic", "tm_cic", "iro", "sm"):
        r = sw.store.rows("SELECT * FROM practitioner WHERE id = ?", [ids[key]])[0]
        users[key] = Session(sw.profile, sw.store, User(r["id"], r["given_names"], r["family_name"], r["app_role"],
                                                        r["team_id"], r["scw_number"]))
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
    yield World(clock, sw, users, ids)
    sw.store.close()


def placement(**extra: Any) -> dict[str, Any]:
    """A foster placement in county, starting 5 October 2026 unless told otherwise."""
    values: dict[str, Any] = {"placement_type": "foster", "start_on": "2026-10-05", "carer_name": "Mr and Mrs Lloyd",
                              "line1": "Y Bwthyn", "town": "Llandeilo", "postcode": "SA19 6BB", "country": "GB"}
    values.update(extra)
    return values
