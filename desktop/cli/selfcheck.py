"""``diogel selfcheck``: prove an installed or bundled Diogel works, without a display or a profile.

It creates a throwaway encrypted profile in a temporary folder, writes and reads a record
through the real store (row, outbox, audit), verifies the audit chain, checks that the record's
text is nowhere readable on disk, loads the Welsh catalog and checks its six plural forms, and
finds the bundled fonts, and that core dumps are off (a crash must not put the cases on disk).
Exit 0 when every step passes; each failure is printed.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from desktop.i18n import _, catalog
from desktop.paths import fonts_dir, locales_dir


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("selfcheck", help=_("check that this installation works (no profile needed)"))
    parser.set_defaults(run=run)


def _store_round_trip(folder: Path) -> str | None:
    from desktop.services.persons import PersonService
    from desktop.services.session import Session
    from desktop.store.audit import verify_chain
    from desktop.store.crypto import KdfParams

    marker = "Selfcheck-Gwenllïan-Tŵr-4471"
    session = Session.create_profile(
        folder, given_names="Self", family_name="Check", role="social_worker", team_name="Selfcheck",
        password="selfcheck-password", kdf=KdfParams.fresh(time_cost=1, memory_cost=8192, parallelism=1),
    )
    try:
        person = PersonService(session).create({"given_names": marker, "family_name": "Prawf"})
        if session.store.rows("SELECT given_names FROM person WHERE id = ?", [person["id"]])[0]["given_names"] != marker:
            return "store: the record did not read back"
        with session.store.reading() as db:
            chain_ok = verify_chain(db).ok
        if not chain_ok:
            return "store: audit chain does not verify"
    finally:
        session.close()
    for path in folder.rglob("*"):
        if path.is_file() and marker.encode() in path.read_bytes():
            return f"store: plaintext found in {path.name}"
    return None


def _calendar() -> str | None:
    """The bank-holiday package is bundled and computes a year the shipped data never listed."""
    from datetime import date

    from desktop.domain.calendar import default_calendar

    try:
        if default_calendar().is_working_day(date(2035, 12, 25)):
            return "calendar: Christmas Day 2035 is not a bank holiday"
    except (ImportError, ValueError) as exc:
        return f"calendar: {exc}"
    return None


def run(args: argparse.Namespace) -> int:
    failures: list[str] = []
    with tempfile.TemporaryDirectory(prefix="diogel-selfcheck-") as tmp:
        problem = _store_round_trip(Path(tmp) / "profile")
        if problem:
            failures.append(problem)
    plural = getattr(catalog("cy"), "plural", None)
    if not (locales_dir() / "cy" / "LC_MESSAGES").is_dir() or plural is None:
        failures.append("locales: no Welsh catalog found")
    elif [plural(n) for n in (0, 1, 2, 3, 6, 7)] != [0, 1, 2, 3, 4, 5]:
        failures.append("locales: the Welsh catalog does not have the six plural forms")
    if not list(fonts_dir().glob("*.ttf")):
        failures.append("fonts: no bundled TTF fonts found")
    problem = _calendar()
    if problem:
        failures.append(problem)
    try:
        import resource

        if resource.getrlimit(resource.RLIMIT_CORE)[0] != 0:
            failures.append("core dumps: not turned off (a crash could write cases to disk)")
    except ImportError:  # Windows: no core files
        pass
    for failure in failures:
        print(_("Self-check failed: {problem}").format(problem=failure))
    if failures:
        return 1
    print(_("Self-check passed."))
    return 0
