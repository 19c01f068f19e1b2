"""Read tab-separated text (text pasted or extracted from Word/PDF) into rows of cells.

Extraction keeps one table row per line with tabs between cells, and empty cells as empty
strings between tabs — exactly the shape the draft builder expects, so this reader only
has to decode the bytes robustly.
"""

from __future__ import annotations

from pathlib import Path

from bot.sop_import.cell_lines import is_cell_per_line, read_cell_lines
from bot.sop_import.common import EmptyDocumentError, Rows, UnreadableDocumentError


def _decode(data: bytes, path: Path) -> str:
    """UTF-8 (with or without BOM) first; offices' Windows exports fall back to cp1252."""
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UnreadableDocumentError(path, "bukan berkas teks (berisi data biner)")
    for encoding in ("utf-8-sig", "utf-16", "cp1252"):
        if encoding == "utf-16" and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
            continue
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def read_text_table(path: Path) -> Rows:
    """Rows of tab-separated cells, one per line (blank lines kept as empty rows)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UnreadableDocumentError(path, f"berkas tidak dapat dibaca ({exc.strerror or exc})") from exc
    text = _decode(data, path)
    if not text.strip():
        raise EmptyDocumentError(path, "berkas kosong")
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if is_cell_per_line(lines):
        return read_cell_lines(lines)
    return [line.split("\t") for line in lines]
