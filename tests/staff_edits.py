"""The random edits of staff and teams that the property tests of what is due make (Qt-free): a worker's
name, a team manager moving team, a team's name — each written by the senior manager of the demo."""

from __future__ import annotations

import random

from desktop.services.demo import DemoContext

STAFF_EDITS = ("worker", "manager", "team")


def edit_staff(ctx: DemoContext, kind: str, pick: random.Random, workers: list[str]) -> None:
    """Make one edit of :data:`STAFF_EDITS` (``kind``), choosing with ``pick``."""
    senior = ctx.staff["senior"]
    if kind == "worker":  # a worker's name (on the items they are responsible for or cover)
        ctx.store.write(lambda tx: tx.update("practitioner", pick.choice(workers),
                                             {"family_name": pick.choice(["Bevan", "Ab Owen", "Zeller"])}),
                        actor=senior)
    elif kind == "manager":  # a team manager moves team (their new team's supervision items become theirs)
        managers = sorted(r["id"] for r in ctx.store.rows(
            "SELECT id FROM practitioner WHERE app_role = 'team_manager' AND deleted = 0"))
        teams = sorted(r["id"] for r in ctx.store.rows("SELECT id FROM team WHERE deleted = 0"))
        ctx.store.write(lambda tx: tx.update("practitioner", pick.choice(managers), {"team_id": pick.choice(teams)}),
                        actor=senior)
    elif kind == "team":
        team = pick.choice(sorted(r["id"] for r in ctx.store.rows("SELECT id FROM team WHERE deleted = 0")))
        ctx.store.write(lambda tx: tx.update("team", team, {"name": f"Tîm {pick.randrange(10**6)}"}), actor=senior)
    else:
        raise ValueError(kind)
