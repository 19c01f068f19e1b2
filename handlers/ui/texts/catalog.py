"""The SOP catalogue managed in chat: uploads, draft review, publication, versions."""

from __future__ import annotations

#: message id -> (Bahasa Indonesia, English)
MESSAGES: dict[str, tuple[str, str]] = {
    # -- /sop -------------------------------------------------------------------------------
    "catalog_list_item": (
        "• <code>{id}</code> — {name} ({steps} langkah · v{version}){mark}",
        "• <code>{id}</code> — {name} ({steps} steps · v{version}){mark}",
    ),
    "catalog_mark_group": (" · grup ini", " · this group"),
    "catalog_add_hint": (
        "Menambah SOP: admin SOP mengirim dokumennya (.docx, .xlsx, .txt, .pdf) ke bot secara pribadi; admin grup membalas dokumen di grup dengan <code>/sop tambah</code>.",
        "Adding an SOP: an SOP admin sends the document (.docx, .xlsx, .txt, .pdf) to the bot privately; a group admin replies to a document in the group with <code>/sop tambah</code>.",
    ),
    "catalog_usage": (
        "Perintah katalog: <code>/sop</code> · <code>/sop ID</code> · <code>/sop tambah</code> (membalas dokumen) · <code>/sop unduh ID [versi]</code> · <code>/sop tarik ID</code> · <code>/sop pulihkan ID</code>",
        "Catalogue commands: <code>/sop</code> · <code>/sop ID</code> · <code>/sop add</code> (replying to a document) · <code>/sop download ID [version]</code> · <code>/sop withdraw ID</code> · <code>/sop restore ID</code> (or tambah, unduh, tarik, pulihkan)",
    ),
    "catalog_history_header": ("<b>Riwayat versi</b> ({scope})", "<b>Version history</b> ({scope})"),
    "catalog_history_line": (
        "• v{version} — {when} · {who} · {source} (<code>{hash}</code>)",
        "• v{version} — {when} · {who} · {source} (<code>{hash}</code>)",
    ),
    "catalog_seed_by": ("berkas awal di server", "seed file on the server"),
    "catalog_scope_bot": ("seluruh bot", "whole bot"),
    "catalog_scope_group": ("grup ini saja", "this group only"),
    "catalog_scope_other": ("grup lain", "another group"),
    "catalog_status_withdrawn": (
        "⛔ Ditarik {when} oleh {who}: tidak bisa dimulai lagi; yang sedang berjalan tetap berjalan.",
        "⛔ Withdrawn {when} by {who}: no new runs; runs under way carry on.",
    ),
    "catalog_manage_hint": (
        "Unduh: <code>/sop unduh {id}</code> · Tarik: <code>/sop tarik {id}</code>",
        "Download: <code>/sop unduh {id}</code> · Withdraw: <code>/sop tarik {id}</code>",
    ),
    # -- withdraw / restore -------------------------------------------------------------------
    "catalog_withdraw_confirm": (
        "Tarik SOP <b>{name}</b> (<code>{id}</code>)? Tidak ada jalannya baru yang bisa dimulai; yang sedang berjalan tetap berjalan sampai selesai.",
        "Withdraw SOP <b>{name}</b> (<code>{id}</code>)? No new runs can start; runs under way carry on to the end.",
    ),
    "btn_withdraw": ("⛔ Ya, tarik", "⛔ Yes, withdraw"),
    "btn_keep_sop": ("Batal", "Cancel"),
    "catalog_withdrawn": (
        "⛔ SOP <code>{id}</code> ditarik oleh {user}. Memulihkannya: <code>/sop pulihkan {id}</code>.",
        "⛔ SOP <code>{id}</code> withdrawn by {user}. To restore it: <code>/sop pulihkan {id}</code>.",
    ),
    "catalog_restored": ("✅ SOP <code>{id}</code> dapat dimulai lagi.", "✅ SOP <code>{id}</code> can be started again."),
    "catalog_kept": ("SOP tidak ditarik.", "The SOP was not withdrawn."),
    "catalog_unknown_sop": ("SOP <code>{sop_id}</code> tidak ditemukan. Lihat /sop.", "SOP <code>{sop_id}</code> not found. See /sop."),
    "catalog_already_withdrawn": ("SOP <code>{sop_id}</code> sudah ditarik.", "SOP <code>{sop_id}</code> is already withdrawn."),
    "catalog_already_active": ("SOP <code>{sop_id}</code> tidak sedang ditarik.", "SOP <code>{sop_id}</code> is not withdrawn."),
    "catalog_start_withdrawn": (
        "SOP <code>{id}</code> sudah ditarik dan tidak bisa dimulai lagi (yang sedang berjalan tetap berjalan). Lihat /sop.",
        "SOP <code>{id}</code> has been withdrawn and cannot be started (runs under way carry on). See /sop.",
    ),
    "catalog_not_allowed": (
        "Hanya admin SOP (SOP_ADMIN_IDS), atau admin grup untuk SOP grupnya sendiri, yang dapat mengelola katalog SOP.",
        "Only SOP admins (SOP_ADMIN_IDS), or a group's admins for that group's own SOPs, can manage the SOP catalogue.",
    ),
    # -- uploads ----------------------------------------------------------------------------------
    "catalog_upload_refused": (
        "Hanya admin SOP yang dapat menambah SOP ke katalog; berkas ini tidak disimpan. Untuk melampirkan bukti tugas, balas kartu tugas dengan berkasnya.",
        "Only SOP admins can add SOPs to the catalogue; this file was not kept. To attach evidence to a task, reply to the task card with the file.",
    ),
    "catalog_add_usage_group": (
        "Balas pesan yang berisi dokumen SOP (.docx, .xlsx, .txt, .pdf) dengan <code>/sop tambah</code>.",
        "Reply to a message holding the SOP document (.docx, .xlsx, .txt, .pdf) with <code>/sop tambah</code>.",
    ),
    "catalog_add_usage_private": (
        "Kirim dokumen SOP (.docx, .xlsx, .txt, .pdf) ke chat ini.",
        "Send the SOP document (.docx, .xlsx, .txt, .pdf) to this chat.",
    ),
    "catalog_bad_type": (
        "{name} bukan jenis dokumen SOP yang dapat dibaca: kirim .docx, .xlsx, .txt atau .pdf.",
        "{name} is not a kind of SOP document that can be read: send .docx, .xlsx, .txt or .pdf.",
    ),
    "catalog_too_big": (
        "{name} berukuran {size} MB; bot hanya dapat mengunduh sampai 20 MB dari Telegram. Perkecil berkasnya (mis. tanpa gambar) lalu kirim lagi.",
        "{name} is {size} MB; a bot can download at most 20 MB from Telegram. Make the file smaller (e.g. without pictures) and send it again.",
    ),
    "catalog_protected": (
        "❌ {name} dilindungi kata sandi (atau berformat Office lama). Buka kuncinya, simpan ulang sebagai .docx/.xlsx, lalu kirim lagi.",
        "❌ {name} is password-protected (or in an old Office format). Unlock it, save it again as .docx/.xlsx and send it again.",
    ),
    "catalog_import_failed": ("❌ {name} tidak dapat dijadikan draf SOP: {detail}", "❌ {name} cannot be made into an SOP draft: {detail}"),
    "catalog_download_failed": (
        "❌ {name} tidak dapat diunduh dari Telegram ({detail}). Kirim lagi.",
        "❌ {name} could not be downloaded from Telegram ({detail}). Send it again.",
    ),
    "catalog_progress_download": ("⏳ Mengunduh {name}…", "⏳ Downloading {name}…"),
    "catalog_progress_import": ("⏳ Membaca {name}…", "⏳ Reading {name}…"),
    "catalog_progress_draw": ("⏳ Draf #{draft} dibuat; menggambar bagan alir…", "⏳ Draft #{draft} made; drawing the flowchart…"),
    "catalog_progress_done": ("✅ Draf #{draft} dari {name} siap ditinjau.", "✅ Draft #{draft} from {name} is ready for review."),
    # -- the draft ------------------------------------------------------------------------------
    "catalog_summary": (
        "<b>Draf SOP #{draft}</b> — {name}\n<code>{id}</code> · {office}\nUntuk: {scope} · akan terbit sebagai versi {version}\n\n<b>Peran</b>\n{roles}\n\n<b>Langkah</b>\n{steps}\n\n{totals}",
        "<b>SOP draft #{draft}</b> — {name}\n<code>{id}</code> · {office}\nFor: {scope} · to be published as version {version}\n\n<b>Roles</b>\n{roles}\n\n<b>Steps</b>\n{steps}\n\n{totals}",
    ),
    "catalog_totals": (
        "Jumlah waktu langkah: {sum}{unknown} · tertulis di dokumen: {stated}{check}",
        "Sum of the step times: {sum}{unknown} · stated in the document: {stated}{check}",
    ),
    "catalog_totals_unknown": (" (+{count} langkah tanpa waktu)", " (+{count} steps without a time)"),
    "catalog_total_none": ("tidak ada", "none"),
    "catalog_total_ok": (" ✅ sama", " ✅ equal"),
    "catalog_total_differs": (" ⚠️ berbeda", " ⚠️ different"),
    "catalog_review_header": ("<b>Draf #{draft}</b> · <code>{id}</code> · {name}", "<b>Draft #{draft}</b> · <code>{id}</code> · {name}"),
    "catalog_review_missing": (
        "Belum lengkap ({count}) — perbaiki dengan tombol di bawah:\n{items}",
        "Not complete yet ({count}) — fix with the buttons below:\n{items}",
    ),
    "catalog_review_ready": (
        "✅ Semua isian lengkap dan lolos pemeriksaan <code>sop check</code>. Tekan Terbitkan untuk menerbitkan versi {version}.",
        "✅ Everything is filled in and passes <code>sop check</code>. Press Publish to publish version {version}.",
    ),
    "catalog_review_more": ("• … dan {count} lagi", "• … and {count} more"),
    "catalog_review_notes": ("Catatan:\n{items}", "Notes:\n{items}"),
    "catalog_review_expires": ("Draf berlaku sampai {when}.", "The draft is kept until {when}."),
    "catalog_issue_actors": ("Langkah {no}: pelaksana belum diisi", "Step {no}: no actor yet"),
    "catalog_issue_time": ("Langkah {no}: waktu belum diisi atau tidak terbaca", "Step {no}: time missing or unreadable"),
    "catalog_issue_role_name": ("Kolom Pelaksana {column}: belum bernama", "Actor column {column}: no name"),
    "catalog_issue_supervisor": ("Supervisor (penerima peringatan keterlambatan) belum tepat", "Supervisor (receives overdue alerts) not set right"),
    "catalog_issue_total": ("Jumlah waktu dokumen tidak terbaca", "The document's total time is unreadable"),
    "catalog_issue_number": ("Langkah ke-{position}: nomor tidak terbaca atau ganda", "Step at position {position}: number unreadable or repeated"),
    "catalog_issue_goto": ("Langkah {no}: tujuan pengembalian tidak ada", "Step {no}: the return target does not exist"),
    "catalog_issue_text": ("{field} belum diisi", "{field} missing"),
    "catalog_issue_rule": ("{message}", "{message}"),
    "catalog_issue_decision_hint": ("Langkah {no} menyebut “Jika…”: jadikan keputusan?", "Step {no} says “if…”: make it a decision?"),
    "catalog_issue_detail": (" — {message}", " — {message}"),
    "catalog_field_id": ("Id SOP", "SOP id"),
    "catalog_field_nama": ("Nama SOP", "SOP name"),
    "catalog_field_instansi": ("Nama instansi", "Agency name"),
    "catalog_field_jabatan": ("Jabatan pengesah", "Signer's position"),
    "catalog_field_nip": ("NIP pengesah", "Signer's NIP"),
    "catalog_field_aktivitas": ("Aktivitas langkah {no}", "Activity of step {no}"),
    "catalog_btn_actors": ("👥 Langkah {no}: pelaksana", "👥 Step {no}: actors"),
    "catalog_btn_time": ("⏱ Langkah {no}: waktu", "⏱ Step {no}: time"),
    "catalog_btn_role_name": ("🏷 Kolom {column}: nama", "🏷 Column {column}: name"),
    "catalog_btn_supervisor": ("🧑‍💼 Supervisor", "🧑‍💼 Supervisor"),
    "catalog_btn_total": ("⏱ Jumlah waktu", "⏱ Total time"),
    "catalog_btn_number": ("🔢 Langkah ke-{position}: nomor", "🔢 Step {position}: number"),
    "catalog_btn_goto": ("↩️ Langkah {no}: tujuan kembali", "↩️ Step {no}: return target"),
    "catalog_btn_text": ("✏️ {field}", "✏️ {field}"),
    "catalog_btn_decision_hint": ("🧭 Langkah {no}: keputusan?", "🧭 Step {no}: decision?"),
    "catalog_btn_external": ("🌐 Peran eksternal", "🌐 External roles"),
    "catalog_btn_summary": ("📋 Ringkasan", "📋 Summary"),
    "catalog_btn_publish": ("✅ Terbitkan", "✅ Publish"),
    "catalog_btn_discard": ("🗑 Buang draf", "🗑 Discard draft"),
    "catalog_btn_id": ("🆔 Ganti id", "🆔 Change id"),
    "catalog_btn_save": ("💾 Simpan", "💾 Save"),
    "catalog_btn_back": ("◀️ Kembali", "◀️ Back"),
    "catalog_btn_goto_step": ("↩️ ke langkah {no}", "↩️ to step {no}"),
    "catalog_btn_no_decision": ("Bukan keputusan", "Not a decision"),
    "catalog_pick_actors": (
        "Langkah {no}: {text}\nPilih pelaksananya sesuai urutan (tekan lagi untuk melepas), lalu Simpan.\nTerpilih: {chosen}",
        "Step {no}: {text}\nPick its actors in order (press again to drop one), then Save.\nChosen: {chosen}",
    ),
    "catalog_chosen_none": ("belum ada", "none yet"),
    "catalog_pick_supervisor": (
        "Pilih supervisor: peran internal yang menerima peringatan keterlambatan.",
        "Pick the supervisor: the internal role that receives overdue alerts.",
    ),
    "catalog_pick_external": (
        "Tandai peran dari luar kantor (dikonfirmasi koordinator atas namanya). Tekan untuk mengubah; 🌐 = eksternal.",
        "Mark the roles from outside the office (the coordinator confirms for them). Press to change; 🌐 = external.",
    ),
    "catalog_pick_goto": (
        "Langkah {no}: {text}\nBila dikembalikan, lanjut ke langkah berapa?",
        "Step {no}: {text}\nWhen sent back, which step does the run go back to?",
    ),
    "catalog_ask_time": (
        "✏️ Draf SOP #{draft} · langkah {no}\nBalas pesan ini dengan waktu bakunya, mis. <code>2 hari</code>, <code>30 menit</code> atau <code>1 jam 30 menit</code>.",
        "✏️ SOP draft #{draft} · step {no}\nReply to this message with its standard time, e.g. <code>2 hari</code>, <code>30 menit</code> or <code>1 jam 30 menit</code>.",
    ),
    "catalog_ask_total": (
        "✏️ Draf SOP #{draft} · jumlah waktu\nBalas dengan jumlah waktu yang tertulis di dokumen, atau <code>-</code> bila dokumen tidak menyebutnya.",
        "✏️ SOP draft #{draft} · total time\nReply with the total time the document states, or <code>-</code> when it states none.",
    ),
    "catalog_ask_role_name": (
        "✏️ Draf SOP #{draft} · kolom Pelaksana {column}\nBalas dengan nama jabatan kolom ini, mis. <code>Kasubag Perencanaan</code>.",
        "✏️ SOP draft #{draft} · actor column {column}\nReply with this column's position name, e.g. <code>Kasubag Perencanaan</code>.",
    ),
    "catalog_ask_number": (
        "✏️ Draf SOP #{draft} · langkah ke-{position}\nBalas dengan nomor langkahnya.",
        "✏️ SOP draft #{draft} · step at position {position}\nReply with its step number.",
    ),
    "catalog_ask_text": ("✏️ Draf SOP #{draft} · {field}\nBalas dengan isinya.", "✏️ SOP draft #{draft} · {field}\nReply with its text."),
    "catalog_ask_nip": (
        "✏️ Draf SOP #{draft} · {field}\nBalas dengan 18 angka NIP, atau <code>-</code> untuk menghapusnya.",
        "✏️ SOP draft #{draft} · {field}\nReply with the 18-digit NIP, or <code>-</code> to remove it.",
    ),
    "catalog_ask_id": (
        "✏️ Draf SOP #{draft} · id\nBalas dengan id baru: huruf kecil, angka dan tanda hubung, mis. <code>renja-bappeda-kota-x</code>.",
        "✏️ SOP draft #{draft} · id\nReply with a new id: lowercase letters, digits and dashes, e.g. <code>renja-bappeda-kota-x</code>.",
    ),
    "catalog_fix_bad_time": (
        "Itu bukan waktu yang terbaca. Tulis mis. <code>2 hari</code> atau <code>30 menit</code> dengan membalas pertanyaan tadi lagi.",
        "That is not a readable time. Write e.g. <code>2 hari</code> or <code>30 menit</code>, replying to the question again.",
    ),
    "catalog_fix_too_long": (
        "Jawaban terlalu panjang (paling banyak {limit} karakter). Balas pertanyaan tadi lagi.",
        "That answer is too long (at most {limit} characters). Reply to the question again.",
    ),
    "catalog_fix_empty": ("Jawabannya kosong. Balas pertanyaan tadi lagi.", "The answer is empty. Reply to the question again."),
    "catalog_fix_role_unnamed": ("Kolom {column} belum bernama; beri nama dulu.", "Column {column} has no name yet; name it first."),
    "catalog_fix_no_actor": ("Pilih setidaknya satu pelaksana.", "Pick at least one actor."),
    "catalog_fix_supervisor_external": ("Pihak luar tidak bisa menjadi supervisor.", "An outside party cannot be the supervisor."),
    "catalog_fix_no_such_step": ("Langkah {no} tidak ada.", "There is no step {no}."),
    "catalog_fix_bad_number": ("Tulis nomor langkah berupa angka, mis. <code>7</code>.", "Write the step number in digits, e.g. <code>7</code>."),
    "catalog_fix_number_taken": ("Nomor {no} sudah dipakai langkah lain.", "Number {no} is used by another step."),
    "catalog_fix_bad_id": (
        "Id hanya boleh huruf kecil, angka dan tanda hubung (2–48 karakter).",
        "An id is lowercase letters, digits and dashes (2–48 characters).",
    ),
    "catalog_fix_bad_nip": ("NIP terdiri dari 18 angka (atau <code>-</code> untuk menghapus).", "A NIP has 18 digits (or <code>-</code> to remove it)."),
    "catalog_fix_stale": ("Tombol ini sudah tidak berlaku; lihat tinjauan draf terbaru.", "This button no longer applies; see the latest review of the draft."),
    "catalog_draft_gone": ("Draf ini tidak ada lagi.", "This draft no longer exists."),
    "catalog_not_owner": (
        "Ini draf milik orang lain; hanya pengunggahnya yang dapat memperbaiki dan menerbitkannya.",
        "This is someone else's draft; only whoever uploaded it can fix and publish it.",
    ),
    "catalog_draft_expired": (
        "Draf ini sudah kedaluwarsa atau dibuang. Unggah dokumennya lagi.",
        "This draft has expired or was discarded. Upload the document again.",
    ),
    "catalog_draft_published": ("Draf ini sudah diterbitkan.", "This draft has been published already."),
    "catalog_draft_not_ready": ("Draf masih kurang {count} isian; perbaiki dulu.", "The draft still lacks {count} items; fix them first."),
    "catalog_scope_conflict": (
        "Id <code>{sop_id}</code> sudah dipakai SOP lain ({where}); ganti id draf ini dengan 🆔 Ganti id.",
        "The id <code>{sop_id}</code> belongs to another SOP ({where}); change this draft's id with 🆔 Change id.",
    ),
    "catalog_version_taken": (
        "⚠️ Versi {version} SOP <code>{sop_id}</code> baru saja diterbitkan oleh {user}; draf Anda belum diterbitkan. Periksa <code>/sop {sop_id}</code>, lalu tekan Terbitkan lagi untuk menerbitkan draf Anda sebagai versi {next}.",
        "⚠️ Version {version} of SOP <code>{sop_id}</code> was just published by {user}; your draft was not published. Check <code>/sop {sop_id}</code>, then press Publish again to publish your draft as version {next}.",
    ),
    "catalog_publish_failed": ("Penerbitan gagal; tidak ada yang berubah. Coba lagi.", "Publishing failed; nothing changed. Try again."),
    "catalog_prompt_stale": (
        "Pertanyaan ini sudah tidak berlaku; tekan tombolnya di draf lagi.",
        "This question no longer applies; press its button on the draft again.",
    ),
    "catalog_published": (
        "✅ <b>{name}</b> terbit sebagai versi {version} (<code>{id}</code>, {scope}). Mulai di grup: <code>/mulai {id}</code>",
        "✅ <b>{name}</b> published as version {version} (<code>{id}</code>, {scope}). Start it in a group: <code>/startrun {id}</code>",
    ),
    "catalog_discarded": ("🗑 Draf #{draft} dibuang.", "🗑 Draft #{draft} discarded."),
    "catalog_fixed_ack": ("Disimpan.", "Saved."),
    "catalog_unknown_version": ("SOP <code>{id}</code> tidak punya versi {version}.", "SOP <code>{id}</code> has no version {version}."),
    "catalog_download_caption": ("{name} · versi {version}", "{name} · version {version}"),
    "catalog_flow_caption": ("Bagan alir draf #{draft}", "Flowchart of draft #{draft}"),
    "catalog_flow_provisional": (
        " — sementara: yang belum diisi tampil sebagai “??” (waktu 1 menit)",
        " — provisional: what is missing shows as “??” (time 1 minute)",
    ),
    "catalog_flow_failed": ("(Bagan alir belum dapat digambar untuk draf ini.)", "(The flowchart cannot be drawn for this draft yet.)"),
}
