"""The whole council's committee report, asked of the server from the laptop (Qt-free; issue 21).

``CouncilReportService(session).render(period_start, period_end, lang, team=None)`` needs
``Can.COUNCIL_FIGURES`` (senior managers and performance officers): it asks the server this profile syncs
with (``GET /v1/reports/committee``, signed in with the profile's sync token) for the report over every
case in the authority — made there by the same code as the laptop's own report
(:mod:`desktop.services.committee_figures`) — and returns the PDF. The server checks the role again and
audits the run. :func:`council_report_available` says whether to offer it: the role may, and the profile
is connected to a server.

Errors are the sync errors, in the person's language: not connected or signed out
(:class:`~desktop.sync.errors.AuthRequired`), the server unreachable
(:class:`~desktop.sync.errors.Unreachable`), a refusal with the server's reason
(:class:`~desktop.sync.errors.ServerRefused`).
"""

from __future__ import annotations

from datetime import date
from typing import Any, Protocol

from desktop.errors import ValidationError
from desktop.i18n import N_
from desktop.services.permissions import Can, can
from desktop.sync import local
from desktop.sync.errors import AuthRequired
from desktop.sync.transport import Transport


class Downloads(Protocol):
    """What the service needs of a transport (:class:`desktop.sync.transport.Transport`)."""

    def download(self, path: str, params: dict[str, Any] | None = None, *, media_type: str) -> bytes: ...


def council_report_available(session: Any) -> bool:
    """Offer the council's report: the person's role may have it and the profile syncs with a server."""
    return can(session.user.role, Can.COUNCIL_FIGURES) and bool(local.get_state(session.store, "server_url"))


def profile_transport(session: Any) -> Transport:
    """A transport to the profile's server, signed in with its sync token."""
    url = local.get_state(session.store, "server_url")
    if not url:
        raise AuthRequired(N_("This profile is not connected to a server yet."))
    transport = Transport(url, ca_bundle=local.get_state(session.store, "ca_bundle"))
    transport.token = local.get_state(session.store, "token")
    return transport


class CouncilReportService:
    """The council's committee report from the server (thread contract: any thread; writes nothing)."""

    def __init__(self, session: Any) -> None:
        self.session = session

    def render(self, period_start: date, period_end: date, lang: str, team: str | None = None, *,
               transport: Downloads | None = None) -> bytes:
        """The report over every case (or ``team``'s) as PDF bytes in ``lang`` ("cy", "en" or "bilingual").
        ``transport``: the server connection to use (default: the profile's, closed afterwards)."""
        self.session.require(Can.COUNCIL_FIGURES)
        if period_end < period_start:
            raise ValidationError(N_("The end of the period is before its start."), field="period_end")
        if lang not in ("cy", "en", "bilingual"):
            raise ValidationError(N_("Choose the language of the report."), field="language")
        params = {"period_start": period_start.isoformat(), "period_end": period_end.isoformat(), "lang": lang}
        if team:
            params["team"] = team
        if transport is not None:
            return transport.download("/v1/reports/committee", params, media_type="application/pdf")
        own = profile_transport(self.session)
        try:
            return own.download("/v1/reports/committee", params, media_type="application/pdf")
        finally:
            own.close()
