"""Read a scanned SOP AP (a PDF without text, or a photo of the page) with Tesseract OCR.

Each page is rendered (pdfplumber's renderer) and its table grid found with OpenCV: long
horizontal and vertical strokes survive a morphological opening, their projections give
the row and column rules. Tesseract's words (Indonesian model) are then dropped into those
cells, which gives the same rows of cells as every other reader. Symbols are not read from
pixels: every actor stays "??" for a person to fill in.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from bot.sop_import.common import ImportError_, ImportResult, NoProcedureTableError, Rows, Unresolved
from bot.sop_import.draft import build_draft
from bot.sop_import.pdf_draft import pdf_sumber
from bot.sop_import.cells import norm_label
from bot.sop_import.table import column_kind, is_header_row, read_table

PACKAGES = "tesseract-ocr tesseract-ocr-ind"
_DPI = 200
_DOUBLE = 14  # pixels: rules this close are one (double-ruled frames)
_NARROW = 0.045  # of the page width: a cell this narrow holds a step number
_INK = 0.0008  # share of dark pixels below which a cell is empty (no OCR call)


class OcrUnavailableError(ImportError_):
    """Tesseract (or its Indonesian model) is not installed."""


def _check_tesseract(path: Path) -> None:
    if shutil.which("tesseract") is None:
        raise OcrUnavailableError(path, f"dokumen hasil pindai perlu OCR Tesseract, yang belum terpasang; pasang "
                                        f"dengan `sudo apt-get install {PACKAGES}` (Debian/Ubuntu)")
    import pytesseract

    if "ind" not in pytesseract.get_languages(config=""):
        raise OcrUnavailableError(path, f"model bahasa Indonesia Tesseract belum terpasang; pasang dengan "
                                        f"`sudo apt-get install {PACKAGES}`")


def _images(path: Path) -> list[Any]:
    from PIL import Image

    if path.suffix.lower() != ".pdf":
        return [Image.open(path).convert("RGB")]
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        return [page.to_image(resolution=_DPI).original.convert("RGB") for page in pdf.pages]


def _mask(gray: Any, vertical: bool) -> Any:
    """The long strokes of one direction (a morphological opening of the binarised page)."""
    import cv2

    binary = cv2.adaptiveThreshold(gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 15, 10)
    h, w = binary.shape
    size = (1, max(20, h // 30)) if vertical else (max(20, w // 30), 1)
    return cv2.morphologyEx(binary, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, size))


def _grid(gray: Any) -> tuple[list[int], list[int]]:
    """Column and row rules without the flowchart's connectors.

    A vertical that crosses few rows whole is a connector; so is a horizontal that runs only
    through the role columns (a rule also crosses one of the first two or last three columns).
    """
    ys = _rules(gray, False)
    mask = _mask(gray, True)
    bands = list(zip(ys, ys[1:]))
    xs = []
    for x in _rules(gray, True):
        strip = mask[:, max(0, x - 4):x + 5].max(axis=1)
        full = [bool((strip[a:b] > 0).mean() >= 0.7) for a, b in bands]
        first = full.index(True) if True in full else len(full)
        below = full[first:]
        if below and sum(below) >= 0.6 * len(below):
            xs.append(x)
    columns = list(zip(xs, xs[1:]))
    outer = columns[:2] + columns[-3:] if len(columns) > 5 else columns
    across = _mask(gray, False)

    def crosses(y: int) -> bool:
        strip = across[max(0, y - 4):y + 5, :].max(axis=0)
        return any((strip[a:b] > 0).mean() >= 0.7 for a, b in outer)

    return xs, [y for y in ys if crosses(y)]


def _rules(gray: Any, vertical: bool) -> list[int]:
    """Pixel positions of the long rules of one direction."""
    import numpy as np

    lines = _mask(gray, vertical)
    h, w = lines.shape
    profile = lines.sum(axis=0 if vertical else 1) / 255
    limit = 0.15 * (h if vertical else w)
    hits = np.where(profile >= limit)[0]
    positions: list[int] = []
    for p in hits.tolist():
        if positions and p - positions[-1] <= _DOUBLE:  # a thick or double rule is one rule
            positions[-1] = int(p)
            continue
        positions.append(int(p))
    return positions


def _tidy(text: str) -> str:
    """OCR text of a cell without the table rules read as "|" or dashes at its edges."""
    text = " ".join(text.replace("|", " ").split())
    return text.strip(" —-_~'\"‘’“”")


def _page_rows(image: Any) -> Rows:
    import cv2
    import numpy as np
    import pytesseract
    from PIL import ImageOps

    gray = cv2.cvtColor(np.array(image), cv2.COLOR_RGB2GRAY)
    xs, ys = _grid(gray)
    if len(xs) < 3 or len(ys) < 3:
        return []
    dark = gray < 128
    rows: Rows = []
    for top, bottom in zip(ys, ys[1:]):
        row = []
        for left, right in zip(xs, xs[1:]):
            inset = 4
            cell = dark[top + inset:bottom - inset, left + inset:right - inset]
            if cell.size == 0 or cell.mean() < _INK:
                row.append("")
                continue
            crop = image.crop((left + inset, top + inset, right - inset, bottom - inset))
            narrow = cell.shape[1] < _NARROW * gray.shape[1]  # the No column: a number in a narrow cell
            if narrow:
                crop = ImageOps.expand(crop.resize((crop.width * 2, crop.height * 2)), border=20, fill="white")
            digits = " -c tessedit_char_whitelist=0123456789." if narrow else ""
            text = ""
            for psm in ((6, 7, 10) if narrow else (6, 7)):  # a block, a line, then one character
                text = _tidy(pytesseract.image_to_string(crop, lang="ind", config=f"--psm {psm}{digits}"))
                if text:
                    break
            row.append(text)
        if any(row):
            rows.append(row)
    return rows


def _header_block(rows: Rows) -> Rows:
    """Rebuild a header cut into pieces by the grid (merged cells OCR'd piecemeal).

    The rows from the one naming Aktivitas down to the first numbered step become two: the
    column labels the reader knows (Aktivitas, Waktu, …) and, below, the lowest text of every
    other column (the role names under "Pelaksana").
    """
    start = next((i for i, row in enumerate(rows) if any(column_kind(norm_label(c)) == "aktivitas" for c in row)), None)
    if start is None or is_header_row(rows[start]):
        return rows
    akt = next(i for i, c in enumerate(rows[start]) if column_kind(norm_label(c)) == "aktivitas")
    end = next((i for i in range(start + 1, len(rows)) if akt > 0 and rows[i][akt - 1].rstrip(".").isdigit()), None)
    if end is None:
        return rows
    block = rows[max(0, start - 2):end]
    width = max(len(r) for r in block)
    main, sub = [""] * width, [""] * width
    for col in range(width):
        texts = [r[col] for r in block if col < len(r) and r[col]]
        known = next((t for t in texts if column_kind(norm_label(t))), None)
        if known:
            main[col] = known
        elif texts and col > akt:
            sub[col] = texts[-1]
    return [*rows[: max(0, start - 2)], main, sub, *rows[end:]]


def _jumlah_row(row: list[str]) -> bool:
    return any(c.lower().startswith(("jumlah", "total")) for c in row if c)


def _numbering(row: list[str], cols: Any) -> bool:
    """The column-number row "1 2 3 …", also when OCR misread some of its cells."""
    def digits(i: int | None) -> bool:
        return i is not None and i < len(row) and row[i].strip(" .()").isdigit()

    return digits(cols.no) and digits(cols.aktivitas)


def import_scan(path: Path) -> ImportResult:
    """An OCR draft: steps in order with their text and times, actors marked "??"."""
    _check_tesseract(path)
    images = _images(path)
    rows: Rows = _header_block([row for image in images for row in _page_rows(image)])
    try:
        table = read_table(rows, path)
    except NoProcedureTableError as exc:
        raise NoProcedureTableError(path, f"hasil OCR ({len(images)} halaman) tidak memuat tabel langkah SOP AP "
                                          f"yang terbaca: {exc.problem}") from exc
    role_columns = [col for col, _name in table.columns.roles]
    cols = table.columns
    rows = [*rows[: table.header_row + 1], *(r for r in rows[table.header_row + 1:] if not _numbering(r, cols))]
    for row in rows[table.header_row + 1:]:  # symbols are drawn, not written: OCR text there is noise
        step_row = any(i is not None and i < len(row) and row[i] for i in (cols.no, cols.aktivitas))
        timed = cols.waktu is not None and cols.waktu < len(row) and row[cols.waktu]
        if step_row and timed and cols.no is not None and not row[cols.no] and not _jumlah_row(row):
            row[cols.no] = "?"  # each ruled band is one step: an unread number is marked, not merged
        if step_row and not is_header_row(row):
            for col in role_columns:
                if col < len(row):
                    row[col] = ""
    draft, notes = build_draft(rows, path)
    draft["sumber"] = pdf_sumber(path, len(images), f"Tesseract OCR (ind) {_version()} dengan garis tabel OpenCV",
                                 [])
    notes.append(Unresolved("dokumen hasil pindai: teks dibaca dengan OCR — periksa setiap langkah terhadap "
                            "dokumen asli; simbol diagram alir tidak dibaca", ("sumber",), blocking=False))
    return ImportResult(path, draft, notes)


def _version() -> str:
    import pytesseract

    try:
        return str(pytesseract.get_tesseract_version())
    except Exception:  # noqa: BLE001 - only a label
        return ""
