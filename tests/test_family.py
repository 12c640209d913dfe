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
from tests.gui.forms import filled, saved

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
    # Each relationship on a line of its own, not run into the one before it.
    lines = [line.strip() for page in PdfReader(io.BytesIO(pdf)).pages for line in (page.extract_text() or "").splitlines()]
    father = "Tad:" if lang == "cy" else "Father:"
    # The table lists the case's children first (eldest first), then the others by age, whatever the ids.
    header = next(i for i, line in enumerate(lines) if ("Perthnasoedd" if lang == "cy" else "Relationships") in line)
    table = lines[header:]  # the diagram above names them too
    listed = [name for name in ("Seren Tŵr", "Osian ap Llŷr", "Dafydd ap Llŷr", "Gwenllïan Tŵr")
              if any(line.startswith(name) for line in table)]
    assert listed == ["Seren Tŵr", "Osian ap Llŷr", "Dafydd ap Llŷr", "Gwenllïan Tŵr"], table
    order = [next(i for i, line in enumerate(table) if line.startswith(name)) for name in listed]
    assert order == sorted(order), lines
    assert any(line.startswith(father) for line in lines), lines
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
    filled(dialog, qtbot)
    assert dialog is not None
    qtbot.addWidget(dialog)
    subjects = {p.id for p in tab.genogram.network.people if p.subject}
    assert dialog.value("person_id") in subjects  # the case's child first ...
    assert dialog.value("related_person_id") not in (None, dialog.value("person_id"))  # ... and someone else
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
    filled(form, qtbot)
    qtbot.addWidget(form)
    form.set_value("path", str(tmp_path / "nowhere" / "family.pdf"))
    assert not saved(form, qtbot) and form.error_text("path") != ""  # a folder that does not exist: refused
    form.set_value("path", str(tmp_path / "family.pdf"))
    assert saved(form, qtbot)
    text = _text((tmp_path / "family.pdf").read_bytes())
    assert "Carer: Dafydd ap Llŷr" in text and "Gofalwr: Dafydd ap Llŷr" in text


def test_add_a_relationship_finds_people_on_the_readers_other_cases_and_never_outside_scope(qtbot, demo) -> None:
    """"Add a relationship…" searches the people on every case in the reader's scope (not only the family of
    this case) and links one; a person on another worker's case is never found, and the service refuses to
    link them even when asked by id."""
    s, ctx = demo
    from ui.family import FamilyTab

    twr = ctx.families["twr"]
    persons, family = PersonService(s), FamilyService(s)
    nedw = persons.create({"given_names": "Nedw", "family_name": "ap Llŷr", "date_of_birth": "2026-01-05"})
    mine = CaseService(s).create("child_in_need", subject_ids=[nedw["id"]])
    outsider = ctx.families["jones"]["mason"]
    outsider_name = s.store.rows("SELECT given_names, family_name FROM person WHERE id = ?", [outsider])[0]
    found = family.find_people(ctx.cases["twr_cp"], "ned LLŶR")
    assert [(m.id, [c.reference for c in m.cases]) for m in found] == [(nedw["id"], [mine["reference"]])]
    assert family.find_people(ctx.cases["twr_cp"], outsider_name["given_names"]) == []
    assert outsider not in {m.id for m in family.find_people(ctx.cases["twr_cp"], outsider_name["family_name"])}
    assert family.find_people(ctx.cases["twr_cp"], "n") == []  # one letter finds nobody
    with pytest.raises(NotFound):
        family.find_people(ctx.cases["jones_cp"], "Nedw")  # a case out of scope: refused
    with pytest.raises(NotFound):
        persons.relate(twr["seren"], outsider, "half_sibling")  # the service checks scope, not the dialog
    assert not s.store.rows("SELECT 1 FROM relationship WHERE related_person_id = ?", [outsider])

    tab = FamilyTab(s, ctx.cases["twr_cp"])
    qtbot.addWidget(tab)
    settle(qtbot)
    dialog = tab.add_relationship()
    filled(dialog, qtbot)
    assert dialog is not None
    qtbot.addWidget(dialog)
    box = dialog.widgets["related_person_id"]
    assert box.findData(nedw["id"]) < 0  # not on this case: found only by searching
    dialog.widgets["find"].setText("Nedw")
    assert box.itemText(box.findData(nedw["id"])) == f"Nedw ap Llŷr ({mine['reference']})"
    dialog.widgets["find"].setText(outsider_name["given_names"])
    assert box.findData(outsider) < 0
    dialog.widgets["find"].setText("Nedw")
    dialog.set_value("person_id", twr["seren"])
    dialog.set_value("related_person_id", nedw["id"])
    dialog.set_value("kind", "half_sibling")
    with qtbot.waitSignal(dialog.saved):
        assert saved(dialog, qtbot)
    settle(qtbot)
    network = tab.genogram.network
    assert network is not None and network.person(nedw["id"]) is not None
    assert any(link.related_person_id == nedw["id"] and link.kind == "half_sibling" for link in network.links)


def test_the_symbol_follows_the_recorded_sex_and_is_a_diamond_when_not_given() -> None:
    from desktop.services.family import symbol

    assert [symbol(x) for x in ("Male", "m", "Gwryw", " boy ")] == ["square"] * 4
    assert [symbol(x) for x in ("Female", "F.", "benyw", "Merch")] == ["circle"] * 4
    assert [symbol(x) for x in (None, "", "Not stated", "intersex", "unknown")] == ["diamond"] * 5


def _conventions(s: Session, ctx: Any) -> tuple[str, str]:
    """The Tŵr family with a grandfather who has died (male) and an aunt whose sex is not recorded."""
    twr, case = ctx.families["twr"], ctx.cases["twr_cp"]
    persons = PersonService(s)
    taid = persons.create({"given_names": "Emrys", "family_name": "Tŵr", "date_of_birth": "1950-02-01",
                           "sex": "gwryw", "date_of_death": "2024-06-30"}, case_id=case, case_role="relative")
    modryb = persons.create({"given_names": "Alaw", "family_name": "Tŵr"}, case_id=case, case_role="relative")
    persons.relate(twr["gwenllian"], taid["id"], "father")
    persons.relate(twr["gwenllian"], modryb["id"], "sibling")
    return taid["id"], modryb["id"]


def test_the_printed_genogram_draws_the_conventions(demo) -> None:
    """The PDF's drawing: a square for a male, a circle for a female, a diamond where the sex is not given,
    a double outline for each child of the case, a cross through the grandfather who died, thick lines for
    parental responsibility; the key and the date of death read back in both languages."""
    from reportlab.graphics.shapes import Circle, Line, Polygon, Rect

    from desktop.services.genogram import draw
    from reports.family import SYMBOL, genogram, layout

    s, ctx = demo
    taid, modryb = _conventions(s, ctx)
    twr = ctx.families["twr"]
    family = FamilyService(s)
    network = family.network(ctx.cases["twr_cp"])
    geometry = draw(network)
    group = genogram(network, geometry, "en", 10_000).contents[0]
    shapes = group.contents

    place = layout(geometry)[2]

    def at(pid: str) -> list[Any]:
        """The person's symbol: the shapes centred where it is."""
        x, y = place(geometry.places[pid])
        found = []
        for sh in shapes:
            if isinstance(sh, Rect) and sh.width <= SYMBOL:
                here = (sh.x + sh.width / 2, sh.y + sh.height / 2)
            elif isinstance(sh, Circle):
                here = (sh.cx, sh.cy)
            elif isinstance(sh, Polygon):
                here = (sh.points[0], sh.points[3])
            else:
                continue
            if abs(here[0] - x) < 0.01 and abs(here[1] - y) < 0.01:
                found.append(sh)
        return found

    kinds = {pid: sorted(type(sh).__name__ for sh in at(pid))
             for pid in (taid, modryb, twr["gwenllian"], twr["dafydd"], twr["seren"], twr["osian"])}
    assert kinds[taid] == ["Rect"] and kinds[twr["dafydd"]] == ["Rect"]
    assert kinds[twr["gwenllian"]] == ["Circle"] and kinds[modryb] == ["Polygon"]
    assert kinds[twr["seren"]] == ["Circle", "Circle"] and kinds[twr["osian"]] == ["Rect", "Rect"]  # doubled
    widths = sorted({round(sh.strokeWidth, 1) for sh in shapes if isinstance(sh, Line) and sh.strokeWidth > 1.5})
    assert widths == [1.8]  # parental responsibility: the mother's and the father's lines
    thick = [sh for sh in shapes if isinstance(sh, Line) and sh.strokeWidth == 1.8]
    pr_links = [link for link in network.links if link.parental_responsibility]
    assert len(pr_links) == 3
    # Each link holding parental responsibility is drawn by a thick line, and only those lines are thick.
    assert all(any(line.pr and any(lk is link for lk in line.links) for line in geometry.lines) for link in pr_links)
    assert all(line.pr == any(lk.parental_responsibility for lk in line.links) for line in geometry.lines
               if line.kind in ("child", "link"))
    pr_segments = [s for line in geometry.lines if line.pr for s in line.segments()]
    assert len(thick) == len(pr_segments) + 1  # and the key's own sample
    crosses = [sh for sh in shapes if isinstance(sh, Line) and abs(abs(sh.x2 - sh.x1) - abs(sh.y2 - sh.y1)) < 0.01
               and abs(sh.x2 - sh.x1) < SYMBOL * 1.5]
    assert len(crosses) == 4  # two strokes through the grandfather, two through the key's sample
    for lang, words in (("cy", ["Gwryw", "Benyw", "Rhyw heb ei gofnodi", "Bu farw 30 Mehefin 2024",
                                "Cyfrifoldeb rhiant"]),
                        ("en", ["Male", "Female", "Sex not recorded", "Died 30 June 2024", "Parental responsibility"])):
        text = _text(family.render(ctx.cases["twr_cp"], lang))
        assert all(w in text for w in words), (lang, text[:400])


def test_the_genogram_on_screen_draws_the_conventions(qtbot, demo) -> None:
    from ui.family import SYMBOL, FamilyTab

    s, ctx = demo
    taid, modryb = _conventions(s, ctx)
    twr = ctx.families["twr"]
    tab = FamilyTab(s, ctx.cases["twr_cp"])
    qtbot.addWidget(tab)
    tab.resize(1366, 700)
    tab.show()
    settle(qtbot)
    image = tab.genogram.grab().toImage()

    def ink(x: float, y: float) -> bool:
        """Something drawn (dark or red, antialiased) at or next to the point."""
        return any(image.pixelColor(int(x) + dx, int(y) + dy).lightness() < 200 for dx in (-1, 0, 1)
                   for dy in (-1, 0, 1))

    def corner(pid: str) -> bool:  # a square's side reaches its corner; a circle's and a diamond's do not
        r = tab.genogram.symbol(pid)
        return ink(r.left(), r.top() + 3)

    def top(pid: str) -> bool:
        r = tab.genogram.symbol(pid)
        return ink(r.center().x(), r.top() + 1)

    assert corner(twr["dafydd"]) and not corner(twr["gwenllian"]) and not corner(modryb)
    assert top(modryb) and top(twr["gwenllian"])  # the diamond's and the circle's top points
    inner = tab.genogram.symbol(twr["osian"])
    assert ink(inner.left() + 5, inner.center().y())  # the second outline of a child of the case
    plain = tab.genogram.symbol(twr["dafydd"])
    assert not ink(plain.left() + 5, plain.center().y())
    died = tab.genogram.symbol(taid)
    assert ink(died.left() + SYMBOL / 4, died.top() + SYMBOL / 4)  # on the cross's stroke
    assert not ink(plain.left() + SYMBOL / 4, plain.top() + SYMBOL / 4)
    description = tab.genogram.accessibleDescription()
    assert "Emrys Tŵr: Male, Died" in description and "Alaw Tŵr: Sex not recorded" in description
    assert "Mother: Gwenllïan Tŵr (Parental responsibility)" in description
