"""`python -m bot demo` plays the whole Kalbar SOP against the emulator and exits 0."""

from __future__ import annotations

import io

from devtools import demo
from bot.cli import build_parser


async def test_demo_reaches_the_end_of_the_sop() -> None:
    out = io.StringIO()
    assert await demo.play(out) == 0
    text = out.getvalue()
    assert "👤 Budi → Sekretariat Bappeda Kalbar: /mulai renja-bappeda-kalbar" in text
    assert "[✅ Selesai]" in text and "[↩️ Kembalikan]" in text
    assert "dikembalikan ke langkah 3" in text and "🏁 SOP #1 Renja Bappeda Kalbar 2027 selesai." in text
    assert text.rstrip().endswith("dijalankan sampai langkah terakhir.")
    assert demo.TOKEN not in text


def test_demo_is_a_cli_subcommand() -> None:
    assert build_parser().parse_args(["demo"]).func.__name__ == "cmd_demo"
