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
        # the server moves on by 1-5 versions (other people's edits) and the laptop pulls the newest
        st.tuples(st.just("pull"), st.dictionaries(st.sampled_from(FIELDS), st.text("xyz", min_size=1, max_size=3),
                                                   min_size=1), st.integers(1, 5)),  # fmt: skip
        # an older version arrives late (a retried page, a repair racing a pull): which one is drawn
        st.tuples(st.just("stale"), st.just(None), st.integers(0, 1_000)),
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
    delivered: list[tuple[int, dict[str, str]]] = []  # every version the laptop was sent, oldest first

    def deliver(version: int, data: dict[str, str]) -> None:
        change = {"entity": "person", "id": pid, "case_id": None, "version": version, "deleted": False,
                  "data": {"family_name": "Jones", **data}}  # fmt: skip
        before = session.store.rows("SELECT count(*) AS n FROM outbox")[0]["n"]
        session.write(lambda tx: local.apply_change(tx, change, tx.now))
        assert session.store.rows("SELECT count(*) AS n FROM outbox")[0]["n"] == before

    for kind, a, b in plan:
        row_before = session.store.rows("SELECT * FROM person WHERE id = ?", [pid])[0]
        if kind == "edit":
            session.write(lambda tx, a=a, b=b: tx.update("person", pid, {a: b}))
            if session.store.rows(f"SELECT [{a}] AS v FROM person WHERE id = ?", [pid])[0]["v"] == b:
                local_value[a] = b
        elif kind == "pull":
            server_version += b
            server.update(a)
            delivered.append((server_version, dict(server)))
            deliver(server_version, server)
        elif kind == "stale":
            older = [d for d in delivered if d[0] < server_version]
            if not older:
                continue
            version, data = older[b % len(older)]
            deliver(version, data)
            assert session.store.rows("SELECT * FROM person WHERE id = ?", [pid])[0] == row_before, \
                "an older version arriving late changes nothing"
        else:  # the server acknowledged everything: it now holds those values, nothing is unsent
            session.write(lambda tx: tx.db.execute("DELETE FROM outbox"))
            server.update(local_value)
            local_value.clear()
        row = session.store.rows("SELECT * FROM person WHERE id = ?", [pid])[0]
        pending = local.unsent_fields_read(session.store, "person", pid)
        for f in FIELDS:
            if f in pending:
                assert row[f] == local_value[f], (f, plan)  # an unsent change is never overwritten
            elif kind in ("pull", "stale") and f in server:
                assert row[f] == server[f], (f, plan)  # everything else shows the server's newest
        assert row["version"] == server_version or server_version == 0
