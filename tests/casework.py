"""Shared scaffolding of the casework test worlds (adults, child protection, children): a movable
clock, the world the tests drive, practitioners written straight into the store, and a session for
each of them on the same encrypted profile."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

from desktop.services.session import Session, User
from desktop.store.crypto import KdfParams

PASSWORD = "correct horse battery staple 42"
FAST_KDF = KdfParams.fresh(time_cost=1, memory_cost=8192, parallelism=1)


class Clock:
    """The store's clock: noon on ``day`` (tests move ``day``)."""

    def __init__(self, day: date) -> None:
        self.day = day

    def __call__(self) -> datetime:
        return datetime.combine(self.day, time(12, 0), tzinfo=UTC)


@dataclass
class World:
    folder: Path
    clock: Clock
    sw: Session
    users: dict[str, Session] = field(default_factory=dict)
    ids: dict[str, str] = field(default_factory=dict)

    def as_(self, name: str) -> Session:
        return self.users[name]

    def on(self, iso: str) -> None:
        self.clock.day = date.fromisoformat(iso)

    def count(self, table: str) -> int:
        return self.sw.store.rows(f"SELECT count(*) AS n FROM {table}")[0]["n"]


def add_practitioner(tx: Any, given: str, family: str, role: str | None, team_id: str | None, agency_id: str,
                     scw: str | None = "SCW-10001", employed: int = 1, phone: str | None = "01267 000000",
                     title: str | None = None) -> str:
    return tx.insert("practitioner", {
        "given_names": given, "family_name": family, "app_role": role, "team_id": team_id, "job_title": title,
        "agency_id": agency_id, "scw_number": scw, "employed_by_social_services": employed,
        "phone": phone})["id"]


def sessions_for(sw: Session, ids: dict[str, str], keys: tuple[str, ...]) -> dict[str, Session]:
    """``sw`` plus a session on the same profile for each practitioner named by ``keys``."""
    users = {"sw": sw}
    for key in keys:
        r = sw.store.rows("SELECT * FROM practitioner WHERE id = ?", [ids[key]])[0]
        users[key] = Session(sw.profile, sw.store, User(r["id"], r["given_names"], r["family_name"], r["app_role"],
                                                        r["team_id"], r["scw_number"]))
    return users
