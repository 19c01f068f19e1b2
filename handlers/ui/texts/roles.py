"""Roles: /peran, /ambil, /lepas, /tetapkan, /cabut and their buttons."""

from __future__ import annotations

#: message id -> (Bahasa Indonesia, English)
MESSAGES: dict[str, tuple[str, str]] = {
    "roles_header": (
        "<b>Peran — #{number} {title}</b>",
        "<b>Roles — #{number} {title}</b>",
    ),
    "role_line": (
        "• {role}: {holder}",
        "• {role}: {holder}",
    ),
    "role_free": (
        "<i>belum ada</i>",
        "<i>free</i>",
    ),
    "role_external": (
        "<i>pihak luar (dikonfirmasi koordinator)</i>",
        "<i>external party (confirmed by the coordinator)</i>",
    ),
    "role_pending": (
        "{holders} <i>(menunggu persetujuan)</i>",
        "{holders} <i>(awaiting approval)</i>",
    ),
    "btn_claim": (
        "🙋 Ambil: {role}",
        "🙋 Claim: {role}",
    ),
    "btn_release": (
        "🔓 Lepas: {role}",
        "🔓 Release: {role}",
    ),
    "btn_revoke": (
        "✖️ Cabut: {role}",
        "✖️ Revoke: {role}",
    ),
    "claim_usage": (
        "Pakai: /ambil PERAN (lihat /peran).",
        "Usage: /claim ROLE (see /roles).",
    ),
    "release_usage": (
        "Pakai: /lepas PERAN.",
        "Usage: /release ROLE.",
    ),
    "assign_usage": (
        "Balas pesan seorang anggota dengan /tetapkan PERAN.",
        "Reply to a member's message with /assign ROLE.",
    ),
    "role_unknown": (
        "Peran \"{query}\" tidak dikenal. Peran: {roles}",
        "Unknown role \"{query}\". Roles: {roles}",
    ),
    "role_ambiguous": (
        "\"{query}\" cocok dengan beberapa peran: {roles}. Tulis lebih lengkap.",
        "\"{query}\" matches several roles: {roles}. Be more specific.",
    ),
    "role_claimed": (
        "✅ {user} sekarang memegang peran <b>{role}</b>.",
        "✅ {user} now holds the role <b>{role}</b>.",
    ),
    "role_claim_pending": (
        "⏳ {user} meminta peran <b>{role}</b>; menunggu persetujuan koordinator {coordinator}.",
        "⏳ {user} asks for the role <b>{role}</b>; waiting for the coordinator {coordinator}.",
    ),
    "btn_approve_claim": (
        "👍 Setujui {user}",
        "👍 Approve {user}",
    ),
    "btn_reject_claim": (
        "❌ Tolak",
        "❌ Reject",
    ),
    "claim_rejected_ack": (
        "Permintaan ditolak; peran tetap kosong dan bisa diambil orang lain.",
        "Request rejected; the role stays free for someone else to claim.",
    ),
    "role_released": (
        "{user} melepas peran <b>{role}</b>.",
        "{user} released the role <b>{role}</b>.",
    ),
    "role_revoked": (
        "Peran <b>{role}</b> dicabut dari {user} oleh {coordinator}.",
        "The role <b>{role}</b> was taken from {user} by {coordinator}.",
    ),
    "role_claim_rejected": (
        "Permintaan {user} atas peran <b>{role}</b> ditolak.",
        "{user}'s request for the role <b>{role}</b> was declined.",
    ),
    "role_assigned": (
        "📌 {user} ditetapkan sebagai <b>{role}</b> oleh {coordinator}.",
        "📌 {user} was assigned <b>{role}</b> by {coordinator}.",
    ),
    "role_taken": (
        "Peran <b>{role}</b> sudah dipegang {holder}.",
        "The role <b>{role}</b> is already held by {holder}.",
    ),
    "role_is_external": (
        "<b>{role}</b> adalah pihak luar; koordinator mengonfirmasi langkahnya dengan /wakili.",
        "<b>{role}</b> is an external party; the coordinator confirms its steps with /onbehalf.",
    ),
    "role_not_held": (
        "Anda tidak memegang peran <b>{role}</b>.",
        "You do not hold the role <b>{role}</b>.",
    ),
    "role_already_yours": (
        "Anda sudah memegang peran <b>{role}</b>.",
        "You already hold the role <b>{role}</b>.",
    ),
    "role_unreachable": (
        " ⚠️ <i>belum bisa dihubungi</i>",
        " ⚠️ <i>can't be reached yet</i>",
    ),
    "revoke_usage": (
        "Pakai: /cabut PERAN (koordinator; lihat /peran).",
        "Usage: /revoke ROLE (coordinator; see /roles).",
    ),
    "revoke_not_held": (
        "Peran <b>{role}</b> belum dipegang siapa pun.",
        "Nobody holds the role <b>{role}</b> yet.",
    ),
}
