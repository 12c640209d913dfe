"""The ``diogel`` command line (Qt-free): headless and admin use.

Each subcommand lives in its own module with ``register(subparsers)``; a module that is not
there yet is skipped. Passwords come from ``DIOGEL_PASSWORD`` or ``--password-file`` and are
never echoed or logged. Errors go to stderr with a non-zero exit and a message a person can
act on: 2 for something the person can fix, 1 for a failed check, 70 for a bug.
"""

from __future__ import annotations

import argparse
import getpass
import importlib
import os
import sys
import traceback
from pathlib import Path
from typing import TYPE_CHECKING

from desktop import __version__
from desktop.clock import Clock, system_clock
from desktop.errors import DiogelError
from desktop.i18n import LANGUAGES, _, set_language

if TYPE_CHECKING:
    from desktop.services.session import Session

COMMAND_MODULES = (
    "desktop.cli.demo",
    "desktop.cli.exchange",
    "desktop.cli.check",
    "desktop.cli.restore",
    "desktop.cli.due",
    "desktop.cli.letters",
    "desktop.cli.report",
    "desktop.cli.sync",
    "desktop.cli.selfcheck",
)


class CliError(DiogelError):
    """A command-line usage problem (missing password, bad file)."""


def add_profile_args(parser: argparse.ArgumentParser) -> None:
    """``--profile DIR`` and ``--password-file FILE``, shared by every command that opens a profile."""
    parser.add_argument("--profile", required=True, type=Path, help=_("the profile folder"))
    parser.add_argument(
        "--password-file", type=Path, help=_("read the password from this file instead of DIOGEL_PASSWORD")
    )


def read_password(args: argparse.Namespace) -> str:
    """The profile password from ``--password-file``, ``DIOGEL_PASSWORD`` or, at a terminal, a prompt."""
    if getattr(args, "password_file", None):
        try:
            return args.password_file.read_text("utf-8").rstrip("\r\n")
        except OSError as exc:
            raise CliError("Cannot read the password file {path}: {reason}", path=str(args.password_file),
                           reason=exc.strerror or str(exc)) from exc
    env = os.environ.get("DIOGEL_PASSWORD")
    if env:
        return env
    if sys.stdin is not None and sys.stdin.isatty():
        return getpass.getpass(_("Password: "))
    raise CliError("No password given: set DIOGEL_PASSWORD or use --password-file FILE.")


def sign_in(args: argparse.Namespace, *, backup: bool = False) -> Session:
    """The session on ``--profile``, signed in with :func:`read_password` on the command's clock."""
    from desktop.services.session import Session

    return Session.sign_in(args.profile, read_password(args), backup=backup, clock=args.clock)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="diogel",
        description=_("Diogel: care and support protection plans, offline and bilingual."),
    )
    parser.add_argument("--version", action="version", version=f"Diogel {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    gui = sub.add_parser("gui", help=_("open the application window"))
    gui.add_argument("--profile", type=Path, help=_("the profile folder"))
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:
                continue  # that command is not in this build
            raise
        module.register(sub)
    return parser


def main(argv: list[str] | None = None, *, clock: Clock = system_clock) -> int:
    """Run a subcommand on ``clock`` (what "today" is for it); returns the process exit code."""
    lang = os.environ.get("DIOGEL_LANG", "en")
    set_language(lang if lang in LANGUAGES else "en")
    parser = build_parser()
    args = parser.parse_args(argv)
    args.clock = clock
    if args.command in (None, "gui"):
        from desktop.app import run_gui

        return run_gui(getattr(args, "profile", None))
    try:
        return int(args.run(args) or 0)
    except DiogelError as exc:
        print(_("diogel: {message}").format(message=exc.message()), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(_("diogel: stopped."), file=sys.stderr)
        return 130
    except Exception:  # a bug: say so plainly, keep the details for the report
        traceback.print_exc()
        print(_("diogel: an unexpected error stopped this command; nothing half-written was kept."), file=sys.stderr)
        return 70
