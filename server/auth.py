"""Passwords (argon2id), sign-in throttling and expiring bearer tokens.

Contract:
- Signing in is three steps so the slow password hash never holds a database connection:
  :func:`begin_login` (one short transaction: the throttle check and the stored hash),
  :func:`verify_password` (no database; run it on the hashing pool), then :func:`finish_login` (one short
  transaction: a token, or the failure counted). Unknown usernames cost the same hash as known ones.
- Failed sign-ins are counted per username and per client address over ``window`` seconds; at the limit
  further attempts are refused (:class:`Throttled`, HTTP 429 with ``Retry-After``) before any hash is
  computed, right password or not, until the window has moved on.
- A token lasts ``token_ttl_seconds`` from sign-in (only its SHA-256 is stored); logout ends it, and
  disabling a user ends all of theirs at once (:func:`user_for_token` also requires the user active).
"""

from __future__ import annotations

import hashlib
import math
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from psycopg.rows import DictRow

from server.db import DbConn, one

ROLES = ("social_worker", "team_manager", "senior_manager", "register_custodian", "admin_staff", "performance_officer")
FIGURES_ROLES = frozenset({"senior_manager", "performance_officer"})
"""Who may run the authority-wide figures: the committee report and the statistical returns (server/figures.py)."""

# Module-level so the test suite can swap in cheap parameters; verification reads the parameters
# stored inside each hash, so hashes made with any parameters keep verifying.
password_hasher = PasswordHasher()
_DUMMY_HASH: str | None = None


@dataclass(frozen=True)
class User:
    id: UUID
    username: str
    display_name: str
    role: str
    team_id: UUID | None
    is_admin: bool = False

    def as_json(self) -> dict[str, object]:
        return {
            "id": str(self.id),
            "username": self.username,
            "display_name": self.display_name,
            "role": self.role,
            "team_id": str(self.team_id) if self.team_id else None,
            "is_admin": self.is_admin,
        }


@dataclass(frozen=True)
class Throttle:
    """Sign-in limits: at most ``per_user`` failures for one username and ``per_address`` from one client
    address within ``window`` seconds."""

    per_user: int = 5
    per_address: int = 20
    window: int = 15 * 60


class Throttled(Exception):
    def __init__(self, retry_after: int) -> None:
        super().__init__("too many failed sign-ins; try again later")
        self.retry_after = max(1, retry_after)


@dataclass(frozen=True)
class LoginAttempt:
    """What :func:`begin_login` found: the stored hash to check (a dummy one for an unknown or disabled
    user, so timing reveals nothing) and the user it belongs to."""

    stored_hash: str
    user: User | None


def hash_password(password: str) -> str:
    return password_hasher.hash(password)


def verify_password(stored: str, password: str) -> bool:
    """The slow part of signing in: no database access, safe to run on any thread."""
    try:
        return password_hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def dummy_hash() -> str:
    global _DUMMY_HASH
    if _DUMMY_HASH is None:
        _DUMMY_HASH = hash_password("not a password")
    return _DUMMY_HASH


def token_hash(token: str) -> bytes:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).digest()


def _user(row: DictRow) -> User:
    return User(row["id"], row["username"], row["display_name"], row["role"], row["team_id"],
                bool(row.get("is_admin", False)))  # fmt: skip


def _check_throttle(conn: DbConn, username: str, address: str, now: datetime, limits: Throttle) -> None:
    since = now - timedelta(seconds=limits.window)
    for column, value, limit in (("username", username, limits.per_user), ("address", address, limits.per_address)):
        row = one(conn.execute(
            f"SELECT count(*) AS n, min(at) AS first FROM (SELECT at FROM login_failures WHERE {column} = %s"
            " AND at > %s ORDER BY at DESC LIMIT %s) recent",
            (value, since, limit),
        ), "the count of recent failed sign-ins")  # an aggregate: always one row
        if row["n"] >= limit:
            # Free again when the oldest of the last ``limit`` failures leaves the window.
            raise Throttled(math.ceil((row["first"] + timedelta(seconds=limits.window) - now).total_seconds()))


def begin_login(conn: DbConn, username: str, address: str, now: datetime, limits: Throttle) -> LoginAttempt:
    """The throttle check and the stored hash, in one short transaction; raises :class:`Throttled`."""
    _check_throttle(conn, username, address, now, limits)
    row = conn.execute(
        "SELECT id, username, display_name, role, team_id, is_admin, password_hash FROM users"
        " WHERE username = %s AND active",
        (username,),
    ).fetchone()
    if row is None:
        return LoginAttempt(dummy_hash(), None)
    return LoginAttempt(row["password_hash"], _user(row))


def finish_login(conn: DbConn, attempt: LoginAttempt, ok: bool, username: str, address: str,
                 device_id: str | None, now: datetime, ttl: int) -> tuple[str, datetime, User] | None:  # fmt: skip
    """A new token for a verified password (the user must still be active), else the failure counted."""
    user = attempt.user
    if ok and user is not None:
        active = conn.execute("SELECT 1 FROM users WHERE id = %s AND active", (user.id,)).fetchone()
        if active:
            token = secrets.token_urlsafe(32)
            expires = now + timedelta(seconds=ttl)
            conn.execute(
                "INSERT INTO tokens (token_hash, user_id, device_id, created_at, expires_at) VALUES (%s,%s,%s,%s,%s)",
                (token_hash(token), user.id, device_id, now, expires),
            )
            # Expired tokens are useless; sweep this user's while we are here so the table does not grow.
            conn.execute("DELETE FROM tokens WHERE user_id = %s AND expires_at <= %s", (user.id, now))
            conn.execute("DELETE FROM login_failures WHERE username = %s", (username,))
            return token, expires, user
    conn.execute(
        "INSERT INTO login_failures (at, username, address) VALUES (%s, %s, %s)", (now, username[:200], address[:100])
    )
    conn.execute("DELETE FROM login_failures WHERE at < %s", (now - timedelta(days=1),))
    return None


def user_for_token(conn: DbConn, token: str, now: datetime) -> User | None:
    row = conn.execute(
        "SELECT u.id, u.username, u.display_name, u.role, u.team_id, u.is_admin FROM tokens t"
        " JOIN users u ON u.id = t.user_id WHERE t.token_hash = %s AND t.expires_at > %s AND u.active",
        (token_hash(token), now),
    ).fetchone()
    return _user(row) if row else None


def logout(conn: DbConn, token: str) -> None:
    conn.execute("DELETE FROM tokens WHERE token_hash = %s", (token_hash(token),))
