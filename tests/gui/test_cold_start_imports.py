"""A cold start imports only what the first window needs (issue 22 item 4): a fresh process that signs in and
shows the main window, as the cold-start bench does, has imported neither ReportLab nor the HTTP client nor the
case tabs' screens when the first screen is loaded. Those come after the window is shown: Qt's enum types made
on the GUI thread in steps, then a worker imports the rest (``ui.plugins.begin_warm_up``) — and makes no enum
type there (two threads making them at once crash the process)."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

from tests.gui.conftest import World
from tests.gui.enum_probe import COUNT_ENUMS

ROOT = Path(__file__).resolve().parents[2]

DEFERRED = ("reportlab", "httpx", "ui.committee_dialog", "ui.child_protection.tab", "ui.letters.preview")
"""Modules the first window does not need: PDF drawing, the sync client, the committee report, a case tab."""

PROBE = COUNT_ENUMS + textwrap.dedent("""
    import json, sys
    from datetime import UTC, datetime
    from ui import interpreter
    interpreter.collect_on_this_thread()
    from ui.language import hub
    hub()
    from desktop.services.session import Session
    from tests.conftest import PASSWORD, FixedClock
    from ui import plugins
    from ui.main_window import AREA_KEY_ROLE, MainWindow
    from ui.tasks import runner
    deferred = json.loads(sys.argv[2])
    def wait(done, seconds=60):
        deadline = time.monotonic() + seconds
        while not done() and time.monotonic() < deadline:
            app.processEvents()
            time.sleep(0.002)
        return done()
    session = Session.sign_in(sys.argv[1], PASSWORD, clock=FixedClock(datetime(2026, 11, 23, 10, 0, tzinfo=UTC)),
                              backup=False, wait=False)
    window = MainWindow(session, idle_ms=3_600_000)
    window.show()
    key = window.sidebar.currentItem().data(AREA_KEY_ROLE)
    page = window.page(key)
    shown = wait(lambda: getattr(page, "loaded", True))
    at_window = [name for name in deferred if name in sys.modules]
    warmed = wait(plugins.warmed.is_set)
    after = [name for name in deferred if name in sys.modules]
    out = {"key": key, "shown": shown, "at_window": at_window, "warmed": warmed, "after": after,
           "loaded_in": plugins.loaded_in, "off_gui_thread": sorted({n for n in made if n != "MainThread"})}
    window.close()
    runner().shutdown()
    session.close()
    print(json.dumps(out))
""")


def test_the_first_window_imports_no_pdf_sync_or_case_tab_code_and_the_rest_comes_after_on_a_worker(
        world: World) -> None:
    done = subprocess.run([sys.executable, "-c", PROBE, str(world.folder), json.dumps(DEFERRED)],
                          capture_output=True, text=True, cwd=ROOT, timeout=180,
                          env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr[-3000:]
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert out["shown"], out
    assert out["at_window"] == [], out  # none of it imported before the first screen was loaded
    assert out["warmed"], out
    # the warm-up after the window imported every screen (httpx waits for a transport to be made, on a worker)
    assert out["after"] == [name for name in DEFERRED if name != "httpx"], out
    assert out["loaded_in"] != "MainThread", out  # on a worker
    assert out["off_gui_thread"] == [], out  # and made no Qt enum type there
