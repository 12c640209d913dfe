"""``diogel restore --profile DIR [--backup FILE]``: put the newest backup that checks out in place of
a missing, empty or damaged database (what the sign-in window offers, for the command line).

Refused when the database itself checks out (restoring would lose what was saved since the backup)
and when the backup chosen does not check out. The damaged file is kept beside the restored one
(``diogel.db.damaged-<time>``), never overwritten or deleted.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from desktop.errors import StoreError
from desktop.i18n import N_, _
from desktop.store.integrity import check_database
from desktop.store.profile import Profile


def register(sub: argparse._SubParsersAction) -> None:
    from desktop.cli import add_profile_args

    parser = sub.add_parser("restore", help=_("restore the newest backup that checks out over a damaged database"))
    add_profile_args(parser)
    parser.add_argument("--backup", type=Path, help=_("this backup file instead of the newest one that checks out"))
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from desktop.cli import read_password

    profile = Profile.open(args.profile)
    password = read_password(args)
    key = profile.unlock(password)
    if not check_database(profile.db_path, key):
        raise StoreError(N_("The case database checks out, so nothing was restored (a backup is older and would"
                            " lose what was saved since)."))
    backup = args.backup or profile.verified_backup(key, password)
    if backup is None:
        raise StoreError(N_("There is no backup that checks out; nothing was changed. Ask the helpdesk."))
    if not Path(backup).is_file() or check_database(Path(backup), profile.backup_key(Path(backup), key, password),
                                                    copy=True):
        raise StoreError(N_("The backup {file} does not check out; nothing was changed."), file=str(backup))
    kept = profile.restore_backup(Path(backup))
    print(_("Restored {backup}. The damaged file was kept as {kept}.").format(backup=Path(backup).name, kept=kept.name))
    return 0
