"""A court's extension of care proceedings recorded on one laptop reaches the other through the server, and
the other laptop's My work then shows the extended time limit (P1x) instead of the 26 weeks (P1)."""

from __future__ import annotations

from datetime import timedelta

from desktop.services.children import ChildInNeedService
from desktop.services.my_work import MyWorkService
from tests.sync.helpers import make_case


def test_an_extension_travels_and_moves_the_due_date_on_the_other_laptop(srv, laptops) -> None:
    w, m = laptops("wendy"), laptops("mari")
    case, pid = make_case(w)
    today = w.session.today()  # the laptops keep the machine's clock: every date is relative to it
    issued = today - timedelta(days=100)
    proc = ChildInNeedService(w.session).start_proceedings(case, pid, kind="care_proceedings",
                                                           stage="application_issued", started_on=issued.isoformat())
    limit = issued + timedelta(days=181)
    ChildInNeedService(w.session).extend_proceedings(proc["id"], granted_on=today.isoformat(),
                                                     extended_to=(limit + timedelta(weeks=8)).isoformat(),
                                                     reason="An expert's report.")
    assert w.sync().verified and m.sync().verified
    [row] = m.store.rows("SELECT extended_to, reason FROM proceedings_extension WHERE proceedings_id = ?",
                         [proc["id"]])
    assert row == {"extended_to": (limit + timedelta(weeks=8)).isoformat(), "reason": "An expert's report."}
    due = {i.rule_id: i.due for i in MyWorkService(m.session).all_items(case_id=case)}
    assert "P1" not in due and due["P1x"] == limit + timedelta(weeks=8)
