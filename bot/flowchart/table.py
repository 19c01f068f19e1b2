"""The SOP AP table around the flowchart: column widths, the two header rows, cell text.

Column widths follow the content so that no word is broken where it can be avoided (a
role name such as "Administrasi" or an output such as "ditandatangani" stays whole),
while the page stays as narrow as the twelve-odd SOP AP columns allow.
"""

from __future__ import annotations

from bot.flowchart.geometry import Column, HeaderCell
from bot.flowchart.jumps import decision_jumps
from bot.flowchart.text import block_height, label, line_height, widest_word, wrap
from bot.domain.durations import format_minutes
from bot.domain.sop import SopDefinition, Step

MARGIN = 18.0
PAD_X = 4.0
PAD_Y = 5.0
BASE_WIDTHS = {"no": 24.0, "aktivitas": 150.0, "kelengkapan": 72.0, "waktu": 50.0, "output": 72.0, "keterangan": 60.0}
LANE_MIN, LANE_MAX = 58.0, 92.0
TEXT_MAX = 96.0


def build_columns(sop: SopDefinition, lang: str) -> tuple[Column, ...]:
    """Columns sized so no header word is broken; lanes fit their widest symbol."""
    specs: list[tuple[str, str, str | None, str | None, float]] = []
    for key in ("no", "aktivitas"):
        specs.append((key, label(lang, key), None, None, BASE_WIDTHS[key]))
    for role in sop.roles:
        width = min(LANE_MAX, max(LANE_MIN, widest_word(role.nama, bold=True) + 2 * PAD_X))
        specs.append((f"role:{role.key}", role.nama, "pelaksana", role.key, width))

    def fit(key: str, texts: list[str | None]) -> float:
        """Wide enough that no word of the column's cells has to be broken (up to a cap)."""
        words = max((widest_word(t) for t in texts if t), default=0.0) + 2 * PAD_X
        return min(TEXT_MAX, max(BASE_WIDTHS[key], words))

    specs.append(("kelengkapan", label(lang, "kelengkapan"), "mutu_baku", None,
                  fit("kelengkapan", [s.kelengkapan for s in sop.steps])))
    specs.append(("waktu", label(lang, "waktu"), "mutu_baku", None, BASE_WIDTHS["waktu"]))
    specs.append(("output", label(lang, "output"), "mutu_baku", None, fit("output", [s.output for s in sop.steps])))
    specs.append(("keterangan", label(lang, "keterangan"), None, None,
                  fit("keterangan", [s.keterangan for s in sop.steps])))
    columns: list[Column] = []
    x = MARGIN
    for key, title, group, role_key, width in specs:
        if group != "pelaksana":
            width = max(width, widest_word(title, bold=True) + 2 * PAD_X)
        columns.append(Column(x, 0.0, width, 0.0, key=key, title=title, group=group, role_key=role_key))  # type: ignore[arg-type]
        x += width
    return tuple(columns)


def row_texts(
    sop: SopDefinition, step: Step, columns: dict[str, Column], lang: str, strong: bool
) -> dict[str, tuple[str, ...]]:
    """Each text column's wrapped lines; a decision's jumps are noted under Keterangan."""
    notes = [step.keterangan] if step.keterangan else []
    for jump in decision_jumps(sop, step, lang):
        notes.append(label(lang, "decision_note", no=jump.label, step=jump.target))
    values = {
        "no": str(step.no),
        "aktivitas": step.aktivitas,
        "kelengkapan": step.kelengkapan,
        "waktu": format_minutes(step.minutes, lang) if step.has_standard_time else str(step.waktu),
        "output": step.output,
        "keterangan": "\n".join(notes),
    }
    bold = {"no", "aktivitas"} if strong else set()  # the current step's text is drawn bold
    return {key: wrap(text, columns[key].w - 2 * PAD_X, bold=key in bold) for key, text in values.items()}


def build_header(columns: tuple[Column, ...], top: float, lang: str) -> tuple[tuple[HeaderCell, ...], float]:
    """The two header rows; returns the cells and the header's bottom."""
    lanes = [c for c in columns if c.group == "pelaksana"]
    mutu = [c for c in columns if c.group == "mutu_baku"]
    sub = {c.key: wrap(c.title, c.w - 2 * PAD_X, bold=True) for c in lanes + mutu}
    h1 = line_height() + 2 * PAD_Y
    h2 = block_height(max(len(v) for v in sub.values())) + 2 * PAD_Y
    cells: list[HeaderCell] = []
    for col in columns:
        if col.group is None:
            cells.append(HeaderCell(col.x, top, col.w, h1 + h2, lines=(col.title,), column_keys=(col.key,)))
        else:
            cells.append(HeaderCell(col.x, top + h1, col.w, h2, lines=sub[col.key], column_keys=(col.key,)))
    for group, members in (("pelaksana", lanes), ("mutu_baku", mutu)):
        width = sum(c.w for c in members)
        lines = wrap(label(lang, group), width - 2 * PAD_X, bold=True)
        cells.append(HeaderCell(members[0].x, top, width, h1, lines=lines, column_keys=tuple(c.key for c in members)))
    return tuple(cells), top + h1 + h2
