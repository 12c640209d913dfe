"""Passwords (argon2id) and expiring bearer tokens.

Contract: ``login`` returns a fresh token (shown once; only its SHA-256 is stored) or None for a wrong
username/password/inactive user — the caller cannot tell which, by design. ``user_for_token`` returns the
active user whose unexpired token it is, else None.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

import psycopg
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

ROLES = ("social_worker", "team_manager", "senior_manager", "register_custodian", "admin_staff")

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

    def as_json(self) -> dict[str, object]:
        return {
            "id": str(self.id),
            "username": self.username,
            "display_name": self.display_name,
            "role": self.role,
            "team_id": str(self.team_id) if self.team_id else None,
        }


def hash_password(password: str) -> str:
    return password_hasher.hash(password)


def _verify(stored: str, password: str) -> bool:
    try:
        return password_hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def token_hash(token: str) -> bytes:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).digest()


def _user(row: dict) -> User:
    return User(row["id"], row["username"], row["display_name"], row["role"], row["team_id"])


def login(
    conn: psycopg.Connection, username: str, password: str, device_id: str | None, now: datetime, ttl: int
) -> tuple[str, datetime, User] | None:
    global _DUMMY_HASH
    row = conn.execute(
        "SELECT id, username, display_name, role, team_id, password_hash FROM users"
        " WHERE username = %s AND active",
        (username,),
    ).fetchone()
    if row is None:
        # Spend the same time as a real check so response time does not reveal which usernames exist.
        if _DUMMY_HASH is None:
            _DUMMY_HASH = hash_password("not a password")
        _verify(_DUMMY_HASH, password)
        return None
    if not _verify(row["password_hash"], password):
        return None
    token = secrets.token_urlsafe(32)
    expires = now + timedelta(seconds=ttl)
    conn.execute(
        "INSERT INTO tokens (token_hash, user_id, device_id, created_at, expires_at) VALUES (%s,%s,%s,%s,%s)",
        (token_hash(token), row["id"], device_id, now, expires),
    )
    # Expired tokens are useless; sweep this user's while we are here so the table does not grow.
    conn.execute("DELETE FROM tokens WHERE user_id = %s AND expires_at <= %s", (row["id"], now))
    return token, expires, _user(row)


def user_for_token(conn: psycopg.Connection, token: str, now: datetime) -> User | None:
    row = conn.execute(
        "SELECT u.id, u.username, u.display_name, u.role, u.team_id FROM tokens t"
        " JOIN users u ON u.id = t.user_id WHERE t.token_hash = %s AND t.expires_at > %s AND u.active",
        (token_hash(token), now),
    ).fetchone()
    return _user(row) if row else None


def logout(conn: psycopg.Connection, token: str) -> None:
    conn.execute("DELETE FROM tokens WHERE token_hash = %s", (token_hash(token),))
