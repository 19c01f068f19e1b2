"""Words inside the report files (chart, workbook, CSV) and the CLI summary, in both languages.

The chat messages live in :mod:`handlers.ui.texts`; these are the labels of what the bot
*attaches*, which the domain layer draws and must not import the Telegram layer for.
Sheet names stay "Langkah" and "Ringkasan" in both languages so that formulas and
scripts reading the workbook never depend on a chat's language.
"""

from __future__ import annotations

from bot.domain.durations import format_minutes

SHEET_STEPS = "Langkah"
SHEET_SUMMARY = "Ringkasan"

_ID: dict[str, str] = {
    "no": "No",
    "activity": "Aktivitas",
    "roles": "Pelaksana",
    "standard": "Waktu baku per putaran (menit)",
    "passes": "Putaran",
    "standard_total": "Waktu baku total (menit)",
    "actual": "Waktu aktual (menit)",
    "overdue": "Terlambat (menit)",
    "returns": "Dikembalikan (kali)",
    "people": "Dikerjakan oleh",
    "state": "Keadaan",
    "item": "Keterangan",
    "value": "Nilai",
    "sop": "SOP",
    "sop_id": "ID SOP",
    "run": "Nomor",
    "title": "Judul",
    "status": "Status",
    "started": "Mulai",
    "ended": "Berakhir",
    "zone": "Zona waktu",
    "sop_standard": "Waktu baku SOP, satu putaran (menit)",
    "total_standard": "Waktu baku total (menit)",
    "total_actual": "Waktu aktual total (menit)",
    "total_overdue": "Terlambat total (menit)",
    "total_returns": "Dikembalikan total (kali)",
    "bottlenecks": "Hambatan utama",
    "rank": "Peringkat",
    "step": "Langkah",
    "average": "Rata-rata aktual per putaran (menit)",
    "finished_passes": "Putaran selesai",
    "on_time": "Tepat waktu (%)",
    "runs": "Jumlah SOP dijalankan",
    "finished_runs": "SOP selesai",
    "average_run": "Rata-rata aktual per SOP selesai (menit)",
    "state_done": "selesai",
    "state_open": "berjalan",
    "state_cut": "terhenti",
    "state_pending": "belum",
    "status_active": "berjalan",
    "status_finished": "selesai",
    "status_cancelled": "dibatalkan",
    "on_behalf": "a.n. {role}",
    "acting_plh": "Plh. {role}",
    "acting_plt": "Plt. {role}",
    "legend_standard": "Waktu baku",
    "legend_actual": "Aktual",
    "legend_overdue": "Terlambat",
    "axis_minutes": "Menit kerja",
    "axis_hours": "Jam kerja",
    "returns_mark": "↺{count}×",
    "chart_title": "#{number} {title}",
    "chart_subtitle": "{sop} · baku {standard} · aktual {actual}",
    "chart_all_title": "Semua SOP: rata-rata aktual per putaran dan waktu baku",
    "chart_all_subtitle": "{sop} · dijalankan {runs} · tepat waktu {rate}",
    "cli_header": "Laporan #{number} {title} — {sop} ({status})",
    "cli_totals": "Waktu baku {standard}, aktual {actual}, terlambat {overdue}, dikembalikan {returns} kali",
    "cli_step": "  {no:>2}. baku {standard:>14}  aktual {actual:>15}  terlambat {overdue:>14}  kembali {returns}  {people}",
    "cli_bottlenecks": "Hambatan utama: {steps}",
    "none_late": "tidak ada, semua langkah dalam waktu baku",
    "cli_written": "Ditulis: {path}",
}

_EN: dict[str, str] = {
    "no": "No",
    "activity": "Activity",
    "roles": "Actors",
    "standard": "Standard per pass (min)",
    "passes": "Passes",
    "standard_total": "Standard total (min)",
    "actual": "Actual (min)",
    "overdue": "Overdue (min)",
    "returns": "Returned (times)",
    "people": "Done by",
    "state": "State",
    "item": "Item",
    "value": "Value",
    "sop": "SOP",
    "sop_id": "SOP id",
    "run": "Number",
    "title": "Title",
    "status": "Status",
    "started": "Started",
    "ended": "Ended",
    "zone": "Time zone",
    "sop_standard": "SOP standard, one pass (min)",
    "total_standard": "Standard total (min)",
    "total_actual": "Actual total (min)",
    "total_overdue": "Overdue total (min)",
    "total_returns": "Returned total (times)",
    "bottlenecks": "Bottlenecks",
    "rank": "Rank",
    "step": "Step",
    "average": "Average actual per pass (min)",
    "finished_passes": "Finished passes",
    "on_time": "On time (%)",
    "runs": "Runs",
    "finished_runs": "Finished runs",
    "average_run": "Average actual per finished run (min)",
    "state_done": "done",
    "state_open": "running",
    "state_cut": "stopped",
    "state_pending": "not yet",
    "status_active": "running",
    "status_finished": "finished",
    "status_cancelled": "cancelled",
    "on_behalf": "for {role}",
    "acting_plh": "Plh. {role}",
    "acting_plt": "Plt. {role}",
    "legend_standard": "Standard",
    "legend_actual": "Actual",
    "legend_overdue": "Overdue",
    "axis_minutes": "Working minutes",
    "axis_hours": "Working hours",
    "returns_mark": "↺{count}×",
    "chart_title": "#{number} {title}",
    "chart_subtitle": "{sop} · standard {standard} · actual {actual}",
    "chart_all_title": "All SOPs: average actual per pass and standard",
    "chart_all_subtitle": "{sop} · runs {runs} · on time {rate}",
    "cli_header": "Report #{number} {title} — {sop} ({status})",
    "cli_totals": "Standard {standard}, actual {actual}, overdue {overdue}, returned {returns} times",
    "cli_step": "  {no:>2}. standard {standard:>11}  actual {actual:>11}  overdue {overdue:>10}  returned {returns}  {people}",
    "cli_bottlenecks": "Bottlenecks: {steps}",
    "none_late": "none, every step within its standard time",
    "cli_written": "Written: {path}",
}

LABELS: dict[str, dict[str, str]] = {"id": _ID, "en": _EN}


def label(lang: str, key: str, /, **params: object) -> str:
    """The label `key` in `lang` (Indonesian for anything else), formatted."""
    template = LABELS.get(lang, _ID)[key]
    return template.format(**params) if params else template


def duration(minutes: float, lang: str) -> str:
    """Working minutes as the documents write them ("1 jam 5 menit"), whole minutes."""
    return format_minutes(int(round(minutes)), lang)


def percent(rate: float | None) -> str:
    """A share as a whole percentage, "–" when there is nothing to measure yet."""
    return "–" if rate is None else f"{round(rate * 100)}%"
