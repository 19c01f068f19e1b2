"""Answers to questions asked in plain words ("giliran siapa?", "sudah sampai mana?",
"berapa lama lagi?"): one short message per kind of question."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "answer_who": (
        "👤 <b>#{number} {title}</b>: giliran {who}, langkah {no}{chain}, sejak {since}.",
        "👤 <b>#{number} {title}</b>: {who} is up — step {no}{chain}, since {since}.",
    ),
    "answer_who_role": ("{holder} sebagai {role}", "{holder} as {role}"),
    "answer_who_nobody": (
        "👤 <b>#{number} {title}</b>: langkah {no}{chain} menunggu {role}, yang belum ada pemegangnya "
        "(sejak {since}) — ambil dengan <code>/ambil {key}</code>.",
        "👤 <b>#{number} {title}</b>: step {no}{chain} waits for {role}, which nobody holds yet "
        "(since {since}) — take it with <code>/claim {key}</code>.",
    ),
    "answer_who_external": (
        "👤 <b>#{number} {title}</b>: langkah {no}{chain} menunggu {role} (pihak luar); koordinator {who} "
        "mengonfirmasi atas namanya, sejak {since}.",
        "👤 <b>#{number} {title}</b>: step {no}{chain} waits for {role} (external party); the coordinator "
        "{who} confirms on its behalf, since {since}.",
    ),
    "answer_chain": (" (pelaku {index} dari {length})", " (actor {index} of {length})"),
    "answer_where": (
        "📍 <b>#{number} {title}</b>: langkah {no} dari {total} — {activity}\n{done}",
        "📍 <b>#{number} {title}</b>: step {no} of {total} — {activity}\n{done}",
    ),
    "answer_where_done": ("✅ Sudah selesai: langkah {steps}.", "✅ Done: steps {steps}."),
    "answer_where_none_done": ("Belum ada langkah yang selesai.", "No step is done yet."),
    "answer_late": (
        "⏱ <b>#{number} {title}</b>, langkah {no}: sudah {elapsed} waktu kerja dari waktu baku {standard}{verdict}",
        "⏱ <b>#{number} {title}</b>, step {no}: {elapsed} of working time used, standard time {standard}{verdict}",
    ),
    "answer_late_overdue": (" — <b>terlambat {late}</b>.", " — <b>{late} late</b>."),
    "answer_late_left": (" — sisa {left}, batas {due}.", " — {left} left, due {due}."),
    "answer_late_untimed": (
        "⏱ <b>#{number} {title}</b>, langkah {no}: sudah {elapsed} waktu kerja; langkah ini tanpa waktu baku, "
        "jadi tidak terlambat.",
        "⏱ <b>#{number} {title}</b>, step {no}: {elapsed} of working time used; this step has no standard time, "
        "so it cannot be late.",
    ),
}
