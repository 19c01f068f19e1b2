"""Notices the outbox posts when a run moves: next step, finished, returned."""

from __future__ import annotations

#: message id -> (Bahasa Indonesia, English)
MESSAGES: dict[str, tuple[str, str]] = {
    "notice_next": (
        "➡️ <b>#{number}</b> Langkah {no}: {activity}\nPelaksana: {role} — {holder}",
        "➡️ <b>#{number}</b> Step {no}: {activity}\nActor: {role} — {holder}",
    ),
    "notice_next_actors": (
        "➡️ <b>#{number}</b> Langkah {no}: {activity}\nPelaksana: {actors}",
        "➡️ <b>#{number}</b> Step {no}: {activity}\nActors: {actors}",
    ),
    "notice_next_same_step": (
        "➡️ <b>#{number}</b> Langkah {no} berlanjut — Pelaksana: {actors}",
        "➡️ <b>#{number}</b> Step {no} goes on — Actor: {actors}",
    ),
    "notice_unassigned": (
        "⚠️ <b>#{number}</b> Langkah {no} menunggu <b>{role}</b>, tetapi belum ada yang memegang peran ini.",
        "⚠️ <b>#{number}</b> Step {no} waits for <b>{role}</b>, but nobody holds that role.",
    ),
    "notice_open_bot": (
        "{user}, giliran Anda: <b>#{number}</b> langkah {no} ({role}). Tekan tombol di bawah lalu <b>Start</b> agar saya bisa mengirimi Anda tugas secara pribadi.",
        "{user}, it is your turn: <b>#{number}</b> step {no} ({role}). Press the button below and then <b>Start</b> so I can send you your tasks privately.",
    ),
    "notice_dm_failed": (
        "{user}, Anda punya tugas di <b>#{number}</b> langkah {no} ({role}), tetapi saya tidak bisa mengirim pesan pribadi. Buka bot dan tekan Start.",
        "{user}, you have a task in <b>#{number}</b> step {no} ({role}), but I cannot message you privately. Open the bot and press Start.",
    ),
    "notice_finished": (
        "🏁 SOP <b>#{number} {title}</b> selesai.",
        "🏁 SOP <b>#{number} {title}</b> is finished.",
    ),
    "notice_returned": (
        "↩️ <b>#{number}</b> dikembalikan ke langkah {goto} oleh {user}. Alasan: {reason}",
        "↩️ <b>#{number}</b> returned to step {goto} by {user}. Reason: {reason}",
    ),
}
