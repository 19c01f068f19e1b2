"""Reports and flowcharts: /laporan, /laporan semua and /peta."""

from __future__ import annotations

#: message id -> (Bahasa Indonesia, English)
MESSAGES: dict[str, tuple[str, str]] = {
    "report_header": (
        "📊 <b>Laporan #{number} {title}</b>\n{sop} · {status}",
        "📊 <b>Report #{number} {title}</b>\n{sop} · {status}",
    ),
    "report_status_active": (
        "masih berjalan",
        "still running",
    ),
    "report_status_finished": (
        "selesai",
        "finished",
    ),
    "report_status_cancelled": (
        "dibatalkan",
        "cancelled",
    ),
    "report_totals": (
        "Waktu baku {standard} · aktual {actual} (waktu kerja)",
        "Standard {standard} · actual {actual} (working time)",
    ),
    "report_overdue": (
        "⏰ Terlambat {late} di {count} langkah",
        "⏰ Overdue by {late} in {count} steps",
    ),
    "report_all_on_time": (
        "✅ Semua langkah dalam waktu baku",
        "✅ Every step within its standard time",
    ),
    "report_returns": (
        "↩️ Dikembalikan {count} kali untuk disempurnakan",
        "↩️ Returned {count} times for improvement",
    ),
    "report_bottlenecks": (
        "<b>Hambatan utama</b>",
        "<b>Bottlenecks</b>",
    ),
    "report_bottleneck_line": (
        "{rank}. Langkah {no}: aktual {actual} dari baku {standard}{late}{people}",
        "{rank}. Step {no}: actual {actual} of standard {standard}{late}{people}",
    ),
    "report_late": (
        ", terlambat {late}",
        ", overdue by {late}",
    ),
    "report_files": (
        "Rincian per langkah: grafik, Excel (.xlsx) dan CSV (titik koma, UTF-8) di bawah.",
        "Step by step: chart, Excel (.xlsx) and CSV (semicolons, UTF-8) below.",
    ),
    "report_chart_caption": (
        "📊 #{number} {title}: waktu baku dan aktual per langkah",
        "📊 #{number} {title}: standard and actual time per step",
    ),
    "report_no_runs": (
        "Belum ada SOP di grup ini yang bisa dilaporkan. Mulai dengan /mulai ID_SOP.",
        "No SOP in this group to report on yet. Start one with /startrun SOP_ID.",
    ),
    "report_all_header": (
        "📊 <b>Laporan semua SOP di grup ini</b> (dijalankan {runs})",
        "📊 <b>Report of all SOPs in this group</b> (runs: {runs})",
    ),
    "report_all_sop": (
        "<b>{sop}</b>: dijalankan {runs}, selesai {finished} · tepat waktu {rate}{average}",
        "<b>{sop}</b>: runs {runs}, finished {finished} · on time {rate}{average}",
    ),
    "report_all_average": (
        " · rata-rata {actual} (baku {standard})",
        " · average {actual} (standard {standard})",
    ),
    "report_all_worst": (
        "    Paling sering terlambat: langkah {no} ({rate} tepat waktu)",
        "    Most often late: step {no} ({rate} on time)",
    ),
    "report_all_chart_caption": (
        "📊 Rata-rata aktual per langkah dibanding waktu baku",
        "📊 Average actual time per step against the standard",
    ),
    "flow_caption": (
        "🗺️ Bagan alir {sop} ({page}/{pages})",
        "🗺️ Flowchart {sop} ({page}/{pages})",
    ),
    "flow_caption_run": (
        "🗺️ #{number} {title} — {sop} ({page}/{pages})\nAbu-abu: selesai · oranye: sekarang",
        "🗺️ #{number} {title} — {sop} ({page}/{pages})\nGrey: done · orange: now",
    ),
    "report_file_stem": (
        "laporan",
        "report",
    ),
    "report_all_stem": (
        "semua",
        "all",
    ),
    "flow_file_stem": (
        "peta",
        "flow",
    ),
    "flow_usage": (
        "Pakai: /peta di grup yang punya SOP berjalan, /peta NOMOR, atau /peta ID_SOP (daftar: /sop).",
        "Usage: /flow in a group with a running SOP, /flow NUMBER, or /flow SOP_ID (list: /sop).",
    ),
}
