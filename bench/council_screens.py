"""The council's committee report, page by page, for docs/screens (issue 21).

    python -m bench.council_screens [--out docs/screens]

Starts its own PostgreSQL on a temp dir, loads a synthetic council (bench/synthetic.py ``council_rows``:
eight teams, 3,000 children seen 40 times each, adults at risk and looked-after children) into the row
store, makes the report as ``diogel-server report committee`` does — over every case, for the quarter to
20 November 2026 — in Cymraeg and in English, and renders each page with pypdfium2 as
``council-report-pageN-{cy,en}.png``, listed in ``council-report.md`` beside them. No PostgreSQL is left
running.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import psycopg  # noqa: E402
from psycopg import IsolationLevel  # noqa: E402
from psycopg.rows import dict_row  # noqa: E402

from bench.bench_figures import END, NOW, START, load  # noqa: E402
from server import figures  # noqa: E402
from server.auth import User  # noqa: E402
from server.devdb import TempCluster  # noqa: E402
from server.migrator import migrate  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    import pypdfium2 as pdfium

    ap = argparse.ArgumentParser(prog="python -m bench.council_screens", description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "screens")
    args = ap.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    pages: dict[str, list[str]] = {}
    with TempCluster() as pg:
        dsn = pg.dsn()
        migrate(dsn)
        load(dsn, 3_000, 40)
        with psycopg.connect(dsn, row_factory=dict_row) as conn:
            r = conn.execute("SELECT id, username, display_name, role, team_id, is_admin FROM users"
                             " WHERE role = 'senior_manager'").fetchone()
            asked = figures.Asked(User(r["id"], r["username"], r["display_name"], r["role"], r["team_id"],
                                       r["is_admin"]), "screens")
            conn.rollback()
            conn.isolation_level = IsolationLevel.REPEATABLE_READ
            stats = figures.committee_stats(conn, asked, START, END, None, now=NOW, today=END,
                                            connect=lambda: psycopg.connect(dsn))
            conn.rollback()
    for old in args.out.glob("council-report-page*.png"):
        old.unlink()
    for lang in ("cy", "en"):
        doc = pdfium.PdfDocument(figures.committee_report(stats, lang))
        for i in range(len(doc)):
            name = f"council-report-page{i + 1}-{lang}.png"
            doc[i].render(scale=1.4).to_pil().save(args.out / name)
            pages.setdefault(f"council-report-page{i + 1}", []).append(name)
            print(args.out / name)
    lines = ["# The council's committee report", "",
             "Made by `python -m bench.council_screens` from a synthetic council (eight teams, 3,000 children on "
             "the register seen 40 times each, adults at risk and looked-after children) on the server: every "
             f"case, {START.isoformat()} to {END.isoformat()}, as `diogel-server report committee` makes it. "
             "Do not edit: run it again.", "", "| Page | Cymraeg | English |", "|---|---|---|"]
    for page, names in pages.items():
        cells = " | ".join(f"![]({n})" if n else "—" for n in (
            next((n for n in names if n.endswith("-cy.png")), ""), next((n for n in names if n.endswith("-en.png")), "")))
        lines.append(f"| {page} | {cells} |")
    (args.out / "council-report.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
