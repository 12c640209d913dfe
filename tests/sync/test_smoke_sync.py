from __future__ import annotations

import uuid

import pytest


def test_enrol_and_roundtrip(srv, laptops) -> None:
    w = laptops("wendy")
    m = laptops("mari")
    assert w.session.user.role == "social_worker"
    pid = w.write(lambda tx: tx.insert("person", {"family_name": "Jones", "given_names": "Dylan"})["id"])
    case = str(uuid.uuid4())
    w.write(lambda tx: tx.insert("case_file", {"id": case, "reference": "R1", "case_type": "child_protection",
                                               "team_id": w.session.user.team_id, "allocated_worker_id": w.uid,
                                               "opened_on": "2026-11-01"}, case_id=case))
    w.write(lambda tx: tx.insert("case_member", {"person_id": pid, "role": "subject"}, case_id=case))
    rep = w.sync()
    assert rep.verified, rep
    assert w.outbox() == []
    rep = m.sync()
    assert rep.verified
    assert m.row("person", pid)["family_name"] == "Jones"
    assert m.row("case_file", case) is not None


def test_a_profile_made_offline_links_to_the_server_and_syncs(srv, make_session) -> None:
    """A profile created on the laptop (no server) later signs in: its ops go as the server user."""
    import httpx

    from desktop.sync.client import SyncClient
    from desktop.sync.errors import AuthRequired, Unreachable
    from desktop.sync.status import read_status
    from desktop.sync.transport import Transport
    from tests.server.harness import PASSWORD
    from tests.sync.helpers import make_case

    s = make_session(role="social_worker")
    transport = Transport("http://testserver", client=httpx.Client(transport=srv.http._transport,
                                                                   base_url="http://testserver"))  # fmt: skip
    client = SyncClient.for_session(s, transport)
    try:
        client.sync()
        raise AssertionError("synced without signing in")
    except AuthRequired:
        pass
    assert read_status(s.store).last_error[0] == "Sign in to the server to sync."
    nowhere = Transport("http://127.0.0.1:9")  # nothing listens there: the server cannot be reached
    with pytest.raises(Unreachable):
        SyncClient.for_session(s, nowhere).sign_in("wendy", PASSWORD)
    nowhere.close()
    assert read_status(s.store).last_error[0] == "The server cannot be reached ({detail})."

    class Lap:
        session = s
        uid = s.user.id

        @staticmethod
        def write(fn):
            return s.write(fn)

    case, pid = make_case(Lap)
    client.sign_in("wendy", PASSWORD)
    assert read_status(s.store).last_error is None
    report = client.sync()
    # The profile's own team and practitioner records were made here, but reference data is written only
    # by the server's administration path: they are refused, and so is the case allocated to them; all
    # wait in "needs attention" (never dropped). The person it is about goes in.
    from desktop.sync.status import needs_attention

    refused = {(a["entity"], a["reason"]) for a in needs_attention(s.store)}
    assert refused == {("team", "reference_data"), ("practitioner", "reference_data"),
                       ("case_file", "reference_data")}, refused  # fmt: skip
    assert report.verified and report.refused == 3
    assert s.store.rows("SELECT count(*) AS n FROM outbox WHERE state = 'pending'")[0]["n"] == 0
    assert srv.sql("SELECT count(*) AS n FROM rows WHERE entity = 'person' AND id = %s", (uuid.UUID(pid),))[0]["n"] == 1
    wendy = str(srv.sql("SELECT id FROM users WHERE username = 'wendy'")[0]["id"])
    assert {str(r["user_id"]) for r in srv.sql("SELECT user_id FROM ops")} == {wendy}
    transport.close()


def test_profile_creation_survives_a_dropped_first_sync(srv, laptops, tmp_path) -> None:
    """The connection drops right after sign-in: the profile is made and usable; the next sync finishes."""
    import httpx

    from desktop.sync.client import SyncClient
    from desktop.sync.enroll import create_profile_from_server
    from desktop.sync.errors import Unreachable
    from desktop.sync.transport import Transport
    from tests.conftest import fast_kdf
    from tests.server.harness import PASSWORD
    from tests.sync.faults import FaultyTransport

    w = laptops("wendy")
    from tests.sync.helpers import make_case

    case, _ = make_case(w)
    w.sync()
    faults = FaultyTransport(srv.http._transport)
    faults.plan = [None, "after"]  # login answers; the first pull's answer is lost
    transport = Transport("http://testserver", client=httpx.Client(transport=faults, base_url="http://testserver"))
    session, report = create_profile_from_server(tmp_path / "w2", transport, "wendy", PASSWORD, kdf=fast_kdf())
    assert isinstance(report.error, Unreachable)
    assert session.user.id == w.uid and session.user.role == "social_worker"
    assert SyncClient.for_session(session, transport).sync().verified
    assert session.store.rows("SELECT count(*) AS n FROM case_file WHERE id = ?", [case])[0]["n"] == 1
    session.store.close()
    transport.close()
