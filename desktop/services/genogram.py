"""What a genogram draws (Qt-free): each person's place and every line, in row/column units, one
geometry for the screen (``ui/family.py``) and the PDF (``reports/family.py``).

The conventions: two parents of a child, in one row, are joined by a *couple line* (a partner link
between them is drawn as that line and carries its words); a *descent* drops from the couple line's
middle (or from a lone parent) to a *sibling bar* over their children, and a short vertical drops from
the bar to each child. Every other relationship (step-parent, grandparent, carer, a sibling not on the
same bar, a professional…) has its own line, named with the relationship: straight when that crosses
nothing, otherwise led round the outside of the drawing when that crosses less.

Parental responsibility: a child's vertical is thick when every parent it hangs from holds parental
responsibility for the child (the descent and bar they share are thick when every child's vertical is). Where only one of two parents holds
it, the child hangs from that parent alone (thick) and the other parent's link is drawn as its own
named thin line, so the thick line still means exactly "parental responsibility" (the key stays true).

Coordinates: ``x`` in columns (one person's place a column), ``y`` in rows from the top (a person's
symbol centre at a whole row; a sibling bar :data:`BAR` of a row above its children); both from 0.
Every link of the network is drawn by exactly one :class:`Line` (``links``); :func:`crossings` counts
where lines cross that should not.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from itertools import combinations

from desktop.services.family import FamilyLink, FamilyNetwork, generations

PARENT_KINDS = frozenset({"mother", "father", "parent"})
"""``related_person_id`` is the person's parent: the person hangs from them."""
SIBLING_KINDS = frozenset({"sibling", "half_sibling"})
BAR = 0.3
"""How far above a row its sibling bars run (a fraction of a row)."""
AROUND = 0.5
"""How far outside the people a line led round the drawing runs (a fraction of a column)."""
TRIALS = 40
"""At most this many neighbour swaps are tried (a large family stays quick to draw; the same each time)."""
STAGGER = 0.08
"""How much higher a bar runs where another group's bar already runs at that height (a fraction of a row)."""
LABEL_ABOVE = 0.12
"""A couple line's words sit this far above it (a fraction of a row), clear of the descent under them."""
"""How far outside the people a line led round the drawing runs (a fraction of a column)."""

Point = tuple[float, float]
Seg = tuple[int, tuple[Point, Point], frozenset[str]]


@dataclass(frozen=True)
class Line:
    """A polyline and the relationships it stands for. ``kind``: "couple", "descent", "bar", "child" or
    "link" (a relationship's own line); ``label``: the relationship kind named on it, if any, at
    ``label_at``; ``joins``: lines sharing a key meet on purpose (a bar and its children's verticals)."""

    points: tuple[Point, ...]
    kind: str
    links: tuple[FamilyLink, ...] = ()
    pr: bool = False
    label: str | None = None
    label_at: Point | None = None
    joins: frozenset[str] = frozenset()

    def segments(self) -> list[tuple[Point, Point]]:
        return list(zip(self.points, self.points[1:], strict=False))


@dataclass(frozen=True)
class Geometry:
    """Each person's symbol centre and the lines, ready to scale."""

    places: dict[str, Point]
    lines: tuple[Line, ...]

    @property
    def width(self) -> float:
        """Columns spanned (0 for one column)."""
        return max((x for x, _y in self._points()), default=0.0)

    @property
    def height(self) -> float:
        return max((y for _x, y in self._points()), default=0.0)

    def _points(self) -> Iterable[Point]:
        yield from self.places.values()
        for line in self.lines:
            yield from line.points


@dataclass(frozen=True)
class _Group:
    """Children hanging from the same parents (one or two)."""

    parents: tuple[str, ...]


def draw(network: FamilyNetwork) -> Geometry:
    """The genogram of ``network``: places ordered to keep crossings down (couples side by side,
    children under their parents), the same each time for the same network."""
    rows = generations(network)
    people = [p.id for p in network.people]
    age = {p.id: (not p.on_case, p.date_of_birth or "9999", p.name, p.id) for p in network.people}
    groups, hangs, couples = _structure(network, rows)
    order: dict[int, list[str]] = defaultdict(list)
    for pid in sorted(people, key=lambda q: age[q]):
        order[rows[pid]].append(pid)
    top = min(order, default=0)
    order = {r - top: v for r, v in order.items()}
    _couples_together(order, couples)
    _sweeps(order, network, rows, top)
    _children_together(order, groups)
    best = _lines(network, order, groups, hangs, couples)
    best_count = crossings(best)
    improved, trials = True, 0
    while improved and best_count and trials < TRIALS:  # greedy: swap neighbours while it crosses less
        improved = False
        for r in sorted(order):
            for i in range(len(order[r]) - 1):
                if trials >= TRIALS:
                    break
                trials += 1
                trial = {k: list(v) for k, v in order.items()}
                trial[r][i], trial[r][i + 1] = trial[r][i + 1], trial[r][i]
                geometry = _lines(network, trial, groups, hangs, couples)
                count = crossings(geometry)
                if count < best_count:
                    order, best, best_count, improved = trial, geometry, count, True
    return best


def _structure(network: FamilyNetwork, rows: dict[str, int]) -> tuple[
        dict[_Group, list[str]], dict[str, tuple[_Group, list[FamilyLink], bool]], set[tuple[str, str]]]:
    """Who hangs from whom: the sibling groups, each child's group and the links its vertical stands
    for, and the couples (two parents of a child, or partners, in one row)."""
    parents: dict[str, list[FamilyLink]] = defaultdict(list)
    for link in network.links:
        if (link.kind in PARENT_KINDS and link.person_id != link.related_person_id
                and rows[link.related_person_id] == rows[link.person_id] - 1):
            parents[link.person_id].append(link)
    groups: dict[_Group, list[str]] = defaultdict(list)
    hangs: dict[str, tuple[_Group, list[FamilyLink], bool]] = {}
    couples: set[tuple[str, str]] = set()
    for child in sorted(parents):
        links = parents[child]
        who = list(dict.fromkeys(link.related_person_id for link in links))[:2]
        holders = [p for p in who if any(lk.parental_responsibility for lk in links if lk.related_person_id == p)]
        if len(who) == 2 and len(holders) == 1:
            who = holders  # only one parent holds PR: hang from them; the other's own line is drawn
        group = _Group(tuple(sorted(who)))
        groups[group].append(child)
        hangs[child] = (group, [lk for lk in links if lk.related_person_id in who],
                        bool(holders) and len(holders) == len(who))
        if len(who) == 2:
            couples.add((group.parents[0], group.parents[1]))
    for link in network.links:
        a, b = sorted((link.person_id, link.related_person_id))
        if link.kind == "partner" and a != b and rows[a] == rows[b]:
            couples.add((a, b))
    return groups, hangs, couples


def _couples_together(order: dict[int, list[str]], couples: set[tuple[str, str]]) -> None:
    """Move each partner next to the other (the first in the row's order stays)."""
    for r, row in order.items():
        for a, b in sorted(couples):
            if a in row and b in row and abs(row.index(a) - row.index(b)) > 1:
                row.remove(b)
                row.insert(row.index(a) + 1, b)
        order[r] = row


def _sweeps(order: dict[int, list[str]], network: FamilyNetwork, rows: dict[str, int], top: int) -> None:
    """A few barycentre sweeps (down, then up): each person moves towards the mean column of the people
    they are linked to in the row above (then below); ties keep the order they had."""
    near: dict[str, set[str]] = defaultdict(set)
    for link in network.links:
        near[link.person_id].add(link.related_person_id)
        near[link.related_person_id].add(link.person_id)
    for _sweep in range(3):
        for step in (1, -1):
            for r in sorted(order, reverse=step < 0):
                other = order.get(r - step)
                if not other:
                    continue
                where = {pid: i for i, pid in enumerate(other)}
                row = order[r]

                def centre(pid: str, i: int, where: dict[str, int] = where) -> float:
                    linked = [where[q] for q in near[pid] if q in where]
                    return sum(linked) / len(linked) if linked else float(i)

                keyed = sorted(enumerate(row), key=lambda e: (centre(e[1], e[0]), e[0]))
                order[r] = [pid for _i, pid in keyed]


def _children_together(order: dict[int, list[str]], groups: dict[_Group, list[str]]) -> None:
    """Each group's children side by side, where the first of them stands (so bars do not interleave)."""
    group_of = {child: group for group, children in groups.items() for child in children}
    for r, row in order.items():
        out: list[str] = []
        for pid in row:
            group = group_of.get(pid)
            if group is None:
                out.append(pid)
            elif pid not in out:
                out.extend(c for c in row if group_of.get(c) == group)
        order[r] = out


def _lines(network: FamilyNetwork, order: dict[int, list[str]], groups: dict[_Group, list[str]],
           hangs: dict[str, tuple[_Group, list[FamilyLink], bool]], couples: set[tuple[str, str]]) -> Geometry:
    """The lines for people placed in ``order`` (row → people left to right)."""
    places: dict[str, Point] = {}
    for r, row in order.items():
        for i, pid in enumerate(row):
            places[pid] = (float(i), float(r))
    lines: list[Line] = []
    drawn: set[int] = set()
    for a, b in sorted(couples):
        words = [lk for lk in network.links if lk.kind == "partner"
                 and {lk.person_id, lk.related_person_id} == {a, b}]
        drawn.update(id(lk) for lk in words)
        (xa, y), (xb, _y) = places[a], places[b]
        left, right = sorted((xa, xb))
        lines.append(Line(((left, y), (right, y)), "couple", tuple(words), any(lk.parental_responsibility for lk in words),
                          words[0].kind if words else None, ((left + right) / 2, y - LABEL_ABOVE),
                          frozenset({f"c:{a}:{b}"})))
    bars: dict[float, list[tuple[float, float]]] = defaultdict(list)  # bar height → spans taken
    for group, children in sorted(groups.items(), key=lambda g: g[0].parents):
        key = f"g:{':'.join(group.parents)}"
        pr = all(hangs[c][2] for c in children)  # the shared part thick only when every child's is
        xs = [places[p][0] for p in group.parents]
        top_x, top_y = sum(xs) / len(xs), places[group.parents[0]][1]
        kids = sorted(children, key=lambda c: places[c][0])
        span = sorted({top_x, *(places[c][0] for c in kids)})
        # A bar never runs into another: a little higher when one is already at that height there.
        levels = [round(top_y + 1 - BAR - STAGGER * k, 6) for k in range(3)]
        bar_y = next((y for y in levels if all(span[-1] < lo or span[0] > hi for lo, hi in bars[y])), levels[0])
        bars[bar_y].append((span[0], span[-1]))
        joins = frozenset({key, f"c:{':'.join(group.parents)}"}) if len(xs) == 2 else frozenset({key})
        siblings = tuple(lk for lk in network.links if lk.kind in SIBLING_KINDS
                         and lk.person_id in children and lk.related_person_id in children)
        drawn.update(id(lk) for lk in siblings)
        lines.append(Line(((top_x, top_y), (top_x, bar_y)), "descent", (), pr, joins=joins))
        if len(span) > 1 or siblings:
            lines.append(Line(((span[0], bar_y), (span[-1], bar_y)), "bar", siblings, pr, joins=frozenset({key})))
        for child in kids:
            links = tuple(hangs[child][1])
            drawn.update(id(lk) for lk in links)
            x, y = places[child]
            lines.append(Line(((x, bar_y), (x, y)), "child", links, hangs[child][2], joins=frozenset({key})))
    own = [lk for lk in network.links if id(lk) not in drawn]
    structure = list(lines)
    left_lane, right_lane = -AROUND, max((x for x, _y in places.values()), default=0.0) + AROUND
    for link in own:
        route = _route(link, places, structure, left_lane, right_lane)
        if any(x == left_lane for x, _y in route[1:-1]):  # the next line led round runs outside this one
            left_lane -= 0.1
        if any(x == right_lane for x, _y in route[1:-1]):
            right_lane += 0.1
        at = _label_at(route)
        line = Line(tuple(route), "link", (link,), link.parental_responsibility, link.kind, at)
        structure.append(line)
    return _normalised(Geometry(places, tuple(structure)))


def _route(link: FamilyLink, places: dict[str, Point], drawn: Sequence[Line], left: float,
           right: float) -> list[Point]:
    """Straight from the person to the related person, or round the outside (left or right, above both)
    when that crosses fewer lines already drawn."""
    a, b = places[link.person_id], places[link.related_person_id]
    up, down = sorted((a, b), key=lambda p: p[1])  # up the upper person's side, down to the lower person's row
    above = up[1] - BAR
    routes = [[a, b]] + [[up, (up[0], above), (side, above), (side, down[1]), down] for side in (left, right)]
    if a[1] == b[1]:
        routes.append([a, (a[0], above), (b[0], above), b])
    theirs = _segments(drawn, start=1)
    best: tuple[int, list[Point]] | None = None
    for route in routes:  # the first that crosses least: straight when nothing is crossed
        count = _added(Line(tuple(route), "link", (link,)), theirs, places)
        if best is None or count < best[0]:
            best = (count, route)
        if count == 0:
            break
    assert best is not None
    return best[1]


def _label_at(route: Sequence[Point]) -> Point:
    """Where a line's words go: a third of the way from the person on a straight line between rows,
    halfway along it otherwise; on the longest leg of a line led round."""
    if len(route) == 2:
        (x1, y1), (x2, y2) = route
        t = 0.5 if y1 == y2 else 0.3
        return (x1 + (x2 - x1) * t, y1 + (y2 - y1) * t)
    legs = list(zip(route, route[1:], strict=False))
    (x1, y1), (x2, y2) = max(legs, key=lambda leg: abs(leg[1][0] - leg[0][0]) + abs(leg[1][1] - leg[0][1]))
    return ((x1 + x2) / 2, (y1 + y2) / 2)


def _normalised(g: Geometry) -> Geometry:
    """Moved so the smallest x and y of any point are 0."""
    points = [*g.places.values(), *(p for line in g.lines for p in line.points)]
    dx, dy = -min((x for x, _y in points), default=0.0), -min((y for _x, y in points), default=0.0)

    def move(p: Point) -> Point:
        return (round(p[0] + dx, 6), round(p[1] + dy, 6))

    return Geometry({pid: move(p) for pid, p in g.places.items()},
                    tuple(replace(line, points=tuple(move(p) for p in line.points),
                                  label_at=move(line.label_at) if line.label_at else None) for line in g.lines))


def crossings(geometry: Geometry) -> int:
    """How many pairs of segments (of different lines) meet where they should not: crossing, overlapping,
    or one running into the other, except where two lines share an end (a person's symbol) or are meant
    to meet (a bar and its verticals; a couple line and its descent). A line through someone's symbol
    that is not one of its ends counts as a crossing too."""
    segs = _segments(geometry.lines)
    count = sum(_bad(x, y) for x, y in combinations(segs, 2))
    return count + _through(geometry.lines, geometry.places)


def _added(line: Line, theirs: Sequence[Seg], places: dict[str, Point]) -> int:
    """The crossings ``line`` would add to the lines drawn (``theirs``: their segments)."""
    mine = _segments([line])
    return sum(_bad(x, y) for x in mine for y in theirs) + _through([line], places)


def _segments(lines: Sequence[Line], start: int = 0) -> list[Seg]:
    return [(i, s, line.joins) for i, line in enumerate(lines, start) for s in line.segments() if s[0] != s[1]]


def _bad(x: Seg, y: Seg) -> bool:
    (i, s, js), (j, t, jt) = x, y
    if i == j or (js & jt):
        return False
    if (max(s[0][0], s[1][0]) < min(t[0][0], t[1][0]) - 1e-9 or max(t[0][0], t[1][0]) < min(s[0][0], s[1][0]) - 1e-9
            or max(s[0][1], s[1][1]) < min(t[0][1], t[1][1]) - 1e-9
            or max(t[0][1], t[1][1]) < min(s[0][1], s[1][1]) - 1e-9):
        return False  # their boxes do not meet
    hit = _meet(s, t)
    if hit is None:
        return False
    return isinstance(hit, str) or not (_is_end(hit, s) and _is_end(hit, t))


def _through(lines: Sequence[Line], places: dict[str, Point]) -> int:
    return sum(1 for line in lines for s in line.segments() for p in places.values()
               if not _is_end(p, s) and _on(p, s))


def _is_end(p: Point, s: tuple[Point, Point]) -> bool:
    return _close(p, s[0]) or _close(p, s[1])


def _close(p: Point, q: Point) -> bool:
    return abs(p[0] - q[0]) < 1e-9 and abs(p[1] - q[1]) < 1e-9


def _cross(o: Point, a: Point, b: Point) -> float:
    return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])


def _on(p: Point, s: tuple[Point, Point]) -> bool:
    a, b = s
    return (abs(_cross(a, b, p)) < 1e-9 and min(a[0], b[0]) - 1e-9 <= p[0] <= max(a[0], b[0]) + 1e-9
            and min(a[1], b[1]) - 1e-9 <= p[1] <= max(a[1], b[1]) + 1e-9)


def _meet(s: tuple[Point, Point], t: tuple[Point, Point]) -> Point | str | None:
    """Where two segments meet: a point, "overlap" (collinear, sharing more than a point) or None."""
    (p1, p2), (q1, q2) = s, t
    d1, d2 = _cross(q1, q2, p1), _cross(q1, q2, p2)
    d3, d4 = _cross(p1, p2, q1), _cross(p1, p2, q2)
    if abs(d1) < 1e-9 and abs(d2) < 1e-9:  # collinear
        shared = [p for p in (p1, p2) if _on(p, t)] + [q for q in (q1, q2) if _on(q, s)]
        unique = {(round(x, 6), round(y, 6)) for x, y in shared}
        if len(unique) > 1:
            return "overlap"
        return shared[0] if shared else None
    if (d1 > 1e-9 and d2 > 1e-9) or (d1 < -1e-9 and d2 < -1e-9) or (d3 > 1e-9 and d4 > 1e-9) or (
            d3 < -1e-9 and d4 < -1e-9):
        return None
    denom = (p2[0] - p1[0]) * (q2[1] - q1[1]) - (p2[1] - p1[1]) * (q2[0] - q1[0])
    u = ((q1[0] - p1[0]) * (q2[1] - q1[1]) - (q1[1] - p1[1]) * (q2[0] - q1[0])) / denom
    return (p1[0] + u * (p2[0] - p1[0]), p1[1] + u * (p2[1] - p1[1]))
