"""Greeting, help, language and the refusals any command can meet."""

from __future__ import annotations

#: message id -> (Bahasa Indonesia, English)
MESSAGES: dict[str, tuple[str, str]] = {
    "start_private": (
        "👋 Halo {name}! Saya <b>Pandu</b>, pemandu SOP kantor Anda. Sekarang saya bisa mengirim tugas Anda ke sini.\n\nTambahkan saya ke grup kantor, lalu mulai SOP dengan /mulai. Daftar perintah: /bantuan",
        "👋 Hello {name}! I am <b>Pandu</b>, your office's SOP guide. I can now send your tasks here.\n\nAdd me to your office group and start an SOP with /startrun. Commands: /help",
    ),
    "start_group": (
        "👋 Saya <b>Pandu</b>. Mulai SOP dengan /mulai ID_SOP (daftar: /sop). Perintah: /bantuan",
        "👋 I am <b>Pandu</b>. Start an SOP with /startrun SOP_ID (list: /sop). Commands: /help",
    ),
    "help": (
        "<b>Pandu — pemandu SOP</b>\n\n"
        "<b>SOP</b>\n"
        "/sop — daftar SOP · /sop ID — ringkasan dan riwayat versi\n"
        "Admin SOP: kirim dokumen SOP (.docx/.xlsx/.txt/.pdf) ke bot; /sop tambah (membalas dokumen di grup) · /sop unduh ID · /sop tarik ID\n"
        "/mulai ID [judul] — mulai SOP di grup (Anda jadi koordinator)\n"
        "/status [no] — apa selanjutnya? (juga: tulis \"giliran siapa?\", \"sudah sampai mana?\")\n"
        "/riwayat [no] — riwayat dan bukti\n"
        "/batal [no] — batalkan (koordinator/admin)\n\n"
        "<b>Peran</b>\n"
        "/peran — peran dan pemegangnya\n"
        "/ambil PERAN · /lepas PERAN\n"
        "/tetapkan PERAN — balas pesan anggota (koordinator)\n"
        "/cabut PERAN — cabut peran dari pemegangnya (koordinator)\n"
        "/plh PERAN @orang sampai 7 Des [alasan] — Plh. saat cuti/dinas luar · /plh selesai PERAN\n"
        "/plt PERAN @orang — Plt. untuk peran kosong (koordinator)\n\n"
        "<b>Tugas</b>\n"
        "/tugas — tugas saya\n"
        "/selesai [catatan] — konfirmasi tugas saya (lampirkan berkas/foto sebagai bukti)\n"
        "/wakili ALASAN — konfirmasi atas nama pelaksana (koordinator)\n"
        "/wakili HASIL ALASAN — sama, untuk langkah keputusan\n"
        "Balas pesan tugas dengan berkas/foto/teks untuk melampirkan bukti.\n\n"
        "<b>Laporan</b>\n"
        "/laporan [no] — waktu baku dan aktual per langkah (grafik, Excel, CSV)\n"
        "/laporan semua — semua SOP di grup ini\n"
        "/monev [2026-1] — monitoring dan evaluasi SOP per semester (Word, Excel, paraf)\n"
        "/peta [no] — bagan alir SOP berjalan · /peta ID — bagan alir SOP mana pun\n\n"
        "<b>Pengaturan</b>\n"
        "/bahasa id|en — ganti bahasa\n"
        "/zona WIB|WITA|WIT — zona waktu grup (admin/koordinator)\n\n"
        "English: /help",
        "<b>Pandu — SOP guide</b>\n\n"
        "<b>SOPs</b>\n"
        "/sop — list · /sop ID — summary and version history\n"
        "SOP admins: send an SOP document (.docx/.xlsx/.txt/.pdf) to the bot; /sop tambah (replying to a document in a group) · /sop unduh ID · /sop tarik ID\n"
        "/startrun ID [title] — start an SOP in a group (you become the coordinator)\n"
        "/next [no] — what's next? (or write \"whose turn is it?\", \"where are we?\")\n"
        "/history [no] — history and evidence\n"
        "/cancel [no] — cancel (coordinator/admin)\n\n"
        "<b>Roles</b>\n"
        "/roles — roles and holders\n"
        "/claim ROLE · /release ROLE\n"
        "/assign ROLE — reply to a member's message (coordinator)\n"
        "/revoke ROLE — take a role back from its holder (coordinator)\n"
        "/plh ROLE @person until 7 Dec [reason] — a Plh. while on leave · /plh selesai ROLE\n"
        "/plt ROLE @person — a Plt. for a vacant role (coordinator)\n\n"
        "<b>Tasks</b>\n"
        "/mytasks — my tasks\n"
        "/done [note] — confirm my task (attach a file/photo as evidence)\n"
        "/onbehalf REASON — confirm for the actor (coordinator)\n"
        "/onbehalf OUTCOME REASON — the same, for a decision step\n"
        "Reply to a task message with a file/photo/text to attach evidence.\n\n"
        "<b>Reports</b>\n"
        "/report [no] — standard and actual time per step (chart, Excel, CSV)\n"
        "/report all — every SOP in this group\n"
        "/review [2026-1] — six-monthly SOP monitoring and evaluation (Word, Excel, sign-off)\n"
        "/flow [no] — a running SOP's flowchart · /flow ID — any SOP's flowchart\n\n"
        "<b>Settings</b>\n"
        "/language id|en — switch language\n"
        "/timezone WIB|WITA|WIT — group time zone (admin/coordinator)\n\n"
        "Bahasa Indonesia: /bantuan",
    ),
    "language_set": (
        "Bahasa diganti ke Bahasa Indonesia.",
        "Language switched to English.",
    ),
    "language_usage": (
        "Pakai: /bahasa id atau /bahasa en",
        "Usage: /language en or /language id",
    ),
    "unknown_command": (
        "Perintah {command} tidak dikenal. Lihat /bantuan.",
        "Unknown command {command}. See /help.",
    ),
    "chat_not_allowed": (
        "Maaf, Pandu tidak diaktifkan untuk chat ini.",
        "Sorry, Pandu is not enabled for this chat.",
    ),
    "group_only": (
        "Perintah ini dipakai di grup kantor, bukan di chat pribadi.",
        "This command is used in the office group, not in a private chat.",
    ),
    "error": (
        "Maaf, terjadi kesalahan. Tidak ada yang berubah; silakan coba lagi.",
        "Sorry, something went wrong. Nothing was changed; please try again.",
    ),
    "stale_button": (
        "Tombol ini sudah tidak berlaku.",
        "This button is no longer valid.",
    ),
    "done_ack": (
        "Tercatat.",
        "Noted.",
    ),
    "error_telegram": (
        "Maaf, Telegram sedang terganggu. Periksa /status sebelum mencoba lagi.",
        "Sorry, Telegram is having trouble. Check /next before trying again.",
    ),
    "privacy_notice": (
        "ℹ️ Untuk {admins}: Pandu belum bisa membaca pesan biasa di grup ini (mode privasi bot), "
        "jadi pertanyaan seperti \"giliran siapa?\" tidak sampai; perintah seperti /status tetap jalan.\n"
        "Cara membukanya:\n1. Buka @BotFather dan kirim /setprivacy\n2. Pilih @{bot}\n3. Pilih <b>Disable</b>\n"
        "4. Keluarkan Pandu dari grup ini, lalu tambahkan lagi.\nAtau jadikan Pandu admin grup. Pesan ini hanya dikirim sekali.",
        "ℹ️ For {admins}: Pandu cannot read plain messages in this group yet (the bot's privacy mode), "
        "so questions like \"whose turn is it?\" do not reach it; commands such as /next still work.\n"
        "To change it:\n1. Open @BotFather and send /setprivacy\n2. Choose @{bot}\n3. Choose <b>Disable</b>\n"
        "4. Remove Pandu from this group and add it again.\nOr make Pandu a group admin. This message is sent only once.",
    ),
    "privacy_admins": (
        "admin grup",
        "the group's admins",
    ),
}
