"""The SOP catalog: /sop, its pages and an SOP's summary."""

from __future__ import annotations

#: message id -> (Bahasa Indonesia, English)
MESSAGES: dict[str, tuple[str, str]] = {
    "sop_list_header": (
        "<b>Daftar SOP</b> ({count}) — /sop ID untuk ringkasan, /mulai ID untuk memulai",
        "<b>SOPs</b> ({count}) — /sop ID for a summary, /startrun ID to start",
    ),
    "sop_list_item": (
        "• <code>{id}</code> — {name} ({steps} langkah)",
        "• <code>{id}</code> — {name} ({steps} steps)",
    ),
    "sop_none": (
        "Belum ada SOP yang dimuat.",
        "No SOPs are loaded.",
    ),
    "page": (
        "Halaman {page}/{pages}",
        "Page {page}/{pages}",
    ),
    "btn_prev": (
        "◀️ Sebelumnya",
        "◀️ Previous",
    ),
    "btn_next": (
        "Berikutnya ▶️",
        "Next ▶️",
    ),
    "sop_unknown": (
        "SOP <code>{id}</code> tidak ditemukan. Lihat /sop.",
        "SOP <code>{id}</code> not found. See /sop.",
    ),
    "sop_summary": (
        "<b>{name}</b>\n<code>{id}</code> · {office}\n{steps} langkah · waktu baku {total}\n\n<b>Peran</b>\n{roles}\n\n<b>Langkah</b>\n{step_lines}\n\nMulai di grup: <code>/mulai {id}</code>",
        "<b>{name}</b>\n<code>{id}</code> · {office}\n{steps} steps · standard time {total}\n\n<b>Roles</b>\n{roles}\n\n<b>Steps</b>\n{step_lines}\n\nStart in a group: <code>/startrun {id}</code>",
    ),
    "sop_role_line": (
        "• {name} (<code>{key}</code>){mark}",
        "• {name} (<code>{key}</code>){mark}",
    ),
    "mark_external": (
        " — pihak luar",
        " — external party",
    ),
    "mark_supervisor": (
        " — pengawas",
        " — supervisor",
    ),
    "mark_inferred": (
        "*",
        "*",
    ),
    "sop_inferred_note": (
        "\n* pelaksana disimpulkan: dokumen aslinya tidak menandai pelaksananya",
        "\n* actor inferred: the original document does not mark it",
    ),
    "sop_step_line": (
        "{no}. {actors} — {text} ({time})",
        "{no}. {actors} — {text} ({time})",
    ),
}
