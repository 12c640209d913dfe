"""Rules as data: the shipped table, validation, variants, RSB overrides."""

from __future__ import annotations

import copy
import json
from datetime import date

import pytest

from desktop.domain.rules import RULE_TITLES, RULES_FILE, RuleError, RuleSet, validate_case_override

ROWS = json.loads(RULES_FILE.read_text("utf-8"))["rules"]
REQUIRED_IDS = {
    "C1", "C6", "C7", "C8", "C9", "C10", "C11", "C12", "C17", "C19",
    "V1", "V2", "V4", "V5a", "V5b",
    "A1", "A2", "A3", "A4", "A5", "A7",
    "L1", "L2", "L3a", "L3b", "L3c", "L4a", "L4b", "L5a", "L5b", "L7", "L9a", "L9b", "L11a", "L11b",
    "K1", "K2a", "K2b", "K3",
}  # fmt: skip


def row(rule_id: str) -> dict:
    return copy.deepcopy(next(r for r in ROWS if r["id"] == rule_id))


def test_every_timed_rule_of_section_3_is_a_row() -> None:
    assert REQUIRED_IDS <= {r["id"] for r in ROWS}


def test_every_row_has_source_title_and_confidence() -> None:
    rules = (
        RuleSet.from_rows(ROWS, variant="section4").rules + RuleSet.from_rows(ROWS, variant="section3").rules
    )
    for r in rules:
        assert r.source and r.source_url.startswith("http"), r.id
        assert r.title == RULE_TITLES[r.id]
        assert r.confidence in {"WSP", "LAW", "WG", "LA-W", "2ND", "UNCONFIRMED"}
        if r.confidence == "UNCONFIRMED":
            # A placeholder default must say so, and a board must be able to set its own.
            assert "NOT" in r.note and r.override_allowed, r.id


def test_the_rules_issue_18_added_or_mended_carry_their_sources() -> None:
    by_id = {r.id: r for r in RuleSet.from_rows(ROWS).rules}
    assert {"C3", "C20", "L9", "L3s", "L7s", "CIN2", "CIN3", "P1", "A10"} <= set(by_id)
    assert by_id["A3"].base == ("strategy_meeting_first",) and by_id["A4"].base == ("strategy_meeting_first",)
    assert not by_id["A4"].requires  # no plan needed
    assert by_id["L11b"].satisfied_by == "dental_check"
    assert "school_age" in by_id["L10"].requires and "school_started" in by_id["L10"].base
    for rid in ("L2", "L3a", "L3b", "L3c", "L7", "L9", "L9a", "L9b", "L10"):
        assert "short_break" in by_id[rid].excludes, rid
    assert by_id["V1"].exception_allowed and by_id["V1"].exception_substitute == "visit_seen"
    assert by_id["P1"].steps == ((181, "days"),) and by_id["P1"].confidence == "LAW"
    assert by_id["C3"].confidence == by_id["C20"].confidence == by_id["CIN2"].confidence == "UNCONFIRMED"


@pytest.mark.parametrize(
    ("rule_id", "steps"),
    [
        ("C1", ((1, "working_days"),)),
        ("C6", ((15, "working_days"),)),
        ("C7", ((5, "working_days"),)),
        ("C8", ((20, "working_days"),)),
        ("C9", ((10, "working_days"),)),
        ("C10", ((10, "working_days"),)),
        ("C11", ((6, "weeks"),)),
        ("C12", ((3, "months"), (6, "months"))),
        ("C17", ((3, "days"),)),
        ("C19", ((15, "working_days"),)),
        ("V1", ((10, "working_days"),)),
        ("V2", ((4, "weeks"),)),
        ("A1", ((7, "working_days"),)),
        ("A2", ((7, "working_days"),)),
        ("A3", ((5, "working_days"),)),
        ("A4", ((4, "weeks"),)),
        ("A5", ((6, "weeks"),)),
        ("A7", ((2, "working_days"),)),
        ("L1", ((10, "working_days"),)),
        ("L2", ((5, "working_days"),)),
        ("L3a", ((1, "weeks"), (6, "weeks"))),
        ("L3b", ((3, "months"),)),
        ("L7", ((4, "weeks"), (3, "months"), (6, "months"))),
        ("L11a", ((10, "working_days"),)),
        ("L11b", ((3, "months"),)),
        ("K1", ((2, "working_days"),)),
        ("K3", ((25, "working_days"),)),
    ],
)
def test_timescales_match_procedures(rule_id: str, steps: tuple) -> None:
    assert RuleSet.load().get(rule_id).steps == steps


def test_variants() -> None:
    s4 = RuleSet.load()
    s3 = RuleSet.load(variant="section3")
    assert s4.variant == "section4"
    assert {"V1", "V2", "V4"} <= set(s4.ids()) and not {"V5a", "V5b"} & set(s4.ids())
    assert {"V5a", "V5b", "V2", "V4"} <= set(s3.ids()) and "V1" not in s3.ids()
    assert s3.get("V5a").steps == ((10, "working_days"),) and s3.get("V5a").satisfied_by == "visit_seen"
    assert s3.get("V5b").steps == ((6, "weeks"),) and s3.get("V5b").satisfied_by == "visit_seen_alone"
    with pytest.raises(RuleError, match="variant"):
        RuleSet.load(variant="section9")


def test_rsb_override() -> None:
    rs = RuleSet.load(
        rsb_overrides={"C11": {"offset": 4, "unit": "weeks"}, "C12": {"steps": [[2, "months"]]}}
    )
    assert rs.get("C11").steps == ((4, "weeks"),) and rs.get("C11").overridden
    assert rs.get("C12").steps == ((2, "months"),)
    assert not rs.get("C10").overridden
    with pytest.raises(RuleError, match="unknown rule"):
        RuleSet.load(rsb_overrides={"Z9": {"offset": 1, "unit": "days"}})
    with pytest.raises(RuleError, match="unknown unit"):
        RuleSet.load(rsb_overrides={"C11": {"offset": 4, "unit": "fortnights"}})
    with pytest.raises(RuleError, match="steps"):
        RuleSet.load(rsb_overrides={"C12": {"offset": 2, "unit": "months"}})


def test_override_not_allowed() -> None:
    rows = [row("C10")]
    rows[0]["override_allowed"] = False
    with pytest.raises(RuleError, match="not allowed"):
        RuleSet.from_rows(rows, rsb_overrides={"C10": {"offset": 5, "unit": "working_days"}})


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"unit": "fortnights"}, "unknown unit"),
        ({"source": ""}, "missing source"),
        ({"source_url": None}, "missing source_url"),
        ({"kind": "sometimes"}, "unknown kind"),
        ({"offset": -3}, "non-negative"),
        ({"offset": 2.5}, "whole number"),
        ({"severity": "could"}, "unknown severity"),
        ({"confidence": "RUMOUR"}, "confidence"),
        ({"population": "cats"}, "unknown population"),
        ({"effective_from": "01/11/2019"}, "ISO date"),
        ({"effective_to": "2019-01-01"}, "effective_to must be after"),
        ({"id": "Z1"}, "no title"),
    ],
)
def test_validation_rejects_bad_rows(change: dict, message: str) -> None:
    r = row("C10")
    r.update(change)
    with pytest.raises(RuleError, match=message):
        RuleSet.from_rows([r])


def test_missing_source_key_entirely() -> None:
    r = row("V1")
    del r["source"]
    with pytest.raises(RuleError, match="missing source"):
        RuleSet.from_rows([r])


def test_local_rule_with_its_own_title_and_effective_versions() -> None:
    old = row("C11")
    old.update(effective_to="2027-04-01")
    new = row("C11")
    new.update(effective_from="2027-04-01", offset=4)
    rs = RuleSet.from_rows([old, new])
    assert rs.get("C11", on=date(2027, 3, 31)).offset == 6
    assert rs.get("C11", on=date(2027, 4, 1)).offset == 4
    overlapping = row("C11")
    with pytest.raises(RuleError, match="overlapping"):
        RuleSet.from_rows([old, new, overlapping])
    local = row("C10")
    local.update(id="RSB-PB1", title="Pre-birth conference", confidence="RSB")
    assert RuleSet.from_rows([local]).get("RSB-PB1").title == "Pre-birth conference"


def test_between_rule_needs_an_end_rule_in_the_set() -> None:
    with pytest.raises(RuleError, match="end_rule"):
        RuleSet.from_rows([row("V4")])


def test_case_override_only_where_allowed() -> None:
    rs = RuleSet.load()
    assert validate_case_override(rs.get("A4"), 10, "working_days") == (10, "working_days")
    with pytest.raises(RuleError, match="no per-case"):
        validate_case_override(rs.get("V1"), 5, "working_days")
    with pytest.raises(RuleError, match="unknown unit"):
        validate_case_override(rs.get("A4"), 5, "hours")
