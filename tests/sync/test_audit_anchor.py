"""An audit nobody can quietly rewrite: each sync sends the audit chain's head to the server, which keeps
it; ``diogel check`` compares the local chain with the anchor it got back; the server records any break
at the next sync, even when the laptop's remembered anchor was rewritten too.

What used to pass ``diogel check`` — deleting the last entries, or re-forging an actor and recomputing
every hash after it with the project's own ``entry_hash`` — is tried here on a real laptop profile
synced with the real server over PostgreSQL, at the first, a middle and the last anchored entry.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from desktop.cli import main
from desktop.services.session import Session
from desktop.store.audit import GENESIS, entry_hash
from desktop.store.database import connect
from desktop.store.profile import Profile
from desktop.sync import anchor
from desktop.sync.client import SyncClient
from tests.server.harness import PASSWORD
from tests.sync.helpers import add_visit, make_case

TRUNCATIONS = (1, 3, 10)  # entries deleted from the end
FORGED = ("first", "middle", "last")  # which anchored entry gets a new actor, every hash after it recomputed


def _db(folder: Path) -> Any:
    return connect(folder / "diogel.db", Profile.open(folder).unlock(PASSWORD))


def truncate(folder: Path, count: int) -> None:
    db = _db(folder)
    db.execute("DROP TRIGGER audit_no_delete")
    db.execute("DELETE FROM audit WHERE seq > (SELECT max(seq) FROM audit) - ?", [count])
    db.conn.close()


def reforge(folder: Path, which: str, *, rewrite_anchor: bool) -> None:
    """Give one entry a new actor and recompute the chain after it, as someone with the key and the
    project's source could; optionally also rewrite the anchor the laptop remembers."""
    db = _db(folder)
    db.execute("DROP TRIGGER audit_no_update")
    cursor = db.execute("SELECT seq, at, actor, action, entity, entity_id, case_id, before, after, prev_hash, hash"
                        " FROM audit ORDER BY seq")
    names = [d[0] for d in cursor.description]
    rows = [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]
    anchored = anchor.remembered(db)["entries"]
    seq = {"first": 1, "middle": anchored // 2, "last": anchored}[which]
    prev = GENESIS if seq == 1 else rows[seq - 2]["hash"]
    for row in rows[seq - 1:]:
        if row["seq"] == seq:
            row["actor"] = "someone-else"
        row["prev_hash"], row["hash"] = prev, entry_hash(prev, row)
        db.execute("UPDATE audit SET actor = ?, prev_hash = ?, hash = ? WHERE seq = ?",
                   [row["actor"], row["prev_hash"], row["hash"], row["seq"]])
        prev = row["hash"]
    if rewrite_anchor:
        fake = {**anchor.remembered(db), "head": rows[anchored - 1]["hash"]}
        db.execute("UPDATE sync_state SET value = ? WHERE key = ?", [json.dumps(fake), anchor.STATE_KEY])
    db.conn.close()


def rewrite_anchor_to_the_end(folder: Path) -> None:
    db = _db(folder)
    entries, head = anchor.chain_head(db)
    fake = {**anchor.remembered(db), "entries": entries, "head": head}
    db.execute("UPDATE sync_state SET value = ? WHERE key = ?", [json.dumps(fake), anchor.STATE_KEY])
    db.conn.close()


def check(folder: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> tuple[int, str]:
    monkeypatch.setenv("DIOGEL_PASSWORD", PASSWORD)
    code = main(["check", "--profile", str(folder)])
    out = capsys.readouterr()
    return code, out.out + out.err


@pytest.fixture
def synced(srv: Any, laptops: Any, tmp_path: Path) -> Any:
    """Wendy's laptop with a case and three visits, synced (so anchored), then closed."""
    w = laptops("wendy")
    case, _person = make_case(w)
    for text in ("first visit", "second visit", "third visit"):
        add_visit(w, case, text)
    report = w.sync()
    entries, _head = anchor.chain_head(w.store)
    assert report.anchored == entries and report.audit_incident is None
    folder = w.session.profile.folder
    w.store.close()
    return w, folder


def _resync(w: Any, folder: Path) -> Any:
    session = Session.sign_in(folder, PASSWORD, backup=False)
    try:
        return SyncClient.for_session(session, w.transport).sync()
    finally:
        session.close()


def test_each_sync_anchors_the_chain_and_check_confirms_it(synced: Any, srv: Any, capsys, monkeypatch) -> None:
    w, folder = synced
    kept = srv.sql("SELECT entries, head FROM audit_anchors ORDER BY id DESC LIMIT 1")[0]
    db = _db(folder)
    assert (kept["entries"], kept["head"]) == anchor.chain_head(db) == (
        anchor.remembered(db)["entries"], anchor.remembered(db)["head"])
    db.conn.close()
    code, text = check(folder, capsys, monkeypatch)
    assert code == 0 and "are all here, unchanged" in text
    report = _resync(w, folder)  # the next sync proves continuity: no incident
    assert report.audit_incident is None and srv.count("audit_anchor_incidents") == 0


@pytest.mark.parametrize("count", TRUNCATIONS)
def test_deleting_the_last_entries_fails_the_check(synced: Any, count: int, capsys, monkeypatch) -> None:
    _w, folder = synced
    truncate(folder, count)
    code, text = check(folder, capsys, monkeypatch)
    assert code == 1 and "Audit chain truncated" in text, text


@pytest.mark.parametrize("which", FORGED)
def test_reforging_an_entry_and_recomputing_the_chain_fails_the_check(synced: Any, which: str, capsys,
                                                                       monkeypatch) -> None:
    _w, folder = synced
    reforge(folder, which, rewrite_anchor=False)
    code, text = check(folder, capsys, monkeypatch)
    assert code == 1 and "Audit chain re-forged" in text, text


@pytest.mark.parametrize("which", FORGED)
def test_reforging_the_remembered_anchor_too_is_caught_by_the_server(synced: Any, srv: Any, which: str, capsys,
                                                                     monkeypatch) -> None:
    """Whoever also rewrites the anchor the laptop remembers passes the local check — and the server,
    which kept the real one, records the break at the next sync and the laptop's check says so."""
    w, folder = synced
    reforge(folder, which, rewrite_anchor=True)
    assert check(folder, capsys, monkeypatch)[0] == 0  # locally undetectable, by construction
    report = _resync(w, folder)
    assert report.audit_incident == "reforged"
    incidents = srv.sql("SELECT kind, device_id FROM audit_anchor_incidents")
    assert [i["kind"] for i in incidents] == ["reforged"]
    code, text = check(folder, capsys, monkeypatch)
    assert code == 1 and "changed since it was told" in text


def test_truncating_and_rewriting_the_remembered_anchor_is_caught_by_the_server(synced: Any, srv: Any, capsys,
                                                                                monkeypatch) -> None:
    w, folder = synced
    truncate(folder, 3)
    rewrite_anchor_to_the_end(folder)
    assert check(folder, capsys, monkeypatch)[0] == 0
    report = _resync(w, folder)
    assert report.audit_incident in ("truncated", "reforged")
    assert srv.count("audit_anchor_incidents") == 1


def test_the_anchor_route_refuses_bad_input_and_keeps_users_apart(srv: Any) -> None:
    wendy, gwyn = srv.login("wendy", "dev-w"), srv.login("gwyn", "dev-g")
    good = {"device_id": "dev-w", "entries": 2, "head": "a" * 64, "since": None}
    assert wendy.post("/v1/audit-anchor", good).status_code == 200
    for bad in ({**good, "entries": -1}, {**good, "head": "xyz"}, {**good, "entries": True},
                {**good, "extra": 1}, {**good, "since": {"entries": 1}}):
        r = wendy.post("/v1/audit-anchor", bad)
        assert r.status_code == 422 and r.json()["error"] == "invalid"
    # Gwyn sending for the same device id starts his own history; he cannot break Wendy's.
    assert gwyn.post("/v1/audit-anchor", {**good, "entries": 0}).json()["incident"] is None
    assert srv.count("audit_anchor_incidents") == 0
