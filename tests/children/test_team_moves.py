"""Moving a case between teams and allocating it are a manager's, within the reach the sync server allows
(:mod:`desktop.domain.manager_reach`): refused on the laptop before anything is written, so no change the
server would quarantine is made. A child becoming looked after moves the case to the Children in Care team
only when the person recording it may move it; otherwise the case stays where it is for a manager."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from desktop.domain.manager_reach import NotYourTeam
from desktop.errors import PermissionDenied
from desktop.services.cases import CaseService
from desktop.services.children import LookedAfterService


def _case(world: Any) -> dict[str, Any]:
    return world.sw.store.rows("SELECT case_type, team_id, allocated_worker_id FROM case_file WHERE id = ?",
                               [world.ids["case"]])[0]


def _episodes(world: Any) -> int:
    return world.sw.store.rows("SELECT count(*) AS n FROM lac_episode")[0]["n"]


def test_only_a_manager_within_reach_moves_the_case_as_the_child_becomes_looked_after(world: Any) -> None:
    w, ids = world, world.ids
    w.clock.day = date(2026, 10, 5)
    args = {"started_on": "2026-10-05", "legal_status": "section_76"}
    assert [LookedAfterService(s).may_move_case(ids["case"]) for s in (w.sw, w.as_("tm_cin"), w.as_("sm"))] == [
        False, False, True]
    with pytest.raises(PermissionDenied):  # a social worker: allocation is not theirs
        LookedAfterService(w.sw).become_looked_after(ids["case"], ids["elis"], transfer=True, **args)
    with pytest.raises(NotYourTeam) as beyond:  # the CiN team's manager: the CiC team is not theirs
        LookedAfterService(w.as_("tm_cin")).become_looked_after(ids["case"], ids["elis"], transfer=True, **args)
    assert beyond.value.field == "transfer" and "senior manager" in beyond.value.message("en")
    assert "uwch reolwr" in beyond.value.message("cy")
    assert _episodes(w) == 0 and _case(w)["team_id"] == ids["cin_team"]  # nothing written
    episode = LookedAfterService(w.sw).become_looked_after(ids["case"], ids["elis"], **args)  # by default
    assert episode["team_moved"] is False
    assert _case(w)["case_type"] == "looked_after" and _case(w)["team_id"] == ids["cin_team"]
    CaseService(w.as_("sm")).allocate(ids["case"], ids["sw_cic"], team_id=ids["cic_team"])  # the manager's move
    assert _case(w)["team_id"] == ids["cic_team"] and _case(w)["allocated_worker_id"] == ids["sw_cic"]


def test_a_team_manager_allocates_their_own_teams_cases_to_their_own_workers(world: Any) -> None:
    w, ids = world, world.ids
    helen, before = CaseService(w.as_("tm_cin")), _case(w)
    with pytest.raises(NotYourTeam):
        helen.allocate(ids["case"], ids["sw_cic"])  # a worker of the CiC team
    with pytest.raises(NotYourTeam):
        helen.allocate(ids["case"], ids["sw"], team_id=ids["cic_team"])  # to another team
    assert _case(w) == before  # nothing written
    with pytest.raises(NotYourTeam):  # the looked-after change of worker follows the same rule
        LookedAfterService(w.as_("tm_cin")).change_worker(ids["case"], ids["sw_cic"], on="2026-10-01")
    assert _case(w) == before  # nothing written
    helen.allocate(ids["case"], ids["sw"])
    assert _case(w)["allocated_worker_id"] == ids["sw"] and _case(w)["team_id"] == ids["cin_team"]
