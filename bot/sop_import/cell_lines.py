"""Text where every table cell sits on its own line (seed 002's layout).

Some exports put a line break before every tab: a row "NO.<tab>AKTIVITAS<tab>…" arrives
as "NO." / "<tab>AKTIVITAS" / …, one cell a line, rows separated by blank lines, a cell's
own line breaks as lines without a tab, and now and then a blank line inside a row. The
rows are rebuilt here; a header written compactly (one cell per merged group: "NO.",
"AKTIVITAS", "PELAKSANA", "MUTU BAKU", "KET.") is spread over the columns of the row of
sub-headings below it, so the shared table reader sees the usual merged-header shape.
"""

from __future__ import annotations

from bot.sop_import.common import Rows
from bot.sop_import.table import column_kind
from bot.sop_import.cells import norm_label

_GROUP_LABELS = {"pelaksana", "pelaksanaan", "mutu baku", "pendukung"}


def is_cell_per_line(lines: list[str]) -> bool:
    """Many lines start with a tab and none holds two cells."""
    tabbed = sum(1 for line in lines if line.startswith("\t"))
    return tabbed >= 20 and not any(line.count("\t") > 1 for line in lines)


def _blocks(lines: list[str]) -> Rows:
    rows: Rows = []
    row: list[str] = []
    for line in lines:
        if not line.strip() and "\t" not in line:  # "<tab>" alone is an empty cell
            if row:
                rows.append(row)
                row = []
        elif line.startswith("\t"):
            row.append(line[1:].strip())
        elif row:
            row[-1] = f"{row[-1]}\n{line.strip()}".strip()
        else:
            row.append(line.strip())
    if row:
        rows.append(row)
    return rows


def _rejoin(rows: Rows) -> Rows:
    """Join a row cut by a blank line inside it: two pieces that make the width of the row above."""
    out: Rows = []
    for row in rows:
        if len(out) >= 2 and len(out[-1]) < len(out[-2]) and len(out[-1]) + len(row) == len(out[-2]):
            out[-1] = out[-1] + row
        else:
            out.append(row)
    return out


def _spread(main: list[str], sub: list[str]) -> list[str]:
    """Lay a compact header over the columns of its sub-heading row."""
    out = [""] * len(sub)
    col = 0
    for label in main:
        norm = norm_label(label)
        while col < len(sub) and norm not in _GROUP_LABELS and sub[col] and column_kind(norm_label(sub[col])) is None:
            col += 1
        if col >= len(sub):
            return main
        out[col] = label
        if norm in _GROUP_LABELS:
            start = col
            while col < len(sub) and (sub[col] or col == start):
                col += 1
        else:
            col += 1
    return out


def read_cell_lines(lines: list[str]) -> Rows:
    rows = _rejoin(_blocks(lines))
    for i in range(len(rows) - 1):
        main, sub = rows[i], rows[i + 1]
        labels = {norm_label(c) for c in main}
        if labels & _GROUP_LABELS and any(column_kind(norm_label(c)) == "aktivitas" for c in main) \
                and len(main) < len(sub) - 1:
            rows[i] = _spread(main, sub)
            break
    return rows
