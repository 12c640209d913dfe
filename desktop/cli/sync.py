"""``diogel sync``: the same sync as the app, headless; also makes a profile by signing in to a server.

    diogel sync --profile DIR --server URL [--ca-bundle FILE]
        Sync an existing profile (push, pull, push, conflicts, verification). The server URL and CA bundle
        are remembered in the profile, so later runs need only --profile.

    diogel sync --profile NEWDIR --server URL --user NAME [--ca-bundle FILE]
        No profile in NEWDIR yet: sign in to the server as NAME, create the profile (protected by the same
        password) with the user's role and team, and bring down their caseload.

    diogel sync --profile DIR --status
        Print the status (unsent, refused, conflicts, last successful sync) without connecting.

The profile password comes from ``--password-file`` or ``DIOGEL_PASSWORD``. The server password is the
same unless ``--server-password-file`` or ``DIOGEL_SERVER_PASSWORD`` gives another; it is needed only
when the saved server token has expired. ``--retry-refused`` puts refused entries back in the queue
first. Certificates are always verified; a server with a private CA needs ``--ca-bundle``.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from desktop.i18n import _
from desktop.services.session import Session
from desktop.store.profile import Profile
from desktop.sync import anchor, local
from desktop.sync.client import SyncClient, SyncReport
from desktop.sync.enroll import create_profile_from_server
from desktop.sync.errors import AuthRequired
from desktop.sync.status import MADE_HERE_TEXT, read_status, status_lines
from desktop.sync.transport import Transport


def register(sub: argparse._SubParsersAction) -> None:
    from desktop.cli import add_profile_args

    parser = sub.add_parser("sync", help=_("sync with the server (or create a profile by signing in to one)"))
    add_profile_args(parser)
    parser.add_argument("--server", help=_("the server's address, e.g. https://diogel.example.gov.wales"))
    parser.add_argument("--ca-bundle", type=Path, help=_("trust the server certificates signed by this CA file"))
    parser.add_argument("--user", help=_("your username on the server (to create a profile or sign in again)"))
    parser.add_argument("--server-password-file", type=Path,
                        help=_("read the server password from this file (default: the profile password)"))  # fmt: skip
    parser.add_argument("--retry-refused", action="store_true", help=_("send refused changes again"))
    parser.add_argument("--status", action="store_true", help=_("only print the sync status"))
    parser.add_argument("--language", choices=("cy", "en"), default="en",
                        help=_("interface language of a new profile"))  # fmt: skip
    parser.set_defaults(run=run)


def _server_password(args: argparse.Namespace, profile_password: str) -> str:
    if args.server_password_file:
        return args.server_password_file.read_text("utf-8").rstrip("\r\n")
    return os.environ.get("DIOGEL_SERVER_PASSWORD") or profile_password


def _progress(stage: str, done: int, total: int) -> None:
    names = {"push": _("Sending"), "pull": _("Receiving"), "verify": _("Checking"), "repair": _("Repairing")}
    print(_("{stage}: {done} of {total}").format(stage=names.get(stage, stage), done=done, total=total),
          file=sys.stderr)  # fmt: skip


def _print_report(report: SyncReport, store: Any) -> None:
    print(_("Sent {sent}, acknowledged {ack}, refused {refused}, conflicts {conflicts}, received {received}.").format(
        sent=report.sent, ack=report.acknowledged, refused=report.refused, conflicts=report.conflicts,
        received=report.received))  # fmt: skip
    if report.repaired:
        print(_("Verification found differences; fetched again after a backup ({backup}).").format(
            backup=report.backup))  # fmt: skip
    if report.audit_incident in anchor.INCIDENTS:
        print(_(anchor.INCIDENTS[report.audit_incident]), file=sys.stderr)
    for line in status_lines(read_status(store)):
        print(line)


def run(args: argparse.Namespace) -> int:
    from desktop.cli import CliError, read_password

    password = read_password(args)
    if not Profile.exists(args.profile):
        if args.status:
            raise CliError("There is no Diogel profile in {folder}.", folder=str(args.profile))
        if not (args.server and args.user):
            raise CliError("There is no profile in {folder}: give --server and --user to create one by signing in.",
                           folder=str(args.profile))  # fmt: skip
        transport = Transport(args.server, ca_bundle=args.ca_bundle)
        try:
            session, report = create_profile_from_server(
                args.profile, transport, args.user, _server_password(args, password), language=args.language,
                ca_bundle=str(args.ca_bundle.resolve()) if args.ca_bundle else None, clock=args.clock,
            )  # fmt: skip
        finally:
            transport.close()
        try:
            print(_("Profile created in {folder} for {user}.").format(folder=args.profile, user=session.user.name))
            _print_report(report, session.store)
        finally:
            session.close()
        if report.error is not None:
            raise report.error
        return 0

    session = Session.sign_in(args.profile, password, clock=args.clock)
    try:
        if args.status:
            for line in status_lines(read_status(session.store)):
                print(line)
            return 0
        server = args.server or local.get_state(session.store, "server_url")
        if not server:
            raise CliError("This profile has not synced before: give --server URL.")
        ca = args.ca_bundle or local.get_state(session.store, "ca_bundle")
        transport = Transport(server, ca_bundle=ca)
        try:
            client = SyncClient.for_session(session, transport)
            if args.server or args.ca_bundle:
                session.write(lambda tx: local.set_state(tx, server_url=server, ca_bundle=str(Path(ca).resolve())
                                                         if ca else None))  # fmt: skip
            if args.retry_refused:
                client.retry_attention()
            if read_status(session.store).made_here:  # a profile made offline: said before the sync tries
                print(_(MADE_HERE_TEXT), file=sys.stderr)
            try:
                report = client.sync(progress=_progress)
            except AuthRequired:
                user = args.user or local.get_state(session.store, "username")
                if not user:
                    raise CliError("This profile has not signed in to the server yet: give --user NAME.") from None
                client.sign_in(user, _server_password(args, password))
                report = client.sync(progress=_progress)
            _print_report(report, session.store)
        finally:
            transport.close()
    finally:
        session.close()
    return 0
