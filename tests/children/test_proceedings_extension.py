"""The court's extensions of the 26 weeks of care proceedings (Children Act 1989 s.32(5)): recorded with
when, until when and why; My work's due date follows the latest extension (rule P1x replaces P1); one
extension reaches at most the weeks ``rules.json`` allows; bad input changes nothing and says why in the
reader's language, dates in words."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from desktop.errors import ValidationError
from desktop.services.children import ChildInNeedService
from desktop.services.chronology import ChronologyService
from desktop.services.my_work import MyWorkService


def _items(world: Any, on: str) -> dict[str, Any]:
    world.clock.day = date.fromisoformat(on)
    return {i.rule_id: i for i in MyWorkService(world.sw).all_items(world.clock.day)}


def _count(world: Any) -> int:
    return world.sw.store.rows("SELECT count(*) AS n FROM proceedings_extension")[0]["n"]


@pytest.fixture
def proceedings(world: Any) -> dict[str, Any]:
    world.clock.day = date(2026, 10, 5)
    return ChildInNeedService(world.sw).start_proceedings(
        world.ids["case"], world.ids["elis"], kind="care_proceedings", stage="application_issued",
        started_on="2026-10-05", court="Llys Teulu Abertawe")


def test_an_extension_moves_the_due_date_to_its_end(world: Any, proceedings: dict[str, Any]) -> None:
    cin = ChildInNeedService(world.sw)
    assert _items(world, "2027-03-20")["P1"].due == date(2027, 4, 4)  # the 26th week's last day
    cin.extend_proceedings(proceedings["id"], granted_on="2027-03-20", extended_to="2027-05-30",
                           reason="An independent social work assessment of the grandparents.")
    items = _items(world, "2027-04-05")
    assert "P1" not in items  # not overdue: the court extended the time
    assert (items["P1x"].due, items["P1x"].status) == (date(2027, 5, 30), "upcoming")
    assert items["P1x"].action == "record_proceedings_stage"
    late = _items(world, "2027-05-31")["P1x"]
    assert late.status == "overdue"
    assert late.reason == "Care proceedings past the time the court extended to by 1 day (due by 30 May 2027)"
    # A further extension runs from the end of the last one.
    world.clock.day = date(2027, 5, 20)
    cin.extend_proceedings(proceedings["id"], granted_on="2027-05-20", extended_to="2027-07-25",
                           reason="The final hearing was adjourned by the court.")
    assert _items(world, "2027-06-01")["P1x"].due == date(2027, 7, 25)
    [proc] = cin.proceedings(world.ids["case"])
    assert [x["extended_to"] for x in proc["extensions"]] == ["2027-05-30", "2027-07-25"]
    events = [e for e in ChronologyService(world.sw).for_case(world.ids["case"]).events
              if e.source.startswith("proceedings_extension:")]
    assert [(e.on, e.what.text("en"), e.detail) for e in events][0] == (
        date(2027, 3, 20), "The court extended the time limit of the care proceedings to 30 May 2027",
        "An independent social work assessment of the grandparents.")
    assert events[1].what.text("cy") == "Estynnodd y llys derfyn amser yr achos gofal i 25 Gorffennaf 2027"
    cin.proceedings_stage(proceedings["id"], stage="concluded", on_date="2027-06-01", outcome="care_order")
    assert not {"P1", "P1x"} & set(_items(world, "2027-06-01"))


def test_bad_extensions_are_refused_and_change_nothing(world: Any, proceedings: dict[str, Any]) -> None:
    cin = ChildInNeedService(world.sw)
    world.clock.day = date(2027, 3, 20)

    def refused(field: str, **values: Any) -> ValidationError:
        args = {"granted_on": "2027-03-20", "extended_to": "2027-05-30", "reason": "Assessment.", **values}
        with pytest.raises(ValidationError) as err:
            cin.extend_proceedings(proceedings["id"], **args)
        assert err.value.field == field
        return err.value

    too_far = refused("extended_to", extended_to="2027-05-31")  # 8 weeks after 4 April is 30 May
    assert "8 weeks" in too_far.message("en") and "30 May 2027" in too_far.message("en")
    assert "30 Mai 2027" in too_far.message("cy")
    not_after = refused("extended_to", extended_to="2027-04-04")
    assert "4 Apr 2027" in not_after.message("en")
    refused("granted_on", granted_on="2027-03-21")  # in the future
    refused("granted_on", granted_on="2026-10-04")  # before the proceedings started
    refused("reason", reason="  ")
    refused("extended_to", extended_to="not a date")
    # Granted after the limit had passed: eight weeks from the day of the grant.
    world.clock.day = date(2027, 4, 10)
    cin.extend_proceedings(proceedings["id"], granted_on="2027-04-10", extended_to="2027-06-05", reason="Late.")
    assert _count(world) == 1
    cin.proceedings_stage(proceedings["id"], stage="concluded", on_date="2027-04-10", outcome="care_order")
    with pytest.raises(ValidationError):
        cin.extend_proceedings(proceedings["id"], granted_on="2027-04-10", extended_to="2027-06-01", reason="x")
    assert _count(world) == 1


def test_only_care_proceedings_have_a_time_limit_to_extend(world: Any) -> None:
    cin = ChildInNeedService(world.sw)
    world.clock.day = date(2026, 10, 5)
    pre = cin.start_proceedings(world.ids["case"], world.ids["elis"], kind="pre_proceedings",
                                stage="letter_before_proceedings", started_on="2026-10-05")
    with pytest.raises(ValidationError) as err:
        cin.extend_proceedings(pre["id"], granted_on="2026-10-05", extended_to="2026-12-01", reason="x")
    assert err.value.field == "proceedings_id"
    assert _count(world) == 0
