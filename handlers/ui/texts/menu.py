"""The bot's command menu (setMyCommands): one short description per command."""

from __future__ import annotations

#: message id -> (Bahasa Indonesia, English)
MESSAGES: dict[str, tuple[str, str]] = {
    "cmd_start": (
        "Mulai / buka tugas saya",
        "Start / open my tasks",
    ),
    "cmd_help": (
        "Bantuan",
        "Help",
    ),
    "cmd_sop": (
        "Daftar SOP",
        "List SOPs",
    ),
    "cmd_startrun": (
        "Mulai SOP di grup",
        "Start an SOP in a group",
    ),
    "cmd_status": (
        "Apa selanjutnya?",
        "What's next?",
    ),
    "cmd_roles": (
        "Peran dan pemegangnya",
        "Roles and holders",
    ),
    "cmd_claim": (
        "Ambil peran",
        "Claim a role",
    ),
    "cmd_release": (
        "Lepas peran",
        "Release a role",
    ),
    "cmd_assign": (
        "Tetapkan peran (koordinator)",
        "Assign a role (coordinator)",
    ),
    "cmd_revoke": (
        "Cabut peran (koordinator)",
        "Revoke a role (coordinator)",
    ),
    "cmd_plh": (
        "Plh./Plt.: pengganti saat cuti atau peran kosong",
        "Plh./Plt.: a substitute on leave or for a vacant role",
    ),
    "cmd_tasks": (
        "Tugas saya",
        "My tasks",
    ),
    "cmd_done": (
        "Konfirmasi tugas saya",
        "Confirm my task",
    ),
    "cmd_onbehalf": (
        "Konfirmasi atas nama (koordinator)",
        "Confirm on behalf (coordinator)",
    ),
    "cmd_history": (
        "Riwayat SOP",
        "SOP history",
    ),
    "cmd_cancel": (
        "Batalkan SOP",
        "Cancel an SOP",
    ),
    "cmd_language": (
        "Ganti bahasa",
        "Switch language",
    ),
    "cmd_zone": (
        "Zona waktu grup (WIB/WITA/WIT)",
        "Group time zone (WIB/WITA/WIT)",
    ),
    "cmd_report": (
        "Laporan waktu SOP",
        "SOP time report",
    ),
    "cmd_flow": (
        "Bagan alir SOP",
        "SOP flowchart",
    ),
    "cmd_monev": (
        "Monitoring dan evaluasi SOP (semester)",
        "SOP monitoring and evaluation (semester)",
    ),
}
