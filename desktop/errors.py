"""Errors a person can act on (Qt-free).

A :class:`DiogelError` carries an untranslated message (marked with ``N_``, ``NC_`` or ``NN_``) and
its named parameters, so the same error shows in Cymraeg or English depending on who reads it:
``str(err)`` and ``err.message()`` translate into the interface language at that moment.
"""

from __future__ import annotations

from typing import Any

from desktop.i18n import format_message


class DiogelError(Exception):
    """Base for every expected failure. Nothing was written when one is raised from a service."""

    def __init__(self, msgid: str, **params: Any) -> None:
        super().__init__(msgid)
        self.msgid = msgid
        self.params = params

    def message(self, lang: str | None = None) -> str:
        """The message in ``lang`` (default: the interface language); an ``NN_`` message in the plural
        form its count asks for."""
        return format_message(self.msgid, self.params, lang)

    def __str__(self) -> str:
        return self.message()


class ValidationError(DiogelError):
    """Bad input: an impossible value, a missing required field. ``field`` names the input."""

    def __init__(self, msgid: str, field: str | None = None, **params: Any) -> None:
        super().__init__(msgid, **params)
        self.field = field


class PermissionDenied(DiogelError):
    """The signed-in person's role or scope does not allow this."""


class NotFound(DiogelError):
    """The record does not exist, or is outside the person's scope (we do not say which)."""


class WrongPassword(DiogelError):
    """The password did not unwrap the database key."""


class LockedOut(DiogelError):
    """Too many wrong passwords: try again after ``seconds``."""

    def __init__(self, msgid: str, seconds: int, **params: Any) -> None:
        super().__init__(msgid, seconds=seconds, **params)
        self.seconds = seconds


class StoreError(DiogelError):
    """The database cannot be used: corrupt, too new, disk full."""


class ConflictError(DiogelError):
    """The record changed since it was read; reload and try again."""
