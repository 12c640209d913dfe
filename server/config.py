"""Server settings: one frozen object built by the CLI (or a test) and handed to ``create_app``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Europe/London")


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Settings:
    """Contract: ``clock`` returns an aware UTC datetime; it is the only time source the server uses for
    token expiry, cover dates, the grace window, sign-in throttling and server timestamps (tests replace it
    to move time). ``grace_days``: how long after a de-allocation the server still takes work made while
    the case was held (0 turns the window off). ``login_*``: failed sign-ins allowed per username and per
    client address within the window. ``hash_workers``: threads for password hashing, apart from the
    threads that serve requests."""

    database_url: str
    token_ttl_seconds: int = 12 * 3600
    max_body_bytes: int = 4 * 1024 * 1024
    max_ops_per_push: int = 1000
    default_page_size: int = 1000
    max_page_size: int = 5000
    pool_min_size: int = 1
    pool_max_size: int = 10
    grace_days: int = 30
    login_failures_per_user: int = 5
    login_failures_per_address: int = 20
    login_window_seconds: int = 15 * 60
    hash_workers: int = 2
    council_file: str | None = None
    """``council.json`` for the reports' heading (the bundled fictional example when ``None``)."""
    clock: Callable[[], datetime] = field(default=utc_now)

    def now(self) -> datetime:
        return self.clock()

    def today(self) -> date:
        """The local (Welsh) calendar date: cover arrangements are written in local dates."""
        return self.clock().astimezone(LOCAL_TZ).date()
