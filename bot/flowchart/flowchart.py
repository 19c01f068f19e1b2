"""Public entry points: an SOP as SOP AP flowchart PNG pages, in memory or on disk.

The bot sends the pages as photos (one per page) and the CLI writes them next to each
other (FILE.png, FILE-2.png, ...). Resolution is chosen so the smallest text, 9 pt, is
at least 18 px high and a page is never narrower than 1080 px, which keeps the chart
legible when zoomed on a phone.
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

from bot.flowchart.draw import draw_page
from bot.flowchart.geometry import Layout, Page
from bot.flowchart.layout import flowchart_layout
from bot.domain.sop import SopDefinition

DEFAULT_DPI = 144.0  # 9 pt text = 18 px
MIN_WIDTH_PX = 1080


def page_dpi(page: Page, dpi: float | None = None) -> float:
    """The DPI for `page`: the requested (or default) one, raised to reach 1080 px wide."""
    wanted = DEFAULT_DPI if dpi is None else dpi
    return max(wanted, MIN_WIDTH_PX * 72.0 / page.width + 0.01)


def render_layout(layout: Layout, *, dpi: float | None = None) -> list[bytes]:
    """PNG bytes of every page of an already computed layout."""
    return [draw_page(layout, page, page_dpi(page, dpi)) for page in layout.pages]


def render_flowchart(
    sop: SopDefinition,
    *,
    done_steps: Collection[int] = frozenset(),
    current_step: int | None = None,
    current_actor_index: int | None = None,
    lang: str = "id",
    max_steps_per_page: int = 8,
    dpi: float | None = None,
) -> list[bytes]:
    """The SOP as flowchart pages (PNG bytes), the run's progress shown on it.

    `done_steps` are dimmed, `current_step` is highlighted and, within it, the actor at
    `current_actor_index` in the step's chain is emphasised.
    """
    layout = flowchart_layout(
        sop,
        done_steps=done_steps,
        current_step=current_step,
        current_actor_index=current_actor_index,
        lang=lang,
        max_steps_per_page=max_steps_per_page,
    )
    return render_layout(layout, dpi=dpi)


def page_paths(out: Path, count: int) -> list[Path]:
    """FILE.png for the first page, FILE-2.png, FILE-3.png, ... for the others."""
    suffix = out.suffix or ".png"
    return [out if i == 1 and out.suffix else out.with_name(f"{out.stem}{'' if i == 1 else f'-{i}'}{suffix}")
            for i in range(1, count + 1)]


def render_flowchart_file(sop: SopDefinition, out: Path, **kw: object) -> list[Path]:
    """Write the pages next to `out` and return their paths in page order."""
    pages = render_flowchart(sop, **kw)  # type: ignore[arg-type]
    paths = page_paths(Path(out), len(pages))
    paths[0].parent.mkdir(parents=True, exist_ok=True)
    for path, data in zip(paths, pages):
        path.write_bytes(data)
    return paths
