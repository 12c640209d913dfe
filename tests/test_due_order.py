"""The order My work lists items in (desktop/services/my_work.py): ``in_order``, which sorts a view's items without
a key tuple per item, gives exactly what sorting by ``order`` gives — with due dates, severities, case references
(shared by several cases too), people and rules drawn from small sets so that every tie is met."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.services.my_work import WorkItem, in_order, order

ITEMS = st.builds(
    lambda due, severity, reference, name, rule, person, case, population: WorkItem(
        case, reference, person, name, rule, date(2026, 11, 23) + timedelta(days=due), "overdue", severity, 0,
        "open_case", population, None, None),
    st.integers(-3, 3), st.sampled_from(["must", "should", "may"]), st.sampled_from(["2026-1", "2026-10", "2026-2", ""]),
    st.sampled_from(["Osian", "Mali", "", "Ŵyn"]), st.sampled_from(["V1", "V2", "C10"]),
    st.sampled_from(["p1", "p2"]), st.sampled_from(["c1", "c2", "c3"]),
    st.sampled_from(["child_protection", "supervision"]))


@settings(max_examples=300, deadline=None)
@given(items=st.lists(ITEMS, max_size=40))
def test_in_order_is_the_order_of_the_whole_key(items: list[WorkItem]) -> None:
    expected = sorted(items, key=order)
    got = in_order(items)
    assert [id(i) for i in got] == [id(i) for i in expected]  # the same objects, in the same (stable) order
