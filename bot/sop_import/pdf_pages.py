"""Read each page of a text-layer PDF into table rows that keep their geometry.

A page with flowchart graphics is cut along its real rules only (see
:mod:`bot.sop_import.pdf_grid`); a page without them (the cover) goes through pdfplumber's
ordinary line strategy. Every cell keeps its bounding box so that symbols can later be
placed in their step row and role column, and so that the columns of a continuation page
can be matched to the header page's by position.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.sop_import.pdf_grid import Grid, find_grid
from bot.sop_import.pdf_raster import raster_symbols
from bot.sop_import.pdf_shapes import Box, Shapes, read_shapes


@dataclass
class PageTable:
    """One ruled table of a page: its rows of (text, box or None for a merged cell)."""

    page: int
    cells: list[list[tuple[str, Box | None]]]
    columns: list[tuple[float, float]]  # x-range of each column index

    def texts(self) -> list[list[str]]:
        return [[text for text, _box in row] for row in self.cells]


@dataclass
class PdfPage:
    number: int
    width: float
    height: float
    tables: list[PageTable] = field(default_factory=list)
    shapes: Shapes = field(default_factory=Shapes)
    grid: Grid | None = None
    words: list[dict[str, Any]] = field(default_factory=list)
    image_share: float = 0.0  # share of the page area covered by raster images
    image_boxes: list[Box] = field(default_factory=list)
    raster_symbols: int = 0  # symbols found in pictures (ordered left to right, not by arrows)


def _table(page_no: int, table: Any) -> PageTable:
    texts = table.extract()
    cells: list[list[tuple[str, Box | None]]] = []
    for row, row_texts in zip(table.rows, texts):
        cells.append([(text or "", Box(*bbox) if bbox else None) for bbox, text in zip(row.cells, row_texts)])
    width = max((len(r) for r in cells), default=0)
    columns = []
    for c in range(width):  # the narrowest cell of a column is its own width (others are merged)
        boxes = [r[c][1] for r in cells if c < len(r) and r[c][1] is not None]
        narrow = min(boxes, key=lambda b: b.width) if boxes else None
        columns.append((narrow.x0, narrow.x1) if narrow else (0.0, 0.0))
    return PageTable(page_no, cells, columns)


def _image_boxes(page: Any) -> list[Box]:
    boxes = []
    for image in page.images:
        x0, x1 = max(float(image["x0"]), 0.0), min(float(image["x1"]), float(page.width))
        top, bottom = max(float(image["top"]), 0.0), min(float(image["bottom"]), float(page.height))
        if x1 > x0 and bottom > top:
            boxes.append(Box(x0, top, x1, bottom))
    return boxes


def read_page(number: int, page: Any, grid: bool = True, columns_at: list[float] | None = None) -> PdfPage:
    """Tables, shapes and words of one pdfplumber page (`grid`: cut along real rules only).

    `columns_at` keeps only the column rules at those x positions: a continuation page
    has the header page's columns, so a connector that happens to run from rule to rule
    there is not taken for one.
    """
    shapes = read_shapes(page)
    images = _image_boxes(page)
    area = float(page.width * page.height) or 1.0
    result = PdfPage(number, float(page.width), float(page.height), shapes=shapes, words=page.extract_words(),
                     image_share=min(1.0, sum(b.width * b.height for b in images) / area), image_boxes=images)
    pictures = [b for b in images if b.width * b.height > 0.02 * area]
    if grid and (shapes.symbols or shapes.connectors or pictures):
        grid = find_grid(shapes.segments, float(page.width))
        if columns_at:
            grid.columns = [c for c in grid.columns if any(abs(c.at - x) <= 2.5 for x in columns_at)]
        result.grid = grid
        if pictures:
            rules = ([c.at for c in grid.columns], [r.at for r in grid.rows])
            for symbol in raster_symbols(page, pictures, rules):
                if not any(known.box.overlap(symbol.box) > 0.6 for known in shapes.symbols):
                    shapes.symbols.append(symbol)
                    result.raster_symbols += 1
        if len(grid.columns) >= 2 and len(grid.rows) >= 2:
            verticals, horizontals = grid.edges()
            settings = {"vertical_strategy": "explicit", "horizontal_strategy": "explicit",
                        "explicit_vertical_lines": verticals, "explicit_horizontal_lines": horizontals,
                        "snap_tolerance": 2, "intersection_tolerance": 3}
            result.tables = [_table(number, t) for t in page.find_tables(settings)]
        return result
    result.tables = [_table(number, t) for t in page.find_tables()]
    return result
