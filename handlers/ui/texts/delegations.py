"""Plh. and Plt.: /plh, /plt, their buttons, notices, the hand-back digest and refusals."""

from __future__ import annotations

#: message id -> (Bahasa Indonesia, English)
MESSAGES: dict[str, tuple[str, str]] = {
    "acting_plh": ("Plh. {role}", "Plh. {role}"),
    "acting_plt": ("Plt. {role}", "Plt. {role}"),
    "acting_suffix": (" ({label})", " ({label})"),
    "plh_usage": (
        "Pakai: /plh PERAN @orang sampai 7 Des [alasan] — bisa dengan <i>mulai 3 Des</i>; "
        "atau balas pesan orangnya. Mengakhiri: /plh selesai PERAN. Peran kosong: /plt PERAN @orang.",
        "Usage: /plh ROLE @person until 7 Dec [reason] — optionally <i>from 3 Dec</i>; "
        "or reply to the person's message. To end: /plh selesai ROLE. Vacant role: /plt ROLE @person.",
    ),
    "plt_usage": (
        "Pakai: /plt PERAN @orang [alasan] (koordinator, untuk peran yang kosong).",
        "Usage: /plt ROLE @person [reason] (coordinator, for a vacant role).",
    ),
    "plh_end_usage": ("Pakai: /plh selesai PERAN.", "Usage: /plh selesai ROLE."),
    "plh_bad_date": (
        "Tanggal \"{text}\" tidak dikenali. Contoh: 7 Des, 7/12, 2026-12-07.",
        "Date \"{text}\" not understood. Examples: 7 Dec, 7/12, 2026-12-07.",
    ),
    "plh_unknown_person": (
        "{who} belum dikenal bot. Minta ia menulis sesuatu di grup atau menekan Start, "
        "atau balas pesannya dengan /plh.",
        "The bot does not know {who} yet. Ask them to write in the group or press Start, "
        "or reply to one of their messages with /plh.",
    ),
    "plh_not_member": ("{who} bukan anggota grup ini.", "{who} is not a member of this group."),
    "plh_request": (
        "🧳 {requested_by} meminta {substitute} menjadi <b>{label}</b> pada #{number} ({period}).{reason}\n"
        "{substitute}, tekan Terima untuk mulai menerima tugas peran ini (batas {accept_by}).",
        "🧳 {requested_by} asks {substitute} to act as <b>{label}</b> in #{number} ({period}).{reason}\n"
        "{substitute}, press Accept to start receiving this role's tasks (by {accept_by}).",
    ),
    "plh_request_reason": (" Alasan: {reason}", " Reason: {reason}"),
    "plh_needs_start": (
        "\n⚠️ {substitute} belum menekan Start di bot: tekan tombol di bawah agar tugas bisa dikirim secara pribadi.",
        "\n⚠️ {substitute} has not pressed Start in the bot yet: press the button below so tasks can be sent privately.",
    ),
    "plh_period": ("{start} s.d. {end}", "{start} to {end}"),
    "plh_period_open": ("mulai {start}, tanpa batas", "from {start}, open-ended"),
    "plh_period_until": ("s.d. {end}", "until {end}"),
    "plh_open_ended": ("tanpa batas", "open-ended"),
    "btn_plh_accept": ("✅ Terima", "✅ Accept"),
    "btn_plh_decline": ("✖️ Tolak", "✖️ Decline"),
    "btn_plh_ask": ("🧳 Plh.", "🧳 Plh."),
    "plh_prompt": (
        "🧳 {user}, siapa Plh. <b>{role}</b>? Balas pesan ini: @orang sampai 7 Des [alasan] (bisa dengan mulai 3 Des).",
        "🧳 {user}, who is the Plh. for <b>{role}</b>? Reply to this message: @person until 7 Dec [reason] "
        "(optionally from 3 Dec).",
    ),
    "btn_plh_end": ("🔚 Akhiri {label}", "🔚 End {label}"),
    "plh_accepted_ack": ("Diterima.", "Accepted."),
    "plh_declined": ("✖️ {substitute} menolak menjadi {label}.", "✖️ {substitute} declined to act as {label}."),
    "plh_cancelled": ("Permintaan {label} ({substitute}) dibatalkan.", "The {label} request ({substitute}) was withdrawn."),
    "notice_plh_accepted": (
        "🧳 {substitute} menjadi <b>{label}</b> pada #{number}, {period}. Tugas, pengingat dan peringatan peran ini "
        "dikirim kepadanya.",
        "🧳 {substitute} acts as <b>{label}</b> in #{number}, {period}. This role's tasks, reminders and alerts go "
        "to them.",
    ),
    "notice_plh_ended": (
        "🔚 Masa {substitute} sebagai <b>{label}</b> pada #{number} selesai; tugas kembali ke {holder}.",
        "🔚 {substitute}'s time as <b>{label}</b> in #{number} is over; tasks go back to {holder}.",
    ),
    "roles_delegation": ("   🧳 {label}: {substitute}, {period}", "   🧳 {label}: {substitute}, {period}"),
    "roles_delegation_pending": (
        "   ⏳ {label}: {substitute} <i>(menunggu persetujuannya)</i>",
        "   ⏳ {label}: {substitute} <i>(awaiting their answer)</i>",
    ),
    "task_acting": (
        "🧳 <b>{label}</b>: {substitute}{holder}.",
        "🧳 <b>{label}</b>: {substitute}{holder}.",
    ),
    "task_acting_for": (", menggantikan {holder}", ", standing in for {holder}"),
    "note_holder_acted": (
        "ℹ️ Langkah {no} (#{number}, {role}) sudah dikerjakan oleh {user}; kartu tugasnya tidak perlu Anda tindak lanjuti.",
        "ℹ️ Step {no} (#{number}, {role}) was done by {user}; you need not act on its card.",
    ),
    "note_over": (
        "🔚 Masa Anda sebagai <b>{label}</b> pada #{number} selesai. Terima kasih! Kartu tugas lama tidak berlaku lagi.",
        "🔚 Your time as <b>{label}</b> in #{number} is over. Thank you! Old task cards are no longer valid.",
    ),
    "note_handback": (
        "🔙 Peran <b>{role}</b> pada #{number} kembali kepada Anda. Selama {substitute} bertindak sebagai {label} "
        "({period}):",
        "🔙 The role <b>{role}</b> in #{number} is back with you. While {substitute} acted as {label} ({period}):",
    ),
    "note_handback_item": ("• Langkah {no}: {activity} — {user}, {when}", "• Step {no}: {activity} — {user}, {when}"),
    "note_handback_none": ("• tidak ada langkah peran ini yang selesai.", "• no step of this role was completed."),
    "note_handback_reminders": (
        "• {count} putaran pengingat terkirim kepada {substitute}.",
        "• {count} reminder round(s) went to {substitute}.",
    ),
    "note_handback_current": (
        "Sekarang menunggu Anda: langkah {no} (kartunya menyusul).",
        "Now waiting for you: step {no} (its card follows).",
    ),
    "h_delegation_accepted": ("🧳 {substitute} menjadi {label} ({period})", "🧳 {substitute} acts as {label} ({period})"),
    "h_delegation_ended": ("🔚 {label} {substitute} berakhir", "🔚 {label} {substitute} ended"),
    # -- refusals (rule codes of bot.domain.delegation) --
    "plh_refused_not_holder": (
        "Anda tidak memegang peran <b>{role}</b>; pemegangnya atau koordinator yang dapat menunjuk Plh.",
        "You do not hold the role <b>{role}</b>; its holder or the coordinator may name a Plh.",
    ),
    "plh_refused_reason_required": (
        "Koordinator menunjuk Plh. untuk pemegang yang berhalangan dengan alasan: /plh PERAN @orang sampai 7 Des ALASAN.",
        "The coordinator names a Plh. for an absent holder with a reason: /plh ROLE @person until 7 Dec REASON.",
    ),
    "plh_refused_self": ("Plh. harus orang lain, bukan pemegang peran sendiri.", "The Plh. must be someone other than the holder."),
    "plh_refused_external": (
        "<b>{role}</b> adalah pihak luar; tidak ada Plh. untuknya (koordinator memakai /wakili).",
        "<b>{role}</b> is an external party; it has no Plh. (the coordinator uses /onbehalf).",
    ),
    "plh_refused_vacant": (
        "Peran <b>{role}</b> belum dipegang siapa pun: koordinator dapat menunjuk Plt. dengan /plt.",
        "Nobody holds <b>{role}</b>: the coordinator may name a Plt. with /plt.",
    ),
    "plh_refused_held": (
        "Peran <b>{role}</b> sudah dipegang; untuk pemegang yang berhalangan pakai /plh.",
        "<b>{role}</b> is held; for an absent holder use /plh.",
    ),
    "plh_refused_not_coordinator": ("Hanya koordinator yang dapat menunjuk Plt.", "Only the coordinator may name a Plt."),
    "plh_refused_end_required": (
        "Sebutkan sampai kapan: /plh PERAN @orang sampai 7 Des.",
        "Say until when: /plh ROLE @person until 7 Dec.",
    ),
    "plh_refused_past": ("Masa itu sudah lewat.", "That period is in the past."),
    "plh_refused_order": ("Tanggal mulai jatuh setelah tanggal selesai.", "The start date falls after the end date."),
    "plh_refused_too_long": (
        "Masa Plh. paling lama {max_days} hari (diminta {days} hari).",
        "A Plh. period is at most {max_days} days ({days} asked).",
    ),
    "plh_refused_too_far": (
        "Masa Plh. paling jauh dimulai {days} hari dari sekarang.",
        "A Plh. period starts at most {days} days from now.",
    ),
    "plh_refused_overlap": (
        "Peran <b>{role}</b> sudah punya Plh./Plt. pada masa itu (atau permintaan yang menunggu jawaban).",
        "<b>{role}</b> already has a Plh./Plt. in that period (or a request awaiting an answer).",
    ),
    "plh_refused_not_substitute": ("Tombol ini untuk orang yang ditunjuk.", "This button is for the person named."),
    "plh_refused_not_pending": ("Permintaan ini sudah dijawab.", "This request was already answered."),
    "plh_refused_expired": (
        "Permintaan ini sudah kedaluwarsa; minta pemegang peran mengirim /plh lagi.",
        "This request has expired; ask the holder to send /plh again.",
    ),
    "plh_refused_holder_changed": (
        "Pemegang peran <b>{role}</b> sudah berganti; permintaan ini tidak berlaku.",
        "The holder of <b>{role}</b> has changed; this request no longer applies.",
    ),
    "plh_refused_none": ("Peran <b>{role}</b> tidak sedang punya Plh./Plt.", "<b>{role}</b> has no Plh./Plt. now."),
    "plh_refused_not_party": (
        "Hanya pemegang peran, Plh./Plt.-nya atau koordinator yang dapat mengakhirinya.",
        "Only the holder, the substitute or the coordinator may end it.",
    ),
    "plh_refused_gone": ("Permintaan ini tidak ada lagi.", "This request no longer exists."),
}
