"""``diogel letters --profile DIR --out DIR [--dry-run]``: export the print queue headless.

Every waiting letter in the signed-in person's scope is re-checked (held letters whose address
has since been recorded are released), rendered to its own PDF in ``--out`` — named
``<case ref>_<template>_<recipient>_<id8>.pdf`` — and marked printed as that person (PDF kept in
the letter row, audited; one transaction per letter). Held letters are listed with the reason.
``--dry-run`` lists what would be exported without rendering or marking anything.

Exit codes: 0 done (held letters are not an error), 2 a problem the person can fix (wrong
password, a role that cannot print letters), 1 when a letter failed to render.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from desktop.cli import add_profile_args, sign_in
from desktop.i18n import _, ngettext


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("letters", help=_("export the letters waiting to be printed, one PDF each"))
    add_profile_args(parser)
    parser.add_argument("--out", required=True, type=Path, help=_("the folder for the PDFs"))
    parser.add_argument("--dry-run", action="store_true", help=_("list the letters without exporting them"))
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from desktop.services.letters import LetterService
    from desktop.services.permissions import Can

    session = sign_in(args)
    try:
        session.require(Can.MANAGE_LETTERS)
        service = LetterService(session)
        waiting = service.queue()
        by_id = {q.id: q for q in waiting}
        if args.dry_run:
            for q in waiting:
                print(f"{q.status:7} {q.case_reference:18} {q.code:4} {q.language:9} {q.recipient_name}"
                      + (f" — {q.held_text()}" if q.held_reason else ""))
            return 0
        result = service.print_letters([q.id for q in waiting if q.status == "queued"], out_dir=args.out)
        held = {q.id: q for q in service.queue(recheck=False) if q.status == "held"}
        for lid in result.printed:
            print(_("exported {file}").format(file=result.files[lid]))
        print(ngettext("{count} letter exported to {folder}.", "{count} letters exported to {folder}.",
                       len(result.printed)).format(count=len(result.printed), folder=args.out))
        if held:
            print(ngettext("{count} letter held:", "{count} letters held:", len(held)).format(count=len(held)))
            for q in held.values():
                print(f"  {q.case_reference} {q.code} {q.recipient_name}: {q.held_text()}")
        for lid, message in result.errors.items():
            failed = by_id.get(lid)
            print(_("not printed: {letter}: {message}").format(
                letter=f"{failed.case_reference} {failed.code} {failed.recipient_name}" if failed else lid,
                message=message))
        return 1 if result.errors else 0
    finally:
        session.close()
