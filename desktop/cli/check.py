"""``diogel check --profile DIR``: database integrity and the audit chain; exit 0 only if both hold."""

from __future__ import annotations

import argparse
import sys

from desktop.i18n import _
from desktop.store.audit import verify_chain
from desktop.store.database import connect, integrity_problems
from desktop.store.profile import Profile


def register(sub: argparse._SubParsersAction) -> None:
    from desktop.cli import add_profile_args

    parser = sub.add_parser("check", help=_("verify database integrity and the audit chain"))
    add_profile_args(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from desktop.cli import read_password

    profile = Profile.open(args.profile)
    key = profile.unlock(read_password(args))
    # Read-only: a check must not migrate, back up or otherwise change what it checks.
    db = connect(profile.db_path, key, readonly=True)
    try:
        problems = integrity_problems(db)
        chain = verify_chain(db)
    finally:
        db.conn.close()
    ok = not problems and chain.ok
    for problem in problems:
        print(_("Database integrity: {problem}").format(problem=problem), file=sys.stderr)
    if chain.ok:
        print(_("Audit chain: {count} entries verified.").format(count=chain.entries))
    else:
        print(_("Audit chain broken at entry {seq}.").format(seq=chain.broken_at), file=sys.stderr)
    if not problems:
        print(_("Database integrity: ok."))
    return 0 if ok else 1
