"""``diogel demo --profile DIR [--role ROLE] [--language cy|en]``: build the demo profile."""

from __future__ import annotations

import argparse

from desktop.domain.types import Role
from desktop.i18n import _, ngettext
from desktop.services.demo import build_demo


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("demo", help=_("build a demo profile with bilingual sample data"))
    from desktop.cli import add_profile_args

    add_profile_args(parser)
    parser.add_argument("--role", default=Role.SOCIAL_WORKER, choices=[r.value for r in Role],
                        help=_("whose desk the demo opens on"))
    parser.add_argument("--language", default="cy", choices=["cy", "en"], help=_("interface language"))
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from desktop.cli import read_password

    ctx = build_demo(args.profile, read_password(args), role=args.role, language=args.language,
                     clock=args.clock)
    try:
        cases = ctx.store.rows("SELECT count(*) AS n FROM case_file")[0]["n"]
    finally:
        ctx.store.close()
    print(
        ngettext("Demo profile ready in {folder} with {count} case.", "Demo profile ready in {folder} with {count} cases.",
                 cases).format(folder=args.profile, count=cases)
    )
    return 0
