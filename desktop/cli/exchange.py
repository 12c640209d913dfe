"""``diogel export --profile DIR`` (JSON to stdout) and ``diogel import --profile DIR FILE``.

Import checks the whole export against the format first (a malformed one is refused, exit 2, with
a message naming the table, row and column), then creates the profile in DIR (which must not exist
yet, or be empty) with the password given and loads every row of the export into it; DIR is the
whole profile or nothing. See :mod:`desktop.services.exchange` for the format.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from desktop.errors import DiogelError
from desktop.i18n import N_, _, ngettext
from desktop.services.exchange import ExchangeService, check_export, import_into_new_profile


def register(sub: argparse._SubParsersAction) -> None:
    from desktop.cli import add_profile_args

    exp = sub.add_parser("export", help=_("write the whole profile as JSON to stdout"))
    add_profile_args(exp)
    exp.set_defaults(run=run_export)
    imp = sub.add_parser("import", help=_("create a profile from an export file"))
    add_profile_args(imp)
    imp.add_argument("file", type=Path, help=_("the export file (JSON), or - for stdin"))
    imp.set_defaults(run=run_import)


def run_export(args: argparse.Namespace) -> int:
    from desktop.cli import sign_in

    session = sign_in(args)
    try:
        data = ExchangeService(session).export()
    finally:
        session.close()
    json.dump(data, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")
    return 0


def run_import(args: argparse.Namespace) -> int:
    from desktop.cli import read_password

    try:
        text = sys.stdin.read() if str(args.file) == "-" else args.file.read_text("utf-8")
        data = json.loads(text)
    except (OSError, ValueError) as exc:
        raise DiogelError(N_("Cannot read the export file: {reason}"), reason=str(exc)) from exc
    check_export(data)  # the whole check first: a bad file is refused before the password is asked for
    counts = import_into_new_profile(args.profile, data, read_password(args))
    rows = sum(counts.values())
    print(ngettext("Imported {rows} row into {folder}.", "Imported {rows} rows into {folder}.", rows).format(
        rows=rows, folder=args.profile))
    return 0
