"""Signing in and out of a profile; who is signed in and what they may do (Qt-free).

A :class:`Session` is the signed-in person, their profile and the open store. Services take a
session and check its role and scope on every call.
"""

from __future__ import annotations

import threading
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from desktop.clock import Clock, local_date, system_clock
from desktop.domain.types import Role, TeamKind
from desktop.errors import StoreError, ValidationError
from desktop.i18n import N_
from desktop.services.permissions import Can, can, require
from desktop.store import Store
from desktop.store.crypto import KdfParams
from desktop.store.database import DiskFull
from desktop.store.integrity import DatabaseDamaged, damage_error, disk_is_full
from desktop.store.profile import Profile


@dataclass(frozen=True, slots=True)
class User:
    id: str
    given_names: str
    family_name: str
    role: str
    team_id: str | None
    scw_number: str | None

    @property
    def name(self) -> str:
        return f"{self.given_names} {self.family_name}".strip()


class Session:
    """The signed-in person. Thread contract: methods may be called from any thread; writes go
    through the store's writer thread."""

    def __init__(self, profile: Profile, store: Store, user: User) -> None:
        self.profile = profile
        self.store = store
        self.user = user
        self.opened: Future[None] = Future()
        """Done once the store has passed its integrity check and the sign-in is recorded; raises
        :class:`~desktop.store.integrity.DatabaseDamaged` if the check failed (see :meth:`sign_in`)."""
        self.opened.set_result(None)
        self.background: list[threading.Thread] = []  # the daily backup, finished before sign-out

    @property
    def read_only(self) -> StoreError | None:
        """Why this session cannot save anything (a full disk at sign-in), or ``None``."""
        return self.store.read_only

    # -- sign in / out ------------------------------------------------------------------------
    @classmethod
    def sign_in(cls, folder: Path, password: str, *, backup: bool = True, wait: bool = True,
                clock: Clock = system_clock, **store_kwargs: Any) -> Session:
        """Unlock the profile offline and open its store, which keeps ``clock``; audited.

        Raises ``WrongPassword``, ``LockedOut``, :class:`~desktop.store.profile.ProfileDamaged` or
        :class:`~desktop.store.integrity.DatabaseDamaged` (a missing, empty or damaged database,
        with the newest backup that passes the check on offer) — nothing is written then. The
        database's integrity check runs on its own thread; with ``wait`` (the command line) this
        returns only once it has passed, without it (the window, which builds meanwhile)
        :attr:`opened` answers it. Nothing is written before it has passed: not the sign-in record,
        not the daily backup (taken in the background, kept only if the copy checks out).

        A full disk does not stop sign-in: the session opens read-only (:attr:`read_only` says why)."""
        profile = Profile.open(folder)
        key = profile.database_key(password)
        try:
            store = profile.open_store(key, clock=clock, **store_kwargs)
        except DiskFull:
            store = profile.open_store(key, read_only=_full_disk(), clock=clock, **store_kwargs)
        try:
            user = load_user(store)
        except DatabaseDamaged as exc:
            store.close()
            raise damage_error(store.path, exc.problems, profile.verified_backup(key, password)) from exc
        except BaseException:
            store.close()
            raise
        session = cls(profile, store, user)
        session.opened = Future()

        def finish() -> None:
            try:
                store.verified()
            except DatabaseDamaged as exc:
                offer = profile.verified_backup(key, password)
                session.opened.set_exception(damage_error(store.path, exc.problems, offer))
                return
            except BaseException as exc:  # noqa: BLE001 - handed to whoever waits on ``opened``
                session.opened.set_exception(exc)
                return
            if store.read_only is None:
                try:
                    store.write(lambda tx: tx.record("sign_in", entity="practitioner", entity_id=user.id),
                                actor=user.id)
                except StoreError as exc:
                    if not disk_is_full(profile.folder, exc):
                        session.opened.set_exception(exc)
                        return
                    store.set_read_only(_full_disk())
            if backup and store.read_only is None:
                session.background.append(profile.daily_backup_in_background(store))
            session.opened.set_result(None)

        if not wait:
            threading.Thread(target=finish, name="diogel-open", daemon=True).start()
            return session
        finish()
        try:
            session.opened.result()
        except BaseException:
            store.close()
            raise
        return session

    @classmethod
    def create_profile(
        cls,
        folder: Path,
        *,
        given_names: str,
        family_name: str,
        role: str,
        team_name: str,
        password: str,
        language: str = "en",
        scw_number: str | None = None,
        team_kind: str = TeamKind.CHILD_PROTECTION,
        kdf: KdfParams | None = None,
        clock: Clock = system_clock,
    ) -> Session:
        """First run: a new profile, its database (keeping ``clock``), and the person who will sign
        in to it."""
        if not given_names.strip() or not family_name.strip():
            raise ValidationError(N_("Enter your given name and family name."), field="family_name")
        if role not in set(Role):
            raise ValidationError(N_("Choose your role."), field="role")
        if not team_name.strip():
            raise ValidationError(N_("Enter your team."), field="team")
        profile, key = Profile.create(folder, password, language=language, kdf=kdf)
        store = profile.open_store(key, create=True, clock=clock)
        try:

            def first_user(tx: Any) -> str:
                team = tx.query("SELECT id FROM team WHERE name = ? AND deleted = 0", [team_name.strip()])
                team_id = team[0]["id"] if team else tx.insert("team", {"name": team_name.strip(), "kind": team_kind})["id"]
                user = tx.insert(
                    "practitioner",
                    {
                        "given_names": given_names.strip(),
                        "family_name": family_name.strip(),
                        "app_role": role,
                        "team_id": team_id,
                        "scw_number": (scw_number or "").strip() or None,
                        "employed_by_social_services": 1,
                        "job_title": None,
                    },
                )
                tx.db.execute("INSERT INTO meta (key, value) VALUES ('user_id', ?)", [user["id"]])
                tx.record("profile_created", entity="practitioner", entity_id=user["id"])
                return user["id"]

            store.write(first_user, actor="setup")
            user = load_user(store)
        except BaseException:
            store.close()
            raise
        return cls(profile, store, user)

    def close(self) -> None:
        """Sign out: audited (unless the store cannot be written: read-only or damaged), then the
        store is closed and the key forgotten."""
        for thread in self.background:
            thread.join()
        try:
            if self.store.read_only is None and self.opened.done() and self.opened.exception() is None:
                self.store.write(lambda tx: tx.record("sign_out"), actor=self.user.id)
        finally:
            self.store.close()

    # -- permissions --------------------------------------------------------------------------
    def can(self, capability: Can) -> bool:
        return can(self.user.role, capability)

    def require(self, capability: Can) -> None:
        require(self.user.role, capability)

    def write(self, fn: Any) -> Any:
        """``store.write`` as this user."""
        return self.store.write(fn, actor=self.user.id)

    def today(self) -> date:
        """Today's local date (the store's clock, so tests can fix it)."""
        return local_date(self.store.clock)


def load_user(store: Store) -> User:
    row = store.rows(
        "SELECT p.id, p.given_names, p.family_name, p.app_role, p.team_id, p.scw_number"
        " FROM meta m JOIN practitioner p ON p.id = m.value WHERE m.key = 'user_id'"
    )
    if not row:
        raise StoreError(N_("This profile has no signed-in person recorded; it cannot be used."))
    r = row[0]
    return User(r["id"], r["given_names"], r["family_name"], r["app_role"], r["team_id"], r["scw_number"])


def _full_disk() -> StoreError:
    return StoreError(N_("The disk is full, so Diogel has opened your cases read-only: you can read them but not"
                         " save anything. Free some space, then sign in again."))
