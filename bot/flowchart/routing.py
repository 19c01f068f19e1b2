"""Flow lines between symbols, drawn the way SOP AP charts draw them: orthogonal elbows.

Arrows between consecutive symbols follow fixed rules (sideways within a step's actor
chain, downwards between steps). A decision's jump back (or forward) needs a free vertical
channel through the swimlanes; several candidate channels are scored by how many symbols
they would cut, how many lines they cross or run along, and their length, so the loop
stays readable whatever the lane order of the SOP.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from bot.flowchart.geometry import Arrow, ArrowKind, Box, Column, Point, Shape
from bot.flowchart.text import text_width

EPS = 0.5
SHAPE_CLEARANCE = 3.0
LANE_EDGE_INSET = 4.5
EDGE_PENALTY = 80.0  # a channel hugging a grid line is hard to tell from the table
CROSSING_COST = 150.0  # a crossing is worth a detour of about two lanes
NOTE_W, NOTE_H = 62.0, 30.0  # the box of a two-line note such as "Kembali ke / langkah 3"


def _same(a: float, b: float) -> bool:
    return abs(a - b) < 1.0


def chain_points(a: Shape, b: Shape) -> tuple[Point, ...]:
    """From one actor of a step to the next: across lanes, or down when stacked."""
    if _same(a.cy, b.cy):
        if b.cx >= a.cx:
            return ((a.right, a.cy), (b.x, b.cy))
        return ((a.x, a.cy), (b.right, b.cy))
    if _same(a.cx, b.cx):
        return ((a.cx, a.bottom), (b.cx, b.y))
    side = b.x if b.cx > a.cx else b.right
    return ((a.cx, a.bottom), (a.cx, b.cy), (side, b.cy))


def down_points(a: Shape, b: Shape, turn_floor: float) -> tuple[Point, ...]:
    """From a step's last symbol down to the next step's first one.

    The horizontal leg runs just above the target symbol (but below `turn_floor`, the
    top of the target's row) so it never lies on a grid line.
    """
    if _same(a.cx, b.cx):
        return ((a.cx, a.bottom), (b.cx, b.y))
    turn = max(turn_floor + 6.0, b.y - 12.0)
    turn = max(turn, a.bottom + 6.0) if a.bottom < b.y else turn
    return ((a.cx, a.bottom), (a.cx, turn), (b.cx, turn), (b.cx, b.y))


def side_points(a: Shape, b: Shape) -> tuple[Point, ...]:
    """A horizontal line between two symbols at the same height (e.g. to a connector)."""
    if b.cx >= a.cx:
        return ((a.right, a.cy), (b.x, a.cy))
    return ((a.x, a.cy), (b.right, a.cy))


def segments(points: Sequence[Point]) -> list[tuple[Point, Point]]:
    return list(zip(points, points[1:]))


def _hits_box(p: Point, q: Point, box: Box, clearance: float = SHAPE_CLEARANCE) -> bool:
    x1, x2 = sorted((p[0], q[0]))
    y1, y2 = sorted((p[1], q[1]))
    return (
        x1 < box.right + clearance
        and x2 > box.x - clearance
        and y1 < box.bottom + clearance
        and y2 > box.y - clearance
    )


def _crosses(s: tuple[Point, Point], t: tuple[Point, Point]) -> bool:
    """True when a horizontal and a vertical segment cross in their interiors."""
    (a, b), (c, d) = s, t
    s_vertical = _same(a[0], b[0])
    t_vertical = _same(c[0], d[0])
    if s_vertical == t_vertical:
        return False
    (v1, v2), (h1, h2) = ((a, b), (c, d)) if s_vertical else ((c, d), (a, b))
    x = v1[0]
    y = h1[1]
    hx1, hx2 = sorted((h1[0], h2[0]))
    vy1, vy2 = sorted((v1[1], v2[1]))
    return hx1 + EPS < x < hx2 - EPS and vy1 + EPS < y < vy2 - EPS


def _overlaps(s: tuple[Point, Point], t: tuple[Point, Point]) -> bool:
    """True when two parallel segments run along each other (lines that merge mislead)."""
    (a, b), (c, d) = s, t
    if _same(a[0], b[0]) and _same(c[0], d[0]) and abs(a[0] - c[0]) < 4.0:
        lo, hi = sorted((a[1], b[1]))
        lo2, hi2 = sorted((c[1], d[1]))
        return min(hi, hi2) - max(lo, lo2) > 2.0
    if _same(a[1], b[1]) and _same(c[1], d[1]) and abs(a[1] - c[1]) < 4.0:
        lo, hi = sorted((a[0], b[0]))
        lo2, hi2 = sorted((c[0], d[0]))
        return min(hi, hi2) - max(lo, lo2) > 2.0
    return False


def _cost(
    points: Sequence[Point],
    src: Shape,
    dst: Shape,
    shapes: Iterable[Shape],
    arrows: Iterable[Arrow],
) -> float:
    segs = segments(points)
    cost = sum(abs(p[0] - q[0]) + abs(p[1] - q[1]) for p, q in segs)
    for shape in shapes:
        for index, (p, q) in enumerate(segs):
            if shape.id == src.id and index == 0 or shape.id == dst.id and index == len(segs) - 1:
                continue
            if _hits_box(p, q, shape):
                cost += 10_000
    for arrow in arrows:
        for other in segments(arrow.points):
            for seg in segs:
                if _overlaps(seg, other):
                    cost += 2_000
                elif _crosses(seg, other):
                    cost += CROSSING_COST
    return cost


def channel_candidates(lanes: Sequence[Column]) -> list[tuple[float, float]]:
    """Vertical channels to try, with a small penalty for hugging a lane's grid line."""
    found: list[tuple[float, float]] = []
    for lane in lanes:
        found.append((lane.cx, 0.0))
        found.append((lane.x + LANE_EDGE_INSET, EDGE_PENALTY))
        found.append((lane.right - LANE_EDGE_INSET, EDGE_PENALTY))
    return found


def channel_points(src: Shape, dst: Shape, x: float) -> tuple[Point, ...] | None:
    """Out of `src` sideways to channel `x`, along it to `dst`'s height, then into `dst`."""
    if src.x - EPS <= x <= src.right + EPS or dst.x - EPS <= x <= dst.right + EPS:
        return None
    exit_x = src.right if x > src.cx else src.x
    entry_x = dst.right if x > dst.cx else dst.x
    return ((exit_x, src.cy), (x, src.cy), (x, dst.cy), (entry_x, dst.cy))


def route_jump(
    src: Shape,
    dst: Shape,
    lanes: Sequence[Column],
    shapes: Sequence[Shape],
    arrows: Sequence[Arrow],
    kind: ArrowKind,
    label: str | None,
    note: str | None,
) -> Arrow:
    """The best orthogonal route for a decision's jump to a symbol on the same page."""
    best: tuple[float, tuple[Point, ...]] | None = None
    for x, penalty in channel_candidates(lanes):
        points = channel_points(src, dst, x)
        if points is None:
            continue
        cost = _cost(points, src, dst, shapes, arrows) + penalty
        if best is None or cost < best[0]:
            best = (cost, points)
    if best is None:  # every lane is covered by one of the two symbols: go round the table
        x = max(lane.right for lane in lanes) - LANE_EDGE_INSET
        points = ((src.right, src.cy), (x, src.cy), (x, dst.cy), (dst.right, dst.cy))
    else:
        points = best[1]
    return make_arrow(src, dst, kind, points, label, note, shapes)


def _note_position(points: Sequence[Point], obstacles: Sequence[Shape]) -> Point:
    """A spot on the longest leg where the note's box covers no symbol."""
    p, q = max(segments(points), key=lambda s: abs(s[0][1] - s[1][1]) + abs(s[0][0] - s[1][0]))
    spots = [(p[0] + (q[0] - p[0]) * t, p[1] + (q[1] - p[1]) * t) for t in (0.5, 0.38, 0.62, 0.26, 0.74)]
    for x, y in spots:
        box = Box(x - NOTE_W / 2, y - NOTE_H / 2, NOTE_W, NOTE_H)
        if not any(_hits_box((s.x, s.y), (s.right, s.bottom), box, 4.0) for s in obstacles):
            return (x, y)
    return spots[0]


def make_arrow(
    src: Shape,
    dst: Shape,
    kind: ArrowKind,
    points: tuple[Point, ...],
    label: str | None = None,
    note: str | None = None,
    obstacles: Sequence[Shape] = (),
) -> Arrow:
    """An arrow with its label placed by the source symbol and its note mid-way."""
    label_at: Point | None = None
    align = ("left", "bottom")
    note_at: Point | None = None
    if label:
        (x0, y0), (x1, y1) = points[0], points[1]
        if _same(x0, x1):  # leaves downwards: label right of the line, under the symbol
            label_at, align = (x0 + 4.0, y0 + 3.0), ("left", "top")
        elif abs(x1 - x0) < text_width(label, bold=True) + 10 and len(points) == 2:
            # a short hop to a neighbour (a side connector): the label sits above the gap
            label_at, align = ((x0 + x1) / 2, y0 - dst.h / 2 - 2.0), ("center", "bottom")
        else:  # leaves sideways: next to the symbol, on the side the line does not turn to
            turns_up = len(points) > 2 and points[2][1] < y1
            label_at = (x0 + (4.0 if x1 > x0 else -4.0), y0 + (3.0 if turns_up else -3.0))
            align = ("left" if x1 > x0 else "right", "top" if turns_up else "bottom")
    if note:
        note_at = _note_position(points, obstacles)
    return Arrow(src.id, dst.id, kind, points, label, note, label_at, align, note_at)
