"""``diogel report committee|conference …``: management reports as PDF, headless.

* ``diogel report committee --profile DIR --from YYYY-MM-DD --to YYYY-MM-DD --lang cy|en|bilingual
  --out FILE.pdf`` — the committee report (``Can.COMMITTEE_REPORT``; figures and definitions in
  :mod:`desktop.services.committee`).
* ``diogel report conference --profile DIR --conference ID --out FILE.pdf [--lang cy|en|bilingual]``
  — a child or adult protection conference report (:mod:`desktop.services.conference_reports`).

Exit codes: 0 done, 2 a problem the person can fix (wrong password, bad date, a role that cannot
run the report, an unknown conference).
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import Any

from desktop.cli import CliError, add_profile_args, sign_in
from desktop.i18n import N_, _


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("report", help=_("produce a management report as PDF"))
    sub = parser.add_subparsers(dest="report", metavar="REPORT", required=True)
    committee = sub.add_parser("committee", help=_("the safeguarding performance report to committee"))
    add_profile_args(committee)
    committee.add_argument("--from", dest="period_start", required=True, help=_("first day (YYYY-MM-DD)"))
    committee.add_argument("--to", dest="period_end", required=True, help=_("last day (YYYY-MM-DD)"))
    committee.add_argument("--lang", default="bilingual", choices=["cy", "en", "bilingual"], help=_("report language"))
    committee.add_argument("--out", required=True, type=Path, help=_("the PDF file to write"))
    committee.set_defaults(run=run_committee)
    conference = sub.add_parser("conference", help=_("a child or adult protection conference report"))
    add_profile_args(conference)
    conference.add_argument("--conference", required=True, help=_("the conference id"))
    conference.add_argument("--lang", default="bilingual", choices=["cy", "en", "bilingual"], help=_("report language"))
    conference.add_argument("--out", required=True, type=Path, help=_("the PDF file to write"))
    conference.set_defaults(run=run_conference)


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise CliError(N_("Give the date as YYYY-MM-DD, for example 2026-11-23.")) from exc


def _write(path: Path, pdf: bytes) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(pdf)
    except OSError as exc:
        raise CliError(N_("Cannot write {path}: {reason}"), path=str(path), reason=exc.strerror or str(exc)) from exc


def run_committee(args: argparse.Namespace) -> int:
    from desktop.services.committee import CommitteeService

    start, end = _date(args.period_start), _date(args.period_end)
    session = sign_in(args)
    try:
        pdf = CommitteeService(session).render(start, end, args.lang)
    finally:
        session.close()
    _write(args.out, pdf)
    print(_("Committee report written to {path}.").format(path=args.out))
    return 0


def run_conference(args: argparse.Namespace) -> int:
    from desktop.services.conference_reports import ConferenceReportService

    session = sign_in(args)
    try:
        languages = ("cy", "en") if args.lang == "bilingual" else (args.lang,)
        pdf = ConferenceReportService(session).render(args.conference, languages=languages)
    finally:
        session.close()
    _write(args.out, pdf)
    print(_("Conference report written to {path}.").format(path=args.out))
    return 0
