"""Against a real uvicorn on 127.0.0.1: TLS verification with and without a CA bundle, the CLI, the
server restarted mid-sync, and pushes committing while a pull pages."""

from __future__ import annotations

import random
import threading
import time
import uuid

import pytest

from desktop.cli import main as cli_main
from desktop.services.session import Session
from desktop.sync.client import SyncClient
from desktop.sync.enroll import create_profile_from_server
from desktop.sync.errors import SyncError, TlsRefused, Unreachable
from desktop.sync.transport import Transport
from server.apply import PushHooks
from tests.conftest import fast_kdf
from tests.server.harness import PASSWORD
from tests.sync.helpers import add_visit, make_case, visits
from tests.sync.live import LiveServer, make_ca_and_cert


@pytest.fixture
def tls(srv, tmp_path):
    ca, cert, key = make_ca_and_cert(tmp_path)
    live = LiveServer(srv, certfile=cert, keyfile=key).start()
    yield live, ca
    live.stop()


def test_self_signed_server_is_refused_by_default_and_accepted_with_the_ca_bundle(tls, tmp_path) -> None:
    live, ca = tls
    plain = Transport(live.url)
    with pytest.raises(TlsRefused):
        plain.health()
    with pytest.raises(TlsRefused):
        create_profile_from_server(tmp_path / "nope", plain, "wendy", PASSWORD, kdf=fast_kdf())
    assert not (tmp_path / "nope" / "profile.json").exists()  # nothing made without a trusted server
    plain.close()
    trusted = Transport(live.url, ca_bundle=ca)
    assert trusted.health()["status"] == "ok"
    session, report = create_profile_from_server(tmp_path / "wendy", trusted, "wendy", PASSWORD, kdf=fast_kdf())
    assert report.verified and session.user.role == "social_worker"
    session.store.close()
    trusted.close()


def test_cli_creates_a_profile_by_signing_in_then_syncs(tls, tmp_path, monkeypatch, capsys) -> None:
    live, ca = tls
    monkeypatch.setenv("DIOGEL_PASSWORD", PASSWORD)
    folder = tmp_path / "cli-wendy"
    # Without the CA bundle: refused, and nothing is created.
    assert cli_main(["sync", "--profile", str(folder), "--server", live.url, "--user", "wendy"]) == 2
    assert "not trusted" in capsys.readouterr().err
    assert cli_main(["sync", "--profile", str(folder), "--server", live.url, "--user", "wendy",
                     "--ca-bundle", str(ca)]) == 0  # fmt: skip
    out = capsys.readouterr().out
    assert "Profile created" in out and "Every change has been sent" in out
    # Work recorded in the app, then a headless sync that needs only --profile (server and CA remembered).
    session = Session.sign_in(folder, PASSWORD)
    case, _ = make_case(_Lap(session))
    session.close()
    assert cli_main(["sync", "--profile", str(folder), "--status"]) == 0
    assert "3 changes not yet sent" in capsys.readouterr().out
    live.h.clock.advance(hours=13)  # the saved server token has expired: the CLI signs in again by itself
    assert cli_main(["sync", "--profile", str(folder)]) == 0
    assert "Every change has been sent" in capsys.readouterr().out
    assert live.h.sql("SELECT count(*) AS n FROM rows WHERE case_id = %s", (uuid.UUID(case),))[0]["n"] == 2


class _Lap:
    def __init__(self, session: Session) -> None:
        self.session = session

    @property
    def uid(self) -> str:
        return self.session.user.id

    def write(self, fn):
        return self.session.write(fn)


def test_server_restarted_mid_sync(srv, tmp_path) -> None:
    live = LiveServer(srv).start()
    transport = Transport(live.url)
    session, _ = create_profile_from_server(tmp_path / "w", transport, "wendy", PASSWORD, kdf=fast_kdf())
    lap = _Lap(session)
    client = SyncClient.for_session(session, transport, batch_size=4, page_size=3)
    case, _ = make_case(lap)
    made = {add_visit(lap, case, f"v{i}"): f"v{i}" for i in range(20)}
    stopped = []

    def progress(stage: str, done: int, total: int) -> None:
        if stage == "push" and done >= 8 and not stopped:  # two batches in: the server goes down
            live.stop()
            stopped.append(stage)

    with pytest.raises(Unreachable):
        client.sync(progress=progress)
    assert stopped
    unsent = session.store.rows("SELECT count(*) AS n FROM outbox")[0]["n"]
    assert 0 < unsent < 23  # the acknowledged batches left; the rest waits
    live.start()  # same port, a fresh process state
    report = client.sync()
    assert report.verified
    assert session.store.rows("SELECT count(*) AS n FROM outbox")[0]["n"] == 0
    assert {r["id"]: r["data"]["observations"] for r in srv.sql(
        "SELECT id::text AS id, data FROM rows WHERE entity = 'cp_visit'")} == made  # fmt: skip
    # Restarted again in the middle of paging a pull (a fresh laptop).
    other = Transport(live.url)
    s2, _ = create_profile_from_server(tmp_path / "w2", other, "wendy", PASSWORD, kdf=fast_kdf())
    s2.store.write(lambda tx: tx.db.execute("DELETE FROM sync_state WHERE key = 'cursor'"), actor="t")
    c2 = SyncClient.for_session(s2, other, page_size=3)
    pages = []

    def pull_progress(stage: str, done: int, total: int) -> None:
        pages.append(done)
        if stage == "pull" and done == 3:
            live.stop()

    with pytest.raises(SyncError):
        c2.sync(progress=pull_progress)
    live.start()
    assert c2.sync().verified
    assert visits(_Store(s2), case) == made
    for s in (session, s2):
        s.store.close()
    transport.close()
    other.close()
    live.stop()


class _Store:
    def __init__(self, session: Session) -> None:
        self.store = session.store


def test_pushes_committing_while_a_pull_pages(srv, laptops) -> None:
    w, m = laptops("wendy"), laptops("mari")
    w2 = laptops("wendy")
    case, _ = make_case(w)
    w.sync()
    m.sync()
    rng = random.Random(3)
    srv.app.state.push_hooks = PushHooks(before_commit=lambda conn: time.sleep(rng.uniform(0, 0.01)))
    made: dict[str, str] = dict(visits(w, case))
    lock = threading.Lock()
    errors: list[BaseException] = []

    def writer(lap, tag: str) -> None:
        try:
            for i in range(8):
                ids = {add_visit(lap, case, f"{tag}{i}-{j}"): f"{tag}{i}-{j}" for j in range(3)}
                lap.client.push()
                with lock:
                    made.update(ids)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(lap, tag)) for lap, tag in ((w, "a"), (w2, "b"))]
    for t in threads:
        t.start()
    while any(t.is_alive() for t in threads):
        m.client.pull()  # pages of 5 while the pushes commit
    for t in threads:
        t.join()
    assert not errors
    assert m.sync().verified
    assert len(made) == 48 and visits(m, case) == made
