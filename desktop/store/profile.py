"""A profile folder on the laptop: the wrapped key, the encrypted database, backups (Qt-free).

Layout::

    profile.json    format, profile id, argon2id parameters, the wrapped database key,
                    interface language, idle-lock minutes and forced high contrast (no case data:
                    readable on purpose, so the sign-in screen speaks the right language and contrast)
    keycopy.json    a second copy of the key material of profile.json (profile id, argon2id
                    parameters, wrapped key), so one bad byte in either file loses nothing
    diogel.db       the SQLCipher database (+ -wal/-shm while open, also encrypted)
    backups/        encrypted copies: before each migration and a daily one at sign-in, each kept only
                    once it has passed the integrity check, each with ``<name>.key.json``, the key
                    material that opens it
    lockout.json    failed sign-in count and the time the next attempt is allowed

Sign-in needs no connection: the password unwraps the key locally. Every file here is read as
untrusted: a value that is not what the format says gives a clear message naming the file, never a
traceback; an interface language or idle-lock time that makes no sense falls back to the default.
A damaged ``profile.json`` or ``keycopy.json`` is repaired from the other at the next sign-in (the
password proves the copy is the right one); ``docs/recovery.md`` says what to do beyond that.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import shutil
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from desktop.clock import system_clock
from desktop.errors import LockedOut, StoreError, ValidationError, WrongPassword
from desktop.i18n import LANGUAGES, N_, NN_
from desktop.store.crypto import KdfParams, derive_kek, new_database_key, unwrap_key, wrap_key
from desktop.store.integrity import DatabaseDamaged, check_database, damage_error
from desktop.store.store import Store

PROFILE_FILE = "profile.json"
KEY_COPY_FILE = "keycopy.json"
DB_FILE = "diogel.db"
FORMAT = 1
MIN_PASSWORD_LENGTH = 8
KEEP_BACKUPS = 7
FREE_ATTEMPTS = 3  # wrong passwords allowed before the delay starts
MAX_DELAY_SECONDS = 300
KEY_FIELDS = ("profile_id", "kdf", "wrapped_key")
_BACKUP_LOCK = threading.Lock()
DEFAULTS: dict[str, Any] = {"language": "en", "idle_lock_minutes": 10, "high_contrast": False}
# Bounds on the argon2id parameters read from disk: a tampered file must not make sign-in ask for
# terabytes of memory or run for hours.
KDF_LIMITS = {"time_cost": (1, 20), "memory_cost": (8 * 1024, 1024 * 1024), "parallelism": (1, 16)}


def lockout_delay(failures: int) -> int:
    """Seconds to wait after ``failures`` consecutive wrong passwords: none for the first few,
    then doubling (2, 4, 8 … capped), so guessing is slow but a typo costs nothing."""
    if failures < FREE_ATTEMPTS:
        return 0
    return min(2 ** min(failures - FREE_ATTEMPTS + 1, 16), MAX_DELAY_SECONDS)


class ProfileDamaged(StoreError):
    """``profile.json`` (and its second copy) cannot be used; the message names the file and why."""


def _b64(value: Any, length: int, what: str) -> str:
    if not isinstance(value, str):
        raise ValueError(f"{what} is not text")
    try:
        raw = base64.b64decode(value.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError) as exc:
        raise ValueError(f"{what} is not base64") from exc
    if len(raw) != length:
        raise ValueError(f"{what} has {len(raw)} bytes, not {length}")
    return value


def _int(value: Any, low: int, high: int, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValueError(f"{what} is not a whole number from {low} to {high}")
    return value


def parse_key_material(data: Any) -> dict[str, Any]:
    """The key material of ``profile.json`` or ``keycopy.json``, checked field by field; raises
    ``ValueError`` naming the first field that is not what the format says."""
    if not isinstance(data, dict):
        raise ValueError("the file does not hold a JSON object")
    try:
        profile_id = str(uuid.UUID(str(data.get("profile_id"))))
    except ValueError as exc:
        raise ValueError("profile_id is not a profile id") from exc
    if profile_id != data.get("profile_id"):
        raise ValueError("profile_id is not a profile id")
    kdf = data.get("kdf")
    if not isinstance(kdf, dict) or kdf.get("alg") != "argon2id":
        raise ValueError("kdf is not argon2id parameters")
    for name, (low, high) in KDF_LIMITS.items():
        _int(kdf.get(name), low, high, f"kdf.{name}")
    _b64(kdf.get("salt"), 16, "kdf.salt")
    wrapped = data.get("wrapped_key")
    if not isinstance(wrapped, dict):
        raise ValueError("wrapped_key is missing")
    _b64(wrapped.get("nonce"), 12, "wrapped_key.nonce")
    _b64(wrapped.get("ciphertext"), 48, "wrapped_key.ciphertext")
    out = {"profile_id": profile_id, "kdf": dict(kdf), "wrapped_key": dict(wrapped)}
    if "rekey_from" in data:  # a password change stopped part-way (see Profile.change_password)
        rekey = data["rekey_from"]
        if not isinstance(rekey, dict):
            raise ValueError("rekey_from is not a wrapped key")
        _b64(rekey.get("nonce"), 12, "rekey_from.nonce")
        _b64(rekey.get("ciphertext"), 48, "rekey_from.ciphertext")
        out["rekey_from"] = dict(rekey)
    return out


def parse_profile(data: Any) -> dict[str, Any]:
    """``profile.json`` checked: the key material strictly (:func:`parse_key_material`), the
    preferences leniently (an unknown language or a nonsense idle time becomes the default, so a bad
    value never stops Diogel starting). Raises ``ValueError`` naming what is wrong."""
    if not isinstance(data, dict):
        raise ValueError("the file does not hold a JSON object")
    if data.get("format") != FORMAT:
        raise ValueError(f"format is {data.get('format')!r}, not {FORMAT}")
    out = {**data, **parse_key_material(data), "format": FORMAT}
    if not isinstance(out.get("language"), str) or out["language"] not in LANGUAGES:
        out["language"] = DEFAULTS["language"]
    minutes = out.get("idle_lock_minutes")
    if isinstance(minutes, bool) or not isinstance(minutes, int) or not 1 <= minutes <= 120:
        out["idle_lock_minutes"] = DEFAULTS["idle_lock_minutes"]
    if not isinstance(out.get("high_contrast"), bool):
        out["high_contrast"] = DEFAULTS["high_contrast"]
    return out


def _read_json(path: Path) -> Any:
    return json.loads(path.read_text("utf-8"))


@dataclass
class Profile:
    """A profile folder. Construct with :meth:`open` or :meth:`create`."""

    folder: Path
    data: dict[str, Any]
    clock: Callable[[], float] = time.time
    repaired_from: str | None = field(default=None, compare=False)
    """Set by :meth:`open` when ``profile.json`` was damaged and its key material was read from
    ``keycopy.json``; :meth:`unlock` then writes ``profile.json`` again once the password proves it."""

    # -- lifecycle ----------------------------------------------------------------------------
    @staticmethod
    def exists(folder: Path) -> bool:
        return (Path(folder) / PROFILE_FILE).is_file() or (Path(folder) / KEY_COPY_FILE).is_file()

    @classmethod
    def open(cls, folder: Path) -> Profile:
        """Read ``profile.json`` (or, when it is damaged, its second copy). Raises
        :class:`StoreError` if there is no profile there, :class:`ProfileDamaged` (naming the file and
        what is wrong) if neither copy can be used."""
        folder = Path(folder)
        main, copy = folder / PROFILE_FILE, folder / KEY_COPY_FILE
        if not main.exists() and not copy.exists():
            raise StoreError(N_("There is no Diogel profile in {folder}."), folder=str(folder))
        try:
            raw = _read_json(main)
        except FileNotFoundError:
            raw, reason = None, "the file is missing"
        except (OSError, ValueError) as exc:
            raw, reason = None, f"it is not readable JSON ({type(exc).__name__})"
        if isinstance(raw, dict) and isinstance(raw.get("format"), int) and raw["format"] != FORMAT:
            raise StoreError(
                N_("This profile was made by a different version of Diogel (format {format})."),
                format=str(raw["format"]),
            )
        if raw is not None:
            try:
                return cls(folder=folder, data=parse_profile(raw))
            except ValueError as exc:
                reason = str(exc)
        try:
            material = parse_key_material(_read_json(copy))
        except (OSError, ValueError) as exc:
            raise ProfileDamaged(
                N_("The profile file {file} in {folder} is damaged ({reason}), and its second copy {copy} cannot"
                   " be used either. Nothing has been changed; see “Recovering a profile” in the"
                   " documentation, or ask the helpdesk."),
                file=PROFILE_FILE, folder=str(folder), reason=reason, copy=KEY_COPY_FILE,
            ) from exc
        data = {**DEFAULTS, **(raw if isinstance(raw, dict) else {}), **material, "format": FORMAT}
        return cls(folder=folder, data=parse_profile(data), repaired_from=KEY_COPY_FILE)

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
        lang = self.data.get("language")
        return lang if isinstance(lang, str) and lang in LANGUAGES else str(DEFAULTS["language"])

    @property
    def idle_lock_minutes(self) -> int:
        minutes = self.data.get("idle_lock_minutes")
        if isinstance(minutes, int) and not isinstance(minutes, bool) and 1 <= minutes <= 120:
            return minutes
        return int(DEFAULTS["idle_lock_minutes"])

    @property
    def high_contrast(self) -> bool:
        """High contrast always, whatever the system says (for a system that does not say)."""
        return self.data.get("high_contrast") is True

    def set_preferences(self, *, language: str | None = None, idle_lock_minutes: int | None = None,
                        high_contrast: bool | None = None) -> None:
        """Save the interface language, the idle-lock time (1–120 minutes) and forced high contrast."""
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
        if high_contrast is not None:
            self.data["high_contrast"] = bool(high_contrast)
        self._write_json(PROFILE_FILE, self.data)

    # -- keys ---------------------------------------------------------------------------------
    def unlock(self, password: str) -> bytes:
        """The database key for ``password``.

        Raises :class:`LockedOut` while a delay from earlier failures runs (the password is not
        even tried) and :class:`WrongPassword` (recording the failure) when it does not match. When
        the key material read does not open but its second copy does (one of the two files was
        damaged), the damaged one is written again from the other."""
        state = self._lockout()
        now = self.clock()
        # Capped: a clock set back (or a tampered lockout.json) cannot lock anyone out for longer
        # than the longest delay.
        wait = min(int(state["next_allowed_at"] - now + 0.999), MAX_DELAY_SECONDS)
        if wait > 0:
            raise LockedOut(NN_("Too many wrong passwords. Try again in {seconds} second.",
                                "Too many wrong passwords. Try again in {seconds} seconds.", "seconds"),
                            seconds=wait)
        key = self._try(password, self.data)
        if key is None:
            copy = self._key_copy()
            if copy is not None and {k: copy[k] for k in KEY_FIELDS} != self.key_material():
                key = self._try(password, copy)
                if key is not None:  # profile.json's key material was damaged: the copy is right
                    self.data.update(copy)
                    self.repaired_from = KEY_COPY_FILE
        if key is None:
            failures = int(state["failures"]) + 1
            delay = lockout_delay(failures)
            self._write_quietly("lockout.json", {"failures": failures, "next_allowed_at": now + delay})
            if delay:
                raise WrongPassword(
                    NN_("That password is not right. Wait {seconds} second before trying again.",
                        "That password is not right. Wait {seconds} seconds before trying again.", "seconds"),
                    seconds=delay,
                )
            raise WrongPassword(N_("That password is not right. Check Caps Lock and try again."))
        if state["failures"] or state["next_allowed_at"]:
            self._write_quietly("lockout.json", {"failures": 0, "next_allowed_at": 0})
        if self.repaired_from is not None:
            self._keep_damaged(PROFILE_FILE)
        self._save(quietly=True)  # profile.json and keycopy.json agree again (no write when they did)
        return key

    def verify(self, password: str) -> bool:
        """True if ``password`` is right (used by the idle lock; counts failures like sign-in)."""
        try:
            self.unlock(password)
        except (WrongPassword, LockedOut):
            return False
        return True

    def database_key(self, password: str) -> bytes:
        """:meth:`unlock`, then finish a password change that stopped between writing the new key
        and re-encrypting the database (a crash, a closed lid): the file is re-keyed now."""
        key = self.unlock(password)
        rekey = self.data.get("rekey_from")
        if rekey is None:
            return key
        old = unwrap_key(rekey, derive_kek(password, KdfParams.from_json(self.data["kdf"])),
                         self.data["profile_id"].encode())
        if old is not None and not _opens(self.db_path, key) and _opens(self.db_path, old):
            store = Store(self.db_path, old, backups_dir=self.backups_dir)
            try:
                store.verified()
                store.rekey(key)
            finally:
                store.close()
        self.data.pop("rekey_from", None)
        self._save()
        return key

    def change_password(self, old: str, new: str, *, store: Store | None = None) -> None:
        """Change the password. With the open ``store`` the database is re-keyed too (SQLCipher
        ``rekey``: a new random key), so an old copy of ``profile.json`` with the old password reads
        nothing written afterwards; without it the one key is re-wrapped. Each backup's key file is
        re-wrapped under the new password, so the backups stay restorable.

        Crash-safe: ``profile.json`` first holds the new key and, wrapped under the new password, the
        old one (``rekey_from``); the database is re-keyed; then ``rekey_from`` goes. A crash in
        between is finished at the next sign-in (:meth:`database_key`)."""
        key = self.unlock(old)
        check_password(new)
        params = KdfParams.fresh(
            time_cost=self.data["kdf"]["time_cost"],
            memory_cost=self.data["kdf"]["memory_cost"],
            parallelism=self.data["kdf"]["parallelism"],
        )
        aad = self.data["profile_id"].encode()
        old_kek, new_kek = derive_kek(old, KdfParams.from_json(self.data["kdf"])), derive_kek(new, params)
        rewrapped = self._rewrap_backup_keys(old_kek, new_kek, params)
        new_key = new_database_key() if store is not None else key
        self.data["kdf"] = params.to_json()
        self.data["wrapped_key"] = wrap_key(new_key, new_kek, aad)
        if store is not None:
            self.data["rekey_from"] = wrap_key(key, new_kek, aad)
        self._save()
        for path, material in rewrapped:
            _write_json_atomic(path, material)
        if store is not None:
            store.rekey(new_key)
            self.data.pop("rekey_from", None)
            self._save()

    def _rewrap_backup_keys(self, old_kek: bytes, new_kek: bytes,
                            params: KdfParams) -> list[tuple[Path, dict[str, Any]]]:
        aad = self.data["profile_id"].encode()
        out = []
        for path in sorted(self.backups_dir.glob("*.key.json")) if self.backups_dir.is_dir() else []:
            try:
                material = parse_key_material(_read_json(path))
            except (OSError, ValueError):
                continue
            kek = old_kek if material["kdf"] == self.data["kdf"] else None
            backup_key = unwrap_key(material["wrapped_key"], kek, aad) if kek else None
            if backup_key is not None:
                out.append((path, {**material, "kdf": params.to_json(),
                                   "wrapped_key": wrap_key(backup_key, new_kek, aad)}))
        return out

    def _try(self, password: str, material: dict[str, Any]) -> bytes | None:
        params = KdfParams.from_json(material["kdf"])
        return unwrap_key(material["wrapped_key"], derive_kek(password, params), material["profile_id"].encode())

    def _key_copy(self) -> dict[str, Any] | None:
        try:
            return parse_key_material(_read_json(self.folder / KEY_COPY_FILE))
        except (OSError, ValueError):
            return None

    def key_material(self) -> dict[str, Any]:
        """What opens the database given the password: profile id, argon2id parameters, wrapped key."""
        return {k: self.data[k] for k in KEY_FIELDS}

    # -- the database -------------------------------------------------------------------------
    def open_store(self, key: bytes, *, create: bool = False, **kwargs: Any) -> Store:
        """Open (migrating if needed) the encrypted database; ``create`` only for a new profile.
        Raises :class:`~desktop.store.integrity.DatabaseDamaged` for a missing, empty or damaged file,
        naming the newest backup that passes the integrity check."""
        try:
            return Store(self.db_path, key, backups_dir=self.backups_dir, create=create, **kwargs)
        except DatabaseDamaged as exc:
            raise damage_error(self.db_path, exc.problems, self.verified_backup(key)) from exc

    def backups(self) -> list[Path]:
        """Backup files, newest first."""
        if not self.backups_dir.is_dir():
            return []
        return sorted(self.backups_dir.glob("*.db"), key=lambda p: p.stat().st_mtime, reverse=True)

    def latest_backup(self) -> Path | None:
        """The newest backup file, checked or not (see :meth:`verified_backup`)."""
        found = self.backups()
        return found[0] if found else None

    def backup_key(self, backup: Path, key: bytes, password: str | None = None) -> bytes:
        """The key that opens ``backup``: the one in its key file when ``password`` is given and it
        unwraps, else ``key`` (the database's own)."""
        if password:
            try:
                material = parse_key_material(_read_json(_key_file(backup)))
                found = self._try(password, material)
                if found is not None:
                    return found
            except (OSError, ValueError):
                pass
        return key

    def verified_backup(self, key: bytes, password: str | None = None) -> Path | None:
        """The newest backup that passes the integrity check, or ``None``."""
        for backup in self.backups():
            if not check_database(backup, self.backup_key(backup, key, password), copy=True):
                return backup
        return None

    def daily_backup(self, store: Store, today: datetime | None = None) -> Path | None:
        """Keep one backup per day (the first sign-in of the day) once it has passed the integrity
        check, with its key file; then the last few days only, never deleting the newest good one.
        Returns the backup kept, or ``None`` (already taken today, or the copy failed its check)."""
        stamp = (today or store.clock()).strftime("%Y%m%d")
        target = self.backups_dir / f"daily-{stamp}.db"
        with _BACKUP_LOCK:  # sign-in's background backup and an explicit one never race
            if target.exists():
                return None
            partial = store.backup(self.backups_dir / f"daily-{stamp}.checking")
            if store.check_copy(partial):
                partial.unlink(missing_ok=True)  # a bad copy is never kept
                return None
            _write_json_atomic(_key_file(target), self.key_material())
            partial.replace(target)
            self._prune_dailies()
            return target

    def daily_backup_in_background(self, store: Store) -> threading.Thread:
        """:meth:`daily_backup` on a thread of its own (sign-in does not wait for the copy or its
        check); a failure (a full disk) leaves no partial file and is otherwise ignored."""

        def run() -> None:
            try:
                self.daily_backup(store)
            except Exception:  # noqa: BLE001 - tomorrow's sign-in tries again; the store is unchanged
                for leftover in self.backups_dir.glob("*.checking"):
                    leftover.unlink(missing_ok=True)

        thread = threading.Thread(target=run, name="diogel-backup", daemon=True)
        thread.start()
        return thread

    def _prune_dailies(self) -> None:
        """The last :data:`KEEP_BACKUPS` dailies stay; older ones go, except the newest backup known
        to be good (a key file is written only for a copy that passed its check). With none known to
        be good (backups from before checking), nothing is deleted."""
        dailies = sorted(self.backups_dir.glob("daily-*.db"), reverse=True)
        good = [d for d in dailies if _key_file(d).exists()]
        if not good:
            return
        for old in dailies[KEEP_BACKUPS:]:
            if old != good[0]:
                old.unlink()
                _key_file(old).unlink(missing_ok=True)

    def restore_backup(self, backup: Path) -> Path:
        """Put ``backup`` in place of a damaged database. The damaged file is kept beside it
        (renamed ``diogel.db.damaged-<time>``), never overwritten or deleted. The backup's key file
        (if any) becomes the profile's key material, so a backup from before a password change with
        re-keying opens with the current password."""
        stamp = system_clock().strftime("%Y%m%dT%H%M%S")
        kept = self.folder / f"{DB_FILE}.damaged-{stamp}"
        if self.db_path.exists():
            self.db_path.replace(kept)
        for suffix in ("-wal", "-shm"):
            side = self.folder / f"{DB_FILE}{suffix}"
            if side.exists():
                side.replace(self.folder / f"{DB_FILE}{suffix}.damaged-{stamp}")
        tmp = self.db_path.with_suffix(".restoring")
        shutil.copyfile(backup, tmp)
        try:
            material = parse_key_material(_read_json(_key_file(Path(backup))))
        except (OSError, ValueError):
            material = None
        if material is not None and material["profile_id"] == self.data["profile_id"]:
            self.data.update(material)
            self._save()
        tmp.replace(self.db_path)
        return kept

    # -- files --------------------------------------------------------------------------------
    def _lockout(self) -> dict[str, float]:
        """``failures`` and ``next_allowed_at`` from ``lockout.json``; a missing or nonsense file
        counts as no failures (it only ever slows guessing down, so reading it leniently is safe)."""
        try:
            raw = json.loads((self.folder / "lockout.json").read_text("utf-8"))
        except (OSError, ValueError):
            raw = {}
        out: dict[str, float] = {}
        for name in ("failures", "next_allowed_at"):
            value = raw.get(name, 0) if isinstance(raw, dict) else 0
            ok = isinstance(value, int | float) and not isinstance(value, bool) and value == value
            out[name] = max(float(value), 0.0) if ok and abs(value) < 1e15 else 0.0
        return out

    def _save(self, *, quietly: bool = False) -> None:
        """Write ``profile.json`` and its second copy of the key material (each atomically, each only
        when it differs). ``quietly``: a write the disk refuses is left for next time (sign-in on a
        full disk still works; the repair happens once there is room)."""
        for name, data in ((PROFILE_FILE, self.data), (KEY_COPY_FILE, self.key_material())):
            if _json_or_none(self.folder / name) != data:
                (self._write_quietly if quietly else self._write_json)(name, data)

    def _write_json(self, name: str, data: dict[str, Any]) -> None:
        _write_json_atomic(self.folder / name, data)

    def _keep_damaged(self, name: str) -> None:
        """Keep a damaged ``name`` beside its repair (``<name>.damaged-<time>``), for whoever looks
        into what happened; nothing is lost by repairing it."""
        path = self.folder / name
        if path.exists() and _json_or_none(path) != self.data:
            try:
                shutil.copyfile(path, self.folder / f"{name}.damaged-{system_clock().strftime('%Y%m%dT%H%M%S')}")
            except OSError:
                pass

    def _write_quietly(self, name: str, data: dict[str, Any]) -> None:
        try:
            _write_json_atomic(self.folder / name, data)
        except OSError:
            (self.folder / name).with_suffix(".tmp").unlink(missing_ok=True)


def _key_file(backup: Path) -> Path:
    return backup.with_name(backup.name.rsplit(".", 1)[0] + ".key.json")


def _json_or_none(path: Path) -> Any:
    try:
        return _read_json(path)
    except (OSError, ValueError):
        return None


def _write_json_atomic(target: Path, data: dict[str, Any]) -> None:
    """Write atomically: a crash leaves the old file or the new one, never half of either."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8") as fh:
        json.dump(data, fh, indent=2)
        fh.flush()
        os.fsync(fh.fileno())
    tmp.replace(target)


def _opens(path: Path, key: bytes) -> bool:
    """Whether ``key`` decrypts the first page of ``path`` (read-only; nothing is changed)."""
    from desktop.store.integrity import open_readonly

    try:
        conn = open_readonly(path, key)
    except Exception:  # noqa: BLE001
        return False
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return True
    except Exception:  # noqa: BLE001
        return False
    finally:
        conn.close()


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError(
            NN_("The password must have at least {count} character.",
                "The password must have at least {count} characters."),
            field="password", count=MIN_PASSWORD_LENGTH,
        )
