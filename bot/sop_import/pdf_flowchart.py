"""Read the drawn flowchart of one page: which role does each symbol sit in, in what order.

Each symbol is placed in the step row and role column its centre falls in. Connector
pieces that touch are joined into one connector; an arrowhead on a symbol makes that
symbol the connector's target and the other symbols it touches its sources. The order of
the actors of one step follows those arrows, so a chain drawn right-to-left still reads
in the direction of the flow. A diamond's connectors are its outcomes, labelled by the
nearest free text ("Ya", "Tidak, butuh perbaikan").
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from bot.sop_import.pdf_shapes import Box, Point, Shapes, Symbol

_TOUCH = 3.0  # points between two connector pieces that join
_REACH = 9.0  # points between a connector's end or an arrowhead and the symbol it belongs to
_SHORT = 40.0  # points an arrowhead may stop short of its symbol (drawn connectors often do)
_LABEL_REACH = 30.0  # points from a connector to its branch label


@dataclass(frozen=True)
class Cell:
    row: int  # caller's row key (index into the combined step rows)
    role: int  # index of the role column
    box: Box


@dataclass
class Placed:
    symbol: Symbol
    row: int
    role: int
    number: int = 0


@dataclass
class Branch:
    label: str | None
    target_row: int | None  # None: the arrow leaves the page or ends nowhere readable


@dataclass
class PageFlow:
    placed: list[Placed] = field(default_factory=list)
    branches: dict[int, list[Branch]] = field(default_factory=dict)  # id(placed diamond) -> branches

    def in_row(self, row: int) -> list[Placed]:
        return [p for p in self.placed if p.row == row]


def _dist_point_segment(p: Point, a: Point, b: Point) -> float:
    (px, py), (ax, ay), (bx, by) = p, a, b
    dx, dy = bx - ax, by - ay
    if dx == dy == 0:
        return math.hypot(px - ax, py - ay)
    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
    return math.hypot(px - (ax + t * dx), py - (ay + t * dy))


def _dist(a: list[Point], b: list[Point]) -> float:
    """Smallest distance between two polylines (vertices against segments, both ways)."""
    best = float("inf")
    for pts, other in ((a, b), (b, a)):
        segs = list(zip(other, other[1:])) or [(other[0], other[0])]
        for p in pts:
            for s, e in segs:
                best = min(best, _dist_point_segment(p, s, e))
    return best


def _corners(box: Box) -> list[Point]:
    return [(box.x0, box.top), (box.x1, box.top), (box.x1, box.bottom), (box.x0, box.bottom), (box.x0, box.top)]


def _components(pieces: list[list[Point]]) -> list[list[int]]:
    parent = list(range(len(pieces)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(len(pieces)):
        for j in range(i + 1, len(pieces)):
            if find(i) != find(j) and _dist(pieces[i], pieces[j]) <= _TOUCH:
                parent[find(i)] = find(j)
    groups: dict[int, list[int]] = {}
    for i in range(len(pieces)):
        groups.setdefault(find(i), []).append(i)
    return list(groups.values())


def place_symbols(symbols: list[Symbol], cells: list[Cell]) -> list[Placed]:
    """Symbols inside role cells; a shape filling its whole cell is shading, not a symbol."""
    placed = []
    for symbol in symbols:
        for cell in cells:
            if not cell.box.contains(symbol.box.center):
                continue
            if symbol.box.width >= 0.9 * cell.box.width and symbol.box.height >= 0.8 * cell.box.height:
                break
            placed.append(Placed(symbol, cell.row, cell.role))
            break
    return placed


def _touches(points: list[Point], box: Box) -> bool:
    grown = box.grown(_REACH)
    return any(grown.contains(p) for p in points)


Link = tuple[list[int], list[int], list[list[Point]]]


def _links(placed: list[Placed], shapes: Shapes, extra: list[list[Point]]) -> list[Link]:
    """Per connector: (sources, targets, its line pieces), symbols as indices into `placed`."""
    arrows = [_corners(a) for a in shapes.arrows]
    pieces = shapes.connectors + extra + arrows
    first_arrow = len(shapes.connectors) + len(extra)
    links = []
    for group in _components(pieces):
        lines = [pieces[i] for i in group if i < first_arrow]
        line_points = [p for i in group if i < first_arrow for p in pieces[i]]
        touched = {n for n, pl in enumerate(placed) if _touches(line_points, pl.symbol.box)}
        targets = set()
        for i in (i for i in group if i >= first_arrow):
            target = _arrow_target(shapes.arrows[i - first_arrow], placed, touched)
            if target is not None:
                targets.add(target)
        sources = sorted(touched - targets)
        if targets or sources:
            links.append((sources, sorted(targets), lines))
    return links


def _arrow_target(arrow: Box, placed: list[Placed], sources: set[int]) -> int | None:
    """The symbol an arrowhead points at: touching it, else the nearest one just ahead."""
    near = [n for n, pl in enumerate(placed) if pl.symbol.box.grown(_REACH).overlap(arrow) > 0]
    if near:
        return near[0]
    ax, ay = arrow.center
    ranked = sorted((math.hypot(max(pl.symbol.box.x0 - ax, 0, ax - pl.symbol.box.x1),
                                max(pl.symbol.box.top - ay, 0, ay - pl.symbol.box.bottom)), n)
                    for n, pl in enumerate(placed) if n not in sources)
    return ranked[0][1] if ranked and ranked[0][0] <= _SHORT else None


def _order(placed: list[Placed], edges: set[tuple[int, int]]) -> None:
    """Number the symbols: rows in order, inside a row along the arrows, then left to right."""
    number = 1
    for row in sorted({p.row for p in placed}):
        members = sorted((n for n, p in enumerate(placed) if p.row == row), key=lambda n: placed[n].symbol.box.x0)
        pending = list(members)
        while pending:
            free = [n for n in pending if not any((m, n) in edges for m in pending if m != n)]
            pick = free[0] if free else pending[0]
            placed[pick].number = number
            number += 1
            pending.remove(pick)


def _phrases(words: list[dict[str, Any]], area: list[Box], symbols: list[Placed]) -> list[tuple[str, Box]]:
    """Free text in the role cells (not inside a symbol), joined into phrases."""
    free = []
    for w in words:
        box = Box(float(w["x0"]), float(w["top"]), float(w["x1"]), float(w["bottom"]))
        if any(a.contains(box.center) for a in area) and not any(p.symbol.box.contains(box.center) for p in symbols):
            free.append((str(w["text"]), box))
    free.sort(key=lambda t: (round(t[1].top), t[1].x0))
    phrases: list[tuple[str, Box]] = []
    for text, box in free:
        if phrases:
            last_text, last = phrases[-1]
            same_line = abs(last.top - box.top) < 2 and 0 <= box.x0 - last.x1 < 6
            next_line = 0 <= box.top - last.bottom < 4 and abs(box.x0 - last.x0) < 6
            if same_line or next_line:
                joined = Box(min(last.x0, box.x0), min(last.top, box.top), max(last.x1, box.x1), max(last.bottom, box.bottom))
                phrases[-1] = (f"{last_text} {text}", joined)
                continue
        phrases.append((text, box))
    return phrases


def read_flow(shapes: Shapes, cells: list[Cell], words: list[dict[str, Any]], extra: list[list[Point]]) -> PageFlow:
    """Placed, numbered symbols and each diamond's branches on one page."""
    placed = place_symbols(shapes.symbols, cells)
    links = _links(placed, shapes, extra)
    edges = {(s, t) for sources, targets, _pts in links for s in sources for t in targets if s != t}
    _order(placed, edges)
    flow = PageFlow(placed=placed)
    phrases = _phrases(words, [c.box for c in cells], placed)
    used: set[int] = set()
    for n, item in enumerate(placed):
        if item.symbol.kind != "diamond":
            continue
        outgoing = [(targets, _exit_leg(points, item.symbol.box)) for sources, targets, points in links if n in sources]
        pairs = sorted((min((_dist([b.center, (b.x0, b.top), (b.x1, b.bottom)], piece) for piece in leg),
                            default=float("inf")), i, k)
                       for i, (_targets, leg) in enumerate(outgoing) for k, (_t, b) in enumerate(phrases))
        labels: dict[int, str] = {}
        for distance, i, k in pairs:  # closest pairs first: each branch and each label once
            if distance <= _LABEL_REACH and i not in labels and k not in used:
                labels[i] = phrases[k][0]
                used.add(k)
        branches = []
        for i, (targets, _leg) in enumerate(outgoing):
            ends = [placed[t].row for t in targets if t != n]
            branches.append(Branch(labels.get(i), ends[0] if ends else None))
        flow.branches[id(item)] = branches
    return flow


def _exit_leg(pieces: list[list[Point]], box: Box) -> list[list[Point]]:
    """The pieces of a connector that leave the diamond: its label is written next to them."""
    leg = [piece for piece in pieces if _touches(piece, box)]
    return leg or pieces
