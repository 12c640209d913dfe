"""The server's record of audit-chain breaks can be read: administrators list them
(``GET /v1/admin/audit-incidents``, audited), an operator prints them (``diogel-server audit-incidents``),
a user reads only their own device's anchor (``GET /v1/audit-anchor``), and ``diogel check`` compares the
laptop's chain with what the server keeps — which catches a rewrite of the laptop's remembered anchor too.

Real laptop profiles synced with the real server over PostgreSQL; ``diogel check`` talks to a real
uvicorn on 127.0.0.1.

Each test was seen to fail with the code broken: the own-anchor query not filtered by user, the list
route at "user" level, the list's audit row not written, ``server_compare`` returning nothing, the list
ordered oldest first, ``more`` always false, and "could not ask" counted as a failure.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from desktop.sync import anchor
from server.cli import main as server_main
from tests.sync.helpers import add_visit, make_case
from tests.sync.live import LiveServer, free_port
from tests.sync.test_audit_anchor import _db, _resync, check, reforge


@pytest.fixture
def wendy(srv: Any, laptops: Any) -> Iterator[tuple[Any, Path]]:
    """Wendy's laptop with a case and three visits, synced (so anchored), then closed."""
    srv.user("ada", "social_worker", "A", is_admin=True)
    w = laptops("wendy")
    case, _person = make_case(w)
    for text in ("first visit", "second visit", "third visit"):
        add_visit(w, case, text)
    assert w.sync().audit_incident is None
    folder = w.session.profile.folder
    w.store.close()
    yield w, folder


def truncate(folder: Path, count: int) -> None:
    """Delete the last ``count`` audit entries, as someone with the key could."""
    db = _db(folder)
    db.execute("DROP TRIGGER IF EXISTS audit_no_delete")
    db.execute("DELETE FROM audit WHERE seq > (SELECT max(seq) FROM audit) - ?", [count])
    db.conn.close()


def _point_at(folder: Path, url: str) -> None:
    """The profile's remembered server address (a real uvicorn, or a port nobody listens on)."""
    db = _db(folder)
    db.execute("UPDATE sync_state SET value = ? WHERE key = 'server_url'", [url])
    db.conn.close()


def test_an_admin_lists_a_truncation_and_the_read_is_audited(wendy: Any, srv: Any) -> None:
    w, folder = wendy
    truncate(folder, 3)
    assert _resync(w, folder).audit_incident == "truncated"
    kept = srv.sql("SELECT entries, head FROM audit_anchors ORDER BY id DESC LIMIT 2")[::-1]  # before, sent
    ada = srv.login("ada", "ada-laptop")
    r = ada.get("/v1/admin/audit-incidents")
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["next_before"] is None and len(body["incidents"]) == 1
    got = body["incidents"][0]
    assert (got["username"], got["kind"], got["device_id"]) == ("wendy", "truncated", w.store.device_id)
    assert got["display_name"]
    assert got["anchored"] == {"entries": kept[0]["entries"], "head": kept[0]["head"]}
    assert got["sent"] == {"entries": kept[1]["entries"], "head": kept[1]["head"]}
    assert got["sent"]["entries"] < got["anchored"]["entries"]
    audited = srv.sql("SELECT a.detail FROM audit a JOIN users u ON u.id = a.actor"
                      " WHERE a.action = 'audit_incidents.list' AND u.username = 'ada'")
    assert [a["detail"]["shown"] for a in audited] == [1] and audited[0]["detail"]["via"] == "api"


def test_incidents_page_newest_first(wendy: Any, srv: Any) -> None:
    w, folder = wendy
    for _ in range(3):
        truncate(folder, 3)
        assert _resync(w, folder).audit_incident is not None  # a break each time (its kind is not the point)
    ada = srv.login("ada", "ada-laptop")
    first = ada.get("/v1/admin/audit-incidents", limit=2).json()
    assert len(first["incidents"]) == 2 and first["next_before"] == first["incidents"][-1]["id"]
    rest = ada.get("/v1/admin/audit-incidents", limit=2, before=first["next_before"]).json()
    ids = [i["id"] for i in first["incidents"] + rest["incidents"]]
    assert ids == sorted(ids, reverse=True) and len(set(ids)) == 3 and rest["next_before"] is None
    stored = [r["id"] for r in srv.sql("SELECT id FROM audit_anchor_incidents ORDER BY id DESC")]
    assert ids == stored
    wendy_dev = srv.login("wendy", w.store.device_id)
    own = wendy_dev.get("/v1/audit-anchor", device_id=w.store.device_id, limit=2).json()
    assert [i["id"] for i in own["incidents"]] == stored[:2] and own["more"] is True
    assert wendy_dev.get("/v1/audit-anchor", device_id=w.store.device_id, limit=3).json()["more"] is False


def test_a_non_admin_is_refused_the_list(wendy: Any, srv: Any) -> None:
    w, folder = wendy
    truncate(folder, 1)
    _resync(w, folder)
    for name in ("wendy", "mari"):
        r = srv.login(name, f"{name}-dev").get("/v1/admin/audit-incidents")
        assert r.status_code == 403 and r.json()["error"] == "forbidden"
    assert srv.sql("SELECT count(*) AS n FROM audit WHERE action = 'audit_incidents.list'")[0]["n"] == 0


def test_a_user_reads_only_their_own_devices_anchor(wendy: Any, srv: Any) -> None:
    w, folder = wendy
    truncate(folder, 3)
    assert _resync(w, folder).audit_incident == "truncated"
    device = w.store.device_id
    mine = srv.login("wendy", device).get("/v1/audit-anchor", device_id=device)
    assert mine.status_code == 200
    body = mine.json()
    assert body["anchor"]["entries"] == srv.sql("SELECT entries FROM audit_anchors ORDER BY id DESC LIMIT 1")[0][
        "entries"]
    assert [i["kind"] for i in body["incidents"]] == ["truncated"]
    # Gwyn asking for Wendy's device id learns nothing of it: his own history for that id is empty.
    theirs = srv.login("gwyn", "gwyn-dev").get("/v1/audit-anchor", device_id=device)
    assert theirs.status_code == 200 and theirs.json() == {"device_id": device, "anchor": None, "incidents": [],
                                                           "more": False}
    assert srv.login("gwyn", "gwyn-dev").get("/v1/audit-anchor", device_id="no spaces!").status_code == 422


def test_the_operator_command_prints_the_incidents(wendy: Any, srv: Any, capsys: Any) -> None:
    w, folder = wendy
    truncate(folder, 3)
    _resync(w, folder)
    incident = srv.sql("SELECT * FROM audit_anchor_incidents")[0]
    day = srv.clock().date()
    capsys.readouterr()
    assert server_main(["audit-incidents", "--database-url", srv.db_url, "--since", day.isoformat()],
                       clock=srv.clock) == 0
    out = capsys.readouterr().out
    assert "truncated" in out and "wendy" in out and w.store.device_id in out
    assert f"{incident['anchored_entries']} entries, head {incident['anchored_head']}" in out
    assert f"{incident['sent_entries']} entries, head {incident['sent_head']}" in out
    assert "1 incident since" in out
    later = day.replace(year=day.year + 1).isoformat()
    assert server_main(["audit-incidents", "--database-url", srv.db_url, "--since", later], clock=srv.clock) == 0
    assert "0 incidents" in capsys.readouterr().out
    audited = srv.sql("SELECT detail FROM audit WHERE action = 'audit_incidents.list' ORDER BY id")
    assert [(a["detail"]["via"], a["detail"]["shown"]) for a in audited] == [("cli", 1), ("cli", 0)]


@pytest.mark.parametrize("which", ("first", "last"))
def test_check_asks_the_server_and_catches_a_rewrite_of_the_remembered_anchor_too(
        wendy: Any, srv: Any, which: str, capsys: Any, monkeypatch: Any) -> None:
    """Rewrite an anchored entry, recompute the chain and the anchor the laptop remembers: the local
    comparison passes — the server's own copy of the anchor does not, before any further sync."""
    _w, folder = wendy
    live = LiveServer(srv).start()
    try:
        _point_at(folder, live.url)
        code, text = check(folder, capsys, monkeypatch)
        assert code == 0 and "Server: the" in text and "are all here, unchanged" in text, text
        reforge(folder, which, rewrite_anchor=True)
        db = _db(folder)
        local = anchor.compare(db)
        db.conn.close()
        assert all(f.ok for f in local)  # the laptop's own comparison is fooled, by construction
        code, text = check(folder, capsys, monkeypatch)
        assert code == 1 and "has been rewritten since" in text, text
    finally:
        live.stop()


def _check_with_server(srv: Any, folder: Any, capsys: Any, monkeypatch: Any) -> tuple[int, str]:
    """``diogel check`` of the profile in ``folder`` against the real server over HTTP."""
    live = LiveServer(srv).start()
    try:
        _point_at(folder, live.url)
        return check(folder, capsys, monkeypatch)
    finally:
        live.stop()


def test_check_reports_entries_removed_since_the_servers_anchor(wendy: Any, srv: Any, capsys: Any,
                                                                monkeypatch: Any) -> None:
    _w, folder = wendy
    truncate(folder, 2)
    db = _db(folder)  # and make the remembered anchor agree with what is left
    entries, head = anchor.chain_head(db)
    fake = {**anchor.remembered(db), "entries": entries, "head": head}
    db.execute("UPDATE sync_state SET value = ? WHERE key = ?", [json.dumps(fake), anchor.STATE_KEY])
    db.conn.close()
    code, text = _check_with_server(srv, folder, capsys, monkeypatch)
    assert code == 1 and "entries have been removed since" in text and f"only {entries} are here" in text, text


def test_check_reports_an_incident_the_server_recorded(wendy: Any, srv: Any, capsys: Any, monkeypatch: Any) -> None:
    w, folder = wendy
    truncate(folder, 3)
    assert _resync(w, folder).audit_incident == "truncated"
    db = _db(folder)  # forget the incident the laptop was told of: the server still has it
    db.execute("DELETE FROM sync_state WHERE key = ?", [anchor.INCIDENT_KEY])
    db.conn.close()
    code, text = _check_with_server(srv, folder, capsys, monkeypatch)
    assert code == 1 and "had been cut short" in text and "older breaks" not in text, text
    # More breaks than the check is shown: it says older ones exist rather than dropping them silently.
    srv.sql("INSERT INTO audit_anchor_incidents (user_id, device_id, kind, anchored_entries, anchored_head,"
            " sent_entries, sent_head, at) SELECT user_id, device_id, 'unproven', anchored_entries, anchored_head,"
            " sent_entries, sent_head, at FROM audit_anchor_incidents, generate_series(1, 20)")
    code, text = _check_with_server(srv, folder, capsys, monkeypatch)
    assert code == 1 and "older breaks too" in text and text.count("could not show") == 20, text  # the 20 newest; the truncation is older


def test_check_offline_says_it_could_not_ask_and_still_checks_locally(wendy: Any, capsys: Any,
                                                                      monkeypatch: Any) -> None:
    _w, folder = wendy
    _point_at(folder, f"http://127.0.0.1:{free_port()}")
    code, text = check(folder, capsys, monkeypatch)
    assert code == 0 and "could not ask" in text and "are all here, unchanged" in text, text
    truncate(folder, 1)
    code, text = check(folder, capsys, monkeypatch)
    assert code == 1 and "could not ask" in text and "Audit chain truncated" in text, text
    monkeypatch.setenv("DIOGEL_LANG", "cy")  # in the person's language (conftest sets English back)
    code, text = check(folder, capsys, monkeypatch)
    assert code == 1 and "nid oedd modd ei holi" in text and "wedi'i thorri'n fyr" in text, text
