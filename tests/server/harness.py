"""Test harness: the app over a real database, admin helpers and scripted "devices".

A ``Device`` is a client reduced to what the protocol needs: an outbox of ops, a local copy of rows
(version + data) filled by pulls, and a cursor saved only with the page it came from.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

import psycopg
from fastapi.testclient import TestClient
from psycopg.rows import dict_row

from server import admin
from server.app import create_app
from server.config import Settings
from server.db import make_pool

PASSWORD = "correct horse battery"


class Clock:
    """A settable clock for the server (token expiry, cover dates)."""

    def __init__(self) -> None:
        self.t = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.t

    def advance(self, **kw: float) -> None:
        self.t += timedelta(**kw)


class Harness:
    def __init__(self, db_url: str, clock: Clock, **settings: Any) -> None:
        self.db_url = db_url
        self.clock = clock
        self.settings = Settings(database_url=db_url, clock=clock, **settings)
        self.pool = make_pool(db_url, 1, 8)
        self.app = create_app(self.settings, self.pool)
        self.http = TestClient(self.app)
        self.http.__enter__()

    def close(self) -> None:
        self.http.__exit__(None, None, None)
        self.pool.close()

    # -- admin -------------------------------------------------------------------------------------
    def sql(self, query: str, params: Any = None) -> list[dict[str, Any]]:
        with psycopg.connect(self.db_url, row_factory=dict_row) as conn:
            cur = conn.execute(query, params)
            return cur.fetchall() if cur.description else []

    def team(self, name: str) -> str:
        with psycopg.connect(self.db_url, row_factory=dict_row) as conn:
            admin.create_team(conn, name, self.clock())
        return name

    def user(self, username: str, role: str, team: str | None, *, is_admin: bool = False) -> uuid.UUID:
        with psycopg.connect(self.db_url, row_factory=dict_row) as conn:
            return admin.create_user(conn, username, PASSWORD, role, team, now=self.clock(), is_admin=is_admin)

    def allocate(
        self, case_id: uuid.UUID, team: str | None = None, worker: str | None = None, **kw: Any
    ) -> None:
        with psycopg.connect(self.db_url, row_factory=dict_row) as conn:
            admin.allocate(conn, case_id, team, worker, now=self.clock(), **kw)

    def cover(self, cover_user: str, covered: str, start: date, end: date) -> None:
        with psycopg.connect(self.db_url, row_factory=dict_row) as conn:
            admin.add_cover(conn, cover_user, covered, start, end, now=self.clock())

    def admin(self, fn: Any, *args: Any, **kw: Any) -> Any:
        """Run an administration function (``server.admin``) in its own transaction at the clock's time."""
        with psycopg.connect(self.db_url, row_factory=dict_row) as conn:
            return fn(conn, *args, now=self.clock(), **kw)

    def login(self, username: str, device_id: str | None = None) -> Device:
        r = self.http.post(
            "/v1/login", json={"username": username, "password": PASSWORD, "device_id": device_id}
        )
        assert r.status_code == 200, r.text
        body = r.json()
        return Device(self, body["token"], body["user"]["id"], device_id or f"dev-{username}")

    def count(self, table: str) -> int:
        return self.sql(f"SELECT count(*) AS n FROM {table}")[0]["n"]

    def count_case_rows(self) -> int:
        """Rows that belong to a case or person (not the reference rows the administration path publishes)."""
        return self.sql("SELECT count(*) AS n FROM rows WHERE scope_id IS NOT NULL")[0]["n"]


class Device:
    def __init__(self, h: Harness, token: str, user_id: str, device_id: str) -> None:
        self.h = h
        self.token = token
        self.user_id = user_id
        self.device_id = device_id
        self.outbox: list[dict[str, Any]] = []
        self.rows: dict[tuple[str, str], dict[str, Any]] = {}
        self.cursor: str | None = None
        self.removed: list[dict[str, str]] = []
        self.attention: list[dict[str, Any]] = []
        self.deferred: dict[tuple[str, str], dict[str, Any]] = {}

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    # -- local writes --------------------------------------------------------------------------------
    def _op(self, kind: str, entity: str, entity_id: str, case_id: str | None, fields: dict, base: dict,
            append_only: bool = False) -> dict[str, Any]:  # fmt: skip
        local = self.rows.get((entity, entity_id))
        op = {
            "op_id": str(uuid.uuid4()),
            "entity": entity,
            "entity_id": entity_id,
            "case_id": case_id,
            "kind": kind,
            "fields": fields,
            "base": base,
            "base_version": local["version"] if local else 0,
            "append_only": append_only,
            "actor": self.user_id,
            "device_id": self.device_id,
            "local_time": "2026-11-23T10:00:00",
        }
        self.outbox.append(op)
        return op

    def insert(self, entity: str, case_id: str | None, fields: dict, append_only: bool = False,
               entity_id: str | None = None) -> str:  # fmt: skip
        eid = entity_id or str(uuid.uuid4())
        self._op("insert", entity, eid, case_id, fields, {}, append_only)
        self.rows[(entity, eid)] = {"version": 0, "data": dict(fields), "deleted": False, "case_id": case_id}
        return eid

    # -- real laptop records (the server checks every row against the laptop's schema) ----------------
    def note(self, case_id: str, content: Any = "") -> str:
        """An append-only record with free text: a core group's notes."""
        text = content if isinstance(content, str) else json.dumps(content, sort_keys=True)
        return self.insert("cp_core_group", case_id, {"held_on": "2026-11-20", "notes": text}, append_only=True)

    def visit(self, case_id: str, observations: str = "seen") -> str:
        return self.insert("cp_visit", case_id, {"visited_on": "2026-11-20", "visitor_id": self.user_id,
                                                 "location": "home", "observations": observations},
                           append_only=True)  # fmt: skip

    def record(self, case_id: str, entity_id: str | None = None, **fields: Any) -> str:
        """A mutable record of the case with free-text fields (a child protection plan):
        ``outline``, ``support``, ``contingency``, ``status``."""
        return self.insert("cp_plan", case_id, {"stage": "detailed", "version_no": 1, **fields}, entity_id=entity_id)

    def person(self, family_name: str = "Jones", **fields: Any) -> str:
        return self.insert("person", None, {"family_name": family_name, **fields})

    def member(self, case_id: str, person_id: str, role: str = "subject") -> str:
        return self.insert("case_member", case_id, {"person_id": person_id, "role": role})

    def update(self, entity: str, entity_id: str, changes: dict) -> dict[str, Any]:
        local = self.rows[(entity, entity_id)]
        base = {k: local["data"].get(k) for k in changes}
        op = self._op("update", entity, entity_id, local["case_id"], changes, base)
        local["data"].update(changes)
        return op

    def delete(self, entity: str, entity_id: str) -> dict[str, Any]:
        local = self.rows[(entity, entity_id)]
        op = self._op("delete", entity, entity_id, local["case_id"], {}, {})
        local["deleted"] = True
        return op

    # -- sync ----------------------------------------------------------------------------------------
    def push_raw(self, ops: list[dict[str, Any]]) -> Any:
        return self.h.http.post("/v1/push", json={"ops": ops}, headers=self.auth)

    def push(self) -> list[dict[str, Any]]:
        if not self.outbox:
            return []
        r = self.push_raw(self.outbox)
        assert r.status_code == 200, r.text
        results = r.json()["results"]
        keep = []
        for op, res in zip(self.outbox, results, strict=True):
            assert res["op_id"] == op["op_id"]
            if res["status"] == "rejected":
                keep.append(op)  # never dropped: stays in the outbox and on the "needs attention" list
                self.attention.append(res)
        self.outbox = keep
        pending = {(o["entity"], o["entity_id"]) for o in self.outbox}
        for key in [k for k in self.deferred if k not in pending]:
            self._take(self.deferred.pop(key))
        return results

    def _take(self, ch: dict[str, Any]) -> None:
        key = (ch["entity"], ch["id"])
        if key in self.rows and self.rows[key]["version"] > ch["version"]:
            return
        self.rows[key] = {"version": ch["version"], "data": ch["data"], "deleted": ch["deleted"],
                          "case_id": ch["case_id"]}  # fmt: skip

    def pull(self, limit: int = 1000) -> int:
        """Pull to the end; returns the number of changes received."""
        n = 0
        while True:
            params = {"limit": limit}
            if self.cursor:
                params["cursor"] = self.cursor
            r = self.h.http.get("/v1/pull", params=params, headers=self.auth)
            assert r.status_code == 200, r.text
            page = r.json()
            pending = {(o["entity"], o["entity_id"]) for o in self.outbox}
            for ch in page["changes"]:
                key = (ch["entity"], ch["id"])
                if key in pending:
                    # Never overwrite a row with unsent local changes; the server's copy is taken once they
                    # are acknowledged (a conflict leaves the server's value in force).
                    self.deferred[key] = ch
                    continue
                self._take(ch)
            for rm in page["removals"]:
                self.removed.append(rm)
                if rm["type"] == "remove_case":
                    gone = [k for k, v in self.rows.items() if v["case_id"] == rm["case_id"]]
                else:  # remove_person: the person and the case-less rows that carry their person_id
                    pid = rm["person_id"]
                    gone = [k for k, v in self.rows.items()
                            if k == ("person", pid) or (v["case_id"] is None and v["data"].get("person_id") == pid)]  # fmt: skip
                for key in gone:
                    del self.rows[key]
            n += len(page["changes"])
            self.cursor = page["cursor"]
            if not page["has_more"]:
                return n

    def sync(self) -> list[dict[str, Any]]:
        res = self.push()
        self.pull()
        return res

    def get(self, path: str, **params: Any) -> Any:
        return self.h.http.get(path, params=params, headers=self.auth)

    def post(self, path: str, body: Any) -> Any:
        return self.h.http.post(path, json=body, headers=self.auth)


def new_id() -> str:
    return str(uuid.uuid4())
