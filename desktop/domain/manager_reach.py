"""Whose cover and absence a manager may arrange: the one statement of the rule (Qt-free).

The laptop applies it before anything is written (``MyWorkService.assign_cover`` / ``record_absence``,
and the cover form's list of workers); the server applies it when a manager's push carries a cover or an
absence (``server/manager_changes.py``). Each side finds the teams in its own records (the laptop's
``practitioner`` and ``case_file`` rows, the server's ``users`` and ``cases``), and a test runs the same
cases through both.

The rule: a senior manager arranges cover and absence of and by anyone. A team manager arranges them
within their own team only — the covering worker, the covered (or absent) worker and the covered case,
each that is named, must be of the manager's team; a team manager with no team reaches nobody. Anyone
else arranges none (both sides refuse them earlier, for their role).
"""

from __future__ import annotations

from collections.abc import Iterable

from desktop.errors import DiogelError, PermissionDenied, ValidationError
from desktop.i18n import N_

NOT_YOUR_TEAM = "not_your_team"
"""The server's refusal code for a change beyond a team manager's team."""

NOT_YOUR_TEAM_TEXT = N_("A team manager arranges allocation, cover and absence for their own team's workers "
                        "and cases only. Ask a senior manager.")
"""The refusal in words, on the laptop before writing and for the server's ``not_your_team``."""


def beyond_reach(role: str, manager_team: object, named_teams: Iterable[object]) -> bool:
    """Whether a change naming workers or cases of ``named_teams`` (one entry per worker or case named,
    ``None`` for one with no team) is beyond a manager of ``role`` whose team is ``manager_team``.
    Team ids may be strings or UUIDs (compared as text)."""
    if role == "senior_manager":
        return False
    if role != "team_manager" or manager_team is None:
        return True
    mine = str(manager_team)
    return any(team is None or str(team) != mine for team in named_teams)


class NotYourTeam(PermissionDenied, ValidationError):
    """A worker or case beyond a team manager's team (the server's ``not_your_team``): refused for scope,
    and shown beside the field (``field``) that names them."""

    def __init__(self, field: str) -> None:
        DiogelError.__init__(self, NOT_YOUR_TEAM_TEXT)
        self.field = field


def require_reach(user: object, named_teams: Iterable[object], field: str) -> None:
    """Refuse (:class:`NotYourTeam`) a change naming ``named_teams`` that ``user`` (with ``role`` and
    ``team_id``) may not make: the check every laptop write of allocation, cover and absence makes first."""
    if beyond_reach(str(getattr(user, "role", "")), getattr(user, "team_id", None), named_teams):
        raise NotYourTeam(field)
