"""The genogram's geometry (Qt-free): couples joined, children hanging from their parents, every
relationship drawn exactly once, no needless crossings, parental responsibility shown where it is held,
and the screen and the PDF drawn from the same lines."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.domain.types import RELATIONSHIP_KINDS
from desktop.services.family import FamilyLink, FamilyMember, FamilyNetwork, FamilyService, generations
from desktop.services.genogram import BAR, Geometry, Line, crossings, draw
from desktop.services.session import Session
from tests.conftest import demo_clock, fast_kdf, settle

PW = "demo-password-123"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Any:
    from desktop.services.demo import build_demo

    folder = tmp_path_factory.mktemp("genogram") / "sw"
    ctx = build_demo(folder, PW, role="social_worker", kdf=fast_kdf(), clock=demo_clock())
    ctx.store.close()
    s = Session.sign_in(folder, PW, backup=False, clock=demo_clock())
    yield s, ctx
    s.close()


def _old_drawing(network: FamilyNetwork) -> Geometry:
    """The drawing before: people in each row by age, each relationship a straight line between them."""
    rows = generations(network)
    places: dict[str, tuple[float, float]] = {}
    for p in sorted(network.people, key=lambda p: (not p.on_case, p.date_of_birth or "9999", p.name)):
        places[p.id] = (float(sum(1 for _x, y in places.values() if y == rows[p.id])), float(rows[p.id]))
    return Geometry(places, tuple(Line((places[lk.person_id], places[lk.related_person_id]), "link", (lk,))
                                  for lk in network.links))


def _meets(point: tuple[float, float], line: Line) -> bool:
    """``point`` lies on one of the line's segments."""
    (x, y) = point
    for (x1, y1), (x2, y2) in line.segments():
        if x1 == x2 == x and min(y1, y2) <= y <= max(y1, y2):
            return True
        if y1 == y2 == y and min(x1, x2) <= x <= max(x1, x2):
            return True
    return False


def _hangs_from_parents(geometry: Geometry, network: FamilyNetwork) -> None:
    """Each child's vertical runs from a bar down to the child; the bar meets a descent, and the descent
    starts on the parents' couple line (two parents) or at the lone parent's symbol."""
    for child_line in (line for line in geometry.lines if line.kind == "child"):
        child = child_line.links[0].person_id
        top, bottom = child_line.points
        assert bottom == geometry.places[child]
        assert top[0] == bottom[0] and round(bottom[1] - top[1], 6) >= BAR
        parents = sorted({lk.related_person_id for lk in child_line.links})
        bars = [line for line in geometry.lines if line.kind == "bar" and _meets(top, line)]
        descents = [line for line in geometry.lines if line.kind == "descent"
                    and (line.points[-1] == top or any(_meets(line.points[-1], bar) for bar in bars))]
        assert len(descents) == 1, (child, descents)
        start = descents[0].points[0]
        if len(parents) == 1:
            assert start == geometry.places[parents[0]]
        else:
            couple = next(line for line in geometry.lines if line.kind == "couple"
                          and set(line.points) == {geometry.places[p] for p in parents})
            (x1, y), (x2, _y) = couple.points
            assert start == ((x1 + x2) / 2, y)


def _every_link_once(geometry: Geometry, network: FamilyNetwork) -> None:
    drawn = [lk for line in geometry.lines for lk in line.links]
    assert len(drawn) == len(network.links)
    assert all(sum(1 for d in drawn if d is lk) == 1 for lk in network.links)
    assert set(geometry.places) == {p.id for p in network.people}  # nobody dropped
    for line in geometry.lines:
        if line.kind == "link":  # a relationship's own line joins its two people and is named
            (link,) = line.links
            assert {line.points[0], line.points[-1]} == {geometry.places[link.person_id],
                                                         geometry.places[link.related_person_id]}
            assert line.label == link.kind and line.pr == link.parental_responsibility


def test_the_demo_family_draws_without_crossings_where_the_old_drawing_crossed(demo) -> None:
    s, ctx = demo
    network = FamilyService(s).network(ctx.cases["twr_cp"])
    assert crossings(_old_drawing(network)) >= 1  # the X a social worker read as a muddle
    geometry = draw(network)
    assert crossings(geometry) == 0
    _hangs_from_parents(geometry, network)
    _every_link_once(geometry, network)
    twr = ctx.families["twr"]
    kinds = {line.kind for line in geometry.lines}
    assert {"couple", "descent", "child", "link"} <= kinds
    couple = next(line for line in geometry.lines if line.kind == "couple")
    assert set(couple.points) == {geometry.places[twr["dafydd"]], geometry.places[twr["gwenllian"]]}
    osian = next(line for line in geometry.lines if line.kind == "child" and line.links[0].person_id == twr["osian"])
    assert sorted(lk.kind for lk in osian.links) == ["father", "mother"] and osian.pr  # both parents hold PR
    step = next(line for line in geometry.lines if line.label == "step_parent")
    assert not step.pr
    assert draw(network) == geometry  # the same network draws the same each time


def _network(people: list[tuple[bool, str | None]], links: list[tuple[int, int, str, bool]]) -> FamilyNetwork:
    members = [FamilyMember(f"p{i}", f"Person {i}", dob, True, subject) for i, (subject, dob) in enumerate(people)]
    shown = [FamilyLink(f"p{a}", f"p{b}", kind, pr, None, False) for a, b, kind, pr in links
             if a < len(people) and b < len(people) and a != b]
    return FamilyNetwork("case", "2026-00001", members, shown)


families = st.integers(min_value=1, max_value=7).flatmap(lambda n: st.tuples(
    st.lists(st.tuples(st.booleans(), st.sampled_from([None, "1960-01-01", "1985-05-05", "2015-02-02"])),
             min_size=n, max_size=n),
    st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1),
                       st.sampled_from(RELATIONSHIP_KINDS + ("mother", "father", "mother", "father", "partner")),
                       st.booleans()), max_size=10)))


@settings(max_examples=120, deadline=None)
@given(families)
def test_any_small_family_draws_everyone_and_every_relationship_exactly_once(family: Any) -> None:
    network = _network(*family)
    geometry = draw(network)
    _every_link_once(geometry, network)
    _hangs_from_parents(geometry, network)
    rows = generations(network)
    for line in geometry.lines:  # a child hangs one row under its parents
        if line.kind == "child":
            assert all(rows[lk.related_person_id] == rows[lk.person_id] - 1 for lk in line.links)
    assert draw(network) == geometry


def test_parental_responsibility_is_thick_where_it_is_held_and_only_there() -> None:
    """Two parents, both with PR for the first child, only the mother for the second: the first hangs
    from the couple's descent, thick; the second hangs from the mother alone, thick, and the father's link
    to them is a thin line of its own, named."""
    people = [(False, "1985-05-05"), (False, "1984-04-04"), (True, "2015-02-02"), (True, "2017-03-03")]
    network = _network(people, [(2, 0, "mother", True), (2, 1, "father", True), (3, 0, "mother", True),
                                (3, 1, "father", False)])
    geometry = draw(network)
    _every_link_once(geometry, network)
    _hangs_from_parents(geometry, network)
    first = next(line for line in geometry.lines if line.kind == "child" and line.links[0].person_id == "p2")
    second = next(line for line in geometry.lines if line.kind == "child" and line.links[0].person_id == "p3")
    assert first.pr and len(first.links) == 2
    assert second.pr and [lk.related_person_id for lk in second.links] == ["p0"]
    father = next(line for line in geometry.lines if line.kind == "link")
    assert father.label == "father" and not father.pr and father.links[0].person_id == "p3"
    no_pr = draw(_network(people, [(2, 0, "mother", False), (2, 1, "father", False)]))
    assert not any(line.pr for line in no_pr.lines)


def test_the_screen_and_the_pdf_draw_the_same_lines(qtbot, demo, tmp_path: Path) -> None:
    """The widget draws the geometry of :func:`draw` (ink along each of its segments), and the PDF's
    drawing made from that geometry has exactly its segments, scaled."""
    from reportlab.graphics.shapes import Line as PdfLine

    from reports.family import genogram, layout
    from ui.family import FamilyTab

    s, ctx = demo
    network = FamilyService(s).network(ctx.cases["twr_cp"])
    tab = FamilyTab(s, ctx.cases["twr_cp"])
    qtbot.addWidget(tab)
    tab.resize(1366, 800)
    tab.show()
    settle(qtbot)
    plan = tab.genogram.plan
    assert plan == draw(network)
    image = tab.genogram.grab().toImage()
    for line in plan.lines:
        for (x1, y1), (x2, y2) in line.segments():
            if (x1, y1) == (x2, y2):
                continue
            seen = 0
            for t in (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9):  # ink along the segment (names and symbols
                at = tab.genogram.point(x1 + (x2 - x1) * t, y1 + (y2 - y1) * t)  # are drawn over parts of it)
                near = [image.pixelColor(int(at.x()) + dx, int(at.y()) + dy) for dx in (-1, 0, 1) for dy in (-1, 0, 1)]
                seen += any(c.lightness() < 200 for c in near)
            assert seen >= 3, (line.kind, line.points)
    group = genogram(network, plan, "en", 10_000).contents[0]
    to_pdf = layout(plan)[2]
    expected = sorted(tuple(round(v, 3) for v in (*to_pdf(a), *to_pdf(b))) for line in plan.lines
                      for a, b in line.segments())
    drawn = sorted((round(sh.x1, 3), round(sh.y1, 3), round(sh.x2, 3), round(sh.y2, 3))
                   for sh in group.contents if isinstance(sh, PdfLine))
    key = [d for d in drawn if d not in expected]
    assert len(key) == 3 and sorted(d for d in drawn if d in expected) == expected  # the key: ✕ and the PR line


def test_siblings_on_one_bar_are_drawn_by_the_bar_and_partners_by_the_couple_line() -> None:
    """Two children of one couple, recorded as siblings, and the parents recorded as partners: the bar
    stands for the siblings' link and the couple line for the partners' (named); no line of their own."""
    people = [(False, "1985-05-05"), (False, "1984-04-04"), (True, "2015-02-02"), (True, "2017-03-03")]
    network = _network(people, [(2, 0, "mother", True), (2, 1, "father", True), (3, 0, "mother", True),
                                (3, 1, "father", True), (3, 2, "sibling", False), (0, 1, "partner", False)])
    geometry = draw(network)
    _every_link_once(geometry, network)
    _hangs_from_parents(geometry, network)
    assert not [line for line in geometry.lines if line.kind == "link"]
    (bar,) = [line for line in geometry.lines if line.kind == "bar"]
    assert [lk.kind for lk in bar.links] == ["sibling"] and bar.pr
    (couple,) = [line for line in geometry.lines if line.kind == "couple"]
    assert [lk.kind for lk in couple.links] == ["partner"] and couple.label == "partner"
    assert crossings(geometry) == 0
