"""Randomised interleavings of three devices editing one record: every device converges on the server's
copy, and every value that lost a race is kept in a conflict record (nothing is silently overwritten)."""

from __future__ import annotations

import random
import uuid

import pytest

from tests.server.harness import Harness

FIELDS = ["contingency", "support", "outline"]


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_random_interleavings_converge_without_silent_loss(h: Harness, seed: int) -> None:
    rng = random.Random(seed)
    h.team("A")
    h.user("wendy", "social_worker", "A")
    h.user("mari", "team_manager", "A")
    case = str(uuid.uuid4())
    h.allocate(uuid.UUID(case), "A", "wendy")
    devices = [h.login("wendy", "w1"), h.login("wendy", "w2"), h.login("mari", "m1")]
    devices[0].insert("cp_plan", case, {"stage": "detailed", "version_no": 1, **{f: "v0" for f in FIELDS}}, entity_id=case)
    devices[0].push()
    for d in devices:
        d.pull()
    pushed: list[tuple[dict, dict]] = []  # (op, result)
    for step in range(60):
        d = rng.choice(devices)
        action = rng.random()
        if action < 0.55:
            local = d.rows[("cp_plan", case)]
            if local["deleted"]:
                continue
            f = rng.choice(FIELDS)
            d.update("cp_plan", case, {f: f"{d.device_id}-{step}"})
        elif action < 0.8:
            ops = list(d.outbox)
            pushed += list(zip(ops, d.push(), strict=True))
        elif action < 0.97:
            d.pull()
        else:
            ops = list(d.outbox)
            pushed += list(zip(ops, d.push(), strict=True))
            d.delete("cp_plan", case)
    for _ in range(2):
        for d in devices:
            ops = list(d.outbox)
            pushed += list(zip(ops, d.push(), strict=True))
            d.pull()
    server = h.sql("SELECT data, version, deleted FROM rows WHERE entity = 'cp_plan'")[0]
    for d in devices:
        assert d.outbox == []
        local = d.rows[("cp_plan", case)]
        assert (local["data"], local["version"], local["deleted"]) == (
            server["data"],
            server["version"],
            server["deleted"],
        )
    conflicts = h.sql("SELECT field, client_value, client_op_id FROM conflicts")
    assert conflicts and any(r["status"] == "applied" for _, r in pushed)  # both paths really ran
    by_op = {(str(c["client_op_id"]), c["field"]): c["client_value"] for c in conflicts}
    for op, res in pushed:
        assert res["status"] in ("applied", "conflict"), res
        for ref in res.get("conflicts", []):
            field = ref["field"]
            if field == "_row":
                continue
            # The losing value is kept, exactly, with the op that carried it.
            assert by_op[(op["op_id"], field)] == op["fields"][field]
        for field in res.get("applied_fields", []):
            assert field in op["fields"]
