"""/status and /riwayat: where a run stands and what happened, with dates."""

from __future__ import annotations

#: message id -> (Bahasa Indonesia, English)
MESSAGES: dict[str, tuple[str, str]] = {
    "status_header": (
        "<b>#{number} {title}</b> — {sop}",
        "<b>#{number} {title}</b> — {sop}",
    ),
    "status_current": (
        "▶️ <b>Sekarang: langkah {no}</b> — {activity}\nPelaksana: {role} — {holder}\nBerjalan {elapsed} dari waktu baku {standard}\nBatas waktu: {due}",
        "▶️ <b>Now: step {no}</b> — {activity}\nActor: {role} — {holder}\nRunning {elapsed} of standard time {standard}\nDue: {due}",
    ),
    "status_overdue": (
        "⏰ <b>Terlambat {late}</b>",
        "⏰ <b>Overdue by {late}</b>",
    ),
    "status_next_header": (
        "<b>Berikutnya:</b>",
        "<b>Next:</b>",
    ),
    "status_next_line": (
        "• Langkah {no}: {role} — {activity}",
        "• Step {no}: {role} — {activity}",
    ),
    "status_finished": (
        "🏁 Selesai.",
        "🏁 Finished.",
    ),
    "status_cancelled": (
        "🛑 Dibatalkan.",
        "🛑 Cancelled.",
    ),
    "nobody": (
        "<i>belum ada pemegang</i>",
        "<i>no holder yet</i>",
    ),
    "history_header": (
        "<b>Riwayat #{number} {title}</b>",
        "<b>History #{number} {title}</b>",
    ),
    "history_line": (
        "{when} — {text}",
        "{when} — {text}",
    ),
    "history_evidence": (
        "    📎 {what} ({user})",
        "    📎 {what} ({user})",
    ),
    "history_empty": (
        "Belum ada riwayat.",
        "No history yet.",
    ),
    "h_run_started": (
        "▶️ Dimulai oleh {user}",
        "▶️ Started by {user}",
    ),
    "h_confirmed": (
        "✅ Langkah {no} ({role}) — {user}",
        "✅ Step {no} ({role}) — {user}",
    ),
    "h_on_behalf": (
        "🤝 Langkah {no} — {user}, atas nama {role}",
        "🤝 Step {no} — {user}, on behalf of {role}",
    ),
    "h_decision": (
        "🧭 Langkah {no}: {outcome} — {user}",
        "🧭 Step {no}: {outcome} — {user}",
    ),
    "h_reason": (
        "    Alasan: {reason}",
        "    Reason: {reason}",
    ),
    "h_note": (
        "    Catatan: {note}",
        "    Note: {note}",
    ),
    "h_undone": (
        "↩️ Konfirmasi langkah {no} dibatalkan — {user}",
        "↩️ Confirmation of step {no} undone — {user}",
    ),
    "h_evidence": (
        "📎 Bukti langkah {no} — {user}",
        "📎 Evidence for step {no} — {user}",
    ),
    "h_finished": (
        "🏁 Selesai",
        "🏁 Finished",
    ),
    "h_cancelled": (
        "🛑 Dibatalkan — {user}",
        "🛑 Cancelled — {user}",
    ),
    "h_role_claimed": (
        "🙋 {user} mengambil peran {role}",
        "🙋 {user} claimed the role {role}",
    ),
    "h_role_assigned": (
        "📌 {holder} ditetapkan sebagai {role} oleh {user}",
        "📌 {holder} was assigned {role} by {user}",
    ),
    "h_role_released": (
        "🔓 {user} melepas peran {role}",
        "🔓 {user} released the role {role}",
    ),
    "h_role_revoked": (
        "✂️ Peran {role} dicabut oleh {user}",
        "✂️ Role {role} revoked by {user}",
    ),
    "evidence_photo": (
        "foto",
        "photo",
    ),
    "evidence_document": (
        "berkas",
        "file",
    ),
    "evidence_text": (
        "catatan",
        "note",
    ),
    "when_format": (
        "{weekday} {day} {month} {time} {zone}",
        "{weekday} {day} {month} {time} {zone}",
    ),
    "weekdays": (
        "Sen,Sel,Rab,Kam,Jum,Sab,Min",
        "Mon,Tue,Wed,Thu,Fri,Sat,Sun",
    ),
    "weekdays_long": (
        "Senin,Selasa,Rabu,Kamis,Jumat,Sabtu,Minggu",
        "Monday,Tuesday,Wednesday,Thursday,Friday,Saturday,Sunday",
    ),
    "resume_format": (
        "{weekday} {time} {zone}",
        "{weekday} {time} {zone}",
    ),
    "time_format": (
        "%H.%M",
        "%H:%M",
    ),
    "status_paused": (
        "⏸ Di luar jam kerja — dihitung lagi {resumes}",
        "⏸ Outside office hours — the clock runs again {resumes}",
    ),
    "months": (
        "Jan,Feb,Mar,Apr,Mei,Jun,Jul,Agu,Sep,Okt,Nov,Des",
        "Jan,Feb,Mar,Apr,May,Jun,Jul,Aug,Sep,Oct,Nov,Dec",
    ),
}
