"""A new profile made by signing in to the server: it brings the user's role, team and caseload.

The server checks the username and password first, so a wrong password creates nothing. The same
password then protects the laptop profile. The profile's person is the server user (same id), so
what this laptop records is attributed to them everywhere. The user's practitioner and team records
come from the server (its administration path publishes them); if the first pull fails, stand-ins are
kept here, never sent, until they arrive.

Thread contract: does network I/O and waits on the store's writer thread: call it from a worker thread
(or the CLI), never the GUI thread.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from desktop.domain.types import TeamKind
from desktop.errors import StoreError
from desktop.i18n import N_
from desktop.services.session import Session, load_user
from desktop.store.crypto import KdfParams
from desktop.store.profile import Profile
from desktop.store.tx import Tx
from desktop.sync import local
from desktop.sync.client import SyncClient, SyncReport
from desktop.sync.errors import SyncError
from desktop.sync.transport import Transport


def _split_name(display: str) -> tuple[str, str]:
    parts = display.strip().rsplit(" ", 1)
    return (parts[0], parts[1]) if len(parts) == 2 else ("", parts[0] or "?")


def _plain_insert(tx: Tx, table: str, row: dict[str, Any]) -> None:
    names = ", ".join(f"[{c}]" for c in row)
    tx.db.execute(f"INSERT INTO [{table}] ({names}) VALUES ({', '.join('?' for _ in row)})", list(row.values()))
    tx.record("sync.placeholder", entity=table, entity_id=row["id"], after={"reason": "not yet received"})


def create_profile_from_server(
    folder: Path,
    transport: Transport,
    username: str,
    password: str,
    *,
    language: str = "en",
    kdf: KdfParams | None = None,
    ca_bundle: str | None = None,
    **store_kwargs: Any,
) -> tuple[Session, SyncReport]:
    """Sign in to the server, make the profile in ``folder`` and sync the caseload down.

    Raises ``AuthRequired`` for a wrong username/password, ``Unreachable``/``TlsRefused`` with no
    connection (nothing is created in those cases) and ``StoreError`` if a profile is already there.
    Once the profile exists it is returned even if the first sync then fails: ``report.error`` says why,
    and the next sync carries on.
    """
    folder = Path(folder)
    if Profile.exists(folder):
        raise StoreError(N_("A profile already exists in {folder}; it was not changed."), folder=str(folder))
    body = transport.login(username, password, None)
    user = body["user"]
    created_folder = not folder.exists()
    profile, key = Profile.create(folder, password, language=language, kdf=kdf)
    try:
        store = profile.open_store(key, create=True, **store_kwargs)
    except BaseException:
        if created_folder:
            shutil.rmtree(folder, ignore_errors=True)
        raise
    try:
        uid = user["id"]

        def link(tx: Tx) -> None:
            tx.db.execute("INSERT INTO meta (key, value) VALUES ('user_id', ?)", [uid])
            local.set_state(tx, server_url=transport.base_url, username=username, server_user_id=uid,
                            token=body["token"], token_expires=body.get("expires_at"), ca_bundle=ca_bundle)  # fmt: skip
            tx.record("profile_created_from_server", entity="practitioner", entity_id=uid,
                      after={"server": transport.base_url, "username": username, "role": user["role"]})  # fmt: skip

        store.write(link, actor=uid)
        client = SyncClient(store, transport, actor=uid, backups_dir=profile.backups_dir)
        error: SyncError | None = None
        initial = SyncReport()
        try:
            client.pull(initial)  # first, so records the server already has are not made again here
        except SyncError as exc:
            error = exc

        def ensure_people(tx: Tx) -> None:
            # The server publishes every team and user as reference data (only its administration path
            # writes them), so they normally arrived with the first pull. If that pull failed, local
            # stand-ins keep the profile usable offline: written without an outbox entry (version 0, never
            # sent), they are replaced by the server's records at the next pull.
            team_id = user.get("team_id")
            stamp = {"created_at": tx.now, "created_by": uid, "updated_at": tx.now, "updated_by": uid}
            if team_id and tx.get("team", team_id) is None:
                _plain_insert(tx, "team", {"id": team_id, "name": team_id[:8], "kind": TeamKind.CHILD_PROTECTION,
                                           **stamp})  # fmt: skip
            if tx.get("practitioner", uid) is None:
                given, family = _split_name(user.get("display_name") or username)
                _plain_insert(tx, "practitioner", {"id": uid, "given_names": given, "family_name": family,
                                                   "app_role": user["role"], "team_id": team_id,
                                                   "employed_by_social_services": 1, **stamp})  # fmt: skip
            else:  # the server's record of this person decides their role and team
                tx.db.execute("UPDATE practitioner SET app_role = ?, team_id = ? WHERE id = ?",
                              [user["role"], team_id, uid])  # fmt: skip

        store.write(ensure_people, actor=uid)  # the profile is usable from here on, connected or not
        report = initial
        if error is None:
            try:
                report = client.sync()
                report.received += initial.received
                report.parked += initial.parked
            except SyncError as exc:
                error = exc
        report.error = error
        session = Session(profile, store, load_user(store))
    except BaseException:
        store.close()
        raise
    return session, report
