"""What is due is worked out once per change of the store (desktop/services/my_work.py ``_Memo``): asked
again with nothing changed it is not worked out again, any commit makes the next answer fresh, and an
answer worked out while a commit landed is never kept. On a real encrypted demo profile."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from desktop.services.demo import build_demo
from desktop.services.exceptions import ExceptionService
from desktop.services.my_work import MyWorkService, _memo
from tests.conftest import FixedClock, fast_kdf

DAY = date(2026, 11, 23)


def _dicts(items: list) -> list[dict]:  # type: ignore[type-arg]
    return [i.to_dict() for i in items]


def test_due_items_are_worked_out_once_per_change_and_never_stale(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    ctx = build_demo(tmp_path / "demo", "demo-password-1", role="senior_manager", kdf=fast_kdf(),
                     clock=FixedClock(datetime(DAY.year, DAY.month, DAY.day, 10, tzinfo=UTC)))
    try:
        senior = ctx.session("senior")
        computed: list[int] = []
        original = MyWorkService._compute

        def counting(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            computed.append(1)
            return original(self, *args, **kwargs)

        monkeypatch.setattr(MyWorkService, "_compute", counting)
        first = MyWorkService(senior).all_items(DAY)
        again = MyWorkService(senior).all_items(DAY)  # another service object, the same store
        MyWorkService(senior).view(DAY)  # the view asks for the same items
        assert len(computed) == 1
        assert _dicts(first) == _dicts(again)

        # A change that alters what is due: the next answer is worked out afresh and shows it.
        osian = ctx.families["twr"]["osian"]
        ExceptionService(ctx.session("tm_cp")).record(
            ctx.cases["twr_cp"], osian, "V1", reason_kind="age", reason="Agreed at supervision.",
            from_date="2026-08-01", until="2027-02-01")
        after = MyWorkService(senior).all_items(DAY)
        assert len(computed) == 2
        assert _dicts(after) != _dicts(first)
        assert any(i.excepted_by for i in after if i.person_id == osian and i.rule_id == "V1")
        assert _dicts(after) == _dicts(original(MyWorkService(senior), DAY, None, None))  # what a fresh look says
    finally:
        ctx.store.close()


def test_an_answer_worked_out_while_a_commit_lands_is_not_kept(tmp_path: Path) -> None:
    ctx = build_demo(tmp_path / "demo", "demo-password-1", role="senior_manager", kdf=fast_kdf(),
                     clock=FixedClock(datetime(DAY.year, DAY.month, DAY.day, 10, tzinfo=UTC)))
    try:
        senior = ctx.session("senior")
        memo = _memo(senior.store)
        calls: list[int] = []

        def compute_while_someone_writes(_basis: object) -> list:  # type: ignore[type-arg]
            calls.append(1)
            if len(calls) == 1:  # a commit lands while the first answer is being worked out
                senior.write(lambda tx: tx.record("note_opened", entity="case_file", entity_id="x"))
            return []

        memo.get("k", compute_while_someone_writes, keep=None)
        memo.get("k", compute_while_someone_writes, keep=None)
        memo.get("k", compute_while_someone_writes, keep=None)
        assert len(calls) == 2  # the first answer was not kept; the second was
    finally:
        ctx.store.close()


def test_only_the_most_recently_asked_answers_are_kept(tmp_path: Path) -> None:
    ctx = build_demo(tmp_path / "demo", "demo-password-1", role="senior_manager", kdf=fast_kdf(),
                     clock=FixedClock(datetime(DAY.year, DAY.month, DAY.day, 10, tzinfo=UTC)))
    try:
        memo = _memo(ctx.session("senior").store)
        calls: list[int] = []

        def compute(_basis: object) -> list:  # type: ignore[type-arg]
            calls.append(1)
            return []

        for key in range(memo.KEEP + 1):
            memo.get(key, compute, keep=None)
        assert len(calls) == memo.KEEP + 1
        memo.get(memo.KEEP, compute, keep=None)  # the newest is kept
        assert len(calls) == memo.KEEP + 1
        memo.get(0, compute, keep=None)  # the oldest was let go
        assert len(calls) == memo.KEEP + 2
    finally:
        ctx.store.close()
