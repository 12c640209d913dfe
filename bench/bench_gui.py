"""Interface benchmarks with 5,000 synthetic cases (offscreen Qt). Never run as timed tests.

* cold start: a new process from ``python`` start, through imports, sign-in (argon2id at the
  production parameters, opening the encrypted store; the integrity check of every page runs in
  the background, writes waiting for it) to the main window shown with the caseload loaded —
  target ≤ 1.5 s; also with the check done before the window is built, for comparison;
* search keystroke to updated list (the first page of the search read on a worker and shown) —
  target ≤ 50 ms; also apart, a common word (thousands of cases: jones, seren, tŵr, davies) and a
  rare one (one case's LA number typed whole, and words no case holds);
* language switch with the main views open — target ≤ 150 ms;
* resident memory with 5,000 cases — target ≤ 300 MB: the process's peak so far (``rss_…_mb``) and what it
  holds then (``…_now_mb``), when the window is shown, when sign-in's background reads are done, and after the
  searches and language switches below (their reads done too);
* the caseload's first page's due columns (Next due, Overdue) in: from the process's start, and the process's CPU
  from the list shown until then (the sidebar badge counts on a worker meanwhile too); and when every read begun
  at sign-in is done (the badge's counts of every case in scope), before the searches are timed.

With ``--cases 50000`` the targets are those of issue 22: cold start ≤ 1.5 s and resident memory
≤ 200 MB. The children run from compiled bytecode (compiled first into a temporary cache), as an
installed copy or the bundle does, whatever ``PYTHONDONTWRITEBYTECODE`` says.

    python bench/bench_gui.py [--cases 5000] [--runs 3] [--profile FOLDER]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

CHILD = r"""
import os, sys, time, json
t0 = float(sys.argv[2])
def rss():  # this process's resident memory now and at its peak so far (MB): Linux's /proc
    found = {}
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(("VmRSS:", "VmHWM:")):
                found[line[:5]] = int(line.split()[1]) / 1024
    return found["VmRSS"], found["VmHWM"]
sys.path.insert(0, sys.argv[3])
from PySide6.QtWidgets import QApplication
from PySide6.QtCore import QCoreApplication
app = QApplication([])
from ui import interpreter
interpreter.collect_on_this_thread()  # as ui.application does
from ui.language import hub
hub()
from desktop.services.session import Session
from ui.main_window import MainWindow
wait = sys.argv[4] == "wait"
session = Session.sign_in(sys.argv[1], "bench-password", backup=False, wait=wait)
window = MainWindow(session)  # shown while the integrity check runs, as ui.application does
window.resize(1280, 800)
window.show()
page = window.page("caseload")
while not page.loaded:
    app.processEvents()
    time.sleep(0.001)
app.processEvents()
ready = time.time() - t0
cpu_ready = time.process_time()  # this process's CPU from its start (all threads)
rss_now_mb, rss_mb = rss()
while not (page.model.due_loaded and not page.due_loader.pending):  # the first page's due columns, on a worker
    app.processEvents()
    time.sleep(0.001)
due_ready, cpu_due = time.time() - t0, time.process_time()
from ui.tasks import runner
runner().wait_idle(600)  # the sidebar badge's counts and the rest of sign-in's reads: the searches below alone
idle, cpu_idle = time.time() - t0, time.process_time()
app.processEvents()
rss_idle_now_mb, rss_idle_mb = rss()
timings = {"search": [], "switch": [], "common": [], "rare": [], "search_cpu": [], "common_cpu": [], "rare_cpu": []}
# one case's LA number, typed whole: a rare word (a word that matches nothing is the rarest)
rare = session.store.rows("SELECT la_number FROM person WHERE la_number IS NOT NULL ORDER BY id LIMIT 1")[0]["la_number"]
TYPED = ["j", "jo", "jon", "jone", "jones", "", "seren", "tŵr", "", "LA0", "2016-", ""]
for i, text in enumerate(TYPED + [rare, "", "dimbyd", "", "davies", "", rare.lower(), "", "ffugenw", ""]):
    start, cpu = time.perf_counter(), time.process_time()  # process CPU: the worker's read counts too
    page.search.setText(text)
    while not page.model.settled:  # the search's first page is read on a worker (then its count)
        app.processEvents()
        time.sleep(0.0005)
    app.processEvents()
    ms, cpu_ms = (time.perf_counter() - start) * 1000, (time.process_time() - cpu) * 1000
    kinds = ["search"] if i < len(TYPED) else []
    if text in ("jones", "seren", "tŵr", "davies"):
        kinds.append("common")  # a word thousands of cases hold
    elif text in (rare, rare.lower(), "dimbyd", "ffugenw"):
        kinds.append("rare")  # one case, or none
    for kind in kinds:
        timings[kind].append(ms)
        timings[f"{kind}_cpu"].append(cpu_ms)
for lang in ["cy", "en", "cy", "en", "cy", "en"]:
    start = time.perf_counter()
    window.switch_language(lang)
    app.processEvents()
    timings["switch"].append((time.perf_counter() - start) * 1000)
while page.model.busy:  # the last search's count
    app.processEvents()
    time.sleep(0.001)
runner().wait_idle(600)
rss_end_now_mb, rss_end_mb = rss()
print(json.dumps({"ready_s": ready, "rss_mb": rss_mb, "rows": page.model.total(), "cpu_s": cpu_ready,
                  "rows_read": page.model.rowCount(), "due_s": due_ready, "due_cpu_s": cpu_due - cpu_ready,
                  "idle_s": idle, "idle_cpu_s": cpu_idle - cpu_ready, "rss_idle_mb": rss_idle_mb, "rss_now_mb": rss_now_mb,
                  "rss_idle_now_mb": rss_idle_now_mb, "rss_end_mb": rss_end_mb, "rss_end_now_mb": rss_end_now_mb,
                  **timings}))
runner().shutdown()  # let background work (the due columns of 50,000 cases) finish before closing the store
window.close()
session.close()
"""


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--profile", type=Path, help="a profile folder: built there once, then reused (turn-about runs)")
    args = parser.parse_args()
    from bench.synthetic import create_profile, populate

    with tempfile.TemporaryDirectory() as tmp:
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONPYCACHEPREFIX"] = str(Path(tmp) / "pycache")
        subprocess.run([sys.executable, "-m", "compileall", "-q", "desktop", "ui", "reports"], cwd=ROOT, env=env,
                       check=True, capture_output=True)
        load_start = os.getloadavg()[0]
        folder = args.profile or Path(tmp) / "profile"
        if not (folder / "diogel.db").exists():
            session = create_profile(folder)  # production argon2id parameters
            populate(session, args.cases)
            session.close()
        runs, waited = [], []
        size_mb = round((folder / "diogel.db").stat().st_size / 2**20)
        for mode, into in [("parallel", runs), ("wait", waited)] * args.runs:
            out = subprocess.run([sys.executable, "-c", CHILD, str(folder), repr(time.time()), str(ROOT), mode],
                                 capture_output=True, text=True, timeout=300, env=env)
            if out.returncode != 0:
                print(out.stderr[-3000:])
                return 1
            into.append(json.loads(out.stdout.strip().splitlines()[-1]))
    search, common, rare = ([t for r in runs for t in r[kind]] for kind in ("search", "common", "rare"))
    cpu = {kind: round(statistics.median(t for r in runs for t in r[f"{kind}_cpu"]), 1)
           for kind in ("search", "common", "rare")}
    switch = [t for r in runs for t in r["switch"]]
    print(json.dumps({
        "cases": args.cases,
        "database_mb": size_mb,
        "cold_start_s_median": round(statistics.median(r["ready_s"] for r in runs), 2),
        "cold_start_s_max": round(max(r["ready_s"] for r in runs), 2),
        "cold_start_cpu_s_median": round(statistics.median(r["cpu_s"] for r in runs), 2),
        "rows_read_at_sign_in": max(r["rows_read"] for r in runs),
        "due_columns_s_median": round(statistics.median(r["due_s"] for r in runs), 2),
        "due_columns_cpu_s_median": round(statistics.median(r["due_cpu_s"] for r in runs), 2),
        "due_columns_cpu_s_max": round(max(r["due_cpu_s"] for r in runs), 2),
        "background_done_s_median": round(statistics.median(r["idle_s"] for r in runs), 2),
        "background_cpu_s_median": round(statistics.median(r["idle_cpu_s"] for r in runs), 2),
        "cold_start_check_first_s_median": round(statistics.median(r["ready_s"] for r in waited), 2),
        "search_keystroke_ms_median": round(statistics.median(search), 1),
        "search_keystroke_ms_max": round(max(search), 1),
        "search_keystroke_cpu_ms_median": cpu["search"],
        "search_common_word_ms_median": round(statistics.median(common), 1),
        "search_common_word_ms_max": round(max(common), 1),
        "search_rare_word_ms_median": round(statistics.median(rare), 1),
        "search_rare_word_ms_max": round(max(rare), 1),
        "search_common_word_cpu_ms_median": cpu["common"], "search_rare_word_cpu_ms_median": cpu["rare"],
        "language_switch_ms_median": round(statistics.median(switch), 1),
        "language_switch_ms_max": round(max(switch), 1),
        "rss_mb_max": round(max(r["rss_mb"] for r in runs)),  # the peak so far (argon2id's at sign-in included)
        "rss_now_mb_max": round(max(r["rss_now_mb"] for r in runs)),
        "rss_after_background_mb_max": round(max(r["rss_idle_mb"] for r in runs)),  # the peak so far
        "rss_after_background_now_mb_max": round(max(r["rss_idle_now_mb"] for r in runs)),
        "rss_after_searches_mb_max": round(max(r["rss_end_mb"] for r in runs)),  # the peak so far
        "rss_after_searches_now_mb_max": round(max(r["rss_end_now_mb"] for r in runs)),
        "cores": os.cpu_count(), "load_average_start": round(load_start, 2),
        "load_average_end": round(os.getloadavg()[0], 2),
    }, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
