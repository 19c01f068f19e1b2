"""Words inside the monev documents (.docx, .xlsx, chart) in both languages.

The Indonesian headers are the regulation's own (Tabel "Monitoring Pelaksanaan SOP AP"
and "Evaluasi Penerapan SOP AP", see README "Monev"); English chats get translations.
Sheet names stay Monitoring, Evaluasi and Rincian in both languages, so scripts that read
the workbook never depend on a chat's language.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

SHEET_MONITORING, SHEET_EVALUATION, SHEET_DETAILS = "Monitoring", "Evaluasi", "Rincian"

_ID: dict[str, str] = {
    "monitoring_title": "Monitoring Pelaksanaan SOP AP",
    "evaluation_title": "Evaluasi Penerapan SOP AP",
    "period": "Periode {first} s.d. {last} ({key})",
    "generated": "Disusun oleh Pandu dari catatan pelaksanaan SOP, {when}",
    "no": "No.",
    "procedure": "Prosedur",
    "assessment": "Penilaian Terhadap Penerapan",
    "notes": "Catatan Hasil Penilaian",
    "action": "Tindakan yang Harus Diambil",
    "paraf": "Paraf Penilai",
    "criteria": "Penilaian (persentase jawaban Ya dari pelaksana)",
    "respondents": "Responden",
    "quoted": "Catatan pelaksana",
    "yes": "Ya",
    "no_answer": "Tidak",
    "paraf_by": "{name}, {when}",
    "not_signed": "(belum diparaf)",
    "invited": "{responded} dari {invited} pelaksana menjawab",
    "group": "Grup",
    "sop_id": "ID SOP",
    "started": "Dilaksanakan",
    "finished": "Selesai",
    "cancelled": "Dibatalkan",
    "running": "Berjalan",
    "finished_passes": "Putaran langkah selesai",
    "on_time_passes": "Putaran tepat waktu",
    "on_time": "Tepat waktu (%)",
    "late_steps": "Langkah paling sering terlambat",
    "returns": "Dikembalikan (kali)",
    "on_behalf": "Dikonfirmasi atas nama (kali)",
    "nags": "Pengingat keterlambatan",
    "run": "Nomor",
    "title": "Judul",
    "status": "Status",
    "start": "Mulai",
    "end": "Berakhir",
    "status_active": "berjalan",
    "status_finished": "selesai",
    "status_cancelled": "dibatalkan",
    "chart_title": "Putaran langkah tepat waktu per SOP, {key}",
    "chart_axis": "Tepat waktu (%)",
    "chart_threshold": "Batas berjalan baik ({percent}%)",
}

_EN: dict[str, str] = {
    "monitoring_title": "Monitoring of SOP AP implementation",
    "evaluation_title": "Evaluation of SOP AP implementation",
    "period": "Period {first} to {last} ({key})",
    "generated": "Compiled by Pandu from the recorded SOP runs, {when}",
    "no": "No.",
    "procedure": "Procedure",
    "assessment": "Assessment of implementation",
    "notes": "Assessment notes",
    "action": "Action to be taken",
    "paraf": "Assessor's initials",
    "criteria": "Assessment (share of Yes from the actors)",
    "respondents": "Respondents",
    "quoted": "Actors' notes",
    "yes": "Yes",
    "no_answer": "No",
    "paraf_by": "{name}, {when}",
    "not_signed": "(not signed off)",
    "invited": "{responded} of {invited} actors answered",
    "group": "Group",
    "sop_id": "SOP id",
    "started": "Runs",
    "finished": "Finished",
    "cancelled": "Cancelled",
    "running": "Running",
    "finished_passes": "Finished step passes",
    "on_time_passes": "Passes on time",
    "on_time": "On time (%)",
    "late_steps": "Steps most often late",
    "returns": "Returned (times)",
    "on_behalf": "Confirmed on behalf (times)",
    "nags": "Overdue reminders",
    "run": "Number",
    "title": "Title",
    "status": "Status",
    "start": "Started",
    "end": "Ended",
    "status_active": "running",
    "status_finished": "finished",
    "status_cancelled": "cancelled",
    "chart_title": "Step passes on time per SOP, {key}",
    "chart_axis": "On time (%)",
    "chart_threshold": "Running-well threshold ({percent}%)",
}


def local_time(moment: datetime, zone: str) -> str:
    """A moment as the group reads it: ``2026-07-01 09:30 WIB``."""
    local = moment.astimezone(ZoneInfo(zone))
    return f"{local:%Y-%m-%d %H:%M} {local.tzname() or zone}"


def label(lang: str, key: str, /, **params: object) -> str:
    template = (_EN if lang == "en" else _ID)[key]
    return template.format(**params) if params else template
