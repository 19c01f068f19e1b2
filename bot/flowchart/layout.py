"""Place an SOP on SOP AP flowchart pages: columns, rows, symbols and flow lines.

The table follows Permenpan RB 35/2012: No, Aktivitas, one Pelaksana column per role in
the document's order, Mutu Baku (Kelengkapan, Waktu, Output), Keterangan. Each step's
actors are symbols in their role columns; the first activity opens with a terminator and
the last closes with one; a decision is a diamond on the chain's last actor (the one who
decides). Long SOPs are split over pages joined by off-page connectors.
"""

from __future__ import annotations

import math
from collections.abc import Collection

from bot.flowchart.connect import connect
from bot.flowchart.geometry import Box, Column, Layout, Page, Row, Shape, State
from bot.flowchart.jumps import decision_jumps
from bot.flowchart.symbols import SIZES, PlannedSymbol, plan_symbols
from bot.flowchart.table import MARGIN, PAD_Y, build_columns, build_header, row_texts
from bot.flowchart.text import TITLE_PT, block_height, label, text_width, wrap
from bot.domain.durations import format_minutes
from bot.domain.sop import SopDefinition, Step

SLOT_PITCH = 58.0  # vertical distance between stacked symbols of one step
SHAPE_PAD = 18.0  # free space above/below the symbols of a row, where elbows turn
STRIP_H = 44.0  # band holding an off-page connector
FOOTER_H = 26.0
MIN_ASPECT = 1.05  # page height / width: portrait, so a phone shows it at full width
MAX_STRETCH = 80.0  # extra height a row may get towards that aspect, so rows stay compact


def split_pages(sop: SopDefinition, max_steps_per_page: int) -> list[list[Step]]:
    """Balanced chunks (17 steps, 8 per page: 6 + 6 + 5), so no page holds a lone step."""
    steps = list(sop.steps)
    count = max(1, math.ceil(len(steps) / max(1, max_steps_per_page)))
    base, extra = divmod(len(steps), count)
    chunks: list[list[Step]] = []
    start = 0
    for i in range(count):
        size = base + (1 if i < extra else 0)
        chunks.append(steps[start : start + size])
        start += size
    return chunks


def _natural_height(
    sop: SopDefinition, step: Step, syms: list[PlannedSymbol], columns: dict[str, Column], lang: str, strong: bool
) -> tuple[float, dict[str, tuple[str, ...]]]:
    """A row's height before stretching: its tallest text cell or its stacked symbols."""
    texts = row_texts(sop, step, columns, lang, strong)
    slots = max(s.slot for s in syms) + 1
    symbols_h = (slots - 1) * SLOT_PITCH + SIZES["decision"][1] + 2 * SHAPE_PAD
    text_h = max(block_height(len(lines)) for lines in texts.values()) + 2 * PAD_Y
    return max(symbols_h, text_h), texts


def _state(no: int, done: Collection[int], current: int | None) -> State:
    if no == current:
        return "current"
    return "done" if no in done else "pending"


def _place(sym: PlannedSymbol, lane: Column, cy: float, state: State, emphasised: bool, step_no: int | None) -> Shape:
    w, h = SIZES[sym.kind]
    return Shape(
        lane.cx - w / 2, cy - h / 2, w, h, id=sym.id, kind=sym.kind, step_no=step_no,
        actor_index=sym.actor_index, role_key=sym.role_key, column=lane.key, state=state,
        emphasised=emphasised, terminal=sym.terminal, text=sym.text, inferred=sym.inferred,  # type: ignore[arg-type]
    )


def flowchart_layout(
    sop: SopDefinition,
    *,
    done_steps: Collection[int] = frozenset(),
    current_step: int | None = None,
    current_actor_index: int | None = None,
    lang: str = "id",
    max_steps_per_page: int = 8,
) -> Layout:
    """Compute every page of the chart; `draw.draw_page` only paints what this returns."""
    columns = build_columns(sop, lang)
    by_key = {c.key: c for c in columns}
    lanes = [c for c in columns if c.group == "pelaksana"]
    lane_of_role = {c.role_key: c for c in lanes if c.role_key}
    plans = plan_symbols(sop, {c.role_key: i for i, c in enumerate(lanes) if c.role_key})
    chunks = split_pages(sop, max_steps_per_page)
    page_of = {step.no: n for n, chunk in enumerate(chunks, 1) for step in chunk}
    jumps = {step.no: decision_jumps(sop, step, lang) for step in sop.steps}
    incoming = [(j, no) for no, js in jumps.items() for j in js if page_of[j.target] != page_of[no]]
    right = columns[-1].right
    width = right + MARGIN
    total = len(chunks)
    pages: list[Page] = []
    for number, chunk in enumerate(chunks, 1):
        title = wrap(sop.nama, right - MARGIN, TITLE_PT, bold=True)
        page_label = label(lang, "page", page=number, pages=total)
        where = sop.identitas.instansi + (f" — {sop.identitas.unit}" if sop.identitas.unit else "")
        subtitle = wrap(where, right - MARGIN - text_width(page_label) - 16)
        top = MARGIN + block_height(len(title), TITLE_PT) + block_height(max(1, len(subtitle))) + 6
        header, y = build_header(columns, top, lang)
        strips: list[Box] = []
        if number > 1:
            strips.append(Box(MARGIN, y, right - MARGIN, STRIP_H))
            y += STRIP_H
        rows: list[Row] = []
        shapes: list[Shape] = []
        natural = [
            _natural_height(sop, step, plans[step.no], by_key, lang, step.no == current_step) for step in chunk
        ]
        fixed = y + (STRIP_H if number < total else 0) + FOOTER_H + MARGIN
        extra = min(MAX_STRETCH, max(0.0, (MIN_ASPECT * width - fixed - sum(h for h, _ in natural)) / len(chunk)))
        for step, (height, texts) in zip(chunk, natural):
            height += extra
            syms = plans[step.no]
            slots = max(s.slot for s in syms) + 1
            state = _state(step.no, done_steps, current_step)
            rows.append(Row(MARGIN, y, right - MARGIN, height, step_no=step.no, state=state, texts=texts))
            first_cy = y + height / 2 - (slots - 1) * SLOT_PITCH / 2
            for sym in syms:
                emphasised = state == "current" and sym.actor_index is not None and sym.actor_index == current_actor_index
                lane = lane_of_role[sym.role_key]
                shapes.append(_place(sym, lane, first_cy + sym.slot * SLOT_PITCH, state, emphasised, step.no))
            y += height
        if number < total:
            strips.append(Box(MARGIN, y, right - MARGIN, STRIP_H))
            y += STRIP_H
        table = Box(MARGIN, top, right - MARGIN, y - top)
        page = Page(
            number, total, width, y + FOOTER_H + MARGIN, title, subtitle, page_label, table, tuple(header),
            tuple(rows), tuple(shapes), (), strips=tuple(strips),
            footer=label(lang, "total", time=format_minutes(sop.total_minutes, lang)) if number == total else "",
        )
        pages.append(connect(page, sop, chunk, plans, jumps, incoming, page_of, lanes, lang))
    return Layout(sop.id, lang, columns, tuple(pages))


