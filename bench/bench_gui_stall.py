"""How long the GUI thread stops drawing, as a senior manager with 5,000 cases (offscreen Qt). Never a test.

A heartbeat timer on the GUI thread fires every millisecond; the longest gap between two beats while an
operation runs is the longest the window could not draw or answer the keyboard. Operations, each from the
person's action until its result is on screen:

* sign in — the password given in the sign-in window, until My work has drawn its items;
* open a case — a child protection case's window, until its header and its first tab ("What is due") have
  loaded (a tab is made when first shown, issue 17);
* show a tab — the case's "Child protection" tab shown for the first time, until its lists have loaded;
* open a form — "Record a visit" on the Child protection tab, "Add a relationship" on the Family tab and
  "New note" on the Notes tab (its list of cases holds every case the person can see), each until its
  fields are made (a form reads what it lists on a worker, issue 17);
* save a visit — the visit form (already open) filled and saved, until the case's lists show it;
* switch language with My work open — Cymraeg and back, until My work has drawn again.

The baseline is the same heartbeat with nothing to do, in the same process: the timer's own jitter.
Target: ≤ 50 ms each. Beside each gap, the CPU time the GUI thread itself used for the operation
(``<op>_gui_cpu_ms``, ``time.thread_time``): unlike the gap it does not count the time other processes had
the cores, so it compares code on a loaded machine.

    python bench/bench_gui_stall.py [--cases 5000] [--runs 3] [--code DIR]

``--code`` runs the application from another copy of the code (``git archive <commit> | tar -x -C DIR``),
so code before and after a change can be measured turn about against the same profile.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

CHILD = r"""
import faulthandler, json, sys, time
faulthandler.enable()  # a crash says where it happened
from datetime import UTC, datetime
sys.path.insert(0, sys.argv[2])
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

app = QApplication([])
from ui import interpreter
interpreter.collect_on_this_thread()  # as ui.application does
from ui.language import hub
hub()
from ui.sign_in import SignInDialog
from ui.main_window import MainWindow
from ui.tasks import runner


def clock():
    return datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


class Heartbeat:
    def __init__(self):
        self.last = time.perf_counter()
        self.worst = 0.0
        self.cpu = {}  # operation -> CPU ms of the GUI thread
        self.timer = QTimer()
        self.timer.setInterval(1)
        self.timer.timeout.connect(self.beat)
        self.timer.start()

    def beat(self):
        now = time.perf_counter()
        self.worst = max(self.worst, now - self.last)
        self.last = now

    def measure(self, start, done, limit=120.0, name=None):
        app.processEvents()
        self.last, self.worst = time.perf_counter(), 0.0
        cpu = time.thread_time()
        start()
        deadline = time.perf_counter() + limit
        # A short sleep between turns, not spinning: the GUI thread's CPU time is then its work (and the 1 ms
        # beat), not this loop polling while a worker reads. (Waiting inside Qt's dispatcher instead,
        # WaitForMoreEvents, crashed 3 runs in 12 while the warm-up imported the screens on a worker.)
        while not done():
            app.processEvents()
            time.sleep(0.0002)
            if time.perf_counter() > deadline:
                raise TimeoutError("did not finish")
        # the last beat after it finished closes the gap that was open
        end = time.perf_counter() + 0.02
        while time.perf_counter() < end:
            app.processEvents()
            time.sleep(0.0002)
        if name is not None:
            self.cpu[name] = round((time.thread_time() - cpu) * 1000, 1)
        return round(self.worst * 1000, 1)


beat = Heartbeat()
out = {}
out["baseline"] = beat.measure(lambda: None, lambda: True)

dialog = SignInDialog(sys.argv[1], clock=clock, backup=False)
dialog.show()
state = {}

def on_opened(session):
    state["session"] = session
    window = MainWindow(session, idle_ms=24 * 3_600_000)
    window.show()
    state["window"] = window
    window.go_to("my_work")  # as choosing it: the page is made on a later turn (show_area would make it now)

dialog.opened.connect(on_opened)

def my_work_drawn():
    window = state.get("window")
    page = window.made_page("my_work") if window is not None else None  # (page() would make it now)
    return bool(page is not None and getattr(page, "loaded", False) and runner().running() == 0)

def sign_in():
    dialog.password.setText("bench-password")
    dialog.sign_in_button.click()

out["sign_in"] = beat.measure(sign_in, my_work_drawn, name="sign_in")
session, window = state["session"], state["window"]

from ui.case_view import open_case_window
case_id = session.store.rows(
    "SELECT c.id FROM case_file c JOIN register_entry e ON e.case_id = c.id WHERE c.case_type = 'child_protection'"
    " AND e.status = 'active' ORDER BY c.reference LIMIT 1")[0]["id"]

def open_case():
    state["case"] = open_case_window(session, case_id, None)

out["open_case"] = beat.measure(open_case, lambda: "case" in state and runner().running() == 0, name="open_case")
case = state["case"]

def show_tab():
    index = next(i for i in range(case.tabs.count())
                 if case.tabs.widget(i).property("case_tab_key") == "child_protection")
    case.tabs.setCurrentIndex(index)

out["show_tab"] = beat.measure(show_tab, lambda: not case.loading and runner().running() == 0, name="show_tab")
tab = case.tab("child_protection")



def opened(form):
    # The form's fields are made (a form that reads on a worker says so with its "loading").
    return form is not None and not getattr(form, "loading", False) and runner().running() == 0


def open_visit():
    state["visit"] = tab.record_visit()

out["open_visit_form"] = beat.measure(open_visit, lambda: opened(state.get("visit")), name="open_visit_form")


def save_visit():
    form = state["visit"]
    form.set_value("observations", "Seen at home with their mother; the bedroom was warm and tidy.")
    for child in form.child_blocks:
        child.set_value("seen", True)
        child.set_value("seen_alone", True)
    state["visit_saved"] = form.save()  # answered later, on the GUI thread

out["save_visit"] = beat.measure(save_visit, lambda: "visit_saved" in state and state["visit_saved"].done
                               and state["visit_saved"].ok and runner().running() == 0, name="save_visit")


def show(key):
    index = next(i for i in range(case.tabs.count()) if case.tabs.widget(i).property("case_tab_key") == key)
    case.tabs.setCurrentIndex(index)


beat.measure(lambda: show("family"), lambda: not case.loading and runner().running() == 0)
family = case.tab("family")

def open_relationship():
    state["relationship"] = family.add_relationship()

out["open_relationship_form"] = beat.measure(open_relationship, lambda: opened(state.get("relationship")),
                                             name="open_relationship_form")
state["relationship"].close()
beat.measure(lambda: show("notes"), lambda: not case.loading and runner().running() == 0)
notes = case.tab("notes")

def open_note():
    state["note"] = notes.new_note()

out["open_note_form"] = beat.measure(open_note, lambda: opened(state.get("note")), name="open_note_form")
state["note"].close()
case.close()
window.show_area("my_work")
beat.measure(lambda: None, my_work_drawn)

def switch():
    window.switch_language("cy")
    window.switch_language("en")

out["switch_language"] = beat.measure(switch, my_work_drawn, name="switch_language")
out.update({f"{k}_gui_cpu_ms": v for k, v in beat.cpu.items()})
print(json.dumps(out))
window.close()
session.close()
"""


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--code", type=Path, default=ROOT, help="the copy of the code the application runs from")
    args = parser.parse_args()
    from bench.synthetic import create_profile, populate

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "profile"
        session = create_profile(folder)
        populate(session, args.cases, visits_per_child=2, register=True)
        session.close()
        runs = []
        for _ in range(args.runs):
            out = subprocess.run([sys.executable, "-c", CHILD, str(folder), str(args.code)], capture_output=True,
                                 text=True, timeout=900, env={**os.environ})
            if out.returncode != 0:
                print(f"the run ended with {out.returncode}:", out.stderr[-3000:])
                return 1
            runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
    ops = ("baseline", "sign_in", "open_case", "show_tab", "open_visit_form", "save_visit", "open_relationship_form",
           "open_note_form", "switch_language")
    keys = [k for k in ops if k in runs[0]]
    cpu = [f"{k}_gui_cpu_ms" for k in ops if f"{k}_gui_cpu_ms" in runs[0]]
    print(json.dumps({"cases": args.cases, "runs": args.runs, "code": str(args.code),
                      "load_average": [round(x, 2) for x in os.getloadavg()],
                      **{f"{k}_longest_stall_ms_median": statistics.median(r[k] for r in runs) for k in keys},
                      **{f"{k}_longest_stall_ms_max": max(r[k] for r in runs) for k in keys},
                      **{f"{k}_median": statistics.median(r[k] for r in runs) for k in cpu}}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
