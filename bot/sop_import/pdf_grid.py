"""Find the table rules of a page, leaving out the connector lines of the flowchart.

pdfplumber's own table finder takes every thin stroke for a rule, so a connector running
down a role column splits that column in two and a box symbol becomes a cell. Rules differ
from connectors in two ways used here: a column rule starts and ends on a rule spanning a good
part of the page (a row or a header rule), and a row rule ends on column rules at both ends.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.sop_import.pdf_shapes import Segment

_SAME = 1.6  # points: two strokes this close are one line
_GAP = 4.5  # points: a gap this small inside one line is a drawing artefact
_COLUMN_SHARE = 0.3  # a column rule covers at least this share of the table height
_WIDE = 0.4  # a row rule of the whole table spans at least this share of the page width
_RULE = 0.2  # a header rule (under "Pelaksana") spans at least this share of the page width


@dataclass(frozen=True)
class Line:
    """A merged rule: `at` is x for a vertical, y for a horizontal one; `start`..`end` along it."""

    at: float
    start: float
    end: float

    @property
    def length(self) -> float:
        return self.end - self.start


def _merge(pieces: list[tuple[float, float, float]]) -> list[Line]:
    """Join collinear pieces (position, start, end) into lines; keep summed coverage in length."""
    clusters: list[list[tuple[float, float, float]]] = []
    for piece in sorted(pieces):
        if clusters and piece[0] - clusters[-1][0][0] <= _SAME:
            clusters[-1].append(piece)
        else:
            clusters.append([piece])
    lines: list[Line] = []
    for cluster in clusters:
        at = sum(p[0] for p in cluster) / len(cluster)
        merged: list[Line] = []
        for _at, start, end in sorted(cluster, key=lambda p: p[1]):
            if merged and start <= merged[-1].end + _GAP:
                merged[-1] = Line(at, merged[-1].start, max(merged[-1].end, end))
            else:
                merged.append(Line(at, start, end))
        lines.extend(merged)
    return lines


def _coverage(pieces: list[tuple[float, float, float]], at: float) -> float:
    spans = sorted((s, e) for a, s, e in pieces if abs(a - at) <= 2 * _SAME)
    total, reach = 0.0, float("-inf")
    for s, e in spans:
        if e > reach:
            total += e - max(s, reach)
            reach = e
    return total


def _pieces(segments: list[Segment], vertical: bool) -> list[tuple[float, float, float]]:
    out = []
    for seg in segments:
        if seg.vertical != vertical:
            continue
        (ax, ay), (bx, by) = seg.ends
        out.append((ax, ay, by) if vertical else (ay, ax, bx))
    return out


@dataclass
class Grid:
    """The rules of the table area of a page (empty when the page holds no ruled table)."""

    columns: list[Line]
    rows: list[Line]
    connectors: list[Segment]

    def edges(self) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """The rules as pdfplumber line objects, for its explicit table strategy."""
        def line(x0: float, top: float, x1: float, bottom: float) -> dict[str, Any]:
            return {"object_type": "line", "x0": x0, "x1": x1, "top": top, "bottom": bottom,
                    "width": x1 - x0, "height": bottom - top}
        verticals = [line(c.at, c.start, c.at, c.end) for c in self.columns]
        horizontals = [line(r.start, r.at, r.end, r.at) for r in self.rows]
        return verticals, horizontals


def find_grid(segments: list[Segment], page_width: float) -> Grid:
    """Column rules, row rules and the strokes that are neither (connector legs)."""
    h_pieces, v_pieces = _pieces(segments, False), _pieces(segments, True)
    horizontals, verticals = _merge(h_pieces), _merge(v_pieces)
    wide = [h for h in horizontals if h.length >= _WIDE * page_width]
    if len(wide) < 2:
        return Grid([], [], [])
    top, bottom = min(h.at for h in wide), max(h.at for h in wide)
    height = bottom - top
    rules = [h for h in horizontals if h.length >= _RULE * page_width]

    def on_rule(x: float, y: float) -> bool:
        return any(abs(h.at - y) <= 3.5 and h.start - 3.5 <= x <= h.end + 3.5 for h in rules)

    def grounded(v: Line) -> tuple[bool, bool]:  # each end on a rule, or running past the table's edge
        return (on_rule(v.at, v.start) or v.start <= top + 3.5, on_rule(v.at, v.end) or v.end >= bottom - 3.5)

    def is_column(v: Line) -> bool:
        ends = grounded(v)
        if all(ends):
            return v.length >= 12
        return any(ends) and _coverage(v_pieces, v.at) >= _COLUMN_SHARE * height

    columns = [v for v in verticals if v.end > top and v.start < bottom and is_column(v)]
    xs = [c.at for c in columns]

    def on_column(x: float, y: float) -> bool:
        return any(abs(c.at - x) <= 3.5 and c.start - 3.5 <= y <= c.end + 3.5 for c in columns)

    rows = [h for h in horizontals if h in wide or (on_column(h.start, h.at) and on_column(h.end, h.at))]
    kept_h = {(round(r.at, 1)) for r in rows}
    connectors = []
    for seg in segments:
        (ax, ay), (_bx, _by) = seg.ends
        if seg.vertical and not any(abs(ax - x) <= _SAME for x in xs):
            connectors.append(seg)
        elif not seg.vertical and not any(abs(ay - y) <= _SAME for y in kept_h):
            connectors.append(seg)
    return Grid(columns, rows, connectors)
