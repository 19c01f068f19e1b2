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
_INK = 0.004  # share of dark pixels below which a cell is empty (no OCR call)


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


def _rules(gray: Any, vertical: bool) -> list[int]:
    """Pixel positions of the long rules of one direction."""
    import cv2
    import numpy as np

    binary = cv2.adaptiveThreshold(gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 15, 10)
    h, w = binary.shape
    size = (1, max(20, h // 30)) if vertical else (max(20, w // 30), 1)
    lines = cv2.morphologyEx(binary, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, size))
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

    gray = cv2.cvtColor(np.array(image), cv2.COLOR_RGB2GRAY)
    xs, ys = _rules(gray, True), _rules(gray, False)
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
            mode = "--psm 6" if cell.shape[1] > 60 else "--psm 6 -c tessedit_char_whitelist=0123456789.()"
            row.append(_tidy(pytesseract.image_to_string(crop, lang="ind", config=mode)))
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
    for row in rows[table.header_row + 1:]:  # symbols are drawn, not written: OCR text there is noise
        step_row = any(i is not None and i < len(row) and row[i] for i in (cols.no, cols.aktivitas))
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
