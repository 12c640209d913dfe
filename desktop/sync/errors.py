"""Sync failures a person can act on (Qt-free). Every message is translatable (``N_``)."""

from __future__ import annotations

from desktop.errors import DiogelError


class SyncError(DiogelError):
    """Sync stopped; what was done before the failure is kept (each batch and page commits alone)."""


class Unreachable(SyncError):
    """The server could not be reached, or the connection dropped mid-request."""


class TlsRefused(Unreachable):
    """The server's certificate is not trusted (never skipped: give a CA bundle instead)."""


class AuthRequired(SyncError):
    """No valid server token: sign in to the server again."""


class ServerRefused(SyncError):
    """The server answered with an error that retrying the same request will not fix."""

    def __init__(self, msgid: str, status: int = 0, code: str = "", **params: object) -> None:
        super().__init__(msgid, **params)
        self.status = status
        self.code = code


class SyncCancelled(SyncError):
    """The person cancelled; everything sent or received so far is kept."""
