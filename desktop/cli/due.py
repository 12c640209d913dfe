"""``diogel due --profile DIR --json [--on YYYY-MM-DD] [--mine]``: every timescale item in the signed-in
person's scope, for scripts.

Output (``--json``, UTF-8, one JSON document on stdout)::

    {
      "on": "2026-11-23",                # the day asked about
      "user": {"id": "…", "role": "team_manager"},
      "count": 2,
      "items": [
        {
          "case_id": "…", "case_reference": "2026-00001-AB12",
          "person_id": "…", "person_name": "Elis Jones",
          "rule_id": "V1", "title": "Child seen alone",     # title/reason in DIOGEL_LANG (cy|en)
          "due": "2026-11-20",
          "status": "overdue",             # overdue | due_today | due_this_week | upcoming | cannot_compute
          "severity": "must", "days_overdue": 1,
          "reason": "…", "action": "record_visit", "population": "child_protection",
          "worker_id": "…", "absent": false, "covered_by": null,
          "problem": null,                 # why the due date could not be worked out (cannot_compute)
          "excepted_by": null,             # the recorded exception that applies, if any
          "lifted": false                  # that exception lifts the rule for now
        }
      ]
    }

Items are sorted most urgent first (due date, then must before should). Every status is listed,
upcoming included; ``--mine`` keeps only what the person is responsible for or covers. Without
``--json`` a plain table is printed. An item whose due date cannot be worked out is listed with status
``cannot_compute`` (dated the day asked) and a ``problem``, and a line on stderr says how many there
are: nothing is dropped. Exit codes: 0 done, 2 a problem the person can fix (wrong
password, bad date).
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from typing import Any

from desktop.cli import CliError, add_profile_args, sign_in
from desktop.i18n import N_, _, ngettext


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("due", help=_("list what is due and overdue in your scope"))
    add_profile_args(parser)
    parser.add_argument("--json", action="store_true", help=_("print JSON for scripts"))
    parser.add_argument("--on", help=_("the day to ask about (YYYY-MM-DD); default today"))
    parser.add_argument("--mine", action="store_true", help=_("only items you are responsible for"))
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from desktop.services.my_work import MyWorkService

    on = None
    if args.on:
        try:
            on = date.fromisoformat(args.on)
        except ValueError as exc:
            raise CliError(N_("Give the date as YYYY-MM-DD, for example 2026-11-23.")) from exc
    session = sign_in(args)
    try:
        service = MyWorkService(session)
        day = on or session.today()
        items = service.all_items(day)
        if args.mine:
            me = session.user.id
            items = [i for i in items if i.worker_id == me or i.covered_by == me]
        if args.json:
            doc = {"on": day.isoformat(), "user": {"id": session.user.id, "role": session.user.role},
                   "count": len(items), "items": [i.to_dict() for i in items]}
            json.dump(doc, sys.stdout, ensure_ascii=False, indent=2)
            sys.stdout.write("\n")
        else:
            for i in items:
                print(f"{i.due.isoformat()}  {i.status:<14} {i.rule_id:<4} {i.case_reference:<18} "
                      f"{i.person_name:<24} {i.reason}")
        problems = sum(1 for i in items if i.problem)
        if problems:
            print(ngettext("{n} due date could not be worked out: see the items marked cannot_compute.",
                           "{n} due dates could not be worked out: see the items marked cannot_compute.",
                           problems).format(n=problems), file=sys.stderr)
    finally:
        session.close()
    return 0
