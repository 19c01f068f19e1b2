"""The SOP AP flowchart: checked on its layout (what is drawn where), then on the PNGs."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image, ImageStat

from bot.flowchart import flowchart_layout, render_flowchart, render_flowchart_file
from bot.flowchart.draw import EMPHASIS_FILL
from bot.flowchart.geometry import Box, Layout, Shape
from bot.flowchart.text import text_width
from bot.sop.loader import load_directory
from bot.domain.sop import SopDefinition

SOP_DIR = Path(__file__).resolve().parent.parent / "sop_data"
SOP_IDS = ["forum-skpd-bkpsdm-tangerang", "renja-bappeda-bogor", "renja-bappeda-kalbar", "renja-kesbangpol-tangerang"]
TEST_DPI = 50  # raised by the renderer to the 1080 px minimum width; keeps the suite fast


@pytest.fixture(scope="module")
def sops() -> dict[str, SopDefinition]:
    loaded = load_directory(SOP_DIR)
    assert not loaded.errors
    return {sop_id: item.definition for sop_id, item in loaded.sops.items()}


def _inside(inner: Box, outer: Box, slack: float = 0.5) -> bool:
    return (
        inner.x >= outer.x - slack
        and inner.right <= outer.right + slack
        and inner.y >= outer.y - slack
        and inner.bottom <= outer.bottom + slack
    )


def _on_boundary(point: tuple[float, float], shape: Shape) -> bool:
    x, y = point
    near_x = abs(x - shape.x) < 0.6 or abs(x - shape.right) < 0.6
    near_y = abs(y - shape.y) < 0.6 or abs(y - shape.bottom) < 0.6
    return (near_x and shape.y - 0.6 <= y <= shape.bottom + 0.6) or (near_y and shape.x - 0.6 <= x <= shape.right + 0.6)


def _flow(layout: Layout) -> list[Shape]:
    """Every step's symbols in document order (connectors excluded)."""
    return [s for no in sorted({r.step_no for p in layout.pages for r in p.rows}) for s in layout.step_shapes(no)]


@pytest.mark.parametrize("sop_id", SOP_IDS)
def test_columns_follow_sop_ap_order(sops: dict[str, SopDefinition], sop_id: str) -> None:
    sop = sops[sop_id]
    layout = flowchart_layout(sop)
    keys = [c.key for c in layout.columns]
    roles = [f"role:{r.key}" for r in sop.roles]
    assert keys == ["no", "aktivitas", *roles, "kelengkapan", "waktu", "output", "keterangan"]
    assert [c.title for c in layout.columns if c.group == "pelaksana"] == [r.nama for r in sop.roles]
    assert all(a.right == pytest.approx(b.x) for a, b in zip(layout.columns, layout.columns[1:]))
    header = layout.pages[0].header
    spans = {" ".join(c.lines): c.column_keys for c in header if len(c.column_keys) > 1}
    assert spans["Pelaksana"] == tuple(roles)
    assert spans["Mutu Baku"] == ("kelengkapan", "waktu", "output")
    for cell in header:  # every header word fits its cell
        assert all(text_width(line, bold=True) <= cell.w for line in cell.lines)


@pytest.mark.parametrize("sop_id", SOP_IDS)
def test_every_step_and_actor_sits_in_its_row_and_lane(sops: dict[str, SopDefinition], sop_id: str) -> None:
    sop = sops[sop_id]
    layout = flowchart_layout(sop)
    rows = [r.step_no for p in layout.pages for r in p.rows]
    assert rows == [s.no for s in sop.steps]
    for step in sop.steps:
        row = layout.row(step.no)
        assert row.texts["no"] == (str(step.no),)
        assert " ".join(row.texts["aktivitas"]).split() == step.aktivitas.split()
        shapes = layout.step_shapes(step.no)
        actors = [s for s in shapes if s.actor_index is not None]
        extras = [s for s in shapes if s.actor_index is None]
        assert [s.actor_index for s in actors] == list(range(len(step.actors)))
        assert all(s.kind == "terminator" for s in extras)
        assert len(shapes) == len(step.actors) + len(extras)
        for shape, actor in zip(actors, step.actors):
            lane = layout.column(f"role:{actor.role}")
            assert shape.role_key == actor.role and shape.column == lane.key
            assert lane.x < shape.x and shape.right < lane.right
            assert row.y < shape.y and shape.bottom < row.bottom
            if actor.simbol is not None:
                assert shape.text == str(actor.simbol)


@pytest.mark.parametrize("sop_id", SOP_IDS)
def test_terminators_open_and_close_the_procedure(sops: dict[str, SopDefinition], sop_id: str) -> None:
    sop = sops[sop_id]
    layout = flowchart_layout(sop)
    terminators = [s for s in layout.shapes if s.kind == "terminator"]
    assert [s.terminal for s in terminators] == ["start", "end"]
    first = layout.step_shapes(sop.steps[0].no)[0]
    assert first.terminal == "start" and first.actor_index == 0
    last = layout.step_shapes(sop.steps[-1].no)[-1]
    assert last.terminal == "end"
    middle = [s for s in layout.shapes if s.step_no not in (sop.steps[0].no, sop.steps[-1].no)]
    assert all(s.kind in ("process", "decision", "connector") for s in middle)


@pytest.mark.parametrize("sop_id", SOP_IDS)
def test_arrows_join_each_symbol_to_the_next(sops: dict[str, SopDefinition], sop_id: str) -> None:
    layout = flowchart_layout(sops[sop_id], max_steps_per_page=50)
    (page,) = layout.pages
    pairs = {(a.src, a.dst): a for a in page.arrows}
    flow = _flow(layout)
    for a, b in zip(flow, flow[1:]):
        arrow = pairs[(a.id, b.id)]
        assert _on_boundary(arrow.points[0], a) and _on_boundary(arrow.points[-1], b)
        for p, q in zip(arrow.points, arrow.points[1:]):
            assert p[0] == pytest.approx(q[0]) or p[1] == pytest.approx(q[1])  # orthogonal legs
        if a.step_no != b.step_no:  # between steps the flow goes down the table
            assert arrow.points[-1][1] > arrow.points[0][1] and arrow.points[-1] == (b.cx, b.y)
    assert len(page.arrows) == len(flow) - 1 + sum(1 for a in page.arrows if a.kind == "loop")


def test_decision_diamond_branches_yes_and_loops_back_to_step_3(sops: dict[str, SopDefinition]) -> None:
    layout = flowchart_layout(sops["renja-bappeda-kalbar"])
    diamond = next(s for s in layout.shapes if s.kind == "decision")
    assert (diamond.step_no, diamond.role_key, diamond.actor_index) == (5, "kepala_badan", 0)
    out = [a for a in layout.arrows if a.src == diamond.id]
    assert sorted(a.label for a in out if a.label) == ["Tidak", "Ya"]
    yes = next(a for a in out if a.label == "Ya")
    assert yes.kind == "branch" and layout.pages[0].shape(yes.dst).terminal == "end"
    back = next(a for a in out if a.label == "Tidak")
    target = layout.step_shapes(3)[0]
    assert back.kind == "loop" and back.dst == target.id and back.note == "Kembali ke langkah 3"
    assert back.points[-1][1] == pytest.approx(target.cy) and min(y for _, y in back.points) < diamond.y
    for shape in layout.shapes:  # the loop line does not run through any symbol
        if shape.id in (diamond.id, target.id):
            continue
        for p, q in zip(back.points, back.points[1:]):
            box = Box(min(p[0], q[0]), min(p[1], q[1]), abs(p[0] - q[0]), abs(p[1] - q[1]))
            overlap = box.x < shape.right and box.right > shape.x and box.y < shape.bottom and box.bottom > shape.y
            assert not overlap, shape.id
    assert " ".join(layout.row(5).texts["keterangan"]) == "Tidak → langkah 3"


def test_english_labels(sops: dict[str, SopDefinition]) -> None:
    layout = flowchart_layout(sops["renja-bappeda-kalbar"], lang="en")
    titles = [c.title for c in layout.columns if c.group != "pelaksana"]
    assert titles == ["No", "Activity", "Requirements", "Time", "Output", "Notes"]
    groups = {" ".join(c.lines) for c in layout.pages[0].header if len(c.column_keys) > 1}
    assert groups == {"Actors", "Quality standard"}
    labels = {a.label: a.note for a in layout.arrows if a.label}
    assert labels == {"Yes": None, "No": "Back to step 3"}


def test_progress_states_and_current_actor(sops: dict[str, SopDefinition]) -> None:
    sop = sops["renja-bappeda-kalbar"]
    layout = flowchart_layout(sop, done_steps={1, 2, 3}, current_step=4, current_actor_index=1)
    assert [layout.row(s.no).state for s in sop.steps] == ["done", "done", "done", "current", "pending"]
    for shape in layout.shapes:
        if shape.step_no is not None and shape.kind != "connector":
            assert shape.state == layout.row(shape.step_no).state
    (emphasised,) = [s for s in layout.shapes if s.emphasised]
    assert (emphasised.step_no, emphasised.actor_index, emphasised.role_key) == (4, 1, "sekretaris")
    plain = flowchart_layout(sop, current_step=4)
    assert not any(s.emphasised for s in plain.shapes)
    assert {s.state for s in flowchart_layout(sop).shapes} == {"pending"}


def test_seventeen_steps_split_over_pages_with_connectors(sops: dict[str, SopDefinition]) -> None:
    sop = sops["renja-kesbangpol-tangerang"]
    layout = flowchart_layout(sop, max_steps_per_page=8)
    assert [p.step_numbers for p in layout.pages] == [tuple(range(1, 7)), tuple(range(7, 13)), tuple(range(13, 18))]
    assert all(p.pages == 3 for p in layout.pages)
    connectors = {p.number: {s.id: s for s in p.shapes if s.kind == "connector"} for p in layout.pages}
    assert connectors[1]["p1.out"].label == "ke hlm. 2"
    assert connectors[2]["p2.in"].label == "dari hlm. 1" and connectors[2]["p2.out"].label == "ke hlm. 3"
    assert set(connectors[3]) == {"p3.in"} and connectors[3]["p3.in"].label == "dari hlm. 2"
    # SOP AP pairs them: the connector leaving a page and the one picking the flow up carry one label.
    assert connectors[1]["p1.out"].text == connectors[2]["p2.in"].text == "A"
    assert connectors[2]["p2.out"].text == connectors[3]["p3.in"].text == "B"
    for page in layout.pages:
        ends = {a.src for a in page.arrows} | {a.dst for a in page.arrows}
        assert ends <= {s.id for s in page.shapes}  # no arrow leaves its page
        out = connectors[page.number].get(f"p{page.number}.out")
        if out is not None:
            last = layout.step_shapes(page.step_numbers[-1])[-1]
            assert out.column == last.column and out.y > last.bottom
            assert any(a.src == last.id and a.dst == out.id for a in page.arrows)
        first_in = connectors[page.number].get(f"p{page.number}.in")
        if first_in is not None:
            first = layout.step_shapes(page.step_numbers[0])[0]
            assert any(a.src == first_in.id and a.dst == first.id for a in page.arrows)
    assert len(flowchart_layout(sop, max_steps_per_page=17).pages) == 1


def test_loop_across_pages_uses_connectors(sops: dict[str, SopDefinition]) -> None:
    layout = flowchart_layout(sops["renja-bappeda-kalbar"], max_steps_per_page=2)
    assert [p.step_numbers for p in layout.pages] == [(1, 2), (3, 4), (5,)]
    leave = next(s for s in layout.pages[2].shapes if s.id.endswith(".off"))
    assert leave.label == "ke langkah 3 (hlm. 2)"
    assert any(a.dst == leave.id and a.label == "Tidak" and a.kind == "loop" for a in layout.pages[2].arrows)
    arrive = next(s for s in layout.pages[1].shapes if ".from5." in s.id)
    assert arrive.label == "dari langkah 5 (hlm. 3)"
    assert any(a.src == arrive.id and a.dst == "step3.0" for a in layout.pages[1].arrows)
    breaks = [s.text for p in layout.pages for s in p.shapes if s.id.startswith("p")]
    assert breaks == ["A", "A", "B", "B"]  # page 1 out, page 2 in; page 2 out, page 3 in
    assert leave.text == arrive.text == "C"  # the jump's pair, unlike any page break's


def test_inferred_actors_are_dashed_with_a_legend_and_the_others_are_not(sops: dict[str, SopDefinition]) -> None:
    bogor = flowchart_layout(sops["renja-bappeda-bogor"])
    actors = [s for s in bogor.shapes if s.actor_index is not None]
    assert actors and all(s.inferred for s in actors)  # seed 003: every actor was inferred
    forum = flowchart_layout(sops["forum-skpd-bkpsdm-tangerang"])  # seed 000 marks every actor
    assert not any(s.inferred for s in forum.shapes)
    plain, dashed = render_flowchart(sops["forum-skpd-bkpsdm-tangerang"], dpi=TEST_DPI)[0], render_flowchart(
        sops["renja-bappeda-bogor"], dpi=TEST_DPI)[0]
    assert plain.startswith(b"\x89PNG") and dashed.startswith(b"\x89PNG")


def test_a_dashed_outline_leaves_gaps_a_solid_one_does_not() -> None:
    """Paint one symbol both ways and look at its top edge: the dashed one has white gaps."""
    from bot.flowchart.draw import _draw_shape
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    def edge(inferred: bool) -> list[int]:
        fig = Figure(figsize=(2, 1), dpi=100)
        FigureCanvasAgg(fig)
        ax = fig.add_axes((0, 0, 1, 1))
        ax.set_xlim(0, 200)
        ax.set_ylim(100, 0)
        ax.axis("off")
        _draw_shape(ax, Shape(50, 30, 100, 40, id="s", kind="process", inferred=inferred))
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png")
        with Image.open(buffer) as image:
            grey = image.convert("L")
            return [grey.getpixel((x, 30)) for x in range(60, 140)]

    assert sum(v > 200 for v in edge(True)) > 10 and sum(v > 200 for v in edge(False)) == 0


@pytest.mark.parametrize("sop_id", SOP_IDS)
def test_everything_fits_on_the_page_without_overlaps(sops: dict[str, SopDefinition], sop_id: str) -> None:
    layout = flowchart_layout(sops[sop_id], done_steps={1}, current_step=2, current_actor_index=0)
    for page in layout.pages:
        assert page.height > page.width  # portrait
        for shape in page.shapes:
            assert _inside(shape, page.table)
        for i, a in enumerate(page.shapes):
            for b in page.shapes[i + 1 :]:
                assert not (a.x < b.right and b.x < a.right and a.y < b.bottom and b.y < a.bottom), (a.id, b.id)
        for row in page.rows:
            assert _inside(row, page.table)
            for key, lines in row.texts.items():
                col = layout.column(key)
                bold = row.state == "current" and key in ("no", "aktivitas")
                assert all(text_width(line, bold=bold) <= col.w - 7.9 for line in lines), (row.step_no, key)


def _png(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


@pytest.mark.parametrize("sop_id", SOP_IDS)
def test_pngs_open_and_are_sensible(sops: dict[str, SopDefinition], sop_id: str) -> None:
    sop = sops[sop_id]
    pages = render_flowchart(sop, done_steps={1}, current_step=2, current_actor_index=0, dpi=TEST_DPI)
    assert len(pages) == len(flowchart_layout(sop).pages)
    for data in pages:
        image = _png(data)
        assert image.format == "PNG"
        assert image.width >= 1000
        assert image.width <= image.height <= 3 * image.width
        stddev = ImageStat.Stat(image.convert("L")).stddev[0]
        assert stddev > 20  # not blank: lines and text on white


def test_current_actor_colour_reaches_the_png(sops: dict[str, SopDefinition]) -> None:
    sop = sops["renja-bappeda-kalbar"]
    target = tuple(int(EMPHASIS_FILL[i : i + 2], 16) for i in (1, 3, 5))

    def emphasis_pixels(data: bytes) -> int:
        image = _png(data).convert("RGB")
        return sum(n for n, colour in image.getcolors(maxcolors=1 << 20) or [] if colour == target)

    (highlighted,) = render_flowchart(sop, done_steps={1, 2, 3}, current_step=4, current_actor_index=1, dpi=TEST_DPI)
    (plain,) = render_flowchart(sop, dpi=TEST_DPI)
    assert emphasis_pixels(highlighted) > 500
    assert emphasis_pixels(plain) == 0


def test_render_flowchart_file_numbers_further_pages(sops: dict[str, SopDefinition], tmp_path: Path) -> None:
    out = tmp_path / "chart.png"
    paths = render_flowchart_file(sops["renja-kesbangpol-tangerang"], out, dpi=TEST_DPI, lang="en")
    assert paths == [out, tmp_path / "chart-2.png", tmp_path / "chart-3.png"]
    for path in paths:
        assert _png(path.read_bytes()).width >= 1000
