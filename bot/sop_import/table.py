"""Find the procedure table, name its columns and read its step rows.

Columns are found by their header labels (case/spacing-insensitive, with the Indonesian
variants offices use), never by position: the Pelaksana role columns are whatever lies
between Aktivitas and the Mutu Baku columns. Text extraction sometimes splits one value
over two cells ("10" | "Menit"), which pushes the neighbouring cells one column over;
`read_steps` re-aligns such rows around the Waktu column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from bot.domain.durations import DurationError, read_duration
from bot.sop_import.cells import clean, norm_label
from bot.sop_import.common import MissingColumnError, NoProcedureTableError, Rows

_NO = {"no", "nomor", "no urut", "nomor urut"}
_AKTIVITAS = {"aktivitas", "uraian", "uraian aktivitas", "kegiatan", "uraian kegiatan", "uraian prosedur"}
_GROUPS = {"pelaksana", "pelaksanaan", "mutu baku", "pendukung"}
_STEP_NO = re.compile(r"^(\d{1,3})\s*[.)]?$")
_NUMBER = re.compile(r"^\d+(?:[.,]\d+)?$")


def column_kind(label: str) -> str | None:
    """Which standard column a normalised header label names (None: a role or nothing)."""
    label = label.replace(".", " ").strip()
    label = re.sub(r"\s+", " ", label)
    if label in _NO:
        return "no"
    if label in _AKTIVITAS or label.startswith(("aktivitas/", "uraian aktivitas", "kegiatan/")):
        return "aktivitas"
    if "kelengkapan" in label or label.startswith(("persyaratan", "sumber data")):
        return "kelengkapan"
    if label.startswith("waktu"):
        return "waktu"
    if label in {"output", "keluaran", "hasil"} or label.startswith("output"):
        return "output"
    if label in {"ket", "keterangan"}:
        return "keterangan"
    return None


@dataclass
class Columns:
    """Where each field of a step row lives; `roles` are (column, header text or "")."""

    aktivitas: int
    no: int | None = None
    kelengkapan: int | None = None
    waktu: int | None = None
    output: int | None = None
    keterangan: int | None = None
    roles: list[tuple[int, str]] = field(default_factory=list)


@dataclass
class RawStep:
    """One numbered row as read; marks are (role index, cell text) in column order."""

    no_text: str
    no: int | None
    aktivitas: str
    marks: list[tuple[int, str]]
    kelengkapan: str = ""
    waktu: str = ""
    output: str = ""
    keterangan: str = ""
    shifted: bool = False


@dataclass
class Table:
    columns: Columns
    header_row: int
    steps: list[RawStep]
    jumlah_waktu: str | None = None


def _labels(row: list[str]) -> list[str]:
    return [norm_label(c) for c in row]


def _is_header(labels: list[str]) -> bool:
    kinds = {column_kind(label) for label in labels}
    return "aktivitas" in kinds and bool(kinds & {"no", "waktu", "kelengkapan", "output"} or set(labels) & _GROUPS)


def is_header_row(row: list[str]) -> bool:
    """The header of a procedure table (also when repeated after a page break)."""
    return _is_header(_labels(row))


def _looks_like_header_without_aktivitas(labels: list[str]) -> bool:
    kinds = {column_kind(label) for label in labels}
    return "no" in kinds and bool(kinds & {"waktu", "kelengkapan", "output"} or set(labels) & _GROUPS)


def _cell(row: list[str], index: int | None) -> str:
    return clean(row[index]) if index is not None and index < len(row) else ""


def is_column_numbering(row: list[str]) -> bool:
    """A row "1 | 2 | 3 | ..." or "(1) | (2) | ..." numbering the columns under the header."""
    values = [v.strip("()") for c in row for v in clean(c).split()]
    if len(values) < 3 or not all(v.isdigit() for v in values):
        return False
    numbers = [int(v) for v in values]  # documents skip the numbers of merged columns: (5) (8) (9)
    return numbers[0] in (0, 1) and all(a < b for a, b in zip(numbers, numbers[1:]))


def _columns(main: list[str], sub: list[str] | None) -> Columns:
    width = max(len(main), len(sub or []))
    main_labels = _labels(main + [""] * (width - len(main)))
    sub_labels = _labels((sub or []) + [""] * (width - len(sub or [])))
    kinds: dict[str, int] = {}
    candidates: list[tuple[int, str]] = []
    for index in range(width):
        label = sub_labels[index] or main_labels[index]
        if sub_labels[index]:
            raw = (sub or [])[index]
        else:
            raw = main[index] if index < len(main) else ""
        kind = column_kind(label)
        if kind and kind not in kinds:
            kinds[kind] = index
        elif not kind:
            group = not sub_labels[index] and sub is not None and label in _GROUPS
            candidates.append((index, "" if group or label in {"mutu baku"} else clean(raw)))
    columns = Columns(aktivitas=kinds["aktivitas"], **{k: v for k, v in kinds.items() if k != "aktivitas"})
    if columns.no is None and columns.aktivitas > 0:  # an unread "No" label (OCR): it precedes Aktivitas
        columns.no = columns.aktivitas - 1
    ends = [columns.kelengkapan, columns.waktu, columns.output, columns.keterangan]
    end = min([e for e in ends if e is not None and e > columns.aktivitas], default=width)
    columns.roles = [(i, name) for i, name in candidates if columns.aktivitas < i < end]
    return columns


def _split_time(row: list[str], cols: Columns) -> tuple[str, dict[str, int | None], bool]:
    """The time text with a "10" | "Menit" split undone, where the other fields sit in this
    row, and whether the cells left of Waktu moved one column left (a role cell was lost)."""
    where: dict[str, int | None] = {"kelengkapan": cols.kelengkapan, "output": cols.output, "keterangan": cols.keterangan}
    w = cols.waktu
    if w is None:
        return "", where, False
    here, before, after = _cell(row, w), _cell(row, w - 1), _cell(row, w + 1)
    if _is_unit(here) and _NUMBER.match(before):  # number pulled into the column before Waktu
        kel = where["kelengkapan"]
        if kel is not None and kel < w:
            where["kelengkapan"] = kel - 1
        return f"{before} {here}", where, True
    if _NUMBER.match(here) and _is_unit(after):  # unit pushed into the column after Waktu
        for name in ("output", "keterangan"):
            col = where[name]
            if col is not None and col > w:
                where[name] = col + 1
        return f"{here} {after}", where, False
    return here, where, False


def _is_unit(text: str) -> bool:
    return bool(re.fullmatch(r"[A-Za-z]+\.?", text)) and is_duration(f"1 {text}")


def is_duration(text: str) -> bool:
    try:
        read_duration(text)
    except DurationError:
        return False
    return True


def _step(row: list[str], cols: Columns) -> RawStep:
    no_text = _cell(row, cols.no)
    match = _STEP_NO.match(no_text)
    waktu, where, shifted = _split_time(row, cols)
    role_cells = [(n, _cell(row, i)) for n, (i, _name) in enumerate(cols.roles)]
    if shifted:  # which role cell was lost is unknown: read what is there, the draft marks it
        role_cells = [(n, _cell(row, i - 1)) for n, (i, _name) in enumerate(cols.roles) if i - 1 > cols.aktivitas]
    return RawStep(
        no_text=no_text,
        no=int(match.group(1)) if match else None,
        aktivitas=_cell(row, cols.aktivitas),
        marks=[(n, text) for n, text in role_cells if text],
        kelengkapan=_cell(row, where["kelengkapan"]),
        waktu=waktu,
        output=_cell(row, where["output"]),
        keterangan=_cell(row, where["keterangan"]),
        shifted=shifted,
    )


def _append(step: RawStep, more: RawStep) -> None:
    """A row without a number continues the step above it (wrapped text in extractions)."""
    for name in ("aktivitas", "kelengkapan", "output", "keterangan"):
        extra = getattr(more, name)
        if extra:
            setattr(step, name, f"{getattr(step, name)} {extra}".strip())
    step.marks.extend(more.marks)
    if more.waktu and not step.waktu:
        step.waktu = more.waktu


def _jumlah(row: list[str]) -> str | None:
    """The stated total of a "Jumlah waktu" row, or None when the row is not one."""
    cells = [clean(c) for c in row if clean(c)]
    if not cells or not re.match(r"^(jumlah|total)\b", cells[0].lower()):
        return None
    head = re.sub(r"^(jumlah|total)( waktu)?\s*:?", "", cells[0], flags=re.IGNORECASE).strip()
    return " ".join(([head] if head else []) + cells[1:])


def read_table(rows: Rows, file: Path) -> Table:
    """The procedure table of `rows`; raises when there is none or it lacks Aktivitas."""
    header = next((i for i, row in enumerate(rows) if _is_header(_labels(row))), None)
    if header is None:
        if any(_looks_like_header_without_aktivitas(_labels(row)) for row in rows):
            raise MissingColumnError(file, "tabel prosedur tidak mempunyai kolom Aktivitas")
        raise NoProcedureTableError(
            file, "tabel prosedur tidak ditemukan (baris judul No / Aktivitas / Pelaksana / Mutu Baku)"
        )
    main = rows[header]
    start = header + 1
    while start < len(rows) and not any(clean(c) for c in rows[start]):
        start += 1
    sub = None
    probe = _columns(main, None)
    if start < len(rows) and not _cell(rows[start], probe.no) and not _cell(rows[start], probe.aktivitas):
        sub, start = rows[start], start + 1
    cols = _columns(main, sub)
    steps: list[RawStep] = []
    total = None
    for row in rows[start:]:
        if not any(clean(c) for c in row) or is_column_numbering(row):
            continue
        if _is_header(_labels(row)) or (sub is not None and row == sub):
            continue  # the header repeated after a page break
        stated = _jumlah(row)
        if stated is not None:
            total = stated or None
            break
        step = _step(row, cols)
        if step.no is not None or (step.aktivitas and 0 < len(step.no_text) <= 5):
            steps.append(step)  # a number, or a short unreadable one beside an activity
        elif steps and step.aktivitas and not step.no_text and len(row) >= len(main) - 2:
            _append(steps[-1], step)
    if not steps:
        raise NoProcedureTableError(file, "tabel prosedur tidak berisi langkah bernomor")
    return Table(cols, header, steps, total)
