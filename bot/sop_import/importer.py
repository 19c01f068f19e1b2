"""`import_document`: pick the reader by extension and build the draft.

Only the reader differs per format; everything after "rows of cells" is shared, so a
Word, an Excel and a text version of the same document give the same draft.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from bot.sop_import.common import ImportResult, Rows, UnreadableDocumentError, UnsupportedFormatError
from bot.sop_import.docx_reader import read_docx
from bot.sop_import.pdf_import import import_pdf, is_pdf_like
from bot.sop_import.draft import build_draft
from bot.sop_import.text_table import read_text_table
from bot.sop_import.xlsx_reader import read_xlsx

READERS: dict[str, Callable[[Path], Rows]] = {
    ".docx": read_docx,
    ".xlsx": read_xlsx,
    ".xlsm": read_xlsx,
    ".txt": read_text_table,
    ".tsv": read_text_table,
}

_HINTS = {
    ".doc": "simpan ulang sebagai .docx (Word 2007 atau lebih baru)",
    ".xls": "simpan ulang sebagai .xlsx",
    ".odt": "simpan ulang sebagai .docx",
    ".ods": "simpan ulang sebagai .xlsx",
}


def import_document(path: Path) -> ImportResult:
    """The draft of an SOP AP document; for a PDF binding several SOPs, the first one."""
    return import_documents(path)[0]


def import_documents(path: Path) -> list[ImportResult]:
    """Read an SOP AP document (.docx, .xlsx, tab-separated .txt, .pdf, scan image) into drafts.

    One draft per SOP: a PDF may bind several. Raises an
    :class:`~bot.sop_import.common.ImportError_` subclass naming the file when the document
    cannot be used at all; everything merely uncertain goes into `ImportResult.unresolved`.
    """
    suffix = path.suffix.lower()
    reader = READERS.get(suffix)
    if reader is None and is_pdf_like(suffix):
        if not path.is_file():
            raise UnreadableDocumentError(path, "berkas tidak ditemukan")
        return import_pdf(path)
    if reader is None:
        known = ", ".join(sorted([*READERS, ".pdf", ".png", ".jpg"]))
        hint = _HINTS.get(suffix)
        raise UnsupportedFormatError(
            path, f"format {suffix or '(tanpa ekstensi)'} tidak didukung (didukung: {known})" + (f"; {hint}" if hint else "")
        )
    if not path.is_file():
        raise UnreadableDocumentError(path, "berkas tidak ditemukan")
    rows = reader(path)
    draft, unresolved = build_draft(rows, path)
    return [ImportResult(path, draft, unresolved)]
