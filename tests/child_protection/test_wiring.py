"""The household hook is installed before any household change, whoever publishes it first."""

from __future__ import annotations

import subprocess
import sys


def test_first_published_event_loads_the_child_protection_subscribers():
    code = (
        "import sys\n"
        "from desktop.services import events\n"
        "assert 'desktop.services.child_protection' not in sys.modules\n"
        "events.publish(None, object())\n"
        "assert events.HouseholdChanged in events._handlers, 'hook not installed'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_my_work_has_the_child_protection_provider():
    from desktop.services.my_work import providers

    assert "child_protection" in {p.name for p in providers()}
