"""Read a text-layer SOP AP PDF into the importer's rows of cells, actors from the flowchart.

The step table usually continues over several pages without repeating its header, and
each page's grid may be cut a little differently, so continuation pages are re-read with
only the header page's column rules and re-aligned to its columns by position. A PDF that
binds several SOPs (a cover, then its steps, then the next cover) gives one document each.
Decisions (diamonds) are returned beside the rows (:mod:`bot.sop_import.pdf_rows`).
"""

from __future__ import annotations

import re
from pathlib import Path

import pdfplumber

from bot.sop_import.common import NoProcedureTableError, UnreadableDocumentError
from bot.sop_import.pdf_pages import PageTable, PdfPage, read_page
from bot.sop_import.pdf_rows import BranchInfo, PdfDocument, Row, apply_flow, x_map
from bot.sop_import.table import is_header_row, read_table

__all__ = ["BranchInfo", "PdfDocument", "read_pdf", "read_pdfs"]

METHOD = "pdfplumber {version}: garis tabel, teks sel, dan simbol diagram alir (bentuk vektor)"
_COVER = re.compile(r"^\s*(nomor|nama|judul)\s+sop\b", re.IGNORECASE)


def _aligned(table: PageTable, header: PageTable) -> list[list[str]]:
    mapping = x_map(table, header)
    rows = []
    for texts in table.texts():
        row = [""] * len(header.columns)
        for text, target in zip(texts, mapping):
            if text:
                row[target] = f"{row[target]}\n{text}".strip()
        rows.append(row)
    return rows


def _open(path: Path, grid: bool = True, columns_at: list[float] | None = None,
          pages: range | None = None) -> list[PdfPage]:
    """The pages read (all, or those of `pages`); `columns_at` keeps only those column rules."""
    try:
        with pdfplumber.open(path) as pdf:
            wanted = pages if pages is not None else range(len(pdf.pages))
            return [read_page(i, pdf.pages[i], grid, columns_at) for i in wanted]
    except Exception as exc:  # pdfminer raises many kinds for a damaged file
        raise UnreadableDocumentError(path, f"PDF tidak dapat dibaca ({type(exc).__name__}: {exc})") from exc


def _has_cover(page: PdfPage) -> bool:
    return any(_COVER.match(cell or "") for t in page.tables for row in t.texts() for cell in row)


def _has_steps(page: PdfPage) -> bool:
    return any(is_header_row(row) for t in page.tables for row in t.texts())


def _segments(pages: list[PdfPage]) -> list[list[PdfPage]]:
    """Split at each cover that follows a step table: one segment per bound SOP."""
    segments: list[list[PdfPage]] = [[]]
    for page in pages:
        if segments[-1] and _has_cover(page) and any(_has_steps(p) for p in segments[-1]):
            segments.append([])
        segments[-1].append(page)
    return segments


def read_pdfs(path: Path) -> list[PdfDocument]:
    """One document per SOP bound in the PDF (usually one)."""
    pages = _open(path)
    docs = []
    for segment in _segments(pages):
        doc = _read(path, segment, len(pages))
        if doc is None:  # the rules were not all found: pdfplumber's own cuts (connectors may split columns)
            span = range(segment[0].number, segment[-1].number + 1)
            doc = _read(path, _open(path, grid=False, pages=span), len(pages))
        if doc is None:
            flat = [texts for p in segment for t in p.tables for texts in t.texts()]
            doc = PdfDocument(flat, len(pages), _method(), text_chars=sum(len(w["text"]) for p in segment for w in p.words),
                              has_images=any(p.image_share > 0.25 for p in segment))
        if len(pages) > len(segment):
            first, last = segment[0].number + 1, segment[-1].number + 1
            doc.pages, doc.part = len(segment), f"halaman {first}–{last} dari {len(pages)}"
        docs.append(doc)
    return docs


def read_pdf(path: Path) -> PdfDocument:
    """The first (usually only) SOP of the PDF."""
    return read_pdfs(path)[0]


def _read(path: Path, pages: list[PdfPage], page_count: int) -> PdfDocument | None:
    text_chars = sum(len(w["text"]) for p in pages for w in p.words)
    tables = [t for p in pages for t in p.tables]
    flat = [Row(t, i, texts) for t in tables for i, texts in enumerate(t.texts())]
    try:
        found = read_table([r.cells for r in flat], path)
    except NoProcedureTableError:
        return None
    header = flat[found.header_row].table
    later = [p for p in pages if p.number > header.page]
    if any(p.grid is not None for p in later):
        xs = sorted({x for span in header.columns for x in span})
        span = range(later[0].number, later[-1].number + 1)
        pages = [p for p in pages if p.number <= header.page] + _open(path, True, xs, span)
        tables = [t for p in pages for t in p.tables]
    rows: list[Row] = []
    for table in tables:
        if table.page < header.page or (table.page == header.page and table is not header and not rows):
            rows.extend(Row(table, i, texts) for i, texts in enumerate(table.texts()))
        elif table is header:
            rows.extend(Row(table, i, texts) for i, texts in enumerate(table.texts()))
        else:
            rows.extend(Row(table, i, texts) for i, texts in enumerate(_aligned(table, header)))
    start = next(i for i, r in enumerate(rows) if r.table is header) + 1
    doc = PdfDocument([r.cells for r in rows], page_count, _method(), text_chars=text_chars)
    apply_flow(doc, rows, start, header, found.columns, pages)
    return doc


def _method() -> str:
    return METHOD.format(version=pdfplumber.__version__)
