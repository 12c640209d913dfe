"""The council's report from a laptop that is not connected to a server: not offered, and asking for it
says to sign in to a server, in the person's language, without a traceback or a file."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from desktop.errors import PermissionDenied, ValidationError
from desktop.services.committee_council import CouncilReportService, council_report_available
from desktop.sync.errors import AuthRequired


def test_not_connected_means_not_offered_and_a_clear_refusal(make_session: Any) -> None:
    senior = make_session(role="senior_manager")
    assert not council_report_available(senior)
    with pytest.raises(AuthRequired) as err:
        CouncilReportService(senior).render(date(2026, 9, 1), date(2026, 11, 30), "en")
    assert "not connected to a server" in str(err.value)
    with pytest.raises(ValidationError) as bad:
        CouncilReportService(senior).render(date(2026, 11, 30), date(2026, 9, 1), "en")
    assert bad.value.field == "period_end"
    worker = make_session(role="social_worker", folder="worker")
    with pytest.raises(PermissionDenied):
        CouncilReportService(worker).render(date(2026, 9, 1), date(2026, 11, 30), "en")
