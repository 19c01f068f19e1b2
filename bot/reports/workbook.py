"""Report workbooks (.xlsx, openpyxl) and CSV files: the same rows the chart is drawn from.

Workbook: sheet "Langkah" holds one row per step, sheet "Ringkasan" the totals and the
bottlenecks; headers are bold on a dark fill, the header row is frozen and filterable,
minutes carry a number format, dates are local wall-clock times of the chat's zone (Excel
has no time zones). CSV: the "Langkah" rows only, UTF-8 with a BOM and ";" between fields,
which is what Excel expects in an Indonesian locale (there "," is the decimal comma);
numbers are whole minutes and whole percentages, so no decimal separator is ever needed.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from bot.reports.labels import SHEET_STEPS, SHEET_SUMMARY, label
from bot.reports.model import RunReport, StepReport
from bot.reports.summary import ChatReport

MINUTES = "#,##0"
PERCENT = "0%"
DATE = "yyyy-mm-dd hh:mm"
HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", start_color="1F4E79")
WRAP = Alignment(wrap_text=True, vertical="top")
CSV_DELIMITER = ";"

Column = tuple[str, float, str | None]  # label key, width, number format


RUN_COLUMNS: tuple[Column, ...] = (
    ("no", 6, None), ("activity", 48, None), ("roles", 28, None), ("standard", 14, MINUTES),
    ("passes", 9, None), ("standard_total", 14, MINUTES), ("actual", 14, MINUTES), ("overdue", 14, MINUTES),
    ("returns", 13, None), ("people", 30, None), ("state", 12, None),
)
CHAT_COLUMNS: tuple[Column, ...] = (
    ("sop_id", 28, None), ("sop", 36, None), ("no", 6, None), ("activity", 48, None), ("standard", 14, MINUTES),
    ("average", 16, MINUTES), ("finished_passes", 12, None), ("on_time", 12, PERCENT), ("runs", 12, None),
)


def step_state(report: RunReport, step: StepReport) -> str:
    """done, running, stopped (cut short by a cancellation) or not yet reached."""
    if not step.passes:
        return "pending"
    if step.open_minutes is not None:
        return "open" if report.status == "active" else "cut"
    return "done"


def people_text(step: StepReport, lang: str) -> str:
    return ", ".join(
        f"{p.name} ({label(lang, 'on_behalf', role=p.role)})" if p.on_behalf else p.name for p in step.people
    )


def run_rows(report: RunReport, lang: str) -> list[list[Any]]:
    """The "Langkah" rows of a run, exact minutes (rounded to 0.01), in column order."""
    return [
        [s.no, s.aktivitas, ", ".join(dict.fromkeys(s.roles)), s.standard_minutes, s.passes,
         s.standard_total_minutes, _num(s.actual_minutes), _num(s.overdue_minutes), s.returns,
         people_text(s, lang), label(lang, f"state_{step_state(report, s)}")]
        for s in report.steps
    ]


def chat_rows(report: ChatReport) -> list[list[Any]]:
    return [
        [sop.sop_id, sop.nama, s.no, s.aktivitas, s.standard_minutes, _num(s.average_minutes),
         s.finished_passes, s.on_time_rate, s.runs]
        for sop in report.sops for s in sop.steps
    ]


def run_workbook(report: RunReport, lang: str) -> bytes:
    book = Workbook()
    _table(book.active, SHEET_STEPS, RUN_COLUMNS, run_rows(report, lang), lang)
    summary = book.create_sheet(SHEET_SUMMARY)
    items: list[tuple[str, Any, str | None]] = [
        ("sop", report.sop_nama, None), ("sop_id", report.sop_id, None), ("run", report.number, None),
        ("title", report.title, None), ("status", label(lang, f"status_{report.status}"), None),
        ("started", _local(report.started_at, report.timezone), DATE),
        ("ended", _local(report.ended_at, report.timezone), DATE), ("zone", report.timezone, None),
        ("sop_standard", report.sop_standard_minutes, MINUTES),
        ("total_standard", report.standard_total_minutes, MINUTES),
        ("total_actual", _num(report.actual_total_minutes), MINUTES),
        ("total_overdue", _num(report.overdue_total_minutes), MINUTES), ("total_returns", report.returns_total, None),
    ]
    _pairs(summary, items, lang)
    start = len(items) + 3
    summary.cell(start, 1, label(lang, "bottlenecks")).font = Font(bold=True)
    heads = ("rank", "step", "activity", "overdue", "actual", "returns")
    for col, key in enumerate(heads, 1):
        _head(summary.cell(start + 1, col, label(lang, key)))
    if not report.bottlenecks:
        summary.cell(start + 2, 1, label(lang, "none_late"))
    for rank, step in enumerate(report.bottlenecks, 1):
        values = (rank, step.no, step.aktivitas, _num(step.overdue_minutes), _num(step.actual_minutes), step.returns)
        for col, value in enumerate(values, 1):
            cell = summary.cell(start + 1 + rank, col, value)
            cell.alignment = WRAP
            if col in (4, 5):
                cell.number_format = MINUTES
    for col, width in zip("CDEF", (48, 14, 14, 12)):
        summary.column_dimensions[col].width = width
    return _save(book)


def chat_workbook(report: ChatReport, lang: str) -> bytes:
    book = Workbook()
    _table(book.active, SHEET_STEPS, CHAT_COLUMNS, chat_rows(report), lang)
    summary = book.create_sheet(SHEET_SUMMARY)
    heads = (("sop_id", None), ("sop", None), ("runs", None), ("finished_runs", None),
             ("sop_standard", MINUTES), ("average_run", MINUTES), ("finished_passes", None), ("on_time", PERCENT))
    rows = [[s.sop_id, s.nama, s.runs, s.finished_runs, s.standard_minutes, _num(s.average_run_minutes),
             s.finished_passes, s.on_time_rate] for s in report.sops]
    columns = tuple((key, 16 if index > 1 else 32, fmt) for index, (key, fmt) in enumerate(heads))
    _table(summary, SHEET_SUMMARY, columns, rows, lang)
    return _save(book)


def run_csv(report: RunReport, lang: str) -> bytes:
    return _csv(RUN_COLUMNS, run_rows(report, lang), lang)


def chat_csv(report: ChatReport, lang: str) -> bytes:
    rows = [row[:7] + [None if row[7] is None else row[7] * 100] + row[8:] for row in chat_rows(report)]
    return _csv(CHAT_COLUMNS, rows, lang)


# -- helpers -------------------------------------------------------------------------------
def _num(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def _local(moment: datetime | None, tz: str) -> datetime | None:
    return None if moment is None else moment.astimezone(ZoneInfo(tz)).replace(tzinfo=None)


def _head(cell: Any) -> None:
    cell.font, cell.fill = HEADER_FONT, HEADER_FILL
    cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")


def _table(sheet: Worksheet, title: str, columns: Sequence[Column], rows: list[list[Any]], lang: str) -> None:
    sheet.title = title
    for col, (key, width, _) in enumerate(columns, 1):
        _head(sheet.cell(1, col, label(lang, key)))
        sheet.column_dimensions[get_column_letter(col)].width = width
    sheet.row_dimensions[1].height = 32
    for r, row in enumerate(rows, 2):
        for col, (value, (_, _, fmt)) in enumerate(zip(row, columns), 1):
            cell = sheet.cell(r, col, value)
            cell.alignment = WRAP
            if fmt:
                cell.number_format = fmt
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(1, len(rows) + 1)}"


def _pairs(sheet: Worksheet, items: Sequence[tuple[str, Any, str | None]], lang: str) -> None:
    _table(sheet, SHEET_SUMMARY, (("item", 40, None), ("value", 36, None)), [], lang)
    sheet.auto_filter.ref = None
    for r, (key, value, fmt) in enumerate(items, 2):
        sheet.cell(r, 1, label(lang, key)).font = Font(bold=True)
        cell = sheet.cell(r, 2, value)
        cell.alignment = Alignment(horizontal="left")
        if fmt:
            cell.number_format = fmt


def _save(book: Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _csv(columns: Sequence[Column], rows: list[list[Any]], lang: str) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=CSV_DELIMITER, lineterminator="\r\n")
    writer.writerow([label(lang, key) for key, _, _ in columns])
    for row in rows:
        writer.writerow(["" if v is None else round(v) if isinstance(v, float) else v for v in row])
    return out.getvalue().encode("utf-8-sig")
