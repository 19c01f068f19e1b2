"""Import a PDF or a scanned image: the text layer when there is one, OCR otherwise.

A PDF whose text layer holds a step table is read geometrically (:mod:`pdf_reader`); a PDF
without text, or whose step table is only a picture, and a photographed page go through
Tesseract (:mod:`ocr_reader`). A PDF that has text but no step table is not an SOP AP
(a prose SOP, a regulation) and is refused with what was found.
"""

from __future__ import annotations

from pathlib import Path

from bot.sop_import.common import ImportResult, NoProcedureTableError, Unresolved
from bot.sop_import.draft import build_draft
from bot.sop_import.pdf_draft import add_decisions, pdf_sumber
from bot.sop_import.pdf_reader import PdfDocument, read_pdfs

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff")
_MIN_TEXT = 200  # characters: less than this is a scan with a stray stamp or page number


def is_pdf_like(suffix: str) -> bool:
    return suffix == ".pdf" or suffix in IMAGE_SUFFIXES


def import_pdf(path: Path) -> list[ImportResult]:
    """The drafts of a PDF (one per bound SOP) or image (raises an ImportError_ subclass when none)."""
    if path.suffix.lower() in IMAGE_SUFFIXES:
        from bot.sop_import.ocr_reader import import_scan

        return [import_scan(path)]
    docs = read_pdfs(path)
    if len(docs) > 1:  # a bound volume: every part must be an SOP AP
        return [_draft(path, doc) for doc in docs]
    try:
        return [_draft(path, docs[0])]
    except NoProcedureTableError:
        if docs[0].text_chars < _MIN_TEXT or docs[0].has_images:
            from bot.sop_import.ocr_reader import import_scan

            return [import_scan(path)]
        raise


def _draft(path: Path, doc: PdfDocument) -> ImportResult:
    try:
        draft, notes = build_draft(doc.rows, path)
    except NoProcedureTableError as exc:
        if doc.text_chars < _MIN_TEXT or doc.has_images:
            raise
        raise NoProcedureTableError(
            path, f"PDF ini berisi teks ({doc.pages} halaman, {doc.text_chars} karakter) tetapi bukan SOP AP: "
                  f"{exc.problem}; tanpa tabel langkah tidak ada yang dapat dijalankan Pandu") from exc
    add_decisions(draft, doc.decisions, notes)
    draft["sumber"] = pdf_sumber(path, doc.pages, doc.method, doc.image_flow_pages, doc.part)
    if doc.image_flow_pages:
        read = ", ".join(map(str, sorted(doc.raster_steps))) or "tidak ada"
        notes.append(Unresolved(
            f"diagram alir halaman {', '.join(map(str, doc.image_flow_pages))} berupa gambar, bukan bentuk vektor: "
            f"simbol dibaca dari piksel tanpa arah panah (langkah {read}) — periksa pelaku dan urutannya; "
            "langkah lain di sana diisi manual", ("sumber",), blocking=False))
    return ImportResult(path, draft, notes)
