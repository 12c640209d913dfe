"""``diogel check --profile DIR``: database integrity, the audit chain, and the chain against the last
anchor the server gave back (truncation, re-forging; see :mod:`desktop.sync.anchor`); then, for a profile
that has synced, the chain against what the server itself keeps for this device (its newest anchor and
any break it recorded: ``GET /v1/audit-anchor``), which catches a rewrite of the laptop's remembered
anchor too. Exit 0 only if all hold; a server that cannot be asked is said so and is not a failure by
itself (every local check still runs).

Read-only: a check never creates, migrates, backs up or otherwise changes what it checks — a missing
or empty database is reported, not made. A damaged file is a failed check (exit 1) with the problems
found and the newest backup that passes the same check, never a traceback.
"""

from __future__ import annotations

import argparse
import sys

import sqlcipher3
from sqlite_utils import Database

from desktop.i18n import _, format_message, ngettext
from desktop.store.audit import verify_chain
from desktop.store.database import integrity_problems
from desktop.store.integrity import check_database, damage_error, open_readonly
from desktop.store.profile import Profile
from desktop.sync import anchor
from desktop.sync.errors import SyncError
from desktop.sync.transport import Transport

ASK_TIMEOUT = 15.0
"""Seconds to wait for the server: a check is not held up for a sync's minute by a server that hangs."""


def register(sub: argparse._SubParsersAction) -> None:
    from desktop.cli import add_profile_args

    parser = sub.add_parser("check", help=_("verify database integrity and the audit chain"))
    add_profile_args(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from desktop.cli import read_password

    profile = Profile.open(args.profile)
    password = read_password(args)
    key = profile.unlock(password)
    problems = check_database(profile.db_path, key)
    chain, findings, remote = None, None, None
    if not problems:
        conn = open_readonly(profile.db_path, key)
        try:
            db = Database(conn)
            problems = integrity_problems(db)
            chain = verify_chain(db)
            findings = anchor.compare(db)
            remote = _ask_server(db)
        except sqlcipher3.DatabaseError as exc:
            problems.append(str(exc))
        finally:
            conn.close()
    for problem in problems:
        print(_("Database integrity: {problem}").format(problem=problem), file=sys.stderr)
    if problems:
        offer = damage_error(profile.db_path, problems, profile.verified_backup(key, password))
        print(_("diogel: {message}").format(message=offer.message()), file=sys.stderr)
        return 1
    print(_("Database integrity: ok."))
    assert chain is not None and findings is not None
    if not chain.ok:
        print(_("Audit chain broken at entry {seq}.").format(seq=chain.broken_at), file=sys.stderr)
    else:
        print(ngettext("Audit chain: {count} entry verified.", "Audit chain: {count} entries verified.",
                       chain.entries).format(count=chain.entries))
    if isinstance(remote, list):
        findings = [*findings, *remote]
    for finding in findings:
        print(format_message(finding.msgid, finding.params), file=sys.stdout if finding.ok else sys.stderr)
    if isinstance(remote, str):
        print(_("Server: could not ask it about this laptop's audit: {reason} The checks above are this"
                " laptop's own.").format(reason=remote))
    return 0 if chain.ok and all(f.ok for f in findings) else 1


def _ask_server(db: Database) -> list[anchor.Finding] | str | None:
    """What the server keeps for this device, compared with the chain here; the reason (translated) if it
    could not be asked; ``None`` for a profile that has never synced. Reads the profile, writes nothing."""
    where = anchor.connection(db)
    device = anchor.device_id(db)
    if where is None or device is None:
        return None
    url, ca, token = where
    try:
        transport = Transport(url, ca_bundle=ca, timeout=ASK_TIMEOUT)
    except SyncError as exc:
        return exc.message()
    try:
        transport.token = token
        held = transport.own_anchor(device)
    except SyncError as exc:
        return exc.message()
    finally:
        transport.close()
    try:
        return anchor.server_compare(db, held)
    except (KeyError, TypeError, ValueError, AttributeError):
        return _("its answer could not be read.")
