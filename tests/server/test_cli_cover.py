"""``diogel-server cover --case REF``: cover of one case from the administration commands, the case named by
its reference, through the same function as a manager's one-case cover pushed from a laptop
(``admin.add_cover``): the covering worker's next pull brings that case only, and the published cover row
carries the administration path's stamp like every other administration command's. Refused plainly, with
nothing written: an unknown reference, dates out of order, a covering user who is disabled, no case or user.

Run in process (``server.cli.main`` with the test's clock) against the real PostgreSQL the suite starts.
Seen to fail: with ``--case`` ignored (a cover of nobody's caseload refused, the case never pulled), with
``case_id_for`` matching any case (the unknown reference covered the first case), and with the disabled
check taken out of ``admin.add_cover`` (dai's cover written).
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from server import admin
from server.cli import main
from server.rowstore import unpack_meta
from tests.server.harness import Harness

REF = "CP-2026-0042"


@pytest.fixture
def world(h: Harness) -> dict[str, Any]:
    """Team A: wendy (two cases, one of them REF), gwyn, and dai who has been disabled."""
    h.team("A")
    ids = {u: str(h.user(u, "social_worker", "A")) for u in ("wendy", "gwyn", "dai")}
    h.admin(admin.set_active, "dai", False)
    cases = {}
    d = h.login("wendy")
    for ref in (REF, "CP-2026-0043"):
        case = uuid.uuid4()
        h.allocate(case, "A", "wendy")
        d.insert("case_file", str(case), {"reference": ref, "case_type": "child_protection", "opened_on": "2026-11-01",
                                          "allocated_worker_id": ids["wendy"]}, entity_id=str(case))  # fmt: skip
        cases[ref] = str(case)
    assert [r["status"] for r in d.push()] == ["applied"] * 2
    return {**ids, "cases": cases}


def _cover(h: Harness, capsys: Any, *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(["cover", "--database-url", h.db_url, *args], clock=h.clock)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_cover_of_one_case_by_its_reference(h: Harness, world: dict[str, Any], capsys: Any) -> None:
    code, out, err = _cover(h, capsys, "gwyn", "--case", REF, "--from", "2026-11-23", "--to", "2026-11-27",
                            "--reason", "Wendy on a course")  # fmt: skip
    assert (code, err) == (0, "")
    assert f"gwyn covers case {REF} from 2026-11-23 to 2026-11-27" in out
    assert world["cases"][REF] not in out, "the case is named by its reference, never its id"
    [c] = h.sql("SELECT id, case_id::text AS c, cover_user_id::text AS a, covered_user_id, starts_on::text AS s,"
                " ends_on::text AS e FROM covers")  # fmt: skip
    assert (c["c"], c["a"], c["covered_user_id"], c["s"], c["e"]) == (
        world["cases"][REF], world["gwyn"], None, "2026-11-23", "2026-11-27")  # fmt: skip
    # Published as a row of that case with the administration path's stamp, as a laptop's one-case cover is.
    [row] = h.sql("SELECT case_id::text AS c, data, field_meta FROM rows WHERE entity = 'cover' AND id = %s",
                  (c["id"],))  # fmt: skip
    assert row["c"] == world["cases"][REF] and row["data"]["reason"] == "Wendy on a course"
    meta = unpack_meta(row["field_meta"])["_row"]
    assert (meta["dev"], meta["at"], meta["by"]) == (admin.ADMIN_DEVICE, h.clock().isoformat(), None)
    # Gwyn's next pull brings that case (scope), not wendy's other one.
    g = h.login("gwyn")
    g.pull()
    assert ("case_file", world["cases"][REF]) in g.rows
    assert ("case_file", world["cases"]["CP-2026-0043"]) not in g.rows


def test_the_whole_caseload_cover_is_as_before_with_the_covered_user_optional_only_for_a_case(
        h: Harness, world: dict[str, Any], capsys: Any) -> None:  # fmt: skip
    code, out, _err = _cover(h, capsys, "gwyn", "wendy", "--from", "2026-11-23", "--to", "2026-11-27")
    assert code == 0 and "gwyn covers wendy's caseload" in out
    assert h.sql("SELECT covered_user_id::text AS b, case_id FROM covers") == [{"b": world["wendy"], "case_id": None}]
    code, _out, err = _cover(h, capsys, "gwyn", "--from", "2026-11-23", "--to", "2026-11-27")
    assert code == 1 and "--case REF" in err
    assert h.count("covers") == 1


@pytest.mark.parametrize(("args", "says"), [
    (("gwyn", "--case", "CP-2099-9999", "--from", "2026-11-23", "--to", "2026-11-27"),
     "no case has the reference 'CP-2099-9999'"),
    (("gwyn", "--case", REF, "--from", "2026-11-27", "--to", "2026-11-23"), "cover ends before it starts"),
    (("dai", "--case", REF, "--from", "2026-11-23", "--to", "2026-11-27"), "dai is disabled"),
    (("nobody", "--case", REF, "--from", "2026-11-23", "--to", "2026-11-27"), "no such user: 'nobody'"),
])  # fmt: skip
def test_a_bad_cover_of_one_case_is_refused_plainly_and_writes_nothing(
        h: Harness, world: dict[str, Any], capsys: Any, args: tuple[str, ...], says: str) -> None:  # fmt: skip
    before = h.sql("SELECT (SELECT count(*) FROM covers) AS c, (SELECT max(seq) FROM rows) AS s")[0]
    code, out, err = _cover(h, capsys, *args)
    assert (code, out) == (1, "")
    assert err.startswith("diogel-server: ") and says in err and "Traceback" not in err
    assert not any(case in err for case in world["cases"].values())
    assert h.sql("SELECT (SELECT count(*) FROM covers) AS c, (SELECT max(seq) FROM rows) AS s")[0] == before


def test_a_date_that_is_not_a_date_is_refused_by_the_parser(h: Harness, world: dict[str, Any], capsys: Any) -> None:
    with pytest.raises(SystemExit) as e:
        main(["cover", "--database-url", h.db_url, "gwyn", "--case", REF, "--from", "23/11/2026", "--to",
              "2026-11-27"], clock=h.clock)  # fmt: skip
    assert e.value.code == 2 and "is not a date: give it as YYYY-MM-DD" in capsys.readouterr().err
    assert h.count("covers") == 0
