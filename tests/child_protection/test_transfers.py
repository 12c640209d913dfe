"""Transfers between local authorities (C17–C19) through the real store, the facts query and the
shipped rules: what "My work" shows at each step, the refusals, and the register entry ending with
the reason "transferred" when the receiving authority has held its conference."""

from __future__ import annotations

from datetime import date

import pytest

from desktop.errors import ValidationError
from desktop.services.child_protection.transfers import TransferService
from desktop.services.my_work import MyWorkService


def due(w, on: str, child: str = "elis") -> dict:
    w.clock.day = date.fromisoformat(on)
    return {i.rule_id: i for i in MyWorkService(w.sw).all_items(w.clock.day) if i.person_id == w.ids[child]}


def test_a_child_not_on_the_register_is_not_transferred(world):
    w = world
    with pytest.raises(ValidationError) as refused:
        TransferService(w.sw).move_out(w.ids["case"], w.ids["elis"], notified_on="2026-10-01", receiving_la="Powys")
    assert refused.value.field == "person_id"
    assert w.sw.store.rows("SELECT count(*) AS n FROM cp_transfer")[0]["n"] == 0


def test_moving_out_c17_information_in_3_days_then_transferred_off_our_register(registered):
    w, ids = registered, registered.ids
    transfers = TransferService(w.sw)
    w.clock.day = date(2026, 11, 20)  # a Friday
    out = transfers.move_out(ids["case"], ids["elis"], notified_on="2026-11-20", receiving_la="Cyngor Sir Powys",
                             new_address="3 Stryd y Bont, Y Trallwng")
    with pytest.raises(ValidationError):  # one open transfer out per child
        transfers.move_out(ids["case"], ids["elis"], notified_on="2026-11-20", receiving_la="Powys")
    c17 = due(w, "2026-11-23")["C17"]
    assert (c17.due, c17.status, c17.action) == (date(2026, 11, 23), "due_today", "send_transfer_information")
    assert "C17" not in due(w, "2026-11-23", "mali")  # Mali is not moving
    assert due(w, "2026-11-24")["C17"].status == "overdue"  # calendar days, over the weekend
    with pytest.raises(ValidationError) as early:
        transfers.information_sent(out["id"], sent_on="2026-11-19")
    assert early.value.field == "on_date"
    transfers.information_sent(out["id"], sent_on="2026-11-24")
    assert "C17" not in due(w, "2026-11-24")
    with pytest.raises(ValidationError):
        transfers.conference_held(out["id"], held_on="2026-11-24", outcome="registered")  # an "in" step

    w.clock.day = date(2026, 12, 8)
    transfers.transferred_out(out["id"], on="2026-12-08")
    entry = w.sw.store.rows("SELECT status, deregistration_reason FROM register_entry WHERE person_id = ?",
                            [ids["elis"]])[0]
    assert entry == {"status": "deregistered", "deregistration_reason": "transferred"}
    assert transfers.open_for_case(ids["case"]) == []
    left = due(w, "2026-12-08")
    assert "C17" not in left and "V1" not in left and "C12" not in left  # no longer on our register
    with pytest.raises(ValidationError):
        transfers.information_sent(out["id"], sent_on="2026-12-08")  # finished


def test_moving_in_c18_a_long_stay_then_c19_conference_within_15_working_days(registered):
    w, ids = registered, registered.ids
    transfers = TransferService(w.sw)
    w.clock.day = date(2026, 11, 2)
    stay = transfers.move_in(ids["case"], ids["mali"], notified_on="2026-11-02", sending_la="Cyngor Gwynedd",
                             permanent=False, expected_until="2027-03-01")
    c18 = due(w, "2027-01-25", "mali")["C18"]
    assert (c18.due, c18.status) == (date(2027, 1, 25), "due_today")  # 12 weeks
    assert "C19" not in due(w, "2027-01-25", "mali")
    transfers.agree_permanent(stay["id"], agreed_on="2027-01-25")
    items = due(w, "2027-01-25", "mali")
    assert "C18" not in items and items["C19"].due == date(2027, 2, 15)  # 15 working days
    w.clock.day = date(2027, 2, 10)
    with pytest.raises(ValidationError) as no_decision:
        transfers.conference_held(stay["id"], held_on="2027-02-10", outcome="")
    assert no_decision.value.field == "outcome"
    done = transfers.conference_held(stay["id"], held_on="2027-02-10", outcome="registered")
    assert (done["closed_on"], done["outcome"]) == ("2027-02-10", "registered")
    assert "C19" not in due(w, "2027-02-10", "mali")


def test_a_permanent_move_in_starts_c19_on_the_day_it_is_notified(registered):
    w, ids = registered, registered.ids
    w.clock.day = date(2026, 11, 2)
    TransferService(w.sw).move_in(ids["case"], ids["mali"], notified_on="2026-11-02", sending_la="Cyngor Gwynedd",
                                  permanent=True)
    items = due(w, "2026-11-02", "mali")
    assert "C18" not in items and items["C19"].due == date(2026, 11, 23)


def test_a_stay_that_ends_before_its_conference_is_closed_with_the_reason(registered):
    w, ids = registered, registered.ids
    transfers = TransferService(w.sw)
    w.clock.day = date(2026, 11, 2)
    stay = transfers.move_in(ids["case"], ids["mali"], notified_on="2026-11-02", sending_la="Cyngor Gwynedd",
                             permanent=False)
    w.clock.day = date(2026, 12, 1)
    with pytest.raises(ValidationError) as no_reason:
        transfers.close(stay["id"], on="2026-12-01", reason=" ")
    assert no_reason.value.field == "notes"
    closed = transfers.close(stay["id"], on="2026-12-01", reason="Back to Gwynedd with her mother.")
    assert (closed["closed_on"], closed["notes"], closed["outcome"]) == (
        "2026-12-01", "Back to Gwynedd with her mother.", None)
    assert "C18" not in due(w, "2027-01-25", "mali")
