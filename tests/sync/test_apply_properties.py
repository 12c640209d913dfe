"""Property: whatever order local edits and pulled versions arrive in, a field with an unsent local change
keeps the local value, every other field shows the newest server version, and nothing is queued by a pull."""

from __future__ import annotations

import uuid

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.sync import local

FIELDS = ("given_names", "phone", "email")

steps = st.lists(
    st.one_of(
        st.tuples(st.just("edit"), st.sampled_from(FIELDS), st.text("abc", min_size=1, max_size=3)),
        st.tuples(st.just("pull"), st.dictionaries(st.sampled_from(FIELDS), st.text("xyz", min_size=1, max_size=3),
                                                   min_size=1), st.integers(1, 50)),  # fmt: skip
        st.tuples(st.just("ack"), st.just(None), st.just(None)),
    ),
    min_size=1,
    max_size=12,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(plan=steps)
def test_pulled_data_never_overwrites_an_unsent_field(session, plan) -> None:
    pid = session.write(lambda tx: tx.insert("person", {"family_name": "Jones", "id": str(uuid.uuid4())})["id"])
    session.write(lambda tx: tx.db.execute("DELETE FROM outbox"))  # start as if synced
    local_value: dict[str, str] = {}
    server: dict[str, str] = {}
    server_version = 0
    for kind, a, b in plan:
        if kind == "edit":
            session.write(lambda tx, a=a, b=b: tx.update("person", pid, {a: b}))
            if session.store.rows(f"SELECT [{a}] AS v FROM person WHERE id = ?", [pid])[0]["v"] == b:
                local_value[a] = b
        elif kind == "pull":
            version = max(server_version, b)
            newer = version >= server_version
            server_version = version
            if newer:
                server.update(a)
            change = {"entity": "person", "id": pid, "case_id": None, "version": version, "deleted": False,
                      "data": {"family_name": "Jones", **server}}  # fmt: skip
            before = session.store.rows("SELECT count(*) AS n FROM outbox")[0]["n"]
            session.write(lambda tx, change=change: local.apply_change(tx, change, tx.now))
            assert session.store.rows("SELECT count(*) AS n FROM outbox")[0]["n"] == before
        else:  # the server acknowledged everything: it now holds those values, nothing is unsent
            session.write(lambda tx: tx.db.execute("DELETE FROM outbox"))
            server.update(local_value)
            local_value.clear()
        row = session.store.rows("SELECT * FROM person WHERE id = ?", [pid])[0]
        pending = local.unsent_fields_read(session.store, "person", pid)
        for f in FIELDS:
            if f in pending:
                assert row[f] == local_value[f], (f, plan)  # an unsent change is never overwritten
            elif kind == "pull" and f in server:
                assert row[f] == server[f], (f, plan)  # everything else shows the server's newest
        assert row["version"] == server_version or server_version == 0
