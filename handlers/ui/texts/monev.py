"""Monev: /monev (/review), the Paraf, the supervisor's Tindakan and the questionnaire."""

from __future__ import annotations

#: message id -> (Bahasa Indonesia, English)
MESSAGES: dict[str, tuple[str, str]] = {
    "monev_header": (
        "📋 <b>Monitoring dan Evaluasi SOP AP</b>\nPeriode {first} s.d. {last} ({key})",
        "📋 <b>SOP AP monitoring and evaluation</b>\nPeriod {first} to {last} ({key})",
    ),
    "monev_row": (
        "\n<b>{no}. {sop}</b>{group}\nPenilaian: <b>{assessment}</b>\nCatatan: {notes}\nTindakan: {action}{own}",
        "\n<b>{no}. {sop}</b>{group}\nAssessment: <b>{assessment}</b>\nNotes: {notes}\nAction: {action}{own}",
    ),
    "monev_own_action": (
        " <i>(oleh penilai)</i>",
        " <i>(by the assessor)</i>",
    ),
    "monev_evaluation": (
        "Evaluasi pelaksana: {responded} dari {invited} menjawab{shares}",
        "Actors' evaluation: {responded} of {invited} answered{shares}",
    ),
    "monev_paraf_done": (
        "\n✍️ Diparaf oleh {name}, {when}. Angka periode ini dibekukan.",
        "\n✍️ Signed off by {name}, {when}. This period's figures are frozen.",
    ),
    "monev_paraf_open": (
        "\nBelum diparaf. Penilai dapat mengganti Tindakan dengan <code>/monev tindakan {key} NO teks</code> "
        "lalu menekan ✍️ Paraf.",
        "\nNot signed off yet. The assessor may replace an Action with <code>/review action {key} NO text</code>, "
        "then press ✍️ Sign off.",
    ),
    "monev_paraf_groups": (
        "\nParaf: {groups}",
        "\nSign-off: {groups}",
    ),
    "monev_rule": (
        "\n<i>{rule}</i>",
        "\n<i>{rule}</i>",
    ),
    "monev_files": (
        "Formulir lengkap: Word (.docx), Excel (.xlsx) dan grafik di bawah.",
        "The full forms: Word (.docx), Excel (.xlsx) and the chart below.",
    ),
    "monev_chart_caption": (
        "📊 Putaran langkah tepat waktu per SOP, {key}",
        "📊 Step passes on time per SOP, {key}",
    ),
    "btn_paraf": (
        "✍️ Paraf",
        "✍️ Sign off",
    ),
    "monev_signed": (
        "✍️ Monev {key} diparaf oleh {user}. Angka periode ini dibekukan; jawaban evaluasi tidak bisa diubah lagi.",
        "✍️ Monev {key} signed off by {user}. This period's figures are frozen; evaluation answers can no longer "
        "change.",
    ),
    "monev_action_saved": (
        "✅ Tindakan untuk {sop} ({key}) disimpan: {text}",
        "✅ Action for {sop} ({key}) saved: {text}",
    ),
    "monev_action_reset": (
        "↩️ Tindakan untuk {sop} ({key}) kembali ke usulan Pandu.",
        "↩️ Action for {sop} ({key}) is back to Pandu's proposal.",
    ),
    "monev_action_usage": (
        "Pakai: <code>/monev tindakan [2026-1] NO teks tindakan</code> (NO = nomor baris di formulir; "
        "teks <code>-</code> mengembalikan usulan Pandu).",
        "Usage: <code>/review action [2026-1] NO action text</code> (NO = the form's row number; the text "
        "<code>-</code> restores Pandu's proposal).",
    ),
    "monev_period_unknown": (
        "Periode <code>{text}</code> tidak dikenal. Pakai <code>2026-1</code> (Januari–Juni), <code>2026-2</code> "
        "(Juli–Desember) atau dua tanggal <code>2026-07-01 2026-09-30</code>.",
        "Unknown period <code>{text}</code>. Use <code>2026-1</code> (January–June), <code>2026-2</code> "
        "(July–December) or two dates <code>2026-07-01 2026-09-30</code>.",
    ),
    "monev_period_future": (
        "Periode <code>{text}</code> belum dimulai; belum ada yang bisa dimonitor.",
        "The period <code>{text}</code> has not begun; there is nothing to monitor yet.",
    ),
    "monev_period_reversed": (
        "Tanggal akhir <code>{text}</code> sebelum tanggal awal.",
        "The end date in <code>{text}</code> comes before the start.",
    ),
    "monev_no_runs": (
        "Tidak ada SOP yang dijalankan pada periode {period} di grup yang bisa Anda lihat.",
        "No SOP was run in {period} in the groups you may see.",
    ),
    "monev_not_allowed": (
        "Monev hanya untuk penilai (pemegang peran supervisor SOP), koordinator SOP berjalan, atau admin grup.",
        "Monev is for the assessor (the SOP's supervisor role), a run's coordinator, or a group admin.",
    ),
    "monev_not_allowed_private": (
        "Anda belum mengoordinasi, menjadi penilai, atau menjadi admin grup yang menjalankan SOP. Jalankan /monev di grup.",
        "You do not coordinate, supervise or administer a group that runs SOPs yet. Use /review in the group.",
    ),
    "monev_only_supervisor": (
        "Hanya penilai (pemegang peran supervisor SOP di grup ini) yang dapat memaraf atau mengganti Tindakan.",
        "Only the assessor (who holds the SOP's supervisor role in this group) may sign off or change an Action.",
    ),
    "monev_already_signed": (
        "Periode ini sudah diparaf; angkanya tidak berubah lagi.",
        "This period is already signed off; its figures no longer change.",
    ),
    "monev_row_unknown": (
        "Baris {no} tidak ada di formulir periode {period}.",
        "There is no row {no} in the form of {period}.",
    ),
    "monev_too_long": (
        "Teks terlalu panjang.",
        "That text is too long.",
    ),
    "survey_intro": (
        "📝 <b>Evaluasi penerapan SOP</b>\n{sop} — #{number} {title} ({group}) telah selesai.\n"
        "Menurut Anda, apakah SOP ini:",
        "📝 <b>Evaluation of the SOP</b>\n{sop} — #{number} {title} ({group}) has finished.\n"
        "Your view of this SOP, item by item:",
    ),
    "survey_line": (
        "{no}. {criterion} — {answer}",
        "{no}. {criterion} — {answer}",
    ),
    "survey_yes": ("✅ Ya", "✅ Yes"),
    "survey_no": ("❌ Tidak", "❌ No"),
    "survey_open": ("…", "…"),
    "survey_note": (
        "Catatan: {note}",
        "Note: {note}",
    ),
    "survey_footer": (
        "Tekan Ya/Tidak per butir; catatan boleh ditambahkan (📝 atau balas pesan ini). "
        "Jawaban bisa diubah sampai periodenya diparaf.",
        "Press Yes/No per item; a note is welcome (📝 or reply to this message). "
        "Answers may change until the period is signed off.",
    ),
    "survey_locked": (
        "🔒 Periode ini sudah diparaf; jawaban tidak bisa diubah.",
        "🔒 This period is signed off; answers can no longer change.",
    ),
    "survey_thanks": (
        "Terima kasih, semua butir sudah dijawab.",
        "Thank you, every item is answered.",
    ),
    "btn_survey_yes": ("{no}. Ya", "{no}. Yes"),
    "btn_survey_no": ("{no}. Tidak", "{no}. No"),
    "btn_survey_note": ("📝 Catatan", "📝 Note"),
    "survey_saved": ("Tersimpan", "Saved"),
    "survey_unchanged": ("Sudah tercatat begitu; tidak ada yang berubah.", "Already recorded; nothing changed."),
    "survey_note_prompt": (
        "✍️ {user}, tulis catatan evaluasi Anda sebagai balasan pesan ini.",
        "✍️ {user}, write your evaluation note as a reply to this message.",
    ),
    "survey_note_saved": (
        "📝 Catatan evaluasi disimpan.",
        "📝 Evaluation note saved.",
    ),
}
