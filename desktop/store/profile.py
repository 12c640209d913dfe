"""A profile folder on the laptop: the wrapped key, the encrypted database, backups (Qt-free).

Layout::

    profile.json    format, profile id, argon2id parameters, the wrapped database key,
                    interface language and idle-lock minutes (no case data: readable on purpose,
                    so the sign-in screen can speak the right language)
    diogel.db       the SQLCipher database (+ -wal/-shm while open, also encrypted)
    backups/        encrypted copies: before each migration and a daily one at sign-in
    lockout.json    failed sign-in count and the time the next attempt is allowed

Sign-in needs no connection: the password unwraps the key locally.
"""

from __future__ import annotations

import json
import os
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from desktop.clock import system_clock
from desktop.errors import LockedOut, StoreError, ValidationError, WrongPassword
from desktop.i18n import LANGUAGES, N_
from desktop.store.crypto import KdfParams, derive_kek, new_database_key, unwrap_key, wrap_key
from desktop.store.store import Store

PROFILE_FILE = "profile.json"
DB_FILE = "diogel.db"
FORMAT = 1
MIN_PASSWORD_LENGTH = 8
KEEP_BACKUPS = 7
FREE_ATTEMPTS = 3  # wrong passwords allowed before the delay starts
MAX_DELAY_SECONDS = 300


def lockout_delay(failures: int) -> int:
    """Seconds to wait after ``failures`` consecutive wrong passwords: none for the first few,
    then doubling (2, 4, 8 … capped), so guessing is slow but a typo costs nothing."""
    if failures < FREE_ATTEMPTS:
        return 0
    return min(2 ** (failures - FREE_ATTEMPTS + 1), MAX_DELAY_SECONDS)


@dataclass
class Profile:
    """A profile folder. Construct with :meth:`open` or :meth:`create`."""

    folder: Path
    data: dict[str, Any]
    clock: Callable[[], float] = time.time

    # -- lifecycle ----------------------------------------------------------------------------
    @staticmethod
    def exists(folder: Path) -> bool:
        return (Path(folder) / PROFILE_FILE).is_file()

    @classmethod
    def open(cls, folder: Path) -> Profile:
        """Read ``profile.json``; raises :class:`StoreError` if there is no profile there."""
        folder = Path(folder)
        try:
            data = json.loads((folder / PROFILE_FILE).read_text("utf-8"))
        except FileNotFoundError as exc:
            raise StoreError(N_("There is no Diogel profile in {folder}."), folder=str(folder)) from exc
        except (OSError, ValueError) as exc:
            raise StoreError(N_("The profile file in {folder} is damaged."), folder=str(folder)) from exc
        if data.get("format") != FORMAT:
            raise StoreError(
                N_("This profile was made by a different version of Diogel (format {format})."),
                format=str(data.get("format")),
            )
        return cls(folder=folder, data=data)

    @classmethod
    def create(
        cls,
        folder: Path,
        password: str,
        *,
        language: str = "en",
        kdf: KdfParams | None = None,
    ) -> tuple[Profile, bytes]:
        """Make a new profile with a fresh random database key; returns it and the key.

        Raises :class:`ValidationError` for a weak password or an unknown language and
        :class:`StoreError` if a profile is already there (never overwritten).
        """
        folder = Path(folder)
        check_password(password)
        if language not in LANGUAGES:
            raise ValidationError(N_("Choose Cymraeg or English."), field="language")
        if cls.exists(folder):
            raise StoreError(N_("A profile already exists in {folder}; it was not changed."), folder=str(folder))
        folder.mkdir(parents=True, exist_ok=True)
        os.chmod(folder, 0o700)
        profile_id = str(uuid.uuid4())
        params = kdf or KdfParams.fresh()
        key = new_database_key()
        data = {
            "format": FORMAT,
            "profile_id": profile_id,
            "created_at": system_clock().isoformat(timespec="seconds"),
            "kdf": params.to_json(),
            "wrapped_key": wrap_key(key, derive_kek(password, params), profile_id.encode()),
            "language": language,
            "idle_lock_minutes": 10,
        }
        profile = cls(folder=folder, data=data)
        profile._save()
        return profile, key

    # -- properties ---------------------------------------------------------------------------
    @property
    def db_path(self) -> Path:
        return self.folder / DB_FILE

    @property
    def backups_dir(self) -> Path:
        return self.folder / "backups"

    @property
    def language(self) -> str:
        return self.data.get("language", "en")

    @property
    def idle_lock_minutes(self) -> int:
        return int(self.data.get("idle_lock_minutes", 10))

    def set_preferences(self, *, language: str | None = None, idle_lock_minutes: int | None = None) -> None:
        """Save the interface language and the idle-lock time (1–120 minutes)."""
        if language is not None:
            if language not in LANGUAGES:
                raise ValidationError(N_("Choose Cymraeg or English."), field="language")
            self.data["language"] = language
        if idle_lock_minutes is not None:
            if not 1 <= idle_lock_minutes <= 120:
                raise ValidationError(
                    N_("The idle lock must be between 1 and 120 minutes."), field="idle_lock_minutes"
                )
            self.data["idle_lock_minutes"] = idle_lock_minutes
        self._save()

    # -- keys ---------------------------------------------------------------------------------
    def unlock(self, password: str) -> bytes:
        """The database key for ``password``.

        Raises :class:`LockedOut` while a delay from earlier failures runs (the password is not
        even tried) and :class:`WrongPassword` (recording the failure) when it does not match.
        """
        state = self._lockout()
        wait = int(state.get("next_allowed_at", 0) - self.clock() + 0.999)
        if wait > 0:
            raise LockedOut(N_("Too many wrong passwords. Try again in {seconds} seconds."), seconds=wait)
        key = self._try(password)
        if key is None:
            failures = int(state.get("failures", 0)) + 1
            delay = lockout_delay(failures)
            self._write_json("lockout.json", {"failures": failures, "next_allowed_at": self.clock() + delay})
            if delay:
                raise WrongPassword(
                    N_("That password is not right. Wait {seconds} seconds before trying again."), seconds=delay
                )
            raise WrongPassword(N_("That password is not right. Check Caps Lock and try again."))
        if state.get("failures"):
            self._write_json("lockout.json", {"failures": 0, "next_allowed_at": 0})
        return key

    def verify(self, password: str) -> bool:
        """True if ``password`` is right (used by the idle lock; counts failures like sign-in)."""
        try:
            self.unlock(password)
        except (WrongPassword, LockedOut):
            return False
        return True

    def change_password(self, old: str, new: str) -> None:
        """Re-wrap the one database key under ``new``; the database itself is untouched."""
        key = self.unlock(old)
        check_password(new)
        params = KdfParams.fresh(
            time_cost=self.data["kdf"]["time_cost"],
            memory_cost=self.data["kdf"]["memory_cost"],
            parallelism=self.data["kdf"]["parallelism"],
        )
        self.data["kdf"] = params.to_json()
        self.data["wrapped_key"] = wrap_key(key, derive_kek(new, params), self.data["profile_id"].encode())
        self._save()

    def _try(self, password: str) -> bytes | None:
        params = KdfParams.from_json(self.data["kdf"])
        return unwrap_key(self.data["wrapped_key"], derive_kek(password, params), self.data["profile_id"].encode())

    # -- the database -------------------------------------------------------------------------
    def open_store(self, key: bytes, **kwargs: Any) -> Store:
        """Open (creating or migrating) the encrypted database. Raises :class:`StoreError`
        for a damaged file; see :meth:`latest_backup` for what to offer then."""
        return Store(self.db_path, key, backups_dir=self.backups_dir, **kwargs)

    def backups(self) -> list[Path]:
        """Backup files, newest first."""
        if not self.backups_dir.is_dir():
            return []
        return sorted(self.backups_dir.glob("*.db"), key=lambda p: p.stat().st_mtime, reverse=True)

    def latest_backup(self) -> Path | None:
        found = self.backups()
        return found[0] if found else None

    def daily_backup(self, store: Store, today: datetime | None = None) -> Path | None:
        """Keep one backup per day (the first sign-in of the day), and the last few days only."""
        stamp = (today or system_clock()).strftime("%Y%m%d")
        target = self.backups_dir / f"daily-{stamp}.db"
        if target.exists():
            return None
        store.backup(target)
        dailies = sorted(self.backups_dir.glob("daily-*.db"), reverse=True)
        for old in dailies[KEEP_BACKUPS:]:
            old.unlink()
        return target

    def restore_backup(self, backup: Path) -> Path:
        """Put ``backup`` in place of a damaged database. The damaged file is kept beside it
        (renamed ``diogel.db.damaged-<time>``), never overwritten or deleted."""
        stamp = system_clock().strftime("%Y%m%dT%H%M%S")
        kept = self.folder / f"{DB_FILE}.damaged-{stamp}"
        if self.db_path.exists():
            self.db_path.replace(kept)
        for suffix in ("-wal", "-shm"):
            side = self.folder / f"{DB_FILE}{suffix}"
            if side.exists():
                side.replace(self.folder / f"{DB_FILE}{suffix}.damaged-{stamp}")
        tmp = self.db_path.with_suffix(".restoring")
        tmp.write_bytes(Path(backup).read_bytes())
        tmp.replace(self.db_path)
        return kept

    # -- files --------------------------------------------------------------------------------
    def _lockout(self) -> dict[str, Any]:
        try:
            return json.loads((self.folder / "lockout.json").read_text("utf-8"))
        except (OSError, ValueError):
            return {}

    def _save(self) -> None:
        self._write_json(PROFILE_FILE, self.data)

    def _write_json(self, name: str, data: dict[str, Any]) -> None:
        """Write atomically: a crash leaves the old file or the new one, never half of either."""
        target = self.folder / name
        tmp = target.with_suffix(".tmp")
        with tmp.open("w", encoding="utf-8") as fh:
            json.dump(data, fh, indent=2)
            fh.flush()
            os.fsync(fh.fileno())
        tmp.replace(target)


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError(
            N_("The password must have at least {count} characters."), field="password", count=MIN_PASSWORD_LENGTH
        )
