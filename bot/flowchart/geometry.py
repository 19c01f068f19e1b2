"""The flowchart as plain data: what goes where on which page, before any pixel is drawn.

Keeping the layout separate from matplotlib lets tests assert the things a reader of an
SOP AP chart relies on (every step in its row, every actor in its role's column, the
decision's branches, which step is highlighted) instead of only checking that a PNG
exists. Coordinates are points (1/72 in) from the page's top-left corner, y downwards.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

ShapeKind = Literal["terminator", "process", "decision", "connector"]
State = Literal["done", "current", "pending"]
ArrowKind = Literal["normal", "branch", "loop"]
Point = tuple[float, float]


@dataclass(frozen=True)
class Box:
    """An axis-aligned rectangle; the common base of cells and shapes."""

    x: float
    y: float
    w: float
    h: float

    @property
    def cx(self) -> float:
        return self.x + self.w / 2

    @property
    def cy(self) -> float:
        return self.y + self.h / 2

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def bottom(self) -> float:
        return self.y + self.h


@dataclass(frozen=True)
class Column(Box):
    """One table column; role columns (swimlanes) carry the role key."""

    key: str = ""
    title: str = ""
    group: Literal["pelaksana", "mutu_baku"] | None = None
    role_key: str | None = None


@dataclass(frozen=True)
class HeaderCell(Box):
    """A header cell; group headers ("Pelaksana", "Mutu Baku") span several columns."""

    lines: tuple[str, ...] = ()
    column_keys: tuple[str, ...] = ()


@dataclass(frozen=True)
class Row(Box):
    """One procedure step's row, with the wrapped text of each text column."""

    step_no: int = 0
    state: State = "pending"
    texts: dict[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class Shape(Box):
    """A flowchart symbol.

    `actor_index` is the position in the step's actor chain, or None for symbols that are
    not an actor (an extra end terminator, off-page connectors). `terminal` says whether a
    terminator opens or closes the procedure. `emphasised` marks the current actor.
    """

    id: str = ""
    kind: ShapeKind = "process"
    step_no: int | None = None
    actor_index: int | None = None
    role_key: str | None = None
    column: str = ""
    state: State = "pending"
    emphasised: bool = False
    terminal: Literal["start", "end"] | None = None
    text: str = ""  # drawn inside the symbol (the document's symbol number, a page number)
    label: str = ""  # drawn beside it (connectors: "ke hlm. 2")
    label_side: Literal["right", "left", "below"] = "right"
    #: The actor was inferred (the document lost it): drawn dashed, with a legend entry.
    inferred: bool = False


@dataclass(frozen=True)
class Arrow:
    """A flow line between two shapes on the same page, as an orthogonal polyline."""

    src: str
    dst: str
    kind: ArrowKind
    points: tuple[Point, ...]
    label: str | None = None
    note: str | None = None
    label_at: Point | None = None
    label_align: tuple[str, str] = ("left", "bottom")  # matplotlib (ha, va) at label_at
    note_at: Point | None = None


@dataclass(frozen=True)
class Page:
    """One PNG: title, header, the rows of its steps, and the symbols and lines over them."""

    number: int
    pages: int
    width: float
    height: float
    title: tuple[str, ...]
    subtitle: tuple[str, ...]
    page_label: str
    table: Box
    header: tuple[HeaderCell, ...]
    rows: tuple[Row, ...]
    shapes: tuple[Shape, ...]
    arrows: tuple[Arrow, ...]
    footer: str = ""
    strips: tuple[Box, ...] = ()  # bands holding off-page connectors above/below the rows

    @property
    def step_numbers(self) -> tuple[int, ...]:
        return tuple(r.step_no for r in self.rows)

    def shape(self, shape_id: str) -> Shape:
        return next(s for s in self.shapes if s.id == shape_id)


@dataclass(frozen=True)
class Layout:
    """Everything `draw` needs, for every page; columns are identical on all pages."""

    sop_id: str
    lang: str
    columns: tuple[Column, ...]
    pages: tuple[Page, ...]

    @property
    def page_of_step(self) -> dict[int, int]:
        return {no: p.number for p in self.pages for no in p.step_numbers}

    @property
    def shapes(self) -> tuple[Shape, ...]:
        return tuple(s for p in self.pages for s in p.shapes)

    @property
    def arrows(self) -> tuple[Arrow, ...]:
        return tuple(a for p in self.pages for a in p.arrows)

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)

    def row(self, step_no: int) -> Row:
        return next(r for p in self.pages for r in p.rows if r.step_no == step_no)

    def step_shapes(self, step_no: int) -> list[Shape]:
        """The symbols drawn for a step: its actors in chain order, then any extra terminator."""
        found = [s for s in self.shapes if s.step_no == step_no and s.kind != "connector"]
        order = {"start": 0, None: 1, "end": 2}
        return sorted(found, key=lambda s: (order[s.terminal] if s.actor_index is None else 1, s.actor_index or 0))
