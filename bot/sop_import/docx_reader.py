"""Read a Word (.docx) SOP AP document into rows of cells, in document order.

Offices build the procedure table with merged header cells ("Pelaksana" over the role
columns, "Mutu Baku" over Kelengkapan/Waktu/Output, "No"/"Aktivitas" over two header
rows). We read the table XML grid ourselves so that a merged cell's text appears once, in
its top-left grid position, and the positions it covers are empty — the same shape a
tab-separated extraction has, so one draft builder serves every format.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

from bot.sop_import.common import EmptyDocumentError, Rows, UnreadableDocumentError


def _paragraph_text(p: Any) -> str:
    """Text of one paragraph; manual line breaks (Shift+Enter) become newlines, tabs spaces."""
    from docx.oxml.ns import qn

    t_tag, br_tags, tab_tag = qn("w:t"), {qn("w:br"), qn("w:cr")}, qn("w:tab")
    parts = []
    for el in p.iter(t_tag, tab_tag, *br_tags):
        if el.tag == t_tag:
            parts.append(el.text or "")
        elif el.tag == tab_tag:
            parts.append(" ")
        else:
            parts.append("\n")
    return "".join(parts)


class _Grid:
    """Turns body XML into rows; counts Word's automatic numbering in otherwise empty cells.

    Offices often number the No column with Word's list numbering, which stores no text
    at all; without counting it every step would look like a continuation row.
    """

    def __init__(self, style_numbering: dict[str, str]) -> None:
        self.style_numbering = style_numbering  # style id -> numId of numbered styles
        self.counters: dict[str, int] = {}

    def _num_id(self, p: Any) -> str | None:
        from docx.oxml.ns import qn

        ppr = p.find(qn("w:pPr"))
        if ppr is None:
            return None
        num = ppr.find(f"{qn('w:numPr')}/{qn('w:numId')}")
        if num is not None:
            return num.get(qn("w:val"))
        style = ppr.find(qn("w:pStyle"))
        return None if style is None else self.style_numbering.get(style.get(qn("w:val")))

    def cell_text(self, tc: Any) -> str:
        """Paragraphs of one cell joined by newlines (list items stay separable)."""
        from docx.oxml.ns import qn

        paragraphs = list(tc.iter(qn("w:p")))
        text = "\n".join(_paragraph_text(p) for p in paragraphs).strip("\n")
        num_id = self._num_id(paragraphs[0]) if paragraphs and not text.strip() else None
        if num_id not in (None, "0"):
            self.counters[num_id] = self.counters.get(num_id, 0) + 1
            return str(self.counters[num_id])
        return text

    def table_rows(self, tbl: Any) -> Rows:
        """The grid of one table; spanned and vertically continued positions are empty."""
        from docx.oxml.ns import qn

        rows: Rows = []
        for tr in tbl.iterchildren(qn("w:tr")):
            row: list[str] = [""] * int(tr.grid_before or 0)
            for tc in tr.iterchildren(qn("w:tc")):
                span = int(tc.grid_span or 1)
                row.append("" if tc.vMerge == "continue" else self.cell_text(tc))
                row.extend([""] * (span - 1))
            rows.append(row)
        return rows

    def block_rows(self, container: Any) -> Rows:
        """Paragraphs (as one-cell rows) and tables of a body or header, in order."""
        from docx.oxml.ns import qn

        rows: Rows = []
        for child in container.iterchildren():
            if child.tag == qn("w:p"):
                text = _paragraph_text(child).strip()
                if text:
                    rows.append([text])
            elif child.tag == qn("w:tbl"):
                rows.extend(self.table_rows(child))
                rows.append([])  # a table ends: keep tables apart like a blank line would
        return rows


def _style_numbering(document: Any) -> dict[str, str]:
    from docx.oxml.ns import qn

    result = {}
    for style in document.styles.element.iterchildren(qn("w:style")):
        num = style.find(f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:numId')}")
        if num is not None:
            result[style.get(qn("w:styleId"))] = num.get(qn("w:val"))
    return result


def read_docx(path: Path) -> Rows:
    """Rows of the first page header (where some offices put the identity block) and body."""
    try:
        import docx
    except ModuleNotFoundError as exc:  # pragma: no cover - dependency missing
        raise UnreadableDocumentError(path, "paket python-docx belum terpasang") from exc
    if not path.is_file():
        raise UnreadableDocumentError(path, "berkas tidak ditemukan")
    if path.stat().st_size == 0:
        raise EmptyDocumentError(path, "berkas kosong")
    try:
        document = docx.Document(str(path))
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise UnreadableDocumentError(path, "bukan dokumen Word .docx yang sah") from exc
    except Exception as exc:  # python-docx raises its own PackageNotFoundError and others
        raise UnreadableDocumentError(path, f"bukan dokumen Word .docx yang sah ({type(exc).__name__})") from exc
    grid = _Grid(_style_numbering(document))
    rows: Rows = []
    if document.sections:
        header = document.sections[0].header
        if not header.is_linked_to_previous:
            rows.extend(grid.block_rows(header._element))
    rows.extend(grid.block_rows(document.element.body))
    if not any(cell.strip() for row in rows for cell in row):
        raise EmptyDocumentError(path, "dokumen tidak berisi teks")
    return rows
