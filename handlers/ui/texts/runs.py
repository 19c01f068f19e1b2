"""Runs: /mulai, the run picker, /batal."""

from __future__ import annotations

#: message id -> (Bahasa Indonesia, English)
MESSAGES: dict[str, tuple[str, str]] = {
    "start_usage": (
        "Pakai: /mulai ID_SOP [judul]. Daftar SOP: /sop",
        "Usage: /startrun SOP_ID [title]. SOP list: /sop",
    ),
    "not_admin": (
        "Hanya admin grup atau koordinator yang boleh melakukan ini.",
        "Only group admins or the coordinator may do this.",
    ),
    "run_started": (
        "▶️ SOP <b>#{number} {title}</b> dimulai ({sop}).\nKoordinator: {coordinator}.\nAmbil peran Anda dengan /peran.",
        "▶️ SOP <b>#{number} {title}</b> started ({sop}).\nCoordinator: {coordinator}.\nClaim your role with /roles.",
    ),
    "no_active_run": (
        "Belum ada SOP yang berjalan di grup ini. Mulai dengan /mulai ID_SOP.",
        "No SOP is running in this group. Start one with /startrun SOP_ID.",
    ),
    "run_number_unknown": (
        "Tidak ada SOP berjalan bernomor {number} di grup ini.",
        "No running SOP number {number} in this group.",
    ),
    "choose_run": (
        "Ada beberapa SOP berjalan. Pilih salah satu:",
        "Several SOPs are running. Pick one:",
    ),
    "btn_run": (
        "#{number} {title}",
        "#{number} {title}",
    ),
    "run_not_active": (
        "SOP ini sudah tidak berjalan.",
        "This SOP is no longer running.",
    ),
    "cancel_confirm": (
        "Batalkan SOP <b>#{number} {title}</b>? Langkah yang belum selesai dihentikan.",
        "Cancel SOP <b>#{number} {title}</b>? Unfinished steps are stopped.",
    ),
    "btn_cancel_yes": (
        "🛑 Ya, batalkan",
        "🛑 Yes, cancel",
    ),
    "btn_cancel_no": (
        "Tidak",
        "No",
    ),
    "run_cancelled": (
        "🛑 SOP <b>#{number} {title}</b> dibatalkan oleh {user}.",
        "🛑 SOP <b>#{number} {title}</b> was cancelled by {user}.",
    ),
    "cancel_kept": (
        "Baik, SOP tetap berjalan.",
        "OK, the SOP keeps running.",
    ),
    "title_too_long": (
        "Judul terlalu panjang (paling banyak {limit} karakter). Tidak ada yang berubah.",
        "The title is too long (at most {limit} characters). Nothing was changed.",
    ),
}
