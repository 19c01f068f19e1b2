"""Join a page's symbols: flow lines, decision jumps, and off-page connectors in pairs.

SOP AP pairs off-page connectors: the connector that leaves one page and the one that
picks the flow up on another carry the same label ("A" at the foot of page 1, "A" at the
head of page 2), so a reader matches them at a glance; the italic note beside each says
where the other one is ("ke hlm. 2" / "dari hlm. 1"). Labels are letters in the order the
flow meets the breaks: page breaks and jumps that cross pages alike.
"""

from __future__ import annotations

from dataclasses import replace
from string import ascii_uppercase

from bot.flowchart.geometry import Arrow, Box, Column, Page, Shape
from bot.flowchart.jumps import Jump, forward_label
from bot.flowchart.routing import chain_points, down_points, make_arrow, route_jump, side_points
from bot.flowchart.symbols import SIZES, PlannedSymbol, first_actor
from bot.flowchart.text import label, line_height, text_width
from bot.domain.sop import SopDefinition, Step

PairKey = tuple[str, int] | tuple[str, int, str]


def _letters(n: int) -> str:
    """0 → A, 25 → Z, 26 → AA: as many connector labels as a chart can need."""
    text = ""
    n += 1
    while n:
        n, rest = divmod(n - 1, 26)
        text = ascii_uppercase[rest] + text
    return text


def pair_labels(sop: SopDefinition, jumps: dict[int, list[Jump]], page_of: dict[int, int]) -> dict[PairKey, str]:
    """One label per pair of off-page connectors: ("page", n) for the break into page n,
    ("jump", step, outcome) for a decision's jump to another page."""
    keys: list[PairKey] = []
    previous = None
    for step in sop.steps:
        page = page_of[step.no]
        if previous is not None and page != previous:
            keys.append(("page", page))
        previous = page
        keys.extend(("jump", step.no, j.key) for j in jumps.get(step.no, ()) if page_of[j.target] != page)
    return {key: _letters(i) for i, key in enumerate(keys)}


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


def _strip_connector(anchor: Shape, strip: Box, shape_id: str, pair: str, text: str, lanes: list[Column]) -> Shape:
    """An off-page connector in a strip, under/over `anchor`, its label where it fits."""
    w, h = SIZES["connector"]
    fits_right = anchor.cx + w / 2 + 4 + text_width(text) <= lanes[-1].right
    return Shape(anchor.cx - w / 2, strip.cy - h / 2, w, h, id=shape_id, kind="connector", role_key=anchor.role_key,
                 column=anchor.column, state=anchor.state, text=pair, label=text,
                 label_side="right" if fits_right else "left")


def _free_lane_beside(shape: Shape, lanes: list[Column], taken: set[str]) -> Column:
    """The nearest lane (right first) with no symbol of the same row, for a side connector."""
    index = next(i for i, c in enumerate(lanes) if c.key == shape.column)
    order = sorted(range(len(lanes)), key=lambda i: (abs(i - index), i < index))
    return next((lanes[i] for i in order if i != index and lanes[i].key not in taken), lanes[index])



def connect(
    page: Page,
    sop: SopDefinition,
    chunk: list[Step],
    plans: dict[int, list[PlannedSymbol]],
    jumps: dict[int, list[Jump]],
    incoming: list[tuple[Jump, int]],
    page_of: dict[int, int],
    lanes: list[Column],
    lang: str,
) -> Page:
    """Add off-page connectors and every flow line of one page."""
    pairs = pair_labels(sop, jumps, page_of)
    shapes = list(page.shapes)
    find = {s.id: s for s in shapes}
    arrows: list[Arrow] = []
    row_of = {r.step_no: r for r in page.rows}
    sequence: list[Shape] = []
    if page.number > 1:
        first = find[plans[chunk[0].no][0].id]
        conn = _strip_connector(first, page.strips[0], f"p{page.number}.in", pairs[("page", page.number)],
                                label(lang, "from_page", page=page.number - 1), lanes)
        shapes.append(conn)
        sequence.append(conn)
    for step in chunk:
        sequence.extend(find[s.id] for s in plans[step.no])
    if page.number < page.pages:
        conn = _strip_connector(sequence[-1], page.strips[-1], f"p{page.number}.out", pairs[("page", page.number + 1)],
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
                target = find[first_actor(plans[jump.target]).id]
                arrows.append(route_jump(decision, target, lanes, shapes, arrows, jump.kind, jump.label, jump.note))
                continue
            taken = {s.column for s in shapes if s.step_no == step.no}
            lane = _free_lane_beside(decision, lanes, taken)
            w, h = SIZES["connector"]
            conn = Shape(lane.cx - w / 2, decision.cy - h / 2, w, h, id=f"{decision.id}.{jump.key}.off",
                         kind="connector", step_no=step.no, role_key=lane.role_key, column=lane.key,
                         state=decision.state, text=pairs[("jump", step.no, jump.key)],
                         label=label(lang, "to_step_page", step=jump.target, page=page_of[jump.target]),
                         label_side="below")
            shapes.append(conn)
            arrows.append(make_arrow(decision, conn, jump.kind, side_points(decision, conn), jump.label))
    for jump, source in incoming:
        if jump.target not in row_of:
            continue
        target = find[first_actor(plans[jump.target]).id]
        taken = {s.column for s in shapes if s.step_no == jump.target}
        lane = _free_lane_beside(target, lanes, taken)
        w, h = SIZES["connector"]
        conn = Shape(lane.cx - w / 2, target.cy - h / 2, w, h, id=f"{target.id}.from{source}.{jump.key}",
                     kind="connector", step_no=jump.target, role_key=lane.role_key, column=lane.key,
                     state=target.state, text=pairs[("jump", source, jump.key)],
                     label=label(lang, "from_step_page", step=source, page=page_of[source]),
                     label_side="below")
        shapes.append(conn)
        arrows.append(make_arrow(conn, target, jump.kind, side_points(conn, target)))
    return replace(page, shapes=tuple(shapes), arrows=_unstack_labels(arrows))
