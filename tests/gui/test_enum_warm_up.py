"""Qt's enum types are made on the GUI thread only (ui.plugins): PySide makes each on its first use, and a
worker making them while the GUI thread builds a screen crashed the process (a segmentation fault in the full
suite: a worker in ``warm_qt_enums`` while the main window made the caseload page). Signing in makes them a
few at a time on the GUI thread, then a worker imports the screens — and that import must make none."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from tests.gui.enum_probe import COUNT_ENUMS

ROOT = Path(__file__).resolve().parents[2]

PROBE = COUNT_ENUMS + textwrap.dedent("""
    from ui import plugins
    done = threading.Event()
    def then():
        threading.Thread(target=lambda: (plugins.warm_up(), done.set()), name="warm-up worker").start()
    plugins.warm_qt_enums_in_steps(then)
    deadline = time.monotonic() + 60
    while not done.is_set() and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.002)
    print(done.is_set(), sum(n == "MainThread" for n in made), sorted({n for n in made if n != "MainThread"}))
""")


def test_the_screens_are_imported_on_a_worker_without_making_an_enum_type_there() -> None:
    out = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, check=True, cwd=ROOT,
                         env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)},
                         timeout=120)
    finished, on_gui_thread, elsewhere = out.stdout.strip().splitlines()[-1].split(" ", 2)
    assert finished == "True", out.stderr
    assert elsewhere == "[]", elsewhere  # the worker's import of every screen made none
    assert int(on_gui_thread) > 500  # the enum types of QtCore, QtGui, QtWidgets and QtPrintSupport PySide makes lazily
