"""The family network (issue 20) on the demo: relationships with parental responsibility and its basis,
the genogram's rows, people and cases outside the reader's scope left out, the Family tab drawn and its
PDF read back in both languages."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from desktop.errors import NotFound, ValidationError
from desktop.services.cases import CaseService
from desktop.services.family import FamilyService, generations
from desktop.services.persons import PersonService
from desktop.services.scope import require_case
from desktop.services.session import Session
from tests.conftest import demo_clock, fast_kdf, settle
from tests.gui.forms import saved

PW = "demo-password-123"


def _text(pdf: bytes) -> str:
    return " ".join(" ".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf)).pages).split())


@pytest.fixture
def demo(tmp_path: Path) -> Any:
    from desktop.services.demo import build_demo

    ctx = build_demo(tmp_path / "sw", PW, role="social_worker", kdf=fast_kdf(), clock=demo_clock())
    ctx.store.close()
    s = Session.sign_in(tmp_path / "sw", PW, backup=False, clock=demo_clock())
    yield s, ctx
    if not s.store._closed:  # noqa: SLF001 - teardown only
        s.close()


def _name(network: Any, pid: str) -> str:
    person = network.person(pid)
    assert person is not None
    return str(person.name)


def test_the_network_places_parents_above_children_and_shows_only_what_the_reader_may_see(demo) -> None:
    s, ctx = demo
    twr = ctx.families["twr"]
    persons = PersonService(s)
    case = ctx.cases["twr_cp"]
    nain = persons.create({"given_names": "Eirlys", "family_name": "Tŵr", "date_of_birth": "1960-03-02"},
                          case_id=case, case_role="relative")
    persons.relate(twr["seren"], nain["id"], "grandparent")
    with pytest.raises(ValidationError):
        persons.relate(twr["osian"], twr["seren"], "cousin")
    with pytest.raises(ValidationError):
        persons.relate(twr["osian"], twr["seren"], "half_sibling", pr_basis="birth_registration")
    persons.relate(twr["osian"], twr["seren"], "half_sibling")
    # A relative on a case outside the reader's scope (Jones: another worker's), linked to Seren.
    outsider = ctx.families["jones"]["mason"]
    s.write(lambda tx: tx.insert("relationship", {"person_id": twr["seren"], "related_person_id": outsider,
                                                  "kind": "half_sibling"}))
    network = FamilyService(s).network(case)
    ids = {p.id for p in network.people}
    assert outsider not in ids
    assert all(outsider not in (link.person_id, link.related_person_id) for link in network.links)
    rows = generations(network)
    assert rows[twr["seren"]] == rows[twr["osian"]] == 0
    assert rows[twr["dafydd"]] == -1 and rows[nain["id"]] == -2
    father = next(link for link in network.links if link.person_id == twr["osian"] and link.kind == "father")
    assert father.parental_responsibility and father.pr_basis == "birth_registration"


def test_linked_cases_in_scope_are_named_and_others_are_not(demo) -> None:
    s, ctx = demo
    twr = ctx.families["twr"]
    persons = PersonService(s)
    baby = persons.create({"given_names": "Nedw", "family_name": "ap Llŷr", "date_of_birth": "2026-01-05"})
    mine = CaseService(s).create("child_in_need", subject_ids=[baby["id"]])["id"]
    theirs = ctx.cases["jones_cp"]
    with pytest.raises(NotFound):
        require_case(s, theirs)  # another worker's case: out of this reader's scope
    for case_id in (mine, theirs):
        s.write(lambda tx, c=case_id: tx.insert("case_member", {"person_id": twr["dafydd"], "role": "relative"},
                                                  case_id=c))
    network = FamilyService(s).network(ctx.cases["twr_cp"])
    dafydd = network.person(twr["dafydd"])
    assert dafydd is not None
    assert [(c.id, c.case_type) for c in dafydd.other_cases] == [(mine, "child_in_need")]


@pytest.mark.parametrize("lang", ["cy", "en"])
def test_the_printed_network_reads_back_in_each_language(demo, lang: str) -> None:
    s, ctx = demo
    pdf = FamilyService(s).render(ctx.cases["twr_cp"], lang)
    text = _text(pdf)
    assert "Seren Tŵr" in text and "Dafydd ap Llŷr" in text
    if lang == "cy":
        assert "Rhwydwaith y teulu" in text and "Tad: Dafydd ap Llŷr" in text
    else:
        assert "Family network" in text and "Father: Dafydd ap Llŷr" in text
        assert "parental responsibility (registered on the birth certificate)" in text
    s.close()


def test_the_family_tab_draws_the_genogram_and_prints(qtbot, demo, tmp_path: Path) -> None:
    s, ctx = demo
    from ui.family import FamilyTab

    twr = ctx.families["twr"]
    tab = FamilyTab(s, ctx.cases["twr_cp"])
    qtbot.addWidget(tab)
    tab.resize(1200, 600)
    tab.show()
    settle(qtbot)  # the family is read on a worker
    assert tab.genogram.network is not None
    names = {p.name for p in tab.genogram.network.people}
    assert {"Seren Tŵr", "Osian ap Llŷr", "Dafydd ap Llŷr"} <= names
    image = tab.genogram.grab().toImage()
    seren = tab.genogram.box(twr["seren"]).center()
    assert image.pixelColor(int(seren.x()), int(seren.y()) - 20).name() == "#ffffff"  # inside a drawn box
    dialog = tab.add_relationship()
    assert dialog is not None
    qtbot.addWidget(dialog)
    dialog.set_value("person_id", twr["seren"])
    dialog.set_value("kind", "grandparent")
    dialog.set_value("related_person_id", twr["dafydd"])
    dialog.set_value("pr_basis", "birth_registration")
    assert not saved(dialog, qtbot)  # a basis without parental responsibility: refused beside it
    assert dialog.error_text("pr_basis") != ""
    dialog.set_value("pr_basis", None)
    dialog.set_value("kind", "carer")
    with qtbot.waitSignal(dialog.saved):
        assert saved(dialog, qtbot)
    settle(qtbot)
    assert any(link.kind == "carer" for link in tab.genogram.network.links)
    form = tab.open_print()
    qtbot.addWidget(form)
    form.set_value("path", str(tmp_path / "nowhere" / "family.pdf"))
    assert not saved(form, qtbot) and form.error_text("path") != ""  # a folder that does not exist: refused
    form.set_value("path", str(tmp_path / "family.pdf"))
    assert saved(form, qtbot)
    text = _text((tmp_path / "family.pdf").read_bytes())
    assert "Carer: Dafydd ap Llŷr" in text and "Gofalwr: Dafydd ap Llŷr" in text
