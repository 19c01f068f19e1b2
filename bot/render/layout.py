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
from dataclasses import dataclass, replace

from bot.render.geometry import Arrow, Box, Column, Layout, Page, Row, Shape, ShapeKind, State
from bot.render.jumps import Jump, decision_jumps, forward_label
from bot.render.routing import chain_points, down_points, make_arrow, route_jump, side_points
from bot.render.table import MARGIN, PAD_Y, build_columns, build_header, row_texts
from bot.render.text import TITLE_PT, block_height, label, line_height, text_width, wrap
from bot.sop.durations import format_minutes
from bot.sop.model import SopDefinition, Step

SLOT_PITCH = 58.0  # vertical distance between stacked symbols of one step
SHAPE_PAD = 18.0  # free space above/below the symbols of a row, where elbows turn
STRIP_H = 44.0  # band holding an off-page connector
FOOTER_H = 26.0
SIZES: dict[ShapeKind, tuple[float, float]] = {
    "process": (40.0, 26.0),
    "terminator": (46.0, 26.0),
    "decision": (54.0, 38.0),
    "connector": (30.0, 26.0),
}
MIN_ASPECT = 1.05  # page height / width: portrait, so a phone shows it at full width
MAX_STRETCH = 80.0  # extra height a row may get towards that aspect, so rows stay compact


@dataclass
class _Sym:
    """A symbol planned for a step before pages give it coordinates."""

    id: str
    kind: ShapeKind
    role_key: str
    actor_index: int | None
    terminal: str | None = None
    text: str = ""
    slot: int = 0


def plan_symbols(sop: SopDefinition, lane_of: dict[str, int]) -> dict[int, list[_Sym]]:
    """Every step's symbols in flow order, with terminators and stacking slots decided."""
    plans: dict[int, list[_Sym]] = {}
    for index, step in enumerate(sop.steps):
        last_actor = len(step.actors) - 1
        syms = [
            _Sym(
                f"step{step.no}.{i}",
                "decision" if step.decision is not None and i == last_actor else "process",
                actor.role,
                i,
                text=str(actor.simbol or ""),
            )
            for i, actor in enumerate(step.actors)
        ]
        if index == 0:
            if syms[0].kind == "process":
                syms[0].kind, syms[0].terminal = "terminator", "start"
            else:
                syms.insert(0, _Sym(f"step{step.no}.start", "terminator", syms[0].role_key, None, "start"))
        if index == len(sop.steps) - 1:
            if syms[-1].kind == "process" and syms[-1].terminal is None:
                syms[-1].kind, syms[-1].terminal = "terminator", "end"
            else:
                syms.append(_Sym(f"step{step.no}.end", "terminator", syms[-1].role_key, None, "end"))
        lanes = [lane_of[s.role_key] for s in syms]
        steps = [b - a for a, b in zip(lanes, lanes[1:])]
        one_line = all(d > 0 for d in steps) or all(d < 0 for d in steps)
        for slot, sym in enumerate(syms):
            sym.slot = 0 if one_line else slot
        plans[step.no] = syms
    return plans


def _first_actor(syms: list[_Sym]) -> _Sym:
    """Where a jump lands: the step's first actor, not an opening terminator (Mulai is not redone)."""
    return next(s for s in syms if s.actor_index is not None)


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
    sop: SopDefinition, step: Step, syms: list[_Sym], columns: dict[str, Column], lang: str, strong: bool
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


def _place(sym: _Sym, lane: Column, cy: float, state: State, emphasised: bool, step_no: int | None) -> Shape:
    w, h = SIZES[sym.kind]
    return Shape(
        lane.cx - w / 2, cy - h / 2, w, h, id=sym.id, kind=sym.kind, step_no=step_no,
        actor_index=sym.actor_index, role_key=sym.role_key, column=lane.key, state=state,
        emphasised=emphasised, terminal=sym.terminal, text=sym.text,  # type: ignore[arg-type]
    )


def _unstack_labels(arrows: list[Arrow]) -> tuple[Arrow, ...]:
    """Labels of lines leaving the same corner would print over each other: stack them."""
    seen: dict[tuple[int, int], int] = {}
    result = []
    for arrow in arrows:
        if arrow.label_at is not None:
            key = (round(arrow.label_at[0]), round(arrow.label_at[1]))
            count = seen.get(key, 0)
            seen[key] = count + 1
            if count:
                step = line_height() * count * (1 if arrow.label_align[1] == "top" else -1)
                arrow = replace(arrow, label_at=(arrow.label_at[0], arrow.label_at[1] + step))
        result.append(arrow)
    return tuple(result)


def _strip_connector(anchor: Shape, strip: Box, shape_id: str, page: int, text: str, lanes: list[Column]) -> Shape:
    """An off-page connector in a strip, under/over `anchor`, its label where it fits."""
    w, h = SIZES["connector"]
    fits_right = anchor.cx + w / 2 + 4 + text_width(text) <= lanes[-1].right
    return Shape(anchor.cx - w / 2, strip.cy - h / 2, w, h, id=shape_id, kind="connector", role_key=anchor.role_key,
                 column=anchor.column, state=anchor.state, text=str(page), label=text,
                 label_side="right" if fits_right else "left")


def _free_lane_beside(shape: Shape, lanes: list[Column], taken: set[str]) -> Column:
    """The nearest lane (right first) with no symbol of the same row, for a side connector."""
    index = next(i for i, c in enumerate(lanes) if c.key == shape.column)
    order = sorted(range(len(lanes)), key=lambda i: (abs(i - index), i < index))
    return next((lanes[i] for i in order if i != index and lanes[i].key not in taken), lanes[index])


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
        pages.append(_connect(page, sop, chunk, plans, jumps, incoming, page_of, lanes, lang))
    return Layout(sop.id, lang, columns, tuple(pages))


def _connect(
    page: Page,
    sop: SopDefinition,
    chunk: list[Step],
    plans: dict[int, list[_Sym]],
    jumps: dict[int, list[Jump]],
    incoming: list[tuple[Jump, int]],
    page_of: dict[int, int],
    lanes: list[Column],
    lang: str,
) -> Page:
    """Add off-page connectors and every flow line of one page."""
    shapes = list(page.shapes)
    find = {s.id: s for s in shapes}
    arrows: list[Arrow] = []
    row_of = {r.step_no: r for r in page.rows}
    sequence: list[Shape] = []
    if page.number > 1:
        first = find[plans[chunk[0].no][0].id]
        conn = _strip_connector(first, page.strips[0], f"p{page.number}.in", page.number - 1,
                                label(lang, "from_page", page=page.number - 1), lanes)
        shapes.append(conn)
        sequence.append(conn)
    for step in chunk:
        sequence.extend(find[s.id] for s in plans[step.no])
    if page.number < page.pages:
        conn = _strip_connector(sequence[-1], page.strips[-1], f"p{page.number}.out", page.number + 1,
                                label(lang, "to_page", page=page.number + 1), lanes)
        shapes.append(conn)
        sequence.append(conn)
    for a, b in zip(sequence, sequence[1:]):
        text = forward_label(sop, a.step_no, lang) if a.kind == "decision" and a.step_no else None
        kind = "branch" if a.kind == "decision" else "normal"
        if a.step_no is not None and a.step_no == b.step_no:
            points = chain_points(a, b)
        else:
            floor = row_of[b.step_no].y if b.step_no in row_of else page.strips[-1].y
            points = down_points(a, b, floor)
        arrows.append(make_arrow(a, b, kind, points, text))  # type: ignore[arg-type]
    for step in chunk:
        if not jumps[step.no]:
            continue
        decision = next(s for s in shapes if s.step_no == step.no and s.kind == "decision")
        for jump in jumps[step.no]:
            if page_of[jump.target] == page.number:
                target = find[_first_actor(plans[jump.target]).id]
                arrows.append(route_jump(decision, target, lanes, shapes, arrows, jump.kind, jump.label, jump.note))
                continue
            taken = {s.column for s in shapes if s.step_no == step.no}
            lane = _free_lane_beside(decision, lanes, taken)
            w, h = SIZES["connector"]
            conn = Shape(lane.cx - w / 2, decision.cy - h / 2, w, h, id=f"{decision.id}.{jump.key}.off",
                         kind="connector", step_no=step.no, role_key=lane.role_key, column=lane.key,
                         state=decision.state, text=str(page_of[jump.target]),
                         label=label(lang, "to_step_page", step=jump.target, page=page_of[jump.target]),
                         label_side="below")
            shapes.append(conn)
            arrows.append(make_arrow(decision, conn, jump.kind, side_points(decision, conn), jump.label))
    for jump, source in incoming:
        if jump.target not in row_of:
            continue
        target = find[_first_actor(plans[jump.target]).id]
        taken = {s.column for s in shapes if s.step_no == jump.target}
        lane = _free_lane_beside(target, lanes, taken)
        w, h = SIZES["connector"]
        conn = Shape(lane.cx - w / 2, target.cy - h / 2, w, h, id=f"{target.id}.from{source}.{jump.key}",
                     kind="connector", step_no=jump.target, role_key=lane.role_key, column=lane.key,
                     state=target.state, text=str(page_of[source]),
                     label=label(lang, "from_step_page", step=source, page=page_of[source]),
                     label_side="below")
        shapes.append(conn)
        arrows.append(make_arrow(conn, target, jump.kind, side_points(conn, target)))
    return replace(page, shapes=tuple(shapes), arrows=_unstack_labels(arrows))
