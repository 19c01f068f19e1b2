"""Paint a laid-out page with matplotlib's Agg backend (no pyplot, no system binaries).

A Figure is created per page rather than through pyplot so renders hold no global state
and can run in the bot's worker threads side by side. Axes units are the layout's points
(y downwards), so every size in the layout is a size on paper.
"""

from __future__ import annotations

import io

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch, Polygon, Rectangle

from bot.flowchart.geometry import Arrow, Layout, Page, Shape, State
from bot.flowchart.text import BODY_PT, CONNECTOR_LABEL_W, FONT_FAMILY, TITLE_PT, label, line_height, text_width, wrap

INK = "#1f1f1f"
GRID = "#4a4a4a"
HEADER_FILL = "#dbe4f0"
DONE_INK = "#9a9a9a"
DONE_FILL = "#e9e9e9"
CURRENT_ROW = "#fff1c9"
CURRENT_EDGE = "#c0392b"
CURRENT_FILL = "#fbd38d"
EMPHASIS_FILL = "#e8590c"
LOOP_INK = "#b03a2e"
PAD_X, PAD_Y = 4.0, 5.0

_SHAPE_STYLE: dict[State, dict[str, object]] = {
    "pending": {"facecolor": "white", "edgecolor": INK, "linewidth": 1.3},
    "done": {"facecolor": DONE_FILL, "edgecolor": DONE_INK, "linewidth": 1.1},
    "current": {"facecolor": CURRENT_FILL, "edgecolor": CURRENT_EDGE, "linewidth": 2.4},
}


def _text(ax: object, x: float, y: float, lines: tuple[str, ...], **kw: object) -> None:
    """Wrapped lines from the layout, one artist per line so the pitch matches the layout."""
    size = float(kw.pop("size", BODY_PT))  # type: ignore[arg-type]
    kw.setdefault("va", "top")
    for i, line in enumerate(lines):
        ax.text(x, y + i * line_height(size), line, fontsize=size, family=FONT_FAMILY, **kw)  # type: ignore[attr-defined]


#: The outline of an inferred actor's symbol: dashed, so a guess never looks official.
INFERRED_DASH = (0, (4, 2.5))


def _shape_patch(shape: Shape) -> list[object]:
    style = dict(_SHAPE_STYLE[shape.state])
    if shape.emphasised:
        style.update(facecolor=EMPHASIS_FILL, edgecolor="#7a1f0b", linewidth=3.4)
    if shape.inferred:
        style.update(linestyle=INFERRED_DASH, linewidth=max(1.6, float(style["linewidth"])))  # type: ignore[arg-type]
    x, y, w, h = shape.x, shape.y, shape.w, shape.h
    if shape.kind == "terminator":
        return [FancyBboxPatch((x, y), w, h, boxstyle=f"round,pad=0,rounding_size={h / 2}", **style)]  # type: ignore[arg-type]
    if shape.kind == "decision":
        points = [(x + w / 2, y), (x + w, y + h / 2), (x + w / 2, y + h), (x, y + h / 2)]
        return [Polygon(points, closed=True, **style)]  # type: ignore[arg-type]
    if shape.kind == "connector":  # off-page connector: a home-plate pentagon pointing down
        points = [(x, y), (x + w, y), (x + w, y + h * 0.62), (x + w / 2, y + h), (x, y + h * 0.62)]
        return [Polygon(points, closed=True, **style)]  # type: ignore[arg-type]
    return [Rectangle((x, y), w, h, **style)]  # type: ignore[arg-type]


def _draw_shape(ax: object, shape: Shape) -> None:
    for patch in _shape_patch(shape):
        patch.set_zorder(4)  # type: ignore[attr-defined]
        ax.add_patch(patch)  # type: ignore[attr-defined]
    if shape.emphasised:  # a halo so the current actor stands out even in print
        halo = Rectangle((shape.x - 5, shape.y - 5), shape.w + 10, shape.h + 10, fill=False,
                         edgecolor=EMPHASIS_FILL, linewidth=1.6, linestyle=(0, (3, 2)), zorder=3)
        ax.add_patch(halo)  # type: ignore[attr-defined]
    ink = "white" if shape.emphasised else DONE_INK if shape.state == "done" else INK
    if shape.text:
        ty = shape.y + (shape.h * 0.36 if shape.kind == "connector" else shape.h / 2)
        ax.text(shape.cx, ty, shape.text, ha="center", va="center", fontsize=BODY_PT, family=FONT_FAMILY,  # type: ignore[attr-defined]
                color=ink, weight="bold", zorder=5)
    if shape.label:
        lines = wrap(shape.label, CONNECTOR_LABEL_W)
        side = shape.label_side
        x, y = {"left": (shape.x - 4, shape.cy), "right": (shape.right + 4, shape.cy)}.get(side, (shape.cx, shape.bottom + 3))
        ax.text(x, y, "\n".join(lines), ha={"left": "right", "right": "left"}.get(side, "center"),  # type: ignore[attr-defined]
                va="top" if side == "below" else "center", fontsize=BODY_PT, family=FONT_FAMILY, color=ink,
                style="italic", linespacing=1.1, zorder=5, bbox={"facecolor": "white", "edgecolor": "none", "pad": 1.0})


def _draw_arrow(ax: object, arrow: Arrow, states: dict[str, State]) -> None:
    dimmed = states.get(arrow.src) == "done" and states.get(arrow.dst) in ("done", "current")
    colour = DONE_INK if dimmed else LOOP_INK if arrow.kind == "loop" else INK
    style = "--" if arrow.kind == "loop" else "-"
    xs = [p[0] for p in arrow.points]
    ys = [p[1] for p in arrow.points]
    ax.plot(xs, ys, color=colour, linewidth=1.3, linestyle=style,  # type: ignore[attr-defined]
            zorder=2, solid_capstyle="butt")
    head = FancyArrowPatch(arrow.points[-2], arrow.points[-1], arrowstyle="-|>,head_length=5,head_width=2.6",
                           color=colour, linewidth=1.3, shrinkA=0, shrinkB=0, zorder=3)
    head.set_linestyle("-")
    ax.add_patch(head)  # type: ignore[attr-defined]
    if arrow.label and arrow.label_at:
        lx, ly = arrow.label_at
        ha, va = arrow.label_align
        ax.text(lx, ly, arrow.label, ha=ha, va=va,  # type: ignore[attr-defined]
                fontsize=BODY_PT, family=FONT_FAMILY, weight="bold", color=colour, zorder=6)
    if arrow.note and arrow.note_at:
        lines = wrap(arrow.note, 56.0)
        nx, ny = arrow.note_at
        ax.text(nx, ny, "\n".join(lines), ha="center", va="center", fontsize=BODY_PT, family=FONT_FAMILY,  # type: ignore[attr-defined]
                color=colour, style="italic", linespacing=1.1, zorder=6,
                bbox={"facecolor": "white", "edgecolor": colour, "boxstyle": "round,pad=0.25", "linewidth": 0.8})


def _draw_table(ax: object, page: Page, layout: Layout) -> None:
    table = page.table
    for row in page.rows:
        if row.state == "current":
            ax.add_patch(Rectangle((row.x, row.y), row.w, row.h, facecolor=CURRENT_ROW, edgecolor="none", zorder=0))  # type: ignore[attr-defined]
        ink = DONE_INK if row.state == "done" else INK
        for key, lines in row.texts.items():
            col = layout.column(key)
            centred = key in ("no", "waktu")
            x = col.cx if centred else col.x + PAD_X
            _text(ax, x, row.y + PAD_Y, lines, ha="center" if centred else "left", color=ink,
                  weight="bold" if row.state == "current" and key in ("no", "aktivitas") else "normal", zorder=1)
        if row.state == "done":
            _text(ax, layout.column("no").cx, row.y + PAD_Y + line_height(), ("✓",), ha="center", color="#2f8f46",
                  weight="bold", size=BODY_PT + 2, zorder=1)
        ax.plot([table.x, table.right], [row.bottom, row.bottom], color=GRID, linewidth=0.7, zorder=1)  # type: ignore[attr-defined]
    for cell in page.header:
        ax.add_patch(Rectangle((cell.x, cell.y), cell.w, cell.h, facecolor=HEADER_FILL, edgecolor=GRID,  # type: ignore[attr-defined]
                               linewidth=0.9, zorder=1))
        top = cell.cy - len(cell.lines) * line_height() / 2
        _text(ax, cell.cx, top + 0.6, cell.lines, ha="center", weight="bold", color=INK, zorder=2)
    body_top = max(c.bottom for c in page.header)
    for col in layout.columns[1:]:
        ax.plot([col.x, col.x], [body_top, table.bottom], color=GRID, linewidth=0.7, zorder=1)  # type: ignore[attr-defined]
    for strip in page.strips:
        ax.plot([table.x, table.right], [strip.bottom, strip.bottom], color=GRID, linewidth=0.7, zorder=1)  # type: ignore[attr-defined]
    ax.add_patch(Rectangle((table.x, table.y), table.w, table.h, fill=False, edgecolor=INK, linewidth=1.4, zorder=6))  # type: ignore[attr-defined]


def _draw_frame(ax: object, page: Page, layout: Layout) -> None:
    """Title, page number, the legend of progress colours and the total time."""
    margin = page.table.x
    _text(ax, margin, margin, page.title, size=TITLE_PT, weight="bold", color=INK)
    sub_y = margin + len(page.title) * line_height(TITLE_PT)
    _text(ax, margin, sub_y, page.subtitle, color="#444444")
    _text(ax, page.table.right, sub_y, (page.page_label,), ha="right", color="#444444", weight="bold")
    y = page.table.bottom + 8
    x = margin
    states = {s.state for s in layout.shapes}
    entries: list[tuple[dict[str, object], str]] = []
    if states != {"pending"}:  # a plain chart (no run) needs no legend
        entries = [(_SHAPE_STYLE[state], label(layout.lang, state)) for state in ("done", "current", "pending")]
    if any(s.emphasised for s in layout.shapes):
        entries.append(({"facecolor": EMPHASIS_FILL, "edgecolor": "#7a1f0b", "linewidth": 2.0},
                        label(layout.lang, "current_actor")))
    if any(s.inferred for s in layout.shapes):
        entries.append(({"facecolor": "white", "edgecolor": INK, "linewidth": 1.6, "linestyle": INFERRED_DASH},
                        label(layout.lang, "inferred_actor")))
    for style, text in entries:
        ax.add_patch(Rectangle((x, y + 1), 16, 11, **style))  # type: ignore[arg-type, attr-defined]
        ax.text(x + 21, y + 6.5, text, va="center", fontsize=BODY_PT, family=FONT_FAMILY, color=INK)  # type: ignore[attr-defined]
        x += 21 + text_width(text) + 18
    if page.footer:
        ax.text(page.table.right, y + 6.5, page.footer, ha="right", va="center", fontsize=BODY_PT,  # type: ignore[attr-defined]
                family=FONT_FAMILY, color=INK, weight="bold")


def draw_page(layout: Layout, page: Page, dpi: float) -> bytes:
    """One page as PNG bytes; `dpi` converts the layout's points into pixels."""
    fig = Figure(figsize=(page.width / 72.0, page.height / 72.0), dpi=dpi, facecolor="white")
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, page.width)
    ax.set_ylim(page.height, 0)
    ax.axis("off")
    _draw_frame(ax, page, layout)
    _draw_table(ax, page, layout)
    states = {s.id: s.state for s in page.shapes}
    for arrow in page.arrows:
        _draw_arrow(ax, arrow, states)
    for shape in page.shapes:
        _draw_shape(ax, shape)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, facecolor="white")
    return buffer.getvalue()
