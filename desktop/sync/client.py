"""The sync client: push → pull → push, conflicts, verification and repair (Qt-free).

Rules (docs/sync-protocol.md and DESIGN.md "Sync"):

- Push sends the outbox in batches, oldest first. An entry leaves the outbox only when the server
  acknowledges it (``applied``, ``duplicate`` or ``conflict``), in one local transaction per batch. A
  refused entry stays, in state ``attention`` with the server's reason. A batch the server cannot parse
  is split until the one bad entry is found, so one bad entry never blocks the rest.
- Pull asks for pages after the saved cursor; each page and its cursor are saved in one transaction.
  Downloaded data never overwrites a field with an unsent local change.
- A case that leaves scope is purged only when its unsent changes are in.
- After a pull the local copy is checked per scope against the server; a mismatched scope is fetched
  again after a local backup. The outbox is never touched by that repair.
- Any failure leaves everything already committed in place; the next sync carries on.

Thread contract: every public method does network I/O and waits on the store's writer thread, so call
them from a worker thread (never the GUI thread). One sync runs at a time per store (others raise
:class:`SyncBusy`). ``progress(stage, done, total)`` is called on the worker thread; ``cancel`` is a
:class:`Cancel` (a ``threading.Event`` will do) checked between batches and pages.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, Protocol

from desktop.errors import DiogelError
from desktop.i18n import N_
from desktop.store.tx import Tx
from desktop.sync import anchor, local
from desktop.sync import conflicts as conflict_store
from desktop.sync.errors import AuthRequired, ServerRefused, SyncCancelled, SyncError
from desktop.sync.transport import Transport
from desktop.sync.verify import Comparison, compare


class Cancel(Protocol):
    """Asked between batches and pages whether to stop (a ``threading.Event`` is one)."""

    def is_set(self) -> bool: ...

Progress = Callable[[str, int, int], None]
STAGES = ("push", "pull", "verify", "repair")

_locks: dict[int, threading.RLock] = {}
_locks_guard = threading.Lock()


class SyncBusy(SyncError):
    """Another sync of this profile is running."""


@dataclass
class SyncReport:
    sent: int = 0
    acknowledged: int = 0
    refused: int = 0
    conflicts: int = 0
    received: int = 0
    kept_local: int = 0
    parked: int = 0
    purged: list[tuple[str, str]] = field(default_factory=list)
    verified: bool = False
    repaired: list[str] = field(default_factory=list)
    backup: Path | None = None
    error: DiogelError | None = None  # set only by a first sync at profile creation that did not finish
    anchored: int | None = None  # audit entries the server now holds the head of
    audit_incident: str | None = None  # "truncated" / "reforged" / "unproven": the server found a break


class SyncClient:
    """Sync one profile's store with one server through ``transport``."""

    def __init__(
        self,
        store: Any,
        transport: Transport,
        *,
        actor: str,
        backups_dir: Path | None = None,
        batch_size: int = 250,
        page_size: int = 500,
    ) -> None:
        self.store = store
        self.transport = transport
        self.actor = actor
        self.backups_dir = backups_dir or Path(store.path).parent / "backups"
        self.batch_size = batch_size
        self.page_size = page_size
        if transport.token is None:
            transport.token = local.get_state(store, "token")

    @classmethod
    def for_session(cls, session: Any, transport: Transport, **kwargs: Any) -> SyncClient:
        return cls(session.store, transport, actor=session.user.id, backups_dir=session.profile.backups_dir, **kwargs)

    # -- helpers ------------------------------------------------------------------------------------
    def _write(self, fn: Callable[[Tx], Any]) -> Any:
        return self.store.write(fn, actor=self.actor)

    def _lock(self) -> threading.RLock:
        """One per store: :meth:`sync` refuses to start while it is held; the single steps wait for it
        (re-entrant, so ``sync`` can call them), so two pulls never race over one cursor."""
        with _locks_guard:
            return _locks.setdefault(id(self.store), threading.RLock())

    @staticmethod
    def _check(cancel: Cancel | None) -> None:
        if cancel is not None and cancel.is_set():
            raise SyncCancelled(N_("Sync was cancelled. Everything sent or received so far is kept."))

    def server_user_id(self) -> str:
        uid = local.get_state(self.store, "server_user_id")
        if not uid:
            raise AuthRequired(N_("Sign in to the server to sync."))
        return uid

    @contextmanager
    def _recording_failure(self) -> Iterator[None]:
        """Keep the reason a sync or sign-in failed for the status line (``last_error``), then re-raise."""
        try:
            yield
        except DiogelError as exc:
            err = json.dumps({"msgid": exc.msgid, "params": {k: str(v) for k, v in exc.params.items()}})
            try:
                self._write(lambda tx: local.set_state(tx, last_error=err))
            except Exception:  # noqa: BLE001 - recording the error must not hide it
                pass
            raise

    # -- sign in ------------------------------------------------------------------------------------
    def sign_in(self, username: str, password: str) -> dict[str, Any]:
        """Sign in to the server and keep the token (in the encrypted store) for later syncs. A failure
        (unreachable, wrong password) is recorded for the status line and raised."""
        with self._recording_failure():
            body = self.transport.login(username, password, self.store.device_id)
        user = body["user"]

        def save(tx: Tx) -> None:
            local.set_state(tx, server_url=self.transport.base_url, username=username, server_user_id=user["id"],
                            token=body["token"], token_expires=body.get("expires_at"), last_error=None)  # fmt: skip
            tx.record("sync.sign_in", after={"server": self.transport.base_url, "username": username})

        self._write(save)
        return body

    # -- the whole sync -----------------------------------------------------------------------------
    def sync(self, progress: Progress | None = None, cancel: Cancel | None = None) -> SyncReport:
        """Push, pull, push (and pull again if that sent anything), mirror conflicts, verify/repair.

        Raises :class:`SyncError` subclasses; the failure is recorded for the status line and whatever
        was committed before it stays.
        """
        lock = self._lock()
        if not lock.acquire(blocking=False):
            raise SyncBusy(N_("A sync is already running."))
        report = SyncReport()
        try:
            with self._recording_failure():
                self._write(lambda tx: local.set_state(tx, last_attempt=tx.now))
                self._push_locked(report, progress, cancel)
                self._pull_locked(report, progress, cancel)
                before = report.acknowledged
                self._push_locked(report, progress, cancel)
                if report.acknowledged != before:
                    self._pull_locked(report, progress, cancel)
                self.refresh_conflicts()
                self._verify_and_repair_locked(report, progress, cancel)
                def done(tx: Tx) -> None:
                    local.set_state(tx, last_success=tx.now, last_error=None)
                    tx.record("sync.done", after=_report_json(report))

                self._write(done)
                self._anchor(report)
                return report
        finally:
            lock.release()

    def _anchor(self, report: SyncReport) -> None:
        """Send the audit chain's head, keep the anchor the server gives back (and any break it found).
        A server without the route, or a dropped connection, leaves the anchor as it was: the next sync
        sends it (the sync itself has succeeded)."""
        body = anchor.request_body(self.store, self.store.device_id)
        try:
            answer = self.transport.audit_anchor(body)
        except SyncError:
            return
        kept, incident = answer.get("anchor"), answer.get("incident")
        kind = incident.get("kind") if isinstance(incident, dict) else None
        self._write(lambda tx: local.set_state(tx, **{anchor.STATE_KEY: json.dumps(kept),
                                                       anchor.INCIDENT_KEY: kind}))
        report.anchored = body["entries"]
        report.audit_incident = kind

    # -- the steps on their own (each waits for a running sync to finish) -----------------------------
    def push(self, report: SyncReport | None = None, progress: Progress | None = None,
             cancel: Cancel | None = None) -> SyncReport:  # fmt: skip
        """Send every pending outbox entry; see the module docstring for what leaves the outbox."""
        with self._lock():
            return self._push_locked(report, progress, cancel)

    def pull(self, report: SyncReport | None = None, progress: Progress | None = None,
             cancel: Cancel | None = None) -> SyncReport:  # fmt: skip
        """Pull pages after the saved cursor until the server has no more."""
        with self._lock():
            return self._pull_locked(report, progress, cancel)

    def verify_and_repair(self, report: SyncReport | None = None, progress: Progress | None = None,
                          cancel: Cancel | None = None) -> SyncReport:  # fmt: skip
        """Compare per scope; a mismatch that survives a catch-up pull is repaired by fetching again."""
        with self._lock():
            return self._verify_and_repair_locked(report, progress, cancel)

    def refetch(self, scopes: set[str], report: SyncReport | None = None, progress: Progress | None = None,
                cancel: Cancel | None = None) -> SyncReport:  # fmt: skip
        """Fetch the whole scope again (after a backup); see :meth:`_refetch_locked`."""
        with self._lock():
            return self._refetch_locked(scopes, report, progress, cancel)

    # -- push ---------------------------------------------------------------------------------------
    def _wire(self, op: dict[str, Any], actor: str) -> dict[str, Any]:
        fields = json.loads(op["fields"])
        if op["kind"] in ("insert", "update"):
            # Who recorded it and when (the device's clock, for display only): the server keeps these
            # display stamps in receipt order, never as a conflict, so other laptops can show the author.
            fields.setdefault("updated_at", op["local_time"])
            fields.setdefault("updated_by", op["actor"])
        return {
            "op_id": op["op_id"],
            "entity": op["entity"],
            "entity_id": op["entity_id"],
            "case_id": op["case_id"],
            "kind": op["kind"],
            "fields": fields,
            "base": json.loads(op["base"]),
            "base_version": int(op["base_version"]),
            "append_only": bool(op["append_only"]),
            # One profile is one person: ops are sent as the signed-in server user.
            "actor": actor,
            "device_id": op["device_id"],
            "local_time": op["local_time"],
        }

    def _send(self, ops: list[dict[str, Any]], actor: str) -> dict[str, dict[str, Any]]:
        """Results by op_id. A batch the server refuses as a whole (400/413/422) is halved until the
        refusing entry is alone; that entry is reported refused with the server's message."""
        try:
            results = self.transport.push([self._wire(o, actor) for o in ops])
        except ServerRefused as exc:
            # 409: an entry's change id belongs to someone else (a copied profile?): it is set aside like
            # an invalid one, never answered with another person's result.
            if exc.status not in (400, 409, 413, 422):
                raise
            if len(ops) == 1:
                msg = exc.params.get("message", "")
                return {ops[0]["op_id"]: {"status": "rejected", "reason": exc.code or "invalid", "message": msg}}
            mid = len(ops) // 2
            return {**self._send(ops[:mid], actor), **self._send(ops[mid:], actor)}
        return {r["op_id"]: r for r in results}

    def _push_locked(self, report: SyncReport | None = None, progress: Progress | None = None,
             cancel: Cancel | None = None) -> SyncReport:  # fmt: skip
        """Send every pending outbox entry; see the module docstring for what leaves the outbox."""
        report = report or SyncReport()
        actor = self.server_user_id()
        total = self.store.rows("SELECT count(*) AS n FROM outbox WHERE state = 'pending'")[0]["n"]
        done, last = 0, 0
        while True:
            self._check(cancel)
            ops = self.store.rows(
                "SELECT * FROM outbox WHERE state = 'pending' AND seq > ? ORDER BY seq LIMIT ?", [last, self.batch_size]
            )
            if not ops:
                break
            results = self._send(ops, actor)
            counts = self._write(partial(self._ack, ops=ops, results=results))
            report.sent += len(ops)
            report.acknowledged += counts["acknowledged"]
            report.refused += counts["refused"]
            report.conflicts += counts["conflicts"]
            report.purged += counts["purged"]
            last = ops[-1]["seq"]
            done += len(ops)
            if progress:
                progress("push", done, max(total, done))
        return report

    def _ack(self, tx: Tx, ops: list[dict[str, Any]], results: dict[str, dict[str, Any]]) -> dict[str, Any]:
        counts: dict[str, Any] = {"acknowledged": 0, "refused": 0, "conflicts": 0}
        for op in ops:
            res = results.get(op["op_id"])
            if res is None:
                continue  # no answer for it: it stays and is sent again
            status = res.get("status")
            if status == "duplicate":
                status = (res.get("original") or {}).get("status", "applied")
            if status in ("applied", "conflict", "duplicate"):
                tx.db.execute("DELETE FROM outbox WHERE op_id = ?", [op["op_id"]])
                counts["acknowledged"] += 1
                counts["conflicts"] += status == "conflict"
            elif status == "rejected":
                error = json.dumps({"reason": res.get("reason"), "message": res.get("message")}, ensure_ascii=False)
                tx.db.execute(
                    "UPDATE outbox SET state = 'attention', attempts = attempts + 1, last_error = ? WHERE op_id = ?",
                    [error, op["op_id"]],
                )
                counts["refused"] += 1
        counts["purged"] = local.run_purges(tx)
        tx.record("sync.push", after={k: v for k, v in counts.items() if k != "purged"})
        return counts

    def retry_attention(self) -> int:
        """Put every entry needing attention back in the queue (after the cause was fixed on the server)."""
        return retry_refused(self.store, self.actor)

    # -- pull ---------------------------------------------------------------------------------------
    def _apply_page(self, tx: Tx, page: dict[str, Any], cursor_key: str, force: bool,
                    seen: set[tuple[str, str]] | None) -> dict[str, int]:  # fmt: skip
        now = tx.now
        counts = {"received": 0, "kept_local": 0, "parked": 0}
        for ch in page["changes"]:
            outcome = local.apply_change(tx, ch, now, force=force)
            counts["received"] += 1
            counts["kept_local"] += outcome == "kept"
            counts["parked"] += outcome == "parked"
            unit = local.scope_of(ch["entity"], ch["id"], ch.get("case_id"), ch.get("data") or {})
            if unit:  # back in scope: a purge still waiting for it is cancelled
                tx.db.execute("DELETE FROM sync_purge WHERE unit_id = ?", [unit])
            if seen is not None:
                seen.add((ch["entity"], ch["id"]))
        for rm in page.get("removals", []):
            if rm.get("type") == "remove_case":
                local.request_purge(tx, "case", rm["case_id"], now)
            elif rm.get("type") == "remove_person":
                local.request_purge(tx, "person", rm["person_id"], now)
        if page["changes"]:
            local.retry_parked(tx, now)
        local.run_purges(tx)
        local.set_state(tx, **{cursor_key: page["cursor"], f"{cursor_key}_seq": str(page.get("seq", ""))})
        if page["changes"] or page.get("removals"):
            tx.record("sync.pull", after={"rows": len(page["changes"]), "removals": len(page.get("removals", []))})
        return counts

    def _pull_locked(self, report: SyncReport | None = None, progress: Progress | None = None,
             cancel: Cancel | None = None) -> SyncReport:  # fmt: skip
        """Pull pages after the saved cursor until the server has no more."""
        report = report or SyncReport()
        self._pull_all("cursor", local.get_state(self.store, "cursor"), report, progress, cancel, False, None)
        return report

    def _pull_all(self, key: str, cursor: str | None, report: SyncReport, progress: Progress | None,
                  cancel: Cancel | None, force: bool, seen: set[tuple[str, str]] | None) -> str | None:  # fmt: skip
        pages = 0
        while True:
            self._check(cancel)
            try:
                page = self.transport.pull(cursor, self.page_size)
            except ServerRefused as exc:
                if exc.code != "invalid_cursor" or cursor is None:
                    raise
                # A cursor this server did not issue (an older server's, or a server whose key changed):
                # start again from the beginning; rows already held are simply confirmed.
                cursor = None
                continue
            counts = self._write(partial(self._apply_page, page=page, cursor_key=key, force=force, seen=seen))
            report.received += counts["received"]
            report.kept_local += counts["kept_local"]
            report.parked += counts["parked"]
            cursor = page["cursor"]
            pages += 1
            if progress:
                progress("pull" if key == "cursor" else "repair", pages, pages + (1 if page["has_more"] else 0))
            if not page["has_more"]:
                return cursor

    # -- conflicts ----------------------------------------------------------------------------------
    def refresh_conflicts(self) -> int:
        """Mirror the server's open conflicts in this person's scope; returns how many are new here."""
        body = self.transport.conflicts("open")
        return self._write(lambda tx: conflict_store.mirror(tx, body.get("conflicts", [])))

    def resolve(self, conflict_id: str, choice: str, value: Any = None, note: str | None = None) -> dict[str, Any]:
        """A person's decision on a conflict: ``server`` keeps the server's value, ``client`` the other
        one, ``value`` a newly entered value. Sent to the server (audited there), audited here, then a
        pull brings the decided value."""
        c = conflict_store.get_conflict(self.store, conflict_id)
        if c is None:
            raise SyncError(N_("That conflict is not on this laptop."))
        conflict_store.check_choice(c, choice)
        try:
            answer = self.transport.resolve(conflict_id, choice, value, note)
        except ServerRefused as exc:
            if exc.code != "already_resolved":
                raise
            answer = {"choice": None, "note": N_("already resolved by someone else")}
        self._write(lambda tx: conflict_store.record_resolution(tx, conflict_id, answer))
        self.pull()
        return answer

    # -- verification and repair --------------------------------------------------------------------
    def verify(self) -> Comparison:
        return compare(self.transport.verify(), self.store)

    def _verify_and_repair_locked(self, report: SyncReport | None = None, progress: Progress | None = None,
                          cancel: Cancel | None = None) -> SyncReport:  # fmt: skip
        """Compare per scope; a mismatch that survives a catch-up pull is repaired by fetching again."""
        report = report or SyncReport()
        comp = self.verify()
        if not comp.ok:
            self._pull_locked(report, progress, cancel)  # maybe only a change committed since our last page
            comp = self.verify()
        if comp.stray:

            def purge_stray(tx: Tx) -> list[tuple[str, str]]:
                for kind, unit in comp.stray:
                    local.request_purge(tx, kind, unit, tx.now)
                return local.run_purges(tx)

            report.purged += self._write(purge_stray)
        if progress:
            progress("verify", 1, 1)
        if comp.ok:
            report.verified = True
            return report
        self._refetch_locked(comp.mismatched, report, progress, cancel)
        report.verified = self.verify().ok
        return report

    def _refetch_locked(self, scopes: set[str], report: SyncReport | None = None, progress: Progress | None = None,
                cancel: Cancel | None = None) -> SyncReport:  # fmt: skip
        """Fetch the whole scope again from the start, after a local backup; rows of ``scopes`` the server
        no longer has are removed here unless they carry unsent changes. The outbox is not touched."""
        report = report or SyncReport()
        stamp = self.store.clock().strftime("%Y%m%dT%H%M%S%f")
        report.backup = self.store.backup(self.backups_dir / f"before-refetch-{stamp}.db")
        seen: set[tuple[str, str]] = set()
        self._write(lambda tx: local.set_state(tx, refetch_cursor=None))
        cursor = self._pull_all("refetch_cursor", None, report, progress, cancel, True, seen)

        def finish(tx: Tx) -> int:
            stale = []
            for table, cols in local.synced_tables(tx).items():
                person = "person_id" if "person_id" in cols else "NULL"
                for r in tx.query(f"SELECT id, case_id, {person} AS person_id FROM [{table}] WHERE version > 0"):
                    unit = local.scope_of(table, r["id"], r["case_id"], {"person_id": r["person_id"]}) or ""
                    if unit in scopes and (table, r["id"]) not in seen and local.unsent_fields(tx, table, r["id"]) is None:
                        stale.append((table, r["id"]))
            removed = local.delete_rows(tx, stale)
            for p in tx.query("SELECT entity, id, scope_id FROM sync_parked"):
                if (p["scope_id"] or "") in scopes and (p["entity"], p["id"]) not in seen:
                    tx.db.execute("DELETE FROM sync_parked WHERE entity = ? AND id = ?", [p["entity"], p["id"]])
            seq = local.get_state(tx, "refetch_cursor_seq")
            local.set_state(tx, cursor=cursor, cursor_seq=seq, refetch_cursor=None, refetch_cursor_seq=None)
            tx.record("sync.refetch", after={"scopes": sorted(scopes), "removed": removed,
                                             "backup": report.backup.name if report.backup else None})  # fmt: skip
            return removed

        self._write(finish)
        report.repaired = sorted(scopes)
        return report


def retry_refused(store: Any, actor: str) -> int:
    """Put every outbox entry the server refused back in the queue (no network; audited). Thread
    contract: waits on the store's writer thread."""

    def retry(tx: Tx) -> int:
        n = tx.db.execute("UPDATE outbox SET state = 'pending' WHERE state = 'attention'").rowcount
        tx.record("sync.retry_refused", after={"entries": n})
        return n

    return store.write(retry, actor=actor)


def _report_json(r: SyncReport) -> dict[str, Any]:
    return {"sent": r.sent, "acknowledged": r.acknowledged, "refused": r.refused, "conflicts": r.conflicts,
            "received": r.received, "verified": r.verified, "repaired": len(r.repaired)}  # fmt: skip
