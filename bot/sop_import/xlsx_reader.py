"""Read an Excel (.xlsx) SOP AP workbook into rows of cells.

openpyxl already leaves every position a merged range covers empty except its top-left
cell, which is the shape the draft builder expects. What needs care is typed values:
Excel turns "10" into 10.0 and a typed date into a datetime, which must come back as the
text a person wrote.
"""

from __future__ import annotations

import zipfile
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path

from bot.sop_import.common import EmptyDocumentError, Rows, UnreadableDocumentError

_BULAN = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
)


def cell_text(value: object) -> str:
    """The text a person typed for this cell value (Indonesian dates and decimal commas)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Ya" if value else "Tidak"
    if isinstance(value, datetime):
        value = value.date() if value.time() == time(0, 0) else value
    if isinstance(value, datetime):
        return f"{value.day} {_BULAN[value.month - 1]} {value.year} {value:%H.%M}"
    if isinstance(value, date):
        return f"{value.day} {_BULAN[value.month - 1]} {value.year}"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return format(Decimal(repr(value)).normalize(), "f").replace(".", ",")
    return str(value).replace("\r\n", "\n").strip()


def read_xlsx(path: Path) -> Rows:
    """Rows of every visible sheet in order, a blank row between sheets."""
    try:
        import openpyxl
        from openpyxl.utils.exceptions import InvalidFileException
    except ModuleNotFoundError as exc:  # pragma: no cover - dependency missing
        raise UnreadableDocumentError(path, "paket openpyxl belum terpasang") from exc
    if not path.is_file():
        raise UnreadableDocumentError(path, "berkas tidak ditemukan")
    if path.stat().st_size == 0:
        raise EmptyDocumentError(path, "berkas kosong")
    try:
        workbook = openpyxl.load_workbook(str(path), data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError) as exc:
        raise UnreadableDocumentError(path, "bukan buku kerja Excel .xlsx yang sah") from exc
    except Exception as exc:  # openpyxl surfaces malformed XML in many ways
        raise UnreadableDocumentError(path, f"bukan buku kerja Excel .xlsx yang sah ({type(exc).__name__})") from exc
    rows: Rows = []
    for sheet in workbook.worksheets:
        if sheet.sheet_state != "visible":
            continue
        for values in sheet.iter_rows(values_only=True):
            rows.append([cell_text(v) for v in values])
        rows.append([])
    workbook.close()
    if not any(cell.strip() for row in rows for cell in row):
        raise EmptyDocumentError(path, "buku kerja tidak berisi teks")
    return rows
