"""The demo is built around its clock's today: whatever day that is, it shows the same situations (a
child not seen alone, a missing co-ordinator escalated, a worker on leave with nobody covering, a move
out of the area overdue, adults' work overdue). Guards the "time is an input" rule for the demo."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from desktop.services.demo import build_demo
from desktop.services.my_work import MyWorkService
from tests.conftest import FixedClock, fast_kdf

DAYS = [
    datetime(2026, 1, 5, 9, 0, tzinfo=UTC),  # the first Monday of a year
    datetime(2027, 12, 27, 9, 0, tzinfo=UTC),  # a bank holiday (Christmas substitute day)
    datetime(2028, 4, 18, 9, 0, tzinfo=UTC),  # the day after Easter Monday
    datetime(2029, 6, 15, 16, 30, tzinfo=UTC),  # a Friday afternoon
    datetime(2030, 12, 27, 9, 0, tzinfo=UTC),  # between Christmas and New Year
    datetime(2031, 8, 26, 9, 0, tzinfo=UTC),  # the day after the summer bank holiday
]


@pytest.mark.parametrize("moment", DAYS, ids=lambda m: m.date().isoformat())
def test_the_demo_shows_the_same_situations_on_any_day(tmp_path: Path, moment: datetime) -> None:
    ctx = build_demo(tmp_path / "demo", "demo-password-1", role="team_manager", kdf=fast_kdf(),
                     clock=FixedClock(moment))
    try:
        assert ctx.today == moment.date()
        twr, jones = ctx.families["twr"], ctx.families["jones"]
        rhian = MyWorkService(ctx.session("sw_rhian")).view()
        not_seen_alone = {i.person_id for i in rhian.overdue if i.rule_id == "V1"}
        assert twr["osian"] in not_seen_alone and twr["seren"] not in not_seen_alone
        def mine(staff: str) -> set[str]:
            return {t.kind for t in MyWorkService(ctx.session(staff)).view().tasks if t.for_me}

        assert mine("senior") == {"no_coordinator"}
        assert mine("custodian") == {"household_change"}  # the Tŵr family's new regular visitor
        # Nobody answered the door to the co-ordinator; the Tŵr working plan waits for her sign-off (issue 19).
        assert mine("tm_cp") == {"access_denied", "signoff_waiting"}
        manager = MyWorkService(ctx.session("tm_cp")).view()
        assert {i.person_id for i in manager.uncovered if i.rule_id == "V1"} == {jones["mason"], jones["ruby"]}
        assert {i.status for i in manager.responsible if i.rule_id == "C17"} == {"overdue"}
        adults = {(i.person_name, i.rule_id): i.status for i in MyWorkService(ctx.session("sw_adult")).all_items()}
        assert adults[("Eirlys Parry", "A4")] == "overdue" and adults[("Dilys Hughes", "A1")] == "overdue"
        stamps = {r["at"][:10] for r in ctx.store.rows("SELECT at FROM audit")}
        assert stamps == {moment.date().isoformat()}, "every audit entry is stamped by the demo's clock"
    finally:
        ctx.store.close()
