"""`python -m bot demo`: watch Pandu run an SOP without a token, a network or a phone.

The demo starts the local Bot API emulator and the real bot in this process (a fresh
SQLite database in a temporary folder, a made-up token), then plays officials of Bappeda
Kalimantan Barat walking through "Menyusun Rencana Kerja": everyone presses Start, claims
a role, confirms their steps, Forum SKPD is confirmed on its behalf, and the Kepala Badan
returns the plan once for revision before approving it. The conversation is printed as it
happens; buttons appear as [label].
"""

from __future__ import annotations

import asyncio
import logging
import sys
import tempfile
from pathlib import Path
from typing import TextIO

from pydantic import SecretStr
from telegram.ext import AIORateLimiter

from handlers.application import build_application, serving
from bot.config import PROJECT_ROOT, Settings
from devtools.emulator import BotApiEmulator, Chat, Msg, User

TOKEN = "100000:DEMO-not-a-real-token"
GROUP_ID = -1001000
SOP_ID = "renja-bappeda-kalbar"
OFFICIALS = (  # id, first name, last name, role words for /ambil
    (3001, "Budi", "Santoso", "kasubbag"),
    (3002, "Siti", "Rahmawati", "sekretaris"),
    (3003, "Agus", "Wijaya", "kepala bidang"),
    (3004, "Dewi", "Lestari", "kepala badan"),
)


class Stage:
    """The emulated office plus a printer of everything said in it."""

    def __init__(self, emu: BotApiEmulator, out: TextIO) -> None:
        self.emu, self.out = emu, out
        self.shown = 0
        self.texts: dict[tuple[int, int], str] = {}  # last printed text per message
        self.group: Chat = emu.add_group(GROUP_ID, "Sekretariat Bappeda Kalbar")
        self.people: dict[str, User] = {}
        for uid, first, last, _ in OFFICIALS:
            user = emu.add_user(uid, first, last_name=last, language_code="id")
            self.group.members[uid] = "member"
            self.people[first.lower()] = user
        self.group.members[OFFICIALS[0][0]] = "administrator"

    def where(self, chat: Chat) -> str:
        return chat.title or f"chat pribadi {chat.user.first_name if chat.user else chat.id}"

    def print(self, text: str = "") -> None:
        print(text, file=self.out, flush=True)

    def show_bot(self) -> None:
        """Print what the bot sent or edited since last time (an edit shows its last paragraph)."""
        for event in self.emu.state.events[self.shown :]:
            msg = event.message
            if event.kind not in ("send", "edit"):
                continue  # button answers are printed by press()
            text, key = msg.text or msg.caption or "", (msg.chat.id, msg.message_id)
            buttons = "  ".join(f"[{b.text}]" for row in msg.buttons for b in row)
            if event.kind == "edit":
                self.print(f"🤖 Pandu ✎ mengubah pesannya di {self.where(msg.chat)}:")
                old, text = self.texts.get(key, ""), text.rsplit("\n\n", 1)[-1]
                if (msg.text or msg.caption or "") == old:
                    text = "(tombol diperbarui)" if buttons else "(tombol dihapus)"
            else:
                self.print(f"🤖 Pandu → {self.where(msg.chat)}:")
            self.texts[key] = msg.text or msg.caption or ""
            for line in text.splitlines():
                self.print(f"     {line}")
            if buttons:
                self.print(f"     {buttons}")
        self.shown = len(self.emu.state.events)

    async def say(self, who: str, text: str, *, private: bool = False, reply_to: Msg | None = None) -> None:
        user = self.people[who]
        chat = user if private else self.group
        self.show_bot()
        self.print(f"👤 {user.first_name} → {self.where(self.emu._chat(chat))}: {text}")
        await self.emu.send_text(user, chat, text, reply_to=reply_to)

    async def expect(self, chat: str | None, contains: str, since: int | None = None) -> Msg:
        """The next bot message there (after `since`, an emulator mark, when given)."""
        target = self.people[chat] if chat else self.group
        msg = await self.emu.wait_for_message(target, contains, timeout=10, since=since)
        self.show_bot()
        return msg

    async def press(self, who: str, message: Msg, label: str) -> None:
        user = self.people[who]
        self.show_bot()
        button = message.button(label)
        self.print(f"👆 {user.first_name} menekan [{button.text}]")
        answer = await self.emu.wait_for_callback_answer(await self.emu.press(user, message, text=label))
        if answer.text:
            self.print(f"   💬 {answer.text}")


async def walkthrough(stage: Stage) -> None:
    """The scripted morning at Bappeda Kalbar."""
    for _, first, _, _ in OFFICIALS:
        await stage.say(first.lower(), "/start", private=True)
        await stage.expect(first.lower(), "Pandu")
    await stage.say("budi", f"/mulai {SOP_ID} Renja Bappeda Kalbar 2027")
    waiting = await stage.expect(None, "belum ada yang memegang")
    await stage.press("budi", waiting, "Ambil")
    card = await stage.expect("budi", "Langkah 1")
    for _, first, _, words in OFFICIALS[1:]:
        await stage.say(first.lower(), f"/ambil {words}")
        await stage.expect(None, "memegang peran")
    await stage.press("budi", card, "Selesai")
    await stage.press("agus", await stage.expect("agus", "Langkah 2"), "Selesai")
    await stage.expect(None, "Forum SKPD")
    handed_on = stage.emu.mark()  # private cards go out before group notices: they may come first
    await stage.say("budi", "/wakili Hasil Forum SKPD disepakati dalam rapat 12 Mei")
    await stage.expect(None, "atas nama")
    await stage.say("siti", "apa selanjutnya?")
    await stage.expect(None, "Sekarang")
    for revision in (1, 2):
        for who, step in (("siti", 3), ("budi", 3), ("budi", 4), ("siti", 4)):
            since = handed_on if revision == 1 and step == 3 else None
            await stage.press(who, await stage.expect(who, f"Langkah {step}", since), "Selesai")
        decision = await stage.expect("dewi", "Langkah 5")
        if revision == 1:
            await stage.press("dewi", decision, "Kembalikan")
            question = await stage.expect("dewi", "alasan")
            await stage.say("dewi", "Indikator kinerja belum selaras dengan RENSTRA", private=True, reply_to=question)
            await stage.expect(None, "dikembalikan ke langkah 3")
        else:
            await stage.press("dewi", decision, "Setujui")
            await stage.expect(None, "selesai.")
    await stage.say("budi", "/riwayat")
    await stage.expect(None, "Riwayat")
    stage.show_bot()


async def play(out: TextIO = sys.stdout) -> int:
    """Run the whole demo; returns the process exit code."""
    for name in ("httpx", "telegram", "apscheduler", "alembic"):
        logging.getLogger(name).setLevel(logging.WARNING)
    with tempfile.TemporaryDirectory(prefix="pandu-demo-") as tmp:
        emu = await BotApiEmulator().start()
        try:
            emu.register_bot(TOKEN, "pandu_demo_bot", "Pandu")
            stage = Stage(emu, out)
            settings = Settings(  # type: ignore[call-arg]
                _env_file=None,
                telegram_bot_token=SecretStr(TOKEN),
                telegram_api_base_url=emu.base_url,
                database_url=f"sqlite:///{(Path(tmp) / 'demo.sqlite3').as_posix()}",
                sop_dir=PROJECT_ROOT / "sop_data",
                allowed_chat_ids=[],
                webhook_url=None,
                run_starters="admins",
                strict_role_claims=False,
                default_language="id",
            )
            quick = AIORateLimiter(overall_max_rate=0, group_max_rate=0)  # no real Telegram to protect
            app = build_application(settings, drain_interval=2.0, rate_limiter=quick)
            stage.print("Pandu demo — emulator lokal, tanpa token dan tanpa jaringan.\n")
            async with serving(app, poll_timeout=2):
                await walkthrough(stage)
        finally:
            await emu.stop()
    stage.print("\n✅ Demo selesai: SOP renja-bappeda-kalbar dijalankan sampai langkah terakhir.")
    return 0


def main() -> int:
    """Entry point of `python -m bot demo`."""
    return asyncio.run(play())
