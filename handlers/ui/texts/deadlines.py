"""Deadlines: reminders and digests (bot.deadlines) and /zona."""

from __future__ import annotations

#: message id -> (Bahasa Indonesia, English)
MESSAGES: dict[str, tuple[str, str]] = {
    "nag_reminder": (
        "⏰ <b>Pengingat</b>: {status}.",
        "⏰ <b>Reminder</b>: {status}.",
    ),
    "nag_early": (
        "⏳ <b>Pengingat</b>: {status}.",
        "⏳ <b>Reminder</b>: {status}.",
    ),
    "nag_late": (
        "lewat {late} dari batas waktu",
        "{late} past the due time",
    ),
    "nag_due_reached": (
        "batas waktu sudah tiba",
        "the due time has come",
    ),
    "nag_left": (
        "batas waktu {due}, tinggal {left}",
        "due {due}, {left} left",
    ),
    "nag_button_prefix": (
        "#{number} L{no}",
        "#{number} S{no}",
    ),
    "nag_own_header": (
        "⏰ <b>Tugas Anda yang perlu diselesaikan</b> ({count})",
        "⏰ <b>Your tasks that need finishing</b> ({count})",
    ),
    "nag_own_item": (
        "• <b>#{number}</b> {title} — langkah {no} ({role}): {activity}\n    {status}",
        "• <b>#{number}</b> {title} — step {no} ({role}): {activity}\n    {status}",
    ),
    "nag_alert_header": (
        "🚨 <b>Langkah terlambat</b> ({count})",
        "🚨 <b>Overdue steps</b> ({count})",
    ),
    "nag_alert_item": (
        "• <b>#{number}</b> {title}{group} — langkah {no}: {activity}\n    Pelaksana: {role} — {holder}; {status}",
        "• <b>#{number}</b> {title}{group} — step {no}: {activity}\n    Actor: {role} — {holder}; {status}",
    ),
    "nag_group_header": (
        "⏰ <b>Langkah terlambat di grup ini</b> ({count})",
        "⏰ <b>Overdue steps in this group</b> ({count})",
    ),
    "nag_group_ping": (
        "{users}: saya tidak bisa mengirim pengingat kepada Anda secara pribadi. Tekan tombol di bawah lalu <b>Start</b>.",
        "{users}: I cannot send you reminders privately. Press the button below and then <b>Start</b>.",
    ),
    "task_elapsed": (
        "Berjalan {elapsed} dari waktu baku {standard}",
        "Running {elapsed} of standard time {standard}",
    ),
    "zone_set": (
        "🕒 Zona waktu grup ini: <b>{zone}</b> ({name}). Langkah yang dimulai sejak sekarang dihitung dengan zona ini.",
        "🕒 This group's time zone: <b>{zone}</b> ({name}). Steps started from now on are timed in it.",
    ),
    "zone_usage": (
        "Pakai: /zona WIB, /zona WITA atau /zona WIT. Sekarang: <b>{zone}</b> ({name}).",
        "Usage: /timezone WIB, /timezone WITA or /timezone WIT. Now: <b>{zone}</b> ({name}).",
    ),
}
