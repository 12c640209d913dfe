"""Key wrapping: a random database key, wrapped by a key derived from the password (Qt-free).

The database is encrypted by SQLCipher with a random 256-bit key. That key is stored only
wrapped: AES-256-GCM under a key-encryption key derived from the person's password with
argon2id. Changing the password re-wraps the one key; the database is never re-encrypted.
A wrong password fails the GCM tag check, so it is detected before the database is touched.
"""

from __future__ import annotations

import base64
import os
from dataclasses import asdict, dataclass

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

KEY_BYTES = 32


@dataclass(frozen=True, slots=True)
class KdfParams:
    """argon2id parameters, stored beside the wrapped key so they can be raised later."""

    time_cost: int = 3
    memory_cost: int = 64 * 1024  # KiB: 64 MiB makes guessing on a stolen laptop costly
    parallelism: int = 2
    salt: str = ""  # base64

    @classmethod
    def fresh(cls, **overrides: int) -> KdfParams:
        return cls(salt=_b64(os.urandom(16)), **overrides)

    def to_json(self) -> dict:
        return {"alg": "argon2id", **asdict(self)}

    @classmethod
    def from_json(cls, data: dict) -> KdfParams:
        if data.get("alg") != "argon2id":
            raise ValueError("unsupported key derivation")
        return cls(
            time_cost=int(data["time_cost"]),
            memory_cost=int(data["memory_cost"]),
            parallelism=int(data["parallelism"]),
            salt=str(data["salt"]),
        )


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"))


def derive_kek(password: str, params: KdfParams) -> bytes:
    """The key-encryption key for ``password`` (slow on purpose: argon2id)."""
    return hash_secret_raw(
        secret=password.encode("utf-8"),
        salt=_unb64(params.salt),
        time_cost=params.time_cost,
        memory_cost=params.memory_cost,
        parallelism=params.parallelism,
        hash_len=KEY_BYTES,
        type=Type.ID,
    )


def new_database_key() -> bytes:
    return os.urandom(KEY_BYTES)


def wrap_key(db_key: bytes, kek: bytes, associated: bytes) -> dict:
    """Encrypt ``db_key`` under ``kek``; ``associated`` (the profile id) binds it to its profile."""
    nonce = os.urandom(12)
    ciphertext = AESGCM(kek).encrypt(nonce, db_key, associated)
    return {"nonce": _b64(nonce), "ciphertext": _b64(ciphertext)}


def unwrap_key(wrapped: dict, kek: bytes, associated: bytes) -> bytes | None:
    """The database key, or ``None`` when ``kek`` is wrong (the password did not match)."""
    try:
        return AESGCM(kek).decrypt(_unb64(wrapped["nonce"]), _unb64(wrapped["ciphertext"]), associated)
    except InvalidTag:
        return None
