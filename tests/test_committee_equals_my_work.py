"""The committee's figures are honest: for the same profile and the same day, what the report says is
still outstanding at the end of the period is exactly what My work shows as overdue or due today, rule
by rule; and nothing that fell due is left out of the counts."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from desktop.services.committee import CommitteeService
from desktop.services.committee_measures import MEASURES
from desktop.services.demo import build_demo
from desktop.services.my_work import MyWorkService
from tests.conftest import FixedClock, fast_kdf


@pytest.mark.parametrize("day", [date(2026, 11, 23), date(2027, 12, 27)], ids=str)
def test_outstanding_at_the_end_of_the_period_is_what_my_work_shows_that_day(tmp_path: Path, day: date) -> None:
    ctx = build_demo(tmp_path / "demo", "demo-password-1", role="senior_manager", kdf=fast_kdf(),
                     clock=FixedClock(datetime(day.year, day.month, day.day, 10, tzinfo=UTC)))
    try:
        senior = ctx.session("senior")
        stats = CommitteeService(senior).stats(date(day.year - 1, day.month, 1), day)
        shown = Counter(i.rule_id for i in MyWorkService(senior).all_items(day)
                        if i.status in ("overdue", "due_today"))
        figures = {m.rule_id: m for m in stats.measures}
        assert set(figures) == {rule for rule, _reader in MEASURES}
        for rule, m in figures.items():
            assert m.outstanding == shown.get(rule, 0), rule
            assert m.fell_due + m.carried == m.on_time + m.late + m.outstanding + m.ended, rule
        # The demo has work overdue under several measures, in more than one population.
        assert sum(m.outstanding for m in stats.measures) >= 5
        assert {m.population for m in stats.measures if m.outstanding} >= {"child_protection", "adult_at_risk"}
    finally:
        ctx.store.close()


def test_work_under_a_recorded_exception_is_counted_apart(tmp_path: Path) -> None:
    """A baby's V1 ("seen" in place of "seen alone", agreed by a manager) is not counted as late or
    outstanding seen-alone work: it is counted apart."""
    from desktop.services.exceptions import ExceptionService

    day = date(2026, 11, 23)
    ctx = build_demo(tmp_path / "demo", "demo-password-1", role="senior_manager", kdf=fast_kdf(),
                     clock=FixedClock(datetime(day.year, day.month, day.day, 10, tzinfo=UTC)))
    try:
        senior = ctx.session("senior")
        before = {m.rule_id: m for m in CommitteeService(senior).stats(date(2026, 9, 1), day).measures}["V1"]
        osian = ctx.families["twr"]["osian"]
        ExceptionService(ctx.session("tm_cp")).record(
            ctx.cases["twr_cp"], osian, "V1", reason_kind="age", reason="Agreed at supervision.",
            from_date="2026-08-01", until="2027-02-01")
        after = {m.rule_id: m for m in CommitteeService(senior).stats(date(2026, 9, 1), day).measures}["V1"]
        assert after.excepted > 0
        assert after.fell_due == before.fell_due - after.excepted
        assert after.outstanding < before.outstanding  # Osian's missed seen-alone visit is no longer "outstanding"
    finally:
        ctx.store.close()
