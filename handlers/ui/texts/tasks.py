"""Tasks: the task card, /tugas, /selesai, /wakili, undo, reasons and evidence."""

from __future__ import annotations

#: message id -> (Bahasa Indonesia, English)
MESSAGES: dict[str, tuple[str, str]] = {
    "task_card": (
        "📋 <b>Tugas Anda</b> — #{number} {title}{group}\n<b>Langkah {no}</b> sebagai <b>{role}</b>\n{activity}\n{details}",
        "📋 <b>Your task</b> — #{number} {title}{group}\n<b>Step {no}</b> as <b>{role}</b>\n{activity}\n{details}",
    ),
    "task_in_group": (
        " ({group})",
        " ({group})",
    ),
    "task_kelengkapan": (
        "Kelengkapan: {text}",
        "Inputs: {text}",
    ),
    "task_output": (
        "Output: {text}",
        "Output: {text}",
    ),
    "task_standard": (
        "Waktu baku: {time}",
        "Standard time: {time}",
    ),
    "task_due": (
        "Batas waktu: {due}",
        "Due: {due}",
    ),
    "task_question": (
        "❓ {question}\n{outcomes}",
        "❓ {question}\n{outcomes}",
    ),
    "task_outcome": (
        "• {label}",
        "• {label}",
    ),
    "btn_done": (
        "✅ Selesai",
        "✅ Done",
    ),
    "btn_approve": (
        "👍 Setujui",
        "👍 Approve",
    ),
    "btn_return": (
        "↩️ Kembalikan",
        "↩️ Return",
    ),
    "btn_undo": (
        "↩️ Urungkan",
        "↩️ Undo",
    ),
    "btn_on_behalf": (
        "🤝 Konfirmasi atas nama {role}",
        "🤝 Confirm for {role}",
    ),
    "btn_open_bot": (
        "📲 Buka Pandu",
        "📲 Open Pandu",
    ),
    "task_inferred": (
        "ℹ️ Pelaksana disimpulkan (tidak tertulis di dokumen SOP): {note}",
        "ℹ️ Actor inferred (not in the SOP document): {note}",
    ),
    "tasks_header": (
        "<b>Anda punya {count} tugas:</b>",
        "<b>You have {count} tasks:</b>",
    ),
    "tasks_none": (
        "Anda tidak punya tugas saat ini. 🎉",
        "You have no tasks right now. 🎉",
    ),
    "no_current_task": (
        "Anda tidak punya tugas yang sedang berjalan di sini.",
        "You have no running task here.",
    ),
    "choose_task": (
        "Anda punya beberapa tugas. Tekan ✅ pada tugas yang dimaksud:",
        "You have several tasks. Press ✅ on the one you mean:",
    ),
    "confirmed": (
        "✅ Langkah {no} ({role}) dikonfirmasi oleh {user}.",
        "✅ Step {no} ({role}) confirmed by {user}.",
    ),
    "confirmed_undo_hint": (
        "Salah tekan? Anda bisa membatalkan dalam {minutes} menit selama pelaksana berikutnya belum bertindak.",
        "Pressed by mistake? You can undo within {minutes} minutes while the next actor has not acted.",
    ),
    "decided": (
        "🧭 Keputusan langkah {no}: <b>{outcome}</b> — {user}.",
        "🧭 Decision on step {no}: <b>{outcome}</b> — {user}.",
    ),
    "reason_prompt": (
        "✍️ {user}, tuliskan alasan {what} langkah {no} dengan membalas pesan ini.",
        "✍️ {user}, reply to this message with the reason for {what} step {no}.",
    ),
    "reason_return": (
        "pengembalian",
        "returning",
    ),
    "reason_on_behalf": (
        "konfirmasi atas nama {role} untuk",
        "confirming for {role}",
    ),
    "reason_required": (
        "Alasan wajib diisi.",
        "A reason is required.",
    ),
    "on_behalf_usage": (
        "Pakai: /wakili ALASAN — mengonfirmasi langkah yang sedang berjalan atas nama pelaksananya (koordinator).",
        "Usage: /onbehalf REASON — confirm the running step for its actor (coordinator).",
    ),
    "on_behalf_done": (
        "🤝 Langkah {no} dikonfirmasi oleh {user} atas nama {role}. Alasan: {reason}",
        "🤝 Step {no} confirmed by {user} on behalf of {role}. Reason: {reason}",
    ),
    "undone": (
        "↩️ Konfirmasi langkah {no} dibatalkan oleh {user}; langkah kembali berjalan.",
        "↩️ The confirmation of step {no} was undone by {user}; the step is running again.",
    ),
    "undo_not_allowed": (
        "Tidak dapat dibatalkan lagi: waktu habis atau pelaksana berikutnya sudah bertindak.",
        "Cannot be undone any more: the window has passed or the next actor has acted.",
    ),
    "text_required_note": (
        "Catatan harus berisi huruf atau angka.",
        "A note needs at least one letter or digit.",
    ),
    "text_required_title": (
        "Judul harus berisi huruf atau angka.",
        "A title needs at least one letter or digit.",
    ),
    "undo_not_yours": (
        "Konfirmasi ini bukan milik Anda: hanya yang mengonfirmasi yang dapat membatalkannya.",
        "This confirmation is not yours: only the person who confirmed it can undo it.",
    ),
    "not_holder": (
        "Langkah ini milik <b>{role}</b>; Anda tidak memegang peran itu.",
        "This step belongs to <b>{role}</b>; you do not hold that role.",
    ),
    "task_not_current": (
        "Langkah ini sudah tidak berjalan{by}.",
        "This step is no longer running{by}.",
    ),
    "task_done_by": (
        " (diselesaikan oleh {user}, {when})",
        " (completed by {user}, {when})",
    ),
    "not_coordinator": (
        "Hanya koordinator SOP ini ({coordinator}) yang dapat melakukannya.",
        "Only this SOP's coordinator ({coordinator}) can do that.",
    ),
    "evidence_added": (
        "📎 Bukti dilampirkan ke langkah {no} ({role}).",
        "📎 Evidence attached to step {no} ({role}).",
    ),
    "evidence_no_task": (
        "Tidak ada tugas Anda yang bisa dilampiri bukti. Balas pesan tugas, atau kirim berkas dengan keterangan /selesai.",
        "You have no task to attach evidence to. Reply to a task message, or send a file with the caption /done.",
    ),
    "on_behalf_choose": (
        "🤝 Langkah {no} adalah keputusan: {question}\nPilih hasilnya atas nama {role}:",
        "🤝 Step {no} is a decision: {question}\nPick the outcome on behalf of {role}:",
    ),
    "btn_on_behalf_outcome": (
        "🤝 {outcome}",
        "🤝 {outcome}",
    ),
    "on_behalf_outcome_usage": (
        "Langkah {no} adalah keputusan. Pakai: /wakili HASIL ALASAN, dengan HASIL salah satu dari: {outcomes}",
        "Step {no} is a decision. Usage: /onbehalf OUTCOME REASON, with OUTCOME one of: {outcomes}",
    ),
    "prompt_expired": (
        "Pertanyaan ini sudah kedaluwarsa (bot sempat dimulai ulang). Tekan tombolnya sekali lagi; tidak ada yang berubah.",
        "This question has expired (the bot restarted meanwhile). Press the button again; nothing was changed.",
    ),
    "evidence_too_big": (
        "Berkas ini {size} MB; bukti paling besar {limit} MB. Kirim berkas yang lebih kecil atau tautannya. Tidak ada yang berubah.",
        "This file is {size} MB; evidence may be at most {limit} MB. Send a smaller file or a link. Nothing was changed.",
    ),
}
