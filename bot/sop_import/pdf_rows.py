"""Put the flowchart read from each page into the rows: symbol numbers in role cells, decisions.

The role cells of a PDF hold drawings, not text: their text (branch labels "Ya" / "Tidak")
is replaced by the numbers of the symbols drawn in them, numbered in flow order, which is
the "symbol numbers" form the table reader already understands.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.sop_import.common import Rows
from bot.sop_import.pdf_flowchart import Cell, read_flow
from bot.sop_import.pdf_pages import PageTable, PdfPage
from bot.sop_import.pdf_shapes import Box
from bot.sop_import.table import Columns, is_column_numbering, is_header_row

_NO = re.compile(r"^\s*(\d{1,3})\s*[.)]?\s*$")


@dataclass
class BranchInfo:
    label: str | None
    target: int | None  # step number the arrow leads to
    back: bool  # leads to an earlier step (a loop)


@dataclass
class PdfDocument:
    rows: Rows
    pages: int
    method: str
    decisions: dict[int, list[BranchInfo]] = field(default_factory=dict)
    image_flow_pages: list[int] = field(default_factory=list)  # 1-based pages whose flowchart is a picture
    text_chars: int = 0
    has_images: bool = False  # a page mostly covered by a picture (a scanned or pasted table)
    raster_steps: list[int] = field(default_factory=list)  # steps whose symbols were read from a picture
    part: str | None = None  # "halaman 4–6 dari 6" when the PDF binds several SOPs


@dataclass
class Row:
    table: PageTable
    index: int  # row index in its table
    cells: list[str]


def x_map(table: PageTable, header: PageTable) -> list[int]:
    """For each column of `table`, the header table's column it overlaps most (nearest if none)."""
    out = []
    for x0, x1 in table.columns:
        mid = (x0 + x1) / 2

        def score(c: int) -> tuple[float, float, float]:  # overlap, then the narrower (cover cells are wide)
            h0, h1 = header.columns[c]
            return (round(min(x1, h1) - max(x0, h0), 1), -(h1 - h0), -min(abs(mid - h0), abs(mid - h1)))

        out.append(max(range(len(header.columns)), key=score))
    return out


def row_box(table: PageTable, index: int) -> Box | None:
    boxes = [b for _t, b in table.cells[index] if b is not None]
    if not boxes:
        return None
    return Box(min(b.x0 for b in boxes), min(b.top for b in boxes), max(b.x1 for b in boxes), max(b.bottom for b in boxes))


def column_range(table: PageTable, header: PageTable, column: int) -> tuple[float, float] | None:
    mapping = x_map(table, header) if table is not header else list(range(len(table.columns)))
    spans = [table.columns[i] for i, c in enumerate(mapping) if c == column]
    return (min(s[0] for s in spans), max(s[1] for s in spans)) if spans else None


def step_numbers(rows: list[Row], no_col: int | None) -> list[int | None]:
    """The step number each row belongs to (a row without a number continues the one above)."""
    numbers, current = [], None
    for row in rows:
        if is_column_numbering(row.cells) or is_header_row(row.cells):
            current = None if is_header_row(row.cells) else current
            numbers.append(None)
            continue
        text = row.cells[no_col] if no_col is not None and no_col < len(row.cells) else ""
        match = _NO.match(text or "")
        if match:
            current = int(match.group(1))
        numbers.append(current)
    return numbers


def apply_flow(doc: PdfDocument, rows: list[Row], start: int, header: PageTable, columns: Columns,
                pages: list[PdfPage]) -> None:
    roles = [col for col, _name in columns.roles]
    numbers = step_numbers(rows, columns.no)
    offset = 0
    by_page: dict[int, list[int]] = {}
    for index in range(start, len(rows)):
        by_page.setdefault(rows[index].table.page, []).append(index)
    drawn = any(p.shapes.symbols for p in pages)
    for page_no, indices in sorted(by_page.items()):
        page = next(p for p in pages if p.number == page_no)
        cells = []
        for index in indices:
            row = rows[index]
            box = row_box(row.table, row.index)
            for role_index, column in enumerate(roles):
                span = column_range(row.table, header, column)
                if box is not None and span is not None:
                    cells.append(Cell(index, role_index, Box(span[0], box.top, span[1], box.bottom)))
        extra = [[a, b] for seg in (page.grid.connectors if page.grid else []) for a, b in [seg.ends]]
        flow = read_flow(page.shapes, cells, page.words, extra)
        role_area = [c.box for c in cells]
        if any(page.image_share > 0 and _covers(img, role_area) for img in page.image_boxes):
            doc.image_flow_pages.append(page_no + 1)
        if drawn or doc.image_flow_pages:
            for index in indices:
                if numbers[index] is None or is_column_numbering(doc.rows[index]):
                    continue
                for column in roles:
                    if column < len(doc.rows[index]):
                        doc.rows[index][column] = ""
        for placed in sorted(flow.placed, key=lambda p: p.number):
            column = roles[placed.role]
            cell = doc.rows[placed.row][column]
            doc.rows[placed.row][column] = f"{cell}, {placed.number + offset}" if cell else str(placed.number + offset)
        for placed in flow.placed:
            branches = flow.branches.get(id(placed))
            step = numbers[placed.row]
            if placed.symbol.raster and step is not None and step not in doc.raster_steps:
                doc.raster_steps.append(step)
            if branches is None or step is None:
                continue
            infos = []
            for branch in branches:
                target = numbers[branch.target_row] if branch.target_row is not None else None
                infos.append(BranchInfo(branch.label, target, target is not None and target <= step))
            doc.decisions[step] = infos
        offset += len(flow.placed)


def _covers(image: Box, area: list[Box]) -> bool:
    return any(image.overlap(cell) > 0.5 for cell in area)
