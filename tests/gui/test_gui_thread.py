"""The GUI thread only draws: the screens' imports happen on a worker while the password is typed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.gui.conftest import World

ROOT = Path(__file__).resolve().parents[2]

# A fresh interpreter: in this one an earlier test has long imported every screen.
WARM_UP = r"""
import json, sys, time
sys.path.insert(0, sys.argv[2])
from PySide6.QtWidgets import QApplication

app = QApplication([])
from ui.sign_in import SignInDialog
from ui import plugins

before = "ui.child_protection" in sys.modules
dialog = SignInDialog(sys.argv[1], backup=False)
dialog.show()
deadline = time.monotonic() + 60
while not plugins.warmed.is_set() and time.monotonic() < deadline:
    app.processEvents()
    time.sleep(0.005)
print(json.dumps({"before": before, "loaded_in": plugins.loaded_in,
                  "tabs": "ui.child_protection" in sys.modules, "pdfium": "pypdfium2" in sys.modules}))
"""


def test_the_screens_are_imported_on_a_worker_while_the_password_is_typed(world: World) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "-c", WARM_UP, str(world.folder), str(ROOT)],
                          capture_output=True, text=True, timeout=120, env=env, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert not seen["before"], "the sign-in dialog itself does not import the casework screens"
    assert seen["loaded_in"] and seen["loaded_in"].startswith("diogel-task"), seen
    assert seen["tabs"] and seen["pdfium"]


def test_a_case_window_shows_at_once_and_says_why_a_case_cannot_be_opened(qtbot, gui_session) -> None:
    """The window is on screen before the case is read; a case out of scope (here: no such case) is said
    in its title in the person's words, no tabs are made and nothing is raised."""
    from ui.case_view import CaseWindow
    from ui.plugins import load_plugins

    load_plugins()
    window = CaseWindow(gui_session, "no-such-case")
    qtbot.addWidget(window)
    window.show()
    assert window.title.text() == "Loading…" and not window.opened
    qtbot.waitUntil(lambda: not window.loading, timeout=10_000)
    assert window.failure is not None and not window.opened and window.tabs.count() == 0
    assert window.title.text() == "That case does not exist or is not in your caseload."
    assert window.open_action("record_visit") is None  # nothing to open, nothing waiting
