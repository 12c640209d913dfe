"""``diogel export --profile DIR`` (JSON to stdout) and ``diogel import --profile DIR FILE``.

Import creates the profile in DIR (which must not exist yet) with the password given, and
loads every row of the export into it. See :mod:`desktop.services.exchange` for the format.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

from desktop.errors import DiogelError
from desktop.i18n import N_, _
from desktop.services.exchange import ExchangeService, check_export, import_profile
from desktop.services.session import Session
from desktop.store.profile import Profile


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
    from desktop.cli import read_password

    session = Session.sign_in(args.profile, read_password(args), backup=False)
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
    check_export(data)
    if Profile.exists(args.profile):
        raise DiogelError(N_("A profile already exists in {folder}; import into a new folder."), folder=str(args.profile))
    meta = {row["key"]: row["value"] for row in data.get("tables", {}).get("meta", [])}
    profile, key = Profile.create(args.profile, read_password(args), language=meta.get("language", "en"))
    store = profile.open_store(key, create=True)
    try:
        counts = import_profile(store, data, actor=meta.get("user_id", "import"))
    except BaseException:
        store.close()
        shutil.rmtree(args.profile)  # we created it a moment ago; leave nothing half-made
        raise
    store.close()
    print(_("Imported {rows} rows into {folder}.").format(rows=sum(counts.values()), folder=args.profile))
    return 0
