"""Committee figures from a known dataset (inserted row by row), and the report CLI in both languages.

Period 1 September – 30 November 2026 (no bank holidays in it; 31 August 2026 is one).

Counted as :mod:`desktop.domain.occurrences` says (fell due in the period, carried over, on time, late,
outstanding at 30 Nov, left undone when the child left the register):

* Child A registered 1 Sep (neglect). Seen alone 10 Sep (due 15 Sep: on time), 1 Oct (due 24 Sep:
  late), then none (due 15 Oct: outstanding). At home 10 Sep (due 29 Sep: on time), none after (due
  8 Oct: outstanding).
* Child B registered 1 Jun, de-registered 15 Oct (136 days); never seen: V1 and V2 were due in June,
  carried into the period and left undone at de-registration; the same for the first core group (C10).
  The review conference (C12, due 1 Sep) was held 15 Oct: late.
* Child C registered 5 Oct (re-registration: registered 2024 too; sexual). Seen alone and at home
  12 Oct (on time), none after (V1 due 26 Oct, V2 due 9 Nov: outstanding); no core group (C10 due
  19 Oct: outstanding).
* Initial conferences (C6, after a section 47 finding of significant harm): case X ICPC 1 Sep after
  the strategy discussion of 14 Aug (due 7 Sep; 31 Aug is a bank holiday: on time); case Y ICPC 5 Oct
  after strategy 1 Sep (due 22 Sep: late).
* Core groups, case X: 10 Sep (C10 due 15 Sep: on time), 2 Nov (C11 due 22 Oct: late).
* Cases X, Y open (Z closed 20 Oct); X has a Welsh-speaking member. Both allocated to the user.
* Letters printed: mailing s1 on 2 Sep (cy + en), mailing s2 bilingual on 3 Sep and en on 5 Sep →
  4 sent, 2 Welsh, 1 Welsh at the same time; a queued letter is not counted.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pdfplumber
import pytest

from desktop.cli import main
from desktop.errors import PermissionDenied
from desktop.services.committee import CommitteeService
from tests.conftest import PASSWORD

START, END = date(2026, 9, 1), date(2026, 11, 30)


def _seed(session) -> None:
    me = session.user

    def write(tx) -> None:
        def case(ref: str, opened: str, closed: str | None = None) -> str:
            return tx.insert("case_file", {"reference": ref, "case_type": "child_protection", "team_id": me.team_id,
                                           "allocated_worker_id": me.id, "opened_on": opened,
                                           "closed_on": closed})["id"]

        def person(name: str, lang: str = "unknown") -> str:
            return tx.insert("person", {"given_names": name, "family_name": "Prawf",
                                        "correspondence_language": lang})["id"]

        x, y, z = case("X-1", "2026-08-01"), case("Y-1", "2026-08-20"), case("Z-1", "2026-05-01", "2026-10-20")
        a, b, c, mum = person("A"), person("B"), person("C"), person("Mam", "cy")
        tx.insert("case_member", {"person_id": a, "role": "subject"}, case_id=x)
        tx.insert("case_member", {"person_id": mum, "role": "parent"}, case_id=x)
        tx.insert("case_member", {"person_id": c, "role": "subject"}, case_id=y)
        tx.insert("case_member", {"person_id": b, "role": "subject"}, case_id=z)

        def entry(case_id: str, pid: str, on: str, cats: str, off: str | None = None) -> None:
            tx.insert("register_entry", {"person_id": pid, "registered_on": on, "categories": cats,
                                         "status": "deregistered" if off else "active", "deregistered_on": off},
                      case_id=case_id)

        entry(x, a, "2026-09-01", '["neglect"]')
        entry(z, b, "2026-06-01", '["physical", "emotional"]', "2026-10-15")
        entry(y, c, "2024-03-01", '["neglect"]', "2024-09-01")
        entry(y, c, "2026-10-05", '["sexual"]')

        def visit(case_id: str, pid: str, on: str, alone: int, home: int) -> None:
            v = tx.insert("cp_visit", {"visited_on": on, "visitor_id": me.id, "location": "home"}, case_id=case_id)
            tx.insert("cp_visit_child", {"visit_id": v["id"], "person_id": pid, "seen": 1, "seen_alone": alone,
                                         "seen_at_home": home, "bedroom_seen": 0}, case_id=case_id)

        visit(x, a, "2026-09-10", 1, 1)
        visit(x, a, "2026-10-01", 1, 0)
        visit(y, c, "2026-10-12", 1, 1)

        def conference(case_id: str, kind: str, held: str, child: str) -> None:
            tx.insert("cp_conference", {"kind": kind, "child_ids": f'["{child}"]', "status": "held",
                                        "scheduled_on": held, "held_on": held}, case_id=case_id)

        def strategy(case_id: str, held: str, child: str) -> None:
            tx.insert("cp_strategy", {"child_ids": f'["{child}"]', "kind": "meeting", "held_on": held,
                                      "decisions": "[]", "initiate_s47": 1}, case_id=case_id)

        def harm_found(case_id: str, child: str, on: str) -> None:  # section 47: determination 3
            tx.insert("cp_enquiry", {"person_id": child, "started_on": on, "determination": 3,
                                     "determined_on": on}, case_id=case_id)

        strategy(x, "2026-08-14", a)
        harm_found(x, a, "2026-08-20")
        conference(x, "initial", "2026-09-01", a)
        strategy(y, "2026-09-01", c)
        harm_found(y, c, "2026-09-15")
        conference(y, "initial", "2026-10-05", c)
        conference(z, "initial", "2026-06-01", b)
        conference(z, "review", "2026-10-15", b)
        tx.insert("cp_core_group", {"held_on": "2026-09-10"}, case_id=x)
        tx.insert("cp_core_group", {"held_on": "2026-11-02"}, case_id=x)

        def letter(lang: str, source: str, day: str | None) -> None:
            tx.insert("letter", {"template_id": "N9", "recipient_kind": "person", "recipient_id": mum,
                                 "recipient_name": "Mam Prawf", "language": lang, "data": "{}",
                                 "status": "printed" if day else "queued", "source_event": source,
                                 "printed_at": f"{day}T10:00:00+00:00" if day else None}, case_id=x)

        letter("cy", "s1", "2026-09-02")
        letter("en", "s1", "2026-09-02")
        letter("bilingual", "s2", "2026-09-03")
        letter("en", "s2", "2026-09-05")
        letter("cy", "s3", None)

    session.write(write)


def test_committee_figures_from_a_known_dataset(make_session) -> None:
    s = make_session(role="team_manager", given="Carys", family="Lloyd", scw="SW-1")
    _seed(s)
    stats = CommitteeService(s).stats(START, END)
    got = {m.rule_id: (m.fell_due, m.carried, m.on_time, m.late, m.outstanding, m.ended) for m in stats.measures}
    assert got == {
        # rule: (fell due, carried over, on time, late, outstanding, left undone)
        "V1": (5, 1, 2, 1, 2, 1),
        "V2": (4, 1, 2, 0, 2, 1),
        "C6": (2, 0, 1, 1, 0, 0),
        "C10": (2, 1, 1, 0, 1, 1),
        "C11": (1, 0, 0, 1, 0, 0),
        "C12": (1, 0, 0, 1, 0, 0),
        "A1": (0, 0, 0, 0, 0, 0), "A5": (0, 0, 0, 0, 0, 0), "L7": (0, 0, 0, 0, 0, 0),
    }
    for m in stats.measures:  # nothing left out
        assert m.fell_due + m.carried == m.on_time + m.late + m.outstanding + m.ended, m.rule_id
    assert stats.children_on_register == 2
    assert stats.register_by_category == {"neglect": 1, "sexual": 1}
    assert (stats.registrations, stats.re_registrations, stats.deregistrations) == (2, 1, 1)
    assert stats.days_on_register == [136]
    assert (stats.open_cases, stats.welsh_preference_cases) == (2, 1)
    assert stats.open_cases_by_team == {"Tîm Diogelu Plant": 2}
    assert (stats.letters_sent, stats.welsh_letters_sent, stats.welsh_letters_same_time) == (4, 2, 1)
    assert stats.babies_with_court.due == stats.babies_without_court.due == 0


def test_committee_report_needs_the_capability(make_session) -> None:
    s = make_session(role="social_worker")
    with pytest.raises(PermissionDenied):
        CommitteeService(s).stats(START, END)


@pytest.mark.parametrize(("lang", "words"), [
    ("en", ["Safeguarding performance report to committee", "Work done within timescales",
            "Child seen alone (every 10", "Initial child protection", "Every time a timescale fell due", "Outstanding",
            "Child protection register", "Open cases by team"]),
    ("cy", ["Adroddiad perfformiad diogelu i'r pwyllgor", "Gwaith a wnaed o fewn yr amserlenni",
            "(bob 10 diwrnod", "Cofrestr amddiffyn plant", "Achosion agored fesul tîm"]),
])
def test_report_cli_writes_the_committee_pdf(make_session, clock, tmp_path: Path, capsys, monkeypatch, lang,
                                            words) -> None:
    s = make_session(role="team_manager", given="Carys", family="Lloyd", scw="SW-1")
    _seed(s)
    folder = s.profile.folder
    s.store.close()
    monkeypatch.setenv("DIOGEL_PASSWORD", PASSWORD)
    out = tmp_path / f"committee_{lang}.pdf"
    assert main(["report", "committee", "--profile", str(folder), "--from", "2026-09-01", "--to", "2026-11-30",
                 "--lang", lang, "--out", str(out)], clock=clock) == 0, capsys.readouterr().err
    with pdfplumber.open(out) as pdf:
        text = "\n".join(page.extract_text() or "" for page in pdf.pages)
    flat = " ".join(text.split())
    for w in words:
        assert w in flat, w
    # Seen alone: 5 fell due (shown); the rest are 1 to 4, so hidden ([c]) as official statistics do, and
    # so is the percentage made from them; nothing counted is a blank.
    assert "5 [c] [c] [c] [c] [c] [c]" in flat  # seen alone: 5 fell due; the rest 1 to 4
    assert "[c]" in flat and "136" not in flat  # one child's time on the register would name them
    # No worker is named: committee papers are often public.
    assert "Carys Lloyd" not in flat and "Lloyd" not in flat


def test_report_cli_rejects_a_bad_date(make_session, clock, tmp_path: Path, capsys, monkeypatch) -> None:
    s = make_session(role="team_manager")
    s.store.close()
    monkeypatch.setenv("DIOGEL_PASSWORD", PASSWORD)
    assert main(["report", "committee", "--profile", str(s.profile.folder), "--from", "1/9/2026", "--to",
                 "2026-11-30", "--out", str(tmp_path / "x.pdf")], clock=clock) == 2
    assert "YYYY-MM-DD" in capsys.readouterr().err
