"""Run every benchmark in turn and print its figures (``make bench``). Never part of the tests."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHES = ["bench_store.py", "bench_engine.py", "bench_due.py", "bench_gui.py", "bench_letters.py",
           "bench_server.py", "bench_sync_client.py", "bench_casework_records.py",
           "bench_figures.py", "bench_caseload_sql.py", "bench_pull_apply.py"]


def main() -> int:
    failed = []
    for name in BENCHES:
        print(f"== {name}", flush=True)
        if subprocess.run([sys.executable, str(HERE / name)], cwd=HERE.parent).returncode != 0:
            failed.append(name)
    if failed:
        print("failed:", ", ".join(failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
