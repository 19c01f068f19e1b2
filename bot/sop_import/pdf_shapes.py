"""Sort the vector graphics of a PDF page into grid lines, flowchart symbols and connectors.

Word and LibreOffice export an SOP AP page as drawing operations only: table rules are thin
filled rectangles or lines, a flowchart box is a stroked rectangle or a filled outline, a
connector is a thin polygon traced around its path and an arrowhead is a tiny triangle.
Nothing says which is which, so the shapes are told apart by geometry: thickness, size and
how much of its bounding box a closed outline covers (a box ≈ 1, a rounded terminal ≈ 0.8,
a diamond ≈ 0.5, a traced connector ≈ 0).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Point = tuple[float, float]

THIN = 2.6
"""Thickest a table rule or a straight connector is drawn (points)."""
ARROW = 8.0
"""Largest an arrowhead is in both directions (points)."""
SYMBOL = 9.0
"""Smallest a flowchart symbol is in both directions (points); smaller boxes mask labels."""
_LIGHT = 0.5


@dataclass(frozen=True)
class Box:
    x0: float
    top: float
    x1: float
    bottom: float

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.bottom - self.top

    @property
    def center(self) -> Point:
        return ((self.x0 + self.x1) / 2, (self.top + self.bottom) / 2)

    def grown(self, by: float) -> Box:
        return Box(self.x0 - by, self.top - by, self.x1 + by, self.bottom + by)

    def contains(self, point: Point) -> bool:
        x, y = point
        return self.x0 <= x <= self.x1 and self.top <= y <= self.bottom

    def overlap(self, other: Box) -> float:
        """Intersection over the smaller area (1 = one lies inside the other)."""
        w = min(self.x1, other.x1) - max(self.x0, other.x0)
        h = min(self.bottom, other.bottom) - max(self.top, other.top)
        if w <= 0 or h <= 0:
            return 0.0
        small = min(self.width * self.height, other.width * other.height) or 1.0
        return w * h / small


@dataclass(frozen=True)
class Segment:
    """A straight thin stroke: a table rule or one leg of a connector."""

    box: Box

    @property
    def vertical(self) -> bool:
        return self.box.height > self.box.width

    @property
    def ends(self) -> tuple[Point, Point]:
        b = self.box
        if self.vertical:
            x = (b.x0 + b.x1) / 2
            return (x, b.top), (x, b.bottom)
        y = (b.top + b.bottom) / 2
        return (b.x0, y), (b.x1, y)


@dataclass(frozen=True)
class Symbol:
    kind: str  # "box" (process, start/end) or "diamond" (decision)
    box: Box
    raster: bool = False  # found in a pasted picture: no arrows to order it by


@dataclass
class Shapes:
    segments: list[Segment] = field(default_factory=list)
    symbols: list[Symbol] = field(default_factory=list)
    arrows: list[Box] = field(default_factory=list)
    connectors: list[list[Point]] = field(default_factory=list)  # polylines (vertex lists)


def _box(obj: dict[str, Any]) -> Box:
    return Box(float(obj["x0"]), float(obj["top"]), float(obj["x1"]), float(obj["bottom"]))


def _area(points: list[Point]) -> float:
    return abs(sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(points, points[1:] + points[:1]))) / 2


def _closed(points: list[Point]) -> bool:
    (ax, ay), (bx, by) = points[0], points[-1]
    return abs(ax - bx) < 1.5 and abs(ay - by) < 1.5


def _light(obj: dict[str, Any]) -> bool:
    """A fill lighter than mid-grey (cell shading, white symbol interiors)."""
    color = obj.get("non_stroking_color")
    values = color if isinstance(color, (list, tuple)) else [color] if isinstance(color, (int, float)) else []
    return bool(values) and len(values) in (1, 3) and min(float(v) for v in values) > _LIGHT


def _add_symbol(shapes: Shapes, kind: str, box: Box) -> None:
    """Keep one symbol per place: outlines are often drawn twice (fill and border)."""
    for index, known in enumerate(shapes.symbols):
        if known.box.overlap(box) > 0.6 and abs(known.box.width - box.width) < 0.35 * max(box.width, 1):
            if kind == "diamond" and known.kind != "diamond":
                shapes.symbols[index] = Symbol(kind, box)
            return
    shapes.symbols.append(Symbol(kind, box))


def _curve(shapes: Shapes, curve: dict[str, Any]) -> None:
    box = _box(curve)
    points = [(float(x), float(y)) for x, y in curve.get("pts", [])]
    if len(points) < 2:
        return
    if box.width <= ARROW and box.height <= ARROW:
        if _closed(points) and len(points) <= 8:
            shapes.arrows.append(box)
        return
    if min(box.width, box.height) <= THIN:
        shapes.segments.append(Segment(box)) if len(points) <= 5 else shapes.connectors.append(points)
        return
    if not _closed(points):
        shapes.connectors.append(points)
        return
    ratio = _area(points) / (box.width * box.height)
    if ratio < 0.3 or min(box.width, box.height) < SYMBOL:
        shapes.connectors.append(points)
    elif ratio < 0.64:
        _add_symbol(shapes, "diamond", box)
    else:
        _add_symbol(shapes, "box", box)


def read_shapes(page: Any) -> Shapes:
    """The shapes of one pdfplumber page."""
    shapes = Shapes()
    for line in page.lines:
        shapes.segments.append(Segment(_box(line)))
    for rect in page.rects:
        box = _box(rect)
        if min(box.width, box.height) <= THIN:
            shapes.segments.append(Segment(box))
        elif box.width <= ARROW and box.height <= ARROW:
            shapes.arrows.append(box)
        elif min(box.width, box.height) < SYMBOL:
            continue
        elif rect.get("stroke") or (rect.get("fill") and not _light(rect)):
            _add_symbol(shapes, "box", box)
    for curve in page.curves:
        _curve(shapes, curve)
    return shapes
